import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestSystem } from '@paravirt/cpukit/test';
import type { Application } from '@paravirt/cpukit';
import { describe, expect, it } from 'vitest';
import { PeriodicIrqSource } from '@paravirt/machine';
import { barrier, base_sp, compareScreens, edf, fpu, hello, idle, listSamples, partitions, periodic, regions, samples, sensor, signals, ticker } from './index.js';

const read = (relative: string): string => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'latin1');

/** This implementation's exact screen; UPDATE_GOLDEN=1 rewrites it (on purpose only). */
function golden(name: string, actual: string): string {
  const path = fileURLToPath(new URL(`./golden/${name}.scn`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual, 'latin1');
  return readFileSync(path, 'latin1');
}

function run(application: Application, microsecondsPerTick?: number, untilNs = 60_000_000_000) {
  const system = createTestSystem({ application, ...(microsecondsPerTick ? { configuration: { microsecondsPerTick } } : {}) });
  system.run(untilNs);
  return system;
}

describe('samples reproduce RTEMS\'s reference screens (packages/samples/reference)', () => {
  for (const application of [hello, ticker, base_sp]) {
    it(`${application.name}: matches the reference, and the golden of this implementation byte for byte`, () => {
      const system = run(application);
      const screen = Buffer.from(system.consoleBytes()).toString('latin1');
      const reference = read(`../reference/${application.name}.scn`);
      expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
      expect(compareScreens(screen, reference)).toBeUndefined();
      const expected = golden(application.name, screen);
      expect(screen).toBe(expected);
      // The golden itself is the reference up to the allowed reordering.
      expect(compareScreens(expected, reference)).toBeUndefined();
      // The same bytes with the 1 ms tick partitions use.
      expect(Buffer.from(run(application, 1000).consoleBytes()).toString('latin1')).toBe(expected);
    });
  }

  it('ticker: the lines of 09:00:10, :15, :20 and :30 come in another order than the reference, which its README allows', () => {
    const screen = Buffer.from(run(ticker).consoleBytes()).toString('latin1');
    const reference = read('../reference/ticker.scn');
    expect(screen).not.toBe(reference);
    expect(screen.split('\n').filter((line) => line.includes('09:00:10'))).toEqual([
      'TA2  - rtems_clock_get_tod - 09:00:10   12/31/1988',
      'TA1  - rtems_clock_get_tod - 09:00:10   12/31/1988',
    ]);
  });

  it('ticker ends at 09:00:35 (35 s of virtual time) through exit(0)', () => {
    const system = run(ticker, undefined, 40_000_000_000);
    expect(system.executive.statistics().ticks).toBe(3500);
    expect(system.bsp.exitStatus).toBe(0);
  });

  it('base_sp: the application task is the second Classic task, 0x0a010002', () => {
    const system = run(base_sp);
    expect(system.executive.statistics().threads.map((t) => [t.name, `0x${t.id.toString(16)}`])).toEqual([
      ['IDLE', '0x9010001'],
      ['UI1 ', '0xa010001'],
      ['TA1 ', '0xa010002'],
    ]);
  });
});

describe('periodic (rate monotonic) against its hand-checked golden', () => {
  it('GOOD meets every deadline, LATE misses one per period; same screen at 10 ms and 1 ms ticks', () => {
    const system = run(periodic);
    const screen = Buffer.from(system.consoleBytes()).toString('latin1');
    expect(screen).toBe(golden('periodic', screen));
    expect(Buffer.from(run(periodic, 1000).consoleBytes()).toString('latin1')).toBe(screen);
    const statistics = system.executive.statistics();
    expect(statistics.deadlineMisses).toBe(6);
    expect(statistics.periods.map((p) => [p.name, `0x${p.id.toString(16)}`, p.count, p.missedCount])).toEqual([
      ['GOOD', '0x42010001', 5, 0],
      ['LATE', '0x42010002', 6, 6],
    ]);
    expect(system.bsp.deadlineMisses).toEqual(Array.from({ length: 6 }, () => 0x42010002));
    // GOOD's sixth period starts at 500 ms: the summary and exit follow at once.
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
  });
});

describe('idle', () => {
  it('prints nothing and leaves the processor halted except for the clock ticks', () => {
    const system = run(idle, undefined, 999_999_999);
    expect(system.consoleBytes().length).toBe(0);
    expect(system.executive.termination).toBeUndefined();
    expect(system.executive.statistics().threads.map((t) => [t.name, t.state])).toEqual([
      ['IDLE', 'executing'],
      ['UI1 ', 'deleted'],
    ]);
    // Busy time: boot (Init create and delete: 2 directives, 2 dispatches with their
    // context switches = 800 cycles) and 99 ticks of 210 cycles (10 trap + 50 ISR +
    // 150 tick), at 10 ns per cycle. Everything else is spent halted.
    expect(system.processor.stats.waitNs).toBe(999_999_999 - 800 * 10 - 99 * 210 * 10);
    expect(system.processor.halted).toBe(true);
  });
});

describe('sensor (an ISR defers each interrupt to a task) against its hand-checked golden', () => {
  /** The sensor with a device raising line 5 every `period` ns from `period` on. */
  function sensorRun(application: Application, period: number, untilNs: number) {
    const system = createTestSystem({ application });
    const device = new PeriodicIrqSource(system.board.queue, system.controller.line(5), { period });
    device.start();
    system.run(untilNs);
    return { system, device };
  }

  it('every 7 ms: 142 interrupts in the first second (7 ... 994 ms), 143 in each of the next four, all handled', () => {
    const { system, device } = sensorRun(sensor, 7_000_000, 6_000_000_000);
    const screen = system.consoleText();
    expect(screen).toBe(golden('sensor', screen));
    expect(screen.split('\n').filter((line) => line.startsWith('sensor: second')).map((line) => line.split(' ')[3])).toEqual(['142', '143', '143', '143', '143']);
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
    // It exits at 5 s, the 714th interrupt at 4998 ms was the last it took; the device goes on.
    expect(device.raises).toBe(857);
    // Interrupts the executive took: 5000 clock ticks and the 714 of the sensor.
    expect(system.executive.statistics().interrupts).toBe(5000 + 714);
  });

  it('20 interrupts per tick: each one is handled, none merged (a counting semaphore, where events would merge)', () => {
    // Every 50 us; SENS works 2000 cycles (20 us) per interrupt. The raise at exactly 1 s comes after
    // the tick that ends second 1 (simultaneous events run in the order they were queued, and the
    // tick's was queued at the previous tick), so it counts in second 2; the one at 5 s is taken by
    // the ISR but SENS, woken by the same tick, reports first and ends.
    const { system } = sensorRun(sensor, 50_000, 5_100_000_000);
    const lines = system.consoleText().split('\n');
    expect(lines.filter((line) => line.startsWith('sensor: second')).map((line) => line.split(' ')[3])).toEqual(['19999', '20000', '20000', '20000', '20000']);
    expect(lines).toContain('sensor: in 5 s the ISR took 100000 interrupts, SENS handled 99999');
  });

  it('line 5 already taken (a unique handler there: RTEMS_RESOURCE_IN_USE): it says so, prints the END banner and exits with 1', () => {
    const blocked: Application = {
      ...sensor,
      *init(rtems) {
        rtems.interruptHandlerInstall(5, () => {});
        yield* sensor.init(rtems, 0);
      },
    };
    const { system } = sensorRun(blocked, 7_000_000, 100_000_000);
    expect(system.consoleText()).toBe(
      '*** BEGIN OF TEST SENSOR ***\nsensor: rtems_interrupt_handler_install on line 5: RTEMS_RESOURCE_IN_USE\n*** END OF TEST SENSOR ***\n',
    );
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 1 });
  });
});

