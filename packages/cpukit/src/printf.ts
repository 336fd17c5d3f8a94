/**
 * A small C printf formatter for guest console output (printf, printk). It follows
 * ISO C 7.19.6.1 for the conversions it knows: %d %i %u %x %X %o %c %s %p %%, the
 * floating-point %f %F %e %E %g %G (exact digits, rounded as the C library does:
 * printfFloat.ts), the flags '-', '0', '+', ' ', '#', field width and precision (also as
 * '*'), and the length modifiers hh, h, l, ll, j, z, t, L. Integers have the sizes of the ILP32 targets
 * this project simulates (i386, SPARC V8): int, long, size_t and pointers are 32 bits,
 * long long and intmax_t 64; a JavaScript number is converted the way C would convert
 * it to that type (truncated, then wrapped). Strings are encoded as UTF-8; %c of a
 * number writes the one byte (value & 0xff), as C does. %p prints like newlib
 * ("0x" and lowercase hex). An unknown conversion is copied to the output unchanged;
 * a missing argument counts as 0 (or "(null)" for %s, as newlib prints a NULL string).
 *
 * Arguments of %s: a string is written as UTF-8 (the precision counts bytes and may cut
 * a character, as C's does); a Uint8Array is a C `char *`: its bytes up to the first NUL;
 * a number, bigint or boolean its usual text; null and undefined "(null)"; anything else
 * (an object, a function, a symbol) "(?)" - the formatter never runs guest code (no
 * toString), so formatting is bounded and cannot throw.
 *
 * Bounds. One call produces at most PRINTF_MAX_OUTPUT (65536) bytes. A call whose output
 * would be longer - a huge field width or precision, in the format or through '*', a long
 * string argument, many conversions - fails as a whole: formatPrintf returns undefined,
 * nothing is written, and rtems printf/printk return -1. This is C's rule for an output
 * that cannot be produced (ISO C 7.19.6.1p14: "a negative value if an output or encoding
 * error occurred"; POSIX fprintf: EOVERFLOW when the count would exceed INT_MAX), with
 * the console's limit in place of INT_MAX; a width or precision written in the format is
 * read only up to that limit (POSIX: EOVERFLOW for one above INT_MAX). Nothing in
 * proportion to an argument is materialised first: a string is measured by its length
 * (every UTF-16 code unit is at least one UTF-8 byte) and only the part that can be
 * written is encoded; widths and precisions are checked before any padding is made.
 */

import { floatArgument, formatFloat } from './printfFloat.js';

/** What printf's variable arguments may be. */
export type PrintfArgument = number | bigint | string | boolean | null | undefined | Uint8Array;

/** Most bytes one printf or printk call produces; a longer output fails the call (returns -1). */
export const PRINTF_MAX_OUTPUT = 65536;

const encoder = new TextEncoder();

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  alternate: boolean;
  width: number;
  precision: number | undefined;
  bits: number;
}

/** The output would pass the limit: unwinds formatPrintf, which then fails. */
class Overflow {}
const OVERFLOW = new Overflow();

/** The output buffer: grows as needed, never past its limit. */
class Output {
  bytes = new Uint8Array(128);
  length = 0;

  constructor(readonly limit: number) {}

  get room(): number {
    return this.limit - this.length;
  }

  /** Fails the call unless `count` more bytes fit. */
  reserve(count: number): void {
    if (!(count <= this.room)) throw OVERFLOW;
  }

  /** Makes the buffer hold at least `size` bytes (at most the limit). */
  private grow(size: number): void {
    if (size <= this.bytes.length) return;
    const grown = new Uint8Array(Math.min(this.limit, Math.max(size, this.bytes.length * 2)));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.grow(this.length + 1);
    this.bytes[this.length++] = value;
  }

