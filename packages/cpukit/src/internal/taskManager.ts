/**
 * Task Manager (RTEMS C User's Guide, "Task Manager"): create, construct, start, restart,
 * delete, exit, suspend, resume, set/get priority, get/set scheduler, mode, wake after,
 * wake when, ident, self, iterate; and rtems_scheduler_ident of the one scheduler.
 * Directive bodies run as one critical section (Score.directive); the ones that can
 * block or dispatch are generators that yield at RTEMS's dispatch point. Status codes
 * and their order follow RTEMS 6 (cpukit/rtems/src/task*.c and the requirements in
 * rtems-central spec/rtems/task/req/*.yml).
 */
import { RTEMS_SYSTEM_TASK } from '../attributes.js';
import type { TaskConfig } from '../directiveConfig.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { RTEMS_ASR_MASK, RTEMS_INTERRUPT_MASK, RTEMS_NO_ASR, RTEMS_NO_PREEMPT, RTEMS_PREEMPT_MASK, RTEMS_TIMESLICE, RTEMS_TIMESLICE_MASK } from '../modes.js';
import { ClassicObjectClass, LOCAL_NODE, OBJECTS_CLASSIC_API, OBJECTS_FAKE_OBJECTS_API, OBJECTS_FAKE_OBJECTS_SCHEDULERS, buildObjectId } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF, RTEMS_WHO_AM_I } from '../options.js';
import type { Directive, IdResult, ModeResult, PosixPriorityResult, PriorityResult, TaskVisit } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { isValidTimeOfDay, timeOfDayToSeconds } from '../timeOfDay.js';
import { bits32, isPriority, uint32 } from './arguments.js';
import type { ExtensionManager } from './extensionManager.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';
import { addSignalAction } from './signalManager.js';
import { STATES_DELAYING, STATES_DORMANT, STATES_SUSPENDED, type Thread } from './thread.js';

/**
 * The id of the one scheduler, _Scheduler_Build_id( 0 ) (score/schedulerimpl.h): 0x0f010001,
 * whichever scheduler the configuration selects. Its name and maximum priority are the
 * score's (Score.scheduler: 'UPD ' and 255, 'UEDF' or 'UCBS' and 0x7fffffff).
 */
export const SCHEDULER_ID = buildObjectId(OBJECTS_FAKE_OBJECTS_API, OBJECTS_FAKE_OBJECTS_SCHEDULERS, LOCAL_NODE, 1);

/**
 * _RTEMS_Priority_To_core validity: a priority the scheduler has (0..maximum_priority). Task
 * creation refuses 0 (PRIORITY_MINIMUM) unless the task is a system task (taskconstruct.c,
 * _RTEMS_tasks_Create).
 */
