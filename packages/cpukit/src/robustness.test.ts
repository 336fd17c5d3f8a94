/**
 * Guest misbehaviour stays inside the simulation: whatever an application throws, asks
 * for or configures, the executive answers with an RTEMS status or a fatal error, never
 * a host exception, and never holds host memory in proportion to a guest's argument.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from './attributes.js';
import { InternalError } from './fatalSource.js';
import { messageBufferBytes } from './internal/messageQueueManager.js';
import { harness } from './internal/testHarness.js';
import { RtemsStatus } from './rtemsStatus.js';
import { createTestSystem } from './test.js';
import type { Application } from './application.js';

const trap = (): never => {
  throw new Error('trap');
};

function throwing(value: () => unknown): Application {
  return {
    name: 'thrower',
    description: '',
    *init() {
      yield 100;
      throw value();
    },
  };
}

describe('a thrown value of any kind is a GUEST_EXCEPTION fatal error with a bounded one-line message', () => {
  const errorWithThrowingMessage = (): Error => {
    const error = new Error('x');
    Object.defineProperty(error, 'message', { get: trap });
    return error;
  };
  it.each([
    ['Object.create(null)', () => Object.create(null), 'thrown an object that is not an Error'],
    ['a Proxy whose traps throw', () => new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap }), 'thrown an object that is not an Error'],
    ['an Error whose message getter throws', errorWithThrowingMessage, 'Error (its message cannot be read)'],
    ['a Symbol', () => Symbol('sym'), 'thrown Symbol(sym)'],
    ['a 50 MB string', () => 'y'.repeat(50_000_000), `thrown "${'y'.repeat(192)}...`],
    ['an Error with a huge multi-line message', () => new RangeError(`a\nb${'z'.repeat(10_000_000)}`), `RangeError: a b${'z'.repeat(185)}...`],
  ])('%s', (_name, value, message) => {
    const system = createTestSystem({ application: throwing(value) });
    expect(() => system.run(10_000_000)).not.toThrow();
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.GUEST_EXCEPTION, message });
  });

  it('the same in interrupt context (a timer service routine throwing a Proxy)', () => {
    const h = harness(function* (rtems) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 2, () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- containing a thrown non-Error is what this test checks
        throw new Proxy({}, { get: trap, getPrototypeOf: trap });
      });
      yield* rtems.taskWakeAfter(100);
    });
    expect(() => h.run(10_000_000)).not.toThrow();
    expect(h.executive.termination).toMatchObject({ code: InternalError.GUEST_EXCEPTION, message: 'thrown an object that is not an Error' });
  });
});

describe('an invalid configuration is refused with the fatal error INVALID_CONFIGURATION at boot, not an exception', () => {
  it.each([
    ['maximumTasks 0', { maximumTasks: 0 }, 'invalid configuration: configuration.maximumTasks: must be a whole number from 1 to 65535, got 0'],
    ['two problems', { microsecondsPerTick: 0, maximumTask: 1 }, 'invalid configuration: configuration.microsecondsPerTick: must be a whole number from 1 to 1000000, got 0 (and 1 more)'],
    ['a Proxy', new Proxy({}, { ownKeys: trap }), 'invalid configuration: configuration: cannot be read (listing its options threw)'],
    ['a string', 'fast', 'invalid configuration: configuration: must be an object of confdefs options, got "fast"'],
  ])('%s', (_name, configuration, message) => {
    let ran = false;
    const system = createTestSystem({
      application: {
        name: 'bad',
        description: '',
        configuration,
        *init() {
          ran = true;
          yield 1;
        },
      },
    });
    expect(() => system.run(10_000_000)).not.toThrow();
    expect(ran).toBe(false);
    expect(system.bsp.fatalError).toEqual({ source: 'INTERNAL_ERROR_CORE', code: InternalError.INVALID_CONFIGURATION });
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: 0x103, message });
    expect(system.executive.configurationProblems.length).toBeGreaterThan(0);
  });

  it('also a configuration getter that throws, or a bad override from the BSP or runner', () => {
    const application: Application = {
      name: 'getter',
      description: '',
      get configuration() {
        return trap();
      },
      *init() {},
    };
    const system = createTestSystem({ application });
    system.run(1_000_000);
    expect(system.executive.termination).toMatchObject({ code: InternalError.INVALID_CONFIGURATION, message: 'invalid configuration: configuration: cannot be read (its getter threw)' });
    const overridden = createTestSystem({ application: { name: 'ok', description: '', *init() {} }, configuration: { microsecondsPerTick: 1.5 } });
    overridden.run(1_000_000);
    expect(overridden.executive.termination).toMatchObject({ code: InternalError.INVALID_CONFIGURATION });
  });
});

describe('work past the end of virtual time is the fatal error END_OF_TIME (bare metal: the processor asks the executive)', () => {
  it('a compute step of 1e15 cycles (1e16 ns at 100 MHz, past 2^53 ns)', () => {
    const system = createTestSystem({
      application: {
        name: 'long',
        description: '',
        *init(rtems) {
          rtems.printf('start\n');
          yield rtems.compute(1e15);
          rtems.printf('never\n');
        },
      },
    });
    expect(() => system.run(10_000_000)).not.toThrow();
    expect(system.consoleText()).toBe('start\n');
    expect(system.executive.termination).toEqual({
      kind: 'fatal',
      source: 'INTERNAL_ERROR_CORE',
      code: InternalError.END_OF_TIME,
      message: 'thread UI1 : a compute step of 1000000000000000 cycles would run past the end of virtual time',
    });
  });

  it('a timer service routine yielding 2^53 - 1 cycles of interrupt work', () => {
    const h = harness(function* (rtems) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 1, function* () {
        yield Number.MAX_SAFE_INTEGER;
      });
      yield* rtems.taskWakeAfter(10);
    });
    expect(() => h.run(10_000_000)).not.toThrow();
    expect(h.executive.termination).toMatchObject({ code: InternalError.END_OF_TIME, message: '9007199254740991 cycles of executive and interrupt work would run past the end of virtual time' });
  });

  it('a long step that still ends before the end of time just runs (cut by the end of the run)', () => {
    const h = harness(function* (rtems) {
      yield rtems.compute(1e12);
    });
    h.run(10_000_000);
    expect(h.executive.termination).toBeUndefined();
  });
});

describe('clock and timers with out-of-range arguments', () => {
  it('keeps the time of day exact in 2099 with a 1 ms tick (seconds and ns, not one count of ns)', () => {
    const h = harness(function* (rtems, h) {
      yield* rtems.clockSet({ year: 2099, month: 12, day: 31, hour: 23, minute: 59, second: 58, ticks: 999 });
      yield* rtems.taskWakeAfter(2001);
      const { tod } = rtems.clockGetTod();
      h.note(`${tod!.year}-${tod!.month}-${tod!.day} ${tod!.hour}:${tod!.minute}:${tod!.second}.${tod!.ticks}`);
    });
    h.run(3_000_000_000);
    expect(h.log).toEqual(['2001000000 2100-1-1 0:0:1.0']);
  });

  it('intervals are uint32_t ticks (rtems_interval): huge or odd values wrap as C converts them, never overflow time', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.timerCreate('TMR');
      const statuses = [
        rtems.timerFireAfter(id, 1e300, () => {}),
        rtems.timerFireAfter(id, 2 ** 32, () => {}),
        rtems.timerFireAfter(id, Number.NaN, () => {}),
        rtems.timerFireAfter(id, 0xffff_ffff, () => {}),
      ];
      h.note(statuses.join(' '));
      const waited = yield* rtems.taskWakeAfter(2 ** 32 + 1);
      h.note(`woke ${waited}`);
      const { id: period } = rtems.rateMonotonicCreate('PER');
      h.note(`period ${yield* rtems.rateMonotonicPeriod(period, 1e300)} ${yield* rtems.rateMonotonicPeriod(period, 0xffff_ffff)}`);
      const year = yield* rtems.clockSet({ year: 1e300, month: 1, day: 1, hour: 0, minute: 0, second: 0, ticks: 0 });
      h.note(`clock ${year}`);
    }, { configuration: { maximumPeriods: 1 } });
    expect(() => h.run(10_000_000)).not.toThrow();
    // 1e300 and 2^32 wrap to 0 (INVALID_NUMBER), NaN converts to 0; 2^32 + 1 ticks is 1 tick; a period of
    // 1e300 ticks is 0, RTEMS_PERIOD_STATUS, which asks an inactive period for its state (NOT_DEFINED).
    expect(h.log).toEqual([`0 ${RtemsStatus.INVALID_NUMBER} ${RtemsStatus.INVALID_NUMBER} ${RtemsStatus.INVALID_NUMBER} 0`, '1000000 woke 0', `1000000 period ${RtemsStatus.NOT_DEFINED} 0`, `1000000 clock ${RtemsStatus.INVALID_CLOCK}`]);
  });
});

describe('guest allocations are bounded by the guest\'s own workspace', () => {
  it('a message queue whose buffer area overflows a size_t is INVALID_NUMBER / INVALID_SIZE; one whose buffers exceed the workspace is RTEMS_UNSATISFIED', () => {
    const h = harness(function* (rtems, h) {
      const attempt = (count: number, size: number): string => {
        const { status, id } = rtems.messageQueueCreate('Q', count, size, RTEMS_DEFAULT_ATTRIBUTES);
        return status === RtemsStatus.SUCCESSFUL ? `0x${id.toString(16)}` : String(status);
      };
      h.note([attempt(1e9, 1e6), attempt(2, 0xffff_fffd), attempt(65_536, 1), attempt(4096, 240), attempt(1, 1)].join(' '));
      const { id } = rtems.messageQueueIdent('Q');
      h.note(`delete ${yield* rtems.messageQueueDelete(id)} again ${attempt(4096, 240)}`);
    });
    h.run(1_000_000);
    // 1e9 x (1e6 + 16) bytes and SIZE_MAX - 2 bytes overflow a 32-bit size_t (RTEMS 6
    // _CORE_message_queue_Initialize). 1 MiB of workspace: 65,536 one-byte messages take 20
    // bytes each (1.25 MiB); 4096 x 256 bytes fit exactly. Each refused create took an object
    // and freed it to the end of the free list (1, 2 and 3 go behind 4..10).
    expect(messageBufferBytes(4096, 240)).toEqual({ status: RtemsStatus.SUCCESSFUL, bytes: 1 << 20 });
    expect(h.log).toEqual(['0 10 8 13 0x22010004 13', '0 delete 0 again 0x22010006']);
  });

  it('sizes a workspace from the BSP: a smaller one refuses sooner', () => {
    const system = createTestSystem({
      workspaceSize: 1000,
      configuration: { maximumMessageQueues: 2 },
      application: {
        name: 'mq',
        description: '',
        *init(rtems) {
          rtems.printf('%d %d\n', rtems.messageQueueCreate('A', 10, 84, 0).status, rtems.messageQueueCreate('B', 1, 1, 0).status);
          yield 1;
        },
      },
    });
    system.run(1_000_000);
    // 10 x (84 + 16) bytes take all 1000.
    expect(system.consoleText()).toBe('0 13\n');
  });

  it('printf output of more than 65536 bytes fails (-1) and writes nothing; a non-string format too', () => {
    const h = harness(function* (rtems, h) {
      h.note(`${rtems.printf('%01000000000d', 5)} ${rtems.printf('%*d', 2_147_483_647, 5)} ${rtems.printf('%s', 'x'.repeat(200_000_000))} ${rtems.printk(42 as never)} ${rtems.printf('ok %d\n', 7)}`);
      yield 1;
    });
    expect(() => h.run(1_000_000)).not.toThrow();
    expect(h.log).toEqual(['0 -1 -1 -1 -1 5']);
    expect(h.consoleText()).toBe('ok 7\n');
  });
});

describe('statistics stay bounded for a guest that creates and deletes objects for ever', () => {
  it('keeps every live thread and the last 256 deleted ones', () => {
    const h = harness(function* (rtems) {
      for (let i = 0; i < 1000; i++) {
        const { id } = rtems.taskCreate('T', 5, 4096, 0, 0);
        yield* rtems.taskDelete(id);
      }
    });
    h.run(100_000_000);
    const threads = h.executive.statistics().threads;
    expect(threads.filter((t) => t.state === 'deleted')).toHaveLength(256);
    expect(threads[0]!.name).toBe('IDLE');
  });
});
