import { describe, expect, it } from 'vitest';
import { EventQueue, type ScheduledEvent } from './eventQueue.js';
import { Prng } from './prng.js';

describe('EventQueue', () => {
  it('fires by time, then by insertion order', () => {
    const queue = new EventQueue();
    const order: string[] = [];
    queue.at(20, () => order.push('b1'));
    queue.at(10, () => order.push('a'));
    queue.at(20, () => order.push('b2'));
    queue.at(20, () => order.push('b3'));
    queue.at(5, () => order.push('first'));
    queue.runUntil(100);
    expect(order).toEqual(['first', 'a', 'b1', 'b2', 'b3']);
    expect(queue.now).toBe(100);
  });

  it('runs events scheduled during the run when they are due, after equal-time ones already queued', () => {
    const queue = new EventQueue();
    const order: string[] = [];
    queue.at(10, () => {
      order.push('a');
      queue.at(10, () => order.push('a-child'));
      queue.after(5, () => order.push('a+5'));
    });
    queue.at(10, () => order.push('b'));
    queue.runUntil(15);
    expect(order).toEqual(['a', 'b', 'a-child', 'a+5']);
  });

  it('advances the clock to each event and to the limit', () => {
    const queue = new EventQueue();
    const seen: number[] = [];
    queue.at(7, () => seen.push(queue.now));
    queue.at(30, () => seen.push(queue.now));
    expect(queue.runUntil(10)).toBe(1);
    expect(queue.now).toBe(10);
    expect(queue.runUntil(30)).toBe(1);
    expect(seen).toEqual([7, 30]);
  });

  it('runBefore covers the half-open interval: an event at the limit waits for the next run', () => {
    const queue = new EventQueue();
    const fired: number[] = [];
    queue.every(10, () => fired.push(queue.now), 10);
    expect(queue.runBefore(30)).toBe(2);
    expect([fired, queue.now]).toEqual([[10, 20], 30]);
    expect(queue.runBefore(30)).toBe(0);
    expect(queue.runBefore(31)).toBe(1);
    expect([fired, queue.now]).toEqual([[10, 20, 30], 31]);
  });

  it('fires periodic events at start + k * period exactly, and cancels them', () => {
    const queue = new EventQueue();
    const times: number[] = [];
    const event = queue.every(3, () => times.push(queue.now), 1);
    queue.runUntil(10);
    expect(times).toEqual([1, 4, 7, 10]);
    expect(queue.cancel(event)).toBe(true);
    queue.runUntil(100);
    expect(times).toHaveLength(4);
    expect(queue.cancel(event)).toBe(false);
  });

  it('lets a periodic event cancel itself from its own callback', () => {
    const queue = new EventQueue();
    let count = 0;
    queue.every(10, (event) => {
      if (++count === 3) queue.cancel(event);
    });
    queue.runUntil(1000);
    expect(count).toBe(3);
    expect(queue.size).toBe(0);
  });

  it('cancels and reschedules pending events', () => {
    const queue = new EventQueue();
    const order: string[] = [];
    const a = queue.at(10, () => order.push('a'));
    const b = queue.at(20, () => order.push('b'));
    queue.at(30, () => order.push('c'));
    queue.cancel(a);
    queue.reschedule(b, 40);
    queue.runUntil(50);
    expect(order).toEqual(['c', 'b']);
    // A fired one-shot can be reused.
    queue.reschedule(a, 60);
    queue.runUntil(60);
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('stops after the current event when asked', () => {
    const queue = new EventQueue();
    const order: number[] = [];
    queue.at(1, () => order.push(1));
    queue.at(2, () => {
      order.push(2);
      queue.stop();
    });
    queue.at(3, () => order.push(3));
    queue.runUntil(10);
    expect(order).toEqual([1, 2]);
    expect(queue.now).toBe(2);
    queue.runUntil(10);
    expect(order).toEqual([1, 2, 3]);
  });

  it('fires an event in place only inside a run, before every queued event, within the limit and without a stop', () => {
    const queue = new EventQueue();
    expect(queue.advanceInPlace(5)).toBe(false); // no run in progress
    const seen: string[] = [];
    queue.at(10, () => {
      seen.push(`${queue.advanceInPlace(20)}@${queue.now}`); // the event at 30 is later: in place
      seen.push(`${queue.advanceInPlace(30)}@${queue.now}`); // an event queued at 30 runs first
      seen.push(`${queue.advanceInPlace(41)}@${queue.now}`); // past the run's limit
    });
    queue.at(30, () => {
      queue.stop();
      seen.push(`${queue.advanceInPlace(35)}@${queue.now}`); // a stop was asked
    });
    expect(queue.runUntil(40)).toBe(3); // two events and one in place
    expect(seen).toEqual(['true@20', 'false@20', 'false@20', 'false@30']);
    expect(queue.eventsRun).toBe(3);
    let thrown: unknown;
    queue.at(45, () => {
      try {
        queue.advanceInPlace(45.5);
      } catch (error) {
        thrown = error;
      }
    });
    queue.runUntil(60);
    expect(thrown).toBeInstanceOf(RangeError); // a time that is not a whole ns is a bug, not a no
    expect(queue.now).toBe(60);
  });

  it('steps one event at a time', () => {
    const queue = new EventQueue();
    const order: number[] = [];
    queue.at(5, () => order.push(1));
    queue.at(5, () => order.push(2));
    expect(queue.step()).toBe(true);
    expect(order).toEqual([1]);
    expect(queue.step()).toBe(true);
    expect(queue.step()).toBe(false);
    expect(queue.now).toBe(5);
  });

  it('refuses times in the past or that are not whole nanoseconds', () => {
    const queue = new EventQueue();
    queue.runUntil(100);
    expect(() => queue.at(99, () => {})).toThrow(/already at 100/);
    expect(() => queue.at(100.5, () => {})).toThrow(RangeError);
    expect(() => queue.every(0, () => {})).toThrow(/positive/);
  });

  it('matches a sorted reference under a random mix of schedule, cancel and reschedule', () => {
    const prng = new Prng(42);
    const queue = new EventQueue();
    const fired: number[] = [];
    const live = new Map<number, { time: number; order: number }>();
    const handles = new Map<number, ReturnType<EventQueue['at']>>();
    let order = 0;
    for (let id = 0; id < 5000; id++) {
      const time = prng.int(0, 10_000);
      const handle = queue.at(time, () => fired.push(id));
      handles.set(id, handle);
      live.set(id, { time, order: order++ });
      if (prng.chance(0.3)) {
        const victim = prng.int(0, id);
        if (live.has(victim)) {
          queue.cancel(handles.get(victim)!);
          live.delete(victim);
        }
      }
      if (prng.chance(0.2)) {
        const moved = prng.int(0, id);
        if (live.has(moved)) {
          const newTime = prng.int(0, 10_000);
          queue.reschedule(handles.get(moved)!, newTime);
          live.set(moved, { time: newTime, order: order++ });
        }
      }
    }
    queue.runUntil(10_000);
    const expected = [...live.entries()].sort((x, y) => x[1].time - y[1].time || x[1].order - y[1].order).map(([id]) => id);
    expect(fired).toEqual(expected);
  });

  // eventsRun is counted as each event fires (a fast-forward inside a callback reads it):
  // the callback sees itself and every event before it, earlier runs and in-place ones included.
  it('counts each event in eventsRun before its callback runs, and runUntil still returns the events it fired', () => {
    const queue = new EventQueue();
    const seen: string[] = [];
    const see = (name: string) => () => seen.push(`${name}:${queue.eventsRun}`);
    queue.at(5, see('earlier'));
    expect(queue.runUntil(5)).toBe(1);
    queue.at(10, () => {
      see('a')();
      expect(queue.advanceInPlace(12)).toBe(true); // counted too
      see('a after in-place')();
    });
    queue.every(10, see('tick'), 20);
    queue.at(20, see('b'));
    queue.at(35, () => {
      see('stopper')();
      queue.stop();
    });
    queue.at(40, see('after stop'));
    expect(queue.runUntil(100)).toBe(6); // 10, 12 (in place), 20, 20, 30, 35: stopped there
    expect(seen).toEqual(['earlier:1', 'a:2', 'a after in-place:3', 'tick:4', 'b:5', 'tick:6', 'stopper:7']);
    expect(queue.eventsRun).toBe(7);
    expect(queue.runUntil(40)).toBe(2); // at 40: 'after stop' (queued first), then the tick
    expect(seen.slice(7)).toEqual(['after stop:8', 'tick:9']);
  });

  // peekTimeExceptAll walks the heap only below excepted events: checked against a scan of
  // every pending event on random heaps (duplicate times, cancels, reschedules), excepting
  // the root, events deep in the heap, whole subtrees' tops and events no longer queued.
  it('peekTimeExceptAll is the earliest pending event not excepted, as a scan of all of them finds', () => {
    const prng = new Prng(7);
    const scan = (events: readonly ScheduledEvent[], except: readonly ScheduledEvent[]) => {
      const times = events.filter((event) => event.pending && !except.includes(event)).map((event) => event.time);
      return times.length > 0 ? Math.min(...times) : undefined;
    };
    let deep = 0;
    for (let round = 0; round < 300; round++) {
      const queue = new EventQueue();
      const events = Array.from({ length: prng.int(0, 60) }, () => queue.at(prng.int(0, 200), () => {}));
      for (const event of events) {
        const roll = prng.int(0, 99);
        if (roll < 15) queue.cancel(event);
        else if (roll < 30) queue.reschedule(event, prng.int(0, 200));
      }
      const pending = events.filter((event) => event.pending);
      const root = pending.find((event) => event.index === 0);
      for (let trial = 0; trial < 10; trial++) {
        // The heap's first few levels often, and any event, pending or not, sometimes.
        const except = events.filter((event) => (event.pending && event.index < 7 ? prng.chance(0.5) : prng.chance(0.1)));
        if (root !== undefined && prng.chance(0.5) && !except.includes(root)) except.push(root);
        if (except.some((event) => event.index >= 7)) deep++;
        expect(queue.peekTimeExceptAll(except)).toBe(scan(events, except));
      }
      expect(queue.peekTimeExceptAll(pending)).toBeUndefined();
      expect(queue.peekTimeExceptAll([])).toBe(queue.peekTime());
    }
    expect(deep).toBeGreaterThan(1_000);
  });
});
