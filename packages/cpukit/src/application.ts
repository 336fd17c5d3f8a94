/**
 * A guest application: what a sample or a user module provides. The executive starts
 * `init` as the Classic API initialization task (CONFIGURE_RTEMS_INIT_TASKS_TABLE) with
 * the configured argument. A user module is a JS/TS file whose default export (or
 * named export `application`) has this shape.
 */
import type { Configuration } from './configuration.js';
import type { Rtems } from './rtems.js';

export interface Application {
  /** Short name used on the command line and in reports: 'ticker'. */
  readonly name: string;
  readonly description: string;
  /** confdefs-style settings: object maxima, microsecondsPerTick, the Init task's attributes. */
  readonly configuration?: Partial<Configuration>;
  /** The Init task body, started by the executive with the configured argument. */
  init(rtems: Rtems, argument: number): Generator<number, void, unknown>;
}
