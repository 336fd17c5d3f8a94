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
  /**
   * Optional, for a kernel's fast-forward over timer upcalls into an idle guest: the guest
   * is idle now (its last step asked for nothing until a virtual interrupt, after an IDLE
   * hypercall) and its clock is the virtual timer. How many of the next `limit` TIMER
   * upcalls, each taken as the last one was - one clock tick announced that changes nothing
   * but the guest's count of ticks and time (no timeout, delay, period or timer routine
   * expires, no time slice ends), VIRQ_RETURN, the same idle step with its IDLE hypercall -
   * would do exactly that. 0 when the guest cannot tell. The kernel asks from its own
   * context (no guest memory access here) and only when the last upcalls coalesced nothing.
   */
  quietTimerUpcalls?(limit: number): number;
  /**
   * Optional, with quietTimerUpcalls: `count` (at most what it answered) such upcalls were
   * taken, each exactly like the last one, without running the guest. The guest counts them
   * as it would have (ticks, uptime, interrupts, its hypercalls); what they cost in cycles
   * the kernel has accounted for.
   */
  creditTimerUpcalls?(count: number): void;
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
