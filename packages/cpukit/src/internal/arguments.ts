/**
 * Conversions of directive arguments coming from guest code. Guest code can pass
 * anything; nothing here throws. Bit sets and intervals convert the way a C compiler
 * converts an argument to uint32_t (truncate, wrap); values with no such meaning
 * (priorities, ids, counts) are checked and rejected with an error status by the caller.
 */

/**
 * A uint32_t argument (option set, mode, attribute set, interval, event set). An interval
 * in ticks is rtems_interval, RTEMS's Watchdog_Interval, a uint32_t
 * (cpukit/include/rtems/rtems/types.h): a number is truncated and taken modulo 2^32 (as C
 * converts an integer to uint32_t; 2^32 and 1e300 become 0), so no guest interval can
 * push a watchdog past 2^32 - 1 ticks from now.
 */
export function bits32(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) >>> 0 : 0;
  if (typeof value === 'bigint') return Number(BigInt.asUintN(32, value));
  return 0;
}

/** A whole number in 0..0xffffffff, or undefined. */
export function uint32(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff ? value : undefined;
}

/**
 * A Classic API task priority, 1 (most important) .. the scheduler's maximum: 255 for the
 * Deterministic Priority Scheduler, 0x7fffffff under EDF and CBS (SCHEDULER_EDF_MAXIMUM_PRIORITY).
 */
export function isPriority(value: unknown, maximum = 255): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= maximum;
}
