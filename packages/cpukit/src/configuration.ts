/**
 * The application configuration, in the manner of RTEMS's <rtems/confdefs.h>
 * (RTEMS C User's Guide, "Configuring a System"): object maxima, the clock tick, the
 * timeslice and the Classic API initialization task. An Application supplies a
 * Partial<Configuration>; a runner may override it (e.g. the partition's clockTick).
 */
import { RTEMS_DEFAULT_ATTRIBUTES } from './attributes.js';
import { type ExtensionsTable, isList, readExtensionsTable } from './extensions.js';
import { RTEMS_NO_PREEMPT } from './modes.js';
import { type ObjectName, packName } from './objectName.js';
import { RTEMS_MINIMUM_STACK_SIZE } from './options.js';

export interface Configuration {
  /** CONFIGURE_MAXIMUM_TASKS: Classic tasks, the Init task included. */
  readonly maximumTasks: number;
  /** CONFIGURE_MAXIMUM_SEMAPHORES. */
  readonly maximumSemaphores: number;
  /** CONFIGURE_MAXIMUM_MESSAGE_QUEUES. */
  readonly maximumMessageQueues: number;
  /** CONFIGURE_MAXIMUM_TIMERS. */
  readonly maximumTimers: number;
  /** CONFIGURE_MAXIMUM_PERIODS. */
  readonly maximumPeriods: number;
  /** CONFIGURE_MAXIMUM_PARTITIONS. */
  readonly maximumPartitions: number;
  /** CONFIGURE_MAXIMUM_REGIONS. */
  readonly maximumRegions: number;
  /** CONFIGURE_MAXIMUM_PORTS (dual-ported memory). */
  readonly maximumPorts: number;
  /** CONFIGURE_MAXIMUM_BARRIERS. */
  readonly maximumBarriers: number;
  /** CONFIGURE_MAXIMUM_USER_EXTENSIONS: extension sets rtems_extension_create may create. */
  readonly maximumUserExtensions: number;
  /** CONFIGURE_MICROSECONDS_PER_TICK (confdefs default 10000: 10 ms). */
  readonly microsecondsPerTick: number;
  /** CONFIGURE_TICKS_PER_TIMESLICE (confdefs default 50). */
  readonly ticksPerTimeslice: number;
  /** CONFIGURE_INIT_TASK_NAME (default 'UI1 '). */
  readonly initTaskName: ObjectName;
  /** CONFIGURE_INIT_TASK_PRIORITY (default 1). */
  readonly initTaskPriority: number;
  /** CONFIGURE_INIT_TASK_STACK_SIZE (default RTEMS_MINIMUM_STACK_SIZE). */
  readonly initTaskStackSize: number;
  /** CONFIGURE_INIT_TASK_INITIAL_MODES (confdefs default RTEMS_NO_PREEMPT). */
  readonly initTaskInitialModes: number;
  /** CONFIGURE_INIT_TASK_ATTRIBUTES (default RTEMS_DEFAULT_ATTRIBUTES). */
  readonly initTaskAttributes: number;
  /** CONFIGURE_INIT_TASK_ARGUMENTS (default 0). */
  readonly initTaskArgument: number;
  /**
   * CONFIGURE_INITIAL_EXTENSIONS: extension sets installed before the IDLE thread is
   * created, invoked before the dynamic ones in forward order (default none).
   */
  readonly initialExtensions: readonly ExtensionsTable[];
  /**
   * The scheduler of the one processor, as confdefs' CONFIGURE_SCHEDULER_* selects it
   * (confdefs/scheduler.h): 'priority' (CONFIGURE_SCHEDULER_PRIORITY, the default: the
   * Deterministic Priority Scheduler 'UPD '), 'edf' (CONFIGURE_SCHEDULER_EDF: 'UEDF') or
   * 'cbs' (CONFIGURE_SCHEDULER_CBS: 'UCBS'). Its id is 0x0f010001 whichever it is.
   */
  readonly scheduler: SchedulerAlgorithm;
  /**
   * CONFIGURE_CBS_MAXIMUM_SERVERS: the servers rtems_cbs_create_server may create, with
   * scheduler 'cbs'. Not set: maximumTasks, as confdefs defaults it.
   */
  readonly cbsMaximumServers?: number;
}

