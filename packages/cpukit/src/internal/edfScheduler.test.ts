/**
 * The EDF scheduler (configuration `scheduler: 'edf'`), checked against the Classic API
 * Guide ("Scheduling Concepts: Earliest Deadline First Scheduler", "Rate Monotonic
 * Manager") and RTEMS 6's scheduleredf*.c and ratemonperiod.c: background priorities,
 * jobs released by rate-monotonic periods with the period's end as deadline, the earliest
 * deadline first, FIFO among equal deadlines, preemption, and what the priority queries
 * answer.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_BINARY_SEMAPHORE, RTEMS_DEFAULT_ATTRIBUTES, RTEMS_INHERIT_PRIORITY, RTEMS_PRIORITY, RTEMS_PRIORITY_CEILING } from '../attributes.js';
import type { SchedulerAlgorithm } from '../configuration.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT, RTEMS_SELF, RTEMS_WAIT } from '../options.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, harness } from './testHarness.js';

const SCHEDULER = 0x0f01_0001;
const MS = 100_000; // cycles in 1 ms at 100 MHz

function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { status, id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  if (status !== RtemsStatus.SUCCESSFUL) throw new Error(`taskCreate ${name}: ${status}`);
  yield* rtems.taskStart(id, exiting(body), 0);
  return id;
}

function priorityOf(rtems: Rtems, id: number): number {
  return rtems.taskGetPriority(id, SCHEDULER).priority;
}

describe('EDF scheduler: identity and priorities (confdefs/scheduler.h, scheduleredf.h)', () => {
  it("is 'UEDF' with id 0x0f010001 and maximum priority 0x7fffffff; Classic priorities up to it are valid; POSIX mapping is maximum - priority", () => {
    const h = harness(
      function* (rtems, h) {
        h.note(`ident UEDF ${JSON.stringify(rtems.schedulerIdent('UEDF'))} UPD ${rtems.schedulerIdent('UPD ').status}`);
        h.note(`max ${rtems.schedulerGetMaximumPriority(SCHEDULER).priority.toString(16)}`);
        const to = [1, 0x7fff_fffe, 0x7fff_ffff, 0].map((p) => rtems.schedulerMapPriorityToPosix(SCHEDULER, p)).map((r) => `${r.status}/${r.posixPriority.toString(16)}`);
        const from = [1, 0x7fff_fffe, 0x7fff_ffff].map((p) => rtems.schedulerMapPriorityFromPosix(SCHEDULER, p)).map((r) => `${r.status}/${r.priority.toString(16)}`);
        h.note(`to ${to.join(' ')} from ${from.join(' ')}`);
        const big = rtems.taskCreate('BIG', 1000, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        const tooBig = rtems.taskCreate('TOO', 0x8000_0000, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        h.note(`create 1000 ${big.status} 0x80000000 ${tooBig.status} priority ${priorityOf(rtems, big.id)}`);
        const set = yield* rtems.taskSetPriority(big.id, 0x7fff_ffff);
        h.note(`set ${set.status}/${set.priority} now ${priorityOf(rtems, big.id).toString(16)}`);
        yield 1;
      },
      { configuration: { scheduler: 'edf' } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual([
      `0 ident UEDF {"status":${RtemsStatus.SUCCESSFUL},"id":${SCHEDULER}} UPD ${RtemsStatus.INVALID_NAME}`,
      '0 max 7fffffff',
      `0 to 0/7ffffffe 0/1 ${RtemsStatus.INVALID_PRIORITY}/0 ${RtemsStatus.INVALID_PRIORITY}/0 from 0/7ffffffe 0/1 ${RtemsStatus.INVALID_PRIORITY}/0`,
      `0 create 1000 0 0x80000000 ${RtemsStatus.INVALID_PRIORITY} priority 1000`,
      '0 set 0/1000 now 7fffffff',
    ]);
  });

  it('the configuration selects it and says clearly what it accepts', async () => {
    const { validateConfiguration } = await import('../configuration.js');
    expect(validateConfiguration({ scheduler: 'edf' })).toEqual([]);
    expect(validateConfiguration({ scheduler: 'cbs', cbsMaximumServers: 3 })).toEqual([]);
    expect(validateConfiguration({ scheduler: 'simple', cbsMaximumServers: 65_536 })).toEqual([
      'configuration.scheduler: must be one of "priority", "edf", "cbs" (CONFIGURE_SCHEDULER_PRIORITY, _EDF, _CBS), got "simple"',
      'configuration.cbsMaximumServers: must be a whole number from 0 to 65535, got 65536',
    ]);
  });
});

/**
 * Two periodic tasks whose background priorities disagree with their deadlines: A (priority
 * 50, period 5 ticks) and B (priority 10, period 10 ticks), 2 ms of work per job. Both
 * start their periods at 0 and wait for the first end, so the jobs are released by the
 * periods' timeouts: A's at 5 (deadline 10), 10 (15), 15 (20), 20 (25); B's at 10 (20), 20 (30).
 */
