/**
 * The Intel 8254 programmable interval timer of the PC (8254 datasheet, Intel order
 * 231164): three 16-bit down counters clocked at 1.193182 MHz, ports 0x40-0x42 (counters)
 * and 0x43 (control word). Counter 0's OUT drives IRQ 0; counters 1 (DRAM refresh) and 2
 * (speaker, gated through port 0x61, which is not modelled) count but drive nothing.
 * Every GATE is taken as tied high, as GATE0 is on the PC.
 *
 * Modes: 0 (interrupt on terminal count), 2 (rate generator), 3 (square wave) and 4
 * (software-triggered strobe) count; modes 1 and 5 wait for a rising GATE edge that never
 * comes. Access modes latch/LSB/MSB/LSB-then-MSB, binary or BCD counting, an initial
 * count of 0 meaning 65536 (10000 in BCD), the counter-latch command and the 8254
 * read-back command (count and status).
 *
 * Timing, from absolute counts so it never drifts: a count written at time t is loaded
 * at the first input clock edge at or after t (cycle L); the counter then reaches its
 * terminal state N clocks later. In modes 2 and 3 OUT rises (the edge IRQ 0 latches on)
 * at cycles L + kN, k = 1, 2, ...; a new count written while they run takes effect at the
 * end of the current period. In mode 0 OUT rises once at L + N, in mode 4 at L + N + 1.
 */
import { CycleClock, ProgrammableTimer, type EventQueue, type ScheduledEvent, type IrqLine, type Nanoseconds, type TimerState } from '@paravirt/machine';
import type { IoBus, IoDevice } from './ioBus.js';

/** The PC's PIT input clock: 14.31818 MHz / 12 = 1.193182 MHz. */
export const PIT_FREQUENCY_HZ = 1_193_182;

export const PIT_COUNTER0 = 0x40;
export const PIT_COUNTER1 = 0x41;
export const PIT_COUNTER2 = 0x42;
export const PIT_CONTROL = 0x43;

/** Control-word fields (datasheet, "Control Word Format"). */
export const PIT_ACCESS_LATCH = 0b00;
export const PIT_ACCESS_LSB = 0b01;
export const PIT_ACCESS_MSB = 0b10;
export const PIT_ACCESS_LSB_MSB = 0b11;

export type PitMode = 0 | 1 | 2 | 3 | 4 | 5;

export interface PitChannelState {
  readonly mode: PitMode;
  readonly access: number;
  readonly bcd: boolean;
  /** The initial count as a number of clocks (1..65536, or 1..10000 in BCD). */
  readonly count: number;
  readonly loaded: boolean;
  readonly loadCycle: number;
  readonly pendingCount: number | undefined;
  readonly pendingCycle: number;
  readonly writeHighNext: boolean;
  readonly lowByte: number;
  readonly readHighNext: boolean;
  readonly latchedCount: number | undefined;
  readonly latchedHighNext: boolean;
  readonly latchedStatus: number | undefined;
}

export interface Pit8254State {
  readonly channels: readonly PitChannelState[];
  readonly timer: TimerState;
  readonly interrupts: number;
}

function toBcd(value: number): number {
  let out = 0;
  for (let digit = 0, rest = value; digit < 4; digit++, rest = Math.floor(rest / 10)) out |= (rest % 10) << (4 * digit);
  return out;
}

function fromBcd(value: number): number {
  return ((value >>> 12) & 0xf) * 1000 + ((value >>> 8) & 0xf) * 100 + ((value >>> 4) & 0xf) * 10 + (value & 0xf);
}

/** One counter's programming and counting state. */
class PitChannel {
  mode: PitMode = 0;
  access = PIT_ACCESS_LSB_MSB;
  bcd = false;
  count = 0x1_0000;
  /** A count has been loaded into the counting element and counting runs from loadCycle. */
  loaded = false;
  loadCycle = 0;
  /** A count written while mode 2 or 3 runs, due at pendingCycle (the end of the current period). */
  pendingCount: number | undefined;
  pendingCycle = 0;
  writeHighNext = false;
  lowByte = 0;
  readHighNext = false;
  latchedCount: number | undefined;
  latchedHighNext = false;
  latchedStatus: number | undefined;

