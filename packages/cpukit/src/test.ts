/**
 * Test doubles for layers above cpukit (`@paravirt/cpukit/test`). These are NOT a CPU
 * port or a BSP of any real target: TestCpuPort drives machine's SimpleProcessor test
 * double (one interrupt-enable flag), TestBsp models a console as a byte buffer and a
 * clock as a ProgrammableTimer on an InterruptController line. Together with
 * createTestSystem they let cpukit, and applications written for it, be tested with
 * no architecture package, BSP or kernel (per-layer testing).
 */
import { Board, CycleClock, type EventQueue, InterruptController, ProgrammableTimer, type TraceRecorder, WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import { SimpleProcessor } from '@paravirt/machine/test';
import type { Application } from './application.js';
import type { BspHooks } from './bspHooks.js';
import type { Configuration } from './configuration.js';
import type { CpuContext } from './cpuContext.js';
import type { CpuPort } from './cpuPort.js';
import { Executive } from './executive.js';
import type { ExecutiveCosts } from './executiveCosts.js';
import type { InterruptDispatch } from './interruptDispatch.js';
import type { BspInterruptController } from './interruptAttributes.js';
import { TestPartitionServices, type TestPartitionServicesOptions } from './internal/testPartitionServices.js';
import type { PartitionServices } from './partitionServices.js';

export {
  TestPartitionServices,
  type TestMessage,
  type TestPartitionCall,
  type TestPartitionServicesOptions,
  type TestPortConfig,
} from './internal/testPartitionServices.js';

/** The context TestCpuPort keeps per thread: a serial number and the initial level. */
export interface TestContext extends CpuContext {
  readonly arch: 'test';
  readonly serial: number;
  readonly isrLevel: number;
}

export interface TestCpuPortOptions {
  /** Cycles charged per context switch (default 100). */
  readonly contextSwitchCycles?: number;
  /**
   * CPU_MODES_INTERRUPT_MASK of the double (default 0xff, the no_cpu template's): the bits of
   * a task mode the executive takes as its interrupt level. The double keeps one enable
   * flag whatever the mask: any level but 0 disables, and a disabled level reads back as 1.
   */
  readonly interruptMask?: number;
}

/**
 * A CpuPort over SimpleProcessor: level 0 is `interruptsEnabled = true`, any other
 * level disables; a context switch charges a fixed cost and is logged.
 */
export class TestCpuPort implements CpuPort {
  readonly name = 'test';
  readonly contextSwitchCycles: number;
  readonly interruptMask: number;
  /** Every switch as [outgoing serial, incoming serial]. */
  readonly switches: Array<readonly [number, number]> = [];
  private serials = 0;

  constructor(
    readonly processor: SimpleProcessor,
    options: TestCpuPortOptions = {},
  ) {
    this.contextSwitchCycles = options.contextSwitchCycles ?? 100;
    this.interruptMask = options.interruptMask ?? 0xff;
  }

  isrDisable(): number {
    const level = this.processor.interruptsEnabled ? 0 : 1;
    this.processor.interruptsEnabled = false;
    return level;
  }

  isrEnable(level: number): void {
    this.processor.interruptsEnabled = (level & 0xff) === 0;
  }

  isrFlash(level: number): void {
    // Guest code is atomic between yields: nothing can be taken inside the window.
    if (level === 0) this.processor.interruptsEnabled = false;
  }

  isrGetLevel(): number {
    return this.processor.interruptsEnabled ? 0 : 1;
  }

  isrSetLevel(level: number): void {
    this.processor.interruptsEnabled = (level & 0xff) === 0;
  }

  contextInitialize(isrLevel: number): TestContext {
    return { arch: 'test', serial: this.serials++, isrLevel };
  }

  contextSwitch(executing: CpuContext, heir: CpuContext): void {
    if (!isTestContext(executing) || !isTestContext(heir)) throw new RangeError('TestCpuPort: context switch between contexts of another port');
    this.processor.charge(this.contextSwitchCycles);
    this.switches.push([executing.serial, heir.serial]);
  }

  charge(cycles: number): void {
    this.processor.charge(cycles);
  }
}

function isTestContext(context: CpuContext): context is TestContext {
  return context.arch === 'test';
}

export interface TestBspOptions {
  /** Controller line of the clock timer (default 0). */
  readonly clockLine?: number;
  /**
   * The clock interrupt comes every `ticks` ticks and announces them all, in one call or
   * (`oneByOne`) one call per tick - a virtual clock driver announcing the ticks its
   * partition missed. Default: every tick, one each.
   */
  readonly clockBatch?: { readonly ticks: number; readonly oneByOne: boolean };
}

/**
 * A BSP for tests: console bytes kept in memory; clock driver = a periodic
 * ProgrammableTimer (1 MHz input, reload = microseconds per tick) on a controller line
 * whose handler runs `dispatch.isr(() => announce(1))`; idle = halt, then wait;
 * fatal and exit are recorded and stop the processor.
 */
export class TestBsp implements BspHooks {
  readonly name = 'test';
  readonly clockLine: number;
  /** Rate-monotonic deadline misses reported, by period id, in order. */
  readonly deadlineMisses: number[] = [];
  fatalError: { readonly source: string; readonly code: number } | undefined = undefined;
  exitStatus: number | undefined = undefined;
  clockTimer: ProgrammableTimer | undefined = undefined;
  /** The partition services, when the test system was created with `partition` options. */
  partition?: PartitionServices;
  /** Per-vector controller operations a test gives the BSP (none by default: those directives answer UNSATISFIED). */
  interruptController?: BspInterruptController;
  private dispatch: InterruptDispatch | undefined = undefined;
  private readonly handlers = new Map<number, () => void>();
  private readonly output: number[] = [];

  constructor(
    readonly processor: SimpleProcessor,
    readonly controller: InterruptController,
    private readonly queue: EventQueue,
    options: TestBspOptions = {},
  ) {
    this.clockLine = options.clockLine ?? 0;
    this.clockBatch = options.clockBatch;
  }

  private readonly clockBatch: TestBspOptions['clockBatch'];

  start(executive: InterruptDispatch): void {
    this.dispatch = executive;
    this.processor.handler = (vector) => {
      const handler = this.handlers.get(vector);
      if (handler !== undefined) this.dispatch?.isr(handler);
    };
  }

  consoleWrite(bytes: Uint8Array): void {
    for (const byte of bytes) this.output.push(byte);
  }

  clockInitialize(microsecondsPerTick: number, announce: (ticks: number) => void): void {
    const timer = new ProgrammableTimer(this.queue, new CycleClock(1_000_000), this.controller.line(this.clockLine), 'test-clock');
    const batch = this.clockBatch;
    if (batch === undefined) this.handlers.set(this.clockLine, () => announce(1));
    else if (batch.oneByOne) this.handlers.set(this.clockLine, () => {
      for (let tick = 0; tick < batch.ticks; tick++) announce(1);
    });
    else this.handlers.set(this.clockLine, () => announce(batch.ticks));
    timer.start(microsecondsPerTick * (batch?.ticks ?? 1), true);
    this.clockTimer = timer;
  }

  /** Every line of the controller is a vector (the clock's and the partition services' are the BSP's own). */
  isInterruptVector(vector: number): boolean {
    return Number.isInteger(vector) && vector >= 0 && vector < this.controller.lineCount;
  }

  interruptInstall(vector: number, handler: () => void): boolean {
    if (!this.isInterruptVector(vector) || this.handlers.has(vector)) return false;
    this.handlers.set(vector, handler);
    return true;
  }

  /** The line's handler is forgotten: an interrupt on it is then ignored. */
  interruptRemove(vector: number): void {
    this.handlers.delete(vector);
  }

  *idle(): Generator<number, void, unknown> {
    this.processor.halt();
    yield WAIT_FOR_INTERRUPT;
  }

  deadlineMissed(periodId: number): void {
    this.deadlineMisses.push(periodId);
  }

  fatal(source: string, code: number): void {
    this.fatalError = { source, code };
    this.processor.stop(`fatal error ${source} ${code}`);
  }

  exit(status: number): void {
    this.exitStatus = status;
    this.processor.stop(`exit ${status}`);
  }

  consoleBytes(): Uint8Array {
    return Uint8Array.from(this.output);
  }

  /** The console as UTF-8 text. */
  consoleText(): string {
    return new TextDecoder().decode(this.consoleBytes());
  }
}

export interface TestSystemOptions {
  readonly application: Application;
  readonly configuration?: Partial<Configuration>;
  /** Seed of the board's PRNG (default 1). */
  readonly seed?: number;
  /** Executive costs (default: DEFAULT_EXECUTIVE_COSTS). */
  readonly costs?: Partial<ExecutiveCosts>;
  /** Processor frequency (default 100 MHz: 10 ns per cycle). */
  readonly frequencyHz?: number;
  /** Cycles the processor charges per interrupt taken (default 10). */
  readonly interruptCycles?: number;
  readonly contextSwitchCycles?: number;
  /** The CPU port's CPU_MODES_INTERRUPT_MASK (default 0xff; TestCpuPortOptions.interruptMask). */
  readonly interruptMask?: number;
  readonly trace?: TraceRecorder;
  /** Gives the BSP in-memory ARINC 653 partition services (rtems.apex), with these ports. */
  readonly partition?: TestPartitionServicesOptions;
  /** TestBspOptions.clockBatch. */
  readonly clockBatch?: TestBspOptions['clockBatch'];
  /** RTEMS Workspace bytes (default: the executive's DEFAULT_WORKSPACE_SIZE). */
  readonly workspaceSize?: number;
  /** ExecutiveOptions.locateThrown. */
  readonly locateThrown?: (stack: string) => string | undefined;
}

export interface TestSystem {
  /** Runs the simulation up to `untilNs` of virtual time. */
  run(untilNs: number): void;
  consoleText(): string;
  consoleBytes(): Uint8Array;
  readonly executive: Executive;
  readonly processor: SimpleProcessor;
  readonly bsp: TestBsp;
  readonly cpuPort: TestCpuPort;
  readonly controller: InterruptController;
  readonly board: Board;
  /** The in-memory partition services, if the system has them. */
  readonly partition: TestPartitionServices | undefined;
}

/**
 * Board + InterruptController (8 lines) + SimpleProcessor + TestCpuPort + TestBsp +
 * Executive (+ TestPartitionServices on line 1 with `partition`). The processor starts
 * at time 0, so the executive boots inside run().
 */
export function createTestSystem(options: TestSystemOptions): TestSystem {
  const board = new Board({ memorySize: 0x1_0000, endianness: 'little', seed: options.seed ?? 1, ...(options.trace ? { trace: options.trace } : {}) });
  const controller = new InterruptController(8);
  const processor = new SimpleProcessor(board.queue, controller, {
    trace: board.trace,
    ...(options.frequencyHz !== undefined ? { frequencyHz: options.frequencyHz } : {}),
    ...(options.interruptCycles !== undefined ? { interruptCycles: options.interruptCycles } : {}),
  });
  const cpuPort = new TestCpuPort(processor, {
    ...(options.contextSwitchCycles !== undefined ? { contextSwitchCycles: options.contextSwitchCycles } : {}),
    ...(options.interruptMask !== undefined ? { interruptMask: options.interruptMask } : {}),
  });
  const bsp = new TestBsp(processor, controller, board.queue, options.clockBatch ? { clockBatch: options.clockBatch } : {});
  const partition = options.partition ? new TestPartitionServices(bsp, controller, board.queue, processor, options.partition) : undefined;
  if (partition) bsp.partition = partition;
  const executive = new Executive({
    cpuPort,
    bsp,
    application: options.application,
    name: options.application.name,
    trace: board.trace,
    now: () => board.now,
    ...(options.configuration ? { configuration: options.configuration } : {}),
    ...(options.costs ? { costs: options.costs } : {}),
    ...(options.workspaceSize !== undefined ? { workspaceSize: options.workspaceSize } : {}),
    ...(options.locateThrown ? { locateThrown: options.locateThrown } : {}),
  });
  processor.setWorkload(executive);
  board.queue.at(0, () => processor.start(), 'test-system.start');
  return {
    run: (untilNs) => {
      board.runUntil(untilNs);
    },
    consoleText: () => bsp.consoleText(),
    consoleBytes: () => bsp.consoleBytes(),
    executive,
    processor,
    bsp,
    cpuPort,
    controller,
    board,
    partition,
  };
}
