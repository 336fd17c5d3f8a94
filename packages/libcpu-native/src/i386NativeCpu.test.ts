/**
 * I386NativeCpu on the i386 model: at CPL 0 (bare metal) RTEMS's sequences do what they
 * should and cost what the instructions cost; at CPL 3 (a partition of a kernel whose
 * supervisor entry records the traps) CLI/STI/HLT/LIDT raise #GP(0), while PUSHF shows the
 * real IF and POPF silently keeps it.
 */
import { I386Board, Idt, I386_DEFAULT_COSTS, EFLAGS_IF } from '@paravirt/cpu-i386';
import { ExecutionAbandoned, WAIT_FOR_INTERRUPT, type TrapInfo, type TrapOutcome } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { I386NativeCpu } from './i386NativeCpu.js';

const { privilegedInstruction: PRIV, memoryAccess: MEM } = I386_DEFAULT_COSTS;

/** Cycles charged and not yet spent (100 MHz: 10 ns per cycle). */
function charged(board: I386Board): number {
  return (board.processor.localTime() - board.board.now) / 10;
}

/** A PC straight out of reset: CPL 0, EFLAGS 0x2 (IF = 0), no IDT, BIOS PIC state. */
function bareMetal() {
  const board = new I386Board({ memorySize: 0x1_0000 });
  return { board, processor: board.processor, cpu: new I386NativeCpu(board.processor) };
}

/** A kernel whose every trap is recorded, and a partition running at CPL 3 with IF = 1. */
function partition(verdict: TrapOutcome = 'return') {
  const board = new I386Board({ memorySize: 0x10_0000 });
  const traps: TrapInfo[] = [];
  board.installSupervisor((trap) => {
    traps.push(trap);
    return verdict;
  });
  board.enterUser(board.createUserContext({ name: 'p0', physicalBase: 0x8_0000, size: 0x1_0000 }));
  const summary = () => traps.map((trap) => [trap.class, trap.number, trap.name, trap.instruction, trap.errorCode, trap.fromMode]);
  return { board, processor: board.processor, cpu: new I386NativeCpu(board.processor), traps, summary };
}

const gp = (instruction: string) => ['privileged', 13, '#GP', instruction, 0, 'user'];

