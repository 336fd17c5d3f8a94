import { describe, expect, it } from 'vitest';
import { harness } from './testHarness.js';

const tod = (overrides: Partial<Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'ticks', number>> = {}) => ({
  year: 1988,
  month: 12,
  day: 31,
  hour: 9,
  minute: 0,
  second: 0,
  ticks: 0,
  ...overrides,
});

describe('Clock Manager (C User\'s Guide, Clock Manager)', () => {
  it('answers NOT_DEFINED before the clock is set and validates the time of day (INVALID_CLOCK, INVALID_ADDRESS)', () => {
    const h = harness(
      function* (rtems, h) {
        const before = rtems.clockGetTod();
        const seconds = rtems.clockGetSecondsSinceEpoch();
        h.note(`get ${before.status} ${before.tod === undefined ? 'undefined' : 'a time of day'} seconds ${seconds.status}`);
        const statuses: number[] = [];
        for (const bad of [tod({ year: 1987 }), tod({ year: 2100 }), tod({ month: 0 }), tod({ month: 2, day: 29, year: 1989 }), tod({ day: 0 }), tod({ hour: 24 }), tod({ minute: 60 }), tod({ second: 60 }), tod({ ticks: 100 }), tod({ second: 1.5 })]) {
          statuses.push(yield* rtems.clockSet(bad));
        }
        statuses.push(yield* rtems.clockSet(null as never));
        statuses.push(yield* rtems.clockSet(tod({ month: 2, day: 29 })));
        h.note(statuses.join(' '));
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 get 11 undefined seconds 11', '0 20 20 20 20 20 20 20 20 20 20 9 0']);
  });

  it('keeps the time of day advancing by the tick, across a year boundary, and counts seconds from the 1988 epoch', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.clockSet(tod());
        h.note(`epoch seconds ${rtems.clockGetSecondsSinceEpoch().seconds}`);
        yield* rtems.clockSet(tod({ hour: 23, minute: 59, second: 59, ticks: 98 }));
        yield* rtems.taskWakeAfter(1);
        const first = rtems.clockGetTod().tod!;
        yield* rtems.taskWakeAfter(1);
        const second = rtems.clockGetTod().tod!;
        const show = (t: typeof first): string => `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}:${t.second}.${t.ticks}`;
        h.note(`${show(first)} then ${show(second)}`);
        const { uptime } = rtems.clockGetUptime();
        h.note(`ticks ${rtems.clockGetTicksSinceBoot()} per second ${rtems.clockGetTicksPerSecond()} uptime ${uptime.seconds}s ${uptime.nanoseconds}ns`);
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(30_000_000);
    expect(h.log).toEqual(['0 epoch seconds 31568400', '20000000 1988-12-31 23:59:59.99 then 1989-1-1 0:0:0.0', '20000000 ticks 2 per second 100 uptime 0s 20000000ns']);
  });

  it('derives ticks per second by integer division, like RTEMS (3 ms ticks: 333 per second)', () => {
    const h = harness(
      function* (rtems, h) {
        h.note(`${rtems.clockGetTicksPerSecond()}`);
        yield 1;
      },
      { configuration: { microsecondsPerTick: 3000 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 333']);
  });
});
