/**
 * A National Semiconductor PC16550D UART as COM1 (PC16550D datasheet, "Registers"):
 * eight ports from 0x3F8, reached with IN/OUT. The byte streams are machine's Uart: a
 * byte written to THR is transmitted (the console), bytes the host injects arrive in the
 * 16-byte receive FIFO and are read from RBR.
 *
 *   +0  RBR (read) / THR (write) / DLL when LCR.DLAB = 1
 *   +1  IER (bit 0 received data, 1 THR empty, 2 line status, 3 modem status) / DLM
 *   +2  IIR (read) / FCR (write)
 *   +3  LCR (bit 7 = DLAB)
 *   +4  MCR (bit 3 = OUT2, bit 4 = loopback)
 *   +5  LSR (bit 0 DR, 1 OE, 5 THRE, 6 TEMT)
 *   +6  MSR
 *   +7  SCR
 *
 * Interrupt output: the highest-priority enabled condition is reported in IIR (line
 * status > received data > THR empty > modem status). On a PC the UART's INTR reaches the
 * bus (IRQ 4 for COM1) only while MCR.OUT2 is set: the board's gate (IBM PC/AT Technical
 * Reference, serial adapter), so a driver must set OUT2 to get interrupts. In loopback
 * mode the outputs are forced inactive and THR bytes come back on RBR.
 *
 * Not modelled: line timing from the divisor latch (the character time is a constructor
 * option, 0 by default: the console is not rate-limited), the 16-byte TX FIFO (THRE and
 * TEMT both mean "transmitter idle"), receive timeouts, parity/framing errors, modem lines.
 */
import { Uart, type EventQueue, type IrqLine, type Nanoseconds, type ScheduledEvent, type UartState } from '@paravirt/machine';
import type { IoBus, IoDevice } from './ioBus.js';

export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;

export const UART_RBR = 0;
export const UART_THR = 0;
export const UART_IER = 1;
export const UART_IIR = 2;
export const UART_FCR = 2;
export const UART_LCR = 3;
export const UART_MCR = 4;
export const UART_LSR = 5;
export const UART_MSR = 6;
export const UART_SCR = 7;

export const IER_RECEIVED_DATA = 0x01;
export const IER_THR_EMPTY = 0x02;
export const IER_LINE_STATUS = 0x04;
export const IER_MODEM_STATUS = 0x08;

export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;

export const LCR_DLAB = 0x80;
export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

/** IIR values (bits 3-1 interrupt identification, bit 0 = no interrupt pending). */
export const IIR_NONE = 0x01;
export const IIR_LINE_STATUS = 0x06;
export const IIR_RECEIVED_DATA = 0x04;
export const IIR_THR_EMPTY = 0x02;
export const IIR_MODEM_STATUS = 0x00;
export const IIR_FIFO_ENABLED = 0xc0;

/** Depth of the 16550's receive FIFO. */
export const UART_FIFO_DEPTH = 16;

export interface Uart16550State {
  readonly uart: UartState;
  readonly ier: number;
  readonly lcr: number;
  readonly mcr: number;
  readonly fcr: number;
  readonly dll: number;
  readonly dlm: number;
  readonly scr: number;
  readonly overrunFlag: boolean;
  readonly overrunsSeen: number;
  readonly threPending: boolean;
  readonly txBusyUntil: Nanoseconds;
  readonly output: boolean;
}

export interface Uart16550Options {
  readonly name?: string;
  /** First port (default 0x3F8, COM1). */
  readonly base?: number;
  /** Time to shift one character out, ns (default 0: always ready). */
  readonly charTime?: Nanoseconds;
}

export class Uart16550 implements IoDevice {
  readonly name: string;
  readonly base: number;
  /** The byte streams (console output, host input). */
  readonly uart: Uart;
  private readonly charTime: Nanoseconds;
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private fcr = 0;
  private dll = 0x0c; // 9600 baud, as PC BIOSes program COM1
  private dlm = 0;
  private scr = 0;
  private overrunFlag = false;
  private overrunsSeen = 0;
  /** THR-empty interrupt condition: set when the transmitter empties, cleared by reading IIR or writing THR. */
  private threPending = true;
  private txBusyUntil: Nanoseconds = 0;
  private txIdleEvent: ScheduledEvent | undefined;
  /** Level of the interrupt wire towards the PIC. */
  private output = false;

  constructor(
    private readonly queue: EventQueue,
    private readonly irq: IrqLine,
    options: Uart16550Options = {},
  ) {
    this.name = options.name ?? 'com1';
    this.base = options.base ?? COM1_BASE;
    this.charTime = options.charTime ?? 0;
    const wake: IrqLine = { number: irq.number, raise: () => this.update(), lower: () => this.update() };
    this.uart = new Uart(queue, this.name, { charTime: this.charTime, rxLine: wake, rxFifoDepth: UART_FIFO_DEPTH });
  }

  /** Claims the eight ports from `base`. */
  attach(bus: IoBus): void {
    bus.claim(this.base, this.base + 7, this);
  }

  /** Everything transmitted so far, as text. */
  text(): string {
    return this.uart.text();
  }