/** The schedulers a configuration may select (Configuration.scheduler). */
export type SchedulerAlgorithm = 'priority' | 'edf' | 'cbs';

const SCHEDULER_ALGORITHMS: readonly SchedulerAlgorithm[] = ['priority', 'edf', 'cbs'];

/**
 * RTEMS_UNLIMITED_OBJECTS (rtems/config.h, OBJECTS_UNLIMITED_OBJECTS of score/object.h):
 * the flag of a resource number whose objects are allocated in blocks on demand. This
 * executive's object tables are fixed, so a configuration never has it; the
 * rtems_resource_* helpers still compute with it.
 */
export const RTEMS_UNLIMITED_OBJECTS = 0x8000_0000;

/**
 * confdefs defaults. One deliberate difference: confdefs defaults every maximum to 0
 * and refuses to build an Init task without CONFIGURE_MAXIMUM_TASKS; here
 * maximumTasks defaults to 1 so that an application without a configuration still
 * gets its Init task. The other maxima are 0, as in confdefs.
 */
export const DEFAULT_CONFIGURATION: Configuration = Object.freeze({
  maximumTasks: 1,
  maximumSemaphores: 0,
  maximumMessageQueues: 0,
  maximumTimers: 0,
  maximumPeriods: 0,
  maximumPartitions: 0,
  maximumRegions: 0,
  maximumPorts: 0,
  maximumBarriers: 0,
  maximumUserExtensions: 0,
  microsecondsPerTick: 10_000,
  ticksPerTimeslice: 50,
  initTaskName: 'UI1 ',
  initTaskPriority: 1,
  initTaskStackSize: RTEMS_MINIMUM_STACK_SIZE,
  initTaskInitialModes: RTEMS_NO_PREEMPT,
  initTaskAttributes: RTEMS_DEFAULT_ATTRIBUTES,
  initTaskArgument: 0,
  initialExtensions: Object.freeze([]),
  scheduler: 'priority',
});

/** A rule for one option: whether a value is valid, and what a valid value is (for the message). */
interface Rule {
  readonly valid: (value: unknown) => boolean;
  readonly expected: string;
  /**
   * For an option whose value is a structure: reads it once into the snapshot the
   * executive keeps, or says what is wrong (then `valid` is not used).
   */
  readonly read?: (value: unknown) => { readonly value: unknown } | { readonly problem: string };
}

/** Initial extension sets a configuration may have (a bound of this executive: confdefs has none). */
const MAX_INITIAL_EXTENSIONS = 256;

/**
 * initialExtensions: a list of at most MAX_INITIAL_EXTENSIONS extension tables, each an
 * object whose own properties are extensions (threadCreate ... threadTerminate), each a
 * function, undefined or null. Read once into frozen copies.
 */
function readInitialExtensions(value: unknown): { readonly value: unknown } | { readonly problem: string } {
  const expected = `must be a list of at most ${MAX_INITIAL_EXTENSIONS} extension tables`;
  if (!isList(value)) return { problem: `${expected}, got ${describeValue(value)}` };
  let length: number;
  try {
    length = (value as unknown[]).length;
  } catch {
    return { problem: `${expected}, got a list that cannot be read` };
  }
  if (length > MAX_INITIAL_EXTENSIONS) return { problem: `${expected}, got ${length}` };
  const tables: ExtensionsTable[] = [];
  for (let i = 0; i < length; i++) {
    let entry: unknown;
    try {
      entry = (value as unknown[])[i];
    } catch {
      return { problem: `entry ${i} cannot be read (its getter threw)` };
    }
    const read = readExtensionsTable(entry, true);
    if ('problem' in read) return { problem: `entry ${i}: ${read.problem}` };
    tables.push(read.table);
  }
  return { value: Object.freeze(tables) };
}

function whole(min: number, max: number): Rule {
  return {
    valid: (value) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
    expected: `a whole number from ${min} to ${max}`,
  };
}

