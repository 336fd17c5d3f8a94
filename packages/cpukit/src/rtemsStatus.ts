/**
 * Classic API directive status codes with RTEMS's numeric values (RTEMS C User's
 * Guide, "Directive Status Codes"; `rtems_status_code` in rtems/rtems/status.h).
 */
export enum RtemsStatus {
  SUCCESSFUL = 0,
  TASK_EXITTED = 1,
  MP_NOT_CONFIGURED = 2,
  INVALID_NAME = 3,
  INVALID_ID = 4,
  TOO_MANY = 5,
  TIMEOUT = 6,
  OBJECT_WAS_DELETED = 7,
  INVALID_SIZE = 8,
  INVALID_ADDRESS = 9,
  INVALID_NUMBER = 10,
  NOT_DEFINED = 11,
  RESOURCE_IN_USE = 12,
  UNSATISFIED = 13,
  INCORRECT_STATE = 14,
  ALREADY_SUSPENDED = 15,
  ILLEGAL_ON_SELF = 16,
  ILLEGAL_ON_REMOTE_OBJECT = 17,
  CALLED_FROM_ISR = 18,
  INVALID_PRIORITY = 19,
  INVALID_CLOCK = 20,
  INVALID_NODE = 21,
  NOT_CONFIGURED = 22,
  NOT_OWNER_OF_RESOURCE = 23,
  NOT_IMPLEMENTED = 24,
  INTERNAL_ERROR = 25,
  NO_MEMORY = 26,
  IO_ERROR = 27,
  INTERRUPTED = 28,
  PROXY_BLOCKING = 29,
}

/** rtems_status_text: the status code's name, e.g. 'RTEMS_TOO_MANY'. */
export function rtemsStatusText(status: number): string {
  const name = RtemsStatus[status];
  return name === undefined ? `RTEMS_UNKNOWN_STATUS_${status}` : `RTEMS_${name}`;
}
