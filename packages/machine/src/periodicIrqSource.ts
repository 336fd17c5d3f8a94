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

/**
 * An interrupt source whose next raises can be placed in time and skipped: what lets a
 * kernel's fast-forward account for a device's interrupts between its own ticks
 * (PartitionKernel.interruptSources) instead of stopping at each.
 */
export interface SkippableIrqSource {
  /** The controller line it raises (IrqLine.number). */
  readonly lineNumber: number;
  /** The queued event of its next raise, if one is queued. */
  readonly nextEvent: ScheduledEvent | undefined;
  /** The instant of its k-th next raise (k = 1: the queued one), or undefined when it cannot tell (jitter) or there is none. */
  raiseAt(k: number): Nanoseconds | undefined;
  /**
   * Its next `count` raises happened (each raiseAt(k) <= raiseAt(count) was defined): it
   * counts them and moves past them. What the line and the controller did with them is for
   * the caller to account for (Platform.skipDeviceRaises).
   */
  skipRaises(count: number): void;
}

export interface PeriodicIrqSourceState {
  readonly raises: number;
  readonly lastRaise: Nanoseconds;
  readonly nextNominal: Nanoseconds;
  readonly running: boolean;
}

export class PeriodicIrqSource implements SkippableIrqSource {
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

  get lineNumber(): number {
    return this.line.number;
  }

  get nextEvent(): ScheduledEvent | undefined {
    return this.event?.pending === true ? this.event : undefined;
  }

  /** Without jitter the raises are the queued one and every period after it (each at its nominal time: the queued one is not late). */
  raiseAt(k: number): Nanoseconds | undefined {
    const event = this.nextEvent;
    if (event === undefined || (this.options.jitter ?? 0) > 0 || event.time !== this.nextNominal || !(k >= 1)) return undefined;
    const at = this.nextNominal + (k - 1) * this.options.period;
    return isValidTime(at) ? at : undefined;
  }

  skipRaises(count: number): void {
    if (count < 1) return;
    const last = this.raiseAt(count);
    if (last === undefined) throw new RangeError(`${this.name}: cannot skip ${count} raises`);
    this.raises += count;
    this.lastRaise = last;
    this.nextNominal += count * this.options.period;
    // As fire() leaves it: the next raise queued, or none past representable time.
    if (isValidTime(this.nextNominal)) this.queue.reschedule(this.event!, this.nextNominal);
    else this.queue.cancel(this.event!);
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
