/**
 * bsp-virtualpok on the paravirt-api TestHost double, on both processor models: the guest
 * boots from its memory map, prints through the console hypercall, keeps exact time across
 * the windows it does not run in (missed-tick catch-up), and never executes a privileged
 * instruction.
 */
import { I386Board } from '@paravirt/cpu-i386';
import { Leon3Board } from '@paravirt/cpu-sparc';
import type { Application, Rtems } from '@paravirt/cpukit';
import { RtemsStatus } from '@paravirt/cpukit';
import type { Platform } from '@paravirt/machine';
import { PartitionMode, VirtualLine } from '@paravirt/paravirt-api';
import { TestHost } from '@paravirt/paravirt-api/test';
import { describe, expect, it } from 'vitest';
import { type VirtualPokGuest, virtualPokGuest } from './virtualPokGuest.js';

const MS = 1_000_000;
const boards: Array<[string, () => Platform]> = [
  ['i386', () => new I386Board({ memorySize: 4 << 20 })],
  ['sparc', () => new Leon3Board({ memorySize: 4 << 20 })],
];

const hello: Application = {
  name: 'hello-test',
  description: 'prints and exits',
  *init(rtems: Rtems) {
    rtems.printf('Hello from %s\n', 'the partition');
    rtems.exit(0);
  },
};

/** Prints the tick count every `every` ticks, `times` times, then exits. */
function clockReporter(every: number, times: number): Application {
  return {
    name: 'clock-test',
    description: 'reports ticks',
    configuration: { microsecondsPerTick: 1000 },
    *init(rtems: Rtems) {
      for (let i = 0; i < times; i++) {
        const status = yield* rtems.taskWakeAfter(every);
        if (status !== RtemsStatus.SUCCESSFUL) rtems.printf('wake failed %d\n', status);
        rtems.printf('tick %u\n', rtems.clockGetTicksSinceBoot());
      }
      rtems.exit(0);
    },
  };
}

function host(make: () => Platform, application: Application, window?: { period: number; duration: number }) {
  const platform = make();
  let guest: VirtualPokGuest | undefined;
  const factory = virtualPokGuest({ application, name: 'p0' });
  const testHost = new TestHost({
    platform,
    guest: (start) => (guest = factory(start)),
    name: 'p0',
    ...(window ? { window } : {}),
  });
  testHost.start();
  return { platform, testHost, guest: () => guest! };
}

describe.each(boards)('bsp-virtualpok on %s', (_arch, make) => {
  it('boots from its memory map, prints through the console hypercall and exits', () => {
    const { testHost } = host(make, hello);
    testHost.run(50 * MS);
    expect(testHost.consoleText()).toBe('Hello from the partition\n');
    expect(testHost.mode).toBe(PartitionMode.IDLE);
    expect(testHost.faults).toEqual([]);
  });

  it('never executes a privileged instruction', () => {
    const { testHost } = host(make, clockReporter(10, 5));
    testHost.run(200 * MS);
    expect(testHost.caller.console.length).toBeGreaterThan(0);
    // TestHost's supervisor records every non-hypercall trap: none.
    expect(testHost.faults).toEqual([]);
    expect(testHost.hmEvents).toEqual([]);
  });

  it('keeps exact time across windows it does not run in: missed ticks are announced at once', () => {
    // The partition runs 4 ms out of every 10 ms; the guest tick is 1 ms.
    const { testHost, guest } = host(make, clockReporter(25, 100), { period: 10 * MS, duration: 4 * MS });
    testHost.run(203.5 * MS);
    const virtualPok = guest();
    // Every expiry of the virtual timer became exactly one guest tick, none lost, none
    // doubled: the 6 ms gaps were announced as catch-up ticks at each window start...
    expect(virtualPok.ticksAnnounced).toBe(testHost.timer.expirations);
    expect(testHost.interrupts.coalesced[VirtualLine.TIMER]).toBe(virtualPok.missedTicks);
    expect(virtualPok.missedTicks).toBeGreaterThan(100);
    expect(testHost.interrupts.stats().lost).toBe(0);
    // ...so guest time is virtual time (203 ms since boot, to within the tick).
    expect(Math.abs(virtualPok.executive!.rtems.clockGetTicksSinceBoot() - 203)).toBeLessThanOrEqual(1);
    // A task waking every 25 ticks only runs in a window, so it sees the catch-up.
    const ticks = testHost.consoleText().trim().split('\n').map((line) => Number(line.split(' ')[1]));
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    ticks.forEach((tick, index) => expect(tick).toBeGreaterThanOrEqual(25 * (index + 1)));
  });

  it('goes to NORMAL mode when the guest first idles, after initialisation', () => {
    const application: Application = {
      name: 'sleeper',
      description: 'sleeps forever',
      *init(rtems: Rtems) {
        yield* rtems.taskWakeAfter(1_000_000);
      },
    };
    const { testHost } = host(make, application);
    testHost.run(20 * MS);
    expect(testHost.mode).toBe(PartitionMode.NORMAL);
  });
});
