/**
 * AIR's health monitor: the three ARINC 653 HM tables and their evaluation.
 *
 * How AIR's PMK handles an error (health_monitor.c, pmk_hm_isr_handler): the error
 * identifier and the system state the core is in select a level in the System HM table;
 *  - MODULE level: the Module HM table gives the action for (state, error): RESET restarts
 *    the module, SHUTDOWN stops it, anything else (IGNORE, or no entry) ignores it;
 *  - PARTITION and PROCESS levels (and a missing system entry) go to the partition's own
 *    Partition HM table: IDLE halts the partition, COLD_START / WARM_START restart it with
 *    start condition HM_PARTITION_RESTART, and IGNORE (or no entry) passes the event to the
 *    partition's operating system, which AIR does by injecting a trap into the guest and
 *    here is the HM_EVENT virtual interrupt (the guest's error handler decides, as ARINC 653
 *    has the process-level error handler do).
 * Every event goes into the module HM log first (pmk_add_hm_log_entry).
 *
 * Vocabulary, with AIR's numbering (air.h, the configurator's HM definitions):
 *  - system states (air_state_e): MODULE_INIT 0, MODULE_EXEC 1, PARTITION_INIT 2,
 *    PARTITION_EXEC 3, PARTITION_PROC 4, PARTITION_HM 5, MODULE_HM 6;
 *  - error identifiers (air_error_e): POWER 0, VIOLATION 1 (privileged instruction in user
 *    mode, unexpected trap), SEGMENTATION 2 (memory access faults), UNIMPLEMENTED 3,
 *    FLOAT 4, ARITHMETIC 5, DIVISION_BY_0 6, IO 7, USR0-USR7 8-15 (user-defined);
 *  - levels: PROCESS 0, PARTITION 1, MODULE 2; actions: IGNORE 0, SHUTDOWN 1, RESET 2,
 *    IDLE 3, COLD_START 4, WARM_START 5 (the numbers HM_LOG_READ and HM_STATUS report).
 */
import type { ErrorKind } from '@paravirt/kernel-core';
import { ERROR_CODE_NAMES, ErrorCode } from '@paravirt/paravirt-api';

export const AIR_SYSTEM_STATES = ['MODULE_INIT', 'MODULE_EXEC', 'PARTITION_INIT', 'PARTITION_EXEC', 'PARTITION_PROC', 'PARTITION_HM', 'MODULE_HM'] as const;
export type SystemStateName = (typeof AIR_SYSTEM_STATES)[number];
export const SystemState = {
  MODULE_INIT: 0,
  MODULE_EXEC: 1,
  PARTITION_INIT: 2,
  PARTITION_EXEC: 3,
  PARTITION_PROC: 4,
  PARTITION_HM: 5,
  MODULE_HM: 6,
} as const satisfies Record<SystemStateName, number>;

export const AIR_ERRORS = [
  'POWER_ERROR',
  'VIOLATION_ERROR',
  'SEGMENTATION_ERROR',
  'UNIMPLEMENTED_ERROR',
  'FLOAT_ERROR',
  'ARITHMETIC_ERROR',
  'DIVISION_BY_0_ERROR',
  'IO_ERROR',
  'USR0_ERROR',
  'USR1_ERROR',
  'USR2_ERROR',
  'USR3_ERROR',
  'USR4_ERROR',
  'USR5_ERROR',
  'USR6_ERROR',
  'USR7_ERROR',
] as const;
export type AirErrorName = (typeof AIR_ERRORS)[number];
export const AirError = Object.fromEntries(AIR_ERRORS.map((name, index) => [name, index])) as Readonly<Record<AirErrorName, number>>;

export const HM_LEVELS = ['PROCESS', 'PARTITION', 'MODULE'] as const;
export type HmLevel = (typeof HM_LEVELS)[number];

export const MODULE_HM_ACTIONS = ['IGNORE', 'SHUTDOWN', 'RESET'] as const;
export type ModuleHmAction = (typeof MODULE_HM_ACTIONS)[number];
export const PARTITION_HM_ACTIONS = ['IGNORE', 'IDLE', 'WARM_START', 'COLD_START'] as const;
export type PartitionHmAction = (typeof PARTITION_HM_ACTIONS)[number];
export type HmAction = ModuleHmAction | PartitionHmAction;

