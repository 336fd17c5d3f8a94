/**
 * Event Manager (RTEMS C User's Guide, "Event Manager"): 32 event flags per task.
 * Sending sets flags in the receiver's pending set; a receive is satisfied when all
 * (RTEMS_EVENT_ALL) or any (RTEMS_EVENT_ANY) of the requested events are pending,
 * and takes exactly those events out of the pending set.
 */
import { FatalSource, InternalError } from '../fatalSource.js';
import { RTEMS_EVENT_ANY, RTEMS_NO_WAIT, RTEMS_PENDING_EVENTS } from '../options.js';
import type { Directive, EventResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';
import type { TaskManager } from './taskManager.js';
import { STATES_WAITING_FOR_EVENT } from './thread.js';

/** The events of `wanted` that `pending` satisfies under `option`, or 0 when it does not. */
function seize(pending: number, wanted: number, option: number): number {
  const seized = (pending & wanted) >>> 0;
  if (seized === 0) return 0;
  return (option & RTEMS_EVENT_ANY) !== 0 || seized === wanted ? seized : 0;
}

export class EventManager {
  constructor(
    private readonly score: Score,
    private readonly tasks: TaskManager,
  ) {}

  /** rtems_event_send: may ready (and switch to) a task waiting for these events. */
  *send(id: unknown, eventIn: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const thread = this.tasks.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      thread.pendingEvents = (thread.pendingEvents | bits32(eventIn)) >>> 0;
      if ((thread.state & STATES_WAITING_FOR_EVENT) !== 0) {
        const seized = seize(thread.pendingEvents, thread.waitEventIn, thread.waitEventOption);
        if (seized !== 0) {
          thread.pendingEvents = (thread.pendingEvents & ~seized) >>> 0;
          thread.waitEventOut = seized;
          score.release(thread, RtemsStatus.SUCCESSFUL);
        }
      }
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /**
   * rtems_event_receive. RTEMS_PENDING_EVENTS (0) returns the pending set without
   * changing it. With RTEMS_NO_WAIT an unsatisfied request returns UNSATISFIED and the
   * events that were pending of the request (RTEMS 4.10 _Event_Seize).
   */
  *receive(eventIn: unknown, optionSet: unknown, timeout: unknown): Directive<EventResult> {
    const score = this.score;
    const thread = score.current;
    const wanted = bits32(eventIn);
    const option = bits32(optionSet);
    const ticks = bits32(timeout);
    let blocked = false;
    const immediate = score.directive((): EventResult => {
      if (wanted === RTEMS_PENDING_EVENTS) return { status: RtemsStatus.SUCCESSFUL, eventOut: thread.pendingEvents };
      const seized = seize(thread.pendingEvents, wanted, option);
      if (seized !== 0) {
        thread.pendingEvents = (thread.pendingEvents & ~seized) >>> 0;
        return { status: RtemsStatus.SUCCESSFUL, eventOut: seized };
      }
      if ((option & RTEMS_NO_WAIT) !== 0) return { status: RtemsStatus.UNSATISFIED, eventOut: (thread.pendingEvents & wanted) >>> 0 };
      if (!score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE, 'event receive would block in an ISR or with dispatching disabled');
      }
      thread.waitEventIn = wanted;
      thread.waitEventOption = option;
      thread.waitEventOut = 0;
      score.block(thread, STATES_WAITING_FOR_EVENT, undefined, ticks);
      blocked = true;
      return { status: RtemsStatus.SUCCESSFUL, eventOut: 0 };
    });
    yield* score.dispatchPoint();
    if (!blocked) return immediate;
    return { status: thread.waitStatus, eventOut: thread.waitStatus === RtemsStatus.SUCCESSFUL ? thread.waitEventOut : 0 };
  }
}
