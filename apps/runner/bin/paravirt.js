#!/usr/bin/env node
// The paravirt CLI (apps/runner/README.md).
// Installed from a package: runs the built dist/cli/bin.js.
// In a clone (src/ is here: `pnpm paravirt`, or `npm install -g ./apps/runner`): runs a
// bundle of the sources, made in a second or two when they changed (tooling/cliBundle.mjs),
// so no `pnpm build` is needed and an edit shows at the next run.
import { createRequire } from 'node:module';

// Built-ins through require(): an ES module's import of node:fs builds a facade of all its
// exports, which loads the streams (~3 ms of every start).
const require = createRequire(import.meta.url);
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { fileURLToPath, pathToFileURL } = require('node:url');

const source = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
const tooling = fileURLToPath(new URL('../../../tooling/cliBundle.mjs', import.meta.url));
if (existsSync(source) && existsSync(tooling)) {
  const { sourceBundle } = await import(pathToFileURL(tooling).href);
  let folder;
  try {
    folder = await sourceBundle();
  } catch (error) {
    process.stderr.write(`error: paravirt: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  }
  await import(pathToFileURL(join(folder, 'cli/bin.js')).href);
} else {
  await import('../dist/cli/bin.js');
}