  read8(port: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (port - this.base) {
      case UART_RBR: {
        if (dlab) return this.dll;
        const byte = this.uart.receive() ?? 0;
        this.update();
        return byte;
      }
      case UART_IER:
        return dlab ? this.dlm : this.ier;
      case UART_IIR: {
        const id = this.interruptId();
        // Reading IIR while it reports THR empty clears that condition (datasheet, Table IV).
        if (id === IIR_THR_EMPTY) this.threPending = false;
        this.update();
        return id | (this.fcr & 0x01 ? IIR_FIFO_ENABLED : 0);
      }
      case UART_LCR:
        return this.lcr;
      case UART_MCR:
        return this.mcr;
      case UART_LSR: {
        const value = this.lsr();
        this.overrunFlag = false; // reading LSR clears the error bits
        this.update();
        return value;
      }
      case UART_MSR:
        return this.msr();
      case UART_SCR:
        return this.scr;
      default:
        return 0xff;
    }
  }

  write8(port: number, value: number): void {
    const byte = value & 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (port - this.base) {
      case UART_THR:
        if (dlab) this.dll = byte;
        else this.transmit(byte);
        break;
      case UART_IER:
        if (dlab) {
          this.dlm = byte;
        } else {
          // Enabling the THR-empty interrupt while the transmitter is idle raises it at once.
          if ((this.ier & IER_THR_EMPTY) === 0 && (byte & IER_THR_EMPTY) !== 0 && this.transmitterIdle) this.threPending = true;
          this.ier = byte & 0x0f;
        }
        break;
      case UART_FCR:
        this.fcr = byte & 0xc9;
        if (byte & 0x02) while (this.uart.receive() !== undefined);
        break;
      case UART_LCR:
        this.lcr = byte;
        break;
      case UART_MCR:
        this.mcr = byte & 0x1f;
        break;
      case UART_SCR:
        this.scr = byte;
        break;
      default:
        return; // LSR and MSR are read-only
    }
    this.update();
  }

  getState(): Uart16550State {
    return {
      uart: this.uart.getState(),
      ier: this.ier,
      lcr: this.lcr,
      mcr: this.mcr,
      fcr: this.fcr,
      dll: this.dll,
      dlm: this.dlm,
      scr: this.scr,
      overrunFlag: this.overrunFlag,
      overrunsSeen: this.overrunsSeen,
      threPending: this.threPending,
      txBusyUntil: this.txBusyUntil,
      output: this.output,
    };
  }

  setState(state: Uart16550State): void {
    this.uart.setState(state.uart);
    this.ier = state.ier;
    this.lcr = state.lcr;
    this.mcr = state.mcr;
    this.fcr = state.fcr;
    this.dll = state.dll;
    this.dlm = state.dlm;
    this.scr = state.scr;
    this.overrunFlag = state.overrunFlag;
    this.overrunsSeen = state.overrunsSeen;
    this.threPending = state.threPending;
    this.txBusyUntil = state.txBusyUntil;
    this.output = state.output;
    this.scheduleTxIdle();
  }

  private get transmitterIdle(): boolean {
    return this.queue.now >= this.txBusyUntil;
  }

  private transmit(byte: number): void {
    // Writing THR clears the THR-empty condition; the wire drops before it can rise again,
    // so the edge-triggered PIC sees a new request for every byte.
    this.threPending = false;
    this.update();
    if (this.mcr & MCR_LOOP) {
      // Loopback: the transmitter output is wired to the receiver input.
      this.uart.inject(Uint8Array.of(byte));
      this.threPending = true;
      return;
    }
    this.uart.transmit(byte);
    this.txBusyUntil = Math.max(this.queue.now, this.txBusyUntil) + this.charTime;
    if (this.transmitterIdle) this.threPending = true;
    else this.scheduleTxIdle();
  }

  private scheduleTxIdle(): void {
    if (this.transmitterIdle) return;
    if (this.txIdleEvent) this.queue.reschedule(this.txIdleEvent, this.txBusyUntil);
    else this.txIdleEvent = this.queue.at(this.txBusyUntil, () => this.transmitterEmptied(), `${this.name}.tx`);
  }

  private transmitterEmptied(): void {
    if (!this.transmitterIdle) return;
    this.threPending = true;
    this.update();
  }

  private lsr(): number {
    if (this.uart.overruns !== this.overrunsSeen) {
      this.overrunsSeen = this.uart.overruns;
      this.overrunFlag = true;
    }
    const idle = this.transmitterIdle ? LSR_THRE | LSR_TEMT : 0;
    return (this.uart.rxAvailable() ? LSR_DR : 0) | (this.overrunFlag ? LSR_OE : 0) | idle;
  }

  private msr(): number {
    if (this.mcr & MCR_LOOP) {
      // Loopback: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2 (datasheet, MCR bit 4).
      const m = this.mcr;
      return ((m & MCR_RTS) << 3) | ((m & MCR_DTR) << 5) | ((m & MCR_OUT1) << 4) | ((m & MCR_OUT2) << 4);
    }
    // A terminal is attached: CTS, DSR and DCD asserted, no deltas.
    return 0xb0;
  }

  private interruptId(): number {
    const lineStatus = this.lsr();
    const ier = this.ier;
    if (ier & IER_LINE_STATUS && lineStatus & LSR_OE) return IIR_LINE_STATUS;
    if (ier & IER_RECEIVED_DATA && lineStatus & LSR_DR) return IIR_RECEIVED_DATA;
    if (ier & IER_THR_EMPTY && this.threPending && this.transmitterIdle) return IIR_THR_EMPTY;
    return IIR_NONE;
  }

  /** Recomputes the interrupt wire and signals its edges to the PIC. */
  private update(): void {
    const gated = (this.mcr & MCR_OUT2) !== 0 && (this.mcr & MCR_LOOP) === 0;
    const level = gated && this.interruptId() !== IIR_NONE;
    if (level === this.output) return;
    this.output = level;
    if (level) this.irq.raise();
    else this.irq.lower();
  }
}
