/**
 * Fast-forward over idle kernel ticks (issue 16) changes nothing anyone can see: every
 * module of examples/, on pok and air x i386 and sparc, gives the same console (stdout),
 * stderr, exit code, JSON summary (wallTimeMs aside; `events` included) and trace bytes
 * with and without --no-fast-forward. The default demo runs 60 s, long after its
 * applications end, so most of it is idle ticks that the fast-forward skips.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO, loadConfig, Simulation, type SimulationOptions } from '../src/index.js';
import { Prng, ScheduledEvent, TraceRecorder, type TraceSink } from '@paravirt/machine';
import { type Application, RTEMS_SELF } from '@paravirt/cpukit';
import { samples } from '@paravirt/samples';
import { cli, repo } from './helpers.js';

const root = resolve(repo, 'examples');

function examples(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return examples(path);
    return /\.(ya?ml|json|xml)$/.test(entry.name) && !entry.name.endsWith('.sweep.yaml') ? [relative(root, path)] : [];
  });
}

const FILES = examples(root).sort();
const COMBINATIONS = ['pok', 'air'].flatMap((kernel) => ['i386', 'sparc'].map((arch) => [kernel, arch] as const));

/** One run's visible results: exit code, stdout (consoles and table), stderr, the JSON summary without wallTimeMs, and the trace. */
async function visible(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string; summary: unknown; trace: string | undefined; report: string | undefined }> {
  const { code, stdout, stderr, files } = await cli([...args, '--json', 'summary.json']);
  const text = files.get('summary.json');
  const summary = text === undefined ? undefined : { ...JSON.parse(text), wallTimeMs: 0 };
  // The report shows the wall time too: the one number allowed to differ.
  const report = files.get('report.html')?.replace(/"wallTimeMs":\d+/g, '"wallTimeMs":0');
  return { code, stdout, stderr, summary, trace: files.get('trace.json'), report };
}

async function expectSameWithAndWithout(args: readonly string[]): Promise<void> {
  const fast = await visible(args);
  const slow = await visible([...args, '--no-fast-forward']);
  expect(fast.code).toBe(slow.code);
  expect(fast.stderr).toBe(slow.stderr);
  expect(fast.stdout).toBe(slow.stdout);
  expect(fast.summary).toEqual(slow.summary);
  expect(fast.trace).toBe(slow.trace);
  expect(fast.report).toBe(slow.report);
}

describe.each(FILES)('examples/%s', (file) => {
  const path = resolve(root, file);
  // Long enough for idle stretches (applications that end, partitions that wait), short enough for the suite.
  const duration = file === 'demo.yaml' ? '60s' : '3s';
  it.each(COMBINATIONS)('is the same with and without fast-forward on %s/%s', async (kernel, arch) => {
    await expectSameWithAndWithout(['run', path, '--kernel', kernel, '--arch', arch, '--duration', duration]);
  }, 60_000);
});

it.each(COMBINATIONS)('the default demo traced is the same with and without fast-forward on %s/%s', async (kernel, arch) => {
  await expectSameWithAndWithout(['run', '--kernel', kernel, '--arch', arch, '--duration', '1s', '--trace', 'trace.json']);
}, 60_000);

// A trace without the `ticks` category and the report want no tick records: the kernel fast-forwards while they record.
it.each(COMBINATIONS)('the default demo traced without ticks, and reported, is the same with and without fast-forward on %s/%s', async (kernel, arch) => {
  await expectSameWithAndWithout(['run', '--kernel', kernel, '--arch', arch, '--duration', '60s', '--trace', 'trace.json', '--trace-events', 'windows,threads,virq,hypercalls,ports,hm,traps', '--report', 'report.html']);
}, 60_000);

it('fast-forward skips ticks while a sink records that wants no tick traps, and not while one wants them', () => {
  const skipped = (sinks: TraceSink[]): number => {
    const loaded = loadConfig(DEFAULT_DEMO, { duration: 20_000_000_000 });
    const simulation = new Simulation({ spec: loaded.spec!, applications: new Map(Object.entries(samples)), trace: new TraceRecorder(...sinks) });
    simulation.run(20_000_000_000);
    return (simulation.kernel as unknown as { fastForwardedTicks: number }).fastForwardedTicks;
  };
  const noTicks: TraceSink = { wantsTickTraps: false, write: () => {} };
  const everything: TraceSink = { write: () => {} };
  expect(skipped([noTicks])).toBeGreaterThan(10_000);
  expect(skipped([noTicks, everything])).toBe(0);
}, 60_000);

