import { describe, expect, it } from 'vitest';
import { IoBus } from './ioBus.js';
import { PIC_EOI, PIC_READ_IRR, PIC_READ_ISR, PIC_SPECIFIC_EOI, Pic8259Pair } from './pic8259.js';

/** A PIC pair on a bus, programmed by port writes the way a PC kernel does it. */
function setup(options: { icw1?: number; masterIcw4?: number; slaveIcw4?: number } = {}) {
  const bus = new IoBus();
  const pic = new Pic8259Pair();
  pic.attach(bus);
  let notifications = 0;
  pic.connect(() => notifications++);
  const icw1 = options.icw1 ?? 0x11;
  bus.write8(0x20, icw1);
  bus.write8(0xa0, icw1);
  bus.write8(0x21, 0x20);
  bus.write8(0xa1, 0x28);
  bus.write8(0x21, 0x04);
  bus.write8(0xa1, 0x02);
  bus.write8(0x21, options.masterIcw4 ?? 0x01);
  bus.write8(0xa1, options.slaveIcw4 ?? 0x01);
  bus.write8(0x21, 0x00);
  bus.write8(0xa1, 0x00);
  return { bus, pic, notifications: () => notifications };
}

/** Acknowledges while the pair requests; returns the vectors. */
function drain(pic: Pic8259Pair): number[] {
  const vectors: number[] = [];
  while (pic.requestLevel() > 0) vectors.push(pic.acknowledge());
  return vectors;
}

describe('8259A pair: reset state and initialisation', () => {
  it('starts as the PC BIOS leaves it: vectors 0x08 and 0x70, all lines but the cascade masked', () => {
    const bus = new IoBus();
    const pic = new Pic8259Pair();
    pic.attach(bus);
    expect([pic.vectorOf(0), pic.vectorOf(7), pic.vectorOf(8), pic.vectorOf(15)]).toEqual([0x08, 0x0f, 0x70, 0x77]);
    expect([bus.read8(0x21), bus.read8(0xa1)]).toEqual([0xfb, 0xff]);
    pic.raise(0);
    expect(pic.requestLevel()).toBe(0);
    expect(pic.isRequested(0)).toBe(true);
  });

  it('ICW1-ICW4 remap the vectors to whatever ICW2 says and clear IMR, IRR and ISR', () => {
    const { pic, bus } = setup();
    expect([pic.vectorOf(0), pic.vectorOf(7), pic.vectorOf(8), pic.vectorOf(15)]).toEqual([0x20, 0x27, 0x28, 0x2f]);
    expect([bus.read8(0x21), bus.read8(0xa1)]).toEqual([0, 0]);
    pic.raise(1);
    expect(pic.acknowledge()).toBe(0x21);
    bus.write8(0x20, 0x11); // re-initialise: the in-service bit goes
    bus.write8(0x21, 0x48); // ICW2: low three bits are ignored
    bus.write8(0x21, 0x04);
    bus.write8(0x21, 0x01);
    expect(pic.isInService(1)).toBe(false);
    expect(pic.vectorOf(3)).toBe(0x4b);
  });

  it('does not request while an initialisation sequence is incomplete', () => {
    const { pic, bus } = setup();
    bus.write8(0x20, 0x11);
    pic.raise(3);
    expect(pic.requestLevel()).toBe(0);
    bus.write8(0x21, 0x20);
    bus.write8(0x21, 0x04);
    expect(pic.requestLevel()).toBe(0);
    bus.write8(0x21, 0x01);
    expect(pic.acknowledge()).toBe(0x23);
  });
});

