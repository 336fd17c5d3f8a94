/**
 * The i386 processor model: the privileged architecture of an 80386 in protected mode,
 * not its instruction decoder. Guest and kernel code are JavaScript; every privileged or
 * sensitive operation they perform is a method here with the real privilege check, the
 * real exception (vector, error code, CR2) and the cost from the cost table.
 *
 * State: EFLAGS, CPL (0 or 3), the eight general registers, CR0/CR2/CR3, the loaded IDT
 * and the current segment context. Exceptions, INT n and external interrupts go through
 * the IDT exactly as SDM Vol. 3 chapter 6 describes: gate lookup with its #GP/#NP checks,
 * double-fault escalation (Table 6-5), shutdown on a fault while delivering #DF. A gate
 * handler is a JavaScript function; when it returns, the processor performs the IRET
 * (restores EFLAGS, CPL and context from the trap frame) unless the handler switched the
 * processor to another context, in which case execution continues there.
 */
import {
  CycleClock,
  ExecutionAbandoned,
  ProcessorCore,
  TraceRecorder,
  type AccessKind,
  type CheckedMemory,
  type CostTable,
  type EventQueue,
  type FaultReason,
  type GuestProcessor,
  type InterruptRequester,
  type MemoryFault,
  type PrivilegeMode,
  type TraceValue,
  type TrapClass,
  type TrapInfo,
  type TrapOutcome,
} from '@paravirt/machine';
import { CR0_PE, CR0_PG, CR0_RESET_VALUE } from './controlRegisters.js';
import { I386_DEFAULT_COSTS, I386_DEFAULT_FREQUENCY_HZ } from './costs.js';
import {
  EFLAGS_DEFINED_MASK,
  EFLAGS_IF,
  EFLAGS_IOPL_MASK,
  EFLAGS_NT,
  EFLAGS_RESERVED_1,
  EFLAGS_RF,
  EFLAGS_STATUS_MASK,
  EFLAGS_TF,
  EFLAGS_VM,
  ioplOf,
} from './eflags.js';
import {
  ERROR_CODE_EXT,
  ERROR_CODE_IDT,
  EXCEPTION_NAMES,
  PF_ERROR_PRESENT,
  PF_ERROR_USER,
  PF_ERROR_WRITE,
  VECTOR_DE,
  VECTOR_DF,
  VECTOR_GP,
  VECTOR_NP,
  VECTOR_PF,
  VECTOR_UD,
  exceptionSeverity,
  isDoubleFault,
  vectorHex,
} from './exceptions.js';
import type { Idt, IdtGate } from './idt.js';
import { IoBus } from './ioBus.js';
import { flatContext, type SegmentContext } from './segmentContext.js';

/** The trap name and instruction of INT n per vector, made once (a hypercall is an INT). */
const INT_NAMES = Array.from({ length: 256 }, (_, vector) => `INT ${vectorHex(vector)}`);
const INT_INSTRUCTIONS = Array.from({ length: 256 }, (_, vector) => `int ${vectorHex(vector)}`);

/** Current privilege level. Rings 1 and 2 are not used by the software this project runs. */
export type Cpl = 0 | 3;

/** The general registers in their encoding order (SDM Vol. 2 Table 2-2). */
export const GENERAL_REGISTERS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
export type GeneralRegister = (typeof GENERAL_REGISTERS)[number];

const EAX = 0;
const EDX = 2;

/** The processor's INTR input: an InterruptRequester that may say which IRQ line it acknowledged. */
export interface I386InterruptInput extends InterruptRequester {
  /** IRQ line behind the vector returned by the last acknowledge(), if the controller knows it. */
  readonly lastAcknowledgedLine?: number | undefined;
}

/** What trap entry saved and IRET restores. */
export interface TrapFrame {
  /** The EFLAGS image IRET loads; a handler may edit it, as a kernel edits the image on its stack. */
  eflags: number;
  readonly cpl: Cpl;
  readonly context: SegmentContext;
}

