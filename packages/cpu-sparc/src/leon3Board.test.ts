import {
  BufferTraceSink,
  ExecutionAbandoned,
  PeriodicIrqSource,
  TraceRecorder,
  WAIT_FOR_INTERRUPT,
  type TrapInfo,
  type TrapOutcome,
  type Workload,
} from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { APBUART_CONTROL, APBUART_CTRL_TE } from './apbuart.js';
import { IRQMP_MASK } from './irqmp.js';
import {
  GPTIMER_MAX_PERIOD_TICKS,
  LEON3_APBUART_BASE,
  LEON3_IRQMP_BASE,
  LEON3_MAX_MEMORY,
  LEON3_ROUTABLE_LINES,
  Leon3Board,
  leon3BootPrescalerReload,
  leon3TickProblem,
  leon3TickTicks,
  SPARC_USER_VIRTUAL_BASE,
} from './leon3Board.js';
import { PSR_ET } from './psr.js';
import { SPARC_DEFAULT_COSTS } from './costs.js';
import { installRtemsSoftwareTraps } from './rtemsTraps.js';
import { TrapTable } from './trapTable.js';

/** A workload that runs a script of steps (numbers, or functions doing guest work and returning one) and logs preemptions. */
class ScriptedWorkload implements Workload {
  readonly log: string[] = [];
  private remaining = 0;
  constructor(
    private readonly now: () => number,
    private readonly steps: Array<number | (() => number)>,
  ) {}
  next(): number {
    if (this.remaining > 0) {
      const cycles = this.remaining;
      this.remaining = 0;
      this.log.push(`${this.now()}: resume ${cycles}`);
      return cycles;
    }
    const step = this.steps.shift();
    if (step === undefined) return WAIT_FOR_INTERRUPT;
    const cycles = typeof step === 'number' ? step : step();
    this.log.push(`${this.now()}: step ${cycles}`);
    return cycles;
  }
  preempted(remainingCycles: number): void {
    this.remaining = remainingCycles;
    this.log.push(`${this.now()}: preempted ${remainingCycles}`);
  }
}

function cycles(board: Leon3Board): number {
  return (board.processor.localTime() - board.board.now) / 20;
}

/** A board with a kernel: every trap goes to `handle` (default: record and return). */
function kernelBoard(handle?: (trap: TrapInfo, board: Leon3Board) => TrapOutcome) {
  const board = new Leon3Board({ memorySize: 1 << 20 });
  const traps: TrapInfo[] = [];
  board.installSupervisor((trap) => {
    traps.push(trap);
    return handle ? handle(trap, board) : 'return';
  });
  board.enterSupervisor();
  return { board, traps, cpu: board.processor };
}

