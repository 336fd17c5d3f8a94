import { describe, expect, it } from 'vitest';
import { InterruptController } from './interruptController.js';

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
