/**
 * The playground page: the config editor and the run's choices on the left, the live
 * consoles on the right, and after a run the summary table and the report's timeline and
 * histograms (the same viewer as `paravirt run --report`, @paravirt/compose's mountReport).
 * The simulator runs in a Web Worker (worker.ts); nothing is fetched at run time.
 */
import './style.css';
import { forEachDiagnostic } from '@codemirror/lint';
import { mountReport, type ReportData, reportHtml, type Summary } from '@paravirt/compose';
import { createEditor } from './editor.js';
import { DEFAULT_EXAMPLE, examples } from './examples.js';
import type { UserModule } from './modules.js';
import { type Choices, type FromWorker, type Problem, type ToWorker, WATCHDOG_MS } from './protocol.js';
import { decodeShare, encodeShare } from './share.js';
import PlaygroundWorker from './worker.ts?worker&inline';

type Phase = 'idle' | 'running' | 'done' | 'failed';

/** What tests read (the page's state, not its pixels). */
export interface PlaygroundHook {
  phase: Phase;
  /** Each partition's console as received, Latin-1 (one char per byte), as the JSON summary's `console`. */
  consoles: Record<string, string>;
  summaryJson: string | undefined;
  /** The Chrome trace of the last run, if it was recorded. */
  trace: string | undefined;
  /** Bumped by every check answer shown. */
  checks: number;
  checkErrors: readonly Problem[];
  failure: string | undefined;
  /** Workers terminated because they stopped responding (or did not answer Stop). */
  restarts: number;
  diagnostics(): Array<{ line: number; severity: string; message: string }>;
  text(): string;
  /** The Modules area's modules. */
  modules(): UserModule[];
}

declare global {
  interface Window {
    paravirtPlayground: PlaygroundHook;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const exampleSelect = $<HTMLSelectElement>('example');
const kernelSelect = $<HTMLSelectElement>('kernel');
const archSelect = $<HTMLSelectElement>('arch');
const durationInput = $<HTMLInputElement>('duration');
const seedInput = $<HTMLInputElement>('seed');
const appsInput = $<HTMLInputElement>('apps');
const traceBox = $<HTMLInputElement>('trace');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');
const shareButton = $<HTMLButtonElement>('share');
const progressBar = $<HTMLProgressElement>('progress');
const progressText = $('progress-text');
const statusLine = $('status');
const checkLine = $('check');
const consolesBox = $('consoles');
const results = $('results');
const modulesBox = $('modules');
const modulesCount = $('modules-count');

const option = (select: HTMLSelectElement, value: string, label: string): void => {
  if ([...select.options].some((existing) => existing.value === value)) return;
  const element = document.createElement('option');
  element.value = value;
  element.textContent = label;
  select.append(element);
};
for (const example of examples) option(exampleSelect, example.id, example.label);
// The kernels and architectures come from the worker (which holds the simulator): see 'ready'.
option(kernelSelect, '', "config's");
option(archSelect, '', "config's");

let worker: Worker;
/** When the worker last said anything (performance.now()): the watchdog's clock. */
let lastHeard = performance.now();
/**
 * Who runs on the simulated processor, written by the worker's executive (machine's Activity
 * words: progress, partition index + 1, thread name) - shared memory, so only when the page is
 * cross-origin isolated; otherwise a hung module's partition and thread are not known.
 */
const activity = typeof SharedArrayBuffer === 'function' && self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(16)) : undefined;
const send = (message: ToWorker): void => worker.postMessage(message);

function startWorker(): void {
  worker = new PlaygroundWorker();
  lastHeard = performance.now();
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    lastHeard = performance.now();
    onMessage(event.data);
  });
  worker.addEventListener('error', (event) => {
    hook.phase = 'failed';
    hook.failure = `worker: ${event.message}`;
    statusLine.textContent = `error: the simulator's worker failed: ${event.message}`;
    statusLine.className = 'status bad';
    updateButtons();
  });
  if (activity) {
    activity.fill(0);
    send({ type: 'activity', buffer: activity.buffer });
  }
}

