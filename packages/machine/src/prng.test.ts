import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';

const draw = (prng: Prng, n: number): number[] => Array.from({ length: n }, () => prng.nextUint32());

describe('Prng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(draw(new Prng(1), 16)).toEqual(draw(new Prng(1), 16));
    expect(draw(new Prng(1), 16)).not.toEqual(draw(new Prng(2), 16));
    // Seeds that differ only above bit 31 still differ.
    expect(draw(new Prng(5), 8)).not.toEqual(draw(new Prng(5 + 2 ** 32), 8));
  });

  it('produces a pinned sequence (changing the algorithm changes every seeded run)', () => {
    expect(draw(new Prng(1), 4)).toMatchInlineSnapshot(`
      [
        1828152527,
        3394835397,
        2967886022,
        2251045104,
      ]
    `);
  });

  it('draws integers uniformly in an inclusive range', () => {
    const prng = new Prng(3);
    const counts = new Array<number>(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const value = prng.int(1, 6);
      expect(value).toBeGreaterThanOrEqual(1);
      expect(value).toBeLessThanOrEqual(6);
      counts[value - 1]!++;
    }
    // Chi-square with 5 degrees of freedom: 20.5 is the 0.1% critical value.
    const expected = n / 6;
    const chi = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(20.5);
  });

  it('handles wide and degenerate ranges', () => {
    const prng = new Prng(9);
    expect(prng.int(5, 5)).toBe(5);
    for (let i = 0; i < 100; i++) {
      const v = prng.int(0, 2 ** 40);
      expect(Number.isSafeInteger(v) && v >= 0 && v <= 2 ** 40).toBe(true);
    }
    expect(() => prng.int(2, 1)).toThrow(RangeError);
    expect(() => prng.pick([])).toThrow(/empty/);
  });

  it('forks streams that depend only on the root seed and the label', () => {
    const root = new Prng(11);
    const first = draw(root.fork('hostile'), 8);
    draw(root, 1000); // using the parent does not move its forks
    expect(draw(root.fork('hostile'), 8)).toEqual(first);
    expect(draw(root.fork('jitter'), 8)).not.toEqual(first);
    expect(draw(new Prng(12).fork('hostile'), 8)).not.toEqual(first);
  });

  it('restores a saved state', () => {
    const prng = new Prng(4);
    draw(prng, 10);
    const state = prng.getState();
    const next = draw(prng, 5);
    prng.setState(state);
    expect(draw(prng, 5)).toEqual(next);
  });
});