it('fast-forward skips most of the default demo and stops at every slice end', () => {
  const run = (fastForward: boolean, slice?: number) => {
    const loaded = loadConfig(DEFAULT_DEMO, { duration: 20_000_000_000 });
    const simulation = new Simulation({ spec: loaded.spec!, applications: new Map(Object.entries(samples)), fastForward });
    simulation.start();
    const seen: number[] = [];
    while (!simulation.advance(20_000_000_000, slice)) seen.push(simulation.now);
    const result = simulation.result();
    return { seen, result, skipped: (simulation.kernel as unknown as { fastForwardedTicks: number }).fastForwardedTicks };
  };
  const slow = run(false);
  const fast = run(true);
  // Slices of 7 ms: a fast-forward must stop exactly at each one's end.
  const sliced = run(true, 7_000_000);
  expect(slow.skipped).toBe(0);
  expect(fast.skipped).toBeGreaterThan(10_000);
  expect(fast.seen).toEqual(slow.seen);
  expect(fast.result).toEqual(slow.result);
  expect(sliced.result).toEqual(slow.result);
  expect(sliced.seen.length).toBeGreaterThan(2000);
}, 60_000);

// With --no-fast-forward off too: a partition outside its window whose timer line is latched
// has its next expiries held back and counted when it is next looked at (VirtualTimer.defer).
describe('timers held back outside their windows change nothing', () => {
  /** Never idle: one task computing for ever, with a 1 ms clock tick (so its timer expires at every kernel tick). */
  const spinner: Application = {
    name: 'spinner',
    description: 'computes for ever',
    configuration: { maximumTasks: 1, microsecondsPerTick: 1000 },
    *init(rtems) {
      for (;;) yield rtems.compute(50_000);
    },
  };
  const windows = ['s0', 's1', 's2', 's3', 'ticker', 'hostile'];
  const module = (kernel: string, arch: string): string =>
    [
      'name: deferred',
      `kernel: ${kernel}`,
      `arch: ${arch}`,
      'schedules:',
      '  - name: main',
      '    majorFrame: 60ms',
      '    windows:',
      ...windows.map((name, index) => `      - { partition: ${name}, start: ${index * 10}ms, duration: 10ms }`),
      'partitions:',
      ...windows.map((name) => `  - { name: ${name}, app: ${name.startsWith('s') ? 'spinner' : name}, memory: 1MiB }`),
      '',
    ].join('\n');
  const applications: SimulationOptions['applications'] = new Map([...Object.entries(samples), ['spinner', spinner] as const]);
  const DURATION = 3_000_000_000;

  it.each(COMBINATIONS)('%s/%s: the same summary with and without, and when looked at between slices', (kernel, arch) => {
    const run = (fastForward: boolean, slice?: number) => {
      const loaded = loadConfig(module(kernel, arch), { duration: DURATION });
      const simulation = new Simulation({ spec: loaded.spec!, applications, fastForward });
      simulation.start();
      // Reading the summary between slices settles every held-back timer mid-run.
      while (!simulation.advance(DURATION, slice)) if (slice !== undefined) simulation.result();
      return { ...simulation.result(), wallTimeMs: 0 };
    };
    const slow = run(false);
    const fast = run(true);
    expect(fast).toEqual(slow);
    expect(run(true, 7_300_000)).toEqual(slow);
    // What was held back: a spinner's expiries outside its windows, five in six of them coalesced.
    const timer = fast.report.partitions.find((partition) => partition.name === 's1')!.virq.lines[0]!;
    expect(timer.name).toBe('timer');
    expect(timer.coalesced).toBeGreaterThan(2000);
    expect(timer.lost).toBe(0);
  }, 60_000);
});

