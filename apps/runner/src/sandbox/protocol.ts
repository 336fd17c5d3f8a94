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
import { type ExitCode, type RunOutcome, type RunRequest } from '@paravirt/compose';
import type { ModuleRef } from '../run/applications.js';

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
  /** More of the streamed trace (chromeTraceStream.ts TraceText: bytes of the body, or a hole's id); the CLI answers trace-ack with `seq`. */
  | { readonly type: 'trace'; readonly seq: number; readonly parts: ReadonlyArray<Uint8Array | number> }
  | { readonly type: 'loaded' }
  | { readonly type: 'outcome'; readonly outcome: RunOutcome }
  | SandboxFailure;

/**
 * CLI -> sandbox: start; stop the run after the current slice and send the outcome so far;
 * trace messages up to `seq` are written (the worker sends at most TRACE_IN_FLIGHT more).
 */
export type SandboxCommand = { readonly type: 'start'; readonly request: SandboxRequest } | { readonly type: 'stop' } | { readonly type: 'trace-ack'; readonly seq: number };

/** Trace messages the worker may have sent that the CLI has not yet written (each about TRACE_MESSAGE_BYTES): the trace's memory in flight. */
export const TRACE_IN_FLIGHT = 4;
/** Text the worker gathers before it sends a trace message. */
export const TRACE_MESSAGE_BYTES = 1 << 20;

/** Words of the control buffer the sandbox process shares with its worker. */
export const CONTROL = {
  /** 1: the CLI asked to stop. */
  STOP: 0,
  /** What the worker is doing: PHASE_LOADING, PHASE_RUNNING, PHASE_DONE. */
  PHASE: 1,
  /** Index of the user module being imported. */
  MODULE: 2,
  /** The last trace message the CLI has written (trace-ack). */
  TRACE_ACK: 3,
  WORDS: 4,
} as const;

export const PHASE_LOADING = 0;
export const PHASE_RUNNING = 1;
export const PHASE_DONE = 2;
/** Running, but waiting for the CLI to write the trace: not the module's lack of progress. */
export const PHASE_WAITING = 3;

