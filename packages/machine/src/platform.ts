/**
 * What an architecture-neutral supervisor (a separation kernel) needs from a processor
 * and its board, and the vocabulary shared by processor models, kernels and the
 * paravirtualization API: trap classes, trap descriptions, the hypercall ABI descriptor
 * shape and the cost table keys.
 *
 * cpu-i386 and cpu-sparc implement Platform; pok-kernel and air-kernel use only this
 * interface (docs/architecture.md section 2: kernels reach cpu-* only through machine).
 */
import type { Board } from './board.js';
import type { ScheduledEvent } from './eventQueue.js';
import type { IrqLine } from './interrupts.js';
import type { Processor } from './processor.js';
import type { MemoryFault, PrivilegeMode, ProtectionContext } from './protection.js';
import type { Nanoseconds } from './time.js';

/** Architecture-neutral class of a trap; the architectural number and name travel with it. */
export type TrapClass =
  /** External interrupt (i386: PIC vector; SPARC: interrupt_level_n, tt 0x11-0x1F). */
  | 'interrupt'
  /** The software trap of the hypercall ABI (i386 INT n through a DPL-3 gate; SPARC Ticc). */
  | 'hypercall'
  /** Any other software trap (INT n, Ticc), e.g. SPARC `ta 9` / `ta 10` from a native guest. */
  | 'software'
  /** A privileged instruction in user mode (i386 #GP(0) from CLI/STI/HLT/LIDT/MOV CR/IN/OUT; SPARC privileged_instruction tt 0x03). */
  | 'privileged'
  /** A memory access fault (i386 #PF, #GP on a segment limit; SPARC data_access_exception 0x09, instruction_access_exception 0x01, mem_address_not_aligned 0x07). */
  | 'memory'
  /** Undefined/illegal instruction (i386 #UD 6; SPARC illegal_instruction 0x02). */
  | 'illegal'
  /** Division by zero (i386 #DE 0; SPARC division_by_zero 0x2A). */
  | 'arithmetic'
  /** Protection violation that is not one of the above (i386 #GP on an INT n through a DPL-0 gate). */
  | 'protection';

export interface TrapInfo {
  readonly class: TrapClass;
  /** i386: the vector; SPARC: the trap type (tt). */
  readonly number: number;
  /** Architectural name: '#GP', '#PF', 'privileged_instruction', 'interrupt_level_10', 'trap_instruction'. */
  readonly name: string;
  /** Mnemonic of the instruction that trapped, for synchronous traps: 'cli', 'wrpsr', 'int 0x2a', 'ta 9'. */
  readonly instruction?: string;
  /** i386 error code, where the exception pushes one. */
  readonly errorCode?: number;
  /** For memory faults: what was accessed and why it failed. */
  readonly fault?: MemoryFault;
  /** For interrupts: the controller line (i386 IRQ 0-15, SPARC level 1-15). */
  readonly line?: number;
  /** Privilege mode of the code that was running when the trap occurred. */
  readonly fromMode: PrivilegeMode;
  /** True for traps caused by an instruction (the faulting code waits for the handler's verdict). */
  readonly synchronous: boolean;
}

/**
 * What a supervisor trap handler decides:
 *  - 'return': resume the interrupted code (for a synchronous trap: the instruction is
 *    considered handled: emulated, or skipped);
 *  - 'abandon': never return to the interrupted code (it was stopped or restarted); the
 *    processor throws ExecutionAbandoned through it.
 */
export type TrapOutcome = 'return' | 'abandon';

export type SupervisorEntry = (trap: TrapInfo) => TrapOutcome;

/**
 * The per-architecture hypercall calling convention, exported by cpu-i386 / cpu-sparc and
 * handed to both the guest-side client and the host-side dispatcher (paravirt-api knows
 * no architecture).
 */
export interface HypercallAbi {
  readonly arch: string;
  /** How the guest enters the kernel: i386 `int 0x2a` (vector 42), SPARC `ta n` (tt 0x80 + n). */
  readonly trapNumber: number;
  readonly trapInstruction: string;
  /** Register holding the hypercall number. */
  readonly numberRegister: string;
  /** Argument registers, in order. */
  readonly argumentRegisters: readonly string[];
  /** Register receiving the status / result. */
  readonly resultRegister: string;
  /** Extra result registers (a second result word), if any. */
  readonly extraResultRegisters: readonly string[];
}

/**
 * Cycle costs of the operations the simulation charges, one table per architecture
 * (each default documented with its source or marked as an assumption in the cpu
 * package's costs.ts) and overridable from config.
 */
