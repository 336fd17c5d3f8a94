/**
 * CPU Usage Statistics (RTEMS 6 cpukit/libmisc/cpuuse): rtems_cpu_usage_report and
 * rtems_cpu_usage_reset over the CPU time the score keeps per thread (Thread.cpuTimeNs,
 * Score.cpuTimeUsed, RTEMS's _Thread_Get_CPU_time_used).
 *
 * Time here is the executive's clock (ExecutiveOptions.now), the one the score charges
 * CPU time in - RTEMS reads its timecounter for both. Uptime is _TOD_Get_uptime's: the
 * timecounter's uptime starts at one second at boot (FreeBSD's kern_tc.c, which RTEMS
 * uses; rtems_clock_get_uptime subtracts that second, _TOD_Get_zero_based_uptime), and
 * CPU_usage_Uptime_at_last_reset is 0 until the first reset, so a report before any reset
 * counts one second more than the system ran - RTEMS's report does the same.
 */
import type { Score } from './score.js';
import type { Thread } from './thread.js';

const NS_PER_SECOND = 1_000_000_000;
const NS_PER_MICROSECOND = 1_000;

/** _TOD_Get_uptime in ns: the executive's clock plus the timecounter's first second. */
function uptimeNs(score: Score): number {
  return NS_PER_SECOND + score.env.now();
}

/** _Thread_Get_CPU_time_used_after_last_reset (score/src/threadgetcputimeused.c). */
function usedAfterReset(score: Score, thread: Thread): number {
  return Math.max(0, score.cpuTimeUsed(thread) - thread.cpuTimeAtResetNs);
}

/**
 * _Timestamp_Divide (score/timestampimpl.h): `used` as a percentage of `total`, whole
 * percent and thousandths, truncated ((used * 100000) / total); 0.000 for a total of 0.
 */
export function timestampDivide(used: number, total: number): { readonly ival: number; readonly fval: number } {
  if (total <= 0) return { ival: 0, fval: 0 };
  const answer = (BigInt(Math.trunc(used)) * 100_000n) / BigInt(Math.trunc(total));
  return { ival: Number(answer / 1000n), fval: Number(answer % 1000n) };
}

/**
 * _Thread_Get_name for a Classic task (_Objects_Name_to_string, score/src/objectgetnameasstring.c):
 * the four characters of the name up to the first NUL, an unprintable one as '*', at most
 * `size - 1` characters (cpuusagereport.c's buffer is 38 bytes).
 */
function threadName(name: number, size: number): string {
  let text = '';
  for (let shift = 24; shift >= 0 && text.length < size - 1; shift -= 8) {
    const code = (name >>> shift) & 0xff;
    if (code === 0) break;
    text += code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : '*';
  }
  return text;
}

const RULE = '-------------------------------------------------------------------------------\n';
const COLUMNS = '------------+----------------------------------------+---------------+---------\n';

/** `n` as C's `%<width>u` (right-aligned, no truncation). */
function padded(n: number, width: number): string {
  return String(n).padStart(width, ' ');
}

/**
 * rtems_cpu_usage_report_with_plugin (libmisc/cpuuse/cpuusagereport.c), RTEMS 6: the
 * header, then per thread of rtems_task_iterate (cpu_usage_visitor) its id, name, CPU time
 * since the last reset as seconds.microseconds and its share of the time since the last
 * reset, then that time. Each visitor reads the uptime anew, as RTEMS's does, and the
 * closing line shows the total the last visitor computed (0.000000 when there is no
 * thread, never here: IDLE exists).
 */
export function cpuUsageReport(score: Score, threads: readonly Thread[], print: (text: string) => void): void {
  print(`${RULE}                              CPU USAGE BY THREAD\n${COLUMNS} ID         | NAME                                   | SECONDS       | PERCENT\n${COLUMNS}`);
  let total = 0;
  for (const thread of threads) {
    if (thread.deleted) continue;
    const used = usedAfterReset(score, thread);
    total = uptimeNs(score) - score.cpuUsageUptimeAtResetNs;
    const { ival, fval } = timestampDivide(used, total);
    const seconds = Math.floor(used / NS_PER_SECOND);
    const microseconds = Math.floor((used % NS_PER_SECOND) / NS_PER_MICROSECOND);
    const id = (thread.id >>> 0).toString(16).padStart(8, '0');
    const name = threadName(thread.name, 38).padEnd(38, ' ');
    print(` 0x${id} | ${name} |${padded(seconds, 7)}.${String(microseconds).padStart(6, '0')} |${padded(ival, 4)}.${String(fval).padStart(3, '0')}\n`);
  }
  const seconds = Math.floor(total / NS_PER_SECOND);
  const microseconds = Math.floor((total % NS_PER_SECOND) / NS_PER_MICROSECOND);
  print(`${COLUMNS} TIME SINCE LAST CPU USAGE RESET IN SECONDS:                    ${padded(seconds, 7)}.${String(microseconds).padStart(6, '0')}\n${RULE}`);
}

/**
 * rtems_cpu_usage_reset (libmisc/cpuuse/cpuusagereset.c): the uptime becomes
 * CPU_usage_Uptime_at_last_reset, and every thread's CPU time so far becomes its
 * cpu_time_used_at_last_reset (CPU_usage_Per_thread_handler), so what it uses from now on
 * counts from zero.
 */
export function cpuUsageReset(score: Score, threads: readonly Thread[]): void {
  score.cpuUsageUptimeAtResetNs = uptimeNs(score);
  for (const thread of threads) thread.cpuTimeAtResetNs = score.cpuTimeUsed(thread);
}
