/**
 * A duration as the CLI's --duration takes it: a number and a unit (ns, us, ms, s, m or
 * min, h), exact to the nanosecond. The same rules as @paravirt/machine's parseDuration,
 * which the playground does not import (its dependencies are compose and samples).
 */
const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, min: 60e9, m: 60e9, h: 3600e9 };

export function parseDurationText(input: string): { ok: true; value: number } | { ok: false; error: string } {
  const match = /^[ \t]*(\d+(?:\.\d+)?)[ \t]*(ns|us|µs|ms|s|min|m|h)[ \t]*$/.exec(input);
  if (!match) return { ok: false, error: `cannot read duration "${input}": expected a number and a unit (ns, us, ms, s, m or min, h), e.g. "10s"` };
  const [, digits = '', unit = ''] = match;
  const scale = UNIT_NS[unit]!;
  const [whole = '0', fraction = ''] = digits.split('.');
  const scaleDigits = Math.round(Math.log10(scale));
  let value: number;
  if (10 ** scaleDigits === scale) {
    if (fraction.replace(/0+$/, '').length > scaleDigits) return { ok: false, error: `duration "${input}" is finer than a nanosecond` };
    value = Number(whole) * scale + Number(fraction.slice(0, scaleDigits).padEnd(scaleDigits, '0') || '0');
  } else {
    value = Number(digits) * scale;
    if (!Number.isInteger(value)) return { ok: false, error: `duration "${input}" is not a whole number of nanoseconds` };
  }
  if (!Number.isSafeInteger(value)) return { ok: false, error: `duration "${input}" is too long` };
  if (value <= 0) return { ok: false, error: 'must be longer than 0' };
  return { ok: true, value };
}
