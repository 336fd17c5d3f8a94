/**
 * Calendar time as the Classic API sees it (rtems_time_of_day) and its conversion to
 * seconds since the RTEMS epoch, 1988-01-01 00:00:00 UTC (TOD_BASE_YEAR).
 */

export interface TimeOfDay {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Clock ticks into the current second. */
  readonly ticks: number;
}

/** Seconds and nanoseconds (struct timespec), for uptime. */
export interface Timespec {
  readonly seconds: number;
  readonly nanoseconds: number;
}

/** struct timeval: seconds and microseconds. */
export interface Timeval {
  readonly seconds: number;
  readonly microseconds: number;
}

/**
 * struct bintime: whole seconds and a binary fraction of a second in units of 2^-64 s
 * (a uint64_t, hence a bigint).
 */
export interface Bintime {
  readonly seconds: number;
  readonly fraction: bigint;
}

/**
 * TOD_SECONDS_1970_THROUGH_1988 (rtems/score/todimpl.h): the POSIX time of the RTEMS epoch.
 * CLOCK_REALTIME counts from 1970, the Classic time of day from 1988.
 */
export const TOD_SECONDS_1970_THROUGH_1988 = 567_993_600;

export const TOD_BASE_YEAR = 1988;
/**
 * Latest accepted year. RTEMS 4.10's _TOD_Validate uses the "year % 4" leap rule and
 * documents that it only works through 2099; this executive uses the Gregorian rule
 * but keeps RTEMS's range.
 */
export const TOD_LATEST_YEAR = 2099;

const SECONDS_PER_DAY = 86_400;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isWhole(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * _TOD_Validate: every field in range, the day within its month, and `ticks` below
 * the ticks per second. Anything that is not an object with whole-number fields is
 * invalid too (bad input from guest code).
 */
export function isValidTimeOfDay(tod: unknown, ticksPerSecond: number): tod is TimeOfDay {
  if (typeof tod !== 'object' || tod === null) return false;
  const t = tod as Record<string, unknown>;
  if (!isWhole(t.year, TOD_BASE_YEAR, TOD_LATEST_YEAR) || !isWhole(t.month, 1, 12)) return false;
  if (!isWhole(t.day, 1, daysInMonth(t.year, t.month))) return false;
  return isWhole(t.hour, 0, 23) && isWhole(t.minute, 0, 59) && isWhole(t.second, 0, 59) && isWhole(t.ticks, 0, ticksPerSecond - 1);
}

/** Days from 1988-01-01 to the given date (proleptic Gregorian). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  let days = 0;
  for (let y = TOD_BASE_YEAR; y < year; y++) days += isLeapYear(y) ? 366 : 365;
  for (let m = 1; m < month; m++) days += daysInMonth(year, m);
  return days + day - 1;
}

/** _TOD_To_seconds: seconds since the RTEMS epoch of a valid time of day (ticks ignored). */
export function timeOfDayToSeconds(tod: TimeOfDay): number {
  return daysSinceEpoch(tod.year, tod.month, tod.day) * SECONDS_PER_DAY + tod.hour * 3600 + tod.minute * 60 + tod.second;
}

/** The time of day `seconds` after the RTEMS epoch, with `ticks` into that second. */
export function secondsToTimeOfDay(seconds: number, ticks: number): TimeOfDay {
  let days = Math.floor(seconds / SECONDS_PER_DAY);
  let rest = seconds - days * SECONDS_PER_DAY;
  let year = TOD_BASE_YEAR;
  for (;;) {
    const length = isLeapYear(year) ? 366 : 365;
    if (days < length) break;
    days -= length;
    year++;
  }
  let month = 1;
  while (days >= daysInMonth(year, month)) {
    days -= daysInMonth(year, month);
    month++;
  }
  const hour = Math.floor(rest / 3600);
  rest -= hour * 3600;
  const minute = Math.floor(rest / 60);
  return { year, month, day: days + 1, hour, minute, second: rest - minute * 60, ticks };
}
