/**
 * A SPARC V8 integer unit as a LEON3 implements it, modelled at the level of its
 * privileged architecture: PSR, WIM, TBR, Y, the overlapping register windows, the trap
 * model and the instructions whose behaviour depends on privilege or traps. Ordinary
 * computation is not decoded; software is JavaScript that calls these instruction
 * methods where real code would execute the instruction, and charges compute cycles
 * through the Workload.
 *
 * Every instruction method charges its cost (costs.ts) and faults exactly where the
 * hardware would: privileged instructions in user mode raise privileged_instruction,
 * SAVE/RESTORE raise window_overflow/underflow, loads and stores go through the current
 * MMU context and raise data_access_exception or mem_address_not_aligned, Ticc raises
 * trap_instruction, a trap with ET = 0 enters error mode.
 *
 * Trap handlers are JavaScript functions in a TrapTable selected by TBR.TBA. After the
 * handler returns 'return', the processor performs the handler's epilogue (RETT), unless
 * the handler already left the trap itself (rett(), or a kernel's resumeAt()).
 */
import {
  CycleClock,
  ExecutionAbandoned,
  ProcessorCore,
  ProtectionContext,
  isExecutionAbandoned,
  TraceRecorder,
  hex,
  type CheckedMemory,
  type EventQueue,
  type GuestProcessor,
  type InterruptRequester,
  type MemoryFault,
  type PrivilegeMode,
  type TraceValue,
  type TrapInfo,
  type TrapOutcome,
} from '@paravirt/machine';
import type { ApbBus } from './apbBus.js';
import { LEON3_DEFAULT_FREQUENCY_HZ, SPARC_DEFAULT_COSTS, type SparcCosts } from './costs.js';
import {
  LEON3_PSR_IMPL,
  LEON3_PSR_VER,
  NWINDOWS,
  PSR_CWP_MASK,
  PSR_EF,
  PSR_ET,
  PSR_ICC_MASK,
  PSR_ICC_SHIFT,
  PSR_IMPL_SHIFT,
  PSR_PIL_MASK,
  PSR_PIL_SHIFT,
  PSR_PS,
  PSR_S,
  PSR_VER_SHIFT,
  TBR_TBA_MASK,
  TBR_TT_SHIFT,
  WIM_MASK,
  interruptAccepted,
  rotateWimLeft,
  rotateWimRight,
} from './psr.js';
import { RegisterFile } from './registerFile.js';
import type { TrapTable } from './trapTable.js';
import {
  TT_DATA_ACCESS_ERROR,
  TT_DATA_ACCESS_EXCEPTION,
  TT_DIVISION_BY_ZERO,
  TT_FP_DISABLED,
  TT_ILLEGAL_INSTRUCTION,
  TT_INSTRUCTION_ACCESS_ERROR,
  TT_INSTRUCTION_ACCESS_EXCEPTION,
  TT_MEM_ADDRESS_NOT_ALIGNED,
  TT_PRIVILEGED_INSTRUCTION,
  TT_WINDOW_OVERFLOW,
  TT_WINDOW_UNDERFLOW,
  interruptTrapType,
  softwareTrapType,
  trapClass,
  trapName,
} from './trapTypes.js';
import { WindowStack } from './windowStack.js';

export type AccessWidth = 1 | 2 | 4;

export interface SparcProcessorOptions {
  readonly name?: string;
  /** Default 50 MHz. */
  readonly frequencyHz?: number;
  readonly costs?: SparcCosts;
  readonly trace?: TraceRecorder;
  /** The APB bus, reachable by supervisor loads and stores in its window. */
  readonly io?: ApbBus;
  /** The MMU context of supervisor software (default: all physical memory, identity-mapped, supervisor only). */
  readonly supervisorContext?: ProtectionContext;
}

export interface SparcStats {
  /** Traps taken, interrupts and window traps included. */
  readonly traps: number;
  readonly windowOverflows: number;
  readonly windowUnderflows: number;
  /** Windows written to a window stack (overflow handler and flushes). */
  readonly windowsSpilled: number;
  /** Windows read back by the underflow handler. */
  readonly windowsFilled: number;
}

/** The instruction an open synchronous trap interrupted, as a trap-and-emulate handler decodes it. */
export interface TrappedInstruction {
  readonly number: number;
  readonly instruction: string | undefined;
  /** For a trapped write (WRPSR, WRWIM, WRTBR, a store): the value it would have written. */
  readonly operand: number | undefined;
}

/** The user-visible register state of one window: what a kernel saves per partition, a context switch per thread. */
export interface RegisterSnapshot {
  /** %g1-%g7. */
  readonly globals: readonly number[];
  /** %o0-%o7, %l0-%l7, %i0-%i7. */
  readonly window: readonly number[];
  readonly y: number;
  /** PSR.icc. */
  readonly icc: number;
}

/** The FPU's registers: f0-f31 (32-bit words, a double is an even/odd pair) and the FSR. */
export interface FpRegisterSnapshot {
  readonly f: readonly number[];
  readonly fsr: number;
}

export interface SparcProcessorState {
  readonly psr: number;
  readonly wim: number;
  readonly tbr: number;
  readonly y: number;
  readonly pc: number;
  readonly npc: number;
  readonly openTraps: number;
  readonly windowStackDepth: number;
  readonly globals: readonly number[];
  readonly windowed: readonly number[];
}

interface TrapDetails {
  readonly synchronous: boolean;
  readonly instruction?: string;
  readonly operand?: number;
  readonly fault?: MemoryFault;
  readonly line?: number;
}

interface TrapFrame {
  readonly tt: number;
  readonly synchronous: boolean;
  readonly instruction: string | undefined;
  readonly operand: number | undefined;
  /** CWP of the interrupted code (renumberWindows moves it). */
  cwpBefore: number;
  /** PSR of the interrupted code (its CWP field moves with cwpBefore). */
  psrBefore: number;
  /** Result a trap-and-emulate handler supplied for the trapped instruction. */
  result: number | undefined;
  /** The trap has been left (RETT executed, or the kernel resumed elsewhere). */
  closed: boolean;
  /** The window-overflow handler could not store the window: the thread's stack is exhausted. */
  stackFault: boolean;
}

type Resume = 'retry' | 'skip';

const ZERO_WINDOW: readonly number[] = new Array<number>(16).fill(0);

