/**
 * The `paravirt` executable (bin/paravirt.js runs the built copy of this file). It starts
 * the CLI (app.ts, built next to this file as app.cjs) from V8's code cache: compiling the
 * CLI's 1 MB of JavaScript is most of a short run's start-up, and a cached compile is a
 * fraction of it (a 1 ms run: 52 ms instead of 94; `node -e 0` takes 20). Node 20 caches
 * only scripts, not ES modules, hence CommonJS run through vm.Script. The cache is a file next to app.cjs
 * (the package's own folder: as trusted as the code), written after a run that had none or
 * whose cache V8 refused (another Node version); where that folder is read-only there is
 * no cache and the CLI compiles as any module would. Nothing here may fail a run.
 */
import type * as Fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as Path from 'node:path';
import type * as Url from 'node:url';
import type * as Vm from 'node:vm';
import type * as App from './app.js';

// Built-ins through require(), not import: an ES module's import of a built-in builds an ES
// module facade of all its exports (node:fs's loads the streams: ~3 ms of every start).
const require = createRequire(import.meta.url);
const fs = require('node:fs') as typeof Fs;
const path = require('node:path') as typeof Path;
const url = require('node:url') as typeof Url;
const vm = require('node:vm') as typeof Vm;

const appFile = url.fileURLToPath(new URL('./app.cjs', import.meta.url));
const cacheFile = `${appFile}.cache`;

let cachedData: Buffer | undefined;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The CommonJS wrapper, on one line so the app's line numbers stay its own.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(appFile, 'utf8')}\n})`, {
  filename: appFile,
  ...(cachedData ? { cachedData } : {}),
  // import() in the app (user modules checked in-process) goes to Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const module = { exports: {} as typeof App };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(appFile), module, appFile, path.dirname(appFile));

/** Writes the code cache of the functions this run compiled, whole or not at all (a temporary file renamed into place). */
function saveCache(): void {
  const temporary = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

await module.exports.run({
  sandboxChild: new URL('../sandbox/child.js', import.meta.url),
  sweepWorker: new URL('../sweep/worker.js', import.meta.url),
  ...(cachedData === undefined || script.cachedDataRejected === true ? { beforeExit: saveCache } : {}),
});
