/**
 * `paravirt sweep` and `paravirt sweep merge` (docs/architecture.md section 6, docs/campaigns.md).
 *
 * A sweep reads its matrix (src/sweep/matrix.ts), reads every config and plans every
 * config x kernel x arch x overrides combination as `paravirt run` would - a combination
 * that `run` would refuse is refused here, before anything runs, with the same error - then
 * runs its share of the runs (all, or one `--shard`) on `--jobs` slots: built-in
 * applications in worker threads (src/sweep/worker.ts), user modules each in its own
 * sandbox (src/sandbox/host.ts, exactly as `run` does). Lines are written in run-index
 * order whatever order runs complete in (src/sweep/lines.ts), so a sweep's bytes depend on
 * its matrix only, never on --jobs, the machine or the shard split.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { type ConfigError, type Nanoseconds } from '@paravirt/machine';
import { DEFAULT_DEMO, loadConfig, type Overrides, type ModuleSpec, moduleOutput, printable, planKernel, type RunRequest, CliFailure, EXIT } from '@paravirt/compose';
import { looksLikePath, type ModuleRef, planApplications } from '../run/applications.js';
import type { SandboxSession } from '../sandbox/host.js';
import { DEFAULT_SANDBOX, type SandboxOptions } from './args.js';
import { CONFIG_READ, errnoText, readProblem } from './configFile.js';
import type { CliIo, Interruption } from './main.js';
import { RUNNER_VERSION } from './version.js';
import type { SweepCommand, SweepMergeCommand } from '../sweep/args.js';
import { internalFailure, measureHere } from '../sweep/here.js';
import type { LineOutput, SweepWorker } from '../sweep/host.js';
import { Aggregator, type HeaderLine, lineText, measureFailure, measureOutcome, METRICS, type RunKey, type RunLine, type RunMeasure, runLine } from '../sweep/lines.js';
import { type AppOverride, MAX_RUNS, readSweepFile, type SweepMatrix } from '../sweep/matrix.js';
import { builtin } from '../nodeBuiltin.js';

/** A run as planned: its key, what to run, and the user modules it needs (then: the sandbox). */
interface PlannedRun {
  readonly key: RunKey;
  readonly request: RunRequest;
  readonly modules: readonly ModuleRef[];
}

/** One config x kernel x arch x overrides, planned once; its runs differ by seed only. */
interface Combination {
  readonly label: string;
  readonly spec: ModuleSpec;
  readonly airConfig?: RunRequest['airConfig'];
  readonly modules: readonly ModuleRef[];
  readonly apps: readonly AppOverride[];
}

/** Most bytes of one line file `merge` reads (about 100,000 runs of a few partitions). */
const MAX_LINES_BYTES = 256 * 2 ** 20;
/** Failures and changes shown on stderr (the aggregate line lists up to 100, the run lines all). */
const SHOWN = 10;

const posix = (path: string): string => path.split(sep).join('/');

