/**
 * base_sp: RTEMS's testsuites/samples/base_sp ("sample single processor
 * application"). Init creates task TA1 at priority 1 with interrupt level 0, starts
 * it with argument 0 and deletes itself; the task prints its argument and its own id
 * (0xa010002: the second Classic task) and exits the application.
 */
import { type Application, RTEMS_DEFAULT_ATTRIBUTES, RTEMS_INTERRUPT_LEVEL, RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF, RTEMS_SEARCH_ALL_NODES, RtemsStatus, type TaskEntry } from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'SAMPLE SINGLE PROCESSOR APPLICATION';
const ARGUMENT = 0;

/** Application_task (apptask.c). */
const applicationTask: TaskEntry = function* (rtems, argument) {
  const { status, id } = rtems.taskIdent(RTEMS_SELF, RTEMS_SEARCH_ALL_NODES);
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
  rtems.printf('Application task was invoked with argument (%d) and has id of 0x%x\n', argument, id);
  testEnd(rtems, TEST_NAME);
  rtems.exit(0);
};

export const base_sp: Application = {
  name: 'base_sp',
  description: 'RTEMS sample "base_sp": Init starts one application task that prints its argument and id',
  configuration: { maximumTasks: 2 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    rtems.printf('Creating and starting an application task\n');
    const created = rtems.taskCreate('TA1 ', 1, RTEMS_MINIMUM_STACK_SIZE, RTEMS_INTERRUPT_LEVEL(0), RTEMS_DEFAULT_ATTRIBUTES);
    if (created.status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(created.status);
    const started = yield* rtems.taskStart(created.id, applicationTask, ARGUMENT);
    if (started !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(started);
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
