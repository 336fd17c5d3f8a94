/**
 * The Constant Bandwidth Server Scheduler API (configuration `scheduler: 'cbs'`), from the
 * Classic API Guide's chapter "Constant Bandwidth Server Scheduler API" (directives and
 * their status codes, the overrun callback, the limitations) and RTEMS 6's
 * schedulercbs*.c for what the Guide leaves open.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_CBS_ERROR_FULL, RTEMS_CBS_ERROR_INVALID_PARAMETER, RTEMS_CBS_ERROR_NOSERVER, RTEMS_CBS_OK } from '../cbs.js';
import { RTEMS_DEFAULT_MODES, RTEMS_NO_PREEMPT } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF } from '../options.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, harness } from './testHarness.js';

const SCHEDULER = 0x0f01_0001;
const MS = 100_000; // cycles in 1 ms at 100 MHz

function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry, modes = RTEMS_DEFAULT_MODES): Generator<number, number, unknown> {
  const { status, id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, modes, RTEMS_DEFAULT_ATTRIBUTES);
  if (status !== RtemsStatus.SUCCESSFUL) throw new Error(`taskCreate ${name}: ${status}`);
  yield* rtems.taskStart(id, exiting(body), 0);
  return id;
}

function priorityOf(rtems: Rtems, id: number): number {
  return rtems.taskGetPriority(id, SCHEDULER).priority;
}

describe('CBS directives and their status codes (Classic API Guide, Constant Bandwidth Server Scheduler API)', () => {
  it('every documented status code, in the order RTEMS 6 checks them', () => {
    const h = harness(
      function* (rtems, h) {
        const idle = yield* spawn(rtems, 'IDL', 100, function* (rtems) {
          yield* rtems.taskSuspend(RTEMS_SELF);
        });
        const other = yield* spawn(rtems, 'OTH', 100, function* (rtems) {
          yield* rtems.taskSuspend(RTEMS_SELF);
        });
        const line = (label: string, values: unknown[]): void => h.note(`${label}: ${values.map((v) => JSON.stringify(v)).join(' ')}`);
        line('initialize', [rtems.cbsInitialize()]);
        // create: parameters first (not positive, not whole, not an object), then a callback that is not a function, then FULL.
        line('create bad', [
          rtems.cbsCreateServer({ deadline: 0, budget: 1 }).status,
          rtems.cbsCreateServer({ deadline: 10, budget: -1 }).status,
          rtems.cbsCreateServer({ deadline: 10, budget: 1.5 }).status,
          rtems.cbsCreateServer(null as never).status,
          rtems.cbsCreateServer({ deadline: 10, budget: 2 }, 5 as never).status,
        ]);
        const first = rtems.cbsCreateServer({ deadline: 10, budget: 2 });
        const second = rtems.cbsCreateServer({ deadline: 20, budget: 5 }, null);
        line('create', [first, second, rtems.cbsCreateServer({ deadline: 30, budget: 1 }).status]);
        // Ids past the list are INVALID_PARAMETER, a destroyed server NOSERVER.
        line('destroy', [rtems.cbsDestroyServer(1), rtems.cbsDestroyServer(1), rtems.cbsDestroyServer(2), rtems.cbsDestroyServer(-1)]);
        line('parameters', [rtems.cbsGetParameters(0), rtems.cbsGetParameters(1), rtems.cbsGetParameters(2)]);
        // attach: INVALID_PARAMETER (id), NOSERVER, INVALID_PARAMETER (task), OK, FULL (server has a task), FULL (task has a server).
        const again = rtems.cbsCreateServer({ deadline: 40, budget: 4 }).serverId;
        line('attach', [
          rtems.cbsAttachThread(2, idle),
          rtems.cbsAttachThread(5, idle),
          rtems.cbsAttachThread(0, 0x0a01_0063),
          rtems.cbsAttachThread(0, idle),
          rtems.cbsAttachThread(0, other),
          rtems.cbsAttachThread(again, idle),
        ]);
        line('server id', [rtems.cbsGetServerId(idle), rtems.cbsGetServerId(other)]);
        // detach: INVALID_PARAMETER for a task that is not the server's, NOSERVER, then OK.
        line('detach', [rtems.cbsDetachThread(0, other), rtems.cbsDetachThread(again, idle), rtems.cbsDetachThread(3, idle), rtems.cbsDetachThread(0, idle), rtems.cbsDetachThread(0, idle)]);
        // set: INVALID_PARAMETER (id) before INVALID_PARAMETER (parameters) before NOSERVER.
        rtems.cbsDestroyServer(again);
        line('set', [
          rtems.cbsSetParameters(9, { deadline: 0, budget: 0 }),
          rtems.cbsSetParameters(1, { deadline: 0, budget: 3 }),
          rtems.cbsSetParameters(1, { deadline: 12, budget: 3 }),
          rtems.cbsSetParameters(0, { deadline: 12, budget: 3 }),
          rtems.cbsGetParameters(0),
        ]);
        // Without a task: no execution time, the whole budget remains.
        line('times', [rtems.cbsGetExecutionTime(0), rtems.cbsGetRemainingBudget(0), rtems.cbsGetApprovedBudget(0)]);
        line('times bad', [rtems.cbsGetExecutionTime(1).status, rtems.cbsGetRemainingBudget(7).status, rtems.cbsGetApprovedBudget(1).status]);
        line('cleanup', [rtems.cbsAttachThread(0, other), rtems.cbsCleanup(), rtems.cbsGetParameters(0).status, rtems.cbsGetServerId(other).status]);
        yield 1;
      },
      { configuration: { scheduler: 'cbs', cbsMaximumServers: 2 } },
    );
    h.run(1_000_000);
    const invalid = RTEMS_CBS_ERROR_INVALID_PARAMETER;
    const noServer = RTEMS_CBS_ERROR_NOSERVER;
    const full = RTEMS_CBS_ERROR_FULL;
    expect([invalid, noServer, full, RTEMS_CBS_OK]).toEqual([-18, -25, -26, 0]);
    expect(h.log).toEqual([
      '0 initialize: 0',
      `0 create bad: ${invalid} ${invalid} ${invalid} ${invalid} ${invalid}`,
      `0 create: {"status":0,"serverId":0} {"status":0,"serverId":1} ${full}`,
      `0 destroy: 0 ${noServer} ${invalid} ${invalid}`,
      `0 parameters: {"status":0,"parameters":{"deadline":10,"budget":2}} {"status":${noServer}} {"status":${invalid}}`,
      `0 attach: ${invalid} ${invalid} ${invalid} 0 ${full} ${full}`,
      `0 server id: {"status":0,"serverId":0} {"status":${noServer},"serverId":0}`,
      `0 detach: ${invalid} ${invalid} ${invalid} 0 ${invalid}`,
      `0 set: ${invalid} ${invalid} ${noServer} 0 {"status":0,"parameters":{"deadline":12,"budget":3}}`,
      '0 times: {"status":0,"executionTime":0} {"status":0,"remainingBudget":3} {"status":0,"approvedBudget":3}',
      `0 times bad: ${noServer} ${invalid} ${noServer}`,
      `0 cleanup: 0 0 ${noServer} ${noServer}`,
    ]);
  });

  it("is 'UCBS'; under another scheduler there are no servers (cbs.h needs CONFIGURE_SCHEDULER_CBS)", () => {
    const h = harness(function* (rtems, h) {
      h.note(`UCBS ${rtems.schedulerIdent('UCBS').status} create ${rtems.cbsCreateServer({ deadline: 10, budget: 2 }).status} approved ${rtems.cbsGetApprovedBudget(0).status}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([`0 UCBS ${RtemsStatus.INVALID_NAME} create ${RTEMS_CBS_ERROR_FULL} approved ${RTEMS_CBS_ERROR_INVALID_PARAMETER}`]);
    const cbs = harness(
      function* (rtems, h) {
        // Without cbsMaximumServers there are as many servers as tasks (CONFIGURE_CBS_MAXIMUM_SERVERS = CONFIGURE_MAXIMUM_TASKS).
        const ids = [1, 2, 3].map(() => rtems.cbsCreateServer({ deadline: 10, budget: 2 }));
        h.note(`UCBS ${JSON.stringify(rtems.schedulerIdent('UCBS'))} servers ${ids.map((r) => r.status).join(' ')}`);
        yield 1;
      },
      { configuration: { scheduler: 'cbs', maximumTasks: 2 } },
    );
    cbs.run(1_000_000);
    expect(cbs.log).toEqual([`0 UCBS {"status":0,"id":${SCHEDULER}} servers 0 0 ${RTEMS_CBS_ERROR_FULL}`]);
  });
});

describe('CBS budget accounting (schedulercbs.c: _Scheduler_CBS_Budget_at_tick, _Scheduler_CBS_Budget_callout)', () => {
  it('a job uses its budget tick by tick; the tick that takes the last one calls the overrun callback and puts the task in the background', () => {
    const h = harness(
      function* (rtems, h) {
        // U (priority 5, no job) becomes ready at 2 ms and waits while T runs by its deadline; it gets the processor when T overruns.
        yield* spawn(rtems, 'U', 5, function* (rtems) {
          yield* rtems.taskWakeAfter(2);
          h.note(`U runs, T's priority ${priorityOf(rtems, rtems.taskIdent('T', 0).id)}`);
          yield rtems.compute(1.5 * MS);
        });
        // T (priority 10, created not preemptible: attaching makes it preemptible) has a server of budget 3 per 10 ticks.
        yield* spawn(
          rtems,
          'T',
          10,
          function* (rtems) {
            const { serverId } = rtems.cbsCreateServer({ deadline: 10, budget: 3 }, (rtems, id) => {
              h.note(`overrun of server ${id}, T's priority ${priorityOf(rtems, rtems.taskIdent('T', 0).id)}`);
            });
            h.note(`attach ${rtems.cbsAttachThread(serverId, RTEMS_SELF)} server id ${JSON.stringify(rtems.cbsGetServerId(RTEMS_SELF))}`);
            const { id } = rtems.rateMonotonicCreate('T');
            yield* rtems.rateMonotonicPeriod(id, 12);
            h.note(`job released, priority ${priorityOf(rtems, RTEMS_SELF)}, remaining ${rtems.cbsGetRemainingBudget(serverId).remainingBudget}`);
            yield rtems.compute(2.5 * MS);
            h.note(`after 2.5 ms: remaining ${rtems.cbsGetRemainingBudget(serverId).remainingBudget}, executed ${rtems.cbsGetExecutionTime(serverId).executionTime}`);
            yield rtems.compute(0.6 * MS);
            h.note(`after overrun: remaining ${rtems.cbsGetRemainingBudget(serverId).remainingBudget}, executed ${rtems.cbsGetExecutionTime(serverId).executionTime}, priority ${priorityOf(rtems, RTEMS_SELF)}`);
          },
          RTEMS_NO_PREEMPT,
        );
      },
      { configuration: { scheduler: 'cbs' } },
    );
    h.run(20_000_000);
    expect(h.log).toEqual([
      '0 attach 0 server id {"status":0,"serverId":0}',
      // The period's first job: deadline 12 (the period's end), the server's budget.
      '0 job released, priority 12, remaining 3',
      // The ticks at 1 and 2 ms took two ticks of budget; U, ready since 2, waits for T's deadline.
      '2500000 after 2.5 ms: remaining 1, executed 2',
      // The tick at 3 ms took the last one: the job is cancelled (T back at priority 10) and the callback runs in the tick.
      "3000000 overrun of server 0, T's priority 10",
      "3000000 U runs, T's priority 10",
      '4600000 after overrun: remaining 0, executed 3, priority 10',
    ]);
  });

  it("a server's task that unblocks with a job is put in the background by RTEMS 6's late unblock rule; a task without a server keeps its deadline", () => {
    const h = harness(
      function* (rtems, h) {
        // T (priority 10) is attached to a server (deadline 12, budget 4) and has a 12-tick period.
        yield* spawn(rtems, 'T', 10, function* (rtems) {
          const { serverId } = rtems.cbsCreateServer({ deadline: 12, budget: 4 });
          rtems.cbsAttachThread(serverId, RTEMS_SELF);
          const { id } = rtems.rateMonotonicCreate('T');
          yield* rtems.rateMonotonicPeriod(id, 12);
          h.note(`T job, priority ${priorityOf(rtems, RTEMS_SELF)}`);
          yield rtems.compute(MS);
          yield* rtems.rateMonotonicPeriod(id, 12);
          // Released at 12 with the deadline 24 and a full budget, then cancelled at the unblock:
          // 12 * (2 * 24 - 12) > 4 * 4.
          h.note(`T unblocked, priority ${priorityOf(rtems, RTEMS_SELF)}, remaining ${rtems.cbsGetRemainingBudget(serverId).remainingBudget}`);
          yield rtems.compute(2 * MS);
          h.note('T done');
        });
        // V (priority 11) has no server: plain EDF.
        yield* spawn(rtems, 'V', 11, function* (rtems) {
          const { id } = rtems.rateMonotonicCreate('V');
          yield* rtems.rateMonotonicPeriod(id, 12);
          h.note(`V job, priority ${priorityOf(rtems, RTEMS_SELF)}`);
          yield rtems.compute(MS);
          yield* rtems.rateMonotonicPeriod(id, 12);
          h.note(`V unblocked, priority ${priorityOf(rtems, RTEMS_SELF)}`);
          yield rtems.compute(MS);
        });
      },
      { configuration: { scheduler: 'cbs' } },
    );
    h.run(30_000_000);
    expect(h.log).toEqual([
      '0 T job, priority 12',
      '1000000 V job, priority 13',
      '12000000 T unblocked, priority 10, remaining 4',
      // V's job (deadline 25) preempts T, which runs in the background.
      '13000000 V unblocked, priority 25',
      '15000000 T done',
    ]);
  });

  it('attaching makes a task preemptible; detaching gives it back the preemption mode it started with', () => {
    const h = harness(function* (rtems, h) {
      // Init starts with RTEMS_NO_PREEMPT (confdefs' default initial modes).
      const mode = function* (): Generator<number, string, unknown> {
        const { previousMode } = yield* rtems.taskMode(0, 0);
        return (previousMode & RTEMS_NO_PREEMPT) !== 0 ? 'no preempt' : 'preempt';
      };
      const { serverId } = rtems.cbsCreateServer({ deadline: 5, budget: 1 });
      h.note(`before ${yield* mode()}`);
      rtems.cbsAttachThread(serverId, RTEMS_SELF);
      h.note(`attached ${yield* mode()}`);
      rtems.cbsDetachThread(serverId, RTEMS_SELF);
      h.note(`detached ${yield* mode()}`);
    }, { configuration: { scheduler: 'cbs' } });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 before no preempt', '0 attached preempt', '0 detached no preempt']);
  });
});
