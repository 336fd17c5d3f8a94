/**
 * The ARINC 653 APEX enumerations the partition services carry, with ARINC's numeric
 * values (ARINC 653 Part 1, APEX type definitions: PORT_DIRECTION_TYPE,
 * QUEUING_DISCIPLINE_TYPE, VALIDITY_TYPE, OPERATING_MODE_TYPE, START_CONDITION_TYPE),
 * and the special time-out values of the blocking port services.
 */

export enum PortDirection {
  SOURCE = 0,
  DESTINATION = 1,
}

/** The order in which processes blocked on a queuing port are served. */
export enum QueuingDiscipline {
  FIFO = 0,
  PRIORITY = 1,
}

/** Whether a sampling message is younger than its port's refresh period. */
export enum Validity {
  INVALID = 0,
  VALID = 1,
}

export enum OperatingMode {
  IDLE = 0,
  COLD_START = 1,
  WARM_START = 2,
  NORMAL = 3,
}

/** Why the partition was (re)started. */
export enum StartCondition {
  NORMAL_START = 0,
  PARTITION_RESTART = 1,
  HM_MODULE_RESTART = 2,
  HM_PARTITION_RESTART = 3,
}

/** Not an ARINC type: which of the two port services a port belongs to. */
export enum PortKind {
  SAMPLING = 0,
  QUEUING = 1,
}

/**
 * A blocking send or receive that waits as long as it takes (ARINC INFINITE_TIME_VALUE,
 * -1). Note: RTEMS_NO_TIMEOUT is 0, which for the port services means "do not wait"
 * (ARINC: a TIME_OUT of 0 polls).
 */
export const APEX_INFINITE_TIME_VALUE = -1;

/** A blocking send or receive that only tries once (ARINC TIME_OUT 0). */
export const APEX_NO_WAIT = 0;

/** ARINC MAX_ERROR_MESSAGE_SIZE: the longest message RAISE_APPLICATION_ERROR accepts. */
export const APEX_MAX_ERROR_MESSAGE_SIZE = 128;

/** ARINC MAX_NAME_LENGTH: the longest port name (in bytes). */
export const APEX_MAX_NAME_LENGTH = 30;
