/**
 * The POK-style kernel's own configuration model (what POK generates into deployment.h
 * from its config.yaml: partitions with their size, the slot schedule, ports and
 * channels, per-partition error handling) and its validation. The runner builds one from
 * our YAML/JSON config; pokYaml.ts builds one from a POK config.yaml.
 */
import type { ConfigError, Nanoseconds } from '@paravirt/machine';
import { formatDuration } from '@paravirt/machine';
import { DEFAULT_POK_ACTIONS, type PokAction, type PokErrorKind } from './errors.js';

export interface PokPortConfig {
  readonly name: string;
  readonly kind: 'sampling' | 'queuing';
  readonly direction: 'source' | 'destination';
  readonly maxMessageSize: number;
  /** Queuing ports: capacity in messages. */
  readonly maxMessages: number;
  /** Sampling ports: validity period. */
  readonly refreshPeriod: Nanoseconds;
  readonly discipline: 'fifo' | 'priority';
}

export interface PokPartitionConfig {
  readonly name: string;
  /** Bytes of memory (the partition's segment / MMU region). */
  readonly memorySize: number;
  /** Where it starts in physical memory; by default the kernel places partitions one after another. */
  readonly physicalBase?: number;
  /** May use partition/module control services and read the HM log. */
  readonly system: boolean;
  readonly ports: readonly PokPortConfig[];
  /** Error kind -> action; kinds not listed use DEFAULT_POK_ACTIONS. */
  readonly errorActions: Readonly<Partial<Record<PokErrorKind, PokAction>>>;
  /** Partitions this one may send inter-partition virtual interrupts to. */
  readonly ipiTargets: readonly string[];
}

export interface PokSlot {
  readonly partition: string;
  readonly duration: Nanoseconds;
}

export interface PokChannel {
  readonly source: { readonly partition: string; readonly port: string };
  readonly destinations: ReadonlyArray<{ readonly partition: string; readonly port: string }>;
}

/** Hardware interrupt lines routed to a partition (a device's line). */
export interface PokRoute {
  readonly line: number;
  readonly partition: string;
}

/**
 * When source ports are copied to their destinations. POK's default is at the start of
 * every major frame (pok_port_flushall); POK_NEEDS_FLUSH_ON_WINDOWS flushes a partition's
 * ports when its slot ends.
 */
export type PokFlushPolicy = 'major-frame' | 'slot-end';

export interface PokConfig {
  readonly kernelTick: Nanoseconds;
  readonly majorFrame: Nanoseconds;
  readonly slots: readonly PokSlot[];
  readonly partitions: readonly PokPartitionConfig[];
  readonly channels: readonly PokChannel[];
  readonly routes: readonly PokRoute[];
  readonly flush: PokFlushPolicy;
}

export type { ConfigError };

export function errorAction(partition: PokPartitionConfig, kind: PokErrorKind): PokAction {
  return partition.errorActions[kind] ?? DEFAULT_POK_ACTIONS[kind];
}

