/**
 * Every command line the READMEs and docs show runs here exactly as written, through a
 * shell: `pnpm paravirt ...` through the real pnpm and the repository's script (the source
 * bundle of bin/paravirt.cjs), `paravirt ...` through the CLI on PATH, `npm install -g
 * ./apps/runner` into a scratch npm prefix. The first test finds the command lines in the
 * documents and compares them with the list below, so a command added to a document without
 * being run here fails it. (`paravirt sweep` lines: sweep.test.ts; the scaffold's own README:
 * scaffold.test.ts.)
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { repo } from './helpers.js';

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where each command runs: `repo` the clone's root; `workspace` a scratch folder holding `examples/`. */
type Where = 'repo' | 'workspace';

interface Documented {
  readonly line: string;
  readonly where: Where;
  /** Expected exit status (default 0). */
  readonly code?: number;
  /** Something its stdout must contain. */
  readonly stdout?: string | RegExp;
}

const DOCUMENTED: readonly Documented[] = [
  // README.md
  { line: 'pnpm paravirt run --kernel air --arch sparc', where: 'workspace', stdout: '[ticker] TA1' },
  { line: 'pnpm paravirt run --kernel none --arch i386 --app ticker', where: 'workspace', stdout: 'TA1' },
  { line: 'pnpm paravirt run examples/trap-and-emulate.yaml', where: 'workspace' },
  { line: 'pnpm paravirt run examples/hostile.yaml', where: 'workspace' },
  { line: 'pnpm -s paravirt run --json - | jq .partitions[].virq', where: 'workspace', stdout: /^\{\n {2}"raised"/ },
  { line: 'pnpm paravirt run --trace trace.json --report report.html', where: 'workspace' },
  { line: 'pnpm paravirt check examples/air-two-schedules.xml', where: 'workspace', stdout: 'valid ARINC 653 XML' },
  { line: 'pnpm paravirt samples', where: 'workspace', stdout: 'ticker' },
  { line: 'cd examples && pnpm paravirt run demo.yaml', where: 'workspace', stdout: '[base_sp]' },
  { line: 'npm install -g ./apps/runner', where: 'repo' },
  { line: 'paravirt --version', where: 'workspace', stdout: /^paravirt \d+\.\d+\.\d+\n$/ },
  { line: 'npm uninstall -g @paravirt/runner', where: 'repo' },
  { line: 'node --conditions=@paravirt/source --import tsx tooling/paravirt-dev.mts run examples/hostile.yaml', where: 'repo', stdout: '[hostile]' },
  { line: 'paravirt new app blinker', where: 'workspace', stdout: 'wrote blinker/blinker.mjs' },
  { line: 'paravirt run blinker/blinker.yaml', where: 'workspace', stdout: '[blinker] *** END OF BLINKER ***' },
  { line: 'paravirt run blinker/blinker.yaml --kernel air --arch sparc', where: 'workspace', stdout: '[blinker] CONS: received 3, sum 6' },
  { line: 'paravirt run blinker/blinker.yaml --report report.html', where: 'workspace' },
  { line: 'cd blinker && node --test', where: 'workspace', stdout: /# pass [1-9]/ },
  // docs and apps/runner/README.md
  { line: 'paravirt samples', where: 'workspace', stdout: 'hello' },
  { line: 'paravirt check examples/air-two-schedules.xml --kernel pok', where: 'workspace', code: 2 },
  { line: 'paravirt diff --help', where: 'workspace', stdout: 'paravirt diff' },
  { line: 'paravirt new --help', where: 'workspace', stdout: 'paravirt new app' },
  { line: 'paravirt run | head', where: 'workspace', stdout: 'Hello World' },
  { line: 'paravirt run --kernel none --arch sparc --duration 1s --app examples/modules/ported-test.mjs', where: 'workspace', stdout: '*** END OF TEST' },
  { line: 'paravirt run examples/demo.yaml --kernel air --duration 1s --app hello=examples/modules/ported-test.mjs --mute ticker,base_sp', where: 'workspace', stdout: '*** END OF TEST' },
];

const DOCUMENTS = [
  'README.md',
  'apps/runner/README.md',
  ...readdirSync(resolve(repo, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...readdirSync(resolve(repo, 'packages'))
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => existsSync(resolve(repo, path))),
];

const COMMAND = /^(?:cd \S+ && )?(?:pnpm (?:-s )?paravirt|paravirt|npm (?:un)?install -g|node --conditions=@paravirt\/source|node --test)(?:\s|$)/;

/** Usage grammar rather than a command: `[--option]`, `[CONFIG]`, `CONFIG`, `A.json`, `...`, `--help | -h`. */
const isGrammar = (line: string): boolean => /\[(?:--|[A-Z])|\.\.\.|\b[A-Z]{2,}\b|\b[A-Z]\.json\b|\| --?\w/.test(line);

/**
 * Not run here: `paravirt sweep` lines (sweep.test.ts), and the README's fresh-machine lines
 * (`npm install -g pnpm@... && pnpm install --frozen-lockfile && pnpm test`): they are what
 * .ci/run does on a clean clone.
 */
const elsewhere = (line: string): boolean => /\bparavirt sweep\b|pnpm install --frozen-lockfile/.test(line);

/** The command lines of a Markdown document: in code blocks (fenced, indented, `$ ` prompts) and inline code. */
function commandsOf(text: string): string[] {
  const found: string[] = [];
  let fenced = false;
  for (const raw of text.split('\n')) {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    const code = fenced || /^ {4}/.test(raw) ? raw.trim().replace(/^\$ /, '') : undefined;
    // Inline code naming a command without arguments (`paravirt check`, `node --test`) is prose, not a command line.
    const inline = [...raw.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.replace(/\\\|/g, '|')).filter((text) => !/^(?:(?:pnpm (?:-s )?)?paravirt(?: [a-z]+)?|node --test)$/.test(text));
    for (const candidate of code !== undefined ? [code] : inline) {
      const command = candidate.replace(/\s+#\s.*$/, '').trim();
      if (COMMAND.test(command) && !isGrammar(command) && !elsewhere(command)) found.push(command);
    }
  }
  return found;
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/**
 * A scratch folder with `examples/` (a symbolic link: user modules under a linked folder load)
 * and `paravirt` on PATH (the bundled CLI). Inside the
 * clone (under node_modules/.cache) so that pnpm finds the workspace's scripts from it.
 */
function workspace(): string {
  const parent = resolve(repo, 'node_modules/.cache');
  mkdirSync(parent, { recursive: true });
  const folder = mkdtempSync(join(parent, 'paravirt-docs-'));
  folders.push(folder);
  symlinkSync(resolve(repo, 'examples'), join(folder, 'examples'));
  mkdirSync(join(folder, '.bin'));
  const shim = join(folder, '.bin/paravirt');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(inject('runnerBundle'), 'cli/bin.cjs')}" "$@"\n`);
  chmodSync(shim, 0o755);
  return folder;
}

function sh(line: string, cwd: string, path: string, env: Record<string, string> = {}): Promise<Outcome> {
  const child = spawn('sh', ['-c', line], { cwd, env: { ...process.env, PATH: `${path}:${process.env['PATH'] ?? ''}`, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('the documented commands', { timeout: 240_000 }, () => {
  it('are all here: every command line of the READMEs and docs is one this test runs', () => {
    const found = new Set(DOCUMENTS.flatMap((path) => commandsOf(readFileSync(resolve(repo, path), 'utf8'))));
    expect([...found].sort()).toEqual(DOCUMENTED.map((command) => command.line).sort());
  });

  it('run as written', async () => {
    const folder = workspace();
    // `npm install -g` goes to a scratch prefix; its bin folder comes first on PATH.
    const prefix = mkdtempSync(join(tmpdir(), 'paravirt-npm-prefix-'));
    folders.push(prefix);
    const npmEnv = { npm_config_prefix: prefix, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
    for (const command of DOCUMENTED) {
      // `paravirt` is the installed link once `npm install -g ./apps/runner` has run, the test bundle before.
      const installed = existsSync(join(prefix, 'bin/paravirt'));
      const path = installed ? join(prefix, 'bin') : join(folder, '.bin');
      const outcome = await sh(command.line, command.where === 'repo' ? repo : folder, path, npmEnv);
      expect(outcome.code, `${command.line}\n${outcome.stderr}`).toBe(command.code ?? 0);
      expect(outcome.stderr, command.line).not.toMatch(/^\s+at /m);
      if (typeof command.stdout === 'string') expect(outcome.stdout, command.line).toContain(command.stdout);
      else if (command.stdout) expect(outcome.stdout, command.line).toMatch(command.stdout);
      if (command.line === 'npm install -g ./apps/runner') expect(existsSync(join(prefix, 'bin/paravirt'))).toBe(true);
      if (command.line === 'npm uninstall -g @paravirt/runner') expect(existsSync(join(prefix, 'bin/paravirt'))).toBe(false);
    }
    // The files the README's commands write landed in the folder they were typed in.
    expect(existsSync(join(folder, 'trace.json'))).toBe(true);
    expect(existsSync(join(folder, 'report.html'))).toBe(true);
  });
});
