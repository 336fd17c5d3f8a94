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
import { type LoadResult, loadConfig } from '../config/loadConfig.js';
import { DEFAULT_DEMO } from '../config/defaultDemo.js';
import { analyseSchedules } from '../config/scheduleAnalysis.js';
import { type ApplicationPlan, listApplications, planApplications } from '../run/applications.js';
import { planKernel } from '../run/kernels.js';
import { openSession, type RunOutcome, type RunRequest } from '../run/session.js';
import { describeThrown } from '@paravirt/machine';
import { toChromeTrace } from '../output/chromeTrace.js';
import { ConsolePrinter } from '../output/consolePrinter.js';
import { htmlReport } from '../output/htmlReport.js';
import { buildSummary } from '../output/summary.js';
import { summaryTable } from '../output/table.js';
import { printable } from '../output/text.js';
import type { SandboxLauncher } from '../sandbox/host.js';
import type { SandboxRequest } from '../sandbox/protocol.js';
import { type CheckCommand, type Command, parseArgs, type RunCommand, type SandboxOptions, USAGE, UsageError } from './args.js';
import { errnoText, readProblem } from './configFile.js';
import { CliFailure, EXIT, type ExitCode } from './exitCodes.js';
import { ProgressBar } from './progress.js';

export { nodeIo } from './nodeIo.js';

/** Why a run was asked to stop before its end. */
export type Interruption = 'SIGINT' | 'SIGTERM' | 'EPIPE';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal (progress bar allowed). */
  readonly stderrIsTty: boolean;
  /** A configuration file's text, bounded in size and time (configFile.ts); throws a CliFailure. */
  readonly readFile: (path: string) => Promise<string>;
  /** Makes sure `path` can be written, before a run spends time (creates it empty if it is missing). */
  readonly prepareOutput: (path: string) => Promise<void>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
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
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const command: Command = parseArgs(argv);
    switch (command.command) {
      case 'help':
        io.stdout(`${USAGE}\n`);
        return EXIT.ok;
      case 'samples':
        for (const app of listApplications()) io.stdout(`${app.name.padEnd(12)} ${app.description}\n`);
        return EXIT.ok;
      case 'check':
        return await check(command, io);
      case 'run':
        return await run(command, io);
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
  if (loaded.errors.length > 0 || !loaded.spec) return { errors: loaded.errors };
  const spec = loaded.spec;
  const kernelErrors = planKernel(spec, loaded.airConfig).errors;
  if (kernelErrors.length > 0) return { errors: kernelErrors };
  // An application named on the command line is blamed on --app, one from the file on the file.
  const fromCli = new Set(command.apps.map(({ partition }) => partition));
  const whereOf = (index: number): string => {
    const partition = spec.partitions[index]!;
    if (spec.kernel === 'none') return fromCli.size > 0 ? `--app ${partition.app}` : `partitions[${index}].app`;
    return fromCli.has(partition.name) ? `--app ${partition.name}=${partition.app}` : `partitions[${index}].app`;
  };
  return { prepared: { loaded: { ...loaded, spec }, applications: planApplications(spec, io.cwd, whereOf) }, errors: [] };
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
  ] as const) {
    if (target === undefined || target === '-') continue;
    try {
      await io.prepareOutput(target);
    } catch (error) {
      throw new CliFailure(option, `cannot write ${target} (${errnoText(error)})`);
    }
  }
}