// Timer upcalls into an idle partition (PartitionKernel.fastForwardTimerUpcalls): a partition
// idle in its window with a 1 ms clock takes an upcall at every kernel tick, and periodic
// devices routed to other partitions (or to none) interrupt between those ticks or at the same
// instants; steady runs of them are accounted for at once. Checked against single-stepping on
// the summary, sliced and looked at mid-run, and on the whole simulation's state (every number,
// register and byte of memory) at instants inside credited stretches.
describe('timer upcalls into idle partitions, between device interrupts, change nothing', () => {
  /** Idle for ever with a 1 ms clock: every kernel tick is an upcall into its idle thread. */
  const sleeper: Application = {
    name: 'sleeper',
    description: 'suspended for ever, 1 ms tick',
    configuration: { maximumTasks: 1, microsecondsPerTick: 1000 },
    *init(rtems) {
      yield* rtems.taskSuspend(RTEMS_SELF);
    },
  };
  /** Wakes every 13 ticks to compute and print now and then: the guest's next watchdog bounds each credited run. */
  const napper: Application = {
    name: 'napper',
    description: 'wakes every 13 ticks',
    configuration: { maximumTasks: 1, microsecondsPerTick: 1000 },
    *init(rtems) {
      for (let n = 0; ; n++) {
        yield* rtems.taskWakeAfter(13);
        yield rtems.compute(20_000 + (n % 5) * 1000);
        if (n % 40 === 0) rtems.printf(`nap ${n} at tick ${rtems.clockGetTicksSinceBoot()}\n`);
      }
    },
  };
  const applications: SimulationOptions['applications'] = new Map([...Object.entries(samples), ['sleeper', sleeper] as const, ['napper', napper] as const]);
  /**
   * Three partitions and four devices: line 5 every 3 ms and line 6 every 2 ms (on SPARC at
   * the very instants of the exact 1 ms ticks) routed to the sleeper, which is idle in its
   * window (delivered) and coalesces them outside it; lines 7 and 9, every 37 ms and 5 ms,
   * routed to the napper; line 10 every 4 ms from 1.5 ms (between ticks on both boards).
   */
  const module = (kernel: string, arch: string, windows: readonly string[]): string =>
    [
      'name: upcalls',
      `kernel: ${kernel}`,
      `arch: ${arch}`,
      'schedules:',
      '  - name: main',
      '    majorFrame: 100ms',
      '    windows:',
      ...windows,
      'partitions:',
      '  - { name: sleeper, app: sleeper }',
      '  - { name: napper, app: napper }',
      '  - { name: ticker, app: ticker }',
      'devices:',
      '  - { kind: periodic-irq, line: 5, period: 3ms, partition: sleeper }',
      '  - { kind: periodic-irq, line: 6, period: 2ms, partition: sleeper }',
      '  - { kind: periodic-irq, line: 7, period: 37ms, partition: napper }',
      '  - { kind: periodic-irq, line: 9, period: 5ms, partition: napper }',
      '  - { kind: periodic-irq, line: 10, period: 4ms, start: 1500us, partition: sleeper }',
      '',
    ].join('\n');
  const threeWindows = ['      - { partition: sleeper, start: 0ms, duration: 25ms }', '      - { partition: napper, start: 25ms, duration: 55ms }', '      - { partition: ticker, start: 80ms, duration: 20ms }'];
  const DURATION = 3_000_000_000;
  const skipped = (simulation: Simulation): number => (simulation.kernel as unknown as { fastForwardedTicks: number }).fastForwardedTicks;

  it.each(COMBINATIONS)('%s/%s: the same summary and consoles with and without, sliced and looked at mid-run', (kernel, arch) => {
    const run = (fastForward: boolean, slice?: number) => {
      const loaded = loadConfig(module(kernel, arch, threeWindows), { duration: DURATION });
      const simulation = new Simulation({ spec: loaded.spec!, applications, fastForward });
      simulation.start();
      while (!simulation.advance(DURATION, slice)) if (slice !== undefined) simulation.result();
      return { result: { ...simulation.result(), wallTimeMs: 0 }, skipped: skipped(simulation) };
    };
    const slow = run(false);
    const fast = run(true);
    expect(fast.result).toEqual(slow.result);
    expect(run(true, 7_300_000).result).toEqual(slow.result);
    // Ticks of the napper's idle stretches between its wake-ups, with the devices between them. On
    // SPARC the devices coincide with ticks in many combinations, each a kind to see twice first,
    // and only ticks mix (a trap leaves its own registers: Processor.mixedEpisodesAdd), so fewer.
    expect(fast.skipped).toBeGreaterThan(arch === 'sparc' ? 10 : 60);
    const sleeperLines = fast.result.report.partitions.find((partition) => partition.name === 'sleeper')!.virq.lines;
    expect(sleeperLines.map((line) => line.name)).toEqual(['timer', 'hw-5', 'hw-6', 'hw-10']);
    expect(sleeperLines[2]!.coalesced).toBeGreaterThan(500);
  }, 60_000);

  // An i386 tick longer than 54.9 ms is several PIT interrupts (Platform.tickAt cannot place it):
  // nothing is credited past one, devices between ticks included.
  it('a 60 ms i386 tick, split by the PIT, with a device between ticks: the same summary with and without', () => {
    const text = [
      'name: split',
      'kernel: pok',
      'arch: i386',
      'kernelTick: 60ms',
      'schedules:',
      '  - name: main',
      '    majorFrame: 1200ms',
      '    windows:',
      '      - { partition: sleeper, start: 0ms, duration: 900ms }',
      '      - { partition: napper, start: 900ms, duration: 300ms }',
      'partitions:',
      '  - { name: sleeper, app: sleeper60 }',
      '  - { name: napper, app: napper }',
      'devices:',
      '  - { kind: periodic-irq, line: 5, period: 7ms, partition: napper }',
      '',
    ].join('\n');
    const sleeper60: Application = { ...sleeper, configuration: { maximumTasks: 1, microsecondsPerTick: 60_000 } };
    const run = (fastForward: boolean) => {
      const simulation = new Simulation({ spec: loadConfig(text, { duration: 30_000_000_000 }).spec!, applications: new Map([...applications, ['sleeper60', sleeper60] as const]), fastForward });
      simulation.run(30_000_000_000);
      return { ...simulation.result(), wallTimeMs: 0 };
    };
    expect(run(true)).toEqual(run(false));
  }, 60_000);

  // Modules nobody wrote by hand: 2-4 partitions (idle, napping, the built-in ticker and hello),
  // kernel ticks from 250 us to 10 ms, guest ticks of one or two kernel ticks, up to three
  // devices on random lines, periods, starts and partitions, some with jitter; on both kernels
  // and boards. Drawn from a fixed seed, so a failure names its module.
  it.each(Array.from({ length: 12 }, (_, index) => index))('random module %i: the same summary with and without, and sliced', (index) => {
    const prng = new Prng(0x5eed + index);
    const pick = <T>(items: readonly T[]): T => items[prng.int(0, items.length - 1)]!;
    const arch = pick(['i386', 'sparc']);
    const tickUs = pick([250, 500, 1000, 1000, 2000, 10_000]);
    const guestUs = tickUs * pick([1, 1, 2]);
    const count = prng.int(2, 4);
    const frameUs = tickUs * pick([20, 50, 100]);
    const names = Array.from({ length: count }, (_, at) => `p${at}`);
    const starts = names.map((_, at) => Math.round(((frameUs / tickUs) * at) / count) * tickUs);
    const made = new Map<string, Application>();
    const lines = [`name: random${index}`, `kernel: ${pick(['pok', 'air'])}`, `arch: ${arch}`, `kernelTick: ${tickUs}us`, 'schedules:', '  - name: main', `    majorFrame: ${frameUs}us`, '    windows:'];
    names.forEach((name, at) => lines.push(`      - { partition: ${name}, start: ${starts[at]!}us, duration: ${(starts[at + 1] ?? frameUs) - starts[at]!}us }`));
    lines.push('partitions:');
    for (const name of names) {
      const kind = pick(['sleeper', 'sleeper', 'napper', 'ticker', 'hello']);
      const own = { sleeper, napper }[kind as 'sleeper' | 'napper'];
      if (own !== undefined) made.set(`${name}-app`, { ...own, configuration: { ...own.configuration, microsecondsPerTick: guestUs } });
      lines.push(`  - { name: ${name}, app: ${own !== undefined ? `${name}-app` : kind} }`);
    }
    const devices = prng.int(0, 3);
    if (devices > 0) lines.push('devices:');
    const free = [3, 4, 5, 6, 7, 9, 10, 11, 12];
    for (let device = 0; device < devices; device++) {
      const line = free.splice(prng.int(0, free.length - 1), 1)[0]!;
      const jitter = prng.chance(0.2) ? ', jitter: 50us' : '';
      const start = prng.chance(0.5) ? `, start: ${prng.int(0, 5000)}us` : '';
      lines.push(`  - { kind: periodic-irq, line: ${line}, period: ${pick([300, 700, 1000, 1500, 2000, 2500, 3000, 4000, 9000])}us${jitter}${start}, partition: ${pick(names)} }`);
    }
    const spec = loadConfig(`${lines.join('\n')}\n`, { duration: 2_000_000_000 }).spec!;
    const run = (fastForward: boolean, slice?: number) => {
      const simulation = new Simulation({ spec, applications: new Map([...applications, ...made]), fastForward });
      simulation.start();
      while (!simulation.advance(2_000_000_000, slice)) if (slice !== undefined) simulation.result();
      return { ...simulation.result(), wallTimeMs: 0 };
    };
    const slow = run(false);
    expect(run(true)).toEqual(slow);
    expect(run(true, 3_700_000)).toEqual(slow);
  }, 60_000);

  /** Every number, string, typed array (hashed) of the object graph, by path: the state a run leaves. */
  const state = (root: unknown): Map<string, unknown> => {
    const out = new Map<string, unknown>();
    const seen = new Set<object>();
    // Host-side and fast-forward bookkeeping, the event queue's tie-break sequence numbers, and the
    // earliest-timer cache (-Infinity after a held-back timer is settled, recomputed at the next tick).
    const ignored = new Set(['activity', 'words', 'fastForward', 'fastForwardedTicks', 'episodeMark', 'episodeKinds', 'wakeBuffers', 'episodeStates', 'idleMark', 'stateScratch', 'seq', 'nextSeq', 'heap', 'options', 'timersDue']);
    const walk = (value: unknown, path: string, depth: number): void => {
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') out.set(path, value);
      if (value === null || typeof value !== 'object' || depth > 16 || seen.has(value)) return;
      seen.add(value);
      // An event not queued keeps the time it last had: nothing reads it until it is queued again.
      if (value instanceof ScheduledEvent && !value.pending) return;
      if (ArrayBuffer.isView(value)) {
        out.set(path, createHash('sha1').update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).digest('hex'));
        return;
      }
      if (value instanceof Map) {
        for (const [key, item] of value) walk(item, `${path}{${String(key)}}`, depth + 1);
        return;
      }
      for (const key of Object.keys(value)) if (!ignored.has(key)) walk((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    };
    walk(root, '', 0);
    return out;
  };

  /** Runs both to each instant (reading the result settles held-back timers) and compares their whole states. */
  const expectSameStates = (fast: Simulation, slow: Simulation, instants: readonly number[]): void => {
    for (const at of instants) {
      fast.run(at);
      slow.run(at);
      fast.result();
      slow.result();
      const a = state(fast);
      const b = state(slow);
      const differing = [...new Set([...a.keys(), ...b.keys()])].filter((key) => a.get(key) !== b.get(key));
      expect(differing.map((key) => `${key}: ${String(a.get(key))} vs ${String(b.get(key))}`)).toEqual([]);
    }
  };

  it.each(COMBINATIONS)('%s/%s: the whole simulation state is the same at instants inside credited stretches', (kernel, arch) => {
    // The napper's long window, the sleeper's short one; reading the result settles the timers held back outside their windows.
    const text = module(kernel, arch, ['      - { partition: napper, start: 0ms, duration: 80ms }', '      - { partition: sleeper, start: 80ms, duration: 20ms }']).replace(/ {2}- \{ name: ticker.*\n/, '');
    const make = (fastForward: boolean) => new Simulation({ spec: loadConfig(text, { duration: DURATION }).spec!, applications, fastForward });
    const fast = make(true);
    const slow = make(false);
    expectSameStates(fast, slow, [50_300_000, 123_456_789, 777_000_001, 1_500_000_000]);
    expect(skipped(fast)).toBeGreaterThan(arch === 'sparc' ? 10 : 40);
  }, 60_000);

  // The idle-tick fast-forward (no partition running, or the window's partition idle between its
  // own ticks): the default demo after its applications end, and a 10 ms guest tick on a 1 ms
  // kernel tick (nine quiet ticks between upcalls). The architecture's own state moves with the
  // skipped ticks too (i386 context switches and registers, SPARC trap counts, PC and trap window).
  it.each(COMBINATIONS)('%s/%s: the whole simulation state is the same inside idle ticks skipped', (kernel, arch) => {
    const sleeper10: Application = { ...sleeper, configuration: { maximumTasks: 1, microsecondsPerTick: 10_000 } };
    for (const [text, apps, instants] of [
      [DEFAULT_DEMO, new Map(Object.entries(samples)), [36_100_000_001, 47_654_321_000]],
      [
        ['name: idle10', 'schedules:', '  - name: main', '    majorFrame: 100ms', '    windows:', '      - { partition: sleeper, start: 0ms, duration: 60ms }', '      - { partition: hello, start: 60ms, duration: 40ms }', 'partitions:', '  - { name: sleeper, app: sleeper10 }', '  - { name: hello, app: hello }', ''].join('\n'),
        new Map([...applications, ['sleeper10', sleeper10] as const]),
        [95_300_000, 1_234_567_890],
      ],
    ] as const) {
      const make = (fastForward: boolean) => new Simulation({ spec: loadConfig(text, { kernel, arch, duration: 60_000_000_000 }).spec!, applications: apps, fastForward });
      const fast = make(true);
      const slow = make(false);
      expectSameStates(fast, slow, instants);
      expect(skipped(fast)).toBeGreaterThan(100);
    }
  }, 120_000);
});
