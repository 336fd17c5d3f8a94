import { describe, expect, it } from 'vitest';
import { harness } from './testHarness.js';

const NINE = { year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 0, ticks: 0 };

describe('Timer Manager (C User\'s Guide, Timer Manager)', () => {
  it('fire after runs the routine in interrupt context at exactly the given tick, with its id and user data', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.timerCreate('TMR');
      const status = rtems.timerFireAfter(
        id,
        3,
        (rtems, timerId, userData) => {
          h.note(`fired 0x${timerId.toString(16)} ${String(userData)} in ISR ${rtems.interruptIsInProgress()} tick ${rtems.clockGetTicksSinceBoot()}`);
        },
        'payload',
      );
      h.note(`armed ${status}`);
      yield* rtems.taskWakeAfter(10);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['0 armed 0', '3000000 fired 0x12010001 payload in ISR true tick 3']);
  });

  it('cancel disarms; reset re-arms an interval timer from now; a routine may re-arm its own timer (periodic timer)', () => {
    const h = harness(function* (rtems, h) {
      const cancelled = rtems.timerCreate('CAN').id;
      rtems.timerFireAfter(cancelled, 2, () => h.note('cancelled timer fired'));
      const neverArmed = rtems.timerCreate('NEW').id;
      h.note(`cancel ${rtems.timerCancel(cancelled)} cancel unarmed ${rtems.timerCancel(neverArmed)} reset unarmed ${rtems.timerReset(neverArmed)}`);
      const reset = rtems.timerCreate('RST').id;
      rtems.timerFireAfter(reset, 2, () => h.note('reset timer fired'));
      const periodic = rtems.timerCreate('PER').id;
      const tick = (): void => {
        h.note('periodic');
        rtems.timerFireAfter(periodic, 2, tick);
      };
      rtems.timerFireAfter(periodic, 2, tick);
      yield* rtems.taskWakeAfter(1);
      h.note(`reset ${rtems.timerReset(reset)}`);
      yield* rtems.taskWakeAfter(6);
      h.note(`delete ${rtems.timerDelete(periodic)} again ${rtems.timerDelete(periodic)} reset deleted ${rtems.timerReset(periodic)}`);
      yield* rtems.taskWakeAfter(4);
    });
    h.run(12_000_000);
    expect(h.log).toEqual([
      '0 cancel 0 cancel unarmed 0 reset unarmed 11',
      '1000000 reset 0',
      '2000000 periodic',
      '3000000 reset timer fired',
      '4000000 periodic',
      '6000000 periodic',
      '7000000 delete 0 again 4 reset deleted 4',
    ]);
  });

  it('fire when: NOT_DEFINED before the clock is set, INVALID_CLOCK for invalid or past times, fires when the time of day arrives', () => {
    const h = harness(
      function* (rtems, h) {
        const { id } = rtems.timerCreate('TOD');
        const routine = (rtems: typeof h.executive.rtems): void => {
          const { tod } = rtems.clockGetTod();
          h.note(`fired at ${tod!.hour}:${tod!.minute}:${tod!.second}`);
        };
        const before = rtems.timerFireWhen(id, { ...NINE, second: 1 }, routine);
        yield* rtems.clockSet(NINE);
        const past = rtems.timerFireWhen(id, NINE, routine);
        const invalid = rtems.timerFireWhen(id, { ...NINE, day: 32 }, routine);
        const noRoutine = rtems.timerFireWhen(id, { ...NINE, second: 1 }, undefined as never);
        const badId = rtems.timerFireWhen(0x12010009, { ...NINE, second: 1 }, routine);
        const armed = rtems.timerFireWhen(id, { ...NINE, second: 1 }, routine);
        h.note(`before ${before} past ${past} invalid ${invalid} no routine ${noRoutine} bad id ${badId} armed ${armed} reset ${rtems.timerReset(id)}`);
        yield* rtems.taskWakeAfter(200);
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(2_000_000_000);
    expect(h.log).toEqual(['0 before 11 past 20 invalid 20 no routine 9 bad id 4 armed 0 reset 11', '1000000000 fired at 9:0:1']);
  });

  it('checks fire after arguments (0 ticks, no routine, bad id), TOO_MANY at maximumTimers, and ident', () => {
    const h = harness(
      function* (rtems, h) {
        const a = rtems.timerCreate('A');
        const b = rtems.timerCreate('B');
        const c = rtems.timerCreate('C');
        const routine = (): void => {};
        h.note(
          [
            `0x${a.id.toString(16)} 0x${b.id.toString(16)} full ${c.status} name ${rtems.timerCreate('').status}`,
            `zero ${rtems.timerFireAfter(a.id, 0, routine)} no routine ${rtems.timerFireAfter(a.id, 1, 'x' as never)} bad ${rtems.timerFireAfter(0x12010005, 1, routine)}`,
            `ident 0x${rtems.timerIdent('B').id.toString(16)} ${rtems.timerIdent('Z').status}`,
          ].join(' | '),
        );
        yield 1;
      },
      { configuration: { maximumTimers: 2 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0x12010001 0x12010002 full 5 name 3 | zero 10 no routine 9 bad 4 | ident 0x12010002 3']);
  });

  it('setting the clock past a fire-when time runs the routine at once, outside interrupt context', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.clockSet(NINE);
        const { id } = rtems.timerCreate('TOD');
        rtems.timerFireWhen(id, { ...NINE, minute: 30 }, (rtems) => h.note(`fired in ISR ${rtems.interruptIsInProgress()}`));
        yield* rtems.clockSet({ ...NINE, hour: 10 });
        h.note('clock set');
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 fired in ISR false', '0 clock set']);
  });
});
