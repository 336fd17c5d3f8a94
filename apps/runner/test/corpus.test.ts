/**
 * The bad-input corpus (test/corpus/README.md): every case runs through the real CLI, in a
 * child process, from a fresh working folder. Allowed outcomes only: exit 0 or 1 with the
 * JSON summary written, or exit 2 or 3 with exactly one `error:` line (lines a module
 * printed on the host console, `module: ...`, aside) - never a stack trace, a signal, a
 * run past its time limit or a file written where the CLI was not asked to write. `check`
 * and `run` must agree: the same exit code and the same first error line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { GeneratedCase } from './corpus/generated/types.js';
import { here } from './helpers.js';

const corpus = resolve(here, 'corpus');
/** Wall-clock limit of one CLI run: module cases use a 5 s watchdog. */
const TIME_LIMIT_MS = 30_000;
/** Per test: check and run of one case, on a machine the other cases keep busy. */
const TEST_TIMEOUT_MS = 120_000;
const CHECK_OPTIONS = new Set(['--kernel', '--arch', '--app', '--watchdog', '--max-memory']);
const CHECK_FLAGS = new Set(['--allow-host', '--debug']);

interface Expectation {
  readonly code: number;
  /** The exact error line (without the newline), or a pattern for what follows `error: `. */
  readonly error?: string | RegExp;
}

interface FileCase {
  readonly name: string;
  readonly description: string;
  readonly path: string;
  readonly expect: Expectation;
  readonly args: readonly string[];
}

function parseExpectation(text: string, where: string): Expectation {
  const match = /^(\d+)(?:\s+(.*))?$/.exec(text.trim());
  if (!match) throw new Error(`${where}: cannot read "expect: ${text}"`);
  const code = Number(match[1]);
  const rest = match[2];
  if (rest === undefined) return { code };
  const pattern = /^error: \/(.*)\/$/.exec(rest);
  return { code, error: pattern ? new RegExp(pattern[1]!) : rest };
}

/** The corpus/expect/args header of a file case (# YAML, // JS, <!-- XML -->). */
function readHeader(path: string, name: string): FileCase {
  const lines = readFileSync(path, 'utf8').split('\n').slice(0, 30);
  const fields = new Map<string, string>();
  for (const line of lines) {
    const match = /^\s*(?:#|\/\/|<!--)\s*(corpus|expect|args):\s*(.*?)\s*(?:-->)?\s*$/.exec(line);
    if (match && !fields.has(match[1]!)) fields.set(match[1]!, match[2]!);
  }
  if (!fields.has('corpus') || !fields.has('expect')) throw new Error(`${name}: needs "corpus:" and "expect:" header lines`);
  const args = fields.get('args')?.split(/\s+/).filter(Boolean) ?? [];
  return { name, description: fields.get('corpus')!, path, expect: parseExpectation(fields.get('expect')!, name), args };
}

function listCases(folder: string, extensions: RegExp): FileCase[] {
  const dir = join(corpus, folder);
  return readdirSync(dir)
    .filter((file) => extensions.test(file) && file !== 'host.yaml')
    .sort()
    .map((file) => readHeader(join(dir, file), `${folder}/${file}`));
}

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly files: readonly string[];
  readonly summary?: unknown;
}

