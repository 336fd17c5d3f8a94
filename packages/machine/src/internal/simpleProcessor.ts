import { CheckedMemory } from '../checkedMemory.js';
import { CycleClock } from '../cycleClock.js';
import type { EventQueue } from '../eventQueue.js';
import type { InterruptRequester } from '../interrupts.js';
import type { PhysicalMemory } from '../physicalMemory.js';
import type { GuestProcessor, SupervisorEntry, TrapClass, TrapInfo } from '../platform.js';
import { ExecutionAbandoned, ProcessorCore } from '../processor.js';
import { type MemoryFault, type PrivilegeMode, ProtectionContext } from '../protection.js';
import { TraceRecorder } from '../traceRecorder.js';

export interface SimpleProcessorOptions {
  readonly frequencyHz?: number;
  /** Cycles charged per interrupt or trap taken (entry + exit). */
  readonly interruptCycles?: number;
  /** Cycles charged per privileged operation, register-sized memory access, and software trap instruction. */
  readonly instructionCycles?: number;
  readonly trace?: TraceRecorder;
  readonly name?: string;
  /** Physical memory for load/store (optional: pure run-loop tests need none). */
  readonly memory?: PhysicalMemory;
}

/** Register names of the test double: r0..r7. */
export const SIMPLE_REGISTERS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'] as const;

/**
 * A test-double processor, not a model of any real CPU. It has a supervisor/user mode,
 * one interrupt-enable flag, registers r0..r7, memory access through a protection context,
 * software traps, and two "privileged instructions" (disableInterrupts/enableInterrupts)
 * that trap in user mode, so arch-neutral software (cpukit, paravirt-api, kernel-core,
 * kernels) can be tested without cpu-i386 or cpu-sparc.
 *
 * Without a supervisor entry, an interrupt acknowledges the controller, disables
 * interrupts for the handler, charges `interruptCycles` and calls `handler(vector)`.
 * With a supervisor entry (installed by SimplePlatform), every interrupt and trap goes to
 * it as a TrapInfo, in supervisor mode, and the interrupted mode/context is restored
 * afterwards unless the entry switched context.
 */
export class SimpleProcessor extends ProcessorCore implements GuestProcessor {
  readonly arch = 'simple';
  mode: PrivilegeMode = 'supervisor';
  interruptsEnabled = true;
  handler: (vector: number) => void = () => {};
  supervisorEntry: SupervisorEntry | undefined;
  /** The trap number that is classed 'hypercall' (others are 'software'). */
  hypercallTrap = 0x80;
  /** The context memory accesses go through. */
  context: ProtectionContext;
  readonly supervisorContext: ProtectionContext;
  readonly interruptCycles: number;
  readonly instructionCycles: number;
  /** Vectors taken, in order. */
  readonly taken: number[] = [];
  /** Traps taken, in order. */
  readonly traps: TrapInfo[] = [];
  /** Bumped whenever software switches context inside a trap (so the trap does not restore). */
  contextGeneration = 0;
  private readonly registers = new Map<string, number>(SIMPLE_REGISTERS.map((name) => [name, 0]));
  private readonly checked: CheckedMemory | undefined;

  constructor(
    queue: EventQueue,
    private readonly requester: InterruptRequester,
    options: SimpleProcessorOptions = {},
  ) {
    super(options.name ?? 'cpu0', queue, new CycleClock(options.frequencyHz ?? 100_000_000), options.trace ?? TraceRecorder.disabled());
    this.interruptCycles = options.interruptCycles ?? 10;
    this.instructionCycles = options.instructionCycles ?? 1;
    this.checked = options.memory ? new CheckedMemory(options.memory) : undefined;
    const size = options.memory?.size ?? 0;
    this.supervisorContext = new ProtectionContext(
      'supervisor',
      size > 0 ? [{ name: 'all', virtualBase: 0, size, read: true, write: true, execute: true, user: false }] : [],
    );
    this.context = this.supervisorContext;
    this.connectInterrupts(requester);
  }

  /** HLT: wait for the next accepted interrupt. Privileged. */
  halt(): void {
    if (this.privileged('hlt')) this.enterHalt();
  }

  /** A privileged "disable interrupts" instruction (traps in user mode). */
  disableInterrupts(): void {
    this.charge(this.instructionCycles);
    if (this.privileged('cli')) this.interruptsEnabled = false;
  }

  /** A privileged "enable interrupts" instruction (traps in user mode). */
  enableInterrupts(): void {
    this.charge(this.instructionCycles);
    if (this.privileged('sti')) this.interruptsEnabled = true;
  }

  readRegister(name: string): number {
    const value = this.registers.get(name);
    if (value === undefined) throw new RangeError(`simple processor has no register ${name}`);
    return value;
  }

