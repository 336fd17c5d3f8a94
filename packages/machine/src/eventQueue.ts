/**
 * The deterministic discrete-event queue that drives a simulation. Time jumps from
 * event to event (docs/architecture.md section 3: event-driven, never cycle-stepped).
 *
 * Ordering: by time, then by insertion order (a sequence number taken when the event
 * is scheduled or rescheduled), so equal-time events run in the order they were queued
 * and a run is reproducible bit for bit.
 *
 * The queue is an implicit binary min-heap of event objects; each event knows its heap
 * index, so cancellation and rescheduling are O(log n) without tombstones, and periodic
 * events are re-queued in place without allocating.
 */
import type { Nanoseconds } from './time.js';
import { isValidTime, MAX_TIME_NS } from './time.js';

export type EventCallback = (event: ScheduledEvent) => void;

export class ScheduledEvent {
  /** Position in the heap, or -1 when not queued. */
  index = -1;
  constructor(
    /** When the event fires next. */
    public time: Nanoseconds,
    /** Tie-breaker: insertion order. */
    public seq: number,
    /** 0 for one-shot; otherwise the event is re-queued `period` ns after each firing. */
    public period: Nanoseconds,
    public callback: EventCallback,
    /** What the event is for, for debugging and traces. */
    public label: string,
  ) {}

  get pending(): boolean {
    return this.index >= 0;
  }
}

export class EventQueue {
  private heap: ScheduledEvent[] = [];
  private length = 0;
  private nextSeq = 0;
  private stopRequested = false;
  private currentTime: Nanoseconds = 0;
  /** Number of events fired since the queue was created (fast-forwarded ones included: see creditEvents). */
  eventsRun = 0;
  /** The limit of the runUntil() in progress (events after it do not run in this call), or undefined between runs. */
  private runLimit: Nanoseconds | undefined;

  /** Current virtual time. */
  get now(): Nanoseconds {
    return this.currentTime;
  }

  get size(): number {
    return this.length;
  }

  /** Schedules `callback` at absolute time `time` (>= now). */
  at(time: Nanoseconds, callback: EventCallback, label = ''): ScheduledEvent {
    this.checkTime(time);
    const event = new ScheduledEvent(time, this.nextSeq++, 0, callback, label);
    this.push(event);
    return event;
  }

  /** Schedules `callback` `delay` ns from now. */
  after(delay: Nanoseconds, callback: EventCallback, label = ''): ScheduledEvent {
    return this.at(this.currentTime + delay, callback, label);
  }

  /**
   * Schedules `callback` every `period` ns, first at `firstAt` (default: now + period).
   * Firings are at firstAt + k * period exactly.
   */
  every(period: Nanoseconds, callback: EventCallback, firstAt?: Nanoseconds, label = ''): ScheduledEvent {
    if (!Number.isSafeInteger(period) || period <= 0) {
      throw new RangeError(`period must be a positive whole number of ns, got ${period}`);
    }
    const first = firstAt ?? this.currentTime + period;
    this.checkTime(first);
    const event = new ScheduledEvent(first, this.nextSeq++, period, callback, label);
    this.push(event);
    return event;
  }

  /** Removes a pending event. Returns false if it was not pending. */
  cancel(event: ScheduledEvent): boolean {
    const index = event.index;
    if (index < 0 || this.heap[index] !== event) return false;
    this.removeAt(index);
    return true;
  }

  /**
   * Moves an event (pending or not) to a new time, as if newly inserted: it takes a new
   * sequence number. A fired one-shot event object can be reused this way.
   */
  reschedule(event: ScheduledEvent, time: Nanoseconds): void {
    this.checkTime(time);
    if (event.index >= 0 && this.heap[event.index] === event) this.removeAt(event.index);
    event.time = time;
    event.seq = this.nextSeq++;
    this.push(event);
  }

  /** Time of the next event, or undefined when the queue is empty. */
  peekTime(): Nanoseconds | undefined {
    return this.length > 0 ? this.heap[0]!.time : undefined;
  }

  /**
   * Time of the next event other than `except`, or undefined when there is none. O(1): the
   * heap's minimum, or, when that is `except`, the smaller of its two children.
   */
  peekTimeExcept(except: ScheduledEvent): Nanoseconds | undefined {
    if (this.length === 0) return undefined;
    const top = this.heap[0]!;
    if (top !== except) return top.time;
    const left = this.length > 1 ? this.heap[1]!.time : undefined;
    const right = this.length > 2 ? this.heap[2]!.time : undefined;
    if (left === undefined) return right;
    return right === undefined || left <= right ? left : right;
  }

  /**
   * Time of the next event that is none of `except`, or undefined when there is none. Walks
   * the heap only below excepted events (an excepted event's children can be the minimum):
   * O(excepted) for a handful of them.
   */
  peekTimeExceptAll(except: readonly ScheduledEvent[]): Nanoseconds | undefined {
    const heap = this.heap;
    const length = this.length;
    let best: Nanoseconds | undefined;
    const visit = (index: number): void => {
      if (index >= length) return;
      const event = heap[index]!;
      if (best !== undefined && event.time >= best) return;
      if (!except.includes(event)) {
        best = event.time;
        return;
      }
      visit(2 * index + 1);
      visit(2 * index + 2);
    };
    visit(0);
    return best;
  }

  /**
   * The limit of the runUntil() (or runBefore()) in progress: an event after it does not run
   * in this call. Undefined outside a run. A fast-forward never goes past it, so a run in
   * slices stops at every slice's end exactly as without one.
   */
  get horizon(): Nanoseconds | undefined {
    return this.runLimit;
  }

