import { describe, expect, it } from 'vitest';
import { IRQMP_CLEAR, IRQMP_FORCE, IRQMP_LEVEL, IRQMP_MASK, IRQMP_MP_STATUS, IRQMP_PENDING, IRQMP_PROCESSOR_FORCE, Irqmp } from './irqmp.js';

function unmasked(...lines: number[]): Irqmp {
  const irqmp = new Irqmp();
  irqmp.write(IRQMP_MASK, lines.reduce((mask, line) => mask | (1 << line), 0));
  return irqmp;
}

describe('Irqmp', () => {
  it('comes out of reset with every line masked: a raise is latched but not requested', () => {
    const irqmp = new Irqmp();
    irqmp.line(5).raise();
    expect([irqmp.read(IRQMP_PENDING), irqmp.requestLevel()]).toEqual([1 << 5, 0]);
    irqmp.setMasked(5, false);
    expect([irqmp.read(IRQMP_MASK), irqmp.requestLevel(), irqmp.isMasked(5)]).toEqual([1 << 5, 5, false]);
  });

  it('requests the highest unmasked line, the level-1 group first; acknowledge clears the pending bit', () => {
    const irqmp = unmasked(3, 7, 12);
    for (const line of [3, 7, 12, 14]) irqmp.raise(line);
    expect(irqmp.requestLevel()).toBe(12);
    irqmp.write(IRQMP_LEVEL, 1 << 3);
    expect(irqmp.requestLevel()).toBe(3);
    expect([irqmp.acknowledge(), irqmp.acknowledge(), irqmp.acknowledge(), irqmp.acknowledge()]).toEqual([3, 12, 7, 0]);
    // Line 14 stays pending behind its mask.
    expect(irqmp.read(IRQMP_PENDING)).toBe(1 << 14);
    expect(irqmp.acknowledged.slice(0, 16)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('forced interrupts are requested too, and the acknowledge clears the force bit rather than the pending bit', () => {
    const irqmp = unmasked(6);
    irqmp.raise(6);
    irqmp.write(IRQMP_FORCE, 1 << 6);
    expect(irqmp.acknowledge()).toBe(6);
    expect([irqmp.read(IRQMP_FORCE), irqmp.read(IRQMP_PENDING)]).toEqual([0, 1 << 6]);
    expect(irqmp.acknowledge()).toBe(6);
    expect(irqmp.read(IRQMP_PENDING)).toBe(0);
    // Processor 0 force register: IF sets, IFC (bits 31:17) clears.
    irqmp.write(IRQMP_PROCESSOR_FORCE, (1 << 6) | (1 << 9));
    irqmp.write(IRQMP_PROCESSOR_FORCE, 1 << (16 + 9));
    expect(irqmp.read(IRQMP_PROCESSOR_FORCE)).toBe(1 << 6);
  });

  it('the clear register drops pending requests; bit 0 and reserved registers read 0', () => {
    const irqmp = unmasked(2, 4);
    irqmp.write(IRQMP_PENDING, 0xffff_ffff);
    expect(irqmp.read(IRQMP_PENDING)).toBe(0xfffe);
    irqmp.write(IRQMP_CLEAR, (1 << 4) | 1);
    expect(irqmp.read(IRQMP_PENDING)).toBe(0xfffe & ~(1 << 4));
    expect([irqmp.read(IRQMP_CLEAR), irqmp.read(IRQMP_MP_STATUS), irqmp.read(0x44)]).toEqual([0, 0, 0]);
  });

  it('counts every raise: a raise on a pending line is coalesced, never lost silently', () => {
    const irqmp = unmasked(4);
    const changes: number[] = [];
    irqmp.connect(() => changes.push(irqmp.requestLevel()));
    irqmp.raise(4);
    irqmp.raise(4);
    irqmp.raise(4);
    irqmp.acknowledge();
    irqmp.raise(4);
    expect([irqmp.raised[4], irqmp.coalesced[4], irqmp.acknowledged[4]]).toEqual([4, 2, 1]);
    expect(changes).toEqual([4, 0, 4]);
  });

  it('has lines 1..15 only, and restores a snapshot', () => {
    const irqmp = unmasked(1, 15);
    expect(() => irqmp.line(0)).toThrow(RangeError);
    expect(() => irqmp.line(16)).toThrow(RangeError);
    irqmp.raise(15);
    irqmp.setPriorityGroup(1, 1);
    const state = irqmp.getState();
    const copy = new Irqmp();
    copy.setState(state);
    expect(copy.getState()).toEqual(state);
    expect(copy.requestLevel()).toBe(15);
  });
});
