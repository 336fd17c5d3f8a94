/**
 * Command-line parsing for the `paravirt` CLI (docs/architecture.md section 6):
 *
 *   paravirt run [CONFIG] [--kernel pok|air|none] [--arch i386|sparc] [--duration 40s] [--seed N]
 *                [--app PARTITION=APP]... [--json FILE|-] [--trace FILE] [--report FILE] [--quiet]
 *   paravirt check CONFIG [--kernel pok|air|none] [--arch i386|sparc] [--app PARTITION=APP]...
 *   paravirt samples
 *
 * Problems come back as a UsageError whose message is the `<where>: <what>` of the
 * `error: ...` line the CLI prints (exit code 2).
 */
import { type Nanoseconds, parseDuration } from '@paravirt/machine';
import { ARCHES, type ArchName, KERNELS, type KernelName } from '../config/moduleSpec.js';

export class UsageError extends Error {
  constructor(
    readonly where: string,
    readonly what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'UsageError';
  }
}

export interface RunCommand {
  readonly command: 'run';
  readonly config?: string;
  readonly kernel?: KernelName;
  readonly arch?: ArchName;
  readonly duration?: Nanoseconds;
  readonly seed?: number;
  readonly apps: ReadonlyArray<{ readonly partition: string; readonly app: string }>;
  readonly json?: string;
  readonly trace?: string;
  readonly report?: string;
  readonly quiet: boolean;
}

export interface CheckCommand {
  readonly command: 'check';
  readonly config: string;
  /** The overrides that change what is valid, as for run. */
  readonly kernel?: KernelName;
  readonly arch?: ArchName;
  readonly apps: ReadonlyArray<{ readonly partition: string; readonly app: string }>;
}

export interface SamplesCommand {
  readonly command: 'samples';
}

export interface HelpCommand {
  readonly command: 'help';
}

export type Command = RunCommand | CheckCommand | SamplesCommand | HelpCommand;

export const USAGE = `usage:
  paravirt run [CONFIG] [--kernel pok|air|none] [--arch i386|sparc] [--duration 40s] [--seed N]
               [--app PARTITION=APP]... [--json FILE|-] [--trace FILE] [--report FILE] [--quiet]
  paravirt check CONFIG [--kernel pok|air|none] [--arch i386|sparc] [--app PARTITION=APP]...
  paravirt samples

With no CONFIG, run starts the default demo: hello, ticker and base_sp in three POK
partitions on the i386 for 40 s of virtual time. CONFIG may be our YAML/JSON, a POK
config.yaml or an ARINC 653 / AIR XML file (detected by content).`;

const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--kernel', '--arch', '--duration', '--seed', '--app', '--json', '--trace', '--report']);
/** What check accepts: the overrides that decide whether a module is valid. */
const CHECK_OPTIONS: ReadonlySet<string> = new Set(['--kernel', '--arch', '--app']);

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
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
      const { config, kernel, arch, apps } = parseRun(rest, CHECK_OPTIONS);
      if (config === undefined) throw new UsageError('check', 'needs exactly one CONFIG file');
      return { command: 'check', config, ...(kernel ? { kernel } : {}), ...(arch ? { arch } : {}), apps };
    }
    case 'run':
      return parseRun(rest);
    default:
      throw new UsageError(command, 'unknown command (run, check, samples)');
  }
}

function parseRun(args: readonly string[], allowed: ReadonlySet<string> = VALUE_OPTIONS): RunCommand {
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
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if ((flag === '--quiet' || flag === '-q') && allowed === VALUE_OPTIONS) {
      quiet = true;
      continue;
    }
    if (!flag.startsWith('-')) {
      if (config !== undefined) throw new UsageError(arg, `only one CONFIG may be given (already have ${config})`);
      config = arg;
      continue;
    }
    if (!allowed.has(flag)) throw new UsageError(flag, allowed === VALUE_OPTIONS ? 'unknown option' : `check takes only ${[...allowed].join(', ')}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(flag, 'needs a value');
    switch (flag) {
      case '--kernel':
        if (!(KERNELS as readonly string[]).includes(value)) throw new UsageError('--kernel', `must be ${KERNELS.join(', ')}, got "${value}"`);
        kernel = value as KernelName;
        break;
      case '--arch':
        if (!(ARCHES as readonly string[]).includes(value)) throw new UsageError('--arch', `must be ${ARCHES.join(' or ')}, got "${value}"`);
        arch = value as ArchName;
        break;
      case '--duration': {
        const parsed = parseDuration(/^\d+$/.test(value) ? Number(value) : value);
        if (!parsed.ok) throw new UsageError('--duration', parsed.error);
        if (parsed.value === 0) throw new UsageError('--duration', 'must be longer than 0');
        duration = parsed.value;
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
  };
}
