/**
 * Clock Manager (RTEMS C User's Guide, "Clock Manager"): the time of day, ticks since
 * boot and uptime. The time of day is kept as seconds since the RTEMS epoch and
 * nanoseconds into the second (exact for every valid date, where one count of ns since
 * 1988 would not be) and advances by one tick's worth at every clock tick, like RTEMS's
 * _TOD_Tickle_ticks.
 */
import type { Directive, SecondsResult, TimevalResult, TodResult, UptimeResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import {
  type Bintime,
  TOD_SECONDS_1970_THROUGH_1988,
  type Timespec,
  type Timeval,
  isValidTimeOfDay,
  secondsToTimeOfDay,
  timeOfDayToSeconds,
} from '../timeOfDay.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';

const NS_PER_SECOND = 1_000_000_000;
/**
 * timespec2bintime's multiplier (FreeBSD sys/time.h, which RTEMS's timecounter uses):
 * floor(2^64 / 10^9), the binary fraction of one nanosecond.
 */
const BINTIME_PER_NS = 18_446_744_073n;

/** A timespec as seconds plus nanoseconds; `ns` may be negative or past a second (normalized here). */
function timespec(seconds: number, ns: number): Timespec {
  const carry = Math.floor(ns / NS_PER_SECOND);
  return { seconds: seconds + carry, nanoseconds: ns - carry * NS_PER_SECOND };
}

/** timespec -> struct timeval: microseconds truncated, as bintime2timeval / sbttotv truncate. */
export function timespecToTimeval(time: Timespec): Timeval {
  return { seconds: time.seconds, microseconds: Math.floor(time.nanoseconds / 1000) };
}

/** timespec -> struct bintime (timespec2bintime). */
export function timespecToBintime(time: Timespec): Bintime {
  return { seconds: time.seconds, fraction: BigInt(time.nanoseconds) * BINTIME_PER_NS };
}

/** timespec -> sbintime_t, 32.32 fixed point (bttosbt of timespec2bintime). */
export function timespecToSbintime(time: Timespec): bigint {
  return (BigInt(time.seconds) << 32n) + ((BigInt(time.nanoseconds) * BINTIME_PER_NS) >> 32n);
}

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

  /**
   * CLOCK_MONOTONIC as the timecounter keeps it (_Timecounter_Nanouptime): it starts at
   * one second, not zero (kern_tc.c's first timehands have th_offset.sec = 1; RTEMS's
   * validation test tc-timecounter-install.c expects 1 s at boot). Tick resolution: the
   * uptime the last clock tick reached.
   */
  monotonic(): Timespec {
    return timespec(1, this.score.uptimeNs);
  }

  /**
   * CLOCK_REALTIME (_Timecounter_Nanotime): seconds since 1970. Before rtems_clock_set
   * the timecounter runs from 1988-01-01 00:00:00 at boot (_TOD_Handler_initialization
   * sets it so; tc-timecounter-install.c expects 567993600 s), afterwards from the time
   * set. Tick resolution, like the time of day here.
   */
  realtime(): Timespec {
    const score = this.score;
    const seconds = score.todSecondsSinceEpoch;
    if (seconds === undefined) return timespec(TOD_SECONDS_1970_THROUGH_1988, score.uptimeNs);
    return timespec(TOD_SECONDS_1970_THROUGH_1988 + seconds, score.todNanoseconds);
  }

  /**
   * The boot time (_Timecounter_Getboottime): CLOCK_REALTIME minus CLOCK_MONOTONIC, so
   * 1988-01-01 less one second until the clock is set (tc-timecounter-install.c:
   * 567993599 s), and moved by rtems_clock_set (_Timecounter_Set_clock sets the boot time).
   */
  bootTime(): Timespec {
    const realtime = this.realtime();
    const monotonic = this.monotonic();
    return timespec(realtime.seconds - monotonic.seconds, realtime.nanoseconds - monotonic.nanoseconds);
  }

  /**
   * rtems_clock_get_tod_timeval (clockgettodtimeval.c): NOT_DEFINED until the clock is set
   * (_TOD_Is_set), then CLOCK_REALTIME as a timeval (_TOD_Get_timeval). There is no NULL
   * pointer to refuse (RTEMS_INVALID_ADDRESS) in this binding.
   */
  getTodTimeval(): TimevalResult {
    if (this.score.todSecondsSinceEpoch === undefined) return { status: RtemsStatus.NOT_DEFINED, time: undefined };
    return { status: RtemsStatus.SUCCESSFUL, time: timespecToTimeval(this.realtime()) };
  }

  /** Zero-based uptime (_TOD_Get_zero_based_uptime): CLOCK_MONOTONIC less its first second. */
  private uptime(): Timespec {
    return timespec(0, this.score.uptimeNs);
  }

  /** rtems_clock_get_uptime_timeval: the zero-based uptime as a timeval. */
  getUptimeTimeval(): Timeval {
    return timespecToTimeval(this.uptime());
  }

  /** rtems_clock_get_uptime_seconds (clockgetuptimeseconds.c): `_Timecounter_Time_uptime - 1`, whole seconds since boot. */
  getUptimeSeconds(): number {
    return this.uptime().seconds;
  }

  /**
   * rtems_clock_get_uptime_nanoseconds (clockgetuptimenanoseconds.c): the zero-based uptime
   * in nanoseconds (a uint64_t; virtual time ends at 2^53 - 1 ns, so a number stays exact).
   */
  getUptimeNanoseconds(): number {
    return this.score.uptimeNs;
  }

  /** rtems_clock_get_uptime: time since boot, at tick resolution. */
  getUptime(): UptimeResult {
    const ns = this.score.uptimeNs;
    const seconds = Math.floor(ns / NS_PER_SECOND);
    return { status: RtemsStatus.SUCCESSFUL, uptime: { seconds, nanoseconds: ns - seconds * NS_PER_SECOND } };
  }
}
