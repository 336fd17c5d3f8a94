/**
 * The score: the architecture-neutral core of the executive (RTEMS cpukit/score).
 * Thread states, the Deterministic Priority Scheduler, thread queues with priority
 * inheritance and ceilings, the watchdogs and clock tick, the ISR nesting and thread
 * dispatch disable levels, dispatching, and termination. The Classic API managers are
 * built on it; the Executive drives it as a machine Workload.
 *
 * Scheduler (RTEMS C User's Guide, "Scheduling Concepts: Deterministic Priority
 * Scheduler"): one FIFO ready chain per priority 1..255; the heir is the first thread
 * of the most important non-empty chain. A thread made ready goes to the tail of its
 * chain; a preemptible executing thread is preempted as soon as the heir differs
 * (deferred to ISR exit, and to the end of the directive); a non-preemptible one only
 * when it blocks or yields. The bookkeeping follows RTEMS 4.10 (_Thread_Ready,
 * _Thread_Set_state, _Thread_Yield_processor, _Thread_Change_priority, _Thread_Dispatch).
 *
 * A configuration may select RTEMS 6's EDF or CBS scheduler instead (schedulerPolicy.ts):
 * then the ready threads are kept in one queue ordered by core priority (deadline, then
 * background priority), and rate-monotonic periods release and cancel jobs (releaseJob,
 * cancelJob). The priority scheduler's paths test one field for it and are otherwise as
 * they were.
 */
import { ExecutionAbandoned, describeGuestValue, describeThrown, isExecutionAbandoned, thrownStack, type TraceRecorder, type TracePayload } from '@paravirt/machine';
import type { BspHooks } from '../bspHooks.js';
import type { Configuration } from '../configuration.js';
import type { CpuContext } from '../cpuContext.js';
import type { CpuPort } from '../cpuPort.js';
import { RTEMS_FLOATING_POINT } from '../attributes.js';
import type { ExecutiveCosts } from '../executiveCosts.js';
import { FatalSource, InternalError, fatalSourceName } from '../fatalSource.js';
import { RTEMS_NO_ASR, RTEMS_NO_PREEMPT, RTEMS_TIMESLICE } from '../modes.js';
import { nameToString } from '../objectName.js';
import type { Directive } from '../results.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { STATES_BLOCKED, STATES_DORMANT, STATES_SUSPENDED, STATES_WAITING_FOR_TIME, STATES_DELAYING, Thread, type JobNode, type ThreadSpec } from './thread.js';
import { WatchdogSet } from './watchdog.js';
import { EDF_BACKGROUND, EdfReadyQueue, describeScheduler, type SchedulerDescription } from './schedulerPolicy.js';
import type { WaitQueue } from './waitQueue.js';

export interface ScoreEnvironment {
  readonly name: string;
  readonly cpuPort: CpuPort;
  readonly bsp: BspHooks;
  readonly trace: TraceRecorder;
  readonly now: () => number;
  readonly costs: ExecutiveCosts;
  readonly configuration: Configuration;
  /** Bytes of RTEMS Workspace (see ExecutiveOptions.workspaceSize). */
  readonly workspaceSize: number;
  /** Where a thrown Error's stack points in the application's source (see ExecutiveOptions.locateThrown). */
  readonly locateThrown?: (stack: string) => string | undefined;
}

/**
 * Where the score runs the Classic API's guest callouts (installed by the managers that
 * own them; absent when unused).
 */
export interface ScoreHooks {
  /** _User_extensions_Thread_switch (threaddispatch.c, _Thread_Do_dispatch): before each context switch. */
  threadSwitch?: (executing: Thread, heir: Thread) => void;
  /** _Thread_Run_post_switch_actions: the end of every thread dispatch, switched or not, for the executing thread. */
  postSwitch?: (executing: Thread) => void;
  /** _User_extensions_Fatal (_Terminate, interr.c): before the BSP halts. */
  fatal?: (source: number, code: number) => void;
  /**
   * _Scheduler_CBS_Budget_callout (schedulercbs.c): a CBS-attached executing thread used up
   * its budget at a clock tick (installed by the CBS manager).
   */
  cbsBudgetOverrun?: (thread: Thread) => void;
}

/** How the executive ended, if it did. */
export type Termination =
  | { readonly kind: 'fatal'; readonly source: string; readonly code: number; readonly message: string }
  | { readonly kind: 'exit'; readonly status: number };

const NS_PER_SECOND = 1_000_000_000;
/** Steps an ISR or timer service routine may yield before it counts as runaway. */
const MAX_ROUTINE_STEPS = 100_000;
/** Deleted threads (and periods) statistics keep: the most recent ones. */
export const MAX_DELETED_KEPT = 256;
/** RTEMS_FLOATING_POINT: the task has a floating-point context. */
function isFloatingPoint(thread: Thread): boolean {
  return (thread.attributes & RTEMS_FLOATING_POINT) !== 0;
}

/** Context switches one dispatch may make before it lets the executive go on (a guard, not a semantic). */
const MAX_DISPATCH_ROUNDS = 1000;
/** Longest chain of owners priority inheritance follows (a guard, not a semantic). */
const MAX_INHERITANCE_DEPTH = 256;

export class Score {
  readonly config: Configuration;
  readonly ticksPerSecond: number;
  readonly nsPerTick: number;