describe('regions, barrier, partitions (the memory and barrier managers) against their hand-checked goldens', () => {
  // When each one ends: its last step (regions: 5 x 250 ms, barrier: 6 x 250 ms; partitions never waits).
  const ENDS_AT_MS = { regions: 1250, barrier: 1500, partitions: 0 } as const;

  it.each([regions, barrier, partitions])('$name: its golden byte for byte, the same at 10 ms and 1 ms ticks, exit 0 at its last step', (application) => {
    for (const microsecondsPerTick of [10_000, 1000]) {
      const system = run(application, microsecondsPerTick, 5_000_000_000);
      const screen = system.consoleText();
      expect(screen).toBe(golden(application.name, screen));
      expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
      expect(system.executive.statistics().ticks * microsecondsPerTick).toBe(ENDS_AT_MS[application.name as keyof typeof ENDS_AT_MS] * 1000);
    }
  });

  it('regions: the tasks end by rtems_task_exit (but the last: its event lets Init end the test first); the segments are where RTEMS 6\'s first-fit heap puts them', () => {
    const system = run(regions);
    const lines = system.consoleText().split('\n');
    // Blocks of n + 8 bytes rounded up to the page size (16): 1008, 608, 816, 720; the block size minus 4 is usable.
    expect(lines.filter((line) => line.includes(' got '))).toEqual([
      'TA1: got 1000 bytes at 0x00100010 (1004 usable); free 1 block, largest 1024, total 1024',
      'TA2: got 600 bytes at 0x00100400 (604 usable); free 1 block, largest 416, total 416',
      'TA3: got 800 bytes at 0x00100400 (812 usable); free 1 block, largest 208, total 208',
      'TA4: got 700 bytes at 0x00100010 (716 usable); free 2 blocks, largest 288, total 496',
    ]);
    expect(system.executive.statistics().threads.map((t) => [t.name, t.state])).toEqual([
      ['IDLE', 'ready'],
      ['UI1 ', 'executing'],
      ['TA1 ', 'deleted'],
      ['TA2 ', 'deleted'],
      // The last one done: its event readies Init (priority 1), which ends the test before TA3 runs again.
      ['TA3 ', 'ready'],
      ['TA4 ', 'deleted'],
    ]);
  });

  it('barrier: W3 times out at BAR2 before Init releases it, so the release counts 2', () => {
    const lines = run(barrier).consoleText().split('\n');
    expect(lines.indexOf('W3: BAR2: RTEMS_TIMEOUT, gives up')).toBeLessThan(lines.indexOf('Init: rtems_barrier_release(BAR2): 2 tasks released'));
    // The third arrival opens BAR1 and passes first; the two it released follow in FIFO order.
    expect(lines.filter((line) => line.endsWith('passed BAR1'))).toEqual(['W3: passed BAR1', 'W1: passed BAR1', 'W2: passed BAR1']);
  });

  it('partitions: the pool hands buffers back in the order they were returned (3, 1, 4, 2)', () => {
    const lines = run(partitions).consoleText().split('\n');
    const taken = lines.filter((line) => /^CPU: buffer \d: 0x/.test(line)).map((line) => line.slice(-10));
    expect(taken).toEqual(['0x00200000', '0x00200040', '0x00200080', '0x002000c0', '0x00200080', '0x00200000', '0x002000c0', '0x00200040']);
  });
});

