/**
 * Command-line parsing for the `paravirt` CLI (docs/architecture.md section 6; USAGE
 * below is the whole grammar).
 *
 * Problems come back as a UsageError whose message is the `<where>: <what>` of the
 * `error: ...` line the CLI prints (exit code 2).
 */
import { type Nanoseconds, parseDuration } from '@paravirt/machine';
import type { ArchName, KernelName } from '../config/moduleSpec.js';
import { architectures } from '../run/architectures.js';
import { kernelNames } from '../run/kernels.js';
import { CliFailure, EXIT } from './exitCodes.js';

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
  readonly report?: OutputTarget;
  readonly quiet: boolean;
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
}

export type Command = RunCommand | CheckCommand | SamplesCommand | HelpCommand;

/** The kernels and architectures the registries hold (run/kernels.ts, run/architectures.ts), as usage shows them. */
const KERNEL_CHOICES = kernelNames().join('|');
const ARCH_CHOICES = architectures.names.join('|');

export const USAGE = `usage:
  paravirt run [CONFIG] [--kernel ${KERNEL_CHOICES}] [--arch ${ARCH_CHOICES}] [--duration 40s] [--seed N]
               [--app PARTITION=APP]... [--json FILE|-] [--trace FILE|-] [--report FILE|-] [--quiet]
               [--watchdog 10s] [--max-memory 2GiB] [--allow-host] [--debug]
  paravirt check CONFIG [--kernel ${KERNEL_CHOICES}] [--arch ${ARCH_CHOICES}] [--app PARTITION=APP]...
               [--watchdog 10s] [--max-memory 2GiB] [--allow-host] [--debug]
  paravirt samples

With no CONFIG, run starts the default demo: hello, ticker and base_sp in three POK
partitions on the i386 for 40 s of virtual time. CONFIG may be our YAML/JSON, a POK
config.yaml or an ARINC 653 / AIR XML file (detected by content).

User modules (--app PARTITION=path/to/module.mjs) run in a sandbox: no file writes, no
processes, reads of their own folder only, stopped after --watchdog of wall time without
progress or past --max-memory. --allow-host gives them the CLI's rights.

Exit codes: 0 ran to the end; 1 the module stopped; 2 bad usage, config or output path;
3 a user module misbehaved (would not load, hung, exceeded a limit); 70 a bug in
paravirt (--debug shows its stack trace); 130/143 interrupted (SIGINT/SIGTERM).`;

const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--kernel', '--arch', '--duration', '--seed', '--app', '--json', '--trace', '--report', '--watchdog', '--max-memory']);
/** What check accepts: the overrides that decide whether a module is valid, and how modules are loaded. */
const CHECK_OPTIONS: ReadonlySet<string> = new Set(['--kernel', '--arch', '--app', '--watchdog', '--max-memory']);
const FLAGS: ReadonlySet<string> = new Set(['--quiet', '-q', '--allow-host', '--debug']);
const CHECK_FLAGS: ReadonlySet<string> = new Set(['--allow-host', '--debug']);
/** Options whose value names a file: a value that looks like an option is a forgotten value, not a file name. */
const PATH_OPTIONS: ReadonlySet<string> = new Set(['--json', '--trace', '--report', '--app']);

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help' };
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
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
    default:
      throw new UsageError(command, 'unknown command (run, check, samples)');
  }
}

/** A CLI duration: a number and a unit (a bare number is refused: 40 is not 40 s). */
function cliDuration(flag: string, value: string): Nanoseconds {
  if (/^\d+(\.\d+)?$/.test(value)) throw new UsageError(flag, `"${value}" needs a unit (ns, us, ms, s, min, h), e.g. ${value}s`);
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(flag, parsed.error);
  if (parsed.value === 0) throw new UsageError(flag, 'must be longer than 0');
  return parsed.value;
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
  let report: string | undefined;
  let quiet = false;
  let debug = false;
  let sandbox = DEFAULT_SANDBOX;
  const isCheck = allowed !== VALUE_OPTIONS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flags.has(flag) && inline === undefined) {
      if (flag === '--quiet' || flag === '-q') quiet = true;
      else if (flag === '--debug') debug = true;
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
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(flag, 'needs a value');
    if (PATH_OPTIONS.has(flag) && value.startsWith('-') && value !== '-') {
      throw new UsageError(flag, `needs a value, got "${value}", which looks like an option (a file named so: ./${value})`);
    }
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
      case '--watchdog': {
        const ms = cliDuration('--watchdog', value) / 1e6;
        if (ms < 100 || ms > 3_600_000) throw new UsageError('--watchdog', `must be from 100ms to 1h of wall time, got ${value}`);
        sandbox = { ...sandbox, watchdogMs: Math.round(ms) };
        break;
      }
      case '--max-memory': {
        const match = /^(\d+)(MiB|GiB)$/.exec(value);
        const mib = match ? Number(match[1]) * (match[2] === 'GiB' ? 1024 : 1) : Number.NaN;
        if (!(mib >= 64 && mib <= 65_536)) throw new UsageError('--max-memory', `must be a size from 64MiB to 64GiB, e.g. 4GiB, got "${value}"`);
        sandbox = { ...sandbox, memoryLimitMb: Math.floor(mib) };
        break;
      }
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
      case '--report':
        report = value;
        break;
    }
  }
  const toStdout = [['--json', json], ['--trace', trace], ['--report', report]].filter(([, target]) => target === '-').map(([name]) => name!);
  if (toStdout.length > 1) throw new UsageError(toStdout[1]!, `only one output can go to stdout (${toStdout.join(' and ')} both name -)`);
  if (isCheck && config === '-') throw new UsageError('check', 'CONFIG must be a file');
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
    ...(report !== undefined ? { report } : {}),
    quiet,
    sandbox,
    debug,
  };
}
