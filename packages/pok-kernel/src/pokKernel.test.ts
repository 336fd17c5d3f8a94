/**
 * The POK-style kernel on machine's SimplePlatform, with scripted paravirtual guests
 * (kernel-core/test): time partitioning, virtual interrupts that are never lost, faults
 * and POK error handling, console, partition modes.
 */
import { BufferTraceSink, PeriodicIrqSource, TraceRecorder } from '@paravirt/machine';
import { SimplePlatform, type SimpleProcessor } from '@paravirt/machine/test';
import { ErrorCode, PartitionMode, Status, VirtualLine } from '@paravirt/paravirt-api';
import { type GuestScript, scriptedGuest, type ScriptedGuestOptions } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import type { PokConfig, PokPartitionConfig } from './config.js';
import { PokKernel } from './pokKernel.js';

const MS = 1_000_000;
const idle: GuestScript = function* () {};

function partition(name: string, extra: Partial<PokPartitionConfig> = {}): PokPartitionConfig {
  return { name, memorySize: 1 << 20, system: false, ports: [], errorActions: {}, ipiTargets: [], ...extra };
}

interface Setup {
  readonly config?: Partial<PokConfig>;
  readonly partitions?: PokPartitionConfig[];
  readonly guests: Record<string, GuestScript | [GuestScript, ScriptedGuestOptions]>;
}

function boot(setup: Setup) {
  const sink = new BufferTraceSink();
  const platform = new SimplePlatform({ memorySize: 8 << 20, trace: new TraceRecorder(sink) });
  const partitions = setup.partitions ?? [partition('a'), partition('b')];
  const config: PokConfig = {
    kernelTick: MS,
    majorFrame: 100 * MS,
    slots: [
      { partition: 'a', duration: 40 * MS },
      { partition: 'b', duration: 60 * MS },
    ],
    partitions,
    channels: [],
    routes: [],
    flush: 'major-frame',
    ...setup.config,
  };
  const consoles: string[] = [];
  const guests = Object.fromEntries(
    Object.entries(setup.guests).map(([name, entry]) => {
      const [script, options] = Array.isArray(entry) ? entry : [entry, {}];
      return [name, scriptedGuest(script, options)];
    }),
  );
  const kernel = new PokKernel({ platform, config, guests, onConsole: (name, bytes) => consoles.push(`${name}:${String.fromCharCode(...bytes)}`) });
  kernel.boot();
  const windows = () => sink.records.filter((record) => record.kind === 'window.start').map((record) => `${record.time / MS}ms ${String(record.payload['partition'])}`);
  return { platform, kernel, consoles, sink, windows, run: (until: number) => platform.board.runUntil(until) };
}

const text = (value: string) => new TextEncoder().encode(value);

describe('time partitioning', () => {
  it('runs the slots back to back, switching exactly at slot boundaries', () => {
    const { windows, run, kernel } = boot({ guests: { a: idle, b: idle } });
    run(250 * MS);
    expect(windows()).toEqual(['0ms a', '40ms b', '100ms a', '140ms b', '200ms a', '240ms b']);
    expect(kernel.windowsRun).toBe(6);
    expect(kernel.partition('a')!.windows).toBe(3);
  });

  it('gives a partition owning two slots both of them (4-slot schedule)', () => {
    const { windows, run } = boot({
      partitions: [partition('p1'), partition('p2'), partition('p3')],
      config: {
        majorFrame: 100 * MS,
        slots: [
          { partition: 'p1', duration: 20 * MS },
          { partition: 'p2', duration: 30 * MS },
          { partition: 'p1', duration: 10 * MS },
          { partition: 'p3', duration: 40 * MS },
        ],
      },
      guests: { p1: idle, p2: idle, p3: idle },
    });
    run(120 * MS);
    expect(windows()).toEqual(['0ms p1', '20ms p2', '50ms p1', '60ms p3', '100ms p1', '120ms p2']);
  });

  it('only lets a partition compute inside its own windows', () => {
    const progress: number[] = [];
    const { run, platform } = boot({
      guests: {
        a: function* () {
          for (;;) {
            yield 100_000; // 1 ms at 100 MHz
            progress.push(platform.board.queue.now);
          }
        },
        b: idle,
      },
    });
    run(100 * MS);
    // a computes 1 ms steps only in [0, 40 ms): 39 whole steps fit (the kernel's own tick and switch work takes the rest).
    expect(progress.every((time) => time <= 40 * MS)).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(38);
    expect(progress.length).toBeLessThanOrEqual(40);
  });
});