  executing: Thread | undefined = undefined;
  heir: Thread | undefined = undefined;
  /** _Thread_Dispatch_necessary. */
  dispatchNecessary = false;
  /** _ISR_Nest_level. */
  isrNestLevel = 0;
  /** _Thread_Dispatch_disable_level: raised in ISRs and while a timer service routine runs. */
  dispatchDisableLevel = 0;

  ticksSinceBoot = 0;
  uptimeNs = 0;
  /**
   * CPU_usage_Uptime_at_last_reset (libmisc/cpuuse/cpuusagedata.c): the uptime, in ns of
   * the executive's clock, when rtems_cpu_usage_reset last ran; 0 until it does.
   */
  cpuUsageUptimeAtResetNs = 0;
  /**
   * Time of day, once rtems_clock_set has been called: whole seconds since the RTEMS
   * epoch and nanoseconds into the current second. Two numbers, not one count of ns: ns
   * since 1988 pass 2^53 after 104 days, where a JS number stops being exact.
   */
  todSecondsSinceEpoch: number | undefined = undefined;
  todNanoseconds = 0;
  readonly tickWatchdogs = new WatchdogSet();
  readonly realtimeWatchdogs = new WatchdogSet();

  termination: Termination | undefined = undefined;
  /**
   * Every live thread and the last MAX_DELETED_KEPT deleted ones, in creation order (for
   * statistics): a guest that creates and deletes tasks for ever must not grow it for ever.
   */
  readonly threads: Thread[] = [];
  private deletedKept = 0;
  contextSwitches = 0;
  /** Floating-point context switches (the FPU moved to another RTEMS_FLOATING_POINT task). */
  fpContextSwitches = 0;
  /** _Thread_Allocated_fp: the task whose FP context the FPU holds. */
  fpOwner: Thread | undefined = undefined;
  interrupts = 0;
  deadlineMisses = 0;

  /**
   * The generator directive called last whose generator has not been started yet (its
   * name): set by directive(), cleared by its generator's first step. Still set when the
   * caller yields or calls another generator directive, it was called without yield*.
   */
  pendingDirective: string | undefined = undefined;

  /** The guest callouts of the managers (user extensions, signals). */
  readonly hooks: ScoreHooks = {};
  /** The ExecutionAbandoned this score threw to unwind guest code after a fatal error or exit. */
  private readonly ownAbandons = new WeakSet<object>();

  /** Bound by the Executive: what timer service routines and task bodies receive. */
  rtems: Rtems | undefined = undefined;
  bootContext: CpuContext | undefined = undefined;
  /** When the executing thread was switched to (ns): its running stretch for cpuTimeUsed. */
  private switchedInAt = 0;
  /** The Init task until it ends (BspHooks.initTaskEnded is called then). */
  initThread: Thread | undefined = undefined;

  private readonly ready: Thread[][] = Array.from({ length: 256 }, () => []);
  /** The configured scheduler (Configuration.scheduler): name and maximum priority. */
  readonly scheduler: SchedulerDescription;
  /** The EDF ready queue under the EDF and CBS schedulers; undefined under the priority scheduler. */
  private readonly edf: EdfReadyQueue | undefined;
  /** Workspace bytes not reserved (_Workspace_Allocate / _Workspace_Free). */
  private workspaceFree: number;

  constructor(readonly env: ScoreEnvironment) {
    this.config = env.configuration;
    this.ticksPerSecond = Math.floor(1_000_000 / this.config.microsecondsPerTick);
    this.nsPerTick = this.config.microsecondsPerTick * 1000;
    this.workspaceFree = Math.max(0, Math.floor(env.workspaceSize));
    this.scheduler = describeScheduler(this.config.scheduler);
    this.edf = this.scheduler.algorithm === 'priority' ? undefined : new EdfReadyQueue();
  }

  /**
   * _RTEMS_Priority_To_core / _Scheduler_Map_priority: the core priority of a Classic one.
   * The priority scheduler keeps Classic priorities as they are; EDF maps them to the
   * background (_Scheduler_EDF_Map_priority, scheduleredfreleasejob.c).
   */
  toCore(priority: number): number {
    return this.edf === undefined ? priority : EDF_BACKGROUND + priority;
  }

  /**
   * _RTEMS_Priority_From_core / _Scheduler_Unmap_priority: the Classic priority of a core
   * one. Under EDF a background priority gives its Classic priority back and a deadline
   * gives the deadline itself (_Scheduler_EDF_Unmap_priority clears only the MSB), so
   * rtems_task_get_priority of a thread with a job answers its deadline in ticks.
   */
  fromCore(priority: number): number {
    return this.edf === undefined || priority < EDF_BACKGROUND ? priority : priority - EDF_BACKGROUND;
  }

  /**
   * _Workspace_Allocate: reserves `bytes` of the workspace; false when they do not fit (the
   * directive then answers RTEMS_UNSATISFIED, as RTEMS does when the workspace is short).
   */
  workspaceAllocate(bytes: number): boolean {
    if (!(bytes >= 0 && bytes <= this.workspaceFree)) return false;
    this.workspaceFree -= bytes;
    return true;
  }

  /** _Workspace_Free: gives back what workspaceAllocate reserved. */
  workspaceRelease(bytes: number): void {
    this.workspaceFree += bytes;
  }

  /** Workspace bytes still free. */
  get workspaceAvailable(): number {
    return this.workspaceFree;
  }

  get cpuPort(): CpuPort {
    return this.env.cpuPort;
  }

