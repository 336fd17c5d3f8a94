import { CheckedMemory, EventQueue, PhysicalMemory } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { I386Processor } from './i386Processor.js';
import { IoBus } from './ioBus.js';
import { Pic8259Pair } from './pic8259.js';
import {
  IER_LINE_STATUS,
  IER_RECEIVED_DATA,
  IER_THR_EMPTY,
  IIR_LINE_STATUS,
  IIR_NONE,
  IIR_RECEIVED_DATA,
  IIR_THR_EMPTY,
  LSR_DR,
  LSR_OE,
  LSR_TEMT,
  LSR_THRE,
  MCR_LOOP,
  MCR_OUT2,
  Uart16550,
} from './uart16550.js';

function setup(charTime = 0) {
  const queue = new EventQueue();
  const bus = new IoBus();
  const pic = new Pic8259Pair();
  pic.attach(bus);
  const com1 = new Uart16550(queue, pic.line(4), { charTime });
  com1.attach(bus);
  const cpu = new I386Processor(queue, new CheckedMemory(new PhysicalMemory(0x1000, 'little')), { io: bus });
  return { queue, bus, pic, com1, cpu };
}

describe('16550 COM1', () => {
  it('prints through OUT to THR, polling LSR.THRE between bytes like a bare-metal driver', () => {
    const { queue, com1, cpu } = setup(1000);
    const polls: number[] = [];
    for (const char of 'OK\n') {
      let lsr = cpu.in8(0x3fd);
      while ((lsr & LSR_THRE) === 0) {
        polls.push(queue.now);
        queue.runUntil(queue.now + 250);
        lsr = cpu.in8(0x3fd);
      }
      cpu.out8(0x3f8, char.charCodeAt(0));
    }
    expect(com1.text()).toBe('OK\n');
    expect([...com1.uart.transmitted()]).toEqual([0x4f, 0x4b, 0x0a]);
    expect(polls).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750]);
    expect(cpu.in8(0x3fd) & (LSR_THRE | LSR_TEMT)).toBe(0);
    queue.runUntil(3000);
    expect(cpu.in8(0x3fd)).toBe(LSR_THRE | LSR_TEMT);
  });

  it('receives host input in RBR with LSR.DR, and raises IRQ 4 only with IER enabled and MCR.OUT2 set', () => {
    const { bus, pic, com1 } = setup();
    bus.write8(0x3f9, IER_RECEIVED_DATA);
    com1.uart.inject('hi');
    expect(pic.raised[4]).toBe(0); // OUT2 clear: the PC's IRQ driver is off
    expect(bus.read8(0x3fd) & LSR_DR).toBe(LSR_DR);
    bus.write8(0x3fc, MCR_OUT2);
    expect(pic.raised[4]).toBe(1);
    expect(bus.read8(0x3fa)).toBe(IIR_RECEIVED_DATA);
    expect(bus.read8(0x3f8)).toBe(0x68);
    expect(bus.read8(0x3f8)).toBe(0x69);
    expect(bus.read8(0x3fd) & LSR_DR).toBe(0);
    expect(bus.read8(0x3fa)).toBe(IIR_NONE);
    com1.uart.inject('x');
    expect(pic.raised[4]).toBe(2); // a new rising edge
    expect(bus.read8(0x3f8)).toBe(0x78);
    expect(bus.read8(0x3f8)).toBe(0); // empty FIFO
  });

  it('signals THR empty: on enable, cleared by reading IIR, again after each byte', () => {
    const { bus, pic } = setup();
    bus.write8(0x3fc, MCR_OUT2);
    bus.write8(0x3f9, IER_THR_EMPTY);
    expect(pic.raised[4]).toBe(1);
    expect(bus.read8(0x3fa)).toBe(IIR_THR_EMPTY);
    expect(bus.read8(0x3fa)).toBe(IIR_NONE);
    bus.write8(0x3f8, 0x41);
    expect(pic.raised[4]).toBe(2);
    expect(bus.read8(0x3fa)).toBe(IIR_THR_EMPTY);
  });

  it('reports a receive overrun in LSR.OE and as a line-status interrupt, cleared by reading LSR', () => {
    const { bus, com1 } = setup();
    bus.write8(0x3f9, IER_LINE_STATUS | IER_RECEIVED_DATA);
    com1.uart.inject('0123456789abcdefXY');
    expect(bus.read8(0x3fa)).toBe(IIR_LINE_STATUS);
    expect(bus.read8(0x3fd)).toBe(LSR_DR | LSR_OE | LSR_THRE | LSR_TEMT);
    expect(bus.read8(0x3fd) & LSR_OE).toBe(0);
    expect(bus.read8(0x3fa)).toBe(IIR_RECEIVED_DATA);
  });

  it('loops THR back to RBR in loopback mode, with the interrupt output forced off', () => {
    const { bus, com1, pic } = setup();
    bus.write8(0x3f9, IER_RECEIVED_DATA);
    bus.write8(0x3fc, MCR_LOOP | MCR_OUT2 | 0x03);
    bus.write8(0x3f8, 0x5a);
    expect(com1.text()).toBe('');
    expect(bus.read8(0x3f8)).toBe(0x5a);
    expect(bus.read8(0x3fe) & 0xf0).toBe(0xb0); // CTS, DSR, DCD follow RTS, DTR, OUT2
    expect(pic.raised[4]).toBe(0);
  });

  it('switches ports 0 and 1 to the divisor latch with LCR.DLAB, keeps SCR, enables FIFOs in IIR', () => {
    const { bus, com1 } = setup();
    bus.write8(0x3fb, 0x83);
    bus.write8(0x3f8, 0x01);
    bus.write8(0x3f9, 0x00);
    expect([bus.read8(0x3f8), bus.read8(0x3f9)]).toEqual([0x01, 0x00]);
    bus.write8(0x3fb, 0x03);
    bus.write8(0x3f8, 0x21);
    bus.write8(0x3ff, 0x5a);
    bus.write8(0x3fa, 0x07);
    expect([com1.text(), bus.read8(0x3ff), bus.read8(0x3fa) & 0xc0]).toEqual(['!', 0x5a, 0xc0]);
  });

  it('restores a snapshot', () => {
    const { com1, bus, queue, pic } = setup();
    bus.write8(0x3f9, IER_RECEIVED_DATA);
    bus.write8(0x3f8, 0x41);
    com1.uart.inject('z');
    const state = com1.getState();
    const copy = new Uart16550(queue, pic.line(3), { name: 'copy' });
    copy.setState(state);
    expect(copy.getState()).toEqual(state);
    expect(copy.read8(0x3f8)).toBe(0x7a);
  });
});
