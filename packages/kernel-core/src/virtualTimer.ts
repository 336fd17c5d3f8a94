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
 */
import { MAX_TIME_NS, type Nanoseconds } from '@paravirt/machine';
import { VirtualLine } from '@paravirt/paravirt-api';
import type { VirtualInterruptController } from './virtualInterrupts.js';

/** Expiries of one advance raised one at a time; the rest are raised at once. */
export const MAX_RAISES_PER_ADVANCE = 1000;

export class VirtualTimer {
  private next: Nanoseconds | undefined;
  private period: Nanoseconds = 0;
  /** Expiries so far, counted here at the timer (each one raised VirtualLine.TIMER once). */
  expirations = 0;

  /** `interrupts` receives the raises: a partition's raiseInterrupt (which counts them at their source), or a controller. */
  constructor(private readonly interrupts: Pick<VirtualInterruptController, 'raise'>) {}

  get armed(): boolean {
    return this.next !== undefined;
  }

  /** The next expiry, if armed. */
  get nextExpiry(): Nanoseconds | undefined {
    return this.next;
  }

  /** Arms the timer; an expiry past the end of virtual time never comes (the timer stays disarmed). */
  set(now: Nanoseconds, firstNs: Nanoseconds, periodNs: Nanoseconds): void {
    this.next = firstNs <= MAX_TIME_NS - now ? now + firstNs : undefined;
    this.period = periodNs;
  }

  cancel(): void {
    this.next = undefined;
  }

  /** Raises the timer line for every expiry due at or before `now`; returns how many. */
  advance(now: Nanoseconds): number {
    let count = 0;
    while (this.next !== undefined && this.next <= now) {
      if (count === MAX_RAISES_PER_ADVANCE && this.period > 0) {
        // The rest at once: every expiry up to `now`, counted, not looped.
        const rest = Math.floor((now - this.next) / this.period) + 1;
        count += rest;
        this.expirations += rest;
        this.interrupts.raise(VirtualLine.TIMER, rest);
        this.next = this.following(this.next + (rest - 1) * this.period);
        break;
      }
      count++;
      this.expirations++;
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
