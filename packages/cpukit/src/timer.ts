/**
 * Timer Manager constants and types (RTEMS 6 rtems/rtems/timer.h, generated from
 * rtems-central spec:/rtems/timer/if/*): the timer classes rtems_timer_get_information
 * reports, the information it returns, and the Timer Server's default priority.
 */
import type { RtemsStatus } from './rtemsStatus.js';

/** TIMER_CLASS_BIT_TIME_OF_DAY: the timer uses the time of day (CLOCK_REALTIME). */
export const TIMER_CLASS_BIT_TIME_OF_DAY = 0x1;
/** TIMER_CLASS_BIT_ON_TASK: the service routine runs in the Timer Server task. */
export const TIMER_CLASS_BIT_ON_TASK = 0x2;
/** TIMER_CLASS_BIT_NOT_DORMANT: the timer was fired at least once. */
export const TIMER_CLASS_BIT_NOT_DORMANT = 0x4;

/** Timer_Classes: never fired. */
export const TIMER_DORMANT = 0;
/** Timer_Classes: fire after, routine in the clock tick ISR (TIMER_CLASS_BIT_NOT_DORMANT). */
export const TIMER_INTERVAL = 0x4;
/** Timer_Classes: server fire after, routine in the Timer Server task (NOT_DORMANT | ON_TASK). */
export const TIMER_INTERVAL_ON_TASK = 0x6;
/** Timer_Classes: fire when, routine in the clock tick ISR (NOT_DORMANT | TIME_OF_DAY). */
export const TIMER_TIME_OF_DAY = 0x5;
/** Timer_Classes: server fire when, routine in the Timer Server task (NOT_DORMANT | TIME_OF_DAY | ON_TASK). */
export const TIMER_TIME_OF_DAY_ON_TASK = 0x7;

/** Timer_Classes: how the timer was most recently fired. */
export type TimerClass =
  | typeof TIMER_DORMANT
  | typeof TIMER_INTERVAL
  | typeof TIMER_INTERVAL_ON_TASK
  | typeof TIMER_TIME_OF_DAY
  | typeof TIMER_TIME_OF_DAY_ON_TASK;

/**
 * RTEMS_TIMER_SERVER_DEFAULT_PRIORITY, `(rtems_task_priority) -1`: rtems_timer_initiate_server
 * gives the server PRIORITY_PSEUDO_ISR (0), more important than any application task
 * (timerserver.c, _Timer_server_Initiate).
 */
export const RTEMS_TIMER_SERVER_DEFAULT_PRIORITY = 0xffff_ffff;

/** rtems_timer_information. Times are clock ticks since boot as a Watchdog_Interval (wrapping at 2^32). */
export interface TimerInformation {
  /** How the timer was most recently fired (TIMER_DORMANT ... TIMER_TIME_OF_DAY_ON_TASK). */
  readonly theClass: TimerClass;
  /** The interval in ticks of the last fire after, or the time of day (seconds since 1988) of the last fire when. */
  readonly initial: number;
  /** The tick when the timer was last fired. */
  readonly startTime: number;
  /** The tick when it last expired or was cancelled while scheduled. */
  readonly stopTime: number;
}

export interface TimerInformationResult {
  readonly status: RtemsStatus;
  readonly information: TimerInformation | undefined;
}
