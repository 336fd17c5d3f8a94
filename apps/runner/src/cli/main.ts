/**
 * The `paravirt` CLI (docs/architecture.md section 6). `main()` takes its I/O as arguments
 * so the contract (output, exit codes, files) is tested in-process; bin.ts wires it to the
 * real process.
 *
 * Exit codes (exitCodes.ts): 0 the run reached its end; 1 the module stopped; 2 bad usage,
 * an invalid configuration or an output that cannot be written; 3 a user module
 * misbehaved at the host level; 70 a bug in paravirt; 130/143 interrupted. Every failure
 * is one line `error: <where>: <what>` on stderr, never a stack trace (--debug adds it for
 * internal errors).
 *
 * Built-in applications run in this process. User modules run in the sandbox
 * (src/sandbox/host.ts): that is the only place their code is ever imported.
 */
import { type ConfigError, formatDuration } from '@paravirt/machine';
import { type LoadResult, loadConfig, DEFAULT_DEMO, analyseSchedules, planKernel, openSession, type RunOutcome, type RunRequest, ConsolePrinter, reportHtml, type OutputWriter, type Spool, type TraceFile, buildSummary, summaryTable, moduleOutput, printable, summaryCsv, CliFailure, EXIT, type ExitCode } from '@paravirt/compose';
import { type ApplicationPlan, listApplications, planApplications } from '../run/applications.js';
import { describeThrown } from '@paravirt/machine';
import type { SandboxLauncher } from '../sandbox/host.js';
import type { SandboxRequest } from '../sandbox/protocol.js';
import { type CheckCommand, type Command, DIFF_USAGE, outputToStdout, parseArgs, type RunCommand, type SandboxOptions, USAGE, UsageError } from './args.js';
import { errnoText, type ReadLimits, readProblem } from './configFile.js';
import { diff } from './diff.js';
import { prepareConsoleDir, shownConsoles, writeConsoleFiles } from './moreOutputs.js';
import { RUNNER_VERSION } from './version.js';
import { ProgressBar } from './progress.js';
import { openTraceFile, traceNotice, traceSpoolFailure, writeTraceFile } from './traceOutput.js';
import { mergeSweep, sweep } from './sweep.js';
import { SWEEP_USAGE } from '../sweep/args.js';
import { NEW_USAGE, scaffold } from './scaffold.js';
import type { SweepHost } from '../sweep/host.js';

export { nodeIo } from './nodeIo.js';