const hook: PlaygroundHook = {
  phase: 'idle',
  consoles: {},
  summaryJson: undefined,
  trace: undefined,
  checks: 0,
  checkErrors: [],
  failure: undefined,
  restarts: 0,
  diagnostics() {
    const out: Array<{ line: number; severity: string; message: string }> = [];
    const state = editor.view.state;
    forEachDiagnostic(state, (diagnostic, from) => out.push({ line: state.doc.lineAt(from).number, severity: diagnostic.severity, message: diagnostic.message }));
    return out;
  },
  text: () => editor.text(),
  modules: () => modules(),
};
window.paravirtPlayground = hook;

// ------------------------------------------------------------------------------ checking

let checkId = 0;
let checkTimer: ReturnType<typeof setTimeout> | undefined;
let configValid = false;

const choices = (): Choices => ({ kernel: kernelSelect.value, arch: archSelect.value, duration: durationInput.value.trim(), seed: seedInput.value.trim(), apps: appsInput.value.trim() });

/** When the pending check (one with user modules to load) was sent; undefined when none is pending. */
let checkSentAt: number | undefined;

function scheduleCheck(): void {
  configValid = false;
  updateButtons();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => {
    const listed = modules();
    checkSentAt = listed.length > 0 ? performance.now() : undefined;
    send({ type: 'check', id: ++checkId, text: editor.text(), choices: choices(), modules: listed, hung: [...hung] });
  }, 150);
}

// ------------------------------------------------------------------------------- modules

/** Modules (hungKey) that hung a worker while loading: the worker reports them instead of loading them again. */
const hung = new Set<string>();

function modules(): UserModule[] {
  return [...modulesBox.querySelectorAll<HTMLElement>('.module')]
    .map((element) => ({ name: element.querySelector<HTMLInputElement>('.module-name')!.value.trim(), source: element.querySelector<HTMLTextAreaElement>('.module-source')!.value }))
    .filter((module) => module.name !== '');
}

function addModule(name: string, source: string): void {
  const element = document.createElement('div');
  element.className = 'module';
  const head = document.createElement('div');
  head.className = 'module-head';
  const nameInput = document.createElement('input');
  nameInput.className = 'module-name';
  nameInput.value = name;
  nameInput.spellcheck = false;
  nameInput.title = 'Its file name: the config names it app: ./NAME, Apps PARTITION=./NAME';
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'module-remove';
  remove.textContent = 'Remove';
  const text = document.createElement('textarea');
  text.className = 'module-source';
  text.spellcheck = false;
  text.placeholder = "import { RTEMS_SELF } from '@paravirt/cpukit';\nexport default { name: 'mine', description: '...', *init(rtems) { rtems.printf('hello\\n'); rtems.exit(0); } };";
  text.value = source;
  head.append(nameInput, remove);
  element.append(head, text);
  modulesBox.append(element);
  nameInput.addEventListener('input', modulesChanged);
  text.addEventListener('input', modulesChanged);
  remove.addEventListener('click', () => {
    element.remove();
    modulesChanged();
  });
  modulesChanged();
}

function setModules(list: readonly UserModule[]): void {
  modulesBox.replaceChildren();
  for (const module of list) addModule(module.name, module.source);
  modulesChanged();
}

function modulesChanged(): void {
  const count = modules().length;
  modulesCount.textContent = count === 0 ? '(none: add one, or load a .js/.mjs file)' : `(${count})`;
  scheduleCheck();
}

/** A name for a new module that no other module has. */
function freshName(): string {
  const taken = new Set(modules().map((module) => module.name));
  for (let i = 1; ; i++) if (!taken.has(`module${i}.mjs`)) return `module${i}.mjs`;
}

const editor = createEditor($('editor'), '', scheduleCheck);

