import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { InternalError } from '../fatalSource.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF } from '../options.js';
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

describe('Self-contained mutexes (C User\'s Guide, "Self-Contained Objects"; score/src/mutex.c)', () => {
  it('priority inheritance: the owner runs at its most important waiter\'s priority and drops back at unlock', () => {
    const h = harness(function* (rtems, h) {
      const mutex = rtems.mutexInit('RES');
      yield* spawn(rtems, 'LOW', 20, function* (rtems) {
        yield* rtems.mutexLock(mutex);
        h.note(`LOW holds prio=${yield* priorityOf(rtems)}`);
        yield rtems.compute(300_000); // 3 ms
        h.note(`LOW unlocks prio=${yield* priorityOf(rtems)}`);
        yield* rtems.mutexUnlock(mutex);
        h.note(`LOW after unlock prio=${yield* priorityOf(rtems)}`);
      });
      yield* spawn(rtems, 'MED', 15, function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        h.note('MED computes');
        yield rtems.compute(200_000); // 2 ms
        h.note('MED done');
      });
      yield* spawn(rtems, 'HIGH', 10, function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        h.note(`HIGH locks: try ${rtems.mutexTryLock(mutex)}`);
        yield* rtems.mutexLock(mutex);
        h.note('HIGH got it');
        yield* rtems.mutexUnlock(mutex);
        h.note(`HIGH try ${rtems.mutexTryLock(mutex)}`);
        yield* rtems.mutexUnlock(mutex);
      });
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 LOW holds prio=20',
      '1000000 HIGH locks: try 16',
      // LOW, raised to 10, runs before MED (15).
      '3000000 LOW unlocks prio=10',
      '3000000 HIGH got it',
      '3000000 HIGH try 0',
      '3000000 MED computes',
      '5000000 MED done',
      '5000000 LOW after unlock prio=20',
    ]);
    expect(h.executive.termination).toBeUndefined();
  });

  it('waiters get the mutex by priority; names are kept; destroy does nothing', () => {
    const h = harness(function* (rtems, h) {
      const mutex = rtems.mutexInit('first');
      h.note(`name ${String(rtems.mutexGetName(mutex))}`);
      rtems.mutexSetName(mutex, 'second');
      h.note(`name ${String(rtems.mutexGetName(mutex))}`);
      rtems.mutexSetName(mutex, undefined);
      h.note(`name ${String(rtems.mutexGetName(mutex))} unnamed ${String(rtems.mutexGetName(rtems.mutexInit()))}`);
      yield* rtems.mutexLock(mutex);
      for (const [name, priority] of [['T30', 30], ['T20', 20], ['T25', 25]] as const) {
        yield* spawn(rtems, name, priority, function* (rtems) {
          yield* rtems.mutexLock(mutex);
          h.note(`${name} got it`);
          yield* rtems.mutexUnlock(mutex);
        });
      }
      // Init (priority 1, no-preempt) blocks: every task runs up to its lock and waits.
      yield* rtems.taskWakeAfter(1);
      h.note('Init unlocks');
      yield* rtems.mutexUnlock(mutex);
      rtems.mutexDestroy(mutex);
      yield* rtems.taskWakeAfter(1);
      h.note(`after destroy try ${rtems.mutexTryLock(mutex)}`);
    });
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 name first',
      '0 name second',
      '0 name undefined unnamed undefined',
      '1000000 Init unlocks',
      '1000000 T20 got it',
      '1000000 T25 got it',
      '1000000 T30 got it',
      '2000000 after destroy try 0',
    ]);
  });

  it('a recursive mutex nests for its owner; only the outermost unlock frees it', () => {
    const h = harness(function* (rtems, h) {
      const mutex = rtems.recursiveMutexInit('REC');
      h.note(`name ${String(rtems.recursiveMutexGetName(mutex))}`);
      rtems.recursiveMutexSetName(mutex, 'R2');
      yield* rtems.recursiveMutexLock(mutex);
      yield* rtems.recursiveMutexLock(mutex);
      h.note(`nested try ${rtems.recursiveMutexTryLock(mutex)} name ${String(rtems.recursiveMutexGetName(mutex))}`);
      yield* spawn(rtems, 'OTHR', 5, function* (rtems) {
        h.note(`OTHR try ${rtems.recursiveMutexTryLock(mutex)}`);
        yield* rtems.recursiveMutexLock(mutex);
        h.note('OTHR got it');
        yield* rtems.recursiveMutexUnlock(mutex);
      });
      yield* rtems.taskWakeAfter(1);
      for (let i = 1; i <= 3; i++) {
        yield* rtems.recursiveMutexUnlock(mutex);
        h.note(`Init unlock ${i}`);
      }
      rtems.recursiveMutexDestroy(mutex);
    });
    h.run(5_000_000);
    // Locked three times (lock, lock, try lock): the third unlock frees it and readies OTHR,
    // which runs once Init (priority 1) exits.
    expect(h.log).toEqual(['0 name REC', '0 nested try 0 name R2', '0 OTHR try 16', '1000000 Init unlock 1', '1000000 Init unlock 2', '1000000 Init unlock 3', '1000000 OTHR got it']);
  });

  it('locking a mutex one owns is the fatal error INTERNAL_ERROR_THREAD_QUEUE_DEADLOCK (28)', () => {
    const h = harness(function* (rtems, h) {
      const mutex = rtems.mutexInit('M');
      yield* rtems.mutexLock(mutex);
      h.note(`try ${rtems.mutexTryLock(mutex)}`);
      yield* rtems.mutexLock(mutex);
      h.note('not reached');
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 try 16']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.THREAD_QUEUE_DEADLOCK });
  });

  it('a cycle of owners is the fatal error INTERNAL_ERROR_THREAD_QUEUE_DEADLOCK', () => {
    const h = harness(function* (rtems, h) {
      const m1 = rtems.mutexInit('M1');
      const m2 = rtems.mutexInit('M2');
      yield* rtems.mutexLock(m1);
      yield* spawn(rtems, 'B', 5, function* (rtems) {
        yield* rtems.mutexLock(m2);
        h.note('B holds M2, locks M1');
        yield* rtems.mutexLock(m1);
        h.note('B: not reached');
      });
      yield* rtems.taskWakeAfter(1);
      h.note('Init locks M2');
      yield* rtems.mutexLock(m2);
      h.note('Init: not reached');
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['0 B holds M2, locks M1', '1000000 Init locks M2']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_QUEUE_DEADLOCK });
  });

  it('unlocking a mutex the caller does not own is the fatal error RTEMS_FATAL_SOURCE_ASSERT (RTEMS _Asserts it)', () => {
    const h = harness(function* (rtems, h) {
      const mutex = rtems.mutexInit('M');
      yield* spawn(rtems, 'OWNR', 5, function* (rtems) {
        yield* rtems.mutexLock(mutex);
        yield* rtems.taskSuspend(RTEMS_SELF);
      });
      h.note('Init unlocks');
      yield* rtems.mutexUnlock(mutex);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 Init unlocks']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', source: 'RTEMS_FATAL_SOURCE_ASSERT', code: 0 });
  });

  it('a lock that must wait in an ISR is the fatal error THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE; a free one is taken', () => {
    const h = harness(function* (rtems, h) {
      const free = rtems.mutexInit('FREE');
      const held = rtems.mutexInit('HELD');
      yield* rtems.mutexLock(held);
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 1, function* (rtems) {
        h.note(`ISR try ${rtems.mutexTryLock(held)}`);
        yield* rtems.mutexLock(free);
        h.note('ISR locked the free one');
        yield* rtems.mutexLock(held);
      });
      yield* rtems.taskWakeAfter(5);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['1000000 ISR try 16', '1000000 ISR locked the free one']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE });
  });

  it('an object of the wrong kind is refused (the fatal error GUEST_EXCEPTION, as a bad pointer)', () => {
    const h = harness(function* (rtems) {
      const recursive = rtems.recursiveMutexInit('R');
      yield* rtems.mutexLock(recursive);
    });
    h.run(1_000_000);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.GUEST_EXCEPTION });
    expect((h.executive.termination as { message: string }).message).toMatch(/rtems_mutex_lock: not an RtemsMutex/);
  });
});