/** Why a run was asked to stop before its end. */
export type Interruption = 'SIGINT' | 'SIGTERM' | 'EPIPE';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal (progress bar allowed). */
  readonly stderrIsTty: boolean;
  /** A configuration file's text, bounded in size and time (configFile.ts; `limits`: other than a config's); throws a CliFailure. */
  readonly readFile: (path: string, limits?: ReadLimits) => Promise<string>;
  /** Makes sure `path` can be written, before a run spends time (creates it empty if it is missing). */
  readonly prepareOutput: (path: string) => Promise<void>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  /**
   * Where the trace's body waits during the run (--trace): a temporary file next to `near`
   * (the trace's path; `-`: a temporary folder), gone once closed. Absent: memory.
   */
  readonly spool?: (near: string) => Spool;
  /** Writes an output in chunks (the trace; `-`: stdout). Absent: the chunks are gathered and handed to writeFile or stdout. */
  readonly openOutput?: (path: string) => Promise<OutputWriter>;
  /** Makes sure a folder (`--console-dir`) exists or can be made, before a run spends time; absent: files are written as they are. */
  readonly prepareFolder?: (path: string) => Promise<void>;
  /** Makes the folder (and its parents) at the end of a run. */
  readonly makeFolder?: (path: string) => Promise<void>;
  /** Wall-clock milliseconds, for wallTimeMs and the progress bar only. */
  readonly clock: () => number;
  readonly cwd: string;
  /** Starts the sandbox user modules run in; without one, runs that need it fail. */
  readonly sandbox?: SandboxLauncher;
  /**
   * Calls `stop` when the run should end early (a signal, stdout closed); returns the
   * function that unregisters it. Absent: nothing interrupts a run.
   */
  readonly onInterrupt?: (stop: (reason: Interruption) => void) => () => void;
  /** Lets the event loop turn (signals, pipe errors) during a long in-process run. */
  readonly yieldToHost?: () => Promise<void>;
  /** Worker threads and streamed output for `paravirt sweep`; absent: it runs in this thread and writes --out at the end. */
  readonly sweep?: SweepHost;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const command: Command = parseArgs(argv);
    switch (command.command) {
      case 'help':
        io.stdout(`${command.topic === 'diff' ? DIFF_USAGE : command.topic === 'sweep' ? SWEEP_USAGE : command.topic === 'new' ? NEW_USAGE : USAGE}\n`);
        return EXIT.ok;
      case 'version':
        io.stdout(`paravirt ${RUNNER_VERSION}\n`);
        return EXIT.ok;
      case 'diff':
        return await diff(command, io);
      case 'samples':
        for (const app of listApplications()) io.stdout(`${app.name.padEnd(12)} ${app.description}\n`);
        return EXIT.ok;
      case 'check':
        return await check(command, io);
      case 'run':
        return await run(command, io);
      case 'sweep':
        return await sweep(command, io);
      case 'sweep-merge':
        return await mergeSweep(command, io);
      case 'new':
        return await scaffold(command, io);
    }
  } catch (error) {
    if (error instanceof CliFailure) return fail(io, error.where, error.what, error.code);
    const code = fail(io, 'internal', `${describeThrown(error)} (a bug in paravirt: please report it${debug ? '' : '; --debug shows the stack trace'})`, EXIT.internal);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return code;
  }
}

function fail(io: CliIo, where: string, what: string, code: ExitCode): ExitCode {
  io.stderr(`error: ${printable(where, 200)}: ${printable(what)}\n`);
  return code;
}

/** `warning: <file>: <path>: <message>`, one line each (docs/architecture.md section 6). */
function printWarnings(io: CliIo, file: string | undefined, warnings: readonly ConfigError[] = []): void {
  for (const warning of warnings) io.stderr(`warning: ${printable(file ?? '(default demo)', 200)}: ${printable(warning.path, 200)}: ${printable(warning.message)}\n`);
}

/** The hint for partitions that run `idle` because an imported file names no application. */
function idleHint(spec: Prepared['loaded']['spec'], idle: readonly string[]): string {
  if (spec.kernel === 'none') return 'the module runs the idle application (the file names none); choose one with --app APP (paravirt samples lists them)';
  const names = idle.length > 3 ? `${idle.slice(0, 3).join(', ')} and ${idle.length - 3} more` : idle.join(', ');
  const all = idle.length === spec.partitions.length && idle.length > 1 ? 'all partitions' : `partition${idle.length > 1 ? 's' : ''} ${names}`;
  return `${printable(all, 200)} run${idle.length > 1 ? '' : 's'} the idle application (the file names none); choose one with --app PARTITION=APP (paravirt samples lists them)`;
}

