/**
 * An external device that raises an interrupt line periodically, optionally with seeded
 * jitter: the stimulus for interrupt-latency studies. It remembers when it raised the
 * line so latency (raise -> handler entry) can be measured against it.
 */
import type { EventQueue, ScheduledEvent } from './eventQueue.js';
import type { IrqLine } from './interrupts.js';
import type { Prng } from './prng.js';
import { isValidTime, type Nanoseconds } from './time.js';

export interface PeriodicIrqSourceOptions {
  readonly period: Nanoseconds;
  /** First raise; defaults to one period from now. */
  readonly start?: Nanoseconds;
  /** Each raise is delayed by a uniform 0..jitter ns (needs prng). */
  readonly jitter?: Nanoseconds;
  readonly prng?: Prng;
  readonly name?: string;
}

export interface PeriodicIrqSourceState {
  readonly raises: number;
  readonly lastRaise: Nanoseconds;
  readonly nextNominal: Nanoseconds;
  readonly running: boolean;
}

export class PeriodicIrqSource {
  raises = 0;
  /** Time of the most recent raise (-1 before the first). */
  lastRaise: Nanoseconds = -1;
  private nextNominal: Nanoseconds;
  private event: ScheduledEvent | undefined;
  private running = false;
  readonly name: string;

  constructor(
    private readonly queue: EventQueue,
    private readonly line: IrqLine,
    private readonly options: PeriodicIrqSourceOptions,
  ) {
    if (!Number.isSafeInteger(options.period) || options.period <= 0) {
      throw new RangeError(`periodic interrupt source: period must be a positive whole number of ns, got ${options.period}`);
    }
    if ((options.jitter ?? 0) > 0 && !options.prng) throw new RangeError('periodic interrupt source: jitter needs a prng');
    this.name = options.name ?? `periodic-irq-${line.number}`;
    this.nextNominal = options.start ?? queue.now + options.period;
  }

  start(): void {
    this.running = true;
    this.scheduleNext();
  }

  stop(): void {
    this.running = false;
    if (this.event) this.queue.cancel(this.event);
  }

  getState(): PeriodicIrqSourceState {
    return { raises: this.raises, lastRaise: this.lastRaise, nextNominal: this.nextNominal, running: this.running };
  }

  setState(state: PeriodicIrqSourceState): void {
    this.stop();
    this.raises = state.raises;
    this.lastRaise = state.lastRaise;
    this.nextNominal = state.nextNominal;
    if (state.running) this.start();
  }

  private scheduleNext(): void {
    const jitter = this.options.jitter ?? 0;
    const delay = jitter > 0 ? this.options.prng!.int(0, jitter) : 0;
    const at = Math.max(this.queue.now, this.nextNominal + delay);
    // A raise past representable time never comes (no run reaches it), as a timer's expiry past it never does.
    if (!isValidTime(at)) return;
    if (this.event) this.queue.reschedule(this.event, at);
    else this.event = this.queue.at(at, () => this.fire(), this.name);
  }

  private fire(): void {
    this.raises++;
    this.lastRaise = this.queue.now;
    this.nextNominal += this.options.period;
    if (this.running) this.scheduleNext();
    this.line.raise();
  }
}