export interface I386ProcessorOptions {
  readonly name?: string;
  readonly frequencyHz?: number;
  readonly costs?: CostTable;
  readonly trace?: TraceRecorder;
  /** The I/O address space IN and OUT reach (default: an empty bus). */
  readonly io?: IoBus;
  /** The interrupt controller on INTR (the 8259A pair on a PC). */
  readonly interrupts?: I386InterruptInput;
}

type EventSource = 'exception' | 'external' | 'software';

/** An exception, interrupt or INT n on its way through the IDT. */
interface ProcessorEvent {
  readonly vector: number;
  readonly name: string;
  readonly class: TrapClass;
  readonly source: EventSource;
  readonly synchronous: boolean;
  readonly errorCode?: number;
  readonly instruction?: string;
  readonly fault?: MemoryFault;
  readonly line?: number;
}

type DeliveryResult = 'return' | 'abandon' | 'stopped';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ADDRESS_LIMIT = 2 ** 32;

function checkWidth(width: number): void {
  if (width !== 1 && width !== 2 && width !== 4) throw new RangeError(`access width must be 1, 2 or 4 bytes, got ${width}`);
}

export class I386Processor extends ProcessorCore implements GuestProcessor {
  readonly arch = 'i386';
  readonly costs: CostTable;
  readonly io: IoBus;
  /** The flat supervisor context every trap enters. */
  readonly supervisorContext: SegmentContext;

  private readonly interrupts: I386InterruptInput | undefined;
  private readonly registers = new Uint32Array(GENERAL_REGISTERS.length);
  private eflagsValue = EFLAGS_RESERVED_1;
  private cplValue: Cpl = 0;
  private contextValue: SegmentContext;
  private cr0Value = CR0_RESET_VALUE;
  private cr2Value = 0;
  private cr3Value = 0;
  private idtValue: Idt | undefined;
  /** Counts switchTo() calls, so trap exit can tell whether a handler changed context. */
  private switches = 0;
  private readonly frames: TrapFrame[] = [];

  constructor(
    queue: EventQueue,
    private readonly memory: CheckedMemory,
    options: I386ProcessorOptions = {},
  ) {
    super(options.name ?? 'cpu0', queue, new CycleClock(options.frequencyHz ?? I386_DEFAULT_FREQUENCY_HZ), options.trace ?? TraceRecorder.disabled());
    if (!memory.memory.littleEndian) throw new RangeError('the i386 is little-endian: give it little-endian memory');
    this.costs = options.costs ?? I386_DEFAULT_COSTS;
    this.io = options.io ?? new IoBus();
    this.interrupts = options.interrupts;
    this.supervisorContext = flatContext(memory.memory.size, `${this.name}.flat`);
    this.contextValue = this.supervisorContext;
    if (this.interrupts) this.connectInterrupts(this.interrupts);
  }

  // ---------------------------------------------------------------- state

  get mode(): PrivilegeMode {
    return this.cplValue === 0 ? 'supervisor' : 'user';
  }

  get cpl(): Cpl {
    return this.cplValue;
  }

  /** The real EFLAGS value (model view; software reads it with pushf()). */
  get eflags(): number {
    return this.eflagsValue;
  }

  get iopl(): number {
    return ioplOf(this.eflagsValue);
  }

  get interruptsEnabled(): boolean {
    return (this.eflagsValue & EFLAGS_IF) !== 0;
  }

  get context(): SegmentContext {
    return this.contextValue;
  }

  get idt(): Idt | undefined {
    return this.idtValue;
  }

  get cr0(): number {
    return this.cr0Value;
  }

  get cr2(): number {
    return this.cr2Value;
  }

  get cr3(): number {
    return this.cr3Value;
  }

  /** The frame of the innermost trap being handled, if a handler is running. */
  get trapFrame(): TrapFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** How many trap handlers are running, nested. */
  get trapDepth(): number {
    return this.frames.length;
  }

  readRegister(name: string): number {
    return this.registers[this.registerIndex(name)]!;
  }

  /** Writes a general register; the value is truncated to 32 bits as the hardware would hold it. */
  writeRegister(name: string, value: number): void {
    this.registers[this.registerIndex(name)] = value;
  }

  /** The general registers in GENERAL_REGISTERS order, copied into `into` (a partition switch's save: the same buffer each time). */
  copyRegisters(into: Uint32Array = new Uint32Array(GENERAL_REGISTERS.length)): Uint32Array {
    into.set(this.registers);
    return into;
  }

