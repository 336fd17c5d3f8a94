/**
 * The trace (`--trace FILE`) in Chrome / Perfetto JSON (the Trace Event Format): `ts` in
 * microseconds, complete slices ('X') that nest properly, instant events ('i').
 *
 *   process 1 "module"          one track per partition: its windows;
 *   process 2 + k  <partition>  one track per guest thread (slices while the thread runs,
 *                               cut at window boundaries), and an "events" track with vIRQ
 *                               raise/deliver, hypercalls and HM events as instants;
 *   process 99 "processor"      traps and faults as instants.
 */
import type { TraceRecord } from '@paravirt/machine';

interface ChromeEvent {
  readonly name: string;
  readonly ph: 'X' | 'i' | 'M';
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly s?: 't';
  readonly cat?: string;
  readonly args?: Record<string, unknown>;
}

const MODULE_PID = 1;
const PROCESSOR_PID = 99;
const EVENTS_TID = 1;

const micros = (ns: number): number => ns / 1000;

export function toChromeTrace(records: readonly TraceRecord[], partitions: readonly string[], kernel: string, endNs: number): { traceEvents: ChromeEvent[]; displayTimeUnit: 'ns' } {
  const events: ChromeEvent[] = [];
  const pidOf = new Map(partitions.map((name, index) => [name, 2 + index]));
  const windowTid = new Map(partitions.map((name, index) => [name, 1 + index]));
  const threadTids = new Map<string, Map<string, number>>();
  const tidOfThread = (partition: string, thread: string): number => {
    let tids = threadTids.get(partition);
    if (!tids) threadTids.set(partition, (tids = new Map()));
    let tid = tids.get(thread);
    if (tid === undefined) tids.set(thread, (tid = EVENTS_TID + 1 + tids.size));
    return tid;
  };

  const meta = (pid: number, tid: number | undefined, name: string, kind: 'process_name' | 'thread_name'): void => {
    events.push({ name: kind, ph: 'M', ts: 0, pid, tid: tid ?? 0, args: { name } });
  };
  meta(MODULE_PID, undefined, `module (${kernel})`, 'process_name');
  meta(PROCESSOR_PID, undefined, 'processor', 'process_name');
  for (const [name, pid] of pidOf) {
    meta(pid, undefined, name, 'process_name');
    meta(pid, EVENTS_TID, 'events', 'thread_name');
    meta(MODULE_PID, windowTid.get(name), name, 'thread_name');
  }

  const openWindow = new Map<string, number>();
  // Thread running per partition, and since when it holds the CPU (undefined: window closed).
  const running = new Map<string, { thread: string; since: number | undefined }>();
  const slice = (pid: number, tid: number, name: string, start: number, end: number, args?: Record<string, unknown>): void => {
    if (end > start) events.push({ name, ph: 'X', ts: micros(start), dur: micros(end - start), pid, tid, ...(args ? { args } : {}) });
  };
  const closeThread = (partition: string, time: number): void => {
    const current = running.get(partition);
    if (current?.since === undefined) return;
    slice(pidOf.get(partition)!, tidOfThread(partition, current.thread), current.thread, current.since, time);
    current.since = undefined;
  };

  for (const record of records) {
    const payload = record.payload;
    const partition = typeof payload['partition'] === 'string' ? payload['partition'] : record.source;
    const pid = pidOf.get(partition);
    switch (record.kind) {
      case 'window.start':
        openWindow.set(partition, record.time);
        if (running.has(partition)) running.get(partition)!.since = record.time;
        break;
      case 'window.end': {
        const start = openWindow.get(partition);
        if (start !== undefined && windowTid.has(partition)) slice(MODULE_PID, windowTid.get(partition)!, partition, start, record.time);
        openWindow.delete(partition);
        closeThread(partition, record.time);
        break;
      }
      case 'thread.switch': {
        if (pid === undefined) break;
        closeThread(partition, record.time);
        running.set(partition, { thread: String(payload['to']), since: record.time });
        break;
      }
      case 'trap':
        events.push({ name: String(payload['name'] ?? 'trap'), ph: 'i', s: 't', ts: micros(record.time), pid: PROCESSOR_PID, tid: 1, cat: 'trap', args: { ...payload } });
        break;
      default:
        if (pid !== undefined) events.push({ name: record.kind, ph: 'i', s: 't', ts: micros(record.time), pid, tid: EVENTS_TID, cat: record.kind.split('.')[0]!, args: { ...payload } });
        else events.push({ name: record.kind, ph: 'i', s: 't', ts: micros(record.time), pid: MODULE_PID, tid: 0, cat: record.kind.split('.')[0]!, args: { ...payload } });
    }
  }
  // Close what is still open at the end of the run.
  for (const [partition, start] of openWindow) slice(MODULE_PID, windowTid.get(partition)!, partition, start, endNs);
  for (const partition of running.keys()) closeThread(partition, endNs);
  for (const [partition, tids] of threadTids) for (const [thread, tid] of tids) meta(pidOf.get(partition)!, tid, thread, 'thread_name');
  events.sort((a, b) => a.ts - b.ts || a.pid - b.pid || a.tid - b.tid);
  return { traceEvents: events, displayTimeUnit: 'ns' };
}
