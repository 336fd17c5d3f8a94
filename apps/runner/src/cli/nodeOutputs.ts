/**
 * Outputs written in pieces on a real Node process (nodeIo.ts): the spool the trace's body
 * waits in during the run, and writers for the file (or stdout) it ends in.
 */
import { closeSync, openSync, promises as fsPromises, readSync, rmSync, unlinkSync, write } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { OutputWriter, Spool } from '@paravirt/compose';
import { builtin } from '../nodeBuiltin.js';

let spools = 0;

/**
 * A spool in a temporary file next to `near` (the output it is for: the same disk, which
 * the user chose for it; `-`, or a folder nothing may be created in: the temporary
 * folder). The file is unlinked as soon as it is
 * open, where the system allows it, so nothing is left behind even if the process is
 * killed; otherwise it is removed on close().
 */
export function fileSpool(near: string): Spool {
  const name = `.${near === '-' ? 'trace' : basename(near)}.paravirt-${process.pid}-${spools++}.tmp`;
  let path = join(near === '-' ? builtin('node:os').tmpdir() : dirname(resolve(near)), name);
  let fd: number;
  try {
    fd = openSync(path, 'wx+', 0o600);
  } catch (error) {
    // A file that may be written in a folder that may not (or - ): the temporary folder.
    if (near === '-') throw error;
    path = join(builtin('node:os').tmpdir(), name);
    fd = openSync(path, 'wx+', 0o600);
  }
  let linked = true;
  try {
    unlinkSync(path);
    linked = false;
  } catch {
    // Windows: an open file cannot be removed; close() does it.
  }
  let size = 0;
  let unwritten = 0;
  let error: unknown;
  let closing = false;
  let closed = false;
  let drained: Array<() => void> = [];
  const settle = (): void => {
    if (unwritten > 0) return;
    const waiting = drained;
    drained = [];
    for (const resolve of waiting) resolve();
    if (closing) finishClose();
  };
  const finishClose = (): void => {
    if (closed) return;
    closed = true;
    closeSync(fd);
    if (linked) rmSync(path, { force: true });
  };
  // Positional writes from the thread pool: the run goes on while the disk takes the bytes.
  const writeAt = (bytes: Buffer, offset: number, position: number): void => {
    write(fd, bytes, offset, bytes.length - offset, position, (failure, written) => {
      if (failure || error !== undefined) {
        error ??= failure;
        unwritten -= bytes.length - offset;
      } else if (offset + written < bytes.length) {
        unwritten -= written;
        return writeAt(bytes, offset + written, position + written);
      } else {
        unwritten -= written;
      }
      settle();
    });
  };
  return {
    append(bytes) {
      if (error !== undefined || closing) return;
      const copy = Buffer.from(bytes);
      unwritten += copy.length;
      writeAt(copy, 0, size);
      size += copy.length;
    },
    get size() {
      return size;
    },
    get unwritten() {
      return unwritten;
    },
    get error() {
      return error;
    },
    drain: () => (unwritten === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve))),
    read(position, length) {
      const bytes = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, bytes, got, length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return bytes.subarray(0, got);
    },
    close() {
      // Writes still running finish first: the descriptor must not be reused under them.
      closing = true;
      if (unwritten === 0) finishClose();
    },
  };
}

/** Writes to `path`, created or truncated now. */
export async function fileOutput(path: string): Promise<OutputWriter> {
  const handle = await fsPromises.open(path, 'w');
  return {
    write: async (chunk) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
    },
    close: () => handle.close(),
  };
}

/** Writes to a stream (stdout) one chunk at a time, each handed to the system before the next; nothing once `closed()` (EPIPE). */
export function streamOutput(stream: NodeJS.WritableStream, closed: () => boolean): OutputWriter {
  return {
    write: (chunk) =>
      new Promise<void>((resolve) => {
        if (closed()) return resolve();
        stream.write(chunk, () => resolve());
      }),
    close: async () => {},
  };
}