function twoPeriodicTasks(scheduler: SchedulerAlgorithm): string[] {
  const h = harness(
    function* (rtems, h) {
      const periodic = (name: string, length: number): TaskEntry =>
        function* (rtems) {
          const { id } = rtems.rateMonotonicCreate(name);
          yield* rtems.rateMonotonicPeriod(id, length);
          for (let job = 0; job < 3; job++) {
            yield* rtems.rateMonotonicPeriod(id, length);
            h.note(`${name} priority ${priorityOf(rtems, RTEMS_SELF)}`);
            yield rtems.compute(2 * MS);
          }
        };
      yield* spawn(rtems, 'A', 50, periodic('A', 5));
      yield* spawn(rtems, 'B', 10, periodic('B', 10));
    },
    { configuration: { scheduler } },
  );
  h.run(40_000_000);
  return h.log;
}

describe('EDF scheduler: jobs of rate-monotonic periods (ratemonperiod.c, _Scheduler_EDF_Release_job)', () => {
  it('the job with the earliest deadline runs first whatever the background priorities; the priority query answers the deadline', () => {
    expect(twoPeriodicTasks('edf')).toEqual([
      '5000000 A priority 10',
      // At 10 both are released: A's deadline 15 is before B's 20, though B's priority 10 is better than A's 50.
      '10000000 A priority 15',
      '12000000 B priority 20',
      '15000000 A priority 20',
      // At 20 B's second job (deadline 30) waits for A's third (deadline 25).
      '20000000 B priority 30',
      '30000000 B priority 40',
    ]);
  });

  it('the same tasks under the priority scheduler run by priority: B first at 10, and the query answers the priority', () => {
    expect(twoPeriodicTasks('priority')).toEqual([
      '5000000 A priority 50',
      '10000000 B priority 10',
      '12000000 A priority 50',
      '15000000 A priority 50',
      '20000000 B priority 10',
      '30000000 B priority 10',
    ]);
  });

  it('equal deadlines are served first come first served, not by background priority', () => {
    const h = harness(
      function* (rtems, h) {
        // C (priority 40) starts a 5-tick period at 0; D (priority 20) a 4-tick one at 1, then asks for 5: both jobs
        // released at 5 have the deadline 10. C's timeout was armed first, so C is released (and queued) first.
        yield* spawn(rtems, 'C', 40, function* (rtems) {
          const { id } = rtems.rateMonotonicCreate('C');
          yield* rtems.rateMonotonicPeriod(id, 5);
          yield* rtems.rateMonotonicPeriod(id, 5);
          h.note(`C runs, priority ${priorityOf(rtems, RTEMS_SELF)}`);
          yield rtems.compute(MS);
        });
        yield* spawn(rtems, 'D', 20, function* (rtems) {
          yield* rtems.taskWakeAfter(1);
          const { id } = rtems.rateMonotonicCreate('D');
          yield* rtems.rateMonotonicPeriod(id, 4);
          yield* rtems.rateMonotonicPeriod(id, 5);
          h.note(`D runs, priority ${priorityOf(rtems, RTEMS_SELF)}`);
          yield rtems.compute(MS);
        });
      },
      { configuration: { scheduler: 'edf' } },
    );
    h.run(20_000_000);
    expect(h.log).toEqual(['5000000 C runs, priority 10', '6000000 D runs, priority 10']);
  });

  it('a job released with an earlier deadline preempts a preemptible task running a later one', () => {
    const h = harness(
      function* (rtems, h) {
        // F (priority 5) has a 3-tick period and 1 ms of work; E (priority 10) one 20-tick job of 10 ms.
        yield* spawn(rtems, 'F', 5, function* (rtems) {
          const { id } = rtems.rateMonotonicCreate('F');
          yield* rtems.rateMonotonicPeriod(id, 3);
          for (let job = 0; job < 4; job++) {
            yield* rtems.rateMonotonicPeriod(id, 3);
            h.note(`F job ${job}`);
            yield rtems.compute(MS);
          }
        });
        yield* spawn(rtems, 'E', 10, function* (rtems) {
          const { id } = rtems.rateMonotonicCreate('E');
          yield* rtems.rateMonotonicPeriod(id, 20);
          h.note('E starts');
          yield rtems.compute(10 * MS);
          h.note('E ends');
        });
      },
      { configuration: { scheduler: 'edf' } },
    );
    h.run(30_000_000);
    // F's jobs (deadlines 6, 9, 12, 15) each take 1 ms out of E's job (deadline 20): E ends at 10 + 4 ms.
    expect(h.log).toEqual(['0 E starts', '3000000 F job 0', '6000000 F job 1', '9000000 F job 2', '12000000 F job 3', '14000000 E ends']);
  });

  it('cancel and delete remove the job: the task is back at its background priority (_Scheduler_EDF_Cancel_job)', () => {
    const h = harness(
      function* (rtems, h) {
        const { id } = rtems.rateMonotonicCreate('P');
        const other = rtems.rateMonotonicCreate('Q').id;
        h.note(`before ${priorityOf(rtems, RTEMS_SELF)}`);
        yield* rtems.rateMonotonicPeriod(id, 7);
        h.note(`active ${priorityOf(rtems, RTEMS_SELF)}`);
        yield* rtems.rateMonotonicPeriod(other, 4);
        h.note(`two jobs ${priorityOf(rtems, RTEMS_SELF)}`);
        h.note(`cancel ${rtems.rateMonotonicCancel(other)} ${priorityOf(rtems, RTEMS_SELF)}`);
        h.note(`delete ${yield* rtems.rateMonotonicDelete(id)} ${priorityOf(rtems, RTEMS_SELF)}`);
        const set = yield* rtems.taskSetPriority(RTEMS_SELF, RTEMS_CURRENT_PRIORITY);
        h.note(`current ${set.priority}`);
      },
      { configuration: { scheduler: 'edf' } },
    );
    h.run(5_000_000);
    expect(h.log).toEqual(['0 before 1', '0 active 7', '0 two jobs 4', '0 cancel 0 7', '0 delete 0 1', '0 current 1']);
  });
});

