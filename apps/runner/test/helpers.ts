/** Runs the CLI in-process, with files in memory and on disk, and captures what it prints. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

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
    writeFile: async (path, text) => {
      files.set(path, text);
    },
    clock: () => 0,
    cwd: here,
  });
  return { code, stdout, stderr, files };
}

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