export class SparcProcessor extends ProcessorCore implements GuestProcessor {
  readonly arch = 'sparc';
  readonly costs: SparcCosts;
  readonly supervisorContext: ProtectionContext;
  readonly io: ApbBus | undefined;
  /** tt of the hypercall Ticc (classed 'hypercall'; other Ticc are 'software'). Set by the board's installSupervisor. */
  hypercallTrapType: number | undefined;
  /**
   * Where overflows spill and underflows fill: the stack of the running thread. A
   * context switch swaps it, as restoring %sp does.
   */
  windowStack = new WindowStack('boot');

  private readonly registers = new RegisterFile();
  private icc = 0;
  private pilField = 0;
  private supervisorBit = true;
  private previousSupervisor = false;
  private trapsEnabled = false;
  /** PSR.EF: the FPU is enabled (reset: 0, as V8 leaves it to software; LEON3 has an FPU, GRFPU or Meiko). */
  private fpuEnabled = false;
  /** f0-f31 and the FSR (only what FP instructions and a kernel's FP save and restore reach). */
  private readonly fpRegisters = new Uint32Array(32);
  private fsrValue = 0;
  private cwpField = 0;
  private wimField = 0;
  private tba = 0;
  private ttField = 0;
  private pcValue = 0;
  private npcValue = 4;
  private context: ProtectionContext;
  private readonly frames: TrapFrame[] = [];
  private readonly tables = new Map<number, TrapTable>();
  private readonly counts = { traps: 0, windowOverflows: 0, windowUnderflows: 0, windowsSpilled: 0, windowsFilled: 0 };
  private readonly trapCounts = new Array<number>(256).fill(0);
  private mutations = 0;

  /**
   * Comes out of reset as V8 specifies (chapter 7, "Reset Trap"): ET = 0, S = 1, PC = 0,
   * nPC = 4; the other fields are undefined by the architecture and start at 0 here.
   */
  constructor(
    queue: EventQueue,
    private readonly requester: InterruptRequester,
    private readonly memory: CheckedMemory,
    options: SparcProcessorOptions = {},
  ) {
    super(options.name ?? 'cpu0', queue, new CycleClock(options.frequencyHz ?? LEON3_DEFAULT_FREQUENCY_HZ), options.trace ?? TraceRecorder.disabled());
    this.costs = options.costs ?? SPARC_DEFAULT_COSTS;
    this.io = options.io;
    this.supervisorContext =
      options.supervisorContext ??
      new ProtectionContext(
        'supervisor',
        [{ name: 'ram', virtualBase: 0, size: memory.memory.size, read: true, write: true, execute: true, user: false }],
        { alignment: 'natural' },
      );
    this.context = this.supervisorContext;
    this.connectInterrupts(requester);
  }

  // ---------------------------------------------------------------- model inspection

  get mode(): PrivilegeMode {
    return this.supervisorBit ? 'supervisor' : 'user';
  }

  /** The PSR as RDPSR would read it (model inspection: does not trap). EC reads 0: no coprocessor is modelled. */
  get psr(): number {
    return (
      ((LEON3_PSR_IMPL << PSR_IMPL_SHIFT) |
        (LEON3_PSR_VER << PSR_VER_SHIFT) |
        (this.icc << PSR_ICC_SHIFT) |
        (this.fpuEnabled ? PSR_EF : 0) |
        (this.pilField << PSR_PIL_SHIFT) |
        (this.supervisorBit ? PSR_S : 0) |
        (this.previousSupervisor ? PSR_PS : 0) |
        (this.trapsEnabled ? PSR_ET : 0) |
        this.cwpField) >>>
      0
    );
  }

  get wim(): number {
    return this.wimField;
  }

  get tbr(): number {
    return (this.tba | (this.ttField << TBR_TT_SHIFT)) >>> 0;
  }

  get cwp(): number {
    return this.cwpField;
  }

  get pil(): number {
    return this.pilField;
  }

  /** PSR.ET. */
  get trapsAreEnabled(): boolean {
    return this.trapsEnabled;
  }

  /** PSR.EF: floating-point instructions execute (else they raise fp_disabled). */
  get fpuIsEnabled(): boolean {
    return this.fpuEnabled;
  }

  /** Symbolic program counters: they advance by 4 per executed instruction method and are what trap entry saves in %l1/%l2. */
  get pc(): number {
    return this.pcValue;
  }

  get npc(): number {
    return this.npcValue;
  }

  /** The MMU context loads, stores and fetches go through. */
  get mmuContext(): ProtectionContext {
    return this.context;
  }

  /** Traps entered and not yet left. */
  get openTraps(): number {
    let open = 0;
    for (const frame of this.frames) if (!frame.closed) open++;
    return open;
  }

  get sparcStats(): SparcStats {
    return { ...this.counts };
  }

  /** How many times trap type `tt` was taken. */
  trapCount(tt: number): number {
    return this.trapCounts[tt] ?? 0;
  }

  // ---------------------------------------------------------------- fast-forward (ProcessorCore.episodeState)

  /**
   * What a repeated episode moves: the trap counters, the register-change count and the
   * symbolic PC and nPC, then (full) the count of every trap type and every integer register
   * as a 32-bit word (a trap saves PC and nPC in the trap window's %l1/%l2, so those advance
   * with the PC). The window stack is not a number: an episode that spilled or filled
   * windows is not repeatable.
   */
  protected override archEpisodeState(into: Float64Array, at: number, full: boolean): number {
    const counts = this.counts;
    into[at++] = counts.traps;
    into[at++] = counts.windowOverflows;
    into[at++] = counts.windowUnderflows;
    into[at++] = counts.windowsSpilled;
    into[at++] = counts.windowsFilled;
    into[at++] = this.mutations;
    into[at++] = this.pcValue;
    into[at++] = this.npcValue;
    if (!full) return at;
    const trapCounts = this.trapCounts;
    for (let tt = 0; tt < 256; tt++) into[at++] = trapCounts[tt]!;
    return this.registers.writeWords(into, at);
  }

  protected override archEpisodesRepeatable(delta: ArrayLike<number>, from: number): boolean {
    // From `from`: traps, overflows, underflows, spilled, filled, mutations.
    return delta[from + 1] === 0 && delta[from + 2] === 0 && delta[from + 3] === 0 && delta[from + 4] === 0;
  }

  protected override creditArchEpisodes(delta: ArrayLike<number>, from: number, count: number): void {
    const counts = this.counts;
    counts.traps += count * delta[from]!;
    this.mutations += count * delta[from + 5]!;
    this.pcValue = (this.pcValue + Math.imul(delta[from + 6]! | 0, count)) >>> 0;
    this.npcValue = (this.npcValue + Math.imul(delta[from + 7]! | 0, count)) >>> 0;
    let at = from + 8;
    for (let tt = 0; tt < 256; tt++) this.trapCounts[tt]! += count * delta[at++]!;
    this.registers.addWords(delta, at, count);
  }


