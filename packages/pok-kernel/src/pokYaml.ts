/**
 * Reads POK's `config.yaml` the way POK's own build reads it (misc/gen_deployment, which
 * turns it into deployment.h and the Makefiles):
 *
 *   target:     { arch: x86 | sparc | ppc | arm, bsp: ..., nb_processors_number: 1 }
 *   partitions: [ { name, size: 130kB, features, threads, objects, scheduler, semaphores, ... } ]
 *   kernel:     { features, scheduler: { major_frame: 53s, slots: [ { partition, duration } ] } }
 *
 * What gen_deployment does and this reader does too:
 *  - `major_frame` absent (or null) is the sum of the slots (gen_kernel_deployment_h);
 *  - durations as to_ns reads them: a number is nanoseconds, a string is a number with a unit
 *    ns, us, µs, ms, s, m (minutes, not milliseconds) or h, or a string of digits (nanoseconds);
 *  - sizes as to_bytes reads them: a number is bytes, a string is digits with k, M or G
 *    (powers of 1024) and an optional B, or a string of digits (bytes);
 *  - a key it does not read is ignored: here with a warning (a typo would otherwise go unseen).
 * Keys POK reads for its own build only (features, threads, objects, semaphores, mutexes,
 * events, bsp) are accepted and ignored: the partitions run paravirt applications. Where POK
 * would read something differently from what it says, or where it matters that the simulation
 * has one processor, the result carries a warning.
 *
 * This kernel's extensions, in the same spirit: `kernel.tick` (POK's tick is a build
 * constant), `kernel.flush` (major-frame | slot-end, POK's POK_NEEDS_FLUSH_ON_WINDOWS), per
 * partition `ports`, `errors` (error kind -> action), `system`, `ipi`, and top-level
 * `channels`; an unknown key inside them is an error. The text goes through parseYamlData
 * (yamlData.ts), so the limits of docs/config.md apply (file size, nesting, aliases, numbers)
 * as they do to our own config; lists are bounded by CONFIG_LIMITS.
 */
import { CONFIG_LIMITS, ConfigReader as Reader, type ConfigObject, type ConfigValue, describeValue, formatDuration, joinPath, parseSize, quote } from '@paravirt/machine';
import { MINIMUM_PARTITION_MEMORY } from '@paravirt/kernel-core';
import type { ConfigError, PokChannel, PokConfig, PokPartitionConfig, PokPortConfig } from './config.js';
import { isPokAction, isPokErrorKind, type PokAction, type PokErrorKind } from './errors.js';
import { parseYamlData } from './yamlData.js';

export { parseSize };

export interface PokYamlResult {
  readonly config?: PokConfig;
  /** The architecture from `target.arch` (x86 -> i386), if given and simulated. */
  readonly arch?: 'i386' | 'sparc';
  readonly errors: readonly ConfigError[];
  /** What POK ignores or reads differently that a user may expect to matter (`warning: <path>: <what>`). */
  readonly warnings: readonly ConfigError[];
}

// The keys gen_deployment reads (and ours, where a mapping has some).
const TOP_KEYS = new Set(['target', 'partitions', 'kernel', /* ours */ 'channels']);
const TARGET_KEYS = new Set(['arch', 'bsp', 'nb_processors_number']);
const POK_PARTITION_KEYS = new Set([
  'name', 'size', 'features', 'threads', 'objects', 'scheduler', 'semaphores', 'mutexes', 'events', 'processor_affinity',
  // ours
  'ports', 'errors', 'system', 'ipi',
]);
const KERNEL_KEYS = new Set(['features', 'scheduler', /* ours */ 'tick', 'flush']);
const SCHEDULER_KEYS = new Set(['major_frame', 'slots']);
const SLOT_KEYS = new Set(['partition', 'duration']);
// Ours: unknown keys are errors.
const CHANNEL_KEYS = new Set(['source', 'destinations']);
const PORT_KEYS = new Set(['name', 'kind', 'direction', 'maxMessageSize', 'maxMessages', 'refreshPeriod', 'discipline']);

