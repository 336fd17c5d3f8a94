/**
 * The simulated PC: machine's Board (little-endian memory, event queue, PRNG, trace), the
 * i386 processor, the 8259A pair, the 8254 PIT and COM1 on the I/O bus.
 *
 * Bare-metal software drives the processor and the devices directly (IN/OUT, LIDT, ...).
 * A separation kernel uses only the Platform methods, which do what a kernel's low-level
 * code does on this hardware: fill and load an IDT, remap and program the PIC, program
 * the PIT, load a partition's segments and IRET to it. They run as supervisor code: the
 * port accesses they make are charged (ioAccess each) but not privilege-checked.
 */
import {
  Board,
  type CostTable,
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
  type UserContext,
  type UserContextSpec,
  type VirtualInterruptState,
} from '@paravirt/machine';
import { i386Costs } from './costs.js';
import { EFLAGS_IF, EFLAGS_STATUS_MASK } from './eflags.js';
import { VECTOR_GP } from './exceptions.js';
import { i386HypercallAbi } from './hypercallAbi.js';
import { I386Processor } from './i386Processor.js';
import { Idt, IDT_MAX_ENTRIES, type GateHandler } from './idt.js';
import { IoBus } from './ioBus.js';
import {
  PIC_CASCADE_IRQ,
  PIC_LINES,
  PIC_MASTER_COMMAND,
  PIC_MASTER_DATA,
  PIC_SLAVE_COMMAND,
  PIC_SLAVE_DATA,
  PIC_SPECIFIC_EOI,
  Pic8259Pair,
} from './pic8259.js';
import { PIT_CONTROL, PIT_COUNTER0, PIT_FREQUENCY_HZ, Pit8254 } from './pit8254.js';
import { i386TickProblem, PitTickSplitter, pitRateCount, pitTickIsSplit } from './pitTick.js';
import { userSegmentContext, type SegmentContext } from './segmentContext.js';
import { COM1_IRQ, Uart16550 } from './uart16550.js';

/** Where installSupervisor() puts the PIC's vectors: right after the 32 exception vectors. */
export const PIC_MASTER_VECTOR_BASE = 0x20;
export const PIC_SLAVE_VECTOR_BASE = 0x28;