  /** Loads all general registers in GENERAL_REGISTERS order, or zeroes them (a partition switch's restore). */
  loadRegisters(values: Uint32Array | undefined): void {
    if (values === undefined) this.registers.fill(0);
    else this.registers.set(values);
  }

  /**
   * Fast-forward (ProcessorCore.episodeState): what a repeated episode moves - the context
   * switch count, then (full) the general registers as 32-bit words (an upcall frame restores them;
   * a steady episode moves them by nothing or by a constant).
   */
  /** Its episode state is counts and registers an upcall frame restores: episodes of any kinds add up (Processor.mixedEpisodesAdd). */
  readonly mixedEpisodesAdd = true;

  protected override archEpisodeState(into: Float64Array, at: number, full: boolean): number {
    into[at++] = this.switches;
    if (!full) return at;
    for (let index = 0; index < this.registers.length; index++) into[at++] = this.registers[index]!;
    return at;
  }

  protected override creditArchEpisodes(delta: ArrayLike<number>, from: number, count: number): void {
    this.switches += count * delta[from]!;
    for (let index = 0; index < this.registers.length; index++) this.registers[index] = (this.registers[index]! + Math.imul(delta[from + 1 + index]! | 0, count)) >>> 0;
  }

  /**
   * Model-level: loads a complete execution state, as the kernel's exit path does with an
   * IRET through a frame it built (Platform.enterUser / enterSupervisor). A trap handler
   * that calls this does not return to the interrupted code: execution continues here.
   */
  switchTo(context: SegmentContext, cpl: Cpl, eflags: number): void {
    if (cpl !== 0 && cpl !== 3) throw new RangeError(`CPL must be 0 or 3, got ${String(cpl)}`);
    this.switches++;
    this.cplValue = cpl;
    this.contextValue = context;
    this.setEflags(eflags);
  }

  /**
   * Model-level: replaces the flags POPF may change at any privilege level (arithmetic
   * status, TF, DF), leaving IF, IOPL, NT, RF and VM alone. The thread context switch uses
   * it: cpukit restores the interrupt level separately.
   */
  restoreStatusFlags(eflags: number): void {
    this.eflagsValue = (this.eflagsValue & ~EFLAGS_STATUS_MASK) | (eflags & EFLAGS_STATUS_MASK);
  }

  // ---------------------------------------------------------------- IOPL-sensitive and privileged instructions

  /** CLI: #GP(0) when CPL > IOPL (SDM Vol. 2 "CLI"). */
  cli(): void {
    if (this.cplValue > this.iopl) return this.privilegeViolation('cli');
    this.charge(this.costs.privilegedInstruction);
    this.eflagsValue &= ~EFLAGS_IF;
  }

  /** STI: #GP(0) when CPL > IOPL (SDM Vol. 2 "STI"). The one-instruction interrupt shadow is moot: interrupts are sampled only at yields. */
  sti(): void {
    if (this.cplValue > this.iopl) return this.privilegeViolation('sti');
    this.charge(this.costs.privilegedInstruction);
    this.setEflags(this.eflagsValue | EFLAGS_IF);
  }

  /**
   * PUSHF: never faults in protected mode and shows the real IF and IOPL at any CPL, so
   * a deprivileged guest can see that its CLI did nothing. The image has RF and VM clear
   * (SDM Vol. 2 "PUSHF/PUSHFD").
   */
  pushf(): number {
    this.charge(this.costs.privilegedInstruction);
    return (this.eflagsValue & ~(EFLAGS_RF | EFLAGS_VM)) >>> 0;
  }

  /**
   * POPF (SDM Vol. 2 "POPF/POPFD", protected mode): at CPL 0 every flag but RF/VM may
   * change; at 0 < CPL <= IOPL everything but IOPL; at CPL > IOPL neither IF nor IOPL,
   * and no exception is raised. This silent failure is the Popek-Goldberg hole of the
   * i386: POPF is sensitive but not privileged, so it cannot be trapped and emulated.
   * RF is cleared; VM is unaffected.
   */
  popf(value: number): void {
    this.charge(this.costs.privilegedInstruction);
    let writable = EFLAGS_STATUS_MASK | EFLAGS_NT;
    if (this.cplValue === 0) writable |= EFLAGS_IF | EFLAGS_IOPL_MASK;
    else if (this.cplValue <= this.iopl) writable |= EFLAGS_IF;
    this.setEflags(((this.eflagsValue & ~writable & ~EFLAGS_RF) | (value & writable)) >>> 0);
  }

