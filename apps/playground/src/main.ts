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
import type { Choices, FromWorker, Problem, ToWorker } from './protocol.js';
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
  diagnostics(): Array<{ line: number; severity: string; message: string }>;
  text(): string;
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

const worker = new PlaygroundWorker();
const send = (message: ToWorker): void => worker.postMessage(message);

const hook: PlaygroundHook = {
  phase: 'idle',
  consoles: {},
  summaryJson: undefined,
  trace: undefined,
  checks: 0,
  checkErrors: [],
  failure: undefined,
  diagnostics() {
    const out: Array<{ line: number; severity: string; message: string }> = [];
    const state = editor.view.state;
    forEachDiagnostic(state, (diagnostic, from) => out.push({ line: state.doc.lineAt(from).number, severity: diagnostic.severity, message: diagnostic.message }));
    return out;
  },
  text: () => editor.text(),
};
window.paravirtPlayground = hook;

// ------------------------------------------------------------------------------ checking

let checkId = 0;
let checkTimer: ReturnType<typeof setTimeout> | undefined;
let configValid = false;

const choices = (): Choices => ({ kernel: kernelSelect.value, arch: archSelect.value, duration: durationInput.value.trim(), seed: seedInput.value.trim(), apps: appsInput.value.trim() });

function scheduleCheck(): void {
  configValid = false;
  updateButtons();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => send({ type: 'check', id: ++checkId, text: editor.text(), choices: choices() }), 150);
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
  for (const control of [exampleSelect, kernelSelect, archSelect, durationInput, seedInput, appsInput, traceBox]) control.disabled = running;
}

// ------------------------------------------------------------------------------- running

let panes = new Map<string, Text>();
let durationNs = 1;
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
  history.replaceState(null, '', await encodeShare({ config: editor.text(), ...choices() }));
  send({ type: 'run', text: editor.text(), choices: choices(), trace: traceBox.checked });
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'ready':
      for (const name of message.kernels) option(kernelSelect, name, name);
      for (const name of message.arches) option(archSelect, name, name);
      return;
    case 'checked':
      showCheck(message);
      return;
    case 'started':
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
      progressBar.value = Math.min(1, message.nowNs / durationNs);
      progressText.textContent = `${seconds(message.nowNs)} / ${seconds(durationNs)}`;
      return;
    case 'done':
      finished(message);
      return;
    case 'failed':
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

worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onMessage(event.data));
worker.addEventListener('error', (event) => {
  hook.phase = 'failed';
  hook.failure = `worker: ${event.message}`;
  statusLine.textContent = `error: the simulator's worker failed: ${event.message}`;
  statusLine.className = 'status bad';
  updateButtons();
});

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

runButton.addEventListener('click', () => void startRun());
stopButton.addEventListener('click', () => send({ type: 'stop' }));
$('download-json').addEventListener('click', () => lastRun && download('summary.json', lastRun.summaryJson, 'application/json'));
$('download-trace').addEventListener('click', () => lastRun?.trace !== undefined && download('trace.json', lastRun.trace, 'application/json'));
$('download-report').addEventListener('click', () => lastRun && download('report.html', reportHtml(lastRun.summary, lastRun.report), 'text/html'));
shareButton.addEventListener('click', () => {
  void (async () => {
    const hash = await encodeShare({ config: editor.text(), ...choices() });
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
    editor.setText(shared.config);
  } else {
    exampleSelect.value = DEFAULT_EXAMPLE;
    editor.setText(examples[0]!.text);
  }
}

void load();
// A link pasted into this tab's address bar changes the fragment only: load what it holds.
window.addEventListener('hashchange', () => {
  if (hook.phase !== 'running' && location.hash.startsWith('#run=')) void load();
});
