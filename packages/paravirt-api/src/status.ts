import { ReturnCode } from '@paravirt/machine';

/**
 * The one status-code enum of the API, architecture- and kernel-agnostic. Codes 0-6 are
 * ARINC 653's RETURN_CODE_TYPE (ARINC 653 Part 1, APEX "Return code" definitions; machine's
 * ReturnCode, the one definition) so APEX services map one to one; 7-9 are ours.
 */
export const Status = {
  /** NO_ERROR: the request was performed. */
  OK: ReturnCode.NO_ERROR,
  /** NO_ACTION: the system's state already is what was asked (e.g. mode unchanged). */
  NO_ACTION: ReturnCode.NO_ACTION,
  /** NOT_AVAILABLE: not possible now (queue full or empty, no message, resource busy). */
  NOT_AVAILABLE: ReturnCode.NOT_AVAILABLE,
  /** INVALID_PARAM: an argument is out of range or malformed. */
  INVALID_PARAM: ReturnCode.INVALID_PARAM,
  /** INVALID_CONFIG: the request does not fit the configuration (unknown port, queue overflowed). */
  INVALID_CONFIG: ReturnCode.INVALID_CONFIG,
  /** INVALID_MODE: not allowed in the caller's current mode/state. */
  INVALID_MODE: ReturnCode.INVALID_MODE,
  /** TIMED_OUT: a time limit expired. */
  TIMED_OUT: ReturnCode.TIMED_OUT,
  /** The partition lacks the permission (system partition, set-schedule, ...) for this call. */
  PERMISSION: 7,
  /** An (address, length) argument is not readable/writable by the caller in its own memory. */
  BAD_ADDRESS: 8,
  /** No hypercall has this number. */
  UNKNOWN_HYPERCALL: 9,
} as const;

export type Status = (typeof Status)[keyof typeof Status];

const NAMES = new Map<number, string>(Object.entries(Status).map(([name, code]) => [code, name]));

export function statusName(code: number): string {
  return NAMES.get(code) ?? `status ${code}`;
}

export function isStatus(code: number): code is Status {
  return NAMES.has(code);
}
