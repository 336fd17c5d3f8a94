/**
 * Messages between the CLI, the sandbox process and its worker (docs/architecture.md
 * section 6, "Trust model"). The CLI sends one request; the worker loads the user
 * modules, runs the module and streams back console bytes and progress, then one final
 * message: the outcome, or why the module could not be run.
 *
 *   CLI process --fork/IPC--> sandbox process (permission model) --Worker--> run
 *
 * Plain data only: everything crosses a structured clone.
 */
import type { ExitCode } from '../cli/exitCodes.js';
import type { ModuleRef } from '../run/applications.js';
import type { RunOutcome, RunRequest } from '../run/session.js';

export interface SandboxRequest {
  /** `load`: import and check the user modules only (paravirt check); `run`: run the module too. */
  readonly mode: 'load' | 'run';
  readonly run: RunRequest;
  /** The user modules to import; built-in applications are looked up by name in the worker. */
  readonly modules: readonly ModuleRef[];
  /** Send console bytes as they are written. */
  readonly console: boolean;
  /** Wall-clock milliseconds the simulation may go without progress before it is declared hung. */
  readonly watchdogMs: number;
  /** Heap limit of the worker, and (with some slack) of the sandbox process. */
  readonly memoryLimitMb: number;
  /** Trusted modules: no permission model, process controls left alone (--allow-host). */
  readonly allowHost: boolean;
}

/** The module could not be run: the CLI prints `error: <where>: <what>` and exits with `code`. */
export interface SandboxFailure {
  readonly type: 'failure';
  readonly code: ExitCode;
  readonly where: string;
  readonly what: string;
  /** Stack trace of an internal error, printed with --debug. */
  readonly detail?: string;
}

export type SandboxMessage =
  | { readonly type: 'console'; readonly chunks: ReadonlyArray<{ readonly partition: string; readonly bytes: Uint8Array }> }
  | { readonly type: 'progress'; readonly now: number }
  | { readonly type: 'loaded' }
  | { readonly type: 'outcome'; readonly outcome: RunOutcome }
  | SandboxFailure;

/** CLI -> sandbox: stop the run after the current slice and send the outcome so far. */
export type SandboxCommand = { readonly type: 'start'; readonly request: SandboxRequest } | { readonly type: 'stop' };

/** Words of the control buffer the sandbox process shares with its worker. */
export const CONTROL = {
  /** 1: the CLI asked to stop. */
  STOP: 0,
  /** What the worker is doing: PHASE_LOADING, PHASE_RUNNING, PHASE_DONE. */
  PHASE: 1,
  /** Index of the user module being imported. */
  MODULE: 2,
  WORDS: 4,
} as const;

export const PHASE_LOADING = 0;
export const PHASE_RUNNING = 1;
export const PHASE_DONE = 2;
