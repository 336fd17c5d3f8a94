/**
 * A generic interrupt controller: up to 32 lines, each edge- or level-triggered, with a
 * mask bit and a priority (1..255, higher is more urgent; ties go to the lower line
 * number). Used for arch-neutral boards and tests; the architectures bring their own
 * (8259A PIC pair, LEON3 IRQMP) behind the same InterruptRequester interface.
 *
 * Counters per line (raised, coalesced, acknowledged) make "nothing is lost" checkable:
 * a raise while the line is already pending is coalesced, never silently dropped.
 */
import type { InterruptRequester, IrqLine } from './interrupts.js';

export type Trigger = 'edge' | 'level';

export interface LineConfig {
  readonly priority?: number;
  readonly trigger?: Trigger;
  readonly masked?: boolean;
}

export interface InterruptControllerState {
  readonly pending: number;
  readonly asserted: number;
  readonly mask: number;
  readonly priorities: readonly number[];
  readonly triggers: readonly Trigger[];
  readonly raised: readonly number[];
  readonly coalesced: readonly number[];
  readonly acknowledged: readonly number[];
}

export class InterruptController implements InterruptRequester {
  private pending = 0;
  /** Current input level of level-triggered lines. */
  private asserted = 0;
  private mask = 0;
  private readonly priorities: number[];
  private readonly triggers: Trigger[];
  private readonly listeners: Array<() => void> = [];
  readonly raised: number[];
  readonly coalesced: number[];
  readonly acknowledged: number[];

  constructor(readonly lineCount = 32) {
    if (!Number.isInteger(lineCount) || lineCount < 1 || lineCount > 32) {
      throw new RangeError(`an interrupt controller has 1..32 lines, got ${lineCount}`);
    }
    this.priorities = Array.from({ length: lineCount }, () => 1);
    this.triggers = Array.from({ length: lineCount }, () => 'edge');
    this.raised = new Array<number>(lineCount).fill(0);
    this.coalesced = new Array<number>(lineCount).fill(0);
    this.acknowledged = new Array<number>(lineCount).fill(0);
  }

  configure(line: number, config: LineConfig): void {
    this.check(line);
    if (config.priority !== undefined) {
      if (!Number.isInteger(config.priority) || config.priority < 1 || config.priority > 255) {
        throw new RangeError(`line ${line}: priority must be 1..255, got ${config.priority}`);
      }
      this.priorities[line] = config.priority;
    }
    if (config.trigger !== undefined) this.triggers[line] = config.trigger;
    if (config.masked !== undefined) this.setMasked(line, config.masked);
    this.changed();
  }

  /** The IrqLine a device is wired to. */
  line(number: number): IrqLine {
    this.check(number);
    return {
      number,
      raise: () => this.raise(number),
      lower: () => this.lower(number),
    };
  }

  raise(line: number): void {
    this.check(line);
    const bit = 1 << line;
    this.raised[line]!++;
    if (this.triggers[line] === 'level') this.asserted |= bit;
    if (this.pending & bit) {
      this.coalesced[line]!++;
      return;
    }
    this.pending |= bit;
    this.changed();
  }

  lower(line: number): void {
    this.check(line);
    const bit = 1 << line;
    if (this.triggers[line] !== 'level') return;
    this.asserted &= ~bit;
    if (this.pending & bit) {
      this.pending &= ~bit;
      this.changed();
    }
  }

  /** Drops a pending request without delivering it (software clear). */
  clear(line: number): void {
    this.check(line);
    this.pending &= ~(1 << line);
    this.changed();
  }

  setMasked(line: number, masked: boolean): void {
    this.check(line);
    const bit = 1 << line;
    this.mask = masked ? this.mask | bit : this.mask & ~bit;
    this.changed();
  }

  isMasked(line: number): boolean {
    this.check(line);
    return (this.mask & (1 << line)) !== 0;
  }

  isPending(line: number): boolean {
    this.check(line);
    return (this.pending & (1 << line)) !== 0;
  }

  /** The line that acknowledge() would return, or -1. */
  highestPending(): number {
    const ready = this.pending & ~this.mask;
    if (ready === 0) return -1;
    let best = -1;
    let bestPriority = 0;
    for (let line = 0; line < this.lineCount; line++) {
      if (ready & (1 << line) && this.priorities[line]! > bestPriority) {
        best = line;
        bestPriority = this.priorities[line]!;
      }
    }
    return best;
  }

  requestLevel(): number {
    const line = this.highestPending();
    return line < 0 ? 0 : this.priorities[line]!;
  }

  /** Takes the most urgent request: returns its line (or -1 if none, a spurious acknowledge). */
  acknowledge(): number {
    const line = this.highestPending();
    if (line < 0) return -1;
    this.acknowledged[line]!++;
    const bit = 1 << line;
    // A level line that is still asserted stays pending: the device must lower it.
    if (!(this.asserted & bit)) this.pending &= ~bit;
    this.changed();
    return line;
  }

  connect(listener: () => void): void {
    this.listeners.push(listener);
  }

  getState(): InterruptControllerState {
    return {
      pending: this.pending,
      asserted: this.asserted,
      mask: this.mask,
      priorities: [...this.priorities],
      triggers: [...this.triggers],
      raised: [...this.raised],
      coalesced: [...this.coalesced],
      acknowledged: [...this.acknowledged],
    };
  }

  setState(state: InterruptControllerState): void {
    this.pending = state.pending;
    this.asserted = state.asserted;
    this.mask = state.mask;
    this.priorities.splice(0, this.lineCount, ...state.priorities);
    this.triggers.splice(0, this.lineCount, ...state.triggers);
    this.raised.splice(0, this.lineCount, ...state.raised);
    this.coalesced.splice(0, this.lineCount, ...state.coalesced);
    this.acknowledged.splice(0, this.lineCount, ...state.acknowledged);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private check(line: number): void {
    if (!Number.isInteger(line) || line < 0 || line >= this.lineCount) {
      throw new RangeError(`no interrupt line ${line} (controller has ${this.lineCount})`);
    }
  }
}
