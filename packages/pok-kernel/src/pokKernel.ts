/**
 * The POK-style separation kernel. It runs in supervisor mode on any Platform (cpu-i386's
 * PC board, cpu-sparc's LEON3, or machine's SimplePlatform in tests); partitions run in
 * user mode in their own address space.
 *
 * Time partitioning as POK (kernel/core/sched.c): a major frame of slots run back to back,
 * each owned by one partition (a partition may own several); the kernel is tick-driven and
 * switches partition at the first tick at or after the slot's end (pok_elect_partition).
 * Slot lengths are multiples of the tick, so switches happen exactly on the slot boundaries.
 *
 * On every kernel entry (tick, device interrupt, hypercall, fault) the kernel decides where
 * to return: to the slot owner's user context, delivering its deliverable virtual
 * interrupts first, or to its own idle loop. A partition's pending virtual interrupts are
 * delivered at its window start before its guest resumes.
 */
import {
  formatDuration,
  type Nanoseconds,
  type Platform,
  type TrapInfo,
  type TrapOutcome,
  WAIT_FOR_INTERRUPT,
  type Workload,
} from '@paravirt/machine';
import {
  HypercallDispatcher,
  type PartitionGuestFactory,
  StartCondition,
  VirtualLine,
} from '@paravirt/paravirt-api';
import { PokBinding } from './binding.js';
import { type ConfigError, errorAction, type PokConfig, pokMemoryLayout, validatePokConfig } from './config.js';
import type { PokErrorKind } from './errors.js';
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
const TRACE_SOURCE = 'pok';

export class PokKernel implements Workload {
  readonly name = POK_KERNEL_NAME;
  readonly platform: Platform;
  readonly config: PokConfig;
  readonly partitions: readonly PokPartition[];
  readonly ports: PokPorts;
  /** Windows (slots) opened since boot. */
  windowsRun = 0;
  private readonly dispatcher: HypercallDispatcher<PokPartition>;
  private readonly tickLine: number;
  private readonly routes = new Map<number, PokPartition>();
  private slotIndex = 0;
  private slotStart: Nanoseconds = 0;
  private slotEnd: Nanoseconds;
  private booted = false;

  constructor(private readonly options: PokKernelOptions) {
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
    this.platform = platform;
    this.config = config;
    this.partitions = config.partitions.map((partition, index) => {
      const place = layout.partitions[index]!;
      const duration = config.slots.filter((slot) => slot.partition === partition.name).reduce((sum, slot) => sum + slot.duration, 0);
      return new PokPartition(
        { platform, id: index, name: partition.name, physicalBase: place.physicalBase, size: place.size, guest: options.guests[partition.name]! },
        partition,
        index,
        duration,
      );
    });
    this.ports = new PokPorts(config.partitions, config.channels);
    this.dispatcher = new HypercallDispatcher(platform, platform.hypercallAbi, new PokBinding(this));
    for (const route of config.routes) this.routes.set(route.line, this.partition(route.partition)!);
    this.slotEnd = config.slots[0]!.duration;
    platform.installSupervisor((trap) => this.entry(trap));
    this.tickLine = platform.startTickTimer(config.kernelTick);
    for (const line of this.routes.keys()) platform.setLineMasked(line, false);
    platform.processor.setWorkload(this);
  }

  /** Boots the module: every partition cold-starts, the first slot opens now. */
  start(): void {
    if (this.booted) return;
    this.booted = true;
    for (const partition of this.partitions) partition.start('cold', StartCondition.NORMAL_START);
    this.slotStart = this.platform.board.queue.now;
    this.slotEnd = this.slotStart + this.config.slots[0]!.duration;
    this.openWindow();
    this.platform.processor.start();
  }

  partition(name: string): PokPartition | undefined {
    return this.partitions.find((partition) => partition.name === name);
  }

  /** The partition owning the current slot. */
  get current(): PokPartition {
    return this.partition(this.config.slots[this.slotIndex]!.partition)!;
  }

  // --- Workload: the processor runs the current slot's partition, or the kernel idles ---
  next(): number {
    const partition = this.current;
    const step = partition.running ? partition.step() : WAIT_FOR_INTERRUPT;
    if (step === WAIT_FOR_INTERRUPT) this.platform.enterSupervisor();
    return step;
  }

  preempted(remainingCycles: number): void {
    this.current.preempted(remainingCycles);
  }

  // --- Kernel entry ---
  private entry(trap: TrapInfo): TrapOutcome {
    switch (trap.class) {
      case 'interrupt':
        this.interrupt(trap.line ?? -1);
        return this.leave('return');
      case 'hypercall': {
        const caller = this.current;
        caller.hypercalls++;
        const result = this.dispatcher.dispatch(caller);
        return this.leave(result.outcome);
      }
      case 'privileged':
      case 'software':
      case 'memory':
      case 'illegal':
      case 'arithmetic':
      case 'protection':
        return this.leave(this.fault(trap));
    }
  }