  /** HLT: privileged (#GP(0) at CPL != 0). With IF = 0 the processor stays halted for good. */
  hlt(): void {
    if (this.cplValue !== 0) return this.privilegeViolation('hlt');
    this.charge(this.costs.privilegedInstruction);
    this.enterHalt();
  }

  /** IN AL, DX: #GP(0) when CPL > IOPL. No TSS I/O permission bitmap is modelled. A skipped IN yields 0. */
  in8(port: number): number {
    if (this.cplValue > this.iopl) {
      this.privilegeViolation('in al, dx');
      return 0;
    }
    this.charge(this.costs.ioAccess);
    return this.io.read8(port & 0xffff);
  }

  in16(port: number): number {
    if (this.cplValue > this.iopl) {
      this.privilegeViolation('in ax, dx');
      return 0;
    }
    this.charge(this.costs.ioAccess);
    return this.io.read16(port & 0xffff);
  }

  /** OUT DX, AL: #GP(0) when CPL > IOPL. */
  out8(port: number, value: number): void {
    if (this.cplValue > this.iopl) return this.privilegeViolation('out dx, al');
    this.charge(this.costs.ioAccess);
    this.io.write8(port & 0xffff, value & 0xff);
  }

  out16(port: number, value: number): void {
    if (this.cplValue > this.iopl) return this.privilegeViolation('out dx, ax');
    this.charge(this.costs.ioAccess);
    this.io.write16(port & 0xffff, value & 0xffff);
  }

  /** LIDT: privileged. `undefined` models an IDTR with limit 0 (no vector is inside it). */
  lidt(idt: Idt | undefined): void {
    if (this.cplValue !== 0) return this.privilegeViolation('lidt');
    this.charge(this.costs.privilegedInstruction);
    this.idtValue = idt;
  }

  /**
   * MOV CRn, r32. CR1 and CR4-CR7 do not exist on the 80386: #UD (decoded before the
   * privilege check). CPL != 0: #GP(0). Setting CR0.PG with CR0.PE clear: #GP(0)
   * (SDM Vol. 2 "MOV - Move to/from Control Registers").
   */
  movToCr(n: number, value: number): void {
    const instruction = `mov cr${n}, r32`;
    if (n !== 0 && n !== 2 && n !== 3) return this.undefinedInstruction(instruction);
    if (this.cplValue !== 0) return this.privilegeViolation(instruction);
    const word = value >>> 0;
    if (n === 0 && (word & CR0_PG) !== 0 && (word & CR0_PE) === 0) {
      return this.raiseSynchronous(this.exception(VECTOR_GP, 'protection', instruction, 0));
    }
    this.charge(this.costs.privilegedInstruction);
    if (n === 0) this.cr0Value = word;
    else if (n === 2) this.cr2Value = word;
    else this.cr3Value = word;
  }

  /** MOV r32, CRn: same checks as the write. A skipped read yields 0. */
  movFromCr(n: number): number {
    const instruction = `mov r32, cr${n}`;
    if (n !== 0 && n !== 2 && n !== 3) {
      this.undefinedInstruction(instruction);
      return 0;
    }
    if (this.cplValue !== 0) {
      this.privilegeViolation(instruction);
      return 0;
    }
    this.charge(this.costs.privilegedInstruction);
    return n === 0 ? this.cr0Value : n === 2 ? this.cr2Value : this.cr3Value;
  }

  // ---------------------------------------------------------------- software interrupts and faulting instructions

