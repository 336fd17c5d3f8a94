import {
  BufferTraceSink,
  CheckedMemory,
  EventQueue,
  ExecutionAbandoned,
  PhysicalMemory,
  Prng,
  ProtectionContext,
  TraceRecorder,
  type InterruptRequester,
  type TrapInfo,
  type TrapOutcome,
} from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { SPARC_DEFAULT_COSTS } from './costs.js';
import { PSR_EF, PSR_ET, PSR_PS, PSR_S } from './psr.js';
import { SparcProcessor } from './sparcProcessor.js';
import { TrapTable } from './trapTable.js';
import { WindowStack } from './windowStack.js';

/** An interrupt controller whose request level the test sets. */
class FixedRequester implements InterruptRequester {
  level = 0;
  acknowledged: number[] = [];
  private listener: () => void = () => {};
  requestLevel(): number {
    return this.level;
  }
  acknowledge(): number {
    const level = this.level;
    this.acknowledged.push(level);
    this.level = 0;
    return level;
  }
  connect(listener: () => void): void {
    this.listener = listener;
  }
  set(level: number): void {
    this.level = level;
    this.listener();
  }
}

/** Exposes the interrupt acceptance test of the real processor. */
class ProbedProcessor extends SparcProcessor {
  accepts(): boolean {
    return this.acceptsInterrupt();
  }
  deliver(): void {
    this.deliverInterrupt();
  }
}

const TABLE_BASE = 0x2000;

function setup(options: { trace?: TraceRecorder; verdict?: (trap: TrapInfo) => TrapOutcome } = {}) {
  const queue = new EventQueue();
  const requester = new FixedRequester();
  const memory = new PhysicalMemory(0x10000, 'big');
  const cpu = new ProbedProcessor(queue, requester, new CheckedMemory(memory), options.trace ? { trace: options.trace } : {});
  const traps: TrapInfo[] = [];
  const seen: Array<{ tt: number; psr: number; l1: number; l2: number; tbr: number }> = [];
  const table = new TrapTable('test');
  table.setRange(1, 255, (trap) => {
    traps.push(trap);
    seen.push({ tt: trap.number, psr: cpu.psr, l1: cpu.readRegister('l1'), l2: cpu.readRegister('l2'), tbr: cpu.tbr });
    return options.verdict ? options.verdict(trap) : 'return';
  });
  cpu.mapTrapTable(TABLE_BASE, table);
  cpu.wrtbr(TABLE_BASE);
  return { queue, requester, memory, cpu, traps, seen, table };
}

/** PSR value for WRPSR. */
function psr(fields: { s?: boolean; ps?: boolean; et?: boolean; pil?: number; cwp?: number; icc?: number }): number {
  return (
    ((fields.icc ?? 0) << 20) |
    ((fields.pil ?? 0) << 8) |
    (fields.s === false ? 0 : PSR_S) |
    (fields.ps ? PSR_PS : 0) |
    (fields.et ? PSR_ET : 0) |
    (fields.cwp ?? 0)
  );
}

describe('SparcProcessor state', () => {
  it('comes out of reset with S = 1, ET = 0, CWP 0 and the LEON3 impl/ver (0xF, 3)', () => {
    const queue = new EventQueue();
    const cpu = new SparcProcessor(queue, new FixedRequester(), new CheckedMemory(new PhysicalMemory(4096, 'big')));
    expect(cpu.psr).toBe(0xf300_0080);
    expect(cpu.mode).toBe('supervisor');
    expect([cpu.pc, cpu.npc, cpu.wim, cpu.tbr]).toEqual([0, 4, 0, 0]);
    expect(cpu.clock.frequencyHz).toBe(50_000_000);
  });

  it('WRPSR sets icc, PIL, S, PS, ET and CWP; impl and ver stay read-only', () => {
    const { cpu } = setup();
    cpu.wrpsr(0x0000_0000 | psr({ icc: 0xa, pil: 7, s: true, ps: true, et: true, cwp: 5 }) | 0x1200_0000);
    expect(cpu.psr).toBe(0xf3a0_07e5);
    expect(cpu.rdpsr()).toBe(0xf3a0_07e5);
  });

  it('WRPSR naming a window that does not exist (CWP >= 8) is illegal_instruction and changes nothing', () => {
    const { cpu, traps } = setup();
    cpu.wrpsr(psr({ et: true, cwp: 2 }));
    cpu.wrpsr(psr({ et: true, pil: 9, cwp: 8 }));
    expect(traps.map((trap) => [trap.number, trap.name, trap.class, trap.instruction])).toEqual([[0x02, 'illegal_instruction', 'illegal', 'wr %psr']]);
    // The trap copied S into PS and RETT leaves PS as it is.
    expect(cpu.psr).toBe(0xf300_00e2);
  });

  it('WRWIM keeps only the 8 implemented window bits; WRTBR writes TBA only and keeps tt', () => {
    const { cpu } = setup();
    cpu.wrwim(0xffff_ff42);
    expect(cpu.rdwim()).toBe(0x42);
    cpu.wrwim(0);
    cpu.wrpsr(psr({ et: true }));
    cpu.ticc(5);
    expect(cpu.rdtbr()).toBe(TABLE_BASE | (0x85 << 4));
    cpu.wrtbr(0x1234_5fff);
    expect(cpu.rdtbr()).toBe(0x1234_5000 | (0x85 << 4));
  });
});

