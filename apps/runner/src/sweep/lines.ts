/**
 * The lines of a sweep (JSON Lines, docs/architecture.md section 6): a `sweep` header, one
 * `run` line per run in run-index order, and an `aggregate` line computed from the run
 * lines alone - so merging the line files of every shard (`paravirt sweep merge`) gives
 * the bytes of the same sweep run on one machine. Keys appear in a fixed order; nothing
 * here depends on wall time, the machine or the order runs completed in.
 */
import { formatDuration } from '@paravirt/machine';
import { type ModuleSpec, buildSummary, printable, type RunOutcome } from '@paravirt/compose';
import { builtin } from '../nodeBuiltin.js';

/** How a run ended, as `paravirt run`'s exit code says it: 0 ok, 1 the module stopped, anything else an error. */
export type RunOutcomeWord = 'ok' | 'stopped' | 'error';

export interface LatencyJson {
  readonly min: number;
  readonly mean: number;
  readonly p99: number;
  readonly max: number;
}

/** A partition's metrics of the JSON summary (its console as a digest). */
export interface PartitionMetrics {
  readonly name: string;
  readonly app: string;
  readonly mode: string;
  readonly restarts: number;
  readonly cpuTimeNs: number;
  readonly idleTimeNs: number;
  readonly windows: number;
  readonly hypercalls: number;
  readonly virq: {
    readonly raised: number;
    readonly delivered: number;
    readonly coalesced: number;
    readonly pending: number;
    readonly discarded: number;
    readonly lost: number;
    readonly latencyNs: LatencyJson;
  };
  readonly deadlineMisses: number;
  readonly hmEventCount: number;
  /** `sha256:` and the first 16 hex digits of the SHA-256 of the console (UTF-8). */
  readonly console: string;
}

/** What one run measured: how it ended and, when it ran, its metrics. */
export interface RunMeasure {
  readonly exit: number;
  readonly outcome: RunOutcomeWord;
  /** Exit 1: when and why the module stopped. */
  readonly stopped?: { readonly atNs: number; readonly reason: string };
  /** Exit 2 and above: the `error:` line `paravirt run` prints, without `error: `. */
  readonly error?: string;
  readonly virtualTimeNs?: number;
  readonly events?: number;
  readonly partitions?: readonly PartitionMetrics[];
}

/** The run key: what a run is, whoever ran it. */
export interface RunKey {
  readonly index: number;
  /** As the run's command line names it (relative to the working folder); null: the default demo. */
  readonly config: string | null;
  readonly kernel: string;
  readonly arch: string;
  readonly seed: number;
  readonly durationNs: number;
  /** `{}`, or `{ app: ["PARTITION=APP", ...] }`: the --app options of the run. */
  readonly overrides: { readonly app?: readonly string[] };
  /** The `paravirt run ...` command line that gives this run's results again. */
  readonly command: string;
}

export interface RunLine extends RunKey, RunMeasure {
  readonly type: 'run';
  readonly sweep: string;
}

export interface HeaderLine {
  readonly type: 'sweep';
  readonly sweep: string;
  /** The paravirt that planned the sweep. */
  readonly paravirt: string;
  /** Runs in the whole sweep (every shard). */
  readonly runs: number;
  readonly unchanged: readonly string[];
  /** `I/N` for one shard's lines; absent for the whole sweep. */
  readonly shard?: string;
}

export interface Stats {
  readonly min: number;
  readonly median: number;
  readonly p99: number;
  readonly max: number;
}

export interface AggregateLine {
  readonly type: 'aggregate';
  readonly sweep: string;
  readonly shard?: string;
  readonly runs: number;
  readonly ok: number;
  readonly failed: number;
  readonly changed: number;
  readonly failures: readonly Failure[];
  readonly changes: readonly Change[];
  readonly groups: readonly Group[];
}

export interface Failure {
  readonly index: number;
  readonly config: string | null;
  readonly kernel: string;
  readonly arch: string;
  readonly seed: number;
  readonly overrides: RunKey['overrides'];
  readonly exit: number;
  readonly outcome: RunOutcomeWord;
  readonly why: string;
  readonly command: string;
}

export interface Change {
  readonly config: string | null;
  readonly kernel: string;
  readonly arch: string;
  readonly seed: number;
  readonly partition: string;
  /** The first variant's overrides, then the one whose partition differs. */
  readonly overrides: readonly [RunKey['overrides'], RunKey['overrides']];
  readonly fields: readonly string[];
  readonly commands: readonly [string, string];
}

