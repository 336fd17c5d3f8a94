/**
 * `paravirt sweep` and `paravirt sweep merge` (docs/architecture.md section 6 "Sweeps",
 * docs/campaigns.md), through the real CLI (the bundle, worker threads, the sandbox): lines
 * in run-index order and deterministic, whatever runs them (worker threads, this thread,
 * shards on "machines" merged); a failing run recorded with the command that reproduces it;
 * `unchanged` partitions compared across overrides. Every documented `paravirt sweep`
 * command line runs here exactly as written (bad inputs: corpus/cli.txt).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import type { AggregateLine, HeaderLine, RunLine } from '../src/sweep/lines.js';
import { sandboxLauncher } from '../src/sandbox/host.js';
import { here, repo } from './helpers.js';

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A fresh working folder holding `examples/` (the repository's) and `results/`, with `paravirt` (the bundled CLI) on PATH. */
function workspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'paravirt-sweep-'));
  folders.push(folder);
  symlinkSync(resolve(repo, 'examples'), join(folder, 'examples'));
  mkdirSync(join(folder, 'results'));
  mkdirSync(join(folder, '.bin'));
  const shim = join(folder, '.bin/paravirt');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(inject('runnerBundle'), 'cli/bin.cjs')}" "$@"\n`);
  chmodSync(shim, 0o755);
  return folder;
}

/** `sh -c LINE` in `cwd`, with the workspace's `paravirt` first on PATH (or the one of `bin`). */
function sh(line: string, cwd: string, env: Record<string, string> = {}, options: { bin?: string; whenStarted?: (child: ReturnType<typeof spawn>, output: () => string) => void } = {}): Promise<Outcome> {
  const bin = options.bin ?? join(cwd, '.bin');
  const child = spawn('sh', ['-c', line], { cwd, env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  options.whenStarted?.(child, () => stdout);
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
}

/** The CLI in this process (no worker threads: runs of built-in applications in this thread), in `cwd`. */
async function inProcess(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; files: Map<string, string> }> {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string>();
  const code = await main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTty: false,
    readFile: async (path) => readFileSync(resolve(cwd, path), 'utf8'),
    prepareOutput: async () => {},
    writeFile: async (path, text) => void files.set(path, text),
    clock: () => 0,
    cwd,
    sandbox: sandboxLauncher(resolve(inject('runnerBundle'), 'sandbox/child.js')),
  });
  return { code, stdout, stderr, files };
}

function lines(text: string): { header: HeaderLine; runs: RunLine[]; aggregate: AggregateLine } {
  const parsed = text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as HeaderLine | RunLine | AggregateLine);
  const [header, ...rest] = parsed;
  const aggregate = rest.pop();
  expect(header?.type).toBe('sweep');
  expect(aggregate?.type).toBe('aggregate');
  expect(rest.every((line) => line.type === 'run')).toBe(true);
  return { header: header as HeaderLine, runs: rest as RunLine[], aggregate: aggregate as AggregateLine };
}

const read = (path: string): string => readFileSync(path, 'utf8');
const doc = (path: string): string => read(resolve(repo, path));

// The documented command lines (docs/campaigns.md, the READMEs, the example sweep files).
const LOCAL = 'paravirt sweep examples/smoke.sweep.yaml --out runs.jsonl';
const SHARDS = [1, 2, 3].map((shard) => `paravirt sweep examples/smoke.sweep.yaml --shard ${shard}/3 --out shard-${shard}.jsonl`);
const MERGE = 'paravirt sweep merge shard-1.jsonl shard-2.jsonl shard-3.jsonl --out merged.jsonl';
const K8S_MERGE = 'paravirt sweep merge results/shard-0.jsonl results/shard-1.jsonl results/shard-2.jsonl --out results/sweep.jsonl';
const SLURM_MERGE = 'paravirt sweep merge results/shard-1.jsonl results/shard-2.jsonl results/shard-3.jsonl --out results/sweep.jsonl';
const FUZZ = 'paravirt sweep examples/fuzz.sweep.yaml --seeds 1..8 --duration 20s --out fuzz.jsonl';
const README_DEMO = 'paravirt sweep --config examples/demo.yaml --kernels pok,air --seeds 1..4 --duration 500ms --quiet';

