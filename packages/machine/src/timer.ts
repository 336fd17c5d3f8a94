/**
 * A programmable timer: counts an input clock down from a reload value and raises its
 * interrupt line on expiry, once or periodically. The input clock is any frequency (the
 * i386 PIT runs at 1.193182 MHz, a GPTIMER at its prescaled APB clock).
 *
 * No drift: the k-th expiry of a periodic run started at input cycle c0 is at the instant
 * input cycle c0 + k * reload begins, computed from absolute counts.
 */
import type { CycleClock } from './cycleClock.js';
import type { EventQueue, ScheduledEvent } from './eventQueue.js';
import type { IrqLine } from './interrupts.js';
import type { Nanoseconds } from './time.js';

export interface TimerState {
  readonly running: boolean;
  readonly periodic: boolean;
  readonly reload: number;
  readonly startCycle: number;
  readonly expirations: number;
}

export class ProgrammableTimer {
  private running = false;
  private periodic = false;
  private reload = 0;
  private startCycle = 0;
  /** Expirations since the timer was last started. */
  private count = 0;
  /** Expirations since the timer was created. */
  expirations = 0;
  private event: ScheduledEvent | undefined;

  constructor(
    private readonly queue: EventQueue,
    readonly clock: CycleClock,
    private readonly line: IrqLine,
    readonly name = 'timer',
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts counting `reload` input cycles (>= 1) from the next input clock edge. */
  start(reload: number, periodic: boolean): void {
    if (!Number.isSafeInteger(reload) || reload < 1) throw new RangeError(`${this.name}: reload must be a whole number >= 1, got ${reload}`);
    this.reload = reload;
    this.periodic = periodic;
    this.running = true;
    this.count = 0;
    this.startCycle = this.clock.cycleBoundaryAtOrAfter(this.queue.now);
    this.scheduleNext();
  }

  stop(): void {
    this.running = false;
    if (this.event) this.queue.cancel(this.event);
  }

  /** Input cycles left before the next expiry (the counter register), 0 when stopped. */
  counter(): number {
    if (!this.running) return 0;
    const elapsed = this.clock.cyclesAt(this.queue.now) - this.startCycle;
    return Math.max(0, (this.count + 1) * this.reload - elapsed);
  }

  /** Instant of the next expiry, if running. */
  nextExpiry(): Nanoseconds | undefined {
    return this.running ? this.clock.timeOfCycle(this.startCycle + (this.count + 1) * this.reload) : undefined;
  }

  /** Instant of the k-th expiry from now (k = 1: the next one), if running periodically. */
  expiryAfter(k: number): Nanoseconds | undefined {
    return this.running && this.periodic ? this.clock.timeOfCycle(this.startCycle + (this.count + k) * this.reload) : undefined;
  }

  /**
   * expiryAfter(1) .. expiryAfter(count)'s gaps below a grid of `grid` ns, summed: the sum of
   * t - grid * ceil(t / grid) (CycleClock.gridGapOfCycles); undefined when expiryAfter is.
   */
  expiryGridGaps(count: number, grid: number): number | undefined {
    if (!this.running || !this.periodic) return undefined;
    return this.clock.gridGapOfCycles(this.startCycle + (this.count + 1) * this.reload, this.reload, count, grid);
  }

  /** The queued event of the next expiry, if any (a fast-forward looks past it). */
  get pendingEvent(): ScheduledEvent | undefined {
    return this.event?.pending ? this.event : undefined;
  }

  /**
   * Fast-forward: the next `count` expiries of a periodic run happened (counted) without
   * their events running - their interrupts were accounted for by whoever skipped them. The
   * next expiry is queued where it would have been.
   */
  skip(count: number): void {
    if (!this.running || !this.periodic || count <= 0) return;
    this.count += count;
    this.expirations += count;
    this.scheduleNext();
  }

  getState(): TimerState {
    return { running: this.running, periodic: this.periodic, reload: this.reload, startCycle: this.startCycle, expirations: this.expirations };
  }

  setState(state: TimerState): void {
    this.stop();
    this.periodic = state.periodic;
    this.reload = state.reload;
    this.startCycle = state.startCycle;
    this.expirations = state.expirations;
    this.running = state.running;
    if (this.running) {
      // Resume counting from the snapshot's time base.
      const elapsed = this.clock.cyclesAt(this.queue.now) - this.startCycle;
      this.count = Math.max(0, Math.floor(elapsed / this.reload));
      this.scheduleNext();
    }
  }

  private scheduleNext(): void {
    const at = this.clock.timeOfCycle(this.startCycle + (this.count + 1) * this.reload);
    if (this.event) this.queue.reschedule(this.event, Math.max(at, this.queue.now));
    else this.event = this.queue.at(Math.max(at, this.queue.now), () => this.expire(), this.name);
  }

  private expire(): void {
    this.count++;
    this.expirations++;
    if (this.periodic) this.scheduleNext();
    else this.running = false;
    this.line.raise();
  }
}
