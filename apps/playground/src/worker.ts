/**
 * The simulator's worker: checks configs as they are typed and runs them, off the page's
 * thread so the page stays responsive during a long run. The same steps as `paravirt check`
 * and `paravirt run` (apps/runner/src/cli/main.ts): loadConfig with the overrides, planKernel,
 * the partitions' applications (built-in samples), openSession run in slices, then
 * buildSummary, summaryTable, the report data and the trace. Same config, kernel, arch,
 * duration and seed: the same consoles and summary as the CLI, byte for byte.
 */
import { architectures, buildSummary, gatheringWriter, kernelNames, memorySpool, openSession, printable, summaryTable, TraceFile } from '@paravirt/compose';
import { checkWithModules, clean, type LoadedModule, loadModules, type ModuleRef, prepare } from './check.js';
import { loadUserModule, locate } from './loader.js';
import { hungKey } from './modules.js';
import { type Choices, type FromWorker, type ModuleChoices, type ToWorker, WATCHDOG_MS } from './protocol.js';

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

let stopRequested = false;
let running = false;

/**
 * Who runs on the simulated processor (machine's Activity, same words and layout): over the
 * page's SharedArrayBuffer when the page is cross-origin isolated, so that the page can name
 * the partition and thread of a module that hangs this worker.
 */
class Activity {
  words: Int32Array = new Int32Array(4);
  advance(): void {
    this.words[0] = (this.words[0]! + 1) | 0;
  }
  set partition(index: number) {
    this.words[1] = index;
  }
  set thread(name: number) {
    this.words[2] = name | 0;
  }
}
const activity = new Activity();

/** A module that hung a worker while loading is not loaded again: the CLI's watchdog words. */
const hungLoad = (ref: ModuleRef): LoadedModule => ({ what: `${ref.app} did not finish loading within ${WATCHDOG_MS / 1000} s of wall time (an endless loop at its top level?)` });

/** Loads a module for a run or a check, telling the page first (it names the module if this worker hangs). */
function loader(choices: ModuleChoices, run: boolean, cache?: Map<string, Promise<LoadedModule>>): (ref: ModuleRef) => Promise<LoadedModule> {
  return (ref) => {
    const key = hungKey(ref.module);
    if (choices.hung.includes(key)) return Promise.resolve(hungLoad(ref));
    const cacheKey = `${ref.app}\0${ref.module.source}`;
    const cached = cache?.get(cacheKey);
    if (cached) return cached;
    post({ type: 'loading', app: ref.app, where: ref.where, key, run });
    const loading = loadUserModule(ref);
    if (cache) {
      if (cache.size > 32) cache.clear();
      cache.set(cacheKey, loading);
    }
    return loading;
  };
}

/** Checks load a module once per name and source (each import of a Blob URL stays in memory); runs load theirs afresh. */
const checkCache = new Map<string, Promise<LoadedModule>>();

/** Lets the worker's event loop turn (a stop message) without a timer's clamping. */
function turn(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

async function run(text: string, choices: Choices, traced: boolean, modules: ModuleChoices): Promise<void> {
  const { prepared, errors } = prepare(text, choices, modules.modules);
  if (!prepared) {
    const first = clean(errors[0]!);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    post({ type: 'failed', where: first.path, what: `${first.message}${more}` });
    return;
  }
  const { loaded } = prepared;
  const spec = loaded.spec;
  const apps = await loadModules(prepared, loader(modules, true));
  if ('problem' in apps) {
    const problem = clean(apps.problem);
    post({ type: 'failed', where: problem.path, what: problem.message });
    return;
  }
  const applications = apps.applications;
  const names = spec.kernel === 'none' ? [applications.get(spec.partitions[0]!.app)!.name] : spec.partitions.map((partition) => partition.name);
  const userModules: Record<string, string> = {};
  spec.partitions.forEach((partition, index) => {
    const ref = prepared.modules.find((module) => module.app === partition.app);
    if (ref && names[index] !== undefined) userModules[names[index]] = ref.where;
  });
  activity.partition = 0;
  activity.thread = 0;
  post({ type: 'started', partitions: names, modules: userModules, durationNs: spec.duration, kernel: spec.kernel, arch: spec.arch, seed: spec.seed });

  let chunks: Array<readonly [string, Uint8Array]> = [];
  const flush = (): void => {
    if (chunks.length === 0) return;
    post({ type: 'console', chunks }, chunks.map(([, bytes]) => bytes.buffer));
    chunks = [];
  };
  const traceFile = traced ? new TraceFile(memorySpool()) : undefined;
  const session = openSession(
    { spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), trace: traced, report: true },
    applications,
    {
      onConsole: (partition, bytes) => chunks.push([partition, bytes.slice()]),
      ...(traceFile ? { traceText: traceFile } : {}),
      activity,
      // A JS error a task threw: the fatal error's message says where in the user's module.
      locateThrown: locate,
    },
  );
  const started = performance.now();
  let lastTurn = started;
  let interrupted = false;
  for (const now of session.slices()) {
    if (performance.now() - lastTurn < 40) continue;
    flush();
    post({ type: 'progress', nowNs: now });
    await turn();
    lastTurn = performance.now();
    if (stopRequested) {
      interrupted = true;
      break;
    }
  }
  const outcome = session.outcome(interrupted);
  flush();
  const { result } = outcome;
  post({ type: 'progress', nowNs: result.virtualTimeNs });
  const summary = buildSummary(spec, result.report, {
    virtualTimeNs: result.virtualTimeNs,
    events: result.events,
    wallTimeMs: Math.round(performance.now() - started),
    interrupted: outcome.interrupted,
    devices: result.devices,
  });
  const notes: string[] = [];
  if (outcome.interrupted) notes.push(`interrupted (stopped) at ${seconds(result.virtualTimeNs)} of virtual time: outputs cover what ran`);
  if (result.stopReason !== undefined) notes.push(`module stopped at ${seconds(result.stoppedAt ?? result.virtualTimeNs)}: ${printable(result.stopReason)}`);
  let trace: string | undefined;
  if (traceFile && outcome.trace) {
    await traceFile.writeTo(
      outcome.trace,
      gatheringWriter((text) => {
        trace = text;
      }),
    );
    traceFile.close();
  }
  post({
    type: 'done',
    summary,
    summaryJson: `${JSON.stringify(summary, null, 2)}\n`,
    table: summaryTable(summary),
    report: outcome.report!,
    ...(trace !== undefined ? { trace } : {}),
    notes,
  });
}

const seconds = (ns: number): string => `${(ns / 1e9).toFixed(3)} s`;

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'check':
      checkWithModules(message.id, message.text, message.choices, message.modules, loader(message, false, checkCache))
        .then(post)
        .catch((error: unknown) => post({ type: 'checked', id: message.id, errors: [{ path: 'internal', message: `${error instanceof Error ? error.message : String(error)} (a bug in paravirt: please report it)` }], warnings: [] }));
      return;
    case 'activity':
      activity.words = new Int32Array(message.buffer, 0, 4);
      return;
    case 'stop':
      stopRequested = true;
      return;
    case 'run':
      if (running) return;
      running = true;
      stopRequested = false;
      run(message.text, message.choices, message.trace, message)
        .catch((error: unknown) => post({ type: 'failed', where: 'internal', what: `${error instanceof Error ? error.message : String(error)} (a bug in paravirt: please report it)` }))
        .finally(() => {
          running = false;
        });
      return;
  }
});

post({ type: 'ready', kernels: kernelNames(), arches: architectures.names });
