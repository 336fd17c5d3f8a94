/**
 * The CLI's I/O on a real Node process (bin.ts and the from-source dev script share it):
 * bounded config reads, outputs checked before the run, signals and a closed stdout that
 * stop a run in an orderly way.
 */
import { constants, fstatSync, promises as fsPromises } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SandboxLauncher } from '../sandbox/host.js';
import type { SweepHost } from '../sweep/host.js';
import { readConfigFile } from './configFile.js';
import { fileOutput, fileSpool, streamOutput } from './nodeOutputs.js';
import type { CliIo, Interruption } from './main.js';
import { monotonicMs } from './wallClock.js';

type StopHandler = (reason: Interruption) => void;

let stopHandler: StopHandler | undefined;
let stdoutClosed = false;
let signalsInstalled = false;
let stdoutWatched = false;

/**
 * SIGINT/SIGTERM during a run stop it after the current slice and its outputs are written
 * (marked interrupted); a second signal, or one outside a run, ends the process at once
 * with 128 + the signal number.
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
}

/**
 * process.stdout, watched: a closed stdout (EPIPE: `paravirt run | head`) stops the run
 * quietly, as Unix tools end on SIGPIPE. Made on first use: a run that prints nothing there
 * (--quiet) does not build the stream (a few ms of start-up, issue 16). The CLI writes
 * stdout only through here.
 */
function stdout(): NodeJS.WriteStream {
  if (stdoutWatched) return process.stdout;
  stdoutWatched = true;
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
  return process.stdout;
}

/** Resolves once what was written to stdout is out, or failed (its error event decides the exit code); at once if nothing was. */
export function stdoutFlushed(): Promise<void> {
  return stdoutWatched ? new Promise<void>((resolve) => process.stdout.write('', () => resolve())) : Promise.resolve();
}

/**
 * Whether stderr is a terminal, without building process.stderr when it cannot be one: a
 * pipe or a file is not a character device (building the stream of a pipe loads the
 * network modules, a few ms of start-up).
 */
function stderrIsTty(): boolean {
  try {
    if (!fstatSync(2).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return Boolean(process.stderr.isTTY);
}

export function nodeIo(options: { readonly sandbox?: SandboxLauncher; readonly sweep?: SweepHost } = {}): CliIo {
  installProcessHandlers();
  return {
    stdout: (text) => {
      if (!stdoutClosed) stdout().write(text);
    },
    stderr: (text) => process.stderr.write(text),
    // Asked only when a progress bar could be shown.
    get stderrIsTty() {
      return stderrIsTty();
    },
    readFile: (path, limits) => readConfigFile(path, limits),
    prepareOutput: async (path) => {
      // Without creating or touching anything: an existing file must be a writable file,
      // a new one needs a writable folder.
      const existing = await fsPromises.stat(path).catch(() => undefined);
      if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      await fsPromises.access(existing ? path : dirname(resolve(path)), constants.W_OK).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? Object.assign(new Error('no such folder'), { code: 'ENOENT_FOLDER' }) : error;
      });
    },
    writeFile: (path, text) => fsPromises.writeFile(path, text),
    spool: (near) => fileSpool(near),
    openOutput: async (path) => (path === '-' ? streamOutput(stdout(), () => stdoutClosed) : fileOutput(path)),
    prepareFolder: async (path) => {
      // An existing folder must be writable; a new one needs a writable parent (made at the end).
      const existing = await fsPromises.stat(path).catch(() => undefined);
      if (existing && !existing.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTFOLDER' });
      await fsPromises.access(existing ? path : dirname(resolve(path)), constants.W_OK).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? Object.assign(new Error('no such folder'), { code: 'ENOENT_FOLDER' }) : error;
      });
    },
    makeFolder: async (path) => {
      await fsPromises.mkdir(path, { recursive: true });
    },
    // Wall time is only reported (wallTimeMs, progress), never fed into the simulation.
    clock: monotonicMs,
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
