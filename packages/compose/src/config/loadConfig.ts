/**
 * Reads any supported configuration file, detected by content (docs/architecture.md section 6):
 *  - an ARCHITECTURE-style module config (YAML or JSON: `kernel` is a string),
 *  - a POK config.yaml (`kernel:` is a mapping holding `scheduler`),
 *  - an ARINC 653 / AIR XML file (`<ARINC_653_Module ...>`),
 * and applies the command line's overrides (--kernel, --arch, --duration, --seed, --app).
 * Imported formats become a ModuleSpec too, so every kernel and architecture can run them.
 */
import { type AirConfig, readAirXml } from '@paravirt/air-kernel';
import { CONFIG_LIMITS, type ConfigError, configRecord, type ConfigValue, fileTooLong, oneLine } from '@paravirt/machine';
import { readPokData } from '@paravirt/pok-kernel';
import type { ArchName, KernelName, ModuleSpec, PartitionSpec } from './moduleSpec.js';
import { DEFAULT_ARCH } from '../run/architectures.js';
import { parseData, readModuleData } from './readConfig.js';

export type ConfigFormat = 'module' | 'pok-yaml' | 'arinc-xml';

export interface Overrides {
  readonly kernel?: KernelName;
  readonly arch?: ArchName;
  readonly duration?: number;
  readonly seed?: number;
  readonly apps?: ReadonlyArray<{ readonly partition: string; readonly app: string }>;
}

export interface LoadResult {
  readonly spec?: ModuleSpec;
  readonly format?: ConfigFormat;
  /** The AIR kernel's own configuration when the file was ARINC 653 XML: used as is on kernel air. */
  readonly airConfig?: AirConfig;
  readonly errors: readonly ConfigError[];
  /**
   * What the file says that was accepted but is ignored, or read with a fallback (where the
   * imported format's own tool would warn): the CLI prints each as
   * `warning: <file>: <path>: <message>` (docs/architecture.md section 6). Never a reason to
   * refuse the file; may come with errors too.
   */
  readonly warnings?: readonly ConfigError[];
  /**
   * Partitions that run the `idle` application only because the file (an imported format)
   * names no application and no --app named one for them: the CLI prints a hint.
   */
  readonly idleByDefault?: readonly string[];
}

export function detectFormat(text: string, data?: ConfigValue): ConfigFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return 'arinc-xml';
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const kernel = data['kernel'];
    if (kernel && typeof kernel === 'object' && !Array.isArray(kernel) && 'scheduler' in kernel) return 'pok-yaml';
  }
  return 'module';
}

/**
 * Reads `text` in whichever format it is and applies the overrides. Never throws: every
 * problem, including one nobody foresaw inside a parser, is a ConfigError with a non-empty
 * one-line path and message.
 */
export function loadConfig(text: string, overrides: Overrides = {}): LoadResult {
  let result: LoadResult;
  try {
    result = load(text, overrides);
  } catch (error) {
    const message = (error instanceof Error ? error.message.split('\n')[0]! : String(error)).slice(0, 200);
    result = { errors: [{ path: '(config)', message: `internal error while reading the configuration (please report it): ${message}` }] };
  }
  if (result.warnings && result.warnings.length > 0) result = { ...result, warnings: result.warnings.map(wellFormed) };
  return result.errors.length === 0 ? result : { ...result, errors: result.errors.map(wellFormed) };
}

/** A path and a message of one line each, never empty (`error: <path>: <message>` is one line). */
function wellFormed(error: ConfigError): ConfigError {
  return { path: oneLine(String(error.path)), message: oneLine(String(error.message)) };
}

