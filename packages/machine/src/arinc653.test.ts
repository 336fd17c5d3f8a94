/**
 * The ARINC 653 enumerations: ARINC's values, the reverse (value -> name) lookup a numeric
 * TypeScript enum has, and types that admit the members only - never any number.
 */
import { describe, expect, it } from 'vitest';
import { enumName, ErrorCode, OperatingMode, PortDirection, PortKind, QueuingDiscipline, ReturnCode, StartCondition, Validity } from './arinc653.js';

describe('the ARINC 653 enumerations', () => {
  it('carry ARINC 653 Part 1 values', () => {
    expect([ReturnCode.NO_ERROR, ReturnCode.NOT_AVAILABLE, ReturnCode.TIMED_OUT]).toEqual([0, 2, 6]);
    expect([OperatingMode.IDLE, OperatingMode.NORMAL, StartCondition.HM_PARTITION_RESTART]).toEqual([0, 3, 3]);
    expect([PortDirection.DESTINATION, QueuingDiscipline.PRIORITY, Validity.VALID, PortKind.QUEUING]).toEqual([1, 1, 1, 1]);
    expect([ErrorCode.DEADLINE_MISSED, ErrorCode.POWER_FAIL]).toEqual([0, 7]);
  });

  it('name their members by value, as a numeric enum does, and cannot be changed', () => {
    expect([ReturnCode[2], OperatingMode[1], Validity[0], ErrorCode[5]]).toEqual(['NOT_AVAILABLE', 'COLD_START', 'INVALID', 'MEMORY_VIOLATION']);
    expect(Object.keys(PortDirection)).toEqual(['0', '1', 'SOURCE', 'DESTINATION']);
    expect(Object.isFrozen(ReturnCode)).toBe(true);
  });

  it('look a number of unknown range up without inventing a member', () => {
    expect([enumName(ReturnCode, 6), enumName(ReturnCode, 7), enumName(ReturnCode, -1), enumName(ReturnCode, 0.5)]).toEqual(['TIMED_OUT', undefined, undefined, undefined]);
  });

  it('type a value as a member only once it is one (checked by tsc)', () => {
    const word: number = 1;
    // @ts-expect-error a raw word is not a PortDirection until a range check says so
    const unchecked: PortDirection = word;
    const checked: PortDirection = word === PortDirection.SOURCE || word === PortDirection.DESTINATION ? word : PortDirection.SOURCE;
    // @ts-expect-error 9 is no ARINC return code
    const code: ReturnCode = 9;
    expect([unchecked, checked, code]).toEqual([1, 1, 9]);
  });
});
