/**
 * A partition's virtual timer (TIMER_SET). Kernels are tick-driven (POK and AIR both
 * process time at the kernel tick), so the timer is advanced from the kernel's tick
 * handler: every expiry due at or before the tick raises VirtualLine.TIMER once, whether
 * or not the partition is running. An expiry that finds the line still pending is counted
 * as an overrun by the virtual interrupt controller, which is how a guest that was not
 * scheduled for several ticks learns how many it missed. Expiry k is at first + k * period
 * exactly; the tick only decides when it is noticed. Times are the kernel's clock
 * (PartitionKernel.kernelTime: ticks x nominal tick), as the guest's clock ticks are the
 * kernel's ticks in POK and AIR: a period of n kernel ticks expires at every n-th tick,
 * even where the hardware's tick is not exactly the nominal one (the i386 PIT).
 *
 * Bounded whatever the guest programs (the dispatcher has already refused expiries past
 * the end of virtual time): the first MAX_RAISES_PER_ADVANCE expiries of one advance are
 * raised one by one; any beyond (a period far shorter than the kernel tick, such as 1 ns)
 * are counted with arithmetic and raised in one go, so the kernel's work per tick does not
 * grow with them. A periodic timer whose next expiry would pass the end of virtual time
 * (MAX_TIME_NS) stops.
 *
 * Deferred (defer/settle): while its partition is outside its window with TIMER already
 * latched, every expiry can only be coalesced - counted, with the overrun word of the vCPU
 * page rewritten - and nothing can see those counts until the partition runs again or is
 * looked at. The kernel then stops advancing the timer at each tick (so a tick's cost does
 * not grow with the number of partitions, issue 16) and the timer raises them all at once
 * when settled: at the partition's next window, at a mode change, when its counts are read
 * (any getter here, PartitionRuntime.virqStats) or when it is set or cancelled. The counts
 * and the page are then what raising them tick by tick gives (raise(line, times) on a
 * pending line is exactly `times` coalesced raises); the kernel defers only without a trace,
 * whose records would show the ticks.
 */
import { MAX_TIME_NS, type Nanoseconds } from '@paravirt/machine';
import { VirtualLine } from '@paravirt/paravirt-api';
import type { VirtualInterruptController } from './virtualInterrupts.js';

/** Expiries of one advance raised one at a time; the rest are raised at once. */
export const MAX_RAISES_PER_ADVANCE = 1000;

export class VirtualTimer {
  private next: Nanoseconds | undefined;
  private period: Nanoseconds = 0;
  private expired = 0;
  /** While deferred: the time of the kernel's latest tick, which settle() catches up to. */
  private deferredTo: (() => Nanoseconds) | undefined;
  /** Called when the timer is armed, cancelled or settled (the kernel keeps the earliest expiry of its timers: PartitionKernel). */
  onChange: (() => void) | undefined;

  /** `interrupts` receives the raises: a partition's raiseInterrupt (which counts them at their source), or a controller. */
  constructor(private readonly interrupts: Pick<VirtualInterruptController, 'raise'>) {}

  get armed(): boolean {
    this.settle();
    return this.next !== undefined;
  }

  /** The next expiry, if armed. */
  get nextExpiry(): Nanoseconds | undefined {
    this.settle();
    return this.next;
  }

  /** Expiries so far, counted here at the timer (each one raised VirtualLine.TIMER once). */
  get expirations(): number {
    this.settle();
    return this.expired;
  }

  /** The period (0: one-shot), whatever the timer's state. */
  get periodNs(): Nanoseconds {
    return this.period;
  }

  /**
   * Fast-forward (PartitionKernel's timer upcalls): the next `count` expiries happened, one
   * per kernel tick, and each was raised (raised and counted by the caller, as advance()
   * would have). The caller has checked that they come before the end of virtual time.
   */
  creditExpiries(count: number): void {
    this.expired += count;
    this.next = this.next! + count * this.period;
  }

  /** True while the kernel holds the expiries back (defer). */
  get deferred(): boolean {
    return this.deferredTo !== undefined;
  }

  /**
   * From now on, expiries are not raised at each advance but all at once by settle(), up to
   * `lastTick()` then. Only for a timer whose line is latched and will stay so until settled
   * (the kernel's rule: see the class comment).
   */
  defer(lastTick: () => Nanoseconds): void {
    this.deferredTo = lastTick;
  }

  /** Raises every expiry held back since defer(), up to the latest tick, in one raise; back to advancing at each tick. */
  settle(): void {
    const lastTick = this.deferredTo;
    if (lastTick === undefined) return;
    this.deferredTo = undefined;
    const now = lastTick();
    const next = this.next;
    if (next !== undefined && next <= now) {
      const count = this.period > 0 ? Math.floor((now - next) / this.period) + 1 : 1;
      this.expired += count;
      this.interrupts.raise(VirtualLine.TIMER, count);
      this.next = this.period > 0 ? this.following(next + (count - 1) * this.period) : undefined;
    }
    this.onChange?.();
  }

  /** Arms the timer; an expiry past the end of virtual time never comes (the timer stays disarmed). */
  set(now: Nanoseconds, firstNs: Nanoseconds, periodNs: Nanoseconds): void {
    this.settle();
    this.next = firstNs <= MAX_TIME_NS - now ? now + firstNs : undefined;
    this.period = periodNs;
    this.onChange?.();
  }

  cancel(): void {
    this.settle();
    this.next = undefined;
    this.onChange?.();
  }

  /** Raises the timer line for every expiry due at or before `now`; returns how many. */
  advance(now: Nanoseconds): number {
    this.settle();
    let count = 0;
    while (this.next !== undefined && this.next <= now) {
      if (count === MAX_RAISES_PER_ADVANCE && this.period > 0) {
        // The rest at once: every expiry up to `now`, counted, not looped.
        const rest = Math.floor((now - this.next) / this.period) + 1;
        count += rest;
        this.expired += rest;
        this.interrupts.raise(VirtualLine.TIMER, rest);
        this.next = this.following(this.next + (rest - 1) * this.period);
        break;
      }
      count++;
      this.expired++;
      this.interrupts.raise(VirtualLine.TIMER);
      this.next = this.period > 0 ? this.following(this.next) : undefined;
    }
    return count;
  }

  /** The expiry after `expiry`, or undefined past the end of virtual time. */
  private following(expiry: Nanoseconds): Nanoseconds | undefined {
    return this.period <= MAX_TIME_NS - expiry ? expiry + this.period : undefined;
  }
}
