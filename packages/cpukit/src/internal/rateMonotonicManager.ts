/**
 * Rate Monotonic Manager as RTEMS 6 implements it (cpukit/rtems/src/ratemonperiod.c,
 * ratemontimeout.c; Classic API Guide, Rate Monotonic Manager). A period belongs to the task
 * that created it and keeps its grid: each period is `length` ticks after the previous one,
 * whether or not the owner was in time. rtems_rate_monotonic_period:
 *  - on an inactive period activates it (the first period starts now) and returns at once;
 *  - on an active period with no postponed job, concludes the job (statistics) and blocks
 *    the owner until the period ends; the timeout then starts the next period and wakes it;
 *  - when the period ended while the owner was still working (the timeout found it not
 *    blocked), the timeout started the next period anyway, counted a postponed job and
 *    marked the period EXPIRED. The owner's next call concludes the late job as missed and
 *    releases the postponed one at once: RTEMS_TIMEOUT without blocking. While postponed
 *    jobs remain, each call does the same (_Rate_monotonic_Block_while_expired), so an
 *    overrun costs as many TIMEOUTs as periods it overran, and the owner catches up on
 *    the grid instead of starting a new period from now (what RTEMS 4.10 did).
 * Each missed job is counted (missed_count), traced, and reported to the BSP
 * (BspHooks.deadlineMissed) for a kernel's health monitor. Statistics (count, missed count,
 * CPU and wall time per job: min/max/total, from the executive's clock) as
 * _Rate_monotonic_Update_statistics keeps them.
 *
 * Under the EDF and CBS schedulers each period start releases a job for the owner with the
 * period's end as its deadline (_Rate_monotonic_Release_job: _Scheduler_Release_job), a
 * postponed job is released with the deadline the timeout computed for it
 * (_Rate_monotonic_Release_postponed_job, latest_deadline), and cancel and delete cancel the
 * job (_Rate_monotonic_Cancel: _Scheduler_Cancel_job). The priority scheduler ignores both.
 */
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { nameToString, packName } from '../objectName.js';
import { RTEMS_PERIOD_STATUS } from '../options.js';
import { RateMonotonicState } from '../rateMonotonicState.js';
import type { Directive, IdResult, RateMonotonicStatistics, RateMonotonicStatisticsResult, PeriodStatusResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import { MAX_DELETED_KEPT, type Score } from './score.js';
import { STATES_WAITING_FOR_PERIOD, type JobNode, type Thread } from './thread.js';
import { Watchdog } from './watchdog.js';

/** The value RTEMS's _Rate_monotonic_Reset_statistics gives a minimum before any job concluded. */
export const STATISTICS_MIN_UNSET = Number.MAX_SAFE_INTEGER;

export class PeriodControl implements JobNode {
  state = RateMonotonicState.INACTIVE;
  nextLength = 0;
  /** Tick at which the current period started. */
  startTick = 0;
  /** Jobs released by the timeout while the owner was still busy (the_period->postponed_jobs). */
  postponedJobs = 0;
  /** The deadline (tick) of the last period the timeout started for a busy owner (latest_deadline). */
  latestDeadline = 0;
  /** The period's priority node under EDF and CBS (the_period->Priority): its job's deadline, and whether it is active. */
  jobDeadline = 0;
  jobActive = false;
  /** time_period_initiated and cpu_usage_period_initiated (ns). */
  initiatedNs = 0;
  initiatedCpuNs = 0;
  count = 0;
  missedCount = 0;
  minCpuNs = STATISTICS_MIN_UNSET;
  maxCpuNs = 0;
  totalCpuNs = 0;
  minWallNs = STATISTICS_MIN_UNSET;
  maxWallNs = 0;
  totalWallNs = 0;
  deleted = false;
  readonly watchdog: Watchdog;

  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    readonly owner: Thread,
    expire: (period: PeriodControl) => void,
  ) {
    this.watchdog = new Watchdog(() => expire(this));
  }
}

