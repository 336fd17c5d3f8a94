/**
 * Milliseconds on a monotonic clock, for time-outs and the wall time a run reports (never
 * fed into a simulation). process.hrtime(), not performance.now(): the `performance`
 * global loads node:perf_hooks when first touched, a millisecond or two of a short run's
 * start-up (issue 16).
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
