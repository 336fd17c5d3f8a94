/**
 * Rate Monotonic Manager (RTEMS C User's Guide 4.10, "Rate Monotonic Manager"). A
 * period belongs to the task that created it. rtems_rate_monotonic_period:
 *  - on an inactive period starts it and returns at once;
 *  - on a running period blocks the owner for the rest of it, then starts the next;
 *  - on an expired period (the owner did not call in time: a deadline miss) starts a
 *    new period from now and returns RTEMS_TIMEOUT at once.
 * The miss is counted (missed_count of the period statistics), traced, and reported to
 * the BSP (BspHooks.deadlineMissed) for a kernel's health monitor.
 */
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { nameToString, packName } from '../objectName.js';
import { RTEMS_PERIOD_STATUS } from '../options.js';
import { RateMonotonicState } from '../rateMonotonicState.js';
import type { Directive, IdResult, PeriodStatusResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import { MAX_DELETED_KEPT, type Score } from './score.js';
import { STATES_WAITING_FOR_PERIOD, type Thread } from './thread.js';
import { Watchdog } from './watchdog.js';

export class PeriodControl {
  state = RateMonotonicState.INACTIVE;
  nextLength = 0;
  /** Tick at which the current period started. */
  startTick = 0;
  count = 0;
  missedCount = 0;
  deleted = false;
  readonly watchdog: Watchdog;

  constructor(
    readonly id: number,
    readonly name: number,
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

  /** _Rate_monotonic_Timeout: the period's end. */
  private expire(period: PeriodControl): void {
    const score = this.score;
    const owner = period.owner;
    if ((owner.state & STATES_WAITING_FOR_PERIOD) !== 0 && owner.waitPeriodId === period.id) {
      score.release(owner, RtemsStatus.SUCCESSFUL);
      this.start(period, period.nextLength);
    } else {
      period.state = RateMonotonicState.EXPIRED;
    }
  }

  private start(period: PeriodControl, length: number): void {
    const score = this.score;
    period.state = RateMonotonicState.ACTIVE;
    period.nextLength = length;
    period.startTick = score.ticksSinceBoot;
    score.tickWatchdogs.insert(period.watchdog, score.ticksSinceBoot + length);
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
      switch (period.state) {
        case RateMonotonicState.INACTIVE:
          this.start(period, ticks);
          return RtemsStatus.SUCCESSFUL;
        case RateMonotonicState.ACTIVE:
          period.count++;
          period.nextLength = ticks;
          period.owner.waitPeriodId = period.id;
          score.block(period.owner, STATES_WAITING_FOR_PERIOD, undefined, 0);
          blocked = true;
          return RtemsStatus.SUCCESSFUL;
        case RateMonotonicState.EXPIRED:
          period.count++;
          period.missedCount++;
          score.deadlineMisses++;
          this.start(period, ticks);
          missed = period;
          return RtemsStatus.TIMEOUT;
      }
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
      period.watchdog.cancel();
      period.state = RateMonotonicState.INACTIVE;
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

  /** rtems_rate_monotonic_get_status with the period's statistics counters. */
  getStatus(id: unknown): PeriodStatusResult {
    const score = this.score;
    return score.directive((): PeriodStatusResult => {
      const period = this.table.get(id);
      if (period === undefined) return { status: RtemsStatus.INVALID_ID, periodStatus: undefined };
      return {
        status: RtemsStatus.SUCCESSFUL,
        periodStatus: {
          owner: period.owner.id,
          state: period.state,
          count: period.count,
          missedCount: period.missedCount,
          ticksSinceLastPeriod: period.state === RateMonotonicState.INACTIVE ? 0 : score.ticksSinceBoot - period.startTick,
        },
      };
    });
  }

  /** rtems_rate_monotonic_ident. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }
}
