/**
 * The Constant Bandwidth Server Scheduler API's types and return codes (RTEMS 6
 * <rtems/cbs.h> and <rtems/score/schedulercbs.h>), for `rtems.cbs*` under the configuration's
 * `scheduler: 'cbs'`. The directives return these ints, not a Classic RtemsStatus.
 */
import type { Rtems } from './rtems.js';

/** A CBS return code: RTEMS_CBS_OK or one of the negative RTEMS_CBS_ERROR_* (an int). */
export type CbsStatus = number;

/** RTEMS_CBS_OK (SCHEDULER_CBS_OK). */
export const RTEMS_CBS_OK = 0;
/** RTEMS_CBS_ERROR_GENERIC (SCHEDULER_CBS_ERROR_GENERIC). */
export const RTEMS_CBS_ERROR_GENERIC = -16;
/** RTEMS_CBS_ERROR_NO_MEMORY: documented for initialize and create_server; RTEMS 6's static server list never runs out. */
export const RTEMS_CBS_ERROR_NO_MEMORY = -17;
/**
 * SCHEDULER_CBS_ERROR_INVALID_PARAMETER, what the directives return for a bad argument. RTEMS
 * 6's cbs.h defines RTEMS_CBS_ERROR_INVALID_PARAMETER as SCHEDULER_CBS_ERROR_INVALID_PARAM,
 * a name no header defines, so C code compares with SCHEDULER_CBS_ERROR_INVALID_PARAMETER.
 */
export const RTEMS_CBS_ERROR_INVALID_PARAMETER = -18;
export const RTEMS_CBS_ERROR_UNAUTHORIZED = -19;
export const RTEMS_CBS_ERROR_UNIMPLEMENTED = -20;
export const RTEMS_CBS_ERROR_MISSING_COMPONENT = -21;
export const RTEMS_CBS_ERROR_INCONSISTENT_STATE = -22;
export const RTEMS_CBS_ERROR_SYSTEM_OVERLOAD = -23;
export const RTEMS_CBS_ERROR_INTERNAL_ERROR = -24;
/** RTEMS_CBS_ERROR_NOT_FOUND (-25); RTEMS_CBS_ERROR_NOSERVER is the same code. */
export const RTEMS_CBS_ERROR_NOT_FOUND = -25;
export const RTEMS_CBS_ERROR_FULL = -26;
export const RTEMS_CBS_ERROR_EMPTY = -27;
/** RTEMS_CBS_ERROR_NOSERVER: SCHEDULER_CBS_ERROR_NOT_FOUND. */
export const RTEMS_CBS_ERROR_NOSERVER = -25;

/** rtems_cbs_parameters: the server's relative deadline and its budget per period, in ticks (time_t). */
export interface CbsParameters {
  readonly deadline: number;
  readonly budget: number;
}

/**
 * rtems_cbs_budget_overrun: called when a task attached to the server used up its budget
 * in a job, from the clock tick's interrupt context (like a timer service routine: a
 * generator is driven to its end, it must not block).
 */
export type CbsBudgetOverrun = (rtems: Rtems, serverId: number) => void | Generator<number, void, unknown>;

/** What cbsCreateServer and cbsGetServerId return: the server id (rtems_cbs_server_id, an index from 0). */
export interface CbsServerIdResult {
  readonly status: CbsStatus;
  readonly serverId: number;
}

/** What cbsGetParameters returns. */
export interface CbsParametersResult {
  readonly status: CbsStatus;
  readonly parameters: CbsParameters | undefined;
}

/** What cbsGetExecutionTime returns: the ticks of budget the current job used (abs_time is not written by RTEMS). */
export interface CbsExecutionTimeResult {
  readonly status: CbsStatus;
  readonly executionTime: number;
}

/** What cbsGetRemainingBudget returns, in ticks. */
export interface CbsRemainingBudgetResult {
  readonly status: CbsStatus;
  readonly remainingBudget: number;
}

/** What cbsGetApprovedBudget returns, in ticks. */
export interface CbsApprovedBudgetResult {
  readonly status: CbsStatus;
  readonly approvedBudget: number;
}
