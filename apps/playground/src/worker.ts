/**
 * The simulator's worker: checks configs as they are typed and runs them, off the page's
 * thread so the page stays responsive during a long run. The same steps as `paravirt check`
 * and `paravirt run` (apps/runner/src/cli/main.ts): loadConfig with the overrides, planKernel,
 * the partitions' applications (built-in samples), openSession run in slices, then
 * buildSummary, summaryTable, the report data and the trace. Same config, kernel, arch,
 * duration and seed: the same consoles and summary as the CLI, byte for byte.
 */
import { architectures, buildSummary, gatheringWriter, kernelNames, memorySpool, openSession, printable, summaryTable, TraceFile } from '@paravirt/compose';
import { check, clean, prepare } from './check.js';
import type { Choices, FromWorker, ToWorker } from './protocol.js';

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

let stopRequested = false;
let running = false;

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

async function run(text: string, choices: Choices, traced: boolean): Promise<void> {
  const { prepared, errors } = prepare(text, choices);
  if (!prepared) {
    const first = clean(errors[0]!);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    post({ type: 'failed', where: first.path, what: `${first.message}${more}` });
    return;
  }
  const { loaded, builtins } = prepared;
  const spec = loaded.spec;
  const names = spec.kernel === 'none' ? [builtins.get(spec.partitions[0]!.app)!.name] : spec.partitions.map((partition) => partition.name);
  post({ type: 'started', partitions: names, durationNs: spec.duration, kernel: spec.kernel, arch: spec.arch, seed: spec.seed });

  let chunks: Array<readonly [string, Uint8Array]> = [];
  const flush = (): void => {
    if (chunks.length === 0) return;
    post({ type: 'console', chunks }, chunks.map(([, bytes]) => bytes.buffer));
    chunks = [];
  };
  const traceFile = traced ? new TraceFile(memorySpool()) : undefined;
  const session = openSession(
    { spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), trace: traced, report: true },
    builtins,
    { onConsole: (partition, bytes) => chunks.push([partition, bytes.slice()]), ...(traceFile ? { traceText: traceFile } : {}) },
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
      post(check(message.id, message.text, message.choices));
      return;
    case 'stop':
      stopRequested = true;
      return;
    case 'run':
      if (running) return;
      running = true;
      stopRequested = false;
      run(message.text, message.choices, message.trace)
        .catch((error: unknown) => post({ type: 'failed', where: 'internal', what: `${error instanceof Error ? error.message : String(error)} (a bug in paravirt: please report it)` }))
        .finally(() => {
          running = false;
        });
      return;
  }
});

post({ type: 'ready', kernels: kernelNames(), arches: architectures.names });
