/**
 * The ARINC 653 enumerations the API carries. They are defined once, with ARINC's numeric
 * values, in @paravirt/machine (arinc653.ts: the guest executive's APEX and this contract
 * speak the same ones, and machine is the layer both may import); this module re-exports
 * them under the API's names (ARINC's OPERATING_MODE_TYPE is the API's PartitionMode) and
 * adds what is the API's own: name tables, range checks, ModuleAction.
 */
import { ErrorCode, OperatingMode } from '@paravirt/machine';

export { OperatingMode as PartitionMode, StartCondition, PortDirection, PortKind, Validity, QueuingDiscipline, ErrorCode } from '@paravirt/machine';

/** The partition modes by value (ARINC names), for reports. */
export const PARTITION_MODE_NAMES = ['IDLE', 'COLD_START', 'WARM_START', 'NORMAL'] as const satisfies readonly (keyof typeof OperatingMode)[];
/** The error codes by value (ARINC names). */
export const ERROR_CODE_NAMES = [
  'DEADLINE_MISSED',
  'APPLICATION_ERROR',
  'NUMERIC_ERROR',
  'ILLEGAL_REQUEST',
  'STACK_OVERFLOW',
  'MEMORY_VIOLATION',
  'HARDWARE_FAULT',
  'POWER_FAIL',
] as const satisfies readonly (keyof typeof ErrorCode)[];

/** True for a PartitionMode value (machine's OperatingMode). */
export function isPartitionMode(value: number): value is OperatingMode {
  return Number.isInteger(value) && value >= OperatingMode.IDLE && value <= OperatingMode.NORMAL;
}

export function isErrorCode(value: number): value is ErrorCode {
  return Number.isInteger(value) && value >= ErrorCode.DEADLINE_MISSED && value <= ErrorCode.POWER_FAIL;
}

/** Module-level control actions (Hypercall.MODULE_CONTROL). */
export const ModuleAction = { SHUTDOWN: 0, RESET: 1 } as const;
export type ModuleAction = (typeof ModuleAction)[keyof typeof ModuleAction];
