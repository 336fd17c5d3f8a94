/**
 * Protection contexts: the address space a piece of software runs in. A context is a list
 * of regions, each mapping a virtual range onto physical memory with read/write/execute
 * permissions and a user/supervisor attribute. It models both schemes the architectures
 * use for partitioning:
 *  - i386, POK-style segmentation: one region with virtualBase 0 and physicalBase = the
 *    segment base, size = limit + 1 (user pointers are segment-relative);
 *  - SPARC reference MMU: regions with their own virtual and physical bases per context.
 *
 * translate() never throws: a bad address, length, permission, alignment or a range that
 * wraps past 2^32 comes back as a MemoryFault describing the access.
 */

export type AccessKind = 'read' | 'write' | 'execute';
export type PrivilegeMode = 'supervisor' | 'user';

export type FaultReason =
  /** Address or length is not a whole number, or the address is outside 0..2^32-1. */
  | 'bad-address'
  /** The range runs past the top of the 32-bit address space. */
  | 'wrap-around'
  /** No region of the context covers (part of) the range. */
  | 'unmapped'
  /** Mapped, but not accessible in this mode (supervisor-only region from user mode). */
  | 'privilege'
  /** Mapped and reachable, but the access kind is not permitted (write to read-only...). */
  | 'permission'
  /** The architecture requires natural alignment for this access size (SPARC). */
  | 'misaligned'
  /** The region maps outside physical memory (a configuration error). */
  | 'out-of-range';

export interface MemoryFault {
  readonly address: number;
  readonly length: number;
  readonly access: AccessKind;
  readonly mode: PrivilegeMode;
  readonly context: string;
  readonly reason: FaultReason;
  readonly message: string;
}

export function isMemoryFault(value: unknown): value is MemoryFault {
  return typeof value === 'object' && value !== null && 'reason' in value && 'access' in value;
}

export interface RegionSpec {
  readonly name: string;
  readonly virtualBase: number;
  /** Defaults to virtualBase (identity mapping). */
  readonly physicalBase?: number;
  readonly size: number;
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
  /** Accessible from user mode; supervisor mode reaches every region. */
  readonly user: boolean;
}

export interface Region extends RegionSpec {
  readonly physicalBase: number;
}

export interface ProtectionContextOptions {
  /** 'natural': 2- and 4-byte accesses must be aligned to their size (SPARC V8 mem_address_not_aligned). */
  readonly alignment?: 'none' | 'natural';
}

const ADDRESS_LIMIT = 2 ** 32;

export class ProtectionContext {
  readonly regions: readonly Region[];
  readonly alignment: 'none' | 'natural';
  private lastHit = 0;

  constructor(
    readonly name: string,
    regions: readonly RegionSpec[],
    options: ProtectionContextOptions = {},
  ) {
    this.alignment = options.alignment ?? 'none';
    const normalised = regions.map((spec) => ({ ...spec, physicalBase: spec.physicalBase ?? spec.virtualBase }));
    for (const region of normalised) {
      for (const field of ['virtualBase', 'physicalBase', 'size'] as const) {
        const value = region[field];
        if (!Number.isSafeInteger(value) || value < 0 || value > ADDRESS_LIMIT) {
          throw new RangeError(`context ${name}, region ${region.name}: ${field} must be a 32-bit address, got ${value}`);
        }
      }
      if (region.virtualBase + region.size > ADDRESS_LIMIT) {
        throw new RangeError(`context ${name}, region ${region.name}: runs past the 4 GiB address space`);
      }
    }
    const sorted = [...normalised].sort((a, b) => a.virtualBase - b.virtualBase);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!;
      const current = sorted[i]!;
      if (previous.virtualBase + previous.size > current.virtualBase) {
        throw new RangeError(`context ${name}: regions ${previous.name} and ${current.name} overlap`);
      }
    }
    this.regions = sorted;
  }

  /**
   * Translates the access [address, address + length) to a physical address. The whole
   * range must lie in one region; use CheckedMemory for bulk ranges that span regions.
   */
  translate(address: number, length: number, access: AccessKind, mode: PrivilegeMode): number | MemoryFault {
    if (!Number.isSafeInteger(address) || address < 0 || address >= ADDRESS_LIMIT || !Number.isSafeInteger(length) || length < 0) {
      return this.fault(address, length, access, mode, 'bad-address');
    }
    if (address + length > ADDRESS_LIMIT) return this.fault(address, length, access, mode, 'wrap-around');
    if (this.alignment === 'natural' && (length === 2 || length === 4) && address % length !== 0) {
      return this.fault(address, length, access, mode, 'misaligned');
    }
    const region = this.find(address);
    if (region === undefined) return this.fault(address, length, access, mode, 'unmapped');
    if (address + length > region.virtualBase + region.size) return this.fault(address, length, access, mode, 'unmapped');
    if (mode === 'user' && !region.user) return this.fault(address, length, access, mode, 'privilege');
    if (!(access === 'read' ? region.read : access === 'write' ? region.write : region.execute)) {
      return this.fault(address, length, access, mode, 'permission');
    }
    return region.physicalBase + (address - region.virtualBase);
  }

  /** The region containing `address`, if any. */
  find(address: number): Region | undefined {
    const regions = this.regions;
    const cached = regions[this.lastHit];
    if (cached !== undefined && address >= cached.virtualBase && address < cached.virtualBase + cached.size) return cached;
    for (let i = 0; i < regions.length; i++) {
      const region = regions[i]!;
      if (address >= region.virtualBase && address < region.virtualBase + region.size) {
        this.lastHit = i;
        return region;
      }
    }
    return undefined;
  }

  fault(address: number, length: number, access: AccessKind, mode: PrivilegeMode, reason: FaultReason): MemoryFault {
    const where = Number.isSafeInteger(address) && address >= 0 ? `0x${address.toString(16).padStart(8, '0')}` : String(address);
    return {
      address,
      length,
      access,
      mode,
      context: this.name,
      reason,
      message: `${mode} ${access} of ${length} byte(s) at ${where} in context ${this.name}: ${REASON_TEXT[reason]}`,
    };
  }
}

const REASON_TEXT: Record<FaultReason, string> = {
  'bad-address': 'not a valid 32-bit address and length',
  'wrap-around': 'range wraps past the top of the address space',
  unmapped: 'not mapped',
  privilege: 'supervisor-only memory',
  permission: 'access not permitted',
  misaligned: 'misaligned',
  'out-of-range': 'region maps outside physical memory',
};
