/**
 * The machinery every paravirtualizing separation kernel shares, whatever its schedule
 * model, health monitor and port semantics (POK-style and AIR-style kernels both extend
 * it; a new kernel supplies only those three and its binding - see docs/porting.md):
 *
 *  - supervisor entry on a Platform: the kernel tick (virtual timers of every partition,
 *    then the schedule), hardware lines routed to partitions as virtual lines, hypercalls
 *    through the shared dispatcher, faults to the kernel's health monitor;
 *  - the return path of every entry: to the open window's partition, delivering its
 *    deliverable virtual interrupts first, or to the kernel's idle loop;
 *  - the processor Workload: the open window's partition runs, or the kernel idles;
 *  - the kernel's clock: it counts its ticks, and its time is tick count x nominal tick
 *    (kernelTime), as POK's pok_tick_counter and AIR's total_ticks are, whatever the
 *    hardware's real tick period (the i386 PIT's 1 ms tick is 999,847 ns); virtual
 *    timers, TIME_GET and port time stamps read it (docs/execution-model.md, "Kernel time");
 *  - windows: their edges are kernel times, crossed at the tick whose kernel time reaches
 *    them, at the real instant of that tick's interrupt; with the partition-switch costs
 *    (save user state, address-space switch), the WINDOW_START virtual line, accounting
 *    and trace records at that real instant;
 *  - containment: whatever a partition's code throws (a raw program's step, its boot,
 *    an upcall; any value, a Proxy included) and a step that would run past the end of
 *    virtual time are errors of that partition for the kernel's health monitor (kinds
 *    'exception' and 'time'), never host exceptions.
 */
import {
  ExecutionAbandoned,
  MAX_TIME_NS,
  type Nanoseconds,
  type Platform,
  type ScheduledEvent,
  type SkippableIrqSource,
  type TrapInfo,
  type TrapOutcome,
  type WakeEpisode,
  WAIT_FOR_INTERRUPT,
  type Workload,
  describeThrown,
  isExecutionAbandoned,
} from '@paravirt/machine';
import { HW_LINE_COUNT, HypercallDispatcher, type HypervisorBinding, PARTITION_MODE_NAMES, type StartCondition, VirtualLine } from '@paravirt/paravirt-api';
import type { ErrorKind, FaultKind } from './errorKinds.js';
import type { HmEventRecord } from './hmEventLog.js';
import type { PartitionRuntime, TimerUpcallShape } from './partitionRuntime.js';
import type { VirtualInterruptStats } from './virtualInterrupts.js';
import { planWakes, type WakeSource } from './wakePlan.js';

