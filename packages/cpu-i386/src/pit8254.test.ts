import { EventQueue, type IrqLine } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { IoBus } from './ioBus.js';
import { PIT_FREQUENCY_HZ, Pit8254 } from './pit8254.js';

const HOUR_NS = 3_600_000_000_000;

/** The instant input clock `cycle` of the PIT begins: ceil(cycle * 1e9 / 1193182), exact in BigInt. */
function edge(cycle: number): number {
  const product = BigInt(cycle) * 1_000_000_000n;
  const f = BigInt(PIT_FREQUENCY_HZ);
  return Number((product + f - 1n) / f);
}

function setup() {
  const queue = new EventQueue();
  const times: number[] = [];
  const irq0: IrqLine = { number: 0, raise: () => times.push(queue.now), lower: () => {} };
  const pit = new Pit8254(queue, irq0);
  const bus = new IoBus();
  pit.attach(bus);
  /** Control word, then the count as the access mode wants it. */
  const program = (counter: 0 | 1 | 2, mode: number, count: number, access = 3, bcd = false) => {
    bus.write8(0x43, (counter << 6) | (access << 4) | (mode << 1) | (bcd ? 1 : 0));
    if (access & 1) bus.write8(0x40 + counter, count & 0xff);
    if (access & 2) bus.write8(0x40 + counter, (count >>> 8) & 0xff);
  };
  /** Counter-latch command and a read per the access mode (LSB then MSB). */
  const readCount = (counter: 0 | 1 | 2) => {
    bus.write8(0x43, counter << 6);
    return bus.read8(0x40 + counter) | (bus.read8(0x40 + counter) << 8);
  };
  return { queue, times, pit, bus, program, readCount };
}

describe('8254 counter 0 as the PC timer', () => {
  it('mode 2: the k-th IRQ 0 is at input clock k * N exactly, with no drift over an hour', () => {
    const { queue, times, program, pit } = setup();
    program(0, 2, 11_932); // ~10 ms
    queue.runUntil(HOUR_NS);
    const k = times.length;
    expect(k).toBe(Math.floor((3600 * PIT_FREQUENCY_HZ) / 11_932));
    expect(k).toBe(359_994);
    expect(times[0]).toBe(10_000_151);
    expect(times[k - 1]).toBe(edge(k * 11_932));
    expect(times[k - 1]).toBe(3_599_994_307_659);
    expect(times[99_999]).toBe(edge(100_000 * 11_932));
    expect(pit.interrupts).toBe(k);
  });

  it('mode 3 (square wave) has the same period; OUT is high for the first half', () => {
    const { queue, times, program, bus } = setup();
    program(0, 3, 1193);
    queue.runUntil(1_000_000_000);
    expect(times.length).toBe(1000);
    expect(times.slice(0, 3)).toEqual([edge(1193), edge(2386), edge(3579)]);
    expect(times[999]).toBe(edge(1000 * 1193));
    expect(times[999]).toBe(999_847_467);
    // Read-back status: OUT, null count, access/mode/BCD.
    queue.runUntil(edge(1_001 * 1193 + 100));
    bus.write8(0x43, 0xe2);
    expect(bus.read8(0x40)).toBe(0x80 | 0x30 | (3 << 1));
    queue.runUntil(edge(1_001 * 1193 + 700));
    bus.write8(0x43, 0xe2);
    expect(bus.read8(0x40)).toBe(0x30 | (3 << 1));
  });

  it('mode 3 with count 0 (65536, the BIOS 18.2 Hz tick) stays exact over an hour', () => {
    const { queue, times, program } = setup();
    program(0, 3, 0);
    queue.runUntil(HOUR_NS);
    expect(times.length).toBe(Math.floor((3600 * PIT_FREQUENCY_HZ) / 65_536));
    expect(times.length).toBe(65_543);
    expect(times[0]).toBe(54_925_402);
    expect(times[65_542]).toBe(edge(65_543 * 65_536));
    expect(times[65_542]).toBe(3_599_975_567_852);
  });

  it('loads the count at the first input clock edge at or after the write', () => {
    const { queue, times, program } = setup();
    queue.runUntil(1000); // between PIT clocks 1 and 2
    program(0, 2, 100);
    queue.runUntil(edge(302));
    expect(times).toEqual([edge(102), edge(202), edge(302)]);
  });

  it('a count of 0 means 65536 (binary) and 10000 (BCD)', () => {
    const binary = setup();
    binary.program(0, 2, 0);
    binary.queue.runUntil(200_000_000);
    expect(binary.times).toEqual([edge(65_536), edge(131_072), edge(196_608)]);
    expect(binary.pit.reload(0)).toBe(65_536);
    const bcd = setup();
    bcd.program(0, 2, 0, 3, true);
    bcd.queue.runUntil(edge(20_000));
    expect(bcd.times).toEqual([edge(10_000), edge(20_000)]);
  });

  it('counts BCD: 0x1000 is one thousand', () => {
    const { queue, times, program, readCount } = setup();
    program(0, 2, 0x1000, 3, true);
    queue.runUntil(edge(250));
    expect(readCount(0)).toBe(0x0750);
    queue.runUntil(edge(1000));
    expect(times).toEqual([edge(1000)]);
  });

  it('a new count written in mode 2 takes effect at the end of the current period', () => {
    const { queue, times, bus, program } = setup();
    program(0, 2, 1000);
    queue.runUntil(edge(1500));
    bus.write8(0x40, 500 & 0xff);
    bus.write8(0x40, 500 >>> 8);
    queue.runUntil(edge(3000));
    expect(times).toEqual([edge(1000), edge(2000), edge(2500), edge(3000)]);
  });

  it('mode 0 interrupts once at terminal count, mode 4 one clock later, modes 1 and 5 wait for a gate edge that never comes', () => {
    const zero = setup();
    zero.program(0, 0, 500);
    zero.queue.runUntil(edge(100_000));
    expect(zero.times).toEqual([edge(500)]);
    const four = setup();
    four.program(0, 4, 500);
    four.queue.runUntil(edge(100_000));
    expect(four.times).toEqual([edge(501)]);
    for (const mode of [1, 5]) {
      const gated = setup();
      gated.program(0, mode, 500);
      gated.queue.runUntil(edge(100_000));
      expect(gated.times).toEqual([]);
    }
  });

  it('mode 0: writing the first byte of a new count stops counting', () => {
    const { queue, times, bus, program } = setup();
    program(0, 0, 1000);
    queue.runUntil(edge(400));
    bus.write8(0x40, 0x20);
    queue.runUntil(edge(2000));
    expect(times).toEqual([]);
    bus.write8(0x40, 0x00); // count 0x0020 = 32, loaded at the next clock
    queue.runUntil(edge(3000));
    expect(times).toEqual([edge(2000 + 32)]);
  });

  it('a control word stops the counter until a count is written', () => {
    const { queue, times, bus, program, pit } = setup();
    program(0, 2, 1000);
    queue.runUntil(edge(1500));
    bus.write8(0x43, 0x34);
    queue.runUntil(edge(5000));
    expect(times).toEqual([edge(1000)]);
    expect(pit.nextInterrupt()).toBeUndefined();
  });
});

