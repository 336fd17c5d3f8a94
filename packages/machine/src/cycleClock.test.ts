import { describe, expect, it } from 'vitest';
import { CycleClock } from './cycleClock.js';
import { floorSum } from './floorSum.js';
import { Prng } from './prng.js';

describe('CycleClock', () => {
  it('converts exactly at whole-ns periods (100 MHz i386, 50 MHz LEON3)', () => {
    const i386 = new CycleClock(100_000_000);
    expect(i386.timeOfCycle(1)).toBe(10);
    expect(i386.cyclesAt(3_600_000_000_000)).toBe(360_000_000_000);
    const leon = new CycleClock(50_000_000);
    expect(leon.timeOfCycle(3)).toBe(60);
    expect(leon.cyclesAt(59)).toBe(2);
  });

  it('keeps the 8254 PIT input (1.193182 MHz) exact over an hour', () => {
    const pit = new CycleClock(1_193_182);
    const hour = 3_600_000_000_000;
    // 1 hour * 1193182 Hz = 4295455200 cycles exactly.
    expect(pit.cyclesAt(hour)).toBe(4_295_455_200);
    expect(pit.timeOfCycle(4_295_455_200)).toBe(hour);
    // The 1193182nd cycle of any second starts exactly on the second.
    expect(pit.timeOfCycle(1_193_182 * 1234)).toBe(1234 * 1_000_000_000);
  });

  it('satisfies timeOfCycle(cyclesAt(t)) <= t < timeOfCycle(cyclesAt(t) + 1) for odd frequencies', () => {
    const prng = new Prng(7);
    // 999_999_937 Hz is prime: the reduced ratio needs the BigInt path.
    for (const frequency of [1_193_182, 33_333_333, 999_999_937, 3]) {
      const clock = new CycleClock(frequency);
      for (let i = 0; i < 2000; i++) {
        const t = prng.int(0, 2 ** 52);
        const cycles = clock.cyclesAt(t);
        expect(clock.timeOfCycle(cycles)).toBeLessThanOrEqual(t);
        expect(clock.timeOfCycle(cycles + 1)).toBeGreaterThan(t);
      }
    }
  });

  it('does not drift when steps are chained with endOf', () => {
    const clock = new CycleClock(1_193_182);
    let t = 0;
    for (let i = 0; i < 100_000; i++) t = clock.endOf(t, 11_932);
    expect(t).toBe(clock.timeOfCycle(100_000 * 11_932));
  });

  it('starts work on the next cycle boundary', () => {
    const clock = new CycleClock(50_000_000); // 20 ns cycles
    expect(clock.endOf(0, 1)).toBe(20);
    expect(clock.endOf(5, 1)).toBe(40);
    expect(clock.endOf(20, 2)).toBe(60);
    expect(clock.cycleBoundaryAtOrAfter(21)).toBe(2);
  });

  it('rejects a frequency that is not a positive whole number', () => {
    expect(() => new CycleClock(0)).toThrow(RangeError);
    expect(() => new CycleClock(1.5)).toThrow(/positive whole number/);
  });
});

describe('sums over an arithmetic progression of cycles (the fast-forward credits ticks with them)', () => {
  it('floorSum is the plain sum of floor((a i + b) / m)', () => {
    const prng = new Prng(7);
    for (let round = 0; round < 300; round++) {
      const n = prng.int(0, 200);
      const m = prng.int(1, 5000);
      const a = prng.int(0, 100_000);
      const b = prng.int(0, 100_000);
      let expected = 0n;
      for (let i = 0; i < n; i++) expected += BigInt(Math.floor((a * i + b) / m));
      expect(floorSum(BigInt(n), BigInt(m), BigInt(a), BigInt(b)), `${n} ${m} ${a} ${b}`).toBe(expected);
    }
  });

  it.each([100_000_000, 50_000_000, 1_193_182, 33_333_333, 80_000_000, 1_000_000_007])('%d Hz: sumTimesOfCycles equals the loop over timeOfCycle, plain and rounded up to a grid', (frequency) => {
    const clock = new CycleClock(frequency);
    const prng = new Prng(frequency);
    for (let round = 0; round < 40; round++) {
      const first = prng.int(0, 50_000_000);
      const step = prng.int(1, 2_000_000);
      const count = prng.int(0, 300);
      const grid = [1, 10, 20, 30, 7][round % 5]!;
      let sum = 0n;
      let ceilSum = 0n;
      for (let k = 0; k < count; k++) {
        const time = clock.timeOfCycle(first + k * step);
        sum += BigInt(time);
        ceilSum += BigInt(Math.ceil(time / grid));
      }
      expect(clock.sumTimesOfCycles(first, step, count, grid)).toEqual({ sum, ceilSum });
      expect(clock.gridGapOfCycles(first, step, count, grid), `${first} ${step} ${count} ${grid}`).toBe(Number(sum - BigInt(grid) * ceilSum));
    }
  });

  it.each([100_000_000, 50_000_000, 1_193_182, 33_333_333, 80_000_000, 1_000_000_007, 14_318_180])('%d Hz: gridGapOfCycles equals the loop, with plain numbers and past them (hours of cycles, millions of instants)', (frequency) => {
    const clock = new CycleClock(frequency);
    const prng = new Prng(frequency + 1);
    const loop = (first: number, step: number, count: number, grid: number): number => {
      let gap = 0;
      for (let k = 0; k < count; k++) {
        const time = clock.timeOfCycle(first + k * step);
        gap += time - grid * Math.ceil(time / grid);
      }
      return gap;
    };
    for (let round = 0; round < 60; round++) {
      // Late in a long run (first up to ~10 h of cycles), short and long stretches.
      const first = prng.int(0, frequency) * prng.int(0, 36_000);
      const step = prng.int(1, Math.max(2, Math.floor(frequency / 100)));
      const count = round % 10 === 9 ? prng.int(100_000, 1_000_000) : prng.int(1, 400);
      const grid = [1, 10, 20, 30, 7, 3][round % 6]!;
      expect(clock.gridGapOfCycles(first, step, count, grid), `${first} ${step} ${count} ${grid}`).toBe(loop(first, step, count, grid));
    }
  });
});
