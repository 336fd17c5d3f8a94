/**
 * The ARINC 653 APEX enumerations the partition services carry (PORT_DIRECTION_TYPE,
 * QUEUING_DISCIPLINE_TYPE, VALIDITY_TYPE, OPERATING_MODE_TYPE, START_CONDITION_TYPE, and
 * PortKind), and the special time-out values and limits of the APEX services.
 *
 * The enumerations are defined once, with ARINC's values, in @paravirt/machine
 * (arinc653.ts): the hypervisor contract (paravirt-api) carries the same ones, and machine
 * is the only layer cpukit may import (tooling/layers.mjs), so both re-export machine's.
 */
export { PortDirection, QueuingDiscipline, Validity, OperatingMode, StartCondition, PortKind } from '@paravirt/machine';

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
