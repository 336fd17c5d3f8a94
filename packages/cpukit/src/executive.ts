/**
 * The guest executive: an RTEMS-style kernel (score + Classic API) that runs on any
 * processor through a CpuPort and on any board or hypervisor through BspHooks. It is a
 * machine Workload: the processor (bare metal) or a kernel (partition) calls next()
 * whenever it may run software, and preempted() when an interrupt cut a compute step.
 *
 * next() does what RTEMS does at the end of an ISR or directive, then runs guest code:
 *  1. dispatch if a dispatch is necessary and allowed (Score.dispatch);
 *  2. hand back the rest of a compute step an interrupt cut short, or
 *  3. advance the executing thread's generator to its next yield: a number n >= 1 is n
 *     cycles of compute, 0 a bare dispatch point, WAIT_FOR_INTERRUPT (IDLE only) waits;
 *     a body that returns is the fatal error INTERNAL_ERROR_THREAD_EXITTED, as in RTEMS.
 * A JS error thrown by guest code becomes an RTEMS fatal error (INTERNAL_ERROR_CORE,
 * InternalError.GUEST_EXCEPTION), never a host exception; machine's ExecutionAbandoned
 * always propagates. After a fatal error or an application exit, next() returns
 * WAIT_FOR_INTERRUPT forever and ISRs are ignored.
 *
 * Guest input never crashes the host: an invalid configuration (validateConfiguration)
 * is refused with the fatal error INVALID_CONFIGURATION at boot; work that would run past
 * the end of virtual time (a compute step of 1e15 cycles) is the fatal error END_OF_TIME
 * when the processor reports it (pastEndOfTime, bare metal: in a partition the kernel's
 * health monitor hears of it instead).
 */
import { Activity, TraceRecorder, WAIT_FOR_INTERRUPT, describeGuestValue, isExecutionAbandoned, type Workload } from '@paravirt/machine';
import { Apex } from './apex.js';
import type { Application } from './application.js';
import type { BspHooks } from './bspHooks.js';
import { type Configuration, DEFAULT_CONFIGURATION, readConfiguration } from './configuration.js';
import type { CpuPort } from './cpuPort.js';
import { DEFAULT_EXECUTIVE_COSTS, type ExecutiveCosts } from './executiveCosts.js';
import type { ExecutiveStatistics } from './executiveStatistics.js';
import { FatalSource, InternalError } from './fatalSource.js';
import { BarrierManager } from './internal/barrierManager.js';
import { CbsManager } from './internal/cbsManager.js';
import { ClockManager } from './internal/clockManager.js';
import { DualPortedMemoryManager } from './internal/dualPortedMemoryManager.js';
import { EventManager } from './internal/eventManager.js';
import { ExtensionManager } from './internal/extensionManager.js';
import { MessageQueueManager } from './internal/messageQueueManager.js';
import { PartitionManager } from './internal/partitionManager.js';
import { RateMonotonicManager } from './internal/rateMonotonicManager.js';
import { RegionManager } from './internal/regionManager.js';
import { Score, type Termination, isIterator } from './internal/score.js';
import { SemaphoreManager } from './internal/semaphoreManager.js';
import { SignalManager } from './internal/signalManager.js';
import { TaskManager } from './internal/taskManager.js';
import type { Thread, ThreadBody } from './internal/thread.js';
import { TimerManager } from './internal/timerManager.js';
import type { InterruptDispatch } from './interruptDispatch.js';
import { RTEMS_SYSTEM_TASK } from './attributes.js';
import { RTEMS_PREEMPT } from './modes.js';
import { LOCAL_NODE, OBJECTS_INTERNAL_API, OBJECTS_INTERNAL_THREADS, buildObjectId } from './objectId.js';
import { buildName, nameToString } from './objectName.js';
import { RtemsStatus, rtemsStatusText } from './rtemsStatus.js';
import { Rtems } from './rtems.js';
import { RTEMS_MINIMUM_STACK_SIZE } from './options.js';

