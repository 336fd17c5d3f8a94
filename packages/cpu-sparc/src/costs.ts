/**
 * Cycle costs of a 50 MHz LEON3, one number per operation the simulation charges.
 *
 * Sources: the LEON3 instruction timing table of the GRLIB IP Core User's Manual (LEON3
 * section, "Instruction timing": 1 cycle for most instructions, 2 for a single store,
 * 3 for a double store and for JMPL/RETT, 35 for SDIV/UDIV, 5 for a taken trap; caches
 * hit), and RTEMS's SPARC trap-table and window-handler code (bsps/sparc/shared/start/
 * start.S, cpukit/score/cpu/sparc/window.S, cpu_asm.S) for the instruction sequences.
 * Whatever is not one of those is marked "assumption". Config may override any entry.
 */
import type { CostTable } from '@paravirt/machine';

/** The LEON3 clock of the default board: 50 MHz, a common GR-XC3S / GR712RC-class setting. */
export const LEON3_DEFAULT_FREQUENCY_HZ = 50_000_000;

/** The machine-wide cost keys plus the SPARC instructions this model charges on their own. */
export interface SparcCosts extends CostTable {
  /** A plain instruction (SAVE, RESTORE, Ticc, UNIMP, instruction fetch check). */
  readonly instruction: number;
  /** UDIV / SDIV. */
  readonly divide: number;
}

export const SPARC_DEFAULT_COSTS: SparcCosts = {
  // Taken trap 5 cycles (GRLIB LEON3 timing) + the 4-instruction trap-table entry of
  // RTEMS's start.S (rd %psr,%l0 1 + sethi 1 + jmp 3 + delay slot 1).
  trapEntry: 11,
  // jmp %l1 (3) + rett %l2 (3): the return sequence every SPARC handler ends with.
  trapExit: 6,
  // RDPSR/WRPSR/RDWIM/WRWIM/RDTBR/WRTBR: 1 cycle plus the three delay instructions V8
  // requires after a write before the new value may be relied on (V8 appendix B,
  // "Write State Register"); reads are charged the same (upper bound).
  privilegedInstruction: 4,
  // Assumption: an uncached load/store through the AHB/APB bridge: AHB transfer with
  // bridge wait states (~3) plus the two-cycle APB setup/access phase and the LEON3 load.
  ioAccess: 7,
  // Single store 2 cycles (GRLIB LEON3 timing; a cache-hit load is 1, stores dominate).
  memoryAccess: 2,
  // RTEMS _CPU_Context_switch without the window flush: 10 std (3 each) + rd %psr + st
  // to save, 8 ldd (2 each) + 2 ld + wr %psr (4) + jmp (3) to restore, plus the
  // bookkeeping moves: 64 cycles.
  threadContextSwitch: 64,
  // One window through RTEMS's overflow handler body: rd %wim, mov, srl, sll, or, save,
  // wr %wim + 3 nops, 8 std (3 each), restore, mov = 36 cycles (16 registers stored as
  // 8 doublewords). Fills use the same figure (8 ldd are cheaper, the WIM bookkeeping
  // is the same): the cost table has one key for both.
  windowSpill: 36,
  // Assumption: write the SRMMU context register (sta to ASI 0x19) and flush the TLB
  // (sta to ASI 0x18), each an uncached MMU access (~5 cycles), plus a FLUSH and
  // pipeline refill (~20); TLB refill misses afterwards are not modelled.
  addressSpaceSwitch: 30,
  // Assumption: kernel-side decode of %g1, range check, table jump and argument
  // validation of one hypercall (~50 instructions at 1 cycle).
  hypercallDispatch: 50,
  // Assumption: build a virtual-interrupt frame on the guest's stack through the MMU
  // (~10 stores at 2 cycles), set up the upcall window and jump (~60 cycles in all).
  virqUpcall: 60,
  // RTEMS SPARC _CPU_Context_save_fp: 16 STD of f0-f31 (3 cycles each, the GRLIB LEON3
  // double-store timing) + STFSR (2): 50 cycles.
  fpContextSave: 50,
  // _CPU_Context_restore_fp: 16 LDD (2 cycles each, GRLIB LEON3 double-load timing) +
  // LDFSR (1): 33 cycles. A kernel switching a partition's FP state uses the same sequences
  // (AIR's sparc_core_context_save / _restore, pmk/arch/sparc/context_switch.S: 16 STD +
  // ST %fsr, 16 LDD + LD %fsr): fpContextSave at switch-out, privilegedInstruction (the WRPSR
  // setting EF first) + fpContextRestore at switch-in; the lazy enable at a partition's first
  // fp_disabled is trapEntry + privilegedInstruction (WRPSR) + fpContextRestore (its zeroed
  // FP context) + trapExit (Leon3Board.enableUserFpu). No new cost key.
  fpContextRestore: 33,
  // "All other instructions: 1 cycle" (GRLIB LEON3 timing).
  instruction: 1,
  // SDIV/UDIV: 35 cycles (GRLIB LEON3 timing, radix-2 divider).
  divide: 35,
};

const COST_KEYS = Object.keys(SPARC_DEFAULT_COSTS) as (keyof SparcCosts)[];

/** The default LEON3 costs with `overrides` applied; every entry must be a whole number of cycles >= 0. */
export function sparcCosts(overrides: Partial<SparcCosts> = {}): SparcCosts {
  const costs: Record<string, number> = { ...SPARC_DEFAULT_COSTS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(COST_KEYS as string[]).includes(key)) throw new RangeError(`unknown SPARC cost '${key}' (known: ${COST_KEYS.join(', ')})`);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`SPARC cost ${key} must be a whole number of cycles >= 0, got ${value}`);
    costs[key] = value;
  }
  return costs as unknown as SparcCosts;
}
