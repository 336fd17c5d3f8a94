/**
 * A guest executive on bare metal: the board, the BSP, the CPU port and the executive,
 * put together the way bsp-virtualpok puts them together in a partition. This module
 * only chooses implementations: the CPU port is the architecture's context switch
 * (cpu-i386, or cpu-sparc with RTEMS's privileged window flush) plus libcpu-native's
 * interrupt level; the BSP is pc386 or leon3 on the matching board.
 *
 * Start-up, at virtual time 0 and in supervisor mode (the state the processor leaves
 * reset in): start.S (the BSP's reset()), then boot_card (Executive.boot(): interrupts
 * off, bsp_start, IDLE, the clock driver, the Init task). That work is charged to the
 * processor and spent when it starts running; the executive is its workload from then
 * on. The executive's time (traces, records) is the board's event queue.
 */
import { type Application, composeCpuPort, type Configuration, type CpuContextOperations, type CpuPort, Executive, type ExecutiveCosts, FatalSource } from '@paravirt/cpukit';
import { I386Board, I386ContextPort } from '@paravirt/cpu-i386';
import { GPTIMER_MAX_PERIOD_TICKS, Leon3Board, SparcContextPort, type SparcCosts } from '@paravirt/cpu-sparc';
import type { InterruptLevel } from '@paravirt/libcpu-native';
import type { Activity, Nanoseconds, TraceRecorder } from '@paravirt/machine';
import { Leon3Bsp } from './leon3Bsp.js';
import { Pc386Bsp, pc386ClockProblem } from './pc386Bsp.js';

export type NativeArch = 'i386' | 'sparc';

/** Default RAM of the board: 4 MiB. */
export const NATIVE_DEFAULT_MEMORY_SIZE = 4 << 20;

export interface NativeSystemOptions {
  readonly arch: NativeArch;
  readonly application: Application;
  /** Overrides of the application's configuration (the runner's clock tick). */
  readonly configuration?: Partial<Configuration>;
  /** Name of the executive in traces (default: the application's name). */
  readonly name?: string;
  /** RAM in bytes (default 4 MiB). */
  readonly memorySize?: number;
  /** Processor clock (default: the board's, 100 MHz i386, 50 MHz LEON3). */
  readonly frequencyHz?: number;
  /** Overrides of the architecture's cost table (SPARC also takes `instruction` and `divide`). */
  readonly costs?: Partial<SparcCosts>;
  /** Overrides of the executive's own costs. */
  readonly executiveCosts?: Partial<ExecutiveCosts>;
  /** Time the console UART takes per byte, in ns (default 0: an infinitely fast line). */
  readonly consoleCharTime?: Nanoseconds;
  /** Seed of the board's PRNG (default 1). */
  readonly seed?: number;
  readonly trace?: TraceRecorder;
  /** Activity words (over shared memory) for a host-side watchdog: the processor's and the executive's. */
  readonly activity?: Activity;
}

interface NativeSystemBase {
  readonly executive: Executive;
  readonly cpuPort: CpuPort;
  /** Runs the simulation up to `untilNs` of virtual time. */
  run(untilNs: Nanoseconds): void;
  /** The console's bytes. */
  consoleBytes(): Uint8Array;
  /** The console as UTF-8 text. */
  consoleText(): string;
}

export interface I386NativeSystem extends NativeSystemBase {
  readonly arch: 'i386';
  readonly board: I386Board;
  readonly bsp: Pc386Bsp;
}

export interface SparcNativeSystem extends NativeSystemBase {
  readonly arch: 'sparc';
  readonly board: Leon3Board;
  readonly bsp: Leon3Bsp;
}

export type NativeSystem = I386NativeSystem | SparcNativeSystem;

/**
 * Why the native BSP of `arch` cannot run a clock of `microsecondsPerTick`, or undefined:
 * pc386 needs at least 2 us (pc386ClockProblem; longer ticks take several ISRs); leon3's
 * timer counts 1 MHz ticks with a 32-bit reload register (reload = us - 1).
 */
export function nativeClockProblem(arch: NativeArch, microsecondsPerTick: number): string | undefined {
  if (arch === 'i386') return pc386ClockProblem(microsecondsPerTick);
  if (!Number.isSafeInteger(microsecondsPerTick) || microsecondsPerTick < 1) return `microseconds per tick must be a whole number of at least 1, got ${microsecondsPerTick}`;
  if (microsecondsPerTick > GPTIMER_MAX_PERIOD_TICKS) return `${microsecondsPerTick}us is longer than the leon3 clock can tick: the GPTIMER's 32-bit reload register counts at most ${GPTIMER_MAX_PERIOD_TICKS} 1 MHz ticks`;
  return undefined;
}

