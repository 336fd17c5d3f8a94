/**
 * The interactive report (`--report FILE`) in a real browser: Debian's Chromium driven by
 * playwright-core. Reports made through the CLI (in-process, and once through the bundled
 * bin) are opened from file://; every request that is not for a file fails the test, as
 * does any console error. The checks go through the page's test hook
 * (window.paravirtReport): what range is shown and how many items of each kind the last
 * paint drew, so no pixel is compared. Screenshots go to .ci/out/screenshots/ (a CI
 * artifact).
 *
 * Without /usr/bin/chromium the tests are skipped, but not in CI (CI is set): there they fail.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Summary } from '@paravirt/compose';
import { guardPage, launchChromium, screenshotFolder, skipBrowserTests } from '../../../tooling/chromium.js';
import { cli, repo } from './helpers.js';

const screenshots = screenshotFolder();

interface Hook {
  visibleRange(): { start: number; end: number };
  runRange(): { start: number; end: number };
  drawnCounts(): Record<string, number>;
  zoomTo(start: number, end: number): void;
  find(kind: string, after: number): number;
}
declare global {
  interface Window {
    paravirtReport: Hook;
  }
}

interface Opened {
  readonly page: Page;
  /** Requests for anything but a file, and console errors / uncaught exceptions. */
  readonly blocked: string[];
  readonly errors: string[];
}