export interface ExecutiveOptions {
  readonly cpuPort: CpuPort;
  readonly bsp: BspHooks;
  readonly application: Application;
  /** Overrides on top of the application's own configuration (e.g. the runner's clock tick). */
  readonly configuration?: Partial<Configuration>;
  /** Name used as the trace source: the partition or board name. */
  readonly name: string;
  readonly trace?: TraceRecorder;
  /** Where the executive says which thread runs, for the host's watchdog (the processor's). */
  readonly activity?: Activity;
  /** Current virtual time in ns, for trace records. */
  readonly now: () => number;
  /** Cycle costs of the executive's own work (defaults: DEFAULT_EXECUTIVE_COSTS). */
  readonly costs?: Partial<ExecutiveCosts>;
  /**
   * Bytes of RTEMS Workspace the guest has (the BSP's work area: a partition's memory
   * after the BSP's own structures, a board's RAM). Buffers RTEMS takes from the
   * workspace (message queue buffers) are reserved from it, so what a guest can make the
   * executive hold is bounded by its own memory. Default DEFAULT_WORKSPACE_SIZE.
   */
  readonly workspaceSize?: number;
  /**
   * Where a JS Error's stack points in the application's own source (`./app.mjs:12:5`),
   * for the message of the fatal error GUEST_EXCEPTION: `TypeError: x is not a function
   * (at ./app.mjs:12:5)`. The host's code (a runner knows its user modules' files); it
   * gets the stack text only (machine's thrownStack), never the thrown value.
   */
  readonly locateThrown?: (stack: string) => string | undefined;
}

/** The workspace of an executive whose BSP does not say (1 MiB, the default partition size). */
export const DEFAULT_WORKSPACE_SIZE = 1 << 20;

/** The IDLE thread: internal API, threads class, index 1 (0x09010001). */
export const IDLE_THREAD_ID = buildObjectId(OBJECTS_INTERNAL_API, OBJECTS_INTERNAL_THREADS, LOCAL_NODE, 1);
/** The IDLE thread's priority under the Deterministic Priority Scheduler: the least important one (under EDF and CBS it is 0x7fffffff). */
export const IDLE_PRIORITY = 255;

/**
 * Zero-cycle dispatch points one next() call may pass before it lets a cycle go by,
 * so guest code that yields 0 forever cannot hang the host.
 */
const MAX_ZERO_STEPS = 100;

export class Executive implements Workload, InterruptDispatch {
  readonly name: string;
  readonly configuration: Configuration;
  readonly rtems: Rtems;
  private readonly score: Score;
  private readonly tasks: TaskManager;
  private readonly periods: RateMonotonicManager;
  private readonly extensions: ExtensionManager;
  private readonly application: Application;
  private readonly activity: Activity;
  private booted = false;
  /** Why the configuration was refused: the executive then ends at boot with INVALID_CONFIGURATION. */
  readonly configurationProblems: readonly string[];

  constructor(options: ExecutiveOptions) {
    this.name = options.name;
    this.application = options.application;
    this.activity = options.activity ?? new Activity();
    const { configuration, problems } = configure(options);
    this.configuration = configuration;
    this.configurationProblems = problems;
    this.score = new Score({
      name: options.name,
      cpuPort: options.cpuPort,
      bsp: options.bsp,
      trace: options.trace ?? TraceRecorder.disabled(),
      now: options.now,
      costs: { ...DEFAULT_EXECUTIVE_COSTS, ...options.costs },
      configuration: this.configuration,
      workspaceSize: options.workspaceSize ?? DEFAULT_WORKSPACE_SIZE,
      ...(options.locateThrown ? { locateThrown: options.locateThrown } : {}),
    });
    const score = this.score;
    this.extensions = new ExtensionManager(score);
    this.tasks = new TaskManager(score, this.extensions);
    this.periods = new RateMonotonicManager(score);
    const partition = options.bsp.partition;
    this.rtems = new Rtems({
      score,
      tasks: this.tasks,
      clock: new ClockManager(score),
      semaphores: new SemaphoreManager(score),
      messageQueues: new MessageQueueManager(score),
      events: new EventManager(score, this.tasks),
      timers: new TimerManager(score),
      periods: this.periods,
      partitions: new PartitionManager(score),
      regions: new RegionManager(score),
      ports: new DualPortedMemoryManager(score),
      barriers: new BarrierManager(score),
      signals: new SignalManager(score, this.tasks),
      cbs: new CbsManager(score, this.tasks),
      extensions: this.extensions,
      ...(partition ? { apex: new Apex(score, partition) } : {}),
      initEntryPoint: (rtems, argument) => this.application.init(rtems, argument),
    });
    score.rtems = this.rtems;
  }