describe('FPU: PSR.EF and fp_disabled (tt 0x04)', () => {
  it('EF reads 0 after reset; only WRPSR in supervisor mode writes it, and RDPSR reads it back', () => {
    const { cpu, traps } = setup();
    expect(cpu.psr & PSR_EF).toBe(0);
    cpu.wrpsr(psr({ et: true }) | PSR_EF);
    expect([cpu.fpuIsEnabled, cpu.rdpsr() & PSR_EF]).toEqual([true, PSR_EF]);
    cpu.wrpsr(psr({ et: true }));
    expect(cpu.fpuIsEnabled).toBe(false);
    // In user mode WRPSR is privileged_instruction: EF stays as it was.
    cpu.wrpsr(psr({ s: false, et: true }));
    cpu.wrpsr(psr({ s: false, et: true }) | PSR_EF);
    expect(traps.map((trap) => [trap.number, trap.instruction])).toEqual([[0x03, 'wr %psr']]);
    expect(cpu.fpuIsEnabled).toBe(false);
  });

  it('an FP instruction with EF = 0 raises fp_disabled (synchronous, class illegal); with EF = 1 it runs without a trap or a charge', () => {
    const { cpu, traps } = setup();
    cpu.wrpsr(psr({ s: false, et: true }));
    const before = cpu.chargedCycles;
    expect(cpu.fpop('faddd')).toBe(false);
    expect(traps.map((trap) => [trap.number, trap.name, trap.class, trap.synchronous, trap.fromMode, trap.instruction])).toEqual([[0x04, 'fp_disabled', 'illegal', true, 'user', 'faddd']]);
    // The trap's entry and exit, nothing for the instruction (its cycles are the FP work's).
    expect(cpu.chargedCycles - before).toBe(SPARC_DEFAULT_COSTS.trapEntry + SPARC_DEFAULT_COSTS.trapExit);
    expect(cpu.trapCount(0x04)).toBe(1);
    // The handler resumed without setting EF: the instruction was skipped, nothing written.
    cpu.writeFpRegister(2, 0x4049_0fdb);
    expect(cpu.trapCount(0x04)).toBe(2);
  });

  it('a handler that sets EF (WRPSR in the trap window) makes the FP instruction run again, now on the FPU', () => {
    const { cpu, traps, seen } = setup({
      verdict: (trap) => {
        if (trap.number === 0x04) cpu.wrpsr(cpu.psr | PSR_EF);
        return 'return';
      },
    });
    cpu.wrpsr(psr({ s: false, et: true }));
    const pc = cpu.pc;
    cpu.writeFpRegister(3, 0x3ff0_0000);
    expect(traps.map((trap) => trap.number)).toEqual([0x04]);
    // Retried: %l1 held the FP instruction's PC; after it ran, PC moved one instruction on.
    expect(seen[0]!.l1).toBe(pc);
    expect([cpu.pc, cpu.npc]).toEqual([pc + 4, pc + 8]);
    expect([cpu.mode, cpu.fpuIsEnabled, cpu.trapsAreEnabled]).toEqual(['user', true, true]);
    expect(cpu.readFpRegister(3)).toBe(0x3ff0_0000);
    cpu.ldfsr(0x0000_0c00);
    expect(cpu.stfsr()).toBe(0x0000_0c00);
    expect(traps).toHaveLength(1);
  });

  it('a kernel saves and loads f0-f31 + FSR (model operations, no trap); undefined loads zeros', () => {
    const { cpu } = setup();
    cpu.setFpuEnabled(true);
    for (let n = 0; n < 32; n++) cpu.writeFpRegister(n, 0x1000 + n);
    cpu.ldfsr(7);
    const saved = cpu.captureFpRegisters();
    cpu.loadFpRegisters(undefined);
    expect([cpu.readFpRegister(5), cpu.stfsr()]).toEqual([0, 0]);
    cpu.loadFpRegisters(saved);
    expect([cpu.readFpRegister(5), cpu.readFpRegister(31), cpu.stfsr()]).toEqual([0x1005, 0x101f, 7]);
    expect(() => cpu.readFpRegister(32)).toThrow(RangeError);
  });
});