describe('Leon3Board', () => {
  it('is a big-endian 50 MHz LEON3 left as the boot code leaves it: CWP 0, window 1 invalid, traps off', () => {
    const board = new Leon3Board({ memorySize: 1 << 20 });
    expect(board.board.memory.endianness).toBe('big');
    expect(board.processor.clock.frequencyHz).toBe(50_000_000);
    expect([board.processor.psr, board.processor.wim]).toEqual([0xf300_0080, 0x02]);
    expect(board.routableLines).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]);
    expect(board.hypercallAbi.trapNumber).toBe(0xf0);
    expect(board.gptimer.tickFrequencyHz).toBe(1_000_000);
    expect(() => new Leon3Board({ memorySize: 2 ** 31 })).toThrow(RangeError);
  });

  it('reaches the APB devices through supervisor loads and stores, and refuses them to user code', () => {
    const { board, traps, cpu } = kernelBoard();
    cpu.store(LEON3_APBUART_BASE + APBUART_CONTROL, 4, APBUART_CTRL_TE);
    cpu.store(LEON3_APBUART_BASE, 4, 0x48);
    cpu.store(LEON3_APBUART_BASE + 3, 1, 0x69);
    expect(board.uart.text()).toBe('Hi');
    expect(cpu.load(LEON3_APBUART_BASE + 4, 4)).toBe(0x6);
    expect(cpu.load(LEON3_APBUART_BASE + 7, 1)).toBe(0x6);
    cpu.store(LEON3_IRQMP_BASE + IRQMP_MASK, 4, 1 << 10);
    expect(board.irqmp.isMasked(10)).toBe(false);
    expect(cpu.load(0x8000_0400, 4)).toBe(0);
    expect(traps).toEqual([]);
    const before = cycles(board);
    cpu.load(LEON3_IRQMP_BASE, 4);
    expect(cycles(board) - before).toBe(7);
    const user = board.createUserContext({ name: 'p', physicalBase: 0x10000, size: 0x10000 });
    board.enterUser(user);
    cpu.store(LEON3_APBUART_BASE, 4, 0x21);
    expect(board.uart.text()).toBe('Hi');
    expect(traps.map((trap) => [trap.class, trap.number, trap.name, trap.fault?.reason])).toEqual([['memory', 0x09, 'data_access_exception', 'privilege']]);
  });

  it('a level-n interrupt preempts a compute step at its exact instant; PIL holds it off, level 15 gets through', () => {
    const board = new Leon3Board({ memorySize: 1 << 20 });
    const cpu = board.processor;
    const entries: string[] = [];
    const table = new TrapTable('bsp');
    table.setRange(0x11, 0x1f, (trap) => {
      entries.push(`${board.board.now}: ${trap.name}`);
      return 'return';
    });
    cpu.mapTrapTable(0x1000, table);
    cpu.wrtbr(0x1000);
    cpu.wrpsr(PSR_ET | 0x80);
    board.setLineMasked(10, false);
    board.setLineMasked(15, false);
    const workload = new ScriptedWorkload(
      () => board.board.now,
      [
        1_000_000,
        () => {
          cpu.wrpsr(PSR_ET | 0x80 | (12 << 8));
          return 10_000;
        },
      ],
    );
    cpu.setWorkload(workload);
    cpu.start();
    board.board.queue.at(5_005, () => board.deviceLine(10).raise());
    board.board.queue.at(20_100_000, () => board.deviceLine(10).raise());
    board.board.queue.at(20_150_000, () => board.deviceLine(15).raise());
    board.board.runUntil(30_000_000);
    // The setup (WRTBR, WRPSR, two IRQMP mask writes) is 22 cycles: the step starts at 440 ns.
    // 250 - 22 cycles of it are done at 5005 ns; entry (11) + exit (6) cycles, then the rest.
    expect(workload.log.slice(0, 3)).toEqual(['440: step 1000000', '5005: preempted 999772', '5360: resume 999772']);
    expect(entries).toEqual(['5005: interrupt_level_10', '20150000: interrupt_level_15']);
    expect(board.irqmp.isPending(10)).toBe(true);
    expect(cpu.stats.preemptions).toBe(2);
  });

  it('startTickTimer runs GPTIMER timer 1 at the exact period and delivers interrupt_level_8 to the supervisor', () => {
    const { board, traps, cpu } = kernelBoard();
    expect(board.startTickTimer(1_000_000)).toBe(8);
    cpu.setWorkload(new ScriptedWorkload(() => board.board.now, []));
    const entries: number[] = [];
    board.board.trace.enabled = false;
    cpu.start();
    board.board.queue.every(1_000_000, () => entries.push(traps.length), 1_000_001);
    board.board.runUntil(10_000_001);
    expect(traps).toHaveLength(10);
    expect(traps[0]).toEqual({ class: 'interrupt', number: 0x18, name: 'interrupt_level_8', line: 8, fromMode: 'supervisor', synchronous: false });
    expect(entries).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    board.endOfInterrupt(8);
    expect(board.irqmp.acknowledged[8]).toBe(10);
    // 1500 ns is not a whole microsecond: rounded to 2 us.
    expect(board.tickPeriodNs).toBe(1_000_000);
    board.startTickTimer(1_500);
    expect(board.tickPeriodNs).toBe(2_000);
    board.board.runUntil(10_000_001 + 20_000);
    expect(traps).toHaveLength(20);
  });

  it('power-down halts until an interrupt is taken; with PIL 15 it never wakes', () => {
    for (const pil of [0, 15]) {
      const { board, cpu } = kernelBoard();
      cpu.wrpsr(PSR_ET | 0x80 | (pil << 8));
      board.startTickTimer(1_000_000);
      const workload = new ScriptedWorkload(
        () => board.board.now,
        [
          () => {
            cpu.powerDown();
            return 1;
          },
          5,
        ],
      );
      cpu.setWorkload(workload);
      cpu.start();
      board.board.runUntil(3_000_000);
      if (pil === 0) {
        // WRTBR + WRPSR + the three timer register writes: 29 cycles before the first step.
        expect(workload.log).toEqual(['580: step 1', '1000340: step 5']);
        expect(cpu.halted).toBe(false);
      } else {
        expect(workload.log).toEqual(['580: step 1']);
        expect(cpu.halted).toBe(true);
      }
    }
  });

  it('installSupervisor needs supervisor mode', () => {
    const { board } = kernelBoard();
    board.enterUser(board.createUserContext({ name: 'p', physicalBase: 0, size: 4096 }));
    expect(() => board.installSupervisor(() => 'return')).toThrow(/supervisor mode/);
  });
});

