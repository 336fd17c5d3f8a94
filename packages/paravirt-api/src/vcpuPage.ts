/**
 * The shared vCPU page (docs/architecture.md section 4, "Virtual CPU"), one per partition, in
 * the partition's own memory at an address the guest registers (VCPU_REGISTER). Words are
 * 32-bit in the architecture's byte order.
 *
 * Who writes what: the guest writes only `enabled` (its virtual interrupt flag: disable,
 * enable, flash and level are plain stores, no trap). Everything else is written by the
 * hypervisor and is a mirror of the hypervisor's own authoritative state, so a guest that
 * scribbles over it can only confuse itself. The hypervisor reads `enabled` whenever it
 * considers a delivery.
 */
export const VCPU_PAGE_SIZE = 512;
export const VCPU_MAGIC = 0x56435055; // 'VCPU'

export const VcpuPage = {
  /** VCPU_MAGIC once the hypervisor has initialised the page. */
  MAGIC: 0x00,
  /** API_VERSION of the hypervisor. */
  VERSION: 0x04,
  /** Guest-written: 1 = virtual interrupts enabled, 0 = disabled. */
  ENABLED: 0x08,
  /** Hypervisor-written: bit n = line n pending. */
  PENDING: 0x0c,
  /** Hypervisor-written: bit n = line n masked. */
  MASKED: 0x10,
  /** Hypervisor-written: 1 while an upcall is in progress. */
  IN_UPCALL: 0x14,
  /** Number of virtual lines (32). */
  LINE_COUNT: 0x18,
  /** Hypervisor-written: per-line cumulative overrun (coalesced raise) counters, 32 words. */
  OVERRUNS: 0x20,
  /** Hypervisor-written: per-line cumulative delivery counters, 32 words. */
  DELIVERED: 0xa0,
} as const;

export function overrunOffset(line: number): number {
  return VcpuPage.OVERRUNS + 4 * line;
}

export function deliveredOffset(line: number): number {
  return VcpuPage.DELIVERED + 4 * line;
}
