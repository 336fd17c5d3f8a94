/**
 * POK's error kinds and the recovery actions of its partition-level error handling.
 *
 * POK (kernel/core/error.c) declares an error either to the partition's error-handler
 * process, if the partition created one, or to the partition's generated error handler,
 * whose action per error kind comes from the configuration; with no recovery configured,
 * POK's debug build reports the error and stops the partition (pok_fatal). Here:
 *  - HANDLER passes the error to the guest as the HM_EVENT virtual interrupt (the
 *    equivalent of POK's error-handler process);
 *  - IGNORE records it and lets the partition go on;
 *  - IDLE stops the partition; COLD_START / WARM_START restart it.
 */
export const POK_ERROR_KINDS = [
  'DEADLINE_MISSED',
  'APPLICATION_ERROR',
  'NUMERIC_ERROR',
  'ILLEGAL_REQUEST',
  'STACK_OVERFLOW',
  'MEMORY_VIOLATION',
  'HARDWARE_FAULT',
  'POWER_FAIL',
  'PARTITION_CONFIGURATION',
  'PARTITION_INIT',
  'PARTITION_SCHEDULING',
  'PARTITION_HANDLER',
  'PARTITION_PROCESS',
] as const;

export type PokErrorKind = (typeof POK_ERROR_KINDS)[number];

export const POK_ACTIONS = ['IGNORE', 'HANDLER', 'IDLE', 'COLD_START', 'WARM_START'] as const;
export type PokAction = (typeof POK_ACTIONS)[number];

/**
 * Default actions when the configuration sets none. Faults the hardware raises stop the
 * partition (POK's pok_fatal with no recovery configured); errors the guest reports itself
 * (an application error, a deadline miss) are recorded and the partition goes on.
 */
export const DEFAULT_POK_ACTIONS: Readonly<Record<PokErrorKind, PokAction>> = {
  DEADLINE_MISSED: 'IGNORE',
  APPLICATION_ERROR: 'IGNORE',
  NUMERIC_ERROR: 'IDLE',
  ILLEGAL_REQUEST: 'IDLE',
  STACK_OVERFLOW: 'IDLE',
  MEMORY_VIOLATION: 'IDLE',
  HARDWARE_FAULT: 'IDLE',
  POWER_FAIL: 'IDLE',
  PARTITION_CONFIGURATION: 'IDLE',
  PARTITION_INIT: 'IDLE',
  PARTITION_SCHEDULING: 'IDLE',
  PARTITION_HANDLER: 'IDLE',
  PARTITION_PROCESS: 'IGNORE',
};

export function isPokErrorKind(value: string): value is PokErrorKind {
  return (POK_ERROR_KINDS as readonly string[]).includes(value);
}

export function isPokAction(value: string): value is PokAction {
  return (POK_ACTIONS as readonly string[]).includes(value);
}
