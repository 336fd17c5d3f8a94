/**
 * Imported configuration formats, run through the CLI (docs/config.md):
 *  - examples/pok/config.yaml, a POK config.yaml of four slots in a 100 ms major frame
 *    (pr1 20 ms, pr2 30 ms, pr1 10 ms, pr3 40 ms), on its own kernel and, converted, on
 *    air, on both processors: the windows open and close exactly where the slots say;
 *  - examples/air-two-schedules.xml, ARINC 653 / AIR XML with two module schedules: on
 *    air the nominal schedule's windows and idle gaps are exact and nothing switches by
 *    itself; a partition the file lets set the schedule (ctrl: SetModuleSchedule="true")
 *    switches it, at the end of the major frame, with the file's change actions; on pok the
 *    file is refused with one `error:` line (pok runs one schedule of back-to-back slots);
 *  - `--app PARTITION=APP` on imported files (their partitions run `idle` otherwise).
 */
import { resolve } from 'node:path';
import { compareScreens } from '@paravirt/samples';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PartitionSummary, type Summary, type ChromeEvent as TraceEvent } from '@paravirt/compose';
import { cli, consoleOf, reference, repo, withoutHints, withoutTraceLine } from './helpers.js';

const POK_YAML = resolve(repo, 'examples/pok/config.yaml');
const AIR_XML = resolve(repo, 'examples/air-two-schedules.xml');

interface Run {
  readonly summary: Summary;
  readonly trace: readonly TraceEvent[];
  readonly stdout: string;
}

/** Runs the CLI with the JSON summary and the trace to files; the run must reach its end. */
async function run(args: readonly string[]): Promise<Run> {
  const result = await cli([...args, '--json', 'summary.json', '--trace', 'trace.json']);
  expect(withoutTraceLine(withoutHints(result.stderr))).toBe('');
  expect(result.code).toBe(0);
  const summary = JSON.parse(result.files.get('summary.json')!) as Summary;
  for (const partition of summary.partitions) expect(partition.virq.lost, partition.name).toBe(0);
  return { summary, trace: (JSON.parse(result.files.get('trace.json')!) as { traceEvents: TraceEvent[] }).traceEvents, stdout: result.stdout };
}

const partition = (summary: Summary, name: string): PartitionSummary => summary.partitions.find((candidate) => candidate.name === name)!;

/**
 * The windows the trace shows on the module's track, as [partition, start ns, end ns],
 * in time order, up to `untilMs`.
 */
function windowSlices(trace: readonly TraceEvent[], untilMs: number): Array<[string, number, number]> {
  const names = new Map(trace.filter((event) => event.ph === 'M' && event.pid === 1 && event.name === 'thread_name').map((event) => [event.tid, String(event.args!['name'])]));
  return trace
    .filter((event) => event.ph === 'X' && event.pid === 1 && event.ts < untilMs * 1000)
    .map((event): [string, number, number] => [names.get(event.tid)!, Math.round(event.ts * 1000), Math.round((event.ts + event.dur!) * 1000)]);
}

/**
 * The real instant (ns) of the 1 ms kernel tick that reaches kernel time `ms` (both files
 * tick at 1 ms). The kernels keep time in their ticks, as POK and AIR do, and cross a window
 * edge at the tick whose kernel time reaches it: the LEON3's GPTIMER ticks exactly every
 * 1 ms; the i386 PIT every 1193 clocks of 1.193182 MHz (999,847.47 ns), so tick k is at
 * ceil(k x 1193 x 1e9 / 1193182) ns - before issue 13 the trace showed the nominal k ms.
 */
function tickNs(arch: 'i386' | 'sparc', ms: number): number {
  return arch === 'i386' ? Number((BigInt(ms) * 1193n * 1_000_000_000n + 1_193_181n) / 1_193_182n) : ms * 1_000_000;
}

/** Nominal [partition, start ms, end ms] windows as the trace shows them on `arch`, in ns at their ticks; an end at `runEndMs` is the run's end, where the open window is cut. */
function atTicks(arch: 'i386' | 'sparc', windows: ReadonlyArray<readonly [string, number, number]>, runEndMs?: number): Array<[string, number, number]> {
  return windows.map(([name, start, end]): [string, number, number] => [name, tickNs(arch, start), end === runEndMs ? end * 1_000_000 : tickNs(arch, end)]);
}

/** The windows of `frames` major frames of `frameMs` from `startMs`, for a frame layout of [partition, start, end] offsets. */
function frames(layout: ReadonlyArray<readonly [string, number, number]>, frameMs: number, startMs: number, count: number): Array<[string, number, number]> {
  return Array.from({ length: count }, (_, frame) => layout.map(([name, start, end]): [string, number, number] => [name, startMs + frame * frameMs + start, startMs + frame * frameMs + end])).flat();
}

