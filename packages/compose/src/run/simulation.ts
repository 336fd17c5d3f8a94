/**
 * Composes a module from its specification and runs it: the board of the chosen
 * architecture, the kernel (or none: bare metal), one RTEMS guest per partition with the
 * paravirtual BSP, the external devices; then the event loop in slices of virtual time.
 * The runner is the only package that imports both sides (docs/architecture.md section 2).
 *
 * Composition takes the architecture and the kernel from their registries
 * (architectures.ts, kernels.ts) and never tests a name: the board, the BSP's context
 * port and interrupt lines come from the architecture descriptor, the kernel's
 * configuration, trap and construction from its registry entry.
 */
import { virtualPokGuest } from '@paravirt/bsp-virtualpok';
import { type RawApplication, isRawApplication } from '@paravirt/samples';
import { type Activity, type Nanoseconds, PeriodicIrqSource, type Platform, type TraceRecorder } from '@paravirt/machine';
import { HYPERCALLS, type PartitionGuestFactory } from '@paravirt/paravirt-api';
import type { KernelReport } from '@paravirt/kernel-core';
import type { AirConfig } from '@paravirt/air-kernel';
import { partitionedBoardMemory } from '../config/limits.js';
import { CliFailure, EXIT } from '../exitCodes.js';
import type { ModuleSpec, PartitionSpec } from '../config/moduleSpec.js';
import type { GuestApplication } from './application.js';
import { type ArchitectureEntry, architectures } from './architectures.js';
import { type ModuleKernel, planKernel } from './kernels.js';

export interface SimulationOptions {
  readonly spec: ModuleSpec;
  /** AIR's own configuration, when the module came from an ARINC 653 XML file. */
  readonly airConfig?: AirConfig;
  /** Every application the partitions name, resolved (samples by name, user modules loaded). */
  readonly applications: ReadonlyMap<string, GuestApplication>;
  readonly trace?: TraceRecorder;
  /** Activity words for the host's watchdog (over shared memory in the sandbox): the processor's, the kernel's and the executives'. */
  readonly activity?: Activity;
  /** Console bytes of a partition (bare metal: the application) as they are written. */
  readonly onConsole?: (partition: string, bytes: Uint8Array, timeNs: Nanoseconds) => void;
  /** Where a JS Error a guest threw points in the user's source, for the fatal error's message (the sandbox: location.ts). */
  readonly locateThrown?: (stack: string) => string | undefined;
  /**
   * Fast-forward over idle kernel ticks (PartitionKernel.fastForward; default true). Every
   * output - consoles, summary (events included), trace - is the same with it off.
   */
  readonly fastForward?: boolean;
}

export interface RunResult {
  readonly report: KernelReport;
  readonly virtualTimeNs: Nanoseconds;
  readonly events: number;
  /** Why the processor stopped before the end, if it did, and when. */
  readonly stopReason: string | undefined;
  readonly stoppedAt: Nanoseconds | undefined;
  /** Each configured device's raises, counted at the device (PeriodicIrqSource.raises), in configuration order. */
  readonly devices: ReadonlyArray<{ readonly line: number; readonly raised: number }>;
}

/** The devices' own raise counts, for RunResult.devices. */
export function deviceRaises(spec: ModuleSpec, sources: readonly PeriodicIrqSource[]): RunResult['devices'] {
  return spec.devices.map((device, index) => ({ line: device.line, raised: sources[index]!.raises }));
}

/** Thrown for a specification that cannot be composed (the CLI turns it into `error: ...`). */
export class CompositionError extends CliFailure {
  constructor(where: string, what: string) {
    super(where, what, EXIT.usage);
    this.name = 'CompositionError';
  }
}

/** Virtual time per slice: how often a host sees progress and may stop the run. */
export const DEFAULT_SLICE: Nanoseconds = 100_000_000;

export class Simulation {
  readonly platform: Platform;
  readonly kernel: ModuleKernel;
  private readonly devices: PeriodicIrqSource[] = [];
  private readonly architecture: ArchitectureEntry;

