/**
 * One run of a module, from a checked specification and resolved applications to its
 * outcome, in slices of virtual time so whoever hosts it can report progress and stop it
 * between two slices. The CLI hosts it in its own process (built-in applications only) or
 * in the sandbox's worker (user modules: src/sandbox/); both drive the same code, so both
 * give the same bytes.
 */
import type { AirConfig } from '@paravirt/air-kernel';
import { type Activity, BufferTraceSink, type Nanoseconds, type TraceRecord, TraceRecorder } from '@paravirt/machine';
import type { ModuleSpec } from '../config/moduleSpec.js';
import type { GuestApplication } from './applications.js';
import { BareMetalRun } from './bareMetal.js';
import { type RunResult, Simulation } from './simulation.js';

/** What to run and what to record: plain data, so it can be posted to a worker. */
export interface RunRequest {
  readonly spec: ModuleSpec;
  /** AIR's own configuration, when the module came from an ARINC 653 XML file. */
  readonly airConfig?: AirConfig;
  /** Record a trace (for --trace and --report). */
  readonly trace: boolean;
}

export interface RunOutcome {
  readonly result: RunResult;
  readonly trace?: RecordedTrace;
  /** Stopped before its end by the user (SIGINT, SIGTERM) or a closed stdout. */
  readonly interrupted: boolean;
}

export interface RecordedTrace {
  readonly records: readonly TraceRecord[];
  /** Records refused once the buffer was full, and the time of the first of them. */
  readonly dropped: number;
  readonly truncatedAt?: Nanoseconds;
}

/**
 * Most trace records one run keeps (about 100 MB of Chrome JSON): a partition trapping
 * millions of times must not exhaust memory or the longest string JSON can make.
 */
export const MAX_TRACE_RECORDS = 1_000_000;

export interface ModuleRun {
  /** Boots what needs booting; the first advance() runs from time 0. */
  start(): void;
  /** Runs one slice of [now, until); true once the run has reached `until`. */
  advance(until: Nanoseconds): boolean;
  result(): RunResult;
  /** Virtual time reached. */
  readonly now: Nanoseconds;
}

export interface Session {
  readonly run: ModuleRun;
  /** Yields the virtual time after each slice until the run reaches the module's duration. */
  slices(): Generator<Nanoseconds, void, undefined>;
  /** The outcome so far (after the last slice, or where the host stopped). */
  outcome(interrupted: boolean): RunOutcome;
}

export function openSession(
  request: RunRequest,
  applications: ReadonlyMap<string, GuestApplication>,
  hooks: { readonly onConsole?: (partition: string, bytes: Uint8Array) => void; readonly activity?: Activity } = {},
): Session {
  const { spec } = request;
  const sink = request.trace ? new BufferTraceSink(MAX_TRACE_RECORDS) : undefined;
  const trace = sink ? new TraceRecorder(sink) : undefined;
  const options = { ...(trace ? { trace } : {}), ...(hooks.activity ? { activity: hooks.activity } : {}), ...(hooks.onConsole ? { onConsole: hooks.onConsole } : {}) };
  const run: ModuleRun =
    spec.kernel === 'none'
      ? new BareMetalRun(spec, applications.get(spec.partitions[0]!.app)!, options)
      : new Simulation({ spec, ...(request.airConfig ? { airConfig: request.airConfig } : {}), applications, ...options });
  return {
    run,
    *slices() {
      run.start();
      while (!run.advance(spec.duration)) yield run.now;
    },
    outcome(interrupted) {
      const result = run.result();
      return {
        result,
        ...(sink ? { trace: { records: sink.records, dropped: sink.dropped, ...(sink.truncatedAt !== undefined ? { truncatedAt: sink.truncatedAt } : {}) } } : {}),
        interrupted,
      };
    },
  };
}
