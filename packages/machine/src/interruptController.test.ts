import { describe, expect, it } from 'vitest';
import { EventQueue } from './eventQueue.js';
import { InterruptController } from './interruptController.js';
import { LatchTimes } from './interrupts.js';

describe('InterruptController', () => {
  it('acknowledges the highest-priority pending unmasked line, lower number on ties', () => {
    const pic = new InterruptController(8);
    pic.configure(2, { priority: 5 });
    pic.configure(6, { priority: 9 });
    pic.configure(4, { priority: 5 });
    pic.raise(4);
    pic.raise(2);
    pic.raise(6);
    expect(pic.requestLevel()).toBe(9);
    expect(pic.acknowledge()).toBe(6);
    expect(pic.acknowledge()).toBe(2);
    expect(pic.acknowledge()).toBe(4);
    expect(pic.acknowledge()).toBe(-1);
    expect(pic.requestLevel()).toBe(0);
  });

  it('holds masked requests pending until unmasked', () => {
    const pic = new InterruptController(4);
    pic.setMasked(1, true);
    pic.raise(1);
    expect(pic.isPending(1)).toBe(true);
    expect(pic.requestLevel()).toBe(0);
    pic.setMasked(1, false);
    expect(pic.requestLevel()).toBe(1);
    expect(pic.acknowledge()).toBe(1);
  });

  it('counts a raise on an already pending edge line as coalesced, never dropping it silently', () => {
    const pic = new InterruptController(4);
    pic.raise(3);
    pic.raise(3);
    pic.raise(3);
    expect(pic.raised[3]).toBe(3);
    expect(pic.coalesced[3]).toBe(2);
    expect(pic.acknowledge()).toBe(3);
    expect(pic.acknowledged[3]).toBe(1);
    expect(pic.raised[3]).toBe(pic.acknowledged[3]! + pic.coalesced[3]!);
  });

  it('keeps a level-triggered line pending while it is asserted', () => {
    const pic = new InterruptController(4);
    pic.configure(0, { trigger: 'level' });
    pic.raise(0);
    expect(pic.acknowledge()).toBe(0);
    expect(pic.isPending(0)).toBe(true);
    pic.lower(0);
    expect(pic.isPending(0)).toBe(false);
    // Lowering an edge line changes nothing.
    pic.raise(1);
    pic.lower(1);
    expect(pic.isPending(1)).toBe(true);
  });

  it('tells its listener whenever the request may have changed', () => {
    const pic = new InterruptController(4);
    let calls = 0;
    pic.connect(() => calls++);
    pic.raise(0);
    pic.setMasked(0, true);
    pic.clear(0);
    expect(calls).toBe(3);
  });

  it('gives devices a line handle and refuses lines it does not have', () => {
    const pic = new InterruptController(4);
    const line = pic.line(2);
    line.raise();
    expect(pic.isPending(2)).toBe(true);
    expect(() => pic.line(4)).toThrow(/no interrupt line 4/);
    expect(() => pic.configure(0, { priority: 0 })).toThrow(/priority/);
  });

  it('snapshots and restores its state', () => {
    const pic = new InterruptController(8);
    pic.configure(5, { priority: 7, masked: true });
    pic.raise(5);
    pic.raise(1);
    const state = pic.getState();
    const copy = new InterruptController(8);
    copy.setState(state);
    expect(copy.getState()).toEqual(state);
    expect(copy.acknowledge()).toBe(1);
  });
});

describe('LatchTimes', () => {
  it('times the raise that latched a request, readable inside raise() by a processor taking it at once; an absorbed raise keeps the earlier time', () => {
    const queue = new EventQueue();
    // A real controller's lines work too (its own coalesced counts).
    const controller = new InterruptController(4);
    const latches = new LatchTimes(queue, controller.coalesced);
    const wrapped = latches.wrap(controller.line(0));
    // A controller double: line 1 counts raises absorbed into a latched request.
    const coalesced = [0, 0, 0, 0];
    let latched = false;
    const seen: Array<number | undefined> = [];
    const times = new LatchTimes(queue, coalesced);
    const line = times.wrap({
      number: 1,
      raise: () => {
        if (latched) coalesced[1]!++;
        else {
          latched = true;
          seen.push(times.latchedAt(1)); // the processor takes it inside the raise
        }
      },
      lower: () => {},
    });
    expect(times.latchedAt(1)).toBeUndefined();
    queue.at(100, () => line.raise());
    queue.at(250, () => line.raise()); // absorbed
    queue.runUntil(300);
    expect(seen).toEqual([100]);
    expect(times.latchedAt(1)).toBe(100);
    latched = false;
    queue.at(400, () => line.raise());
    queue.runUntil(500);
    expect(seen).toEqual([100, 400]);
    expect(latches.latchedAt(0)).toBeUndefined();
    queue.at(600, () => wrapped.raise());
    queue.at(700, () => wrapped.raise()); // the request is still latched: absorbed
    queue.runUntil(800);
    expect([latches.latchedAt(0), controller.coalesced[0]]).toEqual([600, 1]);
  });
});
