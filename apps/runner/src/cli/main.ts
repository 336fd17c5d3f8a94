/**
 * The `paravirt` CLI (docs/architecture.md section 6). `main()` takes its I/O as arguments so
 * the contract (output, exit codes, files) is tested in-process; bin/paravirt.js wires it
 * to the real process.
 *
 * Exit codes: 0 the run reached its end; 1 the module stopped (module-level action, fatal
 * halt); 2 bad usage or invalid configuration, with one line `error: <where>: <what>` on
 * stderr and no stack trace.
 */
import { BufferTraceSink, type ConfigError, formatDuration, TraceRecorder } from '@paravirt/machine';
import { type LoadResult, loadConfig } from '../config/loadConfig.js';
import { DEFAULT_DEMO } from '../config/defaultDemo.js';
import { analyseSchedules } from '../config/scheduleAnalysis.js';
import { ApplicationError, listApplications, resolveApplications } from '../run/applications.js';
import { planKernel } from '../run/kernels.js';
import { BareMetalRun } from '../run/bareMetal.js';
import { CompositionError, Simulation } from '../run/simulation.js';
import { toChromeTrace } from '../output/chromeTrace.js';
import { ConsolePrinter } from '../output/consolePrinter.js';
import { htmlReport } from '../output/htmlReport.js';
import { buildSummary } from '../output/summary.js';
import { summaryTable } from '../output/table.js';
import { type CheckCommand, type Command, parseArgs, type RunCommand, USAGE, UsageError } from './args.js';
import { ProgressBar } from './progress.js';

export { nodeIo } from './nodeIo.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal (progress bar allowed). */
  readonly stderrIsTty: boolean;
  readonly readFile: (path: string) => Promise<string>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  /** Wall-clock milliseconds, for wallTimeMs and the progress bar only. */
  readonly clock: () => number;
  readonly cwd: string;
}

class ExitError extends Error {
  constructor(
    readonly where: string,
    readonly what: string,
  ) {
    super(`${where}: ${what}`);
  }
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(io, error.where, error.what);
    throw error;
  }
  try {
    switch (command.command) {
      case 'help':
        io.stdout(`${USAGE}\n`);
        return 0;
      case 'samples':
        for (const app of listApplications()) io.stdout(`${app.name.padEnd(12)} ${app.description}\n`);
        return 0;
      case 'check':
        return await check(command, io);
      case 'run':
        return await run(command, io);
    }
  } catch (error) {
    if (error instanceof ExitError || error instanceof CompositionError || error instanceof ApplicationError) return fail(io, error.where, error.what);
    throw error;
  }
}

function fail(io: CliIo, where: string, what: string): number {
  io.stderr(`error: ${where}: ${what}\n`);
  return 2;
}

function firstError(errors: readonly ConfigError[]): ExitError {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}; see paravirt check)` : '';
  return new ExitError(first.path, `${first.message}${more}`);
}

async function readConfigText(path: string | undefined, io: CliIo): Promise<string> {
  if (path === undefined) return DEFAULT_DEMO;
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExitError(path, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? String(error)})`);
  }
}

/** Kernel-specific checks, so `check` catches what `run` would refuse. */
function kernelErrors(loaded: LoadResult): readonly ConfigError[] {
  return planKernel(loaded.spec!, loaded.airConfig).errors;
}

async function check(command: CheckCommand, io: CliIo): Promise<number> {
  const path = command.config;
  const loaded = loadConfig(await readConfigText(path, io), {
    ...(command.kernel ? { kernel: command.kernel } : {}),
    ...(command.arch ? { arch: command.arch } : {}),
    apps: command.apps,
  });
  const errors = loaded.errors.length > 0 ? loaded.errors : kernelErrors(loaded);
  if (errors.length > 0) {
    for (const error of errors) io.stderr(`error: ${error.path}: ${error.message}\n`);
    return 2;
  }
  const spec = loaded.spec!;
  io.stdout(`${path}: valid ${loaded.format === 'module' ? 'module configuration' : loaded.format === 'pok-yaml' ? 'POK config.yaml' : 'ARINC 653 XML'} for ${spec.kernel}/${spec.arch}, ${spec.partitions.length} partition(s)\n`);
  io.stdout(analyseSchedules(spec));
  return 0;
}