describe('EDF scheduler: priority inheritance and ceilings (the deadline is a priority node like the others)', () => {
  it('the owner of an inheritance mutex inherits a waiter’s deadline and runs before a task without a job', () => {
    const h = harness(
      function* (rtems, h) {
        const { id: mutex } = rtems.semaphoreCreate('MTX', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY, 0);
        const low = yield* spawn(rtems, 'L', 30, function* (rtems) {
          yield* rtems.semaphoreObtain(mutex, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note('L holds the mutex');
          yield rtems.compute(3 * MS);
          h.note(`L releases, priority ${priorityOf(rtems, RTEMS_SELF)}`);
          yield* rtems.semaphoreRelease(mutex);
          h.note(`L after release, priority ${priorityOf(rtems, RTEMS_SELF)}`);
        });
        // H (priority 25) starts a 50-tick period at 0 (deadline 50) and sleeps a tick; L (30) takes the mutex meanwhile.
        yield* spawn(rtems, 'H', 25, function* (rtems) {
          const { id } = rtems.rateMonotonicCreate('H');
          yield* rtems.rateMonotonicPeriod(id, 50);
          yield* rtems.taskWakeAfter(1);
          h.note(`H waits, L's priority ${priorityOf(rtems, low)}`);
          yield* rtems.semaphoreObtain(mutex, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note('H has the mutex');
          yield* rtems.semaphoreRelease(mutex);
        });
        yield* spawn(rtems, 'M', 20, function* (rtems) {
          yield* rtems.taskWakeAfter(2);
          h.note('M runs');
          yield rtems.compute(MS);
        });
      },
      { configuration: { scheduler: 'edf' } },
    );
    h.run(20_000_000);
    expect(h.log).toEqual([
      '0 L holds the mutex',
      // H wakes with its job (deadline 50), preempts L, blocks on the mutex, and L inherits the deadline.
      '1000000 H waits, L\'s priority 30',
      '3000000 L releases, priority 50',
      '3000000 H has the mutex',
      // M (priority 20, no job) became ready at 2 and waited for L's inherited deadline.
      '3000000 M runs',
      '4000000 L after release, priority 30',
    ]);
  });

  it('a task with a job is above every ceiling: obtaining a ceiling mutex is INVALID_PRIORITY; without a job it works', () => {
    const h = harness(
      function* (rtems, h) {
        const big = rtems.semaphoreCreate('BIG', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_PRIORITY_CEILING, 1000);
        const created = rtems.semaphoreCreate('CEI', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_PRIORITY_CEILING, 1);
        h.note(`create with ceiling 1000 ${big.status}, 1 ${created.status}`);
        const { id } = rtems.rateMonotonicCreate('P');
        yield* rtems.rateMonotonicPeriod(id, 10);
        h.note(`obtain with a job ${yield* rtems.semaphoreObtain(created.id, RTEMS_WAIT, RTEMS_NO_TIMEOUT)}`);
        rtems.rateMonotonicCancel(id);
        h.note(`obtain without ${yield* rtems.semaphoreObtain(created.id, RTEMS_WAIT, RTEMS_NO_TIMEOUT)} priority ${priorityOf(rtems, RTEMS_SELF)}`);
        yield* rtems.semaphoreRelease(created.id);
      },
      { configuration: { scheduler: 'edf' } },
    );
    h.run(5_000_000);
    expect(h.log).toEqual(['0 create with ceiling 1000 0, 1 0', `0 obtain with a job ${RtemsStatus.INVALID_PRIORITY}`, '0 obtain without 0 priority 1']);
  });
});
