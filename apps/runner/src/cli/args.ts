/**
 * Command-line parsing for the `paravirt` CLI (docs/architecture.md section 6; USAGE
 * below is the whole grammar).
 *
 * Problems come back as a UsageError whose message is the `<where>: <what>` of the
 * `error: ...` line the CLI prints (exit code 2).
 */
import { type Nanoseconds, parseDuration } from '@paravirt/machine';
import { type ArchName, type KernelName, parseTraceEvents, TRACE_CATEGORIES, type TraceCategory, architectures, kernelNames, CliFailure, EXIT } from '@paravirt/compose';
import { parseSweep, type SweepCommand, type SweepMergeCommand } from '../sweep/args.js';
import { type NewCommand, parseNew } from './scaffold.js';

export class UsageError extends CliFailure {
  constructor(where: string, what: string) {
    super(where, what, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** How user modules are contained (see src/sandbox/host.ts). */
export interface SandboxOptions {
  /** Wall-clock time the simulation may go without progress before a module is declared hung. */
  readonly watchdogMs: number;
  /** Heap limit of the sandbox's worker, in MiB. */
  readonly memoryLimitMb: number;
  /** Modules run with the CLI's rights (no permission model). */
  readonly allowHost: boolean;
}

export const DEFAULT_SANDBOX: SandboxOptions = { watchdogMs: 10_000, memoryLimitMb: 2048, allowHost: false };

/** Where an output goes: a file, or `-` for stdout. */
export type OutputTarget = string;

export interface RunCommand {
  readonly command: 'run';
  readonly config?: string;
  readonly kernel?: KernelName;
  readonly arch?: ArchName;
  readonly duration?: Nanoseconds;
  readonly seed?: number;
  readonly apps: ReadonlyArray<{ readonly partition: string; readonly app: string }>;
  readonly json?: OutputTarget;
  readonly trace?: OutputTarget;
  /** What the trace records (--trace-events); absent: everything. */
  readonly traceEvents?: readonly TraceCategory[];
  readonly report?: OutputTarget;
  /** The summary table as CSV. */
  readonly csv?: OutputTarget;
  /** A folder for one console file per partition (`<partition>.txt`). */
  readonly consoleDir?: string;
  /** Partitions whose consoles are not echoed on the terminal (still in the files and the summary). */
  readonly mute: readonly string[];
  readonly quiet: boolean;
  /** --no-fast-forward: simulate every idle kernel tick (same outputs, slower; for comparison). */
  readonly noFastForward: boolean;
  readonly sandbox: SandboxOptions;
  readonly debug: boolean;
}

export interface CheckCommand {
  readonly command: 'check';
  readonly config: string;
  /** The overrides that change what is valid, as for run. */
  readonly kernel?: KernelName;
  readonly arch?: ArchName;
  readonly apps: ReadonlyArray<{ readonly partition: string; readonly app: string }>;
  readonly sandbox: SandboxOptions;
  readonly debug: boolean;
}

export interface SamplesCommand {
  readonly command: 'samples';
}

export interface HelpCommand {
  readonly command: 'help';
  /** `diff --help`, `sweep --help`: that command's own usage (their exit codes are not run's). */
  readonly topic?: 'diff' | 'sweep' | 'new';
}

export interface VersionCommand {
  readonly command: 'version';
}

/** `paravirt diff A.json B.json`: what changed between two JSON summaries (src/cli/diff.ts). */
export interface DiffCommand {
  readonly command: 'diff';
  readonly a: string;
  readonly b: string;
  /** The differences as JSON on stdout instead of text. */
  readonly json: boolean;
}

export type Command = RunCommand | CheckCommand | SamplesCommand | HelpCommand | VersionCommand | DiffCommand | SweepCommand | SweepMergeCommand | NewCommand;

/** The kernels and architectures the registries hold (run/kernels.ts, run/architectures.ts), as usage shows them. */
const KERNEL_CHOICES = kernelNames().join('|');
const ARCH_CHOICES = architectures.names.join('|');

export const USAGE = `usage:
  paravirt run [CONFIG] [--kernel ${KERNEL_CHOICES}] [--arch ${ARCH_CHOICES}] [--duration 40s] [--seed N]
               [--app PARTITION=APP]... [--json FILE|-] [--trace FILE|-] [--report FILE|-] [--csv FILE|-]
               [--trace-events CATEGORY,...] [--console-dir DIR] [--mute PARTITION,...] [--quiet]
               [--no-fast-forward] [--watchdog 10s] [--max-memory 2GiB] [--allow-host] [--debug]
  paravirt check CONFIG [--kernel ${KERNEL_CHOICES}] [--arch ${ARCH_CHOICES}] [--app PARTITION=APP]...
               [--watchdog 10s] [--max-memory 2GiB] [--allow-host] [--debug]
  paravirt diff A.json B.json [--json]     (what changed between two --json summaries; diff --help)
  paravirt sweep [SWEEP.yaml] [--seeds 1..100] [--jobs N] [--shard I/N] [--out FILE] ...
  paravirt sweep merge LINES.jsonl...      (campaigns: configs x kernels x arches x seeds; sweep --help)
  paravirt new app NAME [--dir DIR] [--lang js|ts]   (a two-task application to start from; new --help)
  paravirt samples
  paravirt --version | -V

With no CONFIG, run starts the default demo: hello, ticker and base_sp in three POK
partitions on the i386 for 40 s of virtual time. CONFIG may be our YAML/JSON, a POK
config.yaml or an ARINC 653 / AIR XML file (detected by content).

Durations need a unit: ns, us, ms, s, m (or min), h (--duration 10m is ten minutes).

Outputs (FILE or - for stdout, one output at most on stdout): --json the summary, --trace a
Chrome/Perfetto trace, --report an HTML report, --csv the summary table as CSV.
--trace-events keeps only some of the trace: ${TRACE_CATEGORIES.join(',')} or all (default: all but ticks).
--console-dir DIR writes each partition's console to DIR/<partition>.txt (bare metal: the
application's name); --mute P1,P2 does not echo those partitions' consoles here.

User modules (--app PARTITION=path/to/module.mjs, .js, .ts or .mts, from any folder) may
import @paravirt/cpukit and @paravirt/samples; TypeScript is run with its types stripped
(not checked). They run in a sandbox: no file writes, no processes, reads of their own
folder only, stopped after --watchdog of wall time without progress or past --max-memory.
--allow-host gives them the CLI's rights.

Exit codes of run and check (diff, sweep, new: see their --help): 0 ran to the end; 1 the module
stopped; 2 bad usage, config or output path; 3 a user module misbehaved (would not load,
hung, exceeded a limit); 70 a bug in paravirt (--debug shows its stack trace); 130/143
interrupted (SIGINT/SIGTERM).`;

export const DIFF_USAGE = `usage:
  paravirt diff A.json B.json [--json]

Compares two JSON summaries written by paravirt run --json FILE: the module's fields
(kernel, arch, seed, virtual time, events, schedule, ...) and, partition by partition
(matched by name), CPU time, idle time, windows, hypercalls, vIRQ counts and latency
(min, mean, p99, max; overall and per line), deadline misses, HM events and the console.
wallTimeMs, the only field that differs between two runs of the same config and seed, is
not compared.

Prints each difference as "field  A -> B"; --json prints them as one JSON object instead
({ identical, a, b, module: [...], partitions: [...] }).

Exit codes: 0 identical in every compared field; 1 they differ; 2 bad usage or an input
that cannot be read or is not a paravirt JSON summary.`;

const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--kernel', '--arch', '--duration', '--seed', '--app', '--json', '--trace', '--trace-events', '--report', '--csv', '--console-dir', '--mute', '--watchdog', '--max-memory']);
/** What check accepts: the overrides that decide whether a module is valid, and how modules are loaded. */
const CHECK_OPTIONS: ReadonlySet<string> = new Set(['--kernel', '--arch', '--app', '--watchdog', '--max-memory']);
const FLAGS: ReadonlySet<string> = new Set(['--quiet', '-q', '--no-fast-forward', '--allow-host', '--debug']);
const CHECK_FLAGS: ReadonlySet<string> = new Set(['--allow-host', '--debug']);
/** Options whose value names a file: a value that looks like an option is a forgotten value, not a file name. */
const PATH_OPTIONS: ReadonlySet<string> = new Set(['--json', '--trace', '--report', '--csv', '--console-dir', '--app']);

/**
 * The value given to option `flag` (`--flag=value`, inline, or the next argument): refuses a
 * missing one, the next option taken for a value, and for a path option (`paths`) a value
 * that looks like an option (a file named so is `./-name`).
 */
export function optionValue(flag: string, value: string | undefined, inline: boolean, paths: ReadonlySet<string>): string {
  if (value === undefined || (!inline && value.startsWith('--'))) throw new UsageError(flag, 'needs a value');
  if (paths.has(flag) && value.startsWith('-') && value !== '-') {
    throw new UsageError(flag, `needs a value, got "${value}", which looks like an option (a file named so: ./${value})`);
  }
  return value;
}
/** The outputs `-` may send to stdout, in the order usage lists them. */
const STDOUT_OUTPUTS = ['--json', '--trace', '--report', '--csv'] as const;

/** A run sends one of its outputs to stdout (then no consoles, no table and no progress bar there). */
export function outputToStdout(command: RunCommand): boolean {
  return command.json === '-' || command.trace === '-' || command.report === '-' || command.csv === '-';
}

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', ...(command === 'diff' || command === 'sweep' || command === 'new' ? { topic: command } : {}) };
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
    case '--version':
    case '-V':
      if (rest.length > 0) throw new UsageError(command, `takes no arguments, got ${rest.join(' ')}`);
      return { command: 'version' };
    case 'diff':
      return parseDiff(rest);
    case 'samples':
      if (rest.length > 0) throw new UsageError('samples', `takes no arguments, got ${rest.join(' ')}`);
      return { command: 'samples' };
    case 'check': {
      const { config, kernel, arch, apps, sandbox, debug } = parseRun(rest, CHECK_OPTIONS, CHECK_FLAGS);
      if (config === undefined) throw new UsageError('check', 'needs exactly one CONFIG file');
      return { command: 'check', config, ...(kernel ? { kernel } : {}), ...(arch ? { arch } : {}), apps, sandbox, debug };
    }
    case 'run':
      return parseRun(rest);
    case 'sweep':
      return parseSweep(rest);
    case 'new':
      return parseNew(rest);
    default:
      throw new UsageError(command, 'unknown command (run, check, diff, sweep, new, samples)');
  }
}

function parseDiff(args: readonly string[]): DiffCommand {
  const files: string[] = [];
  let json = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(arg, arg.startsWith('--json=') ? 'diff --json takes no value (it prints the differences as JSON)' : 'unknown option (diff takes --json)');
    else files.push(arg);
  }
  if (files.length !== 2) throw new UsageError('diff', `needs two JSON summaries (paravirt diff A.json B.json), got ${files.length}`);
  if (files.includes('-')) throw new UsageError('diff', 'compares two files: - (stdin) is not one');
  return { command: 'diff', a: files[0]!, b: files[1]!, json };
}

