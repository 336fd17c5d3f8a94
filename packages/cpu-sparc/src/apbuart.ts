/**
 * GRLIB APBUART (GRLIB IP Core User's Manual, APBUART section) in front of machine's
 * Uart, which carries the transmitted byte stream (the console) and the receive FIFO.
 *
 * Registers (offsets from the base, 0x80000100 on a typical LEON3):
 *   0x0 data     write: queue a byte for transmission; read: take a received byte (0 if none)
 *   0x4 status   DR(0) data ready, TS(1) shift register empty, TE(2) transmitter FIFO
 *                empty, OV(4) receiver overrun, TF(9) transmitter FIFO full, TCNT(25:20)
 *   0x8 control  RE(0) RX enable, TE(1) TX enable, RI(2) RX interrupt, TI(3) TX interrupt,
 *                FA(31, read-only) FIFOs available; the other bits are kept as written
 *   0xC scaler   baud-rate scaler, kept as written (the byte time is a board option)
 *
 * Bytes written while TE = 0 wait in the transmitter FIFO and go out when TE is set; a
 * write to a full FIFO is dropped and counted. With RI set, a received byte raises the
 * interrupt; with TI set, each byte raises it once it has been shifted out. Parity,
 * framing, break, loop-back and flow control are not modelled.
 */
import { Uart, type EventQueue, type IrqLine, type Nanoseconds, type UartState } from '@paravirt/machine';
import type { ApbDevice } from './apbBus.js';

export const APBUART_DATA = 0x0;
export const APBUART_STATUS = 0x4;
export const APBUART_CONTROL = 0x8;
export const APBUART_SCALER = 0xc;

export const APBUART_STATUS_DR = 1 << 0;
export const APBUART_STATUS_TS = 1 << 1;
export const APBUART_STATUS_TE = 1 << 2;
export const APBUART_STATUS_OV = 1 << 4;
export const APBUART_STATUS_TF = 1 << 9;
export const APBUART_STATUS_TCNT_SHIFT = 20;

export const APBUART_CTRL_RE = 1 << 0;
export const APBUART_CTRL_TE = 1 << 1;
export const APBUART_CTRL_RI = 1 << 2;
export const APBUART_CTRL_TI = 1 << 3;
export const APBUART_CTRL_FA = 1 << 31;

export interface ApbuartOptions {
  /** Time to shift one byte out (default 0: the console is infinitely fast). */
  readonly charTime?: Nanoseconds;
  /** Transmitter and receiver FIFO depth in bytes (default 8). */
  readonly fifoDepth?: number;
  readonly name?: string;
}

export interface ApbuartState {
  readonly control: number;
  readonly scaler: number;
  readonly transmitFifo: readonly number[];
  readonly transmitDoneAt: Nanoseconds;
  readonly overrunFlag: boolean;
  readonly overrunsSeen: number;
  readonly transmitDropped: number;
  readonly uart: UartState;
}

export class Apbuart implements ApbDevice {
  /** The byte streams: `uart.text()` is the console, `uart.inject()` types into it. */
  readonly uart: Uart;
  readonly fifoDepth: number;
  private readonly charTime: Nanoseconds;
  private control = 0;
  private scaler = 0;
  private transmitFifo: number[] = [];
  private transmitDoneAt: Nanoseconds = 0;
  private overrunFlag = false;
  private overrunsSeen = 0;
  /** Bytes written while the transmitter FIFO was full. */
  transmitDropped = 0;

  constructor(
    private readonly queue: EventQueue,
    private readonly line: IrqLine,
    options: ApbuartOptions = {},
  ) {
    this.charTime = options.charTime ?? 0;
    this.fifoDepth = options.fifoDepth ?? 8;
    if (!Number.isSafeInteger(this.charTime) || this.charTime < 0) throw new RangeError(`APBUART byte time must be whole ns >= 0, got ${this.charTime}`);
    if (!Number.isSafeInteger(this.fifoDepth) || this.fifoDepth < 1) throw new RangeError(`APBUART FIFO depth must be >= 1, got ${this.fifoDepth}`);
    this.uart = new Uart(queue, options.name ?? 'apbuart', {
      charTime: this.charTime,
      rxFifoDepth: this.fifoDepth,
      rxLine: { number: line.number, raise: () => this.received(), lower: () => {} },
    });
  }