  /**
   * INT n. The gate's DPL is checked because the interrupt is software-generated: with
   * CPL > DPL the result is #GP(n * 8 + 2), IDT bit set, EXT clear (SDM Vol. 2 "INT n",
   * Vol. 3 section 6.12.1.1). A vector that is not an 8-bit immediate cannot be encoded: #UD.
   */
  int(vector: number): void {
    if (!Number.isInteger(vector) || vector < 0 || vector > 255) return this.undefinedInstruction(`int ${String(vector)}`);
    this.raiseSynchronous({ vector, name: INT_NAMES[vector]!, class: 'software', source: 'software', synchronous: true, instruction: INT_INSTRUCTIONS[vector]! });
  }

  softwareTrap(trapNumber: number): void {
    this.int(trapNumber);
  }

  /**
   * DIV r/m32: EDX:EAX / divisor -> EAX quotient, EDX remainder; #DE on a zero divisor or
   * a quotient that does not fit 32 bits (SDM Vol. 2 "DIV"). The arithmetic itself is
   * ordinary computation, accounted in the guest's compute steps, so only a fault costs.
   */
  divide(divisor: number): void {
    const d = divisor >>> 0;
    if (d === 0) return this.raiseSynchronous(this.exception(VECTOR_DE, 'arithmetic', 'div'));
    const dividend = (BigInt(this.registers[EDX]!) << 32n) | BigInt(this.registers[EAX]!);
    const quotient = dividend / BigInt(d);
    if (quotient > 0xffff_ffffn) return this.raiseSynchronous(this.exception(VECTOR_DE, 'arithmetic', 'div'));
    this.registers[EAX] = Number(quotient);
    this.registers[EDX] = Number(dividend % BigInt(d));
  }

  /** An opcode the processor does not implement (UD2 by default): #UD. */
  undefinedInstruction(mnemonic = 'ud2'): void {
    this.raiseSynchronous(this.exception(VECTOR_UD, 'illegal', mnemonic));
  }

  // ---------------------------------------------------------------- memory through the current segment context

  load(address: number, width: 1 | 2 | 4): number {
    checkWidth(width);
    const context = this.contextValue;
    if (!this.withinLimit(context, address, width)) {
      this.limitViolation(context, address, width, 'read', 'mov');
      return 0;
    }
    const value = this.memory.load(context.protection, this.mode, address, width);
    if (typeof value === 'number') {
      this.charge(this.costs.memoryAccess);
      return value;
    }
    // A misaligned access may straddle two regions (pages) that are both accessible.
    const bytes = this.memory.loadBytes(context.protection, this.mode, address, width);
    if (bytes instanceof Uint8Array) {
      this.charge(this.costs.memoryAccess);
      let word = 0;
      for (let i = width - 1; i >= 0; i--) word = word * 256 + bytes[i]!;
      return word;
    }
    this.pageFault(context, address, width, 'read', bytes, 'mov');
    return 0;
  }

  store(address: number, width: 1 | 2 | 4, value: number): void {
    checkWidth(width);
    const context = this.contextValue;
    if (!this.withinLimit(context, address, width)) return this.limitViolation(context, address, width, 'write', 'mov');
    const word = value >>> 0;
    if (this.memory.store(context.protection, this.mode, address, width, word) === undefined) {
      this.charge(this.costs.memoryAccess);
      return;
    }
    const bytes = new Uint8Array(width);
    for (let i = 0; i < width; i++) bytes[i] = (word >>> (8 * i)) & 0xff;
    const fault = this.memory.storeBytes(context.protection, this.mode, address, bytes);
    if (fault === undefined) {
      this.charge(this.costs.memoryAccess);
      return;
    }
    this.pageFault(context, address, width, 'write', fault, 'mov');
  }

  /**
   * A block copy out of the current context (REP MOVSD): one memoryAccess per 4 bytes.
   * If the supervisor skips a faulting copy the result is zeros (empty when the length
   * could not even fit the segment).
   */
  loadBytes(address: number, length: number): Uint8Array {
    const context = this.contextValue;
    if (!Number.isSafeInteger(length) || length < 0) {
      this.limitViolation(context, address, length, 'read', 'rep movs');
      return new Uint8Array(0);
    }
    if (length === 0) return new Uint8Array(0);
    if (!this.withinLimit(context, address, length)) {
      this.limitViolation(context, address, length, 'read', 'rep movs');
      return new Uint8Array(length <= context.limit + 1 ? length : 0);
    }
    const bytes = this.memory.loadBytes(context.protection, this.mode, address, length);
    if (bytes instanceof Uint8Array) {
      this.charge(this.costs.memoryAccess * Math.ceil(length / 4));
      return bytes;
    }
    this.pageFault(context, address, length, 'read', bytes, 'rep movs');
    return new Uint8Array(length);
  }