async function run(command: RunCommand, io: CliIo): Promise<number> {
  const { prepared, errors } = prepare(await readConfigText(command.config, io), command, io);
  if (!prepared) throw firstError(errors);
  const { loaded, applications } = prepared;
  const spec = loaded.spec;
  await prepareOutputs(command, io);

  const anyToStdout = command.json === '-' || command.trace === '-' || command.report === '-';
  const showConsole = !command.quiet && !anyToStdout;
  const printer = new ConsolePrinter(io.stdout, spec.kernel !== 'none');
  const onConsole = showConsole ? (partition: string, bytes: Uint8Array) => printer.bytes(partition, bytes) : undefined;
  const progress = io.stderrIsTty && !command.quiet && !anyToStdout ? new ProgressBar(io.stderr, spec.duration, io.clock) : undefined;
  const request: RunRequest = { spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), trace: command.trace !== undefined || command.report !== undefined };

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
      outcome = await runHere(request, applications, io, onConsole, progress, () => interruption !== undefined);
    } else {
      const session = needSandbox(io)(sandboxRequest(prepared, 'run', request, command.sandbox, onConsole !== undefined), {
        ...(onConsole ? { onConsole } : {}),
        ...(progress ? { onProgress: (now: number) => progress.update(now) } : {}),
        ...(command.quiet ? {} : { onModuleOutput: (text: string) => io.stderr(moduleOutput(text)) }),
      });
      stopRun = () => session.stop();
      if (interruption !== undefined) session.stop();
      const result = await session.result;
      if (result.type === 'failure') {
        if (command.debug && result.detail) io.stderr(`${result.detail}\n`);
        throw new CliFailure(result.where, result.what, result.code);
      }
      if (result.type !== 'outcome') throw new CliFailure('sandbox', `answered ${result.type} to a run`, EXIT.internal);
      outcome = result.outcome;
    }
  } finally {
    unregister?.();
    progress?.finish();
  }
  printer.flush();
  return report(command, io, spec, outcome, interruption, Math.round(io.clock() - started));
}

/** A run of built-in applications, in this process, in slices between which signals are seen. */
async function runHere(
  request: RunRequest,
  applications: ApplicationPlan,
  io: CliIo,
  onConsole: ((partition: string, bytes: Uint8Array) => void) | undefined,
  progress: ProgressBar | undefined,
  stopRequested: () => boolean,
): Promise<RunOutcome> {
  const session = openSession(request, applications.builtins, onConsole ? { onConsole } : {});
  let lastYield = io.clock();
  for (const now of session.slices()) {
    progress?.update(now);
    if (io.yieldToHost && io.clock() - lastYield > 20) {
      await io.yieldToHost();
      lastYield = io.clock();
    }
    if (stopRequested()) return session.outcome(true);
  }
  return session.outcome(false);
}

/** Lines a module printed on the host's console (console.log), apart from partition consoles. */
function moduleOutput(text: string): string {
  return text
    .split('\n')
    .filter((line, index, lines) => line !== '' || index < lines.length - 1)
    .map((line) => `module: ${printable(line)}\n`)
    .join('');
}

async function report(command: RunCommand, io: CliIo, spec: Prepared['loaded']['spec'], outcome: RunOutcome, interruption: Interruption | undefined, wallTimeMs: number): Promise<number> {
  const { result } = outcome;
  const summary = buildSummary(spec, result.report, { virtualTimeNs: result.virtualTimeNs, events: result.events, wallTimeMs, interrupted: outcome.interrupted, devices: result.devices });
  // Stdout closed early (EPIPE): nothing more goes there; files are still written.
  const stdout = interruption === 'EPIPE' ? () => {} : io.stdout;
  const anyToStdout = command.json === '-' || command.trace === '-' || command.report === '-';
  if (!command.quiet && !anyToStdout) stdout(`\n${summaryTable(summary)}`);
  if (outcome.interrupted && interruption !== 'EPIPE') io.stderr(`interrupted (${interruption ?? 'stopped'}) at ${formatDuration(result.virtualTimeNs)} of virtual time: outputs cover what ran\n`);
  if (result.stopReason !== undefined && !command.quiet) io.stderr(`module stopped at ${formatDuration(result.stoppedAt ?? result.virtualTimeNs)}: ${printable(result.stopReason)}\n`);
  const trace = outcome.trace;
  if (trace && trace.dropped > 0) {
    io.stderr(`warning: trace: kept the first ${trace.records.length} records (to ${formatDuration(trace.truncatedAt!)}), ${trace.dropped} later ones dropped; trace a shorter --duration\n`);
  }
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
  await emit('--trace', command.trace, () => JSON.stringify(toChromeTrace(trace!.records, summary.partitions.map((partition) => partition.name), spec.kernel, trace!.truncatedAt ?? result.virtualTimeNs)));
  await emit('--report', command.report, () => {
    const majorFrame = spec.schedules[0]?.majorFrame ?? 100_000_000;
    return htmlReport(summary, trace!.records, Math.min(result.virtualTimeNs, 3 * majorFrame));
  });
  if (interruption === 'EPIPE') return EXIT.ok;
  if (outcome.interrupted) return interruption === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
  return result.stopReason === undefined ? EXIT.ok : EXIT.moduleStopped;
}

export { UsageError };