/** POK's thread schedulers: gen_deployment refuses any other `partitions[].scheduler` (upper-cased). */
const POK_THREAD_SCHEDULERS = new Set(['RR', 'RMS', 'STATIC']);
/** POK's architectures (misc/mk/common-<arch>.mk); the simulated ones map to ours. */
const POK_ARCHES: Readonly<Record<string, 'i386' | 'sparc' | undefined>> = { x86: 'i386', i386: 'i386', sparc: 'sparc', leon3: 'sparc', ppc: undefined, arm: undefined };

type Json = ConfigValue;

/** Reading a value gave a number (with a note when POK would read it differently) or an error. */
type Reading = { readonly value: bigint; readonly warning?: string } | { readonly error: string };

/**
 * As POK reads a duration (misc/gen_deployment, TIME_RE and to_ns): re.match anchors the
 * pattern at the start only, so text after the unit is ignored; `m` is minutes. POK then
 * multiplies a float (int(float(number) * unit)), which can lose a nanosecond: 4.1ms is
 * 4099999 ns there. This reader keeps the exact value and says so in a warning.
 */
const POK_TIME = /^(\d*\.?\d+)\s*([m\u00b5un]?s|m|h)/; // \u00b5: µ (bundles stay ASCII: apps/runner/src/cli/bin.ts)
const POK_TIME_NS: Readonly<Record<string, bigint>> = { ns: 1n, us: 1_000n, µs: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
/** Python's int() of a string (to_ns and to_bytes fall back on it): blanks, a sign, digits with single underscores. */
const PYTHON_INT = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/;
/** A plain scalar YAML 1.1 (POK reads with PyYAML) resolves as a whole number that YAML 1.2 leaves a string: 1_000. */
const YAML11_INT = /^([+-]?)(\d+(?:_\d+)+)$/;

/** The whole number a sign-and-digits match spells (underscores dropped), if `pattern` matches. */
function wholeNumber(pattern: RegExp, text: string): bigint | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const [, sign = '', digits = ''] = match;
  return BigInt(`${sign}${digits.replaceAll('_', '')}`);
}

function pythonInt(text: string): bigint | undefined {
  return wholeNumber(PYTHON_INT, text);
}

function pokNanoseconds(value: Json | undefined): Reading {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { error: `a bare number is a number of nanoseconds (POK's to_ns reads whole numbers), got ${value}: give it a unit, e.g. "${value}s"` };
    return { value: BigInt(value) };
  }
  if (typeof value !== 'string') return { error: `must be a duration (a number of nanoseconds or a string like "20ms"), got ${describeValue(value)}` };
  const match = POK_TIME.exec(value);
  if (!match) {
    const whole = pythonInt(value);
    if (whole !== undefined) return { value: whole };
    return { error: `cannot read duration ${quote(value)}: POK's to_ns reads a number of nanoseconds or a number with a unit ns, us, µs, ms, s, m (minutes) or h, e.g. "20ms"` };
  }
  const [read, number = '', unit = ''] = match;
  const [whole = '', fraction = ''] = number.split('.');
  const scaled = BigInt(`${whole}${fraction}`) * POK_TIME_NS[unit]!;
  const divisor = 10n ** BigInt(fraction.length);
  const ns = scaled / divisor;
  if (ns > BigInt(CONFIG_LIMITS.maxDuration)) return { value: ns };
  const rest = value.slice(read.length).trimEnd();
  const notes: string[] = [];
  if (rest !== '' && !(unit === 'm' && rest === 'in')) notes.push(`POK reads it as ${quote(read.trimEnd())} and ignores ${quote(rest)}`);
  const pok = Math.trunc(Number.parseFloat(number) * Number(POK_TIME_NS[unit]));
  if (scaled % divisor !== 0n) notes.push(`it is not a whole number of nanoseconds: read as ${ns} ns, truncated as POK's to_ns does`);
  else if (BigInt(pok) !== ns) notes.push(`POK's to_ns computes ${pok} ns (a floating-point product); read as exactly ${formatDuration(Number(ns))}`);
  return notes.length > 0 ? { value: ns, warning: `${quote(value)}: ${notes.join('; ')}` } : { value: ns };
}

