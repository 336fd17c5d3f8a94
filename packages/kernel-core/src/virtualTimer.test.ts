/**
 * VirtualTimer on its own: what it raises, counted where it arrives (a recording stand-in
 * for the virtual interrupt controller, whose raise(line, times) is all the timer calls),
 * and once with the real controller for how the raises coalesce. Expiry k is due at
 * now + first + k * period; an advance to `now` raises every expiry due at or before it.
 */
import { MAX_TIME_NS, ProgramImage, Prng } from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { overrunOffset, VirtualLine } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { VirtualInterruptController } from './virtualInterrupts.js';
import { MAX_RAISES_PER_ADVANCE, VirtualTimer } from './virtualTimer.js';

/** A timer whose raises are recorded as [line, times] calls. */
function recorded() {
  const calls: Array<[number, number]> = [];
  const sink = { raise: (line: number, times = 1) => void calls.push([line, times]) };
  const timer = new VirtualTimer(sink);
  const raised = (): number => calls.reduce((total, [, times]) => total + times, 0);
  return { timer, calls, raised };
}

/** Expiries of a timer set at `setAt` (first, period) due at or before `now`, by the closed form. */
function dueBy(setAt: number, first: number, period: number, now: number): number {
  const at = setAt + first;
  if (now < at) return 0;
  return period === 0 ? 1 : Math.floor((now - at) / period) + 1;
}

