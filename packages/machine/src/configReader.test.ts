import { describe, expect, it } from 'vitest';
import { CONFIG_LIMITS, ConfigReader, configRecord, fileTooLong, parseConfigDuration, parseSize } from './configReader.js';
import { controlCharacter, oneLine, quote } from './quote.js';

describe('parseSize', () => {
  it.each([
    [65536, 65536],
    ['64KiB', 65536],
    ['130kB', 130 * 1024],
    ['2k', 2048],
    ['1MiB', 1 << 20],
    ['2MB', 2 << 20],
    ['2 M', 2 << 20],
    ['1GiB', 1024 ** 3],
    ['8G', 8 * 1024 ** 3],
    [' 512 B ', 512],
  ])('reads %j as %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each([
    [0, 'size must be more than 0 bytes, got 0'],
    [-5, 'size must be more than 0 bytes, got -5'],
    ['0KiB', 'size must be more than 0 bytes, got "0KiB"'],
    ['-3MiB', 'size must be more than 0 bytes, got "-3MiB"'],
    [1.5, 'size must be a whole number of bytes, got 1.5'],
    [Infinity, 'size must be a whole number of bytes, got Infinity'],
    [NaN, 'size must be a whole number of bytes, got NaN'],
    [2 ** 60, `size ${2 ** 60} is too large (at most 9007199254740991 bytes)`],
    ['99999999999999999999', 'size "99999999999999999999" is too large (at most 9007199254740991 bytes)'],
    ['9999999999GiB', 'size "9999999999GiB" is too large (at most 9007199254740991 bytes)'],
    ['1.5MiB', 'cannot read size "1.5MiB": expected e.g. 64KiB, 1MiB or 65536'],
    ['3 parsecs', 'cannot read size "3 parsecs": expected e.g. 64KiB, 1MiB or 65536'],
    ['1\nMiB', 'cannot read size "1\\nMiB": expected e.g. 64KiB, 1MiB or 65536'],
    [null, 'size must be a number of bytes or a string like "1MiB", got null'],
  ])('refuses %j: %s', (input, message) => {
    expect(parseSize(input)).toBe(message);
  });
});

describe('parseConfigDuration', () => {
  it('accepts up to 240 hours and refuses longer, naming the limit', () => {
    expect(parseConfigDuration('240h')).toEqual({ ok: true, value: CONFIG_LIMITS.maxDuration });
    expect(parseConfigDuration('241h')).toEqual({ ok: false, error: 'must be at most 240h (10 days), got "241h"' });
    expect(parseConfigDuration(CONFIG_LIMITS.maxDuration + 1)).toEqual({ ok: false, error: `must be at most 240h (10 days), got ${CONFIG_LIMITS.maxDuration + 1} ns` });
  });
});

describe('ConfigReader', () => {
  it('refuses control characters and line breaks in strings, escaped in the message', () => {
    const r = new ConfigReader();
    expect(r.string('a\nb', 'name')).toBeUndefined();
    expect(r.string('a\u2028b', 'other')).toBeUndefined();
    expect(r.string('ok name', 'fine')).toBe('ok name');
    expect(r.errors).toEqual([
      { path: 'name', message: 'must not contain control characters or line breaks (U+000A), got "a\\nb"' },
      { path: 'other', message: 'must not contain control characters or line breaks (U+2028), got "a\\u2028b"' },
    ]);
  });

  it('positiveDuration: 0 must be longer than 0', () => {
    const r = new ConfigReader();
    expect(r.positiveDuration(0, 'duration')).toBeUndefined();
    expect(r.positiveDuration('0ms', 'other')).toBeUndefined();
    expect(r.positiveDuration('1ns', 'fine')).toBe(1);
    expect(r.errors).toEqual([
      { path: 'duration', message: 'must be longer than 0' },
      { path: 'other', message: 'must be longer than 0' },
    ]);
  });

  it('period: a minimum period is a maximum rate, both in the message', () => {
    const r = new ConfigReader();
    expect(r.period('1ns', 'devices[0].period', CONFIG_LIMITS.minDevicePeriod, 'interrupts per second from one device')).toBeUndefined();
    expect(r.period('10us', 'ok', CONFIG_LIMITS.minDevicePeriod, 'interrupts per second from one device')).toBe(10_000);
    expect(r.errors).toEqual([{ path: 'devices[0].period', message: 'must be at least 10us (at most 100000 interrupts per second from one device), got 1ns' }]);
  });

  it('boundedList: a list over its limit is one error and reads as empty', () => {
    const r = new ConfigReader();
    expect(r.boundedList([1, 2, 3], 'windows', 2, 'windows in one schedule')).toEqual([]);
    expect(r.boundedList([1, 2], 'fine', 2, 'windows in one schedule')).toEqual([1, 2]);
    expect(r.errors).toEqual([{ path: 'windows', message: '3 windows in one schedule; at most 2 are supported' }]);
  });

  it('integer: names the range and the value', () => {
    const r = new ConfigReader();
    expect(r.integer(2 ** 60, 'big', 0, 10)).toBeUndefined();
    expect(r.integer('7', 'text')).toBeUndefined();
    expect(r.errors).toEqual([
      { path: 'big', message: `must be between 0 and 10, got ${2 ** 60}` },
      { path: 'text', message: 'must be a whole number, got "7"' },
    ]);
  });

  it('unknownKeys treats __proto__ and constructor like any other key', () => {
    const r = new ConfigReader();
    const object = configRecord([['__proto__', 1], ['constructor', 2], ['name', 3]]);
    r.unknownKeys(object, ['name'], 'top');
    expect(r.errors).toEqual([
      { path: 'top.__proto__', message: 'unknown key' },
      { path: 'top.constructor', message: 'unknown key' },
    ]);
  });
});

describe('configRecord', () => {
  it('keeps __proto__ as an own key and inherits nothing', () => {
    const record = configRecord<string>([['__proto__', 'IDLE']]);
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(record['__proto__']).toBe('IDLE');
    expect(record['constructor']).toBeUndefined();
    expect(Object.getPrototypeOf(record)).toBeNull();
  });
});

describe('one-line text', () => {
  it('quote escapes every control character and line break', () => {
    expect(quote('a\nb\u2028c\u0085d"')).toBe('"a\\nb\\u2028c\\u0085d\\""');
    expect(controlCharacter('fine')).toBeUndefined();
    expect(controlCharacter('x\ty')).toBe('U+0009');
  });

  it('oneLine escapes line breaks only and never returns an empty message', () => {
    expect(oneLine('first\nsecond\\')).toBe('first\\nsecond\\');
    expect(oneLine('')).toBe('(no message)');
    expect(oneLine(' \n')).toBe(' \\n');
  });

  it('fileTooLong names the size and the limit', () => {
    expect(fileTooLong('x'.repeat(10))).toBeUndefined();
    expect(fileTooLong('x'.repeat(CONFIG_LIMITS.fileChars + 1))).toEqual({
      path: '(file)',
      message: `${CONFIG_LIMITS.fileChars + 1} characters; a configuration file may have at most ${CONFIG_LIMITS.fileChars} (4 MiB)`,
    });
  });
});
