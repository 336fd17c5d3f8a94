import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_EVENT_0, RTEMS_EVENT_1, RTEMS_EVENT_2, RTEMS_EVENT_31, RTEMS_EVENT_SYSTEM_TRANSIENT } from '../eventSet.js';
import { InternalError } from '../fatalSource.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_EVENT_ALL, RTEMS_EVENT_ANY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT, RTEMS_NO_WAIT, RTEMS_PENDING_EVENTS, RTEMS_SELF, RTEMS_WAIT } from '../options.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, harness } from './testHarness.js';

describe('Event Manager (C User\'s Guide, Event Manager)', () => {
  it('EVENT_ALL waits for every requested event, EVENT_ANY for one; unrequested events stay pending', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.taskCreate('RCV', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        exiting(function* (rtems) {
          const all = yield* rtems.eventReceive(RTEMS_EVENT_0 | RTEMS_EVENT_1, RTEMS_EVENT_ALL | RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`ALL ${all.status} 0x${all.eventOut.toString(16)}`);
          const any = yield* rtems.eventReceive(RTEMS_EVENT_1 | RTEMS_EVENT_31, RTEMS_EVENT_ANY | RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`ANY ${any.status} 0x${any.eventOut.toString(16)}`);
          const pending = yield* rtems.eventReceive(RTEMS_PENDING_EVENTS, RTEMS_NO_WAIT, 0);
          h.note(`pending 0x${pending.eventOut.toString(16)}`);
        }),
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

  it('a receive that would block in interrupt context is the fatal error INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL (RTEMS 6 eventseize.c: _Thread_Dispatch_direct); RTEMS_NO_WAIT is answered', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 1, function* (rtems) {
        const poll = yield* rtems.eventReceive(RTEMS_EVENT_0, RTEMS_NO_WAIT, 0);
        h.note(`poll ${poll.status}`);
        yield* rtems.eventReceive(RTEMS_EVENT_0, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      });
      yield* rtems.taskWakeAfter(5);
    });
    h.run(10_000_000);
    expect(h.log).toEqual([`1000000 poll ${RtemsStatus.UNSATISFIED}`]);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL });
  });
});

