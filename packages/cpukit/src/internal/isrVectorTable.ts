/**
 * `_ISR_Vector_table` and rtems_interrupt_catch (cpukit/rtems/src/intrcatch.c) of a CPU port
 * with CPU_SIMPLE_VECTORED_INTERRUPTS (simpleVectoredInterrupts.ts).
 *
 * intrcatch.c checks, in this order: RTEMS_INVALID_NUMBER for a vector above
 * CPU_INTERRUPT_MAXIMUM_VECTOR_NUMBER, RTEMS_INVALID_ADDRESS for a NULL new handler, then
 * RTEMS_INVALID_ADDRESS for a NULL `old_isr_handler` pointer (a JS result object has no
 * such pointer, so that one cannot happen), and then calls `_ISR_Install_vector`. The SPARC
 * `_CPU_ISR_install_vector` (cpukit/score/cpu/sparc/sparc-isr-install.c) stores the old
 * `_ISR_Vector_table[real_vector]` in `*old_handler`, points the trap's slot at
 * `_ISR_Handler` with the vector as the slot's `mov _vector, %l3`, and puts the new handler
 * in the table. At every such trap `_ISR_Handler` (sparc-isr-handler.S) calls
 * `_ISR_Vector_table[%l3 & 0xFF](%l3)` with the ISR nesting level raised and dispatching
 * disabled. There is no context check: the directive may be called from an ISR.
 */
import type { InterruptCatchResult } from '../simpleVectoredInterrupts.js';
import { simpleVectoredInterruptsOf } from '../simpleVectoredInterrupts.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';

export class IsrVectorTable {
  /** `_ISR_Vector_table`: zeroed at start (C's NULL: undefined), indexed by the real vector. */
  private readonly table = new Map<number, unknown>();

  constructor(private readonly score: Score) {}

  /**
   * rtems_interrupt_catch(new_isr_handler, vector, &old_isr_handler). `call(routine, vector)`
   * runs a caught routine with the vector its slot was installed with (the synchronous
   * bit included, as %l3 holds it). RTEMS_NOT_IMPLEMENTED where the CPU port has no simple
   * vectored interrupts (the C directive does not exist there) or the BSP cannot write a
   * trap slot.
   */
  catch(newIsrHandler: unknown, vector: unknown, call: (routine: unknown, vector: number) => unknown): InterruptCatchResult {
    const port = simpleVectoredInterruptsOf(this.score.cpuPort.name);
    const bsp = this.score.env.bsp;
    if (port === undefined || bsp.vectorInstall === undefined) return { status: RtemsStatus.NOT_IMPLEMENTED, oldIsrHandler: undefined };
    const number = bits32(vector);
    if (number > port.maximumVectorNumber) return { status: RtemsStatus.INVALID_NUMBER, oldIsrHandler: undefined };
    if (typeof newIsrHandler !== 'function') return { status: RtemsStatus.INVALID_ADDRESS, oldIsrHandler: undefined };
    const real = number % port.numberOfVectors;
    const oldIsrHandler = this.table.get(real);
    // _CPU_ISR_install_raw_handler(vector, _ISR_Handler): the slot enters the prologue,
    // which looks the routine up when the trap happens.
    bsp.vectorInstall(number, port.externalLine(real), () => this.score.runRoutine(() => call(this.table.get(real), number)));
    this.table.set(real, newIsrHandler);
    return { status: RtemsStatus.SUCCESSFUL, oldIsrHandler };
  }
}
