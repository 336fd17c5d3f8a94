/**
 * Who held the processor when, from the trace records: each partition's windows and, in
 * them, its guest threads. The trace (chromeTrace.ts) and the report's timeline
 * (report/collector.ts, through ScheduleTracker) both draw these.
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

/** Where a ScheduleTracker puts the slices it closes. */
export interface SliceSink {
  window(partition: string, start: Nanoseconds, end: Nanoseconds): void;
  thread(partition: string, name: string, start: Nanoseconds, end: Nanoseconds): void;
}

/**
 * scheduleSlices() one record at a time (the report's collector follows a run with it):
 * write() the records of known partitions in order, then finish() at the end.
 */
export class ScheduleTracker {
  // A closed window is `undefined`, not deleted: deleting and adding a key at every window
  // makes the Map rebuild its table every few windows.
  private readonly windowStart = new Map<string, Nanoseconds | undefined>();
  // The thread each partition runs, and since when it holds the processor (undefined: its window is closed).
  private readonly running = new Map<string, { thread: string; since: Nanoseconds | undefined }>();

  constructor(private readonly sink: SliceSink) {}

  private closeThread(partition: string, time: Nanoseconds): void {
    const current = this.running.get(partition);
    if (current?.since === undefined) return;
    this.sink.thread(partition, current.thread, current.since, time);
    current.since = undefined;
  }

  private closeWindow(partition: string, time: Nanoseconds): void {
    const start = this.windowStart.get(partition);
    if (start === undefined) return;
    if (time > start) this.sink.window(partition, start, time);
    this.windowStart.set(partition, undefined);
  }

  /** A record about `partition` (partitionOf(record)); records of other kinds are ignored. */
  write(record: TraceRecord, partition: string): void {
    switch (record.kind) {
      case 'window.start': {
        this.windowStart.set(partition, record.time);
        const current = this.running.get(partition);
        if (current) current.since = record.time;
        break;
      }
      case 'window.end':
        this.closeWindow(partition, record.time);
        this.closeThread(partition, record.time);
        break;
      case 'thread.switch': {
        this.closeThread(partition, record.time);
        const to = String(record.payload['to']);
        const current = this.running.get(partition);
        if (current) {
          current.thread = to;
          current.since = record.time;
        } else this.running.set(partition, { thread: to, since: record.time });
        break;
      }
      case 'partition.mode':
      case 'shutdown':
      case 'fatal':
        // Stopped, restarted or terminated: its threads are gone (NORMAL is the guest going on).
        if (record.kind === 'partition.mode' && record.payload['mode'] === MODE_NORMAL) break;
        this.closeThread(partition, record.time);
        this.running.delete(partition);
        break;
      default:
        break;
    }
  }

  /** Closes what is still open at endNs (windows first, then threads). */
  finish(endNs: Nanoseconds): void {
    for (const partition of [...this.windowStart.keys()]) this.closeWindow(partition, endNs);
    for (const partition of this.running.keys()) this.closeThread(partition, endNs);
  }
}

/** Slices of the known `partitions` in [0, endNs]; what is still open at endNs ends there. */
export function scheduleSlices(records: readonly TraceRecord[], partitions: ReadonlySet<string>, endNs: Nanoseconds): ScheduleSlices {
  const windows: Slice[] = [];
  const threads: Slice[] = [];
  const tracker = new ScheduleTracker({
    window: (partition, start, end) => windows.push({ partition, name: partition, start, end }),
    thread: (partition, name, start, end) => threads.push({ partition, name, start, end }),
  });
  for (const record of records) {
    if (record.time > endNs) break;
    const partition = partitionOf(record);
    if (partitions.has(partition)) tracker.write(record, partition);
  }
  tracker.finish(endNs);
  return { windows, threads };
}
