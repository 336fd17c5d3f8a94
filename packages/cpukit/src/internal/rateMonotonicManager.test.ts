import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_PERIOD_STATUS, RTEMS_SELF } from '../options.js';
import { RateMonotonicState } from '../rateMonotonicState.js';
import { RtemsStatus } from '../rtemsStatus.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { exiting, harness } from './testHarness.js';

function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  yield* rtems.taskStart(id, exiting(body), 0);
  return id;
}

describe('Rate Monotonic Manager (RTEMS 6: ratemonperiod.c, ratemontimeout.c)', () => {
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

  it('an overrun is a deadline miss per period overrun: the grid is kept, postponed jobs are released at once with TIMEOUT (RTEMS 6)', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.rateMonotonicCreate('OVR');
      for (let i = 0; i < 4; i++) {
        const status = yield* rtems.rateMonotonicPeriod(id, 5);
        h.note(`period ${i} ${status}`);
        yield rtems.compute(i < 2 ? 700_000 : 200_000); // 7 ms twice (overruns), then 2 ms
        if (i === 0) {
          const { periodStatus } = rtems.rateMonotonicGetStatus(id);
          h.note(`query after overrun ${yield* rtems.rateMonotonicPeriod(id, RTEMS_PERIOD_STATUS)} postponed ${periodStatus!.postponedJobs}`);
        }
      }
      const { periodStatus } = rtems.rateMonotonicGetStatus(id);
      h.note(`count ${periodStatus!.count} missed ${periodStatus!.missedCount} postponed ${periodStatus!.postponedJobs}`);
    });
    h.run(40_000_000);
    // Periods end at 5, 10, 15, 20 ms (the grid). The first job runs 0-7: the period ends at 5
    // with the owner busy (a postponed job). At 7 the call concludes it as missed and releases
    // the postponed job at once (TIMEOUT); it runs 7-14, past its deadline at 10 (another
    // postponed job), so the call at 14 is TIMEOUT too; the job released there is the one
    // of [10, 15), which ends at 16, after 15: TIMEOUT again, and the job of [15, 20) starts at
    // once; it ends at 18, in time.
    expect(h.log).toEqual([
      '0 period 0 0',
      '7000000 query after overrun 6 postponed 1',
      '7000000 period 1 6',
      '14000000 period 2 6',
      '16000000 period 3 6',
      '18000000 count 3 missed 3 postponed 0',
    ]);
    const statistics = h.executive.statistics();
    expect(h.bsp.deadlineMisses).toEqual([0x42010001, 0x42010001, 0x42010001]);
    expect(statistics.deadlineMisses).toBe(3);
    // The owner exited at 18 ms without calling again: the period ran out at 20 ms and goes on expiring.
    expect(statistics.periods).toEqual([{ id: 0x42010001, name: 'OVR ', owner: 0x0a010001, state: RateMonotonicState.EXPIRED, deleted: false, count: 3, missedCount: 3 }]);
  });

  it('a job in time after postponed ones blocks again on the grid; statistics keep CPU and wall time per job; reset and report', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.rateMonotonicCreate('STA');
      const before = rtems.rateMonotonicGetStatistics(id).statistics!;
      h.note(`before count ${before.count} min ${before.minCpuTimeNs === Number.MAX_SAFE_INTEGER ? 'unset' : before.minCpuTimeNs}`);
      const work = [100_000, 300_000, 50_000, 100_000]; // 1 ms, 3 ms (overrun of a 2 ms period), 0.5 ms, 1 ms
      for (const cycles of work) {
        const status = yield* rtems.rateMonotonicPeriod(id, 2);
        h.note(`period ${status}`);
        yield rtems.compute(cycles);
      }
      const { periodStatus } = rtems.rateMonotonicGetStatus(id);
      h.note(`since ${periodStatus!.sinceLastPeriodNs} executed ${periodStatus!.executedSinceLastPeriodNs}`);
      const stats = rtems.rateMonotonicGetStatistics(id).statistics!;
      h.note(`count ${stats.count} missed ${stats.missedCount} cpu ${stats.minCpuTimeNs}/${stats.maxCpuTimeNs}/${stats.totalCpuTimeNs} wall ${stats.minWallTimeNs}/${stats.maxWallTimeNs}/${stats.totalWallTimeNs}`);
      rtems.rateMonotonicReportStatistics();
      h.note(`reset ${rtems.rateMonotonicResetStatistics(id)} ${rtems.rateMonotonicGetStatistics(id).statistics!.count} bad ${rtems.rateMonotonicResetStatistics(0x42010099)} ${rtems.rateMonotonicGetStatistics(0x42010099).status}`);
      rtems.rateMonotonicReportStatistics();
    });
    h.run(20_000_000);
    // Periods of 2 ms from 0: the first job runs 0-1 and waits; the second runs 2-5, past the
    // period's end at 4 (a postponed job), so the call at 5 concludes it as missed and releases
    // the postponed job of [4, 6) at once (TIMEOUT); it runs 5-5.5 and waits for 6 (the call
    // returns then); the last job runs 6-7.
    expect(h.log.slice(0, 6)).toEqual(['0 before count 0 min unset', '0 period 0', '2000000 period 0', '5000000 period 6', '6000000 period 0', '7000000 since 1000000 executed 1000000']);
    // Three jobs concluded: 0-1 (1 ms CPU, 1 ms wall), 2-5 (3 ms and 3 ms, missed), and the
    // postponed one released at 5 and done at 5.5: a postponed job does not restart the
    // period's clocks (_Rate_monotonic_Release_postponed_job), so its times count from 2 ms:
    // 3.5 ms of wall time and 3.5 ms of the owner's CPU time.
    expect(h.log[6]).toBe('7000000 count 3 missed 1 cpu 1000000/3500000/7500000 wall 1000000/3500000/7500000');
    expect(h.log[7]).toBe(`7000000 reset 0 0 bad ${RtemsStatus.INVALID_ID} ${RtemsStatus.INVALID_ID}`);
    expect(h.consoleText()).toBe(
      [
        'Period information by period\n',
        '--- CPU times are in seconds ---\n',
        '--- Wall times are in seconds ---\n',
        '   ID     OWNER COUNT MISSED          CPU TIME                  WALL TIME\n',
        '                                    MIN/MAX/AVG                MIN/MAX/AVG\n',
        '0x42010001 UI1      3      1 0.001000/0.003500/0.002500 0.001000/0.003500/0.002500\n',
      ].join('') +
        [
          'Period information by period\n',
          '--- CPU times are in seconds ---\n',
          '--- Wall times are in seconds ---\n',
          '   ID     OWNER COUNT MISSED          CPU TIME                  WALL TIME\n',
          '                                    MIN/MAX/AVG                MIN/MAX/AVG\n',
          '0x42010001 UI1      0      0 \n',
        ].join(''),
    );
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