function load(text: string, overrides: Overrides): LoadResult {
  const tooLong = fileTooLong(text);
  if (tooLong) return { errors: [tooLong] };
  let loaded: LoadResult;
  if (detectFormat(text) === 'arinc-xml') {
    loaded = fromArincXml(text);
  } else {
    const data = parseData(text);
    if (data.errors.length > 0) return { errors: data.errors };
    const format = detectFormat(text, data.value);
    if (format === 'pok-yaml') loaded = fromPokYaml(data.value!);
    else {
      const read = readModuleData(data.value!);
      loaded = read.value ? { spec: read.value, errors: [], format } : { errors: read.errors, format };
    }
  }
  if (!loaded.spec) return loaded;
  const applied = applyOverrides(loaded.spec, loaded.format ?? 'module', overrides);
  const idle = applied.spec ? idleByDefault(loaded, applied.spec, overrides) : [];
  return {
    ...applied,
    ...(loaded.airConfig && applied.spec ? { airConfig: loaded.airConfig } : {}),
    ...(loaded.warnings && loaded.warnings.length > 0 ? { warnings: loaded.warnings } : {}),
    ...(idle.length > 0 ? { idleByDefault: idle } : {}),
  };
}

/** The partitions of `spec` that still run `idle` because the file named no application for them (loaded.idleByDefault) and no --app did. */
function idleByDefault(loaded: LoadResult, spec: ModuleSpec, overrides: Overrides): string[] {
  const defaulted = new Set(loaded.idleByDefault ?? []);
  if (defaulted.size === 0) return [];
  const apps = overrides.apps ?? [];
  // Bare metal runs one application, named after it: idle by default only if no --app named one.
  if (spec.kernel === 'none') return apps.length === 0 && defaulted.has(loaded.spec?.partitions[0]?.name ?? '') ? spec.partitions.map((partition) => partition.name) : [];
  const named = new Set(apps.map(({ partition }) => partition));
  return spec.partitions.filter((partition) => defaulted.has(partition.name) && !named.has(partition.name)).map((partition) => partition.name);
}

function fromPokYaml(data: ConfigValue): LoadResult {
  const result = readPokData(data);
  if (!result.config) return { errors: result.errors, warnings: result.warnings, format: 'pok-yaml' };
  const config = result.config;
  let start = 0;
  const windows = config.slots.map((slot) => {
    const window = { partition: slot.partition, start, duration: slot.duration };
    start += slot.duration;
    return window;
  });
  const partitions: PartitionSpec[] = config.partitions.map((partition) => ({
    name: partition.name,
    app: 'idle',
    memory: { size: partition.memorySize },
    libcpu: 'virtual',
    system: partition.system,
    permissions: [],
    ports: partition.ports,
  }));
  const healthMonitor = {
    partitions: configRecord(config.partitions.map((partition) => [partition.name, configRecord<string>(Object.entries(partition.errorActions))] as const)),
    module: configRecord<string>(),
  };
  return {
    format: 'pok-yaml',
    errors: [],
    warnings: result.warnings,
    spec: {
      name: 'pok-config',
      kernel: 'pok',
      arch: result.arch ?? DEFAULT_ARCH,
      duration: 40_000_000_000,
      seed: 1,
      kernelTick: config.kernelTick,
      costs: {},
      schedules: [{ name: 'pok', majorFrame: config.majorFrame, initial: true, windows, changeActions: configRecord() }],
      partitions,
      channels: config.channels,
      devices: [],
      healthMonitor,
    },
  };
}

