import { BufferTraceSink, ExecutionAbandoned, TraceRecorder, WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import { SimpleProcessor } from '@paravirt/machine/test';
import { EventQueue, InterruptController } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_GLOBAL } from './attributes.js';
import { RTEMS_EVENT_0 } from './eventSet.js';
import { Executive, IDLE_THREAD_ID } from './executive.js';
import { DEFAULT_EXECUTIVE_COSTS } from './executiveCosts.js';
import { FatalSource, InternalError } from './fatalSource.js';
import { harness } from './internal/testHarness.js';
import { RTEMS_CURRENT_MODE, RTEMS_DEFAULT_MODES, RTEMS_INTERRUPT_LEVEL, RTEMS_NO_PREEMPT, RTEMS_PREEMPT } from './modes.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_EVENT_ANY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT, RTEMS_SELF, RTEMS_WAIT, RTEMS_WHO_AM_I } from './options.js';
import { RtemsStatus } from './rtemsStatus.js';
import { TestBsp, TestCpuPort, createTestSystem } from './test.js';

describe('Executive boot (RTEMS C User\'s Guide: Initialization Manager, confdefs Init task)', () => {
  it('creates IDLE (0x09010001, priority 255) and the Init task (0x0a010001, "UI1 ") with the configured priority, argument and modes', () => {
    const h = harness(
      function* (rtems, h) {
        const { id } = rtems.taskIdent(RTEMS_WHO_AM_I);
        const { priority } = yield* rtems.taskSetPriority(RTEMS_SELF, RTEMS_CURRENT_PRIORITY);
        const { previousMode } = yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0);
        h.note(`id=0x${id.toString(16)} priority=${priority} mode=0x${previousMode.toString(16)} byName=0x${rtems.taskIdent('UI1 ').id.toString(16)}`);
      },
      { configuration: { initTaskPriority: 7, initTaskArgument: 42 } },
    );
    let argument = -1;
    const original = h.executive;
    // The argument reaches the Init body unchanged.
    const init = createTestSystem({
      application: {
        name: 'argument',
        description: '',
        configuration: { initTaskArgument: 42 },
        *init(_rtems, value) {
          argument = value;
        },
      },
    });
    init.run(1_000_000);
    h.run(1_000_000);
    expect(argument).toBe(42);
    expect(h.log).toEqual(['0 id=0xa010001 priority=7 mode=0x100 byName=0xa010001']);
    const threads = original.statistics().threads;
    expect(threads.map((t) => [t.id, t.name, t.currentPriority])).toEqual([
      [IDLE_THREAD_ID, 'IDLE', 255],
      [0x0a010001, 'UI1 ', 7],
    ]);
    expect(IDLE_THREAD_ID).toBe(0x09010001);
    // Init ended with rtems_task_exit (the harness does that): only IDLE is left, executing.
    expect(threads.map((t) => t.state)).toEqual(['executing', 'deleted']);
  });

  it('boots an Init task with RTEMS_GLOBAL: on a single node RTEMS clears the attribute (taskconstruct.c)', () => {
    const system = createTestSystem({
      application: {
        name: 'global',
        description: '',
        configuration: { initTaskAttributes: RTEMS_GLOBAL },
        *init(rtems) {
          rtems.printf('Init runs\n');
          yield* rtems.taskExit();
        },
      },
    });
    system.run(1_000_000);
    expect(system.consoleText()).toBe('Init runs\n');
    expect(system.executive.termination).toBeUndefined();
  });
});

describe('A task body that returns (RTEMS 6 _Thread_Handler, spec:/score/thread/req/fatal-thread-exitted)', () => {
  it('Init returning from its body is the fatal error INTERNAL_ERROR_CORE / INTERNAL_ERROR_THREAD_EXITTED', () => {
    const system = createTestSystem({
      application: {
        name: 'returns',
        description: '',
        *init(rtems) {
          rtems.printf('Init returns\n');
          yield 100;
        },
      },
    });
    system.run(1_000_000);
    expect(system.consoleText()).toBe('Init returns\n');
    expect(system.bsp.fatalError).toEqual({ source: 'INTERNAL_ERROR_CORE', code: InternalError.THREAD_EXITTED });
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: 5, message: 'task UI1  returned from its entry point' });
  });

  it('so does any task whose body returns, a generator or a plain function, while other tasks still could run', () => {
    for (const entry of [function* () {}, () => undefined]) {
      const h = harness(
        function* (rtems, h) {
          const { id } = rtems.taskCreate('RET', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
          yield* rtems.taskStart(id, entry as never, 0);
          yield* rtems.taskWakeAfter(1);
          h.note('Init never wakes');
        },
        { configuration: { initTaskPriority: 10 } },
      );
      h.run(5_000_000);
      expect(h.log).toEqual([]);
      expect(h.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.THREAD_EXITTED, message: 'task RET  returned from its entry point' });
    }
  });
});

