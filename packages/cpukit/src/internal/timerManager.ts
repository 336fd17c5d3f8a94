/**
 * Timer Manager (RTEMS C User's Guide, "Timer Manager"): timers that call a service
 * routine after an interval of ticks or at a time of day. Service routines run at the
 * clock tick in interrupt context (or inside rtems_clock_set when setting the clock
 * passes their time) with dispatching disabled: they may call directives that do not
 * block, and a dispatch they make necessary happens after the ISR.
 */
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import type { IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { isValidTimeOfDay, timeOfDayToSeconds } from '../timeOfDay.js';
import { bits32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';
import { Watchdog } from './watchdog.js';

/** Timer_Classes: what the timer was last armed as (rtems_timer_reset needs an interval). */
type TimerClass = 'dormant' | 'interval' | 'time-of-day';

/** A service routine as the manager stores it: already bound to the Rtems object. */
export type BoundTimerRoutine = (id: number, userData: unknown) => unknown;

class TimerControl {
  timerClass: TimerClass = 'dormant';
  initialTicks = 0;
  routine: BoundTimerRoutine | undefined = undefined;
  userData: unknown = undefined;
  readonly watchdog: Watchdog;

  constructor(
    readonly id: number,
    readonly name: number,
    fire: (timer: TimerControl) => void,
  ) {
    this.watchdog = new Watchdog(() => fire(this));
  }
}

export class TimerManager {
  readonly table: ObjectTable<TimerControl>;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<TimerControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.TIMERS, score.config.maximumTimers);
  }

  private fire(timer: TimerControl): void {
    const routine = timer.routine;
    if (routine === undefined) return;
    this.score.runRoutine(() => routine(timer.id, timer.userData));
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

  /** rtems_timer_fire_after: (re)arms the timer `ticks` ticks from now; 0 ticks is RTEMS_INVALID_NUMBER. */
  fireAfter(id: unknown, ticks: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    const score = this.score;
    const interval = bits32(ticks);
    if (interval === 0) return RtemsStatus.INVALID_NUMBER;
    if (routine === undefined) return RtemsStatus.INVALID_ADDRESS;
    return score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      timer.timerClass = 'interval';
      timer.initialTicks = interval;
      timer.routine = routine;
      timer.userData = userData;
      score.tickWatchdogs.insert(timer.watchdog, score.ticksSinceBoot + interval);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_timer_fire_when: (re)arms the timer for a time of day. NOT_DEFINED before the
   * clock is set; INVALID_CLOCK for an invalid time or one that is not in the future.
   */
  fireWhen(id: unknown, tod: unknown, routine: BoundTimerRoutine | undefined, userData: unknown): RtemsStatus {
    const score = this.score;
    const now = score.todSeconds;
    if (now === undefined) return RtemsStatus.NOT_DEFINED;
    if (!isValidTimeOfDay(tod, score.ticksPerSecond)) return RtemsStatus.INVALID_CLOCK;
    if (routine === undefined) return RtemsStatus.INVALID_ADDRESS;
    const seconds = timeOfDayToSeconds(tod);
    if (seconds <= now) return RtemsStatus.INVALID_CLOCK;
    return score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      timer.timerClass = 'time-of-day';
      timer.routine = routine;
      timer.userData = userData;
      score.realtimeWatchdogs.insert(timer.watchdog, seconds);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_timer_cancel: successful whether or not the timer was armed. */
  cancel(id: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      timer.watchdog.cancel();
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_timer_reset: re-arms an interval timer with its last interval; any other timer is NOT_DEFINED. */
  reset(id: unknown): RtemsStatus {
    const score = this.score;
    return score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      if (timer.timerClass !== 'interval') return RtemsStatus.NOT_DEFINED;
      score.tickWatchdogs.insert(timer.watchdog, score.ticksSinceBoot + timer.initialTicks);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_timer_delete. */
  delete(id: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const timer = this.table.get(id);
      if (timer === undefined) return RtemsStatus.INVALID_ID;
      timer.watchdog.cancel();
      this.table.release(timer);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_timer_ident. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }
}
