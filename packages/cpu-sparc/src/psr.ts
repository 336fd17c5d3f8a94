/**
 * Layouts of the SPARC V8 integer-unit control registers: the processor state register
 * (PSR), the window invalid mask (WIM) and the trap base register (TBR), with the field
 * names of The SPARC Architecture Manual, Version 8, chapter 4 ("Registers").
 *
 *   PSR  31:28 impl | 27:24 ver | 23:20 icc | 13 EC | 12 EF | 11:8 PIL | 7 S | 6 PS | 5 ET | 4:0 CWP
 *   TBR  31:12 TBA  | 11:4 tt   | 3:0 zero
 *   WIM  one bit per implemented window (NWINDOWS = 8 on LEON3)
 */

/** Register windows of a LEON3 (GRLIB's default and RTEMS's SPARC_NUMBER_OF_REGISTER_WINDOWS). */
export const NWINDOWS = 8;

export const PSR_IMPL_SHIFT = 28;
export const PSR_IMPL_MASK = 0xf000_0000;
export const PSR_VER_SHIFT = 24;
export const PSR_VER_MASK = 0x0f00_0000;
export const PSR_ICC_SHIFT = 20;
export const PSR_ICC_MASK = 0x00f0_0000;
export const PSR_EC = 0x0000_2000;
export const PSR_EF = 0x0000_1000;
export const PSR_PIL_SHIFT = 8;
export const PSR_PIL_MASK = 0x0000_0f00;
export const PSR_S = 0x0000_0080;
export const PSR_PS = 0x0000_0040;
export const PSR_ET = 0x0000_0020;
export const PSR_CWP_MASK = 0x0000_001f;

/** Gaisler's SPARC implementor number, hard-wired in PSR.impl (GRLIB IP core manual, LEON3 "SPARC implementor's ID"). */
export const LEON3_PSR_IMPL = 0xf;
/** LEON3's PSR.ver (LEON4 reports 3 as well, for software compatibility). */
export const LEON3_PSR_VER = 3;

export const TBR_TBA_MASK = 0xffff_f000;
export const TBR_TT_SHIFT = 4;
export const TBR_TT_MASK = 0x0000_0ff0;

/** WIM bits of the implemented windows; the others read as zero (V8 chapter 4, "Window Invalid Mask"). */
export const WIM_MASK = (1 << NWINDOWS) - 1;

/** The highest interrupt level; level 15 is not maskable by PIL (V8 chapter 7, interrupt requests). */
export const MAX_INTERRUPT_LEVEL = 15;

/** PIL field of a PSR value. */
export function psrPil(psr: number): number {
  return (psr & PSR_PIL_MASK) >>> PSR_PIL_SHIFT;
}

/** CWP field of a PSR value. */
export function psrCwp(psr: number): number {
  return psr & PSR_CWP_MASK;
}

/** `psr` with its PIL field replaced by `pil` (0..15). */
export function psrWithPil(psr: number, pil: number): number {
  return ((psr & ~PSR_PIL_MASK) | ((pil & 0xf) << PSR_PIL_SHIFT)) >>> 0;
}

/**
 * Whether an interrupt request at `level` is taken: traps must be enabled and the level
 * must exceed PIL, except level 15, which is taken whatever PIL says (SPARC V8 chapter 7,
 * interrupt requests: taken when ET = 1 and bp_IRL > PIL or bp_IRL = 15).
 */
export function interruptAccepted(trapsEnabled: boolean, pil: number, level: number): boolean {
  if (!trapsEnabled || level < 1 || level > MAX_INTERRUPT_LEVEL) return false;
  return level === MAX_INTERRUPT_LEVEL || level > pil;
}

/** The WIM after one window-overflow handler: the invalid window moves one step down (rotate right). */
export function rotateWimRight(wim: number): number {
  return ((wim >>> 1) | (wim << (NWINDOWS - 1))) & WIM_MASK;
}

/** The WIM after one window-underflow handler: the invalid window moves one step up (rotate left). */
export function rotateWimLeft(wim: number): number {
  return ((wim << 1) | (wim >>> (NWINDOWS - 1))) & WIM_MASK;
}
