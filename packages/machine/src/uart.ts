/**
 * A UART channel: a transmit byte stream and a receive FIFO.
 *
 * Transmit: each byte written goes to the channel's output (the console the runner
 * prints) after `charTime` ns; while a byte is being shifted out the transmitter is busy
 * (txReady() false), which is what a driver polls (16550 LSR.THRE, APBUART status.TE).
 * With charTime 0 the transmitter is always ready.
 *
 * Receive: bytes injected by the host (console input) queue in the RX FIFO and raise the
 * RX line; reading the last byte lowers it.
 */
import { ConsoleBuffer } from './consoleBuffer.js';
import type { EventQueue } from './eventQueue.js';
import type { IrqLine } from './interrupts.js';
import type { Nanoseconds } from './time.js';

export interface UartState {
  readonly transmitted: Uint8Array;
  readonly receiveFifo: readonly number[];
  readonly busyUntil: Nanoseconds;
  readonly overruns: number;
}

export type TransmitListener = (byte: number, time: Nanoseconds) => void;

export class Uart {
  /** Transmitted bytes (bounded; listeners see every byte). */
  private readonly output = new ConsoleBuffer();
  private receiveFifo: number[] = [];
  private busyUntil: Nanoseconds = 0;
  private readonly listeners: TransmitListener[] = [];
  /** Bytes dropped because the RX FIFO was full (reported, never silent). */
  overruns = 0;

  constructor(
    private readonly queue: EventQueue,
    readonly name = 'uart',
    private readonly options: { charTime?: Nanoseconds; rxLine?: IrqLine; rxFifoDepth?: number } = {},
  ) {}

  /** True when the transmitter can take a byte now. */
  txReady(): boolean {
    return this.queue.now >= this.busyUntil;
  }

  /** Writes one byte (the low 8 bits of `value`). */
  transmit(value: number): void {
    const byte = value & 0xff;
    const now = this.queue.now;
    const charTime = this.options.charTime ?? 0;
    this.busyUntil = Math.max(now, this.busyUntil) + charTime;
    this.output.append(Uint8Array.of(byte));
    for (const listener of this.listeners) listener(byte, now);
  }

  onTransmit(listener: TransmitListener): void {
    this.listeners.push(listener);
  }

  /** Everything transmitted so far. */
  transmitted(): Uint8Array {
    return this.output.bytes();
  }

  /** Everything transmitted so far, as text (Latin-1: one char per byte, no decoding surprises). */
  text(): string {
    return this.output.text();
  }

  /** Host side: bytes arriving on the RX wire. */
  inject(bytes: Uint8Array | string): void {
    const data = typeof bytes === 'string' ? Array.from(bytes, (char) => char.charCodeAt(0) & 0xff) : Array.from(bytes);
    const depth = this.options.rxFifoDepth ?? Infinity;
    for (const byte of data) {
      if (this.receiveFifo.length >= depth) this.overruns++;
      else this.receiveFifo.push(byte);
    }
    if (this.receiveFifo.length > 0) this.options.rxLine?.raise();
  }

  rxAvailable(): boolean {
    return this.receiveFifo.length > 0;
  }

  /** Reads one received byte, or undefined when the FIFO is empty. */
  receive(): number | undefined {
    const byte = this.receiveFifo.shift();
    if (this.receiveFifo.length === 0) this.options.rxLine?.lower();
    return byte;
  }

  getState(): UartState {
    return { transmitted: this.transmitted(), receiveFifo: [...this.receiveFifo], busyUntil: this.busyUntil, overruns: this.overruns };
  }

  setState(state: UartState): void {
    this.output.clear();
    this.output.append(state.transmitted);
    this.receiveFifo = [...state.receiveFifo];
    this.busyUntil = state.busyUntil;
    this.overruns = state.overruns;
  }
}
