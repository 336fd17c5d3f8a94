/**
 * A trap table: what software installs at TBR.TBA, one entry per trap type (V8 chapter 7,
 * "Trap Addressing": the handler for tt starts at TBA + 16 * tt). Guest and kernel code
 * in this simulator is JavaScript, so an entry is a function rather than four
 * instructions; the processor maps tables by base address and WRTBR selects one.
 *
 * window_overflow and window_underflow are not settable: every SPARC trap table installs
 * the standard spill/fill handlers there (RTEMS's start.S, Linux's entry.S), and the
 * processor models those handlers itself.
 */
import type { TrapInfo, TrapOutcome } from '@paravirt/machine';
import { TT_WINDOW_OVERFLOW, TT_WINDOW_UNDERFLOW } from './trapTypes.js';

export type TrapHandler = (trap: TrapInfo) => TrapOutcome;

export class TrapTable {
  private readonly entries: (TrapHandler | undefined)[] = new Array<TrapHandler | undefined>(256).fill(undefined);

  constructor(readonly name = 'trap table') {}

  /** Installs `handler` for trap type `tt` (1..255, not the window traps). */
  set(tt: number, handler: TrapHandler): void {
    if (!Number.isInteger(tt) || tt < 1 || tt > 0xff) throw new RangeError(`${this.name}: trap type must be 1..255, got ${tt}`);
    if (tt === TT_WINDOW_OVERFLOW || tt === TT_WINDOW_UNDERFLOW) {
      throw new RangeError(`${this.name}: tt 0x0${tt} is handled by the processor's built-in window spill/fill handler`);
    }
    this.entries[tt] = handler;
  }

  /** Installs `handler` for every trap type in [first, last] except the window traps. */
  setRange(first: number, last: number, handler: TrapHandler): void {
    for (let tt = first; tt <= last; tt++) {
      if (tt !== TT_WINDOW_OVERFLOW && tt !== TT_WINDOW_UNDERFLOW) this.set(tt, handler);
    }
  }

  /** Removes the handler of `tt`. */
  clear(tt: number): void {
    if (Number.isInteger(tt) && tt >= 0 && tt <= 0xff) this.entries[tt] = undefined;
  }

  get(tt: number): TrapHandler | undefined {
    return this.entries[tt];
  }
}