  fill(value: number, count: number): void {
    if (count <= 0) return;
    this.reserve(count);
    this.grow(this.length + count);
    this.bytes.fill(value, this.length, this.length + count);
    this.length += count;
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.grow(this.length + bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** UTF-8 of `text`, all of it or the call fails; encodes in place, never more than fits. */
  text(text: string): void {
    // Every UTF-16 code unit is at least one UTF-8 byte, and at most three.
    this.reserve(text.length);
    this.grow(Math.min(this.limit, this.length + 3 * text.length));
    const { read, written } = encoder.encodeInto(text, this.bytes.subarray(this.length, this.limit));
    if (read !== text.length) throw OVERFLOW;
    this.length += written;
  }
}

/**
 * The first `count` bytes of the UTF-8 encoding of `text` (fewer if it is shorter), encoding
 * only the code units that can contribute: each unit is at least one byte, so `count` units
 * (plus the second half of a surrogate pair the cut would split) are enough.
 */
function utf8Prefix(text: string, count: number): Uint8Array {
  if (count <= 0) return new Uint8Array(0);
  let units = Math.min(text.length, count);
  const last = text.charCodeAt(units - 1);
  if (units < text.length && last >= 0xd800 && last <= 0xdbff) units++;
  const bytes = encoder.encode(units === text.length ? text : text.slice(0, units));
  return bytes.length > count ? bytes.subarray(0, count) : bytes;
}

/** Decimal text of a bigint argument of %s, or undefined when it has more digits than one call may write. */
function bigintText(value: bigint): string | undefined {
  const magnitude = value < 0n ? -value : value;
  // Compare before converting: the text of a huge bigint is itself huge (and slow to make).
  return magnitude >= bigLimit() ? undefined : value.toString();
}

let tenToTheLimit: bigint | undefined;
function bigLimit(): bigint {
  tenToTheLimit ??= 10n ** BigInt(PRINTF_MAX_OUTPUT);
  return tenToTheLimit;
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  return 0n;
}

/** An `int` argument of '*' (C converts it to int: truncate, wrap to 32 bits). */
function intArgument(value: unknown): number {
  return Number(BigInt.asIntN(32, toBigInt(value)));
}

/** Pads `body` with spaces to the field width, left or right ('-'). */
function pad(out: Output, body: Uint8Array, spec: Spec): void {
  const fill = Math.max(0, spec.width - body.length);
  out.reserve(fill + body.length);
  if (!spec.minus) out.fill(0x20, fill);
  out.append(body);
  if (spec.minus) out.fill(0x20, fill);
}

function formatInteger(out: Output, spec: Spec, conversion: string, raw: bigint): void {
  const signed = conversion === 'd' || conversion === 'i';
  const value = signed ? BigInt.asIntN(spec.bits, raw) : BigInt.asUintN(spec.bits, raw);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const base = conversion === 'o' ? 8 : conversion === 'x' || conversion === 'X' || conversion === 'p' ? 16 : 10;
  let digits = magnitude.toString(base);
  if (conversion === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) {
    // An explicit precision of 0 prints no digits for the value 0 (C 7.19.6.1p8).
    if (spec.precision === 0 && magnitude === 0n) digits = '';
    // A precision is a minimum number of digits: it must fit before it is made.
    out.reserve(spec.precision);
    digits = digits.padStart(spec.precision, '0');
  }
  let prefix = '';
  if (signed) prefix = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  if (conversion === 'o' && spec.alternate && !digits.startsWith('0')) digits = `0${digits}`;
  if ((conversion === 'x' || conversion === 'X') && spec.alternate && magnitude !== 0n) prefix = conversion === 'x' ? '0x' : '0X';
  if (conversion === 'p') prefix = '0x';
  const body = encoder.encode(prefix + digits);
  // '0' pads between the sign/prefix and the digits; ignored with '-' or a precision.
  const zeroPad = spec.zero && !spec.minus && spec.precision === undefined;
  if (zeroPad && spec.width > body.length) {
    out.reserve(spec.width);
    out.append(body.subarray(0, prefix.length));
    out.fill(0x30, spec.width - body.length);
    out.append(body.subarray(prefix.length));
  } else {
    pad(out, body, spec);
  }
}

/** The bytes %s writes for `argument`, at most `limit` of them (the precision); undefined when longer than the output's room. */
function stringBody(argument: unknown, limit: number, room: number): Uint8Array | undefined {
  const most = Math.min(limit, room + 1);
  let body: Uint8Array;
  if (argument === undefined || argument === null) body = utf8Prefix('(null)', most);
  else if (typeof argument === 'string') body = utf8Prefix(argument, most);
  else if (isByteArray(argument)) {
    // A C string: the bytes before the first NUL, no further than needed.
    const window = argument.subarray(0, Math.min(argument.length, most));
    const nul = window.indexOf(0);
    body = nul < 0 ? window : window.subarray(0, nul);
  } else if (typeof argument === 'number' || typeof argument === 'boolean') body = utf8Prefix(String(argument), most);
  else if (typeof argument === 'bigint') {
    const text = bigintText(argument);
    if (text === undefined) return undefined;
    body = utf8Prefix(text, most);
  } else body = utf8Prefix('(?)', most);
  return body.length > room ? undefined : body;
}

/** A Uint8Array (a C char *); a Proxy or an object whose prototype chain throws is not one. */
function isByteArray(value: unknown): value is Uint8Array {
  try {
    return ArrayBuffer.isView(value) && value instanceof Uint8Array;
  } catch {
    return false;
  }
}

/** Reads a decimal width or precision; values past `cap` read as `cap` (the call then fails). */
function readNumber(format: string, start: number, cap: number): [value: number, end: number] {
  let value = 0;
  let i = start;
  for (; i < format.length; i++) {
    const code = format.charCodeAt(i);
    if (code < 0x30 || code > 0x39) break;
    value = Math.min(value * 10 + (code - 0x30), cap);
  }
  return [value, i];
}

/**
 * Formats like C printf and returns the bytes, or undefined when the output would be
 * longer than `limit` bytes (default PRINTF_MAX_OUTPUT): the call fails as a whole.
 */
export function formatPrintf(format: string, args: readonly unknown[], limit: number = PRINTF_MAX_OUTPUT): Uint8Array | undefined {
  const out = new Output(limit);
  try {
    formatInto(out, format, args);
  } catch (error) {
    if (error === OVERFLOW) return undefined;
    throw error;
  }
  return out.bytes.slice(0, out.length);
}

function formatInto(out: Output, format: string, args: readonly unknown[]): void {
  let argIndex = 0;
  const nextArgument = (): unknown => args[argIndex++];
  // Anything above the limit fails the call; reading stops there (no overflow to Infinity).
  const cap = out.limit + 1;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      out.text(i === 0 ? format : format.slice(i));
      break;
    }
    if (percent > i) out.text(format.slice(i, percent));
    const start = percent;
    i = percent + 1;
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, alternate: false, width: 0, precision: undefined, bits: 32 };
    for (;;) {
      const flag = format[i];
      if (flag === '-') spec.minus = true;
      else if (flag === '+') spec.plus = true;
      else if (flag === ' ') spec.space = true;
      else if (flag === '0') spec.zero = true;
      else if (flag === '#') spec.alternate = true;
      else break;
      i++;
    }
    if (format[i] === '*') {
      const width = intArgument(nextArgument());
      // A negative '*' width is a '-' flag and a positive width (C 7.19.6.1p5).
      if (width < 0) spec.minus = true;
      spec.width = Math.min(Math.abs(width), cap);
      i++;
    } else {
      [spec.width, i] = readNumber(format, i, cap);
    }
    // The field alone would not fit: fail before making any padding.
    out.reserve(spec.width);
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        const precision = intArgument(nextArgument());
        // A negative '*' precision is taken as if it were omitted.
        spec.precision = precision < 0 ? undefined : Math.min(precision, cap);
        i++;
      } else {
        [spec.precision, i] = readNumber(format, i, cap);
      }
    }
    if (format.startsWith('hh', i)) {
      spec.bits = 8;
      i += 2;
    } else if (format.startsWith('ll', i)) {
      spec.bits = 64;
      i += 2;
    } else if (format[i] === 'h') {
      spec.bits = 16;
      i++;
    } else if (format[i] === 'j') {
      spec.bits = 64;
      i++;
    } else if (format[i] === 'l' || format[i] === 'z' || format[i] === 't' || format[i] === 'L') {
      i++;
    }
    const conversion = format[i];
    i++;
    switch (conversion) {
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o':
        formatInteger(out, spec, conversion, toBigInt(nextArgument()));
        break;
      case 'p':
        formatInteger(out, { ...spec, bits: 32 }, 'p', toBigInt(nextArgument()));
        break;
      case 'c': {
        const argument = nextArgument();
        const body =
          typeof argument === 'string' && argument.length > 0
            ? encoder.encode(String.fromCodePoint(argument.codePointAt(0)!))
            : Uint8Array.of(Number(BigInt.asUintN(8, toBigInt(argument))));
        pad(out, body, spec);
        break;
      }
      case 's': {
        const body = stringBody(nextArgument(), spec.precision ?? Infinity, out.room);
        if (body === undefined) throw OVERFLOW;
        pad(out, body, spec);
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        const text = formatFloat(spec, conversion, floatArgument(nextArgument()), out.room);
        if (text === undefined) throw OVERFLOW;
        const zeroPad = spec.zero && !spec.minus && text.zeroPaddable;
        if (zeroPad && spec.width > text.sign.length + text.body.length) {
          // '0' pads between the sign and the digits.
          out.text(text.sign);
          out.fill(0x30, spec.width - text.sign.length - text.body.length);
          out.text(text.body);
        } else {
          pad(out, encoder.encode(text.sign + text.body), spec);
        }
        break;
      }
      case '%':
        out.byte(0x25);
        break;
      default:
        out.text(format.slice(start, Math.min(i, format.length)));
        break;
    }
  }
}