describe('console', () => {
  it('keeps a console per partition and streams writes as they happen', () => {
    const { run, kernel, consoles } = boot({
      guests: {
        a: function* (env) {
          env.client.consoleWrite(text('hello from a\n'));
        },
        b: function* (env) {
          env.client.consoleWrite(text('hello from b\n'));
        },
      },
    });
    run(100 * MS);
    expect(kernel.partition('a')!.console.text()).toBe('hello from a\n');
    expect(consoles).toEqual(['a:hello from a\n', 'b:hello from b\n']);
  });
});

describe('virtual interrupts are never lost', () => {
  it('latches a partition timer while another partition runs and delivers at its window start before the guest resumes', () => {
    const { run, kernel } = boot({
      guests: {
        a: [
          function* (env) {
            env.enableVirtualInterrupts([VirtualLine.TIMER]);
            env.client.timerSet(10 * MS, 10 * MS);
            for (;;) {
              yield 50_000; // 0.5 ms
              env.log.push(`step ${env.upcalls.length}`);
            }
          },
          { onUpcall: (env, line) => env.log.push(`upcall ${line} at ${Math.round(env.client.timeGet(0).value! / MS)}ms`) },
        ],
        b: idle,
      },
    });
    run(100 * MS + 5 * MS);
    const a = kernel.partition('a')!;
    const stats = a.interrupts.stats();
    // Expiries at 10, 20, 30 ms were delivered in a's window; 40..90 ms latched while b ran:
    // one delivery at a's window start (100 ms) and five coalesced overruns. 100 ms itself
    // ticks in the same handler: coalesced with the pending one too.
    expect(stats.raised).toBe(stats.delivered + stats.coalesced + stats.pending + stats.discarded);
    expect(stats.lost).toBe(0);
    expect(a.interrupts.coalesced[VirtualLine.TIMER]).toBe(6);
    expect(a.interrupts.delivered[VirtualLine.TIMER]).toBe(4);
  });

  it('delivers pending lines at window start before the guest code runs', () => {
    const order: string[] = [];
    const { run } = boot({
      guests: {
        a: [
          function* (env) {
            env.enableVirtualInterrupts([VirtualLine.TIMER]);
            env.client.timerSet(50 * MS, 0); // expires while b runs
            yield 100_000;
            order.push(`a step at ${Math.floor(env.client.timeGet(0).value! / MS)}ms`);
            env.client.idle(); // nothing to do until a virtual interrupt
            yield 100_000;
            order.push(`a step at ${Math.floor(env.client.timeGet(0).value! / MS)}ms`);
          },
          { onUpcall: (env) => order.push(`upcall at ${Math.floor(env.client.timeGet(0).value! / MS)}ms`) },
        ],
        b: idle,
      },
    });
    run(200 * MS);
    // The step after IDLE was already computed; the guest resumes only after the upcall.
    expect(order.slice(0, 3)).toEqual(['a step at 1ms', 'upcall at 100ms', 'a step at 100ms']);
  });

  it('forwards a routed device line in bursts, masked and unmasked, counting every raise', () => {
    const { run, kernel, platform } = boot({
      config: { routes: [{ line: 5, partition: 'a' }] },
      guests: {
        a: [
          function* (env) {
            env.enableVirtualInterrupts([]);
            yield 500_000; // masked for 5 ms: raises latch and coalesce
            env.client.unmask(VirtualLine.HW_BASE + 5);
            for (;;) yield 100_000;
          },
          {},
        ],
        b: idle,
      },
    });
    // A device raising line 5 every 300 us, in both partitions' windows and at their edges.
    const device = new PeriodicIrqSource(platform.board.queue, platform.deviceLine(5), { period: 300_000 });
    device.start();
    platform.board.queue.at(300 * MS + 1, () => device.stop());
    run(310 * MS);
    expect(device.raises).toBe(1000);
    const interrupts = kernel.partition('a')!.interrupts;
    const line = VirtualLine.HW_BASE + 5;
    expect(interrupts.raised[line]).toBe(1000);
    expect(interrupts.stats().lost).toBe(0);
    expect(interrupts.delivered[line]! + interrupts.coalesced[line]! + (interrupts.isPending(line) ? 1 : 0)).toBe(1000);
    // In a's windows (40 ms of every 100 ms), after the 5 ms masked start, each raise is
    // delivered at once: (35 + 40 + 40) ms / 0.3 ms ~ 383; raises while b runs coalesce.
    expect(interrupts.delivered[line]).toBeGreaterThan(370);
    expect(interrupts.latency[line]!.summary().max).toBeLessThan(61 * MS);
  });
});

