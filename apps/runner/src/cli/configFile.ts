/**
 * Reading a configuration file (or another input: `diff`'s JSON summaries) from the outside
 * world: it may be huge (/dev/urandom), never end (a FIFO nobody writes to), be a directory,
 * or not exist. Each is one clear error line.
 */
import { close, constants, fstat, open, read, type Stats } from 'node:fs';
import { CONFIG_LIMITS } from '@paravirt/machine';
import { CliFailure } from '@paravirt/compose';
import { monotonicMs } from './wallClock.js';

/** Largest configuration file read (the readers' own limit): far above any real module (AIR's examples are under 20 KiB). */
export const MAX_CONFIG_BYTES = CONFIG_LIMITS.fileChars;
/** Wall-clock time a configuration file may take to reach its end (a FIFO or device that never ends). */
export const CONFIG_READ_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

/** How much of a file is read and for how long (a FIFO or device that never ends). */
export interface ReadLimits {
  readonly maxBytes: number;
  /** Wall-clock time the file may take to reach its end (Infinity: as long as it takes). */
  readonly timeoutMs: number;
  /** What the file should be, for the too-big message: `a configuration`. */
  readonly what: string;
}

export const CONFIG_READ: ReadLimits = { maxBytes: MAX_CONFIG_BYTES, timeoutMs: CONFIG_READ_TIMEOUT_MS, what: 'a configuration' };

const reasons: Record<string, string> = {
  ENOENT: 'no such file',
  ENOENT_FOLDER: 'no such folder',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ENOTFOLDER: 'is a file, not a folder',
  ELOOP: 'too many symbolic links',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/** A file system error in words (ENOENT: no such file, ...). */
export function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  return reasons[code] ?? (code || 'unknown error');
}

export async function readConfigFile(path: string, limits: ReadLimits = CONFIG_READ): Promise<string> {
  try {
    return await readBounded(path, limits, monotonicMs() + limits.timeoutMs, () => new CliFailure(path, `did not reach its end within ${limits.timeoutMs / 1000} s (a FIFO or device nobody writes to?)`));
  } catch (error) {
    throw readProblem(path, error);
  }
}

/** The one error line for a file that cannot be read. */
export function readProblem(path: string, error: unknown): CliFailure {
  if (error instanceof CliFailure) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  return new CliFailure(path, reasons[code] ?? `cannot read (${code || 'unknown error'})`);
}

/**
 * Reads at most `limits.maxBytes` + 1 bytes. The file is opened non-blocking: a blocking
 * open or read of a FIFO without a writer would hold a thread of Node's pool that even
 * process.exit() waits for. A FIFO or terminal that has nothing yet (EAGAIN, or end of
 * file before any byte: its writer has not opened it yet) is polled until the caller's
 * time-out. Node's callback API, not node:fs/promises: every run reads its configuration, and
 * loading fs/promises (with the readline and watcher modules it imports) is a few per cent of
 * a short run's start-up (issue 16).
 */
async function readBounded(path: string, limits: ReadLimits, deadline: number, timedOut: () => CliFailure): Promise<string> {
  const fd = await settle<number>((done) => open(path, constants.O_RDONLY | constants.O_NONBLOCK, done));
  try {
    const stat = await settle<Stats>((done) => fstat(fd, done));
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (stat.isFile() && stat.size > limits.maxBytes) throw tooBig(path, limits, stat.size);
    const waitsForWriter = stat.isFIFO();
    const chunks: Buffer[] = [];
    let total = 0;
    const poll = async (): Promise<void> => {
      if (monotonicMs() > deadline) throw timedOut();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    };
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      let bytesRead: number;
      try {
        bytesRead = await settle<number>((done) => read(fd, chunk, 0, chunk.length, null, done));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        await poll();
        continue;
      }
      if (bytesRead === 0) {
        if (waitsForWriter && total === 0) {
          await poll();
          continue;
        }
        break;
      }
      total += bytesRead;
      if (total > limits.maxBytes) throw tooBig(path, limits);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await settle<void>((done) => close(fd, done));
  }
}

/** A callback-style call as a promise. */
function settle<T>(start: (done: (error: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
}

function tooBig(path: string, limits: ReadLimits, size?: number): CliFailure {
  const what = size === undefined ? 'is larger' : `is ${(size / 2 ** 20).toFixed(1)} MiB, larger`;
  return new CliFailure(path, `${what} than ${limits.what} may be (${limits.maxBytes / 2 ** 20} MiB)`);
}
