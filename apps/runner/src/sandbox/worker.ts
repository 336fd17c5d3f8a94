/**
 * The sandbox's worker thread: imports the user modules, runs the module and posts back
 * console bytes, progress and the outcome (protocol.ts). The sandbox process's main
 * thread (child.ts) watches it through shared memory and stops it if it hangs or grows
 * past its memory limit; the permission model of that process applies here too.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { Activity } from '@paravirt/machine';
import { isRawApplication, samples } from '@paravirt/samples';
import { CliFailure, EXIT, bareMetalClockProblem, openSession, type TraceText } from '@paravirt/compose';
import { type GuestApplication, loadUserModule } from '../run/applications.js';
import { describeThrown } from '@paravirt/machine';
import { installModuleHooks } from './guestApi.js';
import { userLocation } from './location.js';
import { CONTROL, PHASE_DONE, PHASE_RUNNING, PHASE_WAITING, type SandboxMessage, type SandboxRequest, TRACE_IN_FLIGHT, TRACE_MESSAGE_BYTES } from './protocol.js';

interface WorkerData {
  readonly request: SandboxRequest;
  readonly activity: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

const data = workerData as WorkerData;
const control = new Int32Array(data.control);
const post = (message: SandboxMessage): void => parentPort!.postMessage(message);

/**
 * Process-wide controls a module has no business with. The permission model already
 * refuses files, child processes and native addons; these it does not cover. process.exit
 * in a worker would only end this thread (reported as such), but a throw keeps the run
 * going and shows the module's own error. New worker threads would escape this thread's
 * heap limit and outlive the run (the sandbox process needs --allow-worker for this one).
 */
function lockDown(): void {
  const refuse = (what: string) => () => {
    throw new Error(`${what} is not available to user modules (they run in paravirt's sandbox; see --allow-host)`);
  };
  for (const name of ['exit', 'kill', 'reallyExit'] as const) Object.defineProperty(process, name, { value: refuse(`process.${name}`) });
  const threads = createRequire(import.meta.url)('node:worker_threads') as { Worker: unknown };
  threads.Worker = function Worker() {
    refuse('new Worker()')();
  };
  syncBuiltinESMExports();
}

/** Consecutive console writes of one partition merged, posted once per slice. */
class ConsoleBatch {
  private chunks: Array<{ partition: string; parts: Uint8Array[]; length: number }> = [];

  add(partition: string, bytes: Uint8Array): void {
    const last = this.chunks.at(-1);
    if (last && last.partition === partition) {
      last.parts.push(bytes.slice());
      last.length += bytes.length;
    } else {
      this.chunks.push({ partition, parts: [bytes.slice()], length: bytes.length });
    }
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    const chunks = this.chunks.map(({ partition, parts, length }) => {
      const bytes = new Uint8Array(length);
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
      return { partition, bytes };
    });
    this.chunks = [];
    post({ type: 'console', chunks });
  }
}

/**
 * The streamed trace's text, gathered into messages of about TRACE_MESSAGE_BYTES for the
 * CLI, which writes them to its spool (this process may not write files). With
 * TRACE_IN_FLIGHT messages unwritten, the run waits for the CLI: the trace's memory stays
 * bounded however fast the simulation makes it.
 */
class TracePoster implements TraceText {
  private parts: Array<Uint8Array | number> = [];
  private length = 0;
  private sent = 0;

  body(bytes: Uint8Array): void {
    this.parts.push(bytes.slice());
    this.length += bytes.length;
    if (this.length >= TRACE_MESSAGE_BYTES) this.flush();
  }

  hole(id: number): void {
    this.parts.push(id);
  }

  flush(): void {
    if (this.parts.length === 0) return;
    post({ type: 'trace', seq: ++this.sent, parts: this.parts });
    this.parts = [];
    this.length = 0;
    if (this.sent - Atomics.load(control, CONTROL.TRACE_ACK) <= TRACE_IN_FLIGHT) return;
    const phase = Atomics.load(control, CONTROL.PHASE);
    Atomics.store(control, CONTROL.PHASE, PHASE_WAITING);
    for (let acked = Atomics.load(control, CONTROL.TRACE_ACK); this.sent - acked > TRACE_IN_FLIGHT; acked = Atomics.load(control, CONTROL.TRACE_ACK)) {
      Atomics.wait(control, CONTROL.TRACE_ACK, acked, 1000);
    }
    Atomics.store(control, CONTROL.PHASE, phase);
  }
}

async function main(): Promise<void> {
  const { request } = data;
  // The module hooks (bundled next to this file): the guest API from any folder, TypeScript.
  installModuleHooks(new URL('./hooks.js', import.meta.url));
  if (!request.allowHost) lockDown();
  const applications = new Map<string, GuestApplication>();
  for (const partition of request.run.spec.partitions) {
    if (Object.hasOwn(samples, partition.app)) applications.set(partition.app, samples[partition.app]!);
  }
  for (const [index, ref] of request.modules.entries()) {
    Atomics.store(control, CONTROL.MODULE, index);
    const application = await loadUserModule(ref);
    // A user module's own tick is known only now; check and run both stop here (a built-in's
    // was checked with the config). The pc386 clock cannot make every tick.
    const clock = request.run.spec.kernel === 'none' && !isRawApplication(application) ? bareMetalClockProblem(request.run.spec, () => application.configuration) : undefined;
    if (clock) throw new CliFailure(clock.path, clock.message);
    applications.set(ref.app, application);
  }
  if (request.mode === 'load') {
    post({ type: 'loaded' });
    return;
  }
  Atomics.store(control, CONTROL.PHASE, PHASE_RUNNING);
  const batch = new ConsoleBatch();
  const trace = request.run.trace ? new TracePoster() : undefined;
  const session = openSession(request.run, applications, {
    ...(request.console ? { onConsole: (partition: string, bytes: Uint8Array) => batch.add(partition, bytes) } : {}),
    activity: new Activity(data.activity),
    ...(trace ? { traceText: trace } : {}),
    // A JS error a task threw: the fatal error's message says where in the user's files.
    locateThrown: (stack: string) => userLocation({ stack }, request.modules),
  });
  let interrupted = false;
  for (const now of session.slices()) {
    batch.flush();
    post({ type: 'progress', now });
    if (Atomics.load(control, CONTROL.STOP) !== 0) {
      interrupted = true;
      break;
    }
  }
  batch.flush();
  // The outcome ends the trace's body (the stream's last events); the CLI has it all before the outcome.
  const outcome = session.outcome(interrupted);
  trace?.flush();
  Atomics.store(control, CONTROL.PHASE, PHASE_DONE);
  post({ type: 'outcome', outcome });
}

main().catch((error: unknown) => {
  Atomics.store(control, CONTROL.PHASE, PHASE_DONE);
  if (error instanceof CliFailure) {
    post({ type: 'failure', code: error.code, where: error.where, what: error.what });
    return;
  }
  // Past the executive's own containment: a module's code if its file is on the stack.
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const module = data.request.modules.find((ref) => stack.includes(ref.path));
  if (module || !(error instanceof Error)) {
    const at = userLocation(error, data.request.modules);
    post({ type: 'failure', code: EXIT.module, where: module?.where ?? 'module', what: `${module ? `${module.app} ` : 'a user module '}threw past the executive: ${describeThrown(error)}${at ? ` (at ${at})` : ''}`, ...(stack ? { detail: stack } : {}) });
  } else {
    post({ type: 'failure', code: EXIT.internal, where: 'internal', what: describeThrown(error), ...(stack ? { detail: stack } : {}) });
  }
});
