/**
 * The POK-style separation kernel: the shared PartitionKernel machinery (kernel-core)
 * with POK's schedule, error handling and port transfer model.
 *
 * Time partitioning as POK (kernel/core/sched.c): a major frame of slots run back to back,
 * each owned by one partition (a partition may own several); the kernel is tick-driven and
 * switches partition at the first tick whose kernel time reaches the slot's end
 * (pok_elect_partition: pok_sched_next_deadline <= POK_GETTICK(), pok_tick_counter
 * advanced by the nominal tick at every timer interrupt, core/time.h CLOCK_HANDLER).
 * Slot lengths are multiples of the tick, so the switch happens at the tick that reaches
 * the slot boundary in kernel time - at that tick's real instant, which on i386 (a PIT
 * tick of 999,847 ns for 1 ms) is up to a tick early in real time, never a tick late
 * (kernel-core PartitionKernel.kernelTime).
 * Ports are flushed at the start of every major frame (POK's default policy), or at the
 * end of the writer's slot (POK_NEEDS_FLUSH_ON_WINDOWS).
 *
 * The FPU (SPARC): POK does nothing for it. Its LEON3 reset code sets PSR = 0x10C0, EF
 * included, for good (kernel/arch/sparc/entry.S, reset_prehandler), its partition switch
 * saves only integer registers and windows (entry.S context_save / context_restore), and
 * an fp_disabled would be an unhandled trap (traps.c trap_handler: POK_FATAL). Every
 * partition thus runs with the FPU and sees the FP registers the previous one left. This
 * kernel keeps "every partition may use the FPU" but not the leak: it takes kernel-core's
 * lazy FPU (PartitionKernel.fpuDisabled, the default fpuAllowed) - a partition gets EF at
 * its first FP instruction, and from then on its FP registers are saved and restored at
 * every partition switch.
 */
import { formatDuration, type Nanoseconds, type Platform, type TrapInfo } from '@paravirt/machine';
import { type HypervisorBinding, type PartitionGuestFactory, StartCondition, VirtualLine } from '@paravirt/paravirt-api';
import { type ErrorKind, PartitionKernel, type ScheduledWindow } from '@paravirt/kernel-core';
import { PokBinding } from './binding.js';
import { type ConfigError, errorAction, type PokConfig, pokMemoryLayout, validatePokConfig } from './config.js';
import { POK_ERROR_OF_KIND, type PokErrorKind } from './errors.js';
import { PokPartition } from './pokPartition.js';
import { PokPorts } from './ports.js';

export class PokConfigurationError extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors.map((error) => `${error.path}: ${error.message}`).join('\n'));
    this.name = 'PokConfigurationError';
  }
}

export interface PokKernelOptions {
  readonly platform: Platform;
  readonly config: PokConfig;
  /** The guest of each partition, by partition name. */
  readonly guests: Readonly<Record<string, PartitionGuestFactory>>;
  /** Called with every console write of a partition, as it happens. */
  readonly onConsole?: (partition: string, bytes: Uint8Array) => void;
}

export const POK_KERNEL_NAME = 'pok';

export class PokKernel extends PartitionKernel<PokPartition> {
  readonly config: PokConfig;
  readonly ports: PokPorts;
  /** Index in config.slots of the open slot. */
  private slotIndex = 0;
  /** Each slot's partition, as its index in config.partitions (looked up once, not at every slot). */
  private readonly slotOwners: readonly number[];