/** Checks a configuration the way POK's build would; returns every problem found. */
export function validatePokConfig(config: PokConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const fail = (path: string, message: string): void => void errors.push({ path, message });
  if (!Number.isSafeInteger(config.kernelTick) || config.kernelTick <= 0) fail('kernelTick', 'must be a positive duration');
  if (!Number.isSafeInteger(config.majorFrame) || config.majorFrame <= 0) fail('majorFrame', 'must be a positive duration');

  const names = new Set<string>();
  config.partitions.forEach((partition, index) => {
    const path = `partitions[${index}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(partition.name)) fail(`${path}.name`, `"${partition.name}" is not a valid partition name (letters, digits, _ . -; at most 32)`);
    if (names.has(partition.name)) fail(`${path}.name`, `duplicate partition name "${partition.name}"`);
    names.add(partition.name);
    if (!Number.isSafeInteger(partition.memorySize) || partition.memorySize < 64 * 1024) fail(`${path}.memory`, `must be at least 64KiB, got ${partition.memorySize} bytes`);
    const ports = new Set<string>();
    partition.ports.forEach((port, portIndex) => {
      const portPath = `${path}.ports[${portIndex}]`;
      if (ports.has(port.name)) fail(`${portPath}.name`, `duplicate port name "${port.name}" in partition ${partition.name}`);
      ports.add(port.name);
      if (!Number.isSafeInteger(port.maxMessageSize) || port.maxMessageSize < 1 || port.maxMessageSize > 65536) fail(`${portPath}.maxMessageSize`, 'must be 1..65536 bytes');
      if (port.kind === 'queuing' && (!Number.isSafeInteger(port.maxMessages) || port.maxMessages < 1)) fail(`${portPath}.maxMessages`, 'a queuing port needs at least 1 message of capacity');
      if (port.kind === 'sampling' && (!Number.isSafeInteger(port.refreshPeriod) || port.refreshPeriod <= 0)) fail(`${portPath}.refreshPeriod`, 'a sampling port needs a positive refresh period');
    });
  });
  const placed = config.partitions
    .map((partition, index) => ({ partition, index }))
    .filter(({ partition }) => partition.physicalBase !== undefined)
    .sort((a, b) => a.partition.physicalBase! - b.partition.physicalBase!);
  placed.forEach(({ partition, index }, i) => {
    if (partition.physicalBase! < KERNEL_RESERVED) fail(`partitions[${index}].memory`, `starts at 0x${partition.physicalBase!.toString(16)}, inside the kernel's first MiB`);
    if (partition.physicalBase! % PARTITION_ALIGN !== 0) fail(`partitions[${index}].memory`, 'must start on a 64KiB boundary');
    const previous = placed[i - 1];
    if (previous && previous.partition.physicalBase! + previous.partition.memorySize > partition.physicalBase!) {
      fail(`partitions[${index}].memory`, `overlaps the memory of partition ${previous.partition.name}`);
    }
  });
  config.partitions.forEach((partition, index) => {
    partition.ipiTargets.forEach((target, targetIndex) => {
      if (!names.has(target)) fail(`partitions[${index}].ipiTargets[${targetIndex}]`, `unknown partition "${target}"`);
    });
  });

  // POK (kernel/core/sched.c, pok_sched_init): the slots must add up to the major frame,
  // otherwise POK_ERROR_KIND_KERNEL_CONFIG. Here that is a configuration error, not a warning.
  let total = 0;
  config.slots.forEach((slot, index) => {
    const path = `slots[${index}]`;
    if (!names.has(slot.partition)) fail(`${path}.partition`, `unknown partition "${slot.partition}"`);
    if (!Number.isSafeInteger(slot.duration) || slot.duration <= 0) fail(`${path}.duration`, 'must be a positive duration');
    else if (config.kernelTick > 0 && slot.duration % config.kernelTick !== 0) {
      fail(`${path}.duration`, `${formatDuration(slot.duration)} is not a multiple of the kernel tick (${formatDuration(config.kernelTick)}): the tick-driven scheduler could not end the slot on time`);
    }
    total += slot.duration;
  });
  if (config.slots.length === 0) fail('slots', 'the schedule needs at least one slot');
  else if (total !== config.majorFrame) {
    fail('slots', `slot durations add up to ${formatDuration(total)} but the major frame is ${formatDuration(config.majorFrame)} (POK requires them to be equal)`);
  }

  const portOf = (ref: { partition: string; port: string }) =>
    config.partitions.find((partition) => partition.name === ref.partition)?.ports.find((port) => port.name === ref.port);
  const connected = new Set<string>();
  config.channels.forEach((channel, index) => {
    const path = `channels[${index}]`;
    const source = portOf(channel.source);
    if (!source) fail(`${path}.source`, `unknown port ${channel.source.partition}.${channel.source.port}`);
    else if (source.direction !== 'source') fail(`${path}.source`, `${channel.source.partition}.${channel.source.port} is a destination port`);
    if (channel.destinations.length === 0) fail(`${path}.destinations`, 'a channel needs at least one destination');
    channel.destinations.forEach((destinationRef, destinationIndex) => {
      const destinationPath = `${path}.destinations[${destinationIndex}]`;
      const destination = portOf(destinationRef);
      const key = `${destinationRef.partition}.${destinationRef.port}`;
      if (!destination) fail(destinationPath, `unknown port ${key}`);
      else {
        if (destination.direction !== 'destination') fail(destinationPath, `${key} is a source port`);
        if (connected.has(key)) fail(destinationPath, `${key} is already the destination of another channel`);
        connected.add(key);
        if (source && source.kind !== destination.kind) fail(destinationPath, `${key} is a ${destination.kind} port but the source is ${source.kind}`);
        if (source && destination.maxMessageSize < source.maxMessageSize) fail(destinationPath, `${key} holds messages of ${destination.maxMessageSize} bytes, the source sends up to ${source.maxMessageSize}`);
      }
    });
  });

  config.routes.forEach((route, index) => {
    if (!names.has(route.partition)) fail(`routes[${index}].partition`, `unknown partition "${route.partition}"`);
    if (!Number.isInteger(route.line) || route.line < 0 || route.line > 15) fail(`routes[${index}].line`, `hardware line must be 0..15, got ${route.line}`);
  });
  return errors;
}

/** Where each partition lives in physical memory: 64 KiB aligned, after the kernel's first MiB. */
export interface PokMemoryLayout {
  readonly kernelReserved: number;
  readonly partitions: ReadonlyArray<{ readonly name: string; readonly physicalBase: number; readonly size: number }>;
  /** Physical memory the board needs. */
  readonly totalSize: number;
}

const KERNEL_RESERVED = 1 << 20;
const PARTITION_ALIGN = 64 * 1024;

export function pokMemoryLayout(config: Pick<PokConfig, 'partitions'>): PokMemoryLayout {
  // Explicitly placed partitions first; the others go one after another after the highest one.
  let cursor = KERNEL_RESERVED;
  for (const partition of config.partitions) {
    if (partition.physicalBase !== undefined) cursor = Math.max(cursor, align(partition.physicalBase + partition.memorySize));
  }
  const partitions = config.partitions.map((partition) => {
    if (partition.physicalBase !== undefined) return { name: partition.name, physicalBase: partition.physicalBase, size: partition.memorySize };
    const base = cursor;
    cursor += align(partition.memorySize);
    return { name: partition.name, physicalBase: base, size: partition.memorySize };
  });
  const totalSize = Math.max(KERNEL_RESERVED, ...partitions.map((place) => align(place.physicalBase + place.size)));
  return { kernelReserved: KERNEL_RESERVED, partitions, totalSize };
}

function align(value: number): number {
  return Math.ceil(value / PARTITION_ALIGN) * PARTITION_ALIGN;
}