describe('interrupt acceptance (V8: ET = 1 and level > PIL, or level 15)', () => {
  it('matches the architecture over every PIL x ET x level', () => {
    const { cpu, requester } = setup();
    let accepted = 0;
    const mismatches: string[] = [];
    for (const et of [false, true]) {
      for (let pil = 0; pil <= 15; pil++) {
        cpu.wrpsr(psr({ et, pil }));
        for (let level = 1; level <= 15; level++) {
          requester.level = level;
          const expected = et && (level > pil || level === 15);
          if (cpu.accepts() !== expected) mismatches.push(`et=${et} pil=${pil} level=${level}`);
          if (cpu.accepts()) accepted++;
        }
      }
    }
    expect(mismatches).toEqual([]);
    // ET = 1: 15 + 14 + ... + 1 levels above PIL 0..14, plus level 15 at PIL 15.
    expect(accepted).toBe(121);
    requester.level = 0;
    cpu.wrpsr(psr({ et: true }));
    expect(cpu.accepts()).toBe(false);
  });

  it('takes interrupt_level_n at tt 0x10 + n, acknowledging the controller, and resumes the interrupted instruction', () => {
    const { cpu, requester, traps, seen } = setup();
    cpu.wrpsr(psr({ et: true, pil: 3, cwp: 4 }));
    cpu.rdy();
    requester.level = 10;
    const before = { pc: cpu.pc, npc: cpu.npc };
    cpu.deliver();
    expect(requester.acknowledged).toEqual([10]);
    expect(traps[0]).toEqual({ class: 'interrupt', number: 0x1a, name: 'interrupt_level_10', line: 10, fromMode: 'supervisor', synchronous: false });
    expect(seen[0]).toEqual({ tt: 0x1a, psr: 0xf300_03c3, l1: before.pc, l2: before.npc, tbr: TABLE_BASE | 0x1a0 });
    expect([cpu.pc, cpu.npc]).toEqual([before.pc, before.npc]);
    expect(cpu.psr).toBe(0xf300_03e4);
  });
});

