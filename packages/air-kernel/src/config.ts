/**
 * The AIR-style kernel's own configuration model (what AIR's configurator generates from
 * an ARINC 653 XML module description into usr_*.c tables: partitions with permissions and
 * memory, several module schedules with partition schedules and windows, the HM tables,
 * the connection table) and the checks AIR's configurator makes. airXml.ts builds one
 * from ARINC 653 / AIR XML; the runner builds one from our YAML/JSON config.
 */
import { type ConfigError, formatDuration, type Nanoseconds } from '@paravirt/machine';
import { type ChannelConfig, type MemoryLayout, partitionMemoryLayout, type PartitionResources, type PortConfig, type PortRef, validatePartitionResources } from '@paravirt/kernel-core';
import { AIR_ERROR_COUNT, type AirHealthMonitorConfig, SYSTEM_STATE_COUNT } from './hm.js';

/** AIR's partition permissions (air.h air_permissions_e); SUPERVISOR is all of them. */
export const AIR_PERMISSIONS = ['FPU_CONTROL', 'CACHE_CONTROL', 'GLOBAL_TIME', 'SET_TOD', 'SET_PARTITION_MODE', 'SET_SCHEDULE', 'MODULE_CONTROL', 'SUPERVISOR'] as const;
export type AirPermission = (typeof AIR_PERMISSIONS)[number];

/** Permission bits with AIR's values. */
export const PERMISSION_BITS: Readonly<Record<AirPermission, number>> = {
  FPU_CONTROL: 1 << 0,
  CACHE_CONTROL: 1 << 1,
  GLOBAL_TIME: 1 << 2,
  SET_TOD: 1 << 3,
  SET_PARTITION_MODE: 1 << 4,
  SET_SCHEDULE: 1 << 5,
  MODULE_CONTROL: 1 << 6,
  SUPERVISOR: (1 << 7) - 1,
};

export function isAirPermission(value: string): value is AirPermission {
  return (AIR_PERMISSIONS as readonly string[]).includes(value);
}

export function permissionMask(permissions: readonly AirPermission[]): number {
  return permissions.reduce((mask, permission) => mask | PERMISSION_BITS[permission], 0);
}

/** What happens to a partition when a schedule it belongs to becomes current (AIR pmk_sched_change_action_e). */
export const SCHEDULE_CHANGE_ACTIONS = ['IGNORE', 'IDLE', 'WARM_START', 'COLD_START'] as const;
export type ScheduleChangeAction = (typeof SCHEDULE_CHANGE_ACTIONS)[number];

export function isScheduleChangeAction(value: string): value is ScheduleChangeAction {
  return (SCHEDULE_CHANGE_ACTIONS as readonly string[]).includes(value);
}

/** A port as AIR configures it: the shared shape; ARINC makes the queuing discipline a creation parameter. */
export type AirPortConfig = PortConfig;

export interface AirPartitionConfig extends PartitionResources {
  /** PartitionIdentifier: the id guests and hypercalls use. */
  readonly id: number;
  /** ARINC SystemPartition: reported to the guest; rights come from permissions. */
  readonly system: boolean;
  readonly permissions: readonly AirPermission[];
  /** Partitions this one may send inter-partition virtual interrupts to (our extension). */
  readonly ipiTargets: readonly string[];
}

export interface AirWindowConfig {
  /** WindowIdentifier. */
  readonly id: number;
  /** Offset from the start of the major time frame. */
  readonly start: Nanoseconds;
  readonly duration: Nanoseconds;
  /** PartitionPeriodStart: this window begins one of the partition's periods. */
  readonly periodStart: boolean;
}

export interface AirPartitionScheduleConfig {
  readonly partition: string;
  readonly period: Nanoseconds;
  /** Processor time the partition gets in every period. */
  readonly periodDuration: Nanoseconds;
  /** SetModuleSchedule: may request a schedule switch while this schedule is current. */
  readonly setModuleSchedule: boolean;
  /** Applied to the partition when this schedule becomes current. */
  readonly changeAction: ScheduleChangeAction;
  readonly windows: readonly AirWindowConfig[];
}