  /** Bumped whenever user-visible register state may change: tells a kernel whether a saved snapshot is still current. */
  get registerMutations(): number {
    return this.mutations;
  }

  getState(): SparcProcessorState {
    const registers = this.registers.getState();
    return {
      psr: this.psr,
      wim: this.wimField,
      tbr: this.tbr,
      y: registers.y,
      pc: this.pcValue,
      npc: this.npcValue,
      openTraps: this.openTraps,
      windowStackDepth: this.windowStack.depth,
      globals: registers.globals,
      windowed: registers.windowed,
    };
  }

  // ---------------------------------------------------------------- registers

  /** A register of the current window ('g0'-'g7', 'o0'-'o7', 'l0'-'l7', 'i0'-'i7', 'sp', 'fp', 'y'). */
  readRegister(name: string): number {
    return this.registers.readNamed(this.cwpField, name);
  }

  writeRegister(name: string, value: number): void {
    this.registers.writeNamed(this.cwpField, name, value);
    this.mutations++;
  }

  /** RDY (unprivileged). */
  rdy(): number {
    this.charge(this.costs.instruction);
    this.retire();
    return this.registers.y;
  }

  /** WRY (unprivileged). */
  wry(value: number): void {
    this.charge(this.costs.instruction);
    this.registers.y = value;
    this.mutations++;
    this.retire();
  }

  // ---------------------------------------------------------------- privileged state registers

  /** RDPSR. Privileged. */
  rdpsr(): number {
    this.charge(this.costs.privilegedInstruction);
    const trapped = this.privileged('rd %psr');
    if (trapped) return trapped.result ?? 0;
    const value = this.psr;
    this.retire();
    return value;
  }

  /**
   * WRPSR. Privileged; a CWP naming a window that does not exist is illegal_instruction
   * (V8 appendix B, "Write State Register"). impl and ver are read-only; EC stays 0 (no
   * coprocessor); EF enables the FPU (V8 chapter 4, "Processor State Register").
   * The new value takes effect at once (the model does not delay it by the three
   * instructions V8 allows; their cost is in privilegedInstruction).
   */
  wrpsr(value: number): void {
    this.charge(this.costs.privilegedInstruction);
    const psr = value >>> 0;
    if (this.privileged('wr %psr', psr)) return;
    if ((psr & PSR_CWP_MASK) >= NWINDOWS) {
      this.takeTrap(TT_ILLEGAL_INSTRUCTION, { synchronous: true, instruction: 'wr %psr', operand: psr });
      return;
    }
    this.icc = (psr & PSR_ICC_MASK) >>> PSR_ICC_SHIFT;
    this.pilField = (psr & PSR_PIL_MASK) >>> PSR_PIL_SHIFT;
    this.supervisorBit = (psr & PSR_S) !== 0;
    this.previousSupervisor = (psr & PSR_PS) !== 0;
    this.trapsEnabled = (psr & PSR_ET) !== 0;
    this.fpuEnabled = (psr & PSR_EF) !== 0;
    this.cwpField = psr & PSR_CWP_MASK;
    this.mutations++;
    this.retire();
    this.interruptRequestChanged();
  }

  /** RDWIM. Privileged. */
  rdwim(): number {
    this.charge(this.costs.privilegedInstruction);
    const trapped = this.privileged('rd %wim');
    if (trapped) return trapped.result ?? 0;
    this.retire();
    return this.wimField;
  }

  /** WRWIM. Privileged; bits of windows that do not exist are dropped. */
  wrwim(value: number): void {
    this.charge(this.costs.privilegedInstruction);
    if (this.privileged('wr %wim', value >>> 0)) return;
    this.wimField = value & WIM_MASK;
    this.mutations++;
    this.retire();
  }

  /** RDTBR. Privileged. */
  rdtbr(): number {
    this.charge(this.costs.privilegedInstruction);
    const trapped = this.privileged('rd %tbr');
    if (trapped) return trapped.result ?? 0;
    this.retire();
    return this.tbr;
  }

  /** WRTBR. Privileged; writes TBA only, tt keeps the last trap type. */
  wrtbr(value: number): void {
    this.charge(this.costs.privilegedInstruction);
    if (this.privileged('wr %tbr', value >>> 0)) return;
    this.tba = (value & TBR_TBA_MASK) >>> 0;
    this.retire();
  }

  /**
   * RETT (V8 appendix B, "Return from Trap"): with ET = 1 it is illegal_instruction in
   * supervisor mode and privileged_instruction in user mode; with ET = 0 it enters error
   * mode if S = 0, if the window it returns to is invalid or if the target is misaligned;
   * otherwise CWP + 1, S = PS, ET = 1. `resume` picks the usual jump before it:
   * 'skip' is `jmp %l2; rett %l2 + 4` (past the trapped instruction), 'retry' is
   * `jmp %l1; rett %l2` (re-execute it).
   */
  rett(resume: Resume = 'skip'): void {
    if (this.trapsEnabled) {
      this.charge(this.costs.instruction);
      this.takeTrap(this.supervisorBit ? TT_ILLEGAL_INSTRUCTION : TT_PRIVILEGED_INSTRUCTION, { synchronous: true, instruction: 'rett' });
      return;
    }
    this.returnFromTrap(resume);
  }

  /**
   * LEON3 power-down: `wr %g0, %asr19` halts the pipeline until the next interrupt is
   * taken (GRLIB IP core manual, LEON3 "Power-down"). Privileged here; with interrupts
   * masked it never wakes (the processor's run loop waits forever, as the hardware does).
   */
  powerDown(): void {
    this.charge(this.costs.instruction);
    if (this.privileged('wr %asr19')) return;
    this.retire();
    this.enterHalt();
  }

  // ---------------------------------------------------------------- windows

  /** SAVE: CWP - 1; window_overflow when the new window is marked in WIM (V8 appendix B, "SAVE and RESTORE"). */
  save(): void {
    for (;;) {
      this.charge(this.costs.instruction);
      const next = (this.cwpField + NWINDOWS - 1) % NWINDOWS;
      if ((this.wimField & (1 << next)) === 0) {
        this.cwpField = next;
        this.mutations++;
        this.retire();
        return;
      }
      // The overflow handler spills a window and returns to re-execute the SAVE.
      const frame = this.takeTrap(TT_WINDOW_OVERFLOW, { synchronous: true, instruction: 'save' });
      if (frame.stackFault) {
        this.raiseStackFault('save', this.registers.read((this.cwpField + NWINDOWS - 2) % NWINDOWS, 14));
        return;
      }
    }
  }

