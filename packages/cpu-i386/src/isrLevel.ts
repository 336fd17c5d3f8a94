/**
 * RTEMS interrupt levels on the i386 (cpukit/score/cpu/i386, _CPU_ISR_Set_level and
 * _CPU_ISR_Get_level): the processor has one interrupt-enable bit, so level 0 means
 * IF = 1 (enabled) and any level >= 1 means IF = 0.
 */
import { EFLAGS_IF } from './eflags.js';

/** The RTEMS interrupt level EFLAGS stands for: 0 with IF set, 1 with it clear. */
export function isrLevelOfEflags(eflags: number): number {
  return (eflags & EFLAGS_IF) !== 0 ? 0 : 1;
}

/** Whether IF must be set for RTEMS interrupt level `level` (only level 0 enables). */
export function interruptFlagForIsrLevel(level: number): boolean {
  return level === 0;
}