  /** Why the executive ended, if it did: a fatal error or an application exit. */
  get termination(): Termination | undefined {
    return this.score.termination;
  }

  get isBooted(): boolean {
    return this.booted;
  }

  /**
   * Initializes the system as RTEMS's boot_card and rtems_initialize_executive do:
   * interrupts off, bsp_start, the IDLE thread, the clock driver, then the Init task
   * (first Classic task: 0x0a010001). The first next() dispatches to the most important
   * ready thread. Called by next() if the BSP has not called it before.
   */
  boot(): void {
    if (this.booted) throw new Error(`${this.name}: the executive is already booted`);
    this.booted = true;
    const score = this.score;
    const port = score.cpuPort;
    const bsp = score.env.bsp;
    const config = this.configuration;
    try {
      port.isrDisable();
      score.bootContext = port.contextInitialize(1);
      bsp.start(this);
      if (this.configurationProblems.length > 0) {
        // confdefs would not have built it: nothing runs, not even IDLE.
        const [first = '', ...rest] = this.configurationProblems;
        const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
        score.terminate(FatalSource.INTERNAL_ERROR_CORE, InternalError.INVALID_CONFIGURATION, `invalid configuration: ${first}${more}`);
        return;
      }
      const idle = score.createThread({
        id: IDLE_THREAD_ID,
        name: buildName('I', 'D', 'L', 'E'),
        // _Thread_Create_idle: the scheduler's maximum priority (255; 0x7fffffff under EDF and CBS).
        priority: score.scheduler.maximumPriority,
        modes: RTEMS_PREEMPT,
        attributes: RTEMS_SYSTEM_TASK,
        stackSize: RTEMS_MINIMUM_STACK_SIZE,
        isIdle: true,
        context: port.contextInitialize(0),
      });
      // _Thread_Create_idle (threadcreateidle.c): the create extensions (no executing thread
      // yet) - a failure is INTERNAL_ERROR_IDLE_THREAD_CREATE_FAILED after _Thread_Free ran
      // the delete extensions -, then IDLE is the executing thread for the start extensions
      // and those of the Init task.
      const extensions = this.extensions;
      if (!extensions.threadCreate(idle)) {
        extensions.threadDelete(idle);
        score.terminate(FatalSource.INTERNAL_ERROR_CORE, InternalError.IDLE_THREAD_CREATE_FAILED, 'IDLE thread: a create extension failed');
        return;
      }
      extensions.bootExecuting = idle;
      score.startThread(idle, () => idleBody(bsp), 0);
      extensions.threadStart(idle);
      bsp.clockInitialize(config.microsecondsPerTick, (ticks) => score.announce(ticks));
      const created = this.tasks.create(config.initTaskName, config.initTaskPriority, config.initTaskStackSize, config.initTaskInitialModes, config.initTaskAttributes);
      if (created.status !== RtemsStatus.SUCCESSFUL) {
        score.terminate(FatalSource.INTERNAL_ERROR_CORE, InternalError.RTEMS_INIT_TASK_CREATE_FAILED, `Init task: ${rtemsStatusText(created.status)}`);
        return;
      }
      const init = this.tasks.lookup(created.id)!;
      score.initThread = init;
      const rtems = this.rtems;
      const application = this.application;
      score.startThread(init, (argument) => application.init(rtems, argument), config.initTaskArgument);
      extensions.threadStart(init);
    } catch (error) {
      // A fatal error during boot has already ended the executive; nothing to unwind.
      if (isExecutionAbandoned(error) && score.termination !== undefined) return;
      throw error;
    }
  }