describe('privileged instructions', () => {
  const cases: Array<[string, (cpu: SparcProcessor) => unknown]> = [
    ['rd %psr', (cpu) => cpu.rdpsr()],
    ['wr %psr', (cpu) => cpu.wrpsr(psr({ et: true, pil: 15 }))],
    ['rd %wim', (cpu) => cpu.rdwim()],
    ['wr %wim', (cpu) => cpu.wrwim(0x80)],
    ['rd %tbr', (cpu) => cpu.rdtbr()],
    ['wr %tbr', (cpu) => cpu.wrtbr(0x4000)],
    ['rett', (cpu) => cpu.rett()],
    ['wr %asr19', (cpu) => cpu.powerDown()],
  ];

  it('raise privileged_instruction (tt 0x03) in user mode, leaving the state as it was', () => {
    for (const [instruction, execute] of cases) {
      const { cpu, traps } = setup();
      cpu.wrwim(0x01);
      cpu.wrpsr(psr({ s: false, et: true, pil: 2, cwp: 3 }));
      const before = cpu.psr;
      execute(cpu);
      expect(traps, instruction).toEqual([{ class: 'privileged', number: 0x03, name: 'privileged_instruction', instruction, fromMode: 'user', synchronous: true }]);
      expect(cpu.psr, instruction).toBe(before);
      expect([cpu.wim, cpu.tbr & ~0xff0, cpu.halted], instruction).toEqual([0x01, TABLE_BASE, false]);
    }
  });

  it('execute in supervisor mode', () => {
    const { cpu, traps } = setup();
    cpu.wrwim(0x02);
    cpu.wrpsr(psr({ et: true, cwp: 1 }));
    expect(cpu.rdpsr()).toBe(0xf300_00a1);
    expect(cpu.rdwim()).toBe(0x02);
    cpu.wrwim(0x80);
    expect(cpu.rdwim()).toBe(0x80);
    expect(cpu.rdtbr()).toBe(TABLE_BASE);
    cpu.wrtbr(0x8000);
    expect(cpu.rdtbr()).toBe(0x8000);
    cpu.wrtbr(TABLE_BASE);
    cpu.powerDown();
    expect(cpu.halted).toBe(true);
    // RETT with traps enabled in supervisor mode is illegal (V8 B, "Return from Trap").
    cpu.rett();
    expect(traps.map((trap) => [trap.number, trap.instruction])).toEqual([[0x02, 'rett']]);
    // With ET = 0 it returns: CWP + 1, S = PS, ET = 1.
    cpu.wrwim(0x02);
    cpu.wrpsr(psr({ ps: false, et: false, cwp: 6 }));
    cpu.rett();
    expect(cpu.psr).toBe(0xf300_0027);
    expect(cpu.mode).toBe('user');
  });

  it('RETT with ET = 0 enters error mode from user mode and when it returns into an invalid window', () => {
    const user = setup();
    user.cpu.wrpsr(psr({ s: false, et: false }));
    expect(() => user.cpu.rett()).toThrow(ExecutionAbandoned);
    expect(user.cpu.stopReason).toBe('error mode: trap tt=0x03 with ET=0');
    const invalid = setup();
    invalid.cpu.wrwim(1 << 4);
    invalid.cpu.wrpsr(psr({ et: false, cwp: 3 }));
    expect(() => invalid.cpu.rett()).toThrow(ExecutionAbandoned);
    expect(invalid.cpu.stopReason).toBe('error mode: trap tt=0x06 with ET=0');
  });

  it('charge privilegedInstruction each, plus trapEntry/trapExit when they trap', () => {
    const supervisor = setup();
    const base = supervisor.cpu.chargedCycles;
    supervisor.cpu.rdpsr();
    supervisor.cpu.rdwim();
    expect(supervisor.cpu.chargedCycles - base).toBe(2 * SPARC_DEFAULT_COSTS.privilegedInstruction);
    const user = setup();
    user.cpu.wrpsr(psr({ s: false, et: true }));
    const start = user.cpu.chargedCycles;
    user.cpu.rdpsr();
    expect(user.cpu.chargedCycles - start).toBe(4 + 11 + 6);
  });
});

