/**
 * What the executive's own work costs in processor cycles, charged through
 * CpuPort.charge(). The architecture's costs (context switch, trap entry, privileged
 * instructions) are charged by the CPU port and BSP, not here.
 *
 * The defaults are assumptions, not measurements: a Classic directive on RTEMS 4.10
 * runs a few hundred instructions (argument checks, object lookup, a queue operation),
 * the scheduler part of a dispatch and the clock tick body about a hundred each. They
 * are overridable per executive (Executive options `costs`).
 */
export interface ExecutiveCosts {
  /** Body of one directive (excluding any dispatch it causes). */
  readonly directive: number;
  /** Scheduler part of one thread dispatch (_Thread_Dispatch without _CPU_Context_switch). */
  readonly dispatch: number;
  /** One announced clock tick (rtems_clock_tick: time of day, watchdogs, timeslice). */
  readonly clockTick: number;
  /** Executive part of one ISR (nesting level, dispatch check on exit). */
  readonly isr: number;
}

export const DEFAULT_EXECUTIVE_COSTS: ExecutiveCosts = Object.freeze({
  directive: 200,
  dispatch: 100,
  clockTick: 150,
  isr: 50,
});

/** No executive costs at all: virtual time then comes only from guest compute and the port. */
export const ZERO_EXECUTIVE_COSTS: ExecutiveCosts = Object.freeze({ directive: 0, dispatch: 0, clockTick: 0, isr: 0 });
