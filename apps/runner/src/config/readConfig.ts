/**
 * Reads our module configuration (YAML or JSON; docs/architecture.md section 6, docs/config.md)
 * into a ModuleSpec, reporting every problem with the path of the offending element:
 * unknown keys, bad values, duplicate names, unknown partitions, windows that overlap or run
 * past the major frame, memory that overlaps, channel endpoints that do not exist or do not
 * fit. Durations are numbers of ns or strings like 500us, 20ms, 1.5s.
 */
import { type ConfigError, type ConfigObject, ConfigReader, type ConfigValue, joinPath, type Nanoseconds } from '@paravirt/machine';
import { LineCounter, parseDocument } from 'yaml';
import {
  ARCHES,
  type ChannelSpec,
  type DeviceSpec,
  type HealthMonitorSpec,
  KERNELS,
  LIBCPU_VARIANTS,
  type ModuleSpec,
  type PartitionSpec,
  PERMISSIONS,
  type PortRef,
  type PortSpec,
  SCHEDULE_CHANGE_ACTIONS,
  type ScheduleChangeAction,
  type ScheduleSpec,
  type WindowSpec,
} from './moduleSpec.js';

export interface ReadResult<T> {
  readonly value?: T;
  readonly errors: readonly ConfigError[];
}

const TOP = ['name', 'kernel', 'arch', 'duration', 'seed', 'kernelTick', 'frequency', 'costs', 'schedules', 'partitions', 'channels', 'devices', 'healthMonitor'];
const SCHEDULE = ['name', 'majorFrame', 'initial', 'windows', 'changeActions'];
const WINDOW = ['partition', 'start', 'duration'];
const PARTITION = ['name', 'app', 'memory', 'libcpu', 'clockTick', 'system', 'permissions', 'ports'];
const PORT = ['name', 'kind', 'direction', 'maxMessageSize', 'maxMessages', 'refreshPeriod', 'discipline'];
const DEVICE = ['kind', 'line', 'period', 'jitter', 'start', 'partition'];
const COST_KEYS = ['trapEntry', 'trapExit', 'privilegedInstruction', 'ioAccess', 'memoryAccess', 'threadContextSwitch', 'windowSpill', 'addressSpaceSwitch', 'hypercallDispatch', 'virqUpcall'];

/** Parses YAML or JSON text into plain data; syntax errors carry their line. */
export function parseData(text: string): ReadResult<ConfigValue> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return { errors: document.errors.map((error) => ({ path: `line ${lineCounter.linePos(error.pos[0]).line}`, message: error.message.split('\n')[0]! })) };
  }
  return { value: document.toJSON() as ConfigValue, errors: [] };
}

export function readModuleConfig(text: string): ReadResult<ModuleSpec> {
  const data = parseData(text);
  if (data.errors.length > 0) return { errors: data.errors };
  return readModuleData(data.value!);
}

