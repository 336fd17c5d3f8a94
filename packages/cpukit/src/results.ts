/**
 * What directives return. Where RTEMS writes through output pointers, a directive
 * here returns an object with the status and the out-values; on an error status the
 * out-values are 0 / undefined, never stale data.
 */
import type { RateMonotonicState } from './rateMonotonicState.js';
import type { RtemsStatus } from './rtemsStatus.js';
import type { TimeOfDay, Timespec } from './timeOfDay.js';

/**
 * A directive that can block or dispatch: a generator to use with `yield*` from a
 * thread body (`const status = yield* rtems.taskWakeAfter(10)`). It yields 0 at the
 * point where RTEMS would dispatch, and returns the directive's result.
 */
export type Directive<T> = Generator<number, T, unknown>;

export interface IdResult {
  readonly status: RtemsStatus;
  readonly id: number;
}

export interface PriorityResult {
  readonly status: RtemsStatus;
  /** The task's priority before the call (its current priority, inheritance included). */
  readonly priority: number;
}

export interface ModeResult {
  readonly status: RtemsStatus;
  readonly previousMode: number;
}

export interface TodResult {
  readonly status: RtemsStatus;
  readonly tod: TimeOfDay | undefined;
}

export interface UptimeResult {
  readonly status: RtemsStatus;
  readonly uptime: Timespec;
}

export interface SecondsResult {
  readonly status: RtemsStatus;
  readonly seconds: number;
}

export interface CountResult {
  readonly status: RtemsStatus;
  readonly count: number;
}

export interface MessageResult {
  readonly status: RtemsStatus;
  /** A copy of the message received (its length is the message size). */
  readonly message: Uint8Array | undefined;
}

export interface EventResult {
  readonly status: RtemsStatus;
  readonly eventOut: number;
}

/** rtems_rate_monotonic_period_status with the statistics counters this executive keeps. */
export interface PeriodStatus {
  readonly owner: number;
  readonly state: RateMonotonicState;
  /** Periods concluded by rtems_rate_monotonic_period (rtems_rate_monotonic_period_statistics.count). */
  readonly count: number;
  /** Deadlines missed (rtems_rate_monotonic_period_statistics.missed_count). */
  readonly missedCount: number;
  /** Clock ticks since the current period started (0 when inactive). */
  readonly ticksSinceLastPeriod: number;
}

export interface PeriodStatusResult {
  readonly status: RtemsStatus;
  readonly periodStatus: PeriodStatus | undefined;
}
