/**
 * The interrupt handler table of the Interrupt Manager Extension (RTEMS 6
 * rtems_interrupt_handler_install / rtems_interrupt_handler_remove): RTEMS's generic
 * interrupt support (bsps/shared/irq/irq-generic.c, irq-handler-install.c,
 * irq-handler-remove.c), which every BSP shares, kept here so every BSP behaves alike.
 *
 * Per vector a chain of entries (routine, argument), dispatched in installation order. The
 * BSP is told only when a vector gets its first entry (BspHooks.interruptInstall with the
 * vector's dispatcher: bsp_interrupt_vector_enable) and when it loses its last one
 * (BspHooks.interruptRemove: bsp_interrupt_vector_disable); it says which vectors exist
 * (BspHooks.isInterruptVector: bsp_interrupt_is_valid_vector). A vector the BSP keeps for
 * itself (the clock driver's, which pc386's ckinit.c installs RTEMS_INTERRUPT_UNIQUE) is
 * occupied by a unique handler the application did not install.
 */
import {
  type InterruptAttributes,
  type InterruptAttributesResult,
  type InterruptEnabledResult,
  type InterruptPendingResult,
  type InterruptPriorityResult,
  ZERO_INTERRUPT_ATTRIBUTES,
} from '../interruptAttributes.js';
import { InterruptEntry } from '../interruptEntry.js';
import { RTEMS_INTERRUPT_REPLACE, RTEMS_INTERRUPT_SHARED, RTEMS_INTERRUPT_UNIQUE } from '../interruptOptions.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';

/**
 * One installed handler: what identifies it (routine, argument), how to run it, and the
 * application's InterruptEntry when it came through rtems_interrupt_entry_install.
 */
interface InstalledEntry {
  readonly routine: unknown;
  readonly arg: unknown;
  info: unknown;
  readonly run: () => unknown;
  readonly entry?: InterruptEntry;
}

/** A per-handler visitor of rtems_interrupt_handler_iterate (rtems_interrupt_per_handler_routine). */
export type InterruptPerHandlerRoutine<A = unknown> = (arg: A, info: unknown, options: number, routine: unknown, handlerArg: unknown) => unknown;

interface InterruptVector {
  readonly entries: InstalledEntry[];
  /** bsp_interrupt_is_handler_unique: the first entry was installed RTEMS_INTERRUPT_UNIQUE. */
  readonly unique: boolean;
}

export class InterruptManager {
  private readonly vectors = new Map<number, InterruptVector>();

  constructor(private readonly score: Score) {}

  /**
   * bsp_interrupt_check_and_lock (irq-generic.c), in its order: INVALID_ADDRESS without a
   * routine, INVALID_ID for a vector the BSP does not have, CALLED_FROM_ISR in interrupt
   * context. (Its INCORRECT_STATE, "not initialized", cannot happen: bsp_start ran before
   * any application code.)
   */
  private check(vector: number, routine: unknown): RtemsStatus {
    if (typeof routine !== 'function') return RtemsStatus.INVALID_ADDRESS;
    if (!this.score.env.bsp.isInterruptVector(vector)) return RtemsStatus.INVALID_ID;
    if (this.score.isrNestLevel > 0) return RtemsStatus.CALLED_FROM_ISR;
    return RtemsStatus.SUCCESSFUL;
  }

  /** bsp_interrupt_entry_find: the entry with this routine and argument. */
  private find(vector: number, routine: unknown, arg: unknown): InstalledEntry | undefined {
    return this.vectors.get(vector)?.entries.find((entry) => entry.routine === routine && entry.arg === arg);
  }

  /**
   * rtems_interrupt_handler_install (irq-handler-install.c, irq-generic.c
   * bsp_interrupt_entry_install). `run` calls the routine with its argument.
   *
   * RTEMS_INTERRUPT_REPLACE: after the checks, the entry with this routine and argument
   * gets the new info, RTEMS_UNSATISFIED when there is none (RTEMS 6's
   * bsp_interrupt_handler_do_replace looks the entry up by routine and argument, although
   * the interface description speaks of "the first handler with the same argument").
   * Otherwise: the first entry of a vector enables it at the BSP (RESOURCE_IN_USE when the
   * BSP keeps the vector for itself) and remembers whether it is unique; a later one is
   * RESOURCE_IN_USE when it or the installed one is unique, TOO_MANY when this routine and
   * argument are installed already, else it joins the end of the chain.
   */
  install(vector: unknown, info: unknown, options: unknown, routine: unknown, arg: unknown, run: () => unknown): RtemsStatus {
    const line = bits32(vector);
    const checked = this.check(line, routine);
    if (checked !== RtemsStatus.SUCCESSFUL) return checked;
    const optionSet = bits32(options);
    if ((optionSet & RTEMS_INTERRUPT_REPLACE) !== 0) {
      const entry = this.find(line, routine, arg);
      if (entry === undefined) return RtemsStatus.UNSATISFIED;
      entry.info = info;
      return RtemsStatus.SUCCESSFUL;
    }
    return this.chain(line, optionSet, { routine, arg, info, run });
  }

