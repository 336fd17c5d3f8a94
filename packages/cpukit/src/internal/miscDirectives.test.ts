import { describe, expect, it } from 'vitest';
import { FatalSource, InternalError } from '../fatalSource.js';
import { harness } from './testHarness.js';

describe('ISR locks on one processor (C User\'s Guide, Interrupt Manager; score/isrlock.h)', () => {
  it('acquire disables interrupts and release restores the level; the ISR variants and destroy do nothing', () => {
    const h = harness(function* (rtems, h) {
      const lock = rtems.interruptLockInitialize('LOCK');
      const level = rtems.interruptLockAcquire(lock);
      // Interrupts stay off across this compute: the 1 ms tick is taken only after release.
      yield rtems.compute(250_000); // 2.5 ms
      h.note(`in lock: ticks ${rtems.clockGetTicksSinceBoot()}`);
      rtems.interruptLockAcquireIsr(lock);
      rtems.interruptLockReleaseIsr(lock);
      rtems.interruptLockRelease(lock, level);
      yield rtems.compute(100_000); // 1 ms
      h.note(`after release: ticks ${rtems.clockGetTicksSinceBoot()}`);
      const context = rtems.interruptLockInterruptDisable();
      yield rtems.compute(150_000);
      h.note(`interrupt disable: ticks ${rtems.clockGetTicksSinceBoot()}`);
      rtems.interruptLockRelease(lock, context);
      yield rtems.compute(100_000);
      h.note(`released again: ticks ${rtems.clockGetTicksSinceBoot()}`);
      rtems.interruptLockDestroy(lock);
    });
    h.run(10_000_000);
    // No tick is counted while the lock is held; the clock interrupt taken after each release
    // announces the ticks missed meanwhile (TestBsp's driver counts them).
    expect(h.log).toEqual(['2500000 in lock: ticks 0', '3500000 after release: ticks 2', '5000000 interrupt disable: ticks 2', '6000000 released again: ticks 5']);
  });

  it('a lock that is not an InterruptLock is refused (the fatal error GUEST_EXCEPTION)', () => {
    const h = harness(function* (rtems) {
      rtems.interruptLockAcquire({} as never);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.GUEST_EXCEPTION });
  });
});

describe('Kernel character output and panic (bspIo.h, putk.c, panic.c)', () => {
  it('rtems_putc / rtems_put_char write one byte as it is; putk adds a new line and counts it', () => {
    const h = harness(function* (rtems, h) {
      rtems.putc('A');
      rtems.putc(0x142); // C's char: the low 8 bits, 'B'
      rtems.putChar(0x0a, 'ignored');
      const n = rtems.putk('hello');
      h.note(`putk ${n} not a string ${rtems.putk(42 as never)}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.consoleText()).toBe('AB\nhello\n');
    expect(h.log).toEqual(['0 putk 6 not a string -1']);
  });

  it('rtems_panic prints with printk, then ends with the fatal source RTEMS_FATAL_SOURCE_PANIC', () => {
    const h = harness(function* (rtems, h) {
      h.note('before');
      rtems.panic('bad value %d\n', 42);
      h.note('not reached');
      yield 1;
    });
    h.run(1_000_000);
    expect(h.consoleText()).toBe('bad value 42\n');
    expect(h.log).toEqual(['0 before']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', source: 'RTEMS_FATAL_SOURCE_PANIC', code: 0 });
    expect(FatalSource.RTEMS_FATAL_SOURCE_PANIC).toBe(11);
  });

  it('rtems_internal_error_text names RTEMS\'s codes and answers "?" past them', () => {
    const h = harness(function* (rtems, h) {
      h.note([0, 5, 18, 28, 30, 45, 46, 47, 0x100, -1].map((code) => rtems.internalErrorText(code)).join(' '));
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 INTERNAL_ERROR_NO_CONFIGURATION_TABLE INTERNAL_ERROR_THREAD_EXITTED INTERNAL_ERROR_THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE INTERNAL_ERROR_THREAD_QUEUE_DEADLOCK INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL INTERNAL_ERROR_IDLE_THREAD_STACK_TOO_SMALL INTERNAL_ERROR_CANNOT_DISABLE_DATA_CACHE ? ? ?',
    ]);
  });
});

describe('Timespec helpers and object queries', () => {
  it('timespec to ticks rounds up; from ticks multiplies by the microseconds per tick in 32 bits (timespectoticks.c, timespecfromticks.c)', () => {
    const h = harness(
      function* (rtems, h) {
        const to = [
          { seconds: 0, nanoseconds: 0 },
          { seconds: 0, nanoseconds: 1 },
          { seconds: 0, nanoseconds: 10_000_000 },
          { seconds: 1, nanoseconds: 10_000_001 },
          { seconds: 2 ** 32, nanoseconds: 0 },
        ].map((t) => rtems.timespecToTicks(t));
        const from = [0, 1, 150, 429_497].map((ticks) => rtems.timespecFromTicks(ticks)).map((t) => `${t.seconds}.${t.nanoseconds}`);
        h.note(`to ${to.join(' ')} from ${from.join(' ')}`);
        yield 1;
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(1_000_000);
    // 429497 ticks of 10 ms is 4294970000 us, past 2^32: it wraps to 2704 us.
    expect(h.log).toEqual(['0 to 0 1 1 102 0 from 0.0 0.10000000 1.500000000 0.2704000']);
  });

  it('the local node is 1; object ids span the internal (1) to the POSIX (3) API', () => {
    const h = harness(function* (rtems, h) {
      h.note(`${rtems.objectGetLocalNode()} ${rtems.objectIdApiMinimum()} ${rtems.objectIdApiMaximum()}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 1 1 3']);
  });

  it('API and class names and class ranges (objectgetapiname.c, objectgetapiclassname.c, objectapimin/maxclass.c)', () => {
    const h = harness(function* (rtems, h) {
      h.note([0, 1, 2, 3, 4].map((api) => rtems.objectGetApiName(api)).join(','));
      h.note(
        [
          [1, 1],
          [2, 1],
          [2, 4],
          [2, 10],
          [2, 11],
          [3, 5],
          [3, 6],
          [0, 1],
          [7, 1],
        ]
          .map(([api, objectClass]) => rtems.objectGetApiClassName(api!, objectClass!))
          .join(','),
      );
      h.note([0, 1, 2, 3, 4].map((api) => `${rtems.objectApiMinimumClass(api)}..${rtems.objectApiMaximumClass(api)}`).join(' '));
      // A task id's API and class name it.
      const id = rtems.taskSelf();
      h.note(rtems.objectGetApiClassName(rtems.objectIdGetApi(id), rtems.objectIdGetClass(id)));
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 BAD CLASS,Internal,Classic,POSIX,BAD CLASS',
      '0 Thread,Task,Message Queue,Barrier,BAD CLASS,BAD CLASS,Shared Memory,BAD API,BAD API',
      '0 -1..0 1..1 1..10 1..6 -1..0',
      '0 Task',
    ]);
  });
});