describe('Executive as a Workload over the CPU port test double (per-layer)', () => {
  it('saves the outgoing thread\'s interrupt level, switches contexts, and restores the heir\'s own level', () => {
    const h = harness(
      function* (rtems, h) {
        // A starts with interrupts disabled (RTEMS_INTERRUPT_LEVEL(1)) and is more important than Init.
        const { id } = rtems.taskCreate('A', 1, RTEMS_MINIMUM_STACK_SIZE, RTEMS_INTERRUPT_LEVEL(1), RTEMS_DEFAULT_ATTRIBUTES);
        yield* rtems.taskMode(RTEMS_PREEMPT, 0x100);
        yield* rtems.taskStart(
          id,
          function* (rtems) {
            h.note(`A level=${rtems.interruptDisable()}`);
            rtems.interruptEnable(1);
            yield* rtems.taskWakeAfter(2);
            h.note(`A again level=${rtems.interruptDisable()}`);
            yield* rtems.taskExit();
          },
          0,
        );
        h.note(`Init level=${rtems.interruptDisable()}`);
        rtems.interruptEnable(0);
        yield* rtems.taskWakeAfter(5);
      },
      { configuration: { initTaskPriority: 5 } },
    );
    h.run(10_000_000);
    // Context serials: 0 boot, 1 IDLE, 2 Init, 3 A.
    expect(h.cpuPort.switches).toEqual([
      [0, 2],
      [2, 3],
      [3, 2],
      [2, 1],
      [1, 3],
      [3, 1],
      [1, 2],
      [2, 1],
    ]);
    // A's level (disabled) goes with A; Init and IDLE run with their own (enabled), so the ticks are taken.
    expect(h.log).toEqual(['0 A level=1', '0 Init level=0', '2000000 A again level=1']);
    expect(h.executive.statistics().ticks).toBe(10);
  });

  it('resumes a compute step cut by an interrupt with exactly the cycles that were left', () => {
    const h = harness(
      function* (rtems, h) {
        yield rtems.compute(250_000); // 2.5 ms at 100 MHz, cut by the 1 ms and 2 ms ticks
        h.note('done');
      },
      { interruptCycles: 10 },
    );
    h.run(5_000_000);
    // 2 500 000 ns of compute plus two interrupts of 10 cycles (100 ns each).
    expect(h.log).toEqual(['2500200 done']);
    expect(h.processor.stats.preemptions).toBe(2);
  });

  it('charges the executive\'s own costs: directive, dispatch, ISR and clock tick (default cost table)', () => {
    const h = harness(
      function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        yield* rtems.taskWakeAfter(100);
      },
      { costs: DEFAULT_EXECUTIVE_COSTS, interruptCycles: 10, contextSwitchCycles: 100 },
    );
    h.run(4_500_000);
    const costs = DEFAULT_EXECUTIVE_COSTS;
    // Directives: Init create, two wake afters. Dispatches (each with a 100-cycle context
    // switch): boot->Init, Init->IDLE, IDLE->Init, Init->IDLE. Four clock interrupts
    // (1..4 ms), each 10 cycles of trap plus the executive's ISR and tick bodies.
    const expected = 3 * costs.directive + 4 * (costs.dispatch + 100) + 4 * (10 + costs.isr + costs.clockTick);
    expect(expected).toBe(2240);
    expect(h.processor.stats.overheadCycles).toBe(expected);
  });

  it('defers a dispatch made necessary in nested ISRs to the exit of the outermost ISR', () => {
    const h = harness(function* (rtems, h) {
      const high = rtems.taskCreate('HIGH', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).id;
      const low = rtems.taskCreate('LOW', 10, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).id;
      yield* rtems.taskStart(
        high,
        function* (rtems) {
          for (;;) {
            const { eventOut } = yield* rtems.eventReceive(RTEMS_EVENT_0, RTEMS_EVENT_ANY | RTEMS_WAIT, RTEMS_NO_TIMEOUT);
            h.note(`HIGH got ${eventOut}`);
          }
        },
        0,
      );
      yield* rtems.taskStart(
        low,
        function* (rtems) {
          yield rtems.compute(500_000); // 5 ms
          h.note('LOW done');
        },
        0,
      );
      const status = rtems.interruptHandlerInstall(3, function* (rtems) {
        h.note(`outer in ISR=${rtems.interruptIsInProgress()}`);
        // A nested interrupt, as a BSP that re-enables interrupts in its handler would take.
        h.executive.isr(() => {
          const send = rtems.eventSend(high, RTEMS_EVENT_0);
          const step = send.next();
          h.note(`inner send done=${String(step.done)} status=${String(step.value)}`);
        });
        h.note(`outer after inner: executing 0x${rtems.taskIdent(RTEMS_WHO_AM_I).id.toString(16)}`);
      });
      h.note(`install ${status}`);
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.board.queue.at(2_000_000, () => h.controller.raise(3));
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 install 0',
      '2000000 outer in ISR=true',
      '2000000 inner send done=true status=0',
      // Still LOW (0x0a010003) inside the ISR: the switch to HIGH waits for the ISR's end.
      '2000000 outer after inner: executing 0xa010003',
      '2000000 HIGH got 1',
      '5000000 LOW done',
    ]);
  });
});