  /** The executing thread; exists from the first dispatch on (IDLE at worst). */
  get current(): Thread {
    const thread = this.executing ?? this.heir;
    if (thread === undefined) throw new Error(`${this.env.name}: no thread exists yet`);
    return thread;
  }

  /** True where a thread may block: not in an ISR, dispatching not disabled. */
  get canBlock(): boolean {
    return this.isrNestLevel === 0 && this.dispatchDisableLevel === 0;
  }

  record(kind: string, payload: TracePayload): void {
    if (this.env.trace.enabled) this.env.trace.record(this.env.now(), this.env.name, kind, payload);
  }

  // ---------------------------------------------------------------- directives

  /**
   * Runs a directive body: charges its cost and runs it as one critical section with
   * interrupts disabled, as RTEMS directives do around the object and scheduler state.
   */
  directive<T>(body: () => T): T {
    const port = this.env.cpuPort;
    port.charge(this.env.costs.directive);
    const level = port.isrDisable();
    try {
      return body();
    } finally {
      port.isrEnable(level);
    }
  }

  /**
   * The end of a directive (_Thread_Enable_dispatch): if the directive made a dispatch
   * necessary and dispatching is possible here, yield so the executive switches now.
   */
  *dispatchPoint(): Generator<number, void, unknown> {
    if ((this.dispatchNecessary || this.executing?.signalActionPending === true) && this.canBlock) yield 0;
  }

  // ---------------------------------------------------------------- threads

  createThread(spec: ThreadSpec): Thread {
    const thread = new Thread(spec, (t) => this.timeoutExpired(t));
    if (this.edf !== undefined) thread.currentPriority = EDF_BACKGROUND + thread.realPriority;
    this.threads.push(thread);
    this.record('thread.create', { id: thread.id, name: nameToString(thread.name), priority: thread.realPriority });
    return thread;
  }

  /** _Thread_Start: a dormant thread gets its entry point and becomes ready. */
  startThread(thread: Thread, entry: (argument: number) => unknown, argument: number): void {
    thread.entry = entry;
    thread.argument = argument;
    thread.body = undefined;
    this.clearState(thread, STATES_DORMANT);
  }

  /**
   * rtems_task_restart of a task that is not dormant (RTEMS 6 _Thread_Restart,
   * cpukit/score/src/threadrestart.c; spec:/rtems/task/req/restart): the task leaves any
   * wait (thread queue, timer) and the suspended state, gets its initial priority
   * (Start.initial_priority) and modes back and its event sets cleared
   * (_RTEMS_tasks_Start_extension), and is readied at the tail of its priority's chain
   * (the scheduler blocks and unblocks it, even the executing task). The next time it
   * runs it begins at its entry point with `argument`. Semaphores it holds stay held.
   */
  restartThread(thread: Thread, argument: number): void {
    const queue = thread.waitQueue;
    if (queue !== undefined) this.leaveQueue(thread, queue);
    thread.timer.cancel();
    if (thread.isReady) this.readyExtract(thread);
    // Out of the scheduler while it is reset; clearState below readies it.
    thread.state = STATES_SUSPENDED;
    thread.waitStatus = RtemsStatus.SUCCESSFUL;
    thread.waitMessage = undefined;
    thread.argument = argument;
    thread.body = undefined;
    thread.dropExecution(true);
    thread.remainingCycles = 0;
    thread.pendingEvents = 0;
    thread.pendingSystemEvents = 0;
    const modes = thread.initialModes;
    thread.preemptible = (modes & RTEMS_NO_PREEMPT) === 0;
    thread.timeslice = (modes & RTEMS_TIMESLICE) !== 0;
    thread.asr = (modes & RTEMS_NO_ASR) === 0;
    thread.budget = this.config.ticksPerTimeslice;
    // _Thread_Load_environment: the CPU budget operations it started with (not CBS's).
    thread.cbsBudgetCounted = false;
    // The executing thread may go on without a context switch: its new body sets the level itself.
    if (thread === this.executing) thread.resetLevel = true;
    else thread.savedLevel = undefined;
    thread.realPriority = thread.initialPriority;
    this.recomputePriority(thread, false);
    this.clearState(thread, STATES_SUSPENDED);
    // The executing thread was blocked and unblocked: an equal-priority thread ahead of it takes over.
    if (thread === this.executing) this.updateHeir(true);
  }

  /**
   * _Thread_Get_CPU_time_used: the time `thread` executed, in ns of the executive's clock,
   * including the stretch it is executing now. Like RTEMS's CPU usage with a wall-clock
   * timecounter, in a partition this counts the time other partitions ran while it was the
   * executing thread of this one.
   */
  cpuTimeUsed(thread: Thread): number {
    return thread.cpuTimeNs + (thread === this.executing ? this.env.now() - this.switchedInAt : 0);
  }

  /** Deletes a thread (task delete or exit): out of every queue and timer, never runs again. */
  deleteThread(thread: Thread, reason: 'exit' | 'delete'): void {
    if (thread.deleted) return;
    const queue = thread.waitQueue;
    if (queue !== undefined) this.leaveQueue(thread, queue);
    thread.timer.cancel();
    if (thread.isReady) this.readyExtract(thread);
    thread.deleted = true;
    thread.state = STATES_DORMANT;
    thread.body = undefined;
    thread.entry = undefined;
    thread.dropExecution(false);
    thread.remainingCycles = 0;
    this.updateHeir(false);
    this.record('thread.exit', { id: thread.id, name: nameToString(thread.name), reason });
    if (thread === this.initThread) {
      this.initThread = undefined;
      this.env.bsp.initTaskEnded?.();
    }
    if (++this.deletedKept > MAX_DELETED_KEPT) {
      this.threads.splice(this.threads.findIndex((t) => t.deleted), 1);
      this.deletedKept--;
    }
  }

