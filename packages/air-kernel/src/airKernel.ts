/**
 * The AIR-style Partition Management Kernel: the shared PartitionKernel machinery
 * (kernel-core) with AIR's mode-based schedules, table-driven health monitor,
 * permissions and immediate port transfers.
 *
 * Time partitioning as AIR's PMK (schedule.c, pmk_partition_scheduler): the module runs
 * one of several Module_Schedules, each a major time frame (MTF) of windows at fixed
 * offsets; time no window covers is idle. The kernel is tick-driven (TicksPerSecond) and
 * counts time in its ticks (++mtf_ticks, ++total_ticks at every clock tick; a window ends
 * when mtf_ticks >= next_switch_ticks): window offsets and lengths are multiples of the
 * tick, so a window opens and closes at the tick whose count reaches its edge - at that
 * tick's real instant, up to a tick early in real time where the hardware tick is shorter
 * than the nominal one (the i386 PIT's 999,847 ns), never a tick late (kernel-core
 * PartitionKernel.kernelTime). A schedule switch requested with SET_MODULE_SCHEDULE happens at
 * the end of the current MTF (pmk_apply_next_schedule runs only when the window index
 * wraps); then, for every partition of the new schedule, its ScheduleChangeAction is
 * applied if the partition is running in NORMAL mode (IDLE halts it, COLD_START /
 * WARM_START restart it with start condition NORMAL_START, IGNORE leaves it), and its
 * SET_SCHEDULE permission is recomputed from the new schedule's SetModuleSchedule flag
 * (supervisors always keep it).
 */
import { formatDuration, type Nanoseconds, type Platform, type TrapInfo } from '@paravirt/machine';
import {
  ErrorCode,
  type HypervisorBinding,
  type PartitionGuestFactory,
  PartitionMode,
  type Reply,
  type ScheduleStatus,
  StartCondition,
  Status,
  VirtualLine,
} from '@paravirt/paravirt-api';
import { type ErrorKind, PartitionKernel, type ScheduledWindow } from '@paravirt/kernel-core';
import { AirPartition } from './airPartition.js';
import { AirBinding } from './binding.js';
import {
  type AirConfig,
  type AirPartitionScheduleConfig,
  type AirScheduleConfig,
  airMemoryLayout,
  type ConfigError,
  initialScheduleIndex,
  PERMISSION_BITS,
  validateAirConfig,
} from './config.js';
import { airErrorName, airErrorOfCode, airErrorOfTrap, type HmDecision, HealthMonitorTables, SystemState, systemStateName } from './hm.js';
import { HmLog } from './hmLog.js';
import { AirPorts } from './ports.js';

export class AirConfigurationError extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors.map((error) => `${error.path}: ${error.message}`).join('\n'));
    this.name = 'AirConfigurationError';
  }
}

export interface AirKernelOptions {
  readonly platform: Platform;
  readonly config: AirConfig;
  /** The guest of each partition, by partition name. */
  readonly guests: Readonly<Record<string, PartitionGuestFactory>>;
  /** Called with every console write of a partition, as it happens. */
  readonly onConsole?: (partition: string, bytes: Uint8Array) => void;
}

export const AIR_KERNEL_NAME = 'air';

/** One window of a schedule's major frame, as offsets; owner -1 is idle time. */
interface FrameSlot {
  readonly owner: number;
  readonly start: Nanoseconds;
  readonly end: Nanoseconds;
}

/** The MTF as a sequence of windows with the gaps between them filled by idle slots. */
function frameSlots(schedule: AirScheduleConfig, indexOf: (name: string) => number): FrameSlot[] {
  const windows = schedule.partitions
    .flatMap((entry) => entry.windows.map((window) => ({ owner: indexOf(entry.partition), start: window.start, end: window.start + window.duration })))
    .sort((a, b) => a.start - b.start);
  const slots: FrameSlot[] = [];
  let cursor = 0;
  for (const window of windows) {
    if (window.start > cursor) slots.push({ owner: -1, start: cursor, end: window.start });
    slots.push(window);
    cursor = window.end;
  }
  if (cursor < schedule.majorFrame) slots.push({ owner: -1, start: cursor, end: schedule.majorFrame });
  return slots;
}

