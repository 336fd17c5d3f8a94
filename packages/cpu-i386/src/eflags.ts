/**
 * EFLAGS bits of the 80386 (Intel SDM Vol. 1 section 3.4.3, Figure 3-8; 80386 Programmer's
 * Reference Manual section 2.3.4). Bits 18-21 (AC, VIF, VIP, ID) came with later
 * processors and are not part of this model.
 */

export const EFLAGS_CF = 1 << 0;
/** Bit 1 is reserved and always reads as 1. */
export const EFLAGS_RESERVED_1 = 1 << 1;
export const EFLAGS_PF = 1 << 2;
export const EFLAGS_AF = 1 << 4;
export const EFLAGS_ZF = 1 << 6;
export const EFLAGS_SF = 1 << 7;
export const EFLAGS_TF = 1 << 8;
export const EFLAGS_IF = 1 << 9;
export const EFLAGS_DF = 1 << 10;
export const EFLAGS_OF = 1 << 11;
export const EFLAGS_IOPL_SHIFT = 12;
export const EFLAGS_IOPL_MASK = 3 << EFLAGS_IOPL_SHIFT;
export const EFLAGS_NT = 1 << 14;
export const EFLAGS_RF = 1 << 16;
export const EFLAGS_VM = 1 << 17;

/** The arithmetic status flags plus TF and DF: what POPF may change at any privilege level. */
export const EFLAGS_STATUS_MASK = EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_TF | EFLAGS_DF | EFLAGS_OF;

/** Every bit an 80386 implements; the rest read as 0 (bit 1 as 1). */
export const EFLAGS_DEFINED_MASK = EFLAGS_STATUS_MASK | EFLAGS_RESERVED_1 | EFLAGS_IF | EFLAGS_IOPL_MASK | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM;

/** The I/O privilege level held in EFLAGS bits 12-13. */
export function ioplOf(eflags: number): number {
  return (eflags & EFLAGS_IOPL_MASK) >>> EFLAGS_IOPL_SHIFT;
}
