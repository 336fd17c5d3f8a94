/**
 * Virtual time. One global clock in integer nanoseconds, held in a JS number: exact up
 * to Number.MAX_SAFE_INTEGER ns, about 104 days (docs/architecture.md section 3).
 */

import { quote } from './quote.js';

/** Integer nanoseconds of virtual time. */
export type Nanoseconds = number;

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

/** Largest representable instant: beyond it, nanosecond arithmetic is no longer exact. */
export const MAX_TIME_NS: Nanoseconds = Number.MAX_SAFE_INTEGER;

export function isValidTime(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: NS_PER_US,
  µs: NS_PER_US,
  ms: NS_PER_MS,
  s: NS_PER_S,
  min: 60 * NS_PER_S,
  m: 60 * NS_PER_S,
  h: 3600 * NS_PER_S,
};

/** Result of parsing a user-supplied value: the value, or a message saying what is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses a duration as used in configs: a number of nanoseconds, or a string with a unit
 * (`500us`, `20ms`, `1.5s`, `2m` or `2min`, `1h`). The result must be a whole number of nanoseconds.
 */
export function parseDuration(input: unknown): Parsed<Nanoseconds> {
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input > MAX_TIME_NS) return { ok: false, error: TOO_LONG(`${input} ns`) };
    if (!isValidTime(input)) return { ok: false, error: `duration must be a whole, non-negative number of nanoseconds, got ${input}` };
    return { ok: true, value: input };
  }
  if (typeof input !== 'string') return { ok: false, error: `duration must be a number of ns or a string like "20ms", got ${describe(input)}` };
  const match = /^[ \t]*(-?)(\d+(?:\.\d+)?)[ \t]*(ns|us|\u00b5s|ms|s|min|m|h)[ \t]*$/.exec(input); // \u00b5: µ (bundles stay ASCII: apps/runner/src/cli/bin.ts)
  if (!match) return { ok: false, error: `cannot read duration ${quote(input)}: expected a number and a unit (ns, us, ms, s, m or min, h), e.g. "20ms"` };
  const [, sign = '', digits = '', unit = ''] = match;
  if (sign === '-') return { ok: false, error: `duration must not be negative, got ${quote(input)}` };
  const scale = UNIT_NS[unit] ?? 1;
  // Exact decimal scaling: split integer and fraction so "1.5s" is 1_500_000_000 exactly.
  const [whole = '0', fraction = ''] = digits.split('.');
  const scaleDigits = Math.round(Math.log10(scale));
  const isPowerOfTen = 10 ** scaleDigits === scale;
  let value: number;
  if (isPowerOfTen) {
    if (fraction.replace(/0+$/, '').length > scaleDigits) {
      return { ok: false, error: `duration ${quote(input)} is finer than a nanosecond` };
    }
    value = Number(whole) * scale + Number(fraction.slice(0, scaleDigits).padEnd(scaleDigits, '0') || '0');
  } else {
    value = Number(digits) * scale;
    if (Number.isFinite(value) && !Number.isInteger(value)) return { ok: false, error: `duration ${quote(input)} is not a whole number of nanoseconds` };
  }
  if (!isValidTime(value)) return { ok: false, error: TOO_LONG(quote(input)) };
  return { ok: true, value };
}

const TOO_LONG = (what: string): string => `duration ${what} is too long to represent exactly (at most ${MAX_TIME_NS} ns, about 104 days)`;

/** Formats nanoseconds with the largest unit that keeps it exact: 20ms, 1500us, 7ns. */
export function formatDuration(ns: Nanoseconds): string {
  if (ns === 0) return '0s';
  for (const [unit, scale] of [['s', NS_PER_S], ['ms', NS_PER_MS], ['us', NS_PER_US]] as const) {
    if (ns % scale === 0) return `${ns / scale}${unit}`;
  }
  return `${ns}ns`;
}

/** Formats nanoseconds as seconds with fixed decimals, for tables: 12.345678s. */
export function formatSeconds(ns: Nanoseconds, decimals = 6): string {
  return `${(ns / NS_PER_S).toFixed(decimals)}s`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return `${typeof value} ${String(value)}`;
    case 'symbol':
      return `symbol ${value.toString()}`;
    // Not its source text, which could be any length.
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}