export interface Group {
  readonly config: string | null;
  readonly kernel: string;
  readonly arch: string;
  readonly overrides: RunKey['overrides'];
  readonly runs: number;
  readonly failed: number;
  readonly partitions: ReadonlyArray<{ readonly name: string; readonly metrics: Readonly<Record<string, Stats>> }>;
}

/** Failures and changes listed in the aggregate (by run index); the counts cover them all. */
export const LISTED = 100;

/** The partition metrics the aggregate summarizes, as dotted paths into a PartitionMetrics. */
export const METRICS = [
  'restarts',
  'cpuTimeNs',
  'idleTimeNs',
  'windows',
  'hypercalls',
  'virq.raised',
  'virq.delivered',
  'virq.coalesced',
  'virq.pending',
  'virq.discarded',
  'virq.lost',
  'virq.latencyNs.min',
  'virq.latencyNs.mean',
  'virq.latencyNs.p99',
  'virq.latencyNs.max',
  'deadlineMisses',
  'hmEventCount',
] as const;

const digest = (text: string): string => `sha256:${builtin('node:crypto').createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}`;

/** The metrics of a run that ended (exit 0, or 1 when the module stopped), from its JSON summary. */
export function measureOutcome(spec: ModuleSpec, outcome: RunOutcome): RunMeasure {
  const { result } = outcome;
  const summary = buildSummary(spec, result.report, { virtualTimeNs: result.virtualTimeNs, events: result.events, wallTimeMs: 0, interrupted: outcome.interrupted, devices: result.devices });
  const stopped = result.stopReason !== undefined;
  return {
    exit: stopped ? 1 : 0,
    outcome: stopped ? 'stopped' : 'ok',
    ...(stopped ? { stopped: { atNs: result.stoppedAt ?? result.virtualTimeNs, reason: printable(result.stopReason) } } : {}),
    virtualTimeNs: summary.virtualTimeNs,
    events: summary.events,
    partitions: summary.partitions.map((partition) => ({
      name: partition.name,
      app: partition.app,
      mode: partition.mode,
      restarts: partition.restarts,
      cpuTimeNs: partition.cpuTimeNs,
      idleTimeNs: partition.idleTimeNs,
      windows: partition.windows,
      hypercalls: partition.hypercalls,
      virq: {
        raised: partition.virq.raised,
        delivered: partition.virq.delivered,
        coalesced: partition.virq.coalesced,
        pending: partition.virq.pending,
        discarded: partition.virq.discarded,
        lost: partition.virq.lost,
        latencyNs: { min: partition.virq.latencyNs.min, mean: partition.virq.latencyNs.mean, p99: partition.virq.latencyNs.p99, max: partition.virq.latencyNs.max },
      },
      deadlineMisses: partition.deadlineMisses,
      hmEventCount: partition.hmEventCount,
      console: digest(partition.console),
    })),
  };
}

/** A run that could not run: its exit code and the `error:` line `paravirt run` prints. */
export function measureFailure(code: number, where: string, what: string): RunMeasure {
  return { exit: code, outcome: 'error', error: `${printable(where, 200)}: ${printable(what)}` };
}

/** The run line: key fields first, then the measure, then the command (fixed key order). */
export function runLine(sweep: string, key: RunKey, measure: RunMeasure): RunLine {
  return {
    type: 'run',
    sweep,
    index: key.index,
    config: key.config,
    kernel: key.kernel,
    arch: key.arch,
    seed: key.seed,
    durationNs: key.durationNs,
    overrides: key.overrides,
    exit: measure.exit,
    outcome: measure.outcome,
    ...(measure.stopped ? { stopped: measure.stopped } : {}),
    ...(measure.error !== undefined ? { error: measure.error } : {}),
    ...(measure.virtualTimeNs !== undefined ? { virtualTimeNs: measure.virtualTimeNs } : {}),
    ...(measure.events !== undefined ? { events: measure.events } : {}),
    ...(measure.partitions ? { partitions: measure.partitions } : {}),
    command: key.command,
  };
}

/** One line of text (JSON, then a newline). */
export const lineText = (line: HeaderLine | RunLine | AggregateLine): string => `${JSON.stringify(line)}\n`;

/** Why a run failed, in words: the module stopped (when, why: as run's stderr line says it) or its error line. */
export function why(line: RunLine): string {
  if (line.stopped) return `module stopped at ${formatDuration(line.stopped.atNs)}: ${line.stopped.reason}`;
  return line.error ?? `exit ${line.exit}`;
}

function metric(partition: PartitionMetrics, path: string): number {
  let value: unknown = partition;
  for (const key of path.split('.')) value = (value as Record<string, unknown>)[key];
  return value as number;
}