describe('Executive error handling (fatal errors, exit, ExecutionAbandoned)', () => {
  it('turns a JS error thrown by application code into an RTEMS fatal error, not a host exception', () => {
    const sink = new BufferTraceSink();
    const system = createTestSystem({
      application: {
        name: 'thrower',
        description: '',
        *init(rtems) {
          rtems.printf('before\n');
          yield 100;
          throw new TypeError('boom');
        },
      },
      trace: new TraceRecorder(sink),
    });
    expect(() => system.run(10_000_000)).not.toThrow();
    expect(system.consoleText()).toBe('before\n');
    expect(system.bsp.fatalError).toEqual({ source: 'INTERNAL_ERROR_CORE', code: InternalError.GUEST_EXCEPTION });
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: 0x100, message: 'TypeError: boom' });
    expect(system.processor.stopReason).toBe('fatal error INTERNAL_ERROR_CORE 256');
    expect(sink.records.filter((r) => r.kind === 'fatal').map((r) => r.payload)).toEqual([{ source: 'INTERNAL_ERROR_CORE', code: 256, message: 'TypeError: boom' }]);
  });

  it('turns an error thrown in a timer service routine (interrupt context) into a fatal error', () => {
    const h = harness(function* (rtems) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 3, () => {
        throw new RangeError('bad routine');
      });
      yield* rtems.taskWakeAfter(100);
    });
    expect(() => h.run(10_000_000)).not.toThrow();
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.GUEST_EXCEPTION, message: 'RangeError: bad routine' });
    expect(h.executive.statistics().ticks).toBe(3);
  });

  it('is dead after a fatal error: next() waits for ever and ISRs are ignored', () => {
    const h = harness(function* (rtems) {
      yield 10;
      rtems.fatalErrorOccurred(0x1234);
    });
    h.run(1_000_000);
    expect(h.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_RTEMS_API', code: 0x1234, message: 'rtems_fatal_error_occurred' });
    let ran = false;
    h.executive.isr(() => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(h.executive.next()).toBe(WAIT_FOR_INTERRUPT);
    expect(h.executive.next()).toBe(WAIT_FOR_INTERRUPT);
  });

  it('rejects yields that are not cycle counts: WAIT_FOR_INTERRUPT outside IDLE, negative or fractional cycles', () => {
    for (const value of [WAIT_FOR_INTERRUPT, -5, 1.5, Number.NaN]) {
      const h = harness(function* () {
        yield value;
      });
      h.run(1_000_000);
      expect(h.executive.termination).toMatchObject({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.INVALID_YIELD });
    }
  });

  it('does not hang on a thread that yields 0 for ever: time goes on one cycle at a time', () => {
    const h = harness(
      function* (rtems, h) {
        const start = rtems.clockGetTicksSinceBoot();
        for (;;) {
          yield 0;
          if (rtems.clockGetTicksSinceBoot() - start >= 2) break;
        }
        h.note('two ticks passed');
      },
      { configuration: { microsecondsPerTick: 100 } },
    );
    h.run(300_000);
    expect(h.log).toEqual(['200000 two ticks passed']);
  });

  it('exit(status) reaches bsp.exit, stops the processor and never returns to the caller', () => {
    const h = harness(function* (rtems, h) {
      yield 100;
      rtems.exit(3);
      h.note('after exit');
    });
    h.run(1_000_000);
    expect(h.bsp.exitStatus).toBe(3);
    expect(h.executive.termination).toEqual({ kind: 'exit', status: 3 });
    expect(h.processor.stopReason).toBe('exit 3');
    expect(h.log).toEqual([]);
  });

  it('lets machine\'s ExecutionAbandoned propagate out of next() unchanged (a kernel abandoned the partition)', () => {
    const queue = new EventQueue();
    const controller = new InterruptController(8);
    const processor = new SimpleProcessor(queue, controller);
    const abandoned = new ExecutionAbandoned('partition stopped');
    const executive = new Executive({
      cpuPort: new TestCpuPort(processor),
      bsp: new TestBsp(processor, controller, queue),
      application: {
        name: 'abandoned',
        description: '',
        *init() {
          throw abandoned;
        },
      },
      name: 'p1',
      now: () => queue.now,
    });
    expect(() => executive.next()).toThrow(abandoned);
    expect(executive.termination).toBeUndefined();
  });
});

