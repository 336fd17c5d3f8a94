/**
 * The instruction tables run the processor models' real instructions: executed in a
 * partition (user mode) every privileged one traps to the supervisor with its
 * architectural trap, and the sensitive-but-unprivileged i386 ones do not trap at all.
 */
import { I386Board } from '@paravirt/cpu-i386';
import { Leon3Board } from '@paravirt/cpu-sparc';
import { EventQueue, InterruptController, type Platform } from '@paravirt/machine';
import { SimpleProcessor } from '@paravirt/machine/test';
import { describe, expect, it } from 'vitest';
import { privilegedInstructions } from './nativeCpu.js';

/** Runs every instruction with `operand` in a user context; returns mnemonic -> the traps it caused. */
function runInPartition(platform: Platform, operand: (mnemonic: string) => number): Record<string, string> {
  let traps: string[] = [];
  platform.installSupervisor((trap) => {
    traps.push(`${trap.class} ${trap.name}`);
    return 'return';
  });
  platform.enterUser(platform.createUserContext({ name: 'p0', physicalBase: 0x10_0000, size: 0x1_0000 }));
  const seen: Record<string, string> = {};
  for (const instruction of privilegedInstructions(platform.processor)) {
    traps = [];
    instruction.execute(operand(instruction.mnemonic));
    seen[instruction.mnemonic] = traps.join(', ') || 'none';
  }
  return seen;
}

describe('privilegedInstructions', () => {
  it('i386 at CPL 3: #GP for the privileged ones, nothing for PUSHF/POPF, #UD/#DE for the faulting ones', () => {
    const seen = runInPartition(new I386Board({ memorySize: 1 << 21 }), (mnemonic) => (mnemonic === 'int n' ? 0x80 : mnemonic === 'mov crN, r32' ? 3 : 0));
    expect(seen).toEqual({
      cli: 'privileged #GP',
      sti: 'privileged #GP',
      hlt: 'privileged #GP',
      pushf: 'none',
      popf: 'none',
      'in al, dx': 'privileged #GP',
      'in ax, dx': 'privileged #GP',
      'out dx, al': 'privileged #GP',
      'out dx, ax': 'privileged #GP',
      lidt: 'privileged #GP',
      'mov crN, r32': 'privileged #GP',
      'mov r32, crN': 'privileged #GP',
      'int n': 'protection #GP',
      div: 'arithmetic #DE',
      ud2: 'illegal #UD',
    });
  });

  it('i386: INT n on the hypercall vector is a hypercall, MOV CR1 is #UD before the privilege check', () => {
    const board = new I386Board({ memorySize: 1 << 21 });
    const seen = runInPartition(board, (mnemonic) => (mnemonic === 'int n' ? board.hypercallAbi.trapNumber : 1));
    expect(seen['int n']).toBe('hypercall INT 0x2a');
    expect(seen['mov crN, r32']).toBe('illegal #UD');
    expect(seen['div']).toBe('none');
  });

  it('SPARC with S = 0: privileged_instruction for the state registers, RETT and power-down; Ticc, window and arithmetic traps', () => {
    const seen = runInPartition(new Leon3Board({ memorySize: 1 << 21 }), (mnemonic) => (mnemonic === 'ta n' ? 9 : 0));
    expect(seen).toMatchObject({
      'rd %psr': 'privileged privileged_instruction',
      'wr %psr': 'privileged privileged_instruction',
      'rd %wim': 'privileged privileged_instruction',
      'wr %wim': 'privileged privileged_instruction',
      'rd %tbr': 'privileged privileged_instruction',
      'wr %tbr': 'privileged privileged_instruction',
      rett: 'privileged privileged_instruction',
      'wr %asr19': 'privileged privileged_instruction',
      'ta n': 'software trap_instruction',
      udiv: 'arithmetic division_by_zero',
      unimp: 'illegal illegal_instruction',
    });
  });

  it('refuses a processor it has no table for', () => {
    expect(() => privilegedInstructions(new SimpleProcessor(new EventQueue(), new InterruptController(1)))).toThrow(/no instruction table for a simple processor/);
  });
});
