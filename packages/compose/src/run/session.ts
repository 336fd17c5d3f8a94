/**
 * One run of a module, from a checked specification and resolved applications to its
 * outcome, in slices of virtual time so whoever hosts it can report progress and stop it
 * between two slices. The CLI hosts it in its own process (built-in applications only) or
 * in the sandbox's worker (user modules: src/sandbox/); both drive the same code, so both
 * give the same bytes.
 */
import type { AirConfig } from '@paravirt/air-kernel';
import { type Activity, type Nanoseconds, TraceRecorder, type TraceSink } from '@paravirt/machine';
import type { ModuleSpec } from '../config/moduleSpec.js';
import { ChromeTraceStream, type TraceEnd, type TraceText } from '../output/chromeTraceStream.js';
import { type TraceCategory, traceSelection } from '../output/traceCategories.js';
import { ReportCollector } from '../report/collector.js';
import type { ReportData } from '../report/model.js';
import type { GuestApplication } from './application.js';
import { architectures } from './architectures.js';
import { BareMetalRun } from './bareMetal.js';
import { type RunResult, Simulation } from './simulation.js';

/** What to run and what to record: plain data, so it can be posted to a worker. */
export interface RunRequest {
  readonly spec: ModuleSpec;
  /** AIR's own configuration, when the module came from an ARINC 653 XML file. */
  readonly airConfig?: AirConfig;
  /** Stream the Chrome trace (--trace) to the session's `traceText` as the run goes. */
  readonly trace: boolean;
  /** What the trace records (--trace-events); absent: everything. */
  readonly traceEvents?: readonly TraceCategory[];
  /** Collect what the HTML report draws (--report). */
  readonly report?: boolean;
  /** Fast-forward over idle kernel ticks (default true; --no-fast-forward: false). Outputs are the same either way. */
  readonly fastForward?: boolean;
}

export interface RunOutcome {
  readonly result: RunResult;
  /** What completes the streamed trace (its body went to `traceText`). */
  readonly trace?: TraceEnd;
  readonly report?: ReportData;
  /** Stopped before its end by the user (SIGINT, SIGTERM) or a closed stdout. */
  readonly interrupted: boolean;
}

/** The partitions as the summary, trace and report name them: the module's, or the application's on bare metal. */
function partitionNames(spec: ModuleSpec, applications: ReadonlyMap<string, GuestApplication>): string[] {
  if (spec.kernel === 'none') return [applications.get(spec.partitions[0]!.app)!.name];
  return spec.partitions.map((partition) => partition.name);
}

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
  hooks: {
    readonly onConsole?: (partition: string, bytes: Uint8Array) => void;
    readonly activity?: Activity;
    /** Where the trace's text goes as it is made (request.trace). */
    readonly traceText?: TraceText;
    /** Where a JS Error a guest threw points in the user's source (the sandbox's location.ts). */
    readonly locateThrown?: (stack: string) => string | undefined;
  } = {},
): Session {
  const { spec } = request;
  const names = request.trace || request.report ? partitionNames(spec, applications) : [];
  let chrome: ChromeTraceStream | undefined;
  if (request.trace) {
    if (!hooks.traceText) throw new Error('a traced session needs somewhere to put the trace (hooks.traceText)');
    const tickTrap = architectures.get(spec.arch)?.architecture.kernelTimer.trapName;
    chrome = new ChromeTraceStream(hooks.traceText, names, spec.kernel, traceSelection(request.traceEvents, tickTrap));
  }
  const collector = request.report ? new ReportCollector(names, spec.schedules) : undefined;
  const sinks = [chrome, collector].filter((sink): sink is NonNullable<typeof sink> => sink !== undefined) as TraceSink[];
  const trace = sinks.length > 0 ? new TraceRecorder(...sinks) : undefined;
  trace?.setTickTrap(architectures.get(spec.arch)?.architecture.kernelTimer.trapName);
  const options = {
    ...(trace ? { trace } : {}),
    ...(hooks.activity ? { activity: hooks.activity } : {}),
    ...(hooks.onConsole ? { onConsole: hooks.onConsole } : {}),
    ...(hooks.locateThrown ? { locateThrown: hooks.locateThrown } : {}),
  };
  const run: ModuleRun =
    spec.kernel === 'none'
      ? new BareMetalRun(spec, applications.get(spec.partitions[0]!.app)!, options)
      : new Simulation({ spec, ...(request.airConfig ? { airConfig: request.airConfig } : {}), applications, ...options, ...(request.fastForward === false ? { fastForward: false } : {}) });
  let traceEnd: TraceEnd | undefined;
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
        ...(chrome ? { trace: (traceEnd ??= chrome.finish(result.virtualTimeNs)) } : {}),
        ...(collector ? { report: collector.data(result.virtualTimeNs) } : {}),
        interrupted,
      };
    },
  };
}
