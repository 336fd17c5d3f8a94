/**
 * The module's health-monitoring log: every HM event of every partition, in order, in a
 * bounded ring. AIR keeps one such log in the PMK shared area with an overwrite policy
 * (health_monitor.c: pmk_add_hm_log_entry, PMK_HM_LOG_OVERWRITE): when full, the oldest
 * entry is dropped. Entries carry what AIR records (date, error identifier, level,
 * partition) plus the action taken and a short description.
 */
import type { Nanoseconds } from '@paravirt/machine';
import type { HmAction, HmLevel } from './hm.js';

export interface HmLogRecord {
  readonly timeNs: Nanoseconds;
  readonly partitionId: number;
  /** AIR error identifier (0-15). */
  readonly error: number;
  readonly state: number;
  readonly level: HmLevel;
  readonly action: HmAction;
  readonly detail: string;
}

export const AIR_HM_LOG_CAPACITY = 64;

export class HmLog {
  private readonly ring: HmLogRecord[] = [];
  private head = 0;
  /** Entries dropped because the log was full. */
  overwritten = 0;

  constructor(readonly capacity = AIR_HM_LOG_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`HM log capacity must be a positive integer, got ${capacity}`);
  }

  add(record: HmLogRecord): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(record);
      return;
    }
    this.ring[this.head] = record;
    this.head = (this.head + 1) % this.capacity;
    this.overwritten++;
  }

  get size(): number {
    return this.ring.length;
  }

  /** Entry `index` counting from the oldest one kept. */
  at(index: number): HmLogRecord | undefined {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.ring.length) return undefined;
    return this.ring[(this.head + index) % this.ring.length];
  }

  entries(): HmLogRecord[] {
    return Array.from({ length: this.ring.length }, (_, index) => this.at(index)!);
  }
}
