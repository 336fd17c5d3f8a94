/**
 * The Constant Bandwidth Server Scheduler API as RTEMS 6 implements it for one processor
 * (cpukit/include/rtems/cbs.h over cpukit/score/src/schedulercbs*.c; Classic API Guide,
 * "Constant Bandwidth Server Scheduler API").
 *
 * The servers are a fixed list of CONFIGURE_CBS_MAXIMUM_SERVERS entries
 * (_Scheduler_CBS_Server_list, confdefs/scheduler.h; the configuration's cbsMaximumServers,
 * maximumTasks when not set); a server id is an index in it. Each server has at most one
 * task. A task attached to a server becomes preemptible and its CPU budget is counted by
 * the CBS budget operations (Score.cbsBudgetAtTick) instead of its timeslice: each job a
 * rate-monotonic period releases gets the server's budget (_Scheduler_CBS_Release_job), and
 * the tick that uses the last of it cancels the job - the task goes on at its background
 * priority until its next release - and calls the server's budget overrun callback
 * (_Scheduler_CBS_Budget_callout). The job's deadline is the period's end, as in RTEMS 6
 * (the Guide's "the deadline of the server" is what older versions of
 * _Scheduler_CBS_Release_job did); the server's deadline is used by the late unblock rule
 * (Score.cbsLateUnblock).
 *
 * Under another scheduler the list is empty, as if no server were configured (C refuses to
 * compile <rtems/cbs.h> without CONFIGURE_SCHEDULER_CBS).
 */
import { type CbsApprovedBudgetResult, type CbsBudgetOverrun, type CbsExecutionTimeResult, type CbsParametersResult, type CbsRemainingBudgetResult, type CbsServerIdResult, type CbsStatus, RTEMS_CBS_ERROR_FULL, RTEMS_CBS_ERROR_INVALID_PARAMETER, RTEMS_CBS_ERROR_NOSERVER, RTEMS_CBS_OK } from '../cbs.js';
import { RTEMS_NO_PREEMPT, RTEMS_TIMESLICE } from '../modes.js';
import type { Score } from './score.js';
import type { TaskManager } from './taskManager.js';
import type { Thread } from './thread.js';

/** The task id of a server without a task: -1 in an rtems_id (server->task_id = -1). */
const NO_TASK = 0xffff_ffff;
/** SCHEDULER_EDF_PRIO_MSB: deadlines and budgets must be below it (a time_t always is in C). */
const PRIO_MSB = 2 ** 63;

/** Scheduler_CBS_Server. */
export interface CbsServer {
  readonly index: number;
  /** The attached task's id as attach_thread got it (RTEMS_SELF stays 0), NO_TASK when none. */
  taskId: number;
  /** parameters.deadline and parameters.budget, in ticks. */
  deadline: number;
  budget: number;
  /** cbs_budget_overrun (undefined: NULL). */
  overrun: CbsBudgetOverrun | undefined;
  initialized: boolean;
}

/** A server id argument: a Scheduler_CBS_Server_id is a uint32_t (anything else cannot index the list). */
function serverIndex(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff ? value : undefined;
}

/** The parameter check of _Scheduler_CBS_Create_server and _Set_parameters: 0 < budget, deadline < SCHEDULER_EDF_PRIO_MSB. */
function readParameters(params: unknown): { deadline: number; budget: number } | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { deadline, budget } = params as { deadline?: unknown; budget?: unknown };
  const valid = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0 && value < PRIO_MSB;
  return valid(deadline) && valid(budget) ? { deadline, budget } : undefined;
}

export class CbsManager {
  private readonly servers: CbsServer[];

  constructor(
    private readonly score: Score,
    private readonly tasks: TaskManager,
  ) {
    const config = score.config;
    const maximum = score.scheduler.algorithm === 'cbs' ? (config.cbsMaximumServers ?? config.maximumTasks) : 0;
    this.servers = Array.from({ length: maximum }, (_, index) => ({ index, taskId: NO_TASK, deadline: 0, budget: 0, overrun: undefined, initialized: false }));
    if (maximum > 0) score.hooks.cbsBudgetOverrun = (thread) => this.budgetCallout(thread);
  }

  /**
   * _Scheduler_CBS_Budget_callout (schedulercbs.c): the attached thread used up its budget.
   * Its job is cancelled (_Scheduler_CBS_Cancel_job of deadline_node: "Put violating task to
   * background until the end of period"), then the server's callback, if any, gets the
   * server id _Scheduler_CBS_Get_server_id finds for the server's task id.
   */
  private budgetCallout(thread: Thread): void {
    const score = this.score;
    const node = thread.cbsDeadlineNode;
    if (node !== undefined) score.cancelJob(thread, node);
    const server = thread.cbsServer;
    const overrun = server?.overrun;
    if (server === undefined || overrun === undefined) return;
    const serverId = this.getServerId(server.taskId).serverId;
    score.record('cbs.overrun', { server: serverId, task: thread.id });
    score.runRoutine(() => overrun(score.rtems!, serverId));
  }