describe('8259A pair: masking, priority and EOI', () => {
  it('latches a masked request in IRR and delivers it when unmasked (OCW1)', () => {
    const { pic, bus } = setup();
    bus.write8(0x21, 0x10);
    pic.raise(4);
    expect(pic.requestLevel()).toBe(0);
    expect(pic.isMasked(4)).toBe(true);
    bus.write8(0x21, 0x00);
    expect(drain(pic)).toEqual([0x24]);
  });

  it('serves in fixed priority order and holds lower levels while a higher one is in service', () => {
    const { pic, bus } = setup();
    pic.raise(5);
    pic.raise(3);
    expect(pic.acknowledge()).toBe(0x23);
    expect(pic.requestLevel()).toBe(0); // 5 waits for 3's EOI
    pic.raise(1);
    expect(pic.acknowledge()).toBe(0x21); // 1 outranks 3: nested
    bus.write8(0x20, PIC_EOI); // non-specific: ends the highest in service, IRQ 1
    expect(pic.isInService(1)).toBe(false);
    expect(pic.isInService(3)).toBe(true);
    expect(pic.requestLevel()).toBe(0);
    bus.write8(0x20, PIC_EOI);
    expect(drain(pic)).toEqual([0x25]);
  });

  it('does not deliver a line again while its own ISR bit is set; a second raise meanwhile is latched once', () => {
    const { pic, bus } = setup();
    pic.raise(4);
    expect(pic.acknowledge()).toBe(0x24);
    pic.raise(4);
    pic.raise(4);
    expect(pic.requestLevel()).toBe(0);
    expect([pic.raised[4], pic.coalesced[4], pic.acknowledged[4]]).toEqual([3, 1, 1]);
    bus.write8(0x20, PIC_SPECIFIC_EOI | 4);
    expect(drain(pic)).toEqual([0x24]);
    expect(drain(pic)).toEqual([]);
  });

  it('reads IRR or ISR through OCW3', () => {
    const { pic, bus } = setup();
    pic.raise(6);
    pic.raise(2); // the AT bus IRQ 2 pin is IRQ 9
    pic.acknowledge();
    bus.write8(0x20, PIC_READ_IRR);
    bus.write8(0xa0, PIC_READ_ISR);
    expect([bus.read8(0x20), bus.read8(0xa0)]).toEqual([0x40, 0x02]);
    bus.write8(0x20, PIC_READ_ISR);
    expect(bus.read8(0x20)).toBe(0x04);
  });

  it('rotates priorities on command (OCW2 set priority)', () => {
    const { pic, bus } = setup();
    bus.write8(0x20, 0xc0 | 3); // IR3 lowest, so IR4 highest
    pic.raise(1);
    pic.raise(5);
    expect(pic.acknowledge()).toBe(0x25);
  });

  it('in automatic EOI mode never sets ISR', () => {
    const { pic } = setup({ masterIcw4: 0x03 });
    pic.raise(3);
    pic.raise(5);
    expect(drain(pic)).toEqual([0x23, 0x25]);
    expect(pic.isInService(3)).toBe(false);
  });

  it('in level-triggered mode re-requests after EOI while the line is held, and forgets a dropped line', () => {
    const { pic, bus } = setup({ icw1: 0x19 });
    const line = pic.line(5);
    line.raise();
    expect(pic.acknowledge()).toBe(0x25);
    bus.write8(0x20, PIC_EOI);
    expect(pic.acknowledge()).toBe(0x25);
    line.lower();
    bus.write8(0x20, PIC_EOI);
    expect(pic.requestLevel()).toBe(0);
  });

  it('answers a poll command with the highest request and acknowledges it', () => {
    const { pic, bus } = setup();
    pic.raise(6);
    bus.write8(0x20, 0x0c);
    expect(bus.read8(0x20)).toBe(0x86);
    expect(pic.isInService(6)).toBe(true);
    bus.write8(0x20, 0x0c);
    expect(bus.read8(0x20)).toBe(0x00);
  });
});

