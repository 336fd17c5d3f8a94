import { describe, expect, it } from 'vitest';
import { CheckedMemory } from './checkedMemory.js';
import { PhysicalMemory } from './physicalMemory.js';
import { Prng } from './prng.js';
import { type AccessKind, type PrivilegeMode, ProtectionContext, type RegionSpec, isMemoryFault } from './protection.js';

const modes: PrivilegeMode[] = ['supervisor', 'user'];
const accesses: AccessKind[] = ['read', 'write', 'execute'];

describe('ProtectionContext permissions', () => {
  // Every combination of region attributes x mode x access kind.
  const combinations: Array<[boolean, boolean, boolean, boolean, PrivilegeMode, AccessKind]> = [];
  for (const read of [false, true])
    for (const write of [false, true])
      for (const execute of [false, true])
        for (const user of [false, true])
          for (const mode of modes) for (const access of accesses) combinations.push([read, write, execute, user, mode, access]);

  it.each(combinations)('r=%s w=%s x=%s user=%s: %s %s', (read, write, execute, user, mode, access) => {
    const context = new ProtectionContext('p', [
      { name: 'r', virtualBase: 0x1000, physicalBase: 0x8000, size: 0x100, read, write, execute, user },
    ]);
    const result = context.translate(0x1010, 4, access, mode);
    const permitted = access === 'read' ? read : access === 'write' ? write : execute;
    if (mode === 'user' && !user) {
      expect(isMemoryFault(result) && result.reason).toBe('privilege');
    } else if (!permitted) {
      expect(isMemoryFault(result) && result.reason).toBe('permission');
    } else {
      expect(result).toBe(0x8010);
    }
  });
});

describe('ProtectionContext address checks', () => {
  const region: RegionSpec = { name: 'data', virtualBase: 0x1000, size: 0x1000, read: true, write: true, execute: false, user: true };
  const segment = new ProtectionContext('seg', [region]);
  const mmu = new ProtectionContext('mmu', [region], { alignment: 'natural' });

  it('faults on unmapped addresses and ranges that run past the region', () => {
    expect(segment.translate(0x0fff, 1, 'read', 'user')).toMatchObject({ reason: 'unmapped', address: 0xfff });
    expect(segment.translate(0x1ffe, 4, 'read', 'user')).toMatchObject({ reason: 'unmapped' });
    expect(segment.translate(0x1ffc, 4, 'read', 'user')).toBe(0x1ffc);
  });

  it('faults on ranges that wrap around the top of the address space', () => {
    expect(segment.translate(0xfffffffe, 4, 'read', 'user')).toMatchObject({ reason: 'wrap-around' });
  });

  it('faults on addresses that are not 32-bit unsigned integers', () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, Infinity, -0.5]) {
      expect(segment.translate(bad, 1, 'read', 'user')).toMatchObject({ reason: 'bad-address' });
    }
    expect(segment.translate(0x1000, -4, 'read', 'user')).toMatchObject({ reason: 'bad-address' });
  });

  it('checks natural alignment only where the architecture requires it (SPARC, not i386)', () => {
    expect(mmu.translate(0x1002, 4, 'read', 'user')).toMatchObject({ reason: 'misaligned' });
    expect(mmu.translate(0x1001, 2, 'write', 'user')).toMatchObject({ reason: 'misaligned' });
    expect(mmu.translate(0x1001, 1, 'read', 'user')).toBe(0x1001);
    expect(segment.translate(0x1002, 4, 'read', 'user')).toBe(0x1002);
  });

  it('describes the fault for humans', () => {
    const fault = segment.translate(0x5000, 4, 'write', 'user');
    expect(isMemoryFault(fault) && fault.message).toBe('user write of 4 byte(s) at 0x00005000 in context seg: not mapped');
  });

  it('refuses overlapping regions and regions past 4 GiB when built', () => {
    expect(() => new ProtectionContext('x', [region, { ...region, name: 'again', virtualBase: 0x1800 }])).toThrow(/overlap/);
    expect(() => new ProtectionContext('x', [{ ...region, virtualBase: 0xffffff00 }])).toThrow(/past the 4 GiB/);
  });

  it('never throws, whatever the arguments', () => {
    const prng = new Prng(99);
    const odd = [-1, 2 ** 32, 2 ** 53, 0.5, Number.NaN, -Infinity];
    for (let i = 0; i < 20_000; i++) {
      const address = prng.chance(0.1) ? prng.pick(odd) : prng.int(0, 2 ** 32 - 1);
      const length = prng.chance(0.1) ? prng.pick(odd) : prng.int(0, 8);
      const access = prng.pick(accesses);
      const mode = prng.pick(modes);
      expect(() => mmu.translate(address, length, access, mode)).not.toThrow();
    }
  });
});