  // ---------------------------------------------------------------- scheduler

  private readyInsert(thread: Thread, atHead: boolean): void {
    if (this.edf !== undefined) {
      this.edf.insert(thread, atHead);
      return;
    }
    const chain = this.ready[thread.currentPriority]!;
    if (atHead) chain.unshift(thread);
    else chain.push(thread);
  }

  private readyExtract(thread: Thread): void {
    if (this.edf !== undefined) {
      this.edf.extract(thread);
      return;
    }
    const chain = this.ready[thread.currentPriority]!;
    const index = chain.indexOf(thread);
    if (index >= 0) chain.splice(index, 1);
  }

  private highestReady(): Thread | undefined {
    if (this.edf !== undefined) return this.edf.first();
    for (const chain of this.ready) if (chain.length > 0) return chain[0];
    return undefined;
  }

  /**
   * Recomputes the heir and marks a dispatch necessary when the executing thread must
   * give way: it is no longer ready, it is preemptible, or `force` (a yield).
   */
  updateHeir(force: boolean): void {
    const heir = this.highestReady();
    this.heir = heir;
    const executing = this.executing;
    if (heir !== executing && (force || executing === undefined || !executing.isReady || executing.preemptible)) {
      this.dispatchNecessary = true;
    }
  }

  /** _Thread_Set_state: add state bits; a ready thread leaves the scheduler. */
  setState(thread: Thread, bits: number): void {
    const wasReady = thread.isReady;
    thread.state |= bits;
    if (wasReady) {
      this.readyExtract(thread);
      this.updateHeir(false);
    }
  }

  /** _Thread_Clear_state: clear state bits; a thread that becomes ready joins the tail of its chain. */
  clearState(thread: Thread, bits: number): void {
    if ((thread.state & bits) === 0) return;
    // _Scheduler_CBS_Unblock applies its rule before the thread joins the ready queue.
    if (thread.cbsServer !== undefined && (thread.state & ~bits) === 0 && !thread.deleted) this.cbsLateUnblock(thread);
    thread.state &= ~bits;
    if (thread.isReady) {
      this.readyInsert(thread, false);
      this.updateHeir(false);
    }
  }

  /** _Thread_Yield_processor: the executing thread goes to the tail of its chain. */
  yieldExecuting(): void {
    const thread = this.executing;
    if (thread === undefined || !thread.isReady) return;
    this.readyExtract(thread);
    this.readyInsert(thread, false);
    this.updateHeir(true);
  }

  /**
   * _Scheduler_Release_job (score/schedulerimpl.h) for a job of `thread` due at tick
   * `deadline`. EDF makes the deadline a priority node of the thread
   * (_Scheduler_EDF_Release_job, scheduleredfreleasejob.c: _Thread_Priority_add, or
   * _Thread_Priority_changed when a job is active, both appending among equals); CBS first
   * gives an attached thread its server's budget for the job (_Scheduler_CBS_Release_job,
   * schedulercbsreleasejob.c). The priority scheduler ignores jobs
   * (_Scheduler_default_Release_job).
   */
  releaseJob(thread: Thread, node: JobNode, deadline: number): void {
    if (this.edf === undefined) return;
    if (this.scheduler.algorithm === 'cbs') {
      const server = thread.cbsServer;
      if (server !== undefined) thread.cbsBudgetAvailable = server.budget;
      thread.cbsDeadlineNode = node;
    }
    node.jobDeadline = deadline;
    if (!node.jobActive) {
      node.jobActive = true;
      thread.jobs.push(node);
    }
    this.recomputePriority(thread, false);
  }

  /**
   * _Scheduler_Cancel_job: EDF removes an active job's deadline node
   * (_Scheduler_EDF_Cancel_job, _Thread_Priority_remove, which prepends the thread among
   * equals when its priority drops); CBS does the same only for a job it released
   * (_Scheduler_CBS_Cancel_job). The thread falls back to its background priority.
   */
  cancelJob(thread: Thread, node: JobNode): void {
    if (this.edf === undefined) return;
    if (this.scheduler.algorithm === 'cbs') {
      if (thread.cbsDeadlineNode === undefined) return;
      thread.cbsDeadlineNode = undefined;
    }
    if (!node.jobActive) return;
    node.jobActive = false;
    thread.jobs.splice(thread.jobs.indexOf(node), 1);
    this.recomputePriority(thread, true);
  }

  /** rtems_task_set_priority: a new real priority; the current one follows its protocols. */
  setRealPriority(thread: Thread, priority: number): void {
    thread.realPriority = priority;
    this.recomputePriority(thread, false);
  }

