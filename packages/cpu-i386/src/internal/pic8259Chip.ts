/**
 * One Intel 8259A programmable interrupt controller (8259A datasheet, Intel order
 * 231468): IRR/ISR/IMR, the ICW1-ICW4 initialisation sequence, OCW1-OCW3, fully nested
 * priority with rotation, automatic EOI, special mask mode, poll mode. The master/slave
 * wiring of the PC/AT lives in Pic8259Pair; this class knows only its own eight inputs.
 */

export type ChipRole = 'master' | 'slave';

export interface Pic8259ChipState {
  readonly irr: number;
  readonly isr: number;
  readonly imr: number;
  readonly inputLevels: number;
  readonly vectorBase: number;
  readonly icw3: number;
  readonly icw4: number;
  readonly levelTriggered: boolean;
  readonly single: boolean;
  readonly expectIcw4: boolean;
  readonly initStep: number;
  readonly lowestPriority: number;
  readonly readIsr: boolean;
  readonly pollPending: boolean;
  readonly specialMask: boolean;
  readonly rotateInAutoEoi: boolean;
}

/** Where the chip is in its initialisation sequence: 0 = initialised, else the ICW it expects next. */
const READY = 0;

export class Pic8259Chip {
  irr = 0;
  isr = 0;
  imr = 0;
  /** Current level of each input (for level-triggered mode and cascade edge detection). */
  inputLevels = 0;
  vectorBase = 0;
  icw3 = 0;
  icw4 = 0;
  levelTriggered = false;
  single = false;
  expectIcw4 = false;
  initStep = READY;
  /** The input with the lowest priority; IR(lowest + 1) mod 8 has the highest (fully nested: 7). */
  lowestPriority = 7;
  readIsr = false;
  pollPending = false;
  specialMask = false;
  rotateInAutoEoi = false;

  constructor(readonly role: ChipRole) {}

  get autoEoi(): boolean {
    return (this.icw4 & 0x02) !== 0;
  }

  get specialFullyNested(): boolean {
    return (this.icw4 & 0x10) !== 0;
  }

  /** Inputs with a slave behind them (master ICW3 in cascade mode). */
  get cascadeInputs(): number {
    return this.role === 'master' && !this.single ? this.icw3 & 0xff : 0;
  }

  /** This slave's identity on the cascade lines (slave ICW3 bits 0-2). */
  get slaveId(): number {
    return this.icw3 & 0x07;
  }

  /**
   * A device asserts input `irq`. Edge mode: every assertion is a rising edge (devices in
   * this simulator pulse their lines) that sets IRR. Level mode: IRR follows the level.
   * Returns false if the request was already pending (it is coalesced).
   */
  assert(irq: number): boolean {
    const bit = 1 << irq;
    this.inputLevels |= bit;
    if (this.irr & bit) return false;
    this.irr |= bit;
    return true;
  }

  /** A device deasserts input `irq`: a level-triggered request disappears, an edge-latched one stays. */
  deassert(irq: number): void {
    const bit = 1 << irq;
    this.inputLevels &= ~bit;
    if (this.levelTriggered) this.irr &= ~bit;
  }

  /** Position of the highest-priority bit of `mask` in the current rotation: 0 (highest) .. 7, or 8 if none. */
  priorityOf(mask: number): number {
    if ((mask & 0xff) === 0) return 8;
    for (let p = 0; p < 8; p++) {
      if (mask & (1 << ((p + this.lowestPriority + 1) & 7))) return p;
    }
    return 8;
  }

  private inputAt(priority: number): number {
    return (priority + this.lowestPriority + 1) & 7;
  }

  /**
   * The input the chip would present to the CPU now, or -1. A request is taken only if
   * it outranks everything in service (fully nested mode); in special mask mode masked
   * in-service levels do not block (datasheet, "Special Mask Mode"); in special fully
   * nested mode the master also lets a cascade input through while it is in service,
   * so a higher-priority request on the same slave gets out (datasheet, "Special Fully
   * Nested Mode").
   */
  highestRequest(): number {
    const pending = this.irr & ~this.imr & 0xff;
    if (pending === 0 || this.initStep !== READY) return -1;
    const requested = this.priorityOf(pending);
    let inService = this.isr;
    if (this.specialMask) inService &= ~this.imr;
    const current = this.priorityOf(inService);
    const irq = this.inputAt(requested);
    if (requested < current) return irq;
    if (requested === current && this.specialFullyNested && (this.cascadeInputs & (1 << irq)) !== 0) return irq;
    return -1;
  }

  /** The INTA sequence at this chip: the input taken (IRR -> ISR) or -1 when nothing is pending (spurious IR7). */
  acknowledge(): number {
    const irq = this.highestRequest();
    if (irq < 0) return -1;
    const bit = 1 << irq;
    // Edge mode latches one request per edge; level mode keeps requesting while the input is high.
    if (!this.levelTriggered || (this.inputLevels & bit) === 0) this.irr &= ~bit;
    if (this.autoEoi) {
      if (this.rotateInAutoEoi) this.lowestPriority = irq;
    } else {
      this.isr |= bit;
    }
    return irq;
  }