/** As POK reads a size (misc/gen_deployment, BYTES_RE and to_bytes): k, M, G are powers of 1024, B is optional. */
const POK_BYTES = /^(\d+)\s*([GMk]?)B?/;
const POK_BYTES_SCALE: Readonly<Record<string, bigint>> = { '': 1n, k: 1024n, M: 1024n ** 2n, G: 1024n ** 3n };

function pokBytes(value: Json | undefined): Reading {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { error: `a bare number is a number of bytes, got ${value}` };
    return { value: BigInt(value) };
  }
  if (typeof value !== 'string') return { error: `must be a size (a number of bytes or a string like "130kB"), got ${describeValue(value)}` };
  const yaml11 = wholeNumber(YAML11_INT, value);
  if (yaml11 !== undefined) return { value: yaml11 };
  const match = POK_BYTES.exec(value);
  if (!match) {
    const whole = pythonInt(value);
    if (whole !== undefined) return { value: whole };
    return { error: `cannot read size ${quote(value)}: POK's to_bytes reads a number of bytes or a number with k, M or G (powers of 1024) and an optional B, e.g. "130kB"` };
  }
  const [read, digits = '', unit = ''] = match;
  const bytes = BigInt(digits) * POK_BYTES_SCALE[unit]!;
  const rest = value.slice(read.length).trimEnd();
  // "1MiB": POK reads 1M and ignores "iB", which is what the text means.
  if (rest === '' || (rest === 'iB' && unit !== '' && !read.endsWith('B'))) return { value: bytes };
  return { error: `POK's to_bytes reads ${quote(value)} as ${bytes} byte${bytes === 1n ? '' : 's'} and ignores ${quote(rest)}: write k, M or G (powers of 1024) with an optional B, e.g. "64kB"` };
}

function splitRef(text: string): { partition: string; port: string } | undefined {
  const dot = text.indexOf('.');
  return dot > 0 && dot < text.length - 1 ? { partition: text.slice(0, dot), port: text.slice(dot + 1) } : undefined;
}

/** POK's get_option: a key given as null is a key not given. */
function given(value: Json | undefined): value is Exclude<Json, null> {
  return value !== undefined && value !== null;
}

/** Reads a POK config.yaml from its text. */
export function readPokYaml(text: string): PokYamlResult {
  const data = parseYamlData(text);
  if (data.errors.length > 0) return { errors: data.errors, warnings: [] };
  return readPokData(data.value ?? null);
}

/** At most this many warnings are kept (a file of 100,000 unknown keys is one more line, not 100,000). */
const MAX_WARNINGS = 50;

class PokReader extends Reader {
  private readonly kept: ConfigError[] = [];
  private dropped = 0;

  warn(path: string, message: string): void {
    if (this.kept.length < MAX_WARNINGS) this.kept.push({ path: path === '' ? '(top level)' : path, message });
    else this.dropped++;
  }

  get warnings(): readonly ConfigError[] {
    return this.dropped === 0 ? this.kept : [...this.kept, { path: '(file)', message: `${this.dropped} more warning${this.dropped === 1 ? '' : 's'} like these` }];
  }

  /** Keys gen_deployment does not read: it ignores them, so do we, saying so. */
  ignoredKeys(object: ConfigObject, known: ReadonlySet<string>, path: string): void {
    for (const key of Object.keys(object)) if (!known.has(key)) this.warn(joinPath(path, key), "unknown key, ignored (POK's misc/gen_deployment does not read it)");
  }