  /**
   * bsp_interrupt_entry_install (irq-generic.c) past its REPLACE check: the first entry
   * of a vector enables it at the BSP, a later one joins the chain unless either is unique
   * or the routine and argument are there already.
   */
  private chain(line: number, optionSet: number, entry: InstalledEntry): RtemsStatus {
    const unique = (optionSet & RTEMS_INTERRUPT_UNIQUE) !== 0;
    const installed = this.vectors.get(line);
    if (installed === undefined) {
      const vectorState: InterruptVector = { entries: [entry], unique };
      if (!this.score.env.bsp.interruptInstall(line, () => this.dispatch(vectorState))) return RtemsStatus.RESOURCE_IN_USE;
      this.vectors.set(line, vectorState);
      return RtemsStatus.SUCCESSFUL;
    }
    if (unique || installed.unique) return RtemsStatus.RESOURCE_IN_USE;
    if (this.find(line, entry.routine, entry.arg) !== undefined) return RtemsStatus.TOO_MANY;
    installed.entries.push(entry);
    return RtemsStatus.SUCCESSFUL;
  }

  /**
   * rtems_interrupt_handler_remove (irq-handler-remove.c): after the checks, UNSATISFIED
   * when this routine and argument are not installed on the vector; the last entry of a
   * vector disables it at the BSP.
   */
  remove(vector: unknown, routine: unknown, arg: unknown): RtemsStatus {
    const line = bits32(vector);
    const checked = this.check(line, routine);
    if (checked !== RtemsStatus.SUCCESSFUL) return checked;
    const installed = this.vectors.get(line);
    const entry = this.find(line, routine, arg);
    if (installed === undefined || entry === undefined) return RtemsStatus.UNSATISFIED;
    this.unchain(line, installed, entry);
    return RtemsStatus.SUCCESSFUL;
  }

  /** bsp_interrupt_entry_remove (irq-entry-remove.c): off the chain; the last one disables the vector at the BSP. */
  private unchain(line: number, installed: InterruptVector, entry: InstalledEntry): void {
    installed.entries.splice(installed.entries.indexOf(entry), 1);
    if (installed.entries.length === 0) {
      this.vectors.delete(line);
      this.score.env.bsp.interruptRemove(line);
    }
  }

  /**
   * rtems_interrupt_entry_install (irq-generic.c): INVALID_ADDRESS when `entry` is not an
   * InterruptEntry (C's NULL), then bsp_interrupt_check_and_lock on its routine
   * (INVALID_ADDRESS, INVALID_ID, CALLED_FROM_ISR), then INVALID_NUMBER for
   * RTEMS_INTERRUPT_REPLACE (bsp_interrupt_entry_install refuses it), then as
   * rtems_interrupt_handler_install: RESOURCE_IN_USE, TOO_MANY. The chain holds the entry
   * object itself, so interruptEntryRemove finds it.
   */
  entryInstall(vector: unknown, options: unknown, entry: unknown, run: (entry: InterruptEntry) => unknown): RtemsStatus {
    if (!(entry instanceof InterruptEntry)) return RtemsStatus.INVALID_ADDRESS;
    const line = bits32(vector);
    const checked = this.check(line, entry.routine);
    if (checked !== RtemsStatus.SUCCESSFUL) return checked;
    const optionSet = bits32(options);
    if ((optionSet & RTEMS_INTERRUPT_REPLACE) !== 0) return RtemsStatus.INVALID_NUMBER;
    return this.chain(line, optionSet, { routine: entry.routine, arg: entry.arg, info: entry.info, run: () => run(entry), entry });
  }