describe('register windows', () => {
  function booted() {
    const context = setup();
    // RTEMS start.S: CWP 0, window 1 invalid, traps on.
    context.cpu.wrwim(1 << 1);
    context.cpu.wrpsr(psr({ et: true, pil: 15 }));
    return context;
  }

  it('overlap: the caller writes %o0 before SAVE and the callee reads it as %i0, and back', () => {
    const { cpu } = booted();
    cpu.writeRegister('o0', 0x1234);
    cpu.writeRegister('l0', 0xaaaa);
    cpu.save();
    expect(cpu.cwp).toBe(7);
    expect(cpu.readRegister('i0')).toBe(0x1234);
    expect(cpu.readRegister('l0')).toBe(0);
    cpu.writeRegister('i1', 7);
    cpu.writeRegister('sp', 0x3000);
    cpu.restore();
    expect(cpu.cwp).toBe(0);
    expect([cpu.readRegister('o1'), cpu.readRegister('l0'), cpu.readRegister('o6')]).toEqual([7, 0xaaaa, 0]);
    cpu.writeRegister('g0', 99);
    cpu.writeRegister('g3', 0xffff_ffff + 2);
    expect([cpu.readRegister('g0'), cpu.readRegister('g3')]).toEqual([0, 1]);
  });

  it('20 nested SAVEs then 20 RESTOREs: 14 overflows and 14 underflows with NWINDOWS = 8, and every frame comes back', () => {
    const { cpu, traps } = booted();
    const start = cpu.chargedCycles;
    for (let depth = 0; depth < 20; depth++) {
      cpu.writeRegister('l0', 0x100 + depth);
      cpu.writeRegister('o0', 0x200 + depth);
      cpu.save();
    }
    expect(cpu.sparcStats.windowOverflows).toBe(14);
    expect(cpu.windowStack.depth).toBe(14);
    const restored: number[] = [];
    for (let depth = 19; depth >= 0; depth--) {
      cpu.restore();
      restored.push(cpu.readRegister('l0'), cpu.readRegister('o0'));
    }
    expect(cpu.sparcStats).toEqual({ traps: 28, windowOverflows: 14, windowUnderflows: 14, windowsSpilled: 14, windowsFilled: 14 });
    expect(restored).toEqual(Array.from({ length: 20 }, (_, index) => [0x100 + 19 - index, 0x200 + 19 - index]).flat());
    expect([cpu.cwp, cpu.wim, cpu.windowStack.depth]).toEqual([0, 1 << 1, 0]);
    // Window traps stay with the built-in handlers: the table saw none of them.
    expect(traps).toEqual([]);
    // Per direction: 20 instructions + 14 re-executions + 14 x (trapEntry 11 + windowSpill 36 + trapExit 6).
    expect(cpu.chargedCycles - start).toBe(2 * (20 + 14 + 14 * 53));
    expect(cpu.trapCount(0x05)).toBe(14);
    expect(cpu.trapCount(0x06)).toBe(14);
  });

  it('a SAVE that overflows with traps disabled enters error mode', () => {
    const { cpu } = setup();
    cpu.wrwim(1 << 7);
    expect(() => cpu.save()).toThrow(ExecutionAbandoned);
    expect(cpu.stopReason).toBe('error mode: trap tt=0x05 with ET=0');
  });

  it('a user thread that runs off its stack gets data_access_exception; supervisor code enters error mode', () => {
    const user = booted();
    user.cpu.windowStack = new WindowStack('small', 2);
    user.cpu.wrpsr(psr({ s: false, et: true }));
    // 6 free windows, 2 spills fill the stack, the next two SAVEs find no room.
    for (let i = 0; i < 10; i++) user.cpu.save();
    expect(user.cpu.sparcStats.windowOverflows).toBe(2);
    expect(user.traps.map((trap) => [trap.number, trap.instruction, trap.fault?.reason])).toEqual([
      [0x09, 'save', 'unmapped'],
      [0x09, 'save', 'unmapped'],
    ]);
    expect([user.cpu.cwp, user.cpu.windowStack.depth, user.cpu.stopReason]).toEqual([0, 2, undefined]);
    const kernel = booted();
    kernel.cpu.windowStack = new WindowStack('small', 1);
    for (let i = 0; i < 7; i++) kernel.cpu.save();
    expect(() => kernel.cpu.save()).toThrow(ExecutionAbandoned);
    expect(kernel.cpu.stopReason).toBe('error mode: trap tt=0x09 with ET=0');
  });
});