describe('Self-contained condition variables (score/src/condition.c)', () => {
  it('wait gives up the mutex and waits first come first served; signal wakes one, broadcast the rest; each locks the mutex again', () => {
    const h = harness(function* (rtems, h) {
      const mutex = rtems.mutexInit('M');
      const cv = rtems.conditionVariableInit('CV');
      h.note(`name ${String(rtems.conditionVariableGetName(cv))}`);
      rtems.conditionVariableSetName(cv, 'CV2');
      let ready = 0;
      // Lower priority first: the queue is FIFO, not by priority.
      for (const [name, priority] of [['W30', 30], ['W20', 20], ['W10', 10]] as const) {
        yield* spawn(rtems, name, priority, function* (rtems) {
          yield* rtems.mutexLock(mutex);
          ready++;
          yield* rtems.conditionVariableWait(cv, mutex);
          h.note(`${name} woke, owns the mutex: try ${rtems.mutexTryLock(mutex)}`);
          yield* rtems.mutexUnlock(mutex);
        });
        yield* rtems.taskWakeAfter(1);
      }
      yield* rtems.mutexLock(mutex);
      h.note(`Init holds the mutex; waiting ${ready}; signal`);
      yield* rtems.conditionVariableSignal(cv);
      yield* rtems.taskWakeAfter(1);
      h.note('Init unlocks');
      yield* rtems.mutexUnlock(mutex);
      yield* rtems.taskWakeAfter(1);
      h.note(`Init broadcasts (name ${String(rtems.conditionVariableGetName(cv))})`);
      yield* rtems.conditionVariableBroadcast(cv);
      yield* rtems.conditionVariableBroadcast(cv);
      rtems.conditionVariableDestroy(cv);
    });
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 name CV',
      '3000000 Init holds the mutex; waiting 3; signal',
      '4000000 Init unlocks',
      // W30, the first waiter, woke at the signal and then waited for the mutex Init held.
      '4000000 W30 woke, owns the mutex: try 16',
      '5000000 Init broadcasts (name CV2)',
      '5000000 W10 woke, owns the mutex: try 16',
      '5000000 W20 woke, owns the mutex: try 16',
    ]);
    expect(h.executive.termination).toBeUndefined();
  });

  it('waiting without owning the mutex is the fatal error RTEMS_FATAL_SOURCE_ASSERT', () => {
    const h = harness(function* (rtems) {
      yield* rtems.conditionVariableWait(rtems.conditionVariableInit('CV'), rtems.mutexInit('M'));
    });
    h.run(1_000_000);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', source: 'RTEMS_FATAL_SOURCE_ASSERT' });
  });
});