describe('faults and POK error handling', () => {
  const privileged: GuestScript = function* (env) {
    env.log.push('before');
    (env.processor as SimpleProcessor).disableInterrupts();
    env.log.push('after');
    env.client.consoleWrite(text('still running\n'));
  };

  it('stops a partition on a privileged instruction by default, without disturbing the other', () => {
    const { run, kernel } = boot({
      guests: {
        a: privileged,
        b: function* (env) {
          for (let i = 0; i < 3; i++) {
            env.client.consoleWrite(text(`b ${i}\n`));
            yield 100_000;
          }
        },
      },
    });
    run(200 * MS);
    const a = kernel.partition('a')!;
    expect(a.mode).toBe(PartitionMode.IDLE);
    expect(a.privilegedFaults).toBe(1);
    expect(a.hmEvents.entries()).toEqual([{ timeNs: 0, error: 'ILLEGAL_REQUEST', level: 'partition', action: 'IDLE', detail: 'privileged (cli)' }]);
    expect(a.console.length).toBe(0);
    expect(kernel.partition('b')!.console.text()).toBe('b 0\nb 1\nb 2\n');
  });

  it('skips the instruction when the action is IGNORE, and restarts the partition on COLD_START', () => {
    const ignoring = boot({ partitions: [partition('a', { errorActions: { ILLEGAL_REQUEST: 'IGNORE' } }), partition('b')], guests: { a: privileged, b: idle } });
    ignoring.run(50 * MS);
    expect(ignoring.kernel.partition('a')!.console.text()).toBe('still running\n');

    let boots = 0;
    const restarting = boot({
      partitions: [partition('a', { errorActions: { ILLEGAL_REQUEST: 'COLD_START' } }), partition('b')],
      guests: { a: [privileged, { onBoot: () => boots++ }], b: idle },
    });
    restarting.run(MS / 10);
    const a = restarting.kernel.partition('a')!;
    // Each boot faults at once and is restarted: a restart storm, bounded by the kernel's own costs.
    expect(a.restarts).toBeGreaterThanOrEqual(2);
    expect([a.restarts, a.restarts + 1]).toContain(boots);
    expect(a.hmEvents.entries().every((event) => event.action === 'COLD_START')).toBe(true);
  });

  it('reports a hypercall with a pointer outside the partition as ILLEGAL_REQUEST with BAD_ADDRESS', () => {
    const statuses: number[] = [];
    const { run, kernel } = boot({
      partitions: [partition('a', { errorActions: { ILLEGAL_REQUEST: 'IGNORE' } }), partition('b')],
      guests: {
        a: function* (env) {
          statuses.push(env.client.call(0x40, 0x200000, 16).status);
        },
        b: idle,
      },
    });
    run(10 * MS);
    expect(statuses).toEqual([Status.BAD_ADDRESS]);
    expect(kernel.partition('a')!.hmEvents.entries()[0]).toMatchObject({ error: 'ILLEGAL_REQUEST', action: 'IGNORE' });
  });

  it('counts deadline misses the guest reports and keeps it running (IGNORE by default)', () => {
    const { run, kernel } = boot({
      guests: {
        a: function* (env) {
          env.client.hmRaise(ErrorCode.DEADLINE_MISSED, 'period 0x42010001');
          env.client.hmRaise(ErrorCode.DEADLINE_MISSED, 'period 0x42010001');
          env.client.consoleWrite(text('alive\n'));
        },
        b: idle,
      },
    });
    run(10 * MS);
    const a = kernel.partition('a')!;
    expect(a.deadlineMisses).toBe(2);
    expect(a.console.text()).toBe('alive\n');
  });
});

