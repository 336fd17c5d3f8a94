// `pnpm bench` for the playground (issue 17): the simulator's speed in the browser against the
// CLI on this machine, measured in one run. The default demo for 1 hour of virtual time in the
// built page (dist/, served on 127.0.0.1 and driven in Debian's Chromium through
// playwright-core) and with the built CLI; each reports the wall time of its run alone in its
// JSON summary (`wallTimeMs`: the page's from its Web Worker, start-up and page load excluded).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

/* global window, document -- the callbacks of waitForFunction and evaluate run in the page */

const CHROMIUM = '/usr/bin/chromium';
const app = resolve(import.meta.dirname, '..');
const dist = join(app, 'dist');
// The CLI of this clone (bin/paravirt.cjs: the built dist/ when installed, a bundle of the sources here).
const cli = resolve(app, '../runner/bin/paravirt.cjs');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const DURATION = '1h';

if (!existsSync(CHROMIUM) || !existsSync(join(dist, 'index.html'))) {
  console.log(`playground in the browser: skipped (${existsSync(CHROMIUM) ? 'no dist/: pnpm build' : `${CHROMIUM} not found: apt-get install chromium`})`);
  process.exit(0);
}

const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  const file = normalize(join(dist, path === '/' ? 'index.html' : path));
  if (!file.startsWith(dist) || !existsSync(file)) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.paravirtPlayground?.checks > 0);
  await page.fill('#duration', DURATION);
  await page.waitForFunction(() => !document.querySelector('#run').disabled);
  await page.click('#run');
  await page.waitForFunction(() => ['done', 'failed'].includes(window.paravirtPlayground.phase), undefined, { timeout: 600_000 });
  const inPage = JSON.parse(await page.evaluate(() => window.paravirtPlayground.summaryJson ?? 'null'));
  if (!inPage) throw new Error(`the page's run failed: ${await page.evaluate(() => window.paravirtPlayground.failure)}`);
  const inCli = JSON.parse(execFileSync(process.execPath, [cli, 'run', '--duration', DURATION, '--quiet', '--json', '-'], { maxBuffer: 64 << 20 }).toString());
  const speed = (summary) => summary.virtualTimeNs / 1e6 / summary.wallTimeMs;
  console.log(
    `playground in the browser (Chromium, a Web Worker), default demo for ${DURATION}: ${Math.round(speed(inPage))}x real time (${inPage.wallTimeMs} ms); ` +
      `the CLI ${Math.round(speed(inCli))}x (${inCli.wallTimeMs} ms); browser / CLI wall time = ${(inPage.wallTimeMs / inCli.wallTimeMs).toFixed(2)}x; ` +
      `same events: ${inPage.events === inCli.events ? 'yes' : 'NO'}`,
  );
} finally {
  await browser.close();
  server.close();
}
