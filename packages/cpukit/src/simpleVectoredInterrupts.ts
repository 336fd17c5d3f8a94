/**
 * RTEMS's simple vectored interrupt model (CPU_SIMPLE_VECTORED_INTERRUPTS), which only some
 * CPU ports follow, and with it rtems_interrupt_catch (cpukit/rtems/src/intrcatch.c, built
 * only `#if (CPU_SIMPLE_VECTORED_INTERRUPTS == TRUE)`).
 *
 * In that model the processor vectors each trap type straight to software: RTEMS keeps
 * `_ISR_Vector_table` (cpukit/score/src/isr.c, CPU_INTERRUPT_NUMBER_OF_VECTORS entries),
 * and `_CPU_ISR_install_vector` writes the trap's slot of the processor's table so that it
 * enters the port's generic interrupt prologue (SPARC `_ISR_Handler`,
 * cpukit/score/cpu/sparc/sparc-isr-handler.S), which calls `_ISR_Vector_table[vector]` with
 * the vector number. These are the constants of the ports that have it, as their
 * `score/cpu/<arch>/include/rtems/score/cpu.h` defines them; cpukit picks them by the
 * CPU port's name, as an RTEMS build picks `score/cpu/<arch>`. A port not listed (i386:
 * its cpu.h defines CPU_SIMPLE_VECTORED_INTERRUPTS FALSE, interrupts go through the BSP's
 * IDT and `bsp_interrupt_dispatch`) has no rtems_interrupt_catch.
 */
import type { RtemsStatus } from './rtemsStatus.js';

/** The constants of a CPU port with CPU_SIMPLE_VECTORED_INTERRUPTS. */
export interface SimpleVectoredInterrupts {
  /** CPU_INTERRUPT_MAXIMUM_VECTOR_NUMBER: the largest vector rtems_interrupt_catch accepts. */
  readonly maximumVectorNumber: number;
  /** CPU_INTERRUPT_NUMBER_OF_VECTORS: the entries of `_ISR_Vector_table`; a vector's entry is the vector modulo this (SPARC_REAL_TRAP_NUMBER). */
  readonly numberOfVectors: number;
  /** The interrupt controller line whose interrupt arrives as trap `realVector`, or undefined for a trap that is no external interrupt. */
  externalLine(realVector: number): number | undefined;
}

/**
 * The SPARC port (cpukit/score/cpu/sparc/include/rtems/score/cpu.h): CPU_SIMPLE_VECTORED_
 * INTERRUPTS TRUE, 256 trap types, and CPU_INTERRUPT_MAXIMUM_VECTOR_NUMBER 511 because
 * the port marks a synchronous trap by adding 256 (SPARC_SYNCHRONOUS_TRAP_BIT_MASK: its
 * `_ISR_Handler` then returns past the trapping instruction). Trap types 0x11..0x1F are
 * the external interrupts of levels 1..15 (sparc-isr-handler.S raises PIL to that level
 * for exactly those, "trap 0x11 - 0x1f").
 */
export const SPARC_SIMPLE_VECTORED_INTERRUPTS: SimpleVectoredInterrupts = Object.freeze({
  maximumVectorNumber: 511,
  numberOfVectors: 256,
  externalLine: (realVector: number) => (realVector >= 0x11 && realVector <= 0x1f ? realVector - 0x10 : undefined),
});

/** The simple vectored interrupt constants of the CPU port named `portName` (CpuPort.name), or undefined where the port has none. */
export function simpleVectoredInterruptsOf(portName: string): SimpleVectoredInterrupts | undefined {
  return portName === 'sparc' ? SPARC_SIMPLE_VECTORED_INTERRUPTS : undefined;
}

/**
 * What rtems_interrupt_catch gives back: the status and, in place of C's `*old_isr_handler`,
 * the routine `_ISR_Vector_table` held for the vector before (undefined - C's NULL - when
 * nothing was caught on it yet: the table starts zeroed, and the BSP's own interrupt
 * dispatch never goes through it). Undefined too when the status is not RTEMS_SUCCESSFUL.
 */
export interface InterruptCatchResult<H = unknown> {
  readonly status: RtemsStatus;
  readonly oldIsrHandler: H | undefined;
}