describe('Leon3Board as a Platform', () => {
  it('maps a partition at 0x40000000 onto its physical memory, user-accessible, and nothing else', () => {
    const { board, traps, cpu } = kernelBoard();
    const p1 = board.createUserContext({ name: 'p1', physicalBase: 0x40000, size: 0x10000 });
    expect([p1.virtualBase, p1.physicalBase, p1.size]).toEqual([SPARC_USER_VIRTUAL_BASE, 0x40000, 0x10000]);
    board.enterUser(p1);
    expect(board.currentUserContext).toBe(p1);
    expect([cpu.mode, cpu.psr & 0xfff]).toEqual(['user', 0x020]);
    cpu.store(0x4000_0010, 4, 0xcafe_f00d);
    expect(board.board.memory.read32(0x40010)).toBe(0xcafe_f00d);
    cpu.load(0x4001_0000, 4);
    cpu.load(0x0004_0010, 4);
    expect(traps.map((trap) => [trap.number, trap.fault?.reason])).toEqual([
      [0x09, 'unmapped'],
      [0x09, 'privilege'],
    ]);
    board.enterSupervisor();
    expect([board.currentUserContext, cpu.mode]).toEqual([undefined, 'supervisor']);
    expect(cpu.load(0x40010, 4)).toBe(0xcafe_f00d);
    expect(() => board.createUserContext({ name: 'big', physicalBase: 0xf0000, size: 0x20000 })).toThrow(RangeError);
  });

  it('a hypercall: number in %g1, arguments in %o0-%o5, status in %o0 and a second word in %o1, read and written in the trapping window', () => {
    const { board, traps, cpu } = kernelBoard((trap, platform) => {
      if (trap.class !== 'hypercall') return 'abandon';
      const number = platform.readRegister('g1');
      const sum = platform.readRegister('o0') + platform.readRegister('o5');
      platform.writeRegister('o0', number * 100 + sum);
      platform.writeRegister('o1', 0x77);
      return 'return';
    });
    board.enterUser(board.createUserContext({ name: 'p1', physicalBase: 0x40000, size: 0x10000 }));
    cpu.writeRegister('g1', 5);
    cpu.writeRegister('o0', 3);
    cpu.writeRegister('o5', 4);
    const before = cycles(board);
    cpu.softwareTrap(board.hypercallAbi.trapNumber);
    expect(cycles(board) - before).toBe(1 + 11 + 6);
    expect([cpu.readRegister('o0'), cpu.readRegister('o1'), cpu.mode]).toEqual([507, 0x77, 'user']);
    expect(traps).toEqual([{ class: 'hypercall', number: 0xf0, name: 'trap_instruction', instruction: 'ta 0x70', fromMode: 'user', synchronous: true }]);
    // Anything the kernel does not resume is abandoned.
    expect(() => cpu.rdpsr()).toThrow(ExecutionAbandoned);
    expect([cpu.mode, cpu.trapsAreEnabled]).toEqual(['user', true]);
  });

  it("trap-and-emulate of RTEMS's native interrupt operations: ta 9, ta 10, RDPSR and WRPSR of PIL", () => {
    const state = { enabled: true };
    const refused: string[] = [];
    const { board, cpu } = kernelBoard((trap, platform) => {
      if (platform.emulateInterruptFlagOperation(trap, state)) return 'return';
      refused.push(trap.instruction ?? trap.name);
      return 'return';
    });
    board.enterUser(board.createUserContext({ name: 'native', physicalBase: 0x40000, size: 0x10000 }));
    cpu.ticc(9);
    // The PSR at trap entry (S, ET set back, CWP 7 = the trap window) with the emulated PIL 0.
    expect([cpu.readRegister('g1'), state.enabled]).toEqual([0xf300_00a7, false]);
    cpu.ticc(9);
    expect([cpu.readRegister('g1'), state.enabled]).toEqual([0xf300_0fa7, false]);
    cpu.writeRegister('g1', 0x500);
    cpu.ticc(10);
    expect(state.enabled).toBe(true);
    expect(cpu.rdpsr()).toBe(0xf300_0520);
    cpu.wrpsr(0xf00);
    expect(state.enabled).toBe(false);
    expect(cpu.rdpsr() & 0xf00).toBe(0xf00);
    cpu.wrpsr(0x300);
    expect([state.enabled, cpu.rdpsr() & 0xf00]).toEqual([true, 0x300]);
    // The kernel flips the flag itself (a restart): the emulated level follows it.
    state.enabled = false;
    expect(cpu.rdpsr() & 0xf00).toBe(0xf00);
    cpu.rdwim();
    cpu.ticc(11);
    expect(refused).toEqual(['rd %wim', 'ta 0xb']);
    // The real PIL never moved: the partition only ever changed its virtual level.
    expect([cpu.pil, cpu.mode]).toEqual([0, 'user']);
  });

  it('saveUserState flushes every valid window of the partition; switching scrubs the file and coming back refills from its stack', () => {
    const { board, cpu } = kernelBoard();
    const a = board.createUserContext({ name: 'a', physicalBase: 0x40000, size: 0x10000 });
    const b = board.createUserContext({ name: 'b', physicalBase: 0x50000, size: 0x10000 });
    board.enterUser(a);
    for (let depth = 0; depth < 3; depth++) {
      cpu.writeRegister('l0', 0xa0 + depth);
      cpu.save();
    }
    cpu.writeRegister('l0', 0xa3);
    cpu.writeRegister('g2', 0x6a);
    let start = cycles(board);
    board.saveUserState();
    expect(cycles(board) - start).toBe(4 * 36);
    start = cycles(board);
    board.saveUserState();
    expect(cycles(board) - start).toBe(0);
    board.enterUser(b);
    expect([cpu.readRegister('l0'), cpu.readRegister('g2'), cpu.readRegister('i0')]).toEqual([0, 0, 0]);
    cpu.writeRegister('l0', 0xb0);
    start = cycles(board);
    // Not saved by the kernel: entering A saves B first.
    board.enterUser(a);
    expect(cycles(board) - start).toBe(36 + 36);
    expect([cpu.readRegister('l0'), cpu.readRegister('g2')]).toEqual([0xa3, 0x6a]);
    const underflows = cpu.sparcStats.windowUnderflows;
    const frames: number[] = [];
    for (let depth = 2; depth >= 0; depth--) {
      cpu.restore();
      frames.push(cpu.readRegister('l0'));
    }
    expect(frames).toEqual([0xa2, 0xa1, 0xa0]);
    expect(cpu.sparcStats.windowUnderflows - underflows).toBe(3);
    board.enterUser(b);
    expect(cpu.readRegister('l0')).toBe(0xb0);
  });

  it('a partition saved in the trap handler and left by RETT is not saved again when the kernel enters the next one', () => {
    const { board, cpu } = kernelBoard((trap, platform) => {
      platform.saveUserState();
      return 'return';
    });
    const a = board.createUserContext({ name: 'a', physicalBase: 0x40000, size: 0x10000 });
    const b = board.createUserContext({ name: 'b', physicalBase: 0x50000, size: 0x10000 });
    board.enterUser(a);
    cpu.save();
    cpu.writeRegister('i5', 0x55);
    let start = cycles(board);
    cpu.ticc(0x20);
    // The Ticc, entry 11, two windows saved, exit 6.
    expect(cycles(board) - start).toBe(1 + 11 + 2 * 36 + 6);
    start = cycles(board);
    board.enterUser(b);
    expect(cycles(board) - start).toBe(36);
    board.enterUser(a);
    expect(cpu.readRegister('i5')).toBe(0x55);
    cpu.restore();
    expect(cpu.readRegister('o5')).toBe(0x55);
  });

  it('a partition switch inside the tick handler: the kernel saves, enters the other partition and the trap is left once', () => {
    const contexts: ReturnType<Leon3Board['createUserContext']>[] = [];
    const { board, cpu } = kernelBoard((trap, platform) => {
      if (trap.class !== 'interrupt') return 'abandon';
      platform.saveUserState();
      platform.enterUser(contexts[1]!);
      return 'return';
    });
    contexts.push(board.createUserContext({ name: 'a', physicalBase: 0x40000, size: 0x10000 }));
    contexts.push(board.createUserContext({ name: 'b', physicalBase: 0x50000, size: 0x10000 }));
    board.enterUser(contexts[0]!);
    cpu.writeRegister('o3', 0x33);
    board.startTickTimer(100_000);
    const workload = new ScriptedWorkload(() => board.board.now, [10_000]);
    cpu.setWorkload(workload);
    cpu.start();
    board.board.runUntil(100_000);
    expect(board.currentUserContext).toBe(contexts[1]);
    expect([cpu.mode, cpu.trapsAreEnabled, cpu.openTraps, cpu.cwp, cpu.readRegister('o3')]).toEqual(['user', true, 0, 0, 0]);
    // Before: WRTBR 4, A's window loaded 36, three timer writes 21. The tick: entry 11,
    // A's one valid window saved 36, B's window loaded 36, exit 6.
    expect(cpu.stats.overheadCycles).toBe(4 + 36 + 21 + 11 + 36 + 36 + 6);
    board.enterUser(contexts[0]!);
    expect(cpu.readRegister('o3')).toBe(0x33);
  });
});

