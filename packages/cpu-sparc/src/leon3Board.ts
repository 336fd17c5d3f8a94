/**
 * A LEON3 board (GRLIB leon3mp-style system): SPARC V8 processor, big-endian RAM, and on
 * the APB bus an APBUART at 0x80000100 (IRQ 2), the IRQMP at 0x80000200 and a GPTIMER at
 * 0x80000300 (timers on IRQ 8 and 9) - the addresses and lines of GRLIB's leon3mp
 * template design and of the GR712RC's first UART and timer unit.
 *
 * Bare-metal software uses the parts directly (processor instructions, trap tables,
 * device registers through supervisor loads and stores). A separation kernel uses the
 * board through machine's Platform interface.
 *
 * Memory map: physical RAM is [0, memorySize). The supervisor MMU context maps it 1:1
 * (supervisor only). A partition's context maps its memory at SPARC_USER_VIRTUAL_BASE
 * (0x40000000, where LEON3 boards have RAM) for user access, and keeps the kernel's 1:1
 * supervisor-only view of RAM, as SPARC kernels map themselves into every context (a trap
 * does not switch the MMU context). Contexts are region maps, not SRMMU page tables.
 */
import {
  Board,
  formatDuration,
  ProtectionContext,
  type HypercallAbi,
  type InterruptLineCounts,
  type IrqLine,
  LatchTimes,
  type Nanoseconds,
  type Platform,
  type ScheduledEvent,
  type SupervisorEntry,
  type TraceRecorder,
  type TrapInfo,
  type Uart,
  type UserContext,
  type UserContextSpec,
  type VirtualInterruptState,
} from '@paravirt/machine';
import { ApbBus } from './apbBus.js';
import { Apbuart } from './apbuart.js';
import { LEON3_DEFAULT_FREQUENCY_HZ, sparcCosts, type SparcCosts } from './costs.js';
import { GPTIMER_CTRL_EN, GPTIMER_CTRL_IE, GPTIMER_CTRL_LD, GPTIMER_CTRL_RS, GPTIMER_SCALER_RELOAD, GPTIMER_SCALER_VALUE, Gptimer, gptimerTimerOffset } from './gptimer.js';
import { sparcHypercallAbi } from './hypercallAbi.js';
import { Irqmp } from './irqmp.js';
import { MAX_INTERRUPT_LEVEL, NWINDOWS, PSR_EF, PSR_ET, PSR_PIL_MASK, PSR_PIL_SHIFT, psrWithPil } from './psr.js';
import { SPARC_SWTRAP_IRQDIS, SPARC_SWTRAP_IRQEN } from './rtemsTraps.js';
import { type FpRegisterSnapshot, SparcProcessor, type RegisterSnapshot } from './sparcProcessor.js';
import { TrapTable } from './trapTable.js';
import { softwareTrapType, TT_FP_DISABLED } from './trapTypes.js';
import { WindowStack } from './windowStack.js';

export const LEON3_APBUART_BASE = 0x8000_0100;
export const LEON3_IRQMP_BASE = 0x8000_0200;
export const LEON3_GPTIMER_BASE = 0x8000_0300;
export const LEON3_APBUART_IRQ = 2;
export const LEON3_GPTIMER_IRQ = 8;
/** Where a partition's memory appears in its MMU context. */
export const SPARC_USER_VIRTUAL_BASE = 0x4000_0000;
/** TBA of the trap table installSupervisor installs (the start of RAM in the supervisor view; the table itself is JavaScript). */
export const SUPERVISOR_TRAP_TABLE_BASE = 0x0000_0000;
/** Largest RAM the board maps (it must stay below the user window at 0x40000000). */
export const LEON3_MAX_MEMORY = 0x4000_0000;