  get modulus(): number {
    return this.bcd ? 10_000 : 0x1_0000;
  }

  /** Applies a pending mode 2/3 reload whose time has come; returns true if it did. */
  settle(cycle: number): boolean {
    if (this.pendingCount === undefined || cycle < this.pendingCycle) return false;
    this.count = this.pendingCount;
    this.loadCycle = this.pendingCycle;
    this.pendingCount = undefined;
    return true;
  }

  /** The counting element's value at input cycle `cycle`. */
  value(cycle: number): number {
    const n = this.count;
    if (!this.loaded || cycle < this.loadCycle) return n % this.modulus;
    const elapsed = cycle - this.loadCycle;
    switch (this.mode) {
      case 0:
      case 4:
        // Counts down through zero and wraps, OUT having done its one transition.
        return (((n - elapsed) % this.modulus) + this.modulus) % this.modulus;
      case 2:
        // N, N-1, ..., 1, reload.
        return n - (elapsed % n);
      case 3: {
        // Decrements by two; the high half lasts ceil(N/2) clocks, the low half floor(N/2).
        // Odd counts are loaded as N-1 (datasheet, mode 3).
        const phase = elapsed % n;
        const high = Math.ceil(n / 2);
        const step = phase < high ? phase : phase - high;
        return Math.max(2, (n & ~1) - 2 * step) % this.modulus;
      }
      case 1:
      case 5:
        return n % this.modulus;
    }
  }

  /** The OUT pin at input cycle `cycle`. */
  output(cycle: number): boolean {
    if (!this.loaded) return this.mode !== 0;
    const elapsed = cycle - this.loadCycle;
    switch (this.mode) {
      case 0:
        return elapsed >= this.count;
      case 2:
        return elapsed < 0 || this.value(cycle) !== 1;
      case 3:
        return elapsed < 0 || elapsed % this.count < Math.ceil(this.count / 2);
      case 4:
        return elapsed !== this.count;
      case 1:
      case 5:
        return true;
    }
  }

  /** Status byte of the read-back command: OUT, NULL COUNT, then the control-word bits. */
  status(cycle: number): number {
    const nullCount = !this.loaded || cycle < this.loadCycle || this.pendingCount !== undefined;
    return (this.output(cycle) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | (this.access << 4) | (this.mode << 1) | (this.bcd ? 1 : 0);
  }

  latch(cycle: number): void {
    // A second latch before the first is read is ignored (datasheet, "Counter Latch Command").
    if (this.latchedCount !== undefined) return;
    this.latchedCount = this.encode(this.value(cycle));
    this.latchedHighNext = false;
  }

  encode(value: number): number {
    const wrapped = value % this.modulus;
    return this.bcd ? toBcd(wrapped) : wrapped;
  }

  getState(): PitChannelState {
    return {
      mode: this.mode,
      access: this.access,
      bcd: this.bcd,
      count: this.count,
      loaded: this.loaded,
      loadCycle: this.loadCycle,
      pendingCount: this.pendingCount,
      pendingCycle: this.pendingCycle,
      writeHighNext: this.writeHighNext,
      lowByte: this.lowByte,
      readHighNext: this.readHighNext,
      latchedCount: this.latchedCount,
      latchedHighNext: this.latchedHighNext,
      latchedStatus: this.latchedStatus,
    };
  }

  setState(state: PitChannelState): void {
    Object.assign(this, state);
  }
}

export class Pit8254 implements IoDevice {
  readonly name: string;
  readonly clock = new CycleClock(PIT_FREQUENCY_HZ);
  private readonly channels = [new PitChannel(), new PitChannel(), new PitChannel()] as const;
  /** Counter 0's OUT edges, turned into events. */
  private readonly timer: ProgrammableTimer;
  /** Rising edges of OUT0 so far (= IRQ 0 raises). */
  interrupts = 0;

  constructor(
    private readonly queue: EventQueue,
    private readonly irq0: IrqLine,
    name = 'pit',
  ) {
    this.name = name;
    this.timer = new ProgrammableTimer(queue, this.clock, { number: irq0.number, raise: () => this.counter0Edge(), lower: () => {} }, `${name}.counter0`);
  }