/** AIR configurator's HM_ERROR_ACTIONS numbering. */
export const HM_ACTION_NUMBERS: Readonly<Record<HmAction, number>> = { IGNORE: 0, SHUTDOWN: 1, RESET: 2, IDLE: 3, COLD_START: 4, WARM_START: 5 };
/** AIR configurator's HM_ERROR_LEVELS numbering. */
export const HM_LEVEL_NUMBERS: Readonly<Record<HmLevel, number>> = { PROCESS: 0, PARTITION: 1, MODULE: 2 };

export type ArincErrorName = (typeof ERROR_CODE_NAMES)[number];

export const SYSTEM_STATE_COUNT = AIR_SYSTEM_STATES.length;
export const AIR_ERROR_COUNT = AIR_ERRORS.length;

/** An AIR error identifier's name ('SEGMENTATION_ERROR'); a number that is none says so. */
export function airErrorName(error: number): string {
  return AIR_ERRORS[error] ?? `AIR error ${error}`;
}

/** A system state's name ('PARTITION_EXEC'); a number that is none says so. */
export function systemStateName(state: number): string {
  return AIR_SYSTEM_STATES[state] ?? `system state ${state}`;
}

/** System HM table entry (ARINC Error_ID_Level inside a System_State_Entry). */
export interface SystemHmEntry {
  readonly state: number;
  readonly error: number;
  readonly level: HmLevel;
  /** The ARINC 653 error code the event is reported as (Error_ID_Level ErrorCode); default per error identifier. */
  readonly errorCode?: ArincErrorName;
}

/** Module HM table entry (Error_ID_Action in the Module_HM_Table). */
export interface ModuleHmEntry {
  readonly state: number;
  readonly error: number;
  readonly action: ModuleHmAction;
}

/** Partition HM table entry (Error_ID_Action in a Partition_HM_Table). */
export interface PartitionHmEntry {
  readonly state: number;
  readonly error: number;
  readonly action: PartitionHmAction;
}

export interface PartitionHmTable {
  readonly partition: string;
  readonly entries: readonly PartitionHmEntry[];
}

export interface AirHealthMonitorConfig {
  readonly system: readonly SystemHmEntry[];
  readonly module: readonly ModuleHmEntry[];
  readonly partitions: readonly PartitionHmTable[];
}

/**
 * The ARINC 653 error code each AIR error identifier is reported as when the System HM
 * table does not say (Error_ID_Level ErrorCode). The user-defined identifiers follow the
 * labels of AIR's own test configurations: 10 stack error, 12 APEX (application) error,
 * 13 deadline miss, 14 application hardware error.
 */
export const DEFAULT_ERROR_CODES: readonly ArincErrorName[] = [
  'POWER_FAIL',
  'ILLEGAL_REQUEST',
  'MEMORY_VIOLATION',
  'ILLEGAL_REQUEST',
  'NUMERIC_ERROR',
  'NUMERIC_ERROR',
  'NUMERIC_ERROR',
  'HARDWARE_FAULT',
  'APPLICATION_ERROR',
  'APPLICATION_ERROR',
  'STACK_OVERFLOW',
  'APPLICATION_ERROR',
  'APPLICATION_ERROR',
  'DEADLINE_MISSED',
  'HARDWARE_FAULT',
  'APPLICATION_ERROR',
];

/** The AIR error identifier an error the guest reports (HM_RAISE with an ARINC code) is handled as. */
export function airErrorOfCode(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.DEADLINE_MISSED:
      return AirError.USR5_ERROR;
    case ErrorCode.APPLICATION_ERROR:
      return AirError.USR4_ERROR;
    case ErrorCode.NUMERIC_ERROR:
      return AirError.ARITHMETIC_ERROR;
    case ErrorCode.ILLEGAL_REQUEST:
      return AirError.VIOLATION_ERROR;
    case ErrorCode.STACK_OVERFLOW:
      return AirError.USR2_ERROR;
    case ErrorCode.MEMORY_VIOLATION:
      return AirError.SEGMENTATION_ERROR;
    case ErrorCode.HARDWARE_FAULT:
      return AirError.USR6_ERROR;
    case ErrorCode.POWER_FAIL:
      return AirError.POWER_ERROR;
  }
}

