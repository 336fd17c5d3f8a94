/**
 * The address space the processor runs in: a segment (base and limit, as the data and
 * stack segment descriptors of POK-style partitions define it) over a protection context
 * that maps segment offsets to physical memory and says which parts are present and
 * writable, the role paging plays on real hardware.
 *
 * Effective addresses are segment-relative offsets. An access whose last byte lies past
 * the limit raises #GP(0) (Intel SDM Vol. 3 section 5.3, "Limit Checking"); an access
 * inside the limit that the protection context refuses raises #PF with CR2 = base +
 * offset, the linear address (section 4.7 and Interrupt 14 in section 6.15).
 */
import { ProtectionContext } from '@paravirt/machine';

export interface SegmentContext {
  readonly name: string;
  /** Linear address of offset 0 (the segment descriptor's base). */
  readonly base: number;
  /** Last valid offset (the descriptor's limit, byte granular). */
  readonly limit: number;
  /** Offset -> physical translation with presence and permissions. */
  readonly protection: ProtectionContext;
}

const ADDRESS_LIMIT = 2 ** 32;

function checkSegment(name: string, base: number, size: number): void {
  if (!Number.isSafeInteger(base) || base < 0 || base >= ADDRESS_LIMIT) throw new RangeError(`segment ${name}: base must be a 32-bit address, got ${base}`);
  if (!Number.isSafeInteger(size) || size < 1 || base + size > ADDRESS_LIMIT) {
    throw new RangeError(`segment ${name}: size must be 1..${ADDRESS_LIMIT - base} bytes, got ${size}`);
  }
}

/**
 * The supervisor's flat segments: base 0 over all of physical memory, supervisor-only.
 * The limit stops at the end of memory, so a kernel access past it is a #GP(0) rather than
 * a read of a bus that is not there.
 */
export function flatContext(memorySize: number, name = 'flat'): SegmentContext {
  checkSegment(name, 0, memorySize);
  const protection = new ProtectionContext(name, [
    { name: 'physical', virtualBase: 0, physicalBase: 0, size: memorySize, read: true, write: true, execute: true, user: false },
  ]);
  return { name, base: 0, limit: memorySize - 1, protection };
}

/**
 * A user segment over [physicalBase, physicalBase + size): offsets 0..size-1, user
 * read/write/execute. This is how POK gives each partition its own code and data segments.
 */
export function userSegmentContext(name: string, physicalBase: number, size: number): SegmentContext {
  checkSegment(name, physicalBase, size);
  const protection = new ProtectionContext(name, [
    { name: 'segment', virtualBase: 0, physicalBase, size, read: true, write: true, execute: true, user: true },
  ]);
  return { name, base: physicalBase, limit: size - 1, protection };
}
