/**
 * An interrupt entry of RTEMS 6's entry-based install (rtems_interrupt_entry,
 * irq-extension.h): a handler, its argument and its info, in storage the application owns.
 * `rtems.interruptEntryInitialize(routine, arg, info)` makes one (C's
 * rtems_interrupt_entry_initialize fills caller storage), `interruptEntryInstall` puts this
 * very object on a vector's chain and `interruptEntryRemove` takes it off again: remove
 * looks for the object itself, not for an entry with the same routine and argument
 * (irq-entry-remove.c bsp_interrupt_entry_do_remove: `installed != entry` is UNSATISFIED).
 */
export class InterruptEntry {
  /** The handler, called as `routine(rtems, arg)` in interrupt context (C's entry->handler). */
  readonly routine: unknown;
  readonly arg: unknown;
  /** The descriptive info (C's entry->info); rtems_interrupt_handler_iterate reports it. */
  readonly info: unknown;
  /** Makes the type nominal: a look-alike object is not an entry (install answers INVALID_ADDRESS for it). */
  private readonly isInterruptEntry = true;

  constructor(routine: unknown, arg: unknown, info: unknown) {
    this.routine = routine;
    this.arg = arg;
    this.info = info;
  }
}
