/**
 * States of a rate-monotonic period (rtems_rate_monotonic_period_states, RTEMS 4.10
 * values). The transient OWNER_IS_BLOCKING / EXPIRED_WHILE_BLOCKING states of RTEMS
 * exist to close a race with the clock interrupt that cannot happen here (directive
 * bodies are atomic), so a waiting owner's period is simply ACTIVE.
 */
export enum RateMonotonicState {
  /** Created or cancelled, not running. */
  INACTIVE = 0,
  /** Running: the current period has not ended yet. */
  ACTIVE = 2,
  /** The period ended before its owner called rtems_rate_monotonic_period again. */
  EXPIRED = 4,
}
