/**
 * The architecture descriptor: everything the architecture-agnostic layers (the kernels'
 * composition, the paravirtual BSP, the runner) need to know about one processor family
 * and its board, in one object. Each cpu-* package exports exactly one
 * (cpu-i386 `i386Architecture`, cpu-sparc `sparcArchitecture`); code above it takes a
 * descriptor and never tests an architecture's name.
 *
 * It lives here because both sides may see machine: guest packages (bsp-virtualpok) and
 * the host side (kernels: trap choice) use the same descriptor, and kernels reach cpu-*
 * only through machine (docs/architecture.md section 2).
 *
 * Two halves, as RTEMS keeps them apart: the simulated hardware (board, hypercall trap,
 * kernel timer, interrupt lines and levels) and the context half of the RTEMS CPU port
 * (score/cpu: thread context and switch). What libcpu-native and bsp-native add per
 * architecture is registered with a descriptor in those packages.
 */
import type { CostTable, GuestProcessor, HypercallAbi, Platform } from './platform.js';
import type { PrivilegeMode } from './protection.js';
import type { Nanoseconds } from './time.js';
import type { TraceRecorder } from './traceRecorder.js';

/** What every board of every architecture is built from (each board may take more of its own). */
export interface PlatformOptions {
  /** RAM in bytes, at most the descriptor's `board.maxMemory`. */
  readonly memorySize: number;
  /** Processor clock (default: the board's own). */
  readonly frequencyHz?: number;
  /** Overrides of the architecture's cost table (an architecture may know more keys; an unknown key is a RangeError). */
  readonly costs?: Partial<CostTable>;
  /** Seed of the board's PRNG. */
  readonly seed?: number;
  readonly trace?: TraceRecorder;
  /** The hypercall trap, one of `hypercalls.traps` (default: the first, the board's own). */
  readonly hypercallTrap?: number;
  /** Time the console UART takes per byte, in ns (default 0: an infinitely fast line). */
  readonly consoleCharTime?: Nanoseconds;
}

/** The simulated board of an architecture. */
export interface BoardDescriptor<B extends Platform = Platform> {
  /** Most RAM the board can have, in bytes (a larger board throws). */
  readonly maxMemory: number;
  /** What bounds it, for messages: "the PC's RAM (0xfffe0000: 4 GiB less the BIOS ROM ...)". */
  readonly memoryDescription: string;
  /** The board at reset, in supervisor mode. */
  readonly create: (options: PlatformOptions) => B;
}

/** How a guest calls the kernel on this architecture. */
export interface HypercallTraps {
  /**
   * Trap numbers a kernel may take hypercalls on, in the board's terms (i386: the vector of
   * `int n`; SPARC: n of `ta n`). The first is the board's default; the others are set aside
   * for kernels that want a trap of their own (so a guest built for one kernel cannot
   * reach another by accident). A kernel chooses by position, never by number.
   */
  readonly traps: readonly number[];
  /** The calling convention on `trap` (default: the first of `traps`); a trap the architecture cannot use is a RangeError. */
  readonly abi: (trap?: number) => HypercallAbi;
}

/** The hardware timer a kernel ticks with (Platform.startTickTimer). */
export interface KernelTimer {
  /** The interrupt line it raises (never routable to a partition). */
  readonly line: number;
  /** Why it cannot interrupt every `periodNs` on a processor at `frequencyHz` (default: the board's clock), or undefined. */
  readonly tickProblem: (periodNs: Nanoseconds, frequencyHz?: number) => string | undefined;
  /**
   * The `name` of the processor's `trap` trace record when it takes the timer's interrupt
   * (i386 `IRQ 0`, SPARC `interrupt_level_8`): a trace tells the ticks from other traps by
   * it (the runner's `--trace-events ticks`). Absent: the ticks are traps like any other.
   */
  readonly trapName?: string;
}

/** The board's interrupt controller, as software sees its lines. */
export interface InterruptLines {
  /** Lines of the controller: 0 .. count - 1. */
  readonly count: number;
  /** Lines a device ISR may be installed on (rtems_interrupt_handler_install), the kernel tick's included. */
  readonly deviceLines: readonly number[];
  /** Lines a kernel may route to partitions: the device lines but the kernel tick's (Platform.routableLines). */
  readonly routableLines: readonly number[];
  /** Why the board keeps `line` for itself, for a line that is not routable; undefined when there is nothing more to say. */
  readonly unroutableReason: (line: number) => string | undefined;
}

/** RTEMS interrupt levels on this processor (level 0: every interrupt enabled). */
export interface InterruptLevels {
  /** The highest level that means something; higher levels mean the same as it. */
  readonly max: number;
  /** Whether the processor takes an interrupt on `line` while the level is `level`. */
  readonly accepts: (level: number, line: number) => boolean;
}

/** A thread context of the RTEMS CPU port (cpukit's `CpuContext`, structurally: machine cannot import cpukit). */
export interface ThreadContext {
  readonly arch: string;
}

/** The context half of the RTEMS CPU port (cpukit's `CpuContextOperations`, structurally). */
export interface ThreadContextPort {
  contextInitialize(isrLevel: number): ThreadContext;
  contextSwitch(executing: ThreadContext, heir: ThreadContext): void;
  /** The floating-point context switch of RTEMS_FLOATING_POINT tasks (cpukit's `CpuFloatingPoint`), if the architecture has an FPU. */
  readonly floatingPoint?: {
    readonly switchAt: 'dispatch' | 'first-use';
    switchFp(owner: ThreadContext | undefined, heir: ThreadContext): void;
  };
}

export interface ContextPortOptions {
  /**
   * Where the guest runs: 'supervisor' on bare metal (RTEMS's own port, privileged
   * instructions allowed: SPARC walks the windows with RDWIM/WRPSR), 'user' in a partition
   * (nothing privileged: SPARC flushes the windows with SAVE/RESTORE and lets the kernel
   * spill them).
   */
  readonly privilege: PrivilegeMode;
}

/**
 * One architecture: its board and hardware (simulated) and the context half of its RTEMS
 * CPU port. Data and plain functions (none uses `this`), so parts may be handed on alone.
 */
export interface Architecture<B extends Platform = Platform> {
  /** The name configs, summaries and traces use; the `arch` of its processor, board and hypercall ABI. */
  readonly name: string;
  readonly board: BoardDescriptor<B>;
  readonly hypercalls: HypercallTraps;
  readonly kernelTimer: KernelTimer;
  readonly interrupts: InterruptLines;
  readonly interruptLevels: InterruptLevels;
  /** The RTEMS context port for `processor`, a processor of this architecture (another is a RangeError). */
  readonly contextPort: (processor: GuestProcessor, options: ContextPortOptions) => ThreadContextPort;
}