export interface AirScheduleConfig {
  /** ScheduleIdentifier: the id SET_MODULE_SCHEDULE takes. */
  readonly id: number;
  readonly name: string;
  /** InitialModuleSchedule (if no schedule says so, the first one starts). */
  readonly initial: boolean;
  /** The major time frame (MTF). */
  readonly majorFrame: Nanoseconds;
  readonly partitions: readonly AirPartitionScheduleConfig[];
}

export type AirPortRef = PortRef;
export type AirChannelConfig = ChannelConfig;

/** A hardware interrupt line routed to a partition (a device's line). */
export interface AirRoute {
  readonly line: number;
  readonly partition: string;
}

export interface AirConfig {
  readonly name?: string;
  /** 1 s / TicksPerSecond. */
  readonly kernelTick: Nanoseconds;
  readonly partitions: readonly AirPartitionConfig[];
  readonly schedules: readonly AirScheduleConfig[];
  readonly channels: readonly AirChannelConfig[];
  readonly routes: readonly AirRoute[];
  readonly healthMonitor: AirHealthMonitorConfig;
}

export type { ConfigError } from '@paravirt/machine';

/** The schedule a module starts with: the one flagged initial, else the first. */
export function initialScheduleIndex(config: Pick<AirConfig, 'schedules'>): number {
  const index = config.schedules.findIndex((schedule) => schedule.initial);
  return index >= 0 ? index : 0;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

/** Checks a configuration the way AIR's configurator would; returns every problem found. */
export function validateAirConfig(config: AirConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const fail = (path: string, message: string): void => void errors.push({ path, message });
  const tick = config.kernelTick;
  const tickOk = Number.isSafeInteger(tick) && tick > 0;
  if (!tickOk) fail('kernelTick', 'must be a positive duration');
  const onTick = (value: Nanoseconds): boolean => !tickOk || value % tick === 0;

  const partitionNames = new Set<string>();
  const ids = new Set<number>();
  config.partitions.forEach((partition, index) => {
    const path = `partitions[${index}]`;
    if (!NAME.test(partition.name)) fail(`${path}.name`, `"${partition.name}" is not a valid partition name (letters, digits, _ . -; at most 32)`);
    if (partitionNames.has(partition.name)) fail(`${path}.name`, `duplicate partition name "${partition.name}"`);
    partitionNames.add(partition.name);
    if (!Number.isSafeInteger(partition.id) || partition.id < 0) fail(`${path}.id`, `partition identifier must be a non-negative integer, got ${partition.id}`);
    else if (ids.has(partition.id)) fail(`${path}.id`, `duplicate partition identifier ${partition.id}`);
    ids.add(partition.id);
  });
  // Memory, placement, ports and channel endpoints: the checks every configurator makes.
  errors.push(...validatePartitionResources(config.partitions, config.channels));
  // AIR's configurator gives a queuing channel one destination (parsers/a653/parser.py,
  // parse_channel: LOG_CHANNEL_ONLY_ONE_DST), so a queue is never shared by destinations.
  config.channels.forEach((channel, index) => {
    const owner = config.partitions.find((partition) => partition.name === channel.source.partition);
    const port = owner?.ports.find((candidate) => candidate.name === channel.source.port);
    if (port?.kind === 'queuing' && channel.destinations.length > 1) {
      fail(`channels[${index}].destinations`, `a queuing channel has one destination in AIR, this one has ${channel.destinations.length}`);
    }
  });
  config.partitions.forEach((partition, index) => {
    partition.ipiTargets.forEach((target, targetIndex) => {
      if (!partitionNames.has(target)) fail(`partitions[${index}].ipiTargets[${targetIndex}]`, `unknown partition "${target}"`);
    });
  });

  if (config.schedules.length === 0) fail('schedules', 'the module needs at least one schedule');
  const scheduleNames = new Set<string>();
  const scheduleIds = new Set<number>();
  const initials = config.schedules.filter((schedule) => schedule.initial).length;
  if (initials > 1) fail('schedules', `${initials} schedules are marked initial; exactly one may be`);
  config.schedules.forEach((schedule, index) => {
    const path = `schedules[${index}]`;
    if (scheduleNames.has(schedule.name)) fail(`${path}.name`, `duplicate schedule name "${schedule.name}"`);
    scheduleNames.add(schedule.name);
    if (!Number.isSafeInteger(schedule.id) || schedule.id < 0) fail(`${path}.id`, `schedule identifier must be a non-negative integer, got ${schedule.id}`);
    else if (scheduleIds.has(schedule.id)) fail(`${path}.id`, `duplicate schedule identifier ${schedule.id}`);
    scheduleIds.add(schedule.id);
    const frame = schedule.majorFrame;
    const frameOk = Number.isSafeInteger(frame) && frame > 0;
    if (!frameOk) fail(`${path}.majorFrame`, 'must be a positive duration');
    else if (!onTick(frame)) fail(`${path}.majorFrame`, `${formatDuration(frame)} is not a multiple of the kernel tick (${formatDuration(tick)})`);
    validateSchedule(schedule, path, frameOk, partitionNames, onTick, tick, fail);
  });

  validateChannels(config, fail);

  const routed = new Set<number>();
  config.routes.forEach((route, index) => {
    if (!partitionNames.has(route.partition)) fail(`routes[${index}].partition`, `unknown partition "${route.partition}"`);
    if (!Number.isInteger(route.line) || route.line < 0 || route.line > 15) fail(`routes[${index}].line`, `hardware line must be 0..15, got ${route.line}`);
    else if (routed.has(route.line)) fail(`routes[${index}].line`, `hardware line ${route.line} is already routed`);
    routed.add(route.line);
  });

  validateHealthMonitor(config.healthMonitor, partitionNames, fail);
  return errors;
}

function validateSchedule(
  schedule: AirScheduleConfig,
  path: string,
  frameOk: boolean,
  partitionNames: ReadonlySet<string>,
  onTick: (value: Nanoseconds) => boolean,
  tick: Nanoseconds,
  fail: (path: string, message: string) => void,
): void {
  const frame = schedule.majorFrame;
  const scheduled = new Set<string>();
  const all: Array<{ start: Nanoseconds; end: Nanoseconds; partition: string; path: string }> = [];
  schedule.partitions.forEach((entry, entryIndex) => {
    const entryPath = `${path}.partitions[${entryIndex}]`;
    if (!partitionNames.has(entry.partition)) fail(`${entryPath}.partition`, `unknown partition "${entry.partition}"`);
    if (scheduled.has(entry.partition)) fail(`${entryPath}.partition`, `partition ${entry.partition} is scheduled twice in schedule ${schedule.name}`);
    scheduled.add(entry.partition);
    const periodOk = Number.isSafeInteger(entry.period) && entry.period > 0;
    if (!periodOk) fail(`${entryPath}.period`, 'must be a positive duration');
    // AIR's configurator: the MTF must be a whole number of every partition's periods.
    else if (frameOk && frame % entry.period !== 0) {
      fail(`${entryPath}.period`, `the major frame of schedule ${schedule.name} (${formatDuration(frame)}) is not a multiple of ${entry.partition}'s period (${formatDuration(entry.period)})`);
    } else if (!onTick(entry.period)) fail(`${entryPath}.period`, `${formatDuration(entry.period)} is not a multiple of the kernel tick (${formatDuration(tick)})`);
    const durationOk = Number.isSafeInteger(entry.periodDuration) && entry.periodDuration > 0;
    if (!durationOk) fail(`${entryPath}.periodDuration`, 'must be a positive duration');
    else if (periodOk && entry.periodDuration > entry.period) {
      fail(`${entryPath}.periodDuration`, `${formatDuration(entry.periodDuration)} is longer than the period (${formatDuration(entry.period)})`);
    }
    let windowsOk = true;
    entry.windows.forEach((window, windowIndex) => {
      const windowPath = `${entryPath}.windows[${windowIndex}]`;
      if (!Number.isSafeInteger(window.start) || window.start < 0) {
        fail(`${windowPath}.start`, 'must be a non-negative offset');
        windowsOk = false;
        return;
      }
      if (!Number.isSafeInteger(window.duration) || window.duration <= 0) {
        fail(`${windowPath}.duration`, 'must be a positive duration');
        windowsOk = false;
        return;
      }
      if (!onTick(window.start)) fail(`${windowPath}.start`, `${formatDuration(window.start)} is not a multiple of the kernel tick (${formatDuration(tick)}): the tick-driven scheduler could not open the window on time`);
      if (!onTick(window.duration)) fail(`${windowPath}.duration`, `${formatDuration(window.duration)} is not a multiple of the kernel tick (${formatDuration(tick)}): the tick-driven scheduler could not close the window on time`);
      const end = window.start + window.duration;
      if (frameOk && end > frame) {
        fail(windowPath, `window [${formatDuration(window.start)}, ${formatDuration(end)}) of ${entry.partition} ends after the major frame of schedule ${schedule.name} (${formatDuration(frame)})`);
        windowsOk = false;
      }
      all.push({ start: window.start, end, partition: entry.partition, path: windowPath });
    });
    // AIR's configurator: in every period the partition's windows must add up to its period duration.
    if (frameOk && periodOk && durationOk && windowsOk && frame % entry.period === 0) {
      for (let k = 0; k < frame / entry.period; k++) {
        const from = k * entry.period;
        const to = from + entry.period;
        const given = entry.windows.reduce((sum, window) => sum + Math.max(0, Math.min(to, window.start + window.duration) - Math.max(from, window.start)), 0);
        if (given !== entry.periodDuration) {
          fail(
            `${entryPath}.windows`,
            `${entry.partition} gets ${formatDuration(given)} in its period ${k} [${formatDuration(from)}, ${formatDuration(to)}) of schedule ${schedule.name}, but its period duration is ${formatDuration(entry.periodDuration)}`,
          );
        }
      }
    }
  });
  all.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < all.length; i++) {
    const previous = all[i - 1]!;
    const current = all[i]!;
    if (current.start < previous.end) {
      fail(
        current.path,
        `window [${formatDuration(current.start)}, ${formatDuration(current.end)}) of ${current.partition} overlaps window [${formatDuration(previous.start)}, ${formatDuration(previous.end)}) of ${previous.partition} in schedule ${schedule.name}`,
      );
    }
  }
}

