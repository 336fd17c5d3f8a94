// `pnpm bench` for the runner: how many times faster than real time the default demo runs
// (hello, ticker, base_sp in three POK partitions on the i386) for 1 hour of virtual time,
// measured on the built packages. Baseline from the same run: a bare event loop (machine's
// EventQueue with empty callbacks) firing the same number of events, so the ratio says what
// the model costs per event on top of the queue. Target (issue 6): >= 1000x real time.
// Then the same demo (pok/i386) with and without the fast-forward over idle kernel ticks
// (issue 16, goal >= 10,000x real time), measured in this run, and checked to give the
// same summary.
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