describe('signals and fpu (the Signal Manager, floating-point tasks) against their hand-checked goldens', () => {
  it.each([signals, fpu])('$name: its golden byte for byte, the same at 10 ms and 1 ms ticks, exit 0', (application) => {
    for (const microsecondsPerTick of [10_000, 1000]) {
      const system = run(application, microsecondsPerTick, 5_000_000_000);
      const screen = system.consoleText();
      expect(screen).toBe(golden(application.name, screen));
      expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
    }
  });

  it('signals: nothing waits for time, so it ends before the first tick', () => {
    expect(run(signals, 1000, 5_000_000_000).executive.statistics().ticks).toBe(0);
  });

  it('signals: sets arrive whole, an ASR runs at its task\'s dispatch, inside a send to oneself, and again after itself', () => {
    const lines = run(signals).consoleText().split('\n');
    const at = (line: string): number => {
      const index = lines.indexOf(line);
      expect(index, line).toBeGreaterThanOrEqual(0);
      return index;
    };
    expect(lines.slice(1, 3)).toEqual(['Init: rtems_signal_send(PING, 0x00000000): RTEMS_INVALID_NUMBER', 'Init: rtems_signal_send(PING, SIGNAL_0) before PING catches: RTEMS_NOT_DEFINED']);
    // Init's two sends to the blocked PING: one ASR call with both, once Init waits, before PING's rtems_event_receive returns.
    expect(at('Init: PING\'s ASR has not run; Init waits')).toBeLessThan(at('PING ASR: signals 0x00000006'));
    expect(at('PING ASR: signals 0x00000006')).toBeLessThan(at('PING: rtems_event_receive returned, after the ASR; yields until the rally is over'));
    // The rally: 3 hits each way, then over.
    expect(lines.filter((line) => line.endsWith('signals 0x00000008')).length).toBe(3);
    expect(lines.filter((line) => line.endsWith('signals 0x00000010')).length).toBe(3);
    // Each ASR in its catch's mode, the tasks in theirs.
    expect(lines).toContain('PING ASR: runs in RTEMS_NO_PREEMPT | RTEMS_NO_TIMESLICE | RTEMS_NO_ASR | RTEMS_INTERRUPT_LEVEL(0)');
    expect(lines).toContain('PONG ASR: runs in RTEMS_PREEMPT | RTEMS_NO_TIMESLICE | RTEMS_ASR | RTEMS_INTERRUPT_LEVEL(0)');
    expect(lines).toContain('PING: back in RTEMS_PREEMPT | RTEMS_NO_TIMESLICE | RTEMS_ASR | RTEMS_INTERRUPT_LEVEL(0)');
    // RTEMS_NO_ASR: three dispatches without the ASR, then one call with the three signals inside rtems_task_mode.
    expect(at('PONG: dispatched (3 signals pending), no ASR call')).toBeLessThan(at('PONG ASR: signals 0x000000e0'));
    expect(at('PONG: rtems_task_mode(RTEMS_ASR, RTEMS_ASR_MASK)') + 1).toBe(at('PONG ASR: signals 0x000000e0'));
    // To itself: inside rtems_signal_send, SIGNAL_9 (sent from the RTEMS_NO_ASR ASR) right after it.
    expect(lines.slice(at('PING: sends itself SIGNAL_8'), at('PING: rtems_signal_send(PING, SIGNAL_8) returned RTEMS_SUCCESSFUL, after both ASR calls') + 1)).toEqual([
      'PING: sends itself SIGNAL_8',
      'PING ASR: signals 0x00000100',
      'PING ASR: sends itself SIGNAL_9',
      'PING ASR: its mode has RTEMS_NO_ASR: SIGNAL_9 waits until this ASR returns',
      'PING ASR: signals 0x00000200',
      'PING: rtems_signal_send(PING, SIGNAL_8) returned RTEMS_SUCCESSFUL, after both ASR calls',
    ]);
    expect(lines).toContain('PING: rtems_signal_send(PONG, SIGNAL_10): RTEMS_NOT_DEFINED');
  });

  it('fpu: FP1, FP2 and INT take turns chunk by chunk, and each FP sum ends with the bits of one uninterrupted sum', () => {
    const system = run(fpu);
    const lines = system.consoleText().split('\n');
    const chunks = lines.filter((line) => / terms: /.test(line)).map((line) => line.split(':')[0]);
    expect(chunks).toEqual(Array.from({ length: 4 }, () => ['FP1', 'FP2', 'INT']).flat());
    expect(lines.filter((line) => line.endsWith('the same bits'))).toHaveLength(2);
    expect(lines).toContain('FP1: 10000 terms: 3.141492653590, error -1.000000e-04, 3.14149');
    expect(lines).toContain('INT: 10000 terms: 50005000');
    // The test port has no FPU: the executive counts no FP context switch here (the CPU ports' tests count them).
    expect(system.executive.statistics().fpContextSwitches).toBe(0);
  });
});