  constructor(options: PokKernelOptions) {
    const { platform, config } = options;
    const errors = validatePokConfig(config);
    for (const partition of config.partitions) {
      if (!options.guests[partition.name]) errors.push({ path: `partitions.${partition.name}`, message: 'no guest application for this partition' });
    }
    const layout = pokMemoryLayout(config);
    if (layout.totalSize > platform.board.memory.size) {
      errors.push({ path: 'partitions', message: `partitions need ${layout.totalSize} bytes of physical memory, the board has ${platform.board.memory.size}` });
    }
    if (errors.length > 0) throw new PokConfigurationError(errors);
    const partitions = config.partitions.map((partition, index) => {
      const place = layout.partitions[index]!;
      const duration = config.slots.filter((slot) => slot.partition === partition.name).reduce((sum, slot) => sum + slot.duration, 0);
      return new PokPartition(
        { platform, id: index, name: partition.name, physicalBase: place.physicalBase, size: place.size, guest: options.guests[partition.name]! },
        partition,
        index,
        duration,
      );
    });
    const routes = new Map(config.routes.map((route) => [route.line, config.partitions.findIndex((partition) => partition.name === route.partition)]));
    super({ platform, partitions, kernelTick: config.kernelTick, routes, name: POK_KERNEL_NAME, ...(options.onConsole ? { onConsole: options.onConsole } : {}) });
    this.config = config;
    this.slotOwners = config.slots.map((slot) => config.partitions.findIndex((partition) => partition.name === slot.partition));
    // The major-frame flush takes NORMAL partitions' sources only (pok_port_flushall).
    this.ports = new PokPorts(config.partitions, config.channels, (index) => this.partitions[index]!.mode);
  }

  /** Boots the module: every partition cold-starts, the first slot opens now. */
  boot(): void {
    this.start((partition) => partition.start('cold', StartCondition.NORMAL_START));
  }

  protected createBinding(): HypervisorBinding<PokPartition> {
    return new PokBinding(this);
  }

  protected firstWindow(now: Nanoseconds): ScheduledWindow {
    this.slotIndex = 0;
    return this.slotWindow(now);
  }

  protected nextWindow(previous: ScheduledWindow): ScheduledWindow {
    this.slotIndex = (this.slotIndex + 1) % this.config.slots.length;
    return this.slotWindow(previous.end);
  }

  protected override windowBoundary(closing: ScheduledWindow): void {
    if (this.config.flush === 'slot-end') this.flushPorts(closing.owner);
    // POK's default flushing policy: every port at each major frame beginning.
    else if (this.slotIndex === 0) this.flushPorts();
  }

  private slotWindow(start: Nanoseconds): ScheduledWindow {
    const slot = this.config.slots[this.slotIndex]!;
    return { owner: this.slotOwners[this.slotIndex]!, start, end: start + slot.duration };
  }

  /** The open slot's index in the configuration. */
  get currentSlot(): number {
    return this.slotIndex;
  }

  raiseError(partition: PokPartition, _trap: TrapInfo | undefined, kind: ErrorKind, detail: string): boolean {
    return this.declareError(partition, POK_ERROR_OF_KIND[kind], detail);
  }

  /**
   * POK's pok_error_declare: applies the partition's configured action for `kind`. Returns
   * true if the partition was stopped or restarted (its code must not resume).
   */
  declareError(partition: PokPartition, kind: PokErrorKind, detail: string): boolean {
    const action = errorAction(partition.config, kind);
    const now = this.platform.board.queue.now;
    partition.hmEvents.push({ timeNs: now, error: kind, level: 'partition', action, detail });
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(now, this.name, 'hm', { partition: partition.name, error: kind, action, detail });
    switch (action) {
      case 'IGNORE':
        return false;
      case 'HANDLER':
        partition.raiseInterrupt(VirtualLine.HM_EVENT);
        return false;
      case 'IDLE':
        this.stopPartition(partition);
        return true;
      case 'COLD_START':
      case 'WARM_START':
        this.restartPartition(partition, action === 'COLD_START' ? 'cold' : 'warm', StartCondition.HM_PARTITION_RESTART);
        return true;
    }
  }

  /** A restarted partition must create its ports again. */
  protected override partitionRestarted(partition: PokPartition): void {
    this.ports.resetPartition(partition.index);
  }

  /** Stops every partition and the processor (module-level shutdown). */
  shutdown(reason: string): void {
    for (const partition of this.partitions) partition.stop();
    this.platform.processor.stop(reason);
  }

  private flushPorts(partition?: number): void {
    // Stamped with the kernel's clock, as every port time the guest sees (PartitionBinding.now).
    const updated = this.ports.flush(this.kernelTime(), partition);
    // Raised on every partition that received something, running or not (a stopped one discards it, counted).
    for (const index of updated) this.partitions[index]!.raiseInterrupt(VirtualLine.PORT_UPDATED);
  }

  describe(): string {
    return this.config.slots.map((slot) => `${slot.partition} ${formatDuration(slot.duration)}`).join(', ');
  }
}