  /** RESTORE: CWP + 1; window_underflow when the new window is marked in WIM. */
  restore(): void {
    for (;;) {
      this.charge(this.costs.instruction);
      const next = (this.cwpField + 1) % NWINDOWS;
      if ((this.wimField & (1 << next)) === 0) {
        this.cwpField = next;
        this.mutations++;
        this.retire();
        return;
      }
      this.takeTrap(TT_WINDOW_UNDERFLOW, { synchronous: true, instruction: 'restore' });
    }
  }

  // ---------------------------------------------------------------- traps and arithmetic

  /** `ta n`: trap_instruction with tt = 0x80 + (n & 0x7f) (V8 appendix B, "Trap on Integer Condition Codes"). */
  ticc(trapNumber: number): void {
    this.charge(this.costs.instruction);
    const number = (trapNumber >>> 0) & 0x7f;
    this.takeTrap(softwareTrapType(number), { synchronous: true, instruction: `ta 0x${number.toString(16)}` });
  }

  /** Executes the Ticc whose tt is `trapNumber` (0x80..0xFF). */
  softwareTrap(trapNumber: number): void {
    if (!Number.isInteger(trapNumber) || trapNumber < 0x80 || trapNumber > 0xff) {
      throw new RangeError(`SPARC software traps are tt 0x80..0xff, got ${trapNumber}`);
    }
    this.ticc(trapNumber - 0x80);
  }

  /**
   * UDIV: the 64-bit Y:rs1 divided by rs2, unsigned; a quotient over 32 bits saturates to
   * 0xFFFFFFFF (V8 appendix B, "Integer Divide Instructions"). Divisor 0 raises
   * division_by_zero; a handler that resumes gets 0.
   */
  udiv(dividendLow: number, divisor: number): number {
    this.charge(this.costs.divide);
    const d = divisor >>> 0;
    if (d === 0) return this.divisionByZero('udiv');
    const dividend = (BigInt(this.registers.y) << 32n) | BigInt(dividendLow >>> 0);
    const quotient = dividend / BigInt(d);
    this.retire();
    return quotient > 0xffff_ffffn ? 0xffff_ffff : Number(quotient);
  }

  /**
   * SDIV: the signed 64-bit Y:rs1 divided by the signed rs2, rounded toward zero; results
   * outside 32 bits saturate to 0x7FFFFFFF / 0x80000000. Returns the 32-bit register value.
   */
  sdiv(dividendLow: number, divisor: number): number {
    this.charge(this.costs.divide);
    const d = divisor | 0;
    if (d === 0) return this.divisionByZero('sdiv');
    const dividend = BigInt.asIntN(64, (BigInt(this.registers.y) << 32n) | BigInt(dividendLow >>> 0));
    let quotient = dividend / BigInt(d);
    if (quotient > 0x7fff_ffffn) quotient = 0x7fff_ffffn;
    if (quotient < -0x8000_0000n) quotient = -0x8000_0000n;
    this.retire();
    return Number(BigInt.asUintN(32, quotient));
  }

  /** UNIMP const22: always illegal_instruction (V8 appendix B, "Unimplemented Instruction"). */
  unimp(constant = 0): void {
    this.charge(this.costs.instruction);
    const value = (constant >>> 0) & 0x3f_ffff;
    this.takeTrap(TT_ILLEGAL_INSTRUCTION, { synchronous: true, instruction: `unimp 0x${value.toString(16)}` });
  }

  // ---------------------------------------------------------------- floating point

  /**
   * A floating-point instruction: an FPop (FADDd, FMULd, ...) or an FP load/store (LDF,
   * LDDF, LDFSR, STF, STDF, STFSR). With PSR.EF = 1 it executes and charges nothing here:
   * its cycles are those of the FP work (a compute step, or the caller's own charge, such as
   * fpContextSave). With EF = 0 it raises fp_disabled (tt 0x04, synchronous; V8 chapter 7,
   * Table 7-1, and appendix B: every FPop and FP load/store "traps if EF = 0"). A handler
   * that sets EF (WRPSR) resumes with `jmp %l1; rett %l2`: the instruction is executed again,
   * and now runs. A handler that resumes without setting EF has emulated or skipped it.
   * Returns true when the instruction ran on the FPU.
   *
   * Integer work never comes here (it is a plain step of the Workload), so the EF check costs
   * integer code nothing; FP work reaches it through the CPU port (SparcContextPort: the
   * STDF/LDDF of an FP context switch, and every `fpCompute`).
   */
  fpop(instruction = 'fpop'): boolean {
    if (!this.fpuEnabled) {
      this.takeTrap(TT_FP_DISABLED, { synchronous: true, instruction });
      if (!this.fpuEnabled) return false;
    }
    // The instruction completes: PC moves on. FP registers are not part of the integer
    // register state a kernel snapshots, so registerMutations does not move.
    this.pcValue = this.npcValue;
    this.npcValue = (this.npcValue + 4) >>> 0;
    return true;
  }

  /** STF %f`n` as far as the value goes: %f`n` as a 32-bit word (0 if the instruction was skipped). An FP instruction. */
  readFpRegister(n: number): number {
    checkFpRegister(n);
    return this.fpop(`st %f${n}`) ? this.fpRegisters[n]! : 0;
  }

  /** LDF into %f`n` (a 32-bit word). An FP instruction: nothing is written if it was skipped. */
  writeFpRegister(n: number, value: number): void {
    checkFpRegister(n);
    if (this.fpop(`ld %f${n}`)) this.fpRegisters[n] = value >>> 0;
  }

  /** STFSR: the FSR. An FP instruction. */
  stfsr(): number {
    return this.fpop('st %fsr') ? this.fsrValue : 0;
  }

  /** LDFSR. An FP instruction. */
  ldfsr(value: number): void {
    if (this.fpop('ld %fsr')) this.fsrValue = value >>> 0;
  }

  /** The FP registers as a kernel's 16 STDF + STFSR store them (model operation: the caller charges fpContextSave). */
  captureFpRegisters(): FpRegisterSnapshot {
    return { f: Array.from(this.fpRegisters), fsr: this.fsrValue };
  }

  /** Loads the FP registers (16 LDDF + LDFSR; the caller charges fpContextRestore); undefined: all zero. */
  loadFpRegisters(snapshot: FpRegisterSnapshot | undefined): void {
    for (let n = 0; n < 32; n++) this.fpRegisters[n] = (snapshot?.f[n] ?? 0) >>> 0;
    this.fsrValue = (snapshot?.fsr ?? 0) >>> 0;
  }

  // ---------------------------------------------------------------- memory