/** Every IRQMP line (1..15) but the kernel tick's (GPTIMER timer 1): the lines a kernel may route to partitions. */
export const LEON3_ROUTABLE_LINES: readonly number[] = Object.freeze(Array.from({ length: MAX_INTERRUPT_LEVEL }, (_, index) => index + 1).filter((line) => line !== LEON3_GPTIMER_IRQ));

/**
 * A GPTIMER timer counts at most 2^32 prescaler ticks per period: its reload register is
 * 32 bits and a period is reload + 1 ticks (GRLIB IP Core User's Manual, GPTIMER).
 */
export const GPTIMER_MAX_PERIOD_TICKS = 2 ** 32;

/**
 * The GPTIMER prescaler reload the boot loader leaves for 1 MHz timer ticks (GRMON and
 * RTEMS's LEON3 BSPs rely on it): round(f / 1 MHz) - 1, at least 0.
 */
export function leon3BootPrescalerReload(frequencyHz: number): number {
  return Math.max(1, Math.round(frequencyHz / 1_000_000)) - 1;
}

/** The timer ticks (prescaler underflows) of the kernel tick startTickTimer() programs: round(period x tick frequency), at least 1. */
export function leon3TickTicks(periodNs: Nanoseconds, frequencyHz: number = LEON3_DEFAULT_FREQUENCY_HZ): number {
  const tickHz = frequencyHz / (leon3BootPrescalerReload(frequencyHz) + 1);
  return Math.max(1, Math.round((periodNs * tickHz) / 1e9));
}

/**
 * Why GPTIMER timer 1 cannot produce a kernel tick of `periodNs` on a LEON3 clocked at
 * `frequencyHz`, or undefined. Short ticks are rounded up to one timer tick (1 us); the
 * longest is 2^32 timer ticks (about 71.6 min at 1 MHz), the reload register's range.
 */
export function leon3TickProblem(periodNs: Nanoseconds, frequencyHz: number = LEON3_DEFAULT_FREQUENCY_HZ): string | undefined {
  if (!Number.isSafeInteger(periodNs) || periodNs <= 0) return `the tick must be a positive whole number of ns, got ${periodNs}`;
  const ticks = leon3TickTicks(periodNs, frequencyHz);
  if (ticks > GPTIMER_MAX_PERIOD_TICKS) {
    const tickHz = frequencyHz / (leon3BootPrescalerReload(frequencyHz) + 1);
    const longest = Math.floor((GPTIMER_MAX_PERIOD_TICKS * 1e9) / tickHz);
    return `${formatDuration(periodNs)} is longer than the LEON3 GPTIMER can tick: its 32-bit reload register counts at most 2^32 timer ticks of ${formatDuration(Math.round(1e9 / tickHz))}, so the tick must be at most ${formatDuration(longest)}`;
  }
  return undefined;
}

export interface Leon3BoardOptions {
  readonly memorySize: number;
  /** Processor and APB clock (default 50 MHz). */
  readonly frequencyHz?: number;
  readonly costs?: Partial<SparcCosts>;
  readonly seed?: number;
  readonly trace?: TraceRecorder;
  /** Time the APBUART takes per byte (default 0). */
  readonly uartCharTime?: Nanoseconds;
  /** Software trap of the hypercall ABI (default 0x70, tt 0xF0). */
  readonly hypercallSoftwareTrap?: number;
}

/**
 * The CWP a partition starts at (and restarts at), with only that window valid: the state
 * RTEMS's start.S leaves (CWP 0, WIM_INIT marking window 1 invalid).
 */
const PARTITION_INITIAL_CWP = 0;

/** What the kernel keeps per partition: its register state and the stack its windows spill to. */
interface PartitionRegisters {
  readonly context: UserContext;
  stack: WindowStack;
  snapshot: RegisterSnapshot | undefined;
  /** The window its registers were saved from, where they are restored (PSR.CWP is part of its context). */
  cwp: number;
  /** registerMutations when the snapshot was taken: equal means the live registers still match it. */
  savedAt: number | undefined;
  /** The emulated PIL of a native guest under trap-and-emulate. */
  virtualPil: number;
  /**
   * The kernel gave the partition its FPU (enableUserFpu, at its first fp_disabled): PSR.EF
   * is set whenever it runs and f0-f31 + FSR are part of its context.
   */
  fpu: boolean;
  /** Its f0-f31 and FSR as saved at its last switch-out. */
  fpSnapshot: FpRegisterSnapshot | undefined;
}

