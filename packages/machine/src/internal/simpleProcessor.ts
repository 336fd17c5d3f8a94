import { CycleClock } from '../cycleClock.js';
import type { EventQueue } from '../eventQueue.js';
import type { InterruptRequester } from '../interrupts.js';
import { ProcessorCore } from '../processor.js';
import type { PrivilegeMode } from '../protection.js';
import { TraceRecorder } from '../traceRecorder.js';

export interface SimpleProcessorOptions {
  readonly frequencyHz?: number;
  /** Cycles charged per interrupt taken (entry + exit). */
  readonly interruptCycles?: number;
  readonly trace?: TraceRecorder;
  readonly name?: string;
}

/**
 * A test-double processor: interrupts are accepted when `interruptsEnabled` and the
 * controller has a request; taking one acknowledges it, disables interrupts for the
 * handler (as a trap would), charges `interruptCycles` and calls `handler(vector)`.
 */
export class SimpleProcessor extends ProcessorCore {
  readonly arch = 'simple';
  mode: PrivilegeMode = 'supervisor';
  interruptsEnabled = true;
  handler: (vector: number) => void = () => {};
  readonly interruptCycles: number;
  /** Vectors taken, in order. */
  readonly taken: number[] = [];

  constructor(
    queue: EventQueue,
    private readonly requester: InterruptRequester,
    options: SimpleProcessorOptions = {},
  ) {
    super(options.name ?? 'cpu0', queue, new CycleClock(options.frequencyHz ?? 100_000_000), options.trace ?? TraceRecorder.disabled());
    this.interruptCycles = options.interruptCycles ?? 10;
    this.connectInterrupts(requester);
  }

  /** HLT: wait for the next accepted interrupt. */
  halt(): void {
    this.enterHalt();
  }

  protected acceptsInterrupt(): boolean {
    return this.interruptsEnabled && this.requester.requestLevel() > 0;
  }

  protected deliverInterrupt(): void {
    const vector = this.requester.acknowledge();
    this.taken.push(vector);
    if (this.trace.enabled) this.trace.record(this.queue.now, this.name, 'interrupt', { vector });
    this.charge(this.interruptCycles);
    const saved = this.interruptsEnabled;
    this.interruptsEnabled = false;
    try {
      this.handler(vector);
    } finally {
      this.interruptsEnabled = saved;
    }
  }
}