describe('8254 counter reads', () => {
  it('latches the count: mode 2 counts N, N-1, ..., 1', () => {
    const { queue, program, readCount } = setup();
    program(0, 2, 1000);
    queue.runUntil(edge(0));
    expect(readCount(0)).toBe(1000);
    queue.runUntil(edge(999));
    expect(readCount(0)).toBe(1);
    queue.runUntil(edge(1000) + 1);
    expect(readCount(0)).toBe(1000);
    queue.runUntil(edge(1234));
    expect(readCount(0)).toBe(766);
  });

  it('holds a latched value until it is read, ignoring a second latch', () => {
    const { queue, bus, program } = setup();
    program(2, 2, 5000);
    queue.runUntil(edge(100));
    bus.write8(0x43, 0x80);
    queue.runUntil(edge(2100));
    bus.write8(0x43, 0x80);
    expect(bus.read8(0x42) | (bus.read8(0x42) << 8)).toBe(4900);
    expect(bus.read8(0x42) | (bus.read8(0x42) << 8)).toBe(2900); // unlatched: live
  });

  it('honours LSB-only and MSB-only access', () => {
    const { queue, bus, program } = setup();
    program(1, 2, 0x80, 1); // LSB only: count 0x0080
    queue.runUntil(edge(16));
    expect(bus.read8(0x41)).toBe(0x70);
    program(2, 2, 0x0300, 2); // MSB only: count 0x0300
    queue.runUntil(edge(16 + 256));
    expect(bus.read8(0x42)).toBe(0x02);
  });

  it('mode 3 counts down by two, twice per period', () => {
    const { queue, program, readCount } = setup();
    program(1, 3, 100);
    queue.runUntil(edge(10));
    expect(readCount(1)).toBe(80);
    queue.runUntil(edge(60));
    expect(readCount(1)).toBe(80);
  });

  it('reports null count until a written count is loaded, and reads 0xFF from the write-only control port', () => {
    const { bus, queue } = setup();
    bus.write8(0x43, 0x74); // counter 1, LSB/MSB, mode 2
    bus.write8(0x43, 0xe4); // read-back status of counter 1
    expect(bus.read8(0x41)).toBe(0xc0 | 0x34);
    bus.write8(0x41, 10);
    bus.write8(0x41, 0);
    queue.runUntil(edge(1));
    bus.write8(0x43, 0xe4);
    expect(bus.read8(0x41)).toBe(0x80 | 0x34);
    expect(bus.read8(0x43)).toBe(0xff);
  });

  it('restores a snapshot and keeps counting on the same time base', () => {
    const { queue, times, program, pit } = setup();
    program(0, 2, 1000);
    queue.runUntil(edge(1500));
    const state = pit.getState();
    pit.setState(state);
    expect(pit.getState()).toEqual(state);
    queue.runUntil(edge(3000));
    expect(times).toEqual([edge(1000), edge(2000), edge(3000)]);
  });
});