  /**
   * rtems_interrupt_entry_remove (irq-entry-remove.c): INVALID_ADDRESS (not an entry), the
   * checks on its routine, then UNSATISFIED unless the entry found by its routine and
   * argument is this very object (bsp_interrupt_entry_do_remove): a handler with the same
   * routine and argument installed by rtems_interrupt_handler_install is not it.
   */
  entryRemove(vector: unknown, entry: unknown): RtemsStatus {
    if (!(entry instanceof InterruptEntry)) return RtemsStatus.INVALID_ADDRESS;
    const line = bits32(vector);
    const checked = this.check(line, entry.routine);
    if (checked !== RtemsStatus.SUCCESSFUL) return checked;
    const installed = this.vectors.get(line);
    const found = this.find(line, entry.routine, entry.arg);
    if (installed === undefined || found === undefined || found.entry !== entry) return RtemsStatus.UNSATISFIED;
    this.unchain(line, installed, found);
    return RtemsStatus.SUCCESSFUL;
  }

  /**
   * rtems_interrupt_handler_iterate (irq-handler-iterate.c): bsp_interrupt_check_and_lock
   * with the visitor in place of a handler (INVALID_ADDRESS without one, INVALID_ID,
   * CALLED_FROM_ISR), then `routine(arg, info, options, handler, handlerArg)` for each
   * entry in chain order, options RTEMS_INTERRUPT_UNIQUE when the vector's first entry was
   * installed unique, else RTEMS_INTERRUPT_SHARED. The chain is walked as it is when the
   * iteration starts (the visitor must not install or remove, irq-extension.h).
   */
  iterate(vector: unknown, routine: unknown, arg: unknown): RtemsStatus {
    const line = bits32(vector);
    const checked = this.check(line, routine);
    if (checked !== RtemsStatus.SUCCESSFUL) return checked;
    const installed = this.vectors.get(line);
    if (installed === undefined) return RtemsStatus.SUCCESSFUL;
    const options = installed.unique ? RTEMS_INTERRUPT_UNIQUE : RTEMS_INTERRUPT_SHARED;
    for (const entry of [...installed.entries]) (routine as InterruptPerHandlerRoutine)(arg, entry.info, options, entry.routine, entry.arg);
    return RtemsStatus.SUCCESSFUL;
  }

  // ---------------------------------------------------------------- per-vector controller operations
  // The generic half of irq-enable-disable.c, irq-raise-clear.c and irq-priority.c: the
  // vector is checked here (INVALID_ID), the BSP's BspInterruptController does the rest.
  // A JS result object has no out-parameter pointer, so their INVALID_ADDRESS cannot happen.

  /** bsp_interrupt_is_valid_vector for the per-vector directives (any context: they do not lock). */
  private valid(vector: unknown): number | undefined {
    const line = bits32(vector);
    return this.score.env.bsp.isInterruptVector(line) ? line : undefined;
  }

  /** rtems_interrupt_vector_is_enabled (irq-enable-disable.c): INVALID_ID, else the BSP's answer (UNSATISFIED when it cannot tell). */
  isEnabled(vector: unknown): InterruptEnabledResult {
    const line = this.valid(vector);
    if (line === undefined) return { status: RtemsStatus.INVALID_ID, enabled: false };
    const enabled = this.score.env.bsp.interruptController?.isEnabled?.(line);
    return enabled === undefined ? { status: RtemsStatus.UNSATISFIED, enabled: false } : { status: RtemsStatus.SUCCESSFUL, enabled };
  }

  /** rtems_interrupt_vector_enable (irq-enable-disable.c): INVALID_ID, else bsp_interrupt_vector_enable. */
  enable(vector: unknown): RtemsStatus {
    const line = this.valid(vector);
    if (line === undefined) return RtemsStatus.INVALID_ID;
    return this.score.env.bsp.interruptController?.enable?.(line) === true ? RtemsStatus.SUCCESSFUL : RtemsStatus.UNSATISFIED;
  }

  /** rtems_interrupt_vector_disable (irq-enable-disable.c): INVALID_ID, else bsp_interrupt_vector_disable. */
  disable(vector: unknown): RtemsStatus {
    const line = this.valid(vector);
    if (line === undefined) return RtemsStatus.INVALID_ID;
    return this.score.env.bsp.interruptController?.disable?.(line) === true ? RtemsStatus.SUCCESSFUL : RtemsStatus.UNSATISFIED;
  }