  private interrupt(line: number): void {
    const platform = this.platform;
    if (line === this.tickLine) {
      const now = platform.board.queue.now;
      for (const partition of this.partitions) if (partition.running) partition.timer.advance(now);
      // pok_elect_partition: switch when the slot's end has been reached.
      while (now >= this.slotEnd) this.nextSlot();
    } else {
      const owner = this.routes.get(line);
      if (owner?.running) owner.interrupts.raise(VirtualLine.HW_BASE + line);
    }
    platform.endOfInterrupt(line);
  }

  /** Leaves the kernel: to the slot owner (delivering first) or to the idle loop. */
  private leave(outcome: TrapOutcome): TrapOutcome {
    const partition = this.current;
    if (!partition.running) {
      this.platform.enterSupervisor();
      return outcome;
    }
    this.platform.enterUser(partition.context);
    const delivery = partition.deliver();
    if (delivery === 'abandoned') return 'abandon';
    if (delivery === 'bad-entry') {
      const stopped = this.raiseError(partition, 'ILLEGAL_REQUEST', 'virtual interrupt upcall entry has no code');
      if (stopped) return 'abandon';
    }
    if (!partition.running) {
      this.platform.enterSupervisor();
      return 'abandon';
    }
    return outcome;
  }

  private fault(trap: TrapInfo): TrapOutcome {
    const partition = this.current;
    const kind: PokErrorKind = trap.class === 'memory' ? 'MEMORY_VIOLATION' : trap.class === 'arithmetic' ? 'NUMERIC_ERROR' : 'ILLEGAL_REQUEST';
    if (trap.class === 'privileged') partition.privilegedFaults++;
    const detail = `${trap.name}${trap.instruction ? ` (${trap.instruction})` : ''}${trap.fault ? `: ${trap.fault.message}` : ''}`;
    return this.raiseError(partition, kind, detail) ? 'abandon' : 'return';
  }

  /**
   * Declares an error of `partition` and applies its configured action. Returns true if
   * the partition was stopped or restarted (its code must not resume).
   */
  raiseError(partition: PokPartition, kind: PokErrorKind, detail: string): boolean {
    const action = errorAction(partition.config, kind);
    const now = this.platform.board.queue.now;
    partition.hmEvents.push({ timeNs: now, error: kind, level: 'partition', action, detail });
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(now, TRACE_SOURCE, 'hm', { partition: partition.name, error: kind, action, detail });
    switch (action) {
      case 'IGNORE':
        return false;
      case 'HANDLER':
        partition.interrupts.raise(VirtualLine.HM_EVENT);
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

  stopPartition(partition: PokPartition): void {
    partition.stop();
    this.traceMode(partition);
  }

  restartPartition(partition: PokPartition, kind: 'cold' | 'warm', condition: StartCondition): void {
    partition.start(kind, condition);
    this.ports.resetPartition(partition.index);
    this.traceMode(partition);
  }

  /** Stops every partition and the processor (module-level shutdown). */
  shutdown(reason: string): void {
    for (const partition of this.partitions) partition.stop();
    this.platform.processor.stop(reason);
  }

  // --- Schedule ---
  private nextSlot(): void {
    const slots = this.config.slots;
    const leaving = this.current;
    const end = this.slotEnd;
    leaving.windowClosed(end - this.slotStart);
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(end, TRACE_SOURCE, 'window.end', { partition: leaving.name, slot: this.slotIndex });
    if (this.config.flush === 'slot-end') this.flushPorts(leaving.index);
    this.slotIndex = (this.slotIndex + 1) % slots.length;
    this.slotStart = end;
    this.slotEnd = end + slots[this.slotIndex]!.duration;
    // POK's default flushing policy: every port at each major frame beginning.
    if (this.slotIndex === 0 && this.config.flush === 'major-frame') this.flushPorts();
    const entering = this.current;
    if (entering !== leaving) {
      if (leaving.running) this.platform.saveUserState();
      this.platform.processor.charge(this.platform.costs.addressSpaceSwitch);
    }
    this.openWindow();
  }

  private openWindow(): void {
    const partition = this.current;
    this.windowsRun++;
    partition.windowOpened();
    if (partition.running) partition.interrupts.raise(VirtualLine.WINDOW_START);
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(this.slotStart, TRACE_SOURCE, 'window.start', { partition: partition.name, slot: this.slotIndex });
  }

  private flushPorts(partition?: number): void {
    const updated = this.ports.flush(this.platform.board.queue.now, partition);
    for (const index of updated) {
      const destination = this.partitions[index]!;
      if (destination.running) destination.interrupts.raise(VirtualLine.PORT_UPDATED);
    }
  }

  /** Time the partition has executed: closed windows plus the open one, minus idle time. */
  executionTime(partition: PokPartition): Nanoseconds {
    const open = partition === this.current ? this.platform.processor.localTime() - this.slotStart : 0;
    return Math.max(0, partition.windowNs + open - partition.idleNs);
  }

  console(partition: PokPartition, bytes: Uint8Array): void {
    for (const byte of bytes) partition.console.push(byte);
    this.options.onConsole?.(partition.name, bytes);
  }

  private traceMode(partition: PokPartition): void {
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(this.platform.board.queue.now, TRACE_SOURCE, 'partition.mode', { partition: partition.name, mode: partition.mode });
  }

  describe(): string {
    return this.config.slots.map((slot) => `${slot.partition} ${formatDuration(slot.duration)}`).join(', ');
  }
}
