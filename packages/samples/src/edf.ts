/**
 * edf: deadlines as priorities (RTEMS C User's Guide, "Scheduling Concepts: Earliest
 * Deadline First Scheduler" and "Constant Bandwidth Server Scheduler"; Classic API Guide,
 * Rate Monotonic Manager and "Constant Bandwidth Server Scheduler API"), under
 * `scheduler: 'cbs'` (CONFIGURE_SCHEDULER_CBS: EDF plus the servers).
 *
 * Part 1, EDF. A (period 6 ticks, 3 ticks of work per job) and B (period 9, 4 ticks) are
 * released together at t = 0 (an automatic-release barrier: both have started their
 * periods in the same tick) and run two hyperperiods (36 ticks). Their utilization is
 * 3/6 + 4/9 = 17/18 = 0.944, above the rate-monotonic bound for two tasks, 2 (sqrt(2) - 1)
 * = 0.828 (Liu and Layland), and no fixed priority order meets every deadline - worked out
 * by hand, not run here (one application has one scheduler):
 *  - A above B (rate monotonic): A runs 0-3, B 3-6, A's second job preempts B at 6 and runs
 *    6-9, B ends its first job at 10, after its deadline 9;
 *  - B above A: B runs 0-4, A ends its first job at 7, after its deadline 6.
 * Under EDF a job's priority is its deadline: at t = 6 A's second job (deadline 12) does not
 * preempt B (deadline 9), and every job ends before its deadline: A 0-3, B 3-7, A 7-10,
 * B 10-14, A 14-17, idle 17-18, and the same again. rtems_rate_monotonic_period never
 * returns RTEMS_TIMEOUT. rtems_task_get_priority answers a task's background priority
 * (its Classic priority) when it has no job, and its job's deadline in ticks since boot
 * when it has one (_Scheduler_EDF_Unmap_priority); the deadline stays while the task waits,
 * until the next release replaces it or the period is deleted.
 *
 * Part 2, CBS. A server (created with deadline 6 and budget 2, then set to 8 and 3) gets C
 * (priority 4, period 8). C's first job, released inside its first
 * rtems_rate_monotonic_period call, runs by its deadline (the period's end, t0+8) with a
 * budget of 3 ticks. It works 3 ticks, and the tick that takes the last one is the
 * overrun: the job is cancelled - C goes on at its background priority - and the server's
 * callback runs, in the clock tick's interrupt. Its second job is released at t = 8 while C
 * is blocked in rtems_rate_monotonic_period, and there RTEMS 6 has the quirk cpukit's
 * README documents ("EDF and CBS schedulers"): when C unblocks, the late unblock rule of
 * _Scheduler_CBS_Unblock cancels the job if deadline * budget_left > budget * deadline_left,
 * with the server's deadline and budget, deadline_left the budget the job has left and
 * budget_left the job's mapped priority (twice its deadline in ticks since boot) less the
 * ticks since boot - the left side grows with the ticks since boot, so the rule holds for
 * practically every job, and a periodic task attached to a server runs every job after its
 * first in the background (a job released in an expired period, inside the call, keeps its
 * deadline: the task does not unblock). Here
 * Init (priority 1, configured preemptible - confdefs' default is RTEMS_NO_PREEMPT - and
 * without a job) computes from t = 6 to t = 10. With its deadline (t0+16) C's second job
 * would have preempted Init at t = 8; without it, C (priority 4) waits for Init and runs
 * its job at 10, the server still counting its budget. Then Init reads the budget and the
 * execution time back, detaches C, destroys the server, and cleans up two more.
 *
 * As RTEMS 6 does it: cpukit/rtems/src/ratemonperiod.c (_Rate_monotonic_Release_job: the
 * period's watchdog armed for the next length, the job released with the period's end as
 * deadline; a call in an expired period returns RTEMS_TIMEOUT), ratemontimeout.c
 * (_Rate_monotonic_Timeout: the next job released first, then its owner unblocked - which
 * is where CBS's late unblock rule sees the new job), score/src/
 * scheduleredfreleasejob.c (_Scheduler_EDF_Release_job, _Cancel_job, _Map_priority and
 * _Unmap_priority: SCHEDULER_EDF_PRIO_MSB marks background priorities),
 * scheduleredfunblock.c and scheduleredfchangepriority.c (_Scheduler_EDF_Unblock,
 * _Update_priority: the earliest deadline first, FIFO among equal ones),
 * schedulercbsreleasejob.c (_Scheduler_CBS_Release_job: a job of an attached task gets the
 * server's budget; _Scheduler_CBS_Cancel_job), schedulercbs.c (_Scheduler_CBS_Budget_at_tick:
 * an attached task, preemptible, ready and executing at a tick, uses one tick of budget;
 * the tick that takes the last calls _Scheduler_CBS_Budget_callout, which cancels the job,
 * then calls the callback with the server id), schedulercbsunblock.c (the late unblock
 * rule), and the directives' schedulercbscreateserver.c, schedulercbsattachthread.c,
 * schedulercbsdetachthread.c, schedulercbsdestroyserver.c, schedulercbsgetserverid.c,
 * schedulercbsgetparameters.c, schedulercbssetparameters.c,
 * schedulercbsgetexecutiontime.c, schedulercbsgetremainingbudget.c,
 * schedulercbsgetapprovedbudget.c and schedulercbscleanup.c. The executive's are cpukit's
 * src/internal/schedulerPolicy.ts, score.ts and cbsManager.ts.
 *
 * Work is computing measured on the clock, as in `periodic`: a job computes until the tick
 * count says its ticks have passed since it started; no job is preempted in these
 * schedules, so that is also the processor time it gets. The timed parts print nothing (a
 * line on the pc386's polled 9600-baud console takes about a millisecond a character,
 * longer than a tick, and would move the schedule): the tasks record what they see - ticks
 * counted from the part's first tick t0 (t=n), deadlines as t0+n (t0 itself, in ticks since
 * boot, depends on how long the BSP took to boot) - and Init prints the records once the
 * part is over. The screen depends on the guest's tick count only, so it is the same at any
 * clock tick, on bare metal and in a partition, on both processors - as long as the guest's
 * clock advances one tick at a time. A partition kept from the processor for a whole tick
 * or more sees its clock catch up several ticks at once when its window opens, time its
 * jobs lose: with 1 ms ticks in 1 ms windows of every 2 ms, or 10 ms ticks in 50 ms windows
 * of every 100 ms, A and B miss deadlines. Shorter gaps (1 ms windows of every 2 ms at the
 * default 10 ms tick) change nothing: the work is measured on the clock.
 */
