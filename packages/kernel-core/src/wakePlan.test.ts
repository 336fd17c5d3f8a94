/**
 * planWakes on its own: the merge of the sources' instants in time order, ties as one
 * wake-up of a combined kind, each stop rule, capacity, buffer reuse, and a randomized
 * cross-check against a reference that lists every wake-up first and then walks them.
 */
import { Prng } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { planWakes, type WakeSource } from './wakePlan.js';

/** `start`, `start + period`, ... (`count` of them, unbounded by default), within `limit`. */
function periodic(start: number, period: number, limit = Infinity, count = Infinity): WakeSource {
  return { at: (k) => (k <= count ? start + (k - 1) * period : undefined), limit };
}

/** Every kind's episode lasts `duration` ns. */
const lasting =
  (duration: number) =>
  (_kind: number, start: number): number =>
    start + duration;

/** The plan's wake-ups as [instant, kind] pairs. */
function wakes(plan: ReturnType<typeof planWakes>): Array<[number, number]> {
  return Array.from({ length: plan.count }, (_, index) => [plan.instants[index]!, plan.kinds[index]!]);
}

// Sources 10 + 10k (bit 1) and 15 + 15k (bit 2): they coincide at 30, 60, ...
const two = (limit0 = Infinity, limit1 = Infinity) => [periodic(10, 10, limit0), periodic(15, 15, limit1)];