describe('the partition FPU (Platform.isFpuDisabledTrap / enableUserFpu)', () => {
  const C = SPARC_DEFAULT_COSTS;
  /** A kernel that gives the FPU at fp_disabled, as kernel-core's lazy FPU does. */
  function fpuKernel() {
    return kernelBoard((trap, board) => {
      if (board.isFpuDisabledTrap(trap)) board.enableUserFpu();
      return 'return';
    });
  }

  it("a partition's first FP instruction traps once: WRPSR (EF) and its zeroed FP context are charged with the trap, and the instruction runs again", () => {
    const { board, cpu, traps } = fpuKernel();
    const a = board.createUserContext({ name: 'a', physicalBase: 0x40000, size: 0x10000 });
    const b = board.createUserContext({ name: 'b', physicalBase: 0x50000, size: 0x10000 });
    board.enterUser(b);
    cpu.setFpuEnabled(true);
    cpu.writeFpRegister(0, 0xdead_beef); // what b leaves in the FPU, unsaved
    board.enterUser(a);
    expect(cpu.fpuIsEnabled).toBe(false);
    const start = cycles(board);
    cpu.writeFpRegister(1, 0x1111);
    expect(traps.map((trap) => [trap.number, trap.name, trap.class, trap.instruction])).toEqual([[0x04, 'fp_disabled', 'illegal', 'ld %f1']]);
    expect(cycles(board) - start).toBe(C.trapEntry + C.privilegedInstruction + C.fpContextRestore + C.trapExit);
    expect([cpu.readFpRegister(1), cpu.readFpRegister(0), cpu.mode, cpu.fpuIsEnabled]).toEqual([0x1111, 0, 'user', true]);
    expect([board.userFpuEnabled(a), board.userFpuEnabled(b)]).toEqual([true, false]);
    cpu.writeFpRegister(2, 0x2222);
    expect(traps).toHaveLength(1);
    // Outside a trap, or with no partition resident, there is nothing to enable.
    board.enterSupervisor();
    expect(board.enableUserFpu()).toBe(false);
  });

  it('saves its f-registers and FSR at switch-out and restores them at switch-in (charged); a partition without the FPU runs with EF = 0 and pays nothing', () => {
    const { board, cpu } = fpuKernel();
    const a = board.createUserContext({ name: 'a', physicalBase: 0x40000, size: 0x10000 });
    const b = board.createUserContext({ name: 'b', physicalBase: 0x50000, size: 0x10000 });
    const c = board.createUserContext({ name: 'c', physicalBase: 0x60000, size: 0x10000 });
    board.enterUser(a);
    cpu.writeFpRegister(5, 0xa5);
    cpu.ldfsr(0xa00);
    board.enterUser(b);
    cpu.writeFpRegister(5, 0xb5);
    // Switch out b (FP): 16 STDF + STFSR on top of its window flush.
    let start = cycles(board);
    board.saveUserState();
    const flush = C.windowSpill;
    expect(cycles(board) - start).toBe(C.fpContextSave + flush);
    // Switch to c (no FPU): the usual restore, EF clear.
    start = cycles(board);
    board.enterUser(c);
    expect(cycles(board) - start).toBe(C.windowSpill);
    expect(cpu.fpuIsEnabled).toBe(false);
    board.saveUserState();
    // Back to a: WRPSR + 16 LDDF + LDFSR on top of the usual restore; a's own values.
    start = cycles(board);
    board.enterUser(a);
    expect(cycles(board) - start).toBe(C.windowSpill + C.privilegedInstruction + C.fpContextRestore);
    expect([cpu.fpuIsEnabled, cpu.readFpRegister(5), cpu.stfsr()]).toEqual([true, 0xa5, 0xa00]);
    board.saveUserState();
    board.enterUser(b);
    expect(cpu.readFpRegister(5)).toBe(0xb5);
    // A stopped or restarted partition loses its FPU: its next FP instruction traps again.
    board.enterUser(c);
    board.discardUserState(b);
    expect(board.userFpuEnabled(b)).toBe(false);
  });
});

