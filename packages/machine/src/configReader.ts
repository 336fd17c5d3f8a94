/**
 * Strict reading of configuration data (parsed YAML, JSON or XML) with errors that name
 * the offending path: the one mechanism behind our config, POK's config.yaml and the
 * ARINC 653 XML readers. Nothing here throws; every problem becomes a ConfigError and the
 * reader returns undefined for the value, so a reader can report all problems at once.
 *
 * CONFIG_LIMITS are the bounds every reader enforces (docs/config.md, "Limits"): chosen far
 * above what a real module needs, and low enough that reading any accepted file takes a
 * few seconds at most and a virtual second of any accepted module a few seconds of wall time.
 */
import { controlCharacter, quote } from './quote.js';
import { type Nanoseconds, NS_PER_S, type Parsed, parseDuration } from './time.js';

export { controlCharacter, oneLine, quote } from './quote.js';

/** A problem in a configuration, with the path of the offending element ("partitions[1].memory"). */
export interface ConfigError {
  readonly path: string;
  readonly message: string;
}

export type ConfigValue = null | boolean | number | string | ConfigValue[] | { [key: string]: ConfigValue };
export type ConfigObject = { [key: string]: ConfigValue };

export const CONFIG_LIMITS = {
  /** Characters of a configuration file (the CLI reads at most 4 MiB: apps/runner/src/cli/configFile.ts MAX_CONFIG_BYTES). */
  fileChars: 4 * 1024 * 1024,
  /** Mappings and lists (YAML) or elements (XML) inside each other. */
  nesting: 32,
  /** Values of a YAML document (keys, scalars, collections), aliases counted each time they are used. */
  values: 250_000,
  /** Lexical tokens of a YAML document, comments and line breaks included (10,000 windows are about 300,000). */
  yamlTokens: 1_000_000,
  /** Entity declarations in an XML DOCTYPE. */
  xmlEntities: 1_000,
  /** Characters that XML entity references may expand to, in total. */
  xmlEntityExpansion: 1_000_000,
  partitions: 256,
  schedules: 64,
  windowsPerSchedule: 10_000,
  portsPerPartition: 256,
  channels: 1_024,
  destinationsPerChannel: 256,
  /** One device per interrupt line 1-15. */
  devices: 15,
  /** Shortest device period: at most 100,000 interrupts per second from one device. */
  minDevicePeriod: 10_000,
  /** All devices together: interrupts per virtual second. */
  maxDeviceRate: 500_000,
  /** Shortest kernel tick: at most 100,000 kernel ticks per second. */
  minKernelTick: 10_000,
  /**
   * Longest duration a configuration holds (and the longest run): 10 days, so that any sum
   * the kernels and devices form (run end + frame + period + jitter + start) stays an exact
   * number of nanoseconds (MAX_TIME_NS is about 104 days).
   */
  maxDuration: 240 * 3600 * NS_PER_S,
} as const;

/** Joins path segments: join('a', 'b') = 'a.b', join('a', 2) = 'a[2]', join('', 'b') = 'b'. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Formats a duration limit for messages: 10us, 1ms. */
function nsText(ns: Nanoseconds): string {
  if (ns % 1_000_000 === 0) return `${ns / 1_000_000}ms`;
  if (ns % 1_000 === 0) return `${ns / 1_000}us`;
  return `${ns}ns`;
}

export class ConfigReader {
  readonly errors: ConfigError[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push({ path: path === '' ? '(top level)' : path, message });
    return undefined;
  }

  object(value: ConfigValue | undefined, path: string): ConfigObject | undefined {
    if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return this.fail(path, `must be a mapping, got ${describeValue(value)}`);
    return value;
  }

