/**
 * Guest applications (written inline with cpukit's Classic API) on bare metal, on both
 * boards: console bytes through the UART, a clock driver exact over 35 s of virtual
 * time, an ISR on a device line readying a task, fatal errors, processor exceptions and
 * exit halting the processor, and never a host exception.
 */
import type { Application, Rtems } from '@paravirt/cpukit';
import {
  RTEMS_CURRENT_MODE,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_EVENT_0,
  RTEMS_EVENT_ANY,
  RTEMS_INTERRUPT_LEVEL,
  RTEMS_INTERRUPT_MASK,
  RTEMS_INTERRUPT_SHARED,
  RTEMS_INTERRUPT_UNIQUE,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_SELF,
  RTEMS_WAIT,
  RtemsStatus,
} from '@paravirt/cpukit';
import { i386Architecture, PIT_FREQUENCY_HZ } from '@paravirt/cpu-i386';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import { PeriodicIrqSource, StreamTraceSink, TraceRecorder } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { leon3NativeBsp } from './leon3Bsp.js';
import { type NativeArch, type NativeSystem, createNativeSystem, nativeClockProblem } from './nativeSystem.js';
import { pc386NativeBsp } from './pc386Bsp.js';

const MS = 1_000_000;
const S = 1_000_000_000;

/** The instant 8254 input clock `cycle` begins (the PIT was programmed at time 0). */
function pitEdge(cycle: number): number {
  const f = BigInt(PIT_FREQUENCY_HZ);
  return Number((BigInt(cycle) * 1_000_000_000n + f - 1n) / f);
}

/** Time of the n-th clock tick (n >= 1) with the default 10 ms tick: 8254 count 11932 on the PC, exactly 10 ms on the LEON3. */
function tickInstant(arch: NativeArch, n: number): number {
  return arch === 'i386' ? pitEdge(n * 11932) : n * 10 * MS;
}

/** Halted for good: i386 HLT with IF = 0 (and the code in EAX); SPARC error mode (codes in %g1-%g3). */
function haltState(system: NativeSystem): unknown {
  if (system.arch === 'i386') {
    const cpu = system.board.processor;
    return { halted: cpu.halted, interruptsEnabled: cpu.interruptsEnabled, eax: cpu.readRegister('eax') };
  }
  const cpu = system.board.processor;
  return { stopReason: cpu.stopReason, g1: cpu.readRegister('g1'), g2: cpu.readRegister('g2'), g3: cpu.readRegister('g3') };
}

function expectedHalt(arch: NativeArch, source: number, code: number): unknown {
  return arch === 'i386'
    ? { halted: true, interruptsEnabled: false, eax: code }
    : { stopReason: 'error mode: trap tt=0x80 with ET=0', g1: 1, g2: source, g3: code };
}

const hello: Application = {
  name: 'hello-native',
  description: 'prints two lines and exits',
  *init(rtems: Rtems) {
    rtems.printf('Hello World\n');
    rtems.printf('%s %d %c\n', 'bare metal', 42, 0x21);
    rtems.exit(0);
  },
};