  read(offset: number): number {
    switch (offset) {
      case APBUART_DATA:
        return this.uart.receive() ?? 0;
      case APBUART_STATUS:
        return this.status();
      case APBUART_CONTROL:
        return (this.control | APBUART_CTRL_FA) >>> 0;
      case APBUART_SCALER:
        return this.scaler;
      default:
        return 0;
    }
  }

  write(offset: number, value: number): void {
    switch (offset) {
      case APBUART_DATA:
        this.queueByte(value & 0xff);
        return;
      case APBUART_STATUS:
        // The error flags are cleared by writing them as 0.
        if ((value & APBUART_STATUS_OV) === 0) this.overrunFlag = false;
        return;
      case APBUART_CONTROL: {
        const enabling = (this.control & APBUART_CTRL_TE) === 0 && (value & APBUART_CTRL_TE) !== 0;
        this.control = value & ~APBUART_CTRL_FA;
        if (enabling) for (const byte of this.transmitFifo.splice(0)) this.send(byte);
        return;
      }
      case APBUART_SCALER:
        this.scaler = value >>> 0;
        return;
      default:
        return;
    }
  }

  getState(): ApbuartState {
    return {
      control: this.control,
      scaler: this.scaler,
      transmitFifo: [...this.transmitFifo],
      transmitDoneAt: this.transmitDoneAt,
      overrunFlag: this.overrunFlag,
      overrunsSeen: this.overrunsSeen,
      transmitDropped: this.transmitDropped,
      uart: this.uart.getState(),
    };
  }

  setState(state: ApbuartState): void {
    this.control = state.control;
    this.scaler = state.scaler;
    this.transmitFifo = [...state.transmitFifo];
    this.transmitDoneAt = state.transmitDoneAt;
    this.overrunFlag = state.overrunFlag;
    this.overrunsSeen = state.overrunsSeen;
    this.transmitDropped = state.transmitDropped;
    this.uart.setState(state.uart);
  }

  private status(): number {
    if (this.uart.overruns > this.overrunsSeen) {
      this.overrunsSeen = this.uart.overruns;
      this.overrunFlag = true;
    }
    const idle = this.transmitFifo.length === 0 && this.uart.txReady();
    return (
      (this.uart.rxAvailable() ? APBUART_STATUS_DR : 0) |
      (idle ? APBUART_STATUS_TS | APBUART_STATUS_TE : 0) |
      (this.overrunFlag ? APBUART_STATUS_OV : 0) |
      (this.transmitFifo.length >= this.fifoDepth ? APBUART_STATUS_TF : 0) |
      (this.transmitFifo.length << APBUART_STATUS_TCNT_SHIFT)
    );
  }

  private queueByte(byte: number): void {
    if (this.control & APBUART_CTRL_TE) {
      this.send(byte);
      return;
    }
    if (this.transmitFifo.length >= this.fifoDepth) {
      this.transmitDropped++;
      return;
    }
    this.transmitFifo.push(byte);
  }

  private send(byte: number): void {
    this.uart.transmit(byte);
    this.transmitDoneAt = Math.max(this.queue.now, this.transmitDoneAt) + this.charTime;
    if ((this.control & APBUART_CTRL_TI) === 0) return;
    if (this.transmitDoneAt <= this.queue.now) this.line.raise();
    else this.queue.at(this.transmitDoneAt, () => this.line.raise(), 'apbuart.tx');
  }

  private received(): void {
    if ((this.control & (APBUART_CTRL_RE | APBUART_CTRL_RI)) === (APBUART_CTRL_RE | APBUART_CTRL_RI)) this.line.raise();
  }
}
