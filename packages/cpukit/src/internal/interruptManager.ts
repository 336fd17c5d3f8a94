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
import { RTEMS_INTERRUPT_REPLACE, RTEMS_INTERRUPT_UNIQUE } from '../interruptOptions.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';

/** One installed handler: what identifies it (routine, argument) and how to run it. */
interface InterruptEntry {
  readonly routine: unknown;
  readonly arg: unknown;
  info: unknown;
  readonly run: () => unknown;
}

interface InterruptVector {
  readonly entries: InterruptEntry[];
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
  private find(vector: number, routine: unknown, arg: unknown): InterruptEntry | undefined {
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
    const unique = (optionSet & RTEMS_INTERRUPT_UNIQUE) !== 0;
    const entry: InterruptEntry = { routine, arg, info, run };
    const installed = this.vectors.get(line);
    if (installed === undefined) {
      const vectorState: InterruptVector = { entries: [entry], unique };
      if (!this.score.env.bsp.interruptInstall(line, () => this.dispatch(vectorState))) return RtemsStatus.RESOURCE_IN_USE;
      this.vectors.set(line, vectorState);
      return RtemsStatus.SUCCESSFUL;
    }
    if (unique || installed.unique) return RtemsStatus.RESOURCE_IN_USE;
    if (this.find(line, routine, arg) !== undefined) return RtemsStatus.TOO_MANY;
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
    installed.entries.splice(installed.entries.indexOf(entry), 1);
    if (installed.entries.length === 0) {
      this.vectors.delete(line);
      this.score.env.bsp.interruptRemove(line);
    }
    return RtemsStatus.SUCCESSFUL;
  }

  /** bsp_interrupt_dispatch_entries: each entry of the chain, in installation order, as an ISR routine. */
  private dispatch(vector: InterruptVector): void {
    for (const entry of [...vector.entries]) this.score.runRoutine(entry.run);
  }
}
