/**
 * Memory access through a protection context: the only way guest code and hypercall
 * (address, length) arguments reach physical memory. Every method validates first and
 * returns a MemoryFault instead of throwing; a bulk store checks the whole range before
 * writing a single byte, so a fault never leaves a half-written buffer.
 */
import type { PhysicalMemory } from './physicalMemory.js';
import type { AccessKind, MemoryFault, PrivilegeMode, ProtectionContext } from './protection.js';

export type AccessWidth = 1 | 2 | 4;

export class CheckedMemory {
  constructor(readonly memory: PhysicalMemory) {}

  load(context: ProtectionContext, mode: PrivilegeMode, address: number, width: AccessWidth): number | MemoryFault {
    const physical = this.translate(context, mode, address, width, 'read');
    if (typeof physical !== 'number') return physical;
    const memory = this.memory;
    return width === 4 ? memory.read32(physical) : width === 2 ? memory.read16(physical) : memory.read8(physical);
  }

  /** An instruction fetch: like load, but needs execute permission. */
  fetch(context: ProtectionContext, mode: PrivilegeMode, address: number): MemoryFault | undefined {
    const physical = this.translate(context, mode, address, 4, 'execute');
    return typeof physical === 'number' ? undefined : physical;
  }

  store(context: ProtectionContext, mode: PrivilegeMode, address: number, width: AccessWidth, value: number): MemoryFault | undefined {
    const physical = this.translate(context, mode, address, width, 'write');
    if (typeof physical !== 'number') return physical;
    const memory = this.memory;
    if (width === 4) memory.write32(physical, value);
    else if (width === 2) memory.write16(physical, value & 0xffff);
    else memory.write8(physical, value & 0xff);
    return undefined;
  }

  /** Checks that [address, address + length) is accessible, across regions if needed. */
  validate(context: ProtectionContext, mode: PrivilegeMode, address: number, length: number, access: AccessKind): MemoryFault | undefined {
    const pieces = this.pieces(context, mode, address, length, access);
    return Array.isArray(pieces) ? undefined : pieces;
  }

  loadBytes(context: ProtectionContext, mode: PrivilegeMode, address: number, length: number): Uint8Array | MemoryFault {
    const pieces = this.pieces(context, mode, address, length, 'read');
    if (!Array.isArray(pieces)) return pieces;
    const out = new Uint8Array(length);
    let offset = 0;
    for (let i = 0; i < pieces.length; i += 2) {
      const physical = pieces[i]!;
      const size = pieces[i + 1]!;
      out.set(this.memory.bytes.subarray(physical, physical + size), offset);
      offset += size;
    }
    return out;
  }

  storeBytes(context: ProtectionContext, mode: PrivilegeMode, address: number, bytes: Uint8Array): MemoryFault | undefined {
    const pieces = this.pieces(context, mode, address, bytes.length, 'write');
    if (!Array.isArray(pieces)) return pieces;
    let offset = 0;
    for (let i = 0; i < pieces.length; i += 2) {
      const physical = pieces[i]!;
      const size = pieces[i + 1]!;
      this.memory.bytes.set(bytes.subarray(offset, offset + size), physical);
      offset += size;
    }
    return undefined;
  }

  /** Translation of a single access that must lie in one region; checks physical bounds too. */
  translate(context: ProtectionContext, mode: PrivilegeMode, address: number, width: number, access: AccessKind): number | MemoryFault {
    const physical = context.translate(address, width, access, mode);
    if (typeof physical !== 'number') return physical;
    if (physical + width > this.memory.size) return context.fault(address, width, access, mode, 'out-of-range');
    return physical;
  }

  /**
   * Splits a virtual range into physical pieces [physical, size, physical, size, ...],
   * one per region it crosses, or the first fault.
   */
  private pieces(context: ProtectionContext, mode: PrivilegeMode, address: number, length: number, access: AccessKind): number[] | MemoryFault {
    if (!Number.isSafeInteger(length) || length < 0) return context.fault(address, length, access, mode, 'bad-address');
    // The whole-range checks (address validity, wrap-around) come from translate of length 0.
    const head = context.translate(address, 0, access, mode);
    if (typeof head !== 'number' && head.reason !== 'unmapped') return context.fault(address, length, access, mode, head.reason);
    if (length === 0) return [];
    if (address + length > 2 ** 32) return context.fault(address, length, access, mode, 'wrap-around');
    const out: number[] = [];
    let cursor = address;
    const end = address + length;
    while (cursor < end) {
      const region = context.find(cursor);
      if (region === undefined) return context.fault(address, length, access, mode, 'unmapped');
      const size = Math.min(end, region.virtualBase + region.size) - cursor;
      const physical = context.translate(cursor, size, access, mode);
      if (typeof physical !== 'number') return context.fault(address, length, access, mode, physical.reason);
      if (physical + size > this.memory.size) return context.fault(address, length, access, mode, 'out-of-range');
      out.push(physical, size);
      cursor += size;
    }
    return out;
  }
}
