/**
 * A partition's health-monitor event record, bounded: a partition that faults a million
 * times (the `hostile` sample does) must not grow the kernel's memory or the JSON summary
 * without end. It keeps the first HEAD events (how the trouble started) and the last TAIL
 * (what goes on now) and counts every event, so nothing is dropped silently: `total`
 * minus the entries kept is what was left out in between.
 */
import type { Nanoseconds } from '@paravirt/machine';

/** One health-monitor event as kernels record it (the JSON summary's hmEvents entries). */
export interface HmEventRecord {
  readonly timeNs: Nanoseconds;
  /** Error kind in the kernel's vocabulary (ARINC 653 names where they exist). */
  readonly error: string;
  /** Level that handled it: 'partition', 'module', 'process' ... */
  readonly level: string;
  /** Action applied: IGNORE, IDLE, COLD_START, ... */
  readonly action: string;
  readonly detail: string;
}

export class HmEventLog {
  static readonly HEAD = 500;
  static readonly TAIL = 500;
  /** Every event recorded, kept or not. */
  total = 0;
  private readonly head: HmEventRecord[] = [];
  private readonly tail: HmEventRecord[] = [];
  /** Index in `tail` of its oldest entry once the ring is full. */
  private oldest = 0;

  push(event: HmEventRecord): void {
    this.total++;
    if (this.head.length < HmEventLog.HEAD) {
      this.head.push(event);
    } else if (this.tail.length < HmEventLog.TAIL) {
      this.tail.push(event);
    } else {
      this.tail[this.oldest] = event;
      this.oldest = (this.oldest + 1) % HmEventLog.TAIL;
    }
  }

  /** The most recent event. */
  last(): HmEventRecord | undefined {
    if (this.tail.length === 0) return this.head.at(-1);
    return this.tail[(this.oldest + this.tail.length - 1) % this.tail.length];
  }

  /** Events left out between the first and the last ones kept. */
  get dropped(): number {
    return this.total - this.head.length - this.tail.length;
  }

  /** The kept events in time order. */
  entries(): HmEventRecord[] {
    return [...this.head, ...this.tail.slice(this.oldest), ...this.tail.slice(0, this.oldest)];
  }
}
