/**
 * The sweep file (`paravirt sweep SWEEP.yaml`, docs/architecture.md section 6): a matrix of
 * configs x kernels x arches x seeds x overrides, read as strictly as a config file (YAML or
 * JSON, unknown keys refused, every problem naming its path), and the command line's
 * options that replace its lists. Nothing here runs anything: src/cli/sweep.ts expands the
 * matrix into runs once the configs are read.
 */
import { ConfigReader, type ConfigValue, type Nanoseconds, joinPath } from '@paravirt/machine';
import { parseData, architectures, kernelNames, CliFailure } from '@paravirt/compose';

/** Most runs one sweep may hold (a sweep keeps every run's key in memory, and the aggregate its metrics). */
export const MAX_RUNS = 100_000;
/** Most configs, override variants, and entries of a list of seeds. */
const MAX_CONFIGS = 1_000;
const MAX_VARIANTS = 1_000;

/** One `--app` value as `paravirt run` takes it: PARTITION=APP, or APP for --kernel none (partition ''). */
export interface AppOverride {
  readonly partition: string;
  readonly app: string;
}

/** The overrides of one variant: what `paravirt run` would get as --app options. */
export interface Variant {
  readonly apps: readonly AppOverride[];
}

/** What to sweep. An absent list means each config's own value (its kernel, arch, seed, duration). */
export interface SweepMatrix {
  /** Config paths as read (relative to the working folder, or absolute); `undefined` is the default demo. */
  readonly configs: ReadonlyArray<string | undefined>;
  readonly kernels?: readonly string[];
  readonly arches?: readonly string[];
  readonly seeds?: readonly number[];
  readonly duration?: Nanoseconds;
  readonly variants: readonly Variant[];
  /** Partitions whose results must not depend on the overrides (compared across the variants of each seed). */
  readonly unchanged: readonly string[];
}

const TOP = ['configs', 'kernels', 'arches', 'seeds', 'duration', 'overrides', 'unchanged'];
const VARIANT = ['app'];

/** Reads `A..B`, `A-B`, `N` and comma lists of them into seeds; a message for anything else. */
export function parseSeeds(text: string): number[] | string {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:(?:\.\.|-)\s*(\d+)\s*)?$/.exec(part);
    if (!range) return `must be seeds such as 1..100, 1-8, 7 or 1,2,5, got "${text}"`;
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) return `seeds must be whole numbers up to ${Number.MAX_SAFE_INTEGER}, got "${part.trim()}"`;
    if (last < first) return `a range of seeds goes up, got "${part.trim()}"`;
    if (last - first + 1 + seeds.length > MAX_RUNS) return `more than ${MAX_RUNS} seeds`;
    for (let seed = first; seed <= last; seed++) seeds.push(seed);
  }
  return seeds;
}

/** A list of seeds without a seed twice (a second run of the same seed would give the same bytes). */
export function duplicateSeed(seeds: readonly number[]): number | undefined {
  const seen = new Set<number>();
  for (const seed of seeds) {
    if (seen.has(seed)) return seed;
    seen.add(seed);
  }
  return undefined;
}

/** `PARTITION=APP` or `APP` (bare metal), as --app reads it; undefined for anything else. */
export function parseApp(value: string): AppOverride | undefined {
  const match = /^([^=]+)=(.+)$/.exec(value);
  if (match) return { partition: match[1]!, app: match[2]! };
  return /^[^=]+$/.test(value) ? { partition: '', app: value } : undefined;
}

/**
 * Reads a sweep file's text. Config paths and module paths in it are relative to the sweep
 * file: `resolvePath` turns them into the paths the runs use (relative to the working folder).
 * Throws a CliFailure naming `<file>: <path>` for the first problem.
 */
