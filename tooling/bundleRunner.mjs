// The CLI and its sandbox bundled straight from the TypeScript sources (esbuild, about a
// second), for the tests and the from-source dev script: the sandbox is a separate Node
// process that needs plain JavaScript files, with the layout of the built dist/
// (cli/bin.cjs and cli/app.cjs next to sandbox/child.js, sandbox/worker.js, sandbox/hooks.js and
// sweep/worker.js).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const runner = resolve(fileURLToPath(new URL('.', import.meta.url)), '../apps/runner');

/** Bundles into `outdir` (a new temporary folder by default) and returns it. */
export async function bundleRunner(outdir = mkdtempSync(join(tmpdir(), 'paravirt-bundle-'))) {
  await build({
    entryPoints: {
      'sandbox/child': join(runner, 'src/sandbox/child.ts'),
      'sandbox/worker': join(runner, 'src/sandbox/worker.ts'),
      'sandbox/hooks': join(runner, 'src/sandbox/hooks.ts'),
      'sweep/worker': join(runner, 'src/sweep/worker.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@paravirt/source'],
    sourcemap: 'linked',
    logLevel: 'error',
    banner: { js: "import { createRequire as __paravirtRequire } from 'node:module'; const require = __paravirtRequire(import.meta.url);" },
  });
  // The executable and the CLI's body as CommonJS: cli/bin.cjs starts cli/app.cjs from V8's
  // code cache (src/cli/bin.ts).
  await build({
    entryPoints: { 'cli/app': join(runner, 'src/cli/app.ts'), 'cli/bin': join(runner, 'src/cli/bin.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['@paravirt/source'],
    sourcemap: 'linked',
    logLevel: 'error',
    // As the built dist/cli/app.cjs (apps/runner/tsup.config.ts): without comments the bundle
    // is ASCII, which cli/bin.cjs reads fastest.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  return outdir;
}
