/**
 * What the browser tests share (apps/runner/test/report.browser.test.ts,
 * apps/playground/test/playground.browser.test.ts): Debian's Chromium driven by
 * playwright-core (never a downloaded browser; .ci/run installs the package), skipped
 * without it except in CI, where its absence fails; screenshots into .ci/out/screenshots/
 * (a CI artifact); and a page guard that refuses every request the test did not allow and
 * collects console, page and worker errors.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Whether to skip a browser suite here: no Chromium, and not in CI (where that is a failure). */
export function skipBrowserTests(suite: string): boolean {
  const skip = !existsSync(CHROMIUM) && !process.env['CI'];
  if (skip) console.warn(`${suite}: skipped, ${CHROMIUM} not found (apt-get install chromium); CI fails instead`);
  return skip;
}

/** Chromium, or a clear failure naming the package CI needs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: CI needs Debian's chromium package for the browser tests`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** The folder for screenshots (made if missing): .ci/out/screenshots/ of the repository. */
export function screenshotFolder(): string {
  const folder = resolve(import.meta.dirname, '../.ci/out/screenshots');
  mkdirSync(folder, { recursive: true });
  return folder;
}

/**
 * Aborts every request of `page` whose URL `allowed` refuses (and every WebSocket), noting
 * it in `blocked`; notes console errors, page errors and worker console errors in `errors`.
 * A test ends by expecting both empty.
 */
export async function guardPage(page: Page, allowed: (url: string) => boolean): Promise<{ readonly blocked: string[]; readonly errors: string[] }> {
  const blocked: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page.on('websocket', (socket) => blocked.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('worker', (worker) => worker.on('console', (message) => message.type() === 'error' && errors.push(`worker: ${message.text()}`)));
  return { blocked, errors };
}
