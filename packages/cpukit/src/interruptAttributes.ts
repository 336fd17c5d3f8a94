/**
 * The per-vector side of the Interrupt Manager Extension (RTEMS 6 irq-extension.h,
 * cpukit/include/rtems/irq-extension.h): the attributes of a vector
 * (rtems_interrupt_attributes, rtems_interrupt_signal_variant), the results of the
 * directives that have out-parameters, and what a BSP implements to answer them
 * (BspInterruptController: RTEMS's bsp_interrupt_vector_is_enabled,
 * bsp_interrupt_vector_enable / _disable, bsp_interrupt_is_pending, bsp_interrupt_raise,
 * bsp_interrupt_clear, bsp_interrupt_get_attributes, bsp_interrupt_get_priority /
 * _set_priority of bsps/include/bsp/irq-generic.h).
 */
import type { RtemsStatus } from './rtemsStatus.js';

/** rtems_interrupt_signal_variant (irq-extension.h), with RTEMS's values (the enum's order). */
export const RTEMS_INTERRUPT_UNSPECIFIED_SIGNAL = 0;
export const RTEMS_INTERRUPT_NO_SIGNAL = 1;
export const RTEMS_INTERRUPT_SIGNAL_LEVEL_LOW = 2;
export const RTEMS_INTERRUPT_SIGNAL_LEVEL_HIGH = 3;
export const RTEMS_INTERRUPT_SIGNAL_EDGE_FALLING = 4;
export const RTEMS_INTERRUPT_SIGNAL_EDGE_RAISING = 5;

export type InterruptSignalVariant =
  | typeof RTEMS_INTERRUPT_UNSPECIFIED_SIGNAL
  | typeof RTEMS_INTERRUPT_NO_SIGNAL
  | typeof RTEMS_INTERRUPT_SIGNAL_LEVEL_LOW
  | typeof RTEMS_INTERRUPT_SIGNAL_LEVEL_HIGH
  | typeof RTEMS_INTERRUPT_SIGNAL_EDGE_FALLING
  | typeof RTEMS_INTERRUPT_SIGNAL_EDGE_RAISING;

/** rtems_interrupt_attributes, member by member in camelCase. */
export interface InterruptAttributes {
  /** Masked by rtems_interrupt_local_disable. */
  readonly isMaskable: boolean;
  readonly canEnable: boolean;
  readonly maybeEnable: boolean;
  readonly canDisable: boolean;
  readonly maybeDisable: boolean;
  readonly canRaise: boolean;
  readonly canRaiseOn: boolean;
  readonly canClear: boolean;
  /** The pending state is cleared by the processor's interrupt acknowledge. */
  readonly clearedByAcknowledge: boolean;
  readonly canGetAffinity: boolean;
  readonly canSetAffinity: boolean;
  readonly canBeTriggeredByMessage: boolean;
  readonly triggerSignal: InterruptSignalVariant;
  readonly canGetPriority: boolean;
  readonly canSetPriority: boolean;
  readonly maximumPriority: number;
}

/** What rtems_interrupt_get_attributes memsets the structure to before asking the BSP. */
export const ZERO_INTERRUPT_ATTRIBUTES: InterruptAttributes = Object.freeze({
  isMaskable: false,
  canEnable: false,
  maybeEnable: false,
  canDisable: false,
  maybeDisable: false,
  canRaise: false,
  canRaiseOn: false,
  canClear: false,
  clearedByAcknowledge: false,
  canGetAffinity: false,
  canSetAffinity: false,
  canBeTriggeredByMessage: false,
  triggerSignal: RTEMS_INTERRUPT_UNSPECIFIED_SIGNAL,
  canGetPriority: false,
  canSetPriority: false,
  maximumPriority: 0,
});

/** interruptGetAttributes: the attributes (all false / 0 on an error, as RTEMS zeroes them first). */
export interface InterruptAttributesResult {
  readonly status: RtemsStatus;
  readonly attributes: InterruptAttributes;
}

/** interruptVectorIsEnabled. */
export interface InterruptEnabledResult {
  readonly status: RtemsStatus;
  readonly enabled: boolean;
}

/** interruptIsPending. */
export interface InterruptPendingResult {
  readonly status: RtemsStatus;
  readonly pending: boolean;
}

/** interruptGetPriority. */
export interface InterruptPriorityResult {
  readonly status: RtemsStatus;
  readonly priority: number;
}

/**
 * The interrupt controller operations of a BSP, per vector (bsp_interrupt_* of
 * irq-generic.h). cpukit calls them only for a vector `BspHooks.isInterruptVector` accepts
 * (the generic layer answers RTEMS_INVALID_ID before). Any context, any interrupt state;
 * an operation that touches the controller charges its accesses as the board does.
 * A missing operation is RTEMS_UNSATISFIED, as RTEMS's default implementation
 * (bsps/shared/irq/irq-default.c) answers.
 */
export interface BspInterruptController {
  /** bsp_interrupt_get_attributes: what the controller can do with `vector` (cpukit fills the SMP-only members). */
  attributes(vector: number): Partial<InterruptAttributes>;
  /** bsp_interrupt_vector_is_enabled: whether the line is unmasked; undefined when the controller cannot tell (UNSATISFIED). */
  isEnabled?(vector: number): boolean | undefined;
  /** bsp_interrupt_vector_enable: unmask; false when it cannot (UNSATISFIED). */
  enable?(vector: number): boolean;
  /** bsp_interrupt_vector_disable: mask; false when it cannot (UNSATISFIED). */
  disable?(vector: number): boolean;
  /** bsp_interrupt_is_pending: undefined when the controller cannot tell (UNSATISFIED). */
  isPending?(vector: number): boolean | undefined;
  /** bsp_interrupt_raise: make the line pending by software; false when it cannot (UNSATISFIED). */
  raise?(vector: number): boolean;
  /** bsp_interrupt_clear: drop the line's pending request; false when it cannot (UNSATISFIED). */
  clear?(vector: number): boolean;
  /** bsp_interrupt_get_priority: undefined when the controller has none to give (UNSATISFIED). */
  getPriority?(vector: number): number | undefined;
  /** bsp_interrupt_set_priority: false when it cannot (UNSATISFIED). */
  setPriority?(vector: number, priority: number): boolean;
}
