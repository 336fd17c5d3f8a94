/**
 * What a run leaves behind, through the CLI:
 *  - `--trace FILE`: Chrome / Perfetto JSON whose slices nest properly on every track, a
 *    window track per partition, thread tracks named after the RTEMS tasks, instants that
 *    agree with the summary's hypercall and vIRQ counts; the seed decides its bytes;
 *  - `--report FILE`: one self-contained HTML page (the interactive timeline, drawn in
 *    Chromium by report.browser.test.ts) with the summary table;
 *  - user module applications loaded by path (fixtures/*.mjs): in a partition and on bare
 *    metal, a module that is no application (exit 2), and one whose RTEMS fatal error stops
 *    the bare-metal processor (exit 1, summary still written, the reason on stderr).
 */
import { parseDuration } from '@paravirt/machine';
import { compareScreens } from '@paravirt/samples';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Summary, type ChromeEvent as TraceEvent } from '@paravirt/compose';
import { cli, consoleOf, reference } from './helpers.js';

const PARTITIONS = ['hello', 'ticker', 'base_sp'];
/** The trace's process of partition k (in summary order) is 2 + k; process 1 holds the window tracks. */
const pidOf = (partition: string): number => 2 + PARTITIONS.indexOf(partition);
/** Trace times back to whole nanoseconds (ts and dur are microseconds with fractions). */
const ns = (micros: number): number => Math.round(micros * 1000);
/**
 * The real instant of the default demo's kernel tick k (pok/i386, 1 ms: 1193 clocks of the
 * 1.193182 MHz PIT, 999,847.47 ns), as the board turns clocks into ns (the first ns at or
 * after the edge). The kernel keeps time in its ticks, as POK does: the window edge at
 * k ms is crossed at tick k, at this instant.
 */
const pitTick = (k: number): number => Number((BigInt(k) * 1193n * 1_000_000_000n + 1_193_181n) / 1_193_182n);

const threadNames = (events: readonly TraceEvent[], pid: number): Map<number, string> =>
  new Map(events.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.pid === pid).map((event) => [event.tid, String(event.args!['name'])]));

