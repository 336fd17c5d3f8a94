import { describe, expect, it } from 'vitest';
import { IoBus, type IoDevice } from './ioBus.js';

function register(): IoDevice & { log: string[]; values: Map<number, number> } {
  const log: string[] = [];
  const values = new Map<number, number>();
  return {
    name: 'reg',
    log,
    values,
    read8: (port) => {
      log.push(`r ${port.toString(16)}`);
      return values.get(port) ?? 0;
    },
    write8: (port, value) => {
      log.push(`w ${port.toString(16)} ${value.toString(16)}`);
      values.set(port, value);
    },
  };
}

describe('IoBus', () => {
  it('routes ports to the device that claimed them; unclaimed reads float to 0xFF, writes vanish', () => {
    const bus = new IoBus();
    const device = register();
    bus.claim(0x70, 0x71, device);
    bus.write8(0x70, 0x18f);
    expect(bus.read8(0x70)).toBe(0x8f);
    expect(bus.read8(0x72)).toBe(0xff);
    expect(bus.read16(0x80)).toBe(0xffff);
    bus.write8(0x72, 1);
    expect(device.log).toEqual(['w 70 8f', 'r 70']);
    expect(bus.deviceAt(0x71)).toBe(device);
    expect(bus.deviceAt(0x72)).toBeUndefined();
  });

  it('splits 16-bit accesses into two byte cycles, low port first, wrapping at 0xFFFF', () => {
    const bus = new IoBus();
    const device = register();
    bus.claim(0x70, 0x71, device);
    bus.write16(0x70, 0xbeef);
    expect(bus.read16(0x70)).toBe(0xbeef);
    expect(device.log).toEqual(['w 70 ef', 'w 71 be', 'r 70', 'r 71']);
    const top = register();
    bus.claim(0xffff, 0xffff, top);
    bus.claim(0x0000, 0x0000, register());
    bus.write16(0xffff, 0x1234);
    expect(top.values.get(0xffff)).toBe(0x34);
    expect(bus.read8(0x1_0070)).toBe(0xef); // port numbers are 16 bits
  });

  it('refuses overlapping claims and ranges outside 0..0xFFFF', () => {
    const bus = new IoBus();
    bus.claim(0x20, 0x21, register());
    expect(() => bus.claim(0x21, 0x22, register())).toThrow(/already claimed/);
    expect(() => bus.claim(0xffff, 0x10000, register())).toThrow(RangeError);
    expect(() => bus.claim(5, 4, register())).toThrow(RangeError);
  });
});