function showCheck(message: Extract<FromWorker, { type: 'checked' }>): void {
  if (message.id !== checkId) return;
  editor.showProblems(message.errors, message.warnings);
  configValid = message.errors.length === 0;
  hook.checkErrors = message.errors;
  checkLine.className = `check-result ${configValid ? 'ok' : 'bad'}`;
  const lines = configValid ? [message.valid ?? 'valid'] : message.errors.map((error) => `error: ${error.path}: ${error.message}`);
  for (const warning of message.warnings) lines.push(`warning: ${warning.path}: ${warning.message}`);
  if (message.hint) lines.push(`hint: ${message.hint}`);
  checkLine.textContent = lines.join('\n');
  hook.checks++;
  updateButtons();
}

function updateButtons(): void {
  const running = hook.phase === 'running';
  runButton.disabled = running || !configValid;
  stopButton.disabled = !running;
  for (const control of [exampleSelect, kernelSelect, archSelect, durationInput, seedInput, appsInput, traceBox, ...modulesBox.querySelectorAll<HTMLInputElement>('input, textarea, button'), $<HTMLButtonElement>('add-module'), $<HTMLInputElement>('load-module')]) control.disabled = running;
}

// ------------------------------------------------------------------------------- running

let panes = new Map<string, Text>();
let durationNs = 1;
/** The running module's partitions (pane names), the `where` of those that run a user module, its kernel; the last virtual time heard. */
let started: { partitions: readonly string[]; modules: Readonly<Record<string, string>>; kernel: string } | undefined;
let lastNowNs = 0;
/** The user module the worker is loading (for a check or a run), if any. */
let loading: Extract<FromWorker, { type: 'loading' }> | undefined;
let lastRun: { summary: Summary; summaryJson: string; report: ReportData; trace?: string } | undefined;

const seconds = (ns: number): string => `${(ns / 1e9).toFixed(3)} s`;

