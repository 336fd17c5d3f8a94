/**
 * Which kernel runs the module, built from the specification (or, for an ARINC 653 XML
 * file on kernel air, from AIR's own configuration as read). Each kernel states how much
 * physical memory its partitions need and which hypercall trap it uses on each
 * architecture (POK: i386 `int 0x2a`; AIR: its own vector).
 *
 * `paravirt check` and `paravirt run` both plan the module here, so the kernel's checks
 * and the hardware and guest limits (config/limits.ts) are the same for both: what check
 * accepts, run builds; what run refuses, check refuses with the same first line.
 */
import { AIR_HYPERCALL_TRAPS, AirKernel, type AirConfig, airMemoryLayout, validateAirConfig } from '@paravirt/air-kernel';
import type { ConfigError, Platform } from '@paravirt/machine';
import type { PartitionGuestFactory } from '@paravirt/paravirt-api';
import { PokKernel, pokMemoryLayout, validatePokConfig, type PokConfig } from '@paravirt/pok-kernel';
import { limitErrors } from '../config/limits.js';
import type { ModuleSpec } from '../config/moduleSpec.js';
import { toAirConfig } from '../config/toAir.js';
import { toPokConfig } from '../config/toPok.js';

export type ModuleKernel = PokKernel | AirKernel;

export type KernelPlan =
  | { readonly kernel: 'pok'; readonly config: PokConfig; readonly memoryNeeded: number; readonly traps: { readonly i386?: number; readonly sparc?: number } }
  | { readonly kernel: 'air'; readonly config: AirConfig; readonly memoryNeeded: number; readonly traps: { readonly i386?: number; readonly sparc?: number } };

/**
 * The kernel's configuration for `spec`, or every problem it has: the kernel's own, then
 * the limits of the board and the guests (bare metal: the limits only).
 */
export function planKernel(spec: ModuleSpec, airConfig?: AirConfig): { plan?: KernelPlan; errors: readonly ConfigError[] } {
  const planned = kernelPlan(spec, airConfig);
  const limits = limitErrors(spec);
  if (limits.length === 0) return planned;
  return { errors: [...planned.errors, ...limits] };
}

function kernelPlan(spec: ModuleSpec, airConfig?: AirConfig): { plan?: KernelPlan; errors: readonly ConfigError[] } {
  if (spec.kernel === 'pok') {
    const converted = toPokConfig(spec);
    if (!converted.config) return { errors: converted.errors };
    const errors = validatePokConfig(converted.config);
    if (errors.length > 0) return { errors };
    return { plan: { kernel: 'pok', config: converted.config, memoryNeeded: pokMemoryLayout(converted.config).totalSize, traps: {} }, errors: [] };
  }
  if (spec.kernel === 'air') {
    const config = airConfig ?? toAirConfig(spec).config;
    if (!config) return { errors: toAirConfig(spec).errors };
    const errors = validateAirConfig(config);
    if (errors.length > 0) return { errors };
    return { plan: { kernel: 'air', config, memoryNeeded: airMemoryLayout(config).totalSize, traps: AIR_HYPERCALL_TRAPS }, errors: [] };
  }
  return { errors: [] };
}

export function createKernel(
  plan: KernelPlan,
  platform: Platform,
  guests: Record<string, PartitionGuestFactory>,
  onConsole: (partition: string, bytes: Uint8Array) => void,
): ModuleKernel {
  return plan.kernel === 'pok' ? new PokKernel({ platform, config: plan.config, guests, onConsole }) : new AirKernel({ platform, config: plan.config, guests, onConsole });
}