  /** A block copy into the current context; a fault writes nothing at all. */
  storeBytes(address: number, bytes: Uint8Array): void {
    const context = this.contextValue;
    const length = bytes.length;
    if (length === 0) return;
    if (!this.withinLimit(context, address, length)) return this.limitViolation(context, address, length, 'write', 'rep movs');
    const fault = this.memory.storeBytes(context.protection, this.mode, address, bytes);
    if (fault === undefined) {
      this.charge(this.costs.memoryAccess * Math.ceil(length / 4));
      return;
    }
    this.pageFault(context, address, length, 'write', fault, 'rep movs');
  }

  // ---------------------------------------------------------------- external interrupts

  protected acceptsInterrupt(): boolean {
    return (this.eflagsValue & EFLAGS_IF) !== 0 && this.interrupts !== undefined && this.interrupts.requestLevel() > 0;
  }

  /** INTA cycle, then delivery through the IDT gate of the vector the controller supplied. */
  protected deliverInterrupt(): void {
    const input = this.interrupts!;
    const vector = input.acknowledge() & 0xff;
    const line = input.lastAcknowledgedLine;
    const name = line === undefined ? `INTR ${vectorHex(vector)}` : `IRQ ${line}`;
    const event: ProcessorEvent =
      line === undefined
        ? { vector, name, class: 'interrupt', source: 'external', synchronous: false }
        : { vector, name, class: 'interrupt', source: 'external', synchronous: false, line };
    // An interrupted compute step was already handed back to the workload (preempted()),
    // so a handler that abandons the interrupted code leaves nothing to unwind here.
    this.deliver(event);
  }

  // ---------------------------------------------------------------- delivery

  private registerIndex(name: string): number {
    // A switch in GENERAL_REGISTERS' order, not a keyed lookup: registers are read by name on every hypercall and switch.
    switch (name) {
      case 'eax':
        return 0;
      case 'ecx':
        return 1;
      case 'edx':
        return 2;
      case 'ebx':
        return 3;
      case 'esp':
        return 4;
      case 'ebp':
        return 5;
      case 'esi':
        return 6;
      case 'edi':
        return 7;
    }
    throw new RangeError(`i386 has no general register '${name}' (expected one of ${GENERAL_REGISTERS.join(', ')})`);
  }

  private setEflags(value: number): void {
    const enabling = (this.eflagsValue & EFLAGS_IF) === 0 && (value & EFLAGS_IF) !== 0;
    this.eflagsValue = ((value & EFLAGS_DEFINED_MASK) | EFLAGS_RESERVED_1) >>> 0;
    // A request held while IF was 0 can be taken now; outside the run loop this preempts.
    if (enabling) this.interruptRequestChanged();
  }

  private exception(vector: number, trapClass: TrapClass, instruction: string, errorCode?: number, fault?: MemoryFault): ProcessorEvent {
    const name = EXCEPTION_NAMES[vector] ?? `#${vector}`;
    const event: Mutable<ProcessorEvent> = { vector, name, class: trapClass, source: 'exception', synchronous: true, instruction };
    if (errorCode !== undefined) event.errorCode = errorCode;
    if (fault !== undefined) event.fault = fault;
    return event;
  }

  /** #GP(0) from a privileged or IOPL-sensitive instruction at insufficient privilege. */
  private privilegeViolation(instruction: string): void {
    this.raiseSynchronous(this.exception(VECTOR_GP, 'privileged', instruction, 0));
  }

  private withinLimit(context: SegmentContext, address: number, length: number): boolean {
    return Number.isSafeInteger(address) && address >= 0 && address + length - 1 <= context.limit;
  }

