/**
 * Strict reading of configuration data (parsed YAML, JSON or XML) with errors that name
 * the offending path: the one mechanism behind our config, POK's config.yaml and the
 * ARINC 653 XML readers. Nothing here throws; every problem becomes a ConfigError and the
 * reader returns undefined for the value, so a reader can report all problems at once.
 */
import { type Nanoseconds, parseDuration } from './time.js';

/** A problem in a configuration, with the path of the offending element ("partitions[1].memory"). */
export interface ConfigError {
  readonly path: string;
  readonly message: string;
}

export type ConfigValue = null | boolean | number | string | ConfigValue[] | { [key: string]: ConfigValue };
export type ConfigObject = { [key: string]: ConfigValue };

/** Joins path segments: join('a', 'b') = 'a.b', join('a', 2) = 'a[2]', join('', 'b') = 'b'. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

export class ConfigReader {
  readonly errors: ConfigError[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push({ path: path === '' ? '(top level)' : path, message });
    return undefined;
  }

  object(value: ConfigValue | undefined, path: string): ConfigObject | undefined {
    if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return this.fail(path, `must be a mapping, got ${describe(value)}`);
    return value;
  }

  list(value: ConfigValue | undefined, path: string): ConfigValue[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, `must be a list, got ${describe(value)}`);
    return value;
  }

  string(value: ConfigValue | undefined, path: string): string | undefined {
    if (typeof value !== 'string' || value.length === 0) return this.fail(path, `must be a non-empty string, got ${describe(value)}`);
    return value;
  }

  oneOf<T extends string>(value: ConfigValue | undefined, choices: readonly T[], path: string): T | undefined {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    return this.fail(path, `must be one of ${choices.join(', ')}, got ${describe(value)}`);
  }

  boolean(value: ConfigValue | undefined, path: string): boolean | undefined {
    if (typeof value !== 'boolean') return this.fail(path, `must be true or false, got ${describe(value)}`);
    return value;
  }

  integer(value: ConfigValue | undefined, path: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return this.fail(path, `must be a whole number, got ${describe(value)}`);
    if (value < min || value > max) return this.fail(path, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  duration(value: ConfigValue | undefined, path: string): Nanoseconds | undefined {
    const parsed = parseDuration(value);
    return parsed.ok ? parsed.value : this.fail(path, parsed.error);
  }

  /** Byte sizes: a number, or 64KiB, 130kB, 1MiB, 2MB (k/K/Ki = 1024, M/Mi = 1024^2: the embedded convention). */
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

/** Parses a byte size; returns the number of bytes or a message. */
export function parseSize(value: unknown): number | string {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : `size must be a positive whole number of bytes, got ${value}`;
  if (typeof value !== 'string') return `size must be a number of bytes or a string like "1MiB", got ${describe(value as ConfigValue)}`;
  const match = /^\s*(\d+)\s*(B|kB|KB|KiB|k|K|MB|MiB|M)?\s*$/.exec(value);
  if (!match) return `cannot read size "${value}": expected e.g. 64KiB, 1MiB or 65536`;
  const unit = match[2] ?? 'B';
  const scale = unit.startsWith('M') ? 1 << 20 : unit === 'B' ? 1 : 1024;
  return Number(match[1]) * scale;
}

function describe(value: ConfigValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