  /**
   * The current priority is the real priority raised by every held binary semaphore:
   * its ceiling (priority ceiling protocol) or its most important waiter (priority
   * inheritance), as RTEMS 5's priority aggregation does. A thread whose priority
   * drops back when it releases a resource is placed at the head of its new chain
   * (RTEMS: "prepend it"), any other change at the tail. Changes follow the chain of
   * owners: a raised waiter raises the owner of the semaphore it waits on.
   */
  recomputePriority(thread: Thread, prependIfLowered: boolean, depth = 0): void {
    let priority = thread.realPriority;
    const edf = this.edf !== undefined;
    if (edf) {
      // EDF: the real priority node is in the background; a released job's deadline node
      // is more important than any (_Scheduler_EDF_Release_job, scheduleredfreleasejob.c).
      priority += EDF_BACKGROUND;
      for (const job of thread.jobs) priority = Math.min(priority, job.jobDeadline);
    }
    for (const mutex of thread.heldMutexes) {
      // A ceiling is a Classic priority, mapped like any other (_RTEMS_Priority_To_core in
      // semcreate.c): under EDF it never raises a thread that has a job.
      if (mutex.ceiling) priority = Math.min(priority, edf ? EDF_BACKGROUND + mutex.ceilingPriority : mutex.ceilingPriority);
      if (mutex.inherit) {
        const waiter = mutex.waitQueue.first();
        if (waiter !== undefined) priority = Math.min(priority, waiter.currentPriority);
      }
    }
    if (priority === thread.currentPriority) return;
    const lowered = priority > thread.currentPriority;
    if (thread.isReady) {
      this.readyExtract(thread);
      thread.currentPriority = priority;
      this.readyInsert(thread, lowered && prependIfLowered);
      this.updateHeir(false);
      return;
    }
    thread.currentPriority = priority;
    const queue = thread.waitQueue;
    if (queue === undefined) return;
    queue.requeue(thread);
    const owner = queue.mutex?.inherit ? queue.mutex.owner : undefined;
    if (owner !== undefined && depth < MAX_INHERITANCE_DEPTH) this.recomputePriority(owner, prependIfLowered, depth + 1);
  }

  // ---------------------------------------------------------------- blocking

  /**
   * Blocks `thread` (the executing one) with `bits`, optionally on `queue` and with a
   * timeout in ticks (0: none). A waiter on a priority-inheritance semaphore raises
   * its owner.
   */
  block(thread: Thread, bits: number, queue: WaitQueue | undefined, timeoutTicks: number): void {
    thread.waitStatus = RtemsStatus.SUCCESSFUL;
    if (queue !== undefined) {
      thread.waitQueue = queue;
      queue.enqueue(thread);
    }
    if (timeoutTicks > 0) this.tickWatchdogs.insert(thread.timer, this.ticksSinceBoot + timeoutTicks);
    this.setState(thread, bits);
    const owner = queue?.mutex?.inherit ? queue.mutex.owner : undefined;
    if (owner !== undefined) this.recomputePriority(owner, false);
  }

  /** Blocks the executing thread until the time of day reaches `seconds` since the epoch. */
  blockUntil(thread: Thread, seconds: number): void {
    thread.waitStatus = RtemsStatus.SUCCESSFUL;
    this.realtimeWatchdogs.insert(thread.timer, seconds);
    this.setState(thread, STATES_WAITING_FOR_TIME);
  }

  /** Ends a wait with `status`: out of its queue, timer cancelled, ready unless suspended. */
  release(thread: Thread, status: RtemsStatus): void {
    thread.waitStatus = status;
    const queue = thread.waitQueue;
    if (queue !== undefined) this.leaveQueue(thread, queue);
    thread.timer.cancel();
    this.clearState(thread, STATES_BLOCKED);
  }

  private leaveQueue(thread: Thread, queue: WaitQueue): void {
    queue.extract(thread);
    thread.waitQueue = undefined;
    const owner = queue.mutex?.inherit ? queue.mutex.owner : undefined;
    if (owner !== undefined) this.recomputePriority(owner, true);
  }

  /** A thread's timer fired: a delay ends successfully, any other wait times out. */
  private timeoutExpired(thread: Thread): void {
    const delay = (thread.state & (STATES_DELAYING | STATES_WAITING_FOR_TIME)) !== 0;
    this.release(thread, delay ? RtemsStatus.SUCCESSFUL : RtemsStatus.TIMEOUT);
  }

  // ---------------------------------------------------------------- time

  /**
   * The clock driver's announcement of `ticks` elapsed ticks: rtems_clock_tick that
   * many times. Order per tick as RTEMS 5's _Watchdog_Tick: tick watchdogs, then
   * time-of-day watchdogs, then the scheduler's timeslice accounting.
   */
  announce(ticks: number): void {
    if (this.termination !== undefined || !Number.isSafeInteger(ticks) || ticks < 1) return;
    let left = ticks;
    while (left > 0 && this.termination === undefined) {
      // Ticks that can only count (no watchdog due, no budget to take) are counted at once:
      // a partition back in its window after 63 missed ticks does not take 63 turns (issue 16).
      const quiet = this.quietTicks(left - 1);
      if (quiet > 0) this.countTicks(quiet, true);
      this.tick();
      left -= quiet + 1;
    }
  }

  /**
   * How many of the next `limit` ticks would do nothing but count (tick() with no watchdog
   * reaching its expiry and no timeslice or CBS budget of the executing thread to take).
   */
  quietTicks(limit: number): number {
    if (limit <= 0) return 0;
    const thread = this.executing;
    if (thread !== undefined && (thread.cbsBudgetCounted || (thread.timeslice && thread.preemptible && thread.isReady))) return 0;
    let quiet = limit;
    const tickDue = this.tickWatchdogs.nextExpire;
    if (tickDue !== undefined) quiet = Math.min(quiet, tickDue - this.ticksSinceBoot - 1);
    const secondDue = this.todSecondsSinceEpoch === undefined ? undefined : this.realtimeWatchdogs.nextExpire;
    if (secondDue !== undefined) {
      // The tick that carries the time of day to secondDue fires it: the ones before it are quiet.
      const nanoseconds = (secondDue - this.todSecondsSinceEpoch!) * NS_PER_SECOND - this.todNanoseconds;
      quiet = Math.min(quiet, Math.ceil(nanoseconds / this.nsPerTick) - 1);
    }
    return Math.max(0, quiet);
  }

