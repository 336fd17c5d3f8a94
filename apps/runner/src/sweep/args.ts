/**
 * `paravirt sweep` and `paravirt sweep merge` on the command line (SWEEP_USAGE is the whole
 * grammar; docs/architecture.md section 6). Problems are UsageErrors: one `error:` line,
 * exit 2.
 */
import type { Nanoseconds } from '@paravirt/machine';
import { architectures, kernelNames } from '@paravirt/compose';
import { cliDuration, DEFAULT_SANDBOX, memoryLimitMb, optionValue, type SandboxOptions, UsageError, watchdogMs } from '../cli/args.js';
import { type AppOverride, duplicateSeed, MAX_RUNS, parseApp, parseSeeds } from './matrix.js';

export interface SweepCommand {
  readonly command: 'sweep';
  /** The sweep file; absent: the matrix comes from the options alone. */
  readonly file?: string;
  /** Options that replace the sweep file's lists. */
  readonly configs?: readonly string[];
  readonly kernels?: readonly string[];
  readonly arches?: readonly string[];
  readonly seeds?: readonly number[];
  readonly duration?: Nanoseconds;
  /** --app options added to every run (after the sweep file's overrides). */
  readonly apps: readonly AppOverride[];
  /** Runs at a time; absent: one per core. */
  readonly jobs?: number;
  /** This machine's share: runs whose index % count === index - 1. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Where the lines go (absent or `-`: stdout). */
  readonly out?: string;
  readonly quiet: boolean;
  readonly sandbox: SandboxOptions;
  readonly debug: boolean;
}

export interface SweepMergeCommand {
  readonly command: 'sweep-merge';
  readonly files: readonly string[];
  readonly out?: string;
  readonly quiet: boolean;
}

const KERNEL_CHOICES = kernelNames().join(',');
const ARCH_CHOICES = architectures.names.join(',');

export const SWEEP_USAGE = `usage:
  paravirt sweep [SWEEP.yaml] [--config FILE]... [--kernels ${KERNEL_CHOICES}] [--arches ${ARCH_CHOICES}]
                 [--seeds 1..100] [--duration 2s] [--app PARTITION=APP]...
                 [--jobs N] [--shard I/N] [--out FILE|-] [--quiet]
                 [--watchdog 10s] [--max-memory 2GiB] [--allow-host] [--debug]
  paravirt sweep merge LINES.jsonl... [--out FILE|-] [--quiet]

Runs a matrix of configs x kernels x arches x seeds x overrides, on every core (--jobs,
default one per core: worker threads; user modules each in their own sandbox), and writes
JSON Lines to stdout or --out FILE: a "sweep" header, one "run" line per run in run-index
order (the run key, exit code and outcome, each partition's metrics, and the paravirt run
command that gives the run again), then an "aggregate" line (failures with their command,
min/median/p99/max of each partition metric across seeds).

SWEEP.yaml (YAML or JSON; paths relative to it):
  configs: [demo.yaml, ports.yaml]   # default: the default demo
  kernels: [pok, air]                # default: each config's own; likewise arches
  arches: [i386, sparc]
  seeds: 1..100                      # or a list: [1, 2, 7]; default: each config's own
  duration: 2s                       # default: each config's own
  overrides:                         # variants, each run once per seed; default: none
    - {}
    - { app: [hostile=idle] }        # as --app PARTITION=APP
  unchanged: [ticker]                # partitions that must not differ across the overrides
The options replace the file's lists (--config is repeatable; lists are comma-separated;
seeds are 1..100, 1-8, 7 or 1,2,5); --app is added to every run.

--shard I/N runs this machine's share (the runs whose index % N is I - 1); merging the line
files of all N shards (paravirt sweep merge) writes the same bytes as the whole sweep run
on one machine.

Exit codes: 0 every run exited 0 (and no "unchanged" partition changed); 1 a run failed or an
"unchanged" partition changed (the lines say which, with the command to reproduce it); 2 bad
usage, sweep file, config, shard or output (nothing ran), or for merge a line file that is
not the complete set of one sweep's runs; 3 a user module would not load (nothing ran); 70 a
bug in paravirt; 130/143 interrupted (the lines written so far stay, no aggregate).`;

const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--config', '--kernels', '--arches', '--seeds', '--duration', '--app', '--jobs', '--shard', '--out', '--watchdog', '--max-memory']);
const FLAGS: ReadonlySet<string> = new Set(['--quiet', '-q', '--allow-host', '--debug']);
const PATH_OPTIONS: ReadonlySet<string> = new Set(['--config', '--out', '--app']);
/** run's options a sweep names differently. */
const RUN_SPELLING: Readonly<Record<string, string>> = { '--kernel': '--kernels pok,air', '--arch': '--arches i386,sparc', '--seed': '--seeds 1..100', '--json': '--out FILE' };

