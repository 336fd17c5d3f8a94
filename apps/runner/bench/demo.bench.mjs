// `pnpm bench` for the runner: how many times faster than real time the default demo runs
// (hello, ticker, base_sp in three POK partitions on the i386) for 1 hour of virtual time,
// measured on the built packages. Baseline from the same run: a bare event loop (machine's
// EventQueue with empty callbacks) firing the same number of events, so the ratio says what
// the model costs per event on top of the queue. Target (issue 6): >= 1000x real time.
import { EventQueue } from '@paravirt/machine';
import { samples } from '@paravirt/samples';
import { DEFAULT_DEMO, loadConfig, Simulation } from '../dist/index.js';

const HOUR = 3_600_000_000_000;

function runDemo(kernel, arch) {
  const loaded = loadConfig(DEFAULT_DEMO, { kernel, arch, duration: HOUR });
  const simulation = new Simulation({ spec: loaded.spec, applications: new Map(Object.entries(samples)) });
  const start = performance.now();
  simulation.run(HOUR);
  const seconds = (performance.now() - start) / 1000;
  const result = simulation.result();
  const lost = result.report.partitions.reduce((sum, partition) => sum + partition.virq.lost, 0);
  return { seconds, events: result.events, lost };
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
