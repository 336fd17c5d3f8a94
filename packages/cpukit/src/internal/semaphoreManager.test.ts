import { describe, expect, it } from 'vitest';
import {
  RTEMS_BINARY_SEMAPHORE,
  RTEMS_COUNTING_SEMAPHORE,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_FIFO,
  RTEMS_GLOBAL,
  RTEMS_INHERIT_PRIORITY,
  RTEMS_PRIORITY,
  RTEMS_PRIORITY_CEILING,
  RTEMS_SIMPLE_BINARY_SEMAPHORE,
} from '../attributes.js';
import { InternalError } from '../fatalSource.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT, RTEMS_NO_WAIT, RTEMS_SELF, RTEMS_WAIT } from '../options.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, harness } from './testHarness.js';

function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  const status = yield* rtems.taskStart(id, exiting(body), 0);
  if (status !== RtemsStatus.SUCCESSFUL) throw new Error(`start ${name}: ${status}`);
  return id;
}

function* priorityOf(rtems: Rtems): Generator<number, number, unknown> {
  return (yield* rtems.taskSetPriority(RTEMS_SELF, RTEMS_CURRENT_PRIORITY)).priority;
}

describe('Semaphore Manager: creation rules (C User\'s Guide, rtems_semaphore_create)', () => {
  it('accepts inheritance and ceiling only on binary RTEMS_PRIORITY semaphores, one at a time, and checks count, ceiling and name', () => {
    const h = harness(
      function* (rtems, h) {
        const attempt = (count: number, attributes: number, ceiling = 0, name = 'S'): string => {
          const { status, id } = rtems.semaphoreCreate(name, count, attributes, ceiling);
          return status === RtemsStatus.SUCCESSFUL ? `0x${id.toString(16)}` : String(status);
        };
        h.note(
          [
            attempt(1, RTEMS_COUNTING_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY),
            attempt(1, RTEMS_BINARY_SEMAPHORE | RTEMS_FIFO | RTEMS_INHERIT_PRIORITY),
            attempt(1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY | RTEMS_PRIORITY_CEILING, 5),
            attempt(1, 0x30),
            attempt(2, RTEMS_BINARY_SEMAPHORE),
            attempt(2, RTEMS_SIMPLE_BINARY_SEMAPHORE),
            attempt(-1, RTEMS_COUNTING_SEMAPHORE),
            attempt(1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_PRIORITY_CEILING, 0),
            attempt(1, RTEMS_DEFAULT_ATTRIBUTES, 0, ''),
          ].join(' '),
        );
        // Created locked by Init (priority 1) with a ceiling of 5: the creator would violate it.
        // The slot is allocated and freed again, so it goes to the end of the free list.
        h.note(
          [
            attempt(1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY),
            attempt(0, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_PRIORITY_CEILING, 5),
            attempt(5, RTEMS_COUNTING_SEMAPHORE),
            attempt(1, RTEMS_SIMPLE_BINARY_SEMAPHORE),
            attempt(1, RTEMS_SIMPLE_BINARY_SEMAPHORE),
          ].join(' '),
        );
        h.note(`ident=0x${rtems.semaphoreIdent('S').id.toString(16)} missing=${rtems.semaphoreIdent('NONE').status}`);
      },
      { configuration: { maximumSemaphores: 3 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 11 11 11 11 10 10 10 19 3', '0 0x1a010001 19 0x1a010003 0x1a010002 5', '0 ident=0x1a010001 missing=3']);
  });

  it('accepts RTEMS_GLOBAL and ignores it: without multiprocessing RTEMS 6 clears it (semcreate.c), so it does not stand in the way of a protocol', () => {
    const h = harness(function* (rtems, h) {
      const counting = rtems.semaphoreCreate('G1', 2, RTEMS_GLOBAL);
      const mutex = rtems.semaphoreCreate('G2', 1, RTEMS_GLOBAL | RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY);
      const obtained = yield* rtems.semaphoreObtain(mutex.id, RTEMS_NO_WAIT, 0);
      h.note(`${counting.status} 0x${counting.id.toString(16)} ${mutex.status} 0x${mutex.id.toString(16)} obtain=${obtained} ident=0x${rtems.semaphoreIdent('G2').id.toString(16)}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0 0x1a010001 0 0x1a010002 obtain=0 ident=0x1a010002']);
  });
});

describe('Semaphore Manager: counting and simple binary semaphores', () => {
  const scenario = (discipline: number): string[] => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('CNT', 0, RTEMS_COUNTING_SEMAPHORE | discipline);
      h.note(`no wait ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
      h.note(`timeout ${yield* rtems.semaphoreObtain(id, RTEMS_WAIT, 3)}`);
      yield* spawn(rtems, 'LOW', 10, function* (rtems) {
        const status = yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`LOW got ${status}`);
      });
      yield* spawn(rtems, 'HIGH', 5, function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        const status = yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`HIGH got ${status}`);
      });
      yield* rtems.taskWakeAfter(2);
      yield* rtems.semaphoreRelease(id);
      yield* rtems.taskWakeAfter(1);
      yield* rtems.semaphoreRelease(id);
      yield* rtems.taskWakeAfter(1);
      yield* rtems.semaphoreRelease(id);
      const counted = yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0);
      h.note(`counted ${counted} then ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
    });
    h.run(10_000_000);
    return h.log;
  };

  it('blocks, times out after exactly the given ticks, and serves waiters in FIFO order (RTEMS_FIFO)', () => {
    expect(scenario(RTEMS_FIFO)).toEqual(['0 no wait 13', '3000000 timeout 6', '5000000 LOW got 0', '6000000 HIGH got 0', '7000000 counted 0 then 13']);
  });

  it('serves the most important waiter first with RTEMS_PRIORITY', () => {
    expect(scenario(RTEMS_PRIORITY)).toEqual(['0 no wait 13', '3000000 timeout 6', '5000000 HIGH got 0', '6000000 LOW got 0', '7000000 counted 0 then 13']);
  });

  it('a simple binary semaphore has no owner and no nesting: its holder blocks on it too, anyone may release it', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('SB', 1, RTEMS_SIMPLE_BINARY_SEMAPHORE);
      const first = yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0);
      const nested = yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0);
      yield* spawn(rtems, 'OTH', 5, function* (rtems) {
        h.note(`other release ${yield* rtems.semaphoreRelease(id)}`);
      });
      yield* rtems.taskWakeAfter(1);
      yield* rtems.semaphoreRelease(id);
      yield* rtems.semaphoreRelease(id);
      const again = yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0);
      h.note(`obtain ${first} nested ${nested} after two releases ${again} then ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
    });
    h.run(2_000_000);
    expect(h.log).toEqual(['0 other release 0', '1000000 obtain 0 nested 13 after two releases 0 then 13']);
  });

  it('flush answers every waiter RTEMS_UNSATISFIED; delete answers RTEMS_OBJECT_WAS_DELETED', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('CNT', 0, RTEMS_COUNTING_SEMAPHORE);
      for (const name of ['W1', 'W2']) {
        yield* spawn(rtems, name, 5, function* (rtems) {
          h.note(`${name} ${yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT)}`);
          h.note(`${name} ${yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT)}`);
        });
      }
      yield* rtems.taskWakeAfter(1);
      h.note(`flush ${yield* rtems.semaphoreFlush(id)}`);
      yield* rtems.taskWakeAfter(1);
      h.note(`delete ${yield* rtems.semaphoreDelete(id)} then ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
      yield* rtems.taskWakeAfter(1);
      const inherit = rtems.semaphoreCreate('INH', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY).id;
      h.note(`flush with a protocol ${yield* rtems.semaphoreFlush(inherit)}`);
    });
    h.run(5_000_000);
    expect(h.log).toEqual([
      '1000000 flush 0',
      '1000000 W1 13',
      '1000000 W2 13',
      '2000000 delete 0 then 4',
      '2000000 W1 7',
      '2000000 W2 7',
      '3000000 flush with a protocol 11',
    ]);
  });
});

describe('Semaphore Manager: binary semaphores (mutexes)', () => {
  it('nest for their owner, refuse release by others (NOT_OWNER_OF_RESOURCE) and deletion while held (RESOURCE_IN_USE)', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('MTX', 1, RTEMS_BINARY_SEMAPHORE);
      h.note(`obtain ${yield* rtems.semaphoreObtain(id, RTEMS_WAIT, 0)} nested ${yield* rtems.semaphoreObtain(id, RTEMS_WAIT, 0)} delete ${yield* rtems.semaphoreDelete(id)}`);
      yield* spawn(rtems, 'T', 5, function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        h.note(`T release ${yield* rtems.semaphoreRelease(id)} obtain ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
        yield* rtems.taskWakeAfter(1);
        h.note(`T obtain ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
        yield* rtems.taskWakeAfter(1);
        h.note(`T release ${yield* rtems.semaphoreRelease(id)} delete ${yield* rtems.semaphoreDelete(id)} obtain ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
      });
      yield* rtems.taskWakeAfter(1);
      h.note(`Init release ${yield* rtems.semaphoreRelease(id)}`);
      yield* rtems.taskWakeAfter(1);
      h.note(`Init release ${yield* rtems.semaphoreRelease(id)}`);
      yield* rtems.taskWakeAfter(1);
      h.note(`Init delete ${yield* rtems.semaphoreDelete(id)}`);
      yield* rtems.taskWakeAfter(1);
    });
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 obtain 0 nested 0 delete 12',
      '1000000 Init release 0',
      '1000000 T release 23 obtain 13',
      '2000000 Init release 0',
      '2000000 T obtain 0',
      '3000000 Init delete 12',
      '3000000 T release 0 delete 0 obtain 4',
    ]);
  });

  const inversion = (attributes: number): string[] => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('RES', 1, attributes);
      yield* spawn(rtems, 'LOW', 20, function* (rtems) {
        yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`LOW holds prio=${yield* priorityOf(rtems)}`);
        yield rtems.compute(300_000); // 3 ms
        h.note(`LOW releases prio=${yield* priorityOf(rtems)}`);
        yield* rtems.semaphoreRelease(id);
        h.note(`LOW after release prio=${yield* priorityOf(rtems)}`);
      });
      yield* spawn(rtems, 'MED', 15, function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        h.note('MED computes');
        yield rtems.compute(200_000); // 2 ms
        h.note('MED done');
      });
      yield* spawn(rtems, 'HIGH', 10, function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        h.note('HIGH obtains');
        yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note('HIGH got it');
        yield* rtems.semaphoreRelease(id);
      });
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(10_000_000);
    return h.log;
  };

  it('priority inheritance: a low task holding the semaphore runs at the waiter\'s priority and drops back on release', () => {
    expect(inversion(RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY)).toEqual([
      '0 LOW holds prio=20',
      '1000000 HIGH obtains',
      // LOW, raised to 10, runs before MED (15): no unbounded priority inversion.
      '3000000 LOW releases prio=10',
      '3000000 HIGH got it',
      '3000000 MED computes',
      '5000000 MED done',
      '5000000 LOW after release prio=20',
    ]);
  });

  it('without a protocol the same program shows priority inversion: MED delays HIGH', () => {
    expect(inversion(RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY)).toEqual([
      '0 LOW holds prio=20',
      '1000000 HIGH obtains',
      '1000000 MED computes',
      '3000000 MED done',
      '5000000 LOW releases prio=20',
      '5000000 HIGH got it',
      '5000000 LOW after release prio=20',
    ]);
  });

  it('priority inheritance ends when the waiter times out', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('RES', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY);
      yield* spawn(rtems, 'LOW', 20, function* (rtems) {
        yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        for (let i = 0; i < 11; i++) {
          h.note(`LOW prio=${yield* priorityOf(rtems)}`);
          yield rtems.compute(35_000); // 0.35 ms
        }
      });
      yield* spawn(rtems, 'HIGH', 10, function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        h.note(`HIGH ${yield* rtems.semaphoreObtain(id, RTEMS_WAIT, 2)}`);
      });
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(3_600_000);
    const priorities = h.log.map((line) => line.replace(/^(\d+) LOW prio=(\d+)$/, '$1:$2'));
    expect(priorities).toEqual([
      '0:20',
      '350000:20',
      '700000:20',
      '1050000:10',
      '1400000:10',
      '1750000:10',
      '2100000:10',
      '2450000:10',
      '2800000:10',
      '3000000 HIGH 6',
      '3150000:20',
      '3500000:20',
    ]);
  });

  it('priority ceiling: the holder runs at the ceiling at once; obtaining above the ceiling is RTEMS_INVALID_PRIORITY', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('CEIL', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_PRIORITY_CEILING, 5);
      yield* spawn(rtems, 'X', 3, function* (rtems) {
        h.note(`X obtain ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
      });
      yield* spawn(rtems, 'LOW', 20, function* (rtems) {
        yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`LOW holds prio=${yield* priorityOf(rtems)}`);
        yield* spawn(rtems, 'MED', 10, function* () {
          h.note('MED runs');
        });
        h.note('LOW started MED');
        yield* rtems.semaphoreRelease(id);
        h.note(`LOW after release prio=${yield* priorityOf(rtems)}`);
      });
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 X obtain 19', '0 LOW holds prio=5', '0 LOW started MED', '0 MED runs', '0 LOW after release prio=20']);
  });

  it('detects a deadlock between two mutexes: RTEMS_INCORRECT_STATE instead of blocking for ever', () => {
    const h = harness(function* (rtems, h) {
      const s1 = rtems.semaphoreCreate('S1', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY).id;
      const s2 = rtems.semaphoreCreate('S2', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY).id;
      yield* spawn(rtems, 'A', 5, function* (rtems) {
        yield* rtems.semaphoreObtain(s1, RTEMS_WAIT, 0);
        yield* rtems.taskWakeAfter(1);
        h.note(`A obtains S2 ${yield* rtems.semaphoreObtain(s2, RTEMS_WAIT, 0)}`);
      });
      yield* spawn(rtems, 'B', 6, function* (rtems) {
        yield* rtems.semaphoreObtain(s2, RTEMS_WAIT, 0);
        yield* rtems.taskWakeAfter(2);
        h.note(`B obtains S1 ${yield* rtems.semaphoreObtain(s1, RTEMS_WAIT, 0)}`);
        yield* rtems.semaphoreRelease(s2);
      });
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['2000000 B obtains S1 14', '2000000 A obtains S2 0']);
  });

  it('in interrupt context: release readies a task after the ISR, and a blocking obtain is a fatal error', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.semaphoreCreate('CNT', 0, RTEMS_COUNTING_SEMAPHORE);
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 2, function* (rtems) {
        h.note(`ISR no wait ${yield* rtems.semaphoreObtain(id, RTEMS_NO_WAIT, 0)}`);
        h.note(`ISR release ${yield* rtems.semaphoreRelease(id)}`);
        rtems.timerFireAfter(timer, 1, function* (rtems) {
          yield* rtems.semaphoreObtain(id, RTEMS_WAIT, 0);
        });
      });
      h.note(`Init got ${yield* rtems.semaphoreObtain(id, RTEMS_WAIT, 0)}`);
      yield* rtems.taskWakeAfter(5);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['2000000 ISR no wait 13', '2000000 ISR release 0', '2000000 Init got 0']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE });
    expect(h.board.now).toBe(5_000_000);
    expect(h.processor.stopReason).toBe('fatal error INTERNAL_ERROR_CORE 18');
  });

  it('set priority (semsetpriority.c): INVALID_ID (scheduler, then semaphore), INVALID_PRIORITY, NOT_DEFINED without a ceiling; a new ceiling moves its owner', () => {
    const h = harness(function* (rtems, h) {
      const scheduler = rtems.schedulerIdent('UPD ').id;
      const ceiling = rtems.semaphoreCreate('CEIL', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_PRIORITY_CEILING, 10).id;
      const plain = rtems.semaphoreCreate('CNT', 1, RTEMS_COUNTING_SEMAPHORE).id;
      const show = (r: { status: number; priority: number }): string => `${r.status}/${r.priority}`;
      h.note(
        [
          show(yield* rtems.semaphoreSetPriority(ceiling, 0x0f010002, 5)),
          show(yield* rtems.semaphoreSetPriority(0x1a010009, scheduler, 5)),
          show(yield* rtems.semaphoreSetPriority(ceiling, scheduler, 256)),
          show(yield* rtems.semaphoreSetPriority(plain, scheduler, 5)),
          show(yield* rtems.semaphoreSetPriority(ceiling, scheduler, RTEMS_CURRENT_PRIORITY)),
          show(yield* rtems.semaphoreSetPriority(ceiling, scheduler, 20)),
          show(yield* rtems.semaphoreSetPriority(ceiling, scheduler, RTEMS_CURRENT_PRIORITY)),
        ].join(' '),
      );
      yield* spawn(rtems, 'OWNR', 30, function* (rtems) {
        yield* rtems.semaphoreObtain(ceiling, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`OWNR holds the ceiling, prio=${yield* priorityOf(rtems)}`);
        yield* rtems.taskSuspend(RTEMS_SELF);
        h.note(`OWNR resumed, prio=${yield* priorityOf(rtems)}`);
        yield* rtems.semaphoreRelease(ceiling);
        h.note(`OWNR released, prio=${yield* priorityOf(rtems)}`);
      });
      yield* rtems.taskWakeAfter(1);
      const owner = rtems.taskIdent('OWNR').id;
      h.note(`raise to 8: ${show(yield* rtems.semaphoreSetPriority(ceiling, scheduler, 8))} owner now ${rtems.taskGetPriority(owner, scheduler).priority}`);
      yield* rtems.taskResume(owner);
      yield* rtems.taskWakeAfter(1);
    });
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 4/0 4/0 19/0 11/0 0/10 0/10 0/20',
      '0 OWNR holds the ceiling, prio=20',
      '1000000 raise to 8: 0/20 owner now 8',
      '1000000 OWNR resumed, prio=8',
      '1000000 OWNR released, prio=30',
    ]);
  });
});
