/**
 * periodic: two rate-monotonic tasks (RTEMS C User's Guide, Rate Monotonic Manager).
 *  - GOOD (priority 2): a 100 ms period with 10 ms of work: meets every deadline;
 *  - LATE (priority 3): a 50 ms period with 80 ms of work: overruns every period, so
 *    each rtems_rate_monotonic_period after the first returns RTEMS_TIMEOUT and the
 *    period's missed count grows by one.
 * Work is computing measured on the clock (compute until the tick count says the work
 * time has passed), so the screen is the same at any processor speed and clock tick
 * that divides 10 ms. GOOD prints a summary after five periods and exits the application.
 *
 * Timeline (ms): GOOD starts its periods at 0, 100, 200, 300, 400 and ends at 500. LATE
 * starts at 10 (after GOOD's work) and calls again after each 80 ms: 90, 170, 250, 330,
 * 410, 490, each time too late.
 */
import {
  type Application,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_SELF,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
  rtemsStatusText,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'PERIODIC';
/** Periods of GOOD before the summary. */
const GOOD_PERIODS = 5;
/** Compute step between two looks at the clock. */
const COMPUTE_STEP = 10_000;

interface PeriodicTask {
  readonly name: string;
  readonly priority: number;
  readonly periodMs: number;
  readonly workMs: number;
}

const GOOD: PeriodicTask = { name: 'GOOD', priority: 2, periodMs: 100, workMs: 10 };
const LATE: PeriodicTask = { name: 'LATE', priority: 3, periodMs: 50, workMs: 80 };

function ticks(rtems: Rtems, ms: number): number {
  return Math.max(1, Math.round((ms * rtems.clockGetTicksPerSecond()) / 1000));
}

/** Computes until `ms` of clock time have passed since `startTick`. */
function* work(rtems: Rtems, startTick: number, ms: number): Generator<number, void, unknown> {
  const until = startTick + ticks(rtems, ms);
  while (rtems.clockGetTicksSinceBoot() < until) yield rtems.compute(COMPUTE_STEP);
}

function missed(rtems: Rtems, period: number): number {
  return rtems.rateMonotonicGetStatus(period).periodStatus?.missedCount ?? 0;
}

function periodicBody(task: PeriodicTask, periods: number): TaskEntry {
  return function* (rtems) {
    const { status, id } = rtems.rateMonotonicCreate(task.name);
    if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
    for (let n = 1; ; n++) {
      const result = yield* rtems.rateMonotonicPeriod(id, ticks(rtems, task.periodMs));
      const start = rtems.clockGetTicksSinceBoot();
      if (n > periods) break;
      rtems.printf('%s period %d: %s, deadlines missed: %d\n', task.name, n, rtemsStatusText(result), missed(rtems, id));
      yield* work(rtems, start, task.workMs);
    }
    for (const other of [GOOD, LATE]) {
      const period = rtems.rateMonotonicIdent(other.name).id;
      const { periodStatus } = rtems.rateMonotonicGetStatus(period);
      rtems.printf('%s: %d periods, %d deadlines missed\n', other.name, periodStatus?.count ?? 0, periodStatus?.missedCount ?? 0);
    }
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  };
}

export const periodic: Application = {
  name: 'periodic',
  description: 'Two rate-monotonic tasks: one meets its deadlines, one overruns and misses every deadline',
  configuration: { maximumTasks: 3, maximumPeriods: 2 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    for (const task of [GOOD, LATE]) {
      rtems.printf('%s: period %d ms, computes %d ms per period\n', task.name, task.periodMs, task.workMs);
    }
    for (const task of [GOOD, LATE]) {
      const created = rtems.taskCreate(task.name, task.priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      if (created.status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(created.status);
      const started = yield* rtems.taskStart(created.id, periodicBody(task, task === GOOD ? GOOD_PERIODS : Number.POSITIVE_INFINITY), 0);
      if (started !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(started);
    }
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
