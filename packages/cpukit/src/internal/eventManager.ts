/**
 * Event Manager (RTEMS C User's Guide, "Event Manager"): 32 event flags per task.
 * Sending sets flags in the receiver's pending set; a receive is satisfied when all
 * (RTEMS_EVENT_ALL) or any (RTEMS_EVENT_ANY) of the requested events are pending,
 * and takes exactly those events out of the pending set.
 *
 * Each task has a second event set, the system events (rtems_event_system_send and
 * rtems_event_system_receive, cpukit/rtems/src/systemeventsend.c and
 * systemeventreceive.c), with its own wait state. The transient event directives are
 * RTEMS 6's inline wrappers over them (cpukit/include/rtems/rtems/event.h):
 * rtems_event_transient_send sends RTEMS_EVENT_SYSTEM_TRANSIENT (RTEMS_EVENT_31),
 * rtems_event_transient_receive receives it with RTEMS_EVENT_ALL | option_set, and
 * rtems_event_transient_clear receives it with RTEMS_NO_WAIT.
 */
import { RTEMS_EVENT_SYSTEM_TRANSIENT } from '../eventSet.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { RTEMS_EVENT_ALL, RTEMS_EVENT_ANY, RTEMS_NO_WAIT, RTEMS_PENDING_EVENTS } from '../options.js';
import type { Directive, EventResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';
import type { TaskManager } from './taskManager.js';
import { STATES_WAITING_FOR_EVENT, STATES_WAITING_FOR_SYSTEM_EVENT, type Thread } from './thread.js';

/** The events of `wanted` that `pending` satisfies under `option`, or 0 when it does not. */
function seize(pending: number, wanted: number, option: number): number {
  const seized = (pending & wanted) >>> 0;
  if (seized === 0) return 0;
  return (option & RTEMS_EVENT_ANY) !== 0 || seized === wanted ? seized : 0;
}

/** One of a task's two event sets: the application's events or the system events. */
interface EventSet {
  readonly waitState: number;
  get(thread: Thread): number;
  set(thread: Thread, events: number): void;
}

const APPLICATION_EVENTS: EventSet = {
  waitState: STATES_WAITING_FOR_EVENT,
  get: (thread) => thread.pendingEvents,
  set: (thread, events) => {
    thread.pendingEvents = events;
  },
};

const SYSTEM_EVENTS: EventSet = {
  waitState: STATES_WAITING_FOR_SYSTEM_EVENT,
  get: (thread) => thread.pendingSystemEvents,
  set: (thread, events) => {
    thread.pendingSystemEvents = events;
  },
};

export class EventManager {
  constructor(
    private readonly score: Score,
    private readonly tasks: TaskManager,
  ) {}

  /** rtems_event_send: may ready (and switch to) a task waiting for these events. */
  send(id: unknown, eventIn: unknown): Directive<RtemsStatus> {
    return this.surrender(APPLICATION_EVENTS, id, bits32(eventIn));
  }

  /**
   * rtems_event_receive. RTEMS_PENDING_EVENTS (0) returns the pending set without
   * changing it. With RTEMS_NO_WAIT an unsatisfied request returns UNSATISFIED and the
   * events that were pending of the request (_Event_Seize writes them, RTEMS 4.10 to 6).
   */
  receive(eventIn: unknown, optionSet: unknown, timeout: unknown): Directive<EventResult> {
    return this.seize(APPLICATION_EVENTS, bits32(eventIn), bits32(optionSet), bits32(timeout));
  }

  /**
   * rtems_event_system_send (systemeventsend.c): as rtems_event_send, on the task's system
   * event set. INVALID_ID.
   */
  systemSend(id: unknown, eventIn: unknown): Directive<RtemsStatus> {
    return this.surrender(SYSTEM_EVENTS, id, bits32(eventIn));
  }

  /**
   * rtems_event_system_receive (systemeventreceive.c): as rtems_event_receive, on the
   * calling task's system event set (RTEMS_PENDING_EVENTS queries it). UNSATISFIED, TIMEOUT.
   */
  systemReceive(eventIn: unknown, optionSet: unknown, timeout: unknown): Directive<EventResult> {
    return this.seize(SYSTEM_EVENTS, bits32(eventIn), bits32(optionSet), bits32(timeout));
  }

  /** rtems_event_transient_send: RTEMS_EVENT_SYSTEM_TRANSIENT to the task (INVALID_ID). From a task or an ISR. */
  transientSend(id: unknown): Directive<RtemsStatus> {
    return this.surrender(SYSTEM_EVENTS, id, RTEMS_EVENT_SYSTEM_TRANSIENT);
  }

  /**
   * rtems_event_transient_receive: waits for the transient event (RTEMS_NO_WAIT: only
   * tries, UNSATISFIED), `ticks` at most (0: for ever, TIMEOUT); receiving it clears it.
   */
  *transientReceive(optionSet: unknown, ticks: unknown): Directive<RtemsStatus> {
    const result = yield* this.seize(SYSTEM_EVENTS, RTEMS_EVENT_SYSTEM_TRANSIENT, (RTEMS_EVENT_ALL | bits32(optionSet)) >>> 0, bits32(ticks));
    return result.status;
  }

  /** rtems_event_transient_clear: the calling task's transient event is no longer pending. */
  transientClear(): void {
    const score = this.score;
    score.directive(() => {
      const thread = score.current;
      thread.pendingSystemEvents = (thread.pendingSystemEvents & ~RTEMS_EVENT_SYSTEM_TRANSIENT) >>> 0;
    });
  }

  /** _Event_Surrender: post `events` to the task; a waiter whose condition they satisfy is readied. */
  private *surrender(kind: EventSet, id: unknown, events: number): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const thread = this.tasks.lookup(id);
      if (thread === undefined) return RtemsStatus.INVALID_ID;
      kind.set(thread, (kind.get(thread) | events) >>> 0);
      if ((thread.state & kind.waitState) !== 0) {
        const seized = seize(kind.get(thread), thread.waitEventIn, thread.waitEventOption);
        if (seized !== 0) {
          kind.set(thread, (kind.get(thread) & ~seized) >>> 0);
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
   * _Event_Seize (cpukit/rtems/src/eventseize.c). A wait where no thread dispatch is
   * possible (an ISR, a timer service routine) is the fatal error
   * INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL: RTEMS 6 blocks the caller and ends
   * with _Thread_Dispatch_direct, which requires a dispatch disable level of one.
   */
  private *seize(kind: EventSet, wanted: number, option: number, ticks: number): Directive<EventResult> {
    const score = this.score;
    const thread = score.current;
    let blocked = false;
    const immediate = score.directive((): EventResult => {
      const pending = kind.get(thread);
      if (wanted === RTEMS_PENDING_EVENTS) return { status: RtemsStatus.SUCCESSFUL, eventOut: pending };
      const seized = seize(pending, wanted, option);
      if (seized !== 0) {
        kind.set(thread, (pending & ~seized) >>> 0);
        return { status: RtemsStatus.SUCCESSFUL, eventOut: seized };
      }
      if ((option & RTEMS_NO_WAIT) !== 0) return { status: RtemsStatus.UNSATISFIED, eventOut: (pending & wanted) >>> 0 };
      if (!score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, 'event receive would block in an ISR or with dispatching disabled');
      }
      thread.waitEventIn = wanted;
      thread.waitEventOption = option;
      thread.waitEventOut = 0;
      score.block(thread, kind.waitState, undefined, ticks);
      blocked = true;
      return { status: RtemsStatus.SUCCESSFUL, eventOut: 0 };
    });
    yield* score.dispatchPoint();
    if (!blocked) return immediate;
    return { status: thread.waitStatus, eventOut: thread.waitStatus === RtemsStatus.SUCCESSFUL ? thread.waitEventOut : 0 };
  }
}
