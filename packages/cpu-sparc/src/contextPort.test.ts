import { ExecutionAbandoned, type TrapInfo, type TrapOutcome } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { SparcContextPort, type WindowFlushStrategy } from './contextPort.js';
import { isrLevelOfPsr, isrLevelToPil, isrLevelToPsrBits, pilToIsrLevel } from './isrLevel.js';
import { Leon3Board } from './leon3Board.js';
import { PSR_ET, PSR_S } from './psr.js';

function cycles(board: Leon3Board): number {
  return (board.processor.localTime() - board.board.now) / 20;
}

/** Bare metal: RTEMS in supervisor mode with traps on. */
function native(windowFlush: WindowFlushStrategy) {
  const board = new Leon3Board({ memorySize: 1 << 20 });
  board.processor.wrpsr(PSR_S | PSR_ET);
  return { board, cpu: board.processor, port: new SparcContextPort(board.processor, { windowFlush }) };
}

/** A partition: the executive runs in user mode under a kernel that records traps. */
function partition(windowFlush: WindowFlushStrategy, verdict: (trap: TrapInfo) => TrapOutcome = () => 'return') {
  const board = new Leon3Board({ memorySize: 1 << 20 });
  const traps: TrapInfo[] = [];
  board.installSupervisor((trap) => {
    traps.push(trap);
    return verdict(trap);
  });
  board.enterUser(board.createUserContext({ name: 'p', physicalBase: 0x40000, size: 0x10000 }));
  return { board, cpu: board.processor, traps, port: new SparcContextPort(board.processor, { windowFlush }) };
}

describe('SparcContextPort', () => {
  it("'privileged': flushes the older windows with RDPSR/WRPSR/RDWIM/WRWIM, switches stacks and restores the heir's PIL", () => {
    const { board, cpu, port } = native('privileged');
    const a = port.contextInitialize(0);
    const b = port.contextInitialize(5);
    expect([a.psr, b.psr]).toEqual([0xf300_00a0, 0xf300_05a0]);
    cpu.writeRegister('l0', 0xa0);
    cpu.save();
    cpu.writeRegister('l0', 0xa1);
    cpu.save();
    cpu.writeRegister('l0', 0xa2);
    cpu.writeRegister('o0', 0x1234);
    const start = cycles(board);
    port.contextSwitch(a, b);
    // threadContextSwitch 64 + six privileged instructions (4 each) + two windows stored (36 each).
    expect(cycles(board) - start).toBe(64 + 6 * 4 + 2 * 36);
    expect(cpu.windowStack).toBe(b.windowStack);
    expect([a.windowStack.depth, cpu.wim]).toEqual([2, 1 << ((cpu.cwp + 1) % 8)]);
    expect([cpu.pil, cpu.readRegister('l0'), cpu.readRegister('o0')]).toEqual([5, 0, 0]);
    cpu.writeRegister('o0', 0xb);
    port.contextSwitch(b, a);
    expect([cpu.pil, cpu.readRegister('l0'), cpu.readRegister('o0')]).toEqual([0, 0xa2, 0x1234]);
    cpu.restore();
    expect(cpu.readRegister('l0')).toBe(0xa1);
    cpu.restore();
    expect(cpu.readRegister('l0')).toBe(0xa0);
    expect(cpu.sparcStats).toMatchObject({ windowOverflows: 0, windowUnderflows: 2, windowsSpilled: 2, windowsFilled: 2 });
    port.contextSwitch(a, b);
    expect(cpu.readRegister('o0')).toBe(0xb);
  });

  it("'privileged' in user mode faults at its first RDPSR: privileged_instruction to the kernel", () => {
    const { cpu, traps, port } = partition('privileged', () => 'abandon');
    expect(() => port.contextInitialize(0)).toThrow(ExecutionAbandoned);
    const spare = { arch: 'sparc' as const, psr: 0, registers: { globals: [], window: [], y: 0, icc: 0 }, windowStack: cpu.windowStack };
    expect(() => port.contextSwitch(spare, spare)).toThrow(ExecutionAbandoned);
    expect(traps.map((trap) => [trap.class, trap.number, trap.instruction, trap.fromMode])).toEqual([
      ['privileged', 0x03, 'rd %psr', 'user'],
      ['privileged', 0x03, 'rd %psr', 'user'],
    ]);
  });

  it("'save-restore' works in user mode: one overflow per valid window and one underflow, no privileged instruction", () => {
    const { board, cpu, traps, port } = partition('save-restore');
    const a = port.contextInitialize(0);
    const b = port.contextInitialize(3);
    expect([a.psr, b.psr]).toEqual([0xf300_0020, 0xf300_0320]);
    cpu.writeRegister('l0', 0xa0);
    cpu.save();
    cpu.writeRegister('l0', 0xa1);
    cpu.save();
    cpu.writeRegister('l0', 0xa2);
    const start = cycles(board);
    port.contextSwitch(a, b);
    // 7 SAVEs: 4 free windows, 3 overflows (the 3 valid windows); 7 RESTOREs: 6 plain, 1 underflow.
    // Each window trap is entry 11 + spill/fill 36 + exit 6, and re-executes its instruction.
    expect(cycles(board) - start).toBe(64 + (4 + 3 * 2 + 3 * 53) + (6 + 2 + 53));
    expect(cpu.sparcStats).toMatchObject({ windowOverflows: 3, windowUnderflows: 1 });
    expect(traps).toEqual([]);
    expect([a.windowStack.depth, cpu.readRegister('l0'), cpu.pil, cpu.mode]).toEqual([2, 0, 0, 'user']);
    port.contextSwitch(b, a);
    expect(cpu.readRegister('l0')).toBe(0xa2);
    cpu.restore();
    cpu.restore();
    expect(cpu.readRegister('l0')).toBe(0xa0);
  });

  it("'save-restore' with only the current window valid still costs one overflow and one underflow", () => {
    const { board, cpu, port } = partition('save-restore');
    const a = port.contextInitialize(0);
    const b = port.contextInitialize(0);
    const start = cycles(board);
    port.contextSwitch(a, b);
    expect(cycles(board) - start).toBe(64 + (6 + 2 + 53) + (6 + 2 + 53));
    expect(cpu.sparcStats).toMatchObject({ windowOverflows: 1, windowUnderflows: 1 });
  });

  it('refuses an unknown strategy', () => {
    const { cpu } = native('privileged');
    expect(() => new SparcContextPort(cpu, { windowFlush: 'flushw' as WindowFlushStrategy })).toThrow(RangeError);
  });
});

describe('ISR levels', () => {
  it('RTEMS SPARC interrupt levels 0..15 are PIL; ta 10 takes level << 8', () => {
    expect([isrLevelToPil(0), isrLevelToPil(5), isrLevelToPil(15), isrLevelToPil(16)]).toEqual([0, 5, 15, 0]);
    expect([pilToIsrLevel(9), isrLevelToPsrBits(15), isrLevelToPsrBits(3), isrLevelOfPsr(0xf300_0a20)]).toEqual([9, 0xf00, 0x300, 10]);
  });
});
