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

/**
 * The interrupt level bits of a mode, as an architecture-neutral application sees them:
 * CPU_MODES_INTERRUPT_MASK of the no_cpu template, 0xFF ("RTEMS supports 256 interrupt
 * levels using the least significant eight bits", rtems/rtems/modes.h). In C the mask is
 * the target's own; here the executive applies the CPU port's (CpuPort.interruptMask, 0x1
 * on i386, 0xF on SPARC; `rtems.interruptMask`) wherever RTEMS applies
 * RTEMS_INTERRUPT_MASK - a task's initial mode, rtems_task_mode's mask and mode set - so a
 * mode built with these constants means on each target what it means in RTEMS there.
 */
export const RTEMS_INTERRUPT_MASK = 0x0000_00ff;

/**
 * RTEMS_INTERRUPT_LEVEL(n): a mode that sets interrupt level n, kept to the 8 bits every
 * target may use. The CPU port then takes its own bits of it: on the i386
 * RTEMS_INTERRUPT_LEVEL(2) is level 0 (2 & 0x1: interrupts enabled), on SPARC level 2.
 * `rtems.interruptLevelBody(n)` gives the target's own value (rtems_interrupt_level_body).
 */
export function RTEMS_INTERRUPT_LEVEL(level: number): number {
  return level & RTEMS_INTERRUPT_MASK;
}