describe('partition modes and permissions', () => {
  it('goes to NORMAL when the guest says so, and refuses control services to non-system partitions', () => {
    const statuses: number[] = [];
    const { run, kernel } = boot({
      partitions: [partition('a'), partition('b', { system: true })],
      guests: {
        a: function* (env) {
          statuses.push(env.client.setPartitionMode(PartitionMode.NORMAL), env.client.setPartitionMode(PartitionMode.NORMAL));
          statuses.push(env.client.setOtherPartitionMode(1, PartitionMode.IDLE));
        },
        b: function* (env) {
          statuses.push(env.client.setOtherPartitionMode(0, PartitionMode.IDLE));
        },
      },
    });
    run(100 * MS);
    expect(statuses).toEqual([Status.OK, Status.NO_ACTION, Status.PERMISSION, Status.OK]);
    expect(kernel.partition('a')!.mode).toBe(PartitionMode.IDLE);
    expect(kernel.partition('b')!.mode).toBe(PartitionMode.COLD_START);
  });

  it('idles the processor during the window of a stopped partition', () => {
    const { run, kernel, platform } = boot({
      guests: {
        a: function* (env) {
          env.client.setPartitionMode(PartitionMode.IDLE);
        },
        b: idle,
      },
    });
    run(1000 * MS);
    expect(kernel.partition('a')!.mode).toBe(PartitionMode.IDLE);
    expect(platform.processor.stats.waitNs).toBeGreaterThan(990 * MS);
  });
});

describe('ports (POK flushes at major-frame start)', () => {
  it('makes a message written in frame k readable from frame k+1', () => {
    const seen: string[] = [];
    const sampling = { kind: 'sampling', maxMessageSize: 8, maxMessages: 1, refreshPeriod: 500 * MS, discipline: 'fifo' } as const;
    const { run } = boot({
      partitions: [
        partition('a', { ports: [{ name: 'out', direction: 'source', ...sampling }] }),
        partition('b', { ports: [{ name: 'in', direction: 'destination', ...sampling }] }),
      ],
      config: { channels: [{ source: { partition: 'a', port: 'out' }, destinations: [{ partition: 'b', port: 'in' }] }] },
      guests: {
        a: function* (env) {
          const id = env.client.portCreate({ kind: 0, direction: 0, maxMessageSize: 8, maxMessages: 1, refreshPeriodNs: 500 * MS, discipline: 0, name: 'out' }).value!;
          // pok_port_flushall flushes NORMAL partitions only (ports.test.ts).
          env.client.setPartitionMode(PartitionMode.NORMAL);
          env.client.samplingWrite(id, Uint8Array.from([42]));
        },
        b: function* (env) {
          const id = env.client.portCreate({ kind: 0, direction: 1, maxMessageSize: 8, maxMessages: 1, refreshPeriodNs: 500 * MS, discipline: 0, name: 'in' }).value!;
          for (;;) {
            const reply = env.client.samplingRead(id, 8);
            seen.push(`${Math.floor(env.client.timeGet(0).value! / MS)}ms ${reply.status === Status.OK ? String(reply.value!.message[0]) : 'empty'}`);
            yield 2_000_000; // 20 ms
          }
        },
      },
    });
    run(200 * MS);
    expect(seen[0]).toBe(`40ms empty`);
    expect(seen.find((line) => line.endsWith(' 42'))).toBe('140ms 42');
  });
});