function isSchedulerPriority(value: unknown, maximum: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= maximum;
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isInitialPriority(priority: unknown, attributes: number, maximum: number): priority is number {
  return (attributes & RTEMS_SYSTEM_TASK) !== 0 ? isSchedulerPriority(priority, maximum) : isPriority(priority, maximum);
}

/** What creating a task needs once its arguments are checked. */
interface NewTask {
  readonly name: number;
  readonly priority: number;
  readonly modes: number;
  readonly attributes: number;
}

export class TaskManager {
  readonly table: ObjectTable<Thread>;
  /**
   * Tasks that terminated and are not freed yet (_Thread_Zombies): RTEMS 6 frees them -
   * delete extensions, then the storage - at the next task create or construct.
   */
  private readonly zombies: Thread[] = [];

  constructor(
    private readonly score: Score,
    private readonly extensions?: ExtensionManager,
  ) {
    this.table = new ObjectTable<Thread>(OBJECTS_CLASSIC_API, ClassicObjectClass.TASKS, score.config.maximumTasks);
  }

  /**
   * The task `id` names: RTEMS_SELF is the executing task (which must be a Classic
   * task: the IDLE thread is not reachable through the Classic API).
   */
  lookup(id: unknown): Thread | undefined {
    if (id === RTEMS_SELF) {
      const executing = this.score.executing;
      return executing !== undefined && !executing.isIdle ? executing : undefined;
    }
    return this.table.get(id);
  }

  /**
   * _RTEMS_tasks_Create after the argument checks: takes an object (RTEMS_TOO_MANY when
   * none is left), then prepares the stack; a stack that cannot be had frees the object
   * again - to the end of the free list, as _Objects_Free does - and answers `stackStatus`.
   * RTEMS_GLOBAL is accepted and has no effect: without multiprocessing RTEMS clears it
   * (taskconstruct.c: `attributes = _Attributes_Clear( attributes, RTEMS_GLOBAL )`).
   */
  private allocate(task: NewTask, stackSize: number | undefined, stackStatus: RtemsStatus): IdResult {
    const score = this.score;
    if (stackSize === undefined) return this.table.allocateAndFree() ? { status: stackStatus, id: 0 } : { status: RtemsStatus.TOO_MANY, id: 0 };
    const thread = this.table.allocate((id) =>
      score.createThread({
        id,
        name: task.name,
        priority: task.priority,
        modes: task.modes,
        attributes: task.attributes,
        stackSize,
        isIdle: false,
        // _Modes_Get_interrupt_level: RTEMS_INTERRUPT_MASK is the port's CPU_MODES_INTERRUPT_MASK.
        context: score.cpuPort.contextInitialize(task.modes & score.cpuPort.interruptMask),
        interruptMask: score.cpuPort.interruptMask,
      }),
    );
    return thread === undefined ? { status: RtemsStatus.TOO_MANY, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: thread.id };
  }

  /** rtems_task_create: a dormant task; the stack size is rounded up to the minimum. */
  create(name: unknown, priority: unknown, stackSize: unknown, initialModes: unknown, attributes: unknown): IdResult {
    const packed = packName(name);
    if (packed === undefined) return this.refuse(RtemsStatus.INVALID_NAME);
    const attributeSet = bits32(attributes);
    if (!isInitialPriority(priority, attributeSet, this.score.scheduler.maximumPriority)) return this.refuse(RtemsStatus.INVALID_PRIORITY);
    const requested = uint32(stackSize);
    // A stack the workspace cannot hold (not a size_t): _Stack_Allocate fails, RTEMS_UNSATISFIED.
    const stack = requested === undefined ? undefined : Math.max(requested, RTEMS_MINIMUM_STACK_SIZE);
    this.killZombies();
    const result = this.score.directive(() => this.allocate({ name: packed, priority, modes: bits32(initialModes), attributes: attributeSet }, stack, RtemsStatus.UNSATISFIED));
    return this.created(result);
  }

  /** A create refused by its argument checks (one directive, as the checks were inside it). */
  private refuse(status: RtemsStatus): IdResult {
    return this.score.directive((): IdResult => ({ status, id: 0 }));
  }

  /**
   * The end of _Thread_Initialize (threadinitialize.c): the create extensions. One that
   * returns false fails the create: the thread is closed and freed again (_Thread_Free: its
   * delete extensions, its storage; the object to the end of the free list) and the
   * directive answers RTEMS_UNSATISFIED.
   */
  private created(result: IdResult): IdResult {
    const extensions = this.extensions;
    if (result.status !== RtemsStatus.SUCCESSFUL || extensions === undefined) return result;
    const thread = this.table.get(result.id);
    if (thread === undefined || extensions.threadCreate(thread)) return result;
    this.score.directive(() => this.remove(thread, 'delete'));
    this.killZombies();
    return { status: RtemsStatus.UNSATISFIED, id: 0 };
  }

  /**
   * _Thread_Kill_zombies (threadrestart.c), called by _RTEMS_tasks_Allocate before it takes
   * a task object: every task that terminated since is freed (_Thread_Free): its delete
   * extensions run, in reverse order and in the creating task's context, then its storage
   * is freed (a constructed task's storage_free).
   */
  private killZombies(): void {
    for (let thread = this.zombies.shift(); thread !== undefined; thread = this.zombies.shift()) {
      this.extensions?.threadDelete(thread);
      this.freeStorage(thread);
    }
  }

  /**
   * rtems_task_construct (cpukit/rtems/src/taskconstruct.c; spec:/rtems/task/req/construct-errors):
   * a dormant task in the caller's storage area. RTEMS_INVALID_ADDRESS without a
   * configuration, then INVALID_NAME, INVALID_PRIORITY, TOO_MANY, and INVALID_SIZE when
   * the thread-local storage the area supports or the area itself is too small
   * (_RTEMS_tasks_Prepare_user_stack: the area must hold a stack of the configured
   * minimum, RTEMS_MINIMUM_STACK_SIZE; this executive has no thread-local storage and no
   * separate floating-point context).
   */
  construct(config: unknown): IdResult {
    if (typeof config !== 'object' || config === null) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
    const c = config as Partial<Record<keyof TaskConfig, unknown>>;
    const name = c.name;
    const priority = c.initialPriority;
    const storageArea = c.storageArea;
    const storageSize = c.storageSize;
    const tlsSize = c.maximumThreadLocalStorageSize ?? 0;
    const storageFree = c.storageFree;
    const modes = bits32(c.initialModes);
    const attributes = bits32(c.attributes);
    const packed = packName(name);
    if (packed === undefined) return this.refuse(RtemsStatus.INVALID_NAME);
    if (!isInitialPriority(priority, attributes, this.score.scheduler.maximumPriority)) return this.refuse(RtemsStatus.INVALID_PRIORITY);
    const size = uint32(storageSize);
    const fits = uint32(tlsSize) !== undefined && size !== undefined && size >= RTEMS_MINIMUM_STACK_SIZE;
    this.killZombies();
    const result = this.score.directive(() => this.allocate({ name: packed, priority, modes, attributes }, fits ? size : undefined, RtemsStatus.INVALID_SIZE));
    if (result.status === RtemsStatus.SUCCESSFUL && typeof storageFree === 'function') {
      const free = storageFree as (area: unknown) => unknown;
      this.table.get(result.id)!.storageFree = () => void free(storageArea);
    }
    return this.created(result);
  }

  /** rtems_task_start: a dormant task gets its entry point and becomes ready (and may preempt the caller). */
  *start(id: unknown, entry: (argument: number) => unknown, argument: number): Directive<RtemsStatus> {
    const score = this.score;
    let started: Thread | undefined;
    const status = score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if ((thread.state & STATES_DORMANT) === 0) return RtemsStatus.INCORRECT_STATE;
      score.startThread(thread, entry, argument);
      started = thread;
      return RtemsStatus.SUCCESSFUL;
    });
    // _Thread_Start (threadstart.c): the start extensions after the thread is ready, dispatching disabled.
    if (started !== undefined) this.extensions?.threadStart(started);
    yield* score.dispatchPoint();
    return status;
  }

  /**
   * rtems_task_restart (cpukit/rtems/src/taskrestart.c, score/src/threadrestart.c;
   * spec:/rtems/task/req/restart): INVALID_ID, INCORRECT_STATE for a dormant task (it never
   * started). Another task, or the task an ISR interrupted (RTEMS_SELF there), starts over
   * from its entry point with `argument` when it next runs, and the call returns
   * SUCCESSFUL. The calling task restarting itself never returns; with thread
   * dispatching disabled (a timer service routine fired by rtems_clock_set) that is the
   * fatal error INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL (_Thread_Restart_self ends
   * in _Thread_Dispatch_direct_no_return).
   */
  *restart(id: unknown, argument: number): Directive<RtemsStatus> {
    const score = this.score;
    let self = false;
    const status = score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if ((thread.state & STATES_DORMANT) !== 0) return RtemsStatus.INCORRECT_STATE;
      self = thread === score.executing && score.isrNestLevel === 0;
      if (self && !score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'task restarted itself with dispatching disabled');
      }
      score.restartThread(thread, argument);
      return RtemsStatus.SUCCESSFUL;
    });
    if (!self) {
      yield* score.dispatchPoint();
      return status;
    }
    // The old body is dropped here: the executive starts the entry point again.
    yield 0;
    return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'a restarted task ran its old body again');
  }

  /**
   * rtems_task_delete: a deleted task never runs again; deleting oneself does not return.
   * The thread terminate extensions run first (_Thread_Life_action_handler): in the task's
   * own context when it deletes itself (_Thread_Exit), in the caller's when it deletes
   * another (see ExtensionManager.threadTerminate). The task then is a zombie until the
   * next task create (its delete extensions, its storage_free).
   */
  *delete(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    if (score.isrNestLevel > 0) return RtemsStatus.CALLED_FROM_ISR;
    let target: Thread | undefined;
    const status = score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if (thread === score.executing && !score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'task deleted itself with dispatching disabled');
      }
      if (this.terminates(thread)) target = thread;
      else this.remove(thread, 'delete');
      return RtemsStatus.SUCCESSFUL;
    });
    if (target !== undefined) {
      const thread = target;
      if (thread === score.executing) yield* this.terminateSelf(thread);
      else this.terminateOther(thread);
      if (!thread.deleted) score.directive(() => this.remove(thread, 'delete'));
    }
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_task_exit: the executing task deletes itself (_Thread_Exit: its terminate extensions first). Never returns. */
  *exit(): Directive<never> {
    const score = this.score;
    const thread = score.executing;
    if (!score.canBlock || thread === undefined || thread.isIdle) {
      return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'rtems_task_exit outside a task');
    }
    if (this.terminates(thread)) yield* this.terminateSelf(thread);
    if (!thread.deleted) score.directive(() => this.remove(thread, 'exit'));
    yield* score.dispatchPoint();
    return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'an exited task ran again');
  }

  /**
   * Whether deleting `thread` runs terminate extensions: there are some, and they are not
   * running for it already (its life is protected then: a delete from inside them, which
   * RTEMS would take as a recursive request, ends the task without running them again).
   */
  private terminates(thread: Thread): boolean {
    return this.extensions?.hasTerminate() === true && !thread.terminating;
  }

  private *terminateSelf(thread: Thread): Generator<number, void, unknown> {
    thread.terminating = true;
    try {
      yield* this.extensions!.threadTerminateSelf(thread);
    } finally {
      thread.terminating = false;
    }
  }

  private terminateOther(thread: Thread): void {
    thread.terminating = true;
    try {
      this.extensions!.threadTerminate(thread);
    } finally {
      thread.terminating = false;
    }
  }

  /** _Thread_Make_zombie: the object is closed at once; the thread is freed at the next create. */
  private remove(thread: Thread, reason: 'exit' | 'delete'): void {
    if (thread.deleted) return;
    this.score.deleteThread(thread, reason);
    this.table.release(thread);
    this.zombies.push(thread);
  }

  /** A constructed task's storage_free handler, once the task is freed (outside the critical section: it is guest code). */
  private freeStorage(thread: Thread): void {
    const free = thread.storageFree;
    thread.storageFree = undefined;
    free?.();
  }

  /** rtems_task_suspend. */
  *suspend(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if ((thread.state & STATES_SUSPENDED) !== 0) return RtemsStatus.ALREADY_SUSPENDED;
      score.setState(thread, STATES_SUSPENDED);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_task_resume. */
  *resume(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if ((thread.state & STATES_SUSPENDED) === 0) return RtemsStatus.INCORRECT_STATE;
      score.clearState(thread, STATES_SUSPENDED);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_task_is_suspended: SUCCESSFUL when not suspended, ALREADY_SUSPENDED when it is. */
  isSuspended(id: unknown): RtemsStatus {
    return this.score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      return (thread.state & STATES_SUSPENDED) !== 0 ? RtemsStatus.ALREADY_SUSPENDED : RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_task_set_priority: sets the real priority and returns the previous current
   * priority; RTEMS_CURRENT_PRIORITY only queries. A task holding an inheritance or
   * ceiling semaphore keeps its raised priority until it releases it. The task is
   * checked first (INVALID_ID), then the priority; RTEMS_INVALID_PRIORITY still reports
   * the current priority (RTEMS 6 tasksetpriority.c; spec:/rtems/task/req/set-priority).
   */
  *setPriority(id: unknown, priority: unknown): Directive<PriorityResult> {
    const score = this.score;
    const result = score.directive((): PriorityResult => {
      const thread = this.lookup(id);
      if (thread === undefined) return { status: RtemsStatus.INVALID_ID, priority: 0 };
      // _RTEMS_Priority_From_core of the current priority: under EDF a job's deadline.
      const old = score.fromCore(thread.currentPriority);
      if (priority === RTEMS_CURRENT_PRIORITY) return { status: RtemsStatus.SUCCESSFUL, priority: old };
      if (!isSchedulerPriority(priority, score.scheduler.maximumPriority)) return { status: RtemsStatus.INVALID_PRIORITY, priority: old };
      score.setRealPriority(thread, priority);
      return { status: RtemsStatus.SUCCESSFUL, priority: old };
    });
    yield* score.dispatchPoint();
    return result;
  }

  /**
   * rtems_task_get_priority (cpukit/rtems/src/taskgetpriority.c): the current priority
   * with respect to `schedulerId`. The scheduler is checked first, then the task: both
   * are RTEMS_INVALID_ID. (RTEMS_NOT_DEFINED exists only with more schedulers, SMP.)
   */
  getPriority(taskId: unknown, schedulerId: unknown): PriorityResult {
    return this.score.directive((): PriorityResult => {
      if (schedulerId !== SCHEDULER_ID) return { status: RtemsStatus.INVALID_ID, priority: 0 };
      const thread = this.lookup(taskId);
      if (thread === undefined) return { status: RtemsStatus.INVALID_ID, priority: 0 };
      // _RTEMS_Priority_From_core: under EDF a thread with a released job answers its deadline (ticks).
      return { status: RtemsStatus.SUCCESSFUL, priority: this.score.fromCore(thread.currentPriority) };
    });
  }

  /** rtems_task_get_scheduler (taskgetscheduler.c): the home scheduler, the only one. */
  getScheduler(taskId: unknown): IdResult {
    return this.score.directive((): IdResult => {
      const thread = this.lookup(taskId);
      return thread === undefined ? { status: RtemsStatus.INVALID_ID, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: SCHEDULER_ID };
    });
  }

  /**
   * rtems_task_set_scheduler (tasksetscheduler.c, _Scheduler_Set in score/schedulerimpl.h;
   * spec:/rtems/task/req/set-scheduler), one processor: INVALID_ID for an unknown
   * scheduler, then INVALID_PRIORITY (checked before the task), then INVALID_ID for an
   * unknown task; RESOURCE_IN_USE when the task waits on a thread queue (semaphore,
   * message queue) or its current priority is more than its real priority (it holds a
   * ceiling semaphore, or an inheritance semaphore with waiters). Otherwise the priority
   * becomes the task's real and initial priority (a restart goes back to it).
   */
  *setScheduler(taskId: unknown, schedulerId: unknown, priority: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      if (schedulerId !== SCHEDULER_ID) return RtemsStatus.INVALID_ID;
      if (!isSchedulerPriority(priority, score.scheduler.maximumPriority)) return RtemsStatus.INVALID_PRIORITY;
      const thread = this.lookup(taskId);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if (thread.waitQueue !== undefined) return RtemsStatus.RESOURCE_IN_USE;
      if (thread.heldMutexes.some((mutex) => mutex.ceiling || (mutex.inherit && mutex.waitQueue.length > 0))) return RtemsStatus.RESOURCE_IN_USE;
      thread.initialPriority = priority;
      score.setRealPriority(thread, priority);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /**
   * rtems_scheduler_get_maximum_priority (schedulergetmaxprio.c): the scheduler's
   * maximum_priority, 255 (sptests/spscheduler01 expects 255), or SCHEDULER_EDF_MAXIMUM_PRIORITY
   * (0x7fffffff) under EDF and CBS. INVALID_ID.
   */
  schedulerGetMaximumPriority(schedulerId: unknown): PriorityResult {
    if (schedulerId !== SCHEDULER_ID) return { status: RtemsStatus.INVALID_ID, priority: 0 };
    return { status: RtemsStatus.SUCCESSFUL, priority: this.score.scheduler.maximumPriority };
  }

  /**
   * rtems_scheduler_map_priority_to_posix (schedulermappriotoposix.c): INVALID_ID, then
   * INVALID_PRIORITY outside 1 .. maximum - 1; the POSIX priority is maximum - priority.
   */
  schedulerMapPriorityToPosix(schedulerId: unknown, priority: unknown): PosixPriorityResult {
    if (schedulerId !== SCHEDULER_ID) return { status: RtemsStatus.INVALID_ID, posixPriority: 0 };
    const maximum = this.score.scheduler.maximumPriority;
    if (!isWhole(priority) || priority < 1 || priority >= maximum) return { status: RtemsStatus.INVALID_PRIORITY, posixPriority: 0 };
    return { status: RtemsStatus.SUCCESSFUL, posixPriority: maximum - priority };
  }

  /**
   * rtems_scheduler_map_priority_from_posix (schedulermapprifromposix.c): the inverse,
   * for POSIX priorities 1 .. maximum - 1 (spscheduler01: 1 -> 254, 254 -> 1; 0, -1 and
   * 255 are INVALID_PRIORITY). INVALID_ID first.
   */
  schedulerMapPriorityFromPosix(schedulerId: unknown, posixPriority: unknown): PriorityResult {
    if (schedulerId !== SCHEDULER_ID) return { status: RtemsStatus.INVALID_ID, priority: 0 };
    const maximum = this.score.scheduler.maximumPriority;
    if (!isWhole(posixPriority) || posixPriority < 1 || posixPriority >= maximum) return { status: RtemsStatus.INVALID_PRIORITY, priority: 0 };
    return { status: RtemsStatus.SUCCESSFUL, priority: maximum - posixPriority };
  }

  /**
   * rtems_scheduler_ident_by_processor (schedulerident-by-processor.c): INVALID_NAME for a
   * processor index at or past the processor maximum (1); processor 0 has the one scheduler.
   */
  schedulerIdentByProcessor(cpuIndex: unknown): IdResult {
    if (!isWhole(cpuIndex) || cpuIndex < 0 || cpuIndex > 0xffff_ffff) return { status: RtemsStatus.INVALID_NAME, id: 0 };
    return cpuIndex >= 1 ? { status: RtemsStatus.INVALID_NAME, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: SCHEDULER_ID };
  }

  /** rtems_scheduler_ident (schedulerident.c): the one scheduler's id for its name ('UPD ', 'UEDF' or 'UCBS'); INVALID_NAME otherwise. */
  schedulerIdent(name: unknown): IdResult {
    return packName(name) === this.score.scheduler.name ? { status: RtemsStatus.SUCCESSFUL, id: SCHEDULER_ID } : { status: RtemsStatus.INVALID_NAME, id: 0 };
  }

  /**
   * rtems_task_mode: returns the previous mode and changes the parts selected by
   * `mask`. Enabling preemption with a more important task ready dispatches at once
   * (_Thread_Evaluate_mode); turning timeslicing on starts a fresh timeslice.
   */
  *mode(modeSet: unknown, mask: unknown): Directive<ModeResult> {
    const score = this.score;
    const thread = score.executing;
    if (score.isrNestLevel > 0 || thread === undefined) return { status: RtemsStatus.CALLED_FROM_ISR, previousMode: 0 };
    const modes = bits32(modeSet);
    const selected = bits32(mask);
    const port = score.cpuPort;
    const previousMode =
      (thread.preemptible ? 0 : RTEMS_NO_PREEMPT) | (thread.timeslice ? RTEMS_TIMESLICE : 0) | (thread.asr ? 0 : RTEMS_NO_ASR) | (port.isrGetLevel() & RTEMS_INTERRUPT_MASK);
    score.directive(() => {
      if ((selected & RTEMS_PREEMPT_MASK) !== 0) thread.preemptible = (modes & RTEMS_NO_PREEMPT) === 0;
      if ((selected & RTEMS_TIMESLICE_MASK) !== 0) {
        // _Modes_Apply_timeslice_to_thread replaces the CPU budget operations, CBS's too.
        thread.cbsBudgetCounted = false;
        thread.timeslice = (modes & RTEMS_TIMESLICE) !== 0;
        if (thread.timeslice) thread.budget = score.config.ticksPerTimeslice;
      }
      if ((selected & RTEMS_ASR_MASK) !== 0) {
        const wasEnabled = thread.asr;
        thread.asr = (modes & RTEMS_NO_ASR) === 0;
        // taskmode.c: switching ASR processing on with signals pending appends the
        // Signal_action and dispatches, so the ASR runs before the directive returns.
        if (!wasEnabled && thread.asr && thread.signalsPending !== 0) addSignalAction(thread);
      }
      score.updateHeir(false);
    });
    // Outside the critical section: its end would restore the old level. RTEMS_INTERRUPT_MASK
    // is the port's CPU_MODES_INTERRUPT_MASK (taskmode.c, _Modes_Set_interrupt_level): on the
    // i386 (0x1) RTEMS_INTERRUPT_LEVEL(2) is level 0, on SPARC (0xF) level 2.
    if ((selected & port.interruptMask) !== 0) port.isrSetLevel(modes & port.interruptMask);
    yield* score.dispatchPoint();
    return { status: RtemsStatus.SUCCESSFUL, previousMode: previousMode >>> 0 };
  }

  /**
   * A blocking task directive called where no thread dispatch is possible (an ISR, a
   * timer service routine): RTEMS 6 wake after / wake when end in _Thread_Dispatch_direct,
   * which is the fatal error INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL while the
   * dispatch disable level is not one (cpukit/rtems/src/taskwakeafter.c, taskwakewhen.c;
   * spec:/score/thread/req/fatal-bad-thread-dispatch-disable-level).
   */
  private mustDispatch(directive: string): Thread {
    const score = this.score;
    const thread = score.executing;
    if (!score.canBlock || thread === undefined) {
      return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, `${directive} called from an ISR or with dispatching disabled`);
    }
    return thread;
  }

  /** rtems_task_wake_after: sleep `ticks` clock ticks; RTEMS_YIELD_PROCESSOR (0) yields to equal priorities. */
  *wakeAfter(ticks: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const thread = this.mustDispatch('rtems_task_wake_after');
    const interval = bits32(ticks);
    score.directive(() => {
      if (interval === 0) score.yieldExecuting();
      else score.block(thread, STATES_DELAYING, undefined, interval);
    });
    yield* score.dispatchPoint();
    return RtemsStatus.SUCCESSFUL;
  }

  /**
   * rtems_task_wake_when: sleep until a time of day (its ticks field is ignored, as in
   * RTEMS). NOT_DEFINED before the clock is set; INVALID_ADDRESS without a time;
   * INVALID_CLOCK for an invalid or past time. These are checked before the dispatch, so
   * from an ISR they are answered; a valid time there is the fatal error of mustDispatch.
   */
  *wakeWhen(tod: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const now = score.todSeconds;
    if (now === undefined) return RtemsStatus.NOT_DEFINED;
    if (typeof tod !== 'object' || tod === null) return RtemsStatus.INVALID_ADDRESS;
    const withoutTicks = { ...tod, ticks: 0 };
    if (!isValidTimeOfDay(withoutTicks, score.ticksPerSecond)) return RtemsStatus.INVALID_CLOCK;
    const seconds = timeOfDayToSeconds(withoutTicks);
    if (seconds <= now) return RtemsStatus.INVALID_CLOCK;
    const thread = this.mustDispatch('rtems_task_wake_when');
    score.directive(() => score.blockUntil(thread, seconds));
    yield* score.dispatchPoint();
    return RtemsStatus.SUCCESSFUL;
  }

  /** rtems_task_ident: RTEMS_WHO_AM_I gives the caller's own id. */
  ident(name: unknown, node: unknown): IdResult {
    if (name === RTEMS_WHO_AM_I) {
      const executing = this.score.executing;
      return executing === undefined ? { status: RtemsStatus.INVALID_NAME, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: executing.id };
    }
    return this.score.directive(() => identify(this.table, name, node));
  }

  /** rtems_task_self: the executing thread's id (IDLE's, 0x09010001, in an ISR that interrupted IDLE). */
  self(): number {
    return this.score.current.id;
  }

  /**
   * rtems_task_iterate (cpukit/score/src/threaditerate.c; spec:/rtems/task/val/task): the
   * visitor sees every task of every API - the IDLE thread (internal API) first, then the
   * Classic tasks in index order - and the iteration stops as soon as it returns a truthy
   * value. The tasks are those that exist when the call starts; one deleted meanwhile is
   * skipped. Each visit is a snapshot (TaskVisit), not the task itself.
   */
  /** The threads rtems_task_iterate visits, in its order: the IDLE thread, then the Classic tasks by index. */
  threadsInIterationOrder(): Thread[] {
    return [...this.score.threads.filter((t) => t.isIdle && !t.deleted), ...this.table.values()];
  }

  iterate(visitor: unknown, argument: unknown): void {
    if (typeof visitor !== 'function') return;
    const score = this.score;
    const tasks = score.directive(() => this.threadsInIterationOrder());
    for (const thread of tasks) {
      if (thread.deleted) continue;
      const visit: TaskVisit = Object.freeze({
        id: thread.id,
        name: thread.name,
        state: thread === score.executing && thread.isReady ? 'executing' : thread.describeState(),
        currentPriority: this.score.fromCore(thread.currentPriority),
        realPriority: thread.realPriority,
        initialPriority: thread.initialPriority,
        stackSize: thread.stackSize,
      });
      if ((visitor as (visit: TaskVisit, argument: unknown) => unknown)(visit, argument)) return;
    }
  }
}
