/**
 * i386Architecture: the descriptor says what the board and the port do - the same
 * numbers and objects the board, the PIT limits and the context port give directly.
 */
import { EventQueue, InterruptController } from '@paravirt/machine';
import { SimpleProcessor } from '@paravirt/machine/test';
import { describe, expect, it } from 'vitest';
import { i386Architecture } from './architecture.js';
import { I386ContextPort } from './contextPort.js';
import { i386HypercallAbi } from './hypercallAbi.js';
import { I386Board, I386_MAX_MEMORY } from './i386Board.js';
import { i386TickProblem } from './pitTick.js';

describe('i386Architecture', () => {
  it('builds the PC board: its name is the board\'s and the processor\'s arch, its default trap is POK\'s int 0x2a', () => {
    const board = i386Architecture.board.create({ memorySize: 1 << 20, seed: 3, frequencyHz: 50_000_000, costs: { ioAccess: 7 } });
    expect(board).toBeInstanceOf(I386Board);
    expect([i386Architecture.name, board.arch, board.processor.arch, board.hypercallAbi.arch]).toEqual(['i386', 'i386', 'i386', 'i386']);
    expect([board.board.memory.size, board.processor.clock.frequencyHz, board.costs.ioAccess]).toEqual([1 << 20, 50_000_000, 7]);
    expect(board.hypercallAbi).toEqual(i386Architecture.hypercalls.abi());
    expect(i386Architecture.hypercalls.traps).toEqual([0x2a, 0x80]);
    expect(i386Architecture.board.create({ memorySize: 1 << 20, hypercallTrap: 0x80 }).hypercallAbi).toEqual(i386HypercallAbi(0x80));
    expect(() => i386Architecture.hypercalls.abi(3)).toThrow(RangeError);
    expect(i386Architecture.board.maxMemory).toBe(I386_MAX_MEMORY);
    expect(() => i386Architecture.board.create({ memorySize: I386_MAX_MEMORY + 1 })).toThrow(RangeError);
  });

  it('kernel timer and interrupt lines: the PIT on IRQ 0, the cascade IRQ 2 for nobody', () => {
    const board = i386Architecture.board.create({ memorySize: 1 << 20 });
    board.installSupervisor(() => 'return');
    expect(board.startTickTimer(1_000_000)).toBe(i386Architecture.kernelTimer.line);
    for (const period of [1000, 1_000_000, 100_000_000, 0]) expect(i386Architecture.kernelTimer.tickProblem(period)).toBe(i386TickProblem(period));
    expect(i386Architecture.kernelTimer.trapName).toBe('IRQ 0');
    const { interrupts } = i386Architecture;
    expect(interrupts.count).toBe(16);
    expect(interrupts.routableLines).toEqual(board.routableLines);
    expect(interrupts.deviceLines).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect([interrupts.unroutableReason(0), interrupts.unroutableReason(2), interrupts.unroutableReason(5)]).toEqual([
      'IRQ 0 is the PIT, the kernel tick',
      "IRQ 2 is the master PIC's cascade input (an AT device on IRQ 2 appears as IRQ 9)",
      undefined,
    ]);
  });

  it('interrupt levels: IF is one bit, so level 0 takes every line and any other level none', () => {
    const { interruptLevels } = i386Architecture;
    expect(interruptLevels.max).toBe(1);
    expect([interruptLevels.accepts(0, 1), interruptLevels.accepts(0, 15), interruptLevels.accepts(1, 15), interruptLevels.accepts(7, 1)]).toEqual([true, true, false, false]);
  });

  it('the context port is the RTEMS i386 one at either privilege, for an i386 processor only', () => {
    const board = i386Architecture.board.create({ memorySize: 1 << 20 });
    for (const privilege of ['supervisor', 'user'] as const) expect(i386Architecture.contextPort(board.processor, { privilege })).toBeInstanceOf(I386ContextPort);
    const foreign = new SimpleProcessor(new EventQueue(), new InterruptController(1));
    expect(() => i386Architecture.contextPort(foreign, { privilege: 'user' })).toThrow(/i386 processor, not a simple one/);
  });
});