describe('planWakes', () => {
  // The merge: wake-ups in time order, the sources at the same instant one wake-up of kind 1|2, counted for each.
  it('merges the sources in time order and makes one wake-up of their combined kind at a tie', () => {
    const plan = planWakes(two(), lasting(1), 1_000, undefined, 7);
    expect(wakes(plan)).toEqual([[10, 1], [15, 2], [20, 1], [30, 3], [40, 1], [45, 2], [50, 1]]);
    expect(plan.perSource).toEqual([5, 3]);
  });

  // A source's limit ends the whole plan at its next wake-up: the other sources' later ones are not planned either.
  it('stops before a wake-up of a source past its limit, for every source', () => {
    expect(wakes(planWakes(two(1), lasting(1), 1_000, undefined, 10))).toEqual([[10, 1], [15, 2]]);
    // Source 0's third wake-up is the tie at 30: the combined wake-up is past its limit.
    const plan = planWakes(two(2), lasting(1), 1_000, undefined, 10);
    expect(wakes(plan)).toEqual([[10, 1], [15, 2], [20, 1]]);
    expect(plan.perSource).toEqual([2, 1]);
    expect(planWakes(two(Infinity, 0), lasting(1), 1_000, undefined, 10).count).toBe(1);
  });

  // A kind whose episode is unknown (episodeEnd undefined) cannot be repeated: the plan stops there.
  it('stops before a wake-up whose kind has no known episode', () => {
    const unknownTie = (kind: number, start: number) => (kind === 3 ? undefined : start + 1);
    expect(wakes(planWakes(two(), unknownTie, 1_000, undefined, 10))).toEqual([[10, 1], [15, 2], [20, 1]]);
  });

  // The horizon is inclusive (an episode may end at it), `other` exclusive (an episode must end before it).
  it('stops before an episode that ends after the horizon or at or after the other event', () => {
    expect(planWakes(two(), lasting(1), 21, undefined, 10).count).toBe(3); // 20's ends at 21
    expect(planWakes(two(), lasting(1), 20, undefined, 10).count).toBe(2);
    expect(planWakes(two(), lasting(1), 1_000, 22, 10).count).toBe(3);
    expect(planWakes(two(), lasting(1), 1_000, 21, 10).count).toBe(2);
  });

  // Each episode must be over before the next wake-up, whichever source it comes from (its own source's next included).
  it('stops before an episode that would not be over before the next wake-up from any source', () => {
    expect(planWakes([periodic(10, 10)], lasting(9), 1_000, undefined, 5).count).toBe(5);
    expect(planWakes([periodic(10, 10)], lasting(10), 1_000, undefined, 5).count).toBe(0); // its own next
    expect(planWakes(two(), lasting(5), 1_000, undefined, 5).count).toBe(0); // 10's ends at 15, source 1's
    expect(planWakes(two(), lasting(4), 1_000, undefined, 5).count).toBe(5);
    // After the tie at 30 the next wake-up is source 0's 40: an episode of kind 3 lasting 10 does not fit.
    const longTie = (duration: number) => (kind: number, start: number) => start + (kind === 3 ? duration : 1);
    expect(wakes(planWakes(two(), longTie(10), 1_000, undefined, 10)).at(-1)).toEqual([20, 1]);
    expect(planWakes(two(), longTie(9), 1_000, undefined, 10).count).toBe(10);
  });

  // Capacity bounds the plan; a source without wake-ups (as a kernel pads its bits) never takes part; no wake-ups, no plan.
  it('plans at most capacity wake-ups and ignores sources without any', () => {
    const none: WakeSource = { at: () => undefined, limit: 0 };
    const plan = planWakes([periodic(10, 10), none, periodic(15, 15, Infinity, 1)], lasting(1), 1_000, undefined, 3);
    expect(wakes(plan)).toEqual([[10, 1], [15, 4], [20, 1]]);
    expect(plan.perSource).toEqual([2, 0, 1]);
    expect(planWakes([none], lasting(1), 1_000, undefined, 3).count).toBe(0);
    expect(planWakes(two(), lasting(1), 1_000, undefined, 0).count).toBe(0);
  });

  // A kernel plans at every wait: buffers at least `capacity` long are written in place, shorter ones replaced.
  it('reuses buffers large enough and allocates others', () => {
    const buffers = { instants: new Float64Array(8), kinds: new Uint32Array(8) };
    const plan = planWakes(two(), lasting(1), 1_000, undefined, 8, buffers);
    expect(plan.instants).toBe(buffers.instants);
    expect(plan.kinds).toBe(buffers.kinds);
    expect(Array.from(buffers.instants)).toEqual([10, 15, 20, 30, 40, 45, 50, 60]);
    const bigger = planWakes(two(), lasting(1), 1_000, undefined, 9, buffers);
    expect(bigger.instants).not.toBe(buffers.instants);
    expect(bigger.kinds).not.toBe(buffers.kinds);
    expect([bigger.instants.length, bigger.kinds.length, bigger.count]).toEqual([9, 9, 9]);
  });

  // The rules against a straightforward reference: list every wake-up (all instants, sorted,
  // equal ones grouped) and walk them, on random sources, limits, episodes, horizons and capacities.
  it('matches a reference that lists every wake-up and walks them, on random sources', () => {
    const prng = new Prng(653);
    let planned = 0;
    for (let round = 0; round < 2_000; round++) {
      const lists = Array.from({ length: prng.int(1, 4) }, () => {
        // Strictly increasing instants: a periodic run, or irregular gaps.
        const list: number[] = [];
        let at = prng.int(0, 30);
        const period = prng.int(1, 20);
        const regular = prng.chance(0.6);
        for (let k = prng.int(0, 25); k > 0; k--) {
          list.push(at);
          at += regular ? period : prng.int(1, 20);
        }
        return list;
      });
      const sources: WakeSource[] = lists.map((list) => ({ at: (k) => list[k - 1], limit: prng.chance(0.5) ? Infinity : prng.int(0, 20) }));
      const durations = new Map<number, number | undefined>();
      const episodeEnd = (kind: number, start: number) => {
        if (!durations.has(kind)) durations.set(kind, prng.chance(0.1) ? undefined : prng.int(0, prng.chance(0.9) ? 3 : 25));
        const duration = durations.get(kind);
        return duration === undefined ? undefined : start + duration;
      };
      const horizon = prng.int(0, 600);
      const other = prng.chance(0.5) ? undefined : prng.int(0, 600);
      const capacity = prng.int(0, 40);
      // Fix every kind's duration first (the reference may ask for kinds the plan never reaches).
      for (let kind = 1; kind < 1 << lists.length; kind++) episodeEnd(kind, 0);
      const plan = planWakes(sources, episodeEnd, horizon, other, capacity);
      const expected = reference(lists, sources, episodeEnd, horizon, other, capacity);
      expect({ round, wakes: wakes(plan), perSource: plan.perSource }).toEqual({ round, ...expected });
      planned += plan.count;
    }
    expect(planned).toBeGreaterThan(2_000 * 3); // the plans are not all trivially empty
  });
});

/** planWakes by the book: every wake-up listed in time order first, then the rules applied one by one. */
function reference(
  lists: number[][],
  sources: readonly WakeSource[],
  episodeEnd: (kind: number, start: number) => number | undefined,
  horizon: number,
  other: number | undefined,
  capacity: number,
) {
  const instants = [...new Set(lists.flat())].sort((a, b) => a - b);
  const all = instants.map((at) => ({ at, kind: lists.reduce((kind, list, index) => (list.includes(at) ? kind | (1 << index) : kind), 0) }));
  const planned: Array<[number, number]> = [];
  const perSource = lists.map(() => 0);
  for (let index = 0; index < all.length && planned.length < capacity; index++) {
    const { at, kind } = all[index]!;
    const members = lists.map((_, source) => source).filter((source) => kind & (1 << source));
    if (members.some((source) => perSource[source]! >= sources[source]!.limit)) break;
    const end = episodeEnd(kind, at);
    if (end === undefined || end > horizon || (other !== undefined && end >= other)) break;
    if (index + 1 < all.length && end >= all[index + 1]!.at) break;
    planned.push([at, kind]);
    for (const source of members) perSource[source]!++;
  }
  return { wakes: planned, perSource };
}
