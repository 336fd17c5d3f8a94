// The CLI of a source checkout, without a build: `pnpm paravirt` and `paravirt` linked
// from a clone (npm install -g ./apps/runner) run an esbuild bundle of the TypeScript
// sources (bundleRunner.mjs: a second or two), kept in apps/runner/node_modules/.cache and
// made again only when a source file changed. A full `pnpm build` (tsup, declarations,
// every package) takes a minute on two cores and is what publishing needs, not running.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const cache = join(root, 'apps/runner/node_modules/.cache/paravirt-cli');

/** Every file the bundle is made of, and what decides how: sources, manifests, the lockfile, the bundler. */
function inputs() {
  const files = [join(root, 'pnpm-lock.yaml'), join(root, 'tooling/bundleRunner.mjs')];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/\.test\.ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const parent of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const workspace = join(root, parent, entry.name);
      if (existsSync(join(workspace, 'package.json'))) files.push(join(workspace, 'package.json'));
      if (existsSync(join(workspace, 'src'))) walk(join(workspace, 'src'));
    }
  }
  return files;
}

/** Names the sources' state: their paths, sizes and modification times (a few milliseconds for ~400 files). */
function signature() {
  const hash = createHash('sha256');
  for (const file of inputs().sort()) {
    const stats = statSync(file);
    hash.update(`${file}\0${stats.size}\0${stats.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The folder of an up-to-date bundle (cli/bin.cjs, sandbox/*, sweep/worker.js), made first
 * when the sources changed. Concurrent callers each bundle into their own folder and the
 * first rename wins; older bundles are removed an hour after they were replaced (a run
 * still using one keeps its sandbox files).
 */
export async function sourceBundle(log = (line) => process.stderr.write(`${line}\n`)) {
  const current = signature();
  const folder = join(cache, current);
  if (existsSync(join(folder, 'complete'))) return folder;
  mkdirSync(cache, { recursive: true });
  const started = performance.now();
  log('paravirt: bundling the CLI from the sources (first run, or a source changed)...');
  const scratch = join(cache, `tmp-${process.pid}-${Date.now()}`);
  try {
    // esbuild is loaded only to bundle: importing it costs more than checking the sources.
    const { bundleRunner } = await import('./bundleRunner.mjs');
    await bundleRunner(scratch);
  } catch {
    rmSync(scratch, { recursive: true, force: true });
    // esbuild has printed each error with its file and line.
    throw new Error('the sources do not compile (errors above)');
  }
  writeFileSync(join(scratch, 'complete'), '');
  try {
    renameSync(scratch, folder);
  } catch {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(folder, 'complete'))) throw new Error(`cannot write ${folder}`);
  }
  log(`paravirt: bundled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry);
    if (entry !== current && statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true });
  }
  return folder;
}
