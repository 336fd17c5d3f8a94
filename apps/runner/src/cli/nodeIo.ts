/** The CLI's I/O on a real Node process: the executable and the from-source dev script share it. */
import { readFile, writeFile } from 'node:fs/promises';
import type { CliIo } from './main.js';

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: Boolean(process.stderr.isTTY),
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text) => writeFile(path, text),
    // Wall time is only reported (wallTimeMs, progress), never fed into the simulation.
    clock: () => performance.now(),
    cwd: process.cwd(),
  };
}