export class AirKernel extends PartitionKernel<AirPartition> {
  readonly config: AirConfig;
  readonly ports: AirPorts;
  readonly healthMonitor: HealthMonitorTables;
  readonly hmLog = new HmLog();
  /**
   * Kernel time of the last schedule switch (0 until one happens), as SCHEDULE_STATUS gives
   * it: AIR's last_switch_ticks (pmk_apply_next_schedule) counts kernel ticks. The summary's
   * and the trace's switch records are at the switch's real instant.
   */
  lastSwitchNs: Nanoseconds = 0;
  /** Why the module stopped (module-level SHUTDOWN), if it did. */
  moduleStopReason: string | undefined;
  /** Module restarts (module-level RESET or MODULE_CONTROL reset). */
  moduleResets = 0;
  private readonly frames: FrameSlot[][];
  private scheduleIndex: number;
  private nextScheduleIndex: number;
  private slot = 0;
  private frameStart: Nanoseconds = 0;

  constructor(options: AirKernelOptions) {
    const { platform, config } = options;
    const errors = validateAirConfig(config);
    for (const partition of config.partitions) {
      if (!options.guests[partition.name]) errors.push({ path: `partitions.${partition.name}`, message: 'no guest application for this partition' });
    }
    const layout = airMemoryLayout(config);
    if (layout.totalSize > platform.board.memory.size) {
      errors.push({ path: 'partitions', message: `partitions need ${layout.totalSize} bytes of physical memory, the board has ${platform.board.memory.size}` });
    }
    if (errors.length > 0) throw new AirConfigurationError(errors);
    const partitions = config.partitions.map((partition, index) => {
      const place = layout.partitions[index]!;
      return new AirPartition(
        { platform, id: partition.id, name: partition.name, physicalBase: place.physicalBase, size: place.size, guest: options.guests[partition.name]! },
        partition,
        index,
      );
    });
    const indexOf = (name: string): number => config.partitions.findIndex((partition) => partition.name === name);
    const routes = new Map(config.routes.map((route) => [route.line, indexOf(route.partition)]));
    super({ platform, partitions, kernelTick: config.kernelTick, routes, name: AIR_KERNEL_NAME, ...(options.onConsole ? { onConsole: options.onConsole } : {}) });
    this.config = config;
    this.frames = config.schedules.map((schedule) => frameSlots(schedule, indexOf));
    this.scheduleIndex = initialScheduleIndex(config);
    this.nextScheduleIndex = this.scheduleIndex;
    this.healthMonitor = new HealthMonitorTables(config.healthMonitor);
    // PORT_UPDATED is our extension: AIR's PMK only sets the destination port's `updated` flag.
    this.ports = new AirPorts(config.partitions, config.channels, (index) => this.partitions[index]!.raiseInterrupt(VirtualLine.PORT_UPDATED));
  }

  /** Boots the module: every partition cold-starts; the initial schedule's first window opens now. */
  boot(): void {
    this.start((partition) => partition.start('cold', StartCondition.NORMAL_START));
  }

  protected createBinding(): HypervisorBinding<AirPartition> {
    return new AirBinding(this);
  }

  // --- Schedules ---
  get currentSchedule(): AirScheduleConfig {
    return this.config.schedules[this.scheduleIndex]!;
  }

  get nextSchedule(): AirScheduleConfig {
    return this.config.schedules[this.nextScheduleIndex]!;
  }

  /** The partition's entry in the current schedule (undefined: it gets no time now). */
  scheduleEntry(partition: AirPartition): AirPartitionScheduleConfig | undefined {
    return this.currentSchedule.partitions.find((entry) => entry.partition === partition.name);
  }

  protected firstWindow(now: Nanoseconds): ScheduledWindow {
    this.frameStart = now;
    this.slot = 0;
    this.applySchedulePermissions();
    return this.slotWindow();
  }

  protected nextWindow(previous: ScheduledWindow): ScheduledWindow {
    this.slot++;
    if (this.slot >= this.frames[this.scheduleIndex]!.length) {
      // End of the major time frame: the only point where the schedule may change.
      this.frameStart = previous.end;
      this.slot = 0;
      if (this.nextScheduleIndex !== this.scheduleIndex) this.switchSchedule(previous.end);
    }
    return this.slotWindow();
  }

  private slotWindow(): ScheduledWindow {
    const slot = this.frames[this.scheduleIndex]![this.slot]!;
    return { owner: slot.owner, start: this.frameStart + slot.start, end: this.frameStart + slot.end };
  }

