/**
 * ARINC 653 enumerations the API carries, with ARINC's numeric values (ARINC 653 Part 1,
 * APEX type definitions: OPERATING_MODE_TYPE, PORT_DIRECTION_TYPE, VALIDITY_TYPE,
 * QUEUING_DISCIPLINE_TYPE, ERROR_CODE_TYPE).
 */
export const PartitionMode = { IDLE: 0, COLD_START: 1, WARM_START: 2, NORMAL: 3 } as const;
export type PartitionMode = (typeof PartitionMode)[keyof typeof PartitionMode];

export const PortDirection = { SOURCE: 0, DESTINATION: 1 } as const;
export type PortDirection = (typeof PortDirection)[keyof typeof PortDirection];

export const PortKind = { SAMPLING: 0, QUEUING: 1 } as const;
export type PortKind = (typeof PortKind)[keyof typeof PortKind];

export const Validity = { INVALID: 0, VALID: 1 } as const;
export type Validity = (typeof Validity)[keyof typeof Validity];

export const QueuingDiscipline = { FIFO: 0, PRIORITY: 1 } as const;
export type QueuingDiscipline = (typeof QueuingDiscipline)[keyof typeof QueuingDiscipline];

/** ARINC 653 ERROR_CODE_TYPE, used by HM raise and HM tables. */
export const ErrorCode = {
  DEADLINE_MISSED: 0,
  APPLICATION_ERROR: 1,
  NUMERIC_ERROR: 2,
  ILLEGAL_REQUEST: 3,
  STACK_OVERFLOW: 4,
  MEMORY_VIOLATION: 5,
  HARDWARE_FAULT: 6,
  POWER_FAIL: 7,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const PARTITION_MODE_NAMES = ['IDLE', 'COLD_START', 'WARM_START', 'NORMAL'] as const;
export const ERROR_CODE_NAMES = [
  'DEADLINE_MISSED',
  'APPLICATION_ERROR',
  'NUMERIC_ERROR',
  'ILLEGAL_REQUEST',
  'STACK_OVERFLOW',
  'MEMORY_VIOLATION',
  'HARDWARE_FAULT',
  'POWER_FAIL',
] as const;

export function isPartitionMode(value: number): value is PartitionMode {
  return Number.isInteger(value) && value >= 0 && value <= 3;
}

export function isErrorCode(value: number): value is ErrorCode {
  return Number.isInteger(value) && value >= 0 && value <= 7;
}

/** Module-level control actions (Hypercall.MODULE_CONTROL). */
export const ModuleAction = { SHUTDOWN: 0, RESET: 1 } as const;
export type ModuleAction = (typeof ModuleAction)[keyof typeof ModuleAction];