  /**
   * `count` quiet ticks at once: what `count` calls of tick() do when none fires a watchdog
   * or takes a budget. `charge` false: their cycles were accounted for elsewhere (a kernel's
   * fast-forward over timer upcalls, Executive.creditIdleTicks).
   */
  countTicks(count: number, charge: boolean): void {
    if (charge) this.env.cpuPort.charge(count * this.env.costs.clockTick);
    this.ticksSinceBoot += count;
    this.uptimeNs += count * this.nsPerTick;
    if (this.todSecondsSinceEpoch !== undefined) {
      const nanoseconds = this.todNanoseconds + count * this.nsPerTick;
      const carry = Math.floor(nanoseconds / NS_PER_SECOND);
      this.todSecondsSinceEpoch += carry;
      this.todNanoseconds = nanoseconds - carry * NS_PER_SECOND;
    }
  }

  private tick(): void {
    this.env.cpuPort.charge(this.env.costs.clockTick);
    this.ticksSinceBoot++;
    this.uptimeNs += this.nsPerTick;
    if (this.todSecondsSinceEpoch !== undefined) {
      // A tick is at most a second (microsecondsPerTick <= 1000000): at most one carry.
      this.todNanoseconds += this.nsPerTick;
      if (this.todNanoseconds >= NS_PER_SECOND) {
        this.todNanoseconds -= NS_PER_SECOND;
        this.todSecondsSinceEpoch++;
      }
    }
    this.tickWatchdogs.fire(this.ticksSinceBoot);
    if (this.todSecondsSinceEpoch !== undefined) this.realtimeWatchdogs.fire(this.todSecondsSinceEpoch);
    this.timeslice();
  }

  /**
   * _Thread_Tickle_timeslice: a preemptible, ready, timesliced executing thread loses
   * one tick of budget; at zero it yields to the tail of its chain with a new budget.
   */
  private timeslice(): void {
    const thread = this.executing;
    if (thread === undefined) return;
    if (thread.cbsBudgetCounted) {
      this.cbsBudgetAtTick(thread);
      return;
    }
    if (!thread.timeslice || !thread.preemptible || !thread.isReady) return;
    thread.budget--;
    if (thread.budget <= 0) {
      this.yieldExecuting();
      thread.budget = this.config.ticksPerTimeslice;
    }
  }

  /**
   * _Scheduler_CBS_Budget_at_tick (schedulercbs.c), the CPU budget operation of a thread
   * attached to a CBS server (its timeslice budget no longer counts): a preemptible, ready
   * executing thread consumes one tick of the job's budget (a uint32_t: at 0 it wraps); the
   * tick that takes the last one is the budget overrun (_Scheduler_CBS_Budget_callout).
   */
  private cbsBudgetAtTick(thread: Thread): void {
    if (!thread.preemptible || !thread.isReady) return;
    const available = thread.cbsBudgetAvailable;
    if (available === 1) {
      thread.cbsBudgetAvailable = 0;
      this.hooks.cbsBudgetOverrun?.(thread);
    } else {
      thread.cbsBudgetAvailable = (available - 1) >>> 0;
    }
  }

  /**
   * The late unblock rule of _Scheduler_CBS_Unblock (schedulercbsunblock.c), for a thread
   * attached to a server that becomes ready while it runs by a deadline: the job is
   * cancelled (the thread goes to the background until its next release) when
   * `deadline * budget_left > budget * deadline_left`, computed as RTEMS 6 computes it:
   * `deadline` and `budget` are the server's parameters, `deadline_left` is the budget the
   * job has left (CPU_budget.available) and `budget_left` is the thread's priority less the
   * ticks since boot, that priority being in its mapped form (SCHEDULER_PRIORITY_MAP:
   * twice the deadline) and the difference a uint64_t (a negative one wraps: the rule
   * holds). A job that has used little of its budget therefore usually loses its deadline.
   */
  private cbsLateUnblock(thread: Thread): void {
    const server = thread.cbsServer!;
    const priority = thread.currentPriority;
    if (priority >= EDF_BACKGROUND) return;
    const budgetLeft = 2 * priority - this.ticksSinceBoot;
    const deadlineLeft = thread.cbsBudgetAvailable;
    if (budgetLeft < 0 || server.deadline * budgetLeft > server.budget * deadlineLeft) {
      const node = thread.cbsDeadlineNode;
      if (node !== undefined) this.cancelJob(thread, node);
    }
  }

  /** Seconds since the RTEMS epoch of the current time of day (undefined before clock set). */
  get todSeconds(): number | undefined {
    return this.todSecondsSinceEpoch;
  }

  // ---------------------------------------------------------------- ISRs and routines

  /** InterruptDispatch.isr: nesting level and dispatch disable around the handler. */
  isr(handler: () => void): void {
    if (this.termination !== undefined) return;
    this.isrNestLevel++;
    this.dispatchDisableLevel++;
    this.interrupts++;
    try {
      this.env.cpuPort.charge(this.env.costs.isr);
      handler();
    } catch (error) {
      if (isExecutionAbandoned(error)) throw error;
      this.guestException(error);
    } finally {
      this.isrNestLevel--;
      this.dispatchDisableLevel--;
    }
  }

