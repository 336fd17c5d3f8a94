/**
 * idle: an application that does nothing. Init deletes itself, so only the IDLE thread
 * runs; no output. The default for partitions of imported configurations.
 */
import { type Application, RTEMS_SELF } from '@paravirt/cpukit';

export const idle: Application = {
  name: 'idle',
  description: 'Does nothing: Init deletes itself and only the IDLE thread runs (no output)',
  configuration: { maximumTasks: 1 },
  *init(rtems) {
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