export interface CostTable {
  /** Taking a trap or interrupt: state save, vector/trap-table lookup, entry. */
  readonly trapEntry: number;
  /** Returning from a trap (IRET / RETT sequence). */
  readonly trapExit: number;
  /** One privileged or sensitive instruction (CLI, STI, POPF, RDPSR, WRPSR, ...). */
  readonly privilegedInstruction: number;
  /** One I/O access (i386 IN/OUT, a memory-mapped device register). */
  readonly ioAccess: number;
  /** One plain memory load or store (a vCPU page flag). */
  readonly memoryAccess: number;
  /** Saving and restoring one thread's integer context (excluding register windows). */
  readonly threadContextSwitch: number;
  /** Spilling or filling one register window (SPARC overflow/underflow handler body; 0 on i386). */
  readonly windowSpill: number;
  /** Switching address space: segment reload or MMU context switch with TLB flush. */
  readonly addressSpaceSwitch: number;
  /** Kernel-side decode and argument validation of one hypercall. */
  readonly hypercallDispatch: number;
  /** Kernel building a virtual-interrupt frame and entering the guest's upcall. */
  readonly virqUpcall: number;
  /**
   * Saving one thread's floating-point context (RTEMS _CPU_Context_save_fp: i386 FSAVE of
   * the 108-byte 387 state; SPARC 16 STD of f0-f31 + STFSR). Charged only when a
   * RTEMS_FLOATING_POINT task's FP context is switched: 0 cost for applications without one.
   */
  readonly fpContextSave: number;
  /** Loading one thread's floating-point context (_CPU_Context_restore_fp: i386 FRSTOR; SPARC 16 LDD + LDFSR). */
  readonly fpContextRestore: number;
}

/**
 * The processor as arch-neutral guest-side code uses it: the hypercall client
 * (paravirt-api) and the vCPU page accessors (libcpu-virtual). Every access goes through
 * the current protection context in the current privilege mode; a fault traps to the
 * supervisor exactly like the instruction would, and if the supervisor resumes the code
 * (TrapOutcome 'return') a faulting load yields 0 and a faulting store writes nothing.
 */
export interface GuestProcessor {
  readonly arch: string;
  readonly mode: PrivilegeMode;
  readRegister(name: string): number;
  writeRegister(name: string, value: number): void;
  /** Executes the software trap with architectural number `trapNumber` (i386 INT n: the vector; SPARC Ticc: tt = 0x80 + n). */
  softwareTrap(trapNumber: number): void;
  load(address: number, width: 1 | 2 | 4): number;
  store(address: number, width: 1 | 2 | 4, value: number): void;
  loadBytes(address: number, length: number): Uint8Array;
  storeBytes(address: number, bytes: Uint8Array): void;
  /** Accounts `cycles` of work to the running software. */
  charge(cycles: number): void;
}

/** A partition's address space as the processor sees it. */
export interface UserContext {
  readonly name: string;
  readonly protection: ProtectionContext;
  /** First user virtual address of the partition's memory (i386: 0, segment-relative; SPARC: its MMU mapping). */
  readonly virtualBase: number;
  readonly physicalBase: number;
  readonly size: number;
}

export interface UserContextSpec {
  readonly name: string;
  readonly physicalBase: number;
  readonly size: number;
}

/** An interrupt controller's counts of one line (Platform.interruptLineCounts). */
export interface InterruptLineCounts {
  readonly raised: number;
  readonly coalesced: number;
  readonly pending: boolean;
}

/** Guest view of the virtual interrupt flag, used by trap-and-emulate. */
export interface VirtualInterruptState {
  /** Virtual interrupts enabled (the emulated IF / PIL < 15). */
  enabled: boolean;
}

/**
 * A processor and its board as an arch-neutral supervisor sees them. Every method that
 * models a privileged operation must be called from supervisor code (inside a trap
 * handler or the kernel's own workload glue).
 */
export interface Platform {
  readonly arch: string;
  readonly board: Board;
  readonly processor: Processor & GuestProcessor;
  readonly costs: CostTable;
  readonly hypercallAbi: HypercallAbi;

  /** Routes every trap and interrupt to `entry` (fills the IDT / trap table); the hypercall trap is reachable from user mode. */
  installSupervisor(entry: SupervisorEntry): void;

  /** Builds a user address space over [physicalBase, physicalBase + size). */
  createUserContext(spec: UserContextSpec): UserContext;
  /** From now on the processor runs `context` in user mode with interrupts enabled (the return-to-user path). */
  enterUser(context: UserContext): void;
  /** From now on the processor runs supervisor code (the kernel's own context), interrupts enabled. */
  enterSupervisor(): void;
  /**
   * The user context most recently entered with enterUser: the one the processor runs, or
   * the one a trap interrupted while its handler runs. Undefined after enterSupervisor.
   */
  readonly currentUserContext: UserContext | undefined;

  /** Registers of the interrupted user code (hypercall arguments and results). */
  readRegister(name: string): number;
  writeRegister(name: string, value: number): void;

