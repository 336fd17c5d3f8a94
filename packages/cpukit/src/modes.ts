/**
 * Task execution modes (RTEMS C User's Guide, Task Manager, "Building a Mode and Mask";
 * rtems/rtems/modes.h). Modes are bit fields; each mode has a mask that selects it in
 * rtems_task_mode.
 */

export const RTEMS_DEFAULT_MODES = 0x0000_0000;
/** rtems_task_mode: only return the current mode. */
export const RTEMS_CURRENT_MODE = 0;
export const RTEMS_ALL_MODE_MASKS = 0x0000_ffff;

export const RTEMS_PREEMPT = 0x0000_0000;
export const RTEMS_NO_PREEMPT = 0x0000_0100;
export const RTEMS_PREEMPT_MASK = 0x0000_0100;

export const RTEMS_NO_TIMESLICE = 0x0000_0000;
export const RTEMS_TIMESLICE = 0x0000_0200;
export const RTEMS_TIMESLICE_MASK = 0x0000_0200;

export const RTEMS_ASR = 0x0000_0000;
export const RTEMS_NO_ASR = 0x0000_0400;
export const RTEMS_ASR_MASK = 0x0000_0400;

/** The interrupt level bits of a mode (CPU_MODES_INTERRUPT_MASK of the no_cpu template). */
export const RTEMS_INTERRUPT_MASK = 0x0000_00ff;

/** RTEMS_INTERRUPT_LEVEL(n): a mode that sets interrupt level n. */
export function RTEMS_INTERRUPT_LEVEL(level: number): number {
  return level & RTEMS_INTERRUPT_MASK;
}