  /** rtems_interrupt_is_pending (irq-raise-clear.c): INVALID_ID, else bsp_interrupt_is_pending (UNSATISFIED when the controller cannot tell). */
  isPending(vector: unknown): InterruptPendingResult {
    const line = this.valid(vector);
    if (line === undefined) return { status: RtemsStatus.INVALID_ID, pending: false };
    const pending = this.score.env.bsp.interruptController?.isPending?.(line);
    return pending === undefined ? { status: RtemsStatus.UNSATISFIED, pending: false } : { status: RtemsStatus.SUCCESSFUL, pending };
  }

  /** rtems_interrupt_raise (irq-raise-clear.c): INVALID_ID, else bsp_interrupt_raise (UNSATISFIED where the controller cannot). */
  raise(vector: unknown): RtemsStatus {
    const line = this.valid(vector);
    if (line === undefined) return RtemsStatus.INVALID_ID;
    return this.score.env.bsp.interruptController?.raise?.(line) === true ? RtemsStatus.SUCCESSFUL : RtemsStatus.UNSATISFIED;
  }

  /**
   * rtems_interrupt_raise_on (irq-raise-clear.c) without RTEMS_SMP: INVALID_ID, then
   * NOT_CONFIGURED for a processor index past the one processor, then bsp_interrupt_raise.
   */
  raiseOn(vector: unknown, cpuIndex: unknown): RtemsStatus {
    const line = this.valid(vector);
    if (line === undefined) return RtemsStatus.INVALID_ID;
    if (bits32(cpuIndex) >= 1) return RtemsStatus.NOT_CONFIGURED;
    return this.raise(line);
  }

  /** rtems_interrupt_clear (irq-raise-clear.c): INVALID_ID, else bsp_interrupt_clear (UNSATISFIED where the controller cannot). */
  clear(vector: unknown): RtemsStatus {
    const line = this.valid(vector);
    if (line === undefined) return RtemsStatus.INVALID_ID;
    return this.score.env.bsp.interruptController?.clear?.(line) === true ? RtemsStatus.SUCCESSFUL : RtemsStatus.UNSATISFIED;
  }

  /**
   * rtems_interrupt_get_attributes (irq-enable-disable.c): the attributes zeroed, INVALID_ID,
   * then bsp_interrupt_get_attributes; without RTEMS_SMP the generic layer then sets
   * can_raise_on = can_raise and can_get_affinity = can_set_affinity = true (the affinity
   * directives work on one processor: the set {0}).
   */
  attributes(vector: unknown): InterruptAttributesResult {
    const line = this.valid(vector);
    if (line === undefined) return { status: RtemsStatus.INVALID_ID, attributes: ZERO_INTERRUPT_ATTRIBUTES };
    const fromBsp = this.score.env.bsp.interruptController?.attributes(line) ?? {};
    const attributes: InterruptAttributes = { ...ZERO_INTERRUPT_ATTRIBUTES, ...fromBsp };
    return {
      status: RtemsStatus.SUCCESSFUL,
      attributes: Object.freeze({ ...attributes, canRaiseOn: attributes.canRaise, canGetAffinity: true, canSetAffinity: true }),
    };
  }

  /** rtems_interrupt_get_priority (irq-priority.c): INVALID_ID, else bsp_interrupt_get_priority (UNSATISFIED where there is none). */
  getPriority(vector: unknown): InterruptPriorityResult {
    const line = this.valid(vector);
    if (line === undefined) return { status: RtemsStatus.INVALID_ID, priority: 0 };
    const priority = this.score.env.bsp.interruptController?.getPriority?.(line);
    return priority === undefined ? { status: RtemsStatus.UNSATISFIED, priority: 0 } : { status: RtemsStatus.SUCCESSFUL, priority };
  }

  /** rtems_interrupt_set_priority (irq-priority.c): INVALID_ID, else bsp_interrupt_set_priority (UNSATISFIED where it cannot). */
  setPriority(vector: unknown, priority: unknown): RtemsStatus {
    const line = this.valid(vector);
    if (line === undefined) return RtemsStatus.INVALID_ID;
    return this.score.env.bsp.interruptController?.setPriority?.(line, bits32(priority)) === true ? RtemsStatus.SUCCESSFUL : RtemsStatus.UNSATISFIED;
  }

  /** bsp_interrupt_dispatch_entries: each entry of the chain, in installation order, as an ISR routine. */
  private dispatch(vector: InterruptVector): void {
    for (const entry of [...vector.entries]) this.score.runRoutine(entry.run);
  }
}