export function readModuleData(data: ConfigValue): ReadResult<ModuleSpec> {
  const r = new ConfigReader();
  const root = r.object(data, '');
  if (!root) return { errors: r.errors };
  r.unknownKeys(root, TOP, '');
  const name = root['name'] === undefined ? 'module' : (r.string(root['name'], 'name') ?? 'module');
  const kernel = root['kernel'] === undefined ? 'pok' : (r.oneOf(root['kernel'], KERNELS, 'kernel') ?? 'pok');
  const arch = root['arch'] === undefined ? 'i386' : (r.oneOf(root['arch'], ARCHES, 'arch') ?? 'i386');
  const duration = root['duration'] === undefined ? 40_000_000_000 : (r.duration(root['duration'], 'duration') ?? 0);
  const seed = root['seed'] === undefined ? 1 : (r.integer(root['seed'], 'seed', 0) ?? 1);
  const kernelTick = root['kernelTick'] === undefined ? 1_000_000 : (r.duration(root['kernelTick'], 'kernelTick') ?? 1_000_000);
  if (kernelTick === 0) r.fail('kernelTick', 'must be longer than 0');
  const frequencyHz = root['frequency'] === undefined ? undefined : r.integer(root['frequency'], 'frequency', 1_000_000, 10_000_000_000);
  const costs: Record<string, number> = {};
  if (root['costs'] !== undefined) {
    const table = r.object(root['costs'], 'costs') ?? {};
    r.unknownKeys(table, COST_KEYS, 'costs');
    for (const [key, value] of Object.entries(table)) {
      const cycles = r.integer(value, joinPath('costs', key), 0, 1_000_000);
      if (cycles !== undefined) costs[key] = cycles;
    }
  }

  const partitions = readPartitions(r, root['partitions']);
  const names = new Set(partitions.map((partition) => partition.name));
  const schedules = readSchedules(r, root['schedules'], names, kernel);
  const channels = readChannels(r, root['channels'], partitions);
  const devices = readDevices(r, root['devices'], names, kernel);
  const healthMonitor = readHealthMonitor(r, root['healthMonitor'], names);

  if (kernel !== 'none' && partitions.length === 0) r.fail('partitions', 'a partitioned module needs at least one partition');
  if (kernel === 'none' && partitions.length > 1) r.fail('partitions', 'bare metal (kernel: none) runs exactly one application');
  if (r.errors.length > 0) return { errors: r.errors };
  return {
    value: { name, kernel, arch, duration, seed, kernelTick, ...(frequencyHz ? { frequencyHz } : {}), costs, schedules, partitions, channels, devices, healthMonitor },
    errors: [],
  };
}

function readPartitions(r: ConfigReader, value: ConfigValue | undefined): PartitionSpec[] {
  if (value === undefined) return [];
  const seen = new Set<string>();
  const out: PartitionSpec[] = [];
  (r.list(value, 'partitions') ?? []).forEach((item, index) => {
    const path = joinPath('partitions', index);
    const entry = r.object(item, path);
    if (!entry) return;
    r.unknownKeys(entry, PARTITION, path);
    const name = r.string(entry['name'], joinPath(path, 'name'));
    if (name === undefined) return;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(name)) r.fail(joinPath(path, 'name'), `"${name}" is not a valid partition name (letters, digits, _ . -, at most 32)`);
    if (seen.has(name)) r.fail(joinPath(path, 'name'), `duplicate partition name "${name}"`);
    seen.add(name);
    const app = entry['app'] === undefined ? 'idle' : (r.string(entry['app'], joinPath(path, 'app')) ?? 'idle');
    const memory = readMemory(r, entry['memory'], joinPath(path, 'memory'));
    const libcpu = entry['libcpu'] === undefined ? 'virtual' : (r.oneOf(entry['libcpu'], LIBCPU_VARIANTS, joinPath(path, 'libcpu')) ?? 'virtual');
    const clockTick = entry['clockTick'] === undefined ? undefined : r.duration(entry['clockTick'], joinPath(path, 'clockTick'));
    if (clockTick !== undefined && (clockTick < 1000 || clockTick % 1000 !== 0)) r.fail(joinPath(path, 'clockTick'), 'must be a whole number of microseconds (RTEMS microseconds per tick)');
    const system = entry['system'] === undefined ? false : (r.boolean(entry['system'], joinPath(path, 'system')) ?? false);
    const permissions = (entry['permissions'] === undefined ? [] : (r.list(entry['permissions'], joinPath(path, 'permissions')) ?? [])).flatMap((permission, i) => {
      const checked = r.oneOf(permission, PERMISSIONS, joinPath(joinPath(path, 'permissions'), i));
      return checked ? [checked] : [];
    });
    const ports = readPorts(r, entry['ports'], joinPath(path, 'ports'));
    out.push({ name, app, memory, libcpu, ...(clockTick !== undefined ? { clockTick } : {}), system, permissions, ports });
  });
  // Explicit placements must not overlap.
  const placed = out.filter((partition) => partition.memory.base !== undefined).sort((a, b) => a.memory.base! - b.memory.base!);
  for (let i = 1; i < placed.length; i++) {
    const previous = placed[i - 1]!;
    const current = placed[i]!;
    if (previous.memory.base! + previous.memory.size > current.memory.base!) {
      r.fail(joinPath(joinPath('partitions', out.indexOf(current)), 'memory'), `overlaps the memory of partition ${previous.name}`);
    }
  }
  return out;
}