/**
 * AIR's own channel rules on top of the shared ones (validatePartitionResources): a source
 * port feeds one channel, and AIR's configurator forces both ends of a channel to the same
 * MaxMessageSize and MaxNbMessages.
 */
function validateChannels(config: AirConfig, fail: (path: string, message: string) => void): void {
  const portOf = (ref: AirPortRef) => config.partitions.find((partition) => partition.name === ref.partition)?.ports.find((port) => port.name === ref.port);
  const sources = new Set<string>();
  config.channels.forEach((channel, index) => {
    const path = `channels[${index}]`;
    const source = portOf(channel.source);
    const sourceKey = `${channel.source.partition}.${channel.source.port}`;
    if (source?.direction === 'source' && sources.has(sourceKey)) fail(`${path}.source`, `${sourceKey} is already the source of another channel`);
    sources.add(sourceKey);
    channel.destinations.forEach((ref, destinationIndex) => {
      const destination = portOf(ref);
      if (!source || !destination || source.kind !== destination.kind) return;
      const key = `${ref.partition}.${ref.port}`;
      const destinationPath = `${path}.destinations[${destinationIndex}]`;
      if (destination.maxMessageSize !== source.maxMessageSize) {
        fail(destinationPath, `${key} has MaxMessageSize ${destination.maxMessageSize} but the source ${sourceKey} has ${source.maxMessageSize}; both ends of a channel must agree`);
      } else if (source.kind === 'queuing' && destination.maxMessages !== source.maxMessages) {
        fail(destinationPath, `${key} has MaxNbMessages ${destination.maxMessages} but the source ${sourceKey} has ${source.maxMessages}; both ends of a channel must agree`);
      }
    });
  });
}

