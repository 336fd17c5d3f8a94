#!/usr/bin/env node
// The paravirt CLI. Runs the built runner (pnpm build); see apps/runner/README.md.
import { readFile, writeFile } from 'node:fs/promises';
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, text) => writeFile(path, text),
  clock: () => performance.now(),
  cwd: process.cwd(),
});
process.exitCode = code;
