/**
 * Reads POK's `config.yaml` (the file POK's build turns into deployment.h):
 *
 *   target:     { arch: x86 | sparc, bsp: ... }
 *   partitions: [ { name, size: 130kB, features, threads, objects, scheduler, ... } ]
 *   kernel:     { features, scheduler: { major_frame: 53s, slots: [ { partition, duration } ] } }
 *
 * POK keys that only matter to POK's own build (features, threads, objects, thread
 * scheduler, lock objects) are accepted and ignored. This kernel's extensions, in the same
 * spirit: `kernel.tick` (POK's tick is a build constant, 1 ms by default), `kernel.flush`
 * (major-frame | slot-end, POK's POK_NEEDS_FLUSH_ON_WINDOWS), per partition `ports`,
 * `errors` (error kind -> action), `system`, `ipi`, and top-level `channels`. Anything else
 * is an error naming its path. The text goes through parseYamlData (yamlData.ts), so the
 * limits of docs/config.md apply (file size, nesting, aliases, numbers) as they do to our
 * own config; lists are bounded by CONFIG_LIMITS.
 */
import { CONFIG_LIMITS, ConfigReader as Reader, type ConfigValue, describeValue, joinPath, parseSize } from '@paravirt/machine';
import type { ConfigError, PokChannel, PokConfig, PokPartitionConfig, PokPortConfig } from './config.js';
import { isPokAction, isPokErrorKind, type PokAction, type PokErrorKind } from './errors.js';
import { parseYamlData } from './yamlData.js';

export { parseSize };

export interface PokYamlResult {
  readonly config?: PokConfig;
  /** The architecture from `target.arch` (x86 -> i386), if given. */
  readonly arch?: 'i386' | 'sparc';
  readonly errors: readonly ConfigError[];
}

const POK_PARTITION_KEYS = new Set([
  'name', 'size', 'features', 'threads', 'objects', 'scheduler', 'semaphores', 'events', 'buffers', 'blackboards', 'mutexes', 'lockobjects', 'nodes', 'slots',
  // ours
  'ports', 'errors', 'system', 'ipi',
]);
const TOP_KEYS = new Set(['target', 'partitions', 'kernel', 'channels']);
const KERNEL_KEYS = new Set(['features', 'scheduler', 'tick', 'flush', 'partition_sched']);
const SCHEDULER_KEYS = new Set(['major_frame', 'slots']);
const SLOT_KEYS = new Set(['partition', 'duration']);
const CHANNEL_KEYS = new Set(['source', 'destinations']);
const PORT_KEYS = new Set(['name', 'kind', 'direction', 'maxMessageSize', 'maxMessages', 'refreshPeriod', 'discipline']);

type Json = ConfigValue;

function splitRef(text: string): { partition: string; port: string } | undefined {
  const dot = text.indexOf('.');
  return dot > 0 && dot < text.length - 1 ? { partition: text.slice(0, dot), port: text.slice(dot + 1) } : undefined;
}

/** Reads a POK config.yaml from its text. */
export function readPokYaml(text: string): PokYamlResult {
  const data = parseYamlData(text);
  if (data.errors.length > 0) return { errors: data.errors };
  return readPokData(data.value ?? null);
}

/** Reads a POK config.yaml already parsed by parseYamlData (the runner parses once to tell formats apart). */
export function readPokData(data: Json): PokYamlResult {
  const r = new Reader();
  const root = r.object(data, '');
  if (!root) return { errors: r.errors };
  r.unknownKeys(root, TOP_KEYS, '');

  let arch: 'i386' | 'sparc' | undefined;
  if (root['target'] !== undefined) {
    const target = r.object(root['target'], 'target');
    const name = target?.['arch'];
    if (name === 'x86' || name === 'i386') arch = 'i386';
    else if (name === 'sparc' || name === 'leon3') arch = 'sparc';
    else if (name !== undefined) r.fail('target.arch', `unsupported architecture ${describeValue(name)} (x86 or sparc)`);
  }

  const partitions: PokPartitionConfig[] = [];
  (r.boundedList(root['partitions'], 'partitions', CONFIG_LIMITS.partitions, 'partitions') ?? []).forEach((item, index) => {
    const path = `partitions[${index}]`;
    const entry = r.object(item, path);
    if (!entry) return;
    r.unknownKeys(entry, POK_PARTITION_KEYS, path);
    const name = r.string(entry['name'], `${path}.name`) ?? `partition${index}`;
    const memorySize = entry['size'] === undefined ? 1 << 20 : (r.size(entry['size'], `${path}.size`) ?? 1 << 20);
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
    partitions.push({ name, memorySize, system: entry['system'] === true, ports, errorActions, ipiTargets });
  });

  const kernel = r.object(root['kernel'], 'kernel') ?? {};
  r.unknownKeys(kernel, KERNEL_KEYS, 'kernel');
  const kernelTick = kernel['tick'] === undefined ? 1_000_000 : (r.period(kernel['tick'], 'kernel.tick', CONFIG_LIMITS.minKernelTick, 'kernel ticks per second') ?? 1_000_000);
  const flush = kernel['flush'] ?? 'major-frame';
  if (flush !== 'major-frame' && flush !== 'slot-end') r.fail('kernel.flush', 'must be major-frame or slot-end');
  const scheduler = r.object(kernel['scheduler'], 'kernel.scheduler') ?? {};
  r.unknownKeys(scheduler, SCHEDULER_KEYS, 'kernel.scheduler');
  const majorFrame = r.positiveDuration(scheduler['major_frame'], 'kernel.scheduler.major_frame') ?? 0;
  const slots = (r.boundedList(scheduler['slots'], 'kernel.scheduler.slots', CONFIG_LIMITS.windowsPerSchedule, 'slots') ?? []).flatMap((item, index) => {
    const path = `kernel.scheduler.slots[${index}]`;
    const slot = r.object(item, path);
    if (!slot) return [];
    r.unknownKeys(slot, SLOT_KEYS, path);
    const partition = r.string(slot['partition'], `${path}.partition`);
    const duration = r.positiveDuration(slot['duration'], `${path}.duration`);
    return partition !== undefined && duration !== undefined ? [{ partition, duration }] : [];
  });

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

  if (r.errors.length > 0) return { errors: r.errors, ...(arch ? { arch } : {}) };
  const config: PokConfig = { kernelTick, majorFrame, slots, partitions, channels, routes: [], flush: flush as 'major-frame' | 'slot-end' };
  return { config, errors: [], ...(arch ? { arch } : {}) };
}

function readPort(r: Reader, item: Json, path: string): PokPortConfig | undefined {
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
  const refreshPeriod = port['refreshPeriod'] === undefined ? (kind === 'sampling' ? r.fail(`${path}.refreshPeriod`, 'a sampling port needs a refresh period') : 0) : r.duration(port['refreshPeriod'], `${path}.refreshPeriod`);
  const discipline = port['discipline'] ?? 'fifo';
  if (discipline !== 'fifo' && discipline !== 'priority') return r.fail(`${path}.discipline`, 'must be fifo or priority');
  if (name === undefined || maxMessageSize === undefined || maxMessages === undefined || refreshPeriod === undefined) return undefined;
  return { name, kind, direction, maxMessageSize, maxMessages, refreshPeriod, discipline };
}
