/**
 * ticker: RTEMS's testsuites/samples/ticker. Init sets the time of day to
 * 09:00:00 12/31/1988, creates TA1, TA2 and TA3 at priority 1 and deletes itself. Each
 * task finds its index from its own id (task_number: object index - 1), then loops:
 * read the time of day; at 35 seconds or more print the END banner and exit; else
 * print its name and the time, and sleep index * 5 seconds.
 */
import {
  type Application,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_SELF,
  RTEMS_SEARCH_ALL_NODES,
  RtemsStatus,
  type TaskEntry,
  objectIdIndex,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'CLOCK TICK';
const TASK_NAMES = ['TA1 ', 'TA2 ', 'TA3 '] as const;

/** The tasks' shared body (Test_task). */
const testTask: TaskEntry = function* (rtems) {
  const { status, id } = rtems.taskIdent(RTEMS_SELF, RTEMS_SEARCH_ALL_NODES);
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
  // task_number(): the Init task has index 1, TA1 index 2.
  const index = objectIdIndex(id) - 1;
  const name = TASK_NAMES[index - 1] ?? '????';
  for (;;) {
    const { tod } = rtems.clockGetTod();
    if (tod === undefined) return rtems.fatalErrorOccurred(RtemsStatus.NOT_DEFINED);
    if (tod.second >= 35) {
      testEnd(rtems, TEST_NAME);
      rtems.exit(0);
    }
    // put_name() then print_time(): the four name characters, then the time of day.
    rtems.printf('%s - rtems_clock_get_tod - %02d:%02d:%02d   %02d/%02d/%04d\n', name, tod.hour, tod.minute, tod.second, tod.month, tod.day, tod.year);
    yield* rtems.taskWakeAfter(index * 5 * rtems.clockGetTicksPerSecond());
  }
};

export const ticker: Application = {
  name: 'ticker',
  description: 'RTEMS sample "ticker": three tasks print the time of day every 5, 10 and 15 seconds until 09:00:35',
  configuration: { maximumTasks: 4 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    const status = yield* rtems.clockSet({ year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 0, ticks: 0 });
    if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
    for (const [i, name] of TASK_NAMES.entries()) {
      const created = rtems.taskCreate(name, 1, RTEMS_MINIMUM_STACK_SIZE * 2, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      if (created.status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(created.status);
      const started = yield* rtems.taskStart(created.id, testTask, i + 1);
      if (started !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(started);
    }
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
