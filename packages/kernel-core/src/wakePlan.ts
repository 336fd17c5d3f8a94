/**
 * The wake-ups a kernel's fast-forward may account for at once (PartitionKernel's timer
 * upcalls between device interrupts): the merge, in time order, of the instants of several
 * repeating sources - the kernel tick's and the devices' - where the sources that wake the
 * processor at the same instant make one wake-up, whose kind is the set of them (a bit
 * mask: bit i for source i). It stops before the first wake-up that cannot be repeated as
 * it was seen: a kind without a known episode, a source past its limit, an episode that
 * would not be over before the next wake-up, the run's horizon or another event. Pure:
 * tested on its own (wakePlan.test.ts).
 */
import type { Nanoseconds } from '@paravirt/machine';

/** One repeating source of wake-ups. */
export interface WakeSource {
  /** Instant of its k-th next wake-up (k = 1: the next one), or undefined if none. */
  readonly at: (k: number) => Nanoseconds | undefined;
  /** How many of its wake-ups may be accounted for (the next one ends the plan). */
  readonly limit: number;
}

export interface WakePlan {
  /** Wake-ups planned. */
  readonly count: number;
  /** Their instants and kinds (the first `count` entries). */
  readonly instants: Float64Array;
  readonly kinds: Uint32Array;
  /** Per source, how many of its wake-ups are in the plan. */
  readonly perSource: readonly number[];
}

/**
 * Plans at most `capacity` wake-ups from `sources` (at most 31). `episodeEnd(kind, start)`
 * is when the episode of `kind` that starts at `start` is over, or undefined for a kind
 * whose episode is not known (the plan stops there). Every planned episode ends by
 * `horizon`, before `other` (the next event that is no source's) and before the next
 * wake-up. Buffers are reused when large enough.
 */
export function planWakes(
  sources: readonly WakeSource[],
  episodeEnd: (kind: number, start: Nanoseconds) => Nanoseconds | undefined,
  horizon: Nanoseconds,
  other: Nanoseconds | undefined,
  capacity: number,
  buffers?: { readonly instants: Float64Array; readonly kinds: Uint32Array },
): WakePlan {
  const instants = buffers !== undefined && buffers.instants.length >= capacity ? buffers.instants : new Float64Array(capacity);
  const kinds = buffers !== undefined && buffers.kinds.length >= capacity ? buffers.kinds : new Uint32Array(capacity);
  const taken = sources.map(() => 0);
  const next = sources.map((source) => source.at(1) ?? Infinity);
  let count = 0;
  while (count < capacity) {
    let first = Infinity;
    for (const at of next) if (at < first) first = at;
    if (first === Infinity) break;
    // The sources that wake the processor then, each within its limit.
    let kind = 0;
    let within = true;
    for (let index = 0; index < next.length; index++) {
      if (next[index] !== first) continue;
      kind |= 1 << index;
      if (taken[index]! >= sources[index]!.limit) within = false;
    }
    if (!within) break;
    const end = episodeEnd(kind, first);
    if (end === undefined || end > horizon || (other !== undefined && end >= other)) break;
    // The wake-up after this one, from any source (these ones' following included).
    let after = Infinity;
    for (let index = 0; index < next.length; index++) {
      const following = (kind >>> index) & 1 ? (sources[index]!.at(taken[index]! + 2) ?? Infinity) : next[index]!;
      if (following < after) after = following;
    }
    if (end >= after) break;
    instants[count] = first;
    kinds[count] = kind;
    count++;
    for (let index = 0; index < next.length; index++) {
      if (!((kind >>> index) & 1)) continue;
      taken[index]!++;
      next[index] = sources[index]!.at(taken[index]! + 1) ?? Infinity;
    }
  }
  return { count, instants, kinds, perSource: taken };
}