describe('the partition switch is canonical (temporal isolation whatever the neighbour did)', () => {
  /** Partition A `depth` SAVEs deep with marked registers, as a guest in mid-call-chain leaves it. */
  function deep(board: Leon3Board, name: string, physicalBase: number, depth: number) {
    const cpu = board.processor;
    const context = board.createUserContext({ name, physicalBase, size: 0x10000 });
    board.enterUser(context);
    for (let level = 0; level < depth; level++) {
      cpu.writeRegister('l0', 0xa0 + level);
      cpu.save();
    }
    cpu.writeRegister('g3', 0x33);
    return context;
  }

  it('entering a partition restores it in full at one fixed cost, whatever the register file held before', () => {
    const costs: Record<string, number> = {};
    const states: Record<string, unknown> = {};
    for (const before of ['a saved neighbour', 'a stopped neighbour', 'itself, saved', 'nothing']) {
      const { board, cpu } = kernelBoard();
      const b = board.createUserContext({ name: 'b', physicalBase: 0x60000, size: 0x10000 });
      if (before === 'itself, saved') {
        board.enterUser(b);
        board.saveUserState();
      } else if (before !== 'nothing') {
        const a = deep(board, 'a', 0x40000, 5);
        // A stopped partition is not saved at the switch: its live windows are discarded, unpaid by anyone.
        if (before === 'a saved neighbour') board.saveUserState();
        else board.discardUserState(a);
      }
      const start = cycles(board);
      board.enterUser(b);
      costs[before] = cycles(board) - start;
      states[before] = { cwp: cpu.cwp, wim: cpu.wim, l0: cpu.readRegister('l0'), g3: cpu.readRegister('g3'), stack: cpu.windowStack.depth };
    }
    expect(costs).toEqual({ 'a saved neighbour': 36, 'a stopped neighbour': 36, 'itself, saved': 36, nothing: 36 });
    const fresh = { cwp: 0, wim: 1 << 1, l0: 0, g3: 0, stack: 0 };
    expect(states).toEqual({ 'a saved neighbour': fresh, 'a stopped neighbour': fresh, 'itself, saved': fresh, nothing: fresh });
  });

  it('a partition comes back at its own CWP with only its current window valid, whatever CWP and WIM the one before left', () => {
    const { board, cpu } = kernelBoard();
    const a = deep(board, 'a', 0x40000, 3);
    expect(cpu.cwp).toBe(5);
    board.saveUserState();
    const b = deep(board, 'b', 0x50000, 6);
    expect(cpu.cwp).toBe(2);
    board.saveUserState();
    board.enterUser(a);
    expect([cpu.cwp, cpu.wim, cpu.readRegister('g3'), cpu.windowStack.depth]).toEqual([5, 1 << 6, 0x33, 3]);
    const filled: number[] = [];
    for (let level = 0; level < 3; level++) {
      cpu.restore();
      filled.push(cpu.readRegister('l0'));
    }
    expect(filled).toEqual([0xa2, 0xa1, 0xa0]);
    board.saveUserState();
    board.enterUser(b);
    expect([cpu.cwp, cpu.wim]).toEqual([2, 1 << 3]);
  });

  it('inside the tick handler the windows are renumbered: the trap returns to the entering partition at its CWP', () => {
    const contexts: ReturnType<Leon3Board['createUserContext']>[] = [];
    const { board, cpu } = kernelBoard((trap, platform) => {
      if (trap.class !== 'interrupt') return 'abandon';
      platform.saveUserState();
      platform.enterUser(contexts[1]!);
      return 'return';
    });
    contexts.push(board.createUserContext({ name: 'a', physicalBase: 0x40000, size: 0x10000 }));
    contexts.push(deep(board, 'b', 0x50000, 2));
    board.saveUserState();
    board.enterUser(contexts[0]!);
    cpu.save();
    expect(cpu.cwp).toBe(7);
    board.startTickTimer(100_000);
    cpu.setWorkload(new ScriptedWorkload(() => board.board.now, [10_000]));
    cpu.start();
    board.board.runUntil(100_000);
    expect([board.currentUserContext?.name, cpu.mode, cpu.openTraps, cpu.cwp, cpu.wim, cpu.readRegister('g3')]).toEqual(['b', 'user', 0, 6, 1 << 7, 0x33]);
  });

  it('a discarded (stopped or restarted) partition starts again from the initial state: no windows, an empty stack, zeroed registers', () => {
    const { board, cpu } = kernelBoard();
    const a = deep(board, 'a', 0x40000, 7);
    expect(cpu.sparcStats.windowOverflows).toBe(1);
    board.discardUserState(a);
    const start = cycles(board);
    board.enterUser(a);
    expect(cycles(board) - start).toBe(36);
    expect([cpu.cwp, cpu.wim, cpu.readRegister('l0'), cpu.readRegister('g3'), cpu.windowStack.depth]).toEqual([0, 1 << 1, 0, 0, 0]);
    // Nothing of the old incarnation is saved at the next switch, or filled back later.
    cpu.restore();
    expect(cpu.readRegister('l0')).toBe(0);
    expect(() => board.discardUserState({ ...a, name: 'unknown' })).toThrow(RangeError);
  });
});