  /** A duration as POK reads it, at most CONFIG_LIMITS.maxDuration; 0 allowed. */
  pokDuration(value: Json | undefined, path: string): number | undefined {
    const reading = pokNanoseconds(value);
    if ('error' in reading) return this.fail(path, reading.error);
    if (reading.value < 0n) return this.fail(path, `must not be negative, got ${describeValue(value)}`);
    if (reading.value > BigInt(CONFIG_LIMITS.maxDuration)) return this.fail(path, `must be at most 240h (10 days), got ${describeValue(value)}`);
    if (reading.warning) this.warn(path, reading.warning);
    return Number(reading.value);
  }

  /** A duration as POK reads it, longer than 0 (a frame, a slot). */
  pokPositiveDuration(value: Json | undefined, path: string): number | undefined {
    const ns = this.pokDuration(value, path);
    return ns === undefined ? undefined : this.positiveDuration(ns, path);
  }

  /** A size as POK reads it: more than 0 bytes, exact. */
  pokSize(value: Json | undefined, path: string): number | undefined {
    const reading = pokBytes(value);
    if ('error' in reading) return this.fail(path, reading.error);
    if (reading.value <= 0n) return this.fail(path, `size must be more than 0 bytes, got ${describeValue(value)}`);
    if (reading.value > BigInt(Number.MAX_SAFE_INTEGER)) return this.fail(path, `size ${describeValue(value)} is too large (at most ${Number.MAX_SAFE_INTEGER} bytes)`);
    return Number(reading.value);
  }
}

/** Reads a POK config.yaml already parsed by parseYamlData (the runner parses once to tell formats apart). */
export function readPokData(data: Json): PokYamlResult {
  const r = new PokReader();
  const root = r.object(data, '');
  if (!root) return { errors: r.errors, warnings: r.warnings };
  r.ignoredKeys(root, TOP_KEYS, '');

  const arch = readTarget(r, root['target']);

  const partitions: PokPartitionConfig[] = [];
  (r.boundedList(root['partitions'], 'partitions', CONFIG_LIMITS.partitions, 'partitions') ?? []).forEach((item, index) => {
    const partition = readPartition(r, item, `partitions[${index}]`, index);
    if (partition) partitions.push(partition);
  });

  const kernel = r.object(root['kernel'], 'kernel') ?? {};
  r.ignoredKeys(kernel, KERNEL_KEYS, 'kernel');
  let kernelTick = 1_000_000;
  if (given(kernel['tick'])) {
    const tick = r.pokDuration(kernel['tick'], 'kernel.tick');
    if (tick !== undefined) kernelTick = r.period(tick, 'kernel.tick', CONFIG_LIMITS.minKernelTick, 'kernel ticks per second') ?? kernelTick;
  }
  const flush = kernel['flush'] ?? 'major-frame';
  if (flush !== 'major-frame' && flush !== 'slot-end') r.fail('kernel.flush', 'must be major-frame or slot-end');
  const scheduler = r.object(kernel['scheduler'], 'kernel.scheduler') ?? {};
  r.ignoredKeys(scheduler, SCHEDULER_KEYS, 'kernel.scheduler');
  const slots = (r.boundedList(scheduler['slots'], 'kernel.scheduler.slots', CONFIG_LIMITS.windowsPerSchedule, 'slots') ?? []).flatMap((item, index) => {
    const path = `kernel.scheduler.slots[${index}]`;
    const slot = r.object(item, path);
    if (!slot) return [];
    r.ignoredKeys(slot, SLOT_KEYS, path);
    const partition = r.string(slot['partition'], `${path}.partition`);
    const duration = r.pokPositiveDuration(slot['duration'], `${path}.duration`);
    return partition !== undefined && duration !== undefined ? [{ partition, duration }] : [];
  });
  // As in POK (misc/gen_deployment, gen_kernel_deployment_h): no major_frame is the sum of the slots.
  let majorFrame = 0;
  if (given(scheduler['major_frame'])) majorFrame = r.pokPositiveDuration(scheduler['major_frame'], 'kernel.scheduler.major_frame') ?? 0;
  else {
    majorFrame = slots.reduce((sum, slot) => sum + slot.duration, 0);
    if (majorFrame > CONFIG_LIMITS.maxDuration) r.fail('kernel.scheduler.slots', `add up to ${formatDuration(majorFrame)}, the major frame when major_frame is absent: at most 240h (10 days)`);
  }

  const channels: PokChannel[] = [];
  (root['channels'] === undefined ? [] : (r.boundedList(root['channels'], 'channels', CONFIG_LIMITS.channels, 'channels') ?? [])).forEach((item, index) => {
    const path = `channels[${index}]`;
    const channel = r.object(item, path);
    if (!channel) return;
    r.unknownKeys(channel, CHANNEL_KEYS, path);
    const sourceText = r.string(channel['source'], `${path}.source`);
    const source = sourceText === undefined ? undefined : splitRef(sourceText);
    if (sourceText !== undefined && !source) r.fail(`${path}.source`, 'must be partition.port');
    const destinations = (r.boundedList(channel['destinations'], `${path}.destinations`, CONFIG_LIMITS.destinationsPerChannel, 'destinations') ?? []).flatMap((destination, i) => {
      const text = r.string(destination, `${path}.destinations[${i}]`);
      if (text === undefined) return [];
      const ref = splitRef(text);
      return ref ? [ref] : (r.fail(`${path}.destinations[${i}]`, 'must be partition.port'), []);
    });
    if (source) channels.push({ source, destinations });
  });

  const known = { warnings: r.warnings, ...(arch ? { arch } : {}) };
  if (r.errors.length > 0) return { errors: r.errors, ...known };
  const config: PokConfig = { kernelTick, majorFrame, slots, partitions, channels, routes: [], flush: flush as 'major-frame' | 'slot-end' };
  return { config, errors: [], ...known };
}