describe('traps', () => {
  it('Ticc: `ta n` is tt 0x80 + (n & 0x7f); softwareTrap takes the tt; the ABI trap is classed hypercall', () => {
    const { cpu, traps } = setup();
    cpu.hypercallTrapType = 0xf0;
    cpu.wrpsr(psr({ et: true }));
    cpu.ticc(9);
    cpu.ticc(10);
    cpu.ticc(200);
    cpu.softwareTrap(0xf0);
    cpu.softwareTrap(0x80);
    expect(traps.map((trap) => [trap.number, trap.name, trap.class, trap.instruction])).toEqual([
      [0x89, 'trap_instruction', 'software', 'ta 0x9'],
      [0x8a, 'trap_instruction', 'software', 'ta 0xa'],
      [0xc8, 'trap_instruction', 'software', 'ta 0x48'],
      [0xf0, 'trap_instruction', 'hypercall', 'ta 0x70'],
      [0x80, 'trap_instruction', 'software', 'ta 0x0'],
    ]);
    expect(() => cpu.softwareTrap(0x7f)).toThrow(RangeError);
    expect(() => cpu.softwareTrap(0x100)).toThrow(RangeError);
  });

  it('trap entry: ET = 0, PS = S, S = 1, CWP - 1, PC/nPC in %l1/%l2, tt in TBR; the return skips the Ticc and restores S, ET, CWP', () => {
    const { cpu, seen } = setup();
    cpu.wrwim(0);
    cpu.wrpsr(psr({ s: false, et: true, pil: 5, cwp: 3 }));
    cpu.writeRegister('o0', 1);
    const at = { pc: cpu.pc, npc: cpu.npc };
    cpu.ticc(9);
    expect(seen).toEqual([{ tt: 0x89, psr: 0xf300_0582, l1: at.pc, l2: at.npc, tbr: TABLE_BASE | 0x890 }]);
    expect(cpu.psr).toBe(0xf300_0523);
    expect([cpu.pc, cpu.npc]).toEqual([at.npc, at.npc + 4]);
    expect(cpu.mode).toBe('user');
  });

  it("a handler's 'abandon' throws ExecutionAbandoned out of the instruction after the return", () => {
    const { cpu } = setup({ verdict: () => 'abandon' });
    cpu.wrpsr(psr({ s: false, et: true, cwp: 2 }));
    expect(() => cpu.ticc(3)).toThrow(ExecutionAbandoned);
    expect(cpu.psr).toBe(0xf300_0022);
    expect(cpu.stopReason).toBeUndefined();
  });

  it('a trap while ET = 0 enters error mode and stops the processor', () => {
    const { cpu, traps } = setup();
    expect(() => cpu.ticc(0)).toThrow(ExecutionAbandoned);
    expect(cpu.stopReason).toBe('error mode: trap tt=0x80 with ET=0');
    expect(traps).toEqual([]);
    expect(cpu.tbr & 0xff0).toBe(0x800);
  });

  it('a trap with no entry in the trap table at TBA is error mode (the bad-trap stub)', () => {
    const { cpu } = setup();
    cpu.wrtbr(0x9000);
    cpu.wrpsr(psr({ et: true }));
    expect(() => cpu.unimp(5)).toThrow(ExecutionAbandoned);
    expect(cpu.stopReason).toBe('error mode: no handler for trap tt=0x02 in the trap table at 0x00009000');
  });

  it('UNIMP is illegal_instruction; UDIV/SDIV by zero is division_by_zero and yields 0', () => {
    const { cpu, traps } = setup();
    cpu.wrpsr(psr({ et: true }));
    cpu.unimp(0x123);
    expect(cpu.udiv(10, 0)).toBe(0);
    expect(cpu.sdiv(10, 0)).toBe(0);
    expect(traps.map((trap) => [trap.number, trap.name, trap.class, trap.instruction])).toEqual([
      [0x02, 'illegal_instruction', 'illegal', 'unimp 0x123'],
      [0x2a, 'division_by_zero', 'arithmetic', 'udiv'],
      [0x2a, 'division_by_zero', 'arithmetic', 'sdiv'],
    ]);
  });

  it('UDIV and SDIV divide Y:rs1 by rs2, rounding toward zero and saturating 32-bit overflow', () => {
    const { cpu } = setup();
    cpu.wry(1);
    expect(cpu.udiv(0, 2)).toBe(0x8000_0000);
    cpu.wry(2);
    expect(cpu.udiv(0, 1)).toBe(0xffff_ffff);
    cpu.wry(0xffff_ffff);
    expect(cpu.sdiv(0xffff_fff6, 3)).toBe(0xffff_fffd);
    cpu.wry(0);
    expect(cpu.sdiv(0x8000_0000, 1)).toBe(0x7fff_ffff);
    cpu.wry(0xffff_fffe);
    expect(cpu.sdiv(0, 1)).toBe(0x8000_0000);
    expect(cpu.udiv(0, 0xffff_ffff)).toBe(0xffff_fffe);
    expect(cpu.udiv(7, 0xffff_ffff)).toBe(0xffff_ffff);
  });
});

