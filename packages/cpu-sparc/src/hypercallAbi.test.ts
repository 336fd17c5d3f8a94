import { describe, expect, it } from 'vitest';
import { SPARC_DEFAULT_COSTS, sparcCosts } from './costs.js';
import { sparcHypercallAbi } from './hypercallAbi.js';
import { trapClass, trapName } from './trapTypes.js';

describe('sparcHypercallAbi', () => {
  it('defaults to ta 0x70 (tt 0xF0): number in %g1, arguments %o0-%o5, results %o0 and %o1', () => {
    expect(sparcHypercallAbi()).toEqual({
      arch: 'sparc',
      trapNumber: 0xf0,
      trapInstruction: 'ta 0x70',
      numberRegister: 'g1',
      argumentRegisters: ['o0', 'o1', 'o2', 'o3', 'o4', 'o5'],
      resultRegister: 'o0',
      extraResultRegisters: ['o1'],
    });
    expect(sparcHypercallAbi(0x20).trapNumber).toBe(0xa0);
  });

  it("refuses RTEMS's own software traps and numbers outside 0..127", () => {
    for (const taken of [0, 3, 9, 10, 11]) expect(() => sparcHypercallAbi(taken)).toThrow(/RTEMS/);
    expect(() => sparcHypercallAbi(128)).toThrow(RangeError);
    expect(() => sparcHypercallAbi(-1)).toThrow(RangeError);
  });
});

describe('sparcCosts', () => {
  it('overrides single entries and rejects unknown keys and bad values', () => {
    expect(sparcCosts({ trapEntry: 20 })).toEqual({ ...SPARC_DEFAULT_COSTS, trapEntry: 20 });
    expect(sparcCosts()).toEqual(SPARC_DEFAULT_COSTS);
    expect(() => sparcCosts({ trapEntry: -1 })).toThrow(RangeError);
    expect(() => sparcCosts({ trapEntry: 1.5 })).toThrow(RangeError);
    expect(() => sparcCosts({ flushw: 3 } as never)).toThrow(/unknown SPARC cost/);
  });
});

describe('trap types', () => {
  it('names and classes follow V8 Table 7-1', () => {
    const table = [0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x09, 0x11, 0x1f, 0x2a, 0x29, 0x80, 0xf0, 0x60, 0x40].map((tt) => [tt, trapName(tt), trapClass(tt, 0xf0)]);
    expect(table).toEqual([
      [0x01, 'instruction_access_exception', 'memory'],
      [0x02, 'illegal_instruction', 'illegal'],
      [0x03, 'privileged_instruction', 'privileged'],
      [0x05, 'window_overflow', 'protection'],
      [0x06, 'window_underflow', 'protection'],
      [0x07, 'mem_address_not_aligned', 'memory'],
      [0x09, 'data_access_exception', 'memory'],
      [0x11, 'interrupt_level_1', 'interrupt'],
      [0x1f, 'interrupt_level_15', 'interrupt'],
      [0x2a, 'division_by_zero', 'arithmetic'],
      [0x29, 'data_access_error', 'memory'],
      [0x80, 'trap_instruction', 'software'],
      [0xf0, 'trap_instruction', 'hypercall'],
      [0x60, 'impl_dependent_exception_0x60', 'protection'],
      [0x40, 'reserved_0x40', 'protection'],
    ]);
  });
});
