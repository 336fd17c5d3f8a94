/**
 * Whatever a partition's code does stays a fault of that partition: a thrown value of any
 * kind (at boot, in a step, in an upcall), a step past the end of virtual time, a virtual
 * timer programmed with extreme values. The kernel's health monitor hears of it; the host
 * never sees an exception, and the kernel's work stays bounded.
 */
import { MAX_TIME_NS } from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { describe, expect, it } from 'vitest';
import { encode, Hypercall, type PartitionGuestFactory, Status, TIMER_SPEC, VirtualLine } from '@paravirt/paravirt-api';
import { SCRIPTED_GUEST_LAYOUT, scriptedGuest, TestHost } from './test.js';
import { MAX_RAISES_PER_ADVANCE } from './virtualTimer.js';

const trap = (): never => {
  throw new Error('trap');
};
const hostile = (): unknown => new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap });

function run(guest: PartitionGuestFactory, until = 10_000_000) {
  const platform = new SimplePlatform({ memorySize: 4 << 20 });
  const host = new TestHost({ platform, guest, name: 'p0' });
  host.start();
  expect(() => host.run(until)).not.toThrow();
  return { platform, host };
}

describe('a partition whose code throws is an HM event of kind exception, never a host exception', () => {
  it.each([
    ['a Proxy whose traps throw', hostile, 'guest code threw: thrown an object that is not an Error'],
    ['a Symbol', () => Symbol('s'), 'guest code threw: thrown Symbol(s)'],
    ['a huge string', () => 'x'.repeat(10_000_000), `guest code threw: thrown "${'x'.repeat(192)}...`],
  ])('a step throwing %s', (_name, value, detail) => {
    let steps = 0;
    const { host } = run(() => ({
      boot() {},
      next() {
        if (++steps === 3) throw value();
        return 100;
      },
      preempted() {},
    }));
    expect(host.hmEvents).toEqual([{ timeNs: expect.any(Number), error: 'ILLEGAL_REQUEST', detail }]);
    expect(host.caller.running).toBe(false);
  });

  it('a factory or a boot that throws', () => {
    const factory = run(() => {
      throw hostile();
    });
    expect(factory.host.hmEvents.map((event) => event.detail)).toEqual(['guest code threw: thrown an object that is not an Error']);
    const boot = run(() => ({
      boot() {
        throw new TypeError('no boot');
      },
      next: () => 1,
      preempted() {},
    }));
    expect(boot.host.hmEvents.map((event) => event.detail)).toEqual(['guest code threw: TypeError: no boot']);
  });

  it('an upcall that throws', () => {
    const { host } = run(
      scriptedGuest(
        function* (env) {
          env.enableVirtualInterrupts([VirtualLine.TIMER]);
          env.client.timerSet(1_000_000, 1_000_000);
          for (;;) yield 1000;
        },
        {
          onUpcall: () => {
            throw hostile();
          },
        },
      ),
    );
    expect(host.hmEvents.map((event) => event.detail)).toEqual(['upcall threw: thrown an object that is not an Error']);
    expect(host.caller.running).toBe(false);
  });

  it('a preempted() that throws', () => {
    const { host, platform } = run(
      () => ({
        boot() {},
        next: () => 10_000_000,
        preempted() {
          throw hostile();
        },
      }),
      0,
    );
    // The kernel tick (every 1 ms) preempts the 100 ms step.
    platform.board.runUntil(5_000_000);
    expect(host.hmEvents.map((event) => event.detail)).toEqual(['guest code threw: thrown an object that is not an Error']);
  });
});

describe('a step past the end of virtual time is an HM event of kind time', () => {
  it.each([1e15, Number.MAX_SAFE_INTEGER, Infinity, 1e300])('a step of %d cycles', (cycles) => {
    const { host } = run(() => ({ boot() {}, next: () => cycles, preempted() {} }));
    expect(host.hmEvents).toEqual([{ timeNs: 0, error: 'ILLEGAL_REQUEST', detail: `a step of ${cycles} cycles would run past the end of virtual time (${MAX_TIME_NS} ns)` }]);
  });
});

describe('the virtual timer, whatever it is programmed with', () => {
  it('refuses an expiry or a period past the end of virtual time with INVALID_PARAM (a status, no HM event)', () => {
    const statuses: number[] = [];
    const { host } = run(
      scriptedGuest(function* (env) {
        const { scratch } = SCRIPTED_GUEST_LAYOUT;
        for (const spec of [
          { firstNs: 2 ** 63, periodNs: 0 },
          { firstNs: MAX_TIME_NS, periodNs: 0 },
          { firstNs: 1_000, periodNs: 2 ** 60 },
          { firstNs: 1_000, periodNs: MAX_TIME_NS },
        ]) {
          env.processor.storeBytes(env.base + scratch, encode(TIMER_SPEC, spec, true));
          statuses.push(env.client.call(Hypercall.TIMER_SET, env.base + scratch).status);
          yield 10;
        }
      }),
    );
    expect(statuses).toEqual([Status.INVALID_PARAM, Status.INVALID_PARAM, Status.INVALID_PARAM, Status.OK]);
    // 'invalid-param': the shared PartitionBinding answers the status only (the test double just records the call).
    expect(host.badCalls.map((call) => call.kind)).toEqual(['invalid-param', 'invalid-param', 'invalid-param']);
    expect(host.badCalls[0]!.detail).toBe(`timer first expiry ${2 ** 63} ns from now lies past the end of virtual time (${MAX_TIME_NS} ns)`);
  });

  it('counts a 1 ns period without looping per expiry: at most MAX_RAISES_PER_ADVANCE raises one by one per tick, the rest at once', () => {
    const { host } = run(
      scriptedGuest(function* (env) {
        env.client.timerSet(1, 1);
        for (;;) yield 1000;
      }),
      3_000_000,
    );
    const stats = host.interrupts.stats();
    // Ticks at 1, 2 ms (3 ms is not run): every nanosecond expired once, none lost.
    expect(host.timer.expirations).toBeGreaterThanOrEqual(2_000_000 - 100);
    expect(stats.raised).toBe(host.timer.expirations);
    expect(stats.lost).toBe(0);
    expect(MAX_RAISES_PER_ADVANCE).toBe(1000);
  });
});