  writeRegister(name: string, value: number): void {
    if (!this.registers.has(name)) throw new RangeError(`simple processor has no register ${name}`);
    this.registers.set(name, value >>> 0);
  }

  softwareTrap(trapNumber: number): void {
    this.charge(this.instructionCycles);
    const kind: TrapClass = trapNumber === this.hypercallTrap ? 'hypercall' : 'software';
    this.trap({ class: kind, number: trapNumber, name: `trap ${trapNumber}`, instruction: `trap ${trapNumber}`, fromMode: this.mode, synchronous: true });
  }

  load(address: number, width: 1 | 2 | 4): number {
    this.charge(this.instructionCycles);
    const result = this.memory().load(this.context, this.mode, address, width);
    if (typeof result === 'number') return result;
    this.memoryFault(result);
    return 0;
  }

  store(address: number, width: 1 | 2 | 4, value: number): void {
    this.charge(this.instructionCycles);
    const fault = this.memory().store(this.context, this.mode, address, width, value);
    if (fault) this.memoryFault(fault);
  }

  loadBytes(address: number, length: number): Uint8Array {
    this.charge(this.instructionCycles * Math.max(1, Math.ceil(Math.min(length, 1 << 30) / 4)));
    const result = this.memory().loadBytes(this.context, this.mode, address, length);
    if (result instanceof Uint8Array) return result;
    this.memoryFault(result);
    return new Uint8Array(0);
  }

  storeBytes(address: number, bytes: Uint8Array): void {
    this.charge(this.instructionCycles * Math.max(1, Math.ceil(bytes.length / 4)));
    const fault = this.memory().storeBytes(this.context, this.mode, address, bytes);
    if (fault) this.memoryFault(fault);
  }

  /** Switches the running context (what a kernel's return-to-user path does). */
  switchTo(mode: PrivilegeMode, context: ProtectionContext, interruptsEnabled: boolean): void {
    this.mode = mode;
    this.context = context;
    this.interruptsEnabled = interruptsEnabled;
    this.contextGeneration++;
  }

  protected acceptsInterrupt(): boolean {
    return this.interruptsEnabled && this.requester.requestLevel() > 0;
  }

  protected deliverInterrupt(): void {
    const vector = this.requester.acknowledge();
    this.taken.push(vector);
    if (this.supervisorEntry) {
      this.trap({ class: 'interrupt', number: vector, name: `irq ${vector}`, line: vector, fromMode: this.mode, synchronous: false });
      return;
    }
    if (this.trace.enabled) this.trace.record(this.queue.now, this.name, 'interrupt', { vector });
    this.charge(this.interruptCycles);
    const saved = this.interruptsEnabled;
    this.interruptsEnabled = false;
    try {
      this.handler(vector);
    } finally {
      this.interruptsEnabled = saved;
    }
  }

  /** Returns true if the privileged operation may proceed; in user mode it traps first. */
  private privileged(instruction: string): boolean {
    if (this.mode === 'supervisor') return true;
    this.trap({ class: 'privileged', number: 0x03, name: 'privileged', instruction, fromMode: this.mode, synchronous: true });
    return false;
  }

  private memoryFault(fault: MemoryFault): void {
    this.trap({ class: 'memory', number: 0x09, name: 'memory fault', fault, fromMode: this.mode, synchronous: true });
  }

  private memory(): CheckedMemory {
    if (!this.checked) throw new Error('SimpleProcessor was created without memory');
    return this.checked;
  }

  /** Trap entry: supervisor mode, interrupts off, call the entry, then return or abandon. */
  private trap(trap: TrapInfo): void {
    this.traps.push(trap);
    if (this.trace.enabled && trap.name !== this.trace.unwantedTrap) this.trace.record(this.queue.now, this.name, 'trap', { number: trap.number, name: trap.name, fromMode: trap.fromMode });
    const entry = this.supervisorEntry;
    if (!entry) {
      this.stop(`unhandled trap ${trap.name} with no supervisor installed`);
      if (trap.synchronous) throw new ExecutionAbandoned('processor stopped');
      return;
    }
    this.charge(this.interruptCycles);
    const saved = { mode: this.mode, context: this.context, interruptsEnabled: this.interruptsEnabled };
    const generation = ++this.contextGeneration;
    this.mode = 'supervisor';
    this.context = this.supervisorContext;
    this.interruptsEnabled = false;
    const outcome = entry(trap);
    if (this.contextGeneration === generation) {
      this.mode = saved.mode;
      this.context = saved.context;
      this.interruptsEnabled = saved.interruptsEnabled;
    }
    if (outcome === 'abandon' && trap.synchronous) throw new ExecutionAbandoned(`${trap.name} handler did not return`);
  }
}
