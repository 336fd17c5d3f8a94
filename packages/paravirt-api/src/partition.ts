/**
 * What a kernel runs inside a partition, as the contract between the two sides: the guest
 * side (bsp-virtualpok) provides a factory, the kernel calls it at every cold or warm start
 * (a restart reloads the guest from scratch) and drives the result as a machine Workload.
 *
 * Boot protocol: before calling boot() the kernel enters the partition's user context and
 * loads the boot registers (the ABI's argument registers, in BOOT_REGISTER order) with the
 * partition's memory base, memory size and id, like a start-info pointer. Everything else
 * the guest learns through hypercalls (INFO_PARTITION).
 */
import type { GuestProcessor, HypercallAbi, ProgramImage, Workload } from '@paravirt/machine';

export interface PartitionGuest extends Workload {
  /** The partition's entry point: runs in user mode once per start, before the first next(). */
  boot(): void;
}

export interface PartitionStart {
  readonly processor: GuestProcessor;
  readonly abi: HypercallAbi;
  /** The partition's program text: the guest places its entry points (upcall) here. */
  readonly image: ProgramImage;
  readonly littleEndian: boolean;
  /** 'cold' or 'warm' start (ARINC 653 COLD_START / WARM_START). */
  readonly startKind: 'cold' | 'warm';
}

export type PartitionGuestFactory = (start: PartitionStart) => PartitionGuest;

/** Index into HypercallAbi.argumentRegisters of each boot register. */
export const BootRegister = { MEMORY_BASE: 0, MEMORY_SIZE: 1, PARTITION_ID: 2 } as const;
