/**
 * Window edges to the kernel tick (issue 13), on pok and air, i386 and SPARC. POK and AIR
 * keep time in their own ticks: a window edge is crossed at the tick whose kernel time
 * (tick count x nominal tick) reaches it - POK's pok_elect_partition compares the slot
 * deadline with pok_tick_counter, AIR's pmk_partition_scheduler its tick counts - never at
 * the first tick whose *real* time reaches it, which on i386 (a PIT that cannot divide its
 * 1.193182 MHz clock exactly) would be up to a whole tick late. The switch happens at the
 * real instant of that tick's interrupt, and the trace records that instant.
 *
 * Each run records a trace and checks every window edge of the run - each `window.start`
 * and `window.end` - against the schedule: the expected instants are computed here,
 * independently of the kernels, from the nominal schedule and the boards' timers: the
 * i386 tick k is at k x count PIT clocks, count = round(tick x 1.193182 MHz), converted to
 * ns as the board's clocks do (the first ns at or after the clock edge: ceil); the LEON3's
 * GPTIMER ticks at 1 MHz (the boot prescaler), so its tick k is at exactly k x tick.
 */
import { BufferTraceSink, type TraceRecord, TraceRecorder } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { simulate } from './helpers.js';

const MS = 1_000_000;
const PIT_HZ = 1_193_182n;

/** The real instant of kernel tick k (k >= 1) on `arch` for a kernel tick of `tickNs`. */
function tickInstant(arch: 'i386' | 'sparc', tickNs: number, k: number): number {
  if (arch === 'sparc') return k * Math.round(tickNs / 1000) * 1000;
  const count = BigInt(Math.round((tickNs * Number(PIT_HZ)) / 1e9));
  const clocks = BigInt(k) * count;
  // Clock edge c is at ceil(c x 1e9 / f) ns (exact, in integers: no float rounding for long runs).
  return Number((clocks * 1_000_000_000n + PIT_HZ - 1n) / PIT_HZ);
}

/** The real instant of the tick whose kernel time (k x tick) first reaches the nominal edge `edgeNs`. */
function edgeInstant(arch: 'i386' | 'sparc', tickNs: number, edgeNs: number): number {
  const k = Math.ceil(edgeNs / tickNs);
  return k === 0 ? 0 : tickInstant(arch, tickNs, k);
}

interface Window {
  readonly partition: string;
  readonly start: number;
  readonly duration: number;
}

interface Schedule {
  readonly name: string;
  readonly majorFrame: number;
  readonly windows: readonly Window[];
}

interface Edge {
  readonly kind: 'window.start' | 'window.end';
  readonly partition: string;
  readonly time: number;
}

/**
 * Every window edge of a run of `durationNs`, expected: the schedule's windows frame after
 * frame in kernel time, each edge at the real instant of the tick that reaches it; edges
 * at or after the end of the run are not run. `switchAt` (kernel time of an MTF end) puts
 * the second schedule in force from there.
 */
function expectedEdges(arch: 'i386' | 'sparc', tickNs: number, schedules: readonly Schedule[], durationNs: number, switchAt?: number): Edge[] {
  const edges: Edge[] = [];
  let schedule = schedules[0]!;
  for (let frame = 0; ; frame += schedule.majorFrame) {
    if (frame === switchAt) schedule = schedules[1]!;
    if (edgeInstant(arch, tickNs, frame) >= durationNs) break;
    for (const window of [...schedule.windows].sort((a, b) => a.start - b.start)) {
      const start = edgeInstant(arch, tickNs, frame + window.start);
      const end = edgeInstant(arch, tickNs, frame + window.start + window.duration);
      if (start < durationNs) edges.push({ kind: 'window.start', partition: window.partition, time: start });
      if (end < durationNs) edges.push({ kind: 'window.end', partition: window.partition, time: end });
    }
  }
  // As the kernel records them: at one instant, the closing window's end before the opening one's start.
  return edges.sort((a, b) => a.time - b.time || (a.kind === b.kind ? 0 : a.kind === 'window.end' ? -1 : 1));
}

function yamlOf(kernel: string, arch: string, tickNs: number, durationNs: number, schedules: readonly Schedule[], partitions: string): string {
  const schedulesYaml = schedules
    .map((schedule) => {
      const windows = schedule.windows.map((w) => `      - { partition: ${w.partition}, start: ${w.start / MS}ms, duration: ${w.duration / MS}ms }`).join('\n');
      return `  - name: ${schedule.name}\n    majorFrame: ${schedule.majorFrame / MS}ms\n    windows:\n${windows}`;
    })
    .join('\n');
  return `name: edges\nkernel: ${kernel}\narch: ${arch}\nduration: ${durationNs}\nseed: 1\nkernelTick: ${tickNs}\nschedules:\n${schedulesYaml}\npartitions:\n${partitions}\n`;
}

