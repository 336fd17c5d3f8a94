/** Runs the CLI in-process, with files in memory and on disk, and captures what it prints. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceRecorder } from '@paravirt/machine';
import { expect, inject } from 'vitest';
import { main } from '../src/cli/main.js';
import { loadConfig, type Overrides, type RunResult, Simulation } from '@paravirt/compose';
import { type GuestApplication, planApplications } from '../src/run/applications.js';
import { sandboxLauncher } from '../src/sandbox/host.js';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../../..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: ReadonlyMap<string, string>;
}

/** `inputs` are in-memory files (by name); any other path is read from disk relative to the test folder. */
export async function cli(args: readonly string[], inputs: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string>();
  const code = await main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTty: false,
    readFile: async (path) => {
      if (path in inputs) return inputs[path]!;
      return readFileSync(resolve(here, path), 'utf8');
    },
    prepareOutput: async () => {},
    writeFile: async (path, text) => {
      files.set(path, text);
    },
    clock: () => 0,
    cwd: here,
    sandbox: sandboxLauncher(resolve(inject('runnerBundle'), 'sandbox/child.js')),
  });
  return { code, stdout, stderr, files };
}

/** stderr without the CLI's `hint:` lines (advice such as "partitions run the idle application"), for tests that expect nothing else there. */
export const withoutHints = (stderr: string): string => stderr.replace(/^hint: [^\n]*\n/gm, '');

/** stderr without the line that says where the trace went (`trace: FILE: N events, SIZE; open it in ...`). */
export const withoutTraceLine = (stderr: string): string => stderr.replace(/^trace: [^\n]*; open it in https:\/\/ui\.perfetto\.dev or chrome:\/\/tracing\n/gm, '');

export const reference = (name: string): string => readFileSync(resolve(repo, `packages/samples/reference/${name}.scn`), 'utf8');

/** The console lines of one partition from the CLI's prefixed output. */
export function consoleOf(stdout: string, partition: string): string {
  const prefix = `[${partition}] `;
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => `${line.slice(prefix.length)}\n`)
    .join('');
}

/**
 * Composes and runs a module in-process, without the CLI, for tests that look inside the
 * simulation (physical memory, kernel state, raw trace records). The config must be valid
 * and the processor must not stop; built-in applications only (user modules run only in
 * the sandbox: use cli()), plus the test's own `extra` applications by name.
 */
export async function simulate(
  text: string,
  overrides: Overrides = {},
  trace?: TraceRecorder,
  extra: ReadonlyMap<string, GuestApplication> = new Map(),
): Promise<{ simulation: Simulation; result: RunResult }> {
  const loaded = loadConfig(text, overrides);
  expect(loaded.errors).toEqual([]);
  const spec = loaded.spec!;
  const planned = { ...spec, partitions: spec.partitions.filter((partition) => !extra.has(partition.app)) };
  const plan = planApplications(planned, { cwd: here, config: undefined, fromCli: new Set() });
  expect(plan.modules).toEqual([]);
  const applications = new Map([...plan.builtins, ...extra]);
  const simulation = new Simulation({ spec, applications, ...(trace ? { trace } : {}) });
  simulation.run(spec.duration);
  const result = simulation.result();
  expect(result.stopReason).toBeUndefined();
  return { simulation, result };
}

/** The same module with the `hostile` partition running `idle`: the baseline of the isolation tests. */
export const withoutHostile = (text: string): string => text.replace('app: hostile', 'app: idle   ');