describe('Transient event (RTEMS 6 rtems/rtems/event.h: RTEMS_EVENT_SYSTEM_TRANSIENT over the system event set)', () => {
  it('send, receive, clear: RTEMS_NO_WAIT answers UNSATISFIED, a wait times out, an unknown task is INVALID_ID, and the application events are a separate set', () => {
    const h = harness(function* (rtems, h) {
      const statuses: Array<number | string> = [];
      statuses.push(yield* rtems.eventTransientSend(RTEMS_SELF), yield* rtems.eventTransientReceive(RTEMS_NO_WAIT, 0));
      // Received: it is no longer pending.
      statuses.push(yield* rtems.eventTransientReceive(RTEMS_NO_WAIT, 0));
      // Sent twice, received once: events are not counted.
      yield* rtems.eventTransientSend(RTEMS_SELF);
      yield* rtems.eventTransientSend(RTEMS_SELF);
      statuses.push(yield* rtems.eventTransientReceive(RTEMS_NO_WAIT, 0), yield* rtems.eventTransientReceive(RTEMS_NO_WAIT, 0));
      // Cleared before the receive.
      yield* rtems.eventTransientSend(RTEMS_SELF);
      rtems.eventTransientClear();
      statuses.push(yield* rtems.eventTransientReceive(RTEMS_NO_WAIT, 0), yield* rtems.eventTransientSend(0x0a010009));
      // The system event is not an application event, and RTEMS_EVENT_31 is not the transient event.
      yield* rtems.eventTransientSend(RTEMS_SELF);
      const pending = yield* rtems.eventReceive(RTEMS_PENDING_EVENTS, RTEMS_NO_WAIT, 0);
      statuses.push(`0x${pending.eventOut.toString(16)}`);
      rtems.eventTransientClear();
      yield* rtems.eventSend(RTEMS_SELF, RTEMS_EVENT_31);
      statuses.push(yield* rtems.eventTransientReceive(RTEMS_NO_WAIT, 0));
      const app = yield* rtems.eventReceive(RTEMS_EVENT_SYSTEM_TRANSIENT, RTEMS_NO_WAIT, 0);
      statuses.push(`${app.status}:0x${app.eventOut.toString(16)}`);
      h.note(statuses.join(' '));
      const timed = yield* rtems.eventTransientReceive(RTEMS_WAIT, 3);
      h.note(`timed out ${timed}`);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['0 0 0 13 0 13 13 4 0x0 13 0:0x80000000', `3000000 timed out ${RtemsStatus.TIMEOUT}`]);
  });

  it('a task waiting for the transient event blocks (waiting-for-system-event) until a task or an ISR sends it; an application event does not wake it', () => {
    const h = harness(
      function* (rtems, h) {
        const { id } = rtems.taskCreate('W', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        yield* rtems.taskStart(
          id,
          exiting(function* (rtems) {
            for (let i = 0; i < 2; i++) {
              const status = yield* rtems.eventTransientReceive(RTEMS_WAIT, RTEMS_NO_TIMEOUT);
              h.note(`W got ${status}`);
            }
          }),
          0,
        );
        h.note(`W is ${h.executive.statistics().threads.find((t) => t.id === id)!.state}`);
        yield* rtems.eventSend(id, RTEMS_EVENT_31);
        h.note(`after an application event W is ${h.executive.statistics().threads.find((t) => t.id === id)!.state}`);
        yield* rtems.eventTransientSend(id);
        h.note('sent');
        const { id: timer } = rtems.timerCreate('TMR');
        rtems.timerFireAfter(timer, 2, function* (rtems) {
          h.note(`ISR sends ${yield* rtems.eventTransientSend(id)}`);
        });
        yield* rtems.taskWakeAfter(5);
      },
      { configuration: { initTaskPriority: 10, initTaskInitialModes: 0 } },
    );
    h.run(6_000_000);
    expect(h.log).toEqual([
      '0 W is waiting-for-system-event',
      '0 after an application event W is waiting-for-system-event',
      '0 W got 0',
      '0 sent',
      '2000000 ISR sends 0',
      '2000000 W got 0',
    ]);
  });

  it('a transient receive that would block in interrupt context is the fatal error INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL', () => {
    const h = harness(function* (rtems) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 1, function* (rtems) {
        yield* rtems.eventTransientReceive(RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      });
      yield* rtems.taskWakeAfter(5);
    });
    h.run(10_000_000);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, message: 'event receive would block in an ISR or with dispatching disabled' });
  });

  it('system events (rtems_event_system_send / receive): a second event set, apart from the application events', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.taskCreate('RCV', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        exiting(function* (rtems) {
          const got = yield* rtems.eventSystemReceive(RTEMS_EVENT_0 | RTEMS_EVENT_1, RTEMS_EVENT_ALL | RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`system ${got.status} 0x${got.eventOut.toString(16)}`);
          const app = yield* rtems.eventReceive(RTEMS_PENDING_EVENTS, RTEMS_NO_WAIT, 0);
          const sys = yield* rtems.eventSystemReceive(RTEMS_PENDING_EVENTS, RTEMS_NO_WAIT, 0);
          h.note(`pending application 0x${app.eventOut.toString(16)} system 0x${sys.eventOut.toString(16)}`);
          const none = yield* rtems.eventSystemReceive(RTEMS_EVENT_0, RTEMS_NO_WAIT, 0);
          const late = yield* rtems.eventSystemReceive(RTEMS_EVENT_0, RTEMS_WAIT, 2);
          h.note(`no wait ${none.status} timeout ${late.status}`);
        }),
        0,
      );
      yield* rtems.taskWakeAfter(1);
      yield* rtems.eventSend(id, RTEMS_EVENT_0 | RTEMS_EVENT_1);
      h.note('application events sent');
      yield* rtems.eventSystemSend(id, RTEMS_EVENT_0 | RTEMS_EVENT_2);
      h.note('system 0+2 sent');
      yield* rtems.eventSystemSend(id, RTEMS_EVENT_1);
      h.note(`system 1 sent, bad id ${yield* rtems.eventSystemSend(0x0a010009, RTEMS_EVENT_0)}`);
      yield* rtems.taskWakeAfter(5);
    });
    h.run(10_000_000);
    expect(h.log).toEqual([
      '1000000 application events sent',
      '1000000 system 0+2 sent',
      // Init runs on (priority 1, no-preempt); the receiver was readied by the second system send.
      '1000000 system 1 sent, bad id 4',
      '1000000 system 0 0x3',
      '1000000 pending application 0x3 system 0x4',
      '3000000 no wait 13 timeout 6',
    ]);
  });
});
