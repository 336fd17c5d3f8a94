import { describe, expect, it } from 'vitest';
import { I386_DEFAULT_COSTS, I386_DEFAULT_FREQUENCY_HZ, i386Costs } from './costs.js';
import { i386HypercallAbi } from './hypercallAbi.js';

describe('i386HypercallAbi', () => {
  it("describes POK's int 42 convention", () => {
    expect(i386HypercallAbi()).toEqual({
      arch: 'i386',
      trapNumber: 0x2a,
      trapInstruction: 'int 0x2a',
      numberRegister: 'eax',
      argumentRegisters: ['ebx', 'ecx', 'edx', 'esi', 'edi'],
      resultRegister: 'eax',
      extraResultRegisters: ['edx'],
    });
  });

  it('takes another vector outside the exception range', () => {
    expect(i386HypercallAbi(0x80).trapInstruction).toBe('int 0x80');
    expect(i386HypercallAbi(0x80).trapNumber).toBe(128);
    expect(() => i386HypercallAbi(13)).toThrow(RangeError);
    expect(() => i386HypercallAbi(256)).toThrow(RangeError);
  });
});

describe('i386 costs', () => {
  it('defaults to a 100 MHz part with 486 timings and documented assumptions', () => {
    expect(I386_DEFAULT_FREQUENCY_HZ).toBe(100_000_000);
    expect(I386_DEFAULT_COSTS).toEqual({
      trapEntry: 71,
      trapExit: 36,
      privilegedInstruction: 5,
      ioAccess: 100,
      memoryAccess: 1,
      threadContextSwitch: 30,
      windowSpill: 0,
      addressSpaceSwitch: 45,
      hypercallDispatch: 150,
      virqUpcall: 120,
      fpContextSave: 143,
      fpContextRestore: 120,
    });
  });

  it('applies overrides and rejects values that are not whole cycle counts', () => {
    expect(i386Costs({ trapEntry: 99, trapExit: 82 })).toEqual({ ...I386_DEFAULT_COSTS, trapEntry: 99, trapExit: 82 });
    expect(() => i386Costs({ ioAccess: -1 })).toThrow(RangeError);
    expect(() => i386Costs({ ioAccess: 1.5 })).toThrow(RangeError);
    expect(() => i386Costs({ bogus: 1 } as never)).toThrow(/unknown/);
  });
});
