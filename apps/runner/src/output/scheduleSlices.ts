/**
 * Who held the processor when, from the trace records: each partition's windows and, in
 * them, its guest threads. The trace (chromeTrace.ts) and the report's Gantt
 * (htmlReport.ts) both draw these.
 *
 * A thread runs from its `thread.switch` until the next switch, the end of its window, or
 * the end of its application: `shutdown` or `fatal` (the executive terminated) or a
 * partition mode change other than to NORMAL (the kernel stopped or restarted the
 * partition). A stopped partition runs no thread; a restarted one runs its new threads
 * from their first switch.
 */
import type { Nanoseconds, TraceRecord } from '@paravirt/machine';

export interface Slice {
  readonly partition: string;
  /** The partition (for a window) or the thread's name. */
  readonly name: string;
  readonly start: Nanoseconds;
  readonly end: Nanoseconds;
}

export interface ScheduleSlices {
  readonly windows: readonly Slice[];
  /**
   * In the order they ended. A thread whose run took no virtual time (software between two
   * yields takes none) has a slice of length 0: it ran, and gets a track.
   */
  readonly threads: readonly Slice[];
}

/** ARINC 653 OPERATING_MODE_TYPE NORMAL (paravirt-api PartitionMode). */
const MODE_NORMAL = 3;

/** The partition a record is about: its `partition` field, else its source. */
export function partitionOf(record: TraceRecord): string {
  const named = record.payload['partition'];
  return typeof named === 'string' ? named : record.source;
}

/** Slices of the known `partitions` in [0, endNs]; what is still open at endNs ends there. */
export function scheduleSlices(records: readonly TraceRecord[], partitions: ReadonlySet<string>, endNs: Nanoseconds): ScheduleSlices {
  const windows: Slice[] = [];
  const threads: Slice[] = [];
  const windowStart = new Map<string, Nanoseconds>();
  // The thread each partition runs, and since when it holds the processor (undefined: its window is closed).
  const running = new Map<string, { thread: string; since: Nanoseconds | undefined }>();
  const closeThread = (partition: string, time: Nanoseconds): void => {
    const current = running.get(partition);
    if (current?.since === undefined) return;
    threads.push({ partition, name: current.thread, start: current.since, end: time });
    current.since = undefined;
  };
  const closeWindow = (partition: string, time: Nanoseconds): void => {
    const start = windowStart.get(partition);
    if (start !== undefined && time > start) windows.push({ partition, name: partition, start, end: time });
    windowStart.delete(partition);
  };
  for (const record of records) {
    if (record.time > endNs) break;
    const partition = partitionOf(record);
    if (!partitions.has(partition)) continue;
    switch (record.kind) {
      case 'window.start': {
        windowStart.set(partition, record.time);
        const current = running.get(partition);
        if (current) current.since = record.time;
        break;
      }
      case 'window.end':
        closeWindow(partition, record.time);
        closeThread(partition, record.time);
        break;
      case 'thread.switch':
        closeThread(partition, record.time);
        running.set(partition, { thread: String(record.payload['to']), since: record.time });
        break;
      case 'partition.mode':
      case 'shutdown':
      case 'fatal':
        // Stopped, restarted or terminated: its threads are gone (NORMAL is the guest going on).
        if (record.kind === 'partition.mode' && record.payload['mode'] === MODE_NORMAL) break;
        closeThread(partition, record.time);
        running.delete(partition);
        break;
      default:
        break;
    }
  }
  for (const partition of [...windowStart.keys()]) closeWindow(partition, endNs);
  for (const partition of running.keys()) closeThread(partition, endNs);
  return { windows, threads };
}
