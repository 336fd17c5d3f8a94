/**
 * SparcNativeCpu on the LEON3 model: in supervisor mode (bare metal, RTEMS's software
 * traps in the BSP's trap table) the sequences work and cost what the traps and
 * instructions cost; in user mode (a partition of a kernel whose supervisor entry records
 * the traps) `ta 9` / `ta 10` / `ta 0` go to the kernel's table and RDPSR, WRPSR, RDTBR,
 * WRTBR and the power-down raise privileged_instruction.
 */
import {
  Leon3Board,
  PSR_ET,
  PSR_PIL_MASK,
  PSR_PS,
  PSR_S,
  SPARC_DEFAULT_COSTS,
  TrapTable,
  installRtemsSoftwareTraps,
} from '@paravirt/cpu-sparc';
import { ExecutionAbandoned, WAIT_FOR_INTERRUPT, type TrapInfo, type TrapOutcome } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { SparcNativeCpu } from './sparcNativeCpu.js';

const { instruction: INSTRUCTION, trapEntry: ENTRY, trapExit: EXIT, privilegedInstruction: PRIV, memoryAccess: MEM, windowSpill: SPILL } = SPARC_DEFAULT_COSTS;
/** One `ta 9` or `ta 10`: the Ticc, trap entry, the handler's WRPSR, RETT. */
const SOFTWARE_TRAP = INSTRUCTION + ENTRY + PRIV + EXIT;
const TABLE_BASE = 0x0000_1000;

/** Cycles charged and not yet spent (50 MHz: 20 ns per cycle). */
function charged(board: Leon3Board): number {
  return (board.processor.localTime() - board.board.now) / 20;
}

/** A LEON3 after start.S: the BSP's table (RTEMS's software traps) selected, traps on, PIL 15. */
function bareMetal() {
  const board = new Leon3Board({ memorySize: 1 << 20 });
  const processor = board.processor;
  const cpu = new SparcNativeCpu(processor);
  const table = new TrapTable('bsp');
  installRtemsSoftwareTraps(table, processor);
  processor.mapTrapTable(TABLE_BASE, table);
  cpu.selectTrapTable(TABLE_BASE);
  processor.wrpsr(PSR_S | PSR_PS | PSR_PIL_MASK | PSR_ET);
  return { board, processor, cpu, table, start: charged(board) };
}

/** A kernel whose every trap is recorded, and a partition running in user mode at PIL 0. */
function partition(verdict: TrapOutcome = 'return') {
  const board = new Leon3Board({ memorySize: 1 << 20 });
  const traps: TrapInfo[] = [];
  board.installSupervisor((trap) => {
    traps.push(trap);
    return verdict;
  });
  board.enterUser(board.createUserContext({ name: 'p0', physicalBase: 0x8_0000, size: 0x1_0000 }));
  const summary = () => traps.map((trap) => [trap.class, trap.number, trap.name, trap.instruction, trap.fromMode]);
  return { board, processor: board.processor, cpu: new SparcNativeCpu(board.processor), traps, summary };
}

const privileged = (instruction: string) => ['privileged', 0x03, 'privileged_instruction', instruction, 'user'];
const software = (n: number) => ['software', 0x80 + n, 'trap_instruction', `ta 0x${n.toString(16)}`, 'user'];

