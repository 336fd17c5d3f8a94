/**
 * What the two bare-metal BSPs share: the table of installed ISRs and how one runs
 * (through cpukit's InterruptDispatch, so nesting and deferred dispatch are RTEMS's), the
 * idle body, termination (fatal error and exit both end in the libcpu's fatal halt, as
 * RTEMS's _Terminate ends in _CPU_Fatal_halt) and what the board records of it.
 */
import { type BspHooks, type BspInterruptController, FatalSource, type InterruptAttributes, type InterruptDispatch } from '@paravirt/cpukit';
import type { InterruptLevel } from '@paravirt/libcpu-native';
import { type Architecture, LatencyHistogram, type LatencySummary, type Nanoseconds, type Platform, type Uart, WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import { fatalSourceNumber } from './internal/fatalSourceNumber.js';

/** The libcpu operations the shared part uses. */
export interface NativeHalt {
  idle(): void;
  fatalHalt(source: number, code: number): void;
  /** The processor the operations run on (for the time of a fatal error). */
  readonly processor: { readonly queue: { readonly now: Nanoseconds } };
}

/** The interrupts of one controller line that ran an installed ISR, and their latency. */
export interface NativeInterruptLine {
  readonly line: number;
  /** The clock driver's line (the counterpart of a partition's virtual `timer` line). */
  readonly clock: boolean;
  /** ISRs run (interrupts taken with a handler installed). */
  readonly isrs: number;
  /** From the raise that latched the request at the controller to the ISR's first instruction, in the processor's local time (trap entry and dispatch included). */
  readonly latencyNs: LatencySummary;
}

/** A processor exception turned into an RTEMS fatal error (RTEMS_FATAL_SOURCE_EXCEPTION, code = vector or tt). */
export type ExceptionReporter = (code: number) => void;

export abstract class NativeBsp implements BspHooks {
  abstract readonly name: string;
  /** The board: its controller says when a request was latched, its processor what time it is. */
  abstract readonly board: Platform;
  /** The console's byte streams. */
  abstract readonly uart: Uart;
  /** bsp_fatal's arguments and when it ran, once the executive terminated with a fatal error. */
  fatalError: { readonly source: string; readonly code: number; readonly timeNs: Nanoseconds } | undefined = undefined;
  /** The status the application exited with. */
  exitStatus: number | undefined = undefined;
  /** Clock interrupts taken; each announced one tick, or one in `isrsPerTick` (installClockIsr). */
  clockInterrupts = 0;
  /** Interrupts on a line no ISR was installed for (RTEMS's default handler counts them as spurious). */
  unexpectedInterrupts = 0;
  /** Rate-monotonic deadline misses, by period id: bare metal has no health monitor to tell. */
  readonly deadlineMisses: number[] = [];
  protected dispatch: InterruptDispatch | undefined = undefined;
  private readonly handlers = new Map<number, () => void>();
  private readonly taken = new Map<number, { isrs: number; readonly latency: LatencyHistogram }>();
  private readonly allLatency = new LatencyHistogram();
  /** The name the executive records under (the trace's partition): set by createNativeSystem. */
  traceSource: string | undefined = undefined;
  private clockLine: number | undefined;
  private exceptionReporter: ExceptionReporter | undefined;

  protected constructor(private readonly halt: NativeHalt) {}

  /** Where processor exceptions go: the system wires them to the executive's fatal error path. */
  onException(reporter: ExceptionReporter): void {
    this.exceptionReporter = reporter;
  }

  start(executive: InterruptDispatch): void {
    this.dispatch = executive;
    this.startHardware();
  }

  abstract consoleWrite(bytes: Uint8Array): void;

  abstract clockInitialize(microsecondsPerTick: number, announce: (ticks: number) => void): void;

  /** bsp_interrupt_is_valid_vector: a line of the board's controller an ISR may use (the clock's included: it is taken). */
  isInterruptVector(vector: number): boolean {
    return this.isInterruptLine(vector);
  }

  /** The first rtems_interrupt_handler_install on a line of the board's controller: the handler, then bsp_interrupt_vector_enable. */
  interruptInstall(vector: number, handler: () => void): boolean {
    if (!this.isInterruptLine(vector) || this.handlers.has(vector)) return false;
    this.handlers.set(vector, handler);
    this.unmask(vector);
    return true;
  }

  /**
   * The per-vector operations of RTEMS 6's interrupt support (bsp_interrupt_vector_enable /
   * _disable / _is_enabled, bsp_interrupt_is_pending, bsp_interrupt_raise,
   * bsp_interrupt_clear, bsp_interrupt_get_attributes) on the board's controller, every
   * access an instruction of the processor model. cpukit calls them only for a line
   * isInterruptVector accepts. Enabling a line no handler was installed on lets its
   * interrupts in; they count as unexpected (RTEMS's default handler).
   */
  readonly interruptController: BspInterruptController = {
    attributes: (vector) => this.lineAttributes(vector),
    isEnabled: (vector) => this.isUnmasked(vector),
    enable: (vector) => {
      this.unmask(vector);
      return true;
    },
    disable: (vector) => {
      this.mask(vector);
      return true;
    },
    isPending: (vector) => this.isLinePending(vector),
    raise: (vector) => this.raiseLine(vector),
    clear: (vector) => this.clearLine(vector),
  };

  /** The last rtems_interrupt_handler_remove of a line: bsp_interrupt_vector_disable, then the handler is gone. */
  interruptRemove(vector: number): void {
    if (!this.handlers.has(vector)) return;
    this.mask(vector);
    this.handlers.delete(vector);
  }

  *idle(): Generator<number, void, unknown> {
    this.halt.idle();
    yield WAIT_FOR_INTERRUPT;
  }

  deadlineMissed(periodId: number): void {
    this.deadlineMisses.push(periodId);
  }

  fatal(source: string, code: number): void {
    this.fatalError = { source, code, timeNs: this.halt.processor.queue.now };
    this.halt.fatalHalt(fatalSourceNumber(source), code);
  }

  /** RTEMS's exit() is _Terminate(RTEMS_FATAL_SOURCE_EXIT, status): the same halt with source 5. */
  exit(status: number): void {
    this.exitStatus = status;
    this.halt.fatalHalt(FatalSource.RTEMS_FATAL_SOURCE_EXIT, status);
  }

  /** Everything the console transmitted. */
  consoleBytes(): Uint8Array {
    return this.uart.transmitted();
  }

  /** bsp_start's hardware part: vectors, interrupt controller, console. Interrupts are off. */
  protected abstract startHardware(): void;

  /** Whether `line` is a line of this board's interrupt controller an ISR may use. */
  protected abstract isInterruptLine(line: number): boolean;

  /** Enables `line` at the interrupt controller. */
  protected abstract unmask(line: number): void;

  /** Disables `line` at the interrupt controller. */
  protected abstract mask(line: number): void;

  /** bsp_interrupt_get_attributes: what the controller can do with `line`. */
  protected abstract lineAttributes(line: number): Partial<InterruptAttributes>;

  /** bsp_interrupt_vector_is_enabled: the line's mask bit, read from the controller. */
  protected abstract isUnmasked(line: number): boolean;

  /** bsp_interrupt_is_pending: the line's request, read from the controller. */
  protected abstract isLinePending(line: number): boolean;

  /** bsp_interrupt_raise: false where the controller has no software request. */
  protected abstract raiseLine(line: number): boolean;

  /** bsp_interrupt_clear: false where the controller cannot drop a request. */
  protected abstract clearLine(line: number): boolean;

  /**
   * The clock driver's ISR on `line`: one tick per interrupt, or per `isrsPerTick`
   * interrupts for a driver that splits its tick (RTEMS clockimpl.h Clock_isr with
   * CLOCK_DRIVER_ISRS_PER_TICK). The tick comes on the last ISR of each group, the first
   * after exactly `isrsPerTick` ISRs (clockimpl.h counts down from the value it set at
   * Clock_initialize and ticks when it finds 0, so its first tick takes one ISR more; here
   * guest time stays exact from the first tick).
   */
  protected installClockIsr(line: number, announce: (ticks: number) => void, isrsPerTick = 1): void {
    this.clockLine = line;
    this.handlers.set(line, () => {
      this.clockInterrupts++;
      if (this.clockInterrupts % isrsPerTick === 0) announce(1);
    });
  }

  /** Runs the ISR installed on `line` as cpukit's ISR; counts an interrupt nobody installed for. */
  protected runIsr(line: number): void {
    const handler = this.handlers.get(line);
    if (handler === undefined || this.dispatch === undefined) {
      this.unexpectedInterrupts++;
      return;
    }
    this.recordTaken(line);
    this.dispatch.isr(handler);
  }

  /**
   * The latency of the interrupt whose ISR starts now: from the raise that latched it to
   * here, in the processor's local time, so the trap entry and the dispatch charged so far
   * count (as a kernel's vIRQ latency counts its own entry up to the guest's upcall).
   */
  private recordTaken(line: number): void {
    let entry = this.taken.get(line);
    if (entry === undefined) {
      entry = { isrs: 0, latency: new LatencyHistogram() };
      this.taken.set(line, entry);
    }
    entry.isrs++;
    const latchedAt = this.board.interruptLatchedAt?.(line);
    if (latchedAt === undefined) return;
    const latency = this.board.processor.localTime() - latchedAt;
    entry.latency.record(latency);
    this.allLatency.record(latency);
    // The same record a kernel writes when it enters a partition's handler, so a trace or the
    // report shows native interrupts line for line as a partition's (lines named as in the summary).
    const trace = this.board.board.trace;
    if (trace.enabled && this.traceSource !== undefined) {
      trace.record(this.board.board.queue.now, this.traceSource, 'virq.deliver', { line, lineName: line === this.clockLine ? 'timer' : `hw-${line}`, latencyNs: latency });
    }
  }

  /** Per controller line that ran an ISR - the clock's first (as a partition's `timer` is its line 0), the others in line order - and the latency over all of them. */
  interruptStats(): { readonly lines: readonly NativeInterruptLine[]; readonly latencyNs: LatencySummary } {
    const rank = (line: number): number => (line === this.clockLine ? -1 : line);
    const lines = [...this.taken.entries()]
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([line, entry]) => ({ line, clock: line === this.clockLine, isrs: entry.isrs, latencyNs: entry.latency.summary() }));
    return { lines, latencyNs: this.allLatency.summary() };
  }

  /**
   * A processor exception in the guest: RTEMS's exception handlers end in
   * rtems_fatal(RTEMS_FATAL_SOURCE_EXCEPTION, ...), which halts through bsp_fatal. Before
   * the system wired a reporter, the halt happens directly.
   */
  protected exception(code: number): void {
    if (this.exceptionReporter !== undefined) this.exceptionReporter(code);
    else this.fatal('RTEMS_FATAL_SOURCE_EXCEPTION', code);
  }
}

/** What createNativeSystem needs of a bare-metal BSP: cpukit's hooks, libcpu-native's interrupt level and start.S. */
export type BareMetalBsp = NativeBsp & {
  /** The interrupt-level half of the CPU port (libcpu-native on the board's processor). */
  readonly cpu: InterruptLevel;
  /** start.S: what runs before boot_card, at virtual time 0 in supervisor mode. */
  reset(): void;
};

/**
 * The bare-metal BSP of one architecture, registered with that architecture's descriptor
 * (bsp-native's pc386NativeBsp and leon3NativeBsp): createNativeSystem builds the board
 * from the descriptor, the BSP from this entry, and the CPU port from both.
 */
export interface NativeBspArchitecture<B extends Platform = Platform, S extends BareMetalBsp = BareMetalBsp> {
  readonly architecture: Architecture<B>;
  /** Why the BSP's clock driver cannot tick every `microsecondsPerTick`, or undefined. */
  clockProblem(microsecondsPerTick: number): string | undefined;
  /** The BSP on `board`, a board at reset of `architecture`. */
  createBsp(board: B): S;
}
