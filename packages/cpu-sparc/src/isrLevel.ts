/**
 * RTEMS interrupt levels on SPARC: levels 0..15 are the processor interrupt level PIL
 * itself; 0 is fully enabled, 15 masks every maskable interrupt (RTEMS CPU Architecture
 * Supplement, SPARC, "Interrupt Levels"; _CPU_ISR_Set_level writes the level to PSR.PIL
 * through `ta 10` with %g1 = level << 8). Only the low four bits count, as in
 * SPARC_PSR_PIL_MASK; other levels are undefined in RTEMS and wrap here.
 */
import { PSR_PIL_MASK, PSR_PIL_SHIFT } from './psr.js';

export const SPARC_ISR_LEVEL_MAX = 15;

/** The PIL an RTEMS interrupt level selects. */
export function isrLevelToPil(level: number): number {
  return (level >>> 0) & 0xf;
}

/** The RTEMS interrupt level a PIL means. */
export function pilToIsrLevel(pil: number): number {
  return (pil >>> 0) & 0xf;
}

/** The %g1 argument of `ta 10` that sets `level` (RTEMS _CPU_ISR_Set_level: level << 8). */
export function isrLevelToPsrBits(level: number): number {
  return (isrLevelToPil(level) << PSR_PIL_SHIFT) & PSR_PIL_MASK;
}

/** The RTEMS interrupt level held in a PSR value (RTEMS _CPU_ISR_Get_level). */
export function isrLevelOfPsr(psr: number): number {
  return (psr & PSR_PIL_MASK) >>> PSR_PIL_SHIFT;
}
