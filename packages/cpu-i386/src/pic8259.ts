/**
 * The PC/AT interrupt controller: two Intel 8259A chips, the slave's INT output wired to
 * the master's IR2 (IBM PC/AT Technical Reference, "Interrupt Controllers"). Master at
 * ports 0x20/0x21 (IRQ 0-7), slave at 0xA0/0xA1 (IRQ 8-15). The bus pin labelled IRQ 2
 * on the AT is routed to IRQ 9, so line(2) hands out IRQ 9.
 *
 * Semantics (8259A datasheet): edge-triggered IRR latches unless ICW1 selects level mode;
 * a request outranks only what is not in service (fully nested), so it is not delivered
 * again while its own ISR bit or a higher-priority one is set; the slave's requests rank
 * at IR2's position on the master; with nothing pending at the acknowledge the chip
 * answers IR7 without setting ISR (spurious IRQ 7, or IRQ 15 with the master's ISR bit 2
 * set, as a real slave does).
 *
 * Reset state: what the PC BIOS leaves behind, master vectors 0x08-0x0F (which collide
 * with CPU exceptions until software remaps them), slave 0x70-0x77, cascade on IR2,
 * 8086 mode, normal EOI, every line masked except the cascade.
 *
 * Counters per line: raised, coalesced (raised while already pending in IRR: the edge is
 * absorbed, never silently lost), acknowledged; plus spurious acknowledges per chip.
 */
import type { IrqLine } from '@paravirt/machine';
import type { I386InterruptInput } from './i386Processor.js';
import { Pic8259Chip, type Pic8259ChipState } from './internal/pic8259Chip.js';
import type { IoBus, IoDevice } from './ioBus.js';

export const PIC_MASTER_COMMAND = 0x20;
export const PIC_MASTER_DATA = 0x21;
export const PIC_SLAVE_COMMAND = 0xa0;
export const PIC_SLAVE_DATA = 0xa1;

/** OCW2 non-specific EOI. */
export const PIC_EOI = 0x20;
/** OCW2 specific EOI; OR the level (0-7) in. */
export const PIC_SPECIFIC_EOI = 0x60;
/** OCW3 read IRR / read ISR on the next command-port read. */
export const PIC_READ_IRR = 0x0a;
export const PIC_READ_ISR = 0x0b;

/** The cascade input of the master. */
export const PIC_CASCADE_IRQ = 2;
export const PIC_LINES = 16;

export interface Pic8259State {
  readonly master: Pic8259ChipState;
  readonly slave: Pic8259ChipState;
  readonly slaveOutput: boolean;
  readonly raised: readonly number[];
  readonly coalesced: readonly number[];
  readonly acknowledged: readonly number[];
  readonly spuriousMaster: number;
  readonly spuriousSlave: number;
  readonly lastAcknowledgedLine: number | undefined;
}

function checkIrq(irq: number): void {
  if (!Number.isInteger(irq) || irq < 0 || irq >= PIC_LINES) throw new RangeError(`no IRQ ${irq} on the 8259A pair (0-15)`);
}

export class Pic8259Pair implements I386InterruptInput, IoDevice {
  readonly name: string;
  private readonly master = new Pic8259Chip('master');
  private readonly slave = new Pic8259Chip('slave');
  private slaveOutput = false;
  private readonly listeners: Array<() => void> = [];
  readonly raised: number[] = new Array<number>(PIC_LINES).fill(0);
  readonly coalesced: number[] = new Array<number>(PIC_LINES).fill(0);
  readonly acknowledged: number[] = new Array<number>(PIC_LINES).fill(0);
  /** Acknowledges the master answered with IR7 because nothing was pending. */
  spuriousMaster = 0;
  /** Acknowledges the slave answered with IR7 (IRQ 15) because nothing was pending. */
  spuriousSlave = 0;
  /** IRQ line behind the vector of the last acknowledge (7 or 15 for a spurious one; undefined if no chip answered). */
  lastAcknowledgedLine: number | undefined;

  constructor(name = 'pic') {
    this.name = name;
    this.resetToBiosState();
  }

  /** Claims ports 0x20-0x21 and 0xA0-0xA1. */
  attach(bus: IoBus): void {
    bus.claim(PIC_MASTER_COMMAND, PIC_MASTER_DATA, this);
    bus.claim(PIC_SLAVE_COMMAND, PIC_SLAVE_DATA, this);
  }

  /** The wire of IRQ `irq` for a device (IRQ 2 is the cascade: the AT bus routes it to IRQ 9). */
  line(irq: number): IrqLine {
    checkIrq(irq);
    const wired = irq === PIC_CASCADE_IRQ ? 9 : irq;
    return { number: wired, raise: () => this.raise(wired), lower: () => this.lower(wired) };
  }

  /** A device asserts IRQ `irq` (a rising edge in edge mode). */
  raise(irq: number): void {
    checkIrq(irq);
    const line = irq === PIC_CASCADE_IRQ ? 9 : irq;
    this.raised[line]!++;
    if (!this.chipOf(line).assert(line & 7)) {
      this.coalesced[line]!++;
      return;
    }
    this.changed();
  }

  /** A device deasserts IRQ `irq` (drops a level-triggered request). */
  lower(irq: number): void {
    checkIrq(irq);
    const line = irq === PIC_CASCADE_IRQ ? 9 : irq;
    this.chipOf(line).deassert(line & 7);
    this.changed();
  }

  /**
   * Fast-forward: `count` more requests on `irq` were raised, acknowledged and ended (EOI)
   * without being simulated, each into an idle line: only the counters move.
   */
  creditHandled(irq: number, count: number): void {
    checkIrq(irq);
    this.raised[irq]! += count;
    this.acknowledged[irq]! += count;
  }