function firstError(errors: readonly ConfigError[]): CliFailure {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}; see paravirt check)` : '';
  return new CliFailure(first.path, `${first.message}${more}`);
}

async function readConfigText(path: string | undefined, io: CliIo): Promise<string> {
  if (path === undefined) return DEFAULT_DEMO;
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw readProblem(path, error);
  }
  if (text.trim() === '') throw new CliFailure(path, 'is empty');
  return text;
}

/** Everything check and run do before running: the same code, so they give the same first error. */
interface Prepared {
  readonly loaded: LoadResult & { spec: NonNullable<LoadResult['spec']> };
  readonly applications: ApplicationPlan;
}

function prepare(text: string, command: CheckCommand | RunCommand, io: CliIo): { prepared?: Prepared; errors: readonly ConfigError[] } {
  const loaded = loadConfig(text, {
    ...(command.kernel ? { kernel: command.kernel } : {}),
    ...(command.arch ? { arch: command.arch } : {}),
    ...(command.command === 'run' && command.duration !== undefined ? { duration: command.duration } : {}),
    ...(command.command === 'run' && command.seed !== undefined ? { seed: command.seed } : {}),
    apps: command.apps,
  });
  // Warnings never change the outcome: check shows them with its errors, run only when it runs (its refusal is one line).
  const warnings = (): void => printWarnings(io, command.config, loaded.warnings);
  if (loaded.errors.length > 0 || !loaded.spec) {
    if (command.command === 'check') warnings();
    return { errors: loaded.errors };
  }
  const spec = loaded.spec;
  const kernelErrors = planKernel(spec, loaded.airConfig).errors;
  if (kernelErrors.length > 0) {
    if (command.command === 'check') warnings();
    return { errors: kernelErrors };
  }
  warnings();
  if (loaded.idleByDefault && !(command.command === 'run' && command.quiet)) io.stderr(`hint: ${idleHint(spec, loaded.idleByDefault)}\n`);
  return { prepared: { loaded: { ...loaded, spec }, applications: planApplications(spec, { cwd: io.cwd, config: command.config, fromCli: new Set(command.apps.map(({ partition }) => partition)) }) }, errors: [] };
}

function sandboxRequest(prepared: Prepared, mode: SandboxRequest['mode'], run: RunRequest, options: SandboxOptions, console: boolean): SandboxRequest {
  return { mode, run, modules: prepared.applications.modules, console, watchdogMs: options.watchdogMs, memoryLimitMb: options.memoryLimitMb, allowHost: options.allowHost };
}

function needSandbox(io: CliIo): NonNullable<CliIo['sandbox']> {
  if (!io.sandbox) throw new CliFailure('sandbox', 'user modules run in the sandbox, which this build of paravirt does not have (build the runner: pnpm build)', EXIT.internal);
  return io.sandbox;
}

async function check(command: CheckCommand, io: CliIo): Promise<number> {
  const path = command.config;
  const { prepared, errors } = prepare(await readConfigText(path, io), command, io);
  if (!prepared) {
    for (const error of errors) fail(io, error.path, error.message, EXIT.usage);
    return EXIT.usage;
  }
  const { loaded } = prepared;
  const spec = loaded.spec;
  if (prepared.applications.modules.length > 0) {
    // What run would load, check loads: a module that does not import or has no application fails here.
    const session = needSandbox(io)(sandboxRequest(prepared, 'load', { spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), trace: false }, command.sandbox, false), {});
    const result = await session.result;
    if (result.type === 'failure') throw new CliFailure(result.where, result.what, result.code);
  }
  const format = loaded.format === 'module' ? 'module configuration' : loaded.format === 'pok-yaml' ? 'POK config.yaml' : 'ARINC 653 XML';
  io.stdout(`${printable(path)}: valid ${format} for ${spec.kernel}/${spec.arch}, ${spec.partitions.length} partition(s)\n`);
  io.stdout(
    analyseSchedules(spec)
      .split('\n')
      .map((line) => printable(line))
      .join('\n'),
  );
  return EXIT.ok;
}

/** Where each output goes, checked before the run: a run of an hour must not end in "cannot write". */
async function prepareOutputs(command: RunCommand, io: CliIo): Promise<void> {
  for (const [option, target] of [
    ['--json', command.json],
    ['--trace', command.trace],
    ['--report', command.report],
    ['--csv', command.csv],
  ] as const) {
    if (target === undefined || target === '-') continue;
    try {
      await io.prepareOutput(target);
    } catch (error) {
      throw new CliFailure(option, `cannot write ${target} (${errnoText(error)})`);
    }
  }
  await prepareConsoleDir(command, io);
}

async function run(command: RunCommand, io: CliIo): Promise<number> {
  const { prepared, errors } = prepare(await readConfigText(command.config, io), command, io);
  if (!prepared) throw firstError(errors);
  const { loaded } = prepared;
  const spec = loaded.spec;
  const shown = shownConsoles(command, spec);
  await prepareOutputs(command, io);

  const anyToStdout = outputToStdout(command);
  const showConsole = !command.quiet && !anyToStdout && shown !== undefined;
  const progress = !command.quiet && !anyToStdout && io.stderrIsTty ? new ProgressBar(io.stderr, spec.duration, io.clock) : undefined;
  // A console line takes the progress bar off its line first.
  const printer = new ConsolePrinter((text) => {
    progress?.clear();
    io.stdout(text);
  }, spec.kernel !== 'none');
  const onConsole = showConsole
    ? (partition: string, bytes: Uint8Array) => {
        if (shown(partition)) printer.bytes(partition, bytes);
      }
    : undefined;
  const request: RunRequest = {
    spec,
    ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}),
    trace: command.trace !== undefined,
    ...(command.traceEvents ? { traceEvents: command.traceEvents } : {}),
    report: command.report !== undefined,
    ...(command.noFastForward ? { fastForward: false } : {}),
  };
  const traceFile = command.trace !== undefined ? openTraceFile(command.trace, io) : undefined;
  try {
    return await runAndReport(command, io, prepared, request, { printer, onConsole, progress, traceFile });
  } finally {
    traceFile?.close();
  }
}

async function runAndReport(
  command: RunCommand,
  io: CliIo,
  prepared: Prepared,
  request: RunRequest,
  { printer, onConsole, progress, traceFile }: { printer: ConsolePrinter; onConsole: ((partition: string, bytes: Uint8Array) => void) | undefined; progress: ProgressBar | undefined; traceFile: TraceFile | undefined },
): Promise<number> {
  const { spec } = request;
  const { applications } = prepared;

  let interruption: Interruption | undefined;
  let stopRun = (): void => {};
  const unregister = io.onInterrupt?.((reason) => {
    interruption ??= reason;
    stopRun();
  });
  const started = io.clock();
  let outcome: RunOutcome;
  try {
    if (applications.modules.length === 0) {
      outcome = await runHere(request, applications, io, onConsole, progress, () => interruption !== undefined, traceFile && command.trace !== undefined ? { file: traceFile, target: command.trace } : undefined);
    } else {
      const session = needSandbox(io)(sandboxRequest(prepared, 'run', request, command.sandbox, onConsole !== undefined), {
        ...(onConsole ? { onConsole } : {}),
        ...(progress ? { onProgress: (now: number) => progress.update(now) } : {}),
        ...(command.quiet
          ? {}
          : {
              onModuleOutput: (text: string) => {
                progress?.clear();
                io.stderr(moduleOutput(text));
              },
            }),
        ...(traceFile
          ? {
              onTrace: (parts: ReadonlyArray<Uint8Array | number>) => {
                for (const part of parts) {
                  if (typeof part !== 'number') traceFile.body(part);
                  else traceFile.hole(part);
                }
                // A spool that cannot take more ends the run (the failure comes after it).
                if (traceFile.error !== undefined) session.stop();
                // The sandbox waits while the disk is behind.
                return traceFile.behind ? traceFile.settle() : undefined;
              },
            }
          : {}),
      });
      stopRun = () => session.stop();
      if (interruption !== undefined) session.stop();
      const result = await session.result;
      if (result.type === 'failure') {
        if (command.debug && result.detail) io.stderr(`${result.detail}\n`);
        throw new CliFailure(result.where, result.what, result.code);
      }
      if (result.type !== 'outcome') throw new CliFailure('sandbox', `answered ${result.type} to a run`, EXIT.internal);
      const spoolFailure = traceFile && command.trace !== undefined ? traceSpoolFailure(traceFile, command.trace) : undefined;
      if (spoolFailure) throw spoolFailure;
      outcome = result.outcome;
    }
  } finally {
    unregister?.();
    progress?.finish();
  }
  printer.flush();
  return report(command, io, spec, outcome, interruption, Math.round(io.clock() - started), traceFile);
}

/** A run of built-in applications, in this process, in slices between which signals are seen. */
async function runHere(
  request: RunRequest,
  applications: ApplicationPlan,
  io: CliIo,
  onConsole: ((partition: string, bytes: Uint8Array) => void) | undefined,
  progress: ProgressBar | undefined,
  stopRequested: () => boolean,
  trace?: { readonly file: TraceFile; readonly target: string },
): Promise<RunOutcome> {
  const session = openSession(request, applications.builtins, { ...(onConsole ? { onConsole } : {}), ...(trace ? { traceText: trace.file } : {}) });
  let lastYield = io.clock();
  for (const now of session.slices()) {
    if (trace?.file.behind) await trace.file.settle();
    const spoolFailure = trace && traceSpoolFailure(trace.file, trace.target);
    if (spoolFailure) throw spoolFailure;
    progress?.update(now);
    if (io.yieldToHost && io.clock() - lastYield > 20) {
      await io.yieldToHost();
      lastYield = io.clock();
    }
    if (stopRequested()) return session.outcome(true);
  }
  return session.outcome(false);
}

async function report(
  command: RunCommand,
  io: CliIo,
  spec: Prepared['loaded']['spec'],
  outcome: RunOutcome,
  interruption: Interruption | undefined,
  wallTimeMs: number,
  traceFile: TraceFile | undefined,
): Promise<number> {
  const { result } = outcome;
  const summary = buildSummary(spec, result.report, { virtualTimeNs: result.virtualTimeNs, events: result.events, wallTimeMs, interrupted: outcome.interrupted, devices: result.devices });
  // Stdout closed early (EPIPE): nothing more goes there; files are still written.
  const stdout = interruption === 'EPIPE' ? () => {} : io.stdout;
  const anyToStdout = outputToStdout(command);
  if (!command.quiet && !anyToStdout) stdout(`\n${summaryTable(summary)}`);
  if (outcome.interrupted && interruption !== 'EPIPE') io.stderr(`interrupted (${interruption ?? 'stopped'}) at ${formatDuration(result.virtualTimeNs)} of virtual time: outputs cover what ran\n`);
  if (result.stopReason !== undefined && !command.quiet) io.stderr(`module stopped at ${formatDuration(result.stoppedAt ?? result.virtualTimeNs)}: ${printable(result.stopReason)}\n`);
  const emit = async (option: string, target: string | undefined, text: () => string): Promise<void> => {
    if (target === undefined) return;
    if (target === '-') return stdout(text());
    try {
      await io.writeFile(target, text());
    } catch (error) {
      throw new CliFailure(option, `cannot write ${target} (${errnoText(error)})`);
    }
  };
  await emit('--json', command.json, () => `${JSON.stringify(summary, null, 2)}\n`);
  if (command.trace !== undefined && traceFile && outcome.trace) {
    // Streamed during the run; written now, in one pass (its head is known only at the end).
    await writeTraceFile(traceFile, outcome.trace, command.trace, io, stdout);
    if (!command.quiet && command.trace !== '-') io.stderr(traceNotice(command.trace, outcome.trace, traceFile));
  }
  await emit('--report', command.report, () => {
    return reportHtml(summary, outcome.report!);
  });
  await emit('--csv', command.csv, () => summaryCsv(summary));
  await writeConsoleFiles(command, io, summary);
  if (interruption === 'EPIPE') return EXIT.ok;
  if (outcome.interrupted) return interruption === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
  return result.stopReason === undefined ? EXIT.ok : EXIT.moduleStopped;
}

export { UsageError };
