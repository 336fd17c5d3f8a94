/**
 * A small C printf formatter for guest console output (printf, printk). It follows
 * ISO C 7.19.6.1 for the conversions it knows: %d %i %u %x %X %o %c %s %p %%, the
 * flags '-', '0', '+', ' ', '#', field width and precision (also as '*'), and the
 * length modifiers hh, h, l, ll, j, z, t. Integers have the sizes of the ILP32 targets
 * this project simulates (i386, SPARC V8): int, long, size_t and pointers are 32 bits,
 * long long and intmax_t 64; a JavaScript number is converted the way C would convert
 * it to that type (truncated, then wrapped). Strings are encoded as UTF-8; %c of a
 * number writes the one byte (value & 0xff), as C does. %p prints like newlib
 * ("0x" and lowercase hex). An unknown conversion is copied to the output unchanged;
 * a missing argument counts as 0 (or "(null)" for %s, as newlib prints a NULL string).
 */

/** What printf's variable arguments may be. */
export type PrintfArgument = number | bigint | string | boolean | null | undefined;

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

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  return 0n;
}

function pushText(out: number[], text: string): void {
  for (const byte of encoder.encode(text)) out.push(byte);
}

/** Pads with spaces to the field width, left or right ('-'). */
function pad(out: number[], body: readonly number[], spec: Spec): void {
  const fill = Math.max(0, spec.width - body.length);
  if (!spec.minus) for (let i = 0; i < fill; i++) out.push(0x20);
  out.push(...body);
  if (spec.minus) for (let i = 0; i < fill; i++) out.push(0x20);
}

function formatInteger(out: number[], spec: Spec, conversion: string, raw: bigint): void {
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
    digits = digits.padStart(spec.precision, '0');
  }
  let prefix = '';
  if (signed) prefix = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  if (conversion === 'o' && spec.alternate && !digits.startsWith('0')) digits = `0${digits}`;
  if ((conversion === 'x' || conversion === 'X') && spec.alternate && magnitude !== 0n) prefix = conversion === 'x' ? '0x' : '0X';
  if (conversion === 'p') prefix = '0x';
  const body = Array.from(encoder.encode(prefix + digits));
  // '0' pads between the sign/prefix and the digits; ignored with '-' or a precision.
  const zeroPad = spec.zero && !spec.minus && spec.precision === undefined;
  if (zeroPad && spec.width > body.length) {
    out.push(...body.slice(0, prefix.length));
    for (let i = body.length; i < spec.width; i++) out.push(0x30);
    out.push(...body.slice(prefix.length));
  } else {
    pad(out, body, spec);
  }
}

/** Formats like C printf and returns the bytes. */
export function formatPrintf(format: string, args: readonly unknown[]): Uint8Array {
  const out: number[] = [];
  let argIndex = 0;
  const nextArgument = (): unknown => args[argIndex++];
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      pushText(out, format.slice(i));
      break;
    }
    if (percent > i) pushText(out, format.slice(i, percent));
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
      const width = Number(BigInt.asIntN(32, toBigInt(nextArgument())));
      // A negative '*' width is a '-' flag and a positive width (C 7.19.6.1p5).
      if (width < 0) spec.minus = true;
      spec.width = Math.abs(width);
      i++;
    } else {
      let width = 0;
      while (i < format.length && format[i]! >= '0' && format[i]! <= '9') width = width * 10 + Number(format[i++]);
      spec.width = width;
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        const precision = Number(BigInt.asIntN(32, toBigInt(nextArgument())));
        // A negative '*' precision is taken as if it were omitted.
        spec.precision = precision < 0 ? undefined : precision;
        i++;
      } else {
        let precision = 0;
        while (i < format.length && format[i]! >= '0' && format[i]! <= '9') precision = precision * 10 + Number(format[i++]);
        spec.precision = precision;
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
    } else if (format[i] === 'l' || format[i] === 'z' || format[i] === 't') {
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
        const body = typeof argument === 'string' ? Array.from(encoder.encode(String.fromCodePoint(argument.codePointAt(0) ?? 0))) : [Number(BigInt.asUintN(8, toBigInt(argument)))];
        pad(out, body, spec);
        break;
      }
      case 's': {
        const argument = nextArgument();
        let body = Array.from(encoder.encode(argument === undefined || argument === null ? '(null)' : String(argument)));
        if (spec.precision !== undefined) body = body.slice(0, spec.precision);
        pad(out, body, spec);
        break;
      }
      case '%':
        out.push(0x25);
        break;
      default:
        pushText(out, format.slice(start, Math.min(i, format.length)));
        break;
    }
  }
  return Uint8Array.from(out);
}