  /**
   * SET_MODULE_SCHEDULE: takes effect at the end of the current major time frame. As in AIR
   * (air/pmk/core/syscalls_schedule.c, pmk_syscall_set_schedule): NO_ACTION when the
   * schedule asked for is the *current* one - which leaves a switch requested earlier in
   * place - otherwise it becomes the next schedule, even if it already is (OK).
   */
  requestSchedule(caller: AirPartition, scheduleId: number): Reply {
    if (!caller.has('SET_SCHEDULE')) return { status: Status.PERMISSION };
    const index = this.config.schedules.findIndex((schedule) => schedule.id === scheduleId);
    if (index < 0) return { status: Status.INVALID_PARAM };
    if (index === this.scheduleIndex) return { status: Status.NO_ACTION };
    this.nextScheduleIndex = index;
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(this.platform.board.queue.now, this.name, 'schedule.request', { partition: caller.name, schedule: this.nextSchedule.name });
    return { status: Status.OK };
  }

  scheduleStatus(): ScheduleStatus {
    return {
      currentSchedule: this.currentSchedule.id,
      nextSchedule: this.nextSchedule.id,
      lastSwitchNs: this.lastSwitchNs,
      majorFrameNs: this.currentSchedule.majorFrame,
    };
  }

  /** Switches at the end of an MTF: `kernelTime` is the MTF's end, reached by the tick being taken now. */
  private switchSchedule(kernelTime: Nanoseconds): void {
    const from = this.currentSchedule.name;
    this.scheduleIndex = this.nextScheduleIndex;
    const schedule = this.currentSchedule;
    const now = this.platform.board.queue.now;
    this.lastSwitchNs = kernelTime;
    this.scheduleSwitches.push({ timeNs: now, from, to: schedule.name });
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(now, this.name, 'schedule.switch', { from, to: schedule.name });
    for (const entry of schedule.partitions) {
      const partition = this.partitions.find((candidate) => candidate.name === entry.partition)!;
      // AIR applies the change action only to a partition already running in NORMAL mode.
      if (partition.mode !== PartitionMode.NORMAL) continue;
      switch (entry.changeAction) {
        case 'IGNORE':
          break;
        case 'IDLE':
          this.stopPartition(partition);
          break;
        case 'COLD_START':
        case 'WARM_START':
          this.restartPartition(partition, entry.changeAction === 'COLD_START' ? 'cold' : 'warm', StartCondition.NORMAL_START);
          break;
      }
    }
    this.applySchedulePermissions();
  }

  /** AIR recomputes SET_SCHEDULE for the current schedule's partitions from SetModuleSchedule. */
  private applySchedulePermissions(): void {
    const supervisor = PERMISSION_BITS.SUPERVISOR;
    for (const entry of this.currentSchedule.partitions) {
      const partition = this.partitions.find((candidate) => candidate.name === entry.partition)!;
      if (entry.setModuleSchedule || (partition.permissions & supervisor) === supervisor) partition.permissions |= PERMISSION_BITS.SET_SCHEDULE;
      else partition.permissions &= ~PERMISSION_BITS.SET_SCHEDULE;
    }
  }

  /**
   * The FPU is for partitions with FPU_CONTROL, as in AIR: core_context_setup_partition
   * (pmk/arch/sparc/cpu.c) sets PSR.EF only for a partition with AIR_PERMISSION_FPU_CONTROL,
   * sparc_core_context_save / sparc_core_context_restore (pmk/arch/sparc/context_switch.S)
   * store and load f0-f31 + FSR at a partition switch only for it, and an fp_disabled from
   * any other partition goes to sparc_hm_handler as AIR_FLOAT_ERROR
   * (pmk/arch/sparc/health_monitor.c). One difference: AIR sets EF when the partition
   * starts and switches its FP registers from its first window on; here the partition gets
   * EF at its first FP instruction (one fp_disabled trap) and its FP registers are switched
   * from then on, so an FPU_CONTROL partition that never uses the FPU pays nothing
   * (kernel-core PartitionKernel.fpuDisabled).
   */
  protected override fpuAllowed(partition: AirPartition): boolean {
    return partition.has('FPU_CONTROL');
  }

  // --- Health monitor ---
  /** A fault the processor raised or a problem the kernel detected in `partition` (PartitionKernel hook). */
  raiseError(partition: AirPartition, _trap: TrapInfo | undefined, kind: ErrorKind, detail: string): boolean {
    return this.healthEvent(partition, this.systemState(partition, false), airErrorOfTrap(kind), detail, kind !== 'upcall');
  }