function consolePane(partition: string): Text {
  let text = panes.get(partition);
  if (text) return text;
  const pane = document.createElement('section');
  pane.className = 'console';
  pane.dataset['partition'] = partition;
  const title = document.createElement('h3');
  title.textContent = partition;
  const pre = document.createElement('pre');
  text = document.createTextNode('');
  pre.append(text);
  pane.append(title, pre);
  consolesBox.append(pane);
  panes.set(partition, text);
  hook.consoles[partition] ??= '';
  return text;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

async function startRun(): Promise<void> {
  if (!configValid || hook.phase === 'running') return;
  hook.phase = 'running';
  hook.consoles = {};
  hook.summaryJson = undefined;
  hook.trace = undefined;
  hook.failure = undefined;
  lastRun = undefined;
  panes = new Map();
  consolesBox.replaceChildren();
  results.hidden = true;
  statusLine.textContent = 'starting...';
  statusLine.className = 'status';
  progressBar.value = 0;
  progressText.textContent = '';
  updateButtons();
  // The link reproduces what runs now.
  started = undefined;
  lastNowNs = 0;
  const listed = modules();
  history.replaceState(null, '', await encodeShare({ config: editor.text(), ...choices(), modules: listed }));
  lastHeard = performance.now();
  send({ type: 'run', text: editor.text(), choices: choices(), trace: traceBox.checked, modules: listed, hung: [...hung] });
}

// ---------------------------------------------------------------------------- containment

/** An RTEMS object name (four characters packed in 32 bits) as text. */
const nameToText = (name: number): string => String.fromCharCode((name >>> 24) & 0xff, (name >>> 16) & 0xff, (name >>> 8) & 0xff, name & 0xff);

/** The run's hung code, from the Activity words: `where` for the error line and who it is. */
function culprit(): { where: string; who: string | undefined } {
  if (!activity || !started) return { where: 'simulation', who: undefined };
  const index = started.kernel === 'none' ? 0 : activity[1]! - 1;
  const partition = started.partitions[index];
  if (partition === undefined) return { where: 'simulation', who: 'the kernel' };
  const owner = started.kernel === 'none' ? 'the application' : `partition ${partition}`;
  const thread = activity[2]!;
  return { where: started.modules[partition] ?? 'simulation', who: thread === 0 ? owner : `thread "${nameToText(thread).trimEnd()}" of ${owner}` };
}

/** Ends a worker that stopped responding (a module's endless loop) and starts a fresh one; says why. */
function restartWorker(why: 'watchdog' | 'stop'): void {
  const seconds = (WATCHDOG_MS / 1000).toString();
  let failure: string;
  if (loading) {
    hung.add(loading.key);
    failure = `${loading.where}: ${loading.app} did not finish loading within ${seconds} s of wall time (an endless loop at its top level?)`;
  } else {
    const { where, who } = culprit();
    const whom = who ?? 'partition and thread unknown: the page is not cross-origin isolated';
    const stalled = why === 'stop' ? 'did not answer Stop' : `no progress for ${seconds} s of wall time`;
    failure = `${where}: the module stopped responding (${whom}): ${stalled}, at ${seconds3(lastNowNs)} of virtual time (a loop without yield*?)`;
  }
  const wasRunning = hook.phase === 'running' || loading?.run === true;
  worker.terminate();
  hook.restarts++;
  loading = undefined;
  checkSentAt = undefined;
  clearTimeout(stopTimer);
  startWorker();
  if (wasRunning) {
    hook.phase = 'failed';
    hook.failure = failure;
    statusLine.textContent = `error: ${failure}\nthe simulator was stopped and restarted; the run's outputs are lost`;
    statusLine.className = 'status bad';
  }
  // The fresh worker checks again; a module that hung while loading is reported, not loaded again.
  scheduleCheck();
}

const seconds3 = (ns: number): string => `${(ns / 1e9).toFixed(3)} s`;

setInterval(() => {
  const now = performance.now();
  if (now - lastHeard <= WATCHDOG_MS) return;
  const checking = checkSentAt !== undefined && now - checkSentAt > WATCHDOG_MS;
  if (hook.phase === 'running' || checking) restartWorker('watchdog');
}, 250);

let stopTimer: ReturnType<typeof setTimeout> | undefined;

function stop(): void {
  send({ type: 'stop' });
  // A worker stuck in a module's loop cannot read Stop: end it.
  clearTimeout(stopTimer);
  stopTimer = setTimeout(() => {
    if (hook.phase === 'running' && performance.now() - lastHeard > 1000) restartWorker('stop');
  }, 1500);
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'ready':
      for (const name of message.kernels) option(kernelSelect, name, name);
      for (const name of message.arches) option(archSelect, name, name);
      return;
    case 'checked':
      if (message.id === checkId) checkSentAt = undefined;
      if (!loading?.run) loading = undefined;
      showCheck(message);
      return;
    case 'loading':
      loading = message;
      return;
    case 'started':
      loading = undefined;
      started = { partitions: message.partitions, modules: message.modules, kernel: message.kernel };
      durationNs = Math.max(1, message.durationNs);
      statusLine.textContent = `running ${message.kernel}/${message.arch}, seed ${message.seed}, ${seconds(message.durationNs)} of virtual time`;
      for (const partition of message.partitions) consolePane(partition);
      return;
    case 'console':
      for (const [partition, bytes] of message.chunks) {
        const text = latin1(bytes);
        hook.consoles[partition] = (hook.consoles[partition] ?? '') + text;
        consolePane(partition).appendData(text);
      }
      for (const pre of consolesBox.querySelectorAll('pre')) pre.scrollTop = pre.scrollHeight;
      return;
    case 'progress':
      lastNowNs = message.nowNs;
      progressBar.value = Math.min(1, message.nowNs / durationNs);
      progressText.textContent = `${seconds(message.nowNs)} / ${seconds(durationNs)}`;
      return;
    case 'done':
      finished(message);
      return;
    case 'failed':
      if (loading?.run) loading = undefined;
      hook.phase = 'failed';
      hook.failure = `${message.where}: ${message.what}`;
      statusLine.textContent = `error: ${message.where}: ${message.what}`;
      statusLine.className = 'status bad';
      updateButtons();
      return;
  }
}

