import { describe, expect, it } from 'vitest';
import { Watchdog, WatchdogSet } from './watchdog.js';

describe('WatchdogSet (a heap ordered by expiry, then arming order)', () => {
  it('fires in (expire, arming) order, skips cancelled ones, and re-arming moves a watchdog behind its equals', () => {
    const set = new WatchdogSet();
    const fired: string[] = [];
    const dogs = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [name, new Watchdog(() => fired.push(name))]));
    set.insert(dogs['a']!, 5);
    set.insert(dogs['b']!, 3);
    set.insert(dogs['c']!, 5);
    set.insert(dogs['d']!, 4);
    set.insert(dogs['e']!, 9);
    dogs['d']!.cancel();
    set.insert(dogs['a']!, 5); // re-armed: now after c
    expect([set.size, dogs['d']!.armed]).toEqual([4, false]);
    set.fire(5);
    expect(fired).toEqual(['b', 'c', 'a']);
    expect(set.size).toBe(1);
    set.fire(100);
    expect(fired).toEqual(['b', 'c', 'a', 'e']);
  });

  it('lets a routine arm another watchdog while the set fires, and stays fast with 65535 of them', () => {
    const set = new WatchdogSet();
    const order: number[] = [];
    const dogs = Array.from({ length: 65_535 }, (_, i) => new Watchdog(() => order.push(i)));
    const started = performance.now();
    for (let i = dogs.length - 1; i >= 0; i--) set.insert(dogs[i]!, 10 + (i % 7));
    for (let i = 0; i < dogs.length; i += 2) dogs[i]!.cancel();
    const late = new Watchdog(() => order.push(-1));
    dogs[1] = new Watchdog(() => set.insert(late, 20));
    set.insert(dogs[1], 10);
    set.fire(30);
    expect(performance.now() - started).toBeLessThan(2000);
    // The 32767 odd ones (the first still armed from before), then the one armed while firing.
    expect(order).toHaveLength(32_767 + 1);
    expect(order.at(-1)).toBe(-1);
    const expires = order.slice(0, -1).map((i) => 10 + (i % 7));
    expect(expires).toEqual([...expires].sort((x, y) => x - y));
  });
});
