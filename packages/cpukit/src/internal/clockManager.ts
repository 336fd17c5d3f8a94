/**
 * Clock Manager (RTEMS C User's Guide, "Clock Manager"): the time of day, ticks since
 * boot and uptime. The time of day is kept as seconds since the RTEMS epoch and
 * nanoseconds into the second (exact for every valid date, where one count of ns since
 * 1988 would not be) and advances by one tick's worth at every clock tick, like RTEMS's
 * _TOD_Tickle_ticks.
 */
import type { Directive, SecondsResult, TodResult, UptimeResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { isValidTimeOfDay, secondsToTimeOfDay, timeOfDayToSeconds } from '../timeOfDay.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';

const NS_PER_SECOND = 1_000_000_000;

export class ClockManager {
  constructor(private readonly score: Score) {}

  /**
   * rtems_clock_set. Time-of-day watchdogs whose time has come (wake when, timers that
   * fire when) fire now, as _TOD_Set does, and a task they ready may preempt the caller.
   */
  *set(tod: unknown): Directive<RtemsStatus> {
    const score = this.score;
    if (typeof tod !== 'object' || tod === null) return RtemsStatus.INVALID_ADDRESS;
    if (!isValidTimeOfDay(tod, score.ticksPerSecond)) return RtemsStatus.INVALID_CLOCK;
    const seconds = timeOfDayToSeconds(tod);
    score.directive(() => {
      score.todSecondsSinceEpoch = seconds;
      score.todNanoseconds = tod.ticks * score.nsPerTick;
    });
    score.realtimeWatchdogs.fire(seconds);
    yield* score.dispatchPoint();
    return RtemsStatus.SUCCESSFUL;
  }

  /** rtems_clock_get_tod: NOT_DEFINED until the clock has been set. */
  getTod(): TodResult {
    const score = this.score;
    const seconds = score.todSecondsSinceEpoch;
    if (seconds === undefined) return { status: RtemsStatus.NOT_DEFINED, tod: undefined };
    const ticks = Math.floor(score.todNanoseconds / score.nsPerTick);
    return { status: RtemsStatus.SUCCESSFUL, tod: secondsToTimeOfDay(seconds, ticks) };
  }

  /** rtems_clock_get_seconds_since_epoch (RTEMS epoch: 1988-01-01). */
  getSecondsSinceEpoch(): SecondsResult {
    const seconds = this.score.todSeconds;
    return seconds === undefined ? { status: RtemsStatus.NOT_DEFINED, seconds: 0 } : { status: RtemsStatus.SUCCESSFUL, seconds };
  }

  /** rtems_clock_get_ticks_per_second: 1000000 / microseconds per tick. */
  getTicksPerSecond(): number {
    return this.score.ticksPerSecond;
  }

  /**
   * rtems_clock_get_ticks_since_boot: _Watchdog_Ticks_since_boot, an rtems_interval
   * (uint32_t): it wraps to 0 after 2^32 - 1 ticks (49.7 days at 1 ms).
   */
  getTicksSinceBoot(): number {
    return this.score.ticksSinceBoot >>> 0;
  }

  /** rtems_clock_tick_later (rtems/rtems/clock.h): the tick `delta` ticks from now, modulo 2^32. */
  tickLater(delta: unknown): number {
    return (this.getTicksSinceBoot() + bits32(delta)) >>> 0;
  }

  /**
   * rtems_clock_tick_later_usec (rtems/rtems/clock.h): the tick at least `deltaUsec`
   * microseconds from now - the microseconds rounded up to whole ticks, plus one tick
   * because the next tick may be due at once. uint32_t arithmetic, as in C: a huge delta
   * wraps around.
   */
  tickLaterUsec(deltaUsec: unknown): number {
    const usPerTick = this.score.config.microsecondsPerTick;
    const ticks = Math.floor(((bits32(deltaUsec) + usPerTick - 1) >>> 0) / usPerTick);
    return (this.getTicksSinceBoot() + ticks + 1) >>> 0;
  }

  /**
   * rtems_clock_tick_before (rtems/rtems/clock.h): whether `tick` is still in the future,
   * `(int32_t) ( tick - _Watchdog_Ticks_since_boot ) > 0`: right across the wrap of the
   * tick counter for ticks less than 2^31 away.
   */
  tickBefore(tick: unknown): boolean {
    return ((bits32(tick) - this.getTicksSinceBoot()) | 0) > 0;
  }

  /** rtems_clock_get_uptime: time since boot, at tick resolution. */
  getUptime(): UptimeResult {
    const ns = this.score.uptimeNs;
    const seconds = Math.floor(ns / NS_PER_SECOND);
    return { status: RtemsStatus.SUCCESSFUL, uptime: { seconds, nanoseconds: ns - seconds * NS_PER_SECOND } };
  }
}