describe('VirtualTimer', () => {
  it('one-shot: raises TIMER once, at exactly now + first and not a nanosecond before, then disarms', () => {
    const { timer, calls } = recorded();
    expect([timer.armed, timer.nextExpiry]).toEqual([false, undefined]);
    timer.set(1_000, 500, 0);
    expect([timer.armed, timer.nextExpiry]).toEqual([true, 1_500]);
    expect(timer.advance(1_499)).toBe(0);
    expect(calls).toEqual([]);
    expect(timer.advance(1_500)).toBe(1);
    expect(calls).toEqual([[VirtualLine.TIMER, 1]]);
    expect([timer.armed, timer.expirations]).toEqual([false, 1]);
    expect(timer.advance(1_000_000)).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('periodic: expiry k at set time + first + k * period exactly, one raise each', () => {
    const { timer, calls } = recorded();
    timer.set(0, 300, 1_000);
    expect(timer.advance(299)).toBe(0);
    expect(timer.advance(300)).toBe(1);
    expect(timer.nextExpiry).toBe(1_300);
    expect(timer.advance(1_299)).toBe(0);
    expect(timer.advance(1_300)).toBe(1);
    // Four periods in one advance (a partition that was not scheduled): four raises, one per expiry.
    expect(timer.advance(5_300)).toBe(4);
    expect(timer.nextExpiry).toBe(6_300);
    expect(timer.expirations).toBe(6);
    expect(calls).toEqual(Array.from({ length: 6 }, () => [VirtualLine.TIMER, 1]));
  });

  it('a tick between two expiries does not move them: advancing at any times raises the closed-form count', () => {
    const prng = new Prng(7);
    for (let round = 0; round < 200; round++) {
      const { timer, raised } = recorded();
      const setAt = prng.int(0, 1_000_000);
      const first = prng.int(0, 5_000_000);
      const period = prng.nextFloat() < 0.2 ? 0 : prng.int(1, 3_000_000);
      timer.set(setAt, first, period);
      let now = setAt;
      for (let tick = 0; tick < 30; tick++) {
        now += prng.int(0, 2_000_000);
        const before = raised();
        const count = timer.advance(now);
        expect(raised() - before).toBe(count);
        expect(raised(), `set at ${setAt}, first ${first}, period ${period}, now ${now}`).toBe(dueBy(setAt, first, period, now));
        expect(timer.expirations).toBe(raised());
      }
      if (period > 0) expect(timer.nextExpiry).toBe(setAt + first + dueBy(setAt, first, period, now) * period);
    }
  });

  it('set() replaces the programming, cancel() disarms', () => {
    const { timer, raised } = recorded();
    timer.set(0, 100, 100);
    expect(timer.advance(250)).toBe(2);
    timer.set(250, 1_000, 0);
    expect(timer.nextExpiry).toBe(1_250);
    expect(timer.advance(10_000)).toBe(1);
    timer.set(10_000, 10, 10);
    timer.cancel();
    expect([timer.armed, timer.advance(1_000_000), raised()]).toEqual([false, 0, 3]);
  });

  describe(`bounded work: at most MAX_RAISES_PER_ADVANCE (${MAX_RAISES_PER_ADVANCE}) raises one by one per advance`, () => {
    it('exactly MAX_RAISES_PER_ADVANCE expiries due: all one by one', () => {
      const { timer, calls } = recorded();
      timer.set(0, 1, 1);
      expect(timer.advance(MAX_RAISES_PER_ADVANCE)).toBe(MAX_RAISES_PER_ADVANCE);
      expect(calls).toHaveLength(MAX_RAISES_PER_ADVANCE);
      expect(calls.every(([line, times]) => line === VirtualLine.TIMER && times === 1)).toBe(true);
      expect(timer.nextExpiry).toBe(MAX_RAISES_PER_ADVANCE + 1);
    });

    it('one more: the last is raised in the bulk call', () => {
      const { timer, calls } = recorded();
      timer.set(0, 1, 1);
      expect(timer.advance(MAX_RAISES_PER_ADVANCE + 1)).toBe(MAX_RAISES_PER_ADVANCE + 1);
      expect(calls).toHaveLength(MAX_RAISES_PER_ADVANCE + 1);
      expect(calls.at(-1)).toEqual([VirtualLine.TIMER, 1]);
      expect(timer.nextExpiry).toBe(MAX_RAISES_PER_ADVANCE + 2);
    });

    it('a 1 ns period over a second: 10^9 expiries counted in MAX_RAISES_PER_ADVANCE + 1 calls, none lost, the next one exact', () => {
      const { timer, calls, raised } = recorded();
      // Set at 5 ns, first expiry at 5 + 3 = 8 ns, then every ns: due by 1e9 + 7 ns: 1e9 of them.
      timer.set(5, 3, 1);
      const count = timer.advance(1e9 + 7);
      expect(count).toBe(1e9);
      expect(raised()).toBe(1e9);
      expect(timer.expirations).toBe(1e9);
      expect(calls).toHaveLength(MAX_RAISES_PER_ADVANCE + 1);
      expect(calls.at(-1)).toEqual([VirtualLine.TIMER, 1e9 - MAX_RAISES_PER_ADVANCE]);
      expect(timer.nextExpiry).toBe(1e9 + 8);
      // The next advance goes on from there, not from the bulk's end.
      expect(timer.advance(1e9 + 10)).toBe(3);
    });

    it('a period that does not divide the interval: the bulk count is the closed form, the next expiry stays on the grid', () => {
      const { timer, raised } = recorded();
      timer.set(0, 7, 3);
      const now = 7 + 3 * 5_000 + 2;
      // Expiries 7, 10, ..., 7 + 3 * 5000: 5001 of them.
      expect(timer.advance(now)).toBe(5_001);
      expect(raised()).toBe(5_001);
      expect(timer.nextExpiry).toBe(7 + 3 * 5_001);
    });
  });

  describe('end of virtual time (MAX_TIME_NS)', () => {
    it('an expiry past it is never armed; one at it is', () => {
      const { timer } = recorded();
      timer.set(1_000, MAX_TIME_NS - 999, 0);
      expect(timer.armed).toBe(false);
      timer.set(1_000, MAX_TIME_NS - 1_000, 0);
      expect(timer.nextExpiry).toBe(MAX_TIME_NS);
      expect(timer.advance(MAX_TIME_NS)).toBe(1);
      expect(timer.armed).toBe(false);
    });

    it('a periodic timer stops after its last expiry at or before it', () => {
      const { timer } = recorded();
      // Expiries at MAX - 10 and MAX - 3; the next, MAX + 4, does not exist.
      timer.set(0, MAX_TIME_NS - 10, 7);
      expect(timer.advance(MAX_TIME_NS)).toBe(2);
      expect(timer.armed).toBe(false);
    });

    it('the bulk path stops there too', () => {
      const { timer, calls } = recorded();
      // Every ns from MAX - 5000 to MAX: 5001 expiries, MAX_RAISES_PER_ADVANCE one by one and the rest at once.
      timer.set(0, MAX_TIME_NS - 5_000, 1);
      expect(timer.advance(MAX_TIME_NS)).toBe(5_001);
      expect(calls.at(-1)).toEqual([VirtualLine.TIMER, 5_001 - MAX_RAISES_PER_ADVANCE]);
      expect(timer.armed).toBe(false);
    });
  });

  it('with the real controller: expiries that find the line pending coalesce, one per expiry, none lost', () => {
    const platform = new SimplePlatform();
    const context = platform.createUserContext({ name: 'p', physicalBase: 0x10000, size: 0x10000 });
    const interrupts = new VirtualInterruptController({ platform, context, image: new ProgramImage('p'), abi: platform.hypercallAbi, name: 'p' });
    const timer = new VirtualTimer(interrupts);
    timer.set(0, 1_000, 1_000);
    // Nobody takes the line (no vCPU page): the first expiry latches it, the other 4 + 2000 coalesce.
    expect(timer.advance(5_000)).toBe(5);
    expect([interrupts.raised[VirtualLine.TIMER], interrupts.coalesced[VirtualLine.TIMER], interrupts.isPending(VirtualLine.TIMER)]).toEqual([5, 4, true]);
    expect(timer.advance(5_000 + 2_000 * 1_000)).toBe(2_000);
    expect([interrupts.raised[VirtualLine.TIMER], interrupts.coalesced[VirtualLine.TIMER], interrupts.isPending(VirtualLine.TIMER)]).toEqual([2_005, 2_004, true]);
  });

  describe('creditExpiries (the kernel fast-forward over timer upcalls)', () => {
    // Crediting n expiries must leave the timer exactly where n advances one period apart leave it, and raise nothing itself (the caller raises).
    it('leaves expirations and the next expiry as n advance() calls one period apart do, raising nothing', () => {
      for (const count of [1, 2, 37]) {
        const eager = recorded();
        const credited = recorded();
        for (const { timer } of [eager, credited]) {
          timer.set(250, 1_000, 1_000);
          timer.advance(1_250);
        }
        for (let k = 1; k <= count; k++) eager.timer.advance(1_250 + k * 1_000);
        credited.timer.creditExpiries(count);
        expect([credited.timer.expirations, credited.timer.nextExpiry, credited.timer.armed, credited.timer.periodNs]).toEqual([
          eager.timer.expirations,
          eager.timer.nextExpiry,
          eager.timer.armed,
          1_000,
        ]);
        expect([eager.timer.expirations, eager.timer.nextExpiry]).toEqual([1 + count, 2_250 + count * 1_000]);
        // The raises are the caller's: one from the first advance, none from the credit.
        expect([credited.raised(), eager.raised()]).toEqual([1, 1 + count]);
      }
    });
  });

  describe('deferred (the kernel holds back expiries that can only coalesce): settle() gives what advancing at every tick gives', () => {
    it('random programmings and tick lengths: the same raises, expirations and next expiry as the timer advanced at each tick', () => {
      const prng = new Prng(11);
      for (let round = 0; round < 200; round++) {
        const eager = recorded();
        const lazy = recorded();
        const setAt = prng.int(0, 1_000_000);
        const first = prng.int(0, 5_000_000);
        const period = prng.nextFloat() < 0.2 ? 0 : prng.int(1, 3_000_000);
        const tick = prng.int(1, 2_000_000);
        eager.timer.set(setAt, first, period);
        lazy.timer.set(setAt, first, period);
        let lastTick = setAt;
        const deferAt = prng.int(0, 20);
        const settleAt = deferAt + prng.int(0, 40);
        for (let index = 0; index < 60; index++) {
          lastTick += tick;
          eager.timer.advance(lastTick);
          if (index === deferAt) lazy.timer.defer(() => lastTick);
          if (index === settleAt) lazy.timer.settle();
          // A deferred timer is not advanced (the kernel skips it); any other is.
          if (!lazy.timer.deferred) lazy.timer.advance(lastTick);
        }
        const context = `set at ${setAt}, first ${first}, period ${period}, tick ${tick}, deferred at ${deferAt} to ${settleAt}`;
        // The getters settle: what anyone reads is up to date.
        expect([lazy.timer.expirations, lazy.timer.nextExpiry, lazy.timer.armed], context).toEqual([eager.timer.expirations, eager.timer.nextExpiry, eager.timer.armed]);
        expect(lazy.raised(), context).toBe(eager.raised());
        expect(lazy.timer.deferred).toBe(false);
      }
    });

    it('held back, then raised in one call at settle(), up to the latest tick and not past it', () => {
      const { timer, calls } = recorded();
      timer.set(0, 1_000, 1_000);
      timer.advance(1_000);
      let lastTick = 1_000;
      timer.defer(() => lastTick);
      lastTick = 7_500;
      expect(calls).toEqual([[VirtualLine.TIMER, 1]]);
      timer.settle();
      // 2000 ... 7000: six expiries, in one call; 8000 is after the latest tick.
      expect(calls).toEqual([
        [VirtualLine.TIMER, 1],
        [VirtualLine.TIMER, 6],
      ]);
      expect(timer.nextExpiry).toBe(8_000);
      timer.settle();
      expect(calls).toHaveLength(2);
    });

    it('set() and cancel() settle first: the expiries before them are not lost', () => {
      const { timer, raised } = recorded();
      timer.set(0, 100, 100);
      let lastTick = 0;
      timer.defer(() => lastTick);
      lastTick = 450;
      timer.cancel();
      expect(raised()).toBe(4);
      timer.set(450, 100, 0);
      timer.defer(() => lastTick);
      lastTick = 1_000;
      timer.set(1_000, 5, 0);
      expect([raised(), timer.nextExpiry]).toEqual([5, 1_005]);
    });

    it('with the real controller: the overrun count, in the controller and in the vCPU page, is the same as raising at every tick', () => {
      const build = () => {
        const platform = new SimplePlatform();
        const context = platform.createUserContext({ name: 'p', physicalBase: 0x10000, size: 0x10000 });
        const interrupts = new VirtualInterruptController({ platform, context, image: new ProgramImage('p'), abi: platform.hypercallAbi, name: 'p' });
        interrupts.registerPage(0x1000);
        const page = (offset: number): number => platform.board.checked.load(context.protection, 'supervisor', 0x1000 + offset, 4) as number;
        return { interrupts, timer: new VirtualTimer(interrupts), page };
      };
      const eager = build();
      const lazy = build();
      let lastTick = 0;
      for (const { timer } of [eager, lazy]) timer.set(0, 1_000, 1_000);
      for (let tick = 1; tick <= 500; tick++) {
        lastTick = tick * 1_000;
        eager.timer.advance(lastTick);
        if (!lazy.timer.deferred) lazy.timer.advance(lastTick);
        // Latched by the first expiry: from then on the rest only coalesce.
        if (tick === 1) lazy.timer.defer(() => lastTick);
      }
      expect(lazy.page(overrunOffset(VirtualLine.TIMER))).toBe(0);
      lazy.timer.settle();
      for (const side of [eager, lazy]) {
        expect([side.interrupts.raised[VirtualLine.TIMER], side.interrupts.coalesced[VirtualLine.TIMER], side.page(overrunOffset(VirtualLine.TIMER))]).toEqual([500, 499, 499]);
      }
    });
  });
});