/** A CLI duration: a number and a unit, as in the config files (a bare number is refused: 40 is not 40 s). */
export function cliDuration(flag: string, value: string): Nanoseconds {
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) throw new UsageError(flag, `"${value.trim()}" needs a unit (ns, us, ms, s, m, h), e.g. ${value.trim()}s`);
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(flag, parsed.error);
  if (parsed.value === 0) throw new UsageError(flag, 'must be longer than 0');
  return parsed.value;
}

/** `--watchdog`: wall time from 100ms to 1h, in milliseconds. */
export function watchdogMs(value: string): number {
  const ms = cliDuration('--watchdog', value) / 1e6;
  if (ms < 100 || ms > 3_600_000) throw new UsageError('--watchdog', `must be from 100ms to 1h of wall time, got ${value}`);
  return Math.round(ms);
}

/** `--max-memory`: 64MiB to 64GiB, in MiB. */
export function memoryLimitMb(value: string): number {
  const match = /^(\d+)(MiB|GiB)$/.exec(value);
  const mib = match ? Number(match[1]) * (match[2] === 'GiB' ? 1024 : 1) : Number.NaN;
  if (!(mib >= 64 && mib <= 65_536)) throw new UsageError('--max-memory', `must be a size from 64MiB to 64GiB, e.g. 4GiB, got "${value}"`);
  return Math.floor(mib);
}

