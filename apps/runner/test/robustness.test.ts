/**
 * What only a real process shows: pipes closed early, signals in the middle of a run,
 * a FIFO or a full disk, and the sandbox's containment of user modules (no file writes,
 * no process control, hangs and memory growth named). Runs the CLI bundled from the
 * sources (globalSetup.ts) as a child process.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { here } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'paravirt-robustness-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function start(args: readonly string[], cwd = work): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [join(inject('runnerBundle'), 'cli/bin.cjs'), ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' } });
}

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function finish(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
}

/** Resolves once the child has printed `text` on stdout or stderr. */
function waitFor(child: ChildProcessWithoutNullStreams, stream: 'stdout' | 'stderr', text: string): Promise<void> {
  return new Promise((done) => {
    let seen = '';
    child[stream].on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) done();
    });
  });
}

const module = (name: string, body: string): string => {
  const path = join(work, name);
  writeFileSync(path, body);
  return path;
};

describe('pipes', () => {
  it.each([
    [['run', '--duration', '1h']],
    [['samples']],
  ])('%j | head -1: stdout closed early ends the run quietly with exit 0', async (args) => {
    const child = start(args);
    const first = await new Promise<string>((done) => child.stdout.once('data', (chunk: Buffer) => done(chunk.toString())));
    child.stdout.destroy();
    const { code, signal, stderr } = await finish(child);
    expect(first.length).toBeGreaterThan(0);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  }, 30_000);

  it('stdout on a full disk (/dev/full): one error line, exit 2', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync('sh', ['-c', `"${process.execPath}" "${join(inject('runnerBundle'), 'cli/bin.cjs')}" samples > /dev/full`], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = (error as { stderr: string }).stderr;
    }
    expect({ status, stderr }).toEqual({ status: 2, stderr: 'error: stdout: cannot write (ENOSPC)\n' });
  });
});

describe('signals: the outputs of what ran, marked interrupted', () => {
  it.each([
    ['SIGINT', 130, []],
    ['SIGTERM', 143, []],
    ['SIGINT', 130, ['--app', `ticker=${resolve(here, 'fixtures/blink.mjs')}`]],
  ] as const)('%s (exit %i) %j', async (signal, exitCode, extra) => {
    const folder = mkdtempSync(join(work, 'signal-'));
    const child = start(['run', '--duration', '1h', '--json', 'summary.json', '--trace', 'trace.json', ...extra], folder);
    await waitFor(child, 'stdout', '*** END OF TEST SAMPLE SINGLE PROCESSOR APPLICATION ***');
    child.kill(signal);
    const { code, stderr } = await finish(child);
    expect(code).toBe(exitCode);
    expect(stderr).toMatch(new RegExp(`^interrupted \\(${signal}\\) at [^\\n]+ of virtual time: outputs cover what ran\\ntrace: trace\\.json: [0-9,]+ events, [0-9.]+ [KMG]?B(?:ytes)?; open it in https://ui\\.perfetto\\.dev or chrome://tracing\\n$`));
    const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as { interrupted: boolean; virtualTimeNs: number };
    expect(summary.interrupted).toBe(true);
    expect(summary.virtualTimeNs).toBeGreaterThan(0);
    expect(summary.virtualTimeNs).toBeLessThan(3_600_000_000_000);
    expect(JSON.parse(readFileSync(join(folder, 'trace.json'), 'utf8'))).toHaveProperty('traceEvents');
  }, 60_000);
});