  next(): number {
    if (!this.booted) this.boot();
    const score = this.score;
    for (let zeroSteps = 0; score.termination === undefined; ) {
      score.dispatch();
      const thread = score.executing;
      // Nothing runnable here (cannot happen once IDLE exists): never resume a blocked or deleted body.
      if (thread === undefined || !thread.isReady) return WAIT_FOR_INTERRUPT;
      if (thread.remainingCycles > 0) {
        const cycles = thread.remainingCycles;
        thread.remainingCycles = 0;
        return cycles;
      }
      const step = this.advance(thread);
      // A generator directive the step called and never started (no yield*): Score.directive.
      if (score.pendingDirective !== undefined) score.notDelegated();
      if (step === undefined) {
        // RTEMS 6 _Thread_Handler (cpukit/score/src/threadhandler.c): after the thread exitted
        // extensions, a task body that returned is _Internal_error( INTERNAL_ERROR_THREAD_EXITTED )
        // (spec:/score/thread/req/fatal-thread-exitted). Tasks end with rtems_task_exit or delete.
        return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_EXITTED, `task ${nameToString(thread.name)} returned from its entry point`);
      }
      if (step === 0) {
        if (++zeroSteps >= MAX_ZERO_STEPS) return 1;
        continue;
      }
      if (step === WAIT_FOR_INTERRUPT && thread.isIdle) {
        if (score.dispatchNecessary) continue;
        return WAIT_FOR_INTERRUPT;
      }
      if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
        return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.INVALID_YIELD, `thread ${nameToString(thread.name)} yielded ${describeGuestValue(step)}`);
      }
      // An ISR delivered synchronously inside the thread's code (a virtual interrupt
      // taken when it re-enabled interrupts) may have readied a more important thread:
      // it runs first, and this compute step waits for the thread's turn.
      if ((score.dispatchNecessary || thread.signalActionPending) && score.canBlock) {
        thread.remainingCycles = step;
        continue;
      }
      return step;
    }
    return WAIT_FOR_INTERRUPT;
  }

  preempted(remainingCycles: number): void {
    const thread = this.score.executing;
    if (thread !== undefined && this.score.termination === undefined) thread.remainingCycles = remainingCycles;
  }

  /**
   * Workload.pastEndOfTime (bare metal): the executive asked for work that would end after
   * the last instant virtual time represents - a thread's compute step ('step') or
   * interrupt-context work, such as the cycles a timer service routine yielded ('charge').
   * No clock can run it: the fatal error END_OF_TIME, and the work is dropped.
   */
  pastEndOfTime(cycles: number, kind: 'step' | 'charge'): boolean {
    const score = this.score;
    if (score.termination !== undefined) return true;
    const thread = score.executing;
    const what = kind === 'step' && thread !== undefined ? `thread ${nameToString(thread.name)}: a compute step of ${cycles} cycles` : `${cycles} cycles of executive and interrupt work`;
    score.terminate(FatalSource.INTERNAL_ERROR_CORE, InternalError.END_OF_TIME, `${what} would run past the end of virtual time`);
    return true;
  }

  /** InterruptDispatch: run an ISR with RTEMS's nesting and deferred-dispatch rules. */
  isr(handler: () => void): void {
    this.score.isr(handler);
  }

  /**
   * For a BSP's part in a kernel's fast-forward (PartitionGuest.quietTimerUpcalls): the IDLE
   * thread is executing with nothing else to run, outside any ISR, and of the next `limit`
   * clock ticks this many would only count (Score.quietTicks: no watchdog due, no budget
   * to take) - each one, announced from an ISR, leaves the IDLE thread running. 0 otherwise.
   */
  quietIdleTicks(limit: number): number {
    const score = this.score;
    if (score.termination !== undefined) return 0;
    // Before boot nothing executes.
    const thread = score.executing;
    if (thread === undefined || !thread.isIdle || score.heir !== thread || score.dispatchNecessary || thread.remainingCycles > 0 || thread.signalActionPending) return 0;
    if (score.isrNestLevel !== 0 || score.dispatchDisableLevel !== 0) return 0;
    return score.quietTicks(limit);
  }

  /**
   * `count` clock ticks were announced from as many ISRs while the IDLE thread ran, each
   * quiet (quietIdleTicks said so), without running them: counted (ticks, uptime, time of
   * day, interrupts) as they would have been. Their cycles are not charged: the kernel that
   * skipped them accounted for them.
   */
  creditIdleTicks(count: number): void {
    const score = this.score;
    score.interrupts += count;
    score.countTicks(count, false);
  }

  /**
   * Runs the thread's code up to its next yield; undefined when the body returned (and its
   * exitted extensions ran). Code running above the body (an ASR, extensions: ThreadFrame)
   * goes first; a frame that returns is a dispatch point (0), after which the code below
   * goes on. A thread's first step is _Thread_Handler's: after a restart its restart
   * extensions, then its begin extensions, then its entry point.
   */
  private advance(thread: Thread): unknown {
    this.activity.thread = thread.name;
    try {
      const frame = thread.frames[thread.frames.length - 1];
      if (frame !== undefined) {
        const step = frame.code.next();
        if (step.done !== true) return step.value;
        // Dropped already if the frame restarted or deleted its thread.
        if (thread.frames[thread.frames.length - 1] === frame) {
          thread.frames.pop();
          thread.remainingCycles = frame.remainingCycles;
        }
        return 0;
      }
      if (thread.body === undefined) {
        if (thread.resetLevel) {
          // A restarted executing thread begins again at its initial level, as _Thread_Handler sets it.
          thread.resetLevel = false;
          this.score.cpuPort.isrSetLevel(thread.initialIsrLevel);
        }
        if (!thread.begun) {
          thread.begun = true;
          const handler = this.extensions.handler(thread);
          if (handler !== undefined) {
            thread.pushFrame(handler);
            return 0;
          }
        }
        const body = thread.entry?.(thread.argument);
        if (!isIterator(body)) {
          if (body !== undefined) {
            return this.score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.INVALID_YIELD, `task ${nameToString(thread.name)} entry did not return a generator`);
          }
          // A plain function ran to its end at once: it returned from its entry point.
          thread.body = RETURNED;
        } else thread.body = body;
      }
      const result = thread.body.next();
      if (result.done !== true) return result.value;
      // _Thread_Handler: the entry returned; the exitted extensions run in the thread first.
      thread.body = RETURNED;
      if (!thread.exitted) {
        thread.exitted = true;
        const exitted = this.extensions.exitted(thread);
        if (exitted !== undefined) {
          thread.pushFrame(exitted);
          return 0;
        }
      }
      return undefined;
    } catch (error) {
      if (isExecutionAbandoned(error)) throw error;
      return this.score.guestException(error);
    }
  }

  statistics(): ExecutiveStatistics {
    const score = this.score;
    return {
      contextSwitches: score.contextSwitches,
      fpContextSwitches: score.fpContextSwitches,
      ticks: score.ticksSinceBoot,
      interrupts: score.interrupts,
      deadlineMisses: score.deadlineMisses,
      periods: this.periods.all.map((period) => ({
        id: period.id,
        name: nameToString(period.name),
        owner: period.owner.id,
        state: period.state,
        deleted: period.deleted,
        count: period.count,
        missedCount: period.missedCount,
      })),
      threads: score.threads.map((thread) => ({
        id: thread.id,
        name: nameToString(thread.name),
        state: thread === score.executing && thread.isReady ? 'executing' : thread.describeState(),
        currentPriority: score.fromCore(thread.currentPriority),
        realPriority: thread.realPriority,
        dispatches: thread.dispatches,
      })),
    };
  }
}