async function traceOf(text: string) {
  const sink = new BufferTraceSink();
  const { result } = await simulate(text, {}, new TraceRecorder(sink));
  const edges: Edge[] = sink.records
    .filter((record: TraceRecord) => record.kind === 'window.start' || record.kind === 'window.end')
    .map((record) => ({ kind: record.kind as Edge['kind'], partition: String(record.payload['partition']), time: record.time }));
  return { edges, records: sink.records, report: result.report };
}

// POK: slots back to back, a partition owning two of them (examples/pok/config.yaml's frame).
const POK_SCHEDULE: Schedule = {
  name: 'slots',
  majorFrame: 100 * MS,
  windows: [
    { partition: 'a', start: 0, duration: 20 * MS },
    { partition: 'b', start: 20 * MS, duration: 30 * MS },
    { partition: 'a', start: 50 * MS, duration: 10 * MS },
    { partition: 'c', start: 60 * MS, duration: 40 * MS },
  ],
};
const POK_PARTITIONS = ['  - { name: a, app: ticker, memory: 1MiB }', '  - { name: b, app: hello, memory: 1MiB }', '  - { name: c, app: base_sp, memory: 1MiB }'].join('\n');

// AIR: two schedules with idle gaps; `control` asks for "degraded" after 2 s of its clock (modeswitch).
const AIR_SCHEDULES: readonly Schedule[] = [
  {
    name: 'normal',
    majorFrame: 100 * MS,
    windows: [
      { partition: 'control', start: 0, duration: 20 * MS },
      { partition: 'work', start: 30 * MS, duration: 60 * MS },
    ],
  },
  {
    name: 'degraded',
    majorFrame: 200 * MS,
    windows: [
      { partition: 'control', start: 0, duration: 20 * MS },
      { partition: 'work', start: 20 * MS, duration: 100 * MS },
    ],
  },
];
const AIR_PARTITIONS = ['  - { name: control, app: modeswitch, memory: 1MiB, system: true }', '  - { name: work, app: ticker, memory: 1MiB }'].join('\n');

describe.each(['i386', 'sparc'] as const)('window edges on %s', (arch) => {
  // 1 ms: POK's tick (a PIT count of 1193, 999,847.47 ns); 10 ms: a PIT count of 11932, 10,000,150.9 ns, longer than nominal.
  it.each([1 * MS, 10 * MS])('pok, kernel tick %i ns: every window opens and closes at the tick that reaches its edge in kernel time', async (tickNs) => {
    const duration = 2_000 * MS;
    const { edges } = await traceOf(yamlOf('pok', arch, tickNs, duration, [POK_SCHEDULE], POK_PARTITIONS));
    const expected = expectedEdges(arch, tickNs, [POK_SCHEDULE], duration);
    // 20 frames of 4 slots; an edge past the end of the run (i386's ticks are early or late by then) is not run.
    expect(expected.filter((edge) => edge.kind === 'window.start').length).toBeGreaterThanOrEqual(80);
    expect(edges).toEqual(expected);
  });

  // 500 Hz, as AIR's TicksPerSecond would give: a PIT count of 2386, 1,999,694.9 ns.
  it('air, 500 Hz ticks, two schedules with gaps: every window edge at its tick, before and after the schedule switch', async () => {
    const tickNs = 2 * MS;
    const duration = 4_000 * MS;
    const { edges, report, records } = await traceOf(yamlOf('air', arch, tickNs, duration, AIR_SCHEDULES, AIR_PARTITIONS));
    // The switch comes at the end of the frame running when control asked (2 s of its clock):
    // kernel time 2.1 s, at the real instant of the tick that reaches it.
    const switchAt = 2_100 * MS;
    expect(report.switches).toEqual([{ timeNs: edgeInstant(arch, tickNs, switchAt), from: 'normal', to: 'degraded' }]);
    expect(records.filter((record) => record.kind === 'schedule.switch').map((record) => record.time)).toEqual([edgeInstant(arch, tickNs, switchAt)]);
    const expected = expectedEdges(arch, tickNs, AIR_SCHEDULES, duration, switchAt);
    expect(expected.filter((edge) => edge.kind === 'window.start').length).toBeGreaterThanOrEqual(50);
    expect(edges).toEqual(expected);
    // SCHEDULE_STATUS gives the switch in kernel time, as AIR's last_switch_ticks counts ticks.
    expect(report.partitions.find((partition) => partition.name === 'control')!.console).toContain('last switch at 2100ms');
  });
});

it('on i386 the kernel crosses an edge at the tick that reaches it in kernel time, not a tick late in real time', () => {
  // The figures of issue 13: examples/pok/config.yaml's first slot ends at 20 ms; tick 20 is
  // at 19,996,950 ns, tick 21 (the first whose real time reaches 20 ms) at 20,996,797 ns.
  expect(edgeInstant('i386', MS, 20 * MS)).toBe(19_996_950);
  expect(tickInstant('i386', MS, 21)).toBe(20_996_797);
  // A 500 Hz AIR tick: tick 10 reaches 20 ms at 19,996,950 ns as well (count 2386 = 2 x 1193).
  expect(edgeInstant('i386', 2 * MS, 20 * MS)).toBe(19_996_950);
});