describe('RTEMS native interrupt traps on bare metal', () => {
  it('ta 9 returns the PSR in %g1 and raises PIL to 15; ta 10 restores it; ta 0 halts in error mode', () => {
    const board = new Leon3Board({ memorySize: 1 << 20 });
    const cpu = board.processor;
    const table = new TrapTable('rtems');
    installRtemsSoftwareTraps(table, cpu);
    cpu.mapTrapTable(0x1000, table);
    cpu.wrtbr(0x1000);
    cpu.wrpsr(PSR_ET | 0x80 | (3 << 8));
    cpu.ticc(9);
    const level = cpu.readRegister('g1');
    expect([level, cpu.pil, cpu.psr]).toEqual([0xf300_03e7, 15, 0xf300_0fe0]);
    cpu.ticc(10);
    expect(cpu.pil).toBe(3);
    cpu.writeRegister('g1', 0);
    cpu.ticc(10);
    expect(cpu.pil).toBe(0);
    expect(() => cpu.ticc(0)).toThrow(ExecutionAbandoned);
    expect(cpu.stopReason).toBe('error mode: trap tt=0x80 with ET=0');
  });
});

describe('determinism', () => {
  it('the same seed gives the same trace, statistics and console', () => {
    const run = (): string => {
      const sink = new BufferTraceSink();
      const board = new Leon3Board({ memorySize: 1 << 20, seed: 42, trace: new TraceRecorder(sink) });
      const cpu = board.processor;
      const user = board.createUserContext({ name: 'p', physicalBase: 0x40000, size: 0x10000 });
      board.installSupervisor((trap) => {
        if (trap.class === 'hypercall') board.writeRegister('o0', board.readRegister('g1') + 1);
        board.enterUser(user);
        return 'return';
      });
      board.startTickTimer(250_000);
      board.setLineMasked(5, false);
      new PeriodicIrqSource(board.board.queue, board.deviceLine(5), { period: 70_000, jitter: 9_000, prng: board.board.prng.fork('line5') }).start();
      let calls = 0;
      const workload = new ScriptedWorkload(
        () => board.board.now,
        Array.from({ length: 200 }, () => () => {
          board.enterUser(user);
          cpu.writeRegister('g1', calls++);
          cpu.softwareTrap(board.hypercallAbi.trapNumber);
          for (let i = 0; i < calls % 9; i++) cpu.save();
          for (let i = 0; i < calls % 9; i++) cpu.restore();
          return 1_000 + cpu.readRegister('o0') * 10;
        }),
      );
      cpu.setWorkload(workload);
      cpu.start();
      board.board.runUntil(20_000_000);
      return JSON.stringify([sink.records, cpu.stats, cpu.sparcStats, workload.log, board.irqmp.getState()]);
    };
    const first = run();
    expect(first.length).toBeGreaterThan(10_000);
    expect(run()).toBe(first);
  });
});

