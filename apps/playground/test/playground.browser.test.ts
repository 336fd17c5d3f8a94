/**
 * The playground in a real browser: Debian's Chromium driven by playwright-core. The app is
 * built with Vite into a temporary folder and served by a tiny static server on 127.0.0.1;
 * every request to anything else fails the test (the page must need no network at run
 * time), as does any console error. The consoles and the JSON summary of a run in the page
 * are compared byte for byte with the CLI's (`paravirt run ... --json -`) for the same
 * config, kernel, arch, duration and seed; an error typed into the editor must show at its
 * line with `paravirt check`'s message; a share link must reproduce the run. Screenshots go
 * to .ci/out/screenshots/playground-*.png (a CI artifact).
 *
 * Without /usr/bin/chromium the tests are skipped, but not in CI (CI is set): there they fail.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO } from '@paravirt/compose';
import { guardPage, launchChromium, screenshotFolder, skipBrowserTests } from '../../../tooling/chromium.js';
import type { PlaygroundHook } from '../src/main.js';

const app = resolve(import.meta.dirname, '..');
const repo = resolve(app, '../..');
const screenshots = screenshotFolder();
const run = promisify(execFile);

declare global {
  interface Window {
    paravirtPlayground: PlaygroundHook;
  }
}

interface CliSummary {
  readonly partitions: ReadonlyArray<{ readonly name: string; readonly console: string }>;
}

/** `paravirt run|check` through the repository's bin, as a user runs it (from the repository's root, or `cwd`). */
async function paravirt(args: readonly string[], cwd = repo): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(repo, 'apps/runner/bin/paravirt.cjs'), ...args], { cwd, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The JSON summary without wallTimeMs, the one field that differs between two runs. */
const withoutWallTime = (json: string): string => json.replace(/"wallTimeMs": \d+/, '"wallTimeMs": 0');

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

describe.skipIf(skipBrowserTests('playground.browser.test.ts'))('the playground in Chromium', () => {
  let browser: Browser;
  let folder: string;
  let server: Server;
  let origin: string;
  const guards: Array<{ readonly blocked: string[]; readonly errors: string[] }> = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'paravirt-playground-'));
    await build({ root: app, configFile: join(app, 'vite.config.ts'), logLevel: 'warn', build: { outDir: folder, emptyOutDir: true } });
    server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const file = normalize(join(folder, path === '/' ? 'index.html' : path));
      if (!file.startsWith(folder) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      // Cross-origin isolated, as the dev server is: the page names a hung module's partition and thread.
      response
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' })
        .end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    if (folder) rmSync(folder, { recursive: true, force: true });
    // Whatever a test did, the pages asked nothing of any other host and logged no error.
    expect(guards.flatMap((guard) => guard.blocked)).toEqual([]);
    expect(guards.flatMap((guard) => guard.errors)).toEqual([]);
  });

  /** Opens the page (from the server, or `fromFile`: dist/index.html from file://) and waits for its first check. */
  async function open(hash = '', fromFile = false): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const home = fromFile ? pathToFileURL(folder).href : origin;
    const guard = await guardPage(page, (url) => url.startsWith(`${home}/`) || url.startsWith('blob:') || url.startsWith('data:'));
    guards.push(guard);
    await page.goto(fromFile ? `${home}/index.html${hash}` : `${origin}/${hash}`);
    await page.waitForFunction(() => window.paravirtPlayground?.checks > 0);
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `playground-${name}.png`), fullPage: true });
  const hook = <K extends keyof PlaygroundHook>(page: Page, key: K) => page.evaluate((name) => window.paravirtPlayground[name], key) as Promise<PlaygroundHook[K]>;

  /** Clicks Run once the config checks, waits for the end; returns each partition's console and the JSON summary. */
  async function runInPage(page: Page): Promise<{ consoles: Record<string, string>; summaryJson: string }> {
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.locator('#run').click();
    await page.waitForFunction(() => window.paravirtPlayground.phase === 'done' || window.paravirtPlayground.phase === 'failed', undefined, { timeout: 170_000 });
    expect(await hook(page, 'failure')).toBeUndefined();
    return { consoles: await hook(page, 'consoles'), summaryJson: (await hook(page, 'summaryJson'))! };
  }

  async function expectSameAsCli(result: { consoles: Record<string, string>; summaryJson: string }, cliArgs: readonly string[]): Promise<void> {
    const cli = await paravirt(['run', ...cliArgs, '--json', '-']);
    expect(cli.code, cli.stderr).toBe(0);
    const summary = JSON.parse(cli.stdout) as CliSummary;
    expect(Object.keys(result.consoles)).toEqual(summary.partitions.map((partition) => partition.name));
    expect(summary.partitions.some((partition) => partition.console.length > 0)).toBe(true);
    for (const partition of summary.partitions) {
      expect(result.consoles[partition.name], partition.name).toBe(partition.console);
    }
    expect(withoutWallTime(result.summaryJson)).toBe(withoutWallTime(cli.stdout));
  }

  let shared: { url: string; consoles: Record<string, string> } | undefined;

  it('runs the default demo for 10 s: the same consoles and JSON summary as paravirt run, byte for byte; the timeline and histograms are drawn', async () => {
    const page = await open();
    expect(await page.evaluate(() => window.paravirtPlayground.text())).toBe(DEFAULT_DEMO);
    await shot(page, 'loaded');
    await page.locator('#duration').fill('10s');
    const result = await runInPage(page);
    await expectSameAsCli(result, ['--duration', '10s']);
    // The report viewer drew something, the summary table is there.
    expect(await page.locator('#timeline canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#histograms figure, #histograms .pv-histogram').count()).toBeGreaterThan(0);
    expect(await page.locator('#summary-table').textContent()).toContain('base_sp');
    await shot(page, 'demo-run');
    await page.close();
  }, 240_000);

  it('an error typed into the editor is shown at its line with the message paravirt check prints, and Run is disabled', async () => {
    const page = await open();
    const line = DEFAULT_DEMO.split('\n').findIndex((text) => text.includes('majorFrame: 100ms')) + 1;
    // Type it: to the end of the majorFrame line, remove "ms", write " furlongs".
    await page.locator('.cm-line', { hasText: 'majorFrame: 100ms' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(' furlongs');
    await page.waitForFunction(() => window.paravirtPlayground.diagnostics().some((diagnostic) => diagnostic.severity === 'error'));
    const diagnostics = await page.evaluate(() => window.paravirtPlayground.diagnostics());
    const text = await page.evaluate(() => window.paravirtPlayground.text());
    expect(text).toContain('majorFrame: 100 furlongs');

    const file = join(folder, 'furlongs.yaml');
    writeFileSync(file, text);
    const check = await paravirt(['check', file]);
    expect(check.code).toBe(2);
    const cliErrors = check.stderr.split('\n').filter((entry) => entry.startsWith('error: '));
    expect(cliErrors.length).toBeGreaterThan(0);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => `error: ${diagnostic.message}`)).toEqual(cliErrors);
    expect(diagnostics[0]!.line).toBe(line);
    expect(await page.locator('#run').isDisabled()).toBe(true);
    // The gutter marks the line too.
    await expect.poll(() => page.locator('.cm-lint-marker-error').count()).toBeGreaterThan(0);
    // Hovering the marked text shows the message.
    await page.locator('.cm-lintRange-error').first().hover();
    await expect.poll(() => page.locator('.cm-tooltip-lint').textContent()).toContain(diagnostics[0]!.message);
    await shot(page, 'error');
    await page.close();
  }, 120_000);

  it('a run with other choices (air, sparc, seed 7, 2 s, hello=base_sp) matches the CLI, and its link reproduces it in a new page', async () => {
    const page = await open();
    await page.locator('#kernel').selectOption('air');
    await page.locator('#arch').selectOption('sparc');
    await page.locator('#seed').fill('7');
    await page.locator('#duration').fill('2s');
    await page.locator('#apps').fill('hello=base_sp');
    const first = await runInPage(page);
    await expectSameAsCli(first, ['--kernel', 'air', '--arch', 'sparc', '--seed', '7', '--duration', '2s', '--app', 'hello=base_sp']);
    const url = page.url();
    expect(url).toMatch(/#run=[A-Za-z0-9_-]+$/);
    shared = { url, consoles: first.consoles };
    await page.close();

    const again = await open(new URL(url).hash);
    expect(await again.locator('#kernel').inputValue()).toBe('air');
    expect(await again.locator('#arch').inputValue()).toBe('sparc');
    expect(await again.locator('#seed').inputValue()).toBe('7');
    expect(await again.locator('#duration').inputValue()).toBe('2s');
    expect(await again.locator('#apps').inputValue()).toBe('hello=base_sp');
    expect(await again.evaluate(() => window.paravirtPlayground.text())).toBe(DEFAULT_DEMO);
    const second = await runInPage(again);
    expect(second.consoles).toEqual(shared.consoles);
    expect(withoutWallTime(second.summaryJson)).toBe(withoutWallTime(first.summaryJson));
    await shot(again, 'shared-run');
    await again.close();
  }, 240_000);

  it('works from file:// too (dist/index.html opened as a file): the same consoles, and the same Chrome trace as paravirt run --trace', async () => {
    const page = await open('', true);
    await page.locator('#duration').fill('1s');
    await page.locator('#trace').check();
    const result = await runInPage(page);
    await expectSameAsCli(result, ['--duration', '1s']);
    const trace = await hook(page, 'trace');
    const cli = await paravirt(['run', '--duration', '1s', '--quiet', '--trace', '-']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(trace!.length).toBeGreaterThan(1000);
    expect(trace).toBe(cli.stdout);
    await page.close();
  }, 120_000);

  it('an example from the picker with Apps (as --app) runs as the CLI runs the file; bare metal too', async () => {
    const page = await open();
    await page.locator('#example').selectOption('examples/pok/config.yaml');
    await page.locator('#apps').fill('pr1=ticker pr2=hello');
    await page.locator('#duration').fill('1s');
    const pok = await runInPage(page);
    await expectSameAsCli(pok, ['examples/pok/config.yaml', '--app', 'pr1=ticker', '--app', 'pr2=hello', '--duration', '1s']);
    await shot(page, 'pok-example');

    await page.locator('#example').selectOption('examples/demo.yaml');
    await page.locator('#kernel').selectOption('none');
    await page.locator('#arch').selectOption('sparc');
    await page.locator('#apps').fill('base_sp');
    const bare = await runInPage(page);
    await expectSameAsCli(bare, ['examples/demo.yaml', '--kernel', 'none', '--arch', 'sparc', '--app', 'base_sp', '--duration', '1s']);
    await page.close();
  }, 120_000);

  it('Stop ends a long run early: the outputs cover what ran', async () => {
    const page = await open();
    await page.locator('#duration').fill('1h');
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.locator('#run').click();
    await page.waitForFunction(() => Number((document.getElementById('progress') as HTMLProgressElement).value) > 0);
    await page.locator('#stop').click();
    await page.waitForFunction(() => window.paravirtPlayground.phase === 'done', undefined, { timeout: 30_000 });
    const summary = JSON.parse((await hook(page, 'summaryJson'))!) as { interrupted: boolean; virtualTimeNs: number };
    expect(summary.interrupted).toBe(true);
    expect(summary.virtualTimeNs).toBeLessThan(3600e9);
    await page.close();
  }, 120_000);

  /** Adds a module to the Modules area, as a user pastes one. */
  async function pasteModule(page: Page, name: string, source: string): Promise<void> {
    await page.locator('#add-module').click();
    const module = page.locator('#modules .module').last();
    await module.locator('.module-name').fill(name);
    await module.locator('.module-source').fill(source);
  }

  /** The check's errors once the page shows an answer to what `change` typed. */
  async function checkErrors(page: Page, change: () => Promise<unknown>): Promise<string[]> {
    const before = await hook(page, 'checks');
    await change();
    await page.waitForFunction((count) => window.paravirtPlayground.checks > count, before);
    // Answers to earlier keystrokes may come first: wait for the last one.
    await page.waitForTimeout(400);
    return (await hook(page, 'checkErrors')).map((error) => `error: ${error.path}: ${error.message}`);
  }

  it('a pasted user module (examples/modules/ported-test.mjs) runs as the CLI runs it: the same consoles; the link carries it', async () => {
    const page = await open();
    await pasteModule(page, 'ported-test.mjs', readFileSync(join(repo, 'examples/modules/ported-test.mjs'), 'utf8'));
    await page.locator('#example').selectOption('examples/demo.yaml');
    await page.locator('#kernel').selectOption('air');
    await page.locator('#duration').fill('1s');
    await page.locator('#apps').fill('hello=./ported-test.mjs');
    const result = await runInPage(page);
    const cli = await paravirt(['run', 'examples/demo.yaml', '--kernel', 'air', '--duration', '1s', '--app', 'hello=examples/modules/ported-test.mjs', '--json', '-']);
    expect(cli.code, cli.stderr).toBe(0);
    const summary = JSON.parse(cli.stdout) as CliSummary;
    const hello = summary.partitions.find((partition) => partition.name === 'hello')!;
    expect(hello.console).toContain('*** END OF TEST PORTED ***');
    expect(result.consoles['hello']).toBe(hello.console);
    for (const partition of summary.partitions) expect(result.consoles[partition.name], partition.name).toBe(partition.console);
    await shot(page, 'user-module');
    // The link holds the module: a new page has it, and runs the same.
    const url = page.url();
    await page.close();
    const again = await open(new URL(url).hash);
    expect(await again.evaluate(() => window.paravirtPlayground.modules())).toEqual([{ name: 'ported-test.mjs', source: readFileSync(join(repo, 'examples/modules/ported-test.mjs'), 'utf8') }]);
    expect((await runInPage(again)).consoles).toEqual(result.consoles);
    await again.close();
  }, 240_000);

  it("names a module as the CLI does: a missing one, one that exports no application, one that imports another package give paravirt check's errors", async () => {
    const page = await open();
    await page.locator('#kernel').selectOption('air');
    const missing = await paravirt(['check', 'examples/demo.yaml', '--kernel', 'air', '--app', 'hello=./nope.mjs']);
    expect(missing.code).toBe(2);
    expect(await checkErrors(page, () => page.locator('#apps').fill('hello=./nope.mjs'))).toEqual(missing.stderr.split('\n').filter((line) => line.startsWith('error: ')));

    const folder = mkdtempSync(join(tmpdir(), 'paravirt-modules-'));
    try {
      writeFileSync(join(folder, 'noexport.mjs'), 'export const x = 1;\n');
      writeFileSync(join(folder, 'demo.yaml'), DEFAULT_DEMO);
      await pasteModule(page, 'noexport.mjs', 'export const x = 1;\n');
      const noExport = await paravirt(['check', 'demo.yaml', '--kernel', 'air', '--app', 'hello=./noexport.mjs'], folder);
      expect(noExport.code).toBe(3);
      expect(await checkErrors(page, () => page.locator('#apps').fill('hello=./noexport.mjs'))).toEqual(noExport.stderr.split('\n').filter((line) => line.startsWith('error: ')));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    await pasteModule(page, 'lodash.mjs', "import _ from 'lodash';\nexport default _;\n");
    expect((await checkErrors(page, () => page.locator('#apps').fill('hello=lodash.mjs')))[0]).toContain('error: --app hello=lodash.mjs: cannot load lodash.mjs: Error: lodash is not available');
    await page.close();
  }, 120_000);

  it('a module whose task never yields (for (;;) {}) is reported as not responding, its worker replaced: the page still runs the demo after', async () => {
    const page = await open();
    await pasteModule(
      page,
      'loop.mjs',
      [
        "import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_DEFAULT_MODES, RTEMS_MINIMUM_STACK_SIZE } from '@paravirt/cpukit';",
        'export default {',
        "  name: 'loop',",
        "  description: 'a task that never yields',",
        '  configuration: { maximumTasks: 2 },',
        '  *init(rtems) {',
        "    const task = rtems.taskCreate(rtems.buildName('L', 'O', 'O', 'P'), 1, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);",
        "    yield* rtems.taskStart(task.id, function* () { rtems.printf('looping\\n'); for (;;) {} }, 0);",
        '    yield* rtems.taskWakeAfter(10);',
        '  },',
        '};',
        '',
      ].join('\n'),
    );
    await page.locator('#apps').fill('hello=./loop.mjs');
    await page.locator('#duration').fill('10s');
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.locator('#run').click();
    await page.waitForFunction(() => window.paravirtPlayground.phase === 'failed', undefined, { timeout: 30_000 });
    const failure = (await hook(page, 'failure'))!;
    expect(failure).toMatch(/^--app hello=\.\/loop\.mjs: the module stopped responding \(thread "LOOP" of partition hello\): no progress for \d+ s of wall time, at [\d.]+ s of virtual time/);
    expect(await page.locator('#status').textContent()).toContain('the module stopped responding');
    expect(await hook(page, 'restarts')).toBe(1);
    await shot(page, 'module-hung');

    // The page works on: the default demo runs in the fresh worker, as the CLI runs it.
    await page.locator('#apps').fill('');
    await page.locator('#duration').fill('1s');
    await page.locator('#example').selectOption('default-demo');
    const result = await runInPage(page);
    await expectSameAsCli(result, ['--duration', '1s']);
    await page.close();
  }, 120_000);

  it('a module that loops at its top level fails its check, not the page; Stop ends a run stuck in a task; a task that throws shows its error as the CLI does', async () => {
    const page = await open();
    await page.locator('#kernel').selectOption('air');
    await pasteModule(page, 'toploop.mjs', 'for (;;) {}\nexport default {};\n');
    const errors = await checkErrors(page, () => page.locator('#apps').fill('hello=./toploop.mjs'));
    expect(errors).toEqual(['error: --app hello=./toploop.mjs: ./toploop.mjs did not finish loading within 4 s of wall time (an endless loop at its top level?)']);
    expect(await hook(page, 'restarts')).toBe(1);

    // Stop a run whose task never yields: the worker is ended, not waited for.
    await pasteModule(page, 'loop.mjs', "export default { name: 'loop', description: 'never yields', *init(rtems) { rtems.printf('looping\\n'); for (;;) {} } };\n");
    await page.locator('#apps').fill('hello=./loop.mjs');
    await page.locator('#duration').fill('10s');
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.locator('#run').click();
    await page.waitForFunction(() => window.paravirtPlayground.phase === 'running');
    await page.waitForTimeout(300);
    await page.locator('#stop').click();
    await page.waitForFunction(() => window.paravirtPlayground.phase === 'failed', undefined, { timeout: 10_000 });
    expect(await hook(page, 'failure')).toMatch(/^--app hello=\.\/loop\.mjs: the module stopped responding \((thread "[^"]*" of )?partition hello\): did not answer Stop/);
    expect(await hook(page, 'restarts')).toBe(2);

    // A task that throws: the executive's fatal error, with the module's line, in the summary as paravirt run prints it.
    const thrower = ["export default { name: 'thrower', description: 'throws', *init(rtems) {", "  rtems.printf('about to throw\\n');", '  yield* rtems.taskWakeAfter(1);', "  throw new RangeError('boom from a task');", '} };', ''].join('\n');
    await pasteModule(page, 'thrower.mjs', thrower);
    await page.locator('#apps').fill('hello=./thrower.mjs');
    await page.locator('#duration').fill('1s');
    const result = await runInPage(page);
    const folder = mkdtempSync(join(tmpdir(), 'paravirt-modules-'));
    try {
      writeFileSync(join(folder, 'thrower.mjs'), thrower);
      writeFileSync(join(folder, 'demo.yaml'), DEFAULT_DEMO);
      const cli = await paravirt(['run', 'demo.yaml', '--kernel', 'air', '--duration', '1s', '--app', 'hello=./thrower.mjs'], folder);
      expect(cli.code, cli.stderr).toBe(0);
      const line = cli.stdout.split('\n').find((text) => text.startsWith('hello: HM '))!;
      expect(line).toContain('RangeError: boom from a task (at ./thrower.mjs:4:9)');
      // The same line, location included (Chromium's `stack` is the engine's own accessor, which thrownStack reads).
      expect(await page.locator('#summary-table').textContent()).toContain(line);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(result.consoles['hello']).toBe('about to throw\n');
    await page.close();
  }, 120_000);
});
