/**
 * A guest executive on bare metal: the board, the BSP, the CPU port and the executive,
 * put together the way bsp-virtualpok puts them together in a partition. This module
 * only composes what an architecture's entry names, and never tests an architecture: the
 * board and the context half of the CPU port come from the architecture descriptor
 * (machine's `Architecture`, at supervisor privilege: on SPARC RTEMS's privileged window
 * flush), the BSP and its libcpu-native interrupt level from bsp-native's entry for that
 * architecture (pc386NativeBsp, leon3NativeBsp).
 *
 * Start-up, at virtual time 0 and in supervisor mode (the state the processor leaves
 * reset in): start.S (the BSP's reset()), then boot_card (Executive.boot(): interrupts
 * off, bsp_start, IDLE, the clock driver, the Init task). That work is charged to the
 * processor and spent when it starts running; the executive is its workload from then
 * on. The executive's time (traces, records) is the board's event queue.
 */
import { type Application, composeCpuPort, type Configuration, type CpuContextOperations, type CpuPort, Executive, type ExecutiveCosts, FatalSource } from '@paravirt/cpukit';
import type { I386Board } from '@paravirt/cpu-i386';
import type { Leon3Board, SparcCosts } from '@paravirt/cpu-sparc';
import type { InterruptLevel } from '@paravirt/libcpu-native';
import type { Activity, Nanoseconds, Platform, TraceRecorder } from '@paravirt/machine';
import { type Leon3Bsp, leon3NativeBsp } from './leon3Bsp.js';
import type { BareMetalBsp, NativeBspArchitecture } from './nativeBsp.js';
import { type Pc386Bsp, pc386NativeBsp } from './pc386Bsp.js';

/** The architectures bsp-native has a BSP for, by name. */
export type NativeArch = 'i386' | 'sparc';

const BUILT_IN: Readonly<Record<NativeArch, NativeBspArchitecture<I386Board, Pc386Bsp> | NativeBspArchitecture<Leon3Board, Leon3Bsp>>> = {
  i386: pc386NativeBsp,
  sparc: leon3NativeBsp,
};

/** Default RAM of the board: 4 MiB. */
export const NATIVE_DEFAULT_MEMORY_SIZE = 4 << 20;

export interface NativeSystemOptions {
  /**
   * The BSP: an architecture's bsp-native entry (pc386NativeBsp, leon3NativeBsp, or one
   * registered with another architecture's descriptor), or the name of a built-in one.
   */
  readonly arch: NativeArch | NativeBspArchitecture;
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
  /** Where a JS Error a guest threw points in its own source (cpukit ExecutiveOptions.locateThrown). */
  readonly locateThrown?: (stack: string) => string | undefined;
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

/** A bare-metal system of any architecture: the board `B` and the BSP `S` of its bsp-native entry. */
export interface NativeSystemOf<B extends Platform = Platform, S extends BareMetalBsp = BareMetalBsp> extends NativeSystemBase {
  /** The architecture's name. */
  readonly arch: string;
  readonly board: B;
  readonly bsp: S;
}

export interface I386NativeSystem extends NativeSystemOf<I386Board, Pc386Bsp> {
  readonly arch: 'i386';
}

export interface SparcNativeSystem extends NativeSystemOf<Leon3Board, Leon3Bsp> {
  readonly arch: 'sparc';
}

export type NativeSystem = I386NativeSystem | SparcNativeSystem;

/** The built-in BSP named `arch`. */
function builtIn(arch: string): NativeBspArchitecture {
  if (!Object.hasOwn(BUILT_IN, arch)) throw new RangeError(`no native BSP for architecture ${arch} (${Object.keys(BUILT_IN).join(' or ')})`);
  return BUILT_IN[arch as NativeArch];
}

/**
 * Why the native BSP of `arch` cannot run a clock of `microsecondsPerTick`, or undefined:
 * pc386 needs at least 2 us (pc386ClockProblem; longer ticks take several ISRs); leon3's
 * timer counts 1 MHz ticks with a 32-bit reload register (leon3ClockProblem). Another
 * architecture's entry answers with its own `clockProblem`.
 */
export function nativeClockProblem(arch: NativeArch, microsecondsPerTick: number): string | undefined {
  return builtIn(arch).clockProblem(microsecondsPerTick);
}

export function createNativeSystem(options: NativeSystemOptions & { readonly arch: 'i386' }): I386NativeSystem;
export function createNativeSystem(options: NativeSystemOptions & { readonly arch: 'sparc' }): SparcNativeSystem;
export function createNativeSystem(options: NativeSystemOptions & { readonly arch: NativeArch }): NativeSystem;
export function createNativeSystem<B extends Platform, S extends BareMetalBsp>(options: NativeSystemOptions & { readonly arch: NativeBspArchitecture<B, S> }): NativeSystemOf<B, S>;
export function createNativeSystem(options: NativeSystemOptions): NativeSystemOf;
export function createNativeSystem(options: NativeSystemOptions): NativeSystemOf {
  const native = typeof options.arch === 'string' ? builtIn(options.arch) : options.arch;
  const { architecture } = native;
  const board = architecture.board.create({
    memorySize: options.memorySize ?? NATIVE_DEFAULT_MEMORY_SIZE,
    ...(options.frequencyHz !== undefined ? { frequencyHz: options.frequencyHz } : {}),
    ...(options.costs !== undefined ? { costs: options.costs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.trace !== undefined ? { trace: options.trace } : {}),
    consoleCharTime: options.consoleCharTime ?? 0,
  });
  if (options.activity) board.processor.activity = options.activity;
  const bsp = native.createBsp(board);
  // RTEMS's own context switch, privileged instructions allowed (SPARC: the RDPSR/WRPSR/RDWIM/WRWIM walk of the windows).
  const context = architecture.contextPort(board.processor, { privilege: 'supervisor' });
  const system = compose(options, architecture.name, board.board, board.processor, bsp, bsp.cpu, context);
  const problem = native.clockProblem(system.executive.configuration.microsecondsPerTick);
  if (problem !== undefined) throw new RangeError(`microsecondsPerTick: ${problem}`);
  return { arch: architecture.name, board, bsp, ...system.boot(() => bsp.reset()) };
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
  arch: string,
  machine: Machine,
  processor: RunnableProcessor,
  bsp: BareMetalBsp,
  level: InterruptLevel,
  context: CpuContextOperations,
) {
  const cpuPort = composeCpuPort(arch, level, context, (cycles) => processor.charge(cycles));
  const executive = new Executive({
    cpuPort,
    bsp,
    application: options.application,
    name: options.name ?? options.application.name,
    ...(options.configuration ? { configuration: options.configuration } : {}),
    ...(options.executiveCosts ? { costs: options.executiveCosts } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.locateThrown ? { locateThrown: options.locateThrown } : {}),
    activity: processor.activity,
    // RTEMS's work area on bare metal is the board's RAM: what the guest may make the executive hold.
    workspaceSize: options.memorySize ?? NATIVE_DEFAULT_MEMORY_SIZE,
    now: () => machine.now,
  });
  bsp.onException((code) => executive.rtems.fatal(FatalSource.RTEMS_FATAL_SOURCE_EXCEPTION, code));
  bsp.traceSource = options.name ?? options.application.name;
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
