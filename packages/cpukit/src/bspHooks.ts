/**
 * The BSP hooks: the board-specific half of the executive's environment, in the
 * spirit of RTEMS's `bsps/<arch>/<bsp>` (bsp_start, console driver, clock driver,
 * interrupt management, idle body, bsp_fatal). A BSP builds one of these and a
 * CpuPort and hands both to the Executive; bsp-native implements them on simulated
 * hardware, bsp-virtualpok through paravirtualization hypercalls.
 *
 * Every hook is called from synchronous code (never across a yield) and must not block.
 * Hooks may charge processor cycles for the work they model. A hook that traps to a
 * supervisor which never returns lets machine's ExecutionAbandoned propagate.
 */
import type { BspInterruptController } from './interruptAttributes.js';
import type { InterruptDispatch } from './interruptDispatch.js';
import type { PartitionServices } from './partitionServices.js';

export interface BspHooks {
  /** BSP name for traces and reports: 'native-i386', 'virtualpok', 'test'. */
  readonly name: string;

  /**
   * bsp_start: called once by Executive.boot() before any thread exists, with
   * interrupts disabled (boot_card disables them first). Keep `executive`: the BSP's
   * interrupt entry must run every handler through `executive.isr()`.
   */
  start(executive: InterruptDispatch): void;

  /**
   * Console driver write: printf and printk end here with the formatted bytes. Called
   * from thread or ISR context, interrupts in any state. Must copy what it keeps.
   */
  consoleWrite(bytes: Uint8Array): void;

  /**
   * Clock driver initialization (Clock_initialize): arrange a periodic interrupt every
   * `microsecondsPerTick` and, from its ISR (run through `executive.isr()`), call
   * `announce(n)` with the n >= 1 ticks that elapsed since the last call. A virtual BSP
   * whose partition was not running passes the missed ticks at once so guest time stays
   * exact (rtems_clock_tick called n times). Called once from boot(), interrupts disabled.
   */
  clockInitialize(microsecondsPerTick: number, announce: (ticks: number) => void): void;

  /**
   * bsp_interrupt_is_valid_vector: whether `vector` (the BSP's numbering: i386 IRQ line,
   * SPARC interrupt level, the board's line in a partition) is one an interrupt handler may
   * be installed on (rtems_interrupt_handler_install answers RTEMS_INVALID_ID for any other).
   * A pure check; any context.
   */
  isInterruptVector(vector: number): boolean;

  /**
   * bsp_interrupt_vector_enable for the first handler of a vector: call `handler` for every
   * interrupt on `vector`, run through `executive.isr()` (cpukit's handler dispatches the
   * vector's chain of application handlers, RTEMS 6 irq-generic.c). Returns false when the
   * vector does not exist or the BSP holds it itself (its clock driver's line): cpukit asks
   * only for a vector it holds no handler on. Thread context, any interrupt state.
   */
  interruptInstall(vector: number, handler: () => void): boolean;

  /**
   * bsp_interrupt_vector_disable when the last handler of a vector is removed
   * (rtems_interrupt_handler_remove): forget the handler interruptInstall got and mask the
   * vector again. Called only for a vector cpukit installed. Thread context.
   */
  interruptRemove(vector: number): void;

  /**
   * Optional: the trap-table half of `_CPU_ISR_install_vector` on a CPU port with
   * CPU_SIMPLE_VECTORED_INTERRUPTS (simpleVectoredInterrupts.ts): from now on trap
   * `vector % CPU_INTERRUPT_NUMBER_OF_VECTORS` enters `handler`, which the BSP runs through
   * `executive.isr()` (the port's `_ISR_Handler`: cpukit's handler calls the routine
   * `_ISR_Vector_table` holds then). `line` is the interrupt controller line whose
   * interrupt is that trap (SPARC trap 0x10 + n: level n), undefined for any other trap.
   * It replaces whatever the slot held - the BSP's own dispatch of that line, its clock
   * driver's ISR included - and changes no mask. A slot the BSP cannot write (a trap the
   * processor model or a kernel handles) is left as it is. Called again for a vector whose
   * slot it already wrote. Without it rtems_interrupt_catch answers RTEMS_NOT_IMPLEMENTED.
   * Any context.
   */
  vectorInstall?(vector: number, line: number | undefined, handler: () => void): void;

  /**
   * Optional: the interrupt controller's per-vector operations (RTEMS 6
   * bsp_interrupt_vector_is_enabled / _enable / _disable, bsp_interrupt_is_pending,
   * bsp_interrupt_raise, bsp_interrupt_clear, bsp_interrupt_get_attributes) behind
   * rtems_interrupt_vector_enable and friends. Without it those directives answer
   * RTEMS_UNSATISFIED for every valid vector (RTEMS's irq-default.c) and the attributes
   * are all false.
   */
  readonly interruptController?: BspInterruptController;

  /**
   * Optional: BSP_poll_char (rtems/bspIo.h), the console's polled input behind getchark:
   * the next received character (0..255), or -1 when none is waiting. Without it getchark
   * answers -1, as RTEMS does for a BSP without a poll function. Any context; must not block.
   */
  pollChar?(): number;

  /**
   * One iteration of the IDLE thread's body: power down (HLT, or the idle hypercall that
   * gives the rest of the partition window away), then `yield WAIT_FOR_INTERRUPT`.
   * Runs in the IDLE thread with interrupts enabled; the executive calls it in a loop.
   * It must yield at least once per call.
   */
  idle(): Generator<number, void, unknown>;

  /**
   * Optional: the Init task has ended (rtems_task_exit, or deleted by itself or by another
   * task): the application's initialization is over. A partitioned BSP enters the
   * ARINC 653 NORMAL mode here, as the init process of an ARINC partition does when it is
   * done. Thread context, called once per boot.
   */
  initTaskEnded?(): void;

  /**
   * Optional: a rate-monotonic deadline miss the guest detected on period `periodId`
   * (rtems_rate_monotonic_period returned RTEMS_TIMEOUT). A virtual BSP reports it to
   * the kernel's health monitor. Thread context.
   */
  deadlineMissed?(periodId: number): void;

  /**
   * bsp_fatal / _CPU_Fatal_halt: the executive has terminated with an error (`source`
   * is the RTEMS fatal source name, e.g. 'INTERNAL_ERROR_CORE'; `code` its error code;
   * `message` the executive's one-line explanation, bounded). Stop this guest for good: bare metal halts the processor, a partition asks its
   * kernel to stop it (health monitor). Called once; any context.
   */
  fatal(source: string, code: number, message?: string): void;

  /**
   * Application exit (exit(), rtems_shutdown_executive): bare metal halts, a partition
   * goes idle. Called once; thread context.
   */
  exit(status: number): void;

  /**
   * Optional: the ARINC 653 partition services of a partitioned BSP (ports, partition
   * and schedule control, application errors). When present the executive offers them
   * to applications as `rtems.apex`; bare-metal BSPs leave it out.
   */
  readonly partition?: PartitionServices;
}
