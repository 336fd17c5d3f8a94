/**
 * A partition's virtual timer (TIMER_SET). Kernels are tick-driven (POK and AIR both
 * process time at the kernel tick), so the timer is advanced from the kernel's tick
 * handler: every expiry due at or before the tick raises VirtualLine.TIMER once, whether
 * or not the partition is running. An expiry that finds the line still pending is counted
 * as an overrun by the virtual interrupt controller, which is how a guest that was not
 * scheduled for several ticks learns how many it missed. Expiry k is at first + k * period
 * exactly; the tick only decides when it is noticed.
 */
import type { Nanoseconds } from '@paravirt/machine';
import { VirtualLine } from '../virtualLines.js';
import type { VirtualInterruptController } from './virtualInterrupts.js';

export class VirtualTimer {
  private next: Nanoseconds | undefined;
  private period: Nanoseconds = 0;
  expirations = 0;

  constructor(private readonly interrupts: VirtualInterruptController) {}

  get armed(): boolean {
    return this.next !== undefined;
  }

  /** The next expiry, if armed. */
  get nextExpiry(): Nanoseconds | undefined {
    return this.next;
  }

  set(now: Nanoseconds, firstNs: Nanoseconds, periodNs: Nanoseconds): void {
    this.next = now + firstNs;
    this.period = periodNs;
  }

  cancel(): void {
    this.next = undefined;
  }

  /** Raises the timer line for every expiry due at or before `now`; returns how many. */
  advance(now: Nanoseconds): number {
    let count = 0;
    while (this.next !== undefined && this.next <= now) {
      count++;
      this.expirations++;
      this.interrupts.raise(VirtualLine.TIMER);
      this.next = this.period > 0 ? this.next + this.period : undefined;
    }
    return count;
  }
}
