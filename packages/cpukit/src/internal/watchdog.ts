/**
 * Watchdogs: routines that run when a counter reaches an expiry value. One set counts
 * clock ticks since boot (timeouts, wake after, interval timers, rate-monotonic
 * periods); another counts seconds of the time of day (wake when, timers that fire
 * when). Watchdogs with the same expiry fire in the order they were armed, as in
 * RTEMS's watchdog chains and trees (a later insertion goes after equal ones).
 */
export class Watchdog {
  expire = 0;
  sequence = 0;
  set: WatchdogSet | undefined;
  /** Position in the set's heap while armed. */
  index = -1;

  constructor(readonly routine: () => void) {}

  get armed(): boolean {
    return this.set !== undefined;
  }

  cancel(): void {
    this.set?.remove(this);
  }
}

/** a fires before b: earlier expiry, then earlier arming. */
function before(a: Watchdog, b: Watchdog): boolean {
  return a.expire < b.expire || (a.expire === b.expire && a.sequence < b.sequence);
}

/**
 * Armed watchdogs in a binary min-heap ordered by (expire, sequence): arming, cancelling
 * and firing each cost O(log n), so a guest with 65535 timers armed and re-armed at every
 * tick costs the host work in proportion to n log n, not n^2 (RTEMS 5 keeps them in a
 * red-black tree for the same reason).
 */
export class WatchdogSet {
  private readonly heap: Watchdog[] = [];
  private nextSequence = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The earliest expiry armed, if any: the counter value at which fire() next has work. */
  get nextExpire(): number | undefined {
    return this.heap[0]?.expire;
  }

  /** Arms `watchdog` to fire when the counter reaches `expire` (re-arms it if armed). */
  insert(watchdog: Watchdog, expire: number): void {
    watchdog.cancel();
    watchdog.expire = expire;
    watchdog.sequence = this.nextSequence++;
    watchdog.set = this;
    this.heap.push(watchdog);
    this.up(this.heap.length - 1);
  }

  remove(watchdog: Watchdog): void {
    if (watchdog.set !== this) return;
    const heap = this.heap;
    const index = watchdog.index;
    const last = heap.pop()!;
    if (last !== watchdog) {
      heap[index] = last;
      last.index = index;
      this.up(index);
      this.down(last.index);
    }
    watchdog.set = undefined;
    watchdog.index = -1;
  }

  /** Fires, in order, every watchdog whose expiry is at or before `now`. */
  fire(now: number): void {
    for (;;) {
      const first = this.heap[0];
      if (first === undefined || first.expire > now) return;
      this.remove(first);
      first.routine();
    }
  }

  private up(start: number): void {
    const heap = this.heap;
    const item = heap[start]!;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(item, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = item;
    item.index = index;
  }

  private down(start: number): void {
    const heap = this.heap;
    const item = heap[start]!;
    const length = heap.length;
    let index = start;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      if (child + 1 < length && before(heap[child + 1]!, heap[child]!)) child++;
      if (!before(heap[child]!, item)) break;
      heap[index] = heap[child]!;
      heap[index]!.index = index;
      index = child;
    }
    heap[index] = item;
    item.index = index;
  }
}