describe('edf (the EDF and CBS schedulers) against its hand-checked golden', () => {
  it('its golden byte for byte, the same at 10 ms and 1 ms ticks, exit 0', () => {
    for (const microsecondsPerTick of [10_000, 1000]) {
      const system = run(edf, microsecondsPerTick, 10_000_000_000);
      const screen = system.consoleText();
      expect(screen).toBe(golden('edf', screen));
      expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
    }
  });

  it('EDF: A and B meet every deadline, a released job with a later deadline does not preempt, priorities are deadlines', () => {
    const system = run(edf);
    const lines = system.consoleText().split('\n');
    const jobs = lines.filter((line) => / [AB] job \d/.test(line));
    // The schedule of the header comment: A 0-3, B 3-7, A 7-10, B 10-14, A 14-17, idle 17-18, twice.
    expect(jobs.map((line) => line.replace(/^t=\s*(\d+)\.\.(\d+)\s+([AB]) job (\d+) \(released t=\s*(\d+)\).*$/, '$3$4 $5 $1-$2'))).toEqual([
      'A1 0 0-3', 'B1 0 3-7', 'A2 6 7-10', 'B2 9 10-14', 'A3 12 14-17',
      'A4 18 18-21', 'B3 18 21-25', 'A5 24 25-28', 'B4 27 28-32', 'A6 30 32-35',
    ]);
    // Every job's priority is its deadline: its release plus its period; every period call succeeded.
    for (const line of jobs) {
      const match = /([AB]) job \d+ \(released t=\s*(\d+)\): RTEMS_SUCCESSFUL, priority t0\+(\d+)$/.exec(line);
      expect(match, line).not.toBeNull();
      const [, name, released, deadline] = match!;
      expect(Number(deadline) - Number(released), line).toBe(name === 'A' ? 6 : 9);
    }
    expect(lines).toContain('EDF: 12 rtems_rate_monotonic_period calls, 0 returned RTEMS_TIMEOUT');
    expect(lines).toContain('A: rtems_rate_monotonic_get_status: 6 periods, 0 missed; priority t0+42 while it is suspended');
    expect(lines).toContain('B: rtems_rate_monotonic_get_status: 4 periods, 0 missed; priority t0+45 while it is suspended');
    expect(lines.slice(lines.indexOf('A: period deleted, priority 2'))[1]).toBe('B: period deleted, priority 3');
    expect(system.executive.statistics().deadlineMisses).toBe(0);
  });

  it('CBS: the overrun at the tick that takes the last of the budget, the late unblock rule, the directives\' answers', () => {
    const lines = run(edf).consoleText().split('\n');
    const timed = lines.filter((line) => /^t=\s*\d+ (C|Init|overrun)/.test(line));
    expect(timed).toEqual([
      't= 0 C job 1 (period from t= 0): RTEMS_SUCCESSFUL, priority t0+8, remaining budget 3, execution time 0',
      // The callback, in the tick's interrupt, after the job was cancelled.
      't= 3 overrun callback: server 0, in an interrupt: yes; C\'s priority 4',
      't= 3 C job 1 done after 3 ticks: priority 4, remaining budget 0, execution time 3',
      't= 6 Init computes until t=10, priority 1',
      // C's second job, released at 8 with deadline t0+16, lost it when C unblocked: it waits for Init.
      't=10 Init done, waits for C',
      't=10 C job 2 (period from t= 8): RTEMS_SUCCESSFUL, priority 4, remaining budget 3, execution time 0',
      't=11 C job 2 done after 1 tick: priority 4, remaining budget 2, execution time 1',
    ]);
    for (const expected of [
      'CBS: rtems_cbs_initialize: RTEMS_CBS_OK (0)',
      'CBS: rtems_cbs_create_server(deadline 6, budget 0): RTEMS_CBS_ERROR_INVALID_PARAMETER (-18)',
      'CBS: rtems_cbs_get_parameters: deadline 8, budget 3',
      'CBS: rtems_cbs_attach_thread(server 0, Init): RTEMS_CBS_ERROR_FULL (-26) (the server has a task)',
      'CBS: rtems_cbs_get_execution_time: RTEMS_CBS_OK (0), 1',
      'CBS: rtems_cbs_get_remaining_budget: RTEMS_CBS_OK (0), 2',
      'CBS: rtems_cbs_get_server_id(C): RTEMS_CBS_ERROR_NOSERVER (-25)',
      'CBS: without a task: execution time 0, remaining budget 3',
      'CBS: rtems_cbs_cleanup: RTEMS_CBS_OK (0)',
    ]) {
      expect(lines).toContain(expected);
    }
  });
});

describe('sample registry', () => {
  it('lists every sample under its own name, in a stable order', () => {
    expect(Object.keys(samples)).toEqual(['hello', 'ticker', 'base_sp', 'periodic', 'idle', 'producer', 'consumer', 'modeswitch', 'sensor', 'regions', 'barrier', 'partitions', 'signals', 'fpu', 'edf', 'hostile']);
    expect(listSamples().map((sample) => sample.name)).toEqual(['hello', 'ticker', 'base_sp', 'periodic', 'idle', 'producer', 'consumer', 'modeswitch', 'sensor', 'regions', 'barrier', 'partitions', 'signals', 'fpu', 'edf', 'hostile']);
    for (const [name, sample] of Object.entries(samples)) {
      expect(sample.name).toBe(name);
      expect(sample.description.length).toBeGreaterThan(10);
    }
  });
});