describe('GPTIMER ranges of the kernel tick', () => {
  it('the boot prescaler gives 1 MHz timer ticks for whole-MHz clocks; a 16-bit prescaler fits every clock the config allows', () => {
    expect([1_000_000, 50_000_000, 1_500_000, 10_000_000_000].map(leon3BootPrescalerReload)).toEqual([0, 49, 1, 9_999]);
    expect(leon3BootPrescalerReload(10_000_000_000)).toBeLessThanOrEqual(0xffff);
    expect(new Leon3Board({ memorySize: 0x1000, frequencyHz: 1_500_000 }).gptimer.tickFrequencyHz).toBe(750_000);
  });

  it('short ticks round up to one timer tick (1 us); the longest is 2^32 ticks, the 32-bit reload register', () => {
    expect([leon3TickTicks(1), leon3TickTicks(1_500), leon3TickTicks(1_000_000)]).toEqual([1, 2, 1_000]);
    expect(GPTIMER_MAX_PERIOD_TICKS).toBe(2 ** 32);
    expect(leon3TickProblem(1)).toBeUndefined();
    expect(leon3TickProblem(4_294_967_296_000)).toBeUndefined();
    expect(leon3TickProblem(5_000_000_000_000)).toBe('5000s is longer than the LEON3 GPTIMER can tick: its 32-bit reload register counts at most 2^32 timer ticks of 1us, so the tick must be at most 4294967296us');
    // A slower timer tick stretches the range: 750 kHz ticks at a 1.5 MHz clock.
    expect(leon3TickProblem(5_000_000_000_000, 1_500_000)).toBeUndefined();
    const board = new Leon3Board({ memorySize: 0x1000 });
    expect(() => board.startTickTimer(5_000_000_000_000)).toThrow('tick period: 5000s is longer than the LEON3 GPTIMER can tick');
    board.startTickTimer(4_294_967_296_000);
    expect(board.gptimer.read(0x14)).toBe(0xffff_ffff);
  });

  it('routable lines: every IRQMP line but the tick timer`s (8)', () => {
    expect(LEON3_ROUTABLE_LINES).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]);
    expect(new Leon3Board({ memorySize: 0x1000 }).routableLines).toEqual(LEON3_ROUTABLE_LINES);
    expect(() => new Leon3Board({ memorySize: LEON3_MAX_MEMORY + 1 })).toThrow(RangeError);
  });
});

/**
 * A kernel board whose tick handler moves %g1 (by 0x7000_0000: it wraps) and the trap
 * window's %l3 (by -1) and asks for work: a `ta 3`, %y decremented, a SAVE and a RESTORE
 * and a 400-cycle step, then the workload waits. `onWait(waits, board)` runs each time the
 * processor starts waiting: wait 1 comes before the first tick, tick n's episode ends at wait n + 1.
 */
function tickEpisodes(onWait: (waits: number, board: Leon3Board) => void = () => {}) {
  let due = false;
  const { board, cpu } = kernelBoard((trap) => {
    if (trap.class === 'interrupt') {
      cpu.writeRegister('g1', cpu.readRegister('g1') + 0x7000_0000);
      cpu.writeRegister('l3', cpu.readRegister('l3') - 1);
      due = true;
    }
    return 'return';
  });
  board.startTickTimer(1_000_000);
  cpu.setWorkload({
    next: () => {
      if (!due) return WAIT_FOR_INTERRUPT;
      due = false;
      cpu.ticc(3);
      cpu.wry(cpu.rdy() - 1);
      cpu.save();
      cpu.restore();
      return 400;
    },
    preempted: () => {},
  });
  let waits = 0;
  cpu.onWait = () => onWait(++waits, board);
  cpu.start();
  return { board, cpu };
}

/** Everything of a LEON3 a tick episode moves, to compare a simulated run with a fast-forwarded one. */
function episodeView(board: Leon3Board) {
  const cpu = board.processor;
  const tts = [0x18, 0x83];
  return {
    state: cpu.getState(),
    stats: cpu.stats,
    sparcStats: cpu.sparcStats,
    trapCounts: tts.map((tt) => cpu.trapCount(tt)),
    mutations: cpu.registerMutations,
    episodeState: cpu.episodeState(),
    tickLine: [board.irqmp.raised[8], board.irqmp.acknowledged[8], board.interruptLatchedAt(8)],
  };
}

