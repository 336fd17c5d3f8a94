/**
 * Where the paravirtual BSP puts its own structures in the partition's memory. The base
 * and size come from the boot registers (and INFO_PARTITION), never from constants baked
 * into the guest: the same guest image runs at virtual base 0 (i386 segments) or at the
 * partition's MMU mapping (SPARC).
 *
 *   base + 0x0000  guard page (never touched: catches null-pointer style accesses on i386)
 *   base + 0x1000  vCPU page (VCPU_PAGE_SIZE, registered with VCPU_REGISTER)
 *   base + 0x1400  upcall entry point (the guest's virtual interrupt entry, in its text)
 *   base + 0x2000  hypercall scratch buffer (console text, structures), 8 KiB
 *   base + 0x4000  workspace: the rest of the partition (RTEMS's work area)
 */
export interface GuestMemoryMap {
  readonly base: number;
  readonly size: number;
  readonly vcpuPage: number;
  readonly upcallEntry: number;
  readonly scratch: number;
  readonly scratchSize: number;
  readonly workspace: number;
  readonly workspaceSize: number;
}

export const MINIMUM_PARTITION_MEMORY = 0x10000;

/** The hypercall scratch buffer: everything the guest hands the kernel by address (console text, structures, port messages) passes through it. */
export const HYPERCALL_SCRATCH_SIZE = 0x2000;

export function guestMemoryMap(base: number, size: number): GuestMemoryMap {
  if (size < MINIMUM_PARTITION_MEMORY) throw new RangeError(`partition memory of ${size} bytes is below the BSP's minimum of ${MINIMUM_PARTITION_MEMORY}`);
  return {
    base,
    size,
    vcpuPage: base + 0x1000,
    upcallEntry: base + 0x1400,
    scratch: base + 0x2000,
    scratchSize: HYPERCALL_SCRATCH_SIZE,
    workspace: base + 0x4000,
    workspaceSize: size - 0x4000,
  };
}