function finished(message: Extract<FromWorker, { type: 'done' }>): void {
  lastRun = { summary: message.summary, summaryJson: message.summaryJson, report: message.report, ...(message.trace !== undefined ? { trace: message.trace } : {}) };
  const summary = message.summary;
  statusLine.textContent = [`${seconds(summary.virtualTimeNs)} of virtual time, ${summary.events} events, ${summary.wallTimeMs} ms of wall time`, ...message.notes].join('\n');
  statusLine.className = message.notes.length > 0 ? 'status warn' : 'status ok';
  $('summary-table').textContent = message.table;
  $<HTMLButtonElement>('download-trace').disabled = message.trace === undefined;
  $<HTMLButtonElement>('download-trace').title = message.trace === undefined ? 'Tick "Chrome trace" before the run to record one' : '';
  results.hidden = false;
  const timeline = $('timeline');
  const histograms = $('histograms');
  timeline.replaceChildren();
  histograms.replaceChildren();
  mountReport(timeline, histograms, message.report);
  hook.summaryJson = message.summaryJson;
  hook.trace = message.trace;
  hook.phase = 'done';
  updateButtons();
}

startWorker();

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

runButton.addEventListener('click', () => void startRun());
stopButton.addEventListener('click', stop);
$('add-module').addEventListener('click', () => addModule(freshName(), ''));
$<HTMLInputElement>('load-module').addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  void (async () => {
    for (const file of input.files ?? []) {
      const source = await file.text();
      const existing = [...modulesBox.querySelectorAll<HTMLElement>('.module')].find((element) => element.querySelector<HTMLInputElement>('.module-name')!.value.trim() === file.name);
      if (existing) {
        existing.querySelector<HTMLTextAreaElement>('.module-source')!.value = source;
        modulesChanged();
      } else addModule(file.name, source);
    }
    input.value = '';
  })();
});
$('download-json').addEventListener('click', () => lastRun && download('summary.json', lastRun.summaryJson, 'application/json'));
$('download-trace').addEventListener('click', () => lastRun?.trace !== undefined && download('trace.json', lastRun.trace, 'application/json'));
$('download-report').addEventListener('click', () => lastRun && download('report.html', reportHtml(lastRun.summary, lastRun.report), 'text/html'));
shareButton.addEventListener('click', () => {
  void (async () => {
    const hash = await encodeShare({ config: editor.text(), ...choices(), modules: modules() });
    history.replaceState(null, '', hash);
    try {
      await navigator.clipboard.writeText(location.href);
      shareButton.textContent = 'Link copied';
    } catch {
      shareButton.textContent = 'Link in the address bar';
    }
    setTimeout(() => (shareButton.textContent = 'Copy link'), 1500);
  })();
});
exampleSelect.addEventListener('change', () => {
  const example = examples.find((candidate) => candidate.id === exampleSelect.value);
  if (example) editor.setText(example.text);
});
for (const control of [kernelSelect, archSelect, traceBox]) control.addEventListener('change', scheduleCheck);
for (const control of [durationInput, seedInput, appsInput]) control.addEventListener('input', scheduleCheck);
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') void startRun();
});

// ------------------------------------------------------------------------------ start-up

async function load(): Promise<void> {
  const shared = await decodeShare(location.hash);
  if (shared) {
    exampleSelect.value = examples.find((example) => example.text === shared.config)?.id ?? '';
    for (const [select, value] of [
      [kernelSelect, shared.kernel],
      [archSelect, shared.arch],
    ] as const) {
      option(select, value, value);
      select.value = value;
    }
    durationInput.value = shared.duration;
    seedInput.value = shared.seed;
    appsInput.value = shared.apps;
    setModules(shared.modules ?? []);
    editor.setText(shared.config);
  } else {
    exampleSelect.value = DEFAULT_EXAMPLE;
    editor.setText(examples[0]!.text);
  }
}
modulesChanged();

void load();
// A link pasted into this tab's address bar changes the fragment only: load what it holds.
window.addEventListener('hashchange', () => {
  if (hook.phase !== 'running' && location.hash.startsWith('#run=')) void load();
});