describe('memory access through the MMU context', () => {
  function userSetup() {
    const context = setup();
    const user = new ProtectionContext(
      'partition',
      [
        { name: 'ram', virtualBase: 0x4000_0000, physicalBase: 0x8000, size: 0x1000, read: true, write: true, execute: false, user: true },
        { name: 'text', virtualBase: 0x4000_1000, physicalBase: 0x9000, size: 0x1000, read: true, write: false, execute: true, user: true },
        { name: 'kernel', virtualBase: 0, size: 0x8000, read: true, write: true, execute: true, user: false },
        { name: 'beyond', virtualBase: 0x5000_0000, physicalBase: 0xf000, size: 0x2000, read: true, write: true, execute: true, user: true },
      ],
      { alignment: 'natural' },
    );
    context.cpu.setMmuContext(user);
    context.cpu.wrpsr(psr({ s: false, et: true }));
    return context;
  }

  it('is big-endian', () => {
    const { cpu, memory } = setup();
    cpu.store(0x100, 4, 0x1122_3344);
    expect(Array.from(memory.bytes.subarray(0x100, 0x104))).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect([cpu.load(0x102, 2), cpu.load(0x101, 1)]).toEqual([0x3344, 0x22]);
    cpu.storeBytes(0x200, Uint8Array.of(1, 2, 3, 4, 5));
    expect(cpu.load(0x200, 4)).toBe(0x0102_0304);
    expect(Array.from(cpu.loadBytes(0x201, 3))).toEqual([2, 3, 4]);
  });

  it('misaligned, unmapped, forbidden and beyond-RAM accesses raise 0x07, 0x09, 0x01 and 0x29; loads yield 0, stores write nothing', () => {
    const { cpu, traps, memory } = userSetup();
    memory.write32(0x8000, 0xdead_beef);
    expect(cpu.load(0x4000_0000, 4)).toBe(0xdead_beef);
    expect(cpu.load(0x4000_0002, 4)).toBe(0);
    cpu.store(0x4000_0001, 2, 0xffff);
    expect(cpu.load(0x4000_2000, 1)).toBe(0);
    expect(cpu.load(0x100, 4)).toBe(0);
    cpu.store(0x4000_1000, 4, 1);
    expect(cpu.load(0x5000_1000, 4)).toBe(0);
    expect(cpu.fetch(0x4000_1000)).toBe(true);
    expect(cpu.fetch(0x4000_0000)).toBe(false);
    expect(cpu.fetch(0x4000_1002)).toBe(false);
    expect(cpu.fetch(0x5000_1000)).toBe(false);
    expect(traps.map((trap) => [trap.number, trap.name, trap.instruction, trap.fault?.reason, trap.fault?.access])).toEqual([
      [0x07, 'mem_address_not_aligned', 'ld', 'misaligned', 'read'],
      [0x07, 'mem_address_not_aligned', 'sth', 'misaligned', 'write'],
      [0x09, 'data_access_exception', 'ldub', 'unmapped', 'read'],
      [0x09, 'data_access_exception', 'ld', 'privilege', 'read'],
      [0x09, 'data_access_exception', 'st', 'permission', 'write'],
      [0x29, 'data_access_error', 'ld', 'out-of-range', 'read'],
      [0x01, 'instruction_access_exception', 'jmpl', 'permission', 'execute'],
      [0x07, 'mem_address_not_aligned', 'jmpl', 'misaligned', 'execute'],
      [0x21, 'instruction_access_error', 'jmpl', 'out-of-range', 'execute'],
    ]);
    expect(memory.read32(0x9000)).toBe(0);
    expect(traps.every((trap) => trap.class === 'memory' && trap.fromMode === 'user')).toBe(true);
  });

  it('a bulk store that crosses into forbidden memory writes nothing', () => {
    const { cpu, traps, memory } = userSetup();
    cpu.storeBytes(0x4000_0ffe, Uint8Array.of(1, 2, 3, 4));
    expect(traps.map((trap) => [trap.number, trap.fault?.reason])).toEqual([[0x09, 'permission']]);
    expect(Array.from(memory.bytes.subarray(0x8ffe, 0x9002))).toEqual([0, 0, 0, 0]);
    expect(cpu.loadBytes(0x4000_0ffe, -1)).toEqual(new Uint8Array(0));
  });

  it('a bulk copy of nothing accesses nothing, so it cannot fault (as i386 rep movs with ECX = 0)', () => {
    const { cpu, traps } = userSetup();
    cpu.storeBytes(0, new Uint8Array(0));
    expect(cpu.loadBytes(0xffff_fff0, 0)).toEqual(new Uint8Array(0));
    expect(traps).toEqual([]);
  });

  it('a seeded fuzz of addresses, widths and lengths never raises a host exception and never writes outside the partition', () => {
    const { cpu, traps, memory } = userSetup();
    const prng = new Prng(653);
    const interesting = [0, 1, 0x3fff_ffff, 0x4000_0000, 0x4000_0fff, 0x4000_1ffd, 0x5000_1000, 0x5000_1ffe, 0x8000_0000, 0xffff_fffc, 0xffff_ffff, 2 ** 32, -4, 1.5, Number.NaN, Infinity, 2 ** 53];
    const widths = [1, 2, 4] as const;
    const outside = (): number => memory.checksum(0, 0x8000) ^ memory.checksum(0x9000, 0x7000);
    const before = outside();
    let operations = 0;
    for (let i = 0; i < 20_000; i++) {
      const address = prng.chance(0.3) ? prng.pick(interesting) : prng.chance(0.5) ? 0x4000_0000 + prng.int(-16, 0x2100) : prng.nextUint32();
      const width = prng.pick(widths);
      const length = prng.pick([0, 1, 3, 4, 17, 4096, 0x1001, -1, Number.NaN, 2 ** 40]);
      switch (prng.int(0, 4)) {
        case 0:
          cpu.load(address, width);
          break;
        case 1:
          cpu.store(address, width, prng.nextUint32());
          break;
        case 2:
          cpu.loadBytes(address, length);
          break;
        case 3:
          cpu.storeBytes(address, new Uint8Array(Number.isSafeInteger(length) && length >= 0 && length < 8192 ? length : 8).fill(0x5a));
          break;
        default:
          cpu.fetch(address);
      }
      operations++;
    }
    expect(operations).toBe(20_000);
    expect(outside()).toBe(before);
    expect(cpu.stopReason).toBeUndefined();
    expect(traps.length).toBeGreaterThan(10_000);
    expect(new Set(traps.map((trap) => trap.number))).toEqual(new Set([0x01, 0x07, 0x09, 0x21, 0x29]));
  });
});

