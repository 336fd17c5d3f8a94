/**
 * Hypercall fuzzing, in CI: the `hostile` program owns 90% of every major frame and
 * makes at least 250,000 random hypercalls on each kernel x architecture (1,000,000 per
 * run, each combination with its own seed), among random memory accesses and privileged
 * instructions. No host exception (the run completes, the processor never stops), and not
 * one byte outside hostile's memory differs from the same module with an idle partition
 * in its place, while a ticker partition keeps its exact console and timing.
 * The module is examples/fuzz.yaml; `pnpm --filter @paravirt/runner fuzz` runs longer
 * campaigns over more seeds (bench/fuzz.mjs).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import type { Overrides } from '@paravirt/compose';
import { repo, simulate, withoutHostile } from './helpers.js';

const FUZZ = readFileSync(resolve(repo, 'examples/fuzz.yaml'), 'utf8');
/** examples/fuzz.yaml, or the same module with an idle partition in hostile's place. */
const module = (app: 'hostile' | 'idle'): string => (app === 'hostile' ? FUZZ : withoutHostile(FUZZ));

async function run(text: string, overrides: Overrides) {
  const { simulation, result } = await simulate(text, overrides);
  const hostile = simulation.kernel.partition('hostile')!;
  const memory = simulation.platform.board.memory;
  const start = hostile.context.physicalBase;
  const end = start + hostile.context.size;
  const outside = [memory.checksum(0, start), memory.checksum(end, memory.size - end)];
  return { report: result.report, outside };
}

const HYPERCALLS_PER_COMBINATION = 250_000;

describe.each([
  // SPARC's LEON3 runs at 50 MHz, the i386 at 100 MHz: it needs more virtual time for the same work.
  ['pok', 'i386', 11, 3_000_000_000],
  ['air', 'i386', 12, 3_000_000_000],
  ['pok', 'sparc', 13, 5_500_000_000],
  ['air', 'sparc', 14, 5_500_000_000],
] as const)('fuzzing %s/%s (seed %i)', (kernel, arch, seed, duration) => {
  it(`makes ${HYPERCALLS_PER_COMBINATION} random hypercalls without a host exception or a byte written outside the caller`, async () => {
    const overrides: Overrides = { kernel, arch, seed, duration };
    const attacked = await run(module('hostile'), overrides);
    const baseline = await run(module('idle'), overrides);
    const hostile = attacked.report.partitions.find((partition) => partition.name === 'hostile')!;
    expect(hostile.hypercalls).toBeGreaterThanOrEqual(HYPERCALLS_PER_COMBINATION);
    expect(attacked.outside).toEqual(baseline.outside);
    expect(attacked.report.partitions[0]).toEqual(baseline.report.partitions[0]);
  }, 300_000);
});

it('the trace of a fuzzing run is bounded by the sink, not by the attack', async () => {
  const sink = new BufferTraceSink(10_000);
  await simulate(module('hostile'), { duration: 300_000_000 }, new TraceRecorder(sink));
  expect(sink.records).toHaveLength(10_000);
  expect(sink.dropped).toBeGreaterThan(10_000);
});
