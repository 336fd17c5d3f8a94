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

  it('tick later / tick later usec / tick before (rtems/rtems/clock.h): uint32_t arithmetic, usec rounded up to ticks plus one', () => {
    const h = harness(function* (rtems, h) {
      yield* rtems.taskWakeAfter(3);
      const now = rtems.clockGetTicksSinceBoot();
      // 1 ms ticks: 0 us is the next tick, 1..1000 us two ticks on, 1001 us three.
      const later = [rtems.clockTickLater(0), rtems.clockTickLater(5), rtems.clockTickLater(0xffff_ffff), rtems.clockTickLater(2 ** 32 + 1)];
      const usec = [0, 1, 1000, 1001, 0xffff_ffff].map((us) => rtems.clockTickLaterUsec(us));
      const before = [now, now + 1, now - 1, now + 0x7fff_ffff, now + 0x8000_0000, 2 ** 32 + now + 1].map((tick) => rtems.clockTickBefore(tick));
      h.note(`now=${now} later=${later.join(',')} usec=${usec.join(',')} before=${before.join(',')}`);
    });
    h.run(5_000_000);
    // 0xffffffff + 999 wraps to 998 us: 0 ticks, plus one. 2^32 + 1 ticks is 1 tick, as C converts it.
    expect(h.log).toEqual(['3000000 now=3 later=3,8,2,4 usec=4,5,5,6,4 before=false,true,false,true,false,true']);
  });

  it('a busy wait with tick later usec and tick before ends on the tick after the delay', () => {
    const h = harness(function* (rtems, h) {
      const timeout = rtems.clockTickLaterUsec(2500);
      let polls = 0;
      while (rtems.clockTickBefore(timeout)) {
        polls++;
        yield rtems.compute(10_000); // 0.1 ms
      }
      h.note(`timeout tick ${timeout}, polls ${polls}`);
    });
    h.run(10_000_000);
    // 2500 us is 3 ticks, plus one: tick 4, reached at 4 ms after 40 polls of 0.1 ms.
    expect(h.log).toEqual(['4000000 timeout tick 4, polls 40']);
  });

  it('realtime, monotonic and boot time (RTEMS 6 clock.h; tc-timecounter-install.c): 1988 at boot, monotonic from 1 s, moved by clock set', () => {
    const h = harness(function* (rtems, h) {
      const show = (): string => {
        const rt = rtems.clockGetRealtime();
        const mono = rtems.clockGetMonotonic();
        const boot = rtems.clockGetBootTime();
        return `rt ${rt.seconds}.${rt.nanoseconds} mono ${mono.seconds}.${mono.nanoseconds} boot ${boot.seconds}.${boot.nanoseconds}`;
      };
      const tv = rtems.clockGetTodTimeval();
      h.note(`tod timeval ${tv.status} ${tv.time === undefined ? 'undefined' : 'a timeval'}; ${show()}`);
      h.note(`sbt ${rtems.clockGetMonotonicSbintime()} bt ${rtems.clockGetMonotonicBintime().seconds}/${rtems.clockGetMonotonicBintime().fraction} up ${rtems.clockGetUptimeSeconds()}s ${rtems.clockGetUptimeNanoseconds()}ns`);
      yield* rtems.taskWakeAfter(1500);
      h.note(show());
      const all = [
        rtems.clockGetRealtimeTimeval(),
        rtems.clockGetRealtimeCoarseTimeval(),
        rtems.clockGetMonotonicTimeval(),
        rtems.clockGetMonotonicCoarseTimeval(),
        rtems.clockGetBootTimeTimeval(),
        rtems.clockGetUptimeTimeval(),
      ].map((t) => `${t.seconds}.${t.microseconds}`);
      h.note(`timevals ${all.join(' ')}`);
      const bins = [rtems.clockGetRealtimeBintime(), rtems.clockGetRealtimeCoarseBintime(), rtems.clockGetMonotonicBintime(), rtems.clockGetMonotonicCoarseBintime(), rtems.clockGetBootTimeBintime()].map(
        (b) => `${b.seconds}/${b.fraction}`,
      );
      h.note(`bintimes ${bins.join(' ')}`);
      const coarse = [rtems.clockGetRealtimeCoarse(), rtems.clockGetMonotonicCoarse()].map((t) => `${t.seconds}.${t.nanoseconds}`);
      h.note(`coarse ${coarse.join(' ')} sbt ${rtems.clockGetMonotonicSbintime()} up ${rtems.clockGetUptimeSeconds()}s ${rtems.clockGetUptimeNanoseconds()}ns`);
      yield* rtems.clockSet(tod({ ticks: 250 }));
      const set = rtems.clockGetTodTimeval();
      h.note(`tod timeval ${set.status} ${set.time!.seconds}.${set.time!.microseconds}; ${show()}`);
      yield* rtems.taskWakeAfter(1);
      h.note(show());
    });
    h.run(3_000_000_000);
    expect(h.log).toEqual([
      '0 tod timeval 11 undefined; rt 567993600.0 mono 1.0 boot 567993599.0',
      '0 sbt 4294967296 bt 1/0 up 0s 0ns',
      '1500000000 rt 567993601.500000000 mono 2.500000000 boot 567993599.0',
      '1500000000 timevals 567993601.500000 567993601.500000 2.500000 2.500000 567993599.0 1.500000',
      '1500000000 bintimes 567993601/9223372036500000000 567993601/9223372036500000000 2/9223372036500000000 2/9223372036500000000 567993599/0',
      '1500000000 coarse 567993601.500000000 2.500000000 sbt 10737418239 up 1s 1500000000ns',
      // 1988-12-31 09:00:00 is 31568400 s after 1988-01-01; the boot time moves with the set.
      '1500000000 tod timeval 0 599562000.250000; rt 599562000.250000000 mono 2.500000000 boot 599561997.750000000',
      '1501000000 rt 599562000.251000000 mono 2.501000000 boot 599561997.750000000',
    ]);
  });
});