function readMemory(r: ConfigReader, value: ConfigValue | undefined, path: string): { size: number; base?: number } {
  if (value === undefined) return { size: 1 << 20 };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    r.unknownKeys(value, ['size', 'base'], path);
    const size = r.size(value['size'], joinPath(path, 'size')) ?? 1 << 20;
    const base = value['base'] === undefined ? undefined : r.integer(value['base'], joinPath(path, 'base'), 0, 2 ** 32 - 1);
    if (size < 64 * 1024) r.fail(joinPath(path, 'size'), 'must be at least 64KiB');
    return base === undefined ? { size } : { size, base };
  }
  const size = r.size(value, path) ?? 1 << 20;
  if (size < 64 * 1024) r.fail(path, 'must be at least 64KiB');
  return { size };
}

function readPorts(r: ConfigReader, value: ConfigValue | undefined, base: string): PortSpec[] {
  if (value === undefined) return [];
  const seen = new Set<string>();
  return (r.list(value, base) ?? []).flatMap((item, index) => {
    const path = joinPath(base, index);
    const port = r.object(item, path);
    if (!port) return [];
    r.unknownKeys(port, PORT, path);
    const name = r.string(port['name'], joinPath(path, 'name'));
    const kind = r.oneOf(port['kind'], ['sampling', 'queuing'] as const, joinPath(path, 'kind'));
    const direction = r.oneOf(port['direction'], ['source', 'destination'] as const, joinPath(path, 'direction'));
    const maxMessageSize = r.integer(port['maxMessageSize'], joinPath(path, 'maxMessageSize'), 1, 65536);
    const maxMessages = port['maxMessages'] === undefined ? (kind === 'queuing' ? r.fail(joinPath(path, 'maxMessages'), 'a queuing port needs a capacity in messages') : 1) : r.integer(port['maxMessages'], joinPath(path, 'maxMessages'), 1, 65536);
    const refreshPeriod = port['refreshPeriod'] === undefined ? (kind === 'sampling' ? r.fail(joinPath(path, 'refreshPeriod'), 'a sampling port needs a refresh period') : 0) : r.duration(port['refreshPeriod'], joinPath(path, 'refreshPeriod'));
    const discipline = port['discipline'] === undefined ? undefined : r.oneOf(port['discipline'], ['fifo', 'priority'] as const, joinPath(path, 'discipline'));
    if (name !== undefined && seen.has(name)) r.fail(joinPath(path, 'name'), `duplicate port name "${name}"`);
    if (name !== undefined) seen.add(name);
    if (name === undefined || !kind || !direction || maxMessageSize === undefined || maxMessages === undefined || refreshPeriod === undefined) return [];
    if (port['discipline'] !== undefined && !discipline) return [];
    return [{ name, kind, direction, maxMessageSize, maxMessages, refreshPeriod, ...(discipline ? { discipline } : {}) }];
  });
}