  /** The server at `id`: INVALID_PARAMETER past the list (server_id >= _Scheduler_CBS_Maximum_servers), NOSERVER when not initialized. */
  private server(id: unknown): CbsServer | CbsStatus {
    const index = serverIndex(id);
    if (index === undefined || index >= this.servers.length) return RTEMS_CBS_ERROR_INVALID_PARAMETER;
    const server = this.servers[index]!;
    return server.initialized ? server : RTEMS_CBS_ERROR_NOSERVER;
  }

  /** rtems_cbs_initialize (_Scheduler_CBS_Initialize): always RTEMS_CBS_OK. */
  initialize(): CbsStatus {
    return RTEMS_CBS_OK;
  }

  /** rtems_cbs_cleanup (schedulercbscleanup.c): destroys every initialized server; always RTEMS_CBS_OK. */
  cleanup(): CbsStatus {
    return this.score.directive(() => {
      for (const server of this.servers) if (server.initialized) this.destroy(server.index);
      return RTEMS_CBS_OK;
    });
  }

  /**
   * rtems_cbs_create_server (schedulercbscreateserver.c): INVALID_PARAMETER for a budget or
   * deadline that is not positive, then FULL when every server is initialized; the first
   * free server gets the parameters and the callback, no task. A callback that is neither
   * a function nor undefined / null (NULL) is INVALID_PARAMETER too (after the parameters):
   * RTEMS would store it and call it.
   */
  createServer(params: unknown, budgetOverrun: unknown): CbsServerIdResult {
    return this.score.directive((): CbsServerIdResult => {
      const parameters = readParameters(params);
      if (parameters === undefined) return { status: RTEMS_CBS_ERROR_INVALID_PARAMETER, serverId: 0 };
      if (budgetOverrun !== undefined && budgetOverrun !== null && typeof budgetOverrun !== 'function') return { status: RTEMS_CBS_ERROR_INVALID_PARAMETER, serverId: 0 };
      const server = this.servers.find((s) => !s.initialized);
      if (server === undefined) return { status: RTEMS_CBS_ERROR_FULL, serverId: 0 };
      server.deadline = parameters.deadline;
      server.budget = parameters.budget;
      server.taskId = NO_TASK;
      server.overrun = typeof budgetOverrun === 'function' ? (budgetOverrun as CbsBudgetOverrun) : undefined;
      server.initialized = true;
      return { status: RTEMS_CBS_OK, serverId: server.index };
    });
  }

  /**
   * rtems_cbs_attach_thread (schedulercbsattachthread.c): INVALID_PARAMETER past the list,
   * NOSERVER, FULL when the server has a task, INVALID_PARAMETER for no such task, FULL when
   * the task is attached to another server. The task becomes preemptible (no dispatch here)
   * and its budget is counted by the server from its next job on.
   */
  attachThread(serverId: unknown, taskId: unknown): CbsStatus {
    return this.score.directive((): CbsStatus => {
      const server = this.server(serverId);
      if (typeof server === 'number') return server;
      if (server.taskId !== NO_TASK) return RTEMS_CBS_ERROR_FULL;
      const thread = this.tasks.lookup(taskId);
      if (thread === undefined) return RTEMS_CBS_ERROR_INVALID_PARAMETER;
      if (thread.cbsServer !== undefined) return RTEMS_CBS_ERROR_FULL;
      thread.cbsServer = server;
      server.taskId = taskId as number;
      thread.preemptible = true;
      thread.cbsBudgetCounted = true;
      return RTEMS_CBS_OK;
    });
  }

  /**
   * rtems_cbs_detach_thread (schedulercbsdetachthread.c): INVALID_PARAMETER past the list,
   * NOSERVER, INVALID_PARAMETER when `taskId` is not the id the server was attached with or
   * names no task. The task's preemptibility and CPU budget operations go back to those it
   * started with (Start.is_preemptible, Start.cpu_budget_operations: a timesliced task gets
   * a fresh timeslice); a released job keeps its deadline.
   */
  detachThread(serverId: unknown, taskId: unknown): CbsStatus {
    return this.score.directive(() => this.detach(serverId, taskId));
  }

  private detach(serverId: unknown, taskId: unknown): CbsStatus {
    const server = this.server(serverId);
    if (typeof server === 'number') return server;
    if (server.taskId !== taskId) return RTEMS_CBS_ERROR_INVALID_PARAMETER;
    const thread = this.tasks.lookup(taskId);
    if (thread === undefined) return RTEMS_CBS_ERROR_INVALID_PARAMETER;
    thread.cbsServer = undefined;
    server.taskId = NO_TASK;
    thread.preemptible = (thread.initialModes & RTEMS_NO_PREEMPT) === 0;
    thread.cbsBudgetCounted = false;
    thread.timeslice = (thread.initialModes & RTEMS_TIMESLICE) !== 0;
    if (thread.timeslice) thread.budget = this.score.config.ticksPerTimeslice;
    return RTEMS_CBS_OK;
  }

