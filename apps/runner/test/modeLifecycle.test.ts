/**
 * The ARINC 653 partition mode lifecycle of an RTEMS guest (issue 13): a partition cold-starts
 * in COLD_START and enters NORMAL when its initialization is over - when the Init task ends
 * (the `periodic` sample deletes it once its tasks run), or, for an application whose Init
 * task never ends, when it first has nothing to do. A busy partition must not stay in
 * COLD_START for its whole life: its errors would be classed as initialization errors.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PartitionMode } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { loadConfig, Simulation } from '@paravirt/compose';
import { planApplications } from '../src/run/applications.js';

// Not from helpers.js: that one loads the CLI, which this test does not need.
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const DEADLINES = readFileSync(resolve(repo, 'examples/deadlines.yaml'), 'utf8');
const MS = 1_000_000;

describe.each([
  ['pok', 'i386'],
  ['pok', 'sparc'],
  ['air', 'i386'],
  ['air', 'sparc'],
] as const)('partition modes on %s / %s', (kernel, arch) => {
  it('periodic (busy, never idle in its first windows) enters NORMAL when its Init task ends, and its deadline misses are process errors', () => {
    const loaded = loadConfig(DEADLINES, { kernel, arch, duration: 400 * MS });
    expect(loaded.errors).toEqual([]);
    const spec = loaded.spec!;
    const plan = planApplications(spec, { cwd: here, config: undefined, fromCli: new Set() });
    const simulation = new Simulation({ spec, applications: plan.builtins });
    const periodic = simulation.kernel.partition('periodic')!;
    simulation.start();
    // Before its first window the partition has not run: cold start.
    expect(periodic.mode).toBe(PartitionMode.COLD_START);
    // Within its first 40 ms window Init starts the two tasks and deletes itself.
    while (!simulation.advance(40 * MS, MS));
    expect(periodic.mode).toBe(PartitionMode.NORMAL);
    while (!simulation.advance(spec.duration, 10 * MS));
    const report = simulation.result().report.partitions.find((partition) => partition.name === 'periodic')!;
    expect(report.deadlineMisses).toBeGreaterThan(0);
    expect(report.hmEvents.length).toBeGreaterThan(0);
    for (const event of report.hmEvents) {
      expect(event.error).toBe('DEADLINE_MISSED');
      // AIR names the system state the error happened in: process execution, not partition init.
      if (kernel === 'air') expect(event.detail).toContain('in PARTITION_PROC:');
    }
  });

  it('hello (prints, then idles with its Init task still alive) enters NORMAL at its first idle', () => {
    const loaded = loadConfig(DEADLINES, { kernel, arch, duration: 60 * MS });
    const spec = loaded.spec!;
    const plan = planApplications(spec, { cwd: here, config: undefined, fromCli: new Set() });
    const simulation = new Simulation({ spec, applications: plan.builtins });
    simulation.start();
    while (!simulation.advance(spec.duration, MS));
    // hello exits after its banner: what matters is that it passed through NORMAL, not COLD_START, to IDLE.
    const hello = simulation.kernel.partition('hello')!;
    expect([PartitionMode.NORMAL, PartitionMode.IDLE]).toContain(hello.mode);
  });
});