/**
 * The AIR error identifier of each error PartitionKernel declares (its ErrorKind), as AIR's
 * PMK classifies the same event. A Record: a new ErrorKind does not compile until it is
 * mapped here.
 *  - Processor faults, as the error_map of AIR's SPARC health monitor
 *    (pmk/arch/sparc/health_monitor.c, used by sparc_hm_handler) maps trap types:
 *    privileged instruction in user mode and unexpected/unassigned traps (a software trap
 *    that is not the hypercall, an i386 INT n through a DPL-0 gate) VIOLATION; instruction
 *    fetch and load/store access errors SEGMENTATION; UNIMP and other unimplemented
 *    instructions UNIMPLEMENTED; divide by zero DIVISION_BY_0.
 *  - An unknown hypercall is a service the PMK does not implement: UNIMPLEMENTED, as an
 *    UNIMP instruction (AIR's own sparc_os_syscall, pmk/arch/sparc/syscall_asm.S, returns
 *    from a number past AIR_SYSCALL_COUNT without an HM event). A bad pointer is an access
 *    outside the partition's memory: SEGMENTATION, as a load/store access error; so is an
 *    upcall entry without code (an instruction fetch error).
 *  - What AIR has no counterpart for (guest code that threw, a step past the end of virtual
 *    time, a trap-and-emulate stall): VIOLATION, error_map's default for an unexpected trap.
 *  - An FP instruction of a partition without FPU_CONTROL ('fpu'): FLOAT, error_map's entry
 *    for tt 0x04 ("FP instruction while FPU disabled").
 */
const AIR_ERROR_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  privileged: AirError.VIOLATION_ERROR,
  software: AirError.VIOLATION_ERROR,
  memory: AirError.SEGMENTATION_ERROR,
  illegal: AirError.UNIMPLEMENTED_ERROR,
  arithmetic: AirError.DIVISION_BY_0_ERROR,
  protection: AirError.VIOLATION_ERROR,
  'unknown-hypercall': AirError.UNIMPLEMENTED_ERROR,
  'bad-address': AirError.SEGMENTATION_ERROR,
  exception: AirError.VIOLATION_ERROR,
  time: AirError.VIOLATION_ERROR,
  upcall: AirError.SEGMENTATION_ERROR,
  stall: AirError.VIOLATION_ERROR,
  fpu: AirError.FLOAT_ERROR,
};

/** The AIR error identifier of a fault or kernel-detected problem (see AIR_ERROR_OF_KIND). */
export function airErrorOfTrap(kind: ErrorKind): number {
  return AIR_ERROR_OF_KIND[kind];
}

/** What the tables decide for one event. */
export interface HmDecision {
  readonly state: number;
  readonly error: number;
  readonly level: HmLevel;
  readonly errorCode: ArincErrorName;
  readonly action: HmAction;
}

const key = (state: number, error: number): number => state * AIR_ERROR_COUNT + error;

/** The configured tables, indexed for lookup. */
export class HealthMonitorTables {
  private readonly system = new Map<number, SystemHmEntry>();
  private readonly module = new Map<number, ModuleHmAction>();
  private readonly partitions = new Map<string, Map<number, PartitionHmAction>>();

  constructor(config: AirHealthMonitorConfig) {
    for (const entry of config.system) this.system.set(key(entry.state, entry.error), entry);
    for (const entry of config.module) this.module.set(key(entry.state, entry.error), entry.action);
    for (const table of config.partitions) {
      const actions = new Map<number, PartitionHmAction>();
      for (const entry of table.entries) actions.set(key(entry.state, entry.error), entry.action);
      this.partitions.set(table.partition, actions);
    }
  }

  /**
   * Evaluates an error of `partition` in system state `state`. Missing entries behave as
   * in AIR: no system entry is handled at partition level, no module or partition action
   * is IGNORE.
   */
  decide(partition: string, state: number, error: number): HmDecision {
    const systemEntry = this.system.get(key(state, error));
    const level = systemEntry?.level ?? 'PARTITION';
    const errorCode = systemEntry?.errorCode ?? DEFAULT_ERROR_CODES[error] ?? 'APPLICATION_ERROR';
    const action: HmAction =
      level === 'MODULE' ? (this.module.get(key(state, error)) ?? 'IGNORE') : (this.partitions.get(partition)?.get(key(state, error)) ?? 'IGNORE');
    return { state, error, level, errorCode, action };
  }
}