  constructor(private readonly options: SimulationOptions) {
    const { spec } = options;
    if (spec.kernel === 'none') throw new CompositionError('kernel', 'use BareMetalRun for --kernel none');
    const { plan, errors } = planKernel(spec, options.airConfig);
    if (!plan) {
      const first = errors[0]!;
      throw new CompositionError(first.path, first.message);
    }
    this.architecture = architectures.require(spec.arch);
    const { architecture } = this.architecture;
    this.platform = architecture.board.create({
      memorySize: partitionedBoardMemory(architecture, plan.memoryNeeded),
      seed: spec.seed,
      costs: spec.costs,
      ...(spec.frequencyHz ? { frequencyHz: spec.frequencyHz } : {}),
      ...(options.trace ? { trace: options.trace } : {}),
      ...(plan.hypercallTrap !== undefined ? { hypercallTrap: plan.hypercallTrap } : {}),
    });
    if (options.activity) this.platform.processor.activity = options.activity;
    const guests: Record<string, PartitionGuestFactory> = {};
    for (const partition of spec.partitions) guests[partition.name] = this.guest(partition);
    this.kernel = plan.create({ platform: this.platform, guests, onConsole: (partition, bytes) => options.onConsole?.(partition, bytes, this.platform.board.queue.now) });
    if (this.kernel.fastForward !== undefined) this.kernel.fastForward = options.fastForward ?? true;
    for (const partition of spec.partitions) {
      if (partition.libcpu === 'native-emulated') this.kernel.partition(partition.name)!.trapAndEmulate = true;
    }
    for (const device of spec.devices) {
      const prng = this.platform.board.prng.fork(`device-${device.line}`);
      this.devices.push(
        new PeriodicIrqSource(this.platform.board.queue, this.platform.deviceLine(device.line), {
          period: device.period,
          ...(device.jitter > 0 ? { jitter: device.jitter, prng } : {}),
          ...(device.start !== undefined ? { start: device.start } : {}),
          name: `device-${device.line}`,
        }),
      );
    }
    // The kernel's fast-forward may account for their interrupts between its ticks.
    if (this.kernel.interruptSources !== undefined) this.kernel.interruptSources = this.devices;
  }

  private guest(partition: PartitionSpec): PartitionGuestFactory {
    const application = this.options.applications.get(partition.app);
    if (!application) throw new CompositionError(`partitions.${partition.name}.app`, `unknown application "${partition.app}"`);
    if (isRawApplication(application)) return this.rawGuest(partition, application);
    const board = this.platform;
    return virtualPokGuest({
      application,
      architecture: this.architecture.architecture,
      name: partition.name,
      // libcpu: native / native-emulated run RTEMS's privileged interrupt operations in
      // the partition; the kernel faults them, or emulates them (trapAndEmulate below).
      ...(partition.libcpu !== 'virtual' ? { interruptLevel: this.nativeLibcpu(`partitions.${partition.name}.libcpu`).nativeCpu } : {}),
      ...(partition.clockTick !== undefined ? { configuration: { microsecondsPerTick: partition.clockTick / 1000 } } : {}),
      ...(this.options.trace ? { trace: this.options.trace } : {}),
      activity: board.processor.activity,
      now: () => board.board.queue.now,
      ...(this.options.locateThrown ? { locateThrown: this.options.locateThrown } : {}),
    });
  }

  /**
   * A raw program: the processor, the kernel's trap convention, the architecture's
   * privileged instructions and its own PRNG stream (one per partition, kept across
   * restarts so a restarted program does not replay itself).
   */
  private rawGuest(partition: PartitionSpec, application: RawApplication): PartitionGuestFactory {
    const native = this.nativeLibcpu(`partitions.${partition.name}.app`);
    const random = this.platform.board.prng.fork(`partition-${partition.name}`);
    const hypercalls = HYPERCALLS.map(({ number, name }) => ({ number, name }));
    return (start) =>
      application.create({
        processor: start.processor,
        abi: start.abi,
        instructions: native.privilegedInstructions(start.processor),
        hypercalls,
        random,
        define: (address, entry) => start.image.define(address, entry),
        startKind: start.startKind,
      });
  }

  /** libcpu-native on the module's architecture (planKernel refused built-in needs it cannot meet; a user module's are known only now). */
  private nativeLibcpu(where: string) {
    const native = this.architecture.native;
    if (native === undefined) throw new CompositionError(where, `libcpu-native has nothing for the ${this.architecture.name}: use libcpu virtual and an RTEMS application`);
    return native;
  }

  /** Runs [now, until) (virtual ns) in slices, calling `progress` after each: an event at exactly `until` is not run. */
  run(until: Nanoseconds, progress?: (now: Nanoseconds) => void, slice: Nanoseconds = DEFAULT_SLICE): void {
    this.start();
    while (!this.advance(until, slice)) progress?.(this.platform.board.queue.now);
    progress?.(this.platform.board.queue.now);
  }

  /** Boots the kernel and starts the devices: the first advance() runs from time 0. */
  start(): void {
    this.kernel.boot();
    for (const device of this.devices) device.start();
  }

  /** Runs one slice of [now, until); true once the run has reached `until`. */
  advance(until: Nanoseconds, slice: Nanoseconds = DEFAULT_SLICE): boolean {
    const queue = this.platform.board.queue;
    const processor = this.platform.processor;
    // A stopped module still lets time run out to the end, as the board would.
    queue.runBefore(processor.stopReason === undefined ? Math.min(until, queue.now + slice) : until);
    processor.activity.advance();
    return queue.now >= until;
  }

  /** Virtual time reached. */
  get now(): Nanoseconds {
    return this.platform.board.queue.now;
  }

  result(): RunResult {
    const board = this.platform.board;
    const processor = this.platform.processor;
    return {
      report: this.kernel.report(),
      virtualTimeNs: board.queue.now,
      events: board.queue.eventsRun,
      stopReason: processor.stopReason,
      stoppedAt: processor.stoppedAt,
      devices: deviceRaises(this.options.spec, this.devices),
    };
  }
}
