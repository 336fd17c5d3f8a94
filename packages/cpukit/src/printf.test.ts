import { describe, expect, it } from 'vitest';
import { PRINTF_MAX_OUTPUT, formatPrintf } from './printf.js';

const text = (format: string, ...args: unknown[]): string => {
  const bytes = formatPrintf(format, args);
  return bytes === undefined ? '<EOVERFLOW>' : Buffer.from(bytes).toString('latin1');
};

describe('formatPrintf (ISO C 7.19.6.1, ILP32 sizes)', () => {
  it('formats signed decimals with width, flags and precision', () => {
    expect([text('%d', 42), text('%5d|', 42), text('%-5d|', 42), text('%05d', 42), text('%+d', 42), text('% d', 42), text('%i', -42), text('%05d', -42)]).toEqual([
      '42',
      '   42|',
      '42   |',
      '00042',
      '+42',
      ' 42',
      '-42',
      '-0042',
    ]);
    // A precision is a minimum digit count; it disables the '0' flag; precision 0 prints nothing for 0.
    expect([text('%.3d', 7), text('%8.3d|', 7), text('%08.3d|', 7), text('[%.0d]', 0), text('%02d:%02d:%02d', 9, 0, 5)]).toEqual([
      '007',
      '     007|',
      '     007|',
      '[]',
      '09:00:05',
    ]);
  });

  it('converts arguments the way C converts them to int, short, char, long long (wrapping, truncation)', () => {
    expect([text('%d', 0x8000_0000), text('%u', -1), text('%hd', 65535), text('%hhu', 257), text('%lu', 5), text('%zu', 7), text('%d', 3.9), text('%d', Number.NaN)]).toEqual([
      '-2147483648',
      '4294967295',
      '-1',
      '1',
      '5',
      '7',
      '3',
      '0',
    ]);
    expect([text('%lld', 2n ** 40n), text('%llu', -1), text('%llx', 2 ** 40 + 15), text('%jd', -5n)]).toEqual(['1099511627776', '18446744073709551615', '1000000000f', '-5']);
  });

  it('formats hexadecimal, octal and pointers, with the alternate forms', () => {
    expect([text('%x', 255), text('%X', 255), text('%#x', 255), text('%#X', 255), text('%#x', 0), text('%08x', 0xbeef), text('%#08x', 0xbeef)]).toEqual([
      'ff',
      'FF',
      '0xff',
      '0XFF',
      '0',
      '0000beef',
      '0x00beef',
    ]);
    expect([text('%o', 8), text('%#o', 8), text('%#o', 0), text('%p', 0x1000), text('%p', 0), text('0x%x', 0x0a010002)]).toEqual(['10', '010', '0', '0x1000', '0x0', '0xa010002']);
  });

  it('formats characters and strings, with width and precision, and "(null)" for a missing string', () => {
    expect([text('%c', 65), text('%c', 'Z'), text('%3c|', 'x'), text('%-3c|', 'x'), text('%s', 'hi'), text('%.1s', 'hi'), text('%-4s|', 'hi'), text('%4s|', 'hi'), text('%s'), text('%s', 12)]).toEqual([
      'A',
      'Z',
      '  x|',
      'x  |',
      'hi',
      'h',
      'hi  |',
      '  hi|',
      '(null)',
      '12',
    ]);
  });

  it('takes width and precision from arguments with *, a negative width meaning left-justify', () => {
    expect([text('%*d|', 5, 42), text('%-*d|', 4, 7), text('%*d|', -4, 7), text('%.*d', 3, 7), text('%.*d', -1, 7)]).toEqual(['   42|', '7   |', '7   |', '007', '7']);
  });

  it('copies %%, unknown conversions and a trailing % through, and writes bytes: UTF-8 text, one byte for %c', () => {
    expect([text('100%%'), text('%q%d', 1), text('end %')]).toEqual(['100%', '%q1', 'end %']);
    expect(Array.from(formatPrintf('%s', ['é'])!)).toEqual([0xc3, 0xa9]);
    expect(Array.from(formatPrintf('%c', [0xe9])!)).toEqual([0xe9]);
    expect(Array.from(formatPrintf('a\n', [])!)).toEqual([0x61, 0x0a]);
  });

  it('takes a Uint8Array as a C string (bytes up to the NUL), prints other objects as "(?)" without running their code', () => {
    expect([text('%s|', Uint8Array.of(0x41, 0x42, 0, 0x43)), text('%.1s|', Uint8Array.of(0x41, 0x42)), text('%s', { toString: () => 'x' }), text('%s', Symbol('s')), text('%s', () => 1)]).toEqual([
      'AB|',
      'A|',
      '(?)',
      '(?)',
      '(?)',
    ]);
    const trap = (): never => {
      throw new Error('trap');
    };
    expect(text('%s %d %c', new Proxy({}, { get: trap, getPrototypeOf: trap }), new Proxy({}, { get: trap }), new Proxy({}, { get: trap }))).toBe('(?) 0 \0');
    // The precision counts bytes and may cut a character, as C's does; a surrogate pair is never split before encoding.
    expect(Array.from(formatPrintf('%.2s', ['😀x'])!)).toEqual([0xf0, 0x9f]);
    expect(Array.from(formatPrintf('%.5s', ['😀x'])!)).toEqual([0xf0, 0x9f, 0x98, 0x80, 0x78]);
  });
});

describe('formatPrintf bounds (C 7.19.6.1p14 negative result / POSIX EOVERFLOW, with a 65536-byte limit per call)', () => {
  it('fails a call whose field width or precision, in the format or through *, would pass the limit, without building it', () => {
    expect(PRINTF_MAX_OUTPUT).toBe(65536);
    expect([text('%01000000000d', 5), text('%*d', 2147483647, 5), text('%*d', -2147483648, 5), text('%.*d', 2147483647, 5), text('%.999999999999999999999d', 1), text('%99999999999999999999999999s', 'x')]).toEqual(
      Array(6).fill('<EOVERFLOW>'),
    );
    expect(text('%65536d', 1)).toHaveLength(65536);
    expect(text('%65537d', 1)).toBe('<EOVERFLOW>');
    expect(text('x%65536d', 1)).toBe('<EOVERFLOW>');
    // A huge precision is only a maximum for %s: a short string prints.
    expect(text('%.2147483647s', 'ok')).toBe('ok');
  });

  it('fails on a string argument or format longer than the limit, and never encodes more than fits', () => {
    const huge = 'x'.repeat(200_000_000);
    expect(text('%s', huge)).toBe('<EOVERFLOW>');
    expect(text(huge)).toBe('<EOVERFLOW>');
    expect(text('%.3s', huge)).toBe('xxx');
    expect(text('%s', 'é'.repeat(40_000))).toBe('<EOVERFLOW>'); // 40,000 units, 80,000 bytes
    expect(text('%s', 'é'.repeat(30_000))).toHaveLength(60_000);
    expect(text('%s', 10n ** 70_000n)).toBe('<EOVERFLOW>');
    expect(text('%s', -(10n ** 20n))).toBe('-100000000000000000000');
    expect(text('%c'.repeat(70_000), ...Array(70_000).fill(65))).toBe('<EOVERFLOW>');
    expect(formatPrintf('%s', ['abcdef'], 4)).toBeUndefined();
    expect(Array.from(formatPrintf('%s', ['abcd'], 4)!)).toEqual([0x61, 0x62, 0x63, 0x64]);
  });
});
