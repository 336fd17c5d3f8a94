/**
 * VirtualInterruptController.creditDeliveries (the kernel's fast-forward over timer
 * upcalls) against the deliveries it stands for: a controller on machine's SimplePlatform
 * (100 MHz processor, 10 ns per cycle) with its vCPU page registered, the line unmasked,
 * the guest's flag on and an upcall entry that returns at once.
 */
import { ProgramImage } from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { deliveredOffset, VCPU_PAGE_SIZE, VcpuPage, VirtualLine } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { VirtualInterruptController } from './virtualInterrupts.js';

const PAGE = 0x1000;
const UPCALL = 0x2000;
const TIMER = VirtualLine.TIMER;
/** A tick every microsecond: raise k is at k us. */
const TICK = 1_000;

function build() {
  const platform = new SimplePlatform();
  const context = platform.createUserContext({ name: 'p', physicalBase: 0x10000, size: 0x10000 });
  const image = new ProgramImage('p');
  image.define(UPCALL, () => {});
  const interrupts = new VirtualInterruptController({ platform, context, image, abi: platform.hypercallAbi, name: 'p' });
  interrupts.registerPage(PAGE);
  interrupts.setUpcall(UPCALL);
  interrupts.setMasked(TIMER, false);
  interrupts.emulatedFlag.enabled = true;
  const page = (): number[] =>
    Array.from({ length: VCPU_PAGE_SIZE / 4 }, (_, index) => platform.board.checked.load(context.protection, 'supervisor', PAGE + 4 * index, 4) as number);
  /** Raise k at k ticks, delivered after `extra` more cycles of kernel work (plus the upcall's own): returns its latency. */
  const cycle = (k: number, extra: number): number => {
    platform.board.runUntil(k * TICK);
    interrupts.raise(TIMER);
    platform.processor.charge(extra);
    expect(interrupts.deliverPending()).toBe('done');
    platform.processor.takeCharges();
    return interrupts.lastLatencyOf(TIMER);
  };
  return { interrupts, page, cycle };
}

describe('VirtualInterruptController.creditDeliveries', () => {
  // n credited deliveries must leave the same counts, latency summaries and vCPU page as n real raise+deliver cycles with those latencies.
  it('gives the stats and vCPU page words of n raise() + deliverPending() cycles with the same latencies', () => {
    const count = 40;
    const extra = (k: number): number => (k * 37) % 90;
    const eager = build();
    const latencies: number[] = [];
    for (let k = 1; k <= count; k++) latencies.push(eager.cycle(k, extra(k)));
    // Latency = the extra cycles + the upcall's 30, at 10 ns each: they differ from one cycle to the next.
    expect(latencies.slice(0, 3)).toEqual([(37 + 30) * 10, (74 + 30) * 10, (21 + 30) * 10]);

    // The fast-forward follows one real delivery (whose shape it repeats) with the rest.
    const credited = build();
    credited.cycle(1, extra(1));
    credited.interrupts.creditDeliveries(TIMER, count - 1, (k) => latencies[k]!, count * TICK);

    for (const side of [eager, credited]) {
      const { interrupts } = side;
      expect([interrupts.raised[TIMER], interrupts.delivered[TIMER], interrupts.deliveredTotal, interrupts.isPending(TIMER)]).toEqual([count, count, count, false]);
    }
    expect(credited.interrupts.stats()).toEqual(eager.interrupts.stats());
    expect(credited.interrupts.latency[TIMER]!.summary()).toEqual(eager.interrupts.latency[TIMER]!.summary());
    expect([credited.interrupts.lastRaiseAt(TIMER), credited.interrupts.lastLatencyOf(TIMER)]).toEqual([count * TICK, latencies.at(-1)]);
    expect([eager.interrupts.lastRaiseAt(TIMER), eager.interrupts.lastLatencyOf(TIMER)]).toEqual([count * TICK, latencies.at(-1)]);
    // Every word of the page: the delivered count rewritten, the flags as the last upcall's return left them.
    expect(credited.page()).toEqual(eager.page());
    expect(credited.page()[deliveredOffset(TIMER) / 4]).toBe(count);
    expect([credited.page()[VcpuPage.ENABLED / 4], credited.page()[VcpuPage.IN_UPCALL / 4], credited.page()[VcpuPage.PENDING / 4]]).toEqual([1, 0, 0]);
  });
});
