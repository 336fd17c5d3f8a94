import { Board } from '../board.js';
import { CycleClock } from '../cycleClock.js';
import { InterruptController } from '../interruptController.js';
import type { IrqLine } from '../interrupts.js';
import type { CostTable, HypercallAbi, InterruptLineCounts, Platform, SupervisorEntry, TrapInfo, UserContext, UserContextSpec, VirtualInterruptState } from '../platform.js';
import { ProtectionContext } from '../protection.js';
import type { Nanoseconds } from '../time.js';
import { ProgrammableTimer } from '../timer.js';
import type { TraceRecorder } from '../traceRecorder.js';
import { SimpleProcessor } from './simpleProcessor.js';

/** Costs of the test double: small round numbers, not measurements of anything. */
export const SIMPLE_COSTS: CostTable = {
  trapEntry: 20,
  trapExit: 20,
  privilegedInstruction: 2,
  ioAccess: 5,
  memoryAccess: 1,
  threadContextSwitch: 50,
  windowSpill: 0,
  addressSpaceSwitch: 30,
  hypercallDispatch: 40,
  virqUpcall: 30,
  fpContextSave: 40,
  fpContextRestore: 40,
};

export const SIMPLE_HYPERCALL_ABI: HypercallAbi = {
  arch: 'simple',
  trapNumber: 0x80,
  trapInstruction: 'trap 128',
  numberRegister: 'r0',
  argumentRegisters: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'],
  resultRegister: 'r0',
  extraResultRegisters: ['r1'],
};

export interface SimplePlatformOptions {
  readonly memorySize?: number;
  readonly seed?: number;
  readonly trace?: TraceRecorder;
  readonly costs?: Partial<CostTable>;
  readonly endianness?: 'little' | 'big';
}

/** Line of the tick timer on the test platform's controller. */
export const SIMPLE_TICK_LINE = 0;

/**
 * A Platform test double over SimpleProcessor: what an arch-neutral kernel or hypercall
 * dispatcher needs, with no processor model behind it. User contexts map the partition at
 * virtual address 0 (segment style). Not a model of any real board.
 */
export class SimplePlatform implements Platform {
  readonly arch = 'simple';
  readonly board: Board;
  readonly processor: SimpleProcessor;
  readonly controller: InterruptController;
  readonly costs: CostTable;
  readonly hypercallAbi = SIMPLE_HYPERCALL_ABI;
  readonly routableLines = Array.from({ length: 15 }, (_, index) => index + 1);
  private tick: ProgrammableTimer | undefined;
  private user: UserContext | undefined;

  constructor(options: SimplePlatformOptions = {}) {
    this.board = new Board({
      memorySize: options.memorySize ?? 1 << 20,
      endianness: options.endianness ?? 'little',
      seed: options.seed ?? 1,
      ...(options.trace ? { trace: options.trace } : {}),
    });
    this.controller = new InterruptController(16);
    for (let line = 0; line < 16; line++) this.controller.configure(line, { priority: 16 - line });
    this.processor = new SimpleProcessor(this.board.queue, this.controller, {
      memory: this.board.memory,
      trace: this.board.trace,
      interruptCycles: SIMPLE_COSTS.trapEntry,
    });
    this.costs = { ...SIMPLE_COSTS, ...options.costs };
  }

  get currentUserContext(): UserContext | undefined {
    return this.user;
  }

  installSupervisor(entry: SupervisorEntry): void {
    this.processor.supervisorEntry = entry;
    this.processor.hypercallTrap = this.hypercallAbi.trapNumber;
  }

  createUserContext(spec: UserContextSpec): UserContext {
    const protection = new ProtectionContext(spec.name, [
      { name: `${spec.name}.memory`, virtualBase: 0, physicalBase: spec.physicalBase, size: spec.size, read: true, write: true, execute: true, user: true },
    ]);
    return { name: spec.name, protection, virtualBase: 0, physicalBase: spec.physicalBase, size: spec.size };
  }

  enterUser(context: UserContext): void {
    this.user = context;
    this.processor.switchTo('user', context.protection, true);
  }

  enterSupervisor(): void {
    this.user = undefined;
    this.processor.switchTo('supervisor', this.processor.supervisorContext, true);
  }

  readRegister(name: string): number {
    return this.processor.readRegister(name);
  }

  writeRegister(name: string, value: number): void {
    this.processor.writeRegister(name, value);
  }

  startTickTimer(period: Nanoseconds): number {
    this.tick ??= new ProgrammableTimer(this.board.queue, new CycleClock(1_000_000_000), this.controller.line(SIMPLE_TICK_LINE), 'tick');
    this.tick.start(period, true);
    return SIMPLE_TICK_LINE;
  }

  deviceLine(line: number): IrqLine {
    return this.controller.line(line);
  }

  setLineMasked(line: number, masked: boolean): void {
    this.controller.setMasked(line, masked);
  }

  endOfInterrupt(_line: number): void {}

  interruptLineCounts(line: number): InterruptLineCounts {
    return { raised: this.controller.raised[line] ?? 0, coalesced: this.controller.coalesced[line] ?? 0, pending: this.controller.isPending(line) };
  }

  emulateInterruptFlagOperation(trap: TrapInfo, state: VirtualInterruptState): boolean {
    if (trap.class !== 'privileged') return false;
    if (trap.instruction === 'cli') state.enabled = false;
    else if (trap.instruction === 'sti') state.enabled = true;
    else return false;
    return true;
  }

  saveUserState(): void {
    this.processor.charge(this.costs.threadContextSwitch);
  }
}
