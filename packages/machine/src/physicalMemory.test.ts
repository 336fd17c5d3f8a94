import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from './physicalMemory.js';

describe('PhysicalMemory', () => {
  it('stores 16/32-bit values little-endian on i386 and big-endian on SPARC', () => {
    const little = new PhysicalMemory(16, 'little');
    little.write32(0, 0x11223344);
    expect([...little.readBytes(0, 4)]).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(little.read16(0)).toBe(0x3344);
    const big = new PhysicalMemory(16, 'big');
    big.write32(0, 0x11223344);
    expect([...big.readBytes(0, 4)]).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect(big.read16(2)).toBe(0x3344);
    big.write32(4, -1);
    expect(big.read32(4)).toBe(0xffffffff);
  });

  it('reads back what it wrote at every width, including misaligned offsets', () => {
    const memory = new PhysicalMemory(64, 'big');
    memory.write8(3, 0x1ff);
    expect(memory.read8(3)).toBe(0xff);
    memory.write16(5, 0xbeef);
    expect(memory.read16(5)).toBe(0xbeef);
    memory.write32(9, 0xcafebabe);
    expect(memory.read32(9)).toBe(0xcafebabe);
  });

  it('copies overlapping ranges like memmove, fills and checksums', () => {
    const memory = new PhysicalMemory(16, 'little');
    memory.writeBytes(0, Uint8Array.from([1, 2, 3, 4, 5]));
    memory.copy(2, 0, 5);
    expect([...memory.readBytes(0, 7)]).toEqual([1, 2, 1, 2, 3, 4, 5]);
    const before = memory.checksum(0, 16);
    memory.fill(10, 2, 0xaa);
    expect(memory.checksum(0, 16)).not.toBe(before);
    expect(memory.checksum(0, 7)).toBe(memory.checksum(0, 7));
  });

  it('throws a RangeError naming the address for raw accesses out of range (model bugs)', () => {
    const memory = new PhysicalMemory(16, 'little');
    expect(() => memory.read32(14)).toThrow(/0x0000000e, \+4\) outside memory of 16 bytes/);
    expect(() => memory.read8(16)).toThrow(RangeError);
    expect(() => memory.write8(-1, 0)).toThrow(RangeError);
    expect(() => memory.readBytes(10, 7)).toThrow(RangeError);
  });

  it('snapshots and restores its contents', () => {
    const memory = new PhysicalMemory(8, 'big');
    memory.write32(0, 0xdeadbeef);
    const state = memory.getState();
    memory.write32(0, 0);
    memory.setState(state);
    expect(memory.read32(0)).toBe(0xdeadbeef);
    expect(() => new PhysicalMemory(8, 'little').setState(state)).toThrow(/big-endian/);
  });
});