/** `target`: the architecture; the processor count matters (warned), the bsp does not. */
function readTarget(r: PokReader, value: Json | undefined): 'i386' | 'sparc' | undefined {
  if (value === undefined) return undefined;
  const target = r.object(value, 'target');
  if (!target) return undefined;
  r.ignoredKeys(target, TARGET_KEYS, 'target');
  let arch: 'i386' | 'sparc' | undefined;
  const name = target['arch'];
  if (typeof name === 'string' && Object.hasOwn(POK_ARCHES, name)) {
    arch = POK_ARCHES[name];
    if (!arch) r.warn('target.arch', `POK's ${quote(name)} target is not simulated (paravirt has i386 and sparc): the module runs on the default architecture, or the one --arch names`);
  } else if (given(name)) r.fail('target.arch', `unsupported architecture ${describeValue(name)} (POK's are x86, sparc, ppc and arm)`);
  // As in POK (misc/gen_deployment, gen_kernel_deployment_h): nb_processors_number, default 1.
  const processors = target['nb_processors_number'];
  if (given(processors)) {
    if (typeof processors !== 'number' || !Number.isSafeInteger(processors) || processors < 1) r.fail('target.nb_processors_number', `must be a whole number of processors, 1 or more, got ${describeValue(processors)}`);
    else if (processors > 1) r.warn('target.nb_processors_number', `POK runs this module on ${processors} processors; the simulated board has one, which every partition shares (processor_affinity is ignored)`);
  }
  return arch;
}

