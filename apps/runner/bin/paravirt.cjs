#!/usr/bin/env node
// The paravirt CLI (apps/runner/README.md).
// Installed from a package: runs the built dist/cli/bin.cjs.
// In a clone (src/ is here: `pnpm paravirt`, or `npm install -g ./apps/runner`): runs a
// bundle of the sources, made in a second or two when they changed (tooling/cliBundle.mjs),
// so no `pnpm build` is needed and an edit shows at the next run.
// CommonJS, as dist/cli/bin.cjs: an ES module entry point costs ~5 ms of every start.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const source = join(__dirname, '../src/cli/bin.ts');
const tooling = join(__dirname, '../../../tooling/cliBundle.mjs');
if (existsSync(source) && existsSync(tooling)) {
  import(pathToFileURL(tooling).href)
    .then(({ sourceBundle }) => sourceBundle())
    .then(
      (folder) => require(join(folder, 'cli/bin.cjs')),
      (error) => {
        process.stderr.write(`error: paravirt: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(70);
      },
    );
} else {
  require('../dist/cli/bin.cjs');
}
