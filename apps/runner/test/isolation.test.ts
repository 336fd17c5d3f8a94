/**
 * Isolation, measured (docs/architecture.md section 7): examples/hostile.yaml - the default
 * demo plus a `hostile` partition in its own window - against the same module with
 * `app: idle` in hostile's place. On both kernels and both architectures, the other
 * partitions' consoles, summaries (CPU and idle time to the nanosecond, vIRQ counts and
 * latencies) and every trace record about them (window start/end, hypercalls, thread
 * switches, vIRQ deliveries, with their times) are identical, no byte of physical memory
 * outside hostile's own region differs, and the simulator raises no host exception.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BufferTraceSink, type TraceRecord, TraceRecorder } from '@paravirt/machine';
import { HYPERCALLS } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import type { Overrides } from '../src/config/loadConfig.js';
import type { Simulation } from '../src/run/simulation.js';
import { repo, simulate, withoutHostile } from './helpers.js';

const HOSTILE = readFileSync(resolve(repo, 'examples/hostile.yaml'), 'utf8');
const BASELINE = withoutHostile(HOSTILE);
const VICTIMS = ['hello', 'ticker', 'base_sp'];

async function run(text: string, overrides: Overrides) {
  const sink = new BufferTraceSink();
  const { simulation, result } = await simulate(text, overrides, new TraceRecorder(sink));
  return { simulation, report: result.report, records: sink.records };
}

/** What the trace says about one partition: records naming it, in order, as text. */
function recordsOf(records: readonly TraceRecord[], partition: string): string[] {
  return records.filter((record) => record.source === partition || record.payload['partition'] === partition).map((record) => JSON.stringify(record));
}

/** FNV checksums of physical memory in 64 KiB pieces, leaving out [skipStart, skipEnd). */
function memoryOutside(simulation: Simulation, skipStart: number, skipEnd: number): number[] {
  const memory = simulation.platform.board.memory;
  const sums: number[] = [];
  for (let address = 0; address < memory.size; address += 0x1_0000) {
    if (address >= skipStart && address < skipEnd) continue;
    sums.push(memory.checksum(address, Math.min(0x1_0000, memory.size - address)));
  }
  return sums;
}

describe.each([
  ['pok', 'i386'],
  ['pok', 'sparc'],
  ['air', 'i386'],
  ['air', 'sparc'],
] as const)('a hostile partition on %s/%s', (kernel, arch) => {
  it('changes nothing about the other partitions: consoles, summaries, trace records, memory', async () => {
    const overrides: Overrides = { kernel, arch, duration: 3_000_000_000 };
    const baseline = await run(BASELINE, overrides);
    const attacked = await run(HOSTILE, overrides);

    for (const name of VICTIMS) {
      const before = baseline.report.partitions.find((partition) => partition.name === name)!;
      const after = attacked.report.partitions.find((partition) => partition.name === name)!;
      expect(after).toEqual(before);
      expect(recordsOf(attacked.records, name)).toEqual(recordsOf(baseline.records, name));
    }
    expect(attacked.report.partitions.find((p) => p.name === 'hello')!.console).toContain('Hello World');

    const hostile = attacked.simulation.kernel.partition('hostile')!;
    const start = hostile.context.physicalBase;
    const end = start + hostile.context.size;
    expect(memoryOutside(attacked.simulation, start, end)).toEqual(memoryOutside(baseline.simulation, start, end));

    // The attack was real: thousands of hypercalls covering the whole API, faults of every kind.
    const report = attacked.report.partitions.find((partition) => partition.name === 'hostile')!;
    expect(report.hypercalls).toBeGreaterThan(10_000);
    expect(report.privilegedFaults).toBeGreaterThan(100);
    expect(report.hmEventCount).toBeGreaterThan(10_000);
    const called = new Set(attacked.records.filter((record) => record.kind === 'hypercall' && record.source === 'hostile').map((record) => record.payload['name']));
    for (const spec of HYPERCALLS) if (spec.name !== 'IDLE') expect(called, spec.name).toContain(spec.name);
    const errors = new Set(report.hmEvents.map((event) => event.error));
    expect([...errors].sort()).toEqual(expect.arrayContaining(['ILLEGAL_REQUEST', 'MEMORY_VIOLATION', 'NUMERIC_ERROR']));
  }, 120_000);
});
