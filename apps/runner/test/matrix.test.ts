/**
 * The kernel x architecture x sample matrix, through the CLI: the default demo (hello,
 * ticker, base_sp in three partitions, 100 ms major frame: 20 + 40 + 40 ms) for its full
 * 40 s on pok and air, i386 and SPARC. Every sample prints RTEMS's reference screen in its
 * partition (compareScreens: only same-time ticker lines may swap), nothing is lost, the
 * window count is the schedule's; and each sample prints the same screen on bare metal
 * (`--kernel none`) as in a partition of the same processor, so paravirtualization changes
 * nothing a guest can print. `periodic` on bare metal matches its golden screen.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareScreens } from '@paravirt/samples';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PartitionSummary, Summary } from '../src/output/summary.js';
import { cli, consoleOf, reference, repo } from './helpers.js';

const SAMPLES = ['hello', 'ticker', 'base_sp'] as const;
const ARCHES = ['i386', 'sparc'] as const;
const KERNELS = ['pok', 'air'] as const;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: Summary;
}

/** One run per command line, shared by every test that looks at it. */
const runs = new Map<string, Promise<Run>>();
function runOnce(args: readonly string[]): Promise<Run> {
  const key = args.join(' ');
  let run = runs.get(key);
  if (!run) {
    run = cli([...args, '--json', 'summary.json']).then((result) => ({
      code: result.code,
      stdout: result.stdout,
      stderr: result.stderr,
      summary: JSON.parse(result.files.get('summary.json')!) as Summary,
    }));
    runs.set(key, run);
  }
  return run;
}

const partitioned = (kernel: string, arch: string) => runOnce(['run', '--kernel', kernel, '--arch', arch]);
const bareMetal = (app: string, arch: string) => runOnce(['run', '--kernel', 'none', '--arch', arch, '--app', app]);

const partition = (run: Run, name: string): PartitionSummary => {
  const found = run.summary.partitions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no partition ${name} in the summary`);
  return found;
};

describe.each(KERNELS.flatMap((kernel) => ARCHES.map((arch) => [kernel, arch] as const)))('%s/%s: the default demo for 40 s', (kernel, arch) => {
  let run: Run;
  beforeAll(async () => {
    run = await partitioned(kernel, arch);
  }, 60_000);

  it('runs to the end: exit 0, nothing on stderr, the summary names the kernel, processor and 40 s', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ schemaVersion: 1, kernel, arch, seed: 1, virtualTimeNs: 40_000_000_000, schedule: { switches: [] } });
    expect(run.summary.partitions.map((p) => [p.name, p.app, p.libcpu])).toEqual(SAMPLES.map((sample) => [sample, sample, 'virtual']));
  });

  it.each(SAMPLES)('%s prints its reference screen in its partition, live on stdout and in the summary', (sample) => {
    const printed = consoleOf(run.stdout, sample);
    expect(compareScreens(printed, reference(sample))).toBeUndefined();
    expect(partition(run, sample).console).toBe(printed);
  });

  it('every partition: no virtual interrupt lost, no health-monitor event, ended by its own exit (IDLE), never restarted', () => {
    for (const p of run.summary.partitions) {
      expect(p.virq.lost, p.name).toBe(0);
      expect(p.hmEventCount, p.name).toBe(0);
      expect(p.restarts, p.name).toBe(0);
      expect(p.mode, p.name).toBe('IDLE');
    }
    // Only ticker waits on its clock: one timer vIRQ per 10 ms tick until it ends at 09:00:35,
    // each delivered or merged into one still pending (coalesced), none lost.
    expect(run.summary.partitions.map((p) => p.virq.raised)).toEqual([0, 3500, 0]);
    const ticker = partition(run, 'ticker').virq;
    expect(ticker.delivered + ticker.coalesced).toBe(3500);
  });

  // 40 s of a 100 ms major frame with three windows: 400 frames, 1200 windows, 400 each. A run
  // covers [0, 40 s): the window opening at exactly 40 s belongs to the next run, on the LEON3
  // (exact 1 ms ticks) as on the i386 (PIT ticks of 999847 ns).
  it('the summary counts the schedule\'s windows exactly: 1200 in all, 400 per partition', () => {
    expect(run.summary.schedule.windowsRun).toBe(1200);
    expect(run.summary.partitions.map((p) => p.windows)).toEqual([400, 400, 400]);
    expect(run.stdout).toContain(`${kernel}/${arch}: 40.000 s virtual time, 1200 windows,`);
  });
});

describe.each(ARCHES)('bare metal on %s (--kernel none --app X)', (arch) => {
  it.each(SAMPLES)('%s prints the reference screen, the same as in a pok and an air partition of this processor', async (sample) => {
    const bare = await bareMetal(sample, arch);
    expect(bare.stderr).toBe('');
    expect(bare.code).toBe(0);
    expect(bare.summary).toMatchObject({ kernel: 'none', arch, virtualTimeNs: 40_000_000_000, schedule: { windowsRun: 0, switches: [] } });
    expect(bare.summary.partitions).toHaveLength(1);
    const native = bare.summary.partitions[0]!;
    expect([native.name, native.app, native.libcpu, native.mode, native.hypercalls, native.hmEventCount]).toEqual([sample, sample, 'native', 'IDLE', 0, 0]);
    // Bare metal prints unprefixed, then a blank line and the summary table.
    expect(bare.stdout.startsWith(`${native.console}\nnone/${arch}: 40.000 s virtual time, 0 windows,`)).toBe(true);
    expect(compareScreens(native.console, reference(sample))).toBeUndefined();
    for (const kernel of KERNELS) {
      const guest = partition(await partitioned(kernel, arch), sample).console;
      // ticker's same-time lines may come in another order (RTEMS's note on its screen); the rest is byte for byte.
      if (sample === 'ticker') expect(compareScreens(native.console, guest), kernel).toBeUndefined();
      else expect(native.console, kernel).toBe(guest);
    }
  }, 60_000);

  it('periodic prints its golden screen byte for byte, LATE missing 6 deadlines', async () => {
    const bare = await bareMetal('periodic', arch);
    expect(bare.code).toBe(0);
    const native = bare.summary.partitions[0]!;
    expect(native.console).toBe(readFileSync(resolve(repo, 'packages/samples/src/golden/periodic.scn'), 'utf8'));
    expect(native.deadlineMisses).toBe(6);
  }, 60_000);
});