export function readSweepFile(text: string, file: string, resolvePath: (path: string) => string, looksLikePath: (app: string) => boolean): SweepMatrix {
  const data = parseData(text);
  if (data.errors.length > 0) throw new CliFailure(`${file}: ${data.errors[0]!.path}`, data.errors[0]!.message);
  const r = new ConfigReader();
  const matrix = readMatrix(r, data.value ?? null, resolvePath, looksLikePath);
  const first = r.errors[0];
  if (first || !matrix) {
    const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more problem${r.errors.length > 2 ? 's' : ''})` : '';
    throw new CliFailure(`${file}: ${first?.path ?? '(top level)'}`, `${first?.message ?? 'is not a sweep'}${more}`);
  }
  return matrix;
}

function readMatrix(r: ConfigReader, value: ConfigValue, resolvePath: (path: string) => string, looksLikePath: (app: string) => boolean): SweepMatrix | undefined {
  const root = r.object(value, '');
  if (!root) return undefined;
  r.unknownKeys(root, TOP, '');
  const strings = (key: string, max: number): string[] | undefined => {
    if (root[key] === undefined) return undefined;
    const list = r.boundedList(root[key], key, max, key);
    if (!list) return undefined;
    if (list.length === 0) return (r.fail(key, 'must not be empty (leave it out for each config\'s own)'), undefined);
    const read = list.map((entry, index) => r.string(entry, joinPath(key, index)) ?? '');
    const twice = read.find((entry, index) => entry !== '' && read.indexOf(entry) !== index);
    if (twice !== undefined) r.fail(key, `"${twice}" is listed twice`);
    return read;
  };
  const configs = strings('configs', MAX_CONFIGS);
  const kernels = strings('kernels', 16);
  kernels?.forEach((kernel, index) => {
    if (kernel !== '' && !kernelNames().includes(kernel)) r.fail(joinPath('kernels', index), `must be one of ${kernelNames().join(', ')}, got "${kernel}"`);
  });
  const arches = strings('arches', 16);
  arches?.forEach((arch, index) => {
    if (arch !== '' && !architectures.names.includes(arch)) r.fail(joinPath('arches', index), `must be one of ${architectures.names.join(', ')}, got "${arch}"`);
  });
  const seeds = root['seeds'] === undefined ? undefined : readSeeds(r, root['seeds']);
  const duration = root['duration'] === undefined ? undefined : r.positiveDuration(root['duration'], 'duration');
  const variants = root['overrides'] === undefined ? [{ apps: [] }] : readVariants(r, root['overrides'], resolvePath, looksLikePath);
  const unchanged = strings('unchanged', 256) ?? [];
  if (unchanged.length > 0 && variants.length < 2) r.fail('unchanged', 'compares the runs of each seed across the overrides: list two overrides or more');
  return {
    configs: configs ? configs.map(resolvePath) : [undefined],
    ...(kernels ? { kernels } : {}),
    ...(arches ? { arches } : {}),
    ...(seeds ? { seeds } : {}),
    ...(duration !== undefined ? { duration } : {}),
    variants,
    unchanged,
  };
}

function readSeeds(r: ConfigReader, value: ConfigValue): number[] | undefined {
  const entries = Array.isArray(value) ? value : [value];
  if (entries.length === 0) return (r.fail('seeds', "must not be empty (leave it out for each config's own)"), undefined);
  const seeds: number[] = [];
  for (const [index, entry] of entries.entries()) {
    const path = Array.isArray(value) ? joinPath('seeds', index) : 'seeds';
    if (typeof entry === 'number') {
      const seed = r.integer(entry, path, 0);
      if (seed !== undefined) seeds.push(seed);
    } else if (typeof entry === 'string') {
      const parsed = parseSeeds(entry);
      if (typeof parsed === 'string') return (r.fail(path, parsed), undefined);
      seeds.push(...parsed);
    } else {
      r.fail(path, `must be a seed (a whole number) or a range such as 1..100, got ${entry === null ? 'null' : Array.isArray(entry) ? 'a list' : typeof entry === 'object' ? 'a mapping' : String(entry)}`);
    }
    if (seeds.length > MAX_RUNS) return (r.fail('seeds', `more than ${MAX_RUNS} seeds`), undefined);
  }
  const twice = duplicateSeed(seeds);
  if (twice !== undefined) r.fail('seeds', `seed ${twice} is listed twice`);
  return seeds;
}

function readVariants(r: ConfigReader, value: ConfigValue, resolvePath: (path: string) => string, looksLikePath: (app: string) => boolean): Variant[] {
  const list = r.boundedList(value, 'overrides', MAX_VARIANTS, 'overrides');
  if (!list) return [{ apps: [] }];
  if (list.length === 0) return (r.fail('overrides', 'must not be empty (leave it out for no overrides)'), [{ apps: [] }]);
  const seen = new Map<string, number>();
  return list.map((entry, index) => {
    const path = joinPath('overrides', index);
    const variant = r.object(entry, path);
    if (!variant) return { apps: [] };
    r.unknownKeys(variant, VARIANT, path);
    const raw = variant['app'];
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const apps: AppOverride[] = [];
    values.forEach((text, at) => {
      const where = Array.isArray(raw) ? joinPath(joinPath(path, 'app'), at) : joinPath(path, 'app');
      const read = r.string(text, where);
      if (read === undefined) return;
      const app = parseApp(read);
      if (!app) return void r.fail(where, `must be PARTITION=APP (or APP with kernel none), as --app takes it, got "${read}"`);
      // A module path is relative to the sweep file, like its configs; a built-in is a name.
      apps.push(looksLikePath(app.app) ? { ...app, app: resolvePath(app.app) } : app);
    });
    const key = JSON.stringify(apps);
    const earlier = seen.get(key);
    if (earlier !== undefined) r.fail(path, `the same overrides as overrides[${earlier}]`);
    else seen.set(key, index);
    return { apps };
  });
}