  list(value: ConfigValue | undefined, path: string): ConfigValue[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, `must be a list, got ${describeValue(value)}`);
    return value;
  }

  /** A list of at most `max` entries (`what` names them: "windows"); a longer one is one error and reads as empty. */
  boundedList(value: ConfigValue | undefined, path: string, max: number, what: string): ConfigValue[] | undefined {
    const list = this.list(value, path);
    if (list && list.length > max) return (this.fail(path, `${list.length} ${what}; at most ${max} are supported`), []);
    return list;
  }

  /** A non-empty string of printable characters (a name, a path, a reference). */
  string(value: ConfigValue | undefined, path: string): string | undefined {
    if (typeof value !== 'string' || value.length === 0) return this.fail(path, `must be a non-empty string, got ${describeValue(value)}`);
    const control = controlCharacter(value);
    if (control) return this.fail(path, `must not contain control characters or line breaks (${control}), got ${quote(value)}`);
    return value;
  }

  oneOf<T extends string>(value: ConfigValue | undefined, choices: readonly T[], path: string): T | undefined {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    return this.fail(path, `must be one of ${choices.join(', ')}, got ${describeValue(value)}`);
  }

  boolean(value: ConfigValue | undefined, path: string): boolean | undefined {
    if (typeof value !== 'boolean') return this.fail(path, `must be true or false, got ${describeValue(value)}`);
    return value;
  }

  integer(value: ConfigValue | undefined, path: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(path, `must be a whole number, got ${describeValue(value)}`);
    if (value < min || value > max) return this.fail(path, `must be between ${min} and ${max}, got ${describeValue(value)}`);
    return value;
  }

  /** A duration: a number of ns or a string with a unit, at most CONFIG_LIMITS.maxDuration. */
  duration(value: ConfigValue | undefined, path: string): Nanoseconds | undefined {
    const parsed = parseConfigDuration(value);
    return parsed.ok ? parsed.value : this.fail(path, parsed.error);
  }

  /** A duration longer than 0 (a frame, a window, a period, the run). */
  positiveDuration(value: ConfigValue | undefined, path: string): Nanoseconds | undefined {
    const duration = this.duration(value, path);
    if (duration === 0) return this.fail(path, 'must be longer than 0');
    return duration;
  }

  /** A periodic interrupt's period: at least `min` ns (`what`: "kernel ticks per second"). */
  period(value: ConfigValue | undefined, path: string, min: Nanoseconds, what: string): Nanoseconds | undefined {
    const period = this.positiveDuration(value, path);
    if (period !== undefined && period < min) {
      return this.fail(path, `must be at least ${nsText(min)} (at most ${NS_PER_S / min} ${what}), got ${nsText(period)}`);
    }
    return period;
  }

  /** Byte sizes: a number, or 64KiB, 130kB, 1MiB, 2MB, 1GiB (k/K/Ki = 1024, M/Mi = 1024^2, G/Gi = 1024^3: the embedded convention). */
  size(value: ConfigValue | undefined, path: string): number | undefined {
    const parsed = parseSize(value);
    return typeof parsed === 'number' ? parsed : this.fail(path, parsed);
  }

  /** Reports every key of `object` that is not in `allowed`. */
  unknownKeys(object: ConfigObject, allowed: ReadonlySet<string> | readonly string[], path: string): void {
    const known = allowed instanceof Set ? allowed : new Set(allowed);
    for (const key of Object.keys(object)) if (!known.has(key)) this.fail(joinPath(path, key), 'unknown key');
  }
}

/** parseDuration with the configuration's upper bound (CONFIG_LIMITS.maxDuration). */
export function parseConfigDuration(value: unknown): Parsed<Nanoseconds> {
  const parsed = parseDuration(value);
  if (parsed.ok && parsed.value > CONFIG_LIMITS.maxDuration) {
    return { ok: false, error: `must be at most 240h (10 days), got ${typeof value === 'string' ? quote(value) : `${parsed.value} ns`}` };
  }
  return parsed;
}

/** A record for keys that come from a configuration: no prototype, so `__proto__` or `constructor` is a key like any other. */
export function configRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/**
 * Size units, powers of 1024 as POK's own generator reads them (pok misc/gen_deployment
 * to_bytes: k, M, G with an optional B), plus the explicit KiB, MiB, GiB.
 */
const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  k: 1024, K: 1024, kB: 1024, KB: 1024, KiB: 1024,
  M: 1024 ** 2, MB: 1024 ** 2, MiB: 1024 ** 2,
  G: 1024 ** 3, GB: 1024 ** 3, GiB: 1024 ** 3,
};

/** Parses a byte size; returns the number of bytes or a message. */
export function parseSize(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value)) return `size must be a whole number of bytes, got ${value}`;
    if (value <= 0) return `size must be more than 0 bytes, got ${value}`;
    if (!Number.isSafeInteger(value)) return `size ${value} is too large (at most ${Number.MAX_SAFE_INTEGER} bytes)`;
    return value;
  }
  if (typeof value !== 'string') return `size must be a number of bytes or a string like "1MiB", got ${describeValue(value as ConfigValue)}`;
  const match = /^[ \t]*(-?)(\d+)[ \t]*([A-Za-z]*)[ \t]*$/.exec(value);
  const scale = match ? SIZE_UNITS[match[3] || 'B'] : undefined;
  if (!match || scale === undefined) return `cannot read size ${quote(value)}: expected e.g. 64KiB, 1MiB or 65536`;
  const bytes = Number(match[2]) * scale;
  if (match[1] === '-' || bytes === 0) return `size must be more than 0 bytes, got ${quote(value)}`;
  if (!Number.isSafeInteger(bytes)) return `size ${quote(value)} is too large (at most ${Number.MAX_SAFE_INTEGER} bytes)`;
  return bytes;
}

/** The limit on the length of a configuration file, or undefined if `text` is within it. */
export function fileTooLong(text: string): ConfigError | undefined {
  if (text.length <= CONFIG_LIMITS.fileChars) return undefined;
  return { path: '(file)', message: `${text.length} characters; a configuration file may have at most ${CONFIG_LIMITS.fileChars} (4 MiB)` };
}

/** A short description of a value for messages: "20ms" (quoted, escaped), 42, null, a list, a mapping. */
export function describeValue(value: ConfigValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? quote(value) : String(value);
}