/** An ARINC 653 / AIR XML module: kept as AIR's configuration, and as a ModuleSpec for other kernels. */
function fromArincXml(text: string): LoadResult {
  const result = readAirXml(text);
  const warnings = result.warnings.length > 0 ? { warnings: result.warnings } : {};
  if (!result.config) return { errors: result.errors, format: 'arinc-xml', ...warnings };
  const config = result.config;
  const permissionNames = { FPU_CONTROL: 'fpu-control', SET_SCHEDULE: 'set-schedule', SET_PARTITION_MODE: 'set-partition-mode', MODULE_CONTROL: 'module-control', SUPERVISOR: 'supervisor' } as const;
  const partitions: PartitionSpec[] = config.partitions.map((partition) => ({
    name: partition.name,
    app: 'idle',
    memory: partition.physicalBase !== undefined ? { size: partition.memorySize, base: partition.physicalBase } : { size: partition.memorySize },
    libcpu: 'virtual',
    system: partition.system,
    permissions: partition.permissions.flatMap((permission) => (permission in permissionNames ? [permissionNames[permission as keyof typeof permissionNames]] : [])),
    ports: partition.ports,
  }));
  const schedules = config.schedules.map((schedule, index) => ({
    name: schedule.name,
    majorFrame: schedule.majorFrame,
    initial: schedule.initial || (index === 0 && !config.schedules.some((candidate) => candidate.initial)),
    windows: schedule.partitions.flatMap((entry) => entry.windows.map((window) => ({ partition: entry.partition, start: window.start, duration: window.duration }))).sort((a, b) => a.start - b.start),
    changeActions: configRecord(schedule.partitions.map((entry) => [entry.partition, entry.changeAction] as const)),
  }));
  return {
    format: 'arinc-xml',
    airConfig: config,
    errors: [],
    ...warnings,
    // The XML says how to build each partition, not what runs in it: idle, until --app says otherwise.
    idleByDefault: partitions.map((partition) => partition.name),
    spec: {
      name: config.name ?? 'arinc653-module',
      kernel: 'air',
      arch: DEFAULT_ARCH,
      duration: 40_000_000_000,
      seed: 1,
      kernelTick: config.kernelTick,
      costs: {},
      schedules,
      partitions,
      channels: config.channels,
      // The XML routes hardware lines (kept in airConfig) but describes no simulated device.
      devices: [],
      healthMonitor: { partitions: configRecord(), module: configRecord() },
    },
  };
}

export function applyOverrides(spec: ModuleSpec, format: ConfigFormat, overrides: Overrides): LoadResult {
  const errors: ConfigError[] = [];
  const kernel = overrides.kernel ?? spec.kernel;
  const apps = new Map<string, string>();
  let bareApp: string | undefined;
  for (const { partition, app } of overrides.apps ?? []) {
    if (partition === '') {
      if (kernel !== 'none') errors.push({ path: `--app ${app}`, message: 'name the partition (--app PARTITION=APP); a bare APP is for --kernel none' });
      bareApp = app;
    } else if (kernel !== 'none' && !spec.partitions.some((candidate) => candidate.name === partition)) {
      errors.push({ path: `--app ${partition}=${app}`, message: `no partition named "${partition}" (partitions: ${spec.partitions.map((p) => p.name).join(', ')})` });
    } else {
      apps.set(partition, app);
      bareApp ??= app;
    }
  }
  if (overrides.duration !== undefined && !(Number.isSafeInteger(overrides.duration) && overrides.duration > 0 && overrides.duration <= CONFIG_LIMITS.maxDuration)) {
    errors.push({ path: '--duration', message: overrides.duration > 0 ? 'must be at most 240h (10 days)' : 'must be longer than 0' });
  }
  if (errors.length > 0) return { errors, format };
  let partitions = spec.partitions.map((partition) => (apps.has(partition.name) ? { ...partition, app: apps.get(partition.name)! } : partition));
  if (kernel === 'none') {
    // Bare metal runs one application: the one named by --app, else the module's only one.
    const base = partitions[0];
    if (bareApp === undefined && partitions.length !== 1) {
      return { errors: [{ path: '--kernel none', message: `runs one application: choose it with --app APP (this config has ${partitions.length} partitions)` }], format };
    }
    if (!base) return { errors: [{ path: '--kernel none', message: 'needs an application (--app APP)' }], format };
    const app = bareApp ?? base.app;
    partitions = [{ ...base, name: app, app, libcpu: 'native' }];
  }
  return {
    format,
    errors: [],
    spec: {
      ...spec,
      kernel,
      arch: overrides.arch ?? spec.arch,
      duration: overrides.duration ?? spec.duration,
      seed: overrides.seed ?? spec.seed,
      partitions,
      ...(kernel === 'none' ? { schedules: [], channels: [], devices: spec.devices.map(({ partition: _partition, ...device }) => device) } : {}),
    },
  };
}
