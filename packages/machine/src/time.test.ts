import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './time.js';

describe('parseDuration', () => {
  it.each([
    [0, 0],
    [1500, 1500],
    ['7ns', 7],
    ['500us', 500_000],
    ['500µs', 500_000],
    ['20ms', 20_000_000],
    ['1.5s', 1_500_000_000],
    ['0.000000001s', 1],
    ['1.000000000000s', 1_000_000_000],
    ['1.0ns', 1],
    ['40s', 40_000_000_000],
    ['2min', 120_000_000_000],
    ['2m', 120_000_000_000],
    ['1.5m', 90_000_000_000],
    ['1h', 3_600_000_000_000],
    [' 3 ms ', 3_000_000],
  ])('reads %j as %d ns', (input, expected) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [-1, /whole, non-negative/],
    [1.5, /whole, non-negative/],
    ['1.5ns', /finer than a nanosecond/],
    ['0.0000000001s', /finer than a nanosecond/],
    ['20', /expected a number and a unit/],
    ['20 parsecs', /expected a number and a unit/],
    ['10mm', /expected a number and a unit/],
    ['-5ms', /must not be negative/],
    [' -1 s', /must not be negative/],
    [Number.MAX_SAFE_INTEGER + 1, /too long to represent exactly \(at most 9007199254740991 ns, about 104 days\)/],
    [Infinity, /whole, non-negative/],
    [NaN, /whole, non-negative/],
    ['99999999999999999999ns', /too long/],
    [null, /got null/],
    [[1], /got a list/],
    [{}, /got an object/],
    ['200000000h', /too long/],
  ])('rejects %j with a message', (input, message) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('formatDuration', () => {
  it('uses the largest exact unit', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(40_000_000_000)).toBe('40s');
    expect(formatDuration(20_000_000)).toBe('20ms');
    expect(formatDuration(1_500_000)).toBe('1500us');
    expect(formatDuration(7)).toBe('7ns');
  });

  it('round-trips through parseDuration', () => {
    for (const ns of [1, 999, 1000, 123_456_789, 5_000_000_000]) {
      expect(parseDuration(formatDuration(ns))).toEqual({ ok: true, value: ns });
    }
  });
});