  connect(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** 0 when the master presents nothing to the CPU, else 8 - its priority position (8 = highest). */
  requestLevel(): number {
    const irq = this.master.highestRequest();
    return irq < 0 ? 0 : 8 - this.master.priorityOf(1 << irq);
  }

  /**
   * The two-pulse INTA sequence: the master resolves its highest request; for a cascade
   * input the slave with that identity supplies the vector. Returns the vector.
   */
  acknowledge(): number {
    const master = this.master;
    const slave = this.slave;
    const irq = master.acknowledge();
    let vector: number;
    let line: number | undefined;
    if (irq < 0) {
      this.spuriousMaster++;
      line = 7;
      vector = master.vectorBase | 7;
    } else if ((master.cascadeInputs & (1 << irq)) === 0) {
      line = irq;
      vector = master.vectorBase | irq;
      this.acknowledged[line]!++;
    } else if (slave.slaveId !== irq) {
      // A cascade input with no slave of that identity: nobody drives the data bus.
      line = undefined;
      vector = 0xff;
    } else {
      // The slave's INT falls during its INTA sequence; whatever it still requests
      // afterwards reaches IR2 as a new edge (changed() below), so nothing strands.
      this.slaveOutput = false;
      master.deassert(PIC_CASCADE_IRQ);
      const slaveIrq = slave.acknowledge();
      if (slaveIrq < 0) {
        this.spuriousSlave++;
        line = 15;
        vector = slave.vectorBase | 7;
      } else {
        line = 8 + slaveIrq;
        vector = slave.vectorBase | slaveIrq;
        this.acknowledged[line]!++;
      }
    }
    this.lastAcknowledgedLine = line;
    this.changed();
    return vector;
  }

  read8(port: number): number {
    let value: number;
    switch (port) {
      case PIC_MASTER_COMMAND:
        value = this.master.readCommand();
        break;
      case PIC_MASTER_DATA:
        value = this.master.readData();
        break;
      case PIC_SLAVE_COMMAND:
        value = this.slave.readCommand();
        break;
      case PIC_SLAVE_DATA:
        value = this.slave.readData();
        break;
      default:
        return 0xff;
    }
    // A poll read acknowledges.
    this.changed();
    return value;
  }

  write8(port: number, value: number): void {
    switch (port) {
      case PIC_MASTER_COMMAND:
        this.master.writeCommand(value);
        break;
      case PIC_MASTER_DATA:
        this.master.writeData(value);
        break;
      case PIC_SLAVE_COMMAND:
        this.slave.writeCommand(value);
        break;
      case PIC_SLAVE_DATA:
        this.slave.writeData(value);
        break;
      default:
        return;
    }
    this.changed();
  }

  /** The vector IRQ `irq` is delivered with under the current ICW2 values. */
  vectorOf(irq: number): number {
    checkIrq(irq);
    return this.chipOf(irq).vectorBase | (irq & 7);
  }

  isMasked(irq: number): boolean {
    checkIrq(irq);
    return (this.chipOf(irq).imr & (1 << (irq & 7))) !== 0;
  }

  /** IRR bit of the line: a request latched and not yet acknowledged. */
  isRequested(irq: number): boolean {
    checkIrq(irq);
    return (this.chipOf(irq).irr & (1 << (irq & 7))) !== 0;
  }

  /** ISR bit of the line: acknowledged and not yet ended by an EOI. */
  isInService(irq: number): boolean {
    checkIrq(irq);
    return (this.chipOf(irq).isr & (1 << (irq & 7))) !== 0;
  }

  getState(): Pic8259State {
    return {
      master: this.master.getState(),
      slave: this.slave.getState(),
      slaveOutput: this.slaveOutput,
      raised: [...this.raised],
      coalesced: [...this.coalesced],
      acknowledged: [...this.acknowledged],
      spuriousMaster: this.spuriousMaster,
      spuriousSlave: this.spuriousSlave,
      lastAcknowledgedLine: this.lastAcknowledgedLine,
    };
  }

  setState(state: Pic8259State): void {
    this.master.setState(state.master);
    this.slave.setState(state.slave);
    this.slaveOutput = state.slaveOutput;
    this.raised.splice(0, PIC_LINES, ...state.raised);
    this.coalesced.splice(0, PIC_LINES, ...state.coalesced);
    this.acknowledged.splice(0, PIC_LINES, ...state.acknowledged);
    this.spuriousMaster = state.spuriousMaster;
    this.spuriousSlave = state.spuriousSlave;
    this.lastAcknowledgedLine = state.lastAcknowledgedLine;
    this.notify();
  }

  private resetToBiosState(): void {
    const sequences: Array<[Pic8259Chip, number[]]> = [
      [this.master, [0x11, 0x08, 0x04, 0x01, 0xfb]],
      [this.slave, [0x11, 0x70, 0x02, 0x01, 0xff]],
    ];
    for (const [chip, [icw1, ...data]] of sequences) {
      chip.writeCommand(icw1!);
      for (const byte of data) chip.writeData(byte);
    }
  }

  private chipOf(irq: number): Pic8259Chip {
    return irq < 8 ? this.master : this.slave;
  }

  private changed(): void {
    // The slave's INT output drives the master's IR2.
    const output = this.slave.highestRequest() >= 0;
    if (output !== this.slaveOutput) {
      this.slaveOutput = output;
      if (output) this.master.assert(PIC_CASCADE_IRQ);
      else this.master.deassert(PIC_CASCADE_IRQ);
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
