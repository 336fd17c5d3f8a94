/**
 * The POK-style kernel's own configuration model (what POK generates into deployment.h
 * from its config.yaml: partitions with their size, the slot schedule, ports and
 * channels, per-partition error handling) and its validation. The runner builds one from
 * our YAML/JSON config; pokYaml.ts builds one from a POK config.yaml.
 */
import type { ConfigError, Nanoseconds } from '@paravirt/machine';
import { type ChannelConfig, type MemoryLayout, partitionMemoryLayout, type PartitionResources, type PortConfig, validatePartitionResources } from '@paravirt/kernel-core';
import { formatDuration } from '@paravirt/machine';
import { DEFAULT_POK_ACTIONS, type PokAction, type PokErrorKind } from './errors.js';

/** A port as POK configures it: the shared shape (its queuing discipline is part of the configuration). */
export type PokPortConfig = PortConfig;

export interface PokPartitionConfig extends PartitionResources {
  /** May use partition/module control services and read the HM log. */
  readonly system: boolean;
  /** Error kind -> action; kinds not listed use DEFAULT_POK_ACTIONS. */
  readonly errorActions: Readonly<Partial<Record<PokErrorKind, PokAction>>>;
  /** Partitions this one may send inter-partition virtual interrupts to. */
  readonly ipiTargets: readonly string[];
}

export interface PokSlot {
  readonly partition: string;
  readonly duration: Nanoseconds;
}

export type PokChannel = ChannelConfig;

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

  errors.push(...validatePartitionResources(config.partitions, config.channels));
  const names = new Set<string>();
  config.partitions.forEach((partition, index) => {
    const path = `partitions[${index}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(partition.name)) fail(`${path}.name`, `"${partition.name}" is not a valid partition name (letters, digits, _ . -; at most 32)`);
    if (names.has(partition.name)) fail(`${path}.name`, `duplicate partition name "${partition.name}"`);
    names.add(partition.name);
  });
  // POK's queuing ports are FIFO only (kernel/middleware/portqueueingcreate.c,
  // pok_port_queueing_create refuses PRIORITY): such a port could never be created.
  config.partitions.forEach((partition, index) => {
    partition.ports.forEach((port, portIndex) => {
      if (port.kind === 'queuing' && port.discipline === 'priority') {
        fail(`partitions[${index}].ports[${portIndex}].discipline`, 'POK queuing ports are FIFO only (POK refuses PRIORITY at creation): use fifo');
      }
    });
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

  config.routes.forEach((route, index) => {
    if (!names.has(route.partition)) fail(`routes[${index}].partition`, `unknown partition "${route.partition}"`);
    if (!Number.isInteger(route.line) || route.line < 0 || route.line > 15) fail(`routes[${index}].line`, `hardware line must be 0..15, got ${route.line}`);
  });
  return errors;
}

/** Where each partition lives in physical memory (the shared placement rules). */
export type PokMemoryLayout = MemoryLayout;

export function pokMemoryLayout(config: Pick<PokConfig, 'partitions'>): PokMemoryLayout {
  return partitionMemoryLayout(config.partitions);
}
