/**
 * The C tables of the configuration that rtems_configuration_get_rtems_api_configuration
 * hands out (RTEMS 6 cpukit/include/rtems/rtems/config.h: rtems_api_configuration_table;
 * rtems/rtems/tasks.h: rtems_initialization_tasks_table), in camelCase and frozen: what
 * confdefs would have put in them for the configuration the executive runs with.
 */
import type { Configuration } from '../configuration.js';
import { packName } from '../objectName.js';
import type { TaskEntry } from '../rtems.js';

/** rtems_initialization_tasks_table (CONFIGURE_INIT_TASK_*). */
export interface InitializationTasksTable {
  /** CONFIGURE_INIT_TASK_NAME, packed (rtems_name). */
  readonly name: number;
  /** CONFIGURE_INIT_TASK_STACK_SIZE. */
  readonly stackSize: number;
  /** CONFIGURE_INIT_TASK_PRIORITY. */
  readonly initialPriority: number;
  /** CONFIGURE_INIT_TASK_ATTRIBUTES. */
  readonly attributeSet: number;
  /** CONFIGURE_INIT_TASK_ENTRY_POINT: the application's `init` (undefined when the executive was built without the application). */
  readonly entryPoint: TaskEntry | undefined;
  /** CONFIGURE_INIT_TASK_INITIAL_MODES. */
  readonly modeSet: number;
  /** CONFIGURE_INIT_TASK_ARGUMENTS. */
  readonly argument: number;
}

/** rtems_api_configuration_table of RTEMS 6: the Classic API initialization tasks (the maxima have their own getters). */
export interface ApiConfigurationTable {
  /** number_of_initialization_tasks: 1, the Init task. */
  readonly numberOfInitializationTasks: number;
  /** User_initialization_tasks_table. */
  readonly userInitializationTasksTable: readonly InitializationTasksTable[];
}

export function apiConfigurationTable(config: Configuration, init: TaskEntry | undefined): ApiConfigurationTable {
  const task: InitializationTasksTable = Object.freeze({
    name: packName(config.initTaskName) ?? 0,
    stackSize: config.initTaskStackSize,
    initialPriority: config.initTaskPriority,
    attributeSet: config.initTaskAttributes,
    entryPoint: init,
    modeSet: config.initTaskInitialModes,
    argument: config.initTaskArgument,
  });
  return Object.freeze({ numberOfInitializationTasks: 1, userInitializationTasksTable: Object.freeze([task]) });
}