/** The body of a thread whose entry point returned: it stays returned. */
const RETURNED: ThreadBody = Object.freeze({ next: () => ({ done: true, value: undefined }) });

/** The IDLE thread's body: the BSP's idle step, for ever. */
function* idleBody(bsp: BspHooks): Generator<number, void, unknown> {
  for (;;) {
    const iteration = bsp.idle();
    let yielded = false;
    for (let step = iteration.next(); step.done !== true; step = iteration.next()) {
      yielded = true;
      yield step.value;
    }
    // An idle step that yielded nothing must still let time pass.
    if (!yielded) yield 1;
  }
}

/**
 * The configuration the executive runs with: the application's own, then the BSP's or
 * runner's overrides, each read once and checked (readConfiguration). A configuration
 * with problems is not used: the defaults stand in (so the objects the executive builds
 * stay small) and boot() ends in the fatal error INVALID_CONFIGURATION.
 */
function configure(options: ExecutiveOptions): { configuration: Configuration; problems: string[] } {
  let own: unknown;
  try {
    own = options.application.configuration;
  } catch {
    return { configuration: DEFAULT_CONFIGURATION, problems: ['configuration: cannot be read (its getter threw)'] };
  }
  const application = readConfiguration(own);
  const overrides = readConfiguration(options.configuration);
  const problems = [...application.problems, ...overrides.problems];
  if (problems.length > 0) return { configuration: DEFAULT_CONFIGURATION, problems };
  return { configuration: Object.freeze({ ...DEFAULT_CONFIGURATION, ...application.values, ...overrides.values }), problems: [] };
}
