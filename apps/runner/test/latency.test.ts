/**
 * examples/latency.yaml: a device on hardware line 5 (every 7 ms, up to 1 ms of seeded
 * jitter) routed to the `sensor` partition (30 ms window of a 100 ms frame), which runs the
 * `sensor` sample - an RTEMS ISR on line 5 deferring each interrupt to a task. On both
 * kernels and both architectures: the sensor's exact screen, its vIRQ accounting (nothing
 * lost), and the latency of line 5 (microseconds inside its windows, at most the 70 ms gap
 * between them outside). And the same application on bare metal, where every interrupt
 * reaches it.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '@paravirt/compose';
import { cli, repo } from './helpers.js';

type VirqLine = Summary['partitions'][number]['virq']['lines'][number];

const LATENCY = resolve(repo, 'examples/latency.yaml');
const MS = 1_000_000;
/** The sensor's windows are [100k, 100k + 30) ms: 70 ms between them. */
const GAP = 70 * MS;

const screen = (perSecond: readonly number[], isr: number): string => {
  let total = 0;
  const seconds = perSecond.map((count, index) => {
    total += count;
    return `sensor: second ${index + 1}: ${count} interrupts handled, ${total} in total\n`;
  });
  return [
    '*** BEGIN OF TEST SENSOR ***\n',
    'sensor: ISR on interrupt line 5, task SENS handles each interrupt\n',
    ...seconds,
    `sensor: in 5 s the ISR took ${isr} interrupts, SENS handled ${total}\n`,
    '*** END OF TEST SENSOR ***\n',
  ].join('');
};

/**
 * In the partition: the interrupts raised in its windows, plus one per 70 ms gap (the first
 * raise there latches, the others coalesce; it is delivered when the next window opens).
 * i386 differs from SPARC because its kernel tick is 1193 clocks of the 8254 (999.847 us):
 * the kernel keeps time in its ticks, as POK and AIR do (window edges and the partition's
 * virtual timer in kernel time, ticks x 1 ms), so the partition's windows and seconds are
 * 0.015 % shorter in real time than on SPARC while the device raises in real time, and
 * which second an interrupt near a boundary falls in moves: one of second 3's moves to
 * second 2. Since issue 13 (edges at the tick that reaches them in kernel time) the run ends
 * as on SPARC, SENS having handled all 264; before, edges and timer expiries were taken at
 * the first tick whose real time reached them, the screen was 50, 54, 54, 52, 53 and SENS,
 * woken by the 5 s tick, had not handled the ISR's last interrupt when it reported (263).
 */
const PARTITION_SCREEN = {
  sparc: screen([52, 53, 53, 53, 53], 264),
  i386: screen([52, 54, 52, 53, 53], 264),
} as const;

/** Bare metal: every raise reaches the ISR (jitter moves 714 raises in 5 s only between seconds). */
const BARE_METAL_SCREEN = screen([142, 143, 143, 143, 143], 714);

interface TraceEvent {
  name: string;
  args?: { lineName?: string; latencyNs?: number };
}

async function run(args: readonly string[]): Promise<{ summary: Summary; trace: TraceEvent[] }> {
  const { code, stdout, stderr, files } = await cli(['run', LATENCY, ...args, '--json', '-', '--trace', 'latency-trace.json']);
  // Nothing on stderr but where the trace went.
  expect(stderr).toMatch(/^trace: latency-trace\.json: [0-9,]+ events, [0-9.]+ [KM]B; open it in https:\/\/ui\.perfetto\.dev or chrome:\/\/tracing\n$/);
  expect(code).toBe(0);
  const trace = JSON.parse(files.get('latency-trace.json') ?? '{"traceEvents":[]}') as { traceEvents: TraceEvent[] };
  return { summary: JSON.parse(stdout) as Summary, trace: trace.traceEvents };
}

/** At most what the timer upcall at a window start takes before line 5's (70 missed ticks announced). */
const CATCH_UP = 250_000;

/** Expected per architecture (identical on both kernels: same schedule, same API, same shared delivery code). */
const EXPECTED = {
  // Raised: 5000 expiries of the 1 ms virtual timer (the partition stops right after the 5000th,
  // when sensor exits) + the 714 raises of line 5 in those 5 s + the 143 raises of line 5 in the
  // last second, counted at their source and discarded because the partition is stopped. minNs: a raise in a window costs
  // the kernel's interrupt entry, the routing and the upcall into the guest (77 cycles at 50 MHz,
  // 291 at 100 MHz with the i386's 8259A acknowledge and EOI); hwMaxNs: a raise just after a
  // window closed waits out the 70 ms gap, and at the window start the timer's upcall (line 0,
  // higher priority) comes first, its ISR catching up the 70 ticks missed in the gap. On i386 the
  // gap is 70 kernel ticks, 69.989 ms of real time (hwMaxNs was 70_071_768 when a window opened at the
  // first tick whose real time reached its nominal start, up to a tick late).
  sparc: { raised: 5857, delivered: 1764, coalesced: 3950, minNs: 1540, hwMaxNs: 70_150_822 },
  i386: { raised: 5857, delivered: 1764, coalesced: 3950, minNs: 2910, hwMaxNs: 69_833_030 },
} as const;