function readPartition(r: PokReader, item: Json, path: string, index: number): PokPartitionConfig | undefined {
  const entry = r.object(item, path);
  if (!entry) return undefined;
  r.ignoredKeys(entry, POK_PARTITION_KEYS, path);
  const name = r.string(entry['name'], `${path}.name`) ?? `partition${index}`;
  let memorySize = given(entry['size']) ? (r.pokSize(entry['size'], `${path}.size`) ?? 1 << 20) : 1 << 20;
  if (memorySize < MINIMUM_PARTITION_MEMORY) {
    r.warn(`${path}.size`, `${memorySize} bytes, read as 64KiB: POK sizes a partition for its own program, a paravirt partition runs an application and has at least 64KiB`);
    memorySize = MINIMUM_PARTITION_MEMORY;
  }
  // As in POK (misc/gen_deployment, gen_kernel_deployment_h): the thread scheduler is RR (default), RMS or STATIC.
  const scheduler = entry['scheduler'];
  if (given(scheduler) && (typeof scheduler !== 'string' || !POK_THREAD_SCHEDULERS.has(scheduler.toUpperCase()))) {
    r.fail(`${path}.scheduler`, `POK's thread schedulers are RR, RMS and STATIC, got ${describeValue(scheduler)}`);
  }
  const affinity = entry['processor_affinity'];
  if (given(affinity) && !(Array.isArray(affinity) && affinity.length > 0 && affinity.every((processor) => processor === 0))) {
    r.warn(`${path}.processor_affinity`, 'ignored: the simulated board has one processor, which every partition shares');
  }
  const ports: PokPortConfig[] = [];
  (entry['ports'] === undefined ? [] : (r.boundedList(entry['ports'], `${path}.ports`, CONFIG_LIMITS.portsPerPartition, 'ports in one partition') ?? [])).forEach((portItem, portIndex) => {
    const port = readPort(r, portItem, `${path}.ports[${portIndex}]`);
    if (port) ports.push(port);
  });
  const errorActions: Partial<Record<PokErrorKind, PokAction>> = {};
  if (entry['errors'] !== undefined) {
    const errors = r.object(entry['errors'], `${path}.errors`) ?? {};
    for (const [kind, action] of Object.entries(errors)) {
      const kindPath = joinPath(`${path}.errors`, kind);
      if (!isPokErrorKind(kind)) r.fail(kindPath, 'unknown POK error kind');
      else if (typeof action !== 'string' || !isPokAction(action)) r.fail(kindPath, 'action must be IGNORE, HANDLER, IDLE, COLD_START or WARM_START');
      else errorActions[kind] = action;
    }
  }
  const ipiTargets = entry['ipi'] === undefined ? [] : (r.boundedList(entry['ipi'], `${path}.ipi`, CONFIG_LIMITS.partitions, 'ipi targets') ?? []).map((target, i) => r.string(target, `${path}.ipi[${i}]`) ?? '');
  if (entry['system'] !== undefined && typeof entry['system'] !== 'boolean') r.fail(`${path}.system`, 'must be true or false');
  return { name, memorySize, system: entry['system'] === true, ports, errorActions, ipiTargets };
}

function readPort(r: PokReader, item: Json, path: string): PokPortConfig | undefined {
  const port = r.object(item, path);
  if (!port) return undefined;
  r.unknownKeys(port, PORT_KEYS, path);
  const name = r.string(port['name'], `${path}.name`);
  const kind = port['kind'];
  const direction = port['direction'];
  if (kind !== 'sampling' && kind !== 'queuing') return r.fail(`${path}.kind`, 'must be sampling or queuing');
  if (direction !== 'source' && direction !== 'destination') return r.fail(`${path}.direction`, 'must be source or destination');
  const maxMessageSize = r.integer(port['maxMessageSize'], `${path}.maxMessageSize`, 1, 65536);
  const maxMessages = port['maxMessages'] === undefined ? 1 : r.integer(port['maxMessages'], `${path}.maxMessages`, 1, 65536);
  const refreshPeriod = port['refreshPeriod'] === undefined ? (kind === 'sampling' ? r.fail(`${path}.refreshPeriod`, 'a sampling port needs a refresh period') : 0) : r.pokDuration(port['refreshPeriod'], `${path}.refreshPeriod`);
  const discipline = port['discipline'] ?? 'fifo';
  if (discipline !== 'fifo' && discipline !== 'priority') return r.fail(`${path}.discipline`, 'must be fifo or priority');
  if (name === undefined || maxMessageSize === undefined || maxMessages === undefined || refreshPeriod === undefined) return undefined;
  return { name, kind, direction, maxMessageSize, maxMessages, refreshPeriod, discipline };
}
