import { describe, expect, it } from 'vitest';
import { formatPrintf } from './printf.js';

const text = (format: string, ...args: unknown[]): string => Buffer.from(formatPrintf(format, args)).toString('latin1');

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
    expect(Array.from(formatPrintf('%s', ['é']))).toEqual([0xc3, 0xa9]);
    expect(Array.from(formatPrintf('%c', [0xe9]))).toEqual([0xe9]);
    expect(Array.from(formatPrintf('a\n', []))).toEqual([0x61, 0x0a]);
  });
});
