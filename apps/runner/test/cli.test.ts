/**
 * The CLI contract of docs/architecture.md section 6, exercised in-process: the default demo,
 * exit codes, one-line `error: <where>: <what>` messages for bad usage and every config
 * rule, the JSON summary schema, check and samples.
 */
import { describe, expect, it } from 'vitest';
import { compareScreens } from '@paravirt/samples';
import { cli, consoleOf, reference } from './helpers.js';

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
    expect(stdout).toContain('pok/i386: 40.000 s virtual time, 1200 windows');
    expect(stdout).toMatch(/\nhello +hello +IDLE +400 /);
  }, 60_000);

  it('writes the JSON summary (schemaVersion 1) to stdout with --json - and nothing else', async () => {
    const { code, stdout } = await cli(['run', '--duration', '1s', '--json', '-']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual(['schemaVersion', 'kernel', 'arch', 'seed', 'virtualTimeNs', 'events', 'schedule', 'partitions', 'interrupted', 'wallTimeMs']);
    expect(summary).toMatchObject({ schemaVersion: 1, kernel: 'pok', arch: 'i386', seed: 1, virtualTimeNs: 1_000_000_000, schedule: { windowsRun: 30, switches: [] }, interrupted: false });
    expect(Object.keys(summary.partitions[0])).toEqual([
      'name', 'app', 'libcpu', 'mode', 'restarts', 'console', 'cpuTimeNs', 'idleTimeNs', 'windows', 'hypercalls', 'privilegedFaults', 'emulatedOperations', 'emulationCycles', 'virq', 'deadlineMisses', 'hmEvents', 'hmEventCount',
    ]);
    expect(Object.keys(summary.partitions[0].virq)).toEqual(['raised', 'delivered', 'coalesced', 'lost', 'latencyNs', 'lines']);
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
    [['frobnicate'], 'error: frobnicate: unknown command (run, check, samples)\n'],
    [['run', '--frobnicate'], 'error: --frobnicate: unknown option\n'],
    [['run', '--kernel', 'xen'], 'error: --kernel: must be pok, air, none, got "xen"\n'],
    [['run', '--arch', 'arm'], 'error: --arch: must be i386 or sparc, got "arm"\n'],
    [['run', '--duration', 'soon'], 'error: --duration: cannot read duration "soon": expected a number and a unit (ns, us, ms, s, min, h), e.g. "20ms"\n'],
    [['run', '--seed', '-3'], 'error: --seed: must be a whole number, got "-3"\n'],
    [['run', '--seed', 'x'], 'error: --seed: must be a whole number, got "x"\n'],
    [['run', '--app', 'nowhere=hello'], 'error: --app nowhere=hello: no partition named "nowhere" (partitions: hello, ticker, base_sp)\n'],
    [['run', '--app', 'hello=doom'], 'error: --app hello=doom: unknown application "doom" (built-in: hello, ticker, base_sp, periodic, idle, producer, consumer, modeswitch, sensor, hostile; or a path to a .js module)\n'],
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
    ['bad duration', base.replace('majorFrame: 100ms', 'majorFrame: 100 furlongs'), 'error: schedules[0].majorFrame: cannot read duration "100 furlongs": expected a number and a unit (ns, us, ms, s, min, h), e.g. "20ms"\n'],
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
    expect(stdout.split('\n').map((line) => line.split(' ')[0])).toEqual(['hello', 'ticker', 'base_sp', 'periodic', 'idle', 'producer', 'consumer', 'modeswitch', 'sensor', 'hostile', '']);
  });
});