  /** An effective address past the segment limit: #GP(0) (SDM Vol. 3 section 5.3). */
  private limitViolation(context: SegmentContext, address: number, length: number, access: AccessKind, instruction: string): void {
    const valid = Number.isSafeInteger(address) && address >= 0 && address < ADDRESS_LIMIT;
    const reason: FaultReason = !valid ? 'bad-address' : address + length > ADDRESS_LIMIT ? 'wrap-around' : 'unmapped';
    const fault = context.protection.fault(address, length, access, this.mode, reason);
    this.raiseSynchronous(this.exception(VECTOR_GP, 'memory', instruction, 0, fault));
  }

  /**
   * An access inside the segment that the context refuses: #PF with CR2 = the linear
   * address of the first byte that cannot be accessed and the error code P (the page was
   * present but the access not allowed), W/R (a write) and U/S (CPL 3) (SDM Vol. 3
   * section 6.15, Interrupt 14). Note the 80386 ignores read-only pages at CPL 0 unless
   * paging says otherwise; here read-only regions fault in both modes (like CR0.WP = 1).
   */
  private pageFault(context: SegmentContext, address: number, length: number, access: AccessKind, fault: MemoryFault, instruction: string): void {
    const first = this.firstInaccessible(context, address, length, access);
    let present: boolean;
    switch (first.reason) {
      case 'unmapped':
      case 'out-of-range':
        present = false;
        break;
      case 'privilege':
      case 'permission':
        present = true;
        break;
      case 'bad-address':
      case 'wrap-around':
      case 'misaligned':
        return this.raiseSynchronous(this.exception(VECTOR_GP, 'memory', instruction, 0, fault));
    }
    this.cr2Value = (context.base + first.offset) >>> 0;
    const errorCode = (present ? PF_ERROR_PRESENT : 0) | (access === 'write' ? PF_ERROR_WRITE : 0) | (this.cplValue === 3 ? PF_ERROR_USER : 0);
    this.raiseSynchronous(this.exception(VECTOR_PF, 'memory', instruction, errorCode, fault));
  }

  /** The first byte of [address, address + length) the context refuses, and why. */
  private firstInaccessible(context: SegmentContext, address: number, length: number, access: AccessKind): { offset: number; reason: FaultReason } {
    const protection = context.protection;
    const memorySize = this.memory.memory.size;
    const end = address + length;
    for (let cursor = address; cursor < end; ) {
      const region = protection.find(cursor);
      if (region === undefined) return { offset: cursor, reason: 'unmapped' };
      const size = Math.min(end, region.virtualBase + region.size) - cursor;
      const physical = protection.translate(cursor, size, access, this.mode);
      if (typeof physical !== 'number') return { offset: cursor, reason: physical.reason };
      if (physical + size > memorySize) return { offset: cursor + Math.max(0, memorySize - physical), reason: 'out-of-range' };
      cursor += size;
    }
    return { offset: address, reason: 'unmapped' };
  }

  /** Delivers a synchronous event; returns if the supervisor resumes the code, else throws ExecutionAbandoned. */
  private raiseSynchronous(event: ProcessorEvent): void {
    const result = this.deliver(event);
    if (result === 'return') return;
    const why = result === 'stopped' ? (this.stopReason ?? 'processor stopped') : `${event.name} from '${event.instruction ?? '?'}' was not returned from`;
    throw new ExecutionAbandoned(why);
  }

  /**
   * IDT lookup for one event (SDM Vol. 2 "INT n" operation, PROTECTED-MODE): vector past
   * the limit or entry not a gate -> #GP(v * 8 + 2 + EXT); software interrupt with
   * DPL < CPL -> #GP(v * 8 + 2); gate not present -> #NP(v * 8 + 2 + EXT). EXT is set for
   * everything that is not INT n (SDM Vol. 3 section 6.13).
   */
  private findGate(event: ProcessorEvent, original: ProcessorEvent): IdtGate | ProcessorEvent {
    const errorCode = event.vector * 8 + ERROR_CODE_IDT + (event.source === 'software' ? 0 : ERROR_CODE_EXT);
    const idt = this.idtValue;
    const gate = idt !== undefined && event.vector < idt.entries ? idt.gate(event.vector) : undefined;
    let vector: number;
    if (gate === undefined || (event.source === 'software' && gate.dpl < this.cplValue)) vector = VECTOR_GP;
    else if (!gate.present) vector = VECTOR_NP;
    else return gate;
    const fault: Mutable<ProcessorEvent> = {
      vector,
      name: EXCEPTION_NAMES[vector]!,
      class: 'protection',
      source: 'exception',
      synchronous: original.synchronous,
      errorCode,
    };
    if (original.instruction !== undefined) fault.instruction = original.instruction;
    return fault;
  }

