/**
 * Fatal error sources and the executive's internal error codes, with RTEMS's values
 * (rtems/score/interr.h: Internal_errors_Source, Internal_errors_Core_list). A fatal
 * error ends the executive (_Terminate): BspHooks.fatal(name, code) is called and no
 * thread runs again.
 */
export enum FatalSource {
  INTERNAL_ERROR_CORE = 0,
  INTERNAL_ERROR_RTEMS_API = 1,
  INTERNAL_ERROR_POSIX_API = 2,
  RTEMS_FATAL_SOURCE_BDBUF = 3,
  RTEMS_FATAL_SOURCE_APPLICATION = 4,
  RTEMS_FATAL_SOURCE_EXIT = 5,
  RTEMS_FATAL_SOURCE_BSP = 6,
  RTEMS_FATAL_SOURCE_ASSERT = 7,
  RTEMS_FATAL_SOURCE_STACK_CHECKER = 8,
  RTEMS_FATAL_SOURCE_EXCEPTION = 9,
  RTEMS_FATAL_SOURCE_SMP = 10,
  RTEMS_FATAL_SOURCE_PANIC = 11,
}

/**
 * Codes of FatalSource.INTERNAL_ERROR_CORE. The first group has RTEMS's numbers; the
 * codes from 0x100 on are this executive's own, for failures RTEMS cannot have
 * because they come from running guest code as JavaScript generators.
 */
export enum InternalError {
  TOO_LITTLE_WORKSPACE = 2,
  /** A thread body returned where RTEMS forbids it (not used: a return here is a task exit). */
  THREAD_EXITTED = 5,
  /** A thread tried to block where blocking is impossible: in an ISR or with dispatching disabled (RTEMS 4.11/5). */
  THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE = 18,
  RESOURCE_IN_USE = 25,
  /**
   * A thread queue enqueue would close a cycle of owners (_Thread_queue_Deadlock_fatal):
   * a self-contained mutex locked again by its owner, or locked in a chain of owners
   * that leads back to the caller.
   */
  THREAD_QUEUE_DEADLOCK = 28,
  /** rtems_task_exit from an ISR or with dispatching disabled. */
  BAD_THREAD_DISPATCH_DISABLE_LEVEL = 30,
  RTEMS_INIT_TASK_CREATE_FAILED = 32,
  /** A task without RTEMS_FLOATING_POINT (or an ISR) used the FPU (spfatal30, SPARC's fp_disabled handler). */
  ILLEGAL_USE_OF_FLOATING_POINT_UNIT = 38,
  IDLE_THREAD_CREATE_FAILED = 43,
  /** Guest code threw a JavaScript error (the analogue of an unhandled CPU exception). */
  GUEST_EXCEPTION = 0x100,
  /** A thread yielded something that is not a cycle count (or WAIT_FOR_INTERRUPT outside IDLE). */
  INVALID_YIELD = 0x101,
  /** An ISR or timer service routine ran away (yielded more steps than any ISR may take). */
  RUNAWAY_ISR = 0x102,
  /**
   * The application's configuration is invalid (validateConfiguration). confdefs refuses
   * to build such an application (#error); a JS module is only read at run time, so the
   * executive refuses it at boot instead, before any thread exists.
   */
  INVALID_CONFIGURATION = 0x103,
  /**
   * Guest work would run past the end of representable virtual time (2^53 - 1 ns): a
   * compute step, or interrupt-context work, too long for any clock (machine's
   * Workload.pastEndOfTime).
   */
  END_OF_TIME = 0x104,
  /**
   * A generator directive was called without `yield*`: its generator was not started
   * by the time the caller yielded or called another generator directive, so it did
   * nothing (see Score.notDelegated).
   */
  DIRECTIVE_NOT_DELEGATED = 0x105,
}

/** The name BspHooks.fatal receives for a source, e.g. 'INTERNAL_ERROR_CORE'. */
export function fatalSourceName(source: number): string {
  return FatalSource[source] ?? `RTEMS_FATAL_SOURCE_${source}`;
}