/** RTEMS's ticker, restated: three tasks print the time of day every 5, 10 and 15 s until 09:00:35. */
const ticker: Application = {
  name: 'ticker-native',
  description: 'time of day every 5, 10, 15 s',
  configuration: { maximumTasks: 4 },
  *init(rtems: Rtems) {
    rtems.printf('*** BEGIN OF TEST CLOCK TICK ***\n');
    yield* rtems.clockSet({ year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 0, ticks: 0 });
    for (const [i, name] of ['TA1 ', 'TA2 ', 'TA3 '].entries()) {
      const { id } = rtems.taskCreate(name, 1, RTEMS_MINIMUM_STACK_SIZE * 2, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        function* (task, index) {
          for (;;) {
            const { tod } = task.clockGetTod();
            if (tod!.second >= 35) {
              task.printf('*** END OF TEST CLOCK TICK ***\n');
              task.exit(0);
            }
            task.printf('%s - rtems_clock_get_tod - %02d:%02d:%02d   %02d/%02d/%04d\n', name, tod!.hour, tod!.minute, tod!.second, tod!.month, tod!.day, tod!.year);
            yield* task.taskWakeAfter(index * 5 * task.clockGetTicksPerSecond());
          }
        },
        i + 1,
      );
    }
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};

const TICKER_SCREEN = [
  '*** BEGIN OF TEST CLOCK TICK ***',
  'TA1  - rtems_clock_get_tod - 09:00:00   12/31/1988',
  'TA2  - rtems_clock_get_tod - 09:00:00   12/31/1988',
  'TA3  - rtems_clock_get_tod - 09:00:00   12/31/1988',
  'TA1  - rtems_clock_get_tod - 09:00:05   12/31/1988',
  'TA2  - rtems_clock_get_tod - 09:00:10   12/31/1988',
  'TA1  - rtems_clock_get_tod - 09:00:10   12/31/1988',
  'TA3  - rtems_clock_get_tod - 09:00:15   12/31/1988',
  'TA1  - rtems_clock_get_tod - 09:00:15   12/31/1988',
  'TA2  - rtems_clock_get_tod - 09:00:20   12/31/1988',
  'TA1  - rtems_clock_get_tod - 09:00:20   12/31/1988',
  'TA1  - rtems_clock_get_tod - 09:00:25   12/31/1988',
  'TA3  - rtems_clock_get_tod - 09:00:30   12/31/1988',
  'TA2  - rtems_clock_get_tod - 09:00:30   12/31/1988',
  'TA1  - rtems_clock_get_tod - 09:00:30   12/31/1988',
  '*** END OF TEST CLOCK TICK ***',
  '',
].join('\n');

/**
 * A task created at RTEMS_INTERRUPT_LEVEL(2) reports the level it starts at, the level it
 * reads after rtems_task_mode(RTEMS_INTERRUPT_LEVEL(3)), whether the clock ticked while it
 * computed 2,000,000 cycles (20 ms at 100 MHz, 40 ms at 50 MHz) at that level, and the
 * level after going back to 0.
 */
function levelsProbe(log: string[]): Application {
  return {
    name: 'levels',
    description: 'interrupt levels of task modes',
    configuration: { maximumTasks: 2 },
    *init(rtems: Rtems) {
      log.push(`mask 0x${rtems.interruptMask.toString(16)}, RTEMS_INTERRUPT_LEVEL(2) is ${rtems.interruptLevelBody(2)}`);
      const { id } = rtems.taskCreate('LVL', 1, RTEMS_MINIMUM_STACK_SIZE, RTEMS_INTERRUPT_LEVEL(2), RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        function* (task) {
          const level = function* (): Generator<number, number, unknown> {
            return (yield* task.taskMode(RTEMS_CURRENT_MODE, 0)).previousMode & RTEMS_INTERRUPT_MASK;
          };
          const start = yield* level();
          yield* task.taskMode(RTEMS_INTERRUPT_LEVEL(3), RTEMS_INTERRUPT_MASK);
          const three = yield* level();
          const before = task.clockGetTicksSinceBoot();
          yield task.compute(2_000_000);
          const ticked = task.clockGetTicksSinceBoot() !== before;
          yield* task.taskMode(RTEMS_INTERRUPT_LEVEL(0), RTEMS_INTERRUPT_MASK);
          const zero = yield* level();
          log.push(`starts at ${start}, level 3 reads ${three}, clock ticked at level 3: ${ticked ? 'yes' : 'no'}, then ${zero}`);
          task.exit(0);
        },
        0,
      );
      yield* rtems.taskWakeAfter(1);
    },
  };
}

/** The device line each board's test uses, and lines an ISR cannot be installed on. */
const LINES: Record<NativeArch, { device: number; clock: number; invalid: number[] }> = {
  i386: { device: 5, clock: 0, invalid: [2, 16, -1] },
  sparc: { device: 5, clock: 8, invalid: [0, 16, -1] },
};

describe.each(['i386', 'sparc'] as const)('bare metal on %s', (arch) => {
  it('hello: the bytes go out through the UART, then exit(0) halts the processor', () => {
    const system = createNativeSystem({ arch, application: hello });
    system.run(100 * MS);
    expect(Buffer.from(system.consoleBytes()).toString('latin1')).toBe('Hello World\nbare metal 42 !\n');
    expect(system.consoleText()).toBe('Hello World\nbare metal 42 !\n');
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
    expect([system.bsp.exitStatus, system.bsp.fatalError]).toEqual([0, undefined]);
    expect(haltState(system)).toEqual(expectedHalt(arch, 5, 0));
  });

  it('ticker: the clock driver keeps exact time over 35 s; exit comes with the 3500th tick', () => {
    const system = createNativeSystem({ arch, application: ticker });
    system.run(tickInstant(arch, 3500) - 1);
    expect(system.executive.termination).toBeUndefined();
    expect(system.bsp.clockInterrupts).toBe(3499);
    system.run(tickInstant(arch, 3500) + MS);
    expect(system.consoleText()).toBe(TICKER_SCREEN);
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
    expect([system.bsp.clockInterrupts, system.executive.statistics().ticks]).toEqual([3500, 3500]);
    // Halted: the timer goes on, nobody takes its interrupts.
    system.run(40 * S);
    expect(system.bsp.clockInterrupts).toBe(3500);
    expect(system.consoleText()).toBe(TICKER_SCREEN);
  });

  it('an ISR installed on a device line runs on every interrupt and readies the task waiting for it', () => {
    const { device, clock, invalid } = LINES[arch];
    const statuses: number[] = [];
    const application: Application = {
      name: 'isr-native',
      description: 'waits for events sent by an ISR',
      *init(rtems: Rtems) {
        const self = rtems.taskIdent(RTEMS_SELF).id;
        statuses.push(
          rtems.interruptHandlerInstall(device, function* (isr) {
            yield* isr.eventSend(self, RTEMS_EVENT_0);
          }),
        );
        statuses.push(rtems.interruptHandlerInstall(device, () => {}), rtems.interruptHandlerInstall(clock, () => {}));
        for (const line of invalid) statuses.push(rtems.interruptHandlerInstall(line, () => {}));
        for (let i = 1; i <= 3; i++) {
          const { status } = yield* rtems.eventReceive(RTEMS_EVENT_0, RTEMS_WAIT | RTEMS_EVENT_ANY, RTEMS_NO_TIMEOUT);
          rtems.printf('event %d: %s at tick %u\n', i, status === RtemsStatus.SUCCESSFUL ? 'ok' : 'failed', rtems.clockGetTicksSinceBoot());
        }
        rtems.exit(3);
      },
    };
    const system = createNativeSystem({ arch, application });
    const source = new PeriodicIrqSource(system.board.board.queue, system.board.deviceLine(device), { period: 7 * MS });
    source.start();
    system.run(50 * MS);
    // The device line's unique handler, then the line again and the clock's (the clock driver's own, unique): RESOURCE_IN_USE.
    expect(statuses).toEqual([RtemsStatus.SUCCESSFUL, RtemsStatus.RESOURCE_IN_USE, RtemsStatus.RESOURCE_IN_USE, ...new Array<number>(invalid.length).fill(RtemsStatus.INVALID_ID)]);
    expect(system.consoleText()).toBe('event 1: ok at tick 0\nevent 2: ok at tick 1\nevent 3: ok at tick 2\n');
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 3 });
    expect([source.raises, system.executive.statistics().interrupts]).toEqual([7, 3 + 2]);
    expect(system.bsp.unexpectedInterrupts).toBe(0);
    expect(haltState(system)).toEqual(expectedHalt(arch, 5, 3));
  });

  it('measures interrupt latency per line: from the raise the controller latched to the ISR, the clock line named as such', () => {
    const { device, clock } = LINES[arch];
    let isrs = 0;
    const application: Application = {
      name: 'latency-native',
      description: 'an ISR on a device line, interrupts enabled while idle',
      *init(rtems: Rtems) {
        rtems.interruptHandlerInstall(device, () => void isrs++);
        yield* rtems.eventReceive(RTEMS_EVENT_0, RTEMS_WAIT | RTEMS_EVENT_ANY, RTEMS_NO_TIMEOUT); // never sent
      },
    };
    const system = createNativeSystem({ arch, application });
    const source = new PeriodicIrqSource(system.board.board.queue, system.board.deviceLine(device), { period: 7 * MS, start: 1.5 * MS + 123 }); // never within a clock ISR
    source.start();
    system.run(100 * MS);
    const stats = system.bsp.interruptStats();
    expect(stats.lines.map((line) => [line.line, line.clock])).toEqual([
      [clock, true],
      [device, false],
    ]);
    const line = stats.lines.find((entry) => entry.line === device)!;
    expect([line.isrs, isrs, source.raises]).toEqual([15, 15, 15]);
    // The idle processor takes each at once: the trap entry and dispatch only, the same every time, well under a microsecond or two.
    expect(line.latencyNs.count).toBe(15);
    expect(line.latencyNs.min).toBeGreaterThan(0);
    expect(line.latencyNs.max).toBe(line.latencyNs.min);
    expect(line.latencyNs.max).toBeLessThan(2000);
    const ticks = stats.lines.find((entry) => entry.clock)!;
    expect(ticks.isrs).toBe(system.bsp.clockInterrupts);
    expect(stats.latencyNs.count).toBe(ticks.isrs + 15);
  });

  it('shared handlers of a device line run in installation order; removing the last one masks the line at the controller again', () => {
    const { device } = LINES[arch];
    const log: string[] = [];
    const masked = (): boolean => (system.arch === 'i386' ? system.board.pic.isMasked(device) : system.board.irqmp.isMasked(device));
    const application: Application = {
      name: 'shared-native',
      description: 'two shared handlers on one line, then none',
      *init(rtems: Rtems) {
        const handler = (isr: Rtems, name: string): void => void log.push(`${name} at tick ${isr.clockGetTicksSinceBoot()}`);
        const installs = [
          rtems.interruptHandlerInstall(device, 'A', RTEMS_INTERRUPT_SHARED, handler, 'A'),
          rtems.interruptHandlerInstall(device, 'B', RTEMS_INTERRUPT_SHARED, handler, 'B'),
          rtems.interruptHandlerInstall(device, 'C', RTEMS_INTERRUPT_UNIQUE, handler, 'C'),
        ];
        log.push(`install ${installs.map((status) => RtemsStatus[status]).join(' ')}, masked ${masked()}`);
        yield* rtems.taskWakeAfter(2);
        const removals = [rtems.interruptHandlerRemove(device, handler, 'A'), rtems.interruptHandlerRemove(device, handler, 'B'), rtems.interruptHandlerRemove(device, handler, 'B')];
        log.push(`remove ${removals.map((status) => RtemsStatus[status]).join(' ')}, masked ${masked()}`);
        yield* rtems.taskWakeAfter(3);
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch, application });
    const source = new PeriodicIrqSource(system.board.board.queue, system.board.deviceLine(device), { period: 7 * MS });
    source.start();
    system.run(60 * MS);
    expect(log).toEqual([
      'install SUCCESSFUL SUCCESSFUL RESOURCE_IN_USE, masked false',
      'A at tick 0',
      'B at tick 0',
      'A at tick 1',
      'B at tick 1',
      'remove SUCCESSFUL SUCCESSFUL UNSATISFIED, masked true',
    ]);
    // The raises from 21 ms on met a masked line: no ISR ran, none was unexpected.
    expect([source.raises, system.bsp.unexpectedInterrupts, system.executive.termination]).toEqual([8, 0, { kind: 'exit', status: 0 }]);
  });

  it("a task's interrupt level is the architecture's: RTEMS_INTERRUPT_LEVEL(2) is 0 on the i386 (IF) and 2 on SPARC (PIL)", () => {
    const log: string[] = [];
    const system = createNativeSystem({ arch, application: levelsProbe(log), configuration: { microsecondsPerTick: 1000 } });
    system.run(100 * MS);
    expect(log).toEqual(
      arch === 'i386'
        ? // CPU_MODES_INTERRUPT_MASK 0x1: level 2 is 0, level 3 is 1 (IF clear): the PIT's IRQ 0 waits.
          ['mask 0x1, RTEMS_INTERRUPT_LEVEL(2) is 0', 'starts at 0, level 3 reads 1, clock ticked at level 3: no, then 0']
        : // 0xF: PIL 2, then PIL 3, which still takes the GPTIMER's interrupt level 8.
          ['mask 0xf, RTEMS_INTERRUPT_LEVEL(2) is 2', 'starts at 2, level 3 reads 3, clock ticked at level 3: yes, then 0'],
    );
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
  });

  it('a fatal error halts the processor for good with the source and code where RTEMS leaves them', () => {
    const application: Application = {
      name: 'fatal-native',
      description: 'dies',
      *init(rtems: Rtems) {
        rtems.printf('dying\n');
        rtems.fatalErrorOccurred(0x1234);
      },
    };
    const system = createNativeSystem({ arch, application });
    system.run(50 * MS);
    expect(system.consoleText()).toBe('dying\n');
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_RTEMS_API', code: 0x1234, message: 'rtems_fatal_error_occurred' });
    expect([system.bsp.fatalError, system.bsp.exitStatus]).toEqual([{ source: 'INTERNAL_ERROR_RTEMS_API', code: 0x1234, timeNs: expect.any(Number) }, undefined]);
    // Stamped when bsp_fatal ran, early in Init, not when the run ended.
    expect(system.bsp.fatalError!.timeNs).toBeGreaterThan(0);
    expect(system.bsp.fatalError!.timeNs).toBeLessThan(MS);
    expect(haltState(system)).toEqual(expectedHalt(arch, 1, 0x1234));
    expect(system.bsp.clockInterrupts).toBe(0);
  });

  it('a processor exception in a task is an RTEMS fatal error (RTEMS_FATAL_SOURCE_EXCEPTION, the vector / trap type)', () => {
    const application: Application = {
      name: 'divide-native',
      description: 'divides by zero',
      *init(rtems: Rtems) {
        yield* rtems.taskWakeAfter(2);
        const board = system.board;
        if (board.arch === 'i386') board.processor.divide(0);
        else board.processor.udiv(1, 0);
        rtems.printf('not reached\n');
      },
    };
    const system = createNativeSystem({ arch, application });
    expect(() => system.run(100 * MS)).not.toThrow();
    const code = arch === 'i386' ? 0 : 0x2a;
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'RTEMS_FATAL_SOURCE_EXCEPTION', code, message: 'rtems_fatal' });
    expect(system.consoleText()).toBe('');
    expect(haltState(system)).toEqual(expectedHalt(arch, 9, code));
    expect(system.bsp.clockInterrupts).toBe(2);
  });

  it('a JavaScript error in guest code is a fatal error, never a host exception', () => {
    const application: Application = {
      name: 'throw-native',
      description: 'throws',
      *init() {
        throw new TypeError('guest bug');
      },
    };
    const system = createNativeSystem({ arch, application });
    expect(() => system.run(10 * MS)).not.toThrow();
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: 0x100, message: 'TypeError: guest bug' });
    expect(haltState(system)).toEqual(expectedHalt(arch, 0, 0x100));
  });

  it('runs the same bytes and cycles every time, with no privileged fault on the way', () => {
    const run = () => {
      let privilegedFaults = 0;
      const trace = new TraceRecorder(
        new StreamTraceSink((record) => {
          if (record.kind === 'trap' && (record.payload.name === '#GP' || record.payload.name === 'privileged_instruction')) privilegedFaults++;
        }),
      );
      const system = createNativeSystem({ arch, application: ticker, configuration: { microsecondsPerTick: 1000 }, trace });
      system.run(36 * S);
      return { console: system.consoleText(), stats: system.board.processor.stats, privilegedFaults };
    };
    const first = run();
    expect(first.console).toBe(TICKER_SCREEN);
    expect(first.privilegedFaults).toBe(0);
    expect(run()).toEqual(first);
  });
});

