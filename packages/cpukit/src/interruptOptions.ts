/**
 * Options of rtems_interrupt_handler_install (RTEMS 6 rtems/irq-extension.h; rtems-central
 * spec:/rtems/intr/if/unique, shared, replace). Exactly one of them is meant to be given.
 */

/** The handler is the only one of its vector: no other may join it, and it may not join others. */
export const RTEMS_INTERRUPT_UNIQUE = 0x0000_0001;
/** The handler may share its vector with other shared handlers (dispatched in installation order). */
export const RTEMS_INTERRUPT_SHARED = 0x0000_0000;
/** Replaces an installed handler instead of adding one (RTEMS_UNSATISFIED when there is none to replace). */
export const RTEMS_INTERRUPT_REPLACE = 0x0000_0002;