const POK_SLOTS = [
  ['pr1', 0, 20],
  ['pr2', 20, 50],
  ['pr1', 50, 60],
  ['pr3', 60, 100],
] as const;

describe.each([
  ['pok', 'i386'],
  ['pok', 'sparc'],
  ['air', 'i386'],
  ['air', 'sparc'],
] as const)('examples/pok/config.yaml on %s/%s', (kernel, arch) => {
  let result: Run;
  beforeAll(async () => {
    // 10 frames and the first 10 ms of the 11th: the run does not end on a window boundary.
    result = await run(['run', POK_YAML, '--kernel', kernel, '--arch', arch, '--duration', '1010ms']);
  }, 30_000);

  it('runs its partitions (idle) to the end', () => {
    expect(result.summary).toMatchObject({ kernel, arch, virtualTimeNs: 1_010_000_000, schedule: { switches: [] } });
    expect(result.summary.partitions.map((p) => [p.name, p.app, p.mode, p.console, p.hmEventCount])).toEqual([
      ['pr1', 'idle', 'NORMAL', '', 0],
      ['pr2', 'idle', 'NORMAL', '', 0],
      ['pr3', 'idle', 'NORMAL', '', 0],
    ]);
  });

  it('opens four windows per frame where the slots say: pr1 twice (20 + 10 ms), pr2 30 ms, pr3 40 ms', () => {
    expect(result.summary.schedule.windowsRun).toBe(41);
    expect(result.summary.partitions.map((p) => p.windows)).toEqual([21, 10, 10]);
    // The window open at the end is cut there.
    expect(windowSlices(result.trace, 2000)).toEqual(atTicks(arch, [...frames(POK_SLOTS, 100, 0, 10), ['pr1', 1000, 1010]], 1010));
  });
});