  /**
   * Runs guest code that may not block (timer service routine, ISR routine) with
   * dispatching disabled. A generator routine is driven to its end: the cycles it
   * yields are charged (ISR work is not preemptible), 0 is ignored.
   */
  runRoutine(routine: () => unknown): void {
    this.dispatchDisableLevel++;
    // A routine that interrupted code between a directive call and its yield* (an ISR taken
    // synchronously) has its own: the interrupted code's comes back when it ends.
    const interrupted = this.pendingDirective;
    this.pendingDirective = undefined;
    try {
      const result = routine();
      if (this.pendingDirective !== undefined) this.notDelegated();
      if (!isIterator(result)) return;
      for (let steps = 0; ; steps++) {
        if (steps >= MAX_ROUTINE_STEPS) this.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.RUNAWAY_ISR, `a routine yielded more than ${MAX_ROUTINE_STEPS} times`);
        const step = result.next();
        if (this.pendingDirective !== undefined) this.notDelegated();
        if (step.done === true) return;
        const cycles = step.value;
        if (typeof cycles !== 'number' || !Number.isSafeInteger(cycles) || cycles < 0) {
          this.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.INVALID_YIELD, `a routine yielded ${describeGuestValue(cycles)}`);
        }
        if (cycles > 0) this.env.cpuPort.charge(cycles);
      }
    } catch (error) {
      if (isExecutionAbandoned(error)) throw error;
      this.guestException(error);
    } finally {
      this.dispatchDisableLevel--;
      this.pendingDirective = interrupted;
    }
  }

  /**
   * The guest called the generator directive `pendingDirective` without `yield*` (its
   * generator was never started, so it did nothing): INTERNAL_ERROR_CORE /
   * DIRECTIVE_NOT_DELEGATED, found when the caller next yields or calls another generator
   * directive.
   */
  notDelegated(): never {
    const name = this.pendingDirective ?? 'a directive';
    this.pendingDirective = undefined;
    const thread = this.executing;
    const who = this.isrNestLevel > 0 || this.dispatchDisableLevel > 0 ? 'an interrupt or timer routine' : thread === undefined ? 'the executive' : `task ${nameToString(thread.name).trimEnd()}`;
    return this.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.DIRECTIVE_NOT_DELEGATED, `${who}: ${name} called without yield* (a generator directive does nothing unless delegated to)`);
  }

  // ---------------------------------------------------------------- dispatch

  /**
   * _Thread_Dispatch: switch to the heir if a dispatch is necessary and allowed. The
   * outgoing thread keeps its interrupt level (the cookie of isrDisable) and the heir
   * gets its own back; a thread's first dispatch sets the level of its initial mode,
   * as _Thread_Handler does. Loops like RTEMS in case restoring the heir's level let
   * an interrupt make another dispatch necessary.
   */
  dispatch(): void {
    const port = this.env.cpuPort;
    // A bound for switch extensions that make every switch need another (the guest livelocks, the host does not).
    for (let rounds = 0; this.dispatchNecessary && this.canBlock && this.termination === undefined && rounds < MAX_DISPATCH_ROUNDS; rounds++) {
      this.dispatchNecessary = false;
      const heir = this.heir;
      const executing = this.executing;
      if (heir === undefined || heir === executing) break;
      if (executing !== undefined && this.hooks.threadSwitch !== undefined) {
        // _Thread_Do_dispatch has made the heir the executing thread when it calls the switch
        // extensions (not for the first switch, the multitasking start); what they change
        // that needs another dispatch is seen by the loop.
        this.executing = heir;
        this.hooks.threadSwitch(executing, heir);
      }
      const level = port.isrDisable();
      if (executing !== undefined) executing.savedLevel = level;
      if (heir.timeslice) heir.budget = this.config.ticksPerTimeslice;
      port.charge(this.env.costs.dispatch);
      port.contextSwitch(executing?.context ?? this.bootContext ?? heir.context, heir.context);
      const now = this.env.now();
      if (executing !== undefined) executing.cpuTimeNs += now - this.switchedInAt;
      this.switchedInAt = now;
      this.executing = heir;
      this.contextSwitches++;
      heir.dispatches++;
      this.record('thread.switch', {
        from: executing === undefined ? null : nameToString(executing.name),
        fromId: executing?.id ?? null,
        to: nameToString(heir.name),
        toId: heir.id,
      });
      // _Thread_Restore_fp with CPU_USE_DEFERRED_FP_SWITCH: an FP heir gets the FPU now.
      if (port.floatingPoint?.switchAt === 'dispatch' && isFloatingPoint(heir)) this.moveFpu(heir);
      if (heir.savedLevel === undefined) port.isrSetLevel(heir.initialIsrLevel);
      else port.isrEnable(heir.savedLevel);
    }
    // _Thread_Do_dispatch ends with the executing thread's post-switch actions (an ASR),
    // whether it switched or not; adding one requests a dispatch (dispatchPoint yields for it).
    const thread = this.executing;
    if (thread?.signalActionPending === true && this.canBlock && this.termination === undefined) this.hooks.postSwitch?.(thread);
  }

  // ---------------------------------------------------------------- floating point

  /**
   * The executing code uses the FPU (`rtems.fpCompute`). With a hardware FPU in the port, a
   * task without RTEMS_FLOATING_POINT or an ISR is the fatal error INTERNAL_ERROR_CORE /
   * ILLEGAL_USE_OF_FLOATING_POINT_UNIT, as RTEMS 6 (spfatal30; SPARC's fp_disabled handler,
   * sparc-isr-handler.S); an FP task on a 'first-use' port takes the FPU if it does not own it.
   */
  useFpu(): void {
    const fp = this.env.cpuPort.floatingPoint;
    if (fp === undefined) return;
    const thread = this.executing;
    if (this.isrNestLevel > 0 || thread === undefined || !isFloatingPoint(thread)) {
      const who = this.isrNestLevel > 0 ? 'an interrupt handler' : thread === undefined ? 'the executive' : `task '${nameToString(thread.name).trimEnd()}' (not RTEMS_FLOATING_POINT)`;
      this.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.ILLEGAL_USE_OF_FLOATING_POINT_UNIT, `${who} used the floating-point unit`);
    }
    if (fp.switchAt === 'first-use') this.moveFpu(thread);
    fp.use?.();
  }

  /** Gives the FPU to `thread` unless it holds it: save the owner's FP context (a deleted owner's is dropped, _Thread_Deallocate_fp), load the thread's. */
  private moveFpu(thread: Thread): void {
    const owner = this.fpOwner !== undefined && !this.fpOwner.deleted ? this.fpOwner : undefined;
    if (owner === thread) return;
    this.env.cpuPort.floatingPoint!.switchFp(owner?.context, thread.context);
    this.fpOwner = thread;
    this.fpContextSwitches++;
    this.record('thread.fp', { from: owner === undefined ? null : nameToString(owner.name), to: nameToString(thread.name), toId: thread.id });
  }

  // ---------------------------------------------------------------- termination

  /** _Terminate without unwinding: records the end and tells the BSP. */
  terminate(source: FatalSource, code: number, message: string): void {
    if (this.termination !== undefined) return;
    const name = fatalSourceName(source);
    this.termination = { kind: 'fatal', source: name, code, message };
    this.record('fatal', { source: name, code, message });
    // _Terminate (interr.c): the fatal extensions, then the halt.
    this.hooks.fatal?.(source, code);
    this.env.bsp.fatal(name, code, message);
  }

  /** _Terminate: the executive is dead; unwind whatever guest code called it. */
  fatal(source: FatalSource, code: number, message: string): never {
    this.terminate(source, code, message);
    throw this.abandon(`fatal error ${fatalSourceName(source)} ${code}: ${message}`);
  }

  /** Whether `error` is the ExecutionAbandoned this score threw after its own fatal error or exit. */
  isOwnAbandon(error: unknown): boolean {
    return typeof error === 'object' && error !== null && this.ownAbandons.has(error);
  }

  private abandon(reason: string): ExecutionAbandoned {
    const error = new ExecutionAbandoned(reason);
    this.ownAbandons.add(error);
    return error;
  }

  /** exit() / rtems_shutdown_executive: the application ends; unwind the caller. */
  shutdown(status: number): never {
    if (this.termination === undefined) {
      this.termination = { kind: 'exit', status };
      this.record('shutdown', { status });
      // rtems_shutdown_executive (exshutdown.c) is _Terminate( RTEMS_FATAL_SOURCE_EXIT, result ).
      this.hooks.fatal?.(FatalSource.RTEMS_FATAL_SOURCE_EXIT, status >>> 0);
      this.env.bsp.exit(status);
    }
    throw this.abandon(`application exit ${status}`);
  }

  /**
   * Guest code threw `error`: INTERNAL_ERROR_CORE / GUEST_EXCEPTION. The message is
   * machine's describeThrown: bounded, one line, and it never throws or runs guest code,
   * whatever was thrown (a Proxy, an Error whose getters throw, a Symbol, a huge string).
   * An Error's stack (machine's thrownStack: its own data property, no getter run) goes to
   * the environment's locateThrown; where it points follows: `TypeError: x (at ./app.mjs:3:9)`.
   */
  guestException(error: unknown): never {
    const at = this.locate(error);
    const message = describeThrown(error);
    return this.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.GUEST_EXCEPTION, at === undefined ? message : `${message} (at ${at})`);
  }

  /** Where `error` was thrown in the application's source (the host's locateThrown); undefined if unknown. */
  private locate(error: unknown): string | undefined {
    const locate = this.env.locateThrown;
    if (locate === undefined) return undefined;
    const stack = thrownStack(error);
    if (stack === undefined) return undefined;
    try {
      const at = locate(stack);
      return typeof at === 'string' && at !== '' ? at.slice(0, 200) : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * Rtems's generator directives return their generator through this: it records the call
 * in `score.pendingDirective` until the generator's first step (one field write each way,
 * one generator frame more), so a call without `yield*` - a generator that is never
 * started does nothing - is the fatal error DIRECTIVE_NOT_DELEGATED (Score.notDelegated)
 * instead of a directive silently skipped.
 */
export function directive<T>(score: Score, name: string, body: Directive<T>): Directive<T> {
  if (score.pendingDirective !== undefined) score.notDelegated();
  score.pendingDirective = name;
  return started(score, body);
}

function* started<T>(score: Score, body: Directive<T>): Directive<T> {
  score.pendingDirective = undefined;
  return yield* body;
}

/** Whether a value is something the executive can advance (a generator or iterator). */
export function isIterator(value: unknown): value is Iterator<unknown, unknown, unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { next?: unknown }).next === 'function';
}