describe('Executive trace and statistics', () => {
  it('records thread create, switch and exit, and counts switches, ticks and interrupts', () => {
    const sink = new BufferTraceSink();
    const system = createTestSystem({
      application: {
        name: 'traced',
        description: '',
        configuration: { microsecondsPerTick: 1000 },
        *init(rtems) {
          yield* rtems.taskWakeAfter(2);
          yield* rtems.taskExit();
        },
      },
      trace: new TraceRecorder(sink),
      costs: { directive: 0, dispatch: 0, clockTick: 0, isr: 0 },
      interruptCycles: 0,
      contextSwitchCycles: 0,
    });
    system.run(3_500_000);
    const records = sink.records.filter((r) => r.kind.startsWith('thread.')).map((r) => [r.time, r.kind, r.payload]);
    expect(records).toEqual([
      [0, 'thread.create', { id: 0x09010001, name: 'IDLE', priority: 255 }],
      [0, 'thread.create', { id: 0x0a010001, name: 'UI1 ', priority: 1 }],
      [0, 'thread.switch', { from: null, fromId: null, to: 'UI1 ', toId: 0x0a010001 }],
      [0, 'thread.switch', { from: 'UI1 ', fromId: 0x0a010001, to: 'IDLE', toId: 0x09010001 }],
      [2_000_000, 'thread.switch', { from: 'IDLE', fromId: 0x09010001, to: 'UI1 ', toId: 0x0a010001 }],
      [2_000_000, 'thread.exit', { id: 0x0a010001, name: 'UI1 ', reason: 'exit' }],
      [2_000_000, 'thread.switch', { from: 'UI1 ', fromId: 0x0a010001, to: 'IDLE', toId: 0x09010001 }],
    ]);
    const statistics = system.executive.statistics();
    expect(statistics.contextSwitches).toBe(4);
    expect(statistics.ticks).toBe(3);
    expect(statistics.interrupts).toBe(3);
    expect(statistics.threads.map((t) => [t.name, t.state, t.dispatches])).toEqual([
      ['IDLE', 'executing', 2],
      ['UI1 ', 'deleted', 2],
    ]);
  });

  it('reports the fatal source name and code through the BSP for rtems_fatal', () => {
    const h = harness(function* (rtems) {
      yield 1;
      rtems.fatal(FatalSource.RTEMS_FATAL_SOURCE_APPLICATION, 77);
    });
    h.run(1_000_000);
    expect(h.bsp.fatalError).toEqual({ source: 'RTEMS_FATAL_SOURCE_APPLICATION', code: 77 });
  });

  it('reports RTEMS_NO_PREEMPT as the default Init mode', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.taskCreate('LAZY', 1, 0, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      h.note(`suspended=${rtems.taskIsSuspended(id)}`);
      const { previousMode } = yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0);
      h.note(`no preempt=${(previousMode & RTEMS_NO_PREEMPT) !== 0}`);
      const status = yield* rtems.taskStart(id, function* (rtems) {
        yield* rtems.taskExit();
      }, 0);
      h.note(`start ${status}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 suspended=0', '0 no preempt=true', `0 start ${RtemsStatus.SUCCESSFUL}`]);
  });
});

describe('a generator directive called without yield* (DIRECTIVE_NOT_DELEGATED)', () => {
  const NOTE = 'called without yield* (a generator directive does nothing unless delegated to)';
  const fatalOf = (h: { executive: Executive }) => h.executive.termination;

  it('is the fatal error when the task next yields, naming the task and the directive; the directive did nothing', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.taskCreate('LAZY', 1, 0, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      void rtems.taskStart(id, function* () {}, 0);
      h.note(`suspended=${rtems.taskIsSuspended(id)}`);
      yield 10;
      h.note('not reached');
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 suspended=0']);
    expect(fatalOf(h)).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.DIRECTIVE_NOT_DELEGATED, message: `task UI1: taskStart ${NOTE}` });
    expect(h.bsp.fatalError).toEqual({ source: 'INTERNAL_ERROR_CORE', code: 0x105 });
  });

  it('is the fatal error at the next generator directive call, before that directive runs', () => {
    const h = harness(function* (rtems, h) {
      rtems.taskWakeAfter(10);
      h.note('plain directives still run');
      yield* rtems.taskWakeAfter(5);
      h.note('not reached');
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 plain directives still run']);
    expect(fatalOf(h)).toMatchObject({ code: InternalError.DIRECTIVE_NOT_DELEGATED, message: `task UI1: taskWakeAfter ${NOTE}` });
  });

  it('is found in a timer service routine too (interrupt context)', () => {
    const h = harness(function* (rtems) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 2, (r) => {
        r.eventSend(RTEMS_SELF, RTEMS_EVENT_0);
      });
      yield* rtems.taskWakeAfter(10);
    });
    h.run(20_000_000);
    expect(fatalOf(h)).toMatchObject({ code: InternalError.DIRECTIVE_NOT_DELEGATED, message: `an interrupt or timer routine: eventSend ${NOTE}` });
  });

  it('lets a directive be called first and delegated to later, before the next yield; yield* rtems.x() costs nothing else', () => {
    const h = harness(function* (rtems, h) {
      const wait = rtems.taskWakeAfter(3);
      h.note(`ticks ${rtems.clockGetTicksSinceBoot()}`);
      const status = yield* wait;
      h.note(`status ${status} ticks ${rtems.clockGetTicksSinceBoot()}`);
      for (let i = 0; i < 3; i++) yield* rtems.taskWakeAfter(1);
      h.note(`ticks ${rtems.clockGetTicksSinceBoot()}`);
    });
    h.run(20_000_000);
    expect(h.log).toEqual(['0 ticks 0', `3000000 status ${RtemsStatus.SUCCESSFUL} ticks 3`, '6000000 ticks 6']);
    expect(fatalOf(h)).toBeUndefined();
  });
});

describe('a JS error thrown by guest code: where it was thrown (ExecutiveOptions.locateThrown)', () => {
  const thrower = (error: () => unknown) => ({
    name: 'thrower',
    description: '',
    *init(): Generator<number, void, unknown> {
      yield 100;
      throw error();
    },
  });

  it('adds what the host\'s locator makes of the Error\'s stack to the message', () => {
    const stacks: string[] = [];
    const system = createTestSystem({
      application: thrower(() => new TypeError('x is not a function')),
      locateThrown: (stack) => {
        stacks.push(stack);
        return './my.mjs:12:5';
      },
    });
    system.run(10_000_000);
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: 0x100, message: 'TypeError: x is not a function (at ./my.mjs:12:5)' });
    expect(stacks).toHaveLength(1);
    expect(stacks[0]).toMatch(/^TypeError: x is not a function\n\s+at /);
  });

  it('never runs guest code to read a stack, and a locator that finds nothing or throws leaves the message as it was', () => {
    const getter = new RangeError('sly');
    let read = 0;
    Object.defineProperty(getter, 'stack', {
      get: () => {
        read++;
        return 'at /x.mjs:1:1';
      },
    });
    const cases: Array<[() => unknown, (stack: string) => string | undefined, string]> = [
      [() => getter, () => 'here', 'RangeError: sly'],
      [() => 'text', () => 'here', 'thrown "text"'],
      [() => new Error('none'), () => undefined, 'Error: none'],
      [
        () => new Error('bad locator'),
        () => {
          throw new Error('locator');
        },
        'Error: bad locator',
      ],
    ];
    for (const [error, locateThrown, message] of cases) {
      const system = createTestSystem({ application: thrower(error), locateThrown });
      system.run(10_000_000);
      expect(system.executive.termination).toMatchObject({ code: 0x100, message });
    }
    expect(read).toBe(0);
  });
});

describe('Executive.quietIdleTicks and creditIdleTicks (a kernel fast-forward over timer upcalls into an idle guest)', () => {
  /** Init sets the time of day 2 ticks before a second ends, starts DLY (a 7-tick delay from tick 0) and suspends itself: IDLE runs from then on. */
  function idleWithDelay() {
    return harness(
      function* (rtems, h) {
        yield* rtems.clockSet({ year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 59, ticks: 998 });
        const { id } = rtems.taskCreate('DLY', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        yield* rtems.taskStart(
          id,
          function* (task) {
            yield* task.taskWakeAfter(7);
            h.note(`DLY woke at tick ${task.clockGetTicksSinceBoot()}`);
            yield* task.taskSuspend(RTEMS_SELF);
          },
          0,
        );
        h.note(`quiet while Init runs: ${h.executive.quietIdleTicks(100)}`);
        yield* rtems.taskSuspend(RTEMS_SELF);
      },
      // Real costs: a clock tick charges cycles, which creditIdleTicks must not.
      { costs: DEFAULT_EXECUTIVE_COSTS, interruptCycles: 10 },
    );
  }

  /** What the application can observe of the clock, and the executive's tick and interrupt counts. */
  function observed(h: ReturnType<typeof idleWithDelay>) {
    const { rtems } = h.executive;
    const { ticks, interrupts } = h.executive.statistics();
    return { ticks, interrupts, sinceBoot: rtems.clockGetTicksSinceBoot(), uptime: rtems.clockGetUptime(), tod: rtems.clockGetTod() };
  }

  // The quiet count must be exactly the ticks before the delay's watchdog (tick 7), capped by the limit, and 0 unless IDLE runs alone after boot.
  it('quietIdleTicks: the ticks before the next watchdog while IDLE runs alone; 0 before boot and while a task runs', () => {
    const h = idleWithDelay();
    expect(h.executive.quietIdleTicks(100)).toBe(0);
    h.run(500_000);
    // Tick 0, DLY due at tick 7: ticks 1..6 only count.
    expect([h.executive.quietIdleTicks(100), h.executive.quietIdleTicks(4), h.executive.quietIdleTicks(0)]).toEqual([6, 4, 0]);
    h.run(3_500_000);
    expect(h.executive.quietIdleTicks(100)).toBe(3);
    h.run(7_500_000);
    // DLY woke at tick 7 and suspended itself: no watchdog left, every tick is quiet.
    expect(h.executive.quietIdleTicks(100)).toBe(100);
    expect(h.log).toEqual(['0 quiet while Init runs: 0', expect.stringMatching(/^70\d{5} DLY woke at tick 7$/)]);
  });

  // Crediting n ticks must leave the clock and counters as n clock ISRs announcing a tick each would, without charging their cycles.
  it('creditIdleTicks(n): the ticks, uptime, time of day and interrupt count of n clock interrupts, no cycles charged', () => {
    const announced = idleWithDelay();
    const credited = idleWithDelay();
    for (const side of [announced, credited]) side.run(500_000);
    announced.run(4_500_000);
    const charged = credited.processor.chargedCycles;
    credited.executive.creditIdleTicks(4);
    expect(credited.processor.chargedCycles).toBe(charged);
    expect(observed(credited)).toEqual(observed(announced));
    // The 4 ticks carried the time of day from 59.998 s into the next minute.
    expect(observed(credited)).toMatchObject({ ticks: 4, interrupts: 4, sinceBoot: 4, uptime: { uptime: { seconds: 0, nanoseconds: 4_000_000 } }, tod: { tod: { minute: 1, second: 0, ticks: 2 } } });
    expect(credited.executive.quietIdleTicks(100)).toBe(announced.executive.quietIdleTicks(100));
    // The credited ticks count towards the delay: the third clock interrupt from here (at 3 ms) is tick 7.
    credited.run(3_500_000);
    expect(credited.log.at(-1)).toMatch(/^30\d{5} DLY woke at tick 7$/);
  });
});
