/**
 * The CLI's side of the sandbox: starts the sandbox process and follows it.
 *
 * User modules are code from outside. They never run in the CLI's process: the sandbox
 * is a separate Node process started under Node's permission model - it may read only its
 * own files and the modules' folders, and may not write files, start processes or load
 * native addons - with an empty environment, so a module cannot reach the user's
 * secrets, files or terminal. Inside, a worker thread runs the module under a heap limit
 * and the process's main thread watches it (child.ts). `--allow-host` drops the permission
 * model and the process controls lock-down for modules the user trusts; the watchdog and
 * limits stay.
 *
 * Node 20's permission model does not cover the network; the trust model in
 * docs/architecture.md says so.
 */
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, type RunOutcome } from '@paravirt/compose';
import type { SandboxCommand, SandboxFailure, SandboxMessage, SandboxRequest } from './protocol.js';
import type { ChildProcess } from 'node:child_process';
import { builtin } from '../nodeBuiltin.js';

export type SandboxResult = { readonly type: 'outcome'; readonly outcome: RunOutcome } | { readonly type: 'loaded' } | SandboxFailure;

export interface SandboxHandlers {
  readonly onConsole?: (partition: string, bytes: Uint8Array) => void;
  readonly onProgress?: (now: number) => void;
  /** What modules printed on the host's own console (console.log): shown apart from partition consoles. */
  readonly onModuleOutput?: (text: string) => void;
  /** More of the streamed trace, in order: body bytes, or a hole's id (chromeTraceStream.ts TraceText); taken when what it returns settles. */
  readonly onTrace?: (parts: ReadonlyArray<Uint8Array | number>) => Promise<void> | void;
}

export interface SandboxSession {
  readonly result: Promise<SandboxResult>;
  /** Stop after the current slice; the result is the outcome so far. */
  stop(): void;
  /** Stop at once; the result is a failure. */
  kill(): void;
}

export type SandboxLauncher = (request: SandboxRequest, handlers: SandboxHandlers) => SandboxSession;

/** Wall-clock time the sandbox process may take to exit after its final message. */
const EXIT_GRACE_MS = 2000;

/** Most bytes of module host-console output shown; past it, one note. */
const MAX_MODULE_OUTPUT = 1 << 20;

const realDirectory = (path: string): string => {
  try {
    return realpathSync(dirname(path));
  } catch {
    return dirname(path);
  }
};

/** A launcher for the sandbox whose process entry is `entry` (dist/sandbox/child.js). */
export function sandboxLauncher(entry: string | URL): SandboxLauncher {
  const entryPath = typeof entry === 'string' ? entry : fileURLToPath(entry);
  return (request, handlers) => {
    const readable = [realDirectory(entryPath), ...request.modules.map((module) => realDirectory(module.path))];
    const execArgv = request.allowHost
      ? []
      : [
          '--experimental-permission',
          ...[...new Set(readable)].map((folder) => `--allow-fs-read=${folder}/`),
          '--allow-worker',
          '--disable-warning=ExperimentalWarning',
          '--disable-warning=SecurityWarning',
        ];
    const child: ChildProcess = builtin('node:child_process').fork(entryPath, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: request.allowHost ? process.env : {},
    });
    let shown = 0;
    const moduleOutput = (chunk: Buffer): void => {
      if (shown >= MAX_MODULE_OUTPUT) return;
      const text = chunk.toString('utf8', 0, Math.min(chunk.length, MAX_MODULE_OUTPUT - shown));
      shown += chunk.length;
      handlers.onModuleOutput?.(shown >= MAX_MODULE_OUTPUT ? `${text}\n(more output of the modules not shown)\n` : text);
    };
    child.stdout!.on('data', moduleOutput);
    child.stderr!.on('data', moduleOutput);

    let settled: SandboxResult | undefined;
    // Trace messages are acknowledged in order, each once it is taken.
    let traceTaken = Promise.resolve();
    const result = new Promise<SandboxResult>((resolve) => {
      child.on('message', (message: SandboxMessage) => {
        switch (message.type) {
          case 'console':
            for (const { partition, bytes } of message.chunks) handlers.onConsole?.(partition, bytes);
            return;
          case 'progress':
            handlers.onProgress?.(message.now);
            return;
          case 'trace': {
            const taken = handlers.onTrace?.(message.parts);
            // Taken: the worker may send more (backpressure, protocol.ts TRACE_IN_FLIGHT).
            traceTaken = traceTaken.then(() => taken).then(() => command({ type: 'trace-ack', seq: message.seq }));
            return;
          }
          default:
            settled ??= message;
            // The sandbox exits by itself once it has answered; if it does not, it is not needed.
            setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS).unref();
        }
      });
      child.on('error', (error) => {
        settled ??= { type: 'failure', code: EXIT.internal, where: 'sandbox', what: `cannot start the sandbox process (${error.message})` };
      });
      // 'close': the process has exited and its output pipes are drained.
      child.on('close', (code, signal) => {
        resolve(
          settled ?? {
            type: 'failure',
            code: signal === 'SIGKILL' ? EXIT.module : EXIT.internal,
            where: 'sandbox',
            what: signal === 'SIGKILL' ? 'the sandbox process was killed (SIGKILL: out of memory, or killed from outside)' : `the sandbox process ended unexpectedly (${signal ?? `exit code ${String(code)}`})`,
          },
        );
      });
    });
    const command = (message: SandboxCommand): void => {
      if (child.connected) child.send(message);
    };
    command({ type: 'start', request });
    return {
      result,
      stop: () => command({ type: 'stop' }),
      kill: () => {
        settled ??= { type: 'failure', code: EXIT.internal, where: 'sandbox', what: 'stopped' };
        child.kill('SIGKILL');
      },
    };
  };
}
