/**
 * User extensions (RTEMS C User's Guide, "User Extensions Manager"; rtems/extension.h,
 * rtems/score/userext.h): the table of an extension set, installed at boot through the
 * configuration's `initialExtensions` (CONFIGURE_INITIAL_EXTENSIONS) or at run time with
 * `rtems.extensionCreate` (rtems_extension_create).
 *
 * Every extension is optional and gets the Rtems object first, then RTEMS's arguments.
 * C's `rtems_tcb *` is the task's id here (0 where C passes NULL: the executing thread
 * while the IDLE thread is being created). An extension may be a plain function or a
 * generator function (its yields are compute cycles and dispatch points, as in a task
 * body). Where they run (RTEMS 6, cpukit/score/src/userext*.c and userextimpl.h):
 *
 * | extension | when, in whose context | order |
 * |---|---|---|
 * | `threadCreate(rtems, executing, created)` | task create/construct (and IDLE at boot), by the creator; returning false makes the create fail (RTEMS_UNSATISFIED) and skips the later create extensions | forward |
 * | `threadStart(rtems, executing, started)` | task start, dispatching disabled | forward |
 * | `threadRestart(rtems, executing, restarted)` | in the restarted task itself, the next time it runs, before it starts over (both arguments are it) | forward |
 * | `threadDelete(rtems, executing, deleted)` | when a terminated task is freed: at the next task create or construct, by the creator (RTEMS 6's lazy zombie collection), or when a create extension failed | reverse |
 * | `threadSwitch(rtems, executing, heir)` | before each context switch (not the first), dispatching disabled | forward |
 * | `threadBegin(rtems, executing)` | in the task, before its entry point (again after a restart) | forward |
 * | `threadExitted(rtems, executing)` | in the task, when its entry point returned, before the fatal error THREAD_EXITTED | forward |
 * | `fatal(rtems, source, alwaysSetToFalse, code)` | system termination: a fatal error, exit (source RTEMS_FATAL_SOURCE_EXIT) | forward |
 * | `threadTerminate(rtems, executing)` | task delete or exit, before the task is gone | reverse |
 *
 * Forward order is the initial extensions by table index, then the dynamic ones in the
 * order they were created; reverse order the opposite.
 */
import type { FatalSource } from './fatalSource.js';
import type { Rtems } from './rtems.js';

/** What an extension may return: its value, or a generator that yields cycles and returns it. */
export type ExtensionResult<R> = R | Generator<number, R, unknown>;

/** rtems_extensions_table (rtems/extension.h, User_extensions_Table). */
export interface ExtensionsTable {
  /** rtems_task_create_extension: true, or false to make the create fail. */
  readonly threadCreate?: (rtems: Rtems, executing: number, created: number) => ExtensionResult<boolean>;
  /** rtems_task_start_extension. */
  readonly threadStart?: (rtems: Rtems, executing: number, started: number) => ExtensionResult<void>;
  /** rtems_task_restart_extension: `executing` and `restarted` are the restarted task. */
  readonly threadRestart?: (rtems: Rtems, executing: number, restarted: number) => ExtensionResult<void>;
  /** rtems_task_delete_extension: `executing` and `deleted` are never the same task. */
  readonly threadDelete?: (rtems: Rtems, executing: number, deleted: number) => ExtensionResult<void>;
  /** rtems_task_switch_extension (uniprocessor: before the switch). */
  readonly threadSwitch?: (rtems: Rtems, executing: number, heir: number) => ExtensionResult<void>;
  /** rtems_task_begin_extension. */
  readonly threadBegin?: (rtems: Rtems, executing: number) => ExtensionResult<void>;
  /** rtems_task_exitted_extension. */
  readonly threadExitted?: (rtems: Rtems, executing: number) => ExtensionResult<void>;
  /** rtems_fatal_extension: `alwaysSetToFalse` is false, as in RTEMS. */
  readonly fatal?: (rtems: Rtems, source: FatalSource, alwaysSetToFalse: boolean, code: number) => ExtensionResult<void>;
  /** rtems_task_terminate_extension. */
  readonly threadTerminate?: (rtems: Rtems, executing: number) => ExtensionResult<void>;
}

/** The extensions of a table, in the order of rtems_extensions_table's members. */
export const EXTENSION_NAMES: ReadonlyArray<keyof ExtensionsTable> = Object.freeze([
  'threadCreate',
  'threadStart',
  'threadRestart',
  'threadDelete',
  'threadSwitch',
  'threadBegin',
  'threadExitted',
  'fatal',
  'threadTerminate',
]);

/** What reading a guest's extension table found: a frozen copy, or why it is not one. */
export type ReadExtensionsTable = { readonly table: ExtensionsTable } | { readonly problem: string };

/**
 * Reads an extension table once, property by property, into a frozen copy that holds only
 * functions. `strict` (a configuration's initialExtensions): the table must be an object
 * whose own properties are extension names, each a function, undefined or null (C's NULL);
 * a getter or proxy trap that throws is a problem. Not strict (rtems_extension_create):
 * only the nine extensions are read and anything but a function is NULL, as C takes the
 * members of a struct; what a getter throws reaches the caller, as any guest exception.
 */
export function readExtensionsTable(value: unknown, strict: boolean): ReadExtensionsTable {
  if (typeof value !== 'object' || value === null || isList(value)) return { problem: 'not an extension table (an object of extensions)' };
  const copy: Partial<Record<keyof ExtensionsTable, unknown>> = {};
  if (!strict) {
    for (const name of EXTENSION_NAMES) {
      const callout = (value as Record<string, unknown>)[name];
      if (typeof callout === 'function') copy[name] = callout;
    }
    return { table: Object.freeze(copy) as ExtensionsTable };
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return { problem: 'cannot be read (listing its extensions threw)' };
  }
  for (const key of keys) {
    if (!(EXTENSION_NAMES as readonly string[]).includes(key)) {
      const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
      return { problem: `${JSON.stringify(shown)} is not an extension (extensions: ${EXTENSION_NAMES.join(', ')})` };
    }
    let callout: unknown;
    try {
      callout = (value as Record<string, unknown>)[key];
    } catch {
      return { problem: `${key} cannot be read (its getter threw)` };
    }
    if (callout === undefined || callout === null) continue;
    if (typeof callout !== 'function') return { problem: `${key} must be a function, undefined or null` };
    copy[key as keyof ExtensionsTable] = callout;
  }
  return { table: Object.freeze(copy) as ExtensionsTable };
}

/** Array.isArray, which throws for a revoked proxy (then: not a list). */
export function isList(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}