function validateHealthMonitor(hm: AirHealthMonitorConfig, partitionNames: ReadonlySet<string>, fail: (path: string, message: string) => void): void {
  const checkEntries = (entries: ReadonlyArray<{ state: number; error: number }>, path: string): void => {
    const seen = new Set<number>();
    entries.forEach((entry, index) => {
      const entryPath = `${path}[${index}]`;
      let ok = true;
      if (!Number.isInteger(entry.state) || entry.state < 0 || entry.state >= SYSTEM_STATE_COUNT) {
        fail(`${entryPath}.state`, `system state must be 0..${SYSTEM_STATE_COUNT - 1}, got ${entry.state}`);
        ok = false;
      }
      if (!Number.isInteger(entry.error) || entry.error < 0 || entry.error >= AIR_ERROR_COUNT) {
        fail(`${entryPath}.error`, `error identifier must be 0..${AIR_ERROR_COUNT - 1}, got ${entry.error}`);
        ok = false;
      }
      if (!ok) return;
      const key = entry.state * AIR_ERROR_COUNT + entry.error;
      if (seen.has(key)) fail(entryPath, `error ${entry.error} appears twice for system state ${entry.state}`);
      seen.add(key);
    });
  };
  checkEntries(hm.system, 'healthMonitor.system');
  checkEntries(hm.module, 'healthMonitor.module');
  const tables = new Set<string>();
  hm.partitions.forEach((table, index) => {
    const path = `healthMonitor.partitions[${index}]`;
    if (!partitionNames.has(table.partition)) fail(`${path}.partition`, `unknown partition "${table.partition}"`);
    if (tables.has(table.partition)) fail(`${path}.partition`, `partition ${table.partition} has two HM tables`);
    tables.add(table.partition);
    checkEntries(table.entries, `${path}.entries`);
  });
}

