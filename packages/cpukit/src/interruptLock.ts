/**
 * An ISR lock (rtems_interrupt_lock, RTEMS 6 <rtems/rtems/intr.h> over score/isrlock.h).
 * On one processor an ISR lock has no state of its own: acquiring it disables interrupts
 * (_ISR_lock_ISR_disable_and_acquire is _ISR_Local_disable) and the lock context keeps
 * the previous level; the SMP spin lock and the ISR variants' acquire/release are empty.
 * The object only carries the name given at initialization.
 */
export class InterruptLock {
  constructor(
    /** The name given to rtems_interrupt_lock_initialize (C's NULL: undefined). */
    readonly name: string | undefined,
  ) {}
}
