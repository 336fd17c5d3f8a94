// Longer hypercall-fuzzing campaigns than CI runs (apps/runner/test/fuzz.test.ts), on the
// built packages: examples/fuzz.yaml on every kernel x architecture for each seed, each run
// against the same module with an idle partition in hostile's place. Reports hypercalls
// made and their rate, and fails (exit 1) if the simulator threw, the processor stopped,
// a byte outside hostile's memory differs, or the ticker partition's report changed.
//   pnpm --filter @paravirt/runner fuzz -- --seeds 1-8 --duration 20s
import { readFileSync } from 'node:fs';
import { parseDuration } from '@paravirt/machine';
import { samples } from '@paravirt/samples';
import { loadConfig, Simulation } from '../dist/index.js';

const FUZZ = readFileSync(new URL('../../../examples/fuzz.yaml', import.meta.url), 'utf8');
const applications = new Map(Object.entries(samples));

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function seeds(text) {
  const [first, last = first] = text.split('-').map(Number);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last < first) throw new Error(`--seeds: expected N or N-M, got ${text}`);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function run(text, overrides) {
  const loaded = loadConfig(text, overrides);
  if (loaded.errors.length > 0) throw new Error(loaded.errors.map((error) => `${error.path}: ${error.message}`).join('\n'));
  const simulation = new Simulation({ spec: loaded.spec, applications });
  const start = performance.now();
  simulation.run(loaded.spec.duration);
  const seconds = (performance.now() - start) / 1000;
  const result = simulation.result();
  const hostile = simulation.kernel.partition('hostile');
  const memory = simulation.platform.board.memory;
  const from = hostile.context.physicalBase;
  const to = from + hostile.context.size;
  const outside = `${memory.checksum(0, from)}:${memory.checksum(to, memory.size - to)}`;
  return { seconds, result, outside, hostile: result.report.partitions.find((p) => p.name === 'hostile'), ticker: result.report.partitions.find((p) => p.name === 'ticker') };
}

const duration = option('duration', '20s');
const parsed = parseDuration(duration);
if (!parsed.ok) throw new Error(`--duration: ${parsed.error}`);
let failures = 0;
let total = 0;
console.log(`fuzzing examples/fuzz.yaml for ${duration} of virtual time per run (built packages):`);
for (const seed of seeds(option('seeds', '1-4'))) {
  for (const [kernel, arch] of [['pok', 'i386'], ['pok', 'sparc'], ['air', 'i386'], ['air', 'sparc']]) {
    const overrides = { kernel, arch, seed, duration: parsed.value };
    let verdict = 'ok';
    try {
      const attacked = run(FUZZ, overrides);
      const baseline = run(FUZZ.replace('app: hostile', 'app: idle   '), overrides);
      total += attacked.hostile.hypercalls;
      if (attacked.result.stopReason !== undefined) verdict = `processor stopped: ${attacked.result.stopReason}`;
      else if (attacked.outside !== baseline.outside) verdict = 'MEMORY OUTSIDE hostile CHANGED';
      else if (JSON.stringify(attacked.ticker) !== JSON.stringify(baseline.ticker)) verdict = 'ticker report CHANGED';
      console.log(
        `  seed ${seed} ${kernel}/${arch}: ${attacked.hostile.hypercalls} hypercalls (${Math.round(attacked.hostile.hypercalls / attacked.seconds)}/s wall), ` +
          `${attacked.hostile.hmEventCount} HM events, ${attacked.hostile.restarts} restarts: ${verdict}`,
      );
    } catch (error) {
      verdict = `HOST EXCEPTION: ${error instanceof Error ? error.stack : String(error)}`;
      console.log(`  seed ${seed} ${kernel}/${arch}: ${verdict}`);
    }
    if (verdict !== 'ok') failures++;
  }
}
console.log(`${total} hypercalls in all, ${failures} failing run(s)`);
process.exitCode = failures > 0 ? 1 : 0;