  /** Starts the kernel tick: a periodic hardware timer interrupt; returns its line. */
  startTickTimer(period: Nanoseconds): number;
  /** The controller line of a hardware interrupt input (for external devices). */
  deviceLine(line: number): IrqLine;
  /** Masks or unmasks a hardware interrupt line at the controller. */
  setLineMasked(line: number, masked: boolean): void;
  /** Signals end of interrupt for `line` at the controller (i386 8259 EOI; no-op on IRQMP). */
  endOfInterrupt(line: number): void;
  /**
   * Optional: the interrupt controller's own counts of `line` since reset - requests it
   * received, requests absorbed into one already pending (an edge that found the line's
   * request latched), and whether a request is latched now. What a kernel reports beside
   * the interrupts it took, so a device's raises can be followed through the controller.
   */
  interruptLineCounts?(line: number): InterruptLineCounts;
  /**
   * Optional: when the request of `line` that is latched now, or was taken last, was latched
   * (board time of the raise that found the line idle; undefined before any). A bare-metal
   * BSP measures its interrupt latency from it, as a kernel measures a virtual one from the
   * virtual raise.
   */
  interruptLatchedAt?(line: number): Nanoseconds | undefined;
  /**
   * Optional, for a kernel's fast-forward over idle ticks (PartitionKernel): the tick
   * timer's view from outside. `tickAt(k)` is the instant of the k-th tick interrupt from
   * now (k = 1: the one queued next), or undefined when the tick cannot be skipped (not
   * started, or a tick the hardware makes of several interrupts, such as a split i386
   * tick); `tickEvent` is the queued event of the next one.
   */
  tickAt?(k: number): Nanoseconds | undefined;
  /**
   * Optional, with tickAt: the gaps of tickAt(1) .. tickAt(count) below a grid of `grid` ns
   * (t - grid * ceil(t / grid)), summed without visiting each tick (undefined when tickAt
   * is). What lets a fast-forward credit a million ticks in O(log) steps.
   */
  tickGridGaps?(count: number, grid: number): number | undefined;
  readonly tickEvent?: ScheduledEvent | undefined;
  /**
   * Optional, with tickAt: the next `count` tick interrupts were taken and handled by the
   * kernel without being simulated (each exactly like the last one). The timer moves past
   * them and the controller counts their requests and acknowledges, as if each had run.
   */
  skipTicks?(count: number): void;
  /**
   * Optional, for the same fast-forward: `count` raises of device line `line` (a
   * SkippableIrqSource's, IrqLine.number), the last at `lastAt`, were taken and handled by
   * the kernel without being simulated (each exactly like the last one): the controller
   * counts their requests and acknowledges, the line's latch time is the last one's.
   */
  skipDeviceRaises?(line: number, count: number, lastAt: Nanoseconds): void;
  /** Hardware lines a kernel may route to partitions (excludes the tick timer). */
  readonly routableLines: readonly number[];

  /**
   * Trap-and-emulate support: if `trap` is an interrupt-flag operation of a native guest
   * (i386 CLI/STI; SPARC `ta 9`/`ta 10`, RDPSR/WRPSR of PIL), performs it on `state` and
   * the guest's registers and returns true. i386 POPF never traps, so it cannot be emulated.
   */
  emulateInterruptFlagOperation(trap: TrapInfo, state: VirtualInterruptState): boolean;

  /**
   * Saves the live user register state into the running partition's own context before a
   * partition switch (SPARC: flushes every valid window); charges its cost. The next
   * enterUser of another context then restores that context's own state into a scrubbed
   * register file, at a cost that does not depend on what ran before (temporal isolation,
   * docs/execution-model.md).
   */
  saveUserState(): void;
  /**
   * Optional: `context`'s partition was stopped or restarted - its register state is dead.
   * Forgets it without saving or charging anything; its next enterUser starts from the
   * canonical initial state (SPARC: empty windows and window stack, initial CWP; i386:
   * zeroed general registers and status flags). Kernels call it from every stop and restart.
   */
  discardUserState?(context: UserContext): void;
  /**
   * Optional, for a processor whose FPU a supervisor enables (SPARC PSR.EF): whether `trap`
   * is the FPU-disabled trap of a floating-point instruction (SPARC fp_disabled, tt 0x04).
   * Absent (i386: CR0.TS and EM stay clear, #NM never happens) when no such trap exists.
   */
  isFpuDisabledTrap?(trap: TrapInfo): boolean;
  /**
   * Optional, with isFpuDisabledTrap, inside that trap's handler: gives the interrupted user
   * context the FPU (SPARC: WRPSR with EF = 1 in the trap window, which RETT keeps; charged)
   * and makes its FP registers part of its saved state from now on - saved by
   * saveUserState, restored by the enterUser that follows a partition switch, both charged
   * (fpContextSave / fpContextRestore), forgotten by discardUserState. The trapped
   * instruction runs again when the handler returns. False if no user context is resident.
   */
  enableUserFpu?(): boolean;
  /** Optional, with enableUserFpu: whether `context` was given the FPU (its FP state is part of its context). */
  userFpuEnabled?(context: UserContext): boolean;
}

/**
 * One privileged or sensitive instruction of an architecture, executable by guest code
 * the way inline assembly would: at the current privilege it works, faults, or (i386
 * POPF) silently does less. libcpu-native supplies the set for each processor model;
 * fault-injection programs (the `hostile` sample) draw from it.
 */
export interface PrivilegedInstruction {
  /** Assembly mnemonic with the operand's role: 'cli', 'out dx, al', 'wr %psr'. */
  readonly mnemonic: string;
  /** Executes the instruction with `operand` (a port, a register image, a trap number; ignored when it takes none). */
  execute(operand: number): void;
}
