/**
 * Task Manager (RTEMS C User's Guide, "Task Manager"): create, start, delete, exit,
 * suspend, resume, set priority, mode, wake after, wake when, ident. Directive bodies
 * run as one critical section (Score.directive); the ones that can block or dispatch
 * are generators that yield at RTEMS's dispatch point.
 */
import { RTEMS_GLOBAL } from '../attributes.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { RTEMS_ASR_MASK, RTEMS_INTERRUPT_MASK, RTEMS_NO_ASR, RTEMS_NO_PREEMPT, RTEMS_PREEMPT_MASK, RTEMS_TIMESLICE, RTEMS_TIMESLICE_MASK } from '../modes.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF, RTEMS_WHO_AM_I } from '../options.js';
import type { Directive, IdResult, ModeResult, PriorityResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { isValidTimeOfDay, timeOfDayToSeconds } from '../timeOfDay.js';
import { bits32, isPriority, uint32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';
import { STATES_DELAYING, STATES_DORMANT, STATES_SUSPENDED, type Thread } from './thread.js';

export class TaskManager {
  readonly table: ObjectTable<Thread>;

  constructor(private readonly score: Score) {
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

  /** rtems_task_create: a dormant task; the stack size is rounded up to the minimum. */
  create(name: unknown, priority: unknown, stackSize: unknown, initialModes: unknown, attributes: unknown): IdResult {
    const score = this.score;
    return score.directive(() => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      if (!isPriority(priority)) return { status: RtemsStatus.INVALID_PRIORITY, id: 0 };
      const attributeSet = bits32(attributes);
      if ((attributeSet & RTEMS_GLOBAL) !== 0) return { status: RtemsStatus.MP_NOT_CONFIGURED, id: 0 };
      const requested = uint32(stackSize);
      // A stack the workspace cannot hold: _Thread_Initialize fails (RTEMS_UNSATISFIED).
      if (requested === undefined) return { status: RtemsStatus.UNSATISFIED, id: 0 };
      const modes = bits32(initialModes);
      const thread = this.table.allocate((id) =>
        score.createThread({
          id,
          name: packed,
          priority,
          modes,
          attributes: attributeSet,
          stackSize: Math.max(requested, RTEMS_MINIMUM_STACK_SIZE),
          isIdle: false,
          context: score.cpuPort.contextInitialize(modes & RTEMS_INTERRUPT_MASK),
        }),
      );
      return thread === undefined ? { status: RtemsStatus.TOO_MANY, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: thread.id };
    });
  }

  /** rtems_task_start: a dormant task gets its entry point and becomes ready (and may preempt the caller). */
  *start(id: unknown, entry: (argument: number) => unknown, argument: number): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if ((thread.state & STATES_DORMANT) === 0) return RtemsStatus.INCORRECT_STATE;
      score.startThread(thread, entry, argument);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_task_delete: a deleted task never runs again; deleting oneself does not return. */
  *delete(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    if (score.isrNestLevel > 0) return RtemsStatus.CALLED_FROM_ISR;
    const status = score.directive(() => {
      const thread = this.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if (thread === score.executing && !score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'task deleted itself with dispatching disabled');
      }
      this.remove(thread, 'delete');
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_task_exit: the executing task deletes itself. Never returns. */
  *exit(): Directive<never> {
    const score = this.score;
    const thread = score.executing;
    if (!score.canBlock || thread === undefined || thread.isIdle) {
      return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'rtems_task_exit outside a task');
    }
    score.directive(() => this.remove(thread, 'exit'));
    yield* score.dispatchPoint();
    return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'an exited task ran again');
  }

  /** A task body returned: the task exits (see the README on this difference from RTEMS). */
  exitReturned(thread: Thread): void {
    this.score.directive(() => this.remove(thread, 'exit'));
  }

  private remove(thread: Thread, reason: 'exit' | 'delete'): void {
    this.score.deleteThread(thread, reason);
    this.table.release(thread);
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
   * ceiling semaphore keeps its raised priority until it releases it.
   */
  *setPriority(id: unknown, priority: unknown): Directive<PriorityResult> {
    const score = this.score;
    if (priority !== RTEMS_CURRENT_PRIORITY && !isPriority(priority)) return { status: RtemsStatus.INVALID_PRIORITY, priority: 0 };
    const result = score.directive((): PriorityResult => {
      const thread = this.lookup(id);
      if (thread === undefined) return { status: RtemsStatus.INVALID_ID, priority: 0 };
      const old = thread.currentPriority;
      if (priority !== RTEMS_CURRENT_PRIORITY) score.setRealPriority(thread, priority);
      return { status: RtemsStatus.SUCCESSFUL, priority: old };
    });
    yield* score.dispatchPoint();
    return result;
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
        thread.timeslice = (modes & RTEMS_TIMESLICE) !== 0;
        if (thread.timeslice) thread.budget = score.config.ticksPerTimeslice;
      }
      if ((selected & RTEMS_ASR_MASK) !== 0) thread.asr = (modes & RTEMS_NO_ASR) === 0;
      score.updateHeir(false);
    });
    // Outside the critical section: its end would restore the old level.
    if ((selected & RTEMS_INTERRUPT_MASK) !== 0) port.isrSetLevel(modes & RTEMS_INTERRUPT_MASK);
    yield* score.dispatchPoint();
    return { status: RtemsStatus.SUCCESSFUL, previousMode: previousMode >>> 0 };
  }

  /** rtems_task_wake_after: sleep `ticks` clock ticks; RTEMS_YIELD_PROCESSOR (0) yields to equal priorities. */
  *wakeAfter(ticks: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const thread = score.executing;
    if (!score.canBlock || thread === undefined) return RtemsStatus.CALLED_FROM_ISR;
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
   * RTEMS). NOT_DEFINED before the clock is set; INVALID_CLOCK for an invalid or past time.
   */
  *wakeWhen(tod: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const thread = score.executing;
    if (!score.canBlock || thread === undefined) return RtemsStatus.CALLED_FROM_ISR;
    const now = score.todSeconds;
    if (now === undefined) return RtemsStatus.NOT_DEFINED;
    if (typeof tod !== 'object' || tod === null) return RtemsStatus.INVALID_ADDRESS;
    const withoutTicks = { ...tod, ticks: 0 };
    if (!isValidTimeOfDay(withoutTicks, score.ticksPerSecond)) return RtemsStatus.INVALID_CLOCK;
    const seconds = timeOfDayToSeconds(withoutTicks);
    if (seconds <= now) return RtemsStatus.INVALID_CLOCK;
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
}
