/**
 * Signal Manager (RTEMS C User's Guide, "Signal Manager"), as RTEMS 6 does it on one
 * processor (cpukit/rtems/src/signalcatch.c, signalsend.c, taskmode.c):
 *
 * - a task installs an asynchronous signal routine (ASR) with rtems_signal_catch, and the
 *   mode it runs in;
 * - rtems_signal_send adds signals to the task's pending set; when the task has ASR
 *   processing enabled (RTEMS_ASR) it also puts the Signal_action on the task's
 *   post-switch actions and requests a thread dispatch (_Thread_Add_post_switch_action);
 * - the post-switch actions run at the end of every thread dispatch of their thread,
 *   whether it was switched to or kept executing (_Thread_Do_dispatch): a send to oneself
 *   runs the ASR inside rtems_signal_send, a send from an ISR runs it when the ISR ends
 *   (before the interrupted task goes on), a send to another task runs it when that task
 *   next executes (a blocked task's ASR waits until it is unblocked);
 * - with ASR processing disabled (RTEMS_NO_ASR) the signals stay pending; rtems_task_mode
 *   enabling it while signals are pending runs the ASR before it returns.
 *
 * The ASR (_Signal_Action_handler) runs on the task as a ThreadFrame: in the task's
 * context, able to block, in the ASR's mode; see asrAction.
 */
import { RTEMS_NO_ASR, RTEMS_NO_PREEMPT, RTEMS_TIMESLICE } from '../modes.js';
import type { Directive } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import { type Score, isIterator } from './score.js';
import type { TaskManager } from './taskManager.js';
import type { Thread } from './thread.js';

export class SignalManager {
  constructor(
    private readonly score: Score,
    private readonly tasks: TaskManager,
  ) {
    score.hooks.postSwitch = (thread) => this.postSwitch(thread);
  }

  /**
   * rtems_signal_catch (signalcatch.c; spec:/rtems/signal/req/catch): the executing task's
   * ASR handler and its mode set; always SUCCESSFUL on one processor (RTEMS_NOT_IMPLEMENTED
   * exists only with SMP or a CPU port with robust thread dispatching, which neither i386 nor
   * SPARC has). No handler (undefined: C's NULL, or anything that is not a function)
   * invalidates the ASR and clears the pending signals, as the C User's Guide and
   * spec:/rtems/signal/req/catch say; RTEMS 6's uniprocessor code only asserts that none
   * are pending, which a task with RTEMS_NO_ASR can contradict. Never preempts the caller.
   */
  catch(handler: ((signals: number) => unknown) | undefined, modeSet: unknown): RtemsStatus {
    const mode = bits32(modeSet);
    return this.score.directive(() => {
      const thread = this.score.executing;
      if (thread === undefined) return RtemsStatus.SUCCESSFUL;
      thread.asrHandler = handler;
      thread.asrModeSet = mode;
      if (handler === undefined) {
        thread.signalsPending = 0;
        thread.signalActionPending = false;
      }
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_signal_send (signalsend.c; spec:/rtems/signal/req/send): INVALID_NUMBER for an
   * empty set (checked first), INVALID_ID, NOT_DEFINED when the task has no ASR (the
   * signals are discarded). Works from an ISR. See the module comment for when the ASR runs.
   */
  *send(id: unknown, signalSet: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const signals = bits32(signalSet);
    const status = score.directive((): RtemsStatus => {
      if (signals === 0) return RtemsStatus.INVALID_NUMBER;
      const thread = this.tasks.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      if (thread.asrHandler === undefined) return RtemsStatus.NOT_DEFINED;
      thread.signalsPending = (thread.signalsPending | signals) >>> 0;
      if (thread.asr) addSignalAction(thread);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }


  /** _Thread_Run_post_switch_actions of the executing thread: its ASR, if the Signal_action is on its chain. */
  private postSwitch(thread: Thread): void {
    if (!thread.signalActionPending) return;
    const handler = thread.asrHandler;
    // _Signal_Action_handler asserts signals pending and ASR processing enabled; should either
    // not hold, the signals stay pending until rtems_task_mode enables the ASR again.
    if (handler === undefined || thread.signalsPending === 0 || !thread.asr) {
      thread.signalActionPending = false;
      return;
    }
    thread.signalActionPending = false;
    thread.pushFrame(this.asrAction(thread, handler));
  }

  /**
   * _Signal_Action_handler (signalsend.c, RTEMS 6): takes the pending signals; saves the
   * task's "normal" preemption and timeslice (budget included); sets the ASR's mode set -
   * preemption, ASR processing, timeslicing (_Modes_Apply_timeslice_to_thread: a fresh
   * budget) - dispatching at once if that enables preemption; saves the interrupt level and
   * sets the ASR's; calls the handler; restores the interrupt level, the timeslice and
   * preemption (dispatching at once if preemption comes back on); then ASR processing is
   * enabled again, and if the handler ran with it disabled and signals came meanwhile, the
   * Signal_action is appended so the ASR runs again right after, not recursively. An ASR
   * whose mode enables ASR processing can be entered again from inside itself (a nested ASR).
   */
  private *asrAction(thread: Thread, handler: (signals: number) => unknown): Generator<unknown, void, unknown> {
    const score = this.score;
    const port = score.cpuPort;
    const modeSet = thread.asrModeSet;
    const signals = thread.signalsPending;
    thread.signalsPending = 0;

    const normalPreemptible = thread.preemptible;
    const normalTimeslice = thread.timeslice;
    const normalBudget = thread.budget;
    thread.preemptible = (modeSet & RTEMS_NO_PREEMPT) === 0;
    thread.asr = (modeSet & RTEMS_NO_ASR) === 0;
    thread.timeslice = (modeSet & RTEMS_TIMESLICE) !== 0;
    if (thread.timeslice) thread.budget = score.config.ticksPerTimeslice;
    if (thread.preemptible && !normalPreemptible) yield* this.schedule();

    const normalLevel = port.isrGetLevel();
    port.isrSetLevel(modeSet & port.interruptMask);
    const result = handler(signals);
    if (isIterator(result)) for (let step = result.next(); step.done !== true; step = result.next()) yield step.value;
    port.isrSetLevel(normalLevel);

    thread.budget = normalBudget;
    thread.timeslice = normalTimeslice;
    const afterCallPreemptible = thread.preemptible;
    thread.preemptible = normalPreemptible;
    if (normalPreemptible && !afterCallPreemptible) yield* this.schedule();

    const afterCallAsr = thread.asr;
    thread.asr = true;
    if (!afterCallAsr && thread.signalsPending !== 0) addSignalAction(thread);
  }

  /** _Scheduler_Schedule then _Thread_Dispatch_direct: a more important ready task runs now. */
  private *schedule(): Generator<number, void, unknown> {
    this.score.updateHeir(false);
    yield* this.score.dispatchPoint();
  }
}

/**
 * _Thread_Add_post_switch_action / _Thread_Append_post_switch_action of the Signal_action:
 * on the thread's chain (once), with a thread dispatch requested for it
 * (_Thread_Dispatch_request): the executing thread's next dispatch point runs it, another
 * thread runs it when it is dispatched. The request does not make a non-preemptible task
 * give way (RTEMS's per-processor heir stays the executing thread), so it is not
 * Score.dispatchNecessary: Score.dispatchPoint and Score.dispatch look at the flag itself.
 * rtems_task_mode uses it when it enables ASR processing with signals pending (taskmode.c).
 */
export function addSignalAction(thread: Thread): void {
  thread.signalActionPending = true;
}
