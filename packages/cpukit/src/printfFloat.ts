/**
 * The floating-point conversions of printf: %f %F %e %E %g %G, as C's library prints a
 * double (ISO C 7.19.6.1p8). The digits are exact: a double is m x 2^e, so the value times
 * a power of ten is a fraction of two integers, rounded to the precision with ties to even -
 * what newlib's dtoa (the C library of RTEMS) and glibc do in the default rounding mode. So
 * printf("%.0f", 2.5) is "2" and printf("%.2f", 1.005) is "1.00" (1.005 is really
 * 1.00499999999999989...), where JavaScript's toFixed would say "3" and "1.01".
 *
 * Infinity and NaN print as "inf" / "nan" ("INF" / "NAN" for the upper-case conversions),
 * with their sign, padded with spaces (the '0' flag does not apply to them).
 */

/** The flags and sizes of one conversion (printf.ts's Spec, the fields used here). */
export interface FloatSpec {
  readonly minus: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly zero: boolean;
  readonly alternate: boolean;
  readonly width: number;
  readonly precision: number | undefined;
}

/** A finite double as sign, integer mantissa and binary exponent: |x| = mantissa * 2^exponent. */
function decompose(value: number): { negative: boolean; mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const negative = high >>> 31 === 1;
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  // Subnormals have no hidden bit and the exponent of the smallest normal.
  return biased === 0 ? { negative, mantissa: fraction, exponent: -1074 } : { negative, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

const TEN = 10n;
const LOG10_2 = Math.log10(2);
const pow10 = (n: number): bigint => TEN ** BigInt(n);

/** round(numerator / denominator) with ties to even; both positive. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = 2n * (numerator - quotient * denominator);
  if (twice > denominator || (twice === denominator && (quotient & 1n) === 1n)) return quotient + 1n;
  return quotient;
}

/** |x| * 10^shift rounded to an integer (ties to even), exactly. */
function scaledInteger(mantissa: bigint, exponent: number, shift: number): bigint {
  let numerator = mantissa;
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  if (shift >= 0) numerator *= pow10(shift);
  else denominator *= pow10(-shift);
  return roundHalfEven(numerator, denominator);
}

/** %f digits of |x| with `precision` decimals: "123.456000", "0.5", "3." with '#'. */
function fixedDigits(mantissa: bigint, exponent: number, precision: number, alternate: boolean): string {
  const digits = scaledInteger(mantissa, exponent, precision).toString().padStart(precision + 1, '0');
  const point = digits.length - precision;
  if (precision === 0) return alternate ? `${digits}.` : digits;
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The decimal exponent of |x| > 0 and its `significant` digits, rounded: x ~ d.ddd * 10^exponent. */
function scientificParts(mantissa: bigint, exponent: number, significant: number): { digits: string; exponent: number } {
  // log10 estimate from the binary exponent, then corrected by the digit count.
  let decimal = Math.floor((exponent + mantissa.toString(2).length - 1) * LOG10_2);
  for (;;) {
    const digits = scaledInteger(mantissa, exponent, significant - 1 - decimal).toString();
    if (digits.length > significant) decimal++;
    else if (digits.length < significant) decimal--;
    else return { digits, exponent: decimal };
  }
}

function exponentText(exponent: number, upper: boolean): string {
  const magnitude = Math.abs(exponent).toString().padStart(2, '0');
  return `${upper ? 'E' : 'e'}${exponent < 0 ? '-' : '+'}${magnitude}`;
}

/** %e digits of |x|: "1.234560e+02". */
function scientificDigits(mantissa: bigint, exponent: number, precision: number, alternate: boolean, upper: boolean): string {
  if (mantissa === 0n) return `0${precision > 0 || alternate ? '.' : ''}${'0'.repeat(precision)}${exponentText(0, upper)}`;
  const parts = scientificParts(mantissa, exponent, precision + 1);
  const fraction = parts.digits.slice(1);
  return `${parts.digits.charAt(0)}${precision > 0 || alternate ? '.' : ''}${fraction}${exponentText(parts.exponent, upper)}`;
}

/** Removes the trailing zeros of the fraction (and a bare point): %g without '#'. */
function trimFraction(text: string): string {
  const e = text.search(/[eE]/);
  const mantissa = e < 0 ? text : text.slice(0, e);
  const suffix = e < 0 ? '' : text.slice(e);
  if (!mantissa.includes('.')) return text;
  return mantissa.replace(/0+$/, '').replace(/\.$/, '') + suffix;
}

/** %g: %e or %f by the exponent the value has at precision P (C 7.19.6.1p8). */
function generalDigits(mantissa: bigint, exponent: number, precision: number, alternate: boolean, upper: boolean): string {
  const significant = precision === 0 ? 1 : precision;
  const x = mantissa === 0n ? 0 : scientificParts(mantissa, exponent, significant).exponent;
  const text =
    significant > x && x >= -4
      ? fixedDigits(mantissa, exponent, significant - 1 - x, alternate)
      : scientificDigits(mantissa, exponent, significant - 1, alternate, upper);
  return alternate ? text : trimFraction(text);
}

/**
 * The text of one floating-point conversion, before padding: sign and digits, plus whether
 * the '0' flag may pad it (not for inf and nan). `room` bounds the digits: undefined when
 * the text would be longer (the call then fails as a whole, as printf.ts does for any
 * conversion).
 */
export function formatFloat(spec: FloatSpec, conversion: string, value: number, room: number): { sign: string; body: string; zeroPaddable: boolean } | undefined {
  const upper = conversion === 'F' || conversion === 'E' || conversion === 'G';
  const negative = value < 0 || Object.is(value, -0) || (Number.isNaN(value) && decompose(value).negative);
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  if (!Number.isFinite(value)) {
    const text = Number.isNaN(value) ? 'nan' : 'inf';
    return { sign, body: upper ? text.toUpperCase() : text, zeroPaddable: false };
  }
  const precision = spec.precision ?? 6;
  // The digits alone would not fit: fail before making them.
  if (precision > room) return undefined;
  const { mantissa, exponent } = decompose(value);
  const lower = conversion.toLowerCase();
  let body: string;
  if (lower === 'f') body = fixedDigits(mantissa, exponent, precision, spec.alternate);
  else if (lower === 'e') body = scientificDigits(mantissa, exponent, precision, spec.alternate, upper);
  else body = generalDigits(mantissa, exponent, precision, spec.alternate, upper);
  if (sign.length + body.length > room) return undefined;
  return { sign, body, zeroPaddable: true };
}

/** A floating-point argument: a number as is; bigint and boolean converted; anything else 0 (C would be undefined). */
export function floatArgument(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return 0;
}
