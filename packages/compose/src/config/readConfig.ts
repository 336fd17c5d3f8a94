/**
 * Reads our module configuration (YAML or JSON; docs/architecture.md section 6, docs/config.md)
 * into a ModuleSpec, reporting every problem with the path of the offending element:
 * unknown keys, bad values, duplicate names, unknown partitions, windows that overlap or run
 * past the major frame, memory that overlaps, channel endpoints that do not exist or do not
 * fit, and the limits of CONFIG_LIMITS (docs/config.md, "Limits"). Durations are numbers of
 * ns or strings like 500us, 20ms, 1.5s.
 */
import { CONFIG_LIMITS, type ConfigError, type ConfigObject, ConfigReader, configRecord, type ConfigValue, joinPath, type Nanoseconds, NS_PER_S, quote } from '@paravirt/machine';
import { parseYamlData } from '@paravirt/pok-kernel';
import { architectures, DEFAULT_ARCH } from '../run/architectures.js';
import { kernelNames } from '../run/kernels.js';
import {
  type ChannelSpec,
  type DeviceSpec,
  type HealthMonitorSpec,
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
const COST_KEYS = ['trapEntry', 'trapExit', 'privilegedInstruction', 'ioAccess', 'memoryAccess', 'threadContextSwitch', 'windowSpill', 'addressSpaceSwitch', 'hypercallDispatch', 'virqUpcall', 'fpContextSave', 'fpContextRestore'];

/** The smallest partition memory (the kernels place partitions on 64 KiB boundaries). */
const MINIMUM_MEMORY = 64 * 1024;

/**
 * Parses YAML or JSON text into plain data; syntax errors carry their line. One document,
 * bounded nesting, aliases expanded within a budget, keys kept whatever they are called
 * (`__proto__` included), numbers finite and exact (see @paravirt/pok-kernel yamlData.ts).
 */
export function parseData(text: string): ReadResult<ConfigValue> {
  const parsed = parseYamlData(text);
  return parsed.errors.length > 0 ? { errors: parsed.errors } : { value: parsed.value ?? null, errors: [] };
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
  const kernel = root['kernel'] === undefined ? 'pok' : (r.oneOf(root['kernel'], kernelNames(), 'kernel') ?? 'pok');
  const arch = root['arch'] === undefined ? DEFAULT_ARCH : (r.oneOf(root['arch'], architectures.names, 'arch') ?? DEFAULT_ARCH);
  const duration = root['duration'] === undefined ? 40_000_000_000 : (r.positiveDuration(root['duration'], 'duration') ?? 0);
  const seed = root['seed'] === undefined ? 1 : (r.integer(root['seed'], 'seed', 0) ?? 1);
  const kernelTick = root['kernelTick'] === undefined ? 1_000_000 : (r.period(root['kernelTick'], 'kernelTick', CONFIG_LIMITS.minKernelTick, 'kernel ticks per second') ?? 1_000_000);
  const frequencyHz = root['frequency'] === undefined ? undefined : r.integer(root['frequency'], 'frequency', 1_000_000, 10_000_000_000);
  const costs = configRecord<number>();
  if (root['costs'] !== undefined) {
    const table = r.object(root['costs'], 'costs') ?? {};
    r.unknownKeys(table, COST_KEYS, 'costs');
    for (const [key, value] of Object.entries(table)) {
      const cycles = r.integer(value, joinPath('costs', key), 0, 1_000_000);
      if (cycles !== undefined && COST_KEYS.includes(key)) costs[key] = cycles;
    }
  }

  const partitions = readPartitions(r, root['partitions']);
  // Everything else names partitions: one error, not one per reference to a partition not read.
  if (Array.isArray(root['partitions']) && root['partitions'].length > CONFIG_LIMITS.partitions) return { errors: r.errors };
  const names = new Set(partitions.map((partition) => partition.name));
  const schedules = readSchedules(r, root['schedules'], names, kernel);
  const channels = readChannels(r, root['channels'], partitions);
  const devices = readDevices(r, root['devices'], names, kernel);
  const healthMonitor = readHealthMonitor(r, root['healthMonitor'], names);

  const partitionList = root['partitions'];
  if (kernel !== 'none' && (partitionList === undefined || (Array.isArray(partitionList) && partitionList.length === 0))) r.fail('partitions', 'a partitioned module needs at least one partition');
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
  (r.boundedList(value, 'partitions', CONFIG_LIMITS.partitions, 'partitions') ?? []).forEach((item, index) => {
    const path = joinPath('partitions', index);
    const entry = r.object(item, path);
    if (!entry) return;
    r.unknownKeys(entry, PARTITION, path);
    const name = r.string(entry['name'], joinPath(path, 'name'));
    if (name === undefined) return;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(name)) r.fail(joinPath(path, 'name'), `${quote(name)} is not a valid partition name (letters, digits, _ . -, at most 32)`);
    if (seen.has(name)) r.fail(joinPath(path, 'name'), `duplicate partition name ${quote(name)}`);
    seen.add(name);
    const app = entry['app'] === undefined ? 'idle' : (r.string(entry['app'], joinPath(path, 'app')) ?? 'idle');
    const memory = readMemory(r, entry['memory'], joinPath(path, 'memory'));
    const libcpu = entry['libcpu'] === undefined ? 'virtual' : (r.oneOf(entry['libcpu'], LIBCPU_VARIANTS, joinPath(path, 'libcpu')) ?? 'virtual');
    const clockTick = entry['clockTick'] === undefined ? undefined : r.positiveDuration(entry['clockTick'], joinPath(path, 'clockTick'));
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
    const size = readMemorySize(r, value['size'], joinPath(path, 'size'));
    const base = value['base'] === undefined ? undefined : r.integer(value['base'], joinPath(path, 'base'), 0, 2 ** 32 - 1);
    return base === undefined ? { size } : { size, base };
  }
  return { size: readMemorySize(r, value, path) };
}

/** A partition's memory size: a size (parseSize says what is wrong with a bad one) of at least 64 KiB. */
function readMemorySize(r: ConfigReader, value: ConfigValue | undefined, path: string): number {
  const size = r.size(value, path);
  if (size !== undefined && size < MINIMUM_MEMORY) r.fail(path, `must be at least 64KiB, got ${size} bytes`);
  return size ?? 1 << 20;
}

function readPorts(r: ConfigReader, value: ConfigValue | undefined, base: string): PortSpec[] {
  if (value === undefined) return [];
  const seen = new Set<string>();
  return (r.boundedList(value, base, CONFIG_LIMITS.portsPerPartition, 'ports in one partition') ?? []).flatMap((item, index) => {
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
    if (name !== undefined && seen.has(name)) r.fail(joinPath(path, 'name'), `duplicate port name ${quote(name)}`);
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
  const list = r.boundedList(value, 'schedules', CONFIG_LIMITS.schedules, 'schedules');
  const schedules = (list ?? []).flatMap((item, index): ScheduleSpec[] => {
    const path = joinPath('schedules', index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, SCHEDULE, path);
    const name = r.string(entry['name'], joinPath(path, 'name')) ?? `schedule${index}`;
    if (seen.has(name)) r.fail(joinPath(path, 'name'), `duplicate schedule name ${quote(name)}`);
    seen.add(name);
    const majorFrame = r.positiveDuration(entry['majorFrame'], joinPath(path, 'majorFrame')) ?? 0;
    const initial = entry['initial'] === undefined ? false : (r.boolean(entry['initial'], joinPath(path, 'initial')) ?? false);
    const windows = readWindows(r, entry['windows'], joinPath(path, 'windows'), partitions, majorFrame);
    const changeActions = configRecord<ScheduleChangeAction>();
    if (entry['changeActions'] !== undefined) {
      const actions = r.object(entry['changeActions'], joinPath(path, 'changeActions')) ?? {};
      for (const [partition, action] of Object.entries(actions)) {
        const actionPath = joinPath(joinPath(path, 'changeActions'), partition);
        if (!partitions.has(partition)) r.fail(actionPath, `unknown partition ${quote(partition)}`);
        const checked = r.oneOf(action, SCHEDULE_CHANGE_ACTIONS, actionPath);
        if (checked) changeActions[partition] = checked;
      }
    }
    return [{ name, majorFrame, initial, windows, changeActions }];
  });
  if (schedules.filter((schedule) => schedule.initial).length > 1) r.fail('schedules', 'only one schedule may be initial');
  if (kernel !== 'none' && Array.isArray(value) && value.length === 0) r.fail('schedules', 'a partitioned module needs at least one schedule');
  return schedules;
}

function readWindows(r: ConfigReader, value: ConfigValue | undefined, base: string, partitions: Set<string>, majorFrame: Nanoseconds): WindowSpec[] {
  const list = r.boundedList(value, base, CONFIG_LIMITS.windowsPerSchedule, 'windows in one schedule');
  const windows = (list ?? []).flatMap((item, index): Array<WindowSpec & { index: number }> => {
    const path = joinPath(base, index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, WINDOW, path);
    const partition = r.string(entry['partition'], joinPath(path, 'partition'));
    if (partition !== undefined && !partitions.has(partition)) r.fail(joinPath(path, 'partition'), `unknown partition ${quote(partition)}`);
    const start = r.duration(entry['start'], joinPath(path, 'start'));
    const duration = r.positiveDuration(entry['duration'], joinPath(path, 'duration'));
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
  if (Array.isArray(value) && value.length === 0) r.fail(base, 'a schedule needs at least one window');
  return windows.map(({ partition, start, duration }) => ({ partition, start, duration }));
}

function readRef(r: ConfigReader, value: ConfigValue | undefined, path: string, partitions: ReadonlyMap<string, PartitionSpec>, direction: 'source' | 'destination'): { ref: PortRef; port: PortSpec } | undefined {
  const text = r.string(value, path);
  if (text === undefined) return undefined;
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return r.fail(path, `${quote(text)} must be partition.port`);
  const ref = { partition: text.slice(0, dot), port: text.slice(dot + 1) };
  const partition = partitions.get(ref.partition);
  if (!partition) return r.fail(path, `unknown partition ${quote(ref.partition)}`);
  const port = partition.ports.find((candidate) => candidate.name === ref.port);
  if (!port) return r.fail(path, `partition ${ref.partition} has no port ${quote(ref.port)}`);
  if (port.direction !== direction) return r.fail(path, `${text} is a ${port.direction} port`);
  return { ref, port };
}

function readChannels(r: ConfigReader, value: ConfigValue | undefined, partitions: readonly PartitionSpec[]): ChannelSpec[] {
  if (value === undefined) return [];
  const byName = new Map(partitions.map((partition) => [partition.name, partition]));
  const connected = new Set<string>();
  return (r.boundedList(value, 'channels', CONFIG_LIMITS.channels, 'channels') ?? []).flatMap((item, index): ChannelSpec[] => {
    const path = joinPath('channels', index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, ['source', 'destinations'], path);
    const source = readRef(r, entry['source'], joinPath(path, 'source'), byName, 'source');
    const list = r.boundedList(entry['destinations'], joinPath(path, 'destinations'), CONFIG_LIMITS.destinationsPerChannel, 'destinations in one channel') ?? [];
    if (list.length === 0 && Array.isArray(entry['destinations']) && entry['destinations'].length === 0) r.fail(joinPath(path, 'destinations'), 'a channel needs at least one destination');
    const destinations = list.flatMap((destination, i) => {
      const destinationPath = joinPath(joinPath(path, 'destinations'), i);
      const found = readRef(r, destination, destinationPath, byName, 'destination');
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
  const devices = (r.boundedList(value, 'devices', CONFIG_LIMITS.devices, 'devices (one per interrupt line 1-15)') ?? []).flatMap((item, index): DeviceSpec[] => {
    const path = joinPath('devices', index);
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownKeys(entry, DEVICE, path);
    const kind = r.oneOf(entry['kind'], ['periodic-irq'] as const, joinPath(path, 'kind'));
    const line = r.integer(entry['line'], joinPath(path, 'line'), 1, 15);
    const period = r.period(entry['period'], joinPath(path, 'period'), CONFIG_LIMITS.minDevicePeriod, 'interrupts per second from one device');
    const jitter = entry['jitter'] === undefined ? 0 : r.duration(entry['jitter'], joinPath(path, 'jitter'));
    const start = entry['start'] === undefined ? undefined : r.duration(entry['start'], joinPath(path, 'start'));
    const partition = entry['partition'] === undefined ? undefined : r.string(entry['partition'], joinPath(path, 'partition'));
    if (partition !== undefined && !partitions.has(partition)) r.fail(joinPath(path, 'partition'), `unknown partition ${quote(partition)}`);
    if (kernel !== 'none' && entry['partition'] === undefined) r.fail(joinPath(path, 'partition'), 'a device in a partitioned module must be routed to a partition');
    if (line !== undefined && lines.has(line)) r.fail(joinPath(path, 'line'), `line ${line} is already used by another device`);
    if (line !== undefined) lines.add(line);
    if (!kind || line === undefined || period === undefined || jitter === undefined) return [];
    return [{ kind, line, period, jitter, ...(start !== undefined ? { start } : {}), ...(partition !== undefined ? { partition } : {}) }];
  });
  // Every raise is an event the simulation handles: the sum of the rates bounds the wall time of a virtual second.
  const rate = devices.reduce((sum, device) => sum + NS_PER_S / device.period, 0);
  if (rate > CONFIG_LIMITS.maxDeviceRate * (1 + 1e-9)) {
    r.fail('devices', `together raise ${Math.round(rate)} interrupts per second; at most ${CONFIG_LIMITS.maxDeviceRate} are supported (lengthen the periods)`);
  }
  return devices;
}

function readHealthMonitor(r: ConfigReader, value: ConfigValue | undefined, partitions: Set<string>): HealthMonitorSpec {
  if (value === undefined) return { partitions: configRecord(), module: configRecord() };
  const root = r.object(value, 'healthMonitor') ?? {};
  r.unknownKeys(root, ['partitions', 'module'], 'healthMonitor');
  const table = (data: ConfigValue | undefined, path: string): Record<string, string> => {
    const object: ConfigObject = r.object(data, path) ?? {};
    const out = configRecord<string>();
    for (const [error, action] of Object.entries(object)) {
      const checked = r.string(action, joinPath(path, error));
      if (checked) out[error] = checked;
    }
    return out;
  };
  const partitionTables = configRecord<Record<string, string>>();
  if (root['partitions'] !== undefined) {
    const entries = r.object(root['partitions'], 'healthMonitor.partitions') ?? {};
    for (const [partition, actions] of Object.entries(entries)) {
      const path = joinPath('healthMonitor.partitions', partition);
      if (!partitions.has(partition)) r.fail(path, `unknown partition ${quote(partition)}`);
      partitionTables[partition] = table(actions, path);
    }
  }
  return { partitions: partitionTables, module: root['module'] === undefined ? configRecord() : table(root['module'], 'healthMonitor.module') };
}