describe('SparcNativeCpu in supervisor mode (bare metal)', () => {
  it('disables with ta 9 (cookie = the PSR at trap entry, in %g1) and restores with ta 10, nested', () => {
    const { board, processor, cpu, start } = bareMetal();
    cpu.isrSetLevel(0);
    expect(processor.psr).toBe(0xf300_00e0);
    const outer = cpu.isrDisable();
    const inner = cpu.isrDisable();
    // impl 0xF, ver 3, S, PS (the trap came from supervisor code), ET, CWP 7 (the trap window).
    expect([outer, inner, processor.pil]).toEqual([0xf300_00e7, 0xf300_0fe7, 15]);
    cpu.isrEnable(inner);
    expect(cpu.isrGetLevel()).toBe(15);
    cpu.isrEnable(outer);
    expect([processor.psr, cpu.isrGetLevel()]).toEqual([0xf300_00e0, 0]);
    // RDPSR + WRPSR, four software traps, two RDPSR.
    expect(charged(board) - start).toBe(2 * PRIV + 4 * SOFTWARE_TRAP + 2 * PRIV);
  });

  it('flashes with ta 10 then ta 9, and sets any level 0..15 in PIL with RDPSR/WRPSR', () => {
    const { board, processor, cpu, start } = bareMetal();
    const cookie = cpu.isrDisable();
    cpu.isrFlash(0xf300_00e7);
    expect([processor.pil, processor.readRegister('g1')]).toEqual([15, 0xf300_00e7]);
    cpu.isrSetLevel(7);
    expect(processor.psr).toBe(0xf300_07e0);
    cpu.isrSetLevel(0x13);
    expect(processor.pil).toBe(3);
    expect(cookie).toBe(0xf300_0fe7);
    expect(charged(board) - start).toBe(3 * SOFTWARE_TRAP + 4 * PRIV);
  });

  it('installs interrupt_level_n through RTEMS _ISR_Handler: PIL = level and traps on while the ISR runs', () => {
    const { board, processor, cpu, table, start } = bareMetal();
    const seen: Array<[number, number, number, boolean, number]> = [];
    cpu.vectorInstall(table, 10, (level) => {
      const cookie = cpu.isrDisable();
      cpu.isrEnable(cookie);
      seen.push([level, board.board.now, processor.pil, processor.trapsAreEnabled, cookie]);
    });
    // RDTBR and the four words of the slot.
    expect(charged(board) - start).toBe(PRIV + 4 * MEM);
    expect(table.get(0x1a)).toBeDefined();
    expect(() => cpu.vectorInstall(table, 16, () => {})).toThrow(RangeError);

    board.irqmp.setMasked(10, false);
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
    board.board.queue.at(10_000, () => board.deviceLine(10).raise());
    board.board.runUntil(20_000);
    // The ISR's own ta 9 returned PIL 10 with ET set, from trap window 6 (CWP 0, trap window 7).
    expect(seen).toEqual([[10, 10_000, 10, true, 0xf300_0ae6]]);
    expect([processor.pil, processor.trapsAreEnabled, processor.halted, processor.stopReason]).toEqual([0, true, false, undefined]);
  });

  it('makes room when the interrupt lands in the invalid window, so the ISR can trap', () => {
    const { board, processor, cpu, table } = bareMetal();
    cpu.isrSetLevel(0);
    // Six calls deep: CWP 2, every window but 1 live, window 1 (the next trap window) invalid.
    for (let i = 0; i < 6; i++) processor.save();
    expect([processor.cwp, processor.wim]).toEqual([2, 0x02]);
    let level = 0;
    cpu.vectorInstall(table, 5, () => {
      const cookie = cpu.isrDisable();
      cpu.isrEnable(cookie);
      level = processor.pil;
    });
    board.irqmp.setMasked(5, false);
    board.deviceLine(5).raise();
    processor.setWorkload({ next: () => WAIT_FOR_INTERRUPT, preempted: () => {} });
    const before = charged(board);
    processor.start();
    board.board.runUntil(1_000_000);
    expect(processor.stopReason).toBeUndefined();
    expect(level).toBe(5);
    // Windows 3..7 and 0 stored; window 3 is now the invalid one; back in window 2.
    expect(processor.sparcStats.windowsSpilled).toBe(6);
    expect([processor.cwp, processor.wim]).toEqual([2, 1 << 3]);
    expect(processor.stats.overheadCycles).toBe(
      before + ENTRY + PRIV + 6 * SPILL + PRIV + PRIV + 2 * SOFTWARE_TRAP + PRIV + EXIT,
    );
  });

  it('idles with the LEON3 power-down and halts for good through ta 0 into error mode', () => {
    const { processor, cpu } = bareMetal();
    cpu.idle();
    expect(processor.halted).toBe(true);
    expect(() => cpu.fatalHalt(5, 42)).toThrow(ExecutionAbandoned);
    expect(processor.stopReason).toBe('error mode: trap tt=0x80 with ET=0');
    expect(['g1', 'g2', 'g3'].map((name) => processor.readRegister(name))).toEqual([1, 5, 42]);
  });
});

describe('SparcNativeCpu in user mode (inside a partition)', () => {
  it('ta 9 and ta 10 go to the kernel trap table; PIL does not move', () => {
    const { processor, cpu, summary } = partition();
    const cookie = cpu.isrDisable();
    cpu.isrEnable(cookie);
    expect(summary()).toEqual([software(9), software(10)]);
    expect(processor.pil).toBe(0);
    expect(processor.mode).toBe('user');
  });

  it('RDPSR, WRPSR, the power-down, WRTBR and RDTBR raise privileged_instruction', () => {
    const { processor, cpu, summary } = partition();
    const kernelTable = processor.trapTable!;
    const kernelEntry = kernelTable.get(0x1a);
    expect(cpu.isrGetLevel()).toBe(0);
    cpu.isrSetLevel(15);
    cpu.idle();
    cpu.selectTrapTable(TABLE_BASE);
    const own = new TrapTable('guest');
    cpu.vectorInstall(own, 10, () => {});
    expect(summary()).toEqual([privileged('rd %psr'), privileged('rd %psr'), privileged('wr %psr'), privileged('wr %asr19'), privileged('wr %tbr'), privileged('rd %tbr')]);
    expect([processor.pil, processor.halted, processor.tbr & ~0xfff]).toEqual([0, false, 0]);
    // The kernel's table is untouched; the slot went into the guest's own image.
    expect(processor.trapTable).toBe(kernelTable);
    expect(kernelTable.get(0x1a)).toBe(kernelEntry);
  });

  it('fatal halt is a ta 0 the kernel sees; a kernel that stops the partition unwinds it', () => {
    const { processor, cpu, summary } = partition();
    cpu.fatalHalt(5, 42);
    expect(summary()).toEqual([software(0)]);
    expect(processor.stopReason).toBeUndefined();
    const abandoned = partition('abandon');
    expect(() => abandoned.cpu.isrDisable()).toThrow(ExecutionAbandoned);
  });
});
