/**
 * The kernels the runner can compose a module with, by name. Each entry says how to turn
 * the module specification into the kernel's own configuration (or take the one read
 * from its native file: an ARINC 653 / AIR XML file for air), how to validate it, how
 * much physical memory its partitions need, which hypercall trap it takes on an
 * architecture (by position in the architecture descriptor's `hypercalls.traps`, never
 * by name) and how to build it. Adding a kernel is one entry here; `kernel: none` (bare
 * metal) is not a kernel and not in the registry.
 *
 * `paravirt check` and `paravirt run` both plan the module here, so the kernel's checks
 * and the hardware and guest limits (config/limits.ts) are the same for both: what check
 * accepts, run builds; what run refuses, check refuses with the same first line.
 */
import { airHypercallTrap, AirKernel, type AirConfig, airMemoryLayout, validateAirConfig } from '@paravirt/air-kernel';
import type { KernelReport, PartitionRuntime } from '@paravirt/kernel-core';
import type { Architecture, ConfigError, Platform, SkippableIrqSource } from '@paravirt/machine';
import type { PartitionGuestFactory } from '@paravirt/paravirt-api';
import { PokKernel, pokMemoryLayout, validatePokConfig, type PokConfig } from '@paravirt/pok-kernel';
import { limitErrors } from '../config/limits.js';
import type { ModuleSpec } from '../config/moduleSpec.js';
import { toAirConfig } from '../config/toAir.js';
import { toPokConfig } from '../config/toPok.js';
import { architectures } from './architectures.js';
import { Registry } from './registry.js';

/** What the runner needs of a kernel once it is built. */
export interface ModuleKernel {
  /** Starts the module: partitions boot, the first window opens now. */
  boot(): void;
  partition(name: string): PartitionRuntime | undefined;
  report(): KernelReport;
  /** Fast-forward over idle ticks, where the kernel has it (PartitionKernel.fastForward). */
  fastForward?: boolean;
  /** The module's periodic devices, whose interrupts the kernel's fast-forward may account for (PartitionKernel.interruptSources). */
  interruptSources?: readonly SkippableIrqSource[];
}

/** Configurations read from a kernel's own file format, when the module came from one. */
export interface ImportedConfigs {
  /** AIR's configuration as read from an ARINC 653 / AIR XML file. */
  readonly airConfig?: AirConfig;
}

/** What a kernel is built with besides its configuration. */
export interface KernelComposition {
  readonly platform: Platform;
  /** The guest of each partition, by partition name. */
  readonly guests: Readonly<Record<string, PartitionGuestFactory>>;
  readonly onConsole: (partition: string, bytes: Uint8Array) => void;
}

export interface KernelEntry<C = unknown> {
  /** What `kernel:` and `--kernel` say. */
  readonly name: string;
  /** The kernel's own configuration for the module, or why there is none. */
  convert(spec: ModuleSpec, imported: ImportedConfigs): { readonly config?: C; readonly errors: readonly ConfigError[] };
  /** The kernel's checks of its configuration (its configurator's). */
  validate(config: C): readonly ConfigError[];
  /** Physical memory the kernel and its partitions need (its memory layout's end). */
  memoryNeeded(config: C): number;
  /** The hypercall trap it takes on `architecture`, one of `architecture.hypercalls.traps`; undefined: the board's default. */
  hypercallTrap(architecture: Architecture): number | undefined;
  /** The kernel on the board, not yet booted. */
  create(config: C, composition: KernelComposition): ModuleKernel;
}

/** An entry with its configuration type checked, for the registry (which holds entries of any configuration type). */
export function kernelEntry<C>(entry: KernelEntry<C>): KernelEntry {
  return entry;
}

const pok = kernelEntry<PokConfig>({
  name: 'pok',
  convert: (spec) => toPokConfig(spec),
  validate: validatePokConfig,
  memoryNeeded: (config) => pokMemoryLayout(config).totalSize,
  // POK's int 0x2a on the i386: the board's default on every architecture.
  hypercallTrap: () => undefined,
  create: (config, { platform, guests, onConsole }) => new PokKernel({ platform, config, guests, onConsole }),
});

const air = kernelEntry<AirConfig>({
  name: 'air',
  convert: (spec, imported) => (imported.airConfig ? { config: imported.airConfig, errors: [] } : toAirConfig(spec)),
  validate: validateAirConfig,
  memoryNeeded: (config) => airMemoryLayout(config).totalSize,
  hypercallTrap: airHypercallTrap,
  create: (config, { platform, guests, onConsole }) => new AirKernel({ platform, config, guests, onConsole }),
});

export const kernels = new Registry<KernelEntry>('kernel', [pok, air]);

/** `kernel: none`: one application on the bare board, no kernel. */
export const BARE_METAL = 'none';

/** Every name `kernel:` and `--kernel` accept: the registered kernels, then bare metal. */
export function kernelNames(): readonly string[] {
  return [...kernels.names, BARE_METAL];
}

/** A module planned on its kernel: what the board needs, and the kernel to build on it. */
export interface KernelPlan {
  readonly kernel: string;
  readonly memoryNeeded: number;
  /** The board's hypercall trap (undefined: its default). */
  readonly hypercallTrap: number | undefined;
  create(composition: KernelComposition): ModuleKernel;
}

/**
 * The kernel's configuration for `spec`, or every problem it has: the kernel's own, then
 * the limits of the board and the guests (bare metal: the limits only).
 */
export function planKernel(spec: ModuleSpec, airConfig?: AirConfig): { plan?: KernelPlan; errors: readonly ConfigError[] } {
  const planned = kernelPlan(spec, airConfig ? { airConfig } : {});
  const limits = limitErrors(spec);
  if (limits.length === 0) return planned;
  return { errors: [...planned.errors, ...limits] };
}

function kernelPlan(spec: ModuleSpec, imported: ImportedConfigs): { plan?: KernelPlan; errors: readonly ConfigError[] } {
  const entry = kernels.get(spec.kernel);
  if (entry === undefined) return { errors: [] };
  const converted = entry.convert(spec, imported);
  const config = converted.config;
  if (config === undefined) return { errors: converted.errors };
  const errors = entry.validate(config);
  if (errors.length > 0) return { errors };
  const architecture = architectures.require(spec.arch).architecture;
  return {
    plan: {
      kernel: entry.name,
      memoryNeeded: entry.memoryNeeded(config),
      hypercallTrap: entry.hypercallTrap(architecture),
      create: (composition) => entry.create(config, composition),
    },
    errors: [],
  };
}