/**
 * Every option the executive reads, with its limits:
 *  - object maxima: an object id's index field is 16 bits and index 0 is never used
 *    (RTEMS cpukit/include/rtems/score/object.h, OBJECTS_INDEX_MASK 0x0000ffff), so at
 *    most 65535 per class; tasks at least 1 (the Init task - see DEFAULT_CONFIGURATION);
 *  - microsecondsPerTick: confdefs clock.h refuses a value <= 0 (#error "must be
 *    positive") and derives rtems_clock_get_ticks_per_second as 1000000 / it, which must
 *    not be 0 here: 1 to 1000000;
 *  - ticksPerTimeslice: a uint32_t of at least 1 (a timeslice of 0 ticks never ends);
 *  - initTaskPriority: a Classic priority, 1..255 (rtems_task_create's check);
 *  - initTaskStackSize: confdefs inittask.h refuses one below CONFIGURE_MINIMUM_TASK_STACK_SIZE
 *    (#error), so RTEMS_MINIMUM_STACK_SIZE .. 2^32-1 (a size_t of the ILP32 targets);
 *  - initTaskInitialModes, initTaskAttributes, initTaskArgument: uint32_t
 *    (rtems_mode, rtems_attribute, rtems_task_argument on ILP32);
 *  - initTaskName: what rtems_task_create accepts (1-4 Latin-1 characters, or a non-zero
 *    32-bit packed name: rtems_is_name_valid);
 *  - scheduler: one of the CONFIGURE_SCHEDULER_* of a uniprocessor confdefs this executive
 *    has ('priority', 'edf', 'cbs');
 *  - cbsMaximumServers: an object maximum like the others (0..65535); confdefs sizes
 *    _Scheduler_CBS_Server_list with it.
 */
const RULES: Readonly<Record<keyof Configuration, Rule>> = {
  maximumTasks: whole(1, 0xffff),
  maximumSemaphores: whole(0, 0xffff),
  maximumMessageQueues: whole(0, 0xffff),
  maximumTimers: whole(0, 0xffff),
  maximumPeriods: whole(0, 0xffff),
  maximumPartitions: whole(0, 0xffff),
  maximumRegions: whole(0, 0xffff),
  maximumPorts: whole(0, 0xffff),
  maximumBarriers: whole(0, 0xffff),
  maximumUserExtensions: whole(0, 0xffff),
  microsecondsPerTick: whole(1, 1_000_000),
  ticksPerTimeslice: whole(1, 0xffff_ffff),
  initTaskName: {
    valid: (value) => packName(value) !== undefined,
    expected: 'a name of 1 to 4 Latin-1 characters or a non-zero 32-bit number',
  },
  initTaskPriority: whole(1, 255),
  initTaskStackSize: whole(RTEMS_MINIMUM_STACK_SIZE, 0xffff_ffff),
  initTaskInitialModes: whole(0, 0xffff_ffff),
  initTaskAttributes: whole(0, 0xffff_ffff),
  initTaskArgument: whole(0, 0xffff_ffff),
  initialExtensions: {
    valid: () => false,
    expected: `a list of at most ${MAX_INITIAL_EXTENSIONS} extension tables`,
    read: readInitialExtensions,
  },
  scheduler: {
    valid: (value) => typeof value === 'string' && (SCHEDULER_ALGORITHMS as readonly string[]).includes(value),
    expected: `one of ${SCHEDULER_ALGORITHMS.map((name) => JSON.stringify(name)).join(', ')} (CONFIGURE_SCHEDULER_PRIORITY, _EDF, _CBS)`,
  },
  cbsMaximumServers: whole(0, 0xffff),
};

const OPTIONS = Object.keys(RULES) as ReadonlyArray<keyof Configuration>;

/** Problems listed before the rest are summed up in one line. */
const MAX_PROBLEMS = 10;

/** What readConfiguration found: the valid options (a snapshot), and one line per problem. */
export interface ReadConfiguration {
  readonly values: Partial<Configuration>;
  readonly problems: readonly string[];
}

