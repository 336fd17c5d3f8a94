/**
 * The application configuration, in the manner of RTEMS's <rtems/confdefs.h>
 * (RTEMS C User's Guide, "Configuring a System"): object maxima, the clock tick, the
 * timeslice and the Classic API initialization task. An Application supplies a
 * Partial<Configuration>; a runner may override it (e.g. the partition's clockTick).
 */
import { RTEMS_DEFAULT_ATTRIBUTES } from './attributes.js';
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
}

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
  microsecondsPerTick: 10_000,
  ticksPerTimeslice: 50,
  initTaskName: 'UI1 ',
  initTaskPriority: 1,
  initTaskStackSize: RTEMS_MINIMUM_STACK_SIZE,
  initTaskInitialModes: RTEMS_NO_PREEMPT,
  initTaskAttributes: RTEMS_DEFAULT_ATTRIBUTES,
  initTaskArgument: 0,
});

const MAXIMUM_KEYS = ['maximumTasks', 'maximumSemaphores', 'maximumMessageQueues', 'maximumTimers', 'maximumPeriods'] as const;

/**
 * Merges `layers` over the defaults (later layers win; undefined fields are skipped)
 * and checks the result. A configuration is written by the application's author or
 * the runner, so a bad one is a usage error: RangeError naming the field.
 */
export function resolveConfiguration(...layers: ReadonlyArray<Partial<Configuration> | undefined>): Configuration {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIGURATION };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (!(key in DEFAULT_CONFIGURATION)) throw new RangeError(`configuration: unknown option ${key}`);
      if (value !== undefined) merged[key] = value;
    }
  }
  const config = merged as unknown as Configuration;
  // Object indexes are 16 bits (RTEMS object id layout), index 0 is never used.
  for (const key of MAXIMUM_KEYS) wholeInRange(config, key, 0, 0xffff);
  if (config.maximumTasks < 1) throw new RangeError('configuration: maximumTasks must be at least 1 (the Init task)');
  wholeInRange(config, 'microsecondsPerTick', 1, 1_000_000);
  wholeInRange(config, 'ticksPerTimeslice', 1, 0xffff_ffff);
  wholeInRange(config, 'initTaskPriority', 1, 255);
  wholeInRange(config, 'initTaskStackSize', 0, 0xffff_ffff);
  wholeInRange(config, 'initTaskInitialModes', 0, 0xffff_ffff);
  wholeInRange(config, 'initTaskAttributes', 0, 0xffff_ffff);
  if (typeof config.initTaskArgument !== 'number' || !Number.isFinite(config.initTaskArgument)) {
    throw new RangeError(`configuration: initTaskArgument must be a number, got ${String(config.initTaskArgument)}`);
  }
  if (packName(config.initTaskName) === undefined) {
    throw new RangeError(`configuration: initTaskName must be 1-4 Latin-1 characters or a non-zero 32-bit name, got ${String(config.initTaskName)}`);
  }
  return Object.freeze(config);
}

function wholeInRange(config: Configuration, key: keyof Configuration, min: number, max: number): void {
  const value = config[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`configuration: ${key} must be a whole number in ${min}..${max}, got ${String(value)}`);
  }
}
