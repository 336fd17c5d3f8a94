/**
 * What the executive gives the BSP so that its interrupt entry can run ISRs the way
 * RTEMS's `_ISR_Handler` does: the ISR nesting level is raised around the handler,
 * thread dispatching is disabled inside it, and a dispatch the handler made necessary
 * (a task readied by the clock tick, an event sent) happens only after the outermost
 * ISR has returned, at the next point where the processor asks the executive to run.
 */
export interface InterruptDispatch {
  /**
   * Runs `handler` as an ISR. Nests: an ISR may run inside another one (a BSP that
   * re-enables interrupts in its handler). A JS error thrown by the handler becomes an
   * RTEMS fatal error; machine's ExecutionAbandoned passes through unchanged. Does
   * nothing once the executive has terminated.
   */
  isr(handler: () => void): void;
}