describe('Leon3Board fast-forward of tick episodes', () => {
  // The kernel's fast-forward on SPARC: the delta of two consecutive episodes credited N
  // times (creditWakes) with skipTicks(N) must leave the processor - PC, nPC, trap counts,
  // every register word (wrapping modulo 2^32), counters - and the tick line as simulating does.
  it('crediting N tick episodes with their state delta and skipping N ticks equals simulating them', () => {
    const simulated = tickEpisodes();
    let before: number[] = [];
    const results: boolean[] = [];
    const forwarded = tickEpisodes((waits, board) => {
      const cpu = board.processor;
      if (waits === 3) before = cpu.episodeState();
      if (waits !== 4) return;
      const delta = cpu.episodeState().map((value, index) => value - before[index]!);
      results.push(cpu.creditWakes(20, (k) => board.tickAt(k)!, (grid) => board.tickGridGaps(20, grid), delta));
      board.skipTicks(20); // ticks 4..23
    });
    // Right after the credited ticks (nothing simulated since), then after 7 more simulated ones.
    for (const end of [23_500_000, 30_500_000]) {
      simulated.board.board.runUntil(end);
      forwarded.board.board.runUntil(end);
      const view = episodeView(simulated.board);
      expect(view.trapCounts).toEqual([end / 1_000_000 - 0.5, end / 1_000_000 - 0.5]);
      expect(episodeView(forwarded.board)).toEqual(view);
    }
    expect(results).toEqual([true]);
    expect(simulated.cpu.getState().y).toBe(2 ** 32 - 30); // %y went below 0: the delta is -1 per episode
  });

  // The kernel compares the counters part at every wait and reads the rest only when they repeat:
  // episodeState(false) is the first part of episodeState(true) (the default), and writeEpisodeState writes the same numbers.
  it('episodeState(false) is the counters prefix of episodeState(true): the processor\'s five, the trap and window counters, mutations, PC and nPC', () => {
    const { board, cpu } = tickEpisodes();
    board.board.runUntil(3_500_000);
    const full = cpu.episodeState(true);
    const counters = cpu.episodeState(false);
    expect(counters).toHaveLength(5 + 8);
    expect(full.slice(0, counters.length)).toEqual(counters);
    expect(full.length).toBeGreaterThan(counters.length + 256); // every trap type's count, then the register words
    expect(cpu.episodeState()).toEqual(full);
    const into = new Float64Array(2 + full.length).fill(-1);
    expect(cpu.writeEpisodeState(into, 2, false)).toBe(2 + counters.length);
    expect(Array.from(into)).toEqual([-1, -1, ...counters, ...full.slice(counters.length).map(() => -1)]);
    expect(cpu.writeEpisodeState(into, 2)).toBe(2 + full.length);
    expect(Array.from(into)).toEqual([-1, -1, ...full]);
    expect(counters.slice(11)).toEqual([cpu.getState().pc, cpu.getState().npc]);
  });

  // archEpisodesRepeatable: an episode that spilled (or filled) windows moved the window
  // stack, which no count x delta reproduces: creditWakes returns false and changes nothing.
  it('refuses to repeat an episode that moved windows: a real spill, and each of the four window counters', () => {
    const results: Array<[string, boolean]> = [];
    let before: number[] = [];
    const { board } = tickEpisodes((waits, board) => {
      const cpu = board.processor;
      if (waits === 3) cpu.setWindowInvalidMask(1 << 7); // episode 3's SAVE overflows (once: WIM moves on)
      if (waits < 3) return;
      const after = cpu.episodeState();
      const delta = after.map((value, index) => value - before[index]!);
      before = after;
      const attempt = (name: string, edited: number[]) => {
        const unchanged = episodeView(board);
        const credited = cpu.creditWakes(5, (k) => board.tickAt(k)!, undefined, edited);
        results.push([name, credited]);
        if (!credited) expect(episodeView(board)).toEqual(unchanged);
        else board.skipTicks(5);
      };
      if (waits === 4) attempt('episode 3: spilled a window', delta);
      if (waits !== 5) return;
      // Episode 4 spilled nothing. From index 5: traps, overflows, underflows, spilled, filled.
      ['overflows', 'underflows', 'spilled', 'filled'].forEach((name, offset) => {
        attempt(name, delta.map((value, index) => (index === 6 + offset ? 1 : value)));
      });
      attempt('episode 4 as it was', delta);
    });
    board.board.runUntil(5_500_000);
    expect(results).toEqual([
      ['episode 3: spilled a window', false],
      ['overflows', false],
      ['underflows', false],
      ['spilled', false],
      ['filled', false],
      ['episode 4 as it was', true],
    ]);
    expect(board.processor.sparcStats).toMatchObject({ windowOverflows: 1, windowsSpilled: 1 });
  });

  // skipTicks records the last skipped tick as the tick line's latch time (what a native
  // BSP's interruptLatchedAt reads), tickAt(count) as it was before skipping.
  it('skipTicks(count) latches the tick line at tickAt(count)', () => {
    const { board } = tickEpisodes();
    board.board.runUntil(2_500_000);
    const simulated = board.interruptLatchedAt(8)!; // the second tick's
    const last = board.tickAt(7)!;
    board.skipTicks(7);
    expect([board.interruptLatchedAt(8), last - simulated]).toEqual([last, 7 * 1_000_000]);
    board.board.runUntil(last + 1_000_000);
    expect(board.interruptLatchedAt(8)).toBe(last + 1_000_000); // the next tick, simulated again
  });
});

/** A kernel board whose line 5 is raised every 100 us from 100 us by a periodic device; the workload only waits. */
function deviceRaises() {
  const { board, cpu, traps } = kernelBoard();
  board.setLineMasked(5, false);
  cpu.setWorkload({ next: () => WAIT_FOR_INTERRUPT, preempted: () => {} });
  const source = new PeriodicIrqSource(board.board.queue, board.deviceLine(5), { period: 100_000 });
  source.start();
  cpu.start();
  return { board, source, traps };
}

describe('Leon3Board fast-forward of device interrupts', () => {
  // skipDeviceRaises(line, n, lastAt) must leave the IRQMP (pending, mask, every counter) as
  // taking the n raises for real does, and the line latched at lastAt.
  it('skipDeviceRaises counts the requests as raised and acknowledged and latches the line at lastAt, as taking them does', () => {
    const taken = deviceRaises();
    const skipped = deviceRaises();
    for (const { board } of [taken, skipped]) board.board.runUntil(250_000); // raises 1 and 2
    const lastAt = skipped.source.raiseAt(5)!; // raises 3..7
    skipped.source.skipRaises(5);
    skipped.board.skipDeviceRaises(skipped.source.lineNumber, 5, lastAt);
    expect(skipped.board.interruptLatchedAt(5)).toBe(700_000);
    // Right after the skipped raises (taken for real on the other board), then after 3 more of both.
    for (const end of [750_000, 1_050_000]) {
      for (const { board } of [taken, skipped]) board.board.runUntil(end);
      expect(skipped.board.irqmp.getState()).toEqual(taken.board.irqmp.getState());
      expect(skipped.board.interruptLatchedAt(5)).toBe(taken.board.interruptLatchedAt(5));
    }
    expect([taken.board.irqmp.acknowledged[5], taken.traps.length, skipped.traps.length]).toEqual([10, 10, 5]);
  });
});
