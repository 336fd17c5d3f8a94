/**
 * The CLI contract of docs/architecture.md section 6, exercised in-process: the default demo,
 * exit codes, one-line `error: <where>: <what>` messages for bad usage and every config
 * rule, the JSON summary schema, check and samples; --version, CLI durations (a unit
 * needed, `m` for minutes), diff of two summaries, --console-dir, --mute and --csv.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareScreens } from '@paravirt/samples';
import type { Summary } from '@paravirt/compose';
import { cli, consoleOf, here, reference } from './helpers.js';

const oneErrorLine = (stderr: string) => {
  expect(stderr).toMatch(/^error: [^\n]+: [^\n]+\n$/);
  expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
};

describe('paravirt run (default demo)', () => {
  it('prints the three reference screens prefixed by partition, then the summary table, and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['run']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const [partition, screen] of [
      ['hello', 'hello'],
      ['ticker', 'ticker'],
      ['base_sp', 'base_sp'],
    ] as const) {
      expect(compareScreens(consoleOf(stdout, partition), reference(screen))).toBeUndefined();
    }
    // 400 frames of 3 windows, and hello's 401st: the kernel keeps time in its ticks, as POK does,
    // and on i386 (PIT ticks of 999,847 ns for 1 ms) tick 40,000 - kernel time 40 s - comes at
    // 39.994 s, inside the run (1200 and 400 before issue 13, when edges followed real time).
    expect(stdout).toContain('pok/i386: 40.000 s virtual time, 1201 windows');
    expect(stdout).toMatch(/\nhello +hello +IDLE +401 /);
  }, 60_000);

  it('writes the JSON summary (schemaVersion 1) to stdout with --json - and nothing else', async () => {
    const { code, stdout } = await cli(['run', '--duration', '1s', '--json', '-']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual(['schemaVersion', 'kernel', 'arch', 'seed', 'virtualTimeNs', 'events', 'schedule', 'partitions', 'hardwareLines', 'interrupted', 'wallTimeMs']);
    // 31 windows: 10 frames and hello's window at tick 1000 (kernel time 1 s, real 0.99985 s; 30 before issue 13).
    expect(summary).toMatchObject({ schemaVersion: 1, kernel: 'pok', arch: 'i386', seed: 1, virtualTimeNs: 1_000_000_000, schedule: { windowsRun: 31, switches: [] }, interrupted: false });
    expect(Object.keys(summary.partitions[0])).toEqual([
      'name', 'app', 'libcpu', 'mode', 'restarts', 'console', 'cpuTimeNs', 'idleTimeNs', 'windows', 'hypercalls', 'privilegedFaults', 'emulatedOperations', 'emulationCycles', 'virq', 'deadlineMisses', 'hmEvents', 'hmEventCount',
    ]);
    expect(Object.keys(summary.partitions[0].virq)).toEqual(['raised', 'delivered', 'coalesced', 'pending', 'discarded', 'discardedBy', 'lost', 'latencyNs', 'lines']);
    expect(Object.keys(summary.partitions[0].virq.latencyNs)).toEqual(['min', 'mean', 'p99', 'max']);
    for (const partition of summary.partitions) expect(partition.virq.lost).toBe(0);
  }, 30_000);

  it('is deterministic: same config and seed give the same summary bytes (wall time aside) and trace', async () => {
    const run = async () => {
      const result = await cli(['run', '--duration', '2s', '--quiet', '--json', 'out.json', '--trace', 'trace.json']);
      return { summary: result.files.get('out.json')!.replace(/"wallTimeMs": \d+/, ''), trace: result.files.get('trace.json')! };
    };
    const first = await run();
    const second = await run();
    expect(second.summary).toBe(first.summary);
    expect(second.trace).toBe(first.trace);
  }, 60_000);

  it('runs one application on bare metal with --kernel none', async () => {
    const { code, stdout } = await cli(['run', '--kernel', 'none', '--arch', 'sparc', '--app', 'hello', '--duration', '1s']);
    expect(code).toBe(0);
    expect(stdout.startsWith(reference('hello'))).toBe(true);
    expect(stdout).toContain('none/sparc: 1.000 s virtual time');
  }, 30_000);
});

describe('usage and configuration errors: one line, exit 2, no stack trace', () => {
  it.each([
    [['frobnicate'], 'error: frobnicate: unknown command (run, check, diff, sweep, new, samples)\n'],
    [['run', '--frobnicate'], 'error: --frobnicate: unknown option\n'],
    [['run', '--kernel', 'xen'], 'error: --kernel: must be pok, air, none, got "xen"\n'],
    [['run', '--arch', 'arm'], 'error: --arch: must be i386 or sparc, got "arm"\n'],
    [['run', '--duration', 'soon'], 'error: --duration: cannot read duration "soon": expected a number and a unit (ns, us, ms, s, m or min, h), e.g. "20ms"\n'],
    [['run', '--seed', '-3'], 'error: --seed: must be a whole number, got "-3"\n'],
    [['run', '--seed', 'x'], 'error: --seed: must be a whole number, got "x"\n'],
    [['run', '--app', 'nowhere=hello'], 'error: --app nowhere=hello: no partition named "nowhere" (partitions: hello, ticker, base_sp)\n'],
    [['run', '--app', 'hello=doom'], 'error: --app hello=doom: unknown application "doom" (built-in: hello, ticker, base_sp, periodic, idle, producer, consumer, modeswitch, sensor, regions, barrier, partitions, signals, fpu, edf, hostile; or a path to a .js module)\n'],
    [['run', 'missing.yaml'], 'error: missing.yaml: no such file\n'],
    [['check'], 'error: check: needs exactly one CONFIG file\n'],
    [['check', 'x.yaml', '--duration', '1s'], 'error: --duration: check takes only --kernel, --arch, --app, --watchdog, --max-memory, --allow-host, --debug\n'],
  ])('%j', async (args, expected) => {
    const { code, stderr, stdout } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toBe(expected);
    expect(stdout).toBe('');
  });

  const base = `
kernel: pok
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: a, start: 0ms, duration: 50ms }
      - { partition: b, start: 50ms, duration: 50ms }
partitions:
  - { name: a, app: hello }
  - { name: b, app: hello }
`;

  it.each([
    ['unknown key', base.replace('kernel: pok', 'kernel: pok\ncolour: blue'), 'error: colour: unknown key\n'],
    ['unknown key deep', base.replace('{ name: a, app: hello }', '{ name: a, app: hello, size: 3 }'), 'error: partitions[0].size: unknown key\n'],
    ['overlapping windows', base.replace('start: 50ms', 'start: 40ms'), 'error: schedules[0].windows[1]: overlaps window 0 (a)\n'],
    ['window past the major frame', base.replace('duration: 50ms }\npartitions', 'duration: 60ms }\npartitions'), 'error: schedules[0].windows[1]: window 50000000..110000000 ns runs past the major frame (100000000 ns)\n'],
    ['unknown partition', base.replace('{ partition: b,', '{ partition: c,'), 'error: schedules[0].windows[1].partition: unknown partition "c"\n'],
    ['duplicate names', base.replace('{ name: b, app: hello }', '{ name: a, app: hello }'), 'error: partitions[1].name: duplicate partition name "a" (and 1 more problem; see paravirt check)\n'],
    [
      'overlapping memory',
      base.replace('{ name: a, app: hello }', '{ name: a, app: hello, memory: { base: 0x200000, size: 1MiB } }').replace('{ name: b, app: hello }', '{ name: b, app: hello, memory: { base: 0x280000, size: 1MiB } }'),
      'error: partitions[1].memory: overlaps the memory of partition a\n',
    ],
    ['bad duration', base.replace('majorFrame: 100ms', 'majorFrame: 100 furlongs'), 'error: schedules[0].majorFrame: cannot read duration "100 furlongs": expected a number and a unit (ns, us, ms, s, m or min, h), e.g. "20ms"\n'],
    ['YAML syntax', 'kernel: [pok\n', /^error: line \d+: .+\n$/],
    ['pok slots with a gap', base.replace('start: 50ms, duration: 50ms', 'start: 60ms, duration: 40ms'), 'error: schedules[0].windows[1].start: the pok kernel runs slots back to back: this window starts at 60ms, the previous one ends at 50ms (gaps need kernel: air)\n'],
  ])('%s', async (_name, text, expected) => {
    const { code, stderr } = await cli(['run', 'bad.yaml'], { 'bad.yaml': text });
    expect(code).toBe(2);
    oneErrorLine(stderr);
    if (typeof expected === 'string') expect(stderr).toBe(expected);
    else expect(stderr).toMatch(expected);
  });

  it('reports every problem with check, each on its own line', async () => {
    const text = base.replace('{ name: b, app: hello }', '{ name: a, app: hello }').replace('kernel: pok', 'kernel: pok\ncolour: blue');
    const { code, stderr } = await cli(['check', 'bad.yaml'], { 'bad.yaml': text });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'error: colour: unknown key',
      'error: partitions[1].name: duplicate partition name "a"',
      'error: schedules[0].windows[1].partition: unknown partition "b"',
    ]);
  });
});

describe('paravirt check and paravirt samples', () => {
  it('validates a configuration and prints the static schedule analysis', async () => {
    const { code, stdout } = await cli(['check', 'demo.yaml'], {
      'demo.yaml': `kernel: air
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: a, start: 0ms, duration: 20ms }
      - { partition: b, start: 50ms, duration: 30ms }
partitions:
  - { name: a, app: hello }
  - { name: b, app: ticker }
`,
    });
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'demo.yaml: valid module configuration for air/i386, 2 partition(s)',
        'schedule main (initial): major frame 100ms, 2 windows, idle 50ms (50.0%)',
        '  a: 20ms per frame (20.0%), 1 window(s), longest gap 80ms',
        '  b: 30ms per frame (30.0%), 1 window(s), longest gap 70ms',
        '',
      ].join('\n'),
    );
  });

  it('lists the built-in samples', async () => {
    const { code, stdout } = await cli(['samples']);
    expect(code).toBe(0);
    expect(stdout.split('\n').map((line) => line.split(' ')[0])).toEqual(['hello', 'ticker', 'base_sp', 'periodic', 'idle', 'producer', 'consumer', 'modeswitch', 'sensor', 'regions', 'barrier', 'partitions', 'signals', 'fpu', 'edf', 'hostile', '']);
  });
});

describe('paravirt --version', () => {
  const { version } = JSON.parse(readFileSync(resolve(here, '../package.json'), 'utf8')) as { version: string };

  it.each([['--version'], ['-V']])('%s prints "paravirt <version>" from the runner\'s package.json and exits 0', async (flag) => {
    expect(await cli([flag])).toMatchObject({ code: 0, stdout: `paravirt ${version}\n`, stderr: '' });
  });

  it('takes no arguments', async () => {
    expect(await cli(['--version', 'now'])).toMatchObject({ code: 2, stdout: '', stderr: 'error: --version: takes no arguments, got now\n' });
  });
});

describe('CLI durations need a unit; m is minutes', () => {
  it.each([
    [['run', '--duration', '40'], 'error: --duration: "40" needs a unit (ns, us, ms, s, m, h), e.g. 40s\n'],
    [['run', '--watchdog', '10'], 'error: --watchdog: "10" needs a unit (ns, us, ms, s, m, h), e.g. 10s\n'],
    [['run', '--duration', '0.00000000001m'], 'error: --duration: duration "0.00000000001m" is not a whole number of nanoseconds\n'],
  ])('%j is refused with one line', async (args, expected) => {
    expect(await cli(args)).toMatchObject({ code: 2, stdout: '', stderr: expected });
  });

  it.each([
    ['0.01m', 600_000_000],
    ['0.0002h', 720_000_000],
    ['0.01min', 600_000_000],
    ['500ms', 500_000_000],
  ])('--duration %s runs %i ns of virtual time', async (duration, ns) => {
    const { code, stdout } = await cli(['run', '--duration', duration, '--json', '-']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Summary).virtualTimeNs).toBe(ns);
  }, 30_000);
});

describe('paravirt diff A.json B.json', () => {
  const summaryOf = async (args: readonly string[]): Promise<string> => {
    const { code, files } = await cli(['run', '--duration', '1s', '--quiet', '--json', 'summary.json', ...args]);
    expect(code).toBe(0);
    return files.get('summary.json')!;
  };

  it('exit 0 for two runs of the same config and seed (wallTimeMs is not compared), 1 with what changed per partition, --json for machines', async () => {
    const a = await summaryOf([]);
    const b = await summaryOf(['--app', 'ticker=idle']);
    const again = a.replace(/"wallTimeMs": \d+/, '"wallTimeMs": 123456');

    const same = await cli(['diff', 'a.json', 'again.json'], { 'a.json': a, 'again.json': again });
    expect(same).toMatchObject({ code: 0, stderr: '' });
    expect(same.stdout).toBe('identical: a.json and again.json agree in every compared field (3 partitions; wallTimeMs is not compared)\n');

    const changed = await cli(['diff', 'a.json', 'b.json'], { 'a.json': a, 'b.json': b });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('');
    const text = changed.stdout;
    expect(text.startsWith('--- a.json\n+++ b.json\n')).toBe(true);
    expect(text).not.toContain('module:');
    expect(text).not.toContain('partition hello:');
    expect(text).toMatch(/\npartition ticker:\n {2}app +"ticker" -> "idle"\n {2}console +4 -> 0 lines, first difference at line 1: "\*\*\* BEGIN OF TEST CLOCK TICK \*\*\*" -> \(absent\)\n {2}hypercalls +\d+ -> \d+ {2}\(-\d+, -\d+\.\d%\)\n/);
    expect(text.endsWith('differ: 0 module fields, 1 of 3 partitions\n')).toBe(true);

    const json = await cli(['diff', '--json', 'a.json', 'b.json'], { 'a.json': a, 'b.json': b });
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as { identical: boolean; module: unknown[]; partitions: Array<{ name: string; in: string; changes: Array<{ field: string; kind: string; a?: unknown; b?: unknown }> }> };
    expect(result).toMatchObject({ identical: false, a: 'a.json', b: 'b.json', module: [] });
    expect(result.partitions.map((partition) => [partition.name, partition.in, partition.changes.length > 0])).toEqual([
      ['hello', 'both', false],
      ['ticker', 'both', true],
      ['base_sp', 'both', false],
    ]);
    const ticker = result.partitions[1]!.changes;
    expect(ticker[0]).toEqual({ field: 'app', kind: 'value', a: 'ticker', b: 'idle' });
    expect(ticker[1]).toEqual({ field: 'console', kind: 'text', a: 4, b: 0, firstDifference: 1, detail: { a: '*** BEGIN OF TEST CLOCK TICK ***' } });
    expect(ticker.find((change) => change.field === 'windows')).toBeUndefined();
  }, 60_000);

  it('compares the module, HM events, vIRQ lines and partitions found on one side only', async () => {
    type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
    const base = JSON.parse(await summaryOf([])) as Summary;
    const other = structuredClone(base) as Mutable<Summary>;
    other.events += 1;
    other.partitions[0]!.deadlineMisses = 2;
    other.partitions[0]!.hmEvents = [{ timeNs: 5, error: 'DEADLINE_MISSED', level: 'PARTITION', action: 'IGNORE', detail: 'late' }];
    other.partitions[0]!.hmEventCount = 1;
    other.partitions[1]!.virq.lines.push({ ...structuredClone(other.partitions[1]!.virq.lines[0]!), line: 'hw-5' });
    other.partitions.pop();
    const { code, stdout } = await cli(['diff', 'a.json', 'b.json'], { 'a.json': JSON.stringify(base), 'b.json': JSON.stringify(other) });
    expect(code).toBe(1);
    expect(stdout).toContain(`module:\n  events  ${base.events} -> ${base.events + 1}  (+1, +`);
    expect(stdout).toMatch(/\npartition hello:\n {2}deadlineMisses +0 -> 2 {2}\(\+2\)\n {2}hmEvents +0 -> 1 entries, first difference at #0: \(absent\) -> \{"timeNs":5,"error":"DEADLINE_MISSED",/);
    expect(stdout).toContain('\npartition ticker:\n  virq.lines[hw-5]  only in b.json\n');
    expect(stdout).toContain('\npartition base_sp: only in a.json\n');
    expect(stdout.endsWith('differ: 1 module field, 3 of 3 partitions\n')).toBe(true);
  }, 30_000);

  it.each([
    ['not JSON', 'kernel: pok\n', /^error: x\.json: not a paravirt JSON summary \(not JSON: SyntaxError: .*; paravirt run --json FILE writes one\)\n$/],
    ['a list', '[1, 2]', 'error: x.json: not a paravirt JSON summary (a JSON list, not an object; paravirt run --json FILE writes one)\n'],
    ['no schemaVersion', '{"partitions": []}', 'error: x.json: not a paravirt JSON summary (no schemaVersion; paravirt run --json FILE writes one)\n'],
    ['another schema', '{"schemaVersion": 2, "partitions": []}', 'error: x.json: is a summary of schemaVersion 2; this paravirt reads schemaVersion 1\n'],
    ['partitions without names', '{"schemaVersion": 1, "partitions": [{}]}', 'error: x.json: not a paravirt JSON summary (partitions is not a list of partitions with a name; paravirt run --json FILE writes one)\n'],
    ['empty', '  \n', 'error: x.json: is empty, not a paravirt JSON summary\n'],
  ])('%s is bad input: exit 2, one error line', async (_name, text, expected) => {
    const { code, stdout, stderr } = await cli(['diff', 'ok.json', 'x.json'], { 'ok.json': '{"schemaVersion": 1, "partitions": []}', 'x.json': text });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    if (typeof expected === 'string') expect(stderr).toBe(expected);
    else expect(stderr).toMatch(expected);
  });

  it('diff --help is diff\'s own usage', async () => {
    const { code, stdout } = await cli(['diff', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage:\n {2}paravirt diff A\.json B\.json \[--json\]\n/);
    expect(stdout).toContain('Exit codes: 0 identical in every compared field; 1 they differ; 2 bad usage');
  });
});

describe('--console-dir, --mute and --csv', () => {
  it('writes each partition\'s console to DIR/<partition>.txt, keeps muted partitions off the terminal, and the table as CSV', async () => {
    const { code, stdout, stderr, files } = await cli(['run', '--duration', '2s', '--console-dir', 'consoles', '--mute', 'ticker,base_sp', '--json', 'summary.json', '--csv', 'table.csv']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const summary = JSON.parse(files.get('summary.json')!) as Summary;
    expect(consoleOf(stdout, 'hello')).toBe(summary.partitions[0]!.console);
    expect(consoleOf(stdout, 'ticker')).toBe('');
    expect(consoleOf(stdout, 'base_sp')).toBe('');
    expect(stdout).toMatch(/\nticker +ticker +/);
    for (const partition of summary.partitions) {
      expect(partition.console.length, partition.name).toBeGreaterThan(0);
      expect(files.get(`consoles/${partition.name}.txt`), partition.name).toBe(partition.console);
    }
    const csv = files.get('table.csv')!.split('\n');
    expect(csv[0]).toBe('partition,app,mode,windows,cpuTimeNs,idleTimeNs,hypercalls,virqRaised,virqDelivered,virqCoalesced,virqLost,virqMaxLatencyNs,hmEventCount');
    expect(csv).toHaveLength(summary.partitions.length + 2);
    expect(csv.at(-1)).toBe('');
    summary.partitions.forEach((partition, index) => {
      expect(csv[index + 1]).toBe(
        [partition.name, partition.app, partition.mode, partition.windows, partition.cpuTimeNs, partition.idleTimeNs, partition.hypercalls, partition.virq.raised, partition.virq.delivered, partition.virq.coalesced, partition.virq.lost, partition.virq.latencyNs.max, partition.hmEventCount].join(','),
      );
    });
  }, 30_000);

  it('--csv - sends only the CSV to stdout; muting every partition leaves the table', async () => {
    const csv = await cli(['run', '--duration', '1s', '--csv', '-']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^partition,app,mode,/);
    expect(csv.stdout).not.toContain('[hello]');
    const muted = await cli(['run', '--duration', '1s', '--mute', 'hello,ticker', '--mute', 'base_sp']);
    expect(muted.code).toBe(0);
    expect(muted.stdout.startsWith('\npok/i386: 1.000 s virtual time')).toBe(true);
  }, 30_000);

  it('bare metal: one console file, named after the application like its summary entry; --mute names the application', async () => {
    const { code, stdout, files } = await cli(['run', '--kernel', 'none', '--app', 'hello', '--duration', '1s', '--console-dir', 'out/', '--mute', 'hello']);
    expect(code).toBe(0);
    expect([...files.keys()]).toEqual(['out/hello.txt']);
    expect(files.get('out/hello.txt')).toBe(reference('hello'));
    expect(stdout.startsWith('\nnone/i386: 1.000 s virtual time')).toBe(true);
  }, 30_000);

  it.each([
    [['run', '--mute', 'nobody'], 'error: --mute: no partition named "nobody" (partitions: hello, ticker, base_sp)\n'],
    [['run', '--kernel', 'none', '--app', 'hello', '--mute', 'ticker'], 'error: --mute: no partition named "ticker" (bare metal: the application: hello)\n'],
    [['run', '--mute', 'hello,,ticker'], 'error: --mute: must be partition names separated by commas, e.g. hello,ticker, got "hello,,ticker"\n'],
    [['run', '--console-dir', '-'], 'error: --console-dir: needs a folder (- is stdout, which cannot hold one file per partition)\n'],
    [['run', '--csv', '-', '--json', '-'], 'error: --csv: only one output can go to stdout (--json and --csv both name -)\n'],
    [['check', 'x.yaml', '--csv', 'x.csv'], 'error: --csv: check takes only --kernel, --arch, --app, --watchdog, --max-memory, --allow-host, --debug\n'],
  ])('%j: exit 2, one error line', async (args, expected) => {
    expect(await cli(args)).toMatchObject({ code: 2, stdout: '', stderr: expected });
  });
});