  /**
   * rtems_cbs_destroy_server (schedulercbsdestroyserver.c): INVALID_PARAMETER past the list,
   * NOSERVER; detaches its task (a detach that fails gives its status, the server is
   * destroyed anyway).
   */
  destroyServer(serverId: unknown): CbsStatus {
    return this.score.directive(() => this.destroy(serverId));
  }

  private destroy(serverId: unknown): CbsStatus {
    const server = this.server(serverId);
    if (typeof server === 'number') return server;
    let status: CbsStatus = RTEMS_CBS_OK;
    if (server.taskId !== NO_TASK) status = this.detach(serverId, server.taskId);
    server.initialized = false;
    return status;
  }

  /**
   * rtems_cbs_get_server_id (schedulercbsgetserverid.c): the first initialized server whose
   * task id is `taskId` as attach_thread got it (RTEMS_SELF is not resolved), NOSERVER
   * otherwise.
   */
  getServerId(taskId: unknown): CbsServerIdResult {
    const server = this.servers.find((s) => s.initialized && s.taskId === taskId);
    return server === undefined ? { status: RTEMS_CBS_ERROR_NOSERVER, serverId: 0 } : { status: RTEMS_CBS_OK, serverId: server.index };
  }

  /** rtems_cbs_get_parameters (schedulercbsgetparameters.c): INVALID_PARAMETER, NOSERVER; the server's parameters. */
  getParameters(serverId: unknown): CbsParametersResult {
    const server = this.server(serverId);
    if (typeof server === 'number') return { status: server, parameters: undefined };
    return { status: RTEMS_CBS_OK, parameters: { deadline: server.deadline, budget: server.budget } };
  }

  /**
   * rtems_cbs_set_parameters (schedulercbssetparameters.c): INVALID_PARAMETER past the list,
   * then INVALID_PARAMETER for bad parameters, then NOSERVER. The new budget counts from the
   * task's next job; the new deadline at its next unblock.
   */
  setParameters(serverId: unknown, params: unknown): CbsStatus {
    return this.score.directive((): CbsStatus => {
      const index = serverIndex(serverId);
      if (index === undefined || index >= this.servers.length) return RTEMS_CBS_ERROR_INVALID_PARAMETER;
      const parameters = readParameters(params);
      if (parameters === undefined) return RTEMS_CBS_ERROR_INVALID_PARAMETER;
      const server = this.servers[index]!;
      if (!server.initialized) return RTEMS_CBS_ERROR_NOSERVER;
      server.deadline = parameters.deadline;
      server.budget = parameters.budget;
      return RTEMS_CBS_OK;
    });
  }

  /**
   * rtems_cbs_get_execution_time (schedulercbsgetexecutiontime.c): INVALID_PARAMETER,
   * NOSERVER; 0 without a task, the budget when the task no longer exists, else the
   * server's budget less the budget the task has left (CPU_budget.available).
   */
  getExecutionTime(serverId: unknown): CbsExecutionTimeResult {
    return this.score.directive((): CbsExecutionTimeResult => {
      const server = this.server(serverId);
      if (typeof server === 'number') return { status: server, executionTime: 0 };
      if (server.taskId === NO_TASK) return { status: RTEMS_CBS_OK, executionTime: 0 };
      const thread = this.tasks.lookup(server.taskId);
      return { status: RTEMS_CBS_OK, executionTime: thread === undefined ? server.budget : server.budget - thread.cbsBudgetAvailable };
    });
  }

  /**
   * rtems_cbs_get_remaining_budget (schedulercbsgetremainingbudget.c): INVALID_PARAMETER,
   * NOSERVER; the server's budget without a task, 0 when the task no longer exists, else
   * the budget the task has left.
   */
  getRemainingBudget(serverId: unknown): CbsRemainingBudgetResult {
    return this.score.directive((): CbsRemainingBudgetResult => {
      const server = this.server(serverId);
      if (typeof server === 'number') return { status: server, remainingBudget: 0 };
      if (server.taskId === NO_TASK) return { status: RTEMS_CBS_OK, remainingBudget: server.budget };
      const thread = this.tasks.lookup(server.taskId);
      return { status: RTEMS_CBS_OK, remainingBudget: thread === undefined ? 0 : thread.cbsBudgetAvailable };
    });
  }

  /** rtems_cbs_get_approved_budget (schedulercbsgetapprovedbudget.c): INVALID_PARAMETER, NOSERVER; the server's budget. */
  getApprovedBudget(serverId: unknown): CbsApprovedBudgetResult {
    const server = this.server(serverId);
    if (typeof server === 'number') return { status: server, approvedBudget: 0 };
    return { status: RTEMS_CBS_OK, approvedBudget: server.budget };
  }
}
