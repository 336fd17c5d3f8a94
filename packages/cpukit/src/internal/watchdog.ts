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

  constructor(readonly routine: () => void) {}

  get armed(): boolean {
    return this.set !== undefined;
  }

  cancel(): void {
    this.set?.remove(this);
  }
}

export class WatchdogSet {
  /** Armed watchdogs sorted by (expire, sequence). */
  private readonly list: Watchdog[] = [];
  private nextSequence = 0;

  get size(): number {
    return this.list.length;
  }

  /** Arms `watchdog` to fire when the counter reaches `expire` (re-arms it if armed). */
  insert(watchdog: Watchdog, expire: number): void {
    watchdog.cancel();
    watchdog.expire = expire;
    watchdog.sequence = this.nextSequence++;
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.list[middle]!.expire <= expire) low = middle + 1;
      else high = middle;
    }
    this.list.splice(low, 0, watchdog);
    watchdog.set = this;
  }

  remove(watchdog: Watchdog): void {
    if (watchdog.set !== this) return;
    const index = this.list.indexOf(watchdog);
    if (index >= 0) this.list.splice(index, 1);
    watchdog.set = undefined;
  }

  /** Fires, in order, every watchdog whose expiry is at or before `now`. */
  fire(now: number): void {
    for (;;) {
      const first = this.list[0];
      if (first === undefined || first.expire > now) return;
      this.list.shift();
      first.set = undefined;
      first.routine();
    }
  }
}
