/**
 * A periodic tick from the 8254's counter 0, for any tick length.
 *
 * A tick of up to 65536 input clocks (54.9 ms at 1.193182 MHz) is one rate-generator
 * (mode 2) period: count = round(period x 1.193182 MHz), as POK's x86 timer does
 * (pok_x86_qemu_timer_init, kernel/arch/x86/x86-qemu/pit.c: OSCILLATOR_RATE / frequency in
 * mode 2). The count cannot be exact (1 ms is 1193 clocks, 999847.47 ns), but it is the
 * hardware's own rounding.
 *
 * A longer tick does not fit the 16-bit counter. RTEMS's pc386 clock driver then splits it
 * into several PIT interrupts and counts them (bsps/i386/pc386/clock/ckinit.c, clockOn():
 * pc386_isrs_per_tick grows until the per-ISR count fits 16 bits; the shared clockimpl.h
 * Clock_isr announces the tick once per CLOCK_DRIVER_ISRS_PER_TICK ISRs). A separation
 * kernel's windows must start on time, so the pieces here are not equal periods of a
 * rounded total (which would drift a little every tick): each piece is a one-shot count
 * (mode 0, re-armed by the interrupt) towards the PIT clock edge at or after the tick's
 * nominal instant start + k x period, computed from absolute clock counts. Tick k is
 * therefore taken at most one PIT clock (838 ns) after its nominal time, for any k: window
 * boundaries and guest time stay exact, and the PIT interrupts per tick are
 * ceil(tick clocks / 65536) (two for 100 ms, nineteen for 1 s).
 */
import { type CycleClock, formatDuration, MAX_TIME_NS, type Nanoseconds } from '@paravirt/machine';
import { PIT_FREQUENCY_HZ } from './pit8254.js';

/** Largest count of a counter: 65536 (written as 0; 8254 datasheet, "Counter Loading"). */
export const PIT_MAX_COUNT = 0x1_0000;
/** Smallest count mode 2 takes: a count of 1 is illegal in the rate generator (8254 datasheet, mode 2). */
export const PIT_MIN_RATE_COUNT = 2;

/** The PIT count nearest to `periodNs`: what one rate-generator period programs. */
export function pitRateCount(periodNs: Nanoseconds): number {
  return Math.round((periodNs * PIT_FREQUENCY_HZ) / 1e9);
}

/** The shortest tick the PIT gives: the smallest ns whose nearest count is 2 (a 1676 ns period). */
export const I386_MIN_TICK_NS: Nanoseconds = Math.ceil(((PIT_MIN_RATE_COUNT - 0.5) * 1e9) / PIT_FREQUENCY_HZ);

/** The longest tick that is one rate-generator period (count 65536, 54.9 ms); longer ticks are split. */
export const I386_MAX_SINGLE_TICK_NS: Nanoseconds = Math.floor(((PIT_MAX_COUNT + 0.5) * 1e9) / PIT_FREQUENCY_HZ);

/**
 * Why the PIT cannot produce a periodic tick of `periodNs`, or undefined if it can (any
 * whole number of ns from I386_MIN_TICK_NS up: long ticks are split into several
 * interrupts).
 */
export function i386TickProblem(periodNs: Nanoseconds): string | undefined {
  if (!Number.isSafeInteger(periodNs) || periodNs <= 0) return `the tick must be a positive whole number of ns, got ${periodNs}`;
  if (pitRateCount(periodNs) < PIT_MIN_RATE_COUNT) {
    return `${formatDuration(periodNs)} is shorter than the i386 PIT can tick: its rate generator divides the 1.193182 MHz clock by at least ${PIT_MIN_RATE_COUNT}, so the tick must be at least ${formatDuration(I386_MIN_TICK_NS)}`;
  }
  return undefined;
}

/** True if `periodNs` is split into several PIT interrupts (longer than one 16-bit count). */
export function pitTickIsSplit(periodNs: Nanoseconds): boolean {
  return pitRateCount(periodNs) > PIT_MAX_COUNT;
}

/**
 * The one-shot count for the next piece: from the clock edge the count loads on (`load`)
 * towards the edge `target`. Up to 65536 clocks it reaches the target; past that the rest
 * is cut into equal pieces of at most 65536 clocks. An overdue target gets the shortest
 * count (the tick is taken at the next clock).
 */
export function pitPieceCount(load: number, target: number): number {
  const remaining = target - load;
  if (remaining <= PIT_MAX_COUNT) return Math.max(1, remaining);
  return Math.ceil(remaining / Math.ceil(remaining / PIT_MAX_COUNT));
}

/**
 * The split tick's bookkeeping (what the kernel's IRQ 0 stub keeps): which tick the pieces
 * lead to and when it is due. `program(count)` writes a one-shot count to counter 0; the
 * PIT loads it at the first input clock edge at or after now.
 */
export class PitTickSplitter {
  /** PIT interrupts taken, and how many of them were ticks. */
  interrupts = 0;
  ticks = 0;
  /** The tick the armed pieces lead to (1 = the first). */
  private next = 1;

  constructor(
    readonly periodNs: Nanoseconds,
    private readonly startNs: Nanoseconds,
    private readonly clock: CycleClock,
    private readonly now: () => Nanoseconds,
    private readonly program: (count: number) => void,
  ) {}

  /** Nominal instant of tick k: start + k x period. */
  nominal(k: number): Nanoseconds {
    return this.startNs + k * this.periodNs;
  }

  /** Arms the first piece. */
  start(): void {
    this.arm();
  }

  /**
   * IRQ 0 arrived: re-arms the next piece and says whether this interrupt is a tick (its
   * nominal time has come) or only a piece of one. An interrupt taken so late that
   * several ticks are due is one tick, as a PIC coalesces a line it has not acknowledged.
   */
  interrupt(): boolean {
    this.interrupts++;
    const now = this.now();
    const due = now >= this.nominal(this.next);
    if (due) {
      this.ticks++;
      while (now >= this.nominal(this.next)) this.next++;
    }
    this.arm();
    return due;
  }

  private arm(): void {
    const nominal = this.nominal(this.next);
    // A tick past representable time never comes (the run cannot reach it).
    if (!Number.isSafeInteger(nominal) || nominal > MAX_TIME_NS) return;
    const target = this.clock.cycleBoundaryAtOrAfter(nominal);
    const load = this.clock.cycleBoundaryAtOrAfter(this.now());
    const count = pitPieceCount(load, target);
    if (this.clock.timeOfCycle(load + count) > MAX_TIME_NS) return;
    this.program(count);
  }
}
