import { describe, expect, it } from 'vitest';
import { RTEMS_BARRIER_AUTOMATIC_RELEASE, RTEMS_BARRIER_MANUAL_RELEASE, RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { InternalError } from '../fatalSource.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT } from '../options.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { harness } from './testHarness.js';

/** Creates and starts a task whose body ends with rtems_task_exit. */
function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  yield* rtems.taskStart(
    id,
    function* (rtems, argument) {
      yield* body(rtems, argument);
      yield* rtems.taskExit();
    },
    0,
  );
  return id;
}

/** Init at priority 10, preemptible: the tasks it starts (priority 5) run at once. */
const LOW_INIT = { configuration: { initTaskPriority: 10, initTaskInitialModes: 0 } };

describe('Barrier Manager (C User\'s Guide, Barrier Manager; RTEMS 6 barriercreate.c, corebarrierwait.c)', () => {
  it('rtems_barrier_create: INVALID_NAME, INVALID_NUMBER for an automatic barrier of 0 waiters, ids of class 10 (0x52010001) up to maximumBarriers', () => {
    const h = harness(
      function* (rtems, h) {
        const attempt = (name: string, attributes: number, waiters: unknown): string => {
          const { status, id } = rtems.barrierCreate(name, attributes, waiters as number);
          return status === RtemsStatus.SUCCESSFUL ? `0x${id.toString(16)}` : String(status);
        };
        h.note(
          [
            attempt('', RTEMS_BARRIER_MANUAL_RELEASE, 0),
            attempt('B', RTEMS_BARRIER_AUTOMATIC_RELEASE, 0),
            attempt('B', RTEMS_BARRIER_AUTOMATIC_RELEASE, 'x'),
            attempt('BM', RTEMS_BARRIER_MANUAL_RELEASE, 'ignored'),
            attempt('BA', RTEMS_BARRIER_AUTOMATIC_RELEASE, 3),
            attempt('BX', RTEMS_BARRIER_MANUAL_RELEASE, 0),
          ].join(' '),
        );
        h.note(`ident 0x${rtems.barrierIdent('BA').id.toString(16)} missing ${rtems.barrierIdent('NONE').status}`);
        yield* rtems.taskExit();
      },
      { configuration: { maximumBarriers: 2 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 3 10 10 0x52010001 0x52010002 5', '0 ident 0x52010002 missing 3']);
  });

  it('manual release: tasks wait until rtems_barrier_release, which readies them all in arrival (FIFO) order and counts them', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.barrierCreate('BAR', RTEMS_BARRIER_MANUAL_RELEASE, 0);
      for (const [name, delay] of [
        ['T1', 1],
        ['T2', 0],
        ['T3', 0],
      ] as const) {
        yield* spawn(rtems, name, 5, function* (rtems) {
          if (delay > 0) yield* rtems.taskWakeAfter(delay);
          h.note(`${name} waits`);
          h.note(`${name} ${yield* rtems.barrierWait(id, RTEMS_NO_TIMEOUT)}`);
        });
      }
      yield* rtems.taskWakeAfter(2);
      const { status, count } = yield* rtems.barrierRelease(id);
      const again = yield* rtems.barrierRelease(id);
      h.note(`release ${status} count ${count} then ${again.count}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(5_000_000);
    expect(h.log).toEqual(['0 T2 waits', '0 T3 waits', '1000000 T1 waits', '2000000 T2 0', '2000000 T3 0', '2000000 T1 0', '2000000 release 0 count 3 then 0']);
  });

  it('automatic release: the maximum_waiters-th task releases the others and returns at once; the count starts again', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.barrierCreate('BAR', RTEMS_BARRIER_AUTOMATIC_RELEASE, 3);
      for (const name of ['T1', 'T2']) {
        yield* spawn(rtems, name, 5, function* (rtems) {
          h.note(`${name} ${yield* rtems.barrierWait(id, RTEMS_NO_TIMEOUT)}`);
        });
      }
      yield* rtems.taskWakeAfter(1);
      h.note(`Init trips ${yield* rtems.barrierWait(id, RTEMS_NO_TIMEOUT)}`);
      h.note(`alone ${yield* rtems.barrierWait(id, 2)}`);
      const one = rtems.barrierCreate('ONE', RTEMS_BARRIER_AUTOMATIC_RELEASE, 1).id;
      h.note(`one ${yield* rtems.barrierWait(one, RTEMS_NO_TIMEOUT)} ${yield* rtems.barrierWait(one, RTEMS_NO_TIMEOUT)}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(5_000_000);
    expect(h.log).toEqual(['1000000 T1 0', '1000000 T2 0', '1000000 Init trips 0', '3000000 alone 6', '3000000 one 0 0']);
  });

  it('a wait times out after exactly `timeout` ticks and no longer counts as a waiter', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.barrierCreate('BAR', RTEMS_BARRIER_AUTOMATIC_RELEASE, 2);
      yield* spawn(rtems, 'T1', 5, function* (rtems) {
        h.note(`T1 ${yield* rtems.barrierWait(id, 1)}`);
      });
      yield* rtems.taskWakeAfter(2);
      // T1 timed out: Init is the only waiter now and blocks until T2 arrives.
      yield* spawn(rtems, 'T2', 5, function* (rtems) {
        yield* rtems.taskWakeAfter(3);
        h.note(`T2 trips ${yield* rtems.barrierWait(id, RTEMS_NO_TIMEOUT)}`);
      });
      h.note(`Init ${yield* rtems.barrierWait(id, RTEMS_NO_TIMEOUT)}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(10_000_000);
    expect(h.log).toEqual(['1000000 T1 6', '5000000 T2 trips 0', '5000000 Init 0']);
  });

  it('rtems_barrier_delete: waiting tasks get OBJECT_WAS_DELETED; a deleted barrier is INVALID_ID', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.barrierCreate('BAR', RTEMS_BARRIER_MANUAL_RELEASE, 0);
      for (const name of ['T1', 'T2']) {
        yield* spawn(rtems, name, 5, function* (rtems) {
          h.note(`${name} ${yield* rtems.barrierWait(id, RTEMS_NO_TIMEOUT)}`);
        });
      }
      yield* rtems.taskWakeAfter(1);
      const deleted = yield* rtems.barrierDelete(id);
      const again = yield* rtems.barrierDelete(id);
      const wait = yield* rtems.barrierWait(id, 1);
      const release = yield* rtems.barrierRelease(id);
      h.note(`delete ${deleted} again ${again} wait ${wait} release ${release.status}:${release.count} ident ${rtems.barrierIdent('BAR').status}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(5_000_000);
    expect(h.log).toEqual(['1000000 T1 7', '1000000 T2 7', '1000000 delete 0 again 4 wait 4 release 4:0 ident 3']);
  });

  it('interrupt context: a timer service routine may release a barrier (the waiters run after it) or trip one, but a wait that would block is fatal', () => {
    const h = harness(function* (rtems, h) {
      const manual = rtems.barrierCreate('BM', RTEMS_BARRIER_MANUAL_RELEASE, 0).id;
      const single = rtems.barrierCreate('BS', RTEMS_BARRIER_AUTOMATIC_RELEASE, 1).id;
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 2, function* (rtems) {
        const { count } = yield* rtems.barrierRelease(manual);
        const tripped = yield* rtems.barrierWait(single, RTEMS_NO_TIMEOUT);
        h.note(`isr released ${count} tripped ${tripped}`);
        rtems.timerFireAfter(timer, 2, function* (rtems) {
          yield* rtems.barrierWait(manual, RTEMS_NO_TIMEOUT);
        });
      });
      h.note(`Init ${yield* rtems.barrierWait(manual, RTEMS_NO_TIMEOUT)}`);
      yield* rtems.taskWakeAfter(10);
    });
    h.run(10_000_000);
    expect(h.log).toEqual(['2000000 isr released 1 tripped 0', '2000000 Init 0']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE });
  });
});