/** Whether two lists of numbers are equal, element by element. */
function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>, length: number): boolean {
  for (let index = 0; index < length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * What the last episode of a kind changed (PartitionKernel.episodeKinds): its state
 * difference (the processor's registers part only if `complete`), whether the one before
 * changed the counters alike (`countersSteady`) and everything alike (`steady`: what a
 * fast-forward repeats), its busy periods, and for a tick its upcall's shape
 * (PartitionRuntime.timerUpcallShape).
 */
interface EpisodeKindRecord {
  readonly delta: Float64Array;
  readonly complete: boolean;
  countersSteady: boolean;
  steady: boolean;
  readonly shape: TimerUpcallShape | undefined;
  /** Its busy periods (WakeEpisode.busyPeriods: what lastWake tells after a credit that ends with one). */
  readonly busyPeriods: number;
}

/** What a kernel reports about one partition (the runner's JSON summary and table). */
export interface PartitionReport {
  readonly name: string;
  readonly mode: string;
  readonly restarts: number;
  readonly console: string;
  readonly cpuTimeNs: Nanoseconds;
  readonly idleTimeNs: Nanoseconds;
  readonly windows: number;
  readonly hypercalls: number;
  readonly privilegedFaults: number;
  /** Trap-and-emulate partitions: interrupt-flag instructions the kernel trapped and emulated, and their trap and emulation cycles. */
  readonly emulatedOperations: number;
  readonly emulationCycles: number;
  readonly virq: VirtualInterruptStats;
  readonly deadlineMisses: number;
  /** The first and last events (see HmEventLog); hmEventCount counts them all. */
  readonly hmEvents: readonly HmEventRecord[];
  readonly hmEventCount: number;
}

/** A module schedule switch (AIR-style kernels; empty for single-schedule kernels). */
export interface ScheduleSwitch {
  readonly timeNs: Nanoseconds;
  readonly from: string;
  readonly to: string;
}

/**
 * One hardware interrupt line as the kernel saw it: the interrupts it took there and what it
 * did with them, with the board's interrupt controller's own counts of the line when the
 * platform keeps them (Platform.interruptLineCounts).
 */
export interface HardwareLineReport {
  readonly line: number;
  /** The partition the line is routed to (raised there as virtual line HW_BASE + line), if any. */
  readonly partition: string | undefined;
  /** Requests the controller received on the line, absorbed into a pending one, and whether one is latched now. */
  readonly controller: { readonly raised: number; readonly coalesced: number; readonly pending: number } | undefined;
  /** Interrupts the kernel took on the line (its interrupt entries). */
  readonly taken: number;
  /** Of those, the ones no partition is routed to: discarded by the kernel (counted, never raised anywhere). */
  readonly notRouted: number;
}

export interface KernelReport {
  readonly kernel: string;
  readonly windowsRun: number;
  readonly switches: readonly ScheduleSwitch[];
  readonly partitions: readonly PartitionReport[];
  /** The hardware lines routed to a partition or taken by the kernel (the kernel tick excluded), in line order. */
  readonly hardware: readonly HardwareLineReport[];
}

/**
 * One window of a schedule: who owns it (-1: nobody, the processor idles) and when, in
 * kernel time (PartitionKernel.kernelTime): the window opens and closes at the real
 * instants of the ticks whose kernel time reaches `start` and `end`.
 */
export interface ScheduledWindow {
  readonly owner: number;
  readonly start: Nanoseconds;
  readonly end: Nanoseconds;
}

export interface PartitionKernelOptions<P extends PartitionRuntime> {
  readonly platform: Platform;
  readonly partitions: readonly P[];
  readonly kernelTick: Nanoseconds;
  /** Hardware line -> partition index. */
  readonly routes: ReadonlyMap<number, number>;
  /** Trace source name ('pok', 'air'). */
  readonly name: string;
  readonly onConsole?: (partition: string, bytes: Uint8Array) => void;
}

/** Windows a trap-and-emulate guest may spend with virtual interrupts stalled before the HM hears of it. */
export const STALL_WINDOWS = 3;

export abstract class PartitionKernel<P extends PartitionRuntime> implements Workload {
  readonly name: string;
  readonly platform: Platform;
  readonly partitions: readonly P[];
  readonly kernelTick: Nanoseconds;
  /** Windows opened since boot. */
  windowsRun = 0;
  /** Hardware interrupts taken per controller line (the kernel tick excluded), counted at the kernel's interrupt entry. */
  readonly hardwareTaken = new Array<number>(HW_LINE_COUNT).fill(0);
  /** Of those, the ones taken on a line routed to no partition (discarded by the kernel). */
  readonly hardwareNotRouted = new Array<number>(HW_LINE_COUNT).fill(0);
  private dispatcher: HypercallDispatcher<P> | undefined;
  private tickLine = -1;
  private readonly routes: ReadonlyMap<number, number>;
  private window: ScheduledWindow = { owner: -1, start: 0, end: 0 };
  private booted = false;
  /** Kernel ticks taken since boot (POK's pok_tick_counter, AIR's total_ticks). */
  private tickCount = 0;
  /** Kernel (and real) time at boot: kernel time counts ticks from here. */
  private epoch: Nanoseconds = 0;
  /** Real instant of the last tick's interrupt entry (the boot before the first tick). */
  private lastTickAt: Nanoseconds = 0;
  private readonly onConsole: ((partition: string, bytes: Uint8Array) => void) | undefined;
  /**
   * Fast-forward over idle ticks (on by default; the runner's --no-fast-forward turns it
   * off): see fastForwardIdleTicks. Off while a trace records the ticks. Also turns on the
   * deferral of timers that can only coalesce (VirtualTimer.defer), off while any trace records.
   */
  fastForward = true;
  /** Ticks accounted for by fast-forward instead of being simulated (a statistic, not part of any output). */
  fastForwardedTicks = 0;
  /** tickCount of the last tick that changed nothing (no virtual timer expiry, no window edge), else -1. */
  private quietTick = -1;
  /**
   * The earliest expiry of the running partitions' virtual timers (kernel time), or
   * -Infinity once one was armed or cancelled: ticks before it loop over no partition, so a
   * tick's cost does not grow with the number of partitions (issue 16).
   */
  private timersDue = -Infinity;
  /** The kernel time of the latest tick, simulated or fast-forwarded: where a deferred timer catches up to. */
  private readonly lastTickTime = (): Nanoseconds => this.epoch + this.tickCount * this.kernelTick;
  /**
   * Where in `partitions` the partitions are whose timers each tick advances - all but the
   * deferred ones (VirtualTimer.defer), in configuration order - so that a tick's loop is
   * as long as the partitions that can see their timer, not as the module.
   */
  private readonly ticking: number[];
  private readonly isTicking: boolean[];

  constructor(options: PartitionKernelOptions<P>) {
    this.name = options.name;
    this.platform = options.platform;
    this.partitions = options.partitions;
    this.ticking = this.partitions.map((_, index) => index);
    this.isTicking = this.partitions.map(() => true);
    this.partitions.forEach((partition, index) => {
      // Armed, cancelled or settled: due again at the next tick's check, and advanced at each tick.
      partition.timer.onChange = () => {
        this.timersDue = -Infinity;
        if (this.isTicking[index]) return;
        this.isTicking[index] = true;
        // In configuration order, shifted by hand: splice() allocates an array for what it
        // removes, and a partition joins and leaves this list at every switch (issue 16).
        const ticking = this.ticking;
        let at = ticking.length;
        ticking.push(index);
        while (at > 0 && ticking[at - 1]! > index) {
          ticking[at] = ticking[at - 1]!;
          at--;
        }
        ticking[at] = index;
      };
    });
    this.kernelTick = options.kernelTick;
    this.routes = options.routes;
    this.onConsole = options.onConsole;
  }

  /** The schedule's first window, starting at `now`. */
  protected abstract firstWindow(now: Nanoseconds): ScheduledWindow;
  /** The window after `previous` (called when the tick reaches previous.end). */
  protected abstract nextWindow(previous: ScheduledWindow): ScheduledWindow;
  /**
   * Declares an error of `partition` to the kernel's health monitor, which applies its
   * action. Returns true if the partition was stopped or restarted (its code must not resume).
   */
  abstract raiseError(partition: P, trap: TrapInfo | undefined, kind: ErrorKind, detail: string): boolean;
  /** The kernel's binding of the API (called once, at start). */
  protected abstract createBinding(): HypervisorBinding<P>;
  /** Window boundary hook (port flushes, schedule switches): `closing` just ended, `opening` is next. */
  protected windowBoundary(_closing: ScheduledWindow, _opening: ScheduledWindow): void {}
  /** Every tick, after virtual timers and before the schedule advances; `now` is the tick's kernel time. */
  protected tick(_now: Nanoseconds): void {}
  /**
   * Whether `partition` may use the FPU (see fpuDisabled): the kernel gives it the FPU at its
   * first FPU-disabled trap. Default: every partition may (POK-style kernels). A kernel with
   * a per-partition FPU permission overrides it (AIR-style: FPU_CONTROL).
   */
  protected fpuAllowed(_partition: P): boolean {
    return true;
  }

  /** Boots the module: installs the kernel, every partition cold-starts, the first window opens now. */
  start(startPartitions: (partition: P) => void): void {
    if (this.booted) return;
    this.booted = true;
    const platform = this.platform;
    this.dispatcher = new HypercallDispatcher(platform, platform.hypercallAbi, this.createBinding());
    platform.installSupervisor((trap) => this.entry(trap));
    this.tickLine = platform.startTickTimer(this.kernelTick);
    for (const line of this.routes.keys()) platform.setLineMasked(line, false);
    platform.processor.setWorkload(this);
    platform.processor.onWait = () => {
      if (!this.fastForwardIdleTicks()) this.fastForwardTimerUpcalls();
      this.markIdleWait();
    };
    for (const partition of this.partitions) startPartitions(partition);
    this.epoch = platform.board.queue.now;
    this.lastTickAt = this.epoch;
    this.window = this.firstWindow(this.epoch);
    this.openWindow();
    platform.processor.start();
  }

  /** Kernel ticks taken since boot. */
  get ticks(): number {
    return this.tickCount;
  }

  /**
   * The kernel's clock: boot time + ticks x nominal kernel tick at each tick, as the
   * kernels keep it - POK adds the tick's nominal length to pok_tick_counter at every
   * PIT interrupt (kernel/include/core/time.h CLOCK_HANDLER, called from
   * kernel/arch/x86/x86-qemu/pit.c pit_interrupt) and compares it with the slot deadline
   * (kernel/core/sched.c pok_elect_partition: pok_sched_next_deadline <= POK_GETTICK());
   * AIR counts ticks (air/pmk/core/schedule.c pmk_partition_scheduler: ++total_ticks,
   * switch when mtf_ticks >= next_switch_ticks). Between ticks, the real time elapsed
   * since the last tick's interrupt is added, at most one tick (a clock driver's
   * nanoseconds since the last tick), so the clock agrees with the tick count at every
   * tick, never runs backwards, and is the board's own time where the tick is exact
   * (SPARC GPTIMER). Virtual timers, TIME_GET clock 0 and port time stamps read it.
   */
  kernelTime(at: Nanoseconds = this.platform.board.queue.now): Nanoseconds {
    const tickTime = this.epoch + this.tickCount * this.kernelTick;
    return tickTime + Math.min(Math.max(0, at - this.lastTickAt), this.kernelTick);
  }

  /** The open window. */
  get currentWindow(): ScheduledWindow {
    return this.window;
  }

  /** The partition owning the open window, if any. */
  get current(): P | undefined {
    return this.partitions[this.window.owner];
  }

  partition(name: string): P | undefined {
    return this.partitions.find((partition) => partition.name === name);
  }

  // --- Workload ---
  /**
   * The open window's partition runs. Work done synchronously for it - its own code up to
   * its next yield, the kernel serving its traps, its upcalls, saving its state at a
   * switch - is charged to it as owed cycles and paid in its own time, preemptibly, ahead
   * of its next compute: a partition whose last instruction before a window boundary is
   * an expensive hypercall finishes paying for it in its next window instead of making
   * the next partition start late. Temporal isolation then holds to the cycle: nothing a
   * partition does moves another partition's window (docs/architecture.md section 7).
   */
  next(): number {
    const partition = this.current;
    this.inFlightGuestCycles = 0;
    if (!partition) {
      this.platform.enterSupervisor();
      return WAIT_FOR_INTERRUPT;
    }
    if (partition.owedCycles === 0) {
      let step: number;
      try {
        step = partition.running ? this.guestStep(partition) : WAIT_FOR_INTERRUPT;
      } finally {
        this.oweCharges(partition);
      }
      // As the processor does: a step takes at least one whole cycle.
      if (step !== WAIT_FOR_INTERRUPT) this.inFlightGuestCycles = step >= 1 ? Math.floor(step) : 1;
      if (partition.owedCycles === 0) {
        if (step === WAIT_FOR_INTERRUPT) this.platform.enterSupervisor();
        return step === WAIT_FOR_INTERRUPT ? step : this.inFlightGuestCycles;
      }
    } else if (partition.running) {
      this.platform.enterUser(partition.context);
    } else {
      this.platform.enterSupervisor();
    }
    const owed = partition.owedCycles;
    partition.owedCycles = 0;
    return owed + this.inFlightGuestCycles;
  }

  preempted(remainingCycles: number): void {
    const partition = this.current;
    if (!partition) return;
    // The owed part comes first in the step, so the guest's own cycles are the last to go.
    const guestRemaining = Math.min(remainingCycles, this.inFlightGuestCycles);
    partition.owedCycles += remainingCycles - guestRemaining;
    if (guestRemaining <= 0) return;
    try {
      partition.preempted(guestRemaining);
    } catch (error) {
      // An interrupt is being taken: the HM action applies, the partition's code is not resumed here.
      if (!isExecutionAbandoned(error)) this.raiseError(partition, undefined, 'exception', `guest code threw: ${describeThrown(error)}`);
    }
  }

  /**
   * Workload.pastEndOfTime: the step next() returned would end after the last instant
   * virtual time represents. A step is the open window's partition's own (its compute and
   * the work owed for it): an error of kind 'time' for its health monitor; the step is
   * dropped if that stopped or restarted the partition, else cut to end at the end of
   * time. Work the kernel charged for itself is only cut.
   */
  pastEndOfTime(cycles: number, kind: 'step' | 'charge'): boolean {
    const partition = this.current;
    if (kind !== 'step' || !partition?.running) return false;
    return this.raiseError(partition, undefined, 'time', `a step of ${cycles} cycles would run past the end of virtual time (${MAX_TIME_NS} ns)`);
  }

  /**
   * The partition's step, its guest code contained: a value it throws (anything: an Error,
   * a Proxy whose traps throw, a Symbol) is an error of kind 'exception' for the kernel's
   * health monitor, described in one bounded line. The trap in and out of the kernel is
   * charged to the partition, as for a processor exception, so a guest that throws on every
   * step still lets time pass. If the health monitor stopped or restarted the partition,
   * the step is abandoned (as a fault the kernel does not return from); otherwise the
   * faulting step takes one cycle and the guest is called again at its next step.
   */
  private guestStep(partition: P): number {
    try {
      return partition.step();
    } catch (error) {
      if (isExecutionAbandoned(error)) throw error;
      const costs = this.platform.costs;
      this.platform.processor.charge(costs.trapEntry + costs.trapExit);
      const stopped = this.raiseError(partition, undefined, 'exception', `guest code threw: ${describeThrown(error)}`);
      if (stopped) throw new ExecutionAbandoned(`partition ${partition.name}: its code threw and the health monitor stopped or restarted it`);
      return 1;
    }
  }

  /** The guest cycles inside the step next() returned last (the rest was owed work). */
  private inFlightGuestCycles = 0;

  /** Moves the processor's pending charges onto `partition`'s bill. */
  private oweCharges(partition: P): void {
    partition.owedCycles += this.platform.processor.takeCharges();
  }

  /**
   * Runs `work` for `partition`, charging it to the partition rather than to whoever runs
   * next. What was charged before stays where it is, and stays visible to localTime()
   * while `work` runs, so a vIRQ latency measured inside counts the kernel's entry too.
   */
  private onBehalfOf<T>(partition: P, work: () => T): T {
    const processor = this.platform.processor;
    const earlier = processor.chargedCycles;
    try {
      return work();
    } finally {
      // Nested calls leave what was charged before them in place, so the total never drops below `earlier`.
      partition.owedCycles += processor.takeCharges() - earlier;
      processor.charge(earlier);
    }
  }

  /** Module schedule switches so far (kernels with several schedules record them). */
  readonly scheduleSwitches: ScheduleSwitch[] = [];

  /** The state of every partition, for summaries. */
  report(): KernelReport {
    return {
      kernel: this.name,
      windowsRun: this.windowsRun,
      switches: [...this.scheduleSwitches],
      partitions: this.partitions.map((partition) => ({
        name: partition.name,
        mode: PARTITION_MODE_NAMES[partition.mode],
        restarts: partition.restarts,
        console: partition.console.text(),
        cpuTimeNs: partition.cpuTime(this.platform.board.queue.now),
        idleTimeNs: partition.idleTime(this.platform.board.queue.now),
        windows: partition.windows,
        hypercalls: partition.hypercalls,
        privilegedFaults: partition.privilegedFaults,
        emulatedOperations: partition.emulatedOperations,
        emulationCycles: partition.emulationCycles,
        virq: partition.virqStats(),
        deadlineMisses: partition.deadlineMisses,
        hmEvents: partition.hmEvents.entries(),
        hmEventCount: partition.hmEvents.total,
      })),
      hardware: this.hardwareReport(),
    };
  }

  private hardwareReport(): HardwareLineReport[] {
    const lines: HardwareLineReport[] = [];
    const counts = this.platform.interruptLineCounts?.bind(this.platform);
    for (let line = 0; line < HW_LINE_COUNT; line++) {
      const owner = this.routedTo(line);
      if (!owner && this.hardwareTaken[line] === 0) continue;
      const controller = counts?.(line);
      lines.push({
        line,
        partition: owner?.name,
        controller: controller && { raised: controller.raised, coalesced: controller.coalesced, pending: controller.pending ? 1 : 0 },
        taken: this.hardwareTaken[line]!,
        notRouted: this.hardwareNotRouted[line]!,
      });
    }
    return lines;
  }

  // --- Services for subclasses and bindings ---
  partitionById(id: number): P | undefined {
    return this.partitions.find((partition) => partition.id === id);
  }

  /** The partition hardware line `line` is routed to, if any. */
  private routedTo(line: number): P | undefined {
    return this.partitions[this.routes.get(line) ?? -1];
  }

  /**
   * `times` interrupts of hardware line `line` taken by the kernel: counted at its entry,
   * whatever becomes of them - raised on the partition the line is routed to (which counts
   * them again as their source and latches, coalesces or, stopped, discards them), or
   * discarded here if no partition is routed to it.
   */
  private takeHardwareInterrupts(line: number, times: number): void {
    this.hardwareTaken[line]! += times;
    const owner = this.routedTo(line);
    if (owner) owner.raiseInterrupt(VirtualLine.HW_BASE + line, times);
    else this.hardwareNotRouted[line]! += times;
  }

  /** True if hardware line `line` is routed to `partition`. */
  isRouted(line: number, partition: P): boolean {
    return this.routedTo(line) === partition;
  }

  /** Stops a partition (ARINC mode IDLE). */
  stopPartition(partition: P): void {
    partition.stop();
    this.traceMode(partition);
  }

  /** Restarts a partition (COLD_START / WARM_START): the guest reboots from scratch. */
  restartPartition(partition: P, kind: 'cold' | 'warm', condition: StartCondition): void {
    partition.start(kind, condition);
    this.partitionRestarted(partition);
    this.traceMode(partition);
  }

  /** Restart hook: forget kernel state the old guest created (ports, ...). */
  protected partitionRestarted(_partition: P): void {}

  console(partition: P, bytes: Uint8Array): void {
    partition.console.append(bytes);
    this.onConsole?.(partition.name, bytes);
  }

  /** Time the partition has executed: its window time while running, minus idle time. */
  executionTime(partition: P): Nanoseconds {
    return partition.cpuTime(this.platform.processor.localTime());
  }

  /** Records a partition mode change in the trace. */
  protected traceMode(partition: P): void {
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(this.platform.board.queue.now, this.name, 'partition.mode', { partition: partition.name, mode: partition.mode });
  }

  // --- Kernel entry ---
  private entry(trap: TrapInfo): TrapOutcome {
    switch (trap.class) {
      case 'interrupt':
        this.interrupt(trap.line ?? -1);
        return this.leave('return');
      case 'hypercall': {
        const caller = this.current;
        if (!caller) return this.leave('return');
        caller.hypercalls++;
        return this.leave(this.dispatcher!.dispatch(caller).outcome);
      }
      case 'privileged':
      case 'software':
      case 'memory':
      case 'illegal':
      case 'arithmetic':
      case 'protection':
        return this.leave(this.fault(trap, trap.class));
    }
  }

  private interrupt(line: number): void {
    const platform = this.platform;
    if (line === this.tickLine) {
      // The kernel counts the tick and compares its own time, ticks x nominal tick, with
      // the window edges (never the real time of a PIT that cannot divide exactly: that
      // would cross an edge up to a whole tick late). The switch happens now, at the real
      // instant of the tick that reaches the edge.
      this.tickCount++;
      this.lastTickAt = platform.board.queue.now;
      const now = this.kernelTime();
      let expiries = 0;
      if (now >= this.timersDue) {
        // Infinity until the loop ends; -Infinity if a timer changed meanwhile (onChange).
        this.timersDue = Infinity;
        let due = Infinity;
        const current = this.current;
        const defer = this.fastForward && !platform.board.trace.enabled;
        const ticking = this.ticking;
        for (let at = 0; at < ticking.length; at++) {
          const index = ticking[at]!;
          const partition = this.partitions[index]!;
          if (!partition.running) continue;
          const timer = partition.timer;
          expiries += timer.advance(now);
          const next = timer.nextExpiry;
          if (next === undefined) continue;
          // Outside its window with TIMER latched, its next expiries can only coalesce: counted
          // when it is next looked at (VirtualTimer.defer), not at every tick.
          if (defer && partition !== current && partition.interrupts.isPending(VirtualLine.TIMER)) {
            timer.defer(this.lastTickTime);
            this.isTicking[index] = false;
            for (let k = at; k < ticking.length - 1; k++) ticking[k] = ticking[k + 1]!;
            ticking.pop();
            at--;
          } else if (next < due) due = next;
        }
        if (this.timersDue === Infinity) this.timersDue = due;
      }
      this.tick(now);
      let edges = false;
      while (now >= this.window.end) {
        this.advanceWindow();
        edges = true;
      }
      this.quietTick = expiries === 0 && !edges ? this.tickCount : -1;
    } else if (line >= 0 && line < HW_LINE_COUNT) {
      this.takeHardwareInterrupts(line, 1);
    }
    platform.endOfInterrupt(line);
  }

  /**
   * Fast-forward over idle ticks (issue 16). Called by the processor each time it starts
   * waiting. If the episode that just ended was one kernel tick that changed nothing - the
   * tick woke the waiting processor, no virtual timer expired, no window edge was crossed,
   * and the kernel went back to waiting (the open window's partition stopped, or idle with
   * nothing owed and nothing delivered) - every following tick is the same episode again,
   * until the first instant that matters: the next window edge or virtual timer expiry of
   * a running partition (in kernel time), the next other event on the queue (a device,
   * a UART, anything else), or the end of the queue's run in progress (the runner's slice).
   * Those ticks are accounted for at once, exactly as if each had been simulated: the tick
   * timer and the interrupt controller move past them (Platform.skipTicks), the processor
   * counts their interrupts, cycles and waiting (Processor.creditWakes), the queue counts
   * their events (the timer's and the busy period's: the summary's `events` stays the
   * same), the kernel counts the ticks. Window, CPU and idle accounting needs nothing: it
   * is kept from the instants windows open and close and waits begin and end, none of
   * which falls in a skipped stretch. The next tick that matters runs as usual.
   * Off while a trace records the ticks (each would have written its trap record); on when
   * every sink ignores them (TraceSink.wantsTickTraps: a trace without `ticks`, the report).
   */
  private fastForwardIdleTicks(): boolean {
    if (!this.fastForward || this.quietTick !== this.tickCount || !this.idleTicksSkippable()) return false;
    const platform = this.platform;
    const board = platform.board;
    const processor = platform.processor;
    const episode = this.lastWakeKernelTick();
    if (episode === undefined || !this.idleWindow()) return false;
    // Quiet ticks in kernel time: before the window's end and every running partition's next expiry.
    const count = this.ticksThatFit(this.quietTicksAhead(), episode.overheadCycles);
    if (count < 1) return false;
    // What the architecture's state did in the tick that just ended (from the last wait's
    // mark): each skipped tick does the same. Unmarked (the wait before was not a candidate):
    // this tick is simulated, the wait after it marked.
    let stateDelta: Float64Array | undefined;
    if (processor.writeEpisodeState !== undefined) {
      const mark = this.idleMark;
      if (mark === undefined || !mark.marked) return false;
      // Where episodes leave last-value state (Processor.mixedEpisodesAdd false: a SPARC trap's
      // saved PC and nPC), a quiet tick's difference is that of one tick only after a tick
      // that ran no guest code (a quiet one, or one that crossed a window edge into no work):
      // after guest code, the trap window still holds what that left.
      if (processor.mixedEpisodesAdd !== true && !mark.afterKernelTick) return false;
      const length = processor.writeEpisodeState(mark.now, 0, true);
      for (let index = 0; index < length; index++) mark.delta[index] = mark.now[index]! - mark.before[index]!;
      stateDelta = mark.delta.subarray(0, length);
    }
    const queue = board.queue;
    const tickAt = platform.tickAt!.bind(platform);
    const lastAt = tickAt(count)!;
    // Credited while tickAt still counts from now (skipTicks moves the timer past them); the
    // processor sums the waits in closed form when the board can (Platform.tickGridGaps).
    const tickGridGaps = platform.tickGridGaps?.bind(platform);
    if (!processor.creditWakes!(count, (k) => tickAt(k)!, tickGridGaps && ((grid: number) => tickGridGaps(count, grid)), stateDelta)) return false;
    platform.skipTicks!(count);
    queue.creditEvents(2 * count);
    this.tickCount += count;
    this.lastTickAt = lastAt;
    this.quietTick = this.tickCount;
    this.fastForwardedTicks += count;
    return true;
  }

  /** Whether the idle-tick fast-forward may run at all: on, no sink wanting tick records, a board and processor that can skip ticks, no per-tick hook. */
  private idleTicksSkippable(): boolean {
    const platform = this.platform;
    const trace = platform.board.trace;
    // Recording: only if no sink wants the skipped ticks' records (their traps, nothing else).
    if ((trace.enabled && trace.tickTrapsWanted) || platform.tickAt === undefined || platform.skipTicks === undefined || platform.processor.creditWakes === undefined) return false;
    // A kernel with its own per-tick work (the tick() hook) is not skipped over.
    return this.tick === PartitionKernel.prototype.tick;
  }

  /** The processor's last wake-up, if it was the last kernel tick alone and ran no guest code (one interrupt, no steps, one busy period). */
  private lastWakeKernelTick(): WakeEpisode | undefined {
    const episode = this.platform.processor.lastWake;
    return episode !== undefined && episode.interrupts === 1 && episode.steps === 0 && episode.busyPeriods === 1 && episode.wokeAt === this.lastTickAt ? episode : undefined;
  }

  /** The open window's partition does nothing at a quiet tick: none, stopped, or idle with nothing owed and nothing to deliver. */
  private idleWindow(): boolean {
    const partition = this.current;
    return !partition?.running || (partition.waiting && partition.owedCycles === 0 && !partition.interrupts.hasUnmaskedPending());
  }

  /** Kernel ticks after the last one before the window's end and every running partition's next expiry (kernel time). */
  private quietTicksAhead(): number {
    return Math.ceil((this.nextTimerExpiry(this.window.end, undefined) - this.lastTickTime()) / this.kernelTick) - 1;
  }

  /**
   * The processor's state (episodeState, in full) at the last wait, if the next tick could be
   * a quiet one there: the idle-tick fast-forward takes what the tick then changed as what
   * each skipped tick changes (i386 context switches, SPARC trap counts, whatever else).
   */
  private idleMark: { readonly before: Float64Array; readonly now: Float64Array; readonly delta: Float64Array; marked: boolean; afterKernelTick: boolean } | undefined;

  /** At every wait, after the fast-forwards: marks it (idleMark) where the next tick may be quiet, else clears the mark. */
  private markIdleWait(): void {
    const processor = this.platform.processor;
    const mark = this.idleMark;
    if (!this.fastForward || processor.writeEpisodeState === undefined || !this.idleTicksSkippable() || !this.idleWindow() || !(this.quietTicksAhead() >= 1)) {
      if (mark !== undefined) mark.marked = false;
      return;
    }
    let marking = mark;
    if (marking === undefined) {
      const size = processor.episodeState!(true).length;
      this.idleMark = marking = { before: new Float64Array(size), now: new Float64Array(size), delta: new Float64Array(size), marked: false, afterKernelTick: false };
    }
    processor.writeEpisodeState(marking.before, 0, true);
    marking.marked = true;
    // The episode that just ended was a kernel tick that ran no guest code (simulated, or the last of those credited).
    marking.afterKernelTick = this.lastWakeKernelTick() !== undefined;
  }

  /**
   * The earliest next expiry (kernel time) of a running partition's timer that the ticks
   * advance, `except` one partition's, if before `until`; else `until`. Not the deferred
   * timers: their expiries only coalesce, counted by time whenever they are settled.
   */
  private nextTimerExpiry(until: Nanoseconds, except: P | undefined): Nanoseconds {
    for (const index of this.ticking) {
      const candidate = this.partitions[index]!;
      if (candidate === except || !candidate.running) continue;
      const expiry = candidate.timer.nextExpiry;
      if (expiry !== undefined && expiry < until) until = expiry;
    }
    return until;
  }

  /**
   * Of the next `quiet` kernel ticks, how many (from the first) a fast-forward may account
   * for: each one's episode - `cycles` of work from its interrupt - ends by the run's horizon
   * (the runner's slice) and before any other queued event (a device, a UART, ...). 0 if
   * not even the first, or if the tick timer cannot be skipped.
   */
  private ticksThatFit(quiet: number, cycles: number): number {
    const platform = this.platform;
    const queue = platform.board.queue;
    const horizon = queue.horizon;
    const tickEvent = platform.tickEvent;
    if (!(quiet >= 1) || horizon === undefined || tickEvent === undefined || platform.tickAt === undefined) return 0;
    const tickAt = platform.tickAt.bind(platform);
    const other = queue.peekTimeExcept(tickEvent);
    const clock = platform.processor.clock;
    const fits = (k: number): boolean => {
      const at = tickAt(k);
      if (at === undefined) return false;
      const end = clock.endOf(at, cycles);
      return end <= horizon && (other === undefined || end < other);
    };
    if (!fits(1)) return 0;
    let low = 1;
    let high = quiet;
    while (low < high) {
      const middle = low + Math.ceil((high - low) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * Devices whose interrupts the timer-upcall fast-forward may account for between ticks
   * (fastForwardTimerUpcalls): the composition hands in its periodic interrupt sources. A
   * device's raises are repeated only while they go to a partition other than the open
   * window's (or to none), as the last two did.
   */
  interruptSources: readonly SkippableIrqSource[] = [];

  /** The partition of the last wait that fastForwardTimerUpcalls saw (its state is episodeStates.previous), if that wait was seen. */
  private episodeMark: P | undefined;
  /**
   * The state at the last wait seen and at this one, their difference (reused: a kernel
   * compares them at every wait), how long the kernel's part is, the state with the
   * processor's counters only and in full, whether the last one was written in full, and
   * the kind of the episode before this one (-1: none known).
   */
  private episodeStates: { previous: Float64Array; current: Float64Array; readonly delta: Float64Array; readonly own: number; readonly counters: number; readonly full: number; previousFull: boolean; previousKind: number } | undefined;
  /**
   * Per partition and kind of episode - the set of what woke the processor, as a bit mask:
   * bit 0 the kernel tick (with the partition's TIMER upcall), bit 1 + i
   * interruptSources[i]'s interrupt - what the last one changed (EpisodeKindRecord). Kept
   * across the partition's windows, so that one episode alike in its next window makes a
   * kind steady again; no longer steady whenever a wait is not seen (the marks must be
   * consecutive) or an episode is of no kind.
   */
  private readonly episodeKinds = new Map<P, Map<number, EpisodeKindRecord>>();
  private wakeBuffers: { readonly instants: Float64Array; readonly kinds: Uint32Array } | undefined;

  /** Numbers of episodeState before the sources' and the processor's. */
  private static readonly EPISODE_PREFIX = 11;
  /** Numbers per interrupt source in episodeState. */
  private static readonly SOURCE_STATE = 6;
  /** At most this many wake-ups are accounted for at once (the next one is simulated, and the fast-forward goes on). */
  private static readonly WAKE_CAPACITY = 1 << 16;

  /**
   * What an episode moves, as numbers compared over consecutive waits: the queue's events,
   * the open window's partition's hypercalls, IDLE calls, timer expiries, TIMER raises (at
   * the source and at the controller), deliveries and coalesces, its windows, the kernel's
   * ticks; per interrupt source the kernel's count of its line and of its unrouted raises,
   * and its line's raises at the partition it is routed to (at the source and at the
   * controller), coalesces and discards; then the processor's episodeState (its counters
   * and the architecture's state).
   */
  private episodeState(partition: P, into: Float64Array, full: boolean): void {
    const interrupts = partition.interrupts;
    const line = VirtualLine.TIMER;
    into[0] = this.platform.board.queue.eventsRun;
    into[1] = partition.hypercalls;
    into[2] = partition.idleCalls;
    into[3] = partition.timer.expirations;
    into[4] = partition.raisedAtSource[line]!;
    into[5] = interrupts.raised[line]!;
    into[6] = interrupts.delivered[line]!;
    into[7] = interrupts.deliveredTotal;
    into[8] = interrupts.coalesced[line]!;
    into[9] = partition.windows;
    into[10] = this.tickCount;
    let at = PartitionKernel.EPISODE_PREFIX;
    for (const source of this.interruptSources) {
      const hardware = source.lineNumber;
      const owner = this.routedTo(hardware);
      const virtual = VirtualLine.HW_BASE + hardware;
      into[at++] = this.hardwareTaken[hardware] ?? 0;
      into[at++] = this.hardwareNotRouted[hardware] ?? 0;
      into[at++] = owner?.raisedAtSource[virtual] ?? 0;
      into[at++] = owner?.interrupts.raised[virtual] ?? 0;
      into[at++] = owner?.interrupts.coalesced[virtual] ?? 0;
      into[at++] = owner?.interrupts.discarded[virtual] ?? 0;
    }
    this.platform.processor.writeEpisodeState!(into, at, full);
  }

  /** episodeStates, sized for this module's sources and processor. */
  private episodeBuffers(): NonNullable<PartitionKernel<P>['episodeStates']> {
    const own = PartitionKernel.EPISODE_PREFIX + PartitionKernel.SOURCE_STATE * this.interruptSources.length;
    if (this.episodeStates?.own === own) return this.episodeStates;
    const processor = this.platform.processor;
    const full = own + processor.episodeState!(true).length;
    this.episodeStates = { previous: new Float64Array(full), current: new Float64Array(full), delta: new Float64Array(full), own, counters: own + processor.episodeState!(false).length, full, previousFull: false, previousKind: -1 };
    return this.episodeStates;
  }

  /**
   * The kind of the episode that moved the state by `delta` (episodeState), or -1. Bit 0: a
   * kernel tick whose only work in `partition` was its TIMER upcall (one expiry raised,
   * latched and delivered, nothing coalesced, no window opened); without it `partition`
   * was left alone. Bit 1 + i: one interrupt of interruptSources[i], raised at another
   * partition and coalesced or discarded there, or routed nowhere. One interrupt per bit.
   */
  private episodeKind(delta: Float64Array, partition: P): number {
    const prefix = PartitionKernel.EPISODE_PREFIX;
    const width = PartitionKernel.SOURCE_STATE;
    const sources = this.interruptSources;
    let kind = 0;
    let interrupts = 0;
    if (delta[10] === 1) {
      const timer = delta[3] === 1 && delta[4] === 1 && delta[5] === 1 && delta[6] === 1 && delta[7] === 1 && delta[8] === 0 && delta[9] === 0;
      if (!timer) return -1;
      kind = 1;
      interrupts = 1;
    } else {
      for (let index = 1; index <= 10; index++) if (delta[index] !== 0) return -1;
    }
    for (let index = 0; index < sources.length; index++) {
      const at = prefix + width * index;
      const taken = delta[at];
      if (taken === 0) continue;
      if (taken !== 1 || this.routedTo(sources[index]!.lineNumber) === partition) return -1;
      // Not routed, or raised once at its partition and coalesced or discarded there (never latched: that changes what comes next).
      const unrouted = delta[at + 1] === 1 && delta[at + 2] === 0;
      const absorbed = delta[at + 1] === 0 && delta[at + 2] === 1 && delta[at + 3] === 1 && delta[at + 4]! + delta[at + 5]! === 1;
      if (!unrouted && !absorbed) return -1;
      kind |= 1 << (1 + index);
      interrupts++;
    }
    return kind !== 0 && delta[prefix + width * sources.length] === interrupts ? kind : -1;
  }

  /**
   * Fast-forward over timer upcalls into an idle partition (issue 16), and over the device
   * interrupts between them. The open window's partition waits (IDLE) and its virtual timer,
   * with the kernel's tick as period, expires at every tick: each tick is an interrupt, the
   * kernel's tick, a TIMER upcall, the guest's clock tick, VIRQ_RETURN and IDLE again; a
   * periodic device routed to another partition (or to none) interrupts between them (or at
   * the same instant), each time counted and coalesced there. Called by the processor each
   * time it starts waiting (after fastForwardIdleTicks declined), it compares the state the
   * episode just ended moved (episodeState, number by number) with what the last episode of
   * the same kind moved (episodeKind). Once the tick's kind was seen twice alike and the
   * guest says its next ticks are as quiet (PartitionGuest.quietTimerUpcalls: nothing but
   * counting), the wake-ups ahead are planned in time order (planWakes: ticks before the
   * window's end and any other running partition's timer expiry; only kinds seen twice
   * alike; each episode over before the next wake-up, the run's horizon and any other
   * event) and accounted for at once, exactly as if each had run: the processor repeats each
   * kind's episode (creditWakeSequence: counters, cycles, waiting time, the architecture's
   * registers and trap counts), the partition its timer's expiries, TIMER deliveries with
   * each tick's latency on the cycle grid, hypercalls and idle time (creditTimerUpcalls,
   * whose guest counts its ticks, interrupts and hypercalls), the board its tick timer and
   * controller (skipTicks, skipDeviceRaises), each device its raises (skipRaises) and the
   * kernel their counts and their raises at their partitions (raiseInterrupt(line, n):
   * coalesced or discarded, as one at a time), the queue its events, the kernel its ticks.
   * Off while any trace records (each upcall writes records) and with --no-fast-forward.
   */
  private fastForwardTimerUpcalls(): void {
    const partition = this.current;
    const platform = this.platform;
    const processor = platform.processor;
    const candidate =
      this.fastForward &&
      partition !== undefined &&
      partition.running &&
      partition.waiting &&
      partition.owedCycles === 0 &&
      !partition.interrupts.hasUnmaskedPending() &&
      !platform.board.trace.enabled &&
      this.tick === PartitionKernel.prototype.tick &&
      platform.tickAt !== undefined &&
      platform.skipTicks !== undefined &&
      processor.creditWakeSequence !== undefined &&
      processor.episodeState !== undefined;
    if (!candidate) {
      this.episodeMark = undefined;
      return;
    }
    const buffers = this.episodeBuffers();
    let kinds = this.episodeKinds.get(partition);
    if (kinds === undefined) this.episodeKinds.set(partition, (kinds = new Map<number, EpisodeKindRecord>()));
    // The registers are compared too once some kind repeats by its counters (a credit is near).
    let full = false;
    for (const record of kinds.values()) if (record.countersSteady || record.complete) full = true;
    const { previous, current: state, delta } = buffers;
    this.episodeState(partition, state, full);
    const mark = this.episodeMark;
    const compared = full && buffers.previousFull ? buffers.full : buffers.counters;
    this.episodeMark = partition;
    // This wait's state is the next one's mark.
    buffers.previous = state;
    buffers.current = previous;
    buffers.previousFull = full;
    const episode = processor.lastWake;
    let kind = -1;
    if (mark === partition && episode !== undefined && episode.contiguous && episode.preemptions === 0) {
      for (let index = 0; index < compared; index++) delta[index] = state[index]! - previous[index]!;
      kind = this.episodeKind(delta, partition);
    }
    const shape = kind > 0 && kind & 1 ? partition.timerUpcallShape(this.lastTickAt, processor.clock) : undefined;
    const previousKind = buffers.previousKind;
    buffers.previousKind = kind;
    if (kind < 0 || (kind & 1 && shape === undefined)) {
      buffers.previousKind = -1;
      for (const record of kinds.values()) record.steady = false;
      return;
    }
    // Where kinds do not add up (Processor.mixedEpisodesAdd), a tick's difference is only the
    // ticks' after a tick: after another kind it holds what that one left last (a trap's saved
    // registers), and is not compared.
    const comparable = processor.mixedEpisodesAdd === true || (kind & 1 && previousKind > 0 && previousKind & 1);
    if (comparable) this.recordEpisodeKind(kinds, kind, delta, compared, shape, episode!.busyPeriods);
    if (kind & 1 && kinds.get(kind)?.steady === true) this.creditSteadyEpisodes(partition, kinds);
  }

  /** What an episode of `kind` changed (`delta`, compared over its first `compared` numbers): steady if the last one of its kind changed the same. */
  private recordEpisodeKind(kinds: Map<number, EpisodeKindRecord>, kind: number, delta: Float64Array, compared: number, shape: TimerUpcallShape | undefined, busyPeriods: number): void {
    const buffers = this.episodeStates!;
    const before = kinds.get(kind);
    const countersSame = before !== undefined && before.busyPeriods === busyPeriods && sameNumbers(before.delta, delta, buffers.counters) && before.shape?.toUpcall === shape?.toUpcall && before.shape?.toIdle === shape?.toIdle;
    if (countersSame && (compared === buffers.counters || (before.complete && sameNumbers(before.delta, delta, compared)))) {
      before.countersSteady = true;
      // Steady only when compared in full; counters alone leave the registers unchecked.
      before.steady = compared === buffers.full;
    } else {
      kinds.set(kind, { delta: delta.slice(), complete: compared === buffers.full, countersSteady: countersSame, steady: false, shape, busyPeriods });
    }
  }

  /** fastForwardTimerUpcalls' accounting, after a steady tick: see there. */
  private creditSteadyEpisodes(partition: P, kinds: ReadonlyMap<number, EpisodeKindRecord>): void {
    const platform = this.platform;
    const processor = platform.processor;
    const queue = platform.board.queue;
    const horizon = queue.horizon;
    const tickEvent = platform.tickEvent;
    if (horizon === undefined || tickEvent === undefined) return;
    // The partition's timer expires once at every tick: its period is the tick, its next expiry the next tick's.
    const timer = partition.timer;
    const period = timer.periodNs;
    const next = timer.nextExpiry;
    const tickTime = this.lastTickTime();
    if (period !== this.kernelTick || next === undefined || next <= tickTime || next > tickTime + period) return;
    // Ticks before the window's end and other timers' expiries (kernel time); this timer's expiries exist (the end of time).
    const capacity = PartitionKernel.WAKE_CAPACITY;
    let ticks = Math.min(capacity, Math.ceil((this.nextTimerExpiry(this.window.end, partition) - tickTime) / this.kernelTick) - 1, Math.floor((MAX_TIME_NS - next) / period));
    if (!(ticks >= 1)) return;
    ticks = Math.min(ticks, partition.quietTimerUpcalls(ticks));
    if (!(ticks >= 1)) return;
    // The sources: the tick (bit 0), then the devices whose raises keep being absorbed where they go.
    const tickAt = platform.tickAt!.bind(platform);
    // A tick the hardware makes of several interrupts (an i386 tick longer than 54.9 ms) cannot be placed: nothing is credited past it.
    if (tickAt(1) === undefined) return;
    const sources: WakeSource[] = [{ at: tickAt, limit: ticks }];
    const events: ScheduledEvent[] = [tickEvent];
    const devices: { readonly source: SkippableIrqSource; readonly bit: number }[] = [];
    const skipDeviceRaises = platform.skipDeviceRaises?.bind(platform);
    this.interruptSources.forEach((source, index) => {
      const event = source.nextEvent;
      // A board that cannot account for a device's raises (skipDeviceRaises) simulates them.
      if (skipDeviceRaises === undefined || event === undefined || source.raiseAt(1) === undefined || index >= 30) return;
      const owner = this.routedTo(source.lineNumber);
      if (owner !== undefined && owner.running && !owner.interrupts.isPending(VirtualLine.HW_BASE + source.lineNumber)) return;
      devices.push({ source, bit: 1 + index });
      // Bit 1 + index of the kinds is this plan source's: plan sources are numbered as the kinds' bits.
      while (sources.length < 1 + index) sources.push({ at: () => undefined, limit: 0 });
      sources.push({ at: (k) => source.raiseAt(k), limit: Infinity });
      events.push(event);
    });
    const prefix = PartitionKernel.EPISODE_PREFIX + PartitionKernel.SOURCE_STATE * this.interruptSources.length;
    const clock = processor.clock;
    // Where interleaved kinds do not simply add up (Processor.mixedEpisodesAdd), only kinds that end alike mix: the
    // ticks, each ending with the partition's IDLE (with or without a device at the same instant).
    const mixes = processor.mixedEpisodesAdd === true;
    const episodeEnd = (kind: number, start: Nanoseconds): Nanoseconds | undefined => {
      const record = kinds.get(kind);
      if (record?.steady !== true || !(mixes || kind & 1)) return undefined;
      return clock.endOf(start, record.delta[prefix + 2]! + record.delta[prefix + 3]!);
    };
    const plan = planWakes(sources, episodeEnd, horizon, queue.peekTimeExceptAll(events), capacity, this.wakeBuffers);
    this.wakeBuffers = { instants: plan.instants, kinds: plan.kinds };
    if (plan.count === 0) return;
    // The processor's episodes, one delta per kind in the plan.
    const used: number[] = [];
    const perKind: number[] = [];
    const index = new Uint32Array(plan.count);
    for (let at = 0; at < plan.count; at++) {
      const kind = plan.kinds[at]!;
      let position = used.indexOf(kind);
      if (position < 0) {
        position = used.push(kind) - 1;
        perKind.push(0);
      }
      perKind[position]!++;
      index[at] = position;
    }
    const records = used.map((kind) => kinds.get(kind)!);
    // Every tick's upcall the same hypercalls (a tick kind with a device changes nothing else in the partition).
    const tickRecords = used.filter((kind) => kind & 1).map((kind) => kinds.get(kind)!);
    if (tickRecords.some((record) => record.delta[1] !== tickRecords[0]!.delta[1] || record.delta[2] !== tickRecords[0]!.delta[2])) return;
    if (!processor.creditWakeSequence!(plan.count, plan.instants, index, records.map((record) => record.delta.subarray(prefix)), records.map((record) => record.busyPeriods))) return;
    // The ticks, their instants and upcall shapes, while tickAt still counts from now.
    const tickInstants: Nanoseconds[] = [];
    const tickShapes: TimerUpcallShape[] = [];
    let lastTick = -1;
    for (let at = 0; at < plan.count; at++) {
      if (!(plan.kinds[at]! & 1)) continue;
      tickInstants.push(plan.instants[at]!);
      tickShapes.push(kinds.get(plan.kinds[at]!)!.shape!);
      lastTick = at;
    }
    const tickCount = tickInstants.length;
    const skips: { readonly lastAt: Nanoseconds; readonly seq: number; readonly skip: () => void }[] = [];
    if (tickCount > 0) {
      const tickDelta = kinds.get(plan.kinds[lastTick]!)!.delta;
      partition.creditTimerUpcalls(tickCount, (k) => tickInstants[k - 1]!, (k) => tickShapes[k - 1]!, processor.clock, tickDelta[1]!, tickDelta[2]!);
      skips.push({ lastAt: tickInstants[tickCount - 1]!, seq: tickEvent.seq, skip: () => platform.skipTicks!(tickCount) });
      this.tickCount += tickCount;
      this.lastTickAt = tickInstants[tickCount - 1]!;
      this.quietTick = -1;
      this.fastForwardedTicks += tickCount;
    }
    for (const { source, bit } of devices) {
      const count = plan.perSource[bit]!;
      if (count === 0) continue;
      const hardware = source.lineNumber;
      const lastAt = source.raiseAt(count)!;
      skips.push({ lastAt, seq: source.nextEvent!.seq, skip: () => source.skipRaises(count) });
      skipDeviceRaises!(hardware, count, lastAt);
      this.takeHardwareInterrupts(hardware, count);
    }
    // Requeued in the order their last skipped events would have fired (and been requeued): equal-time events keep their order.
    skips.sort((a, b) => a.lastAt - b.lastAt || a.seq - b.seq);
    for (const { skip } of skips) skip();
    // As the last credited tick's timer loop left it.
    if (tickCount > 0) this.timersDue = this.nextTimerExpiry(Infinity, undefined);
    let fired = 0;
    records.forEach((record, position) => (fired += perKind[position]! * record.delta[0]!));
    queue.creditEvents(fired);
    // The next wait compares with the state after the last credited episode (in full, as the ticks were).
    const buffers = this.episodeBuffers();
    this.episodeState(partition, buffers.previous, true);
    buffers.previousFull = true;
    buffers.previousKind = plan.kinds[plan.count - 1]!;
  }

  private fault(trap: TrapInfo, kind: FaultKind): TrapOutcome {
    const partition = this.current;
    if (!partition) return 'return';
    if (trap.class === 'illegal' && this.platform.isFpuDisabledTrap?.(trap) === true) return this.fpuDisabled(partition, trap);
    // Trap-and-emulate: a native guest's interrupt-flag instruction acts on its virtual flag.
    if (partition.trapAndEmulate && (trap.class === 'privileged' || trap.class === 'software') && this.platform.emulateInterruptFlagOperation(trap, partition.interrupts.emulatedFlag)) {
      const costs = this.platform.costs;
      partition.emulatedOperations++;
      // What the emulation costs on top of the operation itself: the trap in and out, and the
      // kernel's emulation (the paravirtual guest pays a vCPU page access instead).
      partition.emulationCycles += costs.trapEntry + costs.trapExit + costs.privilegedInstruction;
      this.platform.processor.charge(costs.privilegedInstruction);
      return 'return';
    }
    if (trap.class === 'privileged') partition.privilegedFaults++;
    const detail = `${trap.name}${trap.instruction ? ` (${trap.instruction})` : ''}${trap.fault ? `: ${trap.fault.message}` : ''}`;
    return this.raiseError(partition, trap, kind, detail) ? 'abandon' : 'return';
  }

  /**
   * The kernel's lazy FPU (SPARC fp_disabled, tt 0x04: an FP instruction with PSR.EF = 0).
   * A partition starts without the FPU; at its first FP instruction the kernel gives it the
   * FPU for good (Platform.enableUserFpu: WRPSR with EF in the trap window and a zeroed FP
   * context, charged with the trap's entry and exit) and the instruction runs again; from then on its f0-f31 and FSR
   * are part of its saved state at every partition switch (saved at switch-out, restored at
   * switch-in), until it is stopped or restarted. So a partition that never uses the FPU
   * pays nothing, and another partition never sees its FP registers. A partition the kernel
   * does not let use the FPU (fpuAllowed: AIR-style without FPU_CONTROL) has an error of
   * kind 'fpu' for the health monitor instead, as AIR's sparc_hm_handler maps fp_disabled to
   * AIR_FLOAT_ERROR (pmk/arch/sparc/health_monitor.c, error_map); if the health monitor
   * lets it go on, the instruction is skipped.
   */
  private fpuDisabled(partition: P, trap: TrapInfo): TrapOutcome {
    if (this.fpuAllowed(partition) && this.platform.enableUserFpu?.() === true) {
      const trace = this.platform.board.trace;
      if (trace.enabled) trace.record(this.platform.board.queue.now, this.name, 'partition.fpu', { partition: partition.name });
      return 'return';
    }
    return this.raiseError(partition, trap, 'fpu', `${trap.name}${trap.instruction ? ` (${trap.instruction})` : ''}: the partition may not use the floating-point unit`) ? 'abandon' : 'return';
  }

  /** Leaves the kernel: to the open window's partition (delivering first) or to the idle loop. */
  private leave(outcome: TrapOutcome): TrapOutcome {
    const partition = this.current;
    if (!partition?.running) {
      this.platform.enterSupervisor();
      return outcome;
    }
    this.platform.enterUser(partition.context);
    const delivery = this.onBehalfOf(partition, () => partition.deliver());
    if (delivery === 'abandoned') return 'abandon';
    if (delivery === 'bad-entry' && this.raiseError(partition, undefined, 'upcall', 'virtual interrupt upcall entry has no code')) outcome = 'abandon';
    if (delivery === 'exception' && this.raiseError(partition, undefined, 'exception', `upcall threw: ${partition.interrupts.lastException ?? 'a value'}`)) outcome = 'abandon';
    if (!partition.running) {
      this.platform.enterSupervisor();
      return 'abandon';
    }
    return outcome;
  }

  // --- Windows ---
  /** Closes the open window and opens the next, at the real instant of the tick that reached its end. */
  private advanceWindow(): void {
    const closing = this.window;
    const leaving = this.current;
    const now = this.platform.board.queue.now;
    if (leaving?.trapAndEmulate && leaving.running) this.checkStall(leaving);
    leaving?.windowClosed(now);
    const trace = this.platform.board.trace;
    if (leaving && trace.enabled) trace.record(now, this.name, 'window.end', { partition: leaving.name });
    const opening = this.nextWindow(closing);
    this.windowBoundary(closing, opening);
    this.window = opening;
    const entering = this.current;
    if (entering !== leaving) {
      if (leaving?.running) this.onBehalfOf(leaving, () => this.platform.saveUserState());
      if (entering) this.platform.processor.charge(this.platform.costs.addressSpaceSwitch);
    }
    this.openWindow();
  }

  /**
   * A trap-and-emulate guest whose virtual interrupts stay off while one is pending for
   * STALL_WINDOWS of its windows in a row can no longer be interrupted: on i386 its POPF
   * (which restores IF without trapping at CPL 3) never re-enabled them. Reported once to
   * the health monitor, whose action decides what happens to the partition.
   */
  private checkStall(partition: P): void {
    const stalled = partition.interrupts.hasUnmaskedPending() && !partition.interrupts.emulatedFlag.enabled;
    partition.stalledWindows = stalled ? partition.stalledWindows + 1 : 0;
    if (partition.stalledWindows === STALL_WINDOWS) {
      this.raiseError(
        partition,
        undefined,
        'stall',
        `virtual interrupts stalled: disabled with an unmasked interrupt pending for ${STALL_WINDOWS} windows (trap-and-emulate cannot see an interrupt enable that does not trap, e.g. i386 POPF at CPL 3)`,
      );
    }
  }

  private openWindow(): void {
    const partition = this.current;
    // Everything that runs in a window runs for its owner: the host's watchdog names it.
    // The index + 1 is the partition's place in the module configuration (0: no partition).
    const activity = this.platform.processor.activity;
    activity.partition = partition ? this.window.owner + 1 : 0;
    activity.thread = 0;
    if (!partition) return;
    // What its timer raised while it was out of its windows, before anything of it runs.
    partition.timer.settle();
    const now = this.platform.board.queue.now;
    this.windowsRun++;
    partition.windowOpened(now);
    // A momentary notification: raised only for a guest that listens (line unmasked), so
    // partitions that do not care do not accumulate overruns for it.
    if (partition.running && !partition.interrupts.isMasked(VirtualLine.WINDOW_START)) partition.raiseInterrupt(VirtualLine.WINDOW_START);
    const trace = this.platform.board.trace;
    if (trace.enabled) trace.record(now, this.name, 'window.start', { partition: partition.name });
  }
}