describe('Self-contained semaphores (score/src/semaphore.c)', () => {
  it('a counting semaphore counts posts and serves waiters by priority', () => {
    const h = harness(function* (rtems, h) {
      const sem = rtems.countingSemaphoreInit('CNT', 2);
      h.note(`name ${String(rtems.countingSemaphoreGetName(sem))}`);
      rtems.countingSemaphoreSetName(sem, 'C2');
      yield* rtems.countingSemaphoreWait(sem);
      yield* rtems.countingSemaphoreWait(sem);
      h.note('took 2');
      for (const [name, priority] of [['T30', 30], ['T20', 20]] as const) {
        yield* spawn(rtems, name, priority, function* (rtems) {
          yield* rtems.countingSemaphoreWait(sem);
          h.note(`${name} took one`);
        });
      }
      yield* rtems.taskWakeAfter(1);
      yield* rtems.countingSemaphorePost(sem);
      yield* rtems.countingSemaphorePost(sem);
      yield* rtems.countingSemaphorePost(sem);
      h.note(`posted 3 (name ${String(rtems.countingSemaphoreGetName(sem))})`);
      yield* rtems.taskWakeAfter(1);
      yield* rtems.countingSemaphoreWait(sem);
      h.note('Init took the third');
      rtems.countingSemaphoreDestroy(sem);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['0 name CNT', '0 took 2', '1000000 posted 3 (name C2)', '1000000 T20 took one', '1000000 T30 took one', '2000000 Init took the third']);
  });

  it('a counting semaphore\'s count is an unsigned int: a post at 0xffffffff wraps to 0 (no overflow check)', () => {
    const h = harness(function* (rtems, h) {
      const sem = rtems.countingSemaphoreInit('CNT', 0xffff_ffff);
      yield* rtems.countingSemaphorePost(sem);
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 3, function* (rtems) {
        yield* rtems.countingSemaphorePost(sem);
      });
      yield* rtems.countingSemaphoreWait(sem);
      h.note('took one');
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['3000000 took one']);
  });

  it('a binary semaphore: post saturates at 1, try wait answers EAGAIN, a timed wait ETIMEDOUT, a post from an ISR readies the waiter', () => {
    const h = harness(function* (rtems, h) {
      const sem = rtems.binarySemaphoreInit('BIN');
      h.note(`name ${String(rtems.binarySemaphoreGetName(sem))} try ${rtems.binarySemaphoreTryWait(sem)}`);
      rtems.binarySemaphoreSetName(sem, 'B2');
      yield* rtems.binarySemaphorePost(sem);
      yield* rtems.binarySemaphorePost(sem);
      h.note(`after two posts: try ${rtems.binarySemaphoreTryWait(sem)} try ${rtems.binarySemaphoreTryWait(sem)}`);
      h.note(`timed ${yield* rtems.binarySemaphoreWaitTimedTicks(sem, 3)}`);
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 2, function* (rtems) {
        yield* rtems.binarySemaphorePost(sem);
      });
      h.note(`timed ${yield* rtems.binarySemaphoreWaitTimedTicks(sem, 5)}`);
      rtems.timerFireAfter(timer, 2, function* (rtems) {
        yield* rtems.binarySemaphorePost(sem);
      });
      // 0 ticks: no timeout.
      h.note(`timed forever ${yield* rtems.binarySemaphoreWaitTimedTicks(sem, 0)}`);
      rtems.timerFireAfter(timer, 1, function* (rtems) {
        yield* rtems.binarySemaphorePost(sem);
      });
      yield* rtems.binarySemaphoreWait(sem);
      h.note(`waited (name ${String(rtems.binarySemaphoreGetName(sem))})`);
      rtems.binarySemaphoreDestroy(sem);
    });
    h.run(20_000_000);
    expect(h.log).toEqual(['0 name BIN try 11', '0 after two posts: try 0 try 11', '3000000 timed 116', '5000000 timed 0', '7000000 timed forever 0', '8000000 waited (name B2)']);
  });

  it('a semaphore wait in an ISR that must block is the fatal error THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE', () => {
    const h = harness(function* (rtems) {
      const sem = rtems.binarySemaphoreInit('BIN');
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 1, function* (rtems) {
        yield* rtems.binarySemaphoreWait(sem);
      });
      yield* rtems.taskWakeAfter(5);
    });
    h.run(5_000_000);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE });
  });

  it('a binary semaphore is not a counting semaphore (the fatal error GUEST_EXCEPTION)', () => {
    const h = harness(function* (rtems) {
      yield* rtems.countingSemaphorePost(rtems.binarySemaphoreInit('BIN'));
    });
    h.run(1_000_000);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.GUEST_EXCEPTION });
  });
});