export function createNativeSystem(options: NativeSystemOptions & { readonly arch: 'i386' }): I386NativeSystem;
export function createNativeSystem(options: NativeSystemOptions & { readonly arch: 'sparc' }): SparcNativeSystem;
export function createNativeSystem(options: NativeSystemOptions): NativeSystem;
export function createNativeSystem(options: NativeSystemOptions): NativeSystem {
  const boardOptions = {
    memorySize: options.memorySize ?? NATIVE_DEFAULT_MEMORY_SIZE,
    ...(options.frequencyHz !== undefined ? { frequencyHz: options.frequencyHz } : {}),
    ...(options.costs !== undefined ? { costs: options.costs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.trace !== undefined ? { trace: options.trace } : {}),
  };
  switch (options.arch) {
    case 'i386': {
      const board = new I386Board({ ...boardOptions, consoleCharTime: options.consoleCharTime ?? 0 });
      if (options.activity) board.processor.activity = options.activity;
      const bsp = new Pc386Bsp(board);
      const system = compose(options, board.board, board.processor, bsp, bsp.cpu, new I386ContextPort(board.processor));
      const problem = nativeClockProblem('i386', system.executive.configuration.microsecondsPerTick);
      if (problem !== undefined) throw new RangeError(`microsecondsPerTick: ${problem}`);
      return { arch: 'i386', board, bsp, ...system.boot(() => bsp.reset()) };
    }
    case 'sparc': {
      const board = new Leon3Board({ ...boardOptions, uartCharTime: options.consoleCharTime ?? 0 });
      if (options.activity) board.processor.activity = options.activity;
      const bsp = new Leon3Bsp(board);
      // RTEMS's own SPARC context switch: RDPSR/WRPSR/RDWIM/WRWIM walk of the windows.
      const system = compose(options, board.board, board.processor, bsp, bsp.cpu, new SparcContextPort(board.processor, { windowFlush: 'privileged' }));
      const problem = nativeClockProblem('sparc', system.executive.configuration.microsecondsPerTick);
      if (problem !== undefined) throw new RangeError(`microsecondsPerTick: ${problem}`);
      return { arch: 'sparc', board, bsp, ...system.boot(() => bsp.reset()) };
    }
    default:
      throw new RangeError(`no native BSP for architecture ${String((options as { arch: unknown }).arch)} (i386 or sparc)`);
  }
}

interface Machine {
  readonly now: number;
  runUntil(time: number): number;
}

interface RunnableProcessor {
  readonly activity: Activity;
  charge(cycles: number): void;
  setWorkload(workload: Executive): void;
  start(): void;
}

/** The CPU port from the two halves, the executive on top, and the boot sequence. */
function compose(
  options: NativeSystemOptions,
  machine: Machine,
  processor: RunnableProcessor,
  bsp: Pc386Bsp | Leon3Bsp,
  level: InterruptLevel,
  context: CpuContextOperations,
) {
  const cpuPort = composeCpuPort(options.arch, level, context, (cycles) => processor.charge(cycles));
  const executive = new Executive({
    cpuPort,
    bsp,
    application: options.application,
    name: options.name ?? options.application.name,
    ...(options.configuration ? { configuration: options.configuration } : {}),
    ...(options.executiveCosts ? { costs: options.executiveCosts } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
    activity: processor.activity,
    // RTEMS's work area on bare metal is the board's RAM: what the guest may make the executive hold.
    workspaceSize: options.memorySize ?? NATIVE_DEFAULT_MEMORY_SIZE,
    now: () => machine.now,
  });
  bsp.onException((code) => executive.rtems.fatal(FatalSource.RTEMS_FATAL_SOURCE_EXCEPTION, code));
  return {
    executive,
    boot(reset: () => void): NativeSystemBase {
      reset();
      executive.boot();
      processor.setWorkload(executive);
      processor.start();
      return {
        executive,
        cpuPort,
        run: (untilNs) => {
          machine.runUntil(untilNs);
        },
        consoleBytes: () => bsp.consoleBytes(),
        consoleText: () => new TextDecoder().decode(bsp.consoleBytes()),
      };
    },
  };
}
