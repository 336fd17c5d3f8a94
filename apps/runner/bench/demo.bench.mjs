// `pnpm bench` for the runner: how many times faster than real time the default demo runs
// (hello, ticker, base_sp in three POK partitions on the i386) for 1 hour of virtual time,
// measured on the built packages. Baseline from the same run: a bare event loop (machine's
// EventQueue with empty callbacks) firing the same number of events, so the ratio says what
// the model costs per event on top of the queue. Target (issue 6): >= 1000x real time.
// Then the same demo (pok/i386) with and without the fast-forward over idle kernel ticks
// (issue 16, goal >= 10,000x real time), measured in this run, and checked to give the
// same summary. Then issue 16's other goals, each with its ratio measured in this run: the busy
// module (bench/busy.yaml), scale in partitions and windows, --trace and --report against a
// plain run, and start-up against `node -e 0`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interruptDriven, worker } from './busy.mjs';
import { EventQueue } from '@paravirt/machine';
import { samples } from '@paravirt/samples';
import { DEFAULT_DEMO, loadConfig, Simulation } from '../dist/index.js';

const HOUR = 3_600_000_000_000;

function runDemo(kernel, arch, fastForward = true) {
  const loaded = loadConfig(DEFAULT_DEMO, { kernel, arch, duration: HOUR });
  const simulation = new Simulation({ spec: loaded.spec, applications: new Map(Object.entries(samples)), fastForward });
  const start = performance.now();
  simulation.run(HOUR);
  const seconds = (performance.now() - start) / 1000;
  const result = simulation.result();
  const lost = result.report.partitions.reduce((sum, partition) => sum + partition.virq.lost, 0);
  return { seconds, events: result.events, lost, result };
}

function bareLoop(events) {
  const queue = new EventQueue();
  let fired = 0;
  const tick = () => {
    fired++;
  };
  queue.every(1_000_000, tick);
  const start = performance.now();
  let horizon = 0;
  while (fired < events) {
    horizon += 1_000_000_000;
    queue.runUntil(horizon);
  }
  return (performance.now() - start) / 1000;
}

console.log('default demo, 1 hour of virtual time (built packages):');
for (const [kernel, arch] of [['pok', 'i386'], ['pok', 'sparc'], ['air', 'i386'], ['air', 'sparc']]) {
  const run = runDemo(kernel, arch);
  const bare = bareLoop(run.events);
  const speed = 3600 / run.seconds;
  console.log(
    `  ${kernel}/${arch}: ${run.seconds.toFixed(2)} s wall = ${Math.round(speed)}x real time (target >= 1000x: ${speed >= 1000 ? 'met' : 'NOT met'}); ` +
      `${(run.events / 1e6).toFixed(2)} M events, ${(run.events / run.seconds / 1e6).toFixed(2)} M events/s; ` +
      `bare event loop over the same events ${bare.toFixed(3)} s (model / bare = ${(run.seconds / bare).toFixed(1)}x); vIRQ lost ${run.lost}`,
  );
}

console.log('fast-forward over idle ticks, default demo pok/i386, 1 hour of virtual time:');
{
  const fast = runDemo('pok', 'i386', true);
  const slow = runDemo('pok', 'i386', false);
  const same = JSON.stringify(fast.result) === JSON.stringify(slow.result);
  const fastSpeed = 3600 / fast.seconds;
  const slowSpeed = 3600 / slow.seconds;
  console.log(
    `  with: ${fast.seconds.toFixed(2)} s wall = ${Math.round(fastSpeed)}x real time (goal >= 10000x: ${fastSpeed >= 10_000 ? 'met' : 'NOT met'}); ` +
      `without (--no-fast-forward): ${slow.seconds.toFixed(2)} s = ${Math.round(slowSpeed)}x; speed-up ${(slow.seconds / fast.seconds).toFixed(1)}x; ` +
      `${(fast.events / 1e6).toFixed(2)} M events either way; results ${same ? 'identical' : 'DIFFER'}`,
  );
}

// --- Issue 16's other goals, each measured in this run and printed with its ratio. ---

const MINUTE = 60_000_000_000;
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const verdict = (met) => (met ? 'met' : 'NOT met');

function simulate(text, overrides, applications, duration) {
  const loaded = loadConfig(text, { ...overrides, duration });
  if (!loaded.spec) throw new Error(`bench config: ${loaded.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`);
  const simulation = new Simulation({ spec: loaded.spec, applications });
  const start = performance.now();
  simulation.run(duration);
  const seconds = (performance.now() - start) / 1000;
  const result = simulation.result();
  return { seconds, events: result.events, result };
}

