/**
 * The `paravirt` executable (bin/paravirt.cjs runs the built copy of this file, cli/bin.cjs).
 * It starts the CLI (app.ts, built next to this file as app.cjs) from V8's code cache:
 * compiling the CLI's 1 MB of JavaScript is most of a short run's start-up, and a cached
 * compile is a fraction of it (a 1 ms run: 52 ms instead of 94; `node -e 0` takes 20). Node
 * 20 caches only scripts, not ES modules, hence CommonJS run through vm.Script. The cache
 * is a file next to app.cjs (the package's own folder: as trusted as the code), written
 * after a run that had none or whose cache V8 refused (another Node version); where that
 * folder is read-only there is no cache and the CLI compiles as any module would. Nothing
 * here may fail a run.
 *
 * Built as CommonJS too (cli/bin.cjs), as is bin/paravirt.cjs: an ES module as the entry
 * point starts Node's ES module loader, ~5 ms of every start (issue 16). Hence `__dirname`
 * and require and no top-level await here.
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';
import type * as App from './app.js';

const appFile = path.join(__dirname, 'app.cjs');
const cacheFile = `${appFile}.cache`;

let cachedData: Buffer | undefined;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The bundle is ASCII (esbuild escapes other characters; the sources write µ in a regular
// expression as \u00b5): decoded as Latin-1 it is the same text, a one-byte string made at
// once, where a UTF-8 decoding of 1 MB takes milliseconds (and any other character makes
// every one of its characters two bytes).
const bytes = fs.readFileSync(appFile);
const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
// The CommonJS wrapper, on one line so the app's line numbers stay its own.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: appFile,
  ...(cachedData ? { cachedData } : {}),
  // import() in the app (user modules checked in-process) goes to Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const app = { exports: {} as typeof App };
// This file's own require(): app.cjs is in the same folder, so it resolves alike (and
// node:module, for createRequire(), is not loaded).
(script.runInThisContext() as (...args: unknown[]) => void)(app.exports, require, app, appFile, path.dirname(appFile));

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

// run() ends the process itself, and turns anything escaping it into one error line.
void app.exports.run({
  sandboxChild: pathToFileURL(path.join(__dirname, '../sandbox/child.js')),
  sweepWorker: pathToFileURL(path.join(__dirname, '../sweep/worker.js')),
  ...(cachedData === undefined || script.cachedDataRejected === true ? { beforeExit: saveCache } : {}),
});
