/**
 * The CLI's I/O on a real Node process (bin.ts and the from-source dev script share it):
 * bounded config reads, outputs checked before the run, signals and a closed stdout that
 * stop a run in an orderly way.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SandboxLauncher } from '../sandbox/host.js';
import type { SweepHost } from '../sweep/host.js';
import { readConfigFile } from './configFile.js';
import { fileOutput, fileSpool, streamOutput } from './nodeOutputs.js';
import type { CliIo, Interruption } from './main.js';

type StopHandler = (reason: Interruption) => void;

let stopHandler: StopHandler | undefined;
let stdoutClosed = false;
let signalsInstalled = false;

/**
 * SIGINT/SIGTERM during a run stop it after the current slice and its outputs are written
 * (marked interrupted); a second signal, or one outside a run, ends the process at once
 * with 128 + the signal number. A closed stdout (EPIPE: `paravirt run | head`) stops the
 * run quietly, as Unix tools end on SIGPIPE.
 */
function installProcessHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      const handler = stopHandler;
      stopHandler = undefined;
      if (handler) handler(signal);
      else process.exit(code);
    });
  }
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code === 'EPIPE') {
      stopHandler?.('EPIPE');
      if (!stopHandler) process.exit(0);
    } else {
      process.stderr.write(`error: stdout: cannot write (${error.code ?? error.message})\n`);
      process.exit(2);
    }
  });
}

export function nodeIo(options: { readonly sandbox?: SandboxLauncher; readonly sweep?: SweepHost } = {}): CliIo {
  installProcessHandlers();
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: Boolean(process.stderr.isTTY),
    readFile: (path, limits) => readConfigFile(path, limits),
    prepareOutput: async (path) => {
      // Without creating or touching anything: an existing file must be a writable file,
      // a new one needs a writable folder.
      const existing = await stat(path).catch(() => undefined);
      if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      await access(existing ? path : dirname(resolve(path)), constants.W_OK).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? Object.assign(new Error('no such folder'), { code: 'ENOENT_FOLDER' }) : error;
      });
    },
    writeFile: (path, text) => writeFile(path, text),
    spool: (near) => fileSpool(near),
    openOutput: async (path) => (path === '-' ? streamOutput(process.stdout, () => stdoutClosed) : fileOutput(path)),
    prepareFolder: async (path) => {
      // An existing folder must be writable; a new one needs a writable parent (made at the end).
      const existing = await stat(path).catch(() => undefined);
      if (existing && !existing.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTFOLDER' });
      await access(existing ? path : dirname(resolve(path)), constants.W_OK).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? Object.assign(new Error('no such folder'), { code: 'ENOENT_FOLDER' }) : error;
      });
    },
    makeFolder: async (path) => {
      await mkdir(path, { recursive: true });
    },
    // Wall time is only reported (wallTimeMs, progress), never fed into the simulation.
    clock: () => performance.now(),
    cwd: process.cwd(),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.sweep ? { sweep: options.sweep } : {}),
    onInterrupt: (stop) => {
      stopHandler = stop;
      return () => {
        if (stopHandler === stop) stopHandler = undefined;
      };
    },
    yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
  };
}
