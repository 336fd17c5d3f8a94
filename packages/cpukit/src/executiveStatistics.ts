/** What an Executive reports about its run (the runner's summary and report show it). */
import type { RateMonotonicState } from './rateMonotonicState.js';

export interface ThreadStatistics {
  readonly id: number;
  /** The four-character object name, e.g. 'TA1 ' or 'IDLE'. */
  readonly name: string;
  /** 'executing', 'ready', 'dormant', 'suspended', 'delaying', 'waiting-for-semaphore', ..., 'deleted'; blocked states joined with '+'. */
  readonly state: string;
  readonly currentPriority: number;
  readonly realPriority: number;
  /** Times the thread was switched to. */
  readonly dispatches: number;
}

export interface PeriodStatistics {
  readonly id: number;
  readonly name: string;
  /** Id of the owning task. */
  readonly owner: number;
  readonly state: RateMonotonicState;
  readonly deleted: boolean;
  /** Periods concluded. */
  readonly count: number;
  readonly missedCount: number;
}

export interface ExecutiveStatistics {
  /** Thread context switches, the first one (out of the boot context) included. */
  readonly contextSwitches: number;
  /** Floating-point context switches: the FPU given to another RTEMS_FLOATING_POINT task (0 without FP tasks). */
  readonly fpContextSwitches: number;
  /** Clock ticks announced since boot. */
  readonly ticks: number;
  /** ISRs run through InterruptDispatch.isr(). */
  readonly interrupts: number;
  /** Rate-monotonic deadline misses, all periods together. */
  readonly deadlineMisses: number;
  /** Every live period and the last 256 deleted ones, in creation order. */
  readonly periods: readonly PeriodStatistics[];
  /** Every live thread and the last 256 deleted ones (IDLE first), in creation order. */
  readonly threads: readonly ThreadStatistics[];
}