import {
  type Application,
  type CbsStatus,
  RTEMS_BARRIER_AUTOMATIC_RELEASE,
  RTEMS_CBS_ERROR_FULL,
  RTEMS_CBS_ERROR_INVALID_PARAMETER,
  RTEMS_CBS_ERROR_NOSERVER,
  RTEMS_CBS_OK,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_EVENT_0,
  RTEMS_EVENT_1,
  RTEMS_EVENT_2,
  RTEMS_EVENT_ALL,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_PREEMPT,
  RTEMS_SELF,
  RTEMS_WAIT,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
  rtemsStatusText,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'EDF';
/** Compute step between two looks at the clock (well under a tick at 1 ms on either processor). */
const COMPUTE_STEP = 5_000;

interface PeriodicTask {
  readonly name: 'A' | 'B';
  readonly priority: number;
  readonly period: number;
  readonly work: number;
  /** The event it sends Init when its part is over. */
  readonly done: number;
}

const A: PeriodicTask = { name: 'A', priority: 2, period: 6, work: 3, done: RTEMS_EVENT_0 };
const B: PeriodicTask = { name: 'B', priority: 3, period: 9, work: 4, done: RTEMS_EVENT_1 };
const HYPERPERIOD = 18;
const HYPERPERIODS = 2;

/** C: the task attached to a CBS server. */
const C = { name: 'C', priority: 4, period: 8, done: RTEMS_EVENT_2 } as const;
/** The server's parameters at creation, and after rtems_cbs_set_parameters. */
const FIRST_PARAMETERS = { deadline: 6, budget: 2 } as const;
const SERVER_PARAMETERS = { deadline: 8, budget: 3 } as const;
/** Ticks of work of C's two jobs: the first uses its whole budget. */
const C_WORK = [3, 1] as const;
/** Init's own computing in part 2, from and until these ticks. */
const INIT_LOAD = { from: 6, until: 10 } as const;
/** Init's priority (CONFIGURE_INIT_TASK_PRIORITY's default). */
const INIT_PRIORITY = 1;

interface Shared {
  /** The scheduler's id (rtems_task_get_scheduler). */
  readonly scheduler: number;
  /** The first tick of the current part, in ticks since boot. */
  t0: number;
  /** What the tasks saw during the timed part, printed by Init afterwards. */
  readonly log: string[];
  /** A's and B's rtems_rate_monotonic_period calls: all of them, and those that returned RTEMS_TIMEOUT. */
  periodCalls: number;
  timeouts: number;
  readonly periods: Record<'A' | 'B', number>;
  readonly init: number;
  barrier: number;
  server: number;
  /** C's id. */
  c: number;
}

function check(rtems: Rtems, status: RtemsStatus): void {
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
}

/** A tick of the current part, right-aligned in two columns. */
function t(shared: Shared, ticks: number): string {
  return `t=${String(ticks - shared.t0).padStart(2)}`;
}

/** The current tick of the part (ticks since its first). */
function now(rtems: Rtems, shared: Shared): number {
  return rtems.clockGetTicksSinceBoot() - shared.t0;
}

/**
 * rtems_task_get_priority of a task whose Classic (background) priority is `background`:
 * that priority as it is, a job's deadline as t0+n.
 */
function priorityText(rtems: Rtems, shared: Shared, id: number, background: number): string {
  const { status, priority } = rtems.taskGetPriority(id, shared.scheduler);
  check(rtems, status);
  return priority === background ? `${priority}` : `t0+${priority - shared.t0}`;
}

const CBS_STATUS: Readonly<Record<number, string>> = {
  [RTEMS_CBS_OK]: 'RTEMS_CBS_OK',
  [RTEMS_CBS_ERROR_INVALID_PARAMETER]: 'RTEMS_CBS_ERROR_INVALID_PARAMETER',
  [RTEMS_CBS_ERROR_NOSERVER]: 'RTEMS_CBS_ERROR_NOSERVER',
  [RTEMS_CBS_ERROR_FULL]: 'RTEMS_CBS_ERROR_FULL',
};

/** A CBS return code by its name (and its int). */
function cbsText(status: CbsStatus): string {
  return `${CBS_STATUS[status] ?? 'RTEMS_CBS_ERROR_?'} (${status})`;
}

function cbsCheck(rtems: Rtems, status: CbsStatus): void {
  if (status !== RTEMS_CBS_OK) rtems.fatalErrorOccurred(RtemsStatus.INTERNAL_ERROR);
}

/** Computes until `ticks` ticks have passed since tick `start` (ticks since boot). */
function* work(rtems: Rtems, start: number, ticks: number): Generator<number, void, unknown> {
  while (rtems.clockGetTicksSinceBoot() < start + ticks) yield rtems.compute(COMPUTE_STEP);
}

/** Prints the part's records and forgets them. */
function printLog(rtems: Rtems, shared: Shared): void {
  for (const line of shared.log) rtems.printf('%s\n', line);
  shared.log.length = 0;
}

/** A and B: wait for the other at the barrier, then `jobs` jobs, then one more period call to conclude the last. */
function periodicBody(shared: Shared, task: PeriodicTask): TaskEntry {
  const jobs = (HYPERPERIOD * HYPERPERIODS) / task.period;
  return function* (rtems) {
    const { status: created, id } = rtems.rateMonotonicCreate(task.name);
    check(rtems, created);
    shared.periods[task.name] = id;
    // The first call starts the period and releases the first job (deadline t0 + period).
    let status = yield* rtems.rateMonotonicPeriod(id, task.period);
    shared.periodCalls++;
    check(rtems, yield* rtems.barrierWait(shared.barrier, RTEMS_NO_TIMEOUT));
    for (let n = 1; n <= jobs; n++) {
      const start = rtems.clockGetTicksSinceBoot();
      // The job's deadline, t0+n while it runs; it was released one period before.
      const { priority } = rtems.taskGetPriority(RTEMS_SELF, shared.scheduler);
      const released = priority - task.period;
      yield* work(rtems, start, task.work);
      shared.log.push(`${t(shared, start)}..${String(now(rtems, shared)).padEnd(2)} ${task.name} job ${n} (released ${t(shared, released)}): ${rtemsStatusText(status)}, priority ${priorityText(rtems, shared, RTEMS_SELF, task.priority)}`);
      status = yield* rtems.rateMonotonicPeriod(id, task.period);
      shared.periodCalls++;
      if (status === RtemsStatus.TIMEOUT) shared.timeouts++;
      if (status !== RtemsStatus.SUCCESSFUL) {
        shared.log.push(`${t(shared, rtems.clockGetTicksSinceBoot())} ${task.name}: rtems_rate_monotonic_period returned ${rtemsStatusText(status)}`);
      }
    }
    shared.log.push(`${t(shared, rtems.clockGetTicksSinceBoot())} ${task.name}: period ${jobs + 1} begins (${rtemsStatusText(status)}), priority ${priorityText(rtems, shared, RTEMS_SELF, task.priority)}; tells Init and suspends itself`);
    check(rtems, yield* rtems.eventSend(shared.init, task.done));
    check(rtems, yield* rtems.taskSuspend(RTEMS_SELF));
  };
}

/** C: two jobs under its server, the first using its whole budget. */
function serverBody(shared: Shared): TaskEntry {
  return function* (rtems) {
    const budget = (): string => {
      const remaining = rtems.cbsGetRemainingBudget(shared.server);
      const executed = rtems.cbsGetExecutionTime(shared.server);
      cbsCheck(rtems, remaining.status);
      cbsCheck(rtems, executed.status);
      return `remaining budget ${remaining.remainingBudget}, execution time ${executed.executionTime}`;
    };
    const { status: created, id } = rtems.rateMonotonicCreate(C.name);
    check(rtems, created);
    for (const [index, ticks] of C_WORK.entries()) {
      const status = yield* rtems.rateMonotonicPeriod(id, C.period);
      const start = rtems.clockGetTicksSinceBoot();
      const periodStart = index * C.period;
      shared.log.push(`${t(shared, start)} C job ${index + 1} (period from t=${String(periodStart).padStart(2)}): ${rtemsStatusText(status)}, priority ${priorityText(rtems, shared, RTEMS_SELF, C.priority)}, ${budget()}`);
      yield* work(rtems, start, ticks);
      shared.log.push(`${t(shared, rtems.clockGetTicksSinceBoot())} C job ${index + 1} done after ${ticks} tick${ticks === 1 ? '' : 's'}: priority ${priorityText(rtems, shared, RTEMS_SELF, C.priority)}, ${budget()}`);
    }
    check(rtems, yield* rtems.rateMonotonicDelete(id));
    check(rtems, yield* rtems.eventSend(shared.init, C.done));
    check(rtems, yield* rtems.taskSuspend(RTEMS_SELF));
  };
}

function createTask(rtems: Rtems, name: string, priority: number): number {
  const { status, id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  check(rtems, status);
  return id;
}

/** Waits for the next tick: the part starts at a tick's beginning. */
function* alignToTick(rtems: Rtems): Generator<number, number, unknown> {
  check(rtems, yield* rtems.taskWakeAfter(1));
  return rtems.clockGetTicksSinceBoot();
}

function* edfPart(rtems: Rtems, shared: Shared): Generator<number, void, unknown> {
  rtems.printf('EDF: A period %u, %u ticks of work; B period %u, %u ticks of work\n', A.period, A.work, B.period, B.work);
  rtems.printf('EDF: U = 3/6 + 4/9 = 17/18 = 0.944 > 2(sqrt(2) - 1) = 0.828, the rate-monotonic bound for two tasks\n');
  rtems.printf('EDF: fixed priorities, A above B: B\'s job 1 would end at t=10, after its deadline t=9\n');
  rtems.printf('EDF: fixed priorities, B above A: A\'s job 1 would end at t=7, after its deadline t=6\n');
  const barrier = rtems.barrierCreate('SYNC', RTEMS_BARRIER_AUTOMATIC_RELEASE, 2);
  check(rtems, barrier.status);
  shared.barrier = barrier.id;
  const ids = { A: createTask(rtems, 'A', A.priority), B: createTask(rtems, 'B', B.priority) };
  rtems.printf('EDF: priorities before the periods: A %s, B %s; %u ticks follow, printed after\n', priorityText(rtems, shared, ids.A, A.priority), priorityText(rtems, shared, ids.B, B.priority), HYPERPERIOD * HYPERPERIODS);

  shared.t0 = yield* alignToTick(rtems);
  for (const task of [A, B]) check(rtems, yield* rtems.taskStart(ids[task.name], periodicBody(shared, task), 0));
  check(rtems, (yield* rtems.eventReceive(A.done | B.done, RTEMS_WAIT | RTEMS_EVENT_ALL, RTEMS_NO_TIMEOUT)).status);
  printLog(rtems, shared);

  for (const task of [A, B]) {
    const { periodStatus } = rtems.rateMonotonicGetStatus(shared.periods[task.name]);
    rtems.printf('%s: rtems_rate_monotonic_get_status: %u periods, %u missed; priority %s while it is suspended\n', task.name, periodStatus?.count ?? 0, periodStatus?.missedCount ?? 0, priorityText(rtems, shared, ids[task.name], task.priority));
  }
  rtems.printf('EDF: %u rtems_rate_monotonic_period calls, %u returned RTEMS_TIMEOUT\n', shared.periodCalls, shared.timeouts);
  for (const task of [A, B]) {
    check(rtems, yield* rtems.rateMonotonicDelete(shared.periods[task.name]));
    rtems.printf('%s: period deleted, priority %s\n', task.name, priorityText(rtems, shared, ids[task.name], task.priority));
    check(rtems, yield* rtems.taskDelete(ids[task.name]));
  }
  check(rtems, yield* rtems.barrierDelete(shared.barrier));
}

function* cbsPart(rtems: Rtems, shared: Shared): Generator<number, void, unknown> {
  rtems.printf('CBS: rtems_cbs_initialize: %s\n', cbsText(rtems.cbsInitialize()));
  rtems.printf('CBS: rtems_cbs_create_server(deadline 6, budget 0): %s\n', cbsText(rtems.cbsCreateServer({ deadline: 6, budget: 0 }).status));
  const created = rtems.cbsCreateServer(FIRST_PARAMETERS, (isr, serverId) => {
    shared.log.push(`${t(shared, isr.clockGetTicksSinceBoot())} overrun callback: server ${serverId}, in an interrupt: ${isr.interruptIsInProgress() ? 'yes' : 'no'}; C's priority ${priorityText(isr, shared, shared.c, C.priority)}`);
  });
  cbsCheck(rtems, created.status);
  shared.server = created.serverId;
  const parameters = (): string => {
    const { status, parameters: p } = rtems.cbsGetParameters(shared.server);
    cbsCheck(rtems, status);
    return `deadline ${p!.deadline}, budget ${p!.budget}`;
  };
  rtems.printf('CBS: rtems_cbs_create_server(deadline 6, budget 2, overrun callback): %s, server %u\n', cbsText(created.status), shared.server);
  rtems.printf('CBS: rtems_cbs_get_parameters: %s\n', parameters());
  rtems.printf('CBS: rtems_cbs_set_parameters(deadline 8, budget 0): %s\n', cbsText(rtems.cbsSetParameters(shared.server, { deadline: 8, budget: 0 })));
  rtems.printf('CBS: rtems_cbs_set_parameters(deadline 8, budget 3): %s\n', cbsText(rtems.cbsSetParameters(shared.server, SERVER_PARAMETERS)));
  rtems.printf('CBS: rtems_cbs_get_parameters: %s\n', parameters());
  const approved = rtems.cbsGetApprovedBudget(shared.server);
  rtems.printf('CBS: rtems_cbs_get_approved_budget: %s, %u\n', cbsText(approved.status), approved.approvedBudget);

  const c = createTask(rtems, C.name, C.priority);
  shared.c = c;
  rtems.printf('CBS: rtems_cbs_attach_thread(server %u, C): %s\n', shared.server, cbsText(rtems.cbsAttachThread(shared.server, c)));
  rtems.printf('CBS: rtems_cbs_attach_thread(server %u, Init): %s (the server has a task)\n', shared.server, cbsText(rtems.cbsAttachThread(shared.server, shared.init)));
  const serverOfC = rtems.cbsGetServerId(c);
  rtems.printf('CBS: rtems_cbs_get_server_id(C): %s, server %u\n', cbsText(serverOfC.status), serverOfC.serverId);
  rtems.printf('CBS: C period %u; Init computes from t=%u to t=%u; printed after\n', C.period, INIT_LOAD.from, INIT_LOAD.until);

  shared.t0 = yield* alignToTick(rtems);
  check(rtems, yield* rtems.taskStart(c, serverBody(shared), 0));
  check(rtems, yield* rtems.taskWakeAfter(INIT_LOAD.from));
  const from = rtems.clockGetTicksSinceBoot();
  shared.log.push(`${t(shared, from)} Init computes until t=${INIT_LOAD.until}, priority ${priorityText(rtems, shared, RTEMS_SELF, INIT_PRIORITY)}`);
  yield* work(rtems, shared.t0, INIT_LOAD.until);
  shared.log.push(`${t(shared, rtems.clockGetTicksSinceBoot())} Init done, waits for C`);
  check(rtems, (yield* rtems.eventReceive(C.done, RTEMS_WAIT | RTEMS_EVENT_ALL, RTEMS_NO_TIMEOUT)).status);
  printLog(rtems, shared);

  const executed = rtems.cbsGetExecutionTime(shared.server);
  const remaining = rtems.cbsGetRemainingBudget(shared.server);
  const approvedNow = rtems.cbsGetApprovedBudget(shared.server);
  rtems.printf('CBS: rtems_cbs_get_execution_time: %s, %u\n', cbsText(executed.status), executed.executionTime);
  rtems.printf('CBS: rtems_cbs_get_remaining_budget: %s, %u\n', cbsText(remaining.status), remaining.remainingBudget);
  rtems.printf('CBS: rtems_cbs_get_approved_budget: %s, %u\n', cbsText(approvedNow.status), approvedNow.approvedBudget);
  rtems.printf('CBS: rtems_cbs_detach_thread(server %u, C): %s\n', shared.server, cbsText(rtems.cbsDetachThread(shared.server, c)));
  rtems.printf('CBS: rtems_cbs_get_server_id(C): %s\n', cbsText(rtems.cbsGetServerId(c).status));
  const alone = { executed: rtems.cbsGetExecutionTime(shared.server), remaining: rtems.cbsGetRemainingBudget(shared.server) };
  rtems.printf('CBS: without a task: execution time %u, remaining budget %u\n', alone.executed.executionTime, alone.remaining.remainingBudget);
  rtems.printf('CBS: rtems_cbs_destroy_server(%u): %s\n', shared.server, cbsText(rtems.cbsDestroyServer(shared.server)));
  rtems.printf('CBS: rtems_cbs_get_parameters(%u): %s\n', shared.server, cbsText(rtems.cbsGetParameters(shared.server).status));
  const more = [rtems.cbsCreateServer({ deadline: 10, budget: 1 }), rtems.cbsCreateServer({ deadline: 20, budget: 2 })];
  rtems.printf('CBS: two more servers: %s\n', more.map((r) => `${cbsText(r.status)} server ${r.serverId}`).join(', '));
  rtems.printf('CBS: rtems_cbs_cleanup: %s\n', cbsText(rtems.cbsCleanup()));
  rtems.printf('CBS: rtems_cbs_get_approved_budget after the cleanup: %s\n', more.map((r) => cbsText(rtems.cbsGetApprovedBudget(r.serverId).status)).join(', '));
}

export const edf: Application = {
  name: 'edf',
  description: 'EDF and CBS: two periodic tasks above the rate-monotonic bound meet every deadline; a CBS server\'s budget overrun and RTEMS 6\'s late unblock rule',
  configuration: {
    scheduler: 'cbs',
    cbsMaximumServers: 2,
    maximumTasks: 4,
    maximumPeriods: 3,
    maximumBarriers: 1,
    initTaskInitialModes: RTEMS_PREEMPT,
  },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    const shared: Shared = {
      scheduler: rtems.taskGetScheduler(RTEMS_SELF).id,
      t0: 0,
      log: [],
      periodCalls: 0,
      timeouts: 0,
      periods: { A: 0, B: 0 },
      init: rtems.taskSelf(),
      barrier: 0,
      server: 0,
      c: 0,
    };
    yield* edfPart(rtems, shared);
    yield* cbsPart(rtems, shared);
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  },
};
