/**
 * The sandbox process's main thread. The CLI starts this process under Node's permission
 * model (host.ts); it runs the module in a worker thread (worker.ts) with a heap limit and
 * stays free itself, so it can watch: a module that stops making progress (a loop without
 * yield, at import or in a task), that grows past its memory limit, that ends its thread
 * or throws where nothing can catch it is stopped and named in one failure message. It
 * relays everything else to the CLI unchanged.
 */
import { Worker } from 'node:worker_threads';
import { Activity, ActivityWords } from '@paravirt/machine';
import { EXIT, type ExitCode } from '@paravirt/compose';
import { describeThrown } from '@paravirt/machine';
import { userLocation } from './location.js';
import { CONTROL, PHASE_LOADING, PHASE_RUNNING, PHASE_WAITING, type SandboxCommand, type SandboxMessage, type SandboxRequest } from './protocol.js';

const TICK_MS = 100;

/** An RTEMS object name (four characters packed in 32 bits) as text. */
const nameToText = (name: number): string => String.fromCharCode((name >>> 24) & 0xff, (name >>> 16) & 0xff, (name >>> 8) & 0xff, name & 0xff);

function send(message: SandboxMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(message, undefined, undefined, () => resolve());
  });
}

/** The CLI decides what a signal means (it asks us to stop); a terminal's Ctrl-C reaches us too. */
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
// The CLI is gone: nobody is left to report to.
process.on('disconnect', () => process.exit(0));

process.on('message', (command: SandboxCommand) => {
  if (command.type === 'start') start(command.request);
  else if (command.type === 'stop' && control) Atomics.store(control, CONTROL.STOP, 1);
  else if (command.type === 'trace-ack' && control) {
    Atomics.store(control, CONTROL.TRACE_ACK, command.seq);
    Atomics.notify(control, CONTROL.TRACE_ACK);
  }
});

let control: Int32Array | undefined;

function start(request: SandboxRequest): void {
  const activityBuffer = new SharedArrayBuffer(Activity.BYTES);
  const controlBuffer = new SharedArrayBuffer(CONTROL.WORDS * 4);
  const words = new Int32Array(activityBuffer);
  control = new Int32Array(controlBuffer);
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    workerData: { request, activity: activityBuffer, control: controlBuffer },
    resourceLimits: { maxOldGenerationSizeMb: request.memoryLimitMb },
  });
  let finished = false;
  let lastNow = 0;
  const finish = async (message: SandboxMessage): Promise<void> => {
    if (finished) return;
    finished = true;
    clearInterval(watchdog);
    await worker.terminate();
    await send(message);
    // Nothing a module left behind (timers, sockets) may keep this process alive.
    process.exit(0);
  };

  worker.on('message', (message: SandboxMessage) => {
    if (finished) return;
    if (message.type === 'progress') lastNow = message.now;
    if (message.type === 'outcome' || message.type === 'failure' || message.type === 'loaded') void finish(message);
    else void send(message);
  });

  /** Whose code runs now, as `where` and a phrase for an error line. */
  const culprit = (): { where: string; who: string; code: ExitCode } => {
    if (Atomics.load(control!, CONTROL.PHASE) === PHASE_LOADING) {
      const ref = request.modules[Atomics.load(control!, CONTROL.MODULE)];
      if (ref) return { where: ref.where, who: ref.app, code: EXIT.module };
    }
    const spec = request.run.spec;
    const index = spec.kernel === 'none' ? 0 : words[ActivityWords.PARTITION]! - 1;
    const partition = spec.partitions[index];
    if (!partition) return { where: 'simulation', who: 'the kernel', code: EXIT.internal };
    const ref = request.modules.find((module) => module.app === partition.app);
    const thread = words[ActivityWords.THREAD]!;
    const owner = spec.kernel === 'none' ? 'the application' : `partition ${partition.name}`;
    const who = thread === 0 ? owner : `thread "${nameToText(thread).trimEnd()}" of ${owner}`;
    return { where: ref?.where ?? `partitions[${index}]`, who, code: ref ? EXIT.module : EXIT.internal };
  };

  const fail = (what: (who: string) => string, detail?: string): void => {
    const { where, who, code } = culprit();
    void finish({ type: 'failure', code, where, what: what(who), ...(detail ? { detail } : {}) });
  };

  let lastProgress = words[ActivityWords.PROGRESS]!;
  let lastChange = performance.now();
  const started = performance.now();
  const rssLimit = (request.memoryLimitMb * 3) / 2 + 512;
  const watchdog = setInterval(() => {
    const now = performance.now();
    const progress = words[ActivityWords.PROGRESS]!;
    const phase = Atomics.load(control!, CONTROL.PHASE);
    if (progress !== lastProgress || phase !== PHASE_RUNNING) {
      lastProgress = progress;
      // Waiting for the CLI to write the trace is not the module's doing.
      lastChange = phase === PHASE_RUNNING || phase === PHASE_WAITING ? now : lastChange;
    }
    const seconds = (request.watchdogMs / 1000).toString();
    if (phase === PHASE_LOADING && now - started > request.watchdogMs) {
      fail((who) => `${who} did not finish loading within ${seconds} s of wall time (an endless loop at its top level?)`);
    } else if (phase === PHASE_RUNNING && now - lastChange > request.watchdogMs) {
      fail((who) => `${who} stopped yielding: no progress for ${seconds} s of wall time, at ${(lastNow / 1e9).toFixed(3)} s of virtual time (a loop without yield*?)`);
    } else if (process.memoryUsage.rss() / 2 ** 20 > rssLimit) {
      fail((who) => `${who} made the host use more than ${Math.round(rssLimit)} MiB of memory (limit: --max-memory ${request.memoryLimitMb}MiB)`);
    }
  }, TICK_MS);

  worker.on('error', (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      fail((who) => `${who} exhausted its heap (limit: --max-memory ${request.memoryLimitMb}MiB)`);
      return;
    }
    // Thrown where no executive catches it (a timer or promise callback of a module).
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    const fromModule = !(error instanceof Error) || request.modules.some((module) => stack.includes(module.path));
    const at = userLocation(error, request.modules);
    if (fromModule) fail((who) => `${who} threw outside the simulation: ${describeThrown(error)}${at ? ` (at ${at})` : ''}`);
    else void finish({ type: 'failure', code: EXIT.internal, where: 'internal', what: describeThrown(error), ...(stack ? { detail: stack } : {}) });
  });

  worker.on('exit', (exitCode) => {
    if (finished) return;
    if (Atomics.load(control!, CONTROL.PHASE) === PHASE_LOADING && exitCode === 0) {
      fail((who) => `${who} never finished loading: its top-level await never settled`);
    } else {
      fail((who) => `${who} ended its host thread (exit code ${exitCode})`);
    }
  });
}
