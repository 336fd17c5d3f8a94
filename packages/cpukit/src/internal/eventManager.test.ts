import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_EVENT_0, RTEMS_EVENT_1, RTEMS_EVENT_2, RTEMS_EVENT_31 } from '../eventSet.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_EVENT_ALL, RTEMS_EVENT_ANY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT, RTEMS_NO_WAIT, RTEMS_PENDING_EVENTS, RTEMS_SELF, RTEMS_WAIT } from '../options.js';
import { harness } from './testHarness.js';

describe('Event Manager (C User\'s Guide, Event Manager)', () => {
  it('EVENT_ALL waits for every requested event, EVENT_ANY for one; unrequested events stay pending', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.taskCreate('RCV', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        function* (rtems) {
          const all = yield* rtems.eventReceive(RTEMS_EVENT_0 | RTEMS_EVENT_1, RTEMS_EVENT_ALL | RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`ALL ${all.status} 0x${all.eventOut.toString(16)}`);
          const any = yield* rtems.eventReceive(RTEMS_EVENT_1 | RTEMS_EVENT_31, RTEMS_EVENT_ANY | RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`ANY ${any.status} 0x${any.eventOut.toString(16)}`);
          const pending = yield* rtems.eventReceive(RTEMS_PENDING_EVENTS, RTEMS_NO_WAIT, 0);
          h.note(`pending 0x${pending.eventOut.toString(16)}`);
        },
        0,
      );
      yield* rtems.taskWakeAfter(1);
      yield* rtems.eventSend(id, RTEMS_EVENT_0 | RTEMS_EVENT_2);
      h.note('sent 0+2');
      yield* rtems.taskWakeAfter(1);
      yield* rtems.eventSend(id, RTEMS_EVENT_1);
      h.note('sent 1');
      yield* rtems.taskWakeAfter(1);
      yield* rtems.eventSend(id, RTEMS_EVENT_31);
      h.note(`sent 31, bad id ${yield* rtems.eventSend(0x0a010009, RTEMS_EVENT_0)}`);
      yield* rtems.taskWakeAfter(1);
    });
    h.run(5_000_000);
    expect(h.log).toEqual([
      '1000000 sent 0+2',
      '2000000 sent 1',
      '2000000 ALL 0 0x3',
      '3000000 sent 31, bad id 4',
      '3000000 ANY 0 0x80000000',
      '3000000 pending 0x4',
    ]);
  });

  it('NO_WAIT answers UNSATISFIED with the part that was pending; a wait times out after the given ticks', () => {
    const h = harness(function* (rtems, h) {
      yield* rtems.eventSend(RTEMS_SELF, RTEMS_EVENT_1);
      const partial = yield* rtems.eventReceive(RTEMS_EVENT_0 | RTEMS_EVENT_1, RTEMS_EVENT_ALL | RTEMS_NO_WAIT, 0);
      h.note(`no wait ${partial.status} 0x${partial.eventOut.toString(16)}`);
      const timed = yield* rtems.eventReceive(RTEMS_EVENT_0, RTEMS_WAIT, 4);
      h.note(`timeout ${timed.status} 0x${timed.eventOut.toString(16)}`);
      const still = yield* rtems.eventReceive(RTEMS_EVENT_1, RTEMS_NO_WAIT, 0);
      h.note(`still pending ${still.status} 0x${still.eventOut.toString(16)}`);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['0 no wait 13 0x2', '4000000 timeout 6 0x0', '4000000 still pending 0 0x2']);
  });

  it('a timer service routine sends an event; the receiver runs right after the ISR', () => {
    const h = harness(function* (rtems, h) {
      const self = rtems.taskIdent(0).id;
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 3, function* (rtems) {
        h.note(`in ISR ${rtems.interruptIsInProgress()}`);
        yield* rtems.eventSend(self, RTEMS_EVENT_2);
      });
      const got = yield* rtems.eventReceive(RTEMS_EVENT_2, RTEMS_EVENT_ANY, RTEMS_NO_TIMEOUT);
      h.note(`got ${got.status} 0x${got.eventOut.toString(16)} in ISR ${rtems.interruptIsInProgress()}`);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['3000000 in ISR true', '3000000 got 0 0x4 in ISR false']);
  });
});