/** Nearest-rank percentile of sorted values: the value at rank ceil(p/100 * n). */
function rank(sorted: readonly number[], percent: number): number {
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]!;
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: rank(sorted, 50), p99: rank(sorted, 99), max: sorted.at(-1)! };
}

/** Fields of two partition entries that differ, as dotted paths. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

interface GroupState {
  readonly config: string | null;
  readonly kernel: string;
  readonly arch: string;
  readonly overrides: RunKey['overrides'];
  runs: number;
  failed: number;
  readonly partitions: Map<string, Map<string, number[]>>;
}

/**
 * The aggregate of run lines, fed in run-index order (a sweep feeds them as it writes them,
 * a merge after sorting). Metrics are summarized per group - the runs of one config,
 * kernel, arch and overrides, i.e. across seeds - and per partition: min, median, p99 and
 * max (nearest rank) over the runs that ran (exit 0 or 1).
 */
export class Aggregator {
  private runs = 0;
  private ok = 0;
  private failed = 0;
  private changed = 0;
  private readonly failures: Failure[] = [];
  private readonly changes: Change[] = [];
  private readonly groups = new Map<string, GroupState>();
  /** The first variant of the current (config, kernel, arch, seed), for `unchanged`. */
  private reference: { key: string; line: RunLine } | undefined;

  constructor(
    private readonly sweep: string,
    private readonly unchanged: readonly string[],
  ) {}

  add(line: RunLine): void {
    this.runs++;
    if (line.exit === 0) this.ok++;
    else {
      this.failed++;
      if (this.failures.length < LISTED) {
        this.failures.push({ index: line.index, config: line.config, kernel: line.kernel, arch: line.arch, seed: line.seed, overrides: line.overrides, exit: line.exit, outcome: line.outcome, why: why(line), command: line.command });
      }
    }
    const groupKey = JSON.stringify([line.config, line.kernel, line.arch, line.overrides]);
    let group = this.groups.get(groupKey);
    if (!group) {
      group = { config: line.config, kernel: line.kernel, arch: line.arch, overrides: line.overrides, runs: 0, failed: 0, partitions: new Map() };
      this.groups.set(groupKey, group);
    }
    group.runs++;
    if (line.exit !== 0) group.failed++;
    for (const partition of line.partitions ?? []) {
      let metrics = group.partitions.get(partition.name);
      if (!metrics) {
        metrics = new Map(METRICS.map((name) => [name, []]));
        group.partitions.set(partition.name, metrics);
      }
      for (const name of METRICS) metrics.get(name)!.push(metric(partition, name));
    }
    this.compare(line);
  }

  /** `unchanged`: each listed partition as in the first variant of the same config, kernel, arch and seed. */
  private compare(line: RunLine): void {
    if (this.unchanged.length === 0) return;
    const key = JSON.stringify([line.config, line.kernel, line.arch, line.seed, line.durationNs]);
    if (this.reference?.key !== key) {
      this.reference = { key, line };
      return;
    }
    const first = this.reference.line;
    if (!first.partitions || !line.partitions) return;
    for (const name of this.unchanged) {
      const a = first.partitions.find((partition) => partition.name === name);
      const b = line.partitions.find((partition) => partition.name === name);
      const fields = a && b ? differences(a, b) : [a ? `${name} (absent in the second run)` : `${name} (absent in the first run)`];
      if (!a && !b) continue;
      if (fields.length === 0) continue;
      this.changed++;
      if (this.changes.length < LISTED) {
        this.changes.push({ config: line.config, kernel: line.kernel, arch: line.arch, seed: line.seed, partition: name, overrides: [first.overrides, line.overrides], fields, commands: [first.command, line.command] });
      }
    }
  }

  /** Whether every run ended with exit 0 and no `unchanged` partition changed. */
  get success(): boolean {
    return this.failed === 0 && this.changed === 0;
  }

  line(shard?: string): AggregateLine {
    return {
      type: 'aggregate',
      sweep: this.sweep,
      ...(shard !== undefined ? { shard } : {}),
      runs: this.runs,
      ok: this.ok,
      failed: this.failed,
      changed: this.changed,
      failures: this.failures,
      changes: this.changes,
      groups: [...this.groups.values()].map((group) => ({
        config: group.config,
        kernel: group.kernel,
        arch: group.arch,
        overrides: group.overrides,
        runs: group.runs,
        failed: group.failed,
        partitions: [...group.partitions].map(([name, metrics]) => ({ name, metrics: Object.fromEntries([...metrics].map(([metricName, values]) => [metricName, stats(values)])) })),
      })),
    };
  }
}
