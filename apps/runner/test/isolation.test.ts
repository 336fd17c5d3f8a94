/**
 * Isolation, measured (docs/architecture.md section 7, docs/execution-model.md "Partitions
 * pay for their own work"): examples/hostile.yaml - the default demo plus a fourth
 * partition, the neighbour, in its own window - run with the neighbour in every state it
 * can be in, against the same module with `app: idle` there. On both kernels and both
 * architectures, the other partitions' summaries (console, CPU and idle time to the
 * nanosecond, windows, hypercalls, vIRQ counts and latencies, deadline misses, HM events)
 * and every trace record about them (window start/end, hypercalls, thread switches, vIRQ
 * deliveries, with their times) are identical, no byte of physical memory outside the
 * neighbour's own region differs, and the simulator raises no host exception.
 *
 * The neighbour states: running a normal application, idle, hostile (seeded attacks on
 * the kernel, kept alive by IGNORE actions), stopped by the health monitor (its first
 * privileged instruction, action IDLE), restarting (the health monitor restarts it at
 * every deadline miss, mid-window), and never started (its program stops itself at
 * boot). Each leaves different state behind at the partition switch (SPARC register
 * windows, WIM, CWP; i386 general registers and flags); the switch makes it canonical.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BufferTraceSink, type TraceRecord, TraceRecorder, WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import { HYPERCALLS } from '@paravirt/paravirt-api';
import type { RawApplication } from '@paravirt/samples';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Overrides, type Simulation } from '@paravirt/compose';
import type { GuestApplication } from '../src/run/applications.js';
import { repo, simulate, withoutHostile } from './helpers.js';

const HOSTILE = readFileSync(resolve(repo, 'examples/hostile.yaml'), 'utf8');
const BASELINE = withoutHostile(HOSTILE);
const VICTIMS = ['hello', 'ticker', 'base_sp'];
const NEIGHBOUR = 'hostile';

/** ARINC 653 OPERATING_MODE_TYPE IDLE (SET_PARTITION_MODE). */
const MODE_IDLE = 0;

/** A partition program that stops itself at boot, before doing anything: a partition that never starts. */
const haltAtBoot: RawApplication = {
  kind: 'raw',
  name: 'halt-at-boot',
  description: 'stops its own partition at boot (SET_PARTITION_MODE IDLE)',
  create: ({ processor, abi, hypercalls }) => ({
    boot() {
      processor.writeRegister(abi.numberRegister, hypercalls.find((call) => call.name === 'SET_PARTITION_MODE')!.number);
      processor.writeRegister(abi.argumentRegisters[0]!, MODE_IDLE);
      processor.softwareTrap(abi.trapNumber);
    },
    next: () => WAIT_FOR_INTERRUPT,
    preempted() {},
  }),
};
const EXTRA: ReadonlyMap<string, GuestApplication> = new Map([[haltAtBoot.name, haltAtBoot]]);

/** examples/hostile.yaml with another neighbour in hostile's place: its partition entry and its health-monitor table. */
function withNeighbour(partition: string, table: string): string {
  const entry = '{ name: hostile, app: hostile, memory: 1MiB }';
  expect(HOSTILE).toContain(entry);
  const text = HOSTILE.replace(entry, `{ name: hostile, ${partition}, memory: 1MiB }`);
  return `${text.slice(0, text.indexOf('healthMonitor:'))}healthMonitor:\n  partitions:\n    hostile: ${table}\n`;
}

interface Neighbour {
  readonly state: string;
  readonly text: string;
  /** What the neighbour's own summary shows: it was in that state. */
  readonly check: (report: NeighbourReport) => void;
}
type NeighbourReport = Awaited<ReturnType<typeof run>>['report']['partitions'][number];