/** `configuration.maximumTasks`, or a quoted, shortened form for a key that is not a plain word. */
function path(key: string): string {
  if (/^[A-Za-z_$][\w$]{0,39}$/.test(key)) return `configuration.${key}`;
  const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
  return `configuration[${JSON.stringify(shown)}]`;
}

/** A short, safe description of an offending value (never runs guest code). */
function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return 'a bigint';
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}...` : JSON.stringify(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? 'a list' : 'an object';
  }
}

/**
 * Reads a configuration the way the executive uses it, never throwing: every own
 * enumerable option is read once (a getter runs once; one that throws is a problem),
 * checked against its rule, and kept in a plain snapshot. Unknown options, values of the
 * wrong type or out of range, and a configuration that is not an object are problems
 * (one line each, `configuration.<option>: must be ...`; after MAX_PROBLEMS the rest are
 * counted in one last line). `undefined` means "no configuration" (and an option set to
 * undefined means "not set").
 */
export function readConfiguration(configuration: unknown): ReadConfiguration {
  if (configuration === undefined) return { values: {}, problems: [] };
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
    return { values: {}, problems: [`configuration: must be an object of confdefs options, got ${describeValue(configuration)}`] };
  }
  let keys: string[];
  try {
    keys = Object.keys(configuration);
  } catch {
    return { values: {}, problems: ['configuration: cannot be read (listing its options threw)'] };
  }
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  let more = 0;
  const problem = (text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
    else more++;
  };
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(RULES, key)) {
      problem(`${path(key)}: unknown option (options: ${OPTIONS.join(', ')})`);
      continue;
    }
    let value: unknown;
    try {
      value = (configuration as Record<string, unknown>)[key];
    } catch {
      problem(`${path(key)}: cannot be read (its getter threw)`);
      continue;
    }
    if (value === undefined) continue;
    const rule = RULES[key as keyof Configuration];
    if (rule.read !== undefined) {
      const read = rule.read(value);
      if ('value' in read) values[key] = read.value;
      else problem(`${path(key)}: ${read.problem}`);
    } else if (rule.valid(value)) values[key] = value;
    else problem(`${path(key)}: must be ${rule.expected}, got ${describeValue(value)}`);
  }
  if (more > 0) problems.push(`configuration: ${more} more problem${more === 1 ? '' : 's'}`);
  return { values, problems };
}

/**
 * Validates an application's configuration (a user module's `configuration` export):
 * one line per problem, empty when the executive will accept it. Pure and bounded: it
 * never throws, runs each option's getter at most once, and reports at most
 * MAX_PROBLEMS + 1 lines. Messages name the option:
 * `configuration.maximumTasks: must be a whole number from 1 to 65535, got 0`.
 */
export function validateConfiguration(configuration: unknown): string[] {
  return [...readConfiguration(configuration).problems];
}

/**
 * validateConfiguration for a whole application object: reads its `configuration`
 * property safely first (a getter that throws is a problem, not an exception).
 */
export function validateApplicationConfiguration(application: unknown): string[] {
  if (typeof application !== 'object' || application === null) return [];
  let configuration: unknown;
  try {
    configuration = (application as { configuration?: unknown }).configuration;
  } catch {
    return ['configuration: cannot be read (its getter threw)'];
  }
  return validateConfiguration(configuration);
}

/**
 * Merges `layers` over the defaults (later layers win; options set to undefined are
 * skipped) and checks them (readConfiguration). For host code (tests, a runner): a bad
 * layer is a usage error, a RangeError with the first problem. The executive itself
 * never throws for a guest's configuration: it refuses it with a fatal error at boot.
 */
export function resolveConfiguration(...layers: ReadonlyArray<{ readonly [K in keyof Configuration]?: Configuration[K] | undefined } | undefined>): Configuration {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIGURATION };
  for (const layer of layers) {
    const { values, problems } = readConfiguration(layer);
    if (problems.length > 0) throw new RangeError(problems[0]);
    Object.assign(merged, values);
  }
  return Object.freeze(merged as unknown as Configuration);
}
