/**
 * The module configuration as the runner understands it, whatever file it came from (our
 * YAML/JSON, a POK config.yaml, an ARINC 653 / AIR XML file). The public format is
 * docs/architecture.md section 6 and docs/config.md; readConfig.ts reads and validates it, and
 * toPok.ts / toAir.ts turn it into each kernel's own configuration model.
 */
import type { CostTable, Nanoseconds } from '@paravirt/machine';
import type { PortConfig } from '@paravirt/kernel-core';

/** A registered kernel's name ('pok', 'air': run/kernels.ts), or 'none' for bare metal. */
export type KernelName = string;
/** A registered architecture's name ('i386', 'sparc': run/architectures.ts). */
export type ArchName = string;
export type LibcpuVariant = 'virtual' | 'native' | 'native-emulated';

export const LIBCPU_VARIANTS: readonly LibcpuVariant[] = ['virtual', 'native', 'native-emulated'];
export const SCHEDULE_CHANGE_ACTIONS = ['IGNORE', 'IDLE', 'WARM_START', 'COLD_START'] as const;
export type ScheduleChangeAction = (typeof SCHEDULE_CHANGE_ACTIONS)[number];
/** Kernel air's permissions (AIR's FPU_CONTROL, SET_SCHEDULE, ...); kernel pok ignores them (fpu-control: every POK-style partition may use the FPU). */
export const PERMISSIONS = ['fpu-control', 'set-schedule', 'set-partition-mode', 'module-control', 'supervisor'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface WindowSpec {
  readonly partition: string;
  readonly start: Nanoseconds;
  readonly duration: Nanoseconds;
}

export interface ScheduleSpec {
  readonly name: string;
  readonly majorFrame: Nanoseconds;
  readonly initial: boolean;
  readonly windows: readonly WindowSpec[];
  /** AIR: what happens to each partition when the module switches to this schedule (default IGNORE). */
  readonly changeActions: Readonly<Record<string, ScheduleChangeAction>>;
}

/** A port: the shape both kernels share (kernel-core's PortConfig); discipline only when the config fixes it. */
export type PortSpec = PortConfig;

export interface PartitionSpec {
  readonly name: string;
  /** Built-in sample name, or a path to a JS module exporting an application. */
  readonly app: string;
  readonly memory: { readonly size: number; readonly base?: number };
  readonly libcpu: LibcpuVariant;
  /** The guest's clock tick (RTEMS microseconds per tick), if the config overrides the application's. */
  readonly clockTick?: Nanoseconds;
  readonly system: boolean;
  readonly permissions: readonly Permission[];
  readonly ports: readonly PortSpec[];
}

export interface PortRef {
  readonly partition: string;
  readonly port: string;
}

export interface ChannelSpec {
  readonly source: PortRef;
  readonly destinations: readonly PortRef[];
}

export interface DeviceSpec {
  readonly kind: 'periodic-irq';
  /** Hardware interrupt line (i386 IRQ, SPARC level). */
  readonly line: number;
  readonly period: Nanoseconds;
  readonly jitter: Nanoseconds;
  readonly start?: Nanoseconds;
  /** Partition the line is routed to (partitioned runs). */
  readonly partition?: string;
}

export interface HealthMonitorSpec {
  /** Partition -> error kind -> action. */
  readonly partitions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Module-level: error kind -> action (AIR module HM table). */
  readonly module: Readonly<Record<string, string>>;
}

export interface ModuleSpec {
  readonly name: string;
  readonly kernel: KernelName;
  readonly arch: ArchName;
  readonly duration: Nanoseconds;
  readonly seed: number;
  readonly kernelTick: Nanoseconds;
  readonly frequencyHz?: number;
  readonly costs: Partial<CostTable>;
  readonly schedules: readonly ScheduleSpec[];
  readonly partitions: readonly PartitionSpec[];
  readonly channels: readonly ChannelSpec[];
  readonly devices: readonly DeviceSpec[];
  readonly healthMonitor: HealthMonitorSpec;
}

/** The schedule the module starts with: the one marked initial, else the first. */
export function initialSchedule(spec: ModuleSpec): ScheduleSpec | undefined {
  return spec.schedules.find((schedule) => schedule.initial) ?? spec.schedules[0];
}