console.log('busy module (bench/busy.yaml: every partition runs guest code), 10 minutes of virtual time:');
{
  const text = readFileSync(here('./busy.yaml'), 'utf8');
  const applications = new Map([...Object.entries(samples), ['./busy-worker.mjs', worker], ['./busy-irq.mjs', interruptDriven]]);
  for (const arch of ['i386', 'sparc']) {
    const run = simulate(text, { arch }, applications, 10 * MINUTE);
    const bare = bareLoop(run.events);
    const speed = 600 / run.seconds;
    const perEvent = run.seconds / bare;
    console.log(
      `  pok/${arch}: ${run.seconds.toFixed(2)} s wall = ${Math.round(speed)}x real time (goal >= 1000x: ${verdict(speed >= 1000)}); ` +
        `${(run.events / 1e6).toFixed(2)} M events; model / bare event loop = ${perEvent.toFixed(1)}x (goal <= 5x: ${verdict(perEvent <= 5)})`,
    );
  }
}

/** A module of `count` partitions sharing a `frameMs` frame in `windows` equal windows, round robin, each running `app`. */
function scaleConfig(count, windows, frameMs, app) {
  const lines = [`name: scale`, `kernel: pok`, `arch: i386`, `schedules:`, `  - name: main`, `    majorFrame: ${frameMs}ms`, `    windows:`];
  const length = (frameMs * 1000) / windows;
  for (let index = 0; index < windows; index++) lines.push(`      - { partition: p${index % count}, start: ${index * length}us, duration: ${length}us }`);
  lines.push('partitions:');
  for (let index = 0; index < count; index++) lines.push(`  - { name: p${index}, app: ${app} }`);
  return lines.join('\n') + '\n';
}

console.log('scale (pok/i386, partitions running the built-in `idle`, 60 s of virtual time, cost per virtual second, best of 3):');
{
  const applications = new Map(Object.entries(samples));
  // Short runs: the best of three keeps the JIT's warm-up out of the ratio.
  const warm = (text) => [0, 1, 2].map(() => simulate(text, {}, applications, MINUTE)).reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const one = warm(scaleConfig(1, 1, 64, 'idle'));
  const many = warm(scaleConfig(64, 64, 64, 'idle'));
  const partitions = many.seconds / one.seconds;
  console.log(
    `  1 -> 64 partitions (one 64 ms frame): ${one.seconds.toFixed(3)} s -> ${many.seconds.toFixed(3)} s = ${partitions.toFixed(2)}x (goal <= 1.3x: ${verdict(partitions <= 1.3)}); events ${one.events} -> ${many.events}`,
  );
  const four = warm(scaleConfig(4, 4, 1000, 'idle'));
  const thousand = warm(scaleConfig(4, 1000, 1000, 'idle'));
  const windows = thousand.seconds / four.seconds;
  console.log(
    `  4 -> 1000 windows (four partitions, one 1 s frame): ${four.seconds.toFixed(3)} s -> ${thousand.seconds.toFixed(3)} s = ${windows.toFixed(2)}x (goal <= 2x: ${verdict(windows <= 2)})`,
  );
}

console.log('outputs and start-up (the built CLI as a user runs it; best of 3 wall times):');
{
  const cli = here('../dist/cli/bin.js');
  const demo = here('../../../examples/demo.yaml');
  const folder = mkdtempSync(join(tmpdir(), 'paravirt-bench-'));
  const best = (args) => {
    let fastest = Infinity;
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      if (child.status !== 0) throw new Error(`${args.join(' ')}: exit ${child.status}: ${child.stderr}`);
      fastest = Math.min(fastest, performance.now() - start);
    }
    return fastest / 1000;
  };
  try {
    const plain = best([cli, 'run', demo, '--duration', '10m', '--quiet']);
    const traced = best([cli, 'run', demo, '--duration', '10m', '--quiet', '--trace', join(folder, 'trace.json')]);
    const tracedAll = best([cli, 'run', demo, '--duration', '10m', '--quiet', '--trace', join(folder, 'trace.json'), '--trace-events', 'all']);
    const reported = best([cli, 'run', demo, '--duration', '10m', '--quiet', '--report', join(folder, 'report.html')]);
    console.log(
      `  default demo, 10 min: plain ${plain.toFixed(2)} s; --trace ${traced.toFixed(2)} s = ${(traced / plain).toFixed(2)}x (goal <= 1.3x: ${verdict(traced / plain <= 1.3)}); ` +
        `--report ${reported.toFixed(2)} s = ${(reported / plain).toFixed(2)}x (goal <= 1.2x: ${verdict(reported / plain <= 1.2)}); ` +
        `--trace --trace-events all (every tick's trap too, no fast-forward) ${tracedAll.toFixed(2)} s = ${(tracedAll / plain).toFixed(2)}x`,
    );
    const node = best(['-e', '0']);
    const start = best([cli, 'run', demo, '--duration', '1ms', '--quiet']);
    console.log(`  start-up: run of a YAML config for 1 ms ${(start * 1000).toFixed(0)} ms vs node -e 0 ${(node * 1000).toFixed(0)} ms = ${(start / node).toFixed(2)}x (goal <= 1.5x: ${verdict(start / node <= 1.5)})`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
