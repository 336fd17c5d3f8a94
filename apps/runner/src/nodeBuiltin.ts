/**
 * Node's built-in modules that only some commands need, loaded when first used rather than
 * when the CLI starts: the CLI is one bundle (cli/app.cjs), where a top-level import is a
 * require() at start-up, and crypto, child_process and worker_threads alone cost a few ms of
 * a short run's start-up (issue 16) that only a sweep, a sandboxed
 * module or a scaffold uses. process.getBuiltinModule (Node 20.16 and later), else require().
 */
import type * as ChildProcess from 'node:child_process';
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';

interface Builtins {
  'node:child_process': typeof ChildProcess;
  'node:crypto': typeof Crypto;
  'node:os': typeof Os;
  'node:worker_threads': typeof WorkerThreads;
}

let fallback: NodeJS.Require | undefined;

export function builtin<ID extends keyof Builtins>(id: ID): Builtins[ID] {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule(id);
  // Any absolute path will do: a built-in's name resolves the same from everywhere.
  fallback ??= createRequire('/');
  return fallback(id) as Builtins[ID];
}
