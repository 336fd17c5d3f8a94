/**
 * `paravirt new app NAME` (src/cli/scaffold.ts): the files it writes run as their README
 * says - through the real CLI, in the generated folder and from its parent, bare metal,
 * under check, and through the generated node:test test - and bad input is one error line,
 * exit 2, with nothing written.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli } from './helpers.js';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'paravirt-new-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const bin = (): string => join(inject('runnerBundle'), 'cli/bin.cjs');

/** The bundled CLI (or another command: `node --test`) in `cwd`. */
async function spawned(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, stdout, stderr };
}
const paravirt = (args: readonly string[], cwd: string) => spawned(process.execPath, [bin(), ...args], cwd);

const CONSOLE = `*** BEGIN OF PING_PONG-1 ***
PROD: sends 1
CONS: received 1, sum 1
PROD: sends 2
CONS: received 2, sum 3
PROD: sends 3
CONS: received 3, sum 6
*** END OF PING_PONG-1 ***
`;

interface Summary {
  readonly partitions: ReadonlyArray<{ readonly name: string; readonly console: string; readonly hmEventCount: number }>;
}
const consoleOf = (summary: Summary, name: string): string | undefined => summary.partitions.find((partition) => partition.name === name)?.console;

describe.concurrent('paravirt new app', { timeout: 120_000 }, () => {
  it.each(['js', 'ts'] as const)('writes a %s application that runs as its README says', async (lang) => {
    const dir = join(folder, `app-${lang}`);
    const made = await cli(['new', 'app', 'ping_pong-1', '--dir', dir, ...(lang === 'ts' ? ['--lang', 'ts'] : [])]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const module = `ping_pong-1.${lang === 'ts' ? 'ts' : 'mjs'}`;
    expect(readdirSync(dir).sort()).toEqual(['README.md', module, 'ping_pong-1.test.mjs', 'ping_pong-1.yaml'].sort());
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(CONSOLE);
    expect(readme).toContain('paravirt run ping_pong-1.yaml ');
    expect(readme).toContain(`paravirt run --kernel none --app ./${module}`);
    expect(readme).toContain(`paravirt run app-${lang}/ping_pong-1.yaml\n`);
    expect(readme).toContain(`paravirt run app-${lang}/ping_pong-1.yaml --app ping_pong-1=./app-${lang}/${module}`);

    // In the folder: the config as written.
    const ran = await paravirt(['run', 'ping_pong-1.yaml', '--json', '-'], dir);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const summary = JSON.parse(ran.stdout) as Summary;
    expect(consoleOf(summary, 'ping_pong-1')).toBe(CONSOLE);
    expect(consoleOf(summary, 'hello')).toContain('Hello World');
    expect(summary.partitions.map((partition) => partition.hmEventCount)).toEqual([0, 0]);

    const checked = await paravirt(['check', 'ping_pong-1.yaml'], dir);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('ping_pong-1.yaml: valid module configuration for pok/i386, 2 partition(s)');

    // From the parent, as the README says: the config's module path is relative to the config's folder...
    const viaConfig = await paravirt(['run', `app-${lang}/ping_pong-1.yaml`, '--json', '-'], folder);
    expect(viaConfig.stderr).toBe('');
    expect(consoleOf(JSON.parse(viaConfig.stdout) as Summary, 'ping_pong-1')).toBe(CONSOLE);
    // ... and an --app path relative to the folder paravirt runs in.
    const fromParent = await paravirt(['run', `app-${lang}/ping_pong-1.yaml`, '--app', `ping_pong-1=./app-${lang}/${module}`, '--json', '-'], folder);
    expect(fromParent.stderr).toBe('');
    expect(consoleOf(JSON.parse(fromParent.stdout) as Summary, 'ping_pong-1')).toBe(CONSOLE);

    // Bare metal.
    const bare = await paravirt(['run', '--kernel', 'none', '--app', `./${module}`, '--duration', '2s', '--json', '-'], dir);
    expect(bare.stderr).toBe('');
    expect(bare.code).toBe(0);
    expect((JSON.parse(bare.stdout) as Summary).partitions[0]!.console).toBe(CONSOLE);
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('writes a node:test test that passes with PARAVIRT naming the CLI, and fails without a CLI', async () => {
    const dir = join(folder, 'tested');
    expect((await cli(['new', 'app', 'tested', '--dir', dir])).code).toBe(0);
    const passed = await spawned(process.execPath, ['--test'], dir, { PARAVIRT: bin() });
    expect(passed.stdout + passed.stderr).toMatch(/# pass 2\n/);
    expect(passed.code).toBe(0);
    const missing = await spawned(process.execPath, ['--test'], dir, { PARAVIRT: join(folder, 'no-such-paravirt') });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('put paravirt on PATH or set PARAVIRT');
  });

  it('names the neighbour partition otherwise when the application is called hello', async () => {
    const dir = join(folder, 'hello');
    expect((await cli(['new', 'app', 'hello', '--dir', dir])).code).toBe(0);
    const ran = await paravirt(['run', 'hello.yaml', '--json', '-'], dir);
    expect(ran.code, ran.stderr).toBe(0);
    expect((JSON.parse(ran.stdout) as Summary).partitions.map((partition) => partition.name)).toEqual(['hello', 'neighbour']);
  });

  it('is in the usage, with its own --help', async () => {
    expect((await cli(['--help'])).stdout).toContain('paravirt new app NAME [--dir DIR] [--lang js|ts]');
    for (const args of [['new', '--help'], ['new', 'app', '--help']]) {
      const help = await cli(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage:\n {2}paravirt new app NAME/);
    }
  });

  it.each([
    [['new'], 'error: new: needs what to make: paravirt new app NAME'],
    [['new', 'lib', 'x'], 'error: lib: unknown thing to make (new makes: app)'],
    [['new', 'app'], 'error: new app: needs a NAME: paravirt new app NAME'],
    [['new', 'app', '1abc'], 'error: new app: "1abc" is not a valid NAME (letters, digits, - and _, starting with a letter, at most 64 characters)'],
    [['new', 'app', 'a.b'], 'error: new app: "a.b" is not a valid NAME (letters, digits, - and _, starting with a letter, at most 64 characters)'],
    [['new', 'app', '../x'], 'error: new app: "../x" is not a valid NAME (letters, digits, - and _, starting with a letter, at most 64 characters)'],
    [['new', 'app', 'a', 'b'], 'error: b: only one NAME may be given (already have a)'],
    [['new', 'app', 'a', '--force'], 'error: --force: unknown option (new app takes --dir, --lang)'],
    [['new', 'app', 'a', '--lang', 'py'], 'error: --lang: must be js or ts, got "py"'],
    [['new', 'app', 'a', '--dir'], 'error: --dir: needs a value'],
    [['new', 'app', 'a', '--dir', '/proc/version/a'], 'error: /proc/version/a: cannot write (a part of the path is not a directory)'],
    [['new', 'app', 'a', '--dir', '/dev/null'], 'error: /dev/null: exists and is not a folder'],
  ])('refuses %j', async (args, line) => {
    const { code, stdout, stderr } = await cli(args);
    expect(stderr).toBe(`${line}\n`);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it('never overwrites: a folder that is not empty is refused and left as it was', async () => {
    const dir = join(folder, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'taken.yaml'), 'mine\n');
    const { code, stderr } = await cli(['new', 'app', 'taken', '--dir', dir]);
    expect(stderr).toBe(`error: ${dir}: exists and is not empty (paravirt new never overwrites files; choose another --dir)\n`);
    expect(code).toBe(2);
    expect(readdirSync(dir)).toEqual(['taken.yaml']);
    expect(readFileSync(join(dir, 'taken.yaml'), 'utf8')).toBe('mine\n');
  });

  it('an existing empty folder is used; one it cannot write is refused', async () => {
    const dir = join(folder, 'empty');
    mkdirSync(dir);
    expect((await cli(['new', 'app', 'empty', '--dir', dir])).code).toBe(0);
    expect(readdirSync(dir)).toHaveLength(4);
    // Root writes anywhere: the permission case needs another user.
    if (process.getuid?.() === 0) return;
    const locked = join(folder, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const { code, stderr } = await cli(['new', 'app', 'locked', '--dir', locked]);
    expect(stderr).toBe(`error: ${locked}: cannot write (permission denied)\n`);
    expect(code).toBe(2);
  });
});