/** `text` as one shell word: as is when it is plain, else in single quotes. */
function shellWord(text: string): string {
  return /^[\w./=:,@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A CLI duration that reads back exactly: the largest unit that divides it. */
function durationWord(ns: Nanoseconds): string {
  for (const [unit, scale] of [['h', 3_600_000_000_000], ['m', 60_000_000_000], ['s', 1_000_000_000], ['ms', 1_000_000], ['us', 1_000]] as const) {
    if (ns % scale === 0) return `${ns / scale}${unit}`;
  }
  return `${ns}ns`;
}

const appWord = (app: AppOverride): string => (app.partition === '' ? app.app : `${app.partition}=${app.app}`);

/** The sandbox options that differ from the defaults, as run takes them (they matter to a module that hangs or grows). */
function sandboxWords(options: SandboxOptions): string[] {
  return [
    ...(options.watchdogMs !== DEFAULT_SANDBOX.watchdogMs ? ['--watchdog', durationWord(options.watchdogMs * 1_000_000)] : []),
    ...(options.memoryLimitMb !== DEFAULT_SANDBOX.memoryLimitMb ? ['--max-memory', options.memoryLimitMb % 1024 === 0 ? `${options.memoryLimitMb / 1024}GiB` : `${options.memoryLimitMb}MiB`] : []),
    ...(options.allowHost ? ['--allow-host'] : []),
  ];
}

/** `<combination>: <where>`, or the combination alone when `where` is one of its options (`--kernel none`, `--app P=A`). */
function within(label: string, where: string): string {
  return where.startsWith('--') && ` ${label} `.includes(` ${where} `) ? label : `${label}: ${where}`;
}

function firstProblem(label: string, errors: readonly ConfigError[]): CliFailure {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}; see paravirt check)` : '';
  return new CliFailure(within(label, first.path), `${first.message}${more}`);
}

async function readText(io: CliIo, path: string): Promise<string> {
  let text: string;
  try {
    text = await io.readFile(path, CONFIG_READ);
  } catch (error) {
    throw readProblem(path, error);
  }
  if (text.trim() === '') throw new CliFailure(path, 'is empty');
  return text;
}

/** The matrix: the sweep file's, with the command line's lists in place of its own. */
async function matrixOf(command: SweepCommand, io: CliIo): Promise<SweepMatrix> {
  let matrix: SweepMatrix = { configs: [undefined], variants: [{ apps: [] }], unchanged: [] };
  if (command.file !== undefined) {
    const file = command.file;
    const folder = dirname(resolve(io.cwd, file));
    // Paths in a sweep file are relative to it; runs name them as the sweep file was named:
    // relative to the working folder, or absolute.
    const fromFile = (path: string): string => {
      if (isAbsolute(path)) return path;
      return isAbsolute(file) ? resolve(folder, path) : posix(relative(io.cwd, resolve(folder, path))) || '.';
    };
    matrix = readSweepFile(await readText(io, file), file, fromFile, looksLikePath);
  }
  return {
    configs: command.configs ?? matrix.configs,
    ...((command.kernels ?? matrix.kernels) ? { kernels: command.kernels ?? matrix.kernels } : {}),
    ...((command.arches ?? matrix.arches) ? { arches: command.arches ?? matrix.arches } : {}),
    ...((command.seeds ?? matrix.seeds) ? { seeds: command.seeds ?? matrix.seeds } : {}),
    ...((command.duration ?? matrix.duration) !== undefined ? { duration: command.duration ?? matrix.duration } : {}),
    variants: matrix.variants.map((variant) => ({ apps: [...variant.apps, ...command.apps] })),
    unchanged: matrix.unchanged,
  };
}

/** Plans one combination as run would, or throws run's first error with the combination in front. */
function plan(io: CliIo, config: string | undefined, text: string, overrides: Overrides, apps: readonly AppOverride[], unchanged: readonly string[], warned: Set<string>): Combination {
  const label = [config ?? '(default demo)', ...(overrides.kernel ? ['--kernel', overrides.kernel] : []), ...(overrides.arch ? ['--arch', overrides.arch] : []), ...apps.flatMap((app) => ['--app', appWord(app)])].join(' ');
  const loaded = loadConfig(text, overrides);
  if (loaded.errors.length > 0 || !loaded.spec) throw firstProblem(label, loaded.errors);
  const spec = loaded.spec;
  const kernelErrors = planKernel(spec, loaded.airConfig).errors;
  if (kernelErrors.length > 0) throw firstProblem(label, kernelErrors);
  for (const warning of loaded.warnings ?? []) {
    const line = `warning: ${printable(config ?? '(default demo)', 200)}: ${printable(warning.path, 200)}: ${printable(warning.message)}\n`;
    if (!warned.has(line)) io.stderr(line);
    warned.add(line);
  }
  let modules: readonly ModuleRef[];
  try {
    modules = planApplications(spec, { cwd: io.cwd, config, fromCli: new Set(apps.map((app) => app.partition)) }).modules;
  } catch (error) {
    if (error instanceof CliFailure) throw new CliFailure(within(label, error.where), error.what, error.code);
    throw error;
  }
  unchanged.forEach((name, index) => {
    if (!spec.partitions.some((partition) => partition.name === name)) {
      throw new CliFailure(`${label}: unchanged[${index}]`, `no partition named "${name}" (partitions: ${spec.partitions.map((partition) => partition.name).join(', ')})`);
    }
  });
  return { label, spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), modules, apps };
}

/** Every run of the matrix, in run-index order: configs, kernels, arches, seeds, then overrides. */
async function planRuns(command: SweepCommand, matrix: SweepMatrix, io: CliIo): Promise<{ runs: PlannedRun[]; combinations: Combination[]; id: string }> {
  const texts: Array<{ config: string | undefined; text: string }> = [];
  for (const config of matrix.configs) texts.push({ config, text: config === undefined ? DEFAULT_DEMO : await readText(io, config) });
  const count = texts.length * (matrix.kernels?.length ?? 1) * (matrix.arches?.length ?? 1) * (matrix.seeds?.length ?? 1) * matrix.variants.length;
  if (count > MAX_RUNS) throw new CliFailure(command.file ?? 'sweep', `${count} runs; a sweep may hold at most ${MAX_RUNS} (split it into several sweeps)`);
  const warned = new Set<string>();
  const runs: PlannedRun[] = [];
  const combinations: Combination[] = [];
  for (const { config, text } of texts) {
    for (const kernel of matrix.kernels ?? [undefined]) {
      for (const arch of matrix.arches ?? [undefined]) {
        const planned = matrix.variants.map((variant) =>
          plan(io, config, text, { ...(kernel ? { kernel } : {}), ...(arch ? { arch } : {}), ...(matrix.duration !== undefined ? { duration: matrix.duration } : {}), apps: variant.apps }, variant.apps, matrix.unchanged, warned),
        );
        combinations.push(...planned);
        for (const seed of matrix.seeds ?? [planned[0]!.spec.seed]) {
          for (const combination of planned) {
            const spec = { ...combination.spec, seed };
            const words = ['paravirt', 'run', ...(config !== undefined ? [config] : []), '--kernel', spec.kernel, '--arch', spec.arch, '--seed', String(seed), '--duration', durationWord(spec.duration), ...combination.apps.flatMap((app) => ['--app', appWord(app)]), ...sandboxWords(command.sandbox)];
            runs.push({
              key: {
                index: runs.length,
                config: config ?? null,
                kernel: spec.kernel,
                arch: spec.arch,
                seed,
                durationNs: spec.duration,
                overrides: combination.apps.length > 0 ? { app: combination.apps.map(appWord) } : {},
                command: words.map(shellWord).join(' '),
              },
              request: { spec, ...(combination.airConfig ? { airConfig: combination.airConfig } : {}), trace: false },
              modules: combination.modules,
            });
          }
        }
      }
    }
  }
  // What the sweep is: this paravirt, the configs' bytes, every run and what is compared. Shards of one sweep agree on it.
  const { createHash } = builtin('node:crypto');
  const hash = createHash('sha256');
  hash.update(JSON.stringify([RUNNER_VERSION, texts.map(({ config, text }) => [config ?? null, createHash('sha256').update(text).digest('hex')]), matrix.unchanged]));
  for (const run of runs) hash.update(JSON.stringify(run.key));
  return { runs, combinations, id: hash.digest('hex').slice(0, 12) };
}

/** Where the lines go: stdout, a file written as they come, or (without a host) a file written at the end. */
async function openLines(command: SweepCommand | SweepMergeCommand, io: CliIo): Promise<{ write: (text: string) => void; close: () => Promise<void> }> {
  const out = command.out;
  if (out === undefined || out === '-') return { write: io.stdout, close: async () => {} };
  try {
    await io.prepareOutput(out);
  } catch (error) {
    throw new CliFailure('--out', `cannot write ${out} (${errnoText(error)})`);
  }
  const fail = (error: unknown): CliFailure => new CliFailure('--out', `cannot write ${out} (${errnoText(error)})`);
  if (io.sweep?.openOutput) {
    let file: LineOutput;
    try {
      file = io.sweep.openOutput(out);
    } catch (error) {
      throw fail(error);
    }
    return {
      write: (text) => {
        try {
          file.write(text);
        } catch (error) {
          throw fail(error);
        }
      },
      close: async () => file.close(),
    };
  }
  let buffered = '';
  return {
    write: (text) => (buffered += text),
    close: async () => {
      try {
        await io.writeFile(out, buffered);
      } catch (error) {
        throw fail(error);
      }
    },
  };
}

/** The summary on stderr: counts, then the first failures and changes with their commands. */
function report(io: CliIo, header: string, aggregate: ReturnType<Aggregator['line']>): void {
  io.stderr(`${header}: ${aggregate.runs} run${aggregate.runs === 1 ? '' : 's'}, ${aggregate.ok} ok, ${aggregate.failed} failed${aggregate.changed > 0 ? `, ${aggregate.changed} unchanged partition(s) changed` : ''}\n`);
  for (const failure of aggregate.failures.slice(0, SHOWN)) io.stderr(`failed: run ${failure.index}: exit ${failure.exit}, ${printable(failure.why, 300)}: ${printable(failure.command)}\n`);
  if (aggregate.failed > SHOWN) io.stderr(`failed: ${aggregate.failed - SHOWN} more (every run line has its exit code and command)\n`);
  for (const change of aggregate.changes.slice(0, SHOWN)) {
    io.stderr(`changed: ${printable(change.partition)} (seed ${change.seed}): ${printable(change.fields.join(', '), 300)}: ${printable(change.commands[0])} vs ${printable(change.commands[1])}\n`);
  }
  if (aggregate.changed > SHOWN) io.stderr(`changed: ${aggregate.changed - SHOWN} more (see the aggregate line)\n`);
}

/** A slot runs one run at a time: in its worker thread, a sandbox, or this thread. */
class Slot {
  private worker: SweepWorker | undefined;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly command: SweepCommand,
    private readonly stopped: () => boolean,
  ) {}

  async run(run: PlannedRun): Promise<RunMeasure | undefined> {
    if (run.modules.length > 0) return this.inSandbox(run);
    const host = this.io.sweep;
    if (host?.startWorker) {
      const worker = (this.worker ??= host.startWorker());
      this.cancel = () => worker.terminate();
      try {
        return await worker.run(run.request);
      } catch (error) {
        // The thread died under the run: a bug in paravirt. The next run gets a new thread.
        worker.terminate();
        this.worker = undefined;
        return this.stopped() ? undefined : internalFailure(error);
      } finally {
        this.cancel = undefined;
      }
    }
    let lastYield = this.io.clock();
    return measureHere(run.request, async () => {
      if (this.io.yieldToHost && this.io.clock() - lastYield > 20) {
        await this.io.yieldToHost();
        lastYield = this.io.clock();
      }
      return this.stopped();
    });
  }

  private async inSandbox(run: PlannedRun): Promise<RunMeasure | undefined> {
    if (!this.io.sandbox) return measureFailure(EXIT.internal, 'sandbox', 'user modules run in the sandbox, which this build of paravirt does not have (build the runner: pnpm build)');
    const { sandbox, quiet } = this.command;
    let session: SandboxSession;
    try {
      session = this.io.sandbox(
        { mode: 'run', run: run.request, modules: run.modules, console: false, watchdogMs: sandbox.watchdogMs, memoryLimitMb: sandbox.memoryLimitMb, allowHost: sandbox.allowHost },
        quiet ? {} : { onModuleOutput: (text: string) => this.io.stderr(moduleOutput(text)) },
      );
    } catch (error) {
      return internalFailure(error);
    }
    this.cancel = () => session.kill();
    const result = await session.result;
    this.cancel = undefined;
    if (this.stopped()) return undefined;
    if (result.type === 'failure') return measureFailure(result.code, result.where, result.what);
    if (result.type !== 'outcome') return measureFailure(EXIT.internal, 'sandbox', `answered ${result.type} to a run`);
    return measureOutcome(run.request.spec, result.outcome);
  }

  /** Loads a combination's user modules in the sandbox, as check does: a module that run could not load is refused before anything runs. */
  async load(combination: Combination): Promise<void> {
    if (!this.io.sandbox) throw new CliFailure('sandbox', 'user modules run in the sandbox, which this build of paravirt does not have (build the runner: pnpm build)', EXIT.internal);
    const { sandbox } = this.command;
    const session = this.io.sandbox(
      { mode: 'load', run: { spec: combination.spec, ...(combination.airConfig ? { airConfig: combination.airConfig } : {}), trace: false }, modules: combination.modules, console: false, watchdogMs: sandbox.watchdogMs, memoryLimitMb: sandbox.memoryLimitMb, allowHost: sandbox.allowHost },
      {},
    );
    this.cancel = () => session.kill();
    const result = await session.result;
    this.cancel = undefined;
    if (this.stopped()) return;
    if (result.type === 'failure') throw new CliFailure(within(combination.label, result.where), result.what, result.code);
  }

  stop(): void {
    this.cancel?.();
    this.worker?.terminate();
    this.worker = undefined;
  }
}

/**
 * Runs `work` on each item, one per slot at a time, taking items in order; stops taking new
 * ones once `stopped()` or one failed. Of several failures, the first item's is thrown: the
 * same error whatever the timing (every item before it was taken before it).
 */
async function onSlots<T>(items: readonly T[], slots: readonly Slot[], stopped: () => boolean, work: (slot: Slot, item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: Array<{ index: number; error: unknown }> = [];
  await Promise.all(
    slots.map(async (slot) => {
      while (!stopped() && failures.length === 0 && next < items.length) {
        const index = next++;
        try {
          await work(slot, items[index]!);
        } catch (error) {
          failures.push({ index, error });
        }
      }
    }),
  );
  const first = failures.sort((a, b) => a.index - b.index)[0];
  if (first) throw first.error;
}

export async function sweep(command: SweepCommand, io: CliIo): Promise<number> {
  const matrix = await matrixOf(command, io);
  const { runs, combinations, id } = await planRuns(command, matrix, io);
  const mine = command.shard ? runs.filter((run) => run.key.index % command.shard!.count === command.shard!.index - 1) : runs;
  const shard = command.shard ? `${command.shard.index}/${command.shard.count}` : undefined;

  let interruption: Interruption | undefined;
  let writeError: CliFailure | undefined;
  const stopped = (): boolean => interruption !== undefined || writeError !== undefined;
  const jobs = Math.max(1, Math.min(command.jobs ?? io.sweep?.parallelism ?? 1, Math.max(mine.length, 1)));
  const slots = Array.from({ length: jobs }, () => new Slot(io, command, stopped));
  const unregister = io.onInterrupt?.((reason) => {
    interruption ??= reason;
    for (const slot of slots) slot.stop();
  });
  try {
    // What check would refuse, the sweep refuses before it runs anything (every shard alike).
    const withModules = combinations.filter((combination) => combination.modules.length > 0);
    await onSlots(withModules, slots, stopped, (slot, combination) => slot.load(combination));
    if (interruption !== undefined) return interrupted(io, interruption, 0, mine.length);

    const lines = await openLines(command, io);
    const header: HeaderLine = { type: 'sweep', sweep: id, paravirt: RUNNER_VERSION, runs: runs.length, unchanged: matrix.unchanged, ...(shard ? { shard } : {}) };
    lines.write(lineText(header));
    const aggregator = new Aggregator(id, matrix.unchanged);
    const progress = !command.quiet && io.stderrIsTty ? new SweepProgress(io, mine.length) : undefined;
    // Completed out of order, written in order.
    const done = new Map<number, RunLine>();
    let written = 0;
    const complete = (position: number, measure: RunMeasure): void => {
      done.set(position, runLine(id, mine[position]!.key, measure));
      progress?.update(done.size + written, measure.exit !== 0);
      while (done.has(written) && writeError === undefined) {
        const line = done.get(written)!;
        done.delete(written);
        try {
          lines.write(lineText(line));
        } catch (error) {
          writeError = error instanceof CliFailure ? error : new CliFailure('--out', `cannot write (${errnoText(error)})`);
          for (const slot of slots) slot.stop();
          return;
        }
        aggregator.add(line);
        written++;
      }
    };
    const positions = mine.map((_run, position) => position);
    await onSlots(positions, slots, stopped, async (slot, position) => {
      const measure = await slot.run(mine[position]!);
      if (measure && !stopped()) complete(position, measure);
    });
    progress?.finish();
    for (const slot of slots) slot.stop();
    if (writeError !== undefined) throw writeError;
    if (interruption !== undefined) {
      await lines.close();
      return interrupted(io, interruption, written, mine.length);
    }
    const aggregate = aggregator.line(shard);
    lines.write(lineText(aggregate));
    await lines.close();
    if (!command.quiet) report(io, `sweep ${id}${shard ? ` (shard ${shard} of ${runs.length} runs)` : ''}`, aggregate);
    return aggregator.success ? EXIT.ok : EXIT.moduleStopped;
  } finally {
    unregister?.();
    for (const slot of slots) slot.stop();
  }
}

/** The exit of an interrupted sweep: quietly 0 for a closed stdout, else one line and 130/143. */
function interrupted(io: CliIo, interruption: Interruption, written: number, total: number): number {
  if (interruption === 'EPIPE') return EXIT.ok;
  io.stderr(`interrupted (${interruption}): ${written} of ${total} runs written, no aggregate\n`);
  return interruption === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
}

/** `N/M runs, F failed` on a terminal's stderr, at most ten times a second. */
class SweepProgress {
  private done = 0;
  private failed = 0;
  private last = -Infinity;

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {}

  update(done: number, failed: boolean): void {
    this.done = done;
    if (failed) this.failed++;
    const now = this.io.clock();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    this.io.stderr(`\r\x1b[Ksweep: ${this.done}/${this.total} runs${this.failed > 0 ? `, ${this.failed} failed` : ''}`);
  }

  finish(): void {
    if (this.last !== -Infinity) this.io.stderr('\r\x1b[K');
  }
}

/** What a line of a line file must hold for the aggregate; undefined if it does. */
function runLineProblem(value: Record<string, unknown>): string | undefined {
  const integer = (key: string): boolean => Number.isSafeInteger(value[key]);
  if (typeof value['sweep'] !== 'string' || !integer('index') || !integer('seed') || !integer('durationNs') || !integer('exit')) return 'a run line needs sweep, index, seed, durationNs and exit';
  if (!(value['config'] === null || typeof value['config'] === 'string') || typeof value['kernel'] !== 'string' || typeof value['arch'] !== 'string' || typeof value['command'] !== 'string') return 'a run line needs config, kernel, arch and command';
  if (!['ok', 'stopped', 'error'].includes(value['outcome'] as string)) return 'a run line needs an outcome (ok, stopped, error)';
  const overrides = value['overrides'];
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) return 'a run line needs overrides';
  const partitions = value['partitions'];
  if (partitions === undefined) return undefined;
  if (!Array.isArray(partitions)) return 'partitions must be a list';
  for (const partition of partitions as unknown[]) {
    if (typeof partition !== 'object' || partition === null || typeof (partition as Record<string, unknown>)['name'] !== 'string') return 'a partition needs a name';
    for (const path of METRICS) {
      let metric: unknown = partition;
      for (const key of path.split('.')) metric = typeof metric === 'object' && metric !== null ? (metric as Record<string, unknown>)[key] : undefined;
      if (typeof metric !== 'number' || !Number.isFinite(metric)) return `a partition needs ${path}`;
    }
  }
  return undefined;
}

/**
 * `paravirt sweep merge`: the line files of a sweep's shards (any order, any split) into the
 * bytes the whole sweep writes on one machine: its header, every run line in index order,
 * and the aggregate computed from them. Refuses anything but the complete set of one
 * sweep's runs, each once.
 */
export async function mergeSweep(command: SweepMergeCommand, io: CliIo): Promise<number> {
  let header: (HeaderLine & { from: string }) | undefined;
  const runs = new Map<number, { text: string; line: RunLine; from: string }>();
  for (const file of command.files) {
    let text: string;
    try {
      text = await io.readFile(file, { maxBytes: MAX_LINES_BYTES, timeoutMs: Infinity, what: 'a sweep line file' });
    } catch (error) {
      throw readProblem(file, error);
    }
    if (text.trim() === '') throw new CliFailure(file, 'is empty, not the lines of a paravirt sweep');
    let fileHeader: HeaderLine | undefined;
    const rows = text.split('\n');
    for (const [number, raw] of rows.entries()) {
      const row = raw.replace(/\r$/, '');
      if (row.trim() === '') continue;
      const where = `${file}:${number + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(row);
      } catch (error) {
        throw new CliFailure(where, `not a line of a paravirt sweep (not JSON: ${error instanceof Error ? error.message : String(error)})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliFailure(where, 'not a line of a paravirt sweep (not a JSON object)');
      const record = value as Record<string, unknown>;
      if (record['type'] === 'sweep') {
        if (typeof record['sweep'] !== 'string' || !Number.isSafeInteger(record['runs']) || !Array.isArray(record['unchanged']) || typeof record['paravirt'] !== 'string') throw new CliFailure(where, 'not a sweep header (sweep, paravirt, runs, unchanged)');
        fileHeader = record as unknown as HeaderLine;
        if (header && header.sweep !== fileHeader.sweep) throw new CliFailure(where, `is sweep ${fileHeader.sweep}, ${header.from} is sweep ${header.sweep}: merge the shards of one sweep`);
        header ??= { ...fileHeader, from: file };
        continue;
      }
      if (record['type'] === 'aggregate') continue; // A shard's own aggregate: the merge computes the whole one.
      if (record['type'] !== 'run') throw new CliFailure(where, 'not a line of a paravirt sweep (type is not sweep, run or aggregate)');
      if (!fileHeader) throw new CliFailure(where, 'a run line before the sweep header line (not a file paravirt sweep wrote?)');
      const problem = runLineProblem(record);
      if (problem) throw new CliFailure(where, `not a run line of a paravirt sweep (${problem})`);
      const line = record as unknown as RunLine;
      if (line.sweep !== fileHeader.sweep) throw new CliFailure(where, `is sweep ${line.sweep}, its header sweep ${fileHeader.sweep}`);
      if (line.index < 0 || line.index >= fileHeader.runs) throw new CliFailure(where, `run ${line.index} of a sweep of ${fileHeader.runs} runs`);
      const earlier = runs.get(line.index);
      if (earlier) throw new CliFailure(where, `run ${line.index} again (first at ${earlier.from}): give each shard's lines once`);
      runs.set(line.index, { text: row, line, from: where });
    }
    if (!fileHeader) throw new CliFailure(file, 'has no sweep header line (not a file paravirt sweep wrote?)');
  }
  const total = header!.runs;
  if (runs.size < total) {
    const missing: number[] = [];
    for (let index = 0; index < total && missing.length < 5; index++) if (!runs.has(index)) missing.push(index);
    throw new CliFailure('sweep merge', `${total - runs.size} of ${total} runs missing (run ${missing.join(', ')}${total - runs.size > missing.length ? ', ...' : ''}): merge the line files of every shard`);
  }
  const lines = await openLines(command, io);
  const whole: HeaderLine = { type: 'sweep', sweep: header!.sweep, paravirt: header!.paravirt, runs: total, unchanged: header!.unchanged };
  lines.write(lineText(whole));
  const aggregator = new Aggregator(whole.sweep, whole.unchanged);
  for (let index = 0; index < total; index++) {
    const { text, line } = runs.get(index)!;
    lines.write(`${text}\n`);
    aggregator.add(line);
  }
  const aggregate = aggregator.line();
  lines.write(lineText(aggregate));
  await lines.close();
  if (!command.quiet) report(io, `sweep ${whole.sweep} (merged)`, aggregate);
  return aggregator.success ? EXIT.ok : EXIT.moduleStopped;
}