function freshRegisters(context: UserContext): PartitionRegisters {
  return { context, stack: new WindowStack(context.name), snapshot: undefined, cwp: PARTITION_INITIAL_CWP, savedAt: undefined, virtualPil: 0, fpu: false, fpSnapshot: undefined };
}

export class Leon3Board implements Platform {
  readonly arch = 'sparc';
  readonly board: Board;
  readonly processor: SparcProcessor;
  readonly irqmp: Irqmp;
  readonly gptimer: Gptimer;
  readonly apbuart: Apbuart;
  readonly apb: ApbBus;
  readonly costs: SparcCosts;
  readonly hypercallAbi: HypercallAbi;
  /** Every IRQMP line except the tick timer's. */
  readonly routableLines: readonly number[];
  private readonly partitions = new Map<UserContext, PartitionRegisters>();
  /** The partition whose registers are in the register file (undefined once discarded). */
  private resident: PartitionRegisters | undefined;
  /**
   * saveUserState saved the resident partition for a partition switch: the next enterUser
   * restores in full whoever enters - the same partition too - whatever ran before.
   */
  private switchedOut = false;
  private user: UserContext | undefined;
  /** Emulated PIL of a native guest running without user contexts. */
  private supervisorVirtualPil = 0;
  private tickPeriod: Nanoseconds | undefined;
  private readonly latches: LatchTimes;

  constructor(options: Leon3BoardOptions) {
    const { memorySize } = options;
    if (!Number.isSafeInteger(memorySize) || memorySize <= 0 || memorySize > LEON3_MAX_MEMORY) {
      throw new RangeError(`LEON3 board memory must be 1 byte..1 GiB, got ${memorySize}`);
    }
    this.board = new Board({
      memorySize,
      endianness: 'big',
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.trace !== undefined ? { trace: options.trace } : {}),
    });
    const queue = this.board.queue;
    this.costs = sparcCosts(options.costs);
    this.apb = new ApbBus();
    this.irqmp = new Irqmp();
    this.processor = new SparcProcessor(queue, this.irqmp, this.board.checked, {
      frequencyHz: options.frequencyHz ?? LEON3_DEFAULT_FREQUENCY_HZ,
      costs: this.costs,
      trace: this.board.trace,
      io: this.apb,
    });
    this.latches = new LatchTimes(queue, this.irqmp.coalesced);
    this.gptimer = new Gptimer(queue, this.processor.clock, (irq) => this.latches.wrap(this.irqmp.line(irq)), { irq: LEON3_GPTIMER_IRQ });
    this.apbuart = new Apbuart(queue, this.latches.wrap(this.irqmp.line(LEON3_APBUART_IRQ)), { charTime: options.uartCharTime ?? 0 });
    this.apb.map(LEON3_APBUART_BASE, 0x100, this.apbuart, 'apbuart');
    this.apb.map(LEON3_IRQMP_BASE, 0x100, this.irqmp, 'irqmp');
    this.apb.map(LEON3_GPTIMER_BASE, 0x100, this.gptimer, 'gptimer');
    this.hypercallAbi = sparcHypercallAbi(options.hypercallSoftwareTrap);
    const tickLine = this.gptimer.lineOf(1);
    this.routableLines = Array.from({ length: MAX_INTERRUPT_LEVEL }, (_, index) => index + 1).filter((line) => line !== tickLine);

