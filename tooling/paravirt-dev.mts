// The CLI straight from the TypeScript sources, no build (for development):
//   node --conditions=@paravirt/source --import tsx tooling/paravirt-dev.mts run examples/hostile.yaml
import { readFile, writeFile } from 'node:fs/promises';
import { main } from '../apps/runner/src/cli/main.js';

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
