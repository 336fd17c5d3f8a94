/**
 * Timer Manager (RTEMS C User's Guide, "Timer Manager"): timers that call a service
 * routine after an interval of ticks or at a time of day, as RTEMS 6 keeps them
 * (cpukit/rtems/src/timer*.c, rtems-central spec:/rtems/timer/req/*).
 *
 * Two contexts. A timer fired with rtems_timer_fire_after / fire_when runs its routine at
 * the clock tick in interrupt context (or inside rtems_clock_set when setting the clock
 * passes its time) with dispatching disabled: it may call directives that do not block,
 * and a dispatch it makes necessary happens after the ISR. A timer fired with
 * rtems_timer_server_fire_after / server_fire_when runs its routine in the Timer Server,
 * an ordinary Classic task ('TIME') that rtems_timer_initiate_server creates: the expired
 * timer joins the server's pending chain and the server is woken with the system event
 * RTEMS_EVENT_SYSTEM_SERVER; it then calls the pending routines one after the other, in
 * expiry order, at its own priority and in its no-preempt mode, in thread context - so a
 * server routine may do whatever a task may, blocking included (timerserver.c,
 * _Timer_server_Body).
 */
import { RTEMS_SYSTEM_TASK } from '../attributes.js';
import { RTEMS_EVENT_30 } from '../eventSet.js';
import { RTEMS_NO_PREEMPT } from '../modes.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { buildName, packName } from '../objectName.js';
import { RTEMS_EVENT_ALL, RTEMS_EVENT_ANY } from '../options.js';
import type { Directive, IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import {
  RTEMS_TIMER_SERVER_DEFAULT_PRIORITY,
  TIMER_CLASS_BIT_NOT_DORMANT,
  TIMER_CLASS_BIT_ON_TASK,
  TIMER_CLASS_BIT_TIME_OF_DAY,
  TIMER_DORMANT,
  TIMER_INTERVAL,
  TIMER_INTERVAL_ON_TASK,
  TIMER_TIME_OF_DAY,
  TIMER_TIME_OF_DAY_ON_TASK,
  type TimerClass,
  type TimerInformationResult,
} from '../timer.js';
import { isValidTimeOfDay, timeOfDayToSeconds } from '../timeOfDay.js';
import { bits32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import { type Score, isIterator } from './score.js';
import type { TaskManager } from './taskManager.js';
import { STATES_WAITING_FOR_SYSTEM_EVENT, type Thread } from './thread.js';
import { Watchdog } from './watchdog.js';

/** A service routine as the manager stores it: already bound to the Rtems object. */
export type BoundTimerRoutine = (id: number, userData: unknown) => unknown;

/** RTEMS_EVENT_SYSTEM_SERVER (rtems/rtems/event.h): the system event that wakes a server task. */
const RTEMS_EVENT_SYSTEM_SERVER = RTEMS_EVENT_30;
/** PRIORITY_PSEUDO_ISR: the server's priority for RTEMS_TIMER_SERVER_DEFAULT_PRIORITY. */
const PRIORITY_PSEUDO_ISR = 0;

class TimerControl {
  theClass: TimerClass = TIMER_DORMANT;
  /** Timer_Control.initial: the interval in ticks, or the time of day in seconds since 1988. */
  initial = 0;
  startTime = 0;
  stopTime = 0;
  routine: BoundTimerRoutine | undefined = undefined;
  userData: unknown = undefined;
  /** WATCHDOG_PENDING: expired, on the Timer Server's pending chain, routine not called yet. */
  pending = false;
  readonly watchdog: Watchdog;

  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    fire: (timer: TimerControl) => void,
  ) {
    this.watchdog = new Watchdog(() => fire(this));
  }
}

/** _Timer_Is_interval_class (timerimpl.h): interval, in the ISR or on the server. */
function isIntervalClass(theClass: TimerClass): boolean {
  return (theClass & (TIMER_CLASS_BIT_NOT_DORMANT | TIMER_CLASS_BIT_TIME_OF_DAY)) === TIMER_CLASS_BIT_NOT_DORMANT;
}

/** _Timer_Is_on_task_class (timerimpl.h). */
function isOnTaskClass(theClass: TimerClass): boolean {
  const mask = TIMER_CLASS_BIT_NOT_DORMANT | TIMER_CLASS_BIT_ON_TASK;
  return (theClass & mask) === mask;
}

export class TimerManager {
  readonly table: ObjectTable<TimerControl>;
  /** The Timer Server task once rtems_timer_initiate_server succeeded (_Timer_server != NULL). */
  private server: Thread | undefined = undefined;
  /** Timer_server_Control.Pending: expired server timers, oldest first. */
  private readonly pending: TimerControl[] = [];

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<TimerControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.TIMERS, score.config.maximumTimers);
  }

  /** The clock tick, as _Timer_Get_CPU_ticks reads it: a Watchdog_Interval (uint32_t). */
  private get ticks(): number {
    return this.score.ticksSinceBoot >>> 0;
  }

  /**
   * The timer's watchdog expired: _Timer_Routine_adaptor (timercreate.c) calls the routine
   * in the interrupt context of the tick; _Timer_server_Routine_adaptor (timerserver.c)
   * appends the timer to the server's pending chain and, if the chain was empty, sends
   * the server RTEMS_EVENT_SYSTEM_SERVER. Both first record the stop time.
   */
  private fire(timer: TimerControl): void {
    timer.stopTime = this.ticks;
    if (isOnTaskClass(timer.theClass)) {
      const wakeup = this.pending.length === 0;
      timer.pending = true;
      this.pending.push(timer);
      if (wakeup) this.wakeServer();
      return;
    }
    const routine = timer.routine;
    if (routine === undefined) return;
    this.score.runRoutine(() => routine(timer.id, timer.userData));
  }

  /**
   * _Timer_Cancel (timercreate.c): a scheduled timer leaves its watchdog chain (its stop
   * time is now); a server timer that already expired leaves the server's pending chain,
   * so its routine is not called.
   */
  private cancelTimer(timer: TimerControl): void {
    if (timer.watchdog.armed) {
      timer.stopTime = this.ticks;
      timer.watchdog.cancel();
    } else if (isOnTaskClass(timer.theClass) && timer.pending) {
      timer.pending = false;
      this.pending.splice(this.pending.indexOf(timer), 1);
    }
  }

  /** rtems_timer_create: a dormant timer. */
  create(name: unknown): IdResult {
    return this.score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      const timer = this.table.allocate((id) => new TimerControl(id, packed, (t) => this.fire(t)));
      return timer === undefined ? { status: RtemsStatus.TOO_MANY, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: timer.id };
    });
  }

  /**
   * _Timer_Fire (timercreate.c): the timer is cancelled (whatever it was), takes its new
   * class, routine, user data and interval, remembers the start tick and is scheduled.
   */
  private arm(id: unknown, theClass: TimerClass, interval: number, routine: BoundTimerRoutine, userData: unknown): RtemsStatus {
    const score = this.score;
    return score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      this.cancelTimer(timer);
      timer.theClass = theClass;
      timer.routine = routine;
      timer.userData = userData;
      timer.initial = interval;
      timer.startTime = this.ticks;
      if ((theClass & TIMER_CLASS_BIT_TIME_OF_DAY) === 0) score.tickWatchdogs.insert(timer.watchdog, score.ticksSinceBoot + interval);
      else score.realtimeWatchdogs.insert(timer.watchdog, interval);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** _Timer_Fire_after (timercreate.c): INVALID_NUMBER for 0 ticks, INVALID_ADDRESS without a routine, INVALID_ID. */
  private fireAfterAs(theClass: TimerClass, id: unknown, ticks: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    const interval = bits32(ticks);
    if (interval === 0) return RtemsStatus.INVALID_NUMBER;
    if (routine === undefined) return RtemsStatus.INVALID_ADDRESS;
    return this.arm(id, theClass, interval, routine, userData);
  }

  /**
   * _Timer_Fire_when, checks in RTEMS 6's order (spec:/rtems/timer/req/fire-when and
   * server-fire-when): NOT_DEFINED before the clock is set, INVALID_ADDRESS without a
   * routine (whatever the time), INVALID_ADDRESS without a time (_TOD_Validate of NULL),
   * INVALID_CLOCK for an invalid time or one not after the current second, then INVALID_ID.
   */
  private fireWhenAs(theClass: TimerClass, id: unknown, tod: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    const score = this.score;
    const now = score.todSeconds;
    if (now === undefined) return RtemsStatus.NOT_DEFINED;
    if (routine === undefined) return RtemsStatus.INVALID_ADDRESS;
    if (typeof tod !== 'object' || tod === null) return RtemsStatus.INVALID_ADDRESS;
    if (!isValidTimeOfDay(tod, score.ticksPerSecond)) return RtemsStatus.INVALID_CLOCK;
    const seconds = timeOfDayToSeconds(tod);
    if (seconds <= now) return RtemsStatus.INVALID_CLOCK;
    return this.arm(id, theClass, seconds, routine, userData);
  }

  /** rtems_timer_fire_after: (re)arms the timer `ticks` ticks from now, routine in the tick's ISR. */
  fireAfter(id: unknown, ticks: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    return this.fireAfterAs(TIMER_INTERVAL, id, ticks, routine, userData);
  }

  /** rtems_timer_fire_when: (re)arms the timer for a time of day, routine in the tick's ISR. */
  fireWhen(id: unknown, tod: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    return this.fireWhenAs(TIMER_TIME_OF_DAY, id, tod, routine, userData);
  }

  /** rtems_timer_server_fire_after (timerserverfireafter.c): INCORRECT_STATE before the server is initiated, then as fire after. */
  serverFireAfter(id: unknown, ticks: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    if (this.server === undefined) return RtemsStatus.INCORRECT_STATE;
    return this.fireAfterAs(TIMER_INTERVAL_ON_TASK, id, ticks, routine, userData);
  }

  /** rtems_timer_server_fire_when (timerserverfirewhen.c): INCORRECT_STATE before the server is initiated, then as fire when. */
  serverFireWhen(id: unknown, tod: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    if (this.server === undefined) return RtemsStatus.INCORRECT_STATE;
    return this.fireWhenAs(TIMER_TIME_OF_DAY_ON_TASK, id, tod, routine, userData);
  }

  /** rtems_timer_cancel: successful whether or not the timer was scheduled (timercancel.c). */
  cancel(id: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      this.cancelTimer(timer);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_timer_reset (timerreset.c): an interval timer - in the ISR or on the server - is
   * cancelled and scheduled again with its last interval from now, keeping its routine,
   * context and start time; any other timer is NOT_DEFINED.
   */
  reset(id: unknown): RtemsStatus {
    const score = this.score;
    return score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      if (!isIntervalClass(timer.theClass)) return RtemsStatus.NOT_DEFINED;
      this.cancelTimer(timer);
      score.tickWatchdogs.insert(timer.watchdog, score.ticksSinceBoot + timer.initial);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_timer_delete (timerdelete.c): cancelled, then freed. */
  delete(id: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      this.cancelTimer(timer);
      this.table.release(timer);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_timer_ident. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }

  /**
   * rtems_timer_get_information (timergetinfo.c): the class, initial value, start and
   * stop ticks. INVALID_ID. (RTEMS's INVALID_ADDRESS for a NULL pointer has no counterpart:
   * the information is returned.)
   */
  getInformation(id: unknown): TimerInformationResult {
    return this.score.directive((): TimerInformationResult => {
      const timer = this.table.get(id);
      if (timer === undefined) return { status: RtemsStatus.INVALID_ID, information: undefined };
      const { theClass, initial, startTime, stopTime } = timer;
      return { status: RtemsStatus.SUCCESSFUL, information: Object.freeze({ theClass, initial, startTime, stopTime }) };
    });
  }

  /**
   * rtems_timer_initiate_server (timerserver.c, _Timer_server_Initiate;
   * spec:/rtems/timer/req/initiate-server): INCORRECT_STATE when the server exists; the
   * server is the task 'TIME' created by rtems_task_create with `priority`
   * (RTEMS_TIMER_SERVER_DEFAULT_PRIORITY: 0, PRIORITY_PSEUDO_ISR), `stackSize`,
   * RTEMS_NO_PREEMPT and `attributeSet | RTEMS_SYSTEM_TASK` (so 0 is a valid priority),
   * whose errors are the directive's: INVALID_PRIORITY, TOO_MANY (no task object left: the
   * server counts against maximumTasks), UNSATISFIED (the stack). Then it is started: being
   * more important than the caller (by default), it runs at once, finds nothing to do and
   * waits for its event; the caller continues after that.
   */
  *initiateServer(tasks: TaskManager, priority: unknown, stackSize: unknown, attributeSet: unknown): Directive<RtemsStatus> {
    if (this.server !== undefined) return RtemsStatus.INCORRECT_STATE;
    const serverPriority = typeof priority === 'number' && bits32(priority) === RTEMS_TIMER_SERVER_DEFAULT_PRIORITY ? PRIORITY_PSEUDO_ISR : priority;
    const created = tasks.create(buildName('T', 'I', 'M', 'E'), serverPriority, stackSize, RTEMS_NO_PREEMPT, (bits32(attributeSet) | RTEMS_SYSTEM_TASK) >>> 0);
    if (created.status !== RtemsStatus.SUCCESSFUL) return created.status;
    const server = tasks.lookup(created.id)!;
    this.server = server;
    return yield* tasks.start(created.id, () => this.serverBody(server), 0);
  }

  /**
   * _Timer_server_Body (timerserver.c): take the pending timers one at a time, oldest
   * first, and call each routine with the id and user data it had when it expired; when
   * none is left, wait for RTEMS_EVENT_SYSTEM_SERVER (RTEMS_EVENT_ALL | RTEMS_WAIT, no
   * timeout). A routine written as a generator is delegated to: its yields are the server
   * task's own (compute, dispatch points, blocking directives).
   */
  private *serverBody(server: Thread): Generator<number, void, unknown> {
    for (;;) {
      for (let timer = this.pending.shift(); timer !== undefined; timer = this.pending.shift()) {
        timer.pending = false;
        const routine = timer.routine;
        if (routine === undefined) continue;
        const result = routine(timer.id, timer.userData);
        if (isIterator(result)) yield* iterate(result);
      }
      yield* this.serverReceive(server);
    }
  }

  /** rtems_event_system_receive(RTEMS_EVENT_SYSTEM_SERVER, RTEMS_EVENT_ALL | RTEMS_WAIT, RTEMS_NO_TIMEOUT) of the server. */
  private *serverReceive(server: Thread): Generator<number, void, unknown> {
    const score = this.score;
    score.directive(() => {
      if ((server.pendingSystemEvents & RTEMS_EVENT_SYSTEM_SERVER) !== 0) {
        server.pendingSystemEvents = (server.pendingSystemEvents & ~RTEMS_EVENT_SYSTEM_SERVER) >>> 0;
        return;
      }
      server.waitEventIn = RTEMS_EVENT_SYSTEM_SERVER;
      server.waitEventOption = RTEMS_EVENT_ALL;
      server.waitEventOut = 0;
      score.block(server, STATES_WAITING_FOR_SYSTEM_EVENT, undefined, 0);
    });
    yield* score.dispatchPoint();
  }

  /**
   * rtems_event_system_send(server_id, RTEMS_EVENT_SYSTEM_SERVER), as _Event_Surrender
   * does it for the system event set: the event is posted, and the server is readied if it
   * waits for events that are now satisfied. A deleted server is not there to be told
   * (RTEMS_INVALID_ID, ignored by the adaptor).
   */
  private wakeServer(): void {
    const server = this.server;
    if (server === undefined || server.deleted) return;
    const score = this.score;
    score.directive(() => {
      server.pendingSystemEvents = (server.pendingSystemEvents | RTEMS_EVENT_SYSTEM_SERVER) >>> 0;
      if ((server.state & STATES_WAITING_FOR_SYSTEM_EVENT) === 0) return;
      const seized = (server.pendingSystemEvents & server.waitEventIn) >>> 0;
      const satisfied = seized !== 0 && ((server.waitEventOption & RTEMS_EVENT_ANY) !== 0 || seized === server.waitEventIn);
      if (!satisfied) return;
      server.pendingSystemEvents = (server.pendingSystemEvents & ~seized) >>> 0;
      server.waitEventOut = seized;
      score.release(server, RtemsStatus.SUCCESSFUL);
    });
  }
}

/** Delegates to any iterator (a routine's generator) as a thread body step sequence. */
function* iterate(iterator: Iterator<unknown, unknown, unknown>): Generator<number, void, unknown> {
  for (let step = iterator.next(); step.done !== true; step = iterator.next()) yield step.value as number;
}
