/**
 * The `paravirt` executable (bin/paravirt.js runs the built copy of this file). It starts
 * the CLI (app.ts, built next to this file as app.cjs) from V8's code cache: compiling the
 * CLI's 1.6 MB of JavaScript is most of a short run's start-up, and a cached compile is a
 * fraction of it (issue 16: start-up within 1.5x `node -e 0`). Node 20 caches only scripts,
 * not ES modules, hence CommonJS run through vm.Script. The cache is a file next to app.cjs
 * (the package's own folder: as trusted as the code), written after a run that had none or
 * whose cache V8 refused (another Node version); where that folder is read-only there is
 * no cache and the CLI compiles as any module would. Nothing here may fail a run.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type * as App from './app.js';

const appFile = fileURLToPath(new URL('./app.cjs', import.meta.url));
const cacheFile = `${appFile}.cache`;

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The CommonJS wrapper, on one line so the app's line numbers stay its own.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(appFile, 'utf8')}\n})`, {
  filename: appFile,
  ...(cachedData ? { cachedData } : {}),
  // import() in the app (user modules checked in-process) goes to Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const module = { exports: {} as typeof App };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(appFile), module, appFile, dirname(appFile));

/** Writes the code cache of the functions this run compiled, whole or not at all (a temporary file renamed into place). */
function saveCache(): void {
  const temporary = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}

await module.exports.run({
  sandboxChild: new URL('../sandbox/child.js', import.meta.url),
  sweepWorker: new URL('../sweep/worker.js', import.meta.url),
  ...(cachedData === undefined || script.cachedDataRejected === true ? { beforeExit: saveCache } : {}),
});