/** IRQ 0 is the kernel tick, IRQ 2 the cascade: every other line can be routed to a partition. */
export const I386_ROUTABLE_LINES: readonly number[] = Object.freeze([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

/**
 * Most RAM the PC board has: the 386's 32-bit physical address space (4 GiB; Intel386 DX
 * datasheet, 32-bit address bus) less its top 128 KiB, where the PC decodes the BIOS ROM
 * (an alias of 0xE0000-0xFFFFF) so that the reset vector at physical 0xFFFFFFF0 (Intel386
 * Programmer's Reference Manual, section 10.2.3, first instruction) is ROM. RAM is
 * [0, I386_MAX_MEMORY); the 640 KiB-1 MiB hole of the PC map lies in the kernel's first MiB.
 */
export const I386_MAX_MEMORY = 0xfffe_0000;

export interface I386BoardOptions {
  readonly memorySize: number;
  /** Processor clock (default 100 MHz). */
  readonly frequencyHz?: number;
  readonly costs?: Partial<CostTable>;
  readonly seed?: number;
  readonly trace?: TraceRecorder;
  /** Hypercall vector (default 0x2a, POK's int 42). */
  readonly hypercallVector?: number;
  /** COM1 character time in ns (default 0). */
  readonly consoleCharTime?: Nanoseconds;
  readonly processorName?: string;
}

/** A partition address space on the i386: a user segment at physicalBase, offsets from 0. */
export interface I386UserContext extends UserContext, SegmentContext {}

/** A partition's integer state as the kernel saves it at a partition switch: the general registers and the EFLAGS status flags. */
interface SavedUserState {
  readonly registers: Uint32Array;
  statusFlags: number;
}

export class I386Board implements Platform {
  readonly arch = 'i386';
  readonly board: Board;
  readonly processor: I386Processor;
  readonly costs: CostTable;
  readonly hypercallAbi: HypercallAbi;
  readonly io = new IoBus();
  readonly pic = new Pic8259Pair();
  readonly pit: Pit8254;
  readonly com1: Uart16550;
  readonly routableLines = I386_ROUTABLE_LINES;
  /** Spurious IRQ 7/15 acknowledges that the interrupt stubs absorbed. */
  spuriousInterrupts = 0;
  private activeUser: UserContext | undefined;
  private readonly segments = new WeakMap<UserContext, SegmentContext>();
  /** Each partition's integer state saved at its last switch away (none: it starts from zeroed registers and clear status flags). */
  private readonly saved = new WeakMap<UserContext, SavedUserState>();
  /** The partition whose integer state is in the processor (undefined once discarded). */
  private resident: UserContext | undefined;
  private tickReloadValue: number | undefined;
  private readonly latches: LatchTimes;
  /** A tick longer than one PIT count: the pieces' bookkeeping (see pitTick.ts). */
  private tickSplitter: PitTickSplitter | undefined;

  constructor(options: I386BoardOptions) {
    if (!Number.isSafeInteger(options.memorySize) || options.memorySize <= 0 || options.memorySize > I386_MAX_MEMORY) {
      throw new RangeError(`PC board memory must be 1 byte..0x${I386_MAX_MEMORY.toString(16)} (4 GiB less the BIOS ROM), got ${options.memorySize}`);
    }
    this.board = new Board({
      memorySize: options.memorySize,
      endianness: 'little',
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.trace !== undefined ? { trace: options.trace } : {}),
    });
    this.costs = i386Costs(options.costs);
    this.hypercallAbi = i386HypercallAbi(options.hypercallVector);
    const queue = this.board.queue;
    this.pic.attach(this.io);
    this.latches = new LatchTimes(queue, this.pic.coalesced);
    this.pit = new Pit8254(queue, this.latches.wrap(this.pic.line(0)));
    this.pit.attach(this.io);
    this.com1 = new Uart16550(queue, this.latches.wrap(this.pic.line(COM1_IRQ)), { name: 'com1', charTime: options.consoleCharTime ?? 0 });
    this.com1.attach(this.io);
    this.processor = new I386Processor(queue, this.board.checked, {
      name: options.processorName ?? 'cpu0',
      ...(options.frequencyHz !== undefined ? { frequencyHz: options.frequencyHz } : {}),
      costs: this.costs,
      trace: this.board.trace,
      io: this.io,
      interrupts: this.pic,
    });
  }

  /**
   * Loads an IDT with a present interrupt gate for every vector, all calling `entry`
   * (interrupt gates: the kernel runs with IF = 0). Vectors 0-31 report the processor's
   * exception class; the hypercall vector is the only DPL-3 gate, so any other INT n from
   * user mode is #GP(n * 8 + 2) (class 'protection'). External interrupts arrive with
   * class 'interrupt' and their IRQ line; spurious IRQ 7/15 are absorbed here after an
   * ISR check, as PC kernels' interrupt stubs do (with a master EOI for IRQ 15), and so
   * are the IRQ 0s of a split tick that are only a piece of it (startTickTimer). Then
   * remaps the PIC to vectors 0x20-0x2F with every device line masked.
   */
  installSupervisor(entry: SupervisorEntry): void {
    if (this.processor.cpl !== 0) throw new Error('installSupervisor() is supervisor code: the processor must be at CPL 0');
    const hypercallVector = this.hypercallAbi.trapNumber;
    const handler: GateHandler = (trap) => {
      if (trap.class === 'interrupt') return this.absorbSpurious(trap) || this.absorbTickPiece(trap) ? 'return' : entry(trap);
      if (trap.class === 'software' && trap.number === hypercallVector) return entry({ ...trap, class: 'hypercall' });
      return entry(trap);
    };
    const idt = new Idt();
    for (let vector = 0; vector < IDT_MAX_ENTRIES; vector++) {
      idt.set(vector, { kind: 'interrupt', dpl: vector === hypercallVector ? 3 : 0, present: true, handler });
    }
    this.processor.lidt(idt);
    this.remapPic();
  }

  createUserContext(spec: UserContextSpec): I386UserContext {
    const memorySize = this.board.memory.size;
    if (!Number.isSafeInteger(spec.physicalBase) || !Number.isSafeInteger(spec.size) || spec.physicalBase < 0 || spec.size < 1 || spec.physicalBase + spec.size > memorySize) {
      throw new RangeError(`user context ${spec.name}: [${spec.physicalBase}, +${spec.size}) is not inside the ${memorySize} bytes of physical memory`);
    }
    const segment = userSegmentContext(spec.name, spec.physicalBase, spec.size);
    const context: I386UserContext = Object.freeze({
      name: spec.name,
      protection: segment.protection,
      virtualBase: 0,
      physicalBase: spec.physicalBase,
      size: spec.size,
      base: segment.base,
      limit: segment.limit,
    });
    this.segments.set(context, context);
    return context;
  }

  /**
   * CPL 3, IOPL 0, IF 1 on the partition's segments: the kernel's IRET to user mode. After
   * a partition switch the partition's own general registers and status flags are
   * restored (zeroed for one that has none saved), never the previous partition's.
   */
  enterUser(context: UserContext): void {
    const processor = this.processor;
    let status = processor.eflags & EFLAGS_STATUS_MASK;
    if (this.resident !== context) {
      // The outgoing partition's latest state (kernel-core saved it already, or discarded a stopped one): free.
      if (this.resident !== undefined) this.captureUserState(this.resident);
      const state = this.saved.get(context);
      processor.loadRegisters(state?.registers);
      status = state?.statusFlags ?? 0;
      this.resident = context;
    }
    processor.switchTo(this.segmentOf(context), 3, status | EFLAGS_IF);
    this.activeUser = context;
  }

  /** CPL 0, IF 1 on the flat segments: the kernel's own context (its idle loop, its workload glue). */
  enterSupervisor(): void {
    const processor = this.processor;
    processor.switchTo(processor.supervisorContext, 0, (processor.eflags & EFLAGS_STATUS_MASK) | EFLAGS_IF);
    this.activeUser = undefined;
  }

  /** The partition last entered with enterUser(): running, or interrupted by the trap being handled. */
  get currentUserContext(): UserContext | undefined {
    return this.activeUser;
  }

  readRegister(name: string): number {
    return this.processor.readRegister(name);
  }

  writeRegister(name: string, value: number): void {
    this.processor.writeRegister(name, value);
  }

  /**
   * Programs PIT counter 0 for the kernel tick and unmasks IRQ 0. A tick of up to 65536
   * PIT clocks (54.9 ms) is a rate generator (mode 2) with count round(period x 1.193182
   * MHz): the PIT cannot divide exactly, a 1 ms request gives count 1193, a real period of
   * 999847.47 ns; tickPeriodNs says what it is. A longer tick is split into one-shot
   * pieces (mode 0) re-armed by each IRQ 0, and only the interrupt at or after the tick's
   * nominal time reaches the kernel (pitTick.ts, after RTEMS pc386 clockOn()); its period
   * is then exact on average and never early. Ticks shorter than I386_MIN_TICK_NS throw.
   */
  startTickTimer(period: Nanoseconds): number {
    const problem = i386TickProblem(period);
    if (problem !== undefined) throw new RangeError(`tick period: ${problem}`);
    if (pitTickIsSplit(period)) {
      this.outb(PIT_CONTROL, 0x30); // counter 0, LSB then MSB, mode 0, binary
      const pit = this.pit;
      this.tickSplitter = new PitTickSplitter(period, this.board.queue.now, pit.clock, () => this.board.queue.now, (count) => {
        this.outb(PIT_COUNTER0, count & 0xff);
        this.outb(PIT_COUNTER0, (count >>> 8) & 0xff);
      });
      this.tickReloadValue = undefined;
      this.tickSplitter.start();
      this.setLineMasked(0, false);
      return 0;
    }
    const reload = pitRateCount(period);
    this.outb(PIT_CONTROL, 0x34); // counter 0, LSB then MSB, mode 2, binary
    this.outb(PIT_COUNTER0, reload & 0xff);
    this.outb(PIT_COUNTER0, (reload >>> 8) & 0xff);
    this.tickReloadValue = reload;
    this.tickSplitter = undefined;
    this.setLineMasked(0, false);
    return 0;
  }

  /** The PIT count startTickTimer() programmed (undefined for a split tick). */
  get tickReload(): number | undefined {
    return this.tickReloadValue;
  }

  /** The real tick period in ns (not a whole number in general: count x 1e9 / 1193182; a split tick's average is exact). */
  get tickPeriodNs(): number | undefined {
    if (this.tickSplitter !== undefined) return this.tickSplitter.periodNs;
    return this.tickReloadValue === undefined ? undefined : (this.tickReloadValue * 1e9) / PIT_FREQUENCY_HZ;
  }

  /** A split tick's PIT interrupts and ticks so far (undefined for a one-count tick). */
  get tickPieces(): { readonly interrupts: number; readonly ticks: number } | undefined {
    const splitter = this.tickSplitter;
    return splitter === undefined ? undefined : { interrupts: splitter.interrupts, ticks: splitter.ticks };
  }

  /**
   * Fast-forward (Platform.tickAt): the instant of the k-th kernel tick from now, for a
   * one-count tick (mode 2); a split tick is several interrupts per tick and is not skipped.
   */
  tickAt(k: number): Nanoseconds | undefined {
    if (this.tickSplitter !== undefined || this.tickReloadValue === undefined) return undefined;
    return this.pit.counter0EdgeAfter(k);
  }

  /** Fast-forward (Platform.tickGridGaps): the next `count` tick edges' gaps below a grid of `grid` ns, summed. */
  tickGridGaps(count: number, grid: number): number | undefined {
    if (this.tickSplitter !== undefined || this.tickReloadValue === undefined) return undefined;
    return this.pit.counter0GridGaps(count, grid);
  }

  /** The queued event of the next tick's PIT edge. */
  get tickEvent(): ScheduledEvent | undefined {
    return this.pit.counter0Event;
  }

  /** Fast-forward (Platform.skipTicks): the PIT's next `count` edges and their IRQ 0s, raised, acknowledged and ended. */
  skipTicks(count: number): void {
    const lastAt = this.pit.counter0EdgeAfter(count);
    this.pit.skipCounter0Edges(count);
    // IRQ 0's requests as a device line's; the last skipped tick latched it (what interruptLatchedAt
    // tells a native BSP). A kernel skips only ticks tickAt placed, so it has an instant.
    this.skipDeviceRaises(0, count, lastAt!);
  }

  /** Fast-forward (Platform.skipDeviceRaises): IRQ `line`'s next `count` requests, raised, acknowledged and ended. */
  skipDeviceRaises(line: number, count: number, lastAt: Nanoseconds): void {
    this.pic.creditHandled(line, count);
    this.latches.skipped(line, lastAt);
  }

  /** IRQ `line` of the PIC pair for an external device (IRQ 2 is wired to IRQ 9 on the AT bus). */
  deviceLine(line: number): IrqLine {
    return this.latches.wrap(this.pic.line(line));
  }

  interruptLatchedAt(line: number): Nanoseconds | undefined {
    return this.latches.latchedAt(line === 2 ? 9 : line);
  }

  /** Read-modify-write of the IMR (OCW1) of the chip serving `line`. */
  setLineMasked(line: number, masked: boolean): void {
    this.checkLine(line);
    const port = line < 8 ? PIC_MASTER_DATA : PIC_SLAVE_DATA;
    const bit = 1 << (line & 7);
    const mask = this.inb(port);
    this.outb(port, masked ? mask | bit : mask & ~bit);
  }

  /** Specific EOI (OCW2) for `line`: to the slave first for IRQ 8-15, then to the master for the cascade. */
  endOfInterrupt(line: number): void {
    this.checkLine(line);
    if (line >= 8) {
      this.outb(PIC_SLAVE_COMMAND, PIC_SPECIFIC_EOI | (line - 8));
      this.outb(PIC_MASTER_COMMAND, PIC_SPECIFIC_EOI | PIC_CASCADE_IRQ);
    } else {
      this.outb(PIC_MASTER_COMMAND, PIC_SPECIFIC_EOI | line);
    }
  }

  /** The 8259A pair's counters of IRQ `line` (raises, edges absorbed by a latched request) and its IRR bit. */
  interruptLineCounts(line: number): InterruptLineCounts {
    this.checkLine(line);
    return { raised: this.pic.raised[line]!, coalesced: this.pic.coalesced[line]!, pending: this.pic.isRequested(line) };
  }

  /**
   * Trap-and-emulate of a native guest's interrupt flag: a #GP raised by CLI or STI at
   * CPL 3 clears or sets the virtual flag. POPF never traps (it silently keeps IF at
   * CPL > IOPL), so a guest restoring its level with POPF cannot be emulated.
   */
  emulateInterruptFlagOperation(trap: TrapInfo, state: VirtualInterruptState): boolean {
    if (trap.number !== VECTOR_GP || trap.class !== 'privileged' || trap.fromMode !== 'user') return false;
    if (trap.instruction === 'cli') {
      state.enabled = false;
      return true;
    }
    if (trap.instruction === 'sti') {
      state.enabled = true;
      return true;
    }
    return false;
  }

  /**
   * Saving the interrupted partition's integer registers and status flags into its own
   * context before a partition switch (threadContextSwitch, on the outgoing partition's
   * bill); the next enterUser restores whoever enters.
   */
  saveUserState(): void {
    this.processor.charge(this.costs.threadContextSwitch);
    if (this.resident !== undefined) this.captureUserState(this.resident);
  }

  /** The partition was stopped or restarted: its saved integer state is dead; it restarts from zeroed registers and clear status flags. */
  discardUserState(context: UserContext): void {
    this.saved.delete(context);
    if (this.resident === context) this.resident = undefined;
  }

  private captureUserState(context: UserContext): void {
    const processor = this.processor;
    // Inside the kernel's trap handler the interrupted code's flags are in the trap frame.
    const eflags = processor.trapFrame?.eflags ?? processor.eflags;
    const statusFlags = eflags & EFLAGS_STATUS_MASK;
    const state = this.saved.get(context);
    // Saved at every switch away: into the partition's own buffer once it has one.
    if (state === undefined) this.saved.set(context, { registers: processor.copyRegisters(), statusFlags });
    else {
      processor.copyRegisters(state.registers);
      state.statusFlags = statusFlags;
    }
  }

  private segmentOf(context: UserContext): SegmentContext {
    let segment = this.segments.get(context);
    if (segment === undefined) {
      segment = { name: context.name, base: context.physicalBase, limit: context.size - 1, protection: context.protection };
      this.segments.set(context, segment);
    }
    return segment;
  }

  /** ICW1-ICW4 to both chips: vectors 0x20/0x28, cascade on IR2, 8086 mode; then mask every line but the cascade. */
  private remapPic(): void {
    this.outb(PIC_MASTER_COMMAND, 0x11);
    this.outb(PIC_SLAVE_COMMAND, 0x11);
    this.outb(PIC_MASTER_DATA, PIC_MASTER_VECTOR_BASE);
    this.outb(PIC_SLAVE_DATA, PIC_SLAVE_VECTOR_BASE);
    this.outb(PIC_MASTER_DATA, 1 << PIC_CASCADE_IRQ);
    this.outb(PIC_SLAVE_DATA, PIC_CASCADE_IRQ);
    this.outb(PIC_MASTER_DATA, 0x01);
    this.outb(PIC_SLAVE_DATA, 0x01);
    this.outb(PIC_MASTER_DATA, 0xff & ~(1 << PIC_CASCADE_IRQ));
    this.outb(PIC_SLAVE_DATA, 0xff);
  }

  /**
   * A PC kernel's interrupt stub checks the ISR before trusting IRQ 7 or 15: with the bit
   * clear the request vanished before the acknowledge. A spurious IRQ 15 still set the
   * master's ISR bit 2, which needs an EOI.
   */
  private absorbSpurious(trap: TrapInfo): boolean {
    if (trap.line !== 7 && trap.line !== 15) return false;
    this.processor.charge(2 * this.costs.ioAccess); // OCW3 read-ISR command and the read
    if (this.pic.isInService(trap.line)) return false;
    this.spuriousInterrupts++;
    if (trap.line === 15) this.outb(PIC_MASTER_COMMAND, PIC_SPECIFIC_EOI | PIC_CASCADE_IRQ);
    return true;
  }

  /**
   * IRQ 0 of a split tick: the stub re-arms the next piece; a piece that is not the tick
   * is ended at the PIC here and never reaches the kernel.
   */
  private absorbTickPiece(trap: TrapInfo): boolean {
    const splitter = this.tickSplitter;
    if (splitter === undefined || trap.line !== 0) return false;
    if (splitter.interrupt()) return false;
    this.outb(PIC_MASTER_COMMAND, PIC_SPECIFIC_EOI | 0);
    return true;
  }

  private checkLine(line: number): void {
    if (!Number.isInteger(line) || line < 0 || line >= PIC_LINES) throw new RangeError(`no IRQ ${line} (0-15)`);
    if (line === PIC_CASCADE_IRQ) throw new RangeError('IRQ 2 is the cascade input of the master PIC; AT devices on IRQ 2 appear as IRQ 9');
  }

  private outb(port: number, value: number): void {
    this.processor.charge(this.costs.ioAccess);
    this.io.write8(port, value);
  }

  private inb(port: number): number {
    this.processor.charge(this.costs.ioAccess);
    return this.io.read8(port);
  }
}
