/**
 * The ARINC 653 enumerations, with ARINC's numeric values (ARINC 653 Part 1, APEX type
 * definitions: RETURN_CODE_TYPE, OPERATING_MODE_TYPE, START_CONDITION_TYPE,
 * PORT_DIRECTION_TYPE, QUEUING_DISCIPLINE_TYPE, VALIDITY_TYPE, ERROR_CODE_TYPE) - defined
 * once for the whole workspace.
 *
 * Why here, in the board layer: they are the standard's vocabulary, spoken on both sides
 * of the partition boundary - by the guest executive's APEX services (cpukit re-exports
 * them as its `ApexReturnCode`, `OperatingMode`, `PortDirection`, ...), by the hypervisor
 * contract (paravirt-api re-exports them as `PartitionMode`, `PortDirection`, ... and
 * builds its `Status` codes 0-6 from `ReturnCode`), by the kernels and by the runner.
 * machine is the one layer all of them may import (docs/architecture.md section 2:
 * "everything -> machine"), as it already is for the other vocabulary that crosses layers
 * with no other common ancestor (HypercallAbi, TrapClass, Workload). The alternatives:
 * cpukit importing paravirt-api would make the executive, which also runs on bare metal,
 * depend on the hypervisor contract ("cpukit knows no hypervisor"), and a types-only
 * import cannot carry them - they are runtime values (comparisons, and the reverse name
 * lookups such as `Validity[validity]` that the samples print); a package of its own
 * would add a published package, a layer and its packaging for sixty lines of enums.
 *
 * Each is a frozen const object laid out as a TypeScript numeric enum is - NAME -> value and
 * value -> NAME (`ReturnCode[2]` is 'NOT_AVAILABLE', part of cpukit's public API) - but
 * typed strictly: its type (`ReturnCode`, ...) admits the members' values only. A numeric
 * `enum` would accept any `number`, so a raw register word could reach a binding method
 * unvalidated; here the dispatcher's range checks (type guards) are what makes a number a
 * member.
 */

/** An enumeration object: its members (NAME -> value) and their names by value. */
export type Enumeration<T extends Readonly<Record<string, number>>> = Readonly<T> & { readonly [K in keyof T as T[K]]: K };

/** The values of an enumeration object's members (not its names): the enumeration's type. */
export type EnumMember<E> = E[Extract<keyof E, string>];

function enumeration<const T extends Readonly<Record<string, number>>>(members: T): Enumeration<T> {
  const both: Record<string | number, string | number> = { ...members };
  for (const [name, value] of Object.entries(members)) both[value] = name;
  return Object.freeze(both) as Enumeration<T>;
}

/**
 * The name of `value` in an enumeration object, or undefined when no member has it: the
 * reverse lookup for a number not known to be a member (a word read from a guest).
 */
export function enumName(enumeration: Readonly<Record<string | number, string | number>>, value: number): string | undefined {
  const name = Object.hasOwn(enumeration, value) ? enumeration[value] : undefined;
  return typeof name === 'string' ? name : undefined;
}


/** ARINC 653 RETURN_CODE_TYPE: what every APEX service answers. */
export const ReturnCode = enumeration({
  /** The request was performed. */
  NO_ERROR: 0,
  /** The system's state already is what was asked (port already created, mode unchanged, empty sampling port). */
  NO_ACTION: 1,
  /** Not possible now: queue full or empty. A blocking send/receive waits on this one. */
  NOT_AVAILABLE: 2,
  /** An argument is out of range or does not identify an existing object. */
  INVALID_PARAM: 3,
  /** The request does not fit the configuration (unknown port name, size, not authorised, queue overflowed). */
  INVALID_CONFIG: 4,
  /** Not allowed in the caller's current mode (port created in NORMAL mode, wrong direction, blocking in an ISR). */
  INVALID_MODE: 5,
  /** The time-out of a blocking request expired. */
  TIMED_OUT: 6,
});
export type ReturnCode = EnumMember<typeof ReturnCode>;

/** ARINC 653 OPERATING_MODE_TYPE: a partition's mode. */
export const OperatingMode = enumeration({ IDLE: 0, COLD_START: 1, WARM_START: 2, NORMAL: 3 });
export type OperatingMode = EnumMember<typeof OperatingMode>;

/** ARINC 653 START_CONDITION_TYPE: why a partition was (re)started. */
export const StartCondition = enumeration({ NORMAL_START: 0, PARTITION_RESTART: 1, HM_MODULE_RESTART: 2, HM_PARTITION_RESTART: 3 });
export type StartCondition = EnumMember<typeof StartCondition>;

/** ARINC 653 PORT_DIRECTION_TYPE. */
export const PortDirection = enumeration({ SOURCE: 0, DESTINATION: 1 });
export type PortDirection = EnumMember<typeof PortDirection>;

/** ARINC 653 QUEUING_DISCIPLINE_TYPE: the order in which processes blocked on a port are served. */
export const QueuingDiscipline = enumeration({ FIFO: 0, PRIORITY: 1 });
export type QueuingDiscipline = EnumMember<typeof QueuingDiscipline>;

/** ARINC 653 VALIDITY_TYPE: whether a sampling message is younger than its port's refresh period. */
export const Validity = enumeration({ INVALID: 0, VALID: 1 });
export type Validity = EnumMember<typeof Validity>;

/** Not an ARINC type: which of the two port services (sampling, queuing) a port belongs to. */
export const PortKind = enumeration({ SAMPLING: 0, QUEUING: 1 });
export type PortKind = EnumMember<typeof PortKind>;

/** ARINC 653 ERROR_CODE_TYPE: the errors a partition reports to the health monitor and HM tables name. */
export const ErrorCode = enumeration({
  DEADLINE_MISSED: 0,
  APPLICATION_ERROR: 1,
  NUMERIC_ERROR: 2,
  ILLEGAL_REQUEST: 3,
  STACK_OVERFLOW: 4,
  MEMORY_VIOLATION: 5,
  HARDWARE_FAULT: 6,
  POWER_FAIL: 7,
});
export type ErrorCode = EnumMember<typeof ErrorCode>;