describe('CheckedMemory', () => {
  const memory = new PhysicalMemory(0x10000, 'big');
  const checked = new CheckedMemory(memory);
  const context = new ProtectionContext('part', [
    { name: 'code', virtualBase: 0x4000_0000, physicalBase: 0x1000, size: 0x100, read: true, write: false, execute: true, user: true },
    { name: 'data', virtualBase: 0x4000_0100, physicalBase: 0x3000, size: 0x100, read: true, write: true, execute: false, user: true },
    { name: 'kernel', virtualBase: 0x4000_0200, physicalBase: 0x5000, size: 0x100, read: true, write: true, execute: false, user: false },
    { name: 'broken', virtualBase: 0x5000_0000, physicalBase: 0xff00, size: 0x200, read: true, write: true, execute: false, user: true },
  ]);

  it('loads and stores through the translation', () => {
    expect(checked.store(context, 'user', 0x4000_0104, 4, 0x01020304)).toBeUndefined();
    expect(memory.read32(0x3004)).toBe(0x01020304);
    expect(checked.load(context, 'user', 0x4000_0104, 2)).toBe(0x0102);
    expect(checked.load(context, 'user', 0x4000_0000, 4)).toBe(0);
    expect(checked.store(context, 'user', 0x4000_0000, 4, 1)).toMatchObject({ reason: 'permission' });
    expect(checked.fetch(context, 'user', 0x4000_0100)).toMatchObject({ reason: 'permission', access: 'execute' });
    expect(checked.fetch(context, 'user', 0x4000_0004)).toBeUndefined();
  });

  it('copies bulk ranges across adjacent regions piece by piece', () => {
    const bytes = checked.loadBytes(context, 'user', 0x4000_00fe, 4);
    expect(bytes).toBeInstanceOf(Uint8Array);
    memory.writeBytes(0x10fe, Uint8Array.from([9, 8]));
    memory.writeBytes(0x3000, Uint8Array.from([7, 6]));
    expect([...(checked.loadBytes(context, 'user', 0x4000_00fe, 4) as Uint8Array)]).toEqual([9, 8, 7, 6]);
  });

  it('rejects a bulk store that is partly outside what the caller may write, without writing anything', () => {
    const before = memory.checksum(0, memory.size);
    // Starts in writable data, runs into the supervisor-only region.
    const fault = checked.storeBytes(context, 'user', 0x4000_01f0, new Uint8Array(32).fill(0xee));
    expect(fault).toMatchObject({ reason: 'privilege', address: 0x4000_01f0, length: 32 });
    expect(memory.checksum(0, memory.size)).toBe(before);
    // The same range is fine for the supervisor.
    expect(checked.storeBytes(context, 'supervisor', 0x4000_01f0, new Uint8Array(32).fill(0xee))).toBeUndefined();
  });

  it('validates (address, length) pairs the way a hypercall dispatcher needs', () => {
    expect(checked.validate(context, 'user', 0x4000_0100, 0x100, 'read')).toBeUndefined();
    expect(checked.validate(context, 'user', 0x4000_0100, 0x101, 'read')).toMatchObject({ reason: 'privilege' });
    expect(checked.validate(context, 'user', 0x4000_0100, 0, 'write')).toBeUndefined();
    expect(checked.validate(context, 'user', 0xffff_fff0, 0x20, 'read')).toMatchObject({ reason: 'wrap-around' });
    expect(checked.validate(context, 'user', 0x1234, 4, 'read')).toMatchObject({ reason: 'unmapped' });
  });

  it('refuses negative, fractional and huge lengths with a fault, not a host exception', () => {
    for (const length of [-1, -4096, 1.5, Number.NaN, 2 ** 60]) {
      expect(checked.loadBytes(context, 'user', 0x4000_0100, length)).toMatchObject({ reason: expect.stringMatching(/bad-address|wrap-around/) });
      expect(checked.validate(context, 'user', 0x4000_0100, length, 'read')).toBeDefined();
    }
  });

  it('reports a region that maps beyond physical memory as a fault, not an exception', () => {
    expect(checked.load(context, 'user', 0x5000_0100, 4)).toMatchObject({ reason: 'out-of-range' });
    expect(checked.loadBytes(context, 'user', 0x5000_0000, 0x200)).toMatchObject({ reason: 'out-of-range' });
  });
});