describe('I386NativeCpu at CPL 0 (bare metal)', () => {
  it('disables with pushf; cli (cookie = EFLAGS) and restores with push; popf, nested', () => {
    const { board, processor, cpu } = bareMetal();
    cpu.isrSetLevel(0);
    expect(processor.eflags).toBe(0x202);
    const outer = cpu.isrDisable();
    const inner = cpu.isrDisable();
    expect([outer, inner, processor.eflags]).toEqual([0x202, 0x2, 0x2]);
    cpu.isrEnable(inner);
    expect(processor.interruptsEnabled).toBe(false);
    expect(cpu.isrGetLevel()).toBe(1);
    cpu.isrEnable(outer);
    expect([processor.eflags, cpu.isrGetLevel()]).toEqual([0x202, 0]);
    // sti, 2 x (pushf + cli), 2 x popf, 2 x pushf: 9 instructions of 5 cycles.
    expect(charged(board)).toBe(9 * PRIV);
  });

  it('flashes with push; popf; cli and sets levels with cli (any level but 0) and sti', () => {
    const { board, processor, cpu } = bareMetal();
    cpu.isrFlash(0x202);
    expect(processor.eflags).toBe(0x2);
    for (const level of [1, 5, 255]) {
      cpu.isrSetLevel(0);
      cpu.isrSetLevel(level);
      expect(processor.interruptsEnabled).toBe(false);
    }
    expect(charged(board)).toBe(2 * PRIV + 6 * PRIV);
  });

  it('installs interrupt gates, loads the IDT once (SIDT tells), and idles with HLT until the interrupt', () => {
    const { board, processor, cpu } = bareMetal();
    const idt = new Idt();
    const taken: Array<[string, number | undefined, number, boolean]> = [];
    const handler = (trap: TrapInfo): TrapOutcome => {
      taken.push([trap.name, trap.line, board.board.now, processor.interruptsEnabled]);
      board.io.write8(0x20, 0x20); // non-specific EOI
      return 'return';
    };
    cpu.vectorInstall(idt, 0x09, handler);
    // pushf + cli, two descriptor stores, SIDT, LIDT, popf.
    expect(charged(board)).toBe(5 * PRIV + 2 * MEM);
    expect(processor.idt).toBe(idt);
    expect(idt.gate(0x09)).toEqual({ kind: 'interrupt', dpl: 0, present: true, handler });
    cpu.vectorInstall(idt, 0x0a, handler);
    expect(charged(board)).toBe(5 * PRIV + 2 * MEM + 4 * PRIV + 2 * MEM);

    // The BIOS left the master PIC at vector 0x08: IRQ 1 arrives on vector 0x09.
    board.io.write8(0x21, 0xf9);
    let first = true;
    processor.setWorkload({
      next: () => {
        if (first) {
          first = false;
          cpu.isrSetLevel(0);
          cpu.idle();
        }
        return WAIT_FOR_INTERRUPT;
      },
      preempted: () => {},
    });
    processor.start();
    board.board.queue.at(5_000, () => board.deviceLine(1).raise());
    board.board.runUntil(3_000);
    expect(processor.halted).toBe(true);
    board.board.runUntil(10_000);
    expect(taken).toEqual([['IRQ 1', 1, 5_000, false]]);
    expect([processor.halted, processor.stats.interrupts]).toEqual([false, 1]);
  });

  it('halts for good with cli; hlt and leaves the error code in EAX', () => {
    const { board, processor, cpu } = bareMetal();
    cpu.isrSetLevel(0);
    board.io.write8(0x21, 0xfa);
    cpu.fatalHalt(5, 0xdead);
    expect([processor.halted, processor.interruptsEnabled, processor.readRegister('eax')]).toEqual([true, false, 0xdead]);
    processor.start();
    board.board.queue.at(1_000, () => board.deviceLine(0).raise());
    board.board.runUntil(1_000_000);
    expect([processor.halted, processor.stats.interrupts, processor.stats.waitNs]).toEqual([true, 0, 1_000_000 - 3 * PRIV * 10]);
  });
});

describe('I386NativeCpu at CPL 3 (inside a partition)', () => {
  it('CLI raises #GP(0); PUSHF shows the real IF, so the cookie says "enabled"', () => {
    const { processor, cpu, summary } = partition();
    expect(cpu.isrDisable()).toBe(0x202);
    expect(summary()).toEqual([gp('cli')]);
    expect(processor.eflags & EFLAGS_IF).toBe(EFLAGS_IF);
    expect(cpu.isrGetLevel()).toBe(0);
  });

  it('POPF of a disabled cookie neither traps nor clears IF: the sensitive, unprivileged hole', () => {
    const { processor, cpu, traps } = partition();
    cpu.isrEnable(0x2);
    expect(traps).toEqual([]);
    expect(processor.eflags).toBe(0x202);
    cpu.isrFlash(0x2);
    expect(traps.map((trap) => trap.instruction)).toEqual(['cli']);
    expect(processor.interruptsEnabled).toBe(true);
  });

  it('set level, idle, vector install and fatal halt all fault at their privileged instructions', () => {
    const { processor, cpu, summary } = partition();
    const kernelIdt = processor.idt;
    cpu.isrSetLevel(1);
    cpu.isrSetLevel(0);
    cpu.idle();
    cpu.vectorInstall(new Idt(), 0x21, () => 'return');
    cpu.fatalHalt(5, 7);
    expect(summary()).toEqual([gp('cli'), gp('sti'), gp('hlt'), gp('cli'), gp('lidt'), gp('cli'), gp('hlt')]);
    expect(processor.idt).toBe(kernelIdt);
    expect([processor.halted, processor.interruptsEnabled, processor.readRegister('eax')]).toEqual([false, true, 7]);
  });

  it('a kernel that does not return to the guest unwinds it with ExecutionAbandoned', () => {
    const { cpu, traps } = partition('abandon');
    expect(() => cpu.isrDisable()).toThrow(ExecutionAbandoned);
    expect(traps).toHaveLength(1);
  });
});