  /** Claims ports 0x40-0x43. */
  attach(bus: IoBus): void {
    bus.claim(PIT_COUNTER0, PIT_CONTROL, this);
  }

  /** The initial count of a counter in input clocks (65536 for a written 0). */
  reload(counter: 0 | 1 | 2): number {
    return this.channels[counter].count;
  }

  mode(counter: 0 | 1 | 2): PitMode {
    return this.channels[counter].mode;
  }

  /** When OUT0 next rises (IRQ 0), if counter 0 is counting towards an edge. */
  nextInterrupt(): Nanoseconds | undefined {
    return this.timer.nextExpiry();
  }

  /**
   * Fast-forward support: the instant of counter 0's k-th OUT edge from now (k = 1: the
   * next), while it runs periodically (mode 2 or 3) with no new count waiting; else undefined.
   */
  counter0EdgeAfter(k: number): Nanoseconds | undefined {
    const channel = this.channels[0];
    if (channel.pendingCount !== undefined || (channel.mode !== 2 && channel.mode !== 3)) return undefined;
    return this.timer.expiryAfter(k);
  }

  /** counter0EdgeAfter(1) .. counter0EdgeAfter(count)'s gaps below a grid of `grid` ns, summed (Timer.expiryGridGaps). */
  counter0GridGaps(count: number, grid: number): number | undefined {
    const channel = this.channels[0];
    if (channel.pendingCount !== undefined || (channel.mode !== 2 && channel.mode !== 3)) return undefined;
    return this.timer.expiryGridGaps(count, grid);
  }

  /** The queued event of counter 0's next OUT edge. */
  get counter0Event(): ScheduledEvent | undefined {
    return this.timer.pendingEvent;
  }

  /** Fast-forward: counter 0's next `count` edges happened; their IRQ 0 raises are counted by whoever skipped them. */
  skipCounter0Edges(count: number): void {
    this.timer.skip(count);
    this.interrupts += count;
  }

  read8(port: number): number {
    const index = port - PIT_COUNTER0;
    if (index < 0 || index > 2) return 0xff; // the control register is write-only
    const channel = this.channels[index as 0 | 1 | 2];
    const cycle = this.cycleNow();
    this.settle(index, cycle);
    if (channel.latchedStatus !== undefined) {
      const status = channel.latchedStatus;
      channel.latchedStatus = undefined;
      return status;
    }
    let value: number;
    let highNext: boolean;
    if (channel.latchedCount !== undefined) {
      value = channel.latchedCount;
      highNext = channel.latchedHighNext;
    } else {
      value = channel.encode(channel.value(cycle));
      highNext = channel.readHighNext;
    }
    let byte: number;
    let done: boolean;
    switch (channel.access) {
      case PIT_ACCESS_LSB:
        byte = value & 0xff;
        done = true;
        break;
      case PIT_ACCESS_MSB:
        byte = (value >>> 8) & 0xff;
        done = true;
        break;
      default:
        byte = highNext ? (value >>> 8) & 0xff : value & 0xff;
        done = highNext;
        break;
    }
    if (channel.latchedCount !== undefined) {
      if (done) channel.latchedCount = undefined;
      else channel.latchedHighNext = true;
    } else if (channel.access === PIT_ACCESS_LSB_MSB) {
      channel.readHighNext = !done;
    }
    return byte;
  }

  write8(port: number, value: number): void {
    if (port === PIT_CONTROL) return this.writeControl(value & 0xff);
    const index = port - PIT_COUNTER0;
    if (index < 0 || index > 2) return;
    const channel = this.channels[index as 0 | 1 | 2];
    const byte = value & 0xff;
    let raw: number;
    switch (channel.access) {
      case PIT_ACCESS_LSB:
        raw = byte;
        break;
      case PIT_ACCESS_MSB:
        raw = byte << 8;
        break;
      default:
        if (!channel.writeHighNext) {
          channel.lowByte = byte;
          channel.writeHighNext = true;
          // Mode 0: writing the first byte stops the count (datasheet, mode 0).
          if (channel.mode === 0) this.stopCounting(index);
          return;
        }
        channel.writeHighNext = false;
        raw = channel.lowByte | (byte << 8);
        break;
    }
    this.writeCount(index, raw);
  }

