/**
 * Default cycle costs for the i386 model, for a 100 MHz part. The fastest member of the
 * family at that clock is the Intel486 DX4-100, so instruction timings are the 80486's
 * (Intel486 Microprocessor Family Programmer's Reference Manual, appendix of clock counts;
 * the 80386 figures from the 80386 Programmer's Reference Manual chapter 17 are given for
 * comparison). Figures are for cache hits and no wait states unless the comment says
 * otherwise. Every default can be overridden (config `costs:` or i386Costs()).
 */
import type { CostTable } from '@paravirt/machine';

/** Default processor clock: 100 MHz (Intel486 DX4-100). */
export const I386_DEFAULT_FREQUENCY_HZ = 100_000_000;

export const I386_DEFAULT_COSTS: CostTable = Object.freeze({
  // INT n through an interrupt or trap gate to a more privileged level: 71 clocks on the
  // 80486 (99 on the 80386). Exceptions and external interrupts use the same microcode
  // path; the same-level variant (44 clocks) is not distinguished.
  trapEntry: 71,
  // IRETD to an outer privilege level: 36 clocks on the 80486 (82 on the 80386).
  trapExit: 36,
  // CLI/STI: 5 clocks on the 80486 (3 on the 80386). Also charged for PUSHF (3), POPF (6),
  // HLT (4), LIDT (11) and MOV to/from CRn (4-17): one figure for the whole group.
  privilegedInstruction: 5,
  // Assumption: the instruction itself is 8 clocks (486 IN/OUT in protected mode with
  // CPL <= IOPL), but the PIC, PIT and UART sit on the ISA bus, where an I/O cycle takes
  // about 1 us (the delay Linux's outb to port 0x80 relies on), i.e. ~100 clocks at 100 MHz.
  ioAccess: 100,
  // MOV between a register and memory: 1 clock on the 80486 with a cache hit.
  memoryAccess: 1,
  // Assumption: RTEMS's i386 _CPU_Context_switch is ~17 instructions (6 stores and 6
  // loads of EFLAGS/ESP/EBP/EBX/ESI/EDI, PUSHF + POPF, a few MOVs and RET): about 30 clocks
  // on a 486.
  threadContextSwitch: 30,
  // SPARC register windows only; the i386 has none.
  windowSpill: 0,
  // Reloading DS, ES, FS, GS and SS with a partition's selectors: 5 x MOV Sreg (9 clocks
  // each in protected mode on the 80486; 18 on the 80386). CS changes with the IRET already
  // charged as trapExit.
  addressSpaceSwitch: 45,
  // Assumption: decoding the hypercall number from EAX, a table jump and validating up to
  // five argument registers in kernel C code: ~150 clocks.
  hypercallDispatch: 150,
  // Assumption: writing a virtual-interrupt frame into partition memory and transferring
  // to the guest's upcall entry (an IRET-like exit plus ~20 stores): ~120 clocks.
  virqUpcall: 120,
  // FSAVE of the 108-byte 387 state (RTEMS i386 _CPU_Context_save_fp without SSE):
  // 143 clocks on the 80486 in protected mode (375 on the 80386 with an 80387).
  fpContextSave: 143,
  // FRSTOR (_CPU_Context_restore_fp): 120 clocks on the 80486 in protected mode (308 on
  // the 80386 with an 80387).
  fpContextRestore: 120,
});

/** The default table with `overrides` applied; every value must be a whole number of cycles >= 0. */
export function i386Costs(overrides: Partial<CostTable> = {}): CostTable {
  const table: CostTable = { ...I386_DEFAULT_COSTS, ...overrides };
  for (const [key, value] of Object.entries(table) as Array<[string, number]>) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`i386 cost ${key} must be a whole number of cycles >= 0, got ${value}`);
    if (!(key in I386_DEFAULT_COSTS)) throw new RangeError(`unknown i386 cost '${key}'`);
  }
  return Object.freeze(table);
}