describe.each(['pok', 'air'] as const)('examples/latency.yaml on %s', (kernel) => {
  it.each(['sparc', 'i386'] as const)('%s: the sensor screen, nothing lost, line 5 latency microseconds in its windows and at most the gap outside', async (arch) => {
    const { summary, trace } = await run(['--kernel', kernel, '--arch', arch]);
    const [sensor, other] = summary.partitions;
    const expected = EXPECTED[arch];
    expect(sensor!.name).toBe('sensor');
    expect(sensor!.console).toBe(PARTITION_SCREEN[arch]);
    // sensor exited after its summary: its partition is idle, nothing of it was left pending.
    expect(sensor!.mode).toBe('IDLE');
    const { raised, delivered, coalesced, pending, discarded, discardedBy, lost, latencyNs } = sensor!.virq;
    expect({ raised, delivered, coalesced, pending, discarded, discardedBy, lost }).toEqual({
      raised: expected.raised,
      delivered: expected.delivered,
      coalesced: expected.coalesced,
      pending: 0,
      discarded: 143,
      discardedBy: { stopped: 143, restarted: 0 },
      lost: 0,
    });
    expect(raised - delivered - coalesced - discarded).toBe(0);
    expect(delivered).toBeGreaterThan(0);
    expect(other!.virq.lost).toBe(0);

    // All lines (timer and line 5): the fastest delivery is inside a window, the slowest waited out a gap.
    expect(latencyNs.min).toBe(expected.minNs);
    expect(latencyNs.max).toBeLessThanOrEqual(GAP + CATCH_UP);

    // Line 5 alone, from the trace: one delivery per interrupt the ISR took.
    const line5 = trace.filter((event) => event.name === 'virq.deliver' && event.args?.lineName === 'hw-5').map((event) => event.args!.latencyNs!);
    expect(line5.length).toBe(264);
    expect(Math.min(...line5)).toBe(expected.minNs);
    expect(Math.max(...line5)).toBe(expected.hwMaxNs);
    expect(Math.max(...line5)).toBeLessThanOrEqual(GAP + CATCH_UP);
    // The summary has the same per line.
    const hw5 = sensor!.virq.lines.find((line) => line.line === 'hw-5')!;
    expect([hw5.delivered, hw5.latencyNs.min, hw5.latencyNs.max]).toEqual([264, expected.minNs, expected.hwMaxNs]);
    expect(sensor!.virq.lines.map((line) => line.line)).toEqual(['timer', 'hw-5']);
    expect(hw5.raised + sensor!.virq.lines[0]!.raised).toBe(expected.raised);
  }, 30_000);
});

describe('the same sensor on bare metal (--kernel none --app sensor)', () => {
  it.each(['sparc', 'i386'] as const)('%s: every interrupt reaches it: 714 in 5 s, where the partition saw 264', async (arch) => {
    const { summary } = await run(['--kernel', 'none', '--app', 'sensor', '--arch', arch]);
    const [sensor] = summary.partitions;
    expect(sensor!.console).toBe(BARE_METAL_SCREEN);
    // Bare metal counts the interrupts its ISRs took as a partition counts its virtual ones,
    // line for line: the clock driver's line is `timer`, the device's `hw-5`.
    expect(sensor!.virq.lines.map((line) => line.line)).toEqual(['timer', 'hw-5']);
    const [timer, hw5] = sensor!.virq.lines as [VirqLine, VirqLine];
    expect(hw5).toMatchObject({ raised: 857, delivered: 714, coalesced: 142, pending: 1, discarded: 0, lost: 0 });
    expect(timer).toMatchObject({ delivered: 5000, discarded: 0, lost: 0 });
    expect(timer.raised).toBe(timer.delivered + timer.coalesced + timer.pending);
    expect(sensor!.virq).toMatchObject({ raised: timer.raised + hw5.raised, delivered: 5714, lost: 0 });
    // Taken by an idle processor at once, or after the clock ISR it arrived during: microseconds.
    expect(hw5.latencyNs.min).toBeGreaterThan(0);
    expect(hw5.latencyNs.max).toBeLessThan(10_000);
    // The device's 857 raises in 6 s: the 714 of the first 5 s taken for the BSP's ISR; after the
    // application's exit the processor is halted with interrupts off, so the controller latches
    // the next raise and absorbs the other 142.
    expect(summary.hardwareLines).toEqual([{ line: 5, partition: 'sensor', deviceRaised: 857, controller: { raised: 857, coalesced: 142, pending: 1 }, taken: 714, notRouted: 0 }]);
    // The device is the same in the partition (same seed, same PRNG stream): the 714 raises the
    // ISR took here are the line-5 part of the partition's raised count, beside the 5000 expiries
    // of its 1 ms timer. There only the raises in its windows and one per gap reached the ISR.
    const partitioned = (await run(['--arch', arch])).summary.partitions[0]!;
    const handled = (console: string): number => Number(/SENS handled (\d+)/.exec(console)?.[1]);
    expect([handled(sensor!.console), partitioned.virq.raised - 5000 - partitioned.virq.discarded]).toEqual([714, 714]);
    expect(handled(partitioned.console)).toBeLessThan(714 / 2);
    // Where the partition's interrupts wait for its window, the native ones do not.
    const partitionedHw5 = partitioned.virq.lines.find((line) => line.line === 'hw-5')!;
    expect(partitionedHw5.latencyNs.max).toBeGreaterThan(100 * hw5.latencyNs.max);
  }, 30_000);
});
