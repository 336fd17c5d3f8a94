/**
 * ARINC 653 RETURN_CODE_TYPE, with the values of ARINC 653 Part 1 (APEX "Return code"
 * definitions, apex_types.h). The partition services (`rtems.apex`) answer with these,
 * whatever hypervisor the BSP talks to; a BSP maps its hypervisor's own codes onto them.
 */
export enum ApexReturnCode {
  /** The request was performed. */
  NO_ERROR = 0,
  /** The system's state already is what was asked (port already created, mode unchanged, empty sampling port). */
  NO_ACTION = 1,
  /** Not possible now: queue full or empty. A blocking send/receive waits on this one. */
  NOT_AVAILABLE = 2,
  /** An argument is out of range or does not identify an existing object. */
  INVALID_PARAM = 3,
  /** The request does not fit the configuration (unknown port name, size, not authorised, queue overflowed). */
  INVALID_CONFIG = 4,
  /** Not allowed in the caller's current mode (port created in NORMAL mode, wrong direction, blocking in an ISR). */
  INVALID_MODE = 5,
  /** The time-out of a blocking request expired. */
  TIMED_OUT = 6,
}

/** The return code's ARINC name, e.g. 'TIMED_OUT'. */
export function apexReturnCodeText(code: number): string {
  return ApexReturnCode[code] ?? `RETURN_CODE_${code}`;
}
