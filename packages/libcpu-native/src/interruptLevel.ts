/**
 * The interrupt-level half of cpukit's CpuPort (RTEMS _CPU_ISR_Disable, _Enable, _Flash,
 * _Get_level, _Set_level). libcpu may not import cpukit (the dependency rule), so the
 * shape is declared here and checked structurally where a BSP composes the port, as
 * libcpu-virtual's VirtualCpu is.
 *
 * Levels are RTEMS's: 0 means every interrupt enabled. The cookie isrDisable() returns is
 * opaque to the executive; only isrEnable() and isrFlash() interpret it.
 */
export interface InterruptLevel {
  /**
   * CPU_MODES_INTERRUPT_MASK of the architecture's score/cpu cpu.h: the bits of a task mode
   * that are its interrupt level (cpukit's CpuPort.interruptMask).
   */
  readonly interruptMask: number;
  /** Disable interrupts; return the previous state as a cookie. */
  isrDisable(): number;
  /** Restore the state a matching isrDisable() returned. */
  isrEnable(level: number): void;
  /** Enable with `level` for an instant, then disable again. */
  isrFlash(level: number): void;
  /** The current level, 0 when interrupts are enabled. */
  isrGetLevel(): number;
  /** Set the level directly (rtems_task_mode, a thread's first dispatch). */
  isrSetLevel(level: number): void;
}