describe('createNativeSystem', () => {
  it('refuses a tick the 8254 cannot produce and an unknown architecture; splits one too long for a count', () => {
    expect(() => createNativeSystem({ arch: 'i386', application: hello, configuration: { microsecondsPerTick: 1 } })).toThrow(/8254 a count of 1/);
    expect(createNativeSystem({ arch: 'i386', application: hello, configuration: { microsecondsPerTick: 54_925 } }).bsp.clockCount).toBe(65_536);
    const split = createNativeSystem({ arch: 'i386', application: hello, configuration: { microsecondsPerTick: 54_926 } }).bsp;
    expect([split.clockCount, split.clockIsrsPerTick]).toEqual([6_553, 10]);
    expect(nativeClockProblem('i386', 1)).toMatch(/at least 2 \(2us\)/);
    expect([nativeClockProblem('i386', 1_000_000), nativeClockProblem('sparc', 1), nativeClockProblem('sparc', 2 ** 32)]).toEqual([undefined, undefined, undefined]);
    expect(nativeClockProblem('sparc', 2 ** 32 + 1)).toMatch(/32-bit reload register/);
    expect(() => createNativeSystem({ arch: 'm68k' as NativeArch, application: hello })).toThrow(/no native BSP for architecture m68k/);
  });

  it('takes the board options: memory, clock, costs, seed', () => {
    const system = createNativeSystem({ arch: 'sparc', application: hello, memorySize: 1 << 20, frequencyHz: 40_000_000, costs: { ioAccess: 9 }, seed: 7 });
    expect([system.board.board.memory.size, system.board.processor.clock.frequencyHz, system.board.costs.ioAccess]).toEqual([1 << 20, 40_000_000, 9]);
    expect(() => createNativeSystem({ arch: 'i386', application: hello, costs: { instruction: 1 } })).toThrow(/unknown i386 cost/);
  });
});

describe('bsp-native entries (one per architecture, registered with its descriptor)', () => {
  it.each([
    ['i386', pc386NativeBsp, i386Architecture],
    ['sparc', leon3NativeBsp, sparcArchitecture],
  ] as const)('%s: the entry builds what the name builds, byte for byte, and answers the same clock limits', (arch, native, architecture) => {
    expect(native.architecture).toBe(architecture);
    const byName = createNativeSystem({ arch, application: ticker, seed: 5 });
    const byEntry = createNativeSystem({ arch: native, application: ticker, seed: 5 });
    byName.run(2 * S);
    byEntry.run(2 * S);
    expect([byEntry.arch, byEntry.board.arch, byEntry.cpuPort.name]).toEqual([arch, arch, arch]);
    expect(byEntry.consoleText()).toBe(byName.consoleText());
    expect([byEntry.board.board.queue.eventsRun, byEntry.board.processor.stats]).toEqual([byName.board.board.queue.eventsRun, byName.board.processor.stats]);
    for (const us of [1, 2, 10_000, 2 ** 32 + 1]) expect(native.clockProblem(us)).toBe(nativeClockProblem(arch, us));
  });
});
