/**
 * A clock driver that announces several ticks at once (a virtual BSP announcing the ticks
 * its partition missed outside its window) gets what announcing them one by one gets:
 * Score.announce counts the ticks that can only count in one step (no watchdog reaches
 * its expiry, no timeslice or CBS budget to take) and runs the others one at a time. The
 * same guest runs with both drivers; every note (tick count, uptime, time of day, in
 * order) and the executive's clock must be the same.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_DEFAULT_MODES, RTEMS_TIMESLICE } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE } from '../options.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, type Harness, harness } from './testHarness.js';

const NINE = { year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 0, ticks: 0 };

function create(rtems: Rtems, name: string, priority: number, modes = RTEMS_DEFAULT_MODES): number {
  const { status, id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, modes, RTEMS_DEFAULT_ATTRIBUTES);
  if (status !== RtemsStatus.SUCCESSFUL) throw new Error(`create ${name}: ${status}`);
  return id;
}

/** Where the guest's clock is: ticks since boot, uptime, time of day. */
function clock(rtems: Rtems): string {
  const tod = rtems.clockGetTod().tod;
  return `tick ${rtems.clockGetTicksSinceBoot()} up ${rtems.clockGetUptimeNanoseconds()} tod ${tod ? `${tod.second}.${tod.ticks}` : '-'}`;
}

/** Watchdogs of every kind, a timesliced pair and a rate-monotonic task, all noting the clock when they act. */
function* guest(rtems: Rtems, h: Harness): Generator<number, void, unknown> {
  yield* rtems.clockSet(NINE);
  const periodic = rtems.timerCreate('PER').id;
  const again = (): void => {
    h.note(`timer ${clock(rtems)}`);
    rtems.timerFireAfter(periodic, 11, again);
  };
  rtems.timerFireAfter(periodic, 11, again);
  const when = rtems.timerCreate('WHN').id;
  rtems.timerFireWhen(when, { ...NINE, second: 1 }, () => {
    h.note(`fire when ${clock(rtems)}`);
    // Again at the next second, when most ticks can only count (a routine notes the clock mid-announcement; a task only after it).
    rtems.timerFireWhen(when, { ...NINE, second: 2 }, () => h.note(`fire when ${clock(rtems)}`));
  });
  yield* rtems.taskStart(
    create(rtems, 'WAKE', 5),
    exiting(function* (rtems) {
      for (let round = 0; round < 30; round++) {
        yield* rtems.taskWakeAfter(3 + (round % 5));
        h.note(`wake ${clock(rtems)}`);
        yield rtems.compute(20_000);
      }
      yield* rtems.taskWakeWhen({ ...NINE, second: 2 });
      h.note(`wake when ${clock(rtems)}`);
    }),
    0,
  );
  yield* rtems.taskStart(
    create(rtems, 'RM', 3),
    exiting(function* (rtems) {
      const period = rtems.rateMonotonicCreate('PRD').id;
      for (let job = 0; job < 40; job++) {
        const status = yield* rtems.rateMonotonicPeriod(period, 13);
        h.note(`period ${status} ${clock(rtems)}`);
        yield rtems.compute(50_000);
      }
    }),
    0,
  );
  // For the first second, two timesliced tasks that never block: which one runs changes only
  // at a tick, so every tick counts. Then a task that is not timesliced computes for ever:
  // most ticks can only count.
  for (const name of ['SLA', 'SLB']) {
    yield* rtems.taskStart(
      create(rtems, name, 10, RTEMS_TIMESLICE),
      exiting(function* (rtems) {
        let last = -1;
        while (rtems.clockGetTicksSinceBoot() < 1000) {
          const tick = rtems.clockGetTicksSinceBoot();
          if (tick !== last) h.note(`${name} runs at ${clock(rtems)}`);
          last = tick;
          yield rtems.compute(30_000);
        }
      }),
      0,
    );
  }
  yield* rtems.taskStart(
    create(rtems, 'BUSY', 20),
    function* () {
      for (;;) yield rtems.compute(30_000);
    },
    0,
  );
}

describe('clock ticks announced several at once', () => {
  it.each([2, 7, 64])('%i ticks per announcement: the same as announcing them one by one', (ticks) => {
    const run = (oneByOne: boolean) => {
      const h = harness(guest, { configuration: { ticksPerTimeslice: 4 }, clockBatch: { ticks, oneByOne } });
      h.run(3_000_000_000);
      return h.log;
    };
    const together = run(false);
    const apart = run(true);
    expect(together).toEqual(apart);
    // The guest did what it says: every kind of watchdog acted, the pair was timesliced.
    const kinds = ['timer ', 'fire when ', 'wake ', 'wake when ', 'period ', 'SLA runs', 'SLB runs'];
    for (const kind of kinds) expect(together.some((line) => line.split(' ').slice(1).join(' ').startsWith(kind)), kind).toBe(true);
    expect(together.filter((line) => line.includes(' wake tick ')).length).toBe(30);
    expect(together.filter((line) => line.includes(' fire when ')).length).toBe(2);
  });
});