    // What the boot code leaves behind: one invalid window above CWP 0 (RTEMS start.S,
    // WIM_INIT), and a prescaler giving 1 MHz timer ticks (LEON3 boot loaders and GRMON
    // set it so; RTEMS's LEON3 clock driver relies on it).
    this.processor.setWindowInvalidMask(1 << 1);
    const prescaler = leon3BootPrescalerReload(this.processor.clock.frequencyHz);
    this.gptimer.write(GPTIMER_SCALER_RELOAD, prescaler);
    this.gptimer.write(GPTIMER_SCALER_VALUE, prescaler);
  }

  /** The console: APBUART's byte streams. */
  get uart(): Uart {
    return this.apbuart.uart;
  }

  /**
   * Installs a trap table whose every entry (but the window traps, which keep the
   * standard spill/fill handlers) calls `entry`, and selects it with WRTBR. The ABI's Ticc
   * is classed 'hypercall'. Supervisor code only.
   */
  installSupervisor(entry: SupervisorEntry): void {
    if (this.processor.mode !== 'supervisor') throw new Error('installSupervisor: WRTBR is privileged; call it in supervisor mode');
    const table = new TrapTable('supervisor');
    table.setRange(0x01, 0xff, entry);
    this.processor.hypercallTrapType = this.hypercallAbi.trapNumber;
    this.processor.mapTrapTable(SUPERVISOR_TRAP_TABLE_BASE, table);
    this.processor.wrtbr(SUPERVISOR_TRAP_TABLE_BASE);
  }

  createUserContext(spec: UserContextSpec): UserContext {
    const memorySize = this.board.memory.size;
    const { name, physicalBase, size } = spec;
    if (!Number.isSafeInteger(physicalBase) || physicalBase < 0 || !Number.isSafeInteger(size) || size <= 0 || physicalBase + size > memorySize) {
      throw new RangeError(`user context ${name}: [${physicalBase}, +${size}) is not inside the board's ${memorySize} bytes of RAM`);
    }
    const protection = new ProtectionContext(
      name,
      [
        { name: `${name}.ram`, virtualBase: SPARC_USER_VIRTUAL_BASE, physicalBase, size, read: true, write: true, execute: true, user: true },
        { name: 'kernel', virtualBase: 0, physicalBase: 0, size: memorySize, read: true, write: true, execute: true, user: false },
      ],
      { alignment: 'natural' },
    );
    const context: UserContext = { name, protection, virtualBase: SPARC_USER_VIRTUAL_BASE, physicalBase, size };
    this.partitions.set(context, freshRegisters(context));
    return context;
  }

  /**
   * The return-to-user path: leaves any open trap, puts `context`'s registers in the
   * register file unless they are live there already (a full restore into a scrubbed file,
   * see makeResident), then S = 0, ET = 1, PIL = 0 in `context`'s MMU context. The kernel
   * charges its own addressSpaceSwitch.
   */
  enterUser(context: UserContext): void {
    const partition = this.partitions.get(context);
    if (partition === undefined) throw new RangeError(`enterUser: ${context.name} was not created by this board`);
    this.makeResident(partition);
    this.processor.resumeAt('user', 0, context.protection);
    this.user = context;
  }

  /** The kernel runs its own code: leaves any open trap, S = 1, ET = 1, PIL = 0, supervisor MMU context. */
  enterSupervisor(): void {
    this.processor.resumeAt('supervisor', 0, this.processor.supervisorContext);
    this.user = undefined;
  }

  /** The partition most recently entered: the one running, or the one a trap interrupted (Platform contract). */
  get currentUserContext(): UserContext | undefined {
    return this.user;
  }

  /** A register of the interrupted code (inside a trap handler: the trapped window, not the trap window). */
  readRegister(name: string): number {
    return this.processor.readInterruptedRegister(name);
  }

  writeRegister(name: string, value: number): void {
    this.processor.writeInterruptedRegister(name, value);
  }

  /**
   * Programs GPTIMER timer 1 as the periodic kernel tick and unmasks its line. Timer
   * ticks come at 1 MHz (the boot prescaler), so the period is exact for whole
   * microseconds; other periods are rounded to the nearest microsecond (at least one).
   * A period past the 32-bit reload register (leon3TickProblem) throws.
   */
  startTickTimer(period: Nanoseconds): number {
    const problem = leon3TickProblem(period, this.processor.clock.frequencyHz);
    if (problem !== undefined) throw new RangeError(`tick period: ${problem}`);
    const ticks = Math.max(1, Math.round((period * this.gptimer.tickFrequencyHz) / 1e9));
    const timer = gptimerTimerOffset(1);
    this.gptimer.write(timer + 0x4, ticks - 1);
    this.gptimer.write(timer + 0x8, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE);
    const line = this.gptimer.lineOf(1);
    this.irqmp.setMasked(line, false);
    this.processor.charge(this.costs.ioAccess * 3);
    this.tickPeriod = Math.round((ticks * 1e9) / this.gptimer.tickFrequencyHz);
    return line;
  }

  /** Fast-forward (Platform.tickAt): the instant of the k-th kernel tick (GPTIMER timer 1 underflow) from now. */
  tickAt(k: number): Nanoseconds | undefined {
    return this.tickPeriod === undefined ? undefined : this.gptimer.underflowAfter(1, k);
  }

  /** Fast-forward (Platform.tickGridGaps): the next `count` kernel ticks' gaps below a grid of `grid` ns, summed. */
  tickGridGaps(count: number, grid: number): number | undefined {
    return this.tickPeriod === undefined ? undefined : this.gptimer.underflowGridGaps(1, count, grid);
  }

  /** The queued event of the next kernel tick. */
  get tickEvent(): ScheduledEvent | undefined {
    return this.tickPeriod === undefined ? undefined : this.gptimer.underflowEvent(1);
  }

  /** Fast-forward (Platform.skipTicks): timer 1's next `count` underflows and their interrupts, raised and acknowledged. */
  skipTicks(count: number): void {
    const lastAt = this.gptimer.underflowAfter(1, count);
    this.gptimer.skipUnderflows(1, count);
    // Timer 1's line's requests as a device line's; the last skipped tick latched it (what
    // interruptLatchedAt tells a native BSP). A kernel skips only ticks tickAt placed, so it has an instant.
    this.skipDeviceRaises(this.gptimer.lineOf(1), count, lastAt!);
  }

  /** The period startTickTimer() programmed, in ns (after rounding to whole timer ticks). */
  get tickPeriodNs(): Nanoseconds | undefined {
    return this.tickPeriod;
  }

  /** Fast-forward (Platform.skipDeviceRaises): line `line`'s next `count` requests, raised and acknowledged. */
  skipDeviceRaises(line: number, count: number, lastAt: Nanoseconds): void {
    this.irqmp.creditHandled(line, count);
    this.latches.skipped(line, lastAt);
  }

  deviceLine(line: number): IrqLine {
    return this.latches.wrap(this.irqmp.line(line));
  }

  interruptLatchedAt(line: number): Nanoseconds | undefined {
    return this.latches.latchedAt(line);
  }

  /** IRQMP processor 0 mask register. */
  setLineMasked(line: number, masked: boolean): void {
    this.irqmp.setMasked(line, masked);
    this.processor.charge(this.costs.ioAccess);
  }

  /** No-op: the IRQMP clears a request when the processor acknowledges it; it has no end-of-interrupt. */
  endOfInterrupt(_line: number): void {}

  /** The IRQMP's counters of `line` (raises, raises that found it pending) and its pending (or force) bit. */
  interruptLineCounts(line: number): InterruptLineCounts {
    return { raised: this.irqmp.raised[line] ?? 0, coalesced: this.irqmp.coalesced[line] ?? 0, pending: this.irqmp.isPending(line) };
  }

  /**
   * Trap-and-emulate of RTEMS's native interrupt operations, inside the trap handler:
   *  - `ta 9` (SPARC_SWTRAP_IRQDIS): %g1 = the PSR at trap entry with ET = 1 and the
   *    emulated PIL, then PIL 15 (disabled);
   *  - `ta 10` (SPARC_SWTRAP_IRQEN): PIL = (%g1 & 0xF00) >> 8;
   *  - RDPSR: the interrupted PSR with the emulated PIL; WRPSR: only its PIL is taken.
   * (RTEMS cpukit/score/cpu/sparc/syscall.S.) `state.enabled` is PIL < 15.
   */
  emulateInterruptFlagOperation(trap: TrapInfo, state: VirtualInterruptState): boolean {
    const processor = this.processor;
    const trapped = processor.trappedInstruction;
    if (trapped === undefined || trapped.number !== trap.number) return false;
    const current = (): number => {
      const stored = this.resident ? this.resident.virtualPil : this.supervisorVirtualPil;
      if (!state.enabled) return MAX_INTERRUPT_LEVEL;
      return stored < MAX_INTERRUPT_LEVEL ? stored : 0;
    };
    const set = (pil: number): void => {
      if (this.resident) this.resident.virtualPil = pil;
      else this.supervisorVirtualPil = pil;
      state.enabled = pil < MAX_INTERRUPT_LEVEL;
    };
    if (trap.class === 'software' && trap.number === softwareTrapType(SPARC_SWTRAP_IRQDIS)) {
      processor.writeInterruptedRegister('g1', psrWithPil(processor.psr, current()) | PSR_ET);
      set(MAX_INTERRUPT_LEVEL);
      return true;
    }
    if (trap.class === 'software' && trap.number === softwareTrapType(SPARC_SWTRAP_IRQEN)) {
      set((processor.readInterruptedRegister('g1') & PSR_PIL_MASK) >>> PSR_PIL_SHIFT);
      return true;
    }
    if (trap.class === 'privileged' && trapped.instruction === 'rd %psr') {
      processor.completeTrappedInstruction(psrWithPil(processor.interruptedPsr ?? 0, current()));
      return true;
    }
    if (trap.class === 'privileged' && trapped.instruction === 'wr %psr' && trapped.operand !== undefined) {
      set((trapped.operand & PSR_PIL_MASK) >>> PSR_PIL_SHIFT);
      return true;
    }
    return false;
  }

  /**
   * Before a partition switch: stores every valid window of the running partition into
   * its own context (the older ones onto its stack, the current one with the globals, Y
   * and icc into the kernel's save area, and its CWP), charging windowSpill per window,
   * and leaves only the current window valid. The kernel calls it on behalf of the
   * outgoing partition, so the flush is on that partition's bill; the next enterUser
   * restores in full. The stores are skipped (and cost nothing) when the registers did
   * not change since they were last restored or saved.
   */
  saveUserState(): void {
    const partition = this.resident;
    if (partition === undefined) return;
    const processor = this.processor;
    // A partition with the FPU: 16 STDF of f0-f31 + STFSR into the kernel's save area, once
    // per switch (its EF is still set in the PSR the interrupt left: no WRPSR needed). As
    // AIR's sparc_core_context_save (pmk/arch/sparc/context_switch.S) stores them for a
    // partition with the FPU permission; FP registers are not in registerMutations, so
    // they are stored whether or not they changed, as AIR does.
    if (!this.switchedOut && partition.fpu) {
      partition.fpSnapshot = processor.captureFpRegisters();
      processor.charge(this.costs.fpContextSave);
    }
    this.switchedOut = true;
    if (partition.savedAt === processor.registerMutations) return;
    const window = processor.interruptedWindow;
    processor.spillOlderWindows(true);
    partition.snapshot = processor.captureRegisters();
    partition.cwp = window;
    processor.charge(this.costs.windowSpill);
    partition.stack = processor.windowStack;
    processor.setWindowInvalidMask(1 << ((window + 1) % NWINDOWS));
    partition.savedAt = processor.registerMutations;
  }

  /**
   * The partition of `context` was stopped or restarted: its registers, windows and stack
   * are dead. Forgets them without storing anything (nothing is charged: there is no
   * flush to pay for, not by it and not by whoever runs next); it restarts from the
   * canonical initial state (PARTITION_INITIAL_CWP, empty stack, zeroed registers).
   */
  discardUserState(context: UserContext): void {
    const partition = this.partitions.get(context);
    if (partition === undefined) throw new RangeError(`discardUserState: ${context.name} was not created by this board`);
    if (this.resident === partition) this.resident = undefined;
    this.partitions.set(context, freshRegisters(context));
  }

  /** fp_disabled (tt 0x04): an FP instruction with PSR.EF = 0. */
  isFpuDisabledTrap(trap: TrapInfo): boolean {
    return trap.number === TT_FP_DISABLED && trap.synchronous;
  }

  /**
   * Inside the fp_disabled handler: WRPSR with EF = 1 in the trap window (the PSR the trap
   * entry read into %l0, with EF; RETT keeps it), charged as one privileged instruction,
   * then the partition's initial FP context - all zero - is loaded (16 LDDF + LDFSR,
   * fpContextRestore), so it never sees the FP registers another partition left (AIR
   * likewise loads a zeroed FP context, core_context_init's, at the partition's first
   * restore). From now on its FP registers are part of its context (saveUserState /
   * makeResident). The handler's return re-executes the FP instruction.
   */
  enableUserFpu(): boolean {
    const partition = this.resident;
    if (partition === undefined || this.user !== partition.context) return false;
    const processor = this.processor;
    processor.wrpsr(processor.psr | PSR_EF);
    processor.loadFpRegisters(undefined);
    processor.charge(this.costs.fpContextRestore);
    partition.fpu = true;
    return true;
  }

  userFpuEnabled(context: UserContext): boolean {
    return this.partitions.get(context)?.fpu ?? false;
  }

  /**
   * Puts `partition`'s registers in the register file. Returning to the partition that is
   * resident (a hypercall's or an interrupt's return) changes nothing. After a partition
   * switch, or when another partition (or none) is resident, the restore is always the
   * same whatever the file held: scrub it (nothing of the previous partition, or of a
   * dead one, survives), put the window numbering back where the partition was saved (its
   * CWP), load its current window, globals, Y and icc, make its stack the one windows
   * spill to and only its current window valid, and charge one windowSpill. A resident
   * partition whose registers changed since its last save is saved first (kernel-core
   * always saves the outgoing partition or discards a stopped one, so this never costs
   * anything there).
   */
  private makeResident(partition: PartitionRegisters): void {
    if (this.resident === partition && !this.switchedOut) return;
    this.saveUserState();
    const processor = this.processor;
    processor.scrubRegisters();
    processor.renumberWindows(partition.cwp);
    if (partition.snapshot !== undefined) processor.loadRegisters(partition.snapshot);
    processor.windowStack = partition.stack;
    processor.setWindowInvalidMask(1 << ((partition.cwp + 1) % NWINDOWS));
    processor.charge(this.costs.windowSpill);
    // The partition's PSR.EF travels with the PSR the return path writes. A partition with
    // the FPU also gets its f0-f31 + FSR back: WRPSR with EF in the trap window (the kernel's
    // own PSR may have EF clear), 16 LDDF + LDFSR - as AIR's sparc_core_context_restore.
    processor.setFpuEnabled(partition.fpu);
    if (partition.fpu) {
      processor.loadFpRegisters(partition.fpSnapshot);
      processor.charge(this.costs.privilegedInstruction + this.costs.fpContextRestore);
    }
    this.resident = partition;
    this.switchedOut = false;
    partition.savedAt = processor.registerMutations;
  }
}