describe('--trace and --report on the default demo (2 s)', () => {
  let summary: Summary;
  let trace: { traceEvents: TraceEvent[]; displayTimeUnit: string };
  let report: string;
  beforeAll(async () => {
    const result = await cli(['run', '--duration', '2s', '--quiet', '--json', 'summary.json', '--trace', 'trace.json', '--report', 'report.html']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
    summary = JSON.parse(result.files.get('summary.json')!) as Summary;
    trace = JSON.parse(result.files.get('trace.json')!) as typeof trace;
    report = result.files.get('report.html')!;
  }, 30_000);

  const slices = (): TraceEvent[] => trace.traceEvents.filter((event) => event.ph === 'X');

  it('is Trace Event Format JSON: complete slices with ts and dur >= 0 inside the run, instants, metadata', () => {
    expect(Object.keys(trace)).toEqual(['traceEvents', 'displayTimeUnit']);
    expect(new Set(trace.traceEvents.map((event) => event.ph))).toEqual(new Set(['M', 'X', 'i']));
    expect(slices().length).toBeGreaterThan(60);
    for (const slice of slices()) {
      expect(slice.ts).toBeGreaterThanOrEqual(0);
      expect(slice.dur).toBeGreaterThanOrEqual(0);
      expect(ns(slice.ts + slice.dur!)).toBeLessThanOrEqual(2_000_000_000);
    }
  });

  it('slices on one track never overlap partially: each is nested in or disjoint from the others', () => {
    const tracks = new Map<string, TraceEvent[]>();
    for (const slice of slices()) {
      const key = `${slice.pid}/${slice.tid}`;
      tracks.set(key, [...(tracks.get(key) ?? []), slice]);
    }
    // The three window tracks and the thread tracks with slices.
    expect(tracks.size).toBeGreaterThan(3);
    for (const [key, list] of tracks) {
      const ordered = [...list].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
      const open: number[] = [];
      for (const slice of ordered) {
        const start = ns(slice.ts);
        const end = ns(slice.ts + slice.dur!);
        while (open.length > 0 && open.at(-1)! <= start) open.pop();
        if (open.length > 0) expect(end, `${key} ${slice.name} at ${slice.ts} us`).toBeLessThanOrEqual(open.at(-1)!);
        open.push(end);
      }
    }
  });

  // 20 frames, and on i386 the first window of the 21st: tick 2000 (kernel time 2 s) comes at
  // 1.9997 s of real time, inside the run (before issue 13 edges followed real time: 20 each).
  it('has one window track per partition, with one slice per window: 20 each (hello 21), at the schedule\'s offsets', () => {
    expect([...threadNames(trace.traceEvents, 1).values()]).toEqual(PARTITIONS);
    const windows = threadNames(trace.traceEvents, 1);
    for (const [tid, name] of windows) {
      const mine = slices().filter((slice) => slice.pid === 1 && slice.tid === tid);
      expect(mine, name).toHaveLength(summary.partitions.find((p) => p.name === name)!.windows);
      expect(mine).toHaveLength(name === 'hello' ? 21 : 20);
      expect(mine.every((slice) => slice.name === name)).toBe(true);
    }
    // The first frame: hello [0,20) ms, ticker [20,60), base_sp [60,100) of kernel time, at the
    // real instants of ticks 20, 60 and 100 (were the nominal 20, 40 and 40 ms before issue 13).
    expect(slices().filter((slice) => slice.pid === 1 && ns(slice.ts) < pitTick(100)).map((slice) => [slice.name, ns(slice.ts), ns(slice.dur!)])).toEqual([
      ['hello', 0, pitTick(20)],
      ['ticker', pitTick(20), pitTick(60) - pitTick(20)],
      ['base_sp', pitTick(60), pitTick(100) - pitTick(60)],
    ]);
    expect(pitTick(20)).toBe(19_996_950);
  });

  it('has a thread track per RTEMS task (4-character object names: UI1 is Init); thread slices lie inside their partition\'s windows', () => {
    expect([...threadNames(trace.traceEvents, pidOf('hello')).values()]).toEqual(['events', 'UI1 ']);
    expect([...threadNames(trace.traceEvents, pidOf('ticker')).values()]).toEqual(['events', 'UI1 ', 'TA1 ', 'TA2 ', 'TA3 ', 'IDLE']);
    expect([...threadNames(trace.traceEvents, pidOf('base_sp')).values()]).toEqual(['events', 'UI1 ', 'TA1 ']);
    for (const partition of PARTITIONS) {
      const windowTid = [...threadNames(trace.traceEvents, 1)].find(([, name]) => name === partition)![0];
      const windows = slices().filter((slice) => slice.pid === 1 && slice.tid === windowTid);
      const names = threadNames(trace.traceEvents, pidOf(partition));
      for (const run of slices().filter((slice) => slice.pid === pidOf(partition))) {
        expect(run.name).toBe(names.get(run.tid));
        const inside = windows.some((window) => ns(window.ts) <= ns(run.ts) && ns(run.ts + run.dur!) <= ns(window.ts + window.dur!));
        expect(inside, `${partition} ${run.name} at ${run.ts} us`).toBe(true);
      }
    }
    // Software between two yields takes no virtual time (docs/execution-model.md): ticker's
    // tasks print and sleep at once, so only its IDLE thread holds the processor for a while,
    // from its first window (after the partition's boot work) to the end of every window: ticks
    // 100j + 20 to 100j + 60 (before issue 13, the nominal [100j + 20, 100j + 60) ms).
    const tickerIdle = slices().filter((slice) => slice.pid === pidOf('ticker') && slice.name === 'IDLE');
    expect(tickerIdle).toHaveLength(20);
    expect(tickerIdle.slice(1).map((slice) => [ns(slice.ts), ns(slice.dur!)])).toEqual(
      Array.from({ length: 19 }, (_, j) => [pitTick(100 * (j + 1) + 20), pitTick(100 * (j + 1) + 60) - pitTick(100 * (j + 1) + 20)]),
    );
  });

  // hello exits 15 us into its first window (the shutdown instant, then partition.mode IDLE):
  // a stopped partition runs no thread (output/scheduleSlices.ts).
  it('no thread runs in a partition after its application has shut down', () => {
    for (const partition of ['hello', 'base_sp']) {
      const shutdown = trace.traceEvents.find((event) => event.pid === pidOf(partition) && event.name === 'shutdown')!;
      const after = slices().filter((slice) => slice.pid === pidOf(partition) && ns(slice.ts) >= ns(shutdown.ts));
      expect(after.map((slice) => [slice.name, slice.ts]), partition).toEqual([]);
    }
  });

  it('has an instant per hypercall and per vIRQ raise, coalesce and delivery, as many as the summary counts', () => {
    for (const partition of summary.partitions) {
      const count = (name: string): number => trace.traceEvents.filter((event) => event.ph === 'i' && event.pid === pidOf(partition.name) && event.name === name).length;
      expect(count('hypercall'), partition.name).toBe(partition.hypercalls);
      expect(count('virq.deliver'), partition.name).toBe(partition.virq.delivered);
      expect(count('virq.raise') + count('virq.coalesce'), partition.name).toBe(partition.virq.raised);
    }
    const ticker = summary.partitions.find((p) => p.name === 'ticker')!;
    expect(ticker.hypercalls).toBeGreaterThan(100);
    expect(ticker.virq.delivered).toBeGreaterThan(50);
    const hypercall = trace.traceEvents.find((event) => event.name === 'hypercall')!;
    expect(hypercall).toMatchObject({ ph: 'i', s: 't', cat: 'hypercall', args: { name: 'INFO_API_VERSION', status: 'OK' } });
    const delivery = trace.traceEvents.find((event) => event.name === 'virq.deliver')!;
    expect(delivery).toMatchObject({ pid: pidOf('ticker'), args: { lineName: 'timer' } });
  });

  it('--report is one self-contained HTML document with the summary table row of every partition', () => {
    expect(report.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(report.trimEnd().endsWith('</html>')).toBe(true);
    expect(report.match(/<html\b/g)).toHaveLength(1);
    expect(report.match(/<\/html>/g)).toHaveLength(1);
    // Nothing fetched from elsewhere: two inline scripts (the data as JSON, the viewer), no
    // src / href, stylesheet link or URL (report.browser.test.ts checks it in Chromium).
    expect(report.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="paravirt-report-data">', '<script>']);
    expect(report).not.toMatch(/\s(?:src|href)\s*=\s*["']|\b(?:https?|wss?):/i);
    expect(report).not.toMatch(/<link\b|<iframe\b|@import|url\(/i);
    const rows = [...report.matchAll(/<tr><td>(.*?)<\/td><\/tr>/g)].map((match) => match[1]!.split('</td><td>'));
    expect(rows).toEqual(
      summary.partitions.map((p) => [
        p.name,
        p.app,
        p.mode,
        String(p.windows),
        (p.cpuTimeNs / 1e6).toFixed(1),
        String(p.hypercalls),
        String(p.virq.raised),
        String(p.virq.delivered),
        String(p.virq.coalesced),
        String(p.virq.lost),
        (p.virq.latencyNs.max / 1e3).toFixed(1),
        String(p.hmEventCount),
      ]),
    );
    // hello's 21st window opens at tick 2000, 1.9997 s (see the window tracks above).
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      ['hello', 'hello', 'IDLE', '21'],
      ['ticker', 'ticker', 'NORMAL', '20'],
      ['base_sp', 'base_sp', 'IDLE', '20'],
    ]);
  });
});

describe('--trace: the seed decides the bytes', () => {
  // The default demo has no random input; a jittered device does (machine's Prng, forked from the seed).
  const JITTERED = `kernel: air
arch: sparc
duration: 1s
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: hello, start: 0ms, duration: 30ms }
      - { partition: ticker, start: 50ms, duration: 50ms }
partitions:
  - { name: hello, app: hello }
  - { name: ticker, app: ticker }
devices:
  - { kind: periodic-irq, line: 5, period: 7ms, jitter: 1ms, start: 3ms, partition: ticker }
`;
  const traceOf = async (seed: string): Promise<string> => {
    const result = await cli(['run', 'jittered.yaml', '--seed', seed, '--quiet', '--trace', 'trace.json'], { 'jittered.yaml': JITTERED });
    expect(result.code).toBe(0);
    return result.files.get('trace.json')!;
  };

  it('same seed: byte-identical trace file; another seed: other device interrupt times', async () => {
    const first = await traceOf('7');
    expect(await traceOf('7')).toBe(first);
    const other = await traceOf('8');
    expect(other).not.toBe(first);
    const lineFive = (text: string): number[] =>
      (JSON.parse(text) as { traceEvents: TraceEvent[] }).traceEvents.filter((event) => event.cat === 'trap' && /\b(IRQ 5|interrupt_level_5)\b/.test(event.name)).map((event) => event.ts);
    expect(lineFive(first).length).toBeGreaterThan(100);
    expect(lineFive(other)).not.toEqual(lineFive(first));
  }, 30_000);
});

const BLINK = [
  '*** BEGIN OF TEST BLINK ***',
  'blink 1 at 1 s (tick 100)',
  'blink 2 at 2 s (tick 200)',
  'blink 3 at 3 s (tick 300)',
  'blink 4 at 4 s (tick 400)',
  'blink 5 at 5 s (tick 500)',
  '*** END OF TEST BLINK ***',
  '',
].join('\n');

describe('a user module application (fixtures/blink.mjs, plain JS) loaded by path', () => {
  it('runs in a partition of the default demo (--app hello=PATH); the other partitions are unaffected', async () => {
    const { code, stdout, stderr, files } = await cli(['run', '--app', 'hello=fixtures/blink.mjs', '--duration', '6s', '--json', 'summary.json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(consoleOf(stdout, 'hello')).toBe(BLINK);
    expect(compareScreens(consoleOf(stdout, 'base_sp'), reference('base_sp'))).toBeUndefined();
    const summary = JSON.parse(files.get('summary.json')!) as Summary;
    // 60 frames in 6 s, and on i386 (pok, PIT ticks of 999,847 ns) a 61st window: tick 6000, kernel
    // time 6 s, comes at 5.9991 s of real time, inside the run (60 before issue 13, edges in real time).
    expect(summary.partitions[0]).toMatchObject({ name: 'hello', app: 'fixtures/blink.mjs', mode: 'IDLE', console: BLINK, hmEventCount: 0, windows: 61, virq: { lost: 0 } });
  }, 30_000);

  it('runs in a partition named by a config file (app: PATH), on air/sparc', async () => {
    const config = `kernel: air
arch: sparc
duration: 6s
schedules:
  - name: main
    majorFrame: 50ms
    windows:
      - { partition: blink, start: 10ms, duration: 10ms }
      - { partition: hello, start: 30ms, duration: 10ms }
partitions:
  - { name: blink, app: fixtures/blink.mjs }
  - { name: hello, app: hello }
`;
    const { code, stdout } = await cli(['run', 'blink.yaml', '--json', '-'], { 'blink.yaml': config });
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.partitions.map((p) => [p.name, p.app, p.console, p.virq.lost])).toEqual([
      ['blink', 'fixtures/blink.mjs', BLINK, 0],
      ['hello', 'hello', reference('hello'), 0],
    ]);
  }, 30_000);

  it.each(['i386', 'sparc'])('runs on bare metal (--kernel none --app PATH --arch %s) with the same screen', async (arch) => {
    const { code, stdout, stderr } = await cli(['run', '--kernel', 'none', '--arch', arch, '--app', 'fixtures/blink.mjs', '--duration', '6s']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.startsWith(`${BLINK}\nnone/${arch}: 6.000 s virtual time, 0 windows,`)).toBe(true);
  }, 30_000);
});

describe('a module that is not an application', () => {
  const NOT_AN_APPLICATION =
    'fixtures/notAnApplication.mjs does not export an application (default export or "application" with name and init, or a raw program with kind "raw" and create)';

  it.each([
    [['run', '--app', 'hello=fixtures/notAnApplication.mjs'], `error: --app hello=fixtures/notAnApplication.mjs: ${NOT_AN_APPLICATION}\n`],
    [['run', '--kernel', 'none', '--app', 'fixtures/notAnApplication.mjs'], `error: --app fixtures/notAnApplication.mjs: ${NOT_AN_APPLICATION}\n`],
  ])('%j: exit 3 (the module misbehaved), one error line, nothing run', async (args, expected) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(expected);
  });

  it('a path that does not exist: exit 2, one error line naming it', async () => {
    const { code, stdout, stderr } = await cli(['run', '--app', 'ticker=fixtures/missing.mjs']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: --app ticker=fixtures/missing.mjs: cannot load fixtures/missing.mjs: no such file\n');
  });
});

describe('exit code 1: an RTEMS fatal error halts the bare-metal processor (fixtures/fatal.mjs)', () => {
  const FATAL = 'fatal error INTERNAL_ERROR_RTEMS_API 57005';
  const runs = new Map<string, Promise<{ code: number; stdout: string; stderr: string; summary: Summary; fatalNs: number }>>();
  const bare = (arch: string) => {
    let run = runs.get(arch);
    if (!run) {
      run = cli(['run', '--kernel', 'none', '--arch', arch, '--app', 'fixtures/fatal.mjs', '--duration', '2s', '--json', '-', '--trace', 'trace.json']).then((result) => {
        const events = (JSON.parse(result.files.get('trace.json')!) as { traceEvents: TraceEvent[] }).traceEvents;
        const fatal = events.find((event) => event.name === 'fatal');
        return { code: result.code, stdout: result.stdout, stderr: result.stderr, summary: JSON.parse(result.stdout) as Summary, fatalNs: fatal ? ns(fatal.ts) : -1 };
      });
      runs.set(arch, run);
    }
    return run;
  };

  it.each(['i386', 'sparc'])('%s: exit 1, the JSON summary still written, one stderr line saying why (and where the trace went)', async (arch) => {
    const { code, stderr, summary, fatalNs } = await bare(arch);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^module stopped at [0-9.]+(?:ns|us|ms|s): ${FATAL}\\ntrace: trace\\.json: [0-9,]+ events, [0-9.]+ KB; open it in https://ui\\.perfetto\\.dev or chrome://tracing\\n$`));
    expect(summary).toMatchObject({ schemaVersion: 1, kernel: 'none', arch });
    const [native] = summary.partitions;
    expect(native).toMatchObject({ name: 'fatal', app: 'fixtures/fatal.mjs', mode: 'IDLE', console: 'fatal: giving up in half a second\n', hmEventCount: 1 });
    expect(native!.hmEvents.map((event) => [event.error, event.level, event.action, event.detail])).toEqual([['INTERNAL_ERROR_RTEMS_API', 'module', 'HALT', `RTEMS ${FATAL}`]]);
    // Half a second of its 10 ms ticks, then the few microseconds from the tick to the call.
    expect(fatalNs).toBeGreaterThanOrEqual(500_000_000);
    expect(fatalNs).toBeLessThan(500_100_000);
  }, 30_000);

  // The module stops at the fatal error, about 500 ms into the run; the run goes on to its end.
  it.each(['i386', 'sparc'])('%s: the stop line gives the time the processor stopped', async (arch) => {
    const { stderr, fatalNs } = await bare(arch);
    const stated = parseDuration(/^module stopped at (\S+):/.exec(stderr)![1]!);
    expect(stated).toEqual({ ok: true, value: fatalNs });
  });

  it.each(['i386', 'sparc'])('%s: the HALT event is stamped with the time of the fatal error', async (arch) => {
    const { summary, fatalNs } = await bare(arch);
    expect(summary.partitions[0]!.hmEvents[0]!.timeNs).toBe(fatalNs);
  });

  it('in a partition the same fatal error stops only that partition: a partition-level HM event, exit 0', async () => {
    const { code, stdout, stderr } = await cli(['run', '--app', 'hello=fixtures/fatal.mjs', '--duration', '2s', '--json', '-']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    const [hello, ticker, baseSp] = summary.partitions;
    expect(hello).toMatchObject({ mode: 'IDLE', console: 'fatal: giving up in half a second\n', hmEventCount: 1 });
    expect(hello!.hmEvents.map((event) => [event.error, event.level, event.action, event.detail])).toEqual([['APPLICATION_ERROR', 'partition', 'IGNORE', `RTEMS fatal error: INTERNAL_ERROR_RTEMS_API 57005`]]);
    // hello's window is the first 20 ms of each 100 ms frame: its 500 ms tick comes at the start of the frame at 500 ms.
    expect(hello!.hmEvents[0]!.timeNs).toBeGreaterThanOrEqual(500_000_000);
    expect(hello!.hmEvents[0]!.timeNs).toBeLessThan(520_000_000);
    expect(compareScreens(baseSp!.console, reference('base_sp'))).toBeUndefined();
    expect(ticker!.hmEventCount).toBe(0);
  }, 30_000);
});