  /**
   * A load through the current MMU context. SPARC requires natural alignment
   * (mem_address_not_aligned); a translation or permission failure is
   * data_access_exception, a physical address beyond RAM data_access_error. A handler
   * that resumes makes the load return 0 (or the value a trap-and-emulate handler supplied).
   * Supervisor loads in the APB window reach the devices.
   */
  load(address: number, width: AccessWidth): number {
    checkWidth(width);
    if (this.io !== undefined && Number.isSafeInteger(address) && this.io.covers(address)) {
      if (this.supervisorBit) return this.ioLoad(this.io, address, width);
      this.charge(this.costs.memoryAccess);
      return this.memoryTrap(this.ioRefused(address, width, 'read'), LOAD_MNEMONIC[width], 'data').result ?? 0;
    }
    this.charge(this.costs.memoryAccess);
    const result = this.memory.load(this.context, this.mode, address, width);
    if (typeof result === 'number') {
      this.retire();
      return result;
    }
    return this.memoryTrap(result, LOAD_MNEMONIC[width], 'data').result ?? 0;
  }

  /** A store through the current MMU context; a faulting store writes nothing. */
  store(address: number, width: AccessWidth, value: number): void {
    checkWidth(width);
    if (this.io !== undefined && Number.isSafeInteger(address) && this.io.covers(address)) {
      if (this.supervisorBit) {
        this.ioStore(this.io, address, width, value);
        return;
      }
      this.charge(this.costs.memoryAccess);
      this.memoryTrap(this.ioRefused(address, width, 'write'), STORE_MNEMONIC[width], 'data', value >>> 0);
      return;
    }
    this.charge(this.costs.memoryAccess);
    const fault = this.memory.store(this.context, this.mode, address, width, value >>> 0);
    if (fault === undefined) {
      this.retire();
      return;
    }
    this.memoryTrap(fault, STORE_MNEMONIC[width], 'data', value >>> 0);
  }

  /** A bulk copy out of memory (a word loop); on a fault nothing is read and the result is empty. */
  loadBytes(address: number, length: number): Uint8Array {
    this.charge(this.costs.memoryAccess * this.wordsOf(length));
    // A copy of nothing executes no load, so nothing can fault (as i386's rep movs with ECX = 0).
    if (length === 0) {
      this.retire();
      return new Uint8Array(0);
    }
    // A negative length is refused here: CheckedMemory would pass it on to the Uint8Array.
    const result =
      Number.isSafeInteger(length) && length >= 0
        ? this.memory.loadBytes(this.context, this.mode, address, length)
        : this.context.fault(address, length, 'read', this.mode, 'bad-address');
    if (result instanceof Uint8Array) {
      this.retire();
      return result;
    }
    this.memoryTrap(result, 'ld', 'data');
    return new Uint8Array(0);
  }

  /** A bulk copy into memory; the whole range is checked first, so a fault writes nothing. */
  storeBytes(address: number, bytes: Uint8Array): void {
    this.charge(this.costs.memoryAccess * this.wordsOf(bytes.length));
    const fault = bytes.length === 0 ? undefined : this.memory.storeBytes(this.context, this.mode, address, bytes);
    if (fault === undefined) {
      this.retire();
      return;
    }
    this.memoryTrap(fault, 'st', 'data');
  }

  /**
   * The fetch check of a control transfer to `address` (JMPL, CALL, an upcall): execute
   * permission in the current context, else instruction_access_exception; a misaligned
   * target is mem_address_not_aligned. Returns true when the code may run.
   */
  fetch(address: number): boolean {
    this.charge(this.costs.instruction);
    const fault = this.memory.fetch(this.context, this.mode, address);
    if (fault === undefined) return true;
    this.memoryTrap(fault, 'jmpl', 'instruction');
    return false;
  }

  // ---------------------------------------------------------------- supervisor-side model operations

  /** Makes `table` the trap table at trap base address `base` (4 KiB aligned); WRTBR selects one. */
  mapTrapTable(base: number, table: TrapTable): void {
    if (!Number.isSafeInteger(base) || base < 0 || base >= 2 ** 32 || base % 4096 !== 0) {
      throw new RangeError(`a trap table base must be a 4 KiB aligned 32-bit address, got ${base}`);
    }
    this.tables.set(base, table);
  }

  /** The trap table at the current TBA, if one is mapped. */
  get trapTable(): TrapTable | undefined {
    return this.tables.get(this.tba);
  }

  /** Loads the MMU context register (a kernel operation; its cost is the kernel's addressSpaceSwitch). */
  setMmuContext(context: ProtectionContext): void {
    this.context = context;
  }

  /** Writes WIM from kernel code that is not an instruction stream of its own (a partition save). */
  setWindowInvalidMask(wim: number): void {
    this.wimField = wim & WIM_MASK;
  }

  /**
   * Sets PSR.EF from kernel code that is not an instruction stream of its own: the PSR image
   * a kernel's return path writes for the partition it resumes carries that partition's EF
   * (its cost is the kernel's: the return path's PSR write, or its own WRPSR before loading
   * the partition's FP registers).
   */
  setFpuEnabled(enabled: boolean): void {
    this.fpuEnabled = enabled;
  }

