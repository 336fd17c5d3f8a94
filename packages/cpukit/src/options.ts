/**
 * Directive options and special argument values (RTEMS C User's Guide, "Option Sets"
 * and the directive descriptions; rtems/rtems/options.h, tasks.h, types.h).
 */

export const RTEMS_DEFAULT_OPTIONS = 0x0000_0000;
/** Block until the request can be satisfied (the default). */
export const RTEMS_WAIT = 0x0000_0000;
/** Return RTEMS_UNSATISFIED at once instead of blocking. */
export const RTEMS_NO_WAIT = 0x0000_0001;
/** Event receive: all requested events are needed (the default). */
export const RTEMS_EVENT_ALL = 0x0000_0000;
/** Event receive: any one requested event is enough. */
export const RTEMS_EVENT_ANY = 0x0000_0002;

/** A timeout of 0 ticks waits forever. */
export const RTEMS_NO_TIMEOUT = 0;
/** The calling task, where a task id is expected. */
export const RTEMS_SELF = 0;
/** rtems_task_ident with this name returns the caller's id. */
export const RTEMS_WHO_AM_I = 0;
/** rtems_task_set_priority with this priority only returns the current priority. */
export const RTEMS_CURRENT_PRIORITY = 0;
/** rtems_event_receive with this event set only returns the pending events. */
export const RTEMS_PENDING_EVENTS = 0;
/** rtems_task_wake_after with this interval yields the processor. */
export const RTEMS_YIELD_PROCESSOR = 0;
/** rtems_rate_monotonic_period with this length only reports the period's state. */
export const RTEMS_PERIOD_STATUS = 0;

/** ident: search every node (here: the local one). */
export const RTEMS_SEARCH_ALL_NODES = 0;
export const RTEMS_SEARCH_OTHER_NODES = 0x7fff_fffe;
export const RTEMS_SEARCH_LOCAL_NODE = 0x7fff_ffff;

/**
 * RTEMS_MINIMUM_STACK_SIZE (CPU_STACK_MINIMUM_SIZE of the no_cpu porting template,
 * 1024 * 4). Stacks are not simulated; sizes are only checked and rounded up to this.
 */
export const RTEMS_MINIMUM_STACK_SIZE = 4096;
/** A stack size of 0 asks for the configured minimum. */
export const RTEMS_CONFIGURED_MINIMUM_STACK_SIZE = 0;
