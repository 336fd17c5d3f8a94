/**
 * Virtual interrupts under the AIR-style kernel: nothing is lost across windows, idle
 * gaps, a schedule switch and a partition restart; every raise is delivered, counted as
 * an overrun the guest reads, still pending, or discarded by the restart.
 */
import { PeriodicIrqSource } from '@paravirt/machine';
import { overrunOffset, PartitionMode, VirtualLine } from '@paravirt/paravirt-api';
import { SCRIPTED_GUEST_LAYOUT } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import type { AirConfig } from './config.js';
import { bootAir, MS, partition, simpleSchedule, twoPartitionConfig } from './internal/harness.js';

const HW5 = VirtualLine.HW_BASE + 5;

describe('virtual interrupts are never lost', () => {
  it('keeps raised = delivered + coalesced + pending + discarded across windows, gaps, a schedule switch and a restart', () => {
    // main: a [0, 40), b [50, 90); alt: a [0, 30), b [40, 80) and b cold-starts when alt begins.
    const alt = simpleSchedule('alt', 2, 100 * MS, [
      ['a', 0, 30 * MS],
      ['b', 40 * MS, 40 * MS],
    ]);
    const config: AirConfig = twoPartitionConfig({
      partitions: [partition('a', 1, { permissions: ['SUPERVISOR'] }), partition('b', 2)],
      routes: [{ line: 5, partition: 'b' }],
      schedules: [
        { ...simpleSchedule('main', 1, 100 * MS, [['a', 0, 40 * MS], ['b', 50 * MS, 40 * MS]]), initial: true },
        { ...alt, partitions: [alt.partitions[0]!, { ...alt.partitions[1]!, changeAction: 'COLD_START' }] },
      ],
    });
    // a's clock driver: each timer upcall announces 1 tick plus the overruns it finds in its vCPU page.
    let announced = 0;
    let seenOverruns = 0;
    let hardwareUpcalls = 0;
    const { run, part, platform, kernel } = bootAir(config, {
      a: [
        function* (env) {
          env.client.setPartitionMode(PartitionMode.NORMAL);
          env.enableVirtualInterrupts([VirtualLine.TIMER]);
          env.client.timerSet(3 * MS, 3 * MS);
          let asked = false;
          for (;;) {
            yield 50_000; // 0.5 ms
            if (!asked && env.client.timeGet(0).value! >= 500 * MS) asked = env.client.setModuleSchedule(2) === 0;
          }
        },
        {
          onUpcall: (env, line) => {
            if (line !== VirtualLine.TIMER) return;
            const overruns = env.processor.load(env.base + SCRIPTED_GUEST_LAYOUT.vcpuPage + overrunOffset(VirtualLine.TIMER), 4);
            announced += 1 + overruns - seenOverruns;
            seenOverruns = overruns;
          },
        },
      ],
      b: [
        function* (env) {
          env.client.setPartitionMode(PartitionMode.NORMAL);
          env.enableVirtualInterrupts([HW5]);
          for (;;) yield 100_000;
        },
        {
          onUpcall: (env, line) => {
            hardwareUpcalls++;
            env.client.ack(line);
          },
        },
      ],
    });
    const device = new PeriodicIrqSource(platform.board.queue, platform.deviceLine(5), { period: 700_000 });
    device.start();

    // Just after a's window at 900 ms opened: its pending timer was delivered before its code resumed.
    run(901 * MS);
    expect(kernel.scheduleSwitches).toEqual([{ timeNs: 600 * MS, from: 'main', to: 'alt' }]);
    const a = part('a').interrupts;
    expect(a.raised[VirtualLine.TIMER]).toBe(300); // expiries at 3, 6, ..., 900 ms
    expect(announced).toBe(300);
    expect(a.delivered[VirtualLine.TIMER]! + a.coalesced[VirtualLine.TIMER]!).toBe(300);
    expect(a.isPending(VirtualLine.TIMER)).toBe(false);
    // Between a's windows (60 ms in main, 70 ms in alt) the timer waits; never longer.
    expect(a.latency[VirtualLine.TIMER]!.summary().max).toBeLessThan(70 * MS + 100_000);

    run(1000 * MS);
    const b = part('b');
    expect(b.restarts).toBe(1);
    expect(device.raises).toBe(1428);
    expect(b.interrupts.raised[HW5]).toBe(1428);
    // The raise pending at the 600 ms switch (from the idle gap before it) is discarded by b's restart, and counted.
    expect(b.interrupts.discarded[HW5]).toBe(1);
    // b's windows cover 400 ms of the second: ~571 raises land in them and are delivered at once, plus the one
    // latched in each gap, delivered at b's next window start; the rest coalesce into the overrun counter.
    expect(b.interrupts.stats()).toMatchObject({ raised: 1428, delivered: 582, coalesced: 844, pending: 1, discarded: 1, lost: 0 });
    expect(hardwareUpcalls).toBe(582);
    for (const interrupts of [a, b.interrupts]) {
      const stats = interrupts.stats();
      expect(stats.lost).toBe(0);
      expect(stats.raised).toBe(stats.delivered + stats.coalesced + stats.pending + stats.discarded);
    }
  });
});