describe.skipIf(skipBrowserTests('report.browser.test.ts'))('the --report page in Chromium', () => {
  let browser: Browser;
  let folder: string;
  const opened: Opened[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    folder = mkdtempSync(join(tmpdir(), 'paravirt-report-'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
    // Whatever a test did, the pages asked for nothing outside their file and logged no error.
    for (const { blocked, errors } of opened) {
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
    }
  });

  /** Runs the CLI in-process with `args` plus --report and --json; returns the page's path and the summary. */
  async function report(name: string, args: readonly string[]): Promise<{ file: string; summary: Summary }> {
    const result = await cli(['run', ...args, '--quiet', '--report', 'report.html', '--json', 'summary.json']);
    expect(result.code, result.stderr).toBe(0);
    const file = join(folder, `${name}.html`);
    writeFileSync(file, result.files.get('report.html')!);
    return { file, summary: JSON.parse(result.files.get('summary.json')!) as Summary };
  }

  async function open(file: string): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const { blocked, errors } = await guardPage(page, (url) => url.startsWith('file:'));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => window.paravirtReport !== undefined);
    const result = { page, blocked, errors };
    opened.push(result);
    return result;
  }

  const range = (page: Page) => page.evaluate(() => window.paravirtReport.visibleRange());
  const counts = (page: Page) => page.evaluate(() => window.paravirtReport.drawnCounts());
  const zoomTo = (page: Page, start: number, end: number) => page.evaluate(([from, to]) => window.paravirtReport.zoomTo(from!, to!), [start, end]);
  const find = (page: Page, kind: string, after: number) => page.evaluate(([what, from]) => window.paravirtReport.find(what, from), [kind, after] as const);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: name.endsWith('-page') });

  it('the default demo: the whole run at first; zoomed to 100 us it draws single hypercalls; it pans and zooms by wheel, drag, keys and buttons', async () => {
    const { file, summary } = await report('demo', ['--duration', '10s']);
    const { page, blocked, errors } = await open(file);
    expect(await page.evaluate(() => window.paravirtReport.runRange())).toEqual({ start: 0, end: summary.virtualTimeNs });
    expect(await range(page)).toEqual({ start: 0, end: summary.virtualTimeNs });
    const whole = await counts(page);
    expect(whole['windows']).toBeGreaterThan(0);
    expect(whole['threads']).toBeGreaterThan(0);
    expect(whole['virq']).toBeGreaterThan(0);
    await shot(page, 'demo-page');

    // 100 us around a hypercall 5 s in: its tick is drawn.
    const call = await find(page, 'hypercalls', 5e9);
    expect(call).toBeGreaterThan(5e9);
    await zoomTo(page, call - 50_000, call + 50_000);
    expect(await range(page)).toEqual({ start: call - 50_000, end: call + 50_000 });
    expect((await counts(page))['hypercalls']).toBeGreaterThanOrEqual(1);
    await shot(page, 'demo-100us');

    // Keys: right arrow pans a quarter of the view; + and - zoom around its middle.
    const canvas = page.locator('#timeline canvas');
    await page.locator('#timeline .pv-frame').focus();
    await page.keyboard.press('ArrowRight');
    expect(await range(page)).toEqual({ start: call - 50_000 + 25_000, end: call + 50_000 + 25_000 });
    await page.keyboard.press('-');
    let shown = await range(page);
    expect(shown.end - shown.start).toBe(200_000);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    shown = await range(page);
    expect(shown.end - shown.start).toBe(50_000);

    // Drag to the right by 300 px: earlier times come into view, the span stays.
    const box = (await canvas.boundingBox())!;
    const before = await range(page);
    await page.mouse.move(box.x + 700, box.y + 60);
    await page.mouse.down();
    await page.mouse.move(box.x + 1000, box.y + 60, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    const dragged = await range(page);
    expect(dragged.start).toBeLessThan(before.start);
    expect(dragged.end - dragged.start).toBeCloseTo(before.end - before.start, 3);

    // The wheel zooms out around the pointer; the buttons fit the whole run again.
    await page.mouse.move(box.x + 700, box.y + 60);
    await page.mouse.wheel(0, 500);
    await page.waitForTimeout(100);
    const wheeled = await range(page);
    expect(wheeled.end - wheeled.start).toBeGreaterThan(dragged.end - dragged.start);
    await page.getByRole('button', { name: 'Fit whole run' }).click();
    await page.waitForTimeout(100);
    expect(await range(page)).toEqual({ start: 0, end: summary.virtualTimeNs });

    // A histogram with axes per vIRQ line of each partition that took one.
    const lines = summary.partitions.flatMap((partition) => partition.virq.lines.filter((line) => line.delivered > 0).map((line) => `${partition.name}/${line.line}`));
    expect(lines.length).toBeGreaterThan(0);
    const figures = await page.locator('figure.pv-histogram').evaluateAll((elements) =>
      elements.map((element) => ({ line: `${element.getAttribute('data-partition') ?? ''}/${element.getAttribute('data-line') ?? ''}`, caption: element.querySelector('figcaption')!.textContent, bars: element.querySelectorAll('rect.pv-bar').length, labels: element.querySelectorAll('text').length })),
    );
    expect(figures.map((figure) => figure.line).sort()).toEqual([...lines].sort());
    for (const figure of figures) {
      expect(figure.caption).toMatch(/deliveries; p50 .+, p90 .+, p99 .+, max .+/);
      expect(figure.bars).toBeGreaterThan(0);
      expect(figure.labels).toBeGreaterThan(6);
    }
    await page.locator('#histograms').screenshot({ path: join(screenshots, 'demo-histograms.png') });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('modeswitch (bundled CLI): the schedule switch at 2.1 s is drawn over the whole run and in its frame, not before it', async () => {
    const file = join(folder, 'modeswitch.html');
    const json = join(folder, 'modeswitch.json');
    await promisify(execFile)(process.execPath, [join(inject('runnerBundle'), 'cli/bin.cjs'), 'run', resolve(repo, 'examples/modeswitch.yaml'), '--quiet', '--report', file, '--json', json], { cwd: folder });
    const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary;
    expect(summary.schedule.switches.map((change) => change.timeNs)).toEqual([2.1e9]);
    const { page, blocked, errors } = await open(file);
    expect(await range(page)).toEqual({ start: 0, end: summary.virtualTimeNs });
    expect((await counts(page))['switches']).toBe(1);
    expect(await find(page, 'marks', 2e9)).toBeLessThanOrEqual(2.1e9);
    await shot(page, 'modeswitch-page');
    await zoomTo(page, 2.0e9, 2.3e9);
    expect((await counts(page))['switches']).toBe(1);
    expect((await counts(page))['windows']).toBeGreaterThan(0);
    await shot(page, 'modeswitch-switch');
    await zoomTo(page, 0, 2.0e9);
    expect((await counts(page))['switches']).toBe(0);
    // A schedule's windows each get a row of the CPU use table.
    expect(await page.locator('#cpu-use tbody tr').count()).toBe(4);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('deadlines: a row per HM event in the table, a mark per event on the timeline; a row click shows its event', async () => {
    const { file, summary } = await report('deadlines', [resolve(repo, 'examples/deadlines.yaml')]);
    const events = summary.partitions.flatMap((partition) => partition.hmEvents);
    expect(events.length).toBeGreaterThan(0);
    const { page, blocked, errors } = await open(file);
    const rows = page.locator('#hm-events tbody tr');
    expect(await rows.count()).toBe(events.length);
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      (events[0]!.timeNs / 1e9).toFixed(6),
      summary.partitions.find((partition) => partition.hmEvents.length > 0)!.name,
      events[0]!.error,
      events[0]!.level,
      events[0]!.action,
      events[0]!.detail,
    ]);
    expect((await counts(page))['hm']).toBeGreaterThan(0);
    await rows.nth(1).click();
    const shown = await range(page);
    expect(shown.start).toBeLessThanOrEqual(events[1]!.timeNs);
    expect(shown.end).toBeGreaterThanOrEqual(events[1]!.timeNs);
    expect(shown.end - shown.start).toBe(1_000_000);
    expect((await counts(page))['hm']).toBeGreaterThanOrEqual(1);
    await shot(page, 'deadlines-hm');
    await page.locator('#hm-events').screenshot({ path: join(screenshots, 'deadlines-table.png') });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