/** System states in which a partition's own errors can happen (the tables' partition rows). */
export const PARTITION_STATES: readonly number[] = [SystemState.PARTITION_INIT, SystemState.PARTITION_EXEC, SystemState.PARTITION_PROC, SystemState.PARTITION_HM];

/**
 * A partition table for every partition state: faults the processor raises (identifiers
 * 1-7) stop the partition; the power error and the user-defined identifiers (what guests
 * report: application errors, deadline misses) are passed to the guest. `overrides` maps
 * ARINC error codes to actions, for every AIR identifier reported as that code.
 */
export function defaultPartitionHmEntries(overrides: Readonly<Partial<Record<ArincErrorName, PartitionHmAction>>> = {}): PartitionHmEntry[] {
  const entries: PartitionHmEntry[] = [];
  for (const state of PARTITION_STATES) {
    for (let error = 0; error < AIR_ERROR_COUNT; error++) {
      const hardware = error >= AirError.VIOLATION_ERROR && error <= AirError.IO_ERROR;
      const action = overrides[DEFAULT_ERROR_CODES[error]!] ?? (hardware ? 'IDLE' : 'IGNORE');
      entries.push({ state, error, action });
    }
  }
  return entries;
}

/**
 * What AIR's configurator fills a partition HM table with (air/tools/configurator/parsers/air/
 * parser.py, __complete_table): every error of a state the system table sends to partition
 * level and the XML left out gets IGNORE in the partition states up to PARTITION_PROC (state
 * ids below 5) and IDLE in PARTITION_HM. A module XML without HM tables gets this for every
 * partition, not the tables of defaultHealthMonitor.
 */
export function configuratorHealthMonitor(partitions: readonly string[]): AirHealthMonitorConfig {
  const entries: PartitionHmEntry[] = [];
  for (const state of PARTITION_STATES) {
    for (let error = 0; error < AIR_ERROR_COUNT; error++) entries.push({ state, error, action: state === SystemState.PARTITION_HM ? 'IDLE' : 'IGNORE' });
  }
  return { system: [], module: [], partitions: partitions.map((partition) => ({ partition, entries: entries.map((entry) => ({ ...entry })) })) };
}

/**
 * The tables used when a configuration defines none: every error is handled at partition
 * level (so nothing a partition does or reports can stop the module unless the integrator
 * says so), with defaultPartitionHmEntries for each partition.
 */
export function defaultHealthMonitor(
  partitions: readonly string[],
  overrides: Readonly<Record<string, Readonly<Partial<Record<ArincErrorName, PartitionHmAction>>>>> = {},
): AirHealthMonitorConfig {
  return {
    system: [],
    module: [],
    partitions: partitions.map((partition) => ({ partition, entries: defaultPartitionHmEntries(overrides[partition]) })),
  };
}

export function isArincErrorName(value: string): value is ArincErrorName {
  return (ERROR_CODE_NAMES as readonly string[]).includes(value);
}

/**
 * The Error_ID_Level ErrorCode values AIR's configurator accepts, as in AIR
 * (air/tools/configurator/parsers/a653/definitions.py, VALID_ERROR_CODE_TYPE), and the ARINC
 * 653 error code each one names: AIR spells ARINC's POWER_FAIL as POWER_FAILURE.
 */
export const AIR_XML_ERROR_CODES: ReadonlyMap<string, ArincErrorName> = new Map(
  ERROR_CODE_NAMES.map((name): [string, ArincErrorName] => [name === 'POWER_FAIL' ? 'POWER_FAILURE' : name, name]),
);

export function isHmLevel(value: string): value is HmLevel {
  return (HM_LEVELS as readonly string[]).includes(value);
}

export function isModuleHmAction(value: string): value is ModuleHmAction {
  return (MODULE_HM_ACTIONS as readonly string[]).includes(value);
}

export function isPartitionHmAction(value: string): value is PartitionHmAction {
  return (PARTITION_HM_ACTIONS as readonly string[]).includes(value);
}
