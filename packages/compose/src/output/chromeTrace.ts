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
import { partitionOf, type Slice, scheduleSlices } from './scheduleSlices.js';

/** One event of the Trace Event Format as this trace writes it. */
export interface ChromeEvent {
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
    if (!tids) threadTids.set(partition, (tids = new Map<string, number>()));
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

  const { windows, threads } = scheduleSlices(records, new Set(partitions), endNs);
  const slice = (pid: number, tid: number, item: Slice): void => {
    if (item.end > item.start) events.push({ name: item.name, ph: 'X', ts: micros(item.start), dur: micros(item.end - item.start), pid, tid });
  };
  for (const window of windows) slice(MODULE_PID, windowTid.get(window.partition)!, window);
  for (const thread of threads) slice(pidOf.get(thread.partition)!, tidOfThread(thread.partition, thread.name), thread);

  for (const record of records) {
    const payload = record.payload;
    switch (record.kind) {
      case 'window.start':
      case 'window.end':
      case 'thread.switch':
        break;
      case 'trap':
        events.push({ name: String(payload['name'] ?? 'trap'), ph: 'i', s: 't', ts: micros(record.time), pid: PROCESSOR_PID, tid: 1, cat: 'trap', args: { ...payload } });
        break;
      default: {
        const pid = pidOf.get(partitionOf(record));
        events.push({ name: record.kind, ph: 'i', s: 't', ts: micros(record.time), pid: pid ?? MODULE_PID, tid: pid !== undefined ? EVENTS_TID : 0, cat: record.kind.split('.')[0]!, args: { ...payload } });
      }
    }
  }
  for (const [partition, tids] of threadTids) for (const [thread, tid] of tids) meta(pidOf.get(partition)!, tid, thread, 'thread_name');
  events.sort((a, b) => a.ts - b.ts || a.pid - b.pid || a.tid - b.tid);
  return { traceEvents: events, displayTimeUnit: 'ns' };
}