  /**
   * Counts `count` events as fired without running them: a fast-forward that accounted for
   * them analytically (a kernel's idle ticks, PartitionKernel) keeps eventsRun - and so the
   * summary's `events` - what it would have been had each been simulated.
   */
  creditEvents(count: number): void {
    this.eventsRun += count;
  }

  /** Makes the running runUntil() return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Fires every event due at or before `limit`, in order, then sets the clock to `limit`
   * (unless stopped early, in which case the clock stays at the last event's time).
   * Returns the number of events fired.
   */
  runUntil(limit: Nanoseconds): number {
    this.checkTime(limit);
    this.stopRequested = false;
    const heap = this.heap;
    const before = this.eventsRun;
    this.runLimit = limit;
    while (this.length > 0) {
      const event = heap[0]!;
      if (event.time > limit) break;
      // Pop the minimum (inline for speed: this loop is the simulator's hot path).
      const last = heap[--this.length]!;
      heap[this.length] = undefined as unknown as ScheduledEvent;
      if (this.length > 0) this.siftDown(0, last);
      event.index = -1;
      this.currentTime = event.time;
      if (event.period > 0) {
        event.time += event.period;
        event.seq = this.nextSeq++;
        this.push(event);
      }
      // Counted as it fires, so a fast-forward inside the run sees every event so far.
      this.eventsRun++;
      event.callback(event);
      if (this.stopRequested) {
        this.runLimit = undefined;
        return this.eventsRun - before;
      }
    }
    this.currentTime = limit;
    this.runLimit = undefined;
    return this.eventsRun - before;
  }

  /**
   * From inside a run, fires a one-shot event at `time` in place: moves the clock there and
   * counts one event, without queueing anything. Only when that is exactly what queueing it
   * would do - no queued event is due at or before `time` (an event at the same instant,
   * queued earlier, would run first), `time` is within the run's limit, and no stop was
   * asked. Returns false, changing nothing, otherwise: the caller queues the event. The
   * processor uses it for the end of a busy period or a step (ProcessorCore.loop), most of
   * the events of a busy module.
   */
  advanceInPlace(time: Nanoseconds): boolean {
    const limit = this.runLimit;
    if (limit === undefined || time > limit || this.stopRequested) return false;
    if (this.length > 0 && this.heap[0]!.time <= time) return false;
    this.checkTime(time);
    this.currentTime = time;
    this.eventsRun++;
    return true;
  }

  /**
   * Fires every event due strictly before `limit`, then sets the clock to `limit`: the
   * half-open interval [now, limit). A run of duration d covers [0, d), so an event at
   * exactly d (a window opening, a tick) belongs to the next run, whatever the timer's
   * granularity puts just before or just after it. Returns the number of events fired.
   */
  runBefore(limit: Nanoseconds): number {
    this.checkTime(limit);
    if (limit <= this.currentTime) return 0;
    const fired = this.runUntil(limit - 1);
    if (!this.stopRequested) this.currentTime = limit;
    return fired;
  }

  /** Fires exactly the next event, if any; returns false when the queue is empty. */
  step(): boolean {
    if (this.length === 0) return false;
    const event = this.heap[0]!;
    this.removeAt(0);
    this.currentTime = event.time;
    if (event.period > 0) {
      event.time += event.period;
      event.seq = this.nextSeq++;
      this.push(event);
    }
    this.eventsRun++;
    event.callback(event);
    return true;
  }

  private checkTime(time: Nanoseconds): void {
    // Hot path (every schedule): plain comparisons. Number.isSafeInteger here measured 2.5x
    // slower on the whole simulator (node --cpu-prof on the 1-hour demo).
    if (time >= this.currentTime && time <= MAX_TIME_NS && Math.floor(time) === time) return;
    if (!isValidTime(time)) throw new RangeError(`event time must be a whole, non-negative number of ns, got ${time}`);
    if (time < this.currentTime) throw new RangeError(`cannot schedule at ${time} ns: the clock is already at ${this.currentTime} ns`);
  }

  private push(event: ScheduledEvent): void {
    this.siftUp(this.length++, event);
  }

  /** Places `event` at `index` or above, moving larger parents down (a hole, not swaps). */
  private siftUp(start: number, event: ScheduledEvent): void {
    const heap = this.heap;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.time < event.time || (parent.time === event.time && parent.seq < event.seq)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = event;
    event.index = index;
  }

  private siftDown(start: number, event: ScheduledEvent): void {
    const heap = this.heap;
    const length = this.length;
    let index = start;
    const half = length >> 1;
    while (index < half) {
      let childIndex = 2 * index + 1;
      let child = heap[childIndex]!;
      const rightIndex = childIndex + 1;
      if (rightIndex < length) {
        const right = heap[rightIndex]!;
        if (right.time < child.time || (right.time === child.time && right.seq < child.seq)) {
          childIndex = rightIndex;
          child = right;
        }
      }
      if (event.time < child.time || (event.time === child.time && event.seq < child.seq)) break;
      heap[index] = child;
      child.index = index;
      index = childIndex;
    }
    heap[index] = event;
    event.index = index;
  }

  private removeAt(index: number): void {
    const heap = this.heap;
    const removed = heap[index]!;
    removed.index = -1;
    const last = heap[--this.length]!;
    heap[this.length] = undefined as unknown as ScheduledEvent;
    if (index === this.length) return;
    // The moved element may need to go either way.
    const parentIndex = (index - 1) >> 1;
    const parent = index > 0 ? heap[parentIndex]! : undefined;
    if (parent && (last.time < parent.time || (last.time === parent.time && last.seq < parent.seq))) {
      this.siftUp(index, last);
    } else {
      this.siftDown(index, last);
    }
  }
}