/** Runs the bundled CLI in a fresh working folder; `files` is what that folder holds afterwards. */
async function paravirt(args: readonly string[]): Promise<Outcome> {
  const cwd = mkdtempSync(join(tmpdir(), 'paravirt-corpus-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [join(inject('runnerBundle'), 'cli/bin.cjs'), ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (exitCode, exitSignal) => done([exitCode, exitSignal])));
    clearTimeout(timer);
    const files = readdirSync(cwd).sort();
    let summary: unknown;
    if (files.includes('summary.json')) summary = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8') || 'null');
    return { code, signal, stdout, stderr, wallMs: performance.now() - started, files, ...(summary !== undefined ? { summary } : {}) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The `error:` lines of stderr; every other line must be a module's own console output. */
function errorLines(outcome: Outcome): string[] {
  const lines = outcome.stderr.split('\n').filter((line) => line !== '');
  const other = lines.filter((line) => !line.startsWith('error: ') && !line.startsWith('module: ') && !line.startsWith('module stopped at ') && !line.startsWith('warning: ') && !line.startsWith('hint: '));
  expect(other, 'stderr lines that are neither error:, module:, warning:, hint: nor the module-stopped line').toEqual([]);
  return lines.filter((line) => line.startsWith('error: '));
}

/** What every outcome must be, whatever the case. */
function expectContained(outcome: Outcome): void {
  expect(outcome.signal, 'killed by a signal or past the time limit').toBeNull();
  expect([0, 1, 2, 3]).toContain(outcome.code);
  expect(outcome.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m);
  expect(outcome.stderr).not.toMatch(/node:internal|Node\.js v\d/);
  expect(outcome.wallMs).toBeLessThan(TIME_LIMIT_MS);
}

function expectOutcome(outcome: Outcome, expected: Expectation, asked: readonly string[]): void {
  expectContained(outcome);
  expect(outcome.code, outcome.stderr).toBe(expected.code);
  // Only the files the CLI was asked to write: nothing from a guest.
  expect(outcome.files).toEqual([...asked].sort());
  if (expected.code <= 1) {
    expect(outcome.summary).toMatchObject({ schemaVersion: 1 });
    expect(errorLines(outcome)).toEqual([]);
    return;
  }
  const errors = errorLines(outcome);
  expect(errors, outcome.stderr).toHaveLength(1);
  if (expected.error instanceof RegExp) expect(errors[0]!.slice('error: '.length)).toMatch(expected.error);
  else if (expected.error !== undefined) expect(errors[0]).toBe(expected.error);
}

const withoutMore = (line: string): string => line.replace(/ \(and \d+ more problems?; see paravirt check\)$/, '');

/** check and run of one config: both as expected, and the same first error line. */
async function checkAndRun(config: string, expected: Expectation, args: readonly string[]): Promise<void> {
  const runArgs = ['run', config, '--quiet', '--json', 'summary.json', ...(args.includes('--duration') ? [] : ['--duration', '1s']), ...args];
  const ran = await paravirt(runArgs);
  expectOutcome(ran, expected, expected.code <= 1 ? ['summary.json'] : []);

  const checkArgs: string[] = ['check', config];
  for (let i = 0; i < args.length; i++) {
    if (CHECK_FLAGS.has(args[i]!)) checkArgs.push(args[i]!);
    else if (CHECK_OPTIONS.has(args[i]!)) checkArgs.push(args[i]!, args[++i]!);
    else if (args[i]!.startsWith('--') && !args[i]!.includes('=') && args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) i++;
  }
  const checked = await paravirt(checkArgs);
  expectContained(checked);
  if (expected.code <= 1) {
    expect(checked.code, checked.stderr).toBe(0);
    return;
  }
  expect(checked.code, checked.stderr).toBe(expected.code);
  expect(withoutMore(errorLines(checked)[0] ?? ''), 'check and run give the same first error').toBe(withoutMore(errorLines(ran)[0]!));
}

const generated: GeneratedCase[] = [];
for (const file of readdirSync(join(corpus, 'generated')).filter((name) => name.endsWith('.ts') && name !== 'types.ts')) {
  const module = (await import(`./corpus/generated/${file.slice(0, -'.ts'.length)}.ts`)) as { cases: GeneratedCase[] };
  generated.push(...module.cases);
}

describe.concurrent('the bad-input corpus, through the real CLI', { timeout: TEST_TIMEOUT_MS }, () => {
  describe.concurrent('configs/', () => {
    it.each(listCases('configs', /\.(ya?ml|json|xml)$/).map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
      await checkAndRun(entry.path, entry.expect, entry.args);
    });
  });

  describe.concurrent('modules/', () => {
    const host = join(corpus, 'modules/host.yaml');
    it.each(listCases('modules', /\.m?js$/).map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
      const before = readdirSync(join(corpus, 'modules')).sort();
      await checkAndRun(host, entry.expect, ['--app', `guest=${entry.path}`, '--watchdog', '5s', '--max-memory', '512MiB', ...entry.args]);
      expect(readdirSync(join(corpus, 'modules')).sort(), 'a module wrote a file next to itself').toEqual(before);
    });
  });

  describe.concurrent('generated/', () => {
    it.each(generated.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
      const folder = mkdtempSync(join(tmpdir(), 'paravirt-generated-'));
      try {
        const path = join(folder, entry.file);
        writeFileSync(path, entry.make());
        const expected = entry.expect.stderr === undefined ? { code: entry.expect.code } : { code: entry.expect.code, error: entry.expect.stderr };
        await checkAndRun(path, expected, entry.args ?? []);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe.concurrent('cli.txt', () => {
    const lines = readFileSync(join(corpus, 'cli.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    it.each(lines.map((line) => [line] as const))('%s', async (line) => {
      const [command, expectText] = line.split(' => ');
      const args = [...command!.matchAll(/'([^']*)'|(\S+)/g)].map((match) => (match[1] ?? match[2]!).replaceAll('$CORPUS', corpus));
      const expected = parseExpectation(expectText ?? '', line);
      const outcome = await paravirt(args);
      const asked = [...args.entries()].filter(([i, arg]) => i > 0 && ['--json', '--trace', '--report', '--csv', '--console-dir', '--out'].includes(args[i - 1]!) && arg !== '-').map(([, arg]) => arg);
      expectContained(outcome);
      expect(outcome.code, outcome.stderr).toBe(expected.code);
      expect(outcome.files.filter((file) => !asked.includes(file))).toEqual([]);
      if (expected.code >= 2) {
        const errors = errorLines(outcome);
        expect(errors).toHaveLength(1);
        if (expected.error instanceof RegExp) expect(errors[0]!.slice('error: '.length)).toMatch(expected.error);
        else if (expected.error !== undefined) expect(errors[0]).toBe(expected.error);
      }
    });
  });
});
