/**
 * GRLIB IRQMP, the LEON3 multiprocessor interrupt controller, for one processor (GRLIB
 * IP Core User's Manual, IRQMP section). Fifteen interrupt lines 1..15; extended
 * interrupts 16..31, broadcast and the other processors' registers are not modelled.
 *
 * Registers (offset from the base, 0x80000200 on a typical LEON3):
 *   0x00 interrupt level    IL[15:1]: 1 puts the line in the high-priority group
 *   0x04 interrupt pending  IP[15:1]
 *   0x08 interrupt force    IF[15:1] of processor 0 (the single-processor alias of 0x80)
 *   0x0C interrupt clear    write 1 to clear IP bits
 *   0x10 MP status          NCPU-1 in 31:28 (0: one processor)
 *   0x40 processor 0 mask   IM[15:1]: 1 = the line is enabled (reset value 0: all masked)
 *   0x80 processor 0 force  IF[15:1]; IFC[31:17] written 1 clears the matching force bit
 *   0xC0 processor 0 extended interrupt acknowledge (reads 0: no extended interrupts)
 *
 * Priority: among pending (or forced) and unmasked lines, the level-1 group wins over
 * the level-0 group, and within a group the higher line number wins. The processor's
 * interrupt level (IRL) is the number of that line; the processor compares it with PIL.
 *
 * Lines are edge-sensitive: a raise sets the pending bit; a raise while it is already set
 * is counted as coalesced. The processor's interrupt acknowledge clears the force bit if
 * the interrupt was forced, the pending bit otherwise (IRQMP: "the processor
 * acknowledgement will clear the force bit rather than the pending bit").
 */
import type { InterruptRequester, IrqLine } from '@paravirt/machine';
import type { ApbDevice } from './apbBus.js';

export const IRQMP_LEVEL = 0x00;
export const IRQMP_PENDING = 0x04;
export const IRQMP_FORCE = 0x08;
export const IRQMP_CLEAR = 0x0c;
export const IRQMP_MP_STATUS = 0x10;
export const IRQMP_MASK = 0x40;
export const IRQMP_PROCESSOR_FORCE = 0x80;
export const IRQMP_EXTENDED_ACK = 0xc0;

/** Bits 15:1: the lines that exist (bit 0 is reserved). */
const LINE_BITS = 0xfffe;
const LINES = 16;

export interface IrqmpState {
  readonly level: number;
  readonly pending: number;
  readonly force: number;
  readonly mask: number;
  readonly raised: readonly number[];
  readonly coalesced: readonly number[];
  readonly acknowledged: readonly number[];
}

export class Irqmp implements InterruptRequester, ApbDevice {
  private level = 0;
  private pending = 0;
  private force = 0;
  private mask = 0;
  private readonly listeners: Array<() => void> = [];
  /** Raises per line (index = line number; index 0 unused). */
  readonly raised = new Array<number>(LINES).fill(0);
  /** Raises that found the line already pending. */
  readonly coalesced = new Array<number>(LINES).fill(0);
  /** Interrupt acknowledges per line. */
  readonly acknowledged = new Array<number>(LINES).fill(0);

  /** The wire of line `number` (1..15) a device raises. */
  line(number: number): IrqLine {
    checkLine(number);
    return { number, raise: () => this.raise(number), lower: () => {} };
  }

  raise(line: number): void {
    checkLine(line);
    this.raised[line]!++;
    const bit = 1 << line;
    if (this.pending & bit) {
      this.coalesced[line]!++;
      return;
    }
    this.pending |= bit;
    this.changed();
  }

  setMasked(line: number, masked: boolean): void {
    checkLine(line);
    const bit = 1 << line;
    this.mask = masked ? this.mask & ~bit : this.mask | bit;
    this.changed();
  }

  isMasked(line: number): boolean {
    checkLine(line);
    return (this.mask & (1 << line)) === 0;
  }

  isPending(line: number): boolean {
    checkLine(line);
    return ((this.pending | this.force) & (1 << line)) !== 0;
  }

  /** Moves `line` to the high-priority (1) or normal (0) group. */
  setPriorityGroup(line: number, group: 0 | 1): void {
    checkLine(line);
    const bit = 1 << line;
    this.level = group === 1 ? this.level | bit : this.level & ~bit;
    this.changed();
  }

  /** The IRL driven to the processor: the line number of the most urgent request, 0 for none. */
  requestLevel(): number {
    const ready = (this.pending | this.force) & this.mask & LINE_BITS;
    if (ready === 0) return 0;
    const high = ready & this.level;
    return 31 - Math.clz32(high !== 0 ? high : ready);
  }

  /** The processor takes the interrupt: clears its force bit, or its pending bit, and returns the line (0 if none). */
  acknowledge(): number {
    const line = this.requestLevel();
    if (line === 0) return 0;
    const bit = 1 << line;
    if (this.force & bit) this.force &= ~bit;
    else this.pending &= ~bit;
    this.acknowledged[line]!++;
    this.changed();
    return line;
  }

  /** Fast-forward: `count` more requests on `line` were raised into an idle line and acknowledged, without being simulated: only the counters move. */
  creditHandled(line: number, count: number): void {
    checkLine(line);
    this.raised[line]! += count;
    this.acknowledged[line]! += count;
  }

  connect(listener: () => void): void {
    this.listeners.push(listener);
  }

  read(offset: number): number {
    switch (offset) {
      case IRQMP_LEVEL:
        return this.level;
      case IRQMP_PENDING:
        return this.pending;
      case IRQMP_FORCE:
      case IRQMP_PROCESSOR_FORCE:
        return this.force;
      case IRQMP_MASK:
        return this.mask;
      case IRQMP_CLEAR:
      case IRQMP_MP_STATUS:
      case IRQMP_EXTENDED_ACK:
      default:
        return 0;
    }
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case IRQMP_LEVEL:
        this.level = value & LINE_BITS;
        break;
      case IRQMP_PENDING:
        this.pending = value & LINE_BITS;
        break;
      case IRQMP_FORCE:
        this.force = value & LINE_BITS;
        break;
      case IRQMP_CLEAR:
        this.pending &= ~(value & LINE_BITS);
        break;
      case IRQMP_MASK:
        this.mask = value & LINE_BITS;
        break;
      case IRQMP_PROCESSOR_FORCE:
        this.force = (this.force | (value & LINE_BITS)) & ~((value >>> 16) & LINE_BITS);
        break;
      default:
        return;
    }
    this.changed();
  }

  getState(): IrqmpState {
    return {
      level: this.level,
      pending: this.pending,
      force: this.force,
      mask: this.mask,
      raised: [...this.raised],
      coalesced: [...this.coalesced],
      acknowledged: [...this.acknowledged],
    };
  }

  setState(state: IrqmpState): void {
    this.level = state.level & LINE_BITS;
    this.pending = state.pending & LINE_BITS;
    this.force = state.force & LINE_BITS;
    this.mask = state.mask & LINE_BITS;
    this.raised.splice(0, LINES, ...state.raised);
    this.coalesced.splice(0, LINES, ...state.coalesced);
    this.acknowledged.splice(0, LINES, ...state.acknowledged);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function checkLine(line: number): void {
  if (!Number.isInteger(line) || line < 1 || line > 15) throw new RangeError(`IRQMP has interrupt lines 1..15, got ${line}`);
}