  /** An error the guest reports itself (HM_RAISE): application errors, deadline misses of its periodic processes. */
  reportError(partition: AirPartition, code: ErrorCode, message: string): boolean {
    if (code === ErrorCode.DEADLINE_MISSED) partition.deadlineMisses++;
    return this.healthEvent(partition, this.systemState(partition, true), airErrorOfCode(code), message, true);
  }

  /**
   * The system state the partition's error happened in: initialising while in COLD_START
   * or WARM_START; in NORMAL mode, errors the guest reports come from its processes
   * (PARTITION_PROC, where AIR's APEX layer raises them) and faults from the partition's
   * execution (PARTITION_EXEC).
   */
  private systemState(partition: AirPartition, reported: boolean): number {
    if (partition.mode === PartitionMode.COLD_START || partition.mode === PartitionMode.WARM_START) return SystemState.PARTITION_INIT;
    return reported ? SystemState.PARTITION_PROC : SystemState.PARTITION_EXEC;
  }

  /**
   * Logs the event, looks up the tables and applies the action. Returns true if the
   * partition was stopped or restarted (its code must not resume). `passToGuest` is false
   * when the guest's upcall entry itself is what failed (an HM_EVENT could not reach it).
   */
  private healthEvent(partition: AirPartition, state: number, error: number, detail: string, passToGuest: boolean): boolean {
    const decision = this.healthMonitor.decide(partition.name, state, error);
    const now = this.platform.board.queue.now;
    const text = `${airErrorName(error)} in ${systemStateName(state)}: ${detail}`;
    partition.hmEvents.push({ timeNs: now, error: decision.errorCode, level: decision.level.toLowerCase(), action: decision.action, detail: text });
    this.hmLog.add({ timeNs: now, partitionId: partition.id, error, state, level: decision.level, action: decision.action, detail: text });
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(now, this.name, 'hm', { partition: partition.name, error: decision.errorCode, level: decision.level, action: decision.action, detail: text });
    return this.applyAction(partition, decision, passToGuest);
  }

  private applyAction(partition: AirPartition, decision: HmDecision, passToGuest: boolean): boolean {
    switch (decision.action) {
      case 'IGNORE':
        // Partition (and process) level IGNORE hands the event to the partition's OS; module level IGNORE drops it.
        if (decision.level !== 'MODULE' && passToGuest) partition.raiseInterrupt(VirtualLine.HM_EVENT);
        return false;
      case 'SHUTDOWN':
        this.shutdown(`module shutdown by the health monitor: ${airErrorName(decision.error)} of partition ${partition.name}`);
        return true;
      case 'RESET':
        this.resetModule(StartCondition.HM_MODULE_RESTART);
        return true;
      case 'IDLE':
        this.stopPartition(partition);
        return true;
      case 'COLD_START':
      case 'WARM_START':
        this.restartPartition(partition, decision.action === 'COLD_START' ? 'cold' : 'warm', StartCondition.HM_PARTITION_RESTART);
        return true;
    }
  }

  // --- Partition and module control ---
  /** A restarted partition must create its ports again. */
  protected override partitionRestarted(partition: AirPartition): void {
    this.ports.resetPartition(partition.index);
  }

  /** Stops every partition and the processor (module-level SHUTDOWN). */
  shutdown(reason: string): void {
    if (this.moduleStopReason !== undefined) return;
    this.moduleStopReason = reason;
    for (const partition of this.partitions) partition.stop();
    this.platform.processor.stop(reason);
  }

  /**
   * Module restart: every partition cold-starts with `condition` and the initial schedule
   * is selected for the next major frame. The kernel's own time line goes on (the frame in
   * progress finishes), where AIR would reboot the processor.
   */
  resetModule(condition: StartCondition): void {
    this.moduleResets++;
    for (const partition of this.partitions) this.restartPartition(partition, 'cold', condition);
    this.nextScheduleIndex = initialScheduleIndex(this.config);
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(this.platform.board.queue.now, this.name, 'module.reset', { condition });
  }

  /** One line per schedule: its MTF and windows, for `paravirt check`. */
  describe(): string {
    return this.config.schedules
      .map((schedule, index) => {
        const slots = this.frames[index]!.map((slot) => `${slot.owner < 0 ? 'idle' : this.partitions[slot.owner]!.name} ${formatDuration(slot.start)}+${formatDuration(slot.end - slot.start)}`);
        return `${schedule.name} (id ${schedule.id}, MTF ${formatDuration(schedule.majorFrame)}${index === initialScheduleIndex(this.config) ? ', initial' : ''}): ${slots.join(', ')}`;
      })
      .join('\n');
  }
}
