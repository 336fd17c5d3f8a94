/**
 * Configuration both kernels share: where partitions live in physical memory, their ports
 * and the channels between them, and the checks every configurator makes on them (ARINC
 * 653 Part 1 port attributes; the placement rules of a partitioned memory map). A kernel
 * adds its own checks (schedules, health monitoring, AIR's stricter channel rules).
 */
import type { ConfigError, Nanoseconds } from '@paravirt/machine';

export interface PortConfig {
  readonly name: string;
  readonly kind: 'sampling' | 'queuing';
  readonly direction: 'source' | 'destination';
  readonly maxMessageSize: number;
  /** Queuing ports: capacity in messages (ignored for sampling ports). */
  readonly maxMessages: number;
  /** Sampling ports: a message older than this is INVALID (ignored for queuing ports). */
  readonly refreshPeriod: Nanoseconds;
  /** Queuing discipline of blocked processes, when the configuration fixes it (POK); else given at creation (AIR, ARINC). */
  readonly discipline?: 'fifo' | 'priority';
}

export interface PortRef {
  readonly partition: string;
  readonly port: string;
}

export interface ChannelConfig {
  readonly source: PortRef;
  readonly destinations: readonly PortRef[];
}

export interface PartitionResources {
  readonly name: string;
  /** Bytes of memory (the partition's segment / MMU region). */
  readonly memorySize: number;
  /** Where it starts in physical memory; by default the kernel places partitions one after another. */
  readonly physicalBase?: number;
  readonly ports: readonly PortConfig[];
}

/** The kernel keeps the first MiB; partitions are placed on 64 KiB boundaries after it. */
export const KERNEL_RESERVED = 1 << 20;
export const PARTITION_ALIGN = 64 * 1024;
export const MINIMUM_PARTITION_MEMORY = 64 * 1024;

export interface MemoryLayout {
  readonly kernelReserved: number;
  readonly partitions: ReadonlyArray<{ readonly name: string; readonly physicalBase: number; readonly size: number }>;
  /** Physical memory the board needs. */
  readonly totalSize: number;
}

const align = (value: number): number => Math.ceil(value / PARTITION_ALIGN) * PARTITION_ALIGN;

/** Explicitly placed partitions stay where they are; the others follow the highest of them. */
export function partitionMemoryLayout(partitions: readonly PartitionResources[]): MemoryLayout {
  let cursor = KERNEL_RESERVED;
  for (const partition of partitions) {
    if (partition.physicalBase !== undefined) cursor = Math.max(cursor, align(partition.physicalBase + partition.memorySize));
  }
  const placed = partitions.map((partition) => {
    if (partition.physicalBase !== undefined) return { name: partition.name, physicalBase: partition.physicalBase, size: partition.memorySize };
    const physicalBase = cursor;
    cursor += align(partition.memorySize);
    return { name: partition.name, physicalBase, size: partition.memorySize };
  });
  const totalSize = Math.max(KERNEL_RESERVED, ...placed.map((place) => align(place.physicalBase + place.size)));
  return { kernelReserved: KERNEL_RESERVED, partitions: placed, totalSize };
}

/**
 * Memory, ports and channels of a module: every problem, with the path of the element
 * (`partitions[i]`, `channels[i]` - in the order of the arrays given).
 */
export function validatePartitionResources(partitions: readonly PartitionResources[], channels: readonly ChannelConfig[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const fail = (path: string, message: string): void => void errors.push({ path, message });
  partitions.forEach((partition, index) => {
    const path = `partitions[${index}]`;
    if (!Number.isSafeInteger(partition.memorySize) || partition.memorySize < MINIMUM_PARTITION_MEMORY) fail(`${path}.memory`, `must be at least 64KiB, got ${partition.memorySize} bytes`);
    const names = new Set<string>();
    partition.ports.forEach((port, portIndex) => {
      const portPath = `${path}.ports[${portIndex}]`;
      if (names.has(port.name)) fail(`${portPath}.name`, `duplicate port name "${port.name}" in partition ${partition.name}`);
      names.add(port.name);
      if (!Number.isSafeInteger(port.maxMessageSize) || port.maxMessageSize < 1 || port.maxMessageSize > 65536) fail(`${portPath}.maxMessageSize`, 'must be 1..65536 bytes');
      if (port.kind === 'queuing' && (!Number.isSafeInteger(port.maxMessages) || port.maxMessages < 1)) fail(`${portPath}.maxMessages`, 'a queuing port needs at least 1 message of capacity');
      if (port.kind === 'sampling' && (!Number.isSafeInteger(port.refreshPeriod) || port.refreshPeriod <= 0)) fail(`${portPath}.refreshPeriod`, 'a sampling port needs a positive refresh period');
    });
  });

  const placed = partitions
    .map((partition, index) => ({ partition, index }))
    .filter(({ partition }) => partition.physicalBase !== undefined)
    .sort((a, b) => a.partition.physicalBase! - b.partition.physicalBase!);
  placed.forEach(({ partition, index }, i) => {
    const base = partition.physicalBase!;
    if (base < KERNEL_RESERVED) fail(`partitions[${index}].memory`, `starts at 0x${base.toString(16)}, inside the kernel's first MiB`);
    if (base % PARTITION_ALIGN !== 0) fail(`partitions[${index}].memory`, 'must start on a 64KiB boundary');
    const previous = placed[i - 1];
    if (previous && previous.partition.physicalBase! + previous.partition.memorySize > base) {
      fail(`partitions[${index}].memory`, `overlaps the memory of partition ${previous.partition.name}`);
    }
  });

  const portOf = (ref: PortRef): PortConfig | undefined => partitions.find((partition) => partition.name === ref.partition)?.ports.find((port) => port.name === ref.port);
  const connected = new Set<string>();
  channels.forEach((channel, index) => {
    const path = `channels[${index}]`;
    const source = portOf(channel.source);
    if (!source) fail(`${path}.source`, `unknown port ${channel.source.partition}.${channel.source.port}`);
    else if (source.direction !== 'source') fail(`${path}.source`, `${channel.source.partition}.${channel.source.port} is a destination port`);
    if (channel.destinations.length === 0) fail(`${path}.destinations`, 'a channel needs at least one destination');
    channel.destinations.forEach((ref, destinationIndex) => {
      const destinationPath = `${path}.destinations[${destinationIndex}]`;
      const destination = portOf(ref);
      const key = `${ref.partition}.${ref.port}`;
      if (!destination) return fail(destinationPath, `unknown port ${key}`);
      if (destination.direction !== 'destination') fail(destinationPath, `${key} is a source port`);
      if (connected.has(key)) fail(destinationPath, `${key} is already the destination of another channel`);
      connected.add(key);
      if (source && source.kind !== destination.kind) fail(destinationPath, `${key} is a ${destination.kind} port but the source is ${source.kind}`);
      if (source && destination.maxMessageSize < source.maxMessageSize) fail(destinationPath, `${key} holds messages of ${destination.maxMessageSize} bytes, the source sends up to ${source.maxMessageSize}`);
    });
  });
  return errors;
}