/** Where each partition lives in physical memory (the shared placement rules). */
export type AirMemoryLayout = MemoryLayout;

export function airMemoryLayout(config: Pick<AirConfig, 'partitions'>): AirMemoryLayout {
  return partitionMemoryLayout(config.partitions);
}

/** A window as our own config writes it: a flat list of (partition, start, duration). */
export interface FlatWindow {
  readonly partition: string;
  readonly start: Nanoseconds;
  readonly duration: Nanoseconds;
}

export interface FlatSchedule {
  readonly name: string;
  readonly id?: number;
  readonly initial?: boolean;
  readonly majorFrame: Nanoseconds;
  readonly windows: readonly FlatWindow[];
  /** Partitions that may request a schedule switch while this schedule is current. */
  readonly setModuleSchedule?: readonly string[];
  readonly changeActions?: Readonly<Record<string, ScheduleChangeAction>>;
}

/**
 * An AIR schedule from our config's flat window list: each partition's period is the
 * major frame and its period duration the sum of its windows (so the configurator's
 * period checks hold by construction); the first window of each partition starts its period.
 */
export function scheduleFromWindows(schedule: FlatSchedule, index: number): AirScheduleConfig {
  const order: string[] = [];
  for (const window of schedule.windows) if (!order.includes(window.partition)) order.push(window.partition);
  let windowId = 0;
  return {
    id: schedule.id ?? index,
    name: schedule.name,
    initial: schedule.initial ?? false,
    majorFrame: schedule.majorFrame,
    partitions: order.map((partition) => {
      const windows = schedule.windows.filter((window) => window.partition === partition);
      return {
        partition,
        period: schedule.majorFrame,
        periodDuration: windows.reduce((sum, window) => sum + window.duration, 0),
        setModuleSchedule: schedule.setModuleSchedule?.includes(partition) ?? false,
        changeAction: schedule.changeActions?.[partition] ?? 'IGNORE',
        windows: windows.map((window, windowIndex) => ({ id: windowId++, start: window.start, duration: window.duration, periodStart: windowIndex === 0 })),
      };
    }),
  };
}