describe('config files that are not files', () => {
  it('a FIFO nobody writes to: one error line after the read time-out, exit 2', async () => {
    const fifo = join(work, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const { code, stderr } = await finish(start(['check', fifo]));
    expect({ code, stderr }).toEqual({ code: 2, stderr: `error: ${fifo}: did not reach its end within 10 s (a FIFO or device nobody writes to?)\n` });
  }, 30_000);

  it('a FIFO with a writer is read like a file (bash process substitution)', async () => {
    const fifo = join(work, 'fifo-written.yaml');
    execFileSync('mkfifo', [fifo]);
    const child = start(['check', fifo]);
    writeFileSync(fifo, readFileSync(resolve(here, '../../../examples/demo.yaml')));
    const { code, stdout } = await finish(child);
    expect(code).toBe(0);
    expect(stdout).toMatch(/valid module configuration for pok\/i386, 3 partition\(s\)/);
  }, 30_000);
});

describe('user modules run contained (sandbox)', () => {
  const run = async (path: string, ...extra: string[]) => finish(start(['run', '--app', `hello=${path}`, '--duration', '2s', '--quiet', '--watchdog', '1s', ...extra]));

  it('cannot write host files, spawn processes or threads, or end the host: each is an error inside the guest, the run goes on', async () => {
    const target = join(work, 'written-by-guest.txt');
    const path = module(
      'rights.mjs',
      `import { writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
const tried = [];
for (const attempt of [() => writeFileSync(${JSON.stringify(target)}, 'x'), () => execSync('true'), () => process.kill(process.ppid, 'SIGKILL'), () => process.exit(0), () => new Worker('for (;;) {}', { eval: true })]) {
  try { attempt(); tried.push('done'); } catch (error) { tried.push(error.code ?? 'refused'); }
}
export default { name: 'rights', description: 'tries its host rights', *init(rtems) { rtems.printf('%s\\n', tried.join(' ')); yield rtems.compute(1000); } };
`,
    );
    const folder = mkdtempSync(join(work, 'rights-'));
    const child = start(['run', '--app', `hello=${path}`, '--duration', '1s', '--json', 'summary.json'], folder);
    const { code, stdout } = await finish(child);
    expect(code).toBe(0);
    expect(stdout).toContain('[hello] ERR_ACCESS_DENIED ERR_ACCESS_DENIED refused refused refused\n');
    expect(existsSync(target)).toBe(false);
  }, 30_000);

  it('--allow-host gives a trusted module the CLI rights', async () => {
    const target = join(work, 'written-with-allow-host.txt');
    const path = module('trusted.mjs', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(target)}, 'x');\nexport default { name: 't', description: 't', *init(rtems) { yield rtems.compute(10); } };\n`);
    const { code } = await run(path, '--allow-host');
    expect(code).toBe(0);
    expect(existsSync(target)).toBe(true);
  }, 30_000);

  it.each([
    ['a task that never yields', 'spin.mjs', `export default { name: 'spin', description: 's', *init(rtems) { yield rtems.compute(1000); for (;;) {} } };`, /stopped yielding: no progress for 1 s of wall time, at [\d.]+ s of virtual time/],
    ['a loop at import', 'loop.mjs', `for (;;) {}\nexport default {};`, /did not finish loading within 1 s of wall time \(an endless loop at its top level\?\)$/],
    ['a top-level await that never settles', 'await.mjs', `await new Promise(() => {});\nexport default {};`, /never finished loading: its top-level await never settled$/],
    ['a heap that grows without bound', 'grow.mjs', `export default { name: 'g', description: 'g', *init(rtems) { const all = []; for (;;) all.push(new Array(1e6).fill(1)); } };`, /exhausted its heap \(limit: --max-memory 256MiB\)$/],
  ])('%s: exit 3, one line naming the partition and thread', async (_name, file, body, what) => {
    const path = module(file, body);
    // A heap near its limit makes the collector slow: the watchdog must not fire first.
    const { code, stdout, stderr } = await run(path, '--max-memory', '256MiB', ...(file === 'grow.mjs' ? ['--watchdog', '30s'] : []));
    expect(code).toBe(3);
    expect(stdout).toBe('');
    const [line, ...rest] = stderr.split('\n').filter(Boolean);
    expect(rest).toEqual([]);
    expect(line!.startsWith(`error: --app hello=${path}: `)).toBe(true);
    expect(line).toMatch(what);
    if (file === 'spin.mjs' || file === 'grow.mjs') expect(line).toContain('thread "UI1" of partition hello');
  }, 60_000);

  it('what a module prints on the host console is shown on stderr as module: lines, escaped', async () => {
    const path = module('chatty.mjs', `console.log('loading \\x1b[31mred');\nexport default { name: 'c', description: 'c', *init(rtems) { yield rtems.compute(10); } };\n`);
    const { code, stderr } = await finish(start(['run', '--app', `hello=${path}`, '--duration', '1s', '--json', '-']));
    expect(code).toBe(0);
    expect(stderr).toBe('module: loading \\x1b[31mred\n');
  }, 30_000);
});