describe('trace', () => {
  it('records every trap with its tt, V8 name, instruction and mode', () => {
    const sink = new BufferTraceSink();
    const { cpu, requester } = setup({ trace: new TraceRecorder(sink) });
    cpu.wrwim(1 << 1);
    cpu.wrpsr(psr({ s: false, et: true }));
    cpu.ticc(9);
    for (let i = 0; i < 7; i++) cpu.save();
    requester.level = 10;
    cpu.deliver();
    expect(sink.records.map((record) => [record.kind, record.source, record.payload])).toEqual([
      ['trap', 'cpu0', { number: 0x89, name: 'trap_instruction', instruction: 'ta 0x9', fromMode: 'user' }],
      ['trap', 'cpu0', { number: 0x05, name: 'window_overflow', instruction: 'save', fromMode: 'user' }],
      ['trap', 'cpu0', { number: 0x1a, name: 'interrupt_level_10', fromMode: 'user' }],
    ]);
  });
});

describe('episode state (fast-forward)', () => {
  // The layout creditArchEpisodes reads back: the processor's five counters, then traps,
  // the four window counters, register mutations, trapCounts[0..255], PC, nPC, %y, the
  // globals and the 128 windowed registers - each where it should be, with its live value.
  it('lists the trap counters, PC, nPC, then (full) trapCounts and every register word in order', () => {
    const { cpu } = setup();
    cpu.wrwim(1 << 1);
    cpu.wrpsr(psr({ et: true }));
    for (let i = 0; i < 7; i++) cpu.save(); // one overflow: a window spilled
    cpu.ticc(9);
    cpu.wry(0x1234);
    cpu.writeRegister('g3', 0xabcd);
    const state = cpu.episodeState();
    const s = cpu.getState();
    const arch = 5;
    const pc = arch + 6;
    const tt = pc + 2;
    const words = tt + 256;
    expect(state).toHaveLength(words + 1 + 8 + 128);
    expect(state.slice(arch, pc)).toEqual([2, 1, 0, 1, 0, cpu.registerMutations]);
    expect(state.slice(pc, tt)).toEqual([cpu.pc, cpu.npc]);
    expect(state.slice(tt, words)).toEqual(Array.from({ length: 256 }, (_, n) => cpu.trapCount(n)));
    expect([state[tt + 0x05], state[tt + 0x89]]).toEqual([1, 1]);
    expect(state.slice(words)).toEqual([0x1234, ...s.globals, ...s.windowed]); // %g0..%g7
    expect(state[words + 1 + 3]).toBe(0xabcd);
    // Without `full`, only the counters and the program counters: a prefix of the full state.
    expect(cpu.episodeState(false)).toEqual(state.slice(0, tt));
  });
});
