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

/** `paravirt run|check` through the repository's bin, as a user runs it. */
async function paravirt(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(repo, 'apps/runner/bin/paravirt.js'), ...args], { cwd: repo, maxBuffer: 64 << 20 });
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
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
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
});
