/**
 * The executable starts the CLI from V8's code cache (src/cli/bin.ts): the cache is written
 * after a run that had none, used by the next, replaced when V8 refuses it, and never needed -
 * a folder where it cannot be written, or a cache of garbage, changes nothing a run prints.
 */
import { isAscii } from 'node:buffer';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repo } from './helpers.js';

let folder: string;

beforeAll(() => {
  // A copy of the tests' bundle, so this file's caches are its own.
  folder = mkdtempSync(join(tmpdir(), 'paravirt-startup-'));
  cpSync(inject('runnerBundle'), folder, { recursive: true, filter: (path) => !path.endsWith('.cache') });
});

afterAll(() => {
  chmodSync(join(folder, 'cli'), 0o755);
  rmSync(folder, { recursive: true, force: true });
});

async function paravirt(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(folder, 'cli/bin.cjs'), ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('start-up from the code cache', () => {
  const args = ['run', 'examples/demo.yaml', '--duration', '2s'];
  const cache = (): string => join(folder, 'cli/app.cjs.cache');

  it('writes the cache after a run without one, uses it after, and prints the same', async () => {
    expect(existsSync(cache())).toBe(false);
    const first = await paravirt(...args);
    expect(first.code).toBe(0);
    expect(existsSync(cache())).toBe(true);
    const written = statSync(cache()).mtimeMs;
    const bytes = readFileSync(cache());
    expect(bytes.length).toBeGreaterThan(100_000);
    const second = await paravirt(...args);
    expect(second).toEqual(first);
    // Accepted: not written again.
    expect(statSync(cache()).mtimeMs).toBe(written);
    expect(readFileSync(cache()).equals(bytes)).toBe(true);
  }, 60_000);

  it('a cache V8 refuses (garbage) is replaced; the run is the same', async () => {
    const reference = await paravirt(...args);
    writeFileSync(cache(), Buffer.alloc(4096, 0x5a));
    const run = await paravirt(...args);
    expect(run).toEqual(reference);
    expect(readFileSync(cache()).length).toBeGreaterThan(100_000);
  }, 60_000);

  it('where the cache cannot be written, the CLI runs without one', async () => {
    rmSync(cache(), { force: true });
    chmodSync(join(folder, 'cli'), 0o555);
    try {
      const run = await paravirt('run', 'examples/demo.yaml', '--duration', '1s', '--quiet');
      expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
      // (root may write anyway; anyone else leaves no cache and no temporary file)
      if (process.getuid?.() !== 0) expect(existsSync(cache())).toBe(false);
    } finally {
      chmodSync(join(folder, 'cli'), 0o755);
    }
  }, 60_000);

  it('exit codes and error lines come through the loader: a usage error is exit 2 with one line', async () => {
    const run = await paravirt('run', '--kernel', 'nope');
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((line) => line !== '')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: /);
  }, 60_000);

  it('the CLI bundle is ASCII, so the loader reads it as Latin-1 (a non-ASCII character in a source, e.g. a literal µ in a regular expression, would make it UTF-8: slower)', () => {
    expect(isAscii(readFileSync(join(folder, 'cli/app.cjs')))).toBe(true);
  });
});
