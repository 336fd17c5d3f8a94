/**
 * Configuration both kernels share: where partitions live in physical memory, their ports
 * and the channels between them, and the checks every configurator makes on them (ARINC
 * 653 Part 1 port attributes; the placement rules of a partitioned memory map). A kernel
 * adds its own checks (schedules, health monitoring, AIR's stricter channel rules).
 */
import type { ConfigError, Nanoseconds } from '@paravirt/machine';
import { MAX_NAME } from '@paravirt/paravirt-api';

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

/** The kernel's bookkeeping per message it holds (AIR: pmk_message_slot_t, CPU_PORT_MSG_SLOT = 0x10). */
export const PORT_SLOT_BYTES = 16;

/**
 * Bytes the kernel holds for a port at most: a slot and a message buffer (rounded up to 8
 * bytes) per message of capacity - maxMessages for a queuing port, two for a sampling
 * port (double-buffered). That is how AIR's configurator sizes the PMK workspace for a
 * channel (air/tools/configurator/air/targets/sparc/config.py, get_sparc_configuration:
 * CPU_PORT_MSG_SLOT and CPU_PORT_MSG per message; air/pmk/core/ports_queuing.c,
 * pmk_queuing_channel_init, allocates them from the PMK workspace); here every port
 * counts, source and destination, because each holds its own messages. Both AIR and POK
 * take port buffers from a fixed kernel area (POK: kernel/middleware/portcreate.c,
 * pok_port_create, from the one pok_queue of queueinit.c); here they count against the
 * memory of the partition that owns the port, so that what a partition is given bounds
 * what it can make the kernel hold.
 */
export function portBufferBytes(port: Pick<PortConfig, 'kind' | 'maxMessageSize' | 'maxMessages'>): number {
  const message = Math.ceil(port.maxMessageSize / 8) * 8 + PORT_SLOT_BYTES;
  return (port.kind === 'sampling' ? 2 : port.maxMessages) * message;
}

const utf8 = new TextEncoder();

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
    if (!Number.isSafeInteger(partition.memorySize)) fail(`${path}.memory`, `must be a whole number of bytes, got ${partition.memorySize}`);
    else if (partition.memorySize < MINIMUM_PARTITION_MEMORY) fail(`${path}.memory`, `must be at least 64KiB, got ${partition.memorySize} bytes`);
    const names = new Set<string>();
    partition.ports.forEach((port, portIndex) => {
      const portPath = `${path}.ports[${portIndex}]`;
      if (names.has(port.name)) fail(`${portPath}.name`, `duplicate port name "${port.name}" in partition ${partition.name}`);
      names.add(port.name);
      // PORT_CREATE carries the name in the PortDescriptor's 32-byte field and compares it whole (PortTable.create).
      const nameBytes = utf8.encode(port.name).length;
      if (nameBytes > MAX_NAME) fail(`${portPath}.name`, `"${port.name}" is ${nameBytes} bytes; a port is created by a name of at most ${MAX_NAME} bytes (the PortDescriptor's name field)`);
      else if (port.name.includes('\0')) fail(`${portPath}.name`, 'a port name cannot contain a NUL character (the PortDescriptor name ends at the first one)');
      if (!Number.isSafeInteger(port.maxMessageSize) || port.maxMessageSize < 1 || port.maxMessageSize > 65536) fail(`${portPath}.maxMessageSize`, 'must be 1..65536 bytes');
      if (port.kind === 'queuing' && (!Number.isSafeInteger(port.maxMessages) || port.maxMessages < 1)) fail(`${portPath}.maxMessages`, 'a queuing port needs at least 1 message of capacity');
      if (port.kind === 'sampling' && (!Number.isSafeInteger(port.refreshPeriod) || port.refreshPeriod <= 0)) fail(`${portPath}.refreshPeriod`, 'a sampling port needs a positive refresh period');
    });
    // The kernel's buffers for a partition's ports count against that partition's memory:
    // a small partition cannot make the kernel (and the host) hold more than it was given.
    const buffers = partition.ports.reduce((sum, port) => sum + portBufferBytes(port), 0);
    if (Number.isSafeInteger(partition.memorySize) && buffers > partition.memorySize) {
      fail(
        `${path}.ports`,
        `the kernel's buffers for partition ${partition.name}'s ports need ${buffers} bytes, ${buffers - partition.memorySize} more than its ${partition.memorySize} bytes of memory (a port holds maxMessages messages, a sampling port 2, each maxMessageSize rounded up to 8 bytes plus a ${PORT_SLOT_BYTES}-byte slot)`,
      );
    }
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