  /**
   * The kernel's return path: leaves every open trap as its RETT would (CWP + 1 each,
   * trapExit charged), then runs `mode` with traps enabled at `pil` in MMU context
   * `context`. Platform.enterUser/enterSupervisor are built on it.
   */
  resumeAt(mode: PrivilegeMode, pil: number, context: ProtectionContext): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i]!;
      if (frame.closed) continue;
      const l1 = this.registers.read(this.cwpField, 17);
      const l2 = this.registers.read(this.cwpField, 18);
      this.setResumePc(frame.synchronous && !this.retriesInstruction(frame.tt) ? 'skip' : 'retry', l1, l2);
      frame.closed = true;
      this.cwpField = (this.cwpField + 1) % NWINDOWS;
      this.charge(this.costs.trapExit);
    }
    this.supervisorBit = mode === 'supervisor';
    this.trapsEnabled = true;
    this.pilField = pil & 0xf;
    this.context = context;
    this.interruptRequestChanged();
  }

  /** The window of the code the outermost open trap interrupted (the current window when no trap is open). */
  get interruptedWindow(): number {
    const frames = this.frames;
    for (let index = 0; index < frames.length; index++) if (!frames[index]!.closed) return frames[index]!.cwpBefore;
    return this.cwpField;
  }

  /** A register of the interrupted code: what a trap handler reads hypercall arguments from. */
  readInterruptedRegister(name: string): number {
    return this.registers.readNamed(this.interruptedWindow, name);
  }

  writeInterruptedRegister(name: string, value: number): void {
    this.registers.writeNamed(this.interruptedWindow, name, value);
    this.mutations++;
  }

  /** The instruction the innermost open synchronous trap interrupted. */
  get trappedInstruction(): TrappedInstruction | undefined {
    const frame = this.innermostOpenFrame();
    if (!frame?.synchronous) return undefined;
    return { number: frame.tt, instruction: frame.instruction, operand: frame.operand };
  }

  /** PSR of the code the innermost open trap interrupted. */
  get interruptedPsr(): number | undefined {
    return this.innermostOpenFrame()?.psrBefore;
  }

  /** Trap-and-emulate: the value the trapped read (RDPSR, a load) returns when the handler resumes. */
  completeTrappedInstruction(result: number): void {
    const frame = this.innermostOpenFrame();
    if (!frame?.synchronous) throw new Error('completeTrappedInstruction: no synchronous trap is open');
    frame.result = result >>> 0;
  }

  /**
   * Stores every valid window older than the interrupted one on the window stack, oldest
   * first, as RTEMS's context-switch flush loop and a kernel's partition save do; charges
   * windowSpill per window and returns how many. WIM is left for the caller to rewrite.
   * `kernelSave` stores even onto a full stack (the kernel's save area has room).
   */
  spillOlderWindows(kernelSave = false): number {
    const base = this.interruptedWindow;
    const limit = NWINDOWS - 1 - this.openTraps;
    let count = 0;
    while (count < limit && (this.wimField & (1 << ((base + count + 1) % NWINDOWS))) === 0) count++;
    for (let k = count; k >= 1; k--) {
      const window = (base + k) % NWINDOWS;
      if (!this.windowStack.push(this.registers.localsAndIns(window), kernelSave)) {
        // A store past the end of the stack: error mode under RTEMS's traps-off flush,
        // a data_access_exception otherwise. The windows not stored stay live.
        const stored = count - k;
        this.counts.windowsSpilled += stored;
        this.charge(this.costs.windowSpill * (stored + 1));
        this.raiseStackFault('std', this.registers.read(window, 14));
        return stored;
      }
    }
    this.counts.windowsSpilled += count;
    this.charge(this.costs.windowSpill * count);
    return count;
  }

  /** The interrupted window's registers, the globals, Y and icc. */
  captureRegisters(): RegisterSnapshot {
    const window = this.interruptedWindow;
    return { globals: this.registers.globalRegisters(), window: this.registers.windowRegisters(window), y: this.registers.y, icc: this.icc };
  }

  /**
   * A thread context switch's restore: the snapshot's window registers into the current
   * window, its globals and Y (not icc), as writeRegister of each would (one mutation).
   */
  loadThreadRegisters(snapshot: RegisterSnapshot): void {
    const registers = this.registers;
    const cwp = this.cwpField;
    const window = snapshot.window;
    const globals = snapshot.globals;
    for (let r = 8; r < 32; r++) registers.write(cwp, r, window[r - 8] ?? 0);
    for (let g = 1; g < 8; g++) registers.write(cwp, g, globals[g - 1] ?? 0);
    registers.y = snapshot.y;
    this.mutations++;
  }

  /** Loads a snapshot into the interrupted window, the globals, Y and icc. */
  loadRegisters(snapshot: RegisterSnapshot): void {
    this.registers.setGlobalRegisters(snapshot.globals);
    this.registers.setWindowRegisters(this.interruptedWindow, snapshot.window);
    this.registers.y = snapshot.y;
    this.icc = snapshot.icc & 0xf;
    this.mutations++;
  }

  /** Zeroes the globals, Y and every window (a kernel scrubbing the file between partitions). */
  scrubRegisters(): void {
    this.registers.clear();
    this.mutations++;
  }

  /**
   * Renumbers the physical windows so that the interrupted window (the current one when
   * no trap is open) becomes `window`: CWP, the windows of the open traps, WIM and the
   * register contents all move by the same amount, so only the CWP fields change. A
   * kernel restoring a partition at the CWP it was saved at does this with a WRPSR in
   * its trap window before the RETT (its cost is the kernel's restore).
   */
  renumberWindows(window: number): void {
    if (!Number.isInteger(window) || window < 0 || window >= NWINDOWS) throw new RangeError(`SPARC windows are 0..${NWINDOWS - 1}, got ${window}`);
    const delta = (window - this.interruptedWindow + NWINDOWS) % NWINDOWS;
    if (delta === 0) return;
    const move = (cwp: number): number => (cwp + delta) % NWINDOWS;
    this.cwpField = move(this.cwpField);
    for (const frame of this.frames) {
      frame.cwpBefore = move(frame.cwpBefore);
      frame.psrBefore = ((frame.psrBefore & ~PSR_CWP_MASK) | frame.cwpBefore) >>> 0;
    }
    this.wimField = ((this.wimField << delta) | (this.wimField >>> (NWINDOWS - delta))) & WIM_MASK;
    this.registers.rotateWindows(delta);
    this.mutations++;
  }

  // ---------------------------------------------------------------- interrupts

  protected acceptsInterrupt(): boolean {
    return interruptAccepted(this.trapsEnabled, this.pilField, this.requester.requestLevel());
  }

  /** The interrupt acknowledge (the IRQMP clears the request) and trap entry at tt 0x10 + level. */
  protected deliverInterrupt(): void {
    const level = this.requester.acknowledge();
    if (level < 1 || level > 15) return;
    this.takeTrap(interruptTrapType(level), { synchronous: false, line: level });
  }

  // ---------------------------------------------------------------- trap machinery

  /**
   * Trap entry (V8 chapter 7, "Trap Processing"): ET = 0, PS = S, S = 1, CWP - 1 without
   * an overflow check, PC/nPC to %l1/%l2 of the new window, TBR.tt = tt, PC = TBR; a trap
   * while ET = 0 enters error mode instead. Then the handler runs and, if it resumes the
   * trapped code without having left the trap itself, its RETT epilogue.
   */
  private takeTrap(tt: number, details: TrapDetails): TrapFrame {
    const fromMode = this.mode;
    if (!this.trapsEnabled) this.enterErrorMode(tt);
    const name = trapName(tt);
    this.counts.traps++;
    this.trapCounts[tt]!++;
    if (this.trace.enabled && name !== this.trace.unwantedTrap) {
      const payload: Record<string, TraceValue> = { number: tt, name };
      if (details.instruction !== undefined) payload.instruction = details.instruction;
      payload.fromMode = fromMode;
      this.trace.record(this.queue.now, this.name, 'trap', payload);
    }
    const frame: TrapFrame = {
      tt,
      synchronous: details.synchronous,
      instruction: details.instruction,
      operand: details.operand,
      cwpBefore: this.cwpField,
      psrBefore: this.psr,
      result: undefined,
      closed: false,
      stackFault: false,
    };
    this.trapsEnabled = false;
    this.previousSupervisor = this.supervisorBit;
    this.supervisorBit = true;
    this.cwpField = (this.cwpField + NWINDOWS - 1) % NWINDOWS;
    this.registers.write(this.cwpField, 17, this.pcValue);
    this.registers.write(this.cwpField, 18, this.npcValue);
    this.ttField = tt;
    this.pcValue = (this.tba | (tt << TBR_TT_SHIFT)) >>> 0;
    this.npcValue = (this.pcValue + 4) >>> 0;
    this.charge(this.costs.trapEntry);
    this.frames.push(frame);

    let outcome: TrapOutcome;
    try {
      outcome = this.runHandler(frame, fromMode, details);
    } catch (error) {
      // Code abandoned further in (an upcall the kernel did not return from): this trap
      // is left as well, so the processor is not stuck with traps disabled.
      if (isExecutionAbandoned(error) && this.stopReason === undefined) this.leave(frame, 'retry');
      this.forget(frame);
      throw error;
    }
    const resume: Resume = details.synchronous && !this.retriesInstruction(tt) ? 'skip' : 'retry';
    this.leave(frame, resume);
    this.forget(frame);
    if (outcome === 'abandon' && details.synchronous) {
      throw new ExecutionAbandoned(`${name} (tt 0x${hex(tt, 2)}) was not resumed by its handler`);
    }
    return frame;
  }

  private runHandler(frame: TrapFrame, fromMode: PrivilegeMode, details: TrapDetails): TrapOutcome {
    const tt = frame.tt;
    if (tt === TT_WINDOW_OVERFLOW) return this.windowOverflowHandler(frame);
    if (tt === TT_WINDOW_UNDERFLOW) return this.windowUnderflowHandler();
    const handler = this.tables.get(this.tba)?.get(tt);
    if (handler === undefined) {
      // Unused trap-table entries hold a "bad trap" stub that traps again with ET = 0 (RTEMS's BAD_TRAP is `ta 0`): error mode.
      const reason = `error mode: no handler for trap tt=0x${hex(tt, 2)} in the trap table at 0x${hex(this.tba)}`;
      this.stop(reason);
      throw new ExecutionAbandoned(reason);
    }
    // The optional fields only when set (as spreads would, without their objects: every trap comes here).
    const info: { -readonly [K in keyof TrapInfo]: TrapInfo[K] } = {
      class: trapClass(tt, this.hypercallTrapType),
      number: tt,
      name: trapName(tt),
      fromMode,
      synchronous: details.synchronous,
    };
    if (details.instruction !== undefined) info.instruction = details.instruction;
    if (details.fault !== undefined) info.fault = details.fault;
    if (details.line !== undefined) info.line = details.line;
    return handler(info);
  }

  /** The handler epilogue (a RETT), unless the handler left the trap already. */
  private leave(frame: TrapFrame, resume: Resume): void {
    if (frame.closed) return;
    // A handler that re-enabled traps (to nest interrupts) disables them again before its RETT.
    this.trapsEnabled = false;
    this.returnFromTrap(resume);
  }

  private forget(frame: TrapFrame): void {
    const frames = this.frames;
    // Almost always the innermost trap, ending first.
    if (frames[frames.length - 1] === frame) {
      frames.pop();
      return;
    }
    const index = frames.lastIndexOf(frame);
    if (index >= 0) frames.splice(index, 1);
  }

  /** RETT with ET = 0 (V8 appendix B, "Return from Trap"). */
  private returnFromTrap(resume: Resume): void {
    if (!this.supervisorBit) this.enterErrorMode(TT_PRIVILEGED_INSTRUCTION);
    const next = (this.cwpField + 1) % NWINDOWS;
    if ((this.wimField & (1 << next)) !== 0) this.enterErrorMode(TT_WINDOW_UNDERFLOW);
    const l1 = this.registers.read(this.cwpField, 17);
    const l2 = this.registers.read(this.cwpField, 18);
    if (((resume === 'retry' ? l1 : l2) & 3) !== 0) this.enterErrorMode(TT_MEM_ADDRESS_NOT_ALIGNED);
    this.setResumePc(resume, l1, l2);
    this.cwpField = next;
    this.supervisorBit = this.previousSupervisor;
    this.trapsEnabled = true;
    const frame = this.innermostOpenFrame();
    if (frame) frame.closed = true;
    this.charge(this.costs.trapExit);
    this.interruptRequestChanged();
  }

  private setResumePc(resume: Resume, l1: number, l2: number): void {
    if (resume === 'retry') {
      this.pcValue = l1;
      this.npcValue = l2;
    } else {
      this.pcValue = l2;
      this.npcValue = (l2 + 4) >>> 0;
    }
  }

  /**
   * The standard window-overflow handler (RTEMS cpukit/score/cpu/sparc/window.S): from
   * the trap window (the invalid one) SAVE into the oldest live window, store its locals
   * and ins at its %sp, rotate WIM right by one, return to re-execute the SAVE. Its own
   * SAVE runs with ET = 0, so a second invalid window there is error mode.
   */
  private windowOverflowHandler(frame: TrapFrame): TrapOutcome {
    const victim = (this.cwpField + NWINDOWS - 1) % NWINDOWS;
    if ((this.wimField & (1 << victim)) !== 0) this.enterErrorMode(TT_WINDOW_OVERFLOW);
    if (!this.windowStack.push(this.registers.localsAndIns(victim))) {
      // The store ran off the thread's stack. Supervisor code faults with ET = 0 (error
      // mode); for user code the handler gives up and the SAVE faults like a bad user
      // stack does under Linux's sparc32 overflow handler.
      if (this.previousSupervisor) this.enterErrorMode(TT_DATA_ACCESS_EXCEPTION);
      frame.stackFault = true;
      return 'return';
    }
    this.wimField = rotateWimRight(this.wimField);
    this.counts.windowOverflows++;
    this.counts.windowsSpilled++;
    this.charge(this.costs.windowSpill);
    return 'return';
  }

  /**
   * The standard window-underflow handler: rotate WIM left, RESTORE twice (into the
   * trapped window, then the caller's), load the caller's locals and ins from its save
   * area, SAVE back twice, return to re-execute the RESTORE. An empty save area (nothing
   * was ever spilled there) loads zeros.
   */
  private windowUnderflowHandler(): TrapOutcome {
    const wim = rotateWimLeft(this.wimField);
    const trapped = (this.cwpField + 1) % NWINDOWS;
    const caller = (this.cwpField + 2) % NWINDOWS;
    if ((wim & ((1 << trapped) | (1 << caller))) !== 0) this.enterErrorMode(TT_WINDOW_UNDERFLOW);
    this.wimField = wim;
    this.registers.setLocalsAndIns(caller, this.windowStack.pop() ?? ZERO_WINDOW);
    this.counts.windowUnderflows++;
    this.counts.windowsFilled++;
    this.charge(this.costs.windowSpill);
    return 'return';
  }

  /** A window store that found no room on the stack: data_access_exception on the save area at `sp` (error mode with ET = 0). */
  private raiseStackFault(instruction: string, sp: number): void {
    this.takeTrap(TT_DATA_ACCESS_EXCEPTION, { synchronous: true, instruction, fault: this.context.fault(sp, 64, 'write', this.mode, 'unmapped') });
  }

  /** Error mode (V8 chapter 7, "Error Mode"): the processor halts for good. */
  private enterErrorMode(tt: number): never {
    this.ttField = tt;
    const reason = `error mode: trap tt=0x${hex(tt, 2)} with ET=0`;
    this.stop(reason);
    throw new ExecutionAbandoned(reason);
  }

  /** In user mode a privileged instruction traps (the returned frame holds any emulated result); in supervisor mode it runs. */
  private privileged(instruction: string, operand?: number): TrapFrame | undefined {
    if (this.supervisorBit) return undefined;
    return this.takeTrap(TT_PRIVILEGED_INSTRUCTION, { synchronous: true, instruction, ...(operand !== undefined ? { operand } : {}) });
  }

  private divisionByZero(instruction: string): number {
    return this.takeTrap(TT_DIVISION_BY_ZERO, { synchronous: true, instruction }).result ?? 0;
  }

  /** The trap a failed access raises: alignment, a missing or forbidden translation, or a physical address past RAM. */
  private memoryTrap(fault: MemoryFault, instruction: string, kind: 'data' | 'instruction', operand?: number): TrapFrame {
    let tt: number;
    if (fault.reason === 'misaligned') tt = TT_MEM_ADDRESS_NOT_ALIGNED;
    else if (fault.reason === 'out-of-range') tt = kind === 'data' ? TT_DATA_ACCESS_ERROR : TT_INSTRUCTION_ACCESS_ERROR;
    else tt = kind === 'data' ? TT_DATA_ACCESS_EXCEPTION : TT_INSTRUCTION_ACCESS_EXCEPTION;
    return this.takeTrap(tt, { synchronous: true, instruction, fault, ...(operand !== undefined ? { operand } : {}) });
  }

  /**
   * APB registers are 32-bit; a narrower load returns the addressed big-endian byte lanes
   * of the register word.
   */
  private ioLoad(io: ApbBus, address: number, width: AccessWidth): number {
    this.charge(this.costs.ioAccess);
    if (address % width !== 0) {
      return this.memoryTrap(this.context.fault(address, width, 'read', this.mode, 'misaligned'), LOAD_MNEMONIC[width], 'data').result ?? 0;
    }
    const word = io.read(address);
    this.retire();
    if (width === 4) return word;
    const shift = (4 - (address % 4) - width) * 8;
    return (word >>> shift) & (width === 2 ? 0xffff : 0xff);
  }

  /**
   * A narrower store reaches the register as the byte or halfword replicated over the
   * word: LEON3 drives sub-word store data on every AHB byte lane and APB slaves take the
   * whole word (assumption consistent with GRLIB's AHB/APB bridge ignoring transfer size).
   */
  private ioStore(io: ApbBus, address: number, width: AccessWidth, value: number): void {
    this.charge(this.costs.ioAccess);
    if (address % width !== 0) {
      this.memoryTrap(this.context.fault(address, width, 'write', this.mode, 'misaligned'), STORE_MNEMONIC[width], 'data', value >>> 0);
      return;
    }
    const word = width === 4 ? value >>> 0 : width === 2 ? ((value & 0xffff) * 0x1_0001) >>> 0 : ((value & 0xff) * 0x0101_0101) >>> 0;
    io.write(address, word);
    this.retire();
  }

  /** The APB window is mapped supervisor-only in every context (the kernel's I/O mapping): user access is a privilege fault. */
  private ioRefused(address: number, width: AccessWidth, access: 'read' | 'write'): MemoryFault {
    return this.context.fault(address, width, access, 'user', address % width !== 0 ? 'misaligned' : 'privilege');
  }

  /**
   * Whether the handler of synchronous trap `tt` returns to re-execute the trapped
   * instruction (`jmp %l1; rett %l2`): the window handlers always; an fp_disabled handler
   * that enabled the FPU (a lazy FPU switch or a kernel giving a partition its FPU). Every
   * other handler resumes past it (it emulated or skipped the instruction).
   */
  private retriesInstruction(tt: number): boolean {
    return isWindowTrap(tt) || (tt === TT_FP_DISABLED && this.fpuEnabled);
  }

  private innermostOpenFrame(): TrapFrame | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i]!;
      if (!frame.closed) return frame;
    }
    return undefined;
  }

  private wordsOf(length: number): number {
    if (!Number.isSafeInteger(length) || length <= 0) return 1;
    return Math.ceil(Math.min(length, this.memory.memory.size) / 4);
  }

  /**
   * An instruction completed: PC moves on. User code running means its register state
   * may have changed; supervisor instructions count only where they move windows.
   */
  private retire(): void {
    this.pcValue = this.npcValue;
    this.npcValue = (this.npcValue + 4) >>> 0;
    if (!this.supervisorBit) this.mutations++;
  }
}

const LOAD_MNEMONIC: Readonly<Record<AccessWidth, string>> = { 1: 'ldub', 2: 'lduh', 4: 'ld' };
const STORE_MNEMONIC: Readonly<Record<AccessWidth, string>> = { 1: 'stb', 2: 'sth', 4: 'st' };

function isWindowTrap(tt: number): boolean {
  return tt === TT_WINDOW_OVERFLOW || tt === TT_WINDOW_UNDERFLOW;
}

function checkFpRegister(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 31) throw new RangeError(`SPARC FP registers are %f0..%f31, got ${n}`);
}

function checkWidth(width: number): void {
  if (width !== 1 && width !== 2 && width !== 4) throw new RangeError(`SPARC loads and stores are 1, 2 or 4 bytes wide, got ${width}`);
}