describe('--app PARTITION=APP on an imported file', () => {
  it.each([
    ['pok', 'i386'],
    ['air', 'sparc'],
  ] as const)('POK config.yaml on %s/%s: pr1 runs hello in its two slots, pr3 ticker in its 40 ms slot, pr2 stays idle', async (kernel, arch) => {
    const { summary, stdout } = await run(['run', POK_YAML, '--kernel', kernel, '--arch', arch, '--duration', '40s', '--app', 'pr1=hello', '--app', 'pr3=ticker']);
    expect(summary.partitions.map((p) => [p.name, p.app])).toEqual([
      ['pr1', 'hello'],
      ['pr2', 'idle'],
      ['pr3', 'ticker'],
    ]);
    expect(compareScreens(consoleOf(stdout, 'pr1'), reference('hello'))).toBeUndefined();
    expect(compareScreens(consoleOf(stdout, 'pr3'), reference('ticker'))).toBeUndefined();
    expect(consoleOf(stdout, 'pr2')).toBe('');
    expect(partition(summary, 'pr3').console).toBe(consoleOf(stdout, 'pr3'));
  }, 30_000);

  it('a partition the file does not have is an error naming the file\'s partitions', async () => {
    const { code, stdout, stderr } = await cli(['run', POK_YAML, '--app', 'nowhere=hello']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: --app nowhere=hello: no partition named "nowhere" (partitions: pr1, pr2, pr3)\n');
  });
});

// nominal (100 ms): ctrl [0,10) nav [10,30) [50,70) payload [70,90) logger [90,95); idle [30,50) [95,100)
const NOMINAL = [
  ['ctrl', 0, 10],
  ['nav', 10, 30],
  ['nav', 50, 70],
  ['payload', 70, 90],
  ['logger', 90, 95],
] as const;
// degraded (200 ms): ctrl [0,20) nav [20,60) [100,140) payload [160,180) logger [180,190); idle [60,100) [140,160) [190,200)
const DEGRADED = [
  ['ctrl', 0, 20],
  ['nav', 20, 60],
  ['nav', 100, 140],
  ['payload', 160, 180],
  ['logger', 180, 190],
] as const;

describe('examples/air-two-schedules.xml on air (its own tables)', () => {
  it.each(['i386', 'sparc'] as const)('%s: the nominal schedule with its idle gaps, frame after frame; no partition asks to switch, so nothing switches', async (arch) => {
    const { summary, trace } = await run(['run', AIR_XML, '--arch', arch, '--duration', '3005ms']);
    expect(summary).toMatchObject({ kernel: 'air', arch, schedule: { windowsRun: 151, switches: [] } });
    expect(summary.partitions.map((p) => [p.name, p.app, p.windows, p.restarts, p.mode])).toEqual([
      ['ctrl', 'idle', 31, 0, 'NORMAL'],
      ['nav', 'idle', 60, 0, 'NORMAL'],
      ['payload', 'idle', 30, 0, 'NORMAL'],
      ['logger', 'idle', 30, 0, 'NORMAL'],
    ]);
    expect(windowSlices(trace, 10_000)).toEqual(atTicks(arch, [...frames(NOMINAL, 100, 0, 30), ['ctrl', 3000, 3005]], 3005));
  }, 30_000);

  it.each(['i386', 'sparc'] as const)(
    '%s: ctrl (SetModuleSchedule in both schedules) asks for degraded at 0 ms; the switch comes at the end of the frame, 100 ms, with the change actions',
    async (arch) => {
      const { summary, trace, stdout } = await run(['run', AIR_XML, '--arch', arch, '--duration', '1050ms', '--app', 'ctrl=fixtures/scheduleSwitcher.mjs']);
      // At the real instant of tick 100 (on i386 99,984,747 ns); the guest sees kernel time, 100 ms.
      expect(summary.schedule.switches).toEqual([{ timeNs: tickNs(arch, 100), from: 'nominal', to: 'degraded' }]);
      // The guest sees the switch through GET_MODULE_SCHEDULE_STATUS in its first degraded window.
      expect(consoleOf(stdout, 'ctrl')).toBe(
        [
          'switcher: schedule 1, SET_MODULE_SCHEDULE 2 -> 0',
          'switcher: schedule 2, major frame 200 ms, switched at 100 ms',
          'switcher: SET_MODULE_SCHEDULE 2 again -> 1',
          '',
        ].join('\n'),
      );
      // degraded: ctrl IGNORE, nav WARM_START, payload IDLE, logger COLD_START.
      expect(summary.partitions.map((p) => [p.name, p.mode, p.restarts, p.windows])).toEqual([
        ['ctrl', 'NORMAL', 0, 6],
        ['nav', 'NORMAL', 1, 12],
        ['payload', 'IDLE', 0, 5],
        ['logger', 'NORMAL', 1, 5],
      ]);
      // One nominal frame, four degraded ones, and the degraded frame from 900 ms up to 1050 ms.
      expect(summary.schedule.windowsRun).toBe(28);
      expect(windowSlices(trace, 10_000)).toEqual(atTicks(arch, [...frames(NOMINAL, 100, 0, 1), ...frames(DEGRADED, 200, 100, 4), ['ctrl', 900, 920], ['nav', 920, 960], ['nav', 1000, 1040]]));
      const instants = trace.filter((event) => event.name === 'schedule.request' || event.name === 'schedule.switch').map((event) => [event.name, Math.round(event.ts * 1000), event.args]);
      expect(instants).toEqual([
        ['schedule.request', expect.any(Number), { partition: 'ctrl', schedule: 'degraded' }],
        ['schedule.switch', tickNs(arch, 100), { from: 'nominal', to: 'degraded' }],
      ]);
      expect(instants[0]![1]).toBeLessThan(10_000_000);
    },
    30_000,
  );

  // SET_MODULE_SCHEDULE takes the configured identifier (ARINC 653 Part 2): this file's
  // schedules are 1 (nominal, in force) and 2 (degraded); modeswitch asks for the one after
  // the schedule in force.
  it('modeswitch on ctrl switches the module to degraded at the end of the frame it asked in (2.1 s)', async () => {
    const { summary, stdout } = await run(['run', AIR_XML, '--duration', '3s', '--app', 'ctrl=modeswitch']);
    expect(consoleOf(stdout, 'ctrl')).toContain('modeswitch: t=2000ms SET_MODULE_SCHEDULE');
    expect(consoleOf(stdout, 'ctrl')).toContain('modeswitch: switched');
    // On the default processor (i386) tick 2100, kernel time 2.1 s, comes at 2,099,679,681 ns.
    expect(summary.schedule.switches).toEqual([{ timeNs: tickNs('i386', 2100), from: 'nominal', to: 'degraded' }]);
  }, 30_000);
});

describe('examples/air-two-schedules.xml on pok', () => {
  // docs/config.md: pok runs one schedule of slots back to back that fill the major frame.
  it('is refused: exit 2, one error line naming the first problem and counting the others', async () => {
    const { code, stdout, stderr } = await cli(['run', AIR_XML, '--kernel', 'pok']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'error: schedules: the pok kernel runs exactly one schedule (POK has no schedule switching), got 2; use kernel: air for several (and 4 more problems; see paravirt check)\n',
    );
  });

  // The hint "(and 8 more problems; see paravirt check)" can be followed: check takes the
  // overrides that decide validity (--kernel, --arch, --app).
  it('paravirt check shows the problems the run error counts', async () => {
    const { code, stderr } = await cli(['check', AIR_XML, '--kernel', 'pok']);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('error: schedules: the pok kernel runs exactly one schedule (POK has no schedule switching), got 2; use kernel: air for several');
    expect(lines.length).toBeGreaterThan(1);
  });
});
