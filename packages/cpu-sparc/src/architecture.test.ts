/**
 * sparcArchitecture: the descriptor says what the LEON3 board and the SPARC port do - the
 * same numbers and objects the board, the GPTIMER limits and the context port give
 * directly - and picks the window flush by privilege.
 */
import { EventQueue, InterruptController } from '@paravirt/machine';
import { SimpleProcessor } from '@paravirt/machine/test';
import { describe, expect, it } from 'vitest';
import { sparcArchitecture } from './architecture.js';
import type { SparcContextPort } from './contextPort.js';
import { sparcHypercallAbi } from './hypercallAbi.js';
import { Leon3Board, LEON3_MAX_MEMORY, leon3TickProblem } from './leon3Board.js';

describe('sparcArchitecture', () => {
  it('builds the LEON3 board: its name is the board\'s and the processor\'s arch, its default trap ta 0x70', () => {
    const board = sparcArchitecture.board.create({ memorySize: 1 << 20, seed: 3, frequencyHz: 40_000_000, costs: { ioAccess: 7 } });
    expect(board).toBeInstanceOf(Leon3Board);
    expect([sparcArchitecture.name, board.arch, board.processor.arch, board.hypercallAbi.arch]).toEqual(['sparc', 'sparc', 'sparc', 'sparc']);
    expect([board.board.memory.size, board.processor.clock.frequencyHz, board.costs.ioAccess]).toEqual([1 << 20, 40_000_000, 7]);
    expect(board.hypercallAbi).toEqual(sparcArchitecture.hypercalls.abi());
    expect(sparcArchitecture.hypercalls.traps).toEqual([0x70, 0x71]);
    expect(sparcArchitecture.board.create({ memorySize: 1 << 20, hypercallTrap: 0x71 }).hypercallAbi).toEqual(sparcHypercallAbi(0x71));
    expect(() => sparcArchitecture.hypercalls.abi(9)).toThrow(/used by RTEMS's SPARC port/);
    expect(sparcArchitecture.board.maxMemory).toBe(LEON3_MAX_MEMORY);
    expect(() => sparcArchitecture.board.create({ memorySize: LEON3_MAX_MEMORY + 1 })).toThrow(RangeError);
  });

  it('kernel timer and interrupt lines: GPTIMER timer 1 on level 8, at the board\'s clock unless told another', () => {
    const board = sparcArchitecture.board.create({ memorySize: 1 << 20 });
    board.installSupervisor(() => 'return');
    expect(board.startTickTimer(1_000_000)).toBe(sparcArchitecture.kernelTimer.line);
    const long = 5000 * 1e9;
    expect(sparcArchitecture.kernelTimer.tickProblem(long)).toBe(leon3TickProblem(long));
    expect(sparcArchitecture.kernelTimer.tickProblem(long, 1_000_000)).toBe(leon3TickProblem(long, 1_000_000));
    expect(sparcArchitecture.kernelTimer.tickProblem(1_000_000)).toBeUndefined();
    expect(sparcArchitecture.kernelTimer.trapName).toBe('interrupt_level_8');
    const { interrupts } = sparcArchitecture;
    expect(interrupts.count).toBe(16);
    expect(interrupts.routableLines).toEqual(board.routableLines);
    expect(interrupts.deviceLines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect([interrupts.unroutableReason(8), interrupts.unroutableReason(2)]).toEqual(['interrupt level 8 is GPTIMER timer 1, the kernel tick', undefined]);
  });

  it('interrupt levels are PIL: level n takes lines above n, and line 15 always', () => {
    const { interruptLevels } = sparcArchitecture;
    expect(interruptLevels.max).toBe(15);
    expect([0, 5, 14, 15].map((level) => [1, 5, 6, 15].map((line) => interruptLevels.accepts(level, line)))).toEqual([
      [true, true, true, true],
      [false, false, true, true],
      [false, false, false, true],
      [false, false, false, true],
    ]);
  });

  it('the context port flushes windows by privilege: RTEMS\'s walk in supervisor mode, SAVE/RESTORE in user mode', () => {
    const board = sparcArchitecture.board.create({ memorySize: 1 << 20 });
    const supervisor = sparcArchitecture.contextPort(board.processor, { privilege: 'supervisor' });
    const user = sparcArchitecture.contextPort(board.processor, { privilege: 'user' });
    expect([supervisor, user].map((port) => (port as SparcContextPort).windowFlush)).toEqual(['privileged', 'save-restore']);
    const foreign = new SimpleProcessor(new EventQueue(), new InterruptController(1));
    expect(() => sparcArchitecture.contextPort(foreign, { privilege: 'user' })).toThrow(/SPARC processor, not a simple one/);
  });
});