export function parseSweep(args: readonly string[]): SweepCommand | SweepMergeCommand {
  if (args[0] === 'merge') return parseMerge(args.slice(1));
  let file: string | undefined;
  const configs: string[] = [];
  let kernels: string[] | undefined;
  let arches: string[] | undefined;
  let seeds: number[] | undefined;
  let duration: Nanoseconds | undefined;
  const apps: AppOverride[] = [];
  let jobs: number | undefined;
  let shard: SweepCommand['shard'];
  let out: string | undefined;
  let quiet = false;
  let debug = false;
  let sandbox = DEFAULT_SANDBOX;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (FLAGS.has(flag) && inline === undefined) {
      if (flag === '--quiet' || flag === '-q') quiet = true;
      else if (flag === '--debug') debug = true;
      else sandbox = { ...sandbox, allowHost: true };
      continue;
    }
    if (!flag.startsWith('-') || flag === '-') {
      if (file !== undefined) throw new UsageError(arg, `only one sweep file may be given (already have ${file}); more configs: --config FILE`);
      if (arg === '-') throw new UsageError('sweep', 'the sweep file must be a file');
      file = arg;
      continue;
    }
    if (!VALUE_OPTIONS.has(flag)) {
      const instead = RUN_SPELLING[flag];
      throw new UsageError(flag, instead ? `unknown option (sweep takes ${instead})` : 'unknown option (paravirt sweep --help lists the options)');
    }
    const value = optionValue(flag, inline ?? args[++i], inline !== undefined, PATH_OPTIONS);
    switch (flag) {
      case '--config':
        if (value === '-') throw new UsageError('--config', 'must be a file');
        configs.push(value);
        break;
      case '--kernels':
        kernels = names('--kernels', value, kernelNames());
        break;
      case '--arches':
        arches = names('--arches', value, architectures.names);
        break;
      case '--seeds': {
        const parsed = parseSeeds(value);
        if (typeof parsed === 'string') throw new UsageError('--seeds', parsed);
        const twice = duplicateSeed(parsed);
        if (twice !== undefined) throw new UsageError('--seeds', `seed ${twice} is listed twice`);
        seeds = parsed;
        break;
      }
      case '--duration':
        duration = cliDuration('--duration', value);
        break;
      case '--app': {
        const app = parseApp(value);
        if (!app) throw new UsageError('--app', `must be PARTITION=APP (or APP with --kernels none), got "${value}"`);
        apps.push(app);
        break;
      }
      case '--jobs':
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1024) throw new UsageError('--jobs', `must be a whole number from 1 to 1024, got "${value}"`);
        jobs = Number(value);
        break;
      case '--shard': {
        const match = /^(\d+)\/(\d+)$/.exec(value);
        const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
        if (!match || index < 1 || index > count || count > MAX_RUNS) throw new UsageError('--shard', `must be I/N, share I of N (1 <= I <= N <= ${MAX_RUNS}), e.g. 2/8, got "${value}"`);
        shard = { index, count };
        break;
      }
      case '--out':
        out = value;
        break;
      case '--watchdog':
        sandbox = { ...sandbox, watchdogMs: watchdogMs(value) };
        break;
      case '--max-memory':
        sandbox = { ...sandbox, memoryLimitMb: memoryLimitMb(value) };
        break;
    }
  }
  return {
    command: 'sweep',
    ...(file !== undefined ? { file } : {}),
    ...(configs.length > 0 ? { configs } : {}),
    ...(kernels ? { kernels } : {}),
    ...(arches ? { arches } : {}),
    ...(seeds ? { seeds } : {}),
    ...(duration !== undefined ? { duration } : {}),
    apps,
    ...(jobs !== undefined ? { jobs } : {}),
    ...(shard ? { shard } : {}),
    ...(out !== undefined ? { out } : {}),
    quiet,
    sandbox,
    debug,
  };
}

/** A comma-separated list of registry names, each known and given once. */
function names(flag: string, value: string, known: readonly string[]): string[] {
  const list = value.split(',').map((name) => name.trim());
  for (const name of list) if (!known.includes(name)) throw new UsageError(flag, `must be ${known.join(', ')} (comma-separated), got "${name}"`);
  const twice = list.find((name, index) => list.indexOf(name) !== index);
  if (twice !== undefined) throw new UsageError(flag, `"${twice}" is listed twice`);
  return list;
}

function parseMerge(args: readonly string[]): SweepMergeCommand {
  const files: string[] = [];
  let out: string | undefined;
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--quiet' || arg === '-q') quiet = true;
    else if (arg === '--out' || arg.startsWith('--out=')) {
      const value = arg === '--out' ? args[++i] : arg.slice('--out='.length);
      if (value === undefined || value === '' || (value.startsWith('-') && value !== '-')) throw new UsageError('--out', value ? `needs a value, got "${value}", which looks like an option (a file named so: ./${value})` : 'needs a value');
      out = value;
    } else if (arg === '-') throw new UsageError('sweep merge', 'merges files: - (stdin) is not one');
    else if (arg.startsWith('-')) throw new UsageError(arg, 'unknown option (sweep merge takes --out FILE and --quiet)');
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError('sweep merge', 'needs the line files of a sweep (paravirt sweep merge a.jsonl b.jsonl ...)');
  return { command: 'sweep-merge', files, ...(out !== undefined ? { out } : {}), quiet };
}