function parseRun(args: readonly string[], allowed: ReadonlySet<string> = VALUE_OPTIONS, flags: ReadonlySet<string> = FLAGS): RunCommand {
  let config: string | undefined;
  let kernel: KernelName | undefined;
  let arch: ArchName | undefined;
  let duration: Nanoseconds | undefined;
  let seed: number | undefined;
  const apps: Array<{ partition: string; app: string }> = [];
  let json: string | undefined;
  let trace: string | undefined;
  let traceEvents: Set<TraceCategory> | undefined;
  let report: string | undefined;
  let csv: string | undefined;
  let consoleDir: string | undefined;
  const mute: string[] = [];
  let quiet = false;
  let noFastForward = false;
  let debug = false;
  let sandbox = DEFAULT_SANDBOX;
  const isCheck = allowed !== VALUE_OPTIONS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flags.has(flag) && inline === undefined) {
      if (flag === '--quiet' || flag === '-q') quiet = true;
      else if (flag === '--debug') debug = true;
      else if (flag === '--no-fast-forward') noFastForward = true;
      else sandbox = { ...sandbox, allowHost: true };
      continue;
    }
    if (!flag.startsWith('-') || flag === '-') {
      if (config !== undefined) throw new UsageError(arg, `only one CONFIG may be given (already have ${config})`);
      config = arg;
      continue;
    }
    if (!allowed.has(flag)) {
      const known = FLAGS.has(flag) || VALUE_OPTIONS.has(flag);
      throw new UsageError(flag, !known ? 'unknown option' : `check takes only ${[...allowed, ...flags].join(', ')}`);
    }
    const value = optionValue(flag, inline ?? args[++i], inline !== undefined, PATH_OPTIONS);
    switch (flag) {
      case '--kernel':
        if (!kernelNames().includes(value)) throw new UsageError('--kernel', `must be ${kernelNames().join(', ')}, got "${value}"`);
        kernel = value;
        break;
      case '--arch':
        if (!architectures.names.includes(value)) throw new UsageError('--arch', `must be ${architectures.names.join(' or ')}, got "${value}"`);
        arch = value;
        break;
      case '--duration':
        duration = cliDuration('--duration', value);
        break;
      case '--watchdog':
        sandbox = { ...sandbox, watchdogMs: watchdogMs(value) };
        break;
      case '--max-memory':
        sandbox = { ...sandbox, memoryLimitMb: memoryLimitMb(value) };
        break;
      case '--seed':
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError('--seed', `must be a whole number, got "${value}"`);
        seed = Number(value);
        break;
      case '--app': {
        // PARTITION=APP; a bare APP names the application of a bare-metal run (--kernel none).
        const match = /^([^=]+)=(.+)$/.exec(value);
        if (match) apps.push({ partition: match[1]!, app: match[2]! });
        else if (/^[^=]+$/.test(value)) apps.push({ partition: '', app: value });
        else throw new UsageError('--app', `must be PARTITION=APP (or APP with --kernel none), got "${value}"`);
        break;
      }
      case '--json':
        json = value;
        break;
      case '--trace':
        trace = value;
        break;
      case '--trace-events': {
        const parsed = parseTraceEvents(value);
        if (!parsed.categories) throw new UsageError('--trace-events', parsed.error!);
        traceEvents = new Set([...(traceEvents ?? []), ...parsed.categories]);
        break;
      }
      case '--report':
        report = value;
        break;
      case '--csv':
        csv = value;
        break;
      case '--console-dir':
        if (value === '-') throw new UsageError('--console-dir', 'needs a folder (- is stdout, which cannot hold one file per partition)');
        consoleDir = value;
        break;
      case '--mute': {
        const names = value.split(',');
        if (names.some((name) => name.trim() === '')) throw new UsageError('--mute', `must be partition names separated by commas, e.g. hello,ticker, got "${value}"`);
        mute.push(...names.map((name) => name.trim()));
        break;
      }
    }
  }
  const targets: Record<(typeof STDOUT_OUTPUTS)[number], string | undefined> = { '--json': json, '--trace': trace, '--report': report, '--csv': csv };
  const toStdout = STDOUT_OUTPUTS.filter((name) => targets[name] === '-');
  if (toStdout.length > 1) throw new UsageError(toStdout[1]!, `only one output can go to stdout (${toStdout.join(' and ')} both name -)`);
  if (isCheck && config === '-') throw new UsageError('check', 'CONFIG must be a file');
  if (traceEvents && trace === undefined) throw new UsageError('--trace-events', 'chooses what --trace records, and there is no --trace');
  return {
    command: 'run',
    ...(config !== undefined ? { config } : {}),
    ...(kernel ? { kernel } : {}),
    ...(arch ? { arch } : {}),
    ...(duration !== undefined ? { duration } : {}),
    ...(seed !== undefined ? { seed } : {}),
    apps,
    ...(json !== undefined ? { json } : {}),
    ...(trace !== undefined ? { trace } : {}),
    ...(traceEvents ? { traceEvents: TRACE_CATEGORIES.filter((category) => traceEvents.has(category)) } : {}),
    ...(report !== undefined ? { report } : {}),
    ...(csv !== undefined ? { csv } : {}),
    ...(consoleDir !== undefined ? { consoleDir } : {}),
    mute,
    quiet,
    noFastForward,
    sandbox,
    debug,
  };
}
