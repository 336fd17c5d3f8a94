/**
 * PartitionRuntime's part in the kernel's fast-forward over timer upcalls (timerUpcallShape,
 * quietTimerUpcalls, creditTimerUpcalls) on TestHost over machine's SimplePlatform, whose
 * tick timer interrupts at exactly every 1 ms. SimplePlatform has no tickAt/skipTicks, so
 * the kernel never fast-forwards here: the test credits by hand and compares with a host
 * that ran the same ticks.
 */
import { SimplePlatform } from '@paravirt/machine/test';
import type { PartitionGuest } from '@paravirt/paravirt-api';
import { VirtualLine } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { scriptedGuest, TestHost } from './test.js';

const MS = 1_000_000;

/** A guest that takes a 1 ms TIMER upcall into an IDLE loop, with the fast-forward methods (answering `quiet`, counting credits). */
function idleHost(quiet = 1_000) {
  const credits: number[] = [];
  const script = scriptedGuest(function* (env) {
    env.enableVirtualInterrupts([VirtualLine.TIMER]);
    env.client.timerSet(MS, MS);
    for (;;) {
      env.client.idle();
      yield 10;
    }
  });
  const platform = new SimplePlatform({ memorySize: 4 << 20 });
  const testHost = new TestHost({
    platform,
    name: 'p0',
    kernelTick: MS,
    guest: (start): PartitionGuest => ({ ...script(start), quietTimerUpcalls: (limit) => Math.min(limit, quiet), creditTimerUpcalls: (count) => void credits.push(count) }),
  });
  testHost.start();
  return { platform, testHost, partition: testHost.caller, credits };
}

/** The partition's counts a fast-forward must keep. */
function counts(host: ReturnType<typeof idleHost>, now: number) {
  const { partition } = host;
  return {
    expirations: partition.timer.expirations,
    nextExpiry: partition.timer.nextExpiry,
    virq: partition.virqStats(),
    lastRaiseAt: partition.interrupts.lastRaiseAt(VirtualLine.TIMER),
    lastLatency: partition.interrupts.lastLatencyOf(VirtualLine.TIMER),
    hypercalls: partition.hypercalls,
    idleCalls: partition.idleCalls,
    idleNs: partition.idleNs,
    idleTime: partition.idleTime(now),
    waiting: partition.waiting,
  };
}

describe('PartitionRuntime: crediting timer upcalls into an idle guest', () => {
  // The guest decides how many upcalls may be skipped; the runtime only passes its answer on (0 for a guest without the methods).
  it('quietTimerUpcalls is the guest\'s answer, 0 for a guest without the fast-forward methods', () => {
    const host = idleHost(7);
    host.testHost.run(5.5 * MS);
    expect([host.partition.quietTimerUpcalls(100), host.partition.quietTimerUpcalls(3)]).toEqual([7, 3]);
    const plain = new TestHost({ platform: new SimplePlatform({ memorySize: 4 << 20 }), name: 'p0', guest: scriptedGuest(function* () {}) });
    plain.start();
    plain.run(2.5 * MS);
    expect(plain.caller.quietTimerUpcalls(100)).toBe(0);
  });

  // n credited upcalls with the last tick's shape must leave the partition's timer, vIRQ counts and latencies, hypercalls and idle time as n real ticks do.
  it('creditTimerUpcalls(n) with the last tick\'s shape leaves the partition as n more real ticks do', () => {
    const n = 6;
    const eager = idleHost();
    const credited = idleHost();
    eager.testHost.run((5 + n) * MS + MS / 2);
    credited.testHost.run(5 * MS + MS / 2);
    const { processor } = credited.platform;
    const shape = credited.partition.timerUpcallShape(5 * MS, processor.clock);
    expect(shape).toBeDefined();
    // The upcall comes after the kernel's tick work, and the guest idles after the upcall returns.
    expect(shape!.toUpcall).toBeGreaterThan(0);
    expect(shape!.toIdle).toBeGreaterThan(shape!.toUpcall);
    // Each upcall is VIRQ_RETURN then IDLE: two hypercalls, one of them IDLE.
    credited.partition.creditTimerUpcalls(n, (k) => (5 + k) * MS, shape!, processor.clock, 2, 1);
    expect(credited.credits).toEqual([n]);
    const now = (5 + n) * MS + MS / 2;
    expect(counts(credited, now)).toEqual(counts(eager, now));
    expect(counts(eager, now)).toMatchObject({ lastRaiseAt: (5 + n) * MS, waiting: true });
  });

  // The shape only describes a tick whose TIMER raise is the one at `tickAt`: any other instant gives no shape.
  it('timerUpcallShape is undefined for an instant that is not the last TIMER raise', () => {
    const host = idleHost();
    host.testHost.run(5.5 * MS);
    const clock = host.platform.processor.clock;
    expect(host.partition.timerUpcallShape(5 * MS, clock)).toBeDefined();
    expect(host.partition.timerUpcallShape(4 * MS, clock)).toBeUndefined();
  });
});