function readSchedules(r: ConfigReader, value: ConfigValue | undefined, partitions: Set<string>, kernel: string): ScheduleSpec[] {
  if (value === undefined) {
    if (kernel !== 'none') r.fail('schedules', 'a partitioned module needs at least one schedule');
    return [];
  }
  const seen = new Set<string>();
  const schedules = (r.list(value, 'schedules') ?? []).flatMap((item, index): ScheduleSpec[] => {
    const path = joinPath('schedules', index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, SCHEDULE, path);
    const name = r.string(entry['name'], joinPath(path, 'name')) ?? `schedule${index}`;
    if (seen.has(name)) r.fail(joinPath(path, 'name'), `duplicate schedule name "${name}"`);
    seen.add(name);
    const parsedFrame = r.duration(entry['majorFrame'], joinPath(path, 'majorFrame'));
    if (parsedFrame === 0) r.fail(joinPath(path, 'majorFrame'), 'must be longer than 0');
    const majorFrame = parsedFrame ?? 0;
    const initial = entry['initial'] === undefined ? false : (r.boolean(entry['initial'], joinPath(path, 'initial')) ?? false);
    const windows = readWindows(r, entry['windows'], joinPath(path, 'windows'), partitions, majorFrame);
    const changeActions: Record<string, ScheduleChangeAction> = {};
    if (entry['changeActions'] !== undefined) {
      const actions = r.object(entry['changeActions'], joinPath(path, 'changeActions')) ?? {};
      for (const [partition, action] of Object.entries(actions)) {
        const actionPath = joinPath(joinPath(path, 'changeActions'), partition);
        if (!partitions.has(partition)) r.fail(actionPath, `unknown partition "${partition}"`);
        const checked = r.oneOf(action, SCHEDULE_CHANGE_ACTIONS, actionPath);
        if (checked) changeActions[partition] = checked;
      }
    }
    return [{ name, majorFrame, initial, windows, changeActions }];
  });
  if (schedules.filter((schedule) => schedule.initial).length > 1) r.fail('schedules', 'only one schedule may be initial');
  if (kernel !== 'none' && schedules.length === 0) r.fail('schedules', 'a partitioned module needs at least one schedule');
  return schedules;
}

function readWindows(r: ConfigReader, value: ConfigValue | undefined, base: string, partitions: Set<string>, majorFrame: Nanoseconds): WindowSpec[] {
  const windows = (r.list(value, base) ?? []).flatMap((item, index): Array<WindowSpec & { index: number }> => {
    const path = joinPath(base, index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, WINDOW, path);
    const partition = r.string(entry['partition'], joinPath(path, 'partition'));
    if (partition !== undefined && !partitions.has(partition)) r.fail(joinPath(path, 'partition'), `unknown partition "${partition}"`);
    const start = r.duration(entry['start'], joinPath(path, 'start'));
    const duration = r.duration(entry['duration'], joinPath(path, 'duration'));
    if (duration === 0) r.fail(joinPath(path, 'duration'), 'must be longer than 0');
    if (partition === undefined || start === undefined || duration === undefined) return [];
    if (majorFrame > 0 && start + duration > majorFrame) r.fail(path, `window ${start}..${start + duration} ns runs past the major frame (${majorFrame} ns)`);
    return [{ partition, start, duration, index }];
  });
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (previous.start + previous.duration > current.start) r.fail(joinPath(base, current.index), `overlaps window ${previous.index} (${previous.partition})`);
  }
  if (windows.length === 0 && value !== undefined) r.fail(base, 'a schedule needs at least one window');
  return windows.map(({ partition, start, duration }) => ({ partition, start, duration }));
}

function readRef(r: ConfigReader, value: ConfigValue | undefined, path: string, partitions: readonly PartitionSpec[], direction: 'source' | 'destination'): { ref: PortRef; port: PortSpec } | undefined {
  const text = r.string(value, path);
  if (text === undefined) return undefined;
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return r.fail(path, `"${text}" must be partition.port`);
  const ref = { partition: text.slice(0, dot), port: text.slice(dot + 1) };
  const partition = partitions.find((candidate) => candidate.name === ref.partition);
  if (!partition) return r.fail(path, `unknown partition "${ref.partition}"`);
  const port = partition.ports.find((candidate) => candidate.name === ref.port);
  if (!port) return r.fail(path, `partition ${ref.partition} has no port "${ref.port}"`);
  if (port.direction !== direction) return r.fail(path, `${text} is a ${port.direction} port`);
  return { ref, port };
}