  /** Port A0 = 0 write: ICW1 (bit 4 set), OCW3 (bit 3 set) or OCW2. */
  writeCommand(value: number): void {
    if (value & 0x10) {
      // ICW1 (datasheet, "Initialization Command Words"): edge sense reset, IMR cleared,
      // IR7 lowest priority, special mask mode off, status read set to IRR, ICW4 functions
      // zeroed when IC4 = 0. The vector format bits (ADI, A7-A5) only matter in 8080 mode.
      this.levelTriggered = (value & 0x08) !== 0;
      this.single = (value & 0x02) !== 0;
      this.expectIcw4 = (value & 0x01) !== 0;
      this.irr = 0;
      this.isr = 0;
      this.imr = 0;
      this.inputLevels = 0;
      this.icw4 = 0;
      this.lowestPriority = 7;
      this.specialMask = false;
      this.readIsr = false;
      this.pollPending = false;
      this.rotateInAutoEoi = false;
      this.initStep = 2;
      return;
    }
    if (value & 0x08) {
      // OCW3: ESMM/SMM, poll, RR/RIS.
      if (value & 0x40) this.specialMask = (value & 0x20) !== 0;
      if (value & 0x04) this.pollPending = true;
      if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
      return;
    }
    this.ocw2(value);
  }

  /** OCW2: the R, SL, EOI bits select the command; L2-L0 the level. */
  private ocw2(value: number): void {
    const level = value & 0x07;
    switch ((value >>> 5) & 0x07) {
      case 0b001: // non-specific EOI
        this.nonSpecificEoi(false);
        return;
      case 0b011: // specific EOI
        this.isr &= ~(1 << level);
        return;
      case 0b101: // rotate on non-specific EOI
        this.nonSpecificEoi(true);
        return;
      case 0b100: // rotate in automatic EOI mode (set)
        this.rotateInAutoEoi = true;
        return;
      case 0b000: // rotate in automatic EOI mode (clear)
        this.rotateInAutoEoi = false;
        return;
      case 0b111: // rotate on specific EOI
        this.isr &= ~(1 << level);
        this.lowestPriority = level;
        return;
      case 0b110: // set priority
        this.lowestPriority = level;
        return;
      default: // 0b010: no operation
        return;
    }
  }

  /** Clears the highest-priority ISR bit: the level just serviced in fully nested mode. */
  private nonSpecificEoi(rotate: boolean): void {
    const priority = this.priorityOf(this.isr);
    if (priority === 8) return;
    const irq = this.inputAt(priority);
    this.isr &= ~(1 << irq);
    if (rotate) this.lowestPriority = irq;
  }

  /** Port A0 = 1 write: ICW2-ICW4 during initialisation, else OCW1 (the IMR). */
  writeData(value: number): void {
    switch (this.initStep) {
      case 2:
        // ICW2: T7-T3 of the vector; the low three bits come from the input (8086 mode).
        this.vectorBase = value & 0xf8;
        this.initStep = this.single ? (this.expectIcw4 ? 4 : READY) : 3;
        return;
      case 3:
        this.icw3 = value & 0xff;
        this.initStep = this.expectIcw4 ? 4 : READY;
        return;
      case 4:
        this.icw4 = value & 0x1f;
        this.initStep = READY;
        return;
      default:
        this.imr = value & 0xff;
        return;
    }
  }

  /**
   * Port A0 = 0 read: after an OCW3 poll command, the poll word (bit 7 = a request, bits
   * 2-0 its level; the read acts as the acknowledge); otherwise IRR or ISR as OCW3 chose.
   */
  readCommand(): number {
    if (this.pollPending) {
      this.pollPending = false;
      const irq = this.acknowledge();
      return irq < 0 ? 0 : 0x80 | irq;
    }
    return this.readIsr ? this.isr : this.irr;
  }

  /** Port A0 = 1 read: the IMR. */
  readData(): number {
    return this.imr;
  }

  getState(): Pic8259ChipState {
    return {
      irr: this.irr,
      isr: this.isr,
      imr: this.imr,
      inputLevels: this.inputLevels,
      vectorBase: this.vectorBase,
      icw3: this.icw3,
      icw4: this.icw4,
      levelTriggered: this.levelTriggered,
      single: this.single,
      expectIcw4: this.expectIcw4,
      initStep: this.initStep,
      lowestPriority: this.lowestPriority,
      readIsr: this.readIsr,
      pollPending: this.pollPending,
      specialMask: this.specialMask,
      rotateInAutoEoi: this.rotateInAutoEoi,
    };
  }

  setState(state: Pic8259ChipState): void {
    Object.assign(this, state);
  }
}