/** The fenced ```LANGUAGE block of campaigns.md that contains `marker`. */
function block(language: string, marker: string): string {
  const blocks = [...doc('docs/campaigns.md').matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1]!);
  const found = blocks.find((text) => text.includes(marker));
  expect(found, `a ${language} block with ${marker}`).toBeDefined();
  return found!;
}

const KUBERNETES = parse(block('yaml', 'kind: Job')) as { spec: { template: { spec: { containers: Array<{ command: string[]; args: string[]; workingDir: string }> } } } };
const SLURM_SCRIPT = block('sh', '#SBATCH');
const K8S = KUBERNETES.spec.template.spec.containers[0]!.args[0]!;
const SLURM = SLURM_SCRIPT.split('\n').find((line) => line.startsWith('paravirt sweep'))!;

describe('the documented commands', () => {
  it('are all here: every `paravirt sweep` command line of the docs is one this test runs', () => {
    const files = ['docs/campaigns.md', 'docs/architecture.md', 'README.md', 'apps/runner/README.md', 'examples/smoke.sweep.yaml', 'examples/fuzz.sweep.yaml', 'examples/fuzz.yaml'];
    const found = new Set<string>();
    for (const file of files) {
      for (const line of doc(file).split('\n')) {
        // A command on a line of its own (code blocks, YAML comments and lists), or inline naming a file.
        const own = /^\s*(?:[-#$]\s+)?(paravirt sweep .*)$/.exec(line);
        const commands = own ? [own[1]!] : [...line.matchAll(/`(paravirt sweep [^`]*\.(?:ya?ml|jsonl)[^`]*)`/g)].map((match) => match[1]!);
        for (const command of commands) {
          const text = command.replace(/\s+#\s.*$/, '').trim();
          if (!/\[(?:--|[A-Z])/.test(text)) found.add(text); // `[--option]`, `[SWEEP.yaml]`: usage grammar, not a command
        }
      }
    }
    expect([...found].sort()).toEqual([LOCAL, ...SHARDS, MERGE, K8S, K8S_MERGE, SLURM, SLURM_MERGE, FUZZ, README_DEMO].sort());
    expect(KUBERNETES.spec.template.spec.containers[0]!.command).toEqual(['sh', '-c']);
  });

  it('the sweep file campaigns.md shows is examples/smoke.sweep.yaml', () => {
    expect(parse(block('yaml', '# examples/smoke.sweep.yaml'))).toEqual(parse(doc('examples/smoke.sweep.yaml')));
  });

  it('README: a sweep from options alone', async () => {
    const outcome = await sh(README_DEMO, workspace());
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const { header, runs, aggregate } = lines(outcome.stdout);
    expect(header.runs).toBe(8);
    expect(runs.map((run) => [run.kernel, run.seed])).toEqual([1, 2, 3, 4].map((seed) => ['pok', seed]).concat([1, 2, 3, 4].map((seed) => ['air', seed])));
    expect(aggregate).toMatchObject({ runs: 8, ok: 8, failed: 0 });
  }, 60_000);

  it('the fuzzing campaign starts exactly as documented, and SIGINT stops it with the lines written so far', async () => {
    const cwd = workspace();
    // `exec`: the shell becomes paravirt, which alone gets the SIGINT (as from a terminal's Ctrl-C).
    const outcome = await sh(`exec ${FUZZ}`, cwd, {}, {
      whenStarted: (child) => {
        // Interrupted once it has planned all 64 runs and written its header.
        const poll = setInterval(() => {
          if (existsSync(join(cwd, 'fuzz.jsonl')) && read(join(cwd, 'fuzz.jsonl')).includes('\n')) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
      },
    });
    expect(outcome.code, outcome.stderr).toBe(130);
    expect(outcome.stderr).toMatch(/^interrupted \(SIGINT\): \d+ of 64 runs written, no aggregate\n$/);
    const written = read(join(cwd, 'fuzz.jsonl')).trimEnd().split('\n');
    expect(JSON.parse(written[0]!)).toMatchObject({ type: 'sweep', runs: 64, unchanged: ['ticker'] });
    expect(written.slice(1).every((line) => (JSON.parse(line) as RunLine).type === 'run')).toBe(true);
  }, 60_000);
});

describe('a small sweep: 2 configs x 2 kernels x 2 arches x 3 seeds', () => {
  let local: { cwd: string; text: string } | undefined;
  /** examples/smoke.sweep.yaml on one machine, as campaigns.md runs it. */
  const whole = async (): Promise<{ cwd: string; text: string }> => {
    if (!local) {
      const cwd = workspace();
      const outcome = await sh(LOCAL, cwd);
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toMatch(/^sweep [0-9a-f]{12}: 24 runs, 24 ok, 0 failed\n$/);
      local = { cwd, text: read(join(cwd, 'runs.jsonl')) };
    }
    return local;
  };

  it('writes a header, 24 run lines in run-index order and the aggregate', async () => {
    const { header, runs, aggregate } = lines((await whole()).text);
    expect(header).toEqual({ type: 'sweep', sweep: expect.stringMatching(/^[0-9a-f]{12}$/), paravirt: expect.any(String), runs: 24, unchanged: [] });
    expect(runs.map((run) => run.index)).toEqual([...Array(24).keys()]);
    // configs, kernels, arches, seeds, overrides: the order of the run index.
    const keys = runs.map((run) => `${String(run.config)} ${run.kernel}/${run.arch} ${run.seed}`);
    expect(keys.slice(0, 7)).toEqual(['examples/demo.yaml pok/i386 1', 'examples/demo.yaml pok/i386 2', 'examples/demo.yaml pok/i386 3', 'examples/demo.yaml pok/sparc 1', 'examples/demo.yaml pok/sparc 2', 'examples/demo.yaml pok/sparc 3', 'examples/demo.yaml air/i386 1']);
    expect(keys[23]).toBe('examples/ports.yaml air/sparc 3');
    const first = runs[0]!;
    expect(Object.keys(first)).toEqual(['type', 'sweep', 'index', 'config', 'kernel', 'arch', 'seed', 'durationNs', 'overrides', 'exit', 'outcome', 'virtualTimeNs', 'events', 'partitions', 'command']);
    expect(first).toMatchObject({ sweep: header.sweep, durationNs: 100_000_000, overrides: {}, exit: 0, outcome: 'ok', virtualTimeNs: 100_000_000, command: 'paravirt run examples/demo.yaml --kernel pok --arch i386 --seed 1 --duration 100ms' });
    expect(first.partitions!.map((partition) => partition.name)).toEqual(['hello', 'ticker', 'base_sp']);
    expect(Object.keys(first.partitions![1]!)).toEqual(['name', 'app', 'mode', 'restarts', 'cpuTimeNs', 'idleTimeNs', 'windows', 'hypercalls', 'virq', 'deadlineMisses', 'hmEventCount', 'console']);
    expect(first.partitions![1]!.virq.raised).toBeGreaterThan(0);
    expect(first.partitions![1]!.console).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(runs.every((run) => run.exit === 0)).toBe(true);
    expect(aggregate).toMatchObject({ sweep: header.sweep, runs: 24, ok: 24, failed: 0, changed: 0, failures: [], changes: [] });
    expect(aggregate.groups).toHaveLength(8);
    const ticker = aggregate.groups[0]!.partitions.find((partition) => partition.name === 'ticker')!;
    expect(aggregate.groups[0]).toMatchObject({ config: 'examples/demo.yaml', kernel: 'pok', arch: 'i386', overrides: {}, runs: 3, failed: 0 });
    const cpu = runs.slice(0, 3).map((run) => run.partitions![1]!.cpuTimeNs).sort((a, b) => a - b);
    expect(ticker.metrics['cpuTimeNs']).toEqual({ min: cpu[0], median: cpu[1], p99: cpu[2], max: cpu[2] });
    expect(Object.keys(ticker.metrics)).toContain('virq.latencyNs.p99');
  }, 60_000);

  it('each run line is what its `paravirt run` command gives', async () => {
    const { cwd, text } = await whole();
    const run = lines(text).runs[16]!; // ports.yaml on pok/sparc, seed 2
    expect(run.command).toBe('paravirt run examples/ports.yaml --kernel pok --arch sparc --seed 2 --duration 100ms');
    const outcome = await sh(`${run.command} --json - --quiet`, cwd);
    expect(outcome.code).toBe(0);
    const summary = JSON.parse(outcome.stdout) as { partitions: Array<{ name: string; cpuTimeNs: number; hypercalls: number; virq: { raised: number } }> };
    expect(summary.partitions.map((partition) => [partition.name, partition.cpuTimeNs, partition.hypercalls, partition.virq.raised])).toEqual(run.partitions!.map((partition) => [partition.name, partition.cpuTimeNs, partition.hypercalls, partition.virq.raised]));
  }, 60_000);

  it('gives the same bytes in this thread, without worker threads', async () => {
    const { cwd, text } = await whole();
    const again = await inProcess(['sweep', 'examples/smoke.sweep.yaml', '--quiet'], cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(text);
  }, 60_000);

  it('--shard 1/3, 2/3, 3/3 merged: the same bytes, lines and aggregate (campaigns.md, "Split, then merge")', async () => {
    const { cwd, text } = await whole();
    expect(block('sh', '--shard 1/3')).toBe(`${[...SHARDS, MERGE, 'cmp runs.jsonl merged.jsonl'].join('\n')}\n`);
    // Three machines at once.
    for (const outcome of await Promise.all(SHARDS.map((command) => sh(command, cwd)))) expect(outcome.code, outcome.stderr).toBe(0);
    const shard = lines(read(join(cwd, 'shard-2.jsonl')));
    expect(shard.header.shard).toBe('2/3');
    expect(shard.runs.map((run) => run.index)).toEqual([1, 4, 7, 10, 13, 16, 19, 22]);
    expect(shard.aggregate).toMatchObject({ shard: '2/3', runs: 8 });
    const merged = await sh(MERGE, cwd);
    expect(merged.code, merged.stderr).toBe(0);
    expect(read(join(cwd, 'merged.jsonl'))).toBe(text);
    expect((await sh('cmp runs.jsonl merged.jsonl', cwd)).code).toBe(0);
  }, 60_000);

  it('a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) and its merge: the same bytes', async () => {
    const { text } = await whole();
    const cwd = workspace();
    const pods = await Promise.all([2, 0, 1].map((index) => sh(K8S, cwd, { JOB_COMPLETION_INDEX: String(index) })));
    for (const outcome of pods) expect(outcome.code, outcome.stderr).toBe(0);
    expect((await sh(K8S_MERGE, cwd)).code).toBe(0);
    expect(read(join(cwd, 'results/sweep.jsonl'))).toBe(text);
  }, 60_000);

  it('a Slurm job array (SLURM_ARRAY_TASK_ID) and its merge: the same bytes', async () => {
    const { text } = await whole();
    const cwd = workspace();
    writeFileSync(join(cwd, 'sweep.sh'), SLURM_SCRIPT);
    const tasks = await Promise.all([1, 2, 3].map((task) => sh('sh sweep.sh', cwd, { SLURM_ARRAY_TASK_ID: String(task), SLURM_CPUS_PER_TASK: '2' })));
    for (const outcome of tasks) expect(outcome.code, outcome.stderr).toBe(0);
    expect((await sh(SLURM_MERGE, cwd)).code).toBe(0);
    expect(read(join(cwd, 'results/sweep.jsonl'))).toBe(text);
  }, 60_000);
});

describe('failures and changes', () => {
  it('records a failing run with its exit code and the command that reproduces it, and goes on', async () => {
    const outcome = await sh('paravirt sweep fixtures/failing.sweep.yaml', here, {}, { bin: join(workspace(), '.bin') });
    expect(outcome.code, outcome.stderr).toBe(1);
    const { runs, aggregate } = lines(outcome.stdout);
    const [fatal, hello] = runs;
    expect(fatal).toMatchObject({ index: 0, config: null, kernel: 'none', seed: 1, overrides: { app: ['fixtures/fatal.mjs'] }, exit: 1, outcome: 'stopped', stopped: { reason: 'fatal error INTERNAL_ERROR_RTEMS_API 57005' } });
    expect(fatal!.command).toBe('paravirt run --kernel none --arch i386 --seed 1 --duration 600ms --app fixtures/fatal.mjs');
    expect(fatal!.partitions![0]).toMatchObject({ name: 'fatal', mode: 'IDLE', hmEventCount: 1 });
    expect(hello).toMatchObject({ index: 1, overrides: { app: ['hello'] }, exit: 0, outcome: 'ok' });
    expect(aggregate).toMatchObject({ runs: 2, ok: 1, failed: 1, failures: [{ index: 0, seed: 1, exit: 1, outcome: 'stopped', command: fatal!.command }] });
    const why = aggregate.failures[0]!.why;
    expect(why).toMatch(/^module stopped at [0-9.]+(?:ns|us|ms|s): fatal error INTERNAL_ERROR_RTEMS_API 57005$/);
    expect(outcome.stderr).toContain(`failed: run 0: exit 1, ${why}: ${fatal!.command}\n`);
    // The command, exactly as the line gives it: the same exit code, the same stop.
    const again = await sh(aggregate.failures[0]!.command, here, {}, { bin: join(workspace(), '.bin') });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${why}\n`);
  }, 60_000);

  it('unchanged: the fuzzing campaign leaves ticker as it is without the attack', async () => {
    const cwd = workspace();
    const outcome = await sh('paravirt sweep examples/fuzz.sweep.yaml --kernels pok --arches sparc --seeds 3 --duration 300ms --quiet', cwd);
    expect(outcome.code, outcome.stderr).toBe(0);
    const { runs, aggregate } = lines(outcome.stdout);
    expect(runs.map((run) => run.overrides)).toEqual([{}, { app: ['hostile=idle'] }]);
    const [attacked, baseline] = runs.map((run) => run.partitions!);
    expect(attacked![0]).toEqual(baseline![0]);
    expect(attacked![1]!.hypercalls).toBeGreaterThan(1000);
    expect(aggregate).toMatchObject({ ok: 2, failed: 0, changed: 0, changes: [] });
  }, 60_000);

  it('unchanged: a partition that differs across the overrides is listed, and the sweep exits 1', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'isolation.sweep.yaml'), 'configs: [examples/demo.yaml]\nseeds: [5]\nduration: 100ms\noverrides:\n  - {}\n  - { app: [hello=idle] }\nunchanged: [ticker, hello]\n');
    const outcome = await inProcess(['sweep', 'isolation.sweep.yaml'], cwd);
    expect(outcome.code).toBe(1);
    const { aggregate } = lines(outcome.stdout);
    expect(aggregate).toMatchObject({ runs: 2, ok: 2, failed: 0, changed: 1 });
    expect(aggregate.changes).toEqual([
      {
        config: 'examples/demo.yaml',
        kernel: 'pok',
        arch: 'i386',
        seed: 5,
        partition: 'hello',
        overrides: [{}, { app: ['hello=idle'] }],
        fields: expect.arrayContaining(['app', 'console']),
        commands: ['paravirt run examples/demo.yaml --kernel pok --arch i386 --seed 5 --duration 100ms', 'paravirt run examples/demo.yaml --kernel pok --arch i386 --seed 5 --duration 100ms --app hello=idle'],
      },
    ]);
    expect(outcome.stderr).toMatch(/^sweep [0-9a-f]{12}: 2 runs, 2 ok, 0 failed, 1 unchanged partition\(s\) changed\nchanged: hello \(seed 5\): app, /);
  }, 60_000);
});