const NEIGHBOURS: readonly Neighbour[] = [
  {
    state: 'running a normal application',
    text: withNeighbour('app: ticker', '{}'),
    check: (report) => {
      expect(report.mode).toBe('NORMAL');
      expect(report.console).toContain('TA1');
      expect(report.hmEventCount).toBe(0);
    },
  },
  {
    state: 'stopped by the health monitor',
    text: withNeighbour('app: ticker, libcpu: native', '{ ILLEGAL_REQUEST: IDLE }'),
    check: (report) => {
      expect(report.mode).toBe('IDLE');
      expect(report.restarts).toBe(0);
      expect(report.hmEvents.map((event) => `${event.error} ${event.action}`)).toEqual(['ILLEGAL_REQUEST IDLE']);
    },
  },
  {
    state: 'restarted again and again by the health monitor',
    text: withNeighbour('app: periodic', '{ DEADLINE_MISSED: COLD_START }'),
    check: (report) => {
      expect(report.restarts).toBeGreaterThanOrEqual(10);
      expect(report.hmEvents.every((event) => event.error === 'DEADLINE_MISSED' && event.action === 'COLD_START')).toBe(true);
    },
  },
  {
    state: 'never started (stops itself at boot)',
    text: withNeighbour(`app: ${haltAtBoot.name}`, '{}'),
    check: (report) => {
      expect(report.mode).toBe('IDLE');
      expect(report.hypercalls).toBe(1);
      expect(report.hmEventCount).toBe(0);
    },
  },
  {
    state: 'hostile',
    text: HOSTILE,
    check: (report) => {
      // The attack was real: thousands of hypercalls, faults of every kind (more below).
      expect(report.hypercalls).toBeGreaterThan(10_000);
      expect(report.privilegedFaults).toBeGreaterThan(100);
      expect(report.hmEventCount).toBeGreaterThan(10_000);
    },
  },
];

async function run(text: string, overrides: Overrides) {
  const sink = new BufferTraceSink();
  const { simulation, result } = await simulate(text, overrides, new TraceRecorder(sink), EXTRA);
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
] as const)('the other partitions on %s/%s, whatever state their neighbour is in', (kernel, arch) => {
  const overrides: Overrides = { kernel, arch, duration: 3_000_000_000 };
  let baseline: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    baseline = await run(BASELINE, overrides);
  }, 60_000);

  it.each(NEIGHBOURS.map((neighbour) => [neighbour.state, neighbour] as const))('neighbour %s: consoles, summaries, trace records and memory are those with an idle neighbour', async (_state, neighbour) => {
    const other = await run(neighbour.text, overrides);

    for (const name of VICTIMS) {
      const before = baseline.report.partitions.find((partition) => partition.name === name)!;
      const after = other.report.partitions.find((partition) => partition.name === name)!;
      expect(after).toEqual(before);
      expect(recordsOf(other.records, name)).toEqual(recordsOf(baseline.records, name));
    }
    expect(other.report.partitions.find((p) => p.name === 'hello')!.console).toContain('Hello World');
    // The victims really ran through the neighbour's windows: ticker is still ticking at the end.
    expect(other.report.partitions.find((p) => p.name === 'ticker')!.mode).toBe('NORMAL');

    const context = other.simulation.kernel.partition(NEIGHBOUR)!.context;
    const start = context.physicalBase;
    const end = start + context.size;
    expect(memoryOutside(other.simulation, start, end)).toEqual(memoryOutside(baseline.simulation, start, end));

    neighbour.check(other.report.partitions.find((partition) => partition.name === NEIGHBOUR)!);
    if (neighbour.text !== HOSTILE) return;
    const report = other.report.partitions.find((partition) => partition.name === NEIGHBOUR)!;
    const called = new Set(other.records.filter((record) => record.kind === 'hypercall' && record.source === NEIGHBOUR).map((record) => record.payload['name']));
    for (const spec of HYPERCALLS) if (spec.name !== 'IDLE') expect(called, spec.name).toContain(spec.name);
    const errors = new Set(report.hmEvents.map((event) => event.error));
    expect([...errors].sort()).toEqual(expect.arrayContaining(['ILLEGAL_REQUEST', 'MEMORY_VIOLATION', 'NUMERIC_ERROR']));
  }, 60_000);
});