describe('8259A pair: cascade', () => {
  it('delivers slave lines through master IR2 and needs an EOI at both chips', () => {
    const { pic, bus } = setup();
    pic.raise(12);
    expect(pic.acknowledge()).toBe(0x2c);
    expect(pic.lastAcknowledgedLine).toBe(12);
    expect([pic.isInService(12), pic.isInService(2)]).toEqual([true, true]);
    bus.write8(0xa0, PIC_EOI);
    expect(pic.isInService(2)).toBe(true);
    bus.write8(0x20, PIC_EOI);
    expect(pic.isInService(2)).toBe(false);
  });

  it('ranks the whole slave at IR2: IRQ 1 interrupts a slave ISR, IRQ 3 waits, and so does IRQ 8 (fully nested at the master)', () => {
    const { pic, bus } = setup();
    pic.raise(12);
    pic.acknowledge();
    pic.raise(3);
    pic.raise(8);
    expect(pic.requestLevel()).toBe(0);
    pic.raise(1);
    expect(pic.acknowledge()).toBe(0x21);
    bus.write8(0x20, PIC_SPECIFIC_EOI | 1);
    bus.write8(0xa0, PIC_SPECIFIC_EOI | 4);
    expect(pic.requestLevel()).toBe(0); // master still has IR2 in service
    bus.write8(0x20, PIC_SPECIFIC_EOI | 2);
    expect(pic.acknowledge()).toBe(0x28); // IRQ 8 (at IR2) outranks IRQ 3
    bus.write8(0xa0, PIC_EOI);
    bus.write8(0x20, PIC_EOI);
    expect(drain(pic)).toEqual([0x23]);
  });

  it('in special fully nested mode lets a higher slave request through while the slave is in service', () => {
    const { pic } = setup({ masterIcw4: 0x11 });
    pic.raise(12);
    pic.acknowledge();
    pic.raise(8);
    expect(pic.acknowledge()).toBe(0x28);
    pic.raise(13);
    expect(pic.requestLevel()).toBe(0); // lower than 12 on the slave
  });

  it('hands out IRQ 9 for the AT bus IRQ 2 pin', () => {
    const { pic } = setup();
    const line = pic.line(2);
    expect(line.number).toBe(9);
    line.raise();
    expect(pic.acknowledge()).toBe(0x29);
    expect(() => pic.line(16)).toThrow(RangeError);
  });
});

describe('8259A pair: spurious interrupts', () => {
  it('answers IRQ 7 without setting ISR when nothing is pending at the acknowledge', () => {
    const { pic } = setup();
    expect(pic.acknowledge()).toBe(0x27);
    expect(pic.lastAcknowledgedLine).toBe(7);
    expect(pic.spuriousMaster).toBe(1);
    expect(pic.isInService(7)).toBe(false);
  });

  it('answers IRQ 15 with the master ISR bit 2 set when the slave request vanished after IR2 latched', () => {
    const { pic, bus } = setup();
    pic.raise(10);
    bus.write8(0xa1, 0x04); // the slave masks IRQ 10: its INT drops, the master's IR2 latch stays
    expect(pic.requestLevel()).toBeGreaterThan(0);
    expect(pic.acknowledge()).toBe(0x2f);
    expect(pic.lastAcknowledgedLine).toBe(15);
    expect([pic.spuriousSlave, pic.isInService(15), pic.isInService(2)]).toEqual([1, false, true]);
    expect(pic.acknowledged).toEqual(new Array(16).fill(0));
  });
});

describe('8259A pair: notifications and snapshots', () => {
  it('notifies the processor whenever its output may have changed', () => {
    const { pic, notifications } = setup();
    const before = notifications();
    pic.raise(3);
    pic.acknowledge();
    expect(notifications()).toBe(before + 2);
  });

  it('restores a snapshot exactly', () => {
    const { pic, bus } = setup();
    pic.raise(12);
    pic.raise(3);
    pic.acknowledge();
    bus.write8(0x21, 0x80);
    const state = pic.getState();
    const copy = new Pic8259Pair();
    copy.setState(state);
    expect(copy.getState()).toEqual(state);
    expect(copy.acknowledge()).toBe(pic.acknowledge());
  });
});