/**
 * Most trace records one run keeps (about 100 MB of Chrome JSON): a partition trapping
 * millions of times must not exhaust memory or the longest string JSON can make.
 */
const MAX_TRACE_RECORDS = 1_000_000;

async function run(command: RunCommand, io: CliIo): Promise<number> {
  const loaded = loadConfig(await readConfigText(command.config, io), {
    ...(command.kernel ? { kernel: command.kernel } : {}),
    ...(command.arch ? { arch: command.arch } : {}),
    ...(command.duration !== undefined ? { duration: command.duration } : {}),
    ...(command.seed !== undefined ? { seed: command.seed } : {}),
    apps: command.apps,
  });
  if (loaded.errors.length > 0) throw firstError(loaded.errors);
  const spec = loaded.spec!;
  const kernelProblems = kernelErrors(loaded);
  if (kernelProblems.length > 0) throw firstError(kernelProblems);
  const applications = await resolveApplications(spec, io.cwd);

  const jsonToStdout = command.json === '-';
  const showConsole = !command.quiet && !jsonToStdout;
  const sink = command.trace !== undefined || command.report !== undefined ? new BufferTraceSink(MAX_TRACE_RECORDS) : undefined;
  const printer = new ConsolePrinter(io.stdout, spec.kernel !== 'none');
  const started = io.clock();
  const trace = sink ? new TraceRecorder(sink) : undefined;
  const onConsole = showConsole ? (partition: string, bytes: Uint8Array) => printer.bytes(partition, bytes) : undefined;
  const simulation =
    spec.kernel === 'none'
      ? new BareMetalRun(spec, applications.get(spec.partitions[0]!.app)!, { ...(trace ? { trace } : {}), ...(onConsole ? { onConsole } : {}) })
      : new Simulation({ spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), applications, ...(trace ? { trace } : {}), ...(onConsole ? { onConsole } : {}) });
  const progress = io.stderrIsTty && !command.quiet && !jsonToStdout ? new ProgressBar(io.stderr, spec.duration, io.clock) : undefined;
  simulation.run(spec.duration, progress ? (now) => progress.update(now) : undefined);
  progress?.finish();
  printer.flush();
  const result = simulation.result();
  const summary = buildSummary(spec, result.report, { virtualTimeNs: result.virtualTimeNs, events: result.events, wallTimeMs: Math.round(io.clock() - started) });

  if (showConsole) io.stdout(`\n${summaryTable(summary)}`);
  if (result.stopReason !== undefined && !command.quiet) io.stderr(`module stopped at ${formatDuration(result.stoppedAt ?? result.virtualTimeNs)}: ${result.stopReason}\n`);
  if (command.json !== undefined) {
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    if (jsonToStdout) io.stdout(text);
    else await write(io, command.json, text);
  }
  if (sink && sink.dropped > 0) {
    io.stderr(`warning: trace: kept the first ${sink.records.length} records (to ${formatDuration(sink.truncatedAt!)}), ${sink.dropped} later ones dropped; trace a shorter --duration\n`);
  }
  if (command.trace !== undefined) {
    const trace = toChromeTrace(sink!.records, summary.partitions.map((partition) => partition.name), spec.kernel, sink!.truncatedAt ?? result.virtualTimeNs);
    await write(io, command.trace, JSON.stringify(trace));
  }
  if (command.report !== undefined) {
    const majorFrame = spec.schedules[0]?.majorFrame ?? 100_000_000;
    await write(io, command.report, htmlReport(summary, sink!.records, Math.min(result.virtualTimeNs, 3 * majorFrame)));
  }
  return result.stopReason === undefined ? 0 : 1;
}

async function write(io: CliIo, path: string, text: string): Promise<void> {
  try {
    await io.writeFile(path, text);
  } catch (error) {
    throw new ExitError(path, `cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
