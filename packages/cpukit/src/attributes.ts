/**
 * Object attributes (RTEMS C User's Guide, "Attribute Sets"; rtems/rtems/attr.h).
 */

export const RTEMS_DEFAULT_ATTRIBUTES = 0x0000_0000;

export const RTEMS_NO_FLOATING_POINT = 0x0000_0000;
export const RTEMS_FLOATING_POINT = 0x0000_0001;

export const RTEMS_LOCAL = 0x0000_0000;
/** Multiprocessor-global object: accepted and without effect on this single node, as RTEMS without multiprocessing clears it. */
export const RTEMS_GLOBAL = 0x0000_0002;

/** Waiting tasks are served first come, first served. */
export const RTEMS_FIFO = 0x0000_0000;
/** Waiting tasks are served by priority (FIFO within a priority). */
export const RTEMS_PRIORITY = 0x0000_0004;

export const RTEMS_COUNTING_SEMAPHORE = 0x0000_0000;
export const RTEMS_BINARY_SEMAPHORE = 0x0000_0010;
export const RTEMS_SIMPLE_BINARY_SEMAPHORE = 0x0000_0020;
export const RTEMS_SEMAPHORE_CLASS = 0x0000_0030;

export const RTEMS_NO_INHERIT_PRIORITY = 0x0000_0000;
export const RTEMS_INHERIT_PRIORITY = 0x0000_0040;

export const RTEMS_NO_PRIORITY_CEILING = 0x0000_0000;
export const RTEMS_PRIORITY_CEILING = 0x0000_0080;

export const RTEMS_APPLICATION_TASK = 0x0000_0000;
export const RTEMS_SYSTEM_TASK = 0x0000_8000;

/** Barrier: tasks wait until rtems_barrier_release (the default). */
export const RTEMS_BARRIER_MANUAL_RELEASE = 0x0000_0000;
/** Barrier: the maximum_waiters-th task to arrive releases the others (RTEMS 6 value, rtems/rtems/attr.h). */
export const RTEMS_BARRIER_AUTOMATIC_RELEASE = 0x0000_0200;
