/**
 * Faults and the health monitor, from the CLI with the repo's examples, on both kernels:
 *  - examples/trap-and-emulate.yaml: a `native` partition faults on RTEMS's first
 *    privileged interrupt operation (i386 #GP on CLI; SPARC `ta 9`, RTEMS's disable trap,
 *    has no handler in a partition) and the health monitor stops it; `native-emulated`
 *    runs on SPARC, where every interrupt-flag operation traps (the summary reports the
 *    traps and their cycles), and stalls on i386, where POPF restores IF without trapping,
 *    until the kernel reports the stall to the health monitor;
 *  - examples/deadlines.yaml: every deadline `periodic` misses reaches the health monitor.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repo } from './helpers.js';

interface PartitionJson {
  readonly name: string;
  readonly mode: string;
  readonly console: string;
  readonly privilegedFaults: number;
  readonly emulatedOperations: number;
  readonly emulationCycles: number;
  readonly deadlineMisses: number;
  readonly hmEventCount: number;
  readonly hmEvents: ReadonlyArray<{ readonly error: string; readonly action: string; readonly detail: string }>;
}

async function summary(example: string, args: readonly string[]): Promise<Map<string, PartitionJson>> {
  const { code, stdout, stderr } = await cli(['run', resolve(repo, 'examples', example), ...args, '--json', '-']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const json = JSON.parse(stdout) as { partitions: PartitionJson[] };
  return new Map(json.partitions.map((partition) => [partition.name, partition]));
}

describe.each(['pok', 'air'])('%s: libcpu native and native-emulated', (kernel) => {
  it('i386: native stops at #GP on CLI; emulated CLI traps but POPF does not, and the stall reaches the HM', async () => {
    const parts = await summary('trap-and-emulate.yaml', ['--kernel', kernel, '--arch', 'i386']);
    const native = parts.get('native')!;
    expect(native.mode).toBe('IDLE');
    expect(native.privilegedFaults).toBe(1);
    expect(native.hmEvents.map((event) => [event.error, event.action])).toEqual([['ILLEGAL_REQUEST', 'IDLE']]);
    expect(native.hmEvents[0]!.detail).toMatch(/#GP \(cli\)$/);

    const emulated = parts.get('emulated')!;
    expect(emulated.emulatedOperations).toBeGreaterThan(0);
    expect(emulated.emulationCycles).toBeGreaterThan(emulated.emulatedOperations);
    expect(emulated.mode).toBe('IDLE');
    expect(emulated.hmEvents).toHaveLength(1);
    expect(emulated.hmEvents[0]!.detail).toMatch(/virtual interrupts stalled: .*i386 POPF at CPL 3/);
    // It ran until then: what it printed is the start of what the paravirtual guest printed.
    const virtual = parts.get('virtual')!;
    expect(emulated.console.length).toBeGreaterThan(0);
    expect(virtual.console.startsWith(emulated.console)).toBe(true);
    expect(virtual.mode).toBe('NORMAL');
  }, 30_000);

  it('SPARC: native stops at its first ta 9; emulated runs the whole screen, paying a trap per interrupt-flag operation', async () => {
    const parts = await summary('trap-and-emulate.yaml', ['--kernel', kernel, '--arch', 'sparc']);
    const native = parts.get('native')!;
    expect(native.mode).toBe('IDLE');
    expect(native.hmEvents.map((event) => event.detail.replace(/^.*: (?=trap_instruction)/, ''))).toEqual(['trap_instruction (ta 0x9)']);

    const emulated = parts.get('emulated')!;
    const virtual = parts.get('virtual')!;
    expect(emulated.mode).toBe('NORMAL');
    expect(emulated.hmEventCount).toBe(0);
    expect(emulated.console).toBe(virtual.console);
    expect(emulated.console).toContain('09:00:05');
    expect(emulated.emulatedOperations).toBeGreaterThan(10);
    expect(virtual.emulatedOperations).toBe(0);
  }, 30_000);
});

describe.each([
  ['pok', 'i386'],
  ['pok', 'sparc'],
  ['air', 'i386'],
  ['air', 'sparc'],
])('%s/%s: examples/deadlines.yaml', (kernel, arch) => {
  it('reports every deadline periodic misses to the health monitor, which logs it and lets the partition go on', async () => {
    const periodic = (await summary('deadlines.yaml', ['--kernel', kernel, '--arch', arch])).get('periodic')!;
    expect(periodic.deadlineMisses).toBeGreaterThanOrEqual(4);
    expect(periodic.hmEventCount).toBe(periodic.deadlineMisses);
    for (const event of periodic.hmEvents) {
      expect([event.error, event.action]).toEqual(['DEADLINE_MISSED', 'IGNORE']);
      expect(event.detail).toMatch(/rate monotonic period 0x[0-9a-f]+ missed its deadline$/);
    }
    // LATE's own count on its screen agrees with the kernel's.
    expect(periodic.console).toContain(`LATE: ${periodic.deadlineMisses} periods, ${periodic.deadlineMisses} deadlines missed`);
    expect(periodic.console).toContain('*** END OF TEST PERIODIC ***');
  }, 30_000);
});
