/**
 * The CPU port: everything the executive needs from the processor, in the shape of
 * RTEMS's `cpukit/score/cpu/no_cpu` porting template. cpukit is architecture-neutral;
 * a BSP composes a CpuPort from an arch package (context part: cpu-i386, cpu-sparc) and
 * a libcpu (interrupt-level part: libcpu-native by privileged instructions,
 * libcpu-virtual on the vCPU page) and hands it to the Executive.
 *
 * Interrupt levels. Level 0 means "all interrupts enabled"; any other level means
 * "disabled" down to that level (RTEMS `RTEMS_INTERRUPT_LEVEL(n)`). A port that has only
 * one enable bit (i386 EFLAGS.IF, the test double) treats every n > 0 as fully disabled,
 * as RTEMS's own i386 port does. The *cookie* returned by isrDisable() is opaque: only
 * isrEnable()/isrFlash() interpret it (i386: the saved EFLAGS; SPARC: the saved PSR).
 *
 * Calling contexts. The executive calls every hook from synchronous code: either
 * inside Workload.next() (thread context, between two yields of a guest thread) or
 * inside an ISR that the BSP runs through InterruptDispatch.isr(). No hook may yield
 * or block; a hook that traps to a supervisor which never returns (a partition stopped
 * by its kernel) lets machine's ExecutionAbandoned propagate and the executive
 * rethrows it unchanged.
 */
import type { CpuContext } from './cpuContext.js';

export interface CpuPort {
  /** Architecture name: 'i386', 'sparc', 'test'. Used in traces and reports. */
  readonly name: string;

  /**
   * _CPU_ISR_Disable: disable interrupts and return the previous level as a cookie.
   *
   * Called at the start of every directive's critical section, and by the dispatcher
   * before a context switch (the cookie is then kept in the outgoing thread's control
   * block until that thread runs again). Interrupts may be enabled or already disabled
   * on entry; nesting must work (disable, disable, enable(inner), enable(outer)).
   */
  isrDisable(): number;

  /**
   * _CPU_ISR_Enable: restore the level a matching isrDisable() returned. Restoring a
   * cookie taken while interrupts were disabled leaves them disabled.
   *
   * Called with interrupts disabled, at the end of a critical section and by the
   * dispatcher right after a context switch, with the *heir's* saved cookie (RTEMS
   * `_Thread_Do_dispatch` semantics: each thread keeps its own level across a switch).
   * Enabling with an interrupt pending must let it be taken at the next yield point.
   */
  isrEnable(level: number): void;

  /**
   * _CPU_ISR_Flash: enable interrupts briefly, then disable them again, so that a
   * long critical section offers the hardware a window to interrupt. Called with
   * interrupts disabled and a cookie from isrDisable(); returns with them disabled.
   * Between two yields guest code is atomic, so no interrupt is delivered inside the
   * window; the operation still costs what the architecture charges for it.
   */
  isrFlash(level: number): void;

  /** _CPU_ISR_Get_level: the current level, 0 when interrupts are enabled. Any context. */
  isrGetLevel(): number;

  /**
   * _CPU_ISR_Set_level: set the level directly (rtems_task_mode with
   * RTEMS_INTERRUPT_MASK, and the first dispatch of a new thread, which starts at the
   * level of its initial mode as RTEMS's `_Thread_Handler` does). Thread context.
   */
  isrSetLevel(level: number): void;

  /**
   * _CPU_Context_Initialize: build the context of a new thread that will start with
   * interrupt level `isrLevel`. Called when a task is created (and once at boot for the
   * context the executive switches away from to start multitasking). Interrupts may be
   * in any state; must not touch the running thread's state.
   */
  contextInitialize(isrLevel: number): CpuContext;

  /**
   * _CPU_Context_switch: save the running thread's context into `executing` and load
   * `heir`. Charges the architecture's cost (registers, SPARC window flush). Called by
   * the dispatcher with interrupts disabled; the dispatcher restores the heir's
   * interrupt level itself afterwards, so a port must not rely on restoring EFLAGS.IF
   * or PSR.PIL here (i386 POPF at CPL 3 silently ignores IF; SPARC WRPSR is privileged).
   */
  contextSwitch(executing: CpuContext, heir: CpuContext): void;

  /**
   * Accounts `cycles` of executive work (directive bodies, dispatch, clock tick) to the
   * processor, which then stays busy for them (machine's Processor.charge). Any context.
   */
  charge(cycles: number): void;
}

/** The interrupt-level half of a CpuPort: libcpu-native (privileged instructions) or libcpu-virtual (vCPU page). */
export type CpuInterruptLevel = Pick<CpuPort, 'isrDisable' | 'isrEnable' | 'isrFlash' | 'isrGetLevel' | 'isrSetLevel'>;

/** The thread-context half of a CpuPort: cpu-i386 or cpu-sparc. */
export type CpuContextOperations = Pick<CpuPort, 'contextInitialize' | 'contextSwitch'>;

/**
 * A CpuPort from its two halves and the processor's cycle accounting: what every BSP
 * does (bsp-native with libcpu-native, bsp-virtualpok with libcpu-virtual).
 */
export function composeCpuPort(name: string, level: CpuInterruptLevel, context: CpuContextOperations, charge: (cycles: number) => void): CpuPort {
  return {
    name,
    isrDisable: () => level.isrDisable(),
    isrEnable: (cookie) => level.isrEnable(cookie),
    isrFlash: (cookie) => level.isrFlash(cookie),
    isrGetLevel: () => level.isrGetLevel(),
    isrSetLevel: (value) => level.isrSetLevel(value),
    contextInitialize: (isrLevel) => context.contextInitialize(isrLevel),
    contextSwitch: (executing, heir) => context.contextSwitch(executing, heir),
    charge,
  };
}