export class RateMonotonicManager {
  readonly table: ObjectTable<PeriodControl>;
  /** Every live period and the last MAX_DELETED_KEPT deleted ones, in creation order (statistics). */
  readonly all: PeriodControl[] = [];
  private deletedKept = 0;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<PeriodControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.PERIODS, score.config.maximumPeriods);
  }

  /**
   * _Rate_monotonic_Timeout: the period's end. An owner blocked on it starts the next period
   * (_Rate_monotonic_Restart) and runs; an owner still busy gets a postponed job and the
   * period goes on on its grid (_Rate_monotonic_Renew_deadline).
   */
  private expire(period: PeriodControl): void {
    const score = this.score;
    const owner = period.owner;
    if ((owner.state & STATES_WAITING_FOR_PERIOD) !== 0 && owner.waitPeriodId === period.id) {
      this.restart(period);
      score.release(owner, RtemsStatus.SUCCESSFUL);
    } else {
      // _Rate_monotonic_Renew_deadline: the job is postponed, its deadline kept for its release.
      if (period.postponedJobs < 0xffffffff) period.postponedJobs++;
      period.state = RateMonotonicState.EXPIRED;
      period.latestDeadline = this.arm(period);
    }
  }

  /** _Rate_monotonic_Restart: a new period starts now, for the statistics too. */
  private restart(period: PeriodControl): void {
    period.initiatedNs = this.score.env.now();
    period.initiatedCpuNs = this.score.cpuTimeUsed(period.owner);
    period.startTick = this.score.ticksSinceBoot;
    // _Rate_monotonic_Release_job: the owner's job is due at the period's end.
    this.score.releaseJob(period.owner, period, this.arm(period));
  }

  /**
   * The period's end: nextLength ticks from this tick (the grid, when called at an expiry);
   * returns that tick, the deadline (_Watchdog_Per_CPU_insert_ticks).
   */
  private arm(period: PeriodControl): number {
    const score = this.score;
    const deadline = score.ticksSinceBoot + period.nextLength;
    score.tickWatchdogs.insert(period.watchdog, deadline);
    return deadline;
  }

  /** _Rate_monotonic_Update_statistics: the job that ends now is counted, missed if the period is EXPIRED. */
  private conclude(period: PeriodControl): void {
    period.count++;
    if (period.state === RateMonotonicState.EXPIRED) period.missedCount++;
    const { wall, cpu } = this.sinceInitiated(period);
    period.totalCpuNs += cpu;
    period.minCpuNs = Math.min(period.minCpuNs, cpu);
    period.maxCpuNs = Math.max(period.maxCpuNs, cpu);
    period.totalWallNs += wall;
    period.minWallNs = Math.min(period.minWallNs, wall);
    period.maxWallNs = Math.max(period.maxWallNs, wall);
  }

  /** _Rate_monotonic_Get_status: wall and CPU time of the owner since the period was initiated. */
  private sinceInitiated(period: PeriodControl): { wall: number; cpu: number } {
    return { wall: this.score.env.now() - period.initiatedNs, cpu: this.score.cpuTimeUsed(period.owner) - period.initiatedCpuNs };
  }

  /** rtems_rate_monotonic_create: the caller owns the period. */
  create(name: unknown): IdResult {
    const score = this.score;
    return score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      const owner = score.current;
      const period = this.table.allocate((id) => new PeriodControl(id, packed, owner, (p) => this.expire(p)));
      if (period === undefined) return { status: RtemsStatus.TOO_MANY, id: 0 };
      this.all.push(period);
      return { status: RtemsStatus.SUCCESSFUL, id: period.id };
    });
  }

  /** rtems_rate_monotonic_period; RTEMS_PERIOD_STATUS (0) only reports the state. */
  *period(id: unknown, length: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const ticks = bits32(length);
    let blocked = false;
    let missed: PeriodControl | undefined;
    const status = score.directive((): RtemsStatus => {
      const period = this.table.get(id);
      if (period === undefined) return RtemsStatus.INVALID_ID;
      if (period.owner !== score.executing) return RtemsStatus.NOT_OWNER_OF_RESOURCE;
      if (ticks === RTEMS_PERIOD_STATUS) {
        switch (period.state) {
          case RateMonotonicState.INACTIVE:
            return RtemsStatus.NOT_DEFINED;
          case RateMonotonicState.EXPIRED:
            return RtemsStatus.TIMEOUT;
          case RateMonotonicState.ACTIVE:
            return RtemsStatus.SUCCESSFUL;
        }
      }
      if (!score.canBlock) return RtemsStatus.CALLED_FROM_ISR;
      if (period.state === RateMonotonicState.INACTIVE) {
        // _Rate_monotonic_Activate.
        period.state = RateMonotonicState.ACTIVE;
        period.nextLength = ticks;
        this.restart(period);
        return RtemsStatus.SUCCESSFUL;
      }
      if (period.state === RateMonotonicState.ACTIVE && period.postponedJobs === 0) {
        // _Rate_monotonic_Block_while_active: the job was in time; wait for the period's end.
        this.conclude(period);
        period.nextLength = ticks;
        period.owner.waitPeriodId = period.id;
        score.block(period.owner, STATES_WAITING_FOR_PERIOD, undefined, 0);
        blocked = true;
        return RtemsStatus.SUCCESSFUL;
      }
      // _Rate_monotonic_Block_while_expired: the job that ends now missed its deadline (the
      // period ran out while it worked); the postponed job is released at once, on the grid.
      period.state = RateMonotonicState.EXPIRED;
      this.conclude(period);
      period.state = RateMonotonicState.ACTIVE;
      period.nextLength = ticks;
      // _Rate_monotonic_Release_postponed_job: the next job, with the deadline the timeout gave it.
      period.postponedJobs--;
      score.releaseJob(period.owner, period, period.latestDeadline);
      score.deadlineMisses++;
      missed = period;
      return RtemsStatus.TIMEOUT;
    });
    if (missed !== undefined) {
      score.record('deadline.miss', { period: missed.id, name: nameToString(missed.name), owner: missed.owner.id, missed: missed.missedCount });
      score.env.bsp.deadlineMissed?.(missed.id);
    }
    yield* score.dispatchPoint();
    return blocked ? score.current.waitStatus : status;
  }

  /** rtems_rate_monotonic_cancel: only the owner may cancel; the period becomes inactive. */
  cancel(id: unknown): RtemsStatus {
    const score = this.score;
    return score.directive((): RtemsStatus => {
      const period = this.table.get(id);
      if (period === undefined) return RtemsStatus.INVALID_ID;
      if (period.owner !== score.executing) return RtemsStatus.NOT_OWNER_OF_RESOURCE;
      // _Rate_monotonic_Cancel: no period, no postponed jobs.
      period.watchdog.cancel();
      period.state = RateMonotonicState.INACTIVE;
      period.postponedJobs = 0;
      score.cancelJob(period.owner, period);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_rate_monotonic_delete. An owner blocked on the period (possible only when
   * another task deletes it) is released with RTEMS_OBJECT_WAS_DELETED rather than
   * left blocked forever.
   */
  *delete(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const period = this.table.get(id);
      if (period === undefined) return RtemsStatus.INVALID_ID;
      period.watchdog.cancel();
      const owner = period.owner;
      // rtems_rate_monotonic_delete cancels the period first (_Rate_monotonic_Cancel): its job too.
      score.cancelJob(owner, period);
      if ((owner.state & STATES_WAITING_FOR_PERIOD) !== 0 && owner.waitPeriodId === period.id) score.release(owner, RtemsStatus.OBJECT_WAS_DELETED);
      period.state = RateMonotonicState.INACTIVE;
      period.deleted = true;
      this.table.release(period);
      if (++this.deletedKept > MAX_DELETED_KEPT) {
        this.all.splice(this.all.findIndex((p) => p.deleted), 1);
        this.deletedKept--;
      }
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /**
   * rtems_rate_monotonic_get_status (ratemongetstatus.c): owner, state, postponed jobs, and
   * the wall and CPU time since the period was initiated (zero while inactive); with this
   * executive's statistics counters and the ticks since the period started.
   */
  getStatus(id: unknown): PeriodStatusResult {
    const score = this.score;
    return score.directive((): PeriodStatusResult => {
      const period = this.table.get(id);
      if (period === undefined) return { status: RtemsStatus.INVALID_ID, periodStatus: undefined };
      const inactive = period.state === RateMonotonicState.INACTIVE;
      const since = inactive ? { wall: 0, cpu: 0 } : this.sinceInitiated(period);
      return {
        status: RtemsStatus.SUCCESSFUL,
        periodStatus: {
          owner: period.owner.id,
          state: period.state,
          count: period.count,
          missedCount: period.missedCount,
          ticksSinceLastPeriod: inactive ? 0 : score.ticksSinceBoot - period.startTick,
          postponedJobs: period.postponedJobs,
          sinceLastPeriodNs: since.wall,
          executedSinceLastPeriodNs: since.cpu,
        },
      };
    });
  }

  /** rtems_rate_monotonic_get_statistics (ratemongetstatistics.c): INVALID_ID; the counters and times as kept. */
  getStatistics(id: unknown): RateMonotonicStatisticsResult {
    return this.score.directive((): RateMonotonicStatisticsResult => {
      const period = this.table.get(id);
      if (period === undefined) return { status: RtemsStatus.INVALID_ID, statistics: undefined };
      return { status: RtemsStatus.SUCCESSFUL, statistics: statisticsOf(period) };
    });
  }

  /** rtems_rate_monotonic_reset_statistics: INVALID_ID; counters and times back to their initial values. */
  resetStatistics(id: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const period = this.table.get(id);
      if (period === undefined) return RtemsStatus.INVALID_ID;
      resetStatistics(period);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_rate_monotonic_reset_all_statistics: every live period's. */
  resetAllStatistics(): void {
    this.score.directive(() => {
      for (const period of this.all) if (!period.deleted) resetStatistics(period);
    });
  }

  /**
   * The lines rtems_rate_monotonic_report_statistics prints (ratemonreportstatistics.c, with
   * nanosecond statistics: times in seconds with microseconds), for every live period in id
   * order; a period with no concluded job shows its counts only.
   */
  reportLines(): string[] {
    const lines = [
      'Period information by period\n',
      '--- CPU times are in seconds ---\n',
      '--- Wall times are in seconds ---\n',
      '   ID     OWNER COUNT MISSED          CPU TIME                  WALL TIME\n',
      '                                    MIN/MAX/AVG                MIN/MAX/AVG\n',
    ];
    const live = this.all.filter((period) => !period.deleted).sort((a, b) => a.id - b.id);
    for (const period of live) {
      const head = `0x${period.id.toString(16).padStart(8, '0')} ${nameToString(period.owner.name).padStart(4)} ${String(period.count).padStart(5)} ${String(period.missedCount).padStart(6)} `;
      if (period.count === 0) {
        lines.push(`${head}\n`);
        continue;
      }
      const cpu = [period.minCpuNs, period.maxCpuNs, Math.floor(period.totalCpuNs / period.count)].map(seconds).join('/');
      const wall = [period.minWallNs, period.maxWallNs, Math.floor(period.totalWallNs / period.count)].map(seconds).join('/');
      lines.push(`${head}${cpu} ${wall}\n`);
    }
    return lines;
  }

  /** rtems_rate_monotonic_ident. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }
}

/** A time in ns as the report prints it: seconds, then microseconds in six digits (NANOSECONDS_DIVIDER 1000). */
function seconds(ns: number): string {
  return `${Math.floor(ns / 1e9)}.${String(Math.floor((ns % 1e9) / 1000)).padStart(6, '0')}`;
}

function statisticsOf(period: PeriodControl): RateMonotonicStatistics {
  return {
    count: period.count,
    missedCount: period.missedCount,
    minCpuTimeNs: period.minCpuNs,
    maxCpuTimeNs: period.maxCpuNs,
    totalCpuTimeNs: period.totalCpuNs,
    minWallTimeNs: period.minWallNs,
    maxWallTimeNs: period.maxWallNs,
    totalWallTimeNs: period.totalWallNs,
  };
}

/** _Rate_monotonic_Reset_statistics: zeros, and the minimums at their largest value. */
function resetStatistics(period: PeriodControl): void {
  period.count = 0;
  period.missedCount = 0;
  period.minCpuNs = STATISTICS_MIN_UNSET;
  period.maxCpuNs = 0;
  period.totalCpuNs = 0;
  period.minWallNs = STATISTICS_MIN_UNSET;
  period.maxWallNs = 0;
  period.totalWallNs = 0;
}