  private deliver(original: ProcessorEvent): DeliveryResult {
    const fromMode = this.mode;
    let event = original;
    let gate: IdtGate;
    for (;;) {
      const found = this.findGate(event, original);
      // An INT n refused by its own checks never becomes that interrupt: only its #GP is recorded.
      if (event.source !== 'software' || !('source' in found) || found.vector !== VECTOR_GP) this.record(event, fromMode);
      if (!('source' in found)) {
        gate = found;
        break;
      }
      if (event.source === 'exception' && event.vector === VECTOR_DF) {
        // SDM Vol. 3 section 6.15, Interrupt 8: a fault while delivering #DF shuts the processor down.
        this.stop('triple fault: shutdown');
        return 'stopped';
      }
      const first = event.source === 'exception' ? exceptionSeverity(event.vector) : 'benign';
      if (isDoubleFault(first, exceptionSeverity(found.vector))) {
        const doubleFault: Mutable<ProcessorEvent> = {
          vector: VECTOR_DF,
          name: EXCEPTION_NAMES[VECTOR_DF]!,
          class: 'protection',
          source: 'exception',
          synchronous: original.synchronous,
          errorCode: 0,
        };
        if (original.instruction !== undefined) doubleFault.instruction = original.instruction;
        event = doubleFault;
      } else {
        event = found;
      }
    }

    // Trap entry: to CPL 0 on the flat supervisor context, TF/NT/RF/VM cleared, IF too for
    // an interrupt gate (SDM Vol. 3 section 6.12.1.2). The frame is what IRET restores.
    this.charge(this.costs.trapEntry);
    const frame: TrapFrame = { eflags: this.eflagsValue, cpl: this.cplValue, context: this.contextValue };
    const switches = this.switches;
    this.frames.push(frame);
    this.cplValue = 0;
    this.contextValue = this.supervisorContext;
    let flags = this.eflagsValue & ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM);
    if (gate.kind === 'interrupt') flags &= ~EFLAGS_IF;
    this.eflagsValue = flags >>> 0;
    let outcome: TrapOutcome;
    try {
      outcome = gate.handler(this.trapInfo(event, fromMode));
    } finally {
      this.frames.pop();
    }
    if (this.stopReason !== undefined) return 'stopped';
    if (outcome === 'abandon') return 'abandon';
    this.charge(this.costs.trapExit);
    if (this.switches === switches) {
      // IRET at CPL 0 restores every flag of the image, IF and IOPL included.
      this.cplValue = frame.cpl;
      this.contextValue = frame.context;
      this.setEflags(frame.eflags);
    }
    return 'return';
  }

  private trapInfo(event: ProcessorEvent, fromMode: PrivilegeMode): TrapInfo {
    const info: Mutable<TrapInfo> = {
      class: event.class,
      number: event.vector,
      name: event.name,
      fromMode,
      synchronous: event.synchronous,
    };
    if (event.instruction !== undefined) info.instruction = event.instruction;
    if (event.errorCode !== undefined) info.errorCode = event.errorCode;
    if (event.fault !== undefined) info.fault = event.fault;
    if (event.line !== undefined) info.line = event.line;
    return info;
  }

  private record(event: ProcessorEvent, fromMode: PrivilegeMode): void {
    if (!this.trace.enabled || event.name === this.trace.unwantedTrap) return;
    const payload: Record<string, TraceValue> = { number: event.vector, name: event.name };
    if (event.instruction !== undefined) payload.instruction = event.instruction;
    if (event.errorCode !== undefined) payload.errorCode = event.errorCode;
    payload.fromMode = fromMode;
    this.trace.record(this.queue.now, this.name, 'trap', payload);
  }
}
