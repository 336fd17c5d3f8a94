import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_PERIOD_STATUS, RTEMS_SELF } from '../options.js';
import { RateMonotonicState } from '../rateMonotonicState.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { harness } from './testHarness.js';

function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  yield* rtems.taskStart(id, body, 0);
  return id;
}

describe('Rate Monotonic Manager (C User\'s Guide 4.10, Rate Monotonic Manager)', () => {
  it('the first call starts the period; later calls block until it ends; the status query follows the state', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.rateMonotonicCreate('PER');
      h.note(`id 0x${id.toString(16)} status before start ${yield* rtems.rateMonotonicPeriod(id, RTEMS_PERIOD_STATUS)}`);
      for (let i = 0; i < 4; i++) {
        const status = yield* rtems.rateMonotonicPeriod(id, 4);
        h.note(`period ${i} ${status} query ${yield* rtems.rateMonotonicPeriod(id, RTEMS_PERIOD_STATUS)}`);
        yield rtems.compute(100_000); // 1 ms of work per 4 ms period
      }
      const { periodStatus } = rtems.rateMonotonicGetStatus(id);
      h.note(`state ${periodStatus!.state} count ${periodStatus!.count} missed ${periodStatus!.missedCount} since ${periodStatus!.ticksSinceLastPeriod} owner 0x${periodStatus!.owner.toString(16)}`);
    });
    h.run(20_000_000);
    expect(h.log).toEqual([
      '0 id 0x42010001 status before start 11',
      '0 period 0 0 query 0',
      '4000000 period 1 0 query 0',
      '8000000 period 2 0 query 0',
      '12000000 period 3 0 query 0',
      `13000000 state ${RateMonotonicState.ACTIVE} count 3 missed 0 since 1 owner 0xa010001`,
    ]);
    expect(h.bsp.deadlineMisses).toEqual([]);
  });

  it('an overrun is a deadline miss: TIMEOUT at once, a new period from now, counted and reported to the BSP', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.rateMonotonicCreate('OVR');
      for (let i = 0; i < 4; i++) {
        const status = yield* rtems.rateMonotonicPeriod(id, 5);
        h.note(`period ${i} ${status}`);
        yield rtems.compute(i < 2 ? 700_000 : 200_000); // 7 ms twice (overruns), then 2 ms
        if (i === 0) h.note(`query after overrun ${yield* rtems.rateMonotonicPeriod(id, RTEMS_PERIOD_STATUS)}`);
      }
      const { periodStatus } = rtems.rateMonotonicGetStatus(id);
      h.note(`count ${periodStatus!.count} missed ${periodStatus!.missedCount}`);
    });
    h.run(40_000_000);
    expect(h.log).toEqual([
      '0 period 0 0',
      '7000000 query after overrun 6',
      '7000000 period 1 6',
      '14000000 period 2 6',
      '19000000 period 3 0',
      '21000000 count 3 missed 2',
    ]);
    const statistics = h.executive.statistics();
    expect(h.bsp.deadlineMisses).toEqual([0x42010001, 0x42010001]);
    expect(statistics.deadlineMisses).toBe(2);
    // The owner exited at 21 ms without calling again: the period ran out at 24 ms.
    expect(statistics.periods).toEqual([{ id: 0x42010001, name: 'OVR ', owner: 0x0a010001, state: RateMonotonicState.EXPIRED, deleted: false, count: 3, missedCount: 2 }]);
  });

  it('only the owner may use a period (NOT_OWNER_OF_RESOURCE); cancel makes it inactive; deleting it frees a blocked owner', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.rateMonotonicCreate('PER');
      yield* spawn(rtems, 'OTH', 5, function* (rtems) {
        h.note(`other: period ${yield* rtems.rateMonotonicPeriod(id, 3)} cancel ${rtems.rateMonotonicCancel(id)}`);
        yield* rtems.taskWakeAfter(2);
        h.note(`other: delete ${yield* rtems.rateMonotonicDelete(id)}`);
      });
      yield* rtems.rateMonotonicPeriod(id, 3);
      h.note(`cancel ${rtems.rateMonotonicCancel(id)} query ${yield* rtems.rateMonotonicPeriod(id, RTEMS_PERIOD_STATUS)}`);
      yield* rtems.rateMonotonicPeriod(id, 3);
      const blocked = yield* rtems.rateMonotonicPeriod(id, 3);
      h.note(`owner released with ${blocked}; ident ${rtems.rateMonotonicIdent('PER').status} status ${rtems.rateMonotonicGetStatus(id).status}`);
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(10_000_000);
    // The released owner (Init, priority 1) preempts the deleting task at the end of the directive.
    expect(h.log).toEqual(['0 cancel 0 query 11', '0 other: period 23 cancel 23', '2000000 owner released with 7; ident 3 status 4', '2000000 other: delete 0']);
  });

  it('TOO_MANY at maximumPeriods and ident by name', () => {
    const h = harness(
      function* (rtems, h) {
        const first = rtems.rateMonotonicCreate('P1');
        const second = rtems.rateMonotonicCreate('P2');
        h.note(`0x${first.id.toString(16)} ${second.status} ident 0x${rtems.rateMonotonicIdent('P1').id.toString(16)}`);
        yield 1;
      },
      { configuration: { maximumPeriods: 1 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0x42010001 5 ident 0x42010001']);
  });
});