  getState(): Pit8254State {
    return { channels: this.channels.map((channel) => channel.getState()), timer: this.timer.getState(), interrupts: this.interrupts };
  }

  setState(state: Pit8254State): void {
    state.channels.forEach((channel, index) => this.channels[index as 0 | 1 | 2].setState(channel));
    this.interrupts = state.interrupts;
    this.timer.setState(state.timer);
  }

  private cycleNow(): number {
    return this.clock.cyclesAt(this.queue.now);
  }

  private settle(index: number, cycle: number): void {
    this.channels[index as 0 | 1 | 2].settle(cycle);
  }

  private writeControl(value: number): void {
    const select = value >>> 6;
    const cycle = this.cycleNow();
    if (select === 3) {
      // Read-back (8254 only): bit 5 = 0 latches counts, bit 4 = 0 latches status, bits 1-3 pick counters.
      for (let index = 0; index < 3; index++) {
        if ((value & (2 << index)) === 0) continue;
        const channel = this.channels[index as 0 | 1 | 2];
        channel.settle(cycle);
        if ((value & 0x20) === 0) channel.latch(cycle);
        if ((value & 0x10) === 0 && channel.latchedStatus === undefined) channel.latchedStatus = channel.status(cycle);
      }
      return;
    }
    const channel = this.channels[select as 0 | 1 | 2];
    const access = (value >>> 4) & 0x03;
    if (access === PIT_ACCESS_LATCH) {
      channel.settle(cycle);
      channel.latch(cycle);
      return;
    }
    // A control word resets the counter's programming: it stops and waits for a count.
    const mode = (value >>> 1) & 0x07;
    channel.mode = (mode & 0x02 ? mode & 0x03 : mode) as PitMode; // modes 6 and 7 are 2 and 3
    channel.access = access;
    channel.bcd = (value & 0x01) !== 0;
    channel.writeHighNext = false;
    channel.readHighNext = false;
    channel.latchedCount = undefined;
    channel.latchedStatus = undefined;
    this.stopCounting(select);
  }

  private stopCounting(index: number): void {
    const channel = this.channels[index as 0 | 1 | 2];
    channel.loaded = false;
    channel.pendingCount = undefined;
    if (index === 0) this.timer.stop();
  }

  private writeCount(index: number, raw: number): void {
    const channel = this.channels[index as 0 | 1 | 2];
    const decoded = channel.bcd ? fromBcd(raw) : raw;
    const count = decoded === 0 ? channel.modulus : decoded;
    const now = this.queue.now;
    const cycle = this.clock.cycleBoundaryAtOrAfter(now);
    channel.settle(this.cycleNow());
    if (channel.loaded && (channel.mode === 2 || channel.mode === 3)) {
      // Rate generator and square wave pick up a new count at the end of the current period.
      const elapsed = Math.max(0, this.cycleNow() - channel.loadCycle);
      channel.pendingCount = count;
      channel.pendingCycle = channel.loadCycle + (Math.floor(elapsed / channel.count) + 1) * channel.count;
      return;
    }
    channel.count = count;
    channel.pendingCount = undefined;
    if (channel.mode === 1 || channel.mode === 5) {
      // Hardware-triggered modes wait for a GATE rising edge; GATE is tied high.
      channel.loaded = false;
      if (index === 0) this.timer.stop();
      return;
    }
    channel.loaded = true;
    channel.loadCycle = cycle;
    if (index !== 0) return;
    switch (channel.mode) {
      case 0:
        this.timer.start(count, false);
        return;
      case 4:
        this.timer.start(count + 1, false);
        return;
      case 2:
      case 3:
        this.timer.start(count, true);
        return;
    }
  }

  private counter0Edge(): void {
    const channel = this.channels[0];
    // A count written during the last period starts its own periods from this edge.
    if (channel.settle(this.cycleNow()) && (channel.mode === 2 || channel.mode === 3)) this.timer.start(channel.count, true);
    this.interrupts++;
    this.irq0.raise();
  }
}
