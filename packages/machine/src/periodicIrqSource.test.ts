/**
 * PeriodicIrqSource as a SkippableIrqSource (a kernel's fast-forward over device
 * interrupts): raiseAt places its next raises in time, skipRaises moves past them exactly
 * as firing them would, but for the line raises, which are the caller's to account for.
 */
import { describe, expect, it } from 'vitest';
import { EventQueue } from './eventQueue.js';
import { PeriodicIrqSource, type PeriodicIrqSourceOptions } from './periodicIrqSource.js';
import { Prng } from './prng.js';

const DAY = 86_400_000_000_000;

/** A started source on a test line that records the instants it is raised at. */
function started(options: PeriodicIrqSourceOptions) {
  const queue = new EventQueue();
  const raises: number[] = [];
  const source = new PeriodicIrqSource(queue, { number: 3, raise: () => raises.push(queue.now), lower: () => {} }, options);
  source.start();
  return { queue, source, raises };
}

/** What the next `count` raises are planned at. */
const plannedRaises = (source: PeriodicIrqSource, count = 4) => Array.from({ length: count }, (_, index) => source.raiseAt(index + 1));

describe('PeriodicIrqSource as a SkippableIrqSource', () => {
  // A skip must be indistinguishable from firing: same state, same raises ahead, the same
  // queued event object (a kernel holds it) - only the skipped raises never reached the line.
  it('skipping n raises then running on equals firing them all, but for the skipped line raises', () => {
    const options = { period: 7_001, start: 10_003 };
    const fired = started(options);
    const skipped = started(options);
    fired.queue.runUntil(30_000); // raises 1..3
    skipped.queue.runUntil(30_000);
    const event = skipped.source.nextEvent!;
    expect([skipped.source.lineNumber, event.time]).toEqual([3, 31_006]);
    expect(plannedRaises(skipped.source)).toEqual([31_006, 38_007, 45_008, 52_009]);

    skipped.source.skipRaises(4); // raises 4..7
    fired.queue.runUntil(55_000);
    expect(skipped.source.getState()).toEqual(fired.source.getState());
    expect(skipped.source.getState()).toMatchObject({ raises: 7, lastRaise: 52_009 });
    expect(skipped.source.nextEvent).toBe(event);
    expect(event.time).toBe(fired.source.nextEvent!.time);
    expect(plannedRaises(skipped.source)).toEqual(plannedRaises(fired.source));

    fired.queue.runUntil(100_000);
    skipped.queue.runUntil(100_000);
    expect(skipped.source.getState()).toEqual(fired.source.getState());
    expect(plannedRaises(skipped.source)).toEqual(plannedRaises(fired.source));
    expect(skipped.raises).toEqual(fired.raises.filter((at) => at < 30_000 || at > 52_009));
    expect(fired.raises).toHaveLength(13);
  });

  // raiseAt is only defined where the instant is certain: no jitter, a raise queued at its nominal time, k >= 1, representable.
  it('raiseAt is undefined with jitter, with nothing queued, for a late raise, for k < 1 and past representable time', () => {
    // Jitter of 0 or 1 ns: even a raise that drew no delay is not certain.
    const jittered = started({ period: 1_000, jitter: 1, prng: new Prng(1) });
    const delays: number[] = [];
    for (let raise = 1; raise <= 10; raise++) {
      delays.push(jittered.source.nextEvent!.time - raise * 1_000);
      expect(jittered.source.raiseAt(1)).toBeUndefined();
      jittered.queue.runUntil(raise * 1_000 + 500);
    }
    expect(delays).toContain(0);
    const { queue, source } = started({ period: 1_000 });
    expect([source.raiseAt(0), source.raiseAt(1), source.raiseAt(3)]).toEqual([undefined, 1_000, 3_000]);
    source.stop();
    expect([source.nextEvent, source.raiseAt(1)]).toEqual([undefined, undefined]);
    queue.runUntil(5_000);
    // Started after its start instant: queued now, not at its nominal time.
    const late = new PeriodicIrqSource(queue, { number: 1, raise: () => {}, lower: () => {} }, { period: 1_000, start: 4_000 });
    late.start();
    expect([late.nextEvent?.time, late.raiseAt(1)]).toEqual([5_000, undefined]);
    expect(plannedRaises(started({ period: 60 * DAY }).source, 2)).toEqual([60 * DAY, undefined]);
  });

  // skipRaises refuses what raiseAt cannot place (and moves nothing); zero raises is nothing to do.
  it('skipRaises throws when it cannot tell the raises, changing nothing', () => {
    const cases = [
      started({ period: 1_000, jitter: 100, prng: new Prng(1) }).source,
      new PeriodicIrqSource(new EventQueue(), { number: 1, raise: () => {}, lower: () => {} }, { period: 1_000 }), // never started
      started({ period: 60 * DAY }).source,
    ];
    for (const source of cases) {
      const state = source.getState();
      expect(() => source.skipRaises(2)).toThrow(/cannot skip 2 raises/);
      expect(source.getState()).toEqual(state);
    }
    const { source } = started({ period: 1_000 });
    source.skipRaises(0);
    expect([source.raises, source.nextEvent?.time]).toEqual([0, 1_000]);
  });

  // As fire() does, a skip past the last representable raise leaves no raise queued.
  it('skipping the last representable raise leaves nothing queued, as firing it does', () => {
    const fired = started({ period: 60 * DAY });
    const skipped = started({ period: 60 * DAY });
    fired.queue.runUntil(90 * DAY);
    skipped.source.skipRaises(1);
    expect(skipped.source.getState()).toEqual(fired.source.getState());
    expect([skipped.source.nextEvent, skipped.queue.size, fired.queue.size]).toEqual([undefined, 0, 0]);
  });
});
