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
 * Which bits of a task mode are its interrupt level is the port's `interruptMask`
 * (CPU_MODES_INTERRUPT_MASK: 0x1 on i386, 0xF on SPARC): the executive masks every mode
 * with it before a level reaches isrSetLevel or contextInitialize, as RTEMS's
 * _Modes_Get_interrupt_level does with RTEMS_INTERRUPT_MASK.
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
   * CPU_MODES_INTERRUPT_MASK of the port's score/cpu cpu.h: the bits of a task mode that
   * are its interrupt level, i.e. the port's RTEMS_INTERRUPT_MASK (i386 0x1: one enable
   * flag; SPARC 0xF: the 16 levels of PSR.PIL; the no_cpu template 0xFF). The same in a
   * partition as on bare metal: it is the architecture's, whoever implements the levels.
   */
  readonly interruptMask: number;

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

  /**
   * CPU_HARDWARE_FP: the floating-point half of the port, for RTEMS_FLOATING_POINT tasks.
   * Absent (the test double, soft-float) means no FP context exists: `fpCompute` is plain
   * compute in any task and nothing is switched or charged.
   */
  readonly floatingPoint?: CpuFloatingPoint;
}

/**
 * How a port switches floating-point contexts. The executive keeps the FPU's owner (RTEMS
 * `_Thread_Allocated_fp`, uniprocessor) and asks the port to move the FPU to another FP task
 * only when that task needs it; tasks without RTEMS_FLOATING_POINT never own it, so an
 * application without FP tasks never reaches these hooks.
 */
export interface CpuFloatingPoint {
  /**
   * When the FPU changes owner:
   * - 'dispatch': CPU_USE_DEFERRED_FP_SWITCH (RTEMS i386 without SSE, `_Thread_Restore_fp`
   *   in `_Thread_Do_dispatch`): right after the switch to an FP task that does not own it;
   * - 'first-use': SPARC_USE_LAZY_FP_SWITCH (RTEMS SPARC uniprocessor): at the FP task's
   *   first FP instruction, which raises fp_disabled (PSR.EF = 0) into the port's handler.
   */
  readonly switchAt: 'dispatch' | 'first-use';
  /**
   * _CPU_Context_save_fp of `owner` (none: the FPU holds nobody's context) then
   * _CPU_Context_restore_fp of `heir`, with everything the architecture needs around it
   * (the fp_disabled trap, PSR.EF); charges its costs. Thread context, interrupts disabled
   * for 'dispatch', any level for 'first-use'.
   */
  switchFp(owner: CpuContext | undefined, heir: CpuContext): void;
  /**
   * Optional: the executing FP task (which owns the FPU by now) performs FP work
   * (`fpCompute`): the port executes an FP instruction on the processor, so a supervisor
   * that keeps the FPU disabled (SPARC PSR.EF = 0 in a partition) traps it. Called on every
   * `fpCompute` of an FP task, never for integer work; it charges nothing when the FPU is
   * enabled (the cycles are the FP work's).
   */
  use?(): void;
}

/** The interrupt-level half of a CpuPort: libcpu-native (privileged instructions) or libcpu-virtual (vCPU page). */
export type CpuInterruptLevel = Pick<CpuPort, 'interruptMask' | 'isrDisable' | 'isrEnable' | 'isrFlash' | 'isrGetLevel' | 'isrSetLevel'>;

/** The thread-context half of a CpuPort: cpu-i386 or cpu-sparc (with its floating-point switch, if the architecture has an FPU). */
export type CpuContextOperations = Pick<CpuPort, 'contextInitialize' | 'contextSwitch' | 'floatingPoint'>;

/**
 * A CpuPort from its two halves and the processor's cycle accounting: what every BSP
 * does (bsp-native with libcpu-native, bsp-virtualpok with libcpu-virtual).
 */
export function composeCpuPort(name: string, level: CpuInterruptLevel, context: CpuContextOperations, charge: (cycles: number) => void): CpuPort {
  const floatingPoint = context.floatingPoint;
  return {
    ...(floatingPoint === undefined ? {} : { floatingPoint }),
    name,
    interruptMask: level.interruptMask,
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