function readChannels(r: ConfigReader, value: ConfigValue | undefined, partitions: readonly PartitionSpec[]): ChannelSpec[] {
  if (value === undefined) return [];
  const connected = new Set<string>();
  return (r.list(value, 'channels') ?? []).flatMap((item, index): ChannelSpec[] => {
    const path = joinPath('channels', index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, ['source', 'destinations'], path);
    const source = readRef(r, entry['source'], joinPath(path, 'source'), partitions, 'source');
    const list = r.list(entry['destinations'], joinPath(path, 'destinations')) ?? [];
    if (list.length === 0 && entry['destinations'] !== undefined) r.fail(joinPath(path, 'destinations'), 'a channel needs at least one destination');
    const destinations = list.flatMap((destination, i) => {
      const destinationPath = joinPath(joinPath(path, 'destinations'), i);
      const found = readRef(r, destination, destinationPath, partitions, 'destination');
      if (!found) return [];
      const key = `${found.ref.partition}.${found.ref.port}`;
      if (connected.has(key)) r.fail(destinationPath, `${key} is already the destination of a channel`);
      connected.add(key);
      if (source && found.port.kind !== source.port.kind) r.fail(destinationPath, `${key} is a ${found.port.kind} port, the source is ${source.port.kind}`);
      if (source && found.port.maxMessageSize < source.port.maxMessageSize) r.fail(destinationPath, `${key} holds ${found.port.maxMessageSize}-byte messages, the source sends up to ${source.port.maxMessageSize}`);
      return [found.ref];
    });
    return source ? [{ source: source.ref, destinations }] : [];
  });
}

function readDevices(r: ConfigReader, value: ConfigValue | undefined, partitions: Set<string>, kernel: string): DeviceSpec[] {
  if (value === undefined) return [];
  const lines = new Set<number>();
  return (r.list(value, 'devices') ?? []).flatMap((item, index): DeviceSpec[] => {
    const path = joinPath('devices', index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, DEVICE, path);
    const kind = r.oneOf(entry['kind'], ['periodic-irq'] as const, joinPath(path, 'kind'));
    const line = r.integer(entry['line'], joinPath(path, 'line'), 1, 15);
    const period = r.duration(entry['period'], joinPath(path, 'period'));
    if (period === 0) r.fail(joinPath(path, 'period'), 'must be longer than 0');
    const jitter = entry['jitter'] === undefined ? 0 : r.duration(entry['jitter'], joinPath(path, 'jitter'));
    const start = entry['start'] === undefined ? undefined : r.duration(entry['start'], joinPath(path, 'start'));
    const partition = entry['partition'] === undefined ? undefined : r.string(entry['partition'], joinPath(path, 'partition'));
    if (partition !== undefined && !partitions.has(partition)) r.fail(joinPath(path, 'partition'), `unknown partition "${partition}"`);
    if (kernel !== 'none' && entry['partition'] === undefined) r.fail(joinPath(path, 'partition'), 'a device in a partitioned module must be routed to a partition');
    if (line !== undefined && lines.has(line)) r.fail(joinPath(path, 'line'), `line ${line} is already used by another device`);
    if (line !== undefined) lines.add(line);
    if (!kind || line === undefined || period === undefined || jitter === undefined) return [];
    return [{ kind, line, period, jitter, ...(start !== undefined ? { start } : {}), ...(partition !== undefined ? { partition } : {}) }];
  });
}

function readHealthMonitor(r: ConfigReader, value: ConfigValue | undefined, partitions: Set<string>): HealthMonitorSpec {
  if (value === undefined) return { partitions: {}, module: {} };
  const root = r.object(value, 'healthMonitor') ?? {};
  r.unknownKeys(root, ['partitions', 'module'], 'healthMonitor');
  const table = (data: ConfigValue | undefined, path: string): Record<string, string> => {
    const object: ConfigObject = r.object(data, path) ?? {};
    const out: Record<string, string> = {};
    for (const [error, action] of Object.entries(object)) {
      const checked = r.string(action, joinPath(path, error));
      if (checked) out[error] = checked;
    }
    return out;
  };
  const partitionTables: Record<string, Record<string, string>> = {};
  if (root['partitions'] !== undefined) {
    const entries = r.object(root['partitions'], 'healthMonitor.partitions') ?? {};
    for (const [partition, actions] of Object.entries(entries)) {
      const path = joinPath('healthMonitor.partitions', partition);
      if (!partitions.has(partition)) r.fail(path, `unknown partition "${partition}"`);
      partitionTables[partition] = table(actions, path);
    }
  }
  return { partitions: partitionTables, module: root['module'] === undefined ? {} : table(root['module'], 'healthMonitor.module') };
}
