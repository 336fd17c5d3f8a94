/**
 * The ARINC 653 enumerations of the partition services are machine's, the one definition
 * the hypervisor contract (paravirt-api) re-exports too: not a copy that could drift.
 */
import * as machine from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { ApexReturnCode, apexReturnCodeText } from './apexReturnCode.js';
import { OperatingMode, PortDirection, PortKind, QueuingDiscipline, StartCondition, Validity } from './apexTypes.js';

describe('the APEX enumerations', () => {
  it('are the objects @paravirt/machine defines', () => {
    expect(ApexReturnCode).toBe(machine.ReturnCode);
    expect(OperatingMode).toBe(machine.OperatingMode);
    expect(StartCondition).toBe(machine.StartCondition);
    expect(PortDirection).toBe(machine.PortDirection);
    expect(QueuingDiscipline).toBe(machine.QueuingDiscipline);
    expect(Validity).toBe(machine.Validity);
    expect(PortKind).toBe(machine.PortKind);
  });

  it('keep ARINC 653 values and their names', () => {
    expect([ApexReturnCode.NO_ERROR, ApexReturnCode.TIMED_OUT, OperatingMode.NORMAL, StartCondition.HM_PARTITION_RESTART]).toEqual([0, 6, 3, 3]);
    expect([0, 2, 6, 7].map(apexReturnCodeText)).toEqual(['NO_ERROR', 'NOT_AVAILABLE', 'TIMED_OUT', 'RETURN_CODE_7']);
    expect([OperatingMode[1], Validity[1], PortDirection[0], QueuingDiscipline[1]]).toEqual(['COLD_START', 'VALID', 'SOURCE', 'PRIORITY']);
  });
});
