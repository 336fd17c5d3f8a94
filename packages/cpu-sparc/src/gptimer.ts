/**
 * GRLIB GPTIMER, the LEON3 general-purpose timer unit (GRLIB IP Core User's Manual,
 * GPTIMER section): a prescaler shared by up to 7 down-counting 32-bit timers.
 *
 * The prescaler counts the APB clock down; when it underflows it reloads from the
 * scaler reload register and emits a timer tick. With a 50 MHz APB clock and scaler
 * reload 49, ticks come at 1 MHz. A timer decrements on every tick (or, with CH set, on
 * every underflow of the timer before it); when it underflows it reloads from its reload
 * register if RS is set, otherwise it stops at 0xFFFFFFFF with EN cleared, and with IE
 * set it sets IP and raises its interrupt. A period is therefore (reload + 1) ticks.
 *
 * Registers (offsets from the base, 0x80000300 on a typical LEON3):
 *   0x00 scaler value   0x04 scaler reload   0x08 configuration (timers, IRQ, SI, DF)
 *   0x10 * n + 0x0 counter, + 0x4 reload, + 0x8 control (EN RS LD IE IP CH DH), + 0xC latch
 * IP stays set until software writes it as 0 (GR712RC user's manual, GPTIMER timer
 * control register). DH reflects the debug-halt input and reads 0: there is no debugger;
 * latches and the freeze-disable bit (DF) are kept but have no effect.
 *
 * Timing is exact: every tick is an absolute cycle count of the APB clock (CycleClock),
 * so a timer period never drifts however long the run.
 */
import { MAX_TIME_NS, type CycleClock, type EventQueue, type IrqLine, type Nanoseconds, type ScheduledEvent } from '@paravirt/machine';
import type { ApbDevice } from './apbBus.js';

export const GPTIMER_SCALER_VALUE = 0x00;
export const GPTIMER_SCALER_RELOAD = 0x04;
export const GPTIMER_CONFIGURATION = 0x08;
/** Offset of timer n's (1-based) counter register; reload is +4, control +8, latch +0xC. */
export function gptimerTimerOffset(timer: number): number {
  return 0x10 * timer;
}

export const GPTIMER_CTRL_EN = 1 << 0;
export const GPTIMER_CTRL_RS = 1 << 1;
export const GPTIMER_CTRL_LD = 1 << 2;
export const GPTIMER_CTRL_IE = 1 << 3;
export const GPTIMER_CTRL_IP = 1 << 4;
export const GPTIMER_CTRL_CH = 1 << 5;
export const GPTIMER_CTRL_DH = 1 << 6;
export const GPTIMER_CONFIG_SI = 1 << 8;
export const GPTIMER_CONFIG_DF = 1 << 9;

export interface GptimerOptions {
  /** Number of timers, 1..7 (default 2, as in GRLIB's leon3mp design). */
  readonly timers?: number;
  /** Interrupt line of timer 1 (default 8). */
  readonly irq?: number;
  /** Separate interrupts: timer n uses irq + n - 1 (default true); otherwise all share irq. */
  readonly separateInterrupts?: boolean;
  /** Width of the prescaler in bits (default 16). */
  readonly scalerBits?: number;
  readonly name?: string;
}

interface TimerUnit {
  /** Counter value at tick `baseTick` (for a chained or stopped timer: its value now). */
  counter: number;
  baseTick: number;
  reload: number;
  enabled: boolean;
  restart: boolean;
  irqEnable: boolean;
  pending: boolean;
  chain: boolean;
  underflows: number;
  event: ScheduledEvent | undefined;
  readonly line: IrqLine;
}

export interface GptimerTimerState {
  readonly counter: number;
  readonly baseTick: number;
  readonly reload: number;
  readonly control: number;
  readonly underflows: number;
}

export interface GptimerState {
  readonly scalerReload: number;
  readonly scalerBaseCycle: number;
  readonly scalerBaseValue: number;
  readonly disableFreeze: boolean;
  readonly timers: readonly GptimerTimerState[];
}

export class Gptimer implements ApbDevice {
  readonly name: string;
  readonly irq: number;
  readonly separateInterrupts: boolean;
  private readonly scalerMask: number;
  private scalerReload: number;
  /** Prescaler phase: it held `scalerBaseValue` at APB cycle `scalerBaseCycle`. */
  private scalerBaseCycle = 0;
  private scalerBaseValue: number;
  private disableFreeze = false;
  private readonly units: TimerUnit[] = [];

  constructor(
    private readonly queue: EventQueue,
    /** The APB clock (on a LEON3, the processor clock). */
    readonly clock: CycleClock,
    lineOf: (irq: number) => IrqLine,
    options: GptimerOptions = {},
  ) {
    const timers = options.timers ?? 2;
    if (!Number.isInteger(timers) || timers < 1 || timers > 7) throw new RangeError(`GPTIMER has 1..7 timers, got ${timers}`);
    const bits = options.scalerBits ?? 16;
    if (!Number.isInteger(bits) || bits < 1 || bits > 32) throw new RangeError(`GPTIMER scaler width must be 1..32 bits, got ${bits}`);
    this.name = options.name ?? 'gptimer';
    this.irq = options.irq ?? 8;
    this.separateInterrupts = options.separateInterrupts ?? true;
    this.scalerMask = bits === 32 ? 0xffff_ffff : 2 ** bits - 1;
    // Reset: the prescaler at its largest value; a boot loader programs it.
    this.scalerReload = this.scalerMask;
    this.scalerBaseValue = this.scalerMask;
    for (let n = 1; n <= timers; n++) {
      const line = lineOf(this.separateInterrupts ? this.irq + n - 1 : this.irq);
      this.units.push({
        counter: 0,
        baseTick: 0,
        reload: 0,
        enabled: false,
        restart: false,
        irqEnable: false,
        pending: false,
        chain: false,
        underflows: 0,
        event: undefined,
        line,
      });
    }
  }

  get timers(): number {
    return this.units.length;
  }

  /** The interrupt line of timer n (1-based). */
  lineOf(timer: number): number {
    return this.unit(timer).line.number;
  }

  /** Underflows of timer n since reset. */
  underflows(timer: number): number {
    return this.unit(timer).underflows;
  }

  /** Frequency of the prescaler ticks, in Hz (may be fractional). */
  get tickFrequencyHz(): number {
    return this.clock.frequencyHz / (this.scalerReload + 1);
  }

  read(offset: number): number {
    if (offset === GPTIMER_SCALER_VALUE) return this.scalerValueAt(this.nowCycle());
    if (offset === GPTIMER_SCALER_RELOAD) return this.scalerReload;
    if (offset === GPTIMER_CONFIGURATION) {
      return this.units.length | (this.irq << 3) | (this.separateInterrupts ? GPTIMER_CONFIG_SI : 0) | (this.disableFreeze ? GPTIMER_CONFIG_DF : 0);
    }
    const located = this.locate(offset);
    if (!located) return 0;
    const [timer, register] = located;
    switch (register) {
      case 0x0:
        return this.currentCounter(timer) >>> 0;
      case 0x4:
        return timer.reload;
      case 0x8:
        return this.control(timer);
      default:
        return 0;
    }
  }

  write(offset: number, value: number): void {
    const v = value >>> 0;
    if (offset === GPTIMER_SCALER_VALUE) {
      this.rebasePrescaler(v & this.scalerMask, this.scalerReload);
      return;
    }
    if (offset === GPTIMER_SCALER_RELOAD) {
      // The new reload applies from the next underflow: keep the current count.
      this.rebasePrescaler(this.scalerValueAt(this.nowCycle()), v & this.scalerMask);
      return;
    }
    if (offset === GPTIMER_CONFIGURATION) {
      this.disableFreeze = (v & GPTIMER_CONFIG_DF) !== 0;
      return;
    }
    const located = this.locate(offset);
    if (!located) return;
    const [timer, register] = located;
    switch (register) {
      case 0x0:
        this.setCounter(timer, v);
        return;
      case 0x4:
        timer.reload = v;
        return;
      case 0x8:
        this.writeControl(timer, v);
        return;
      default:
        return;
    }
  }

  getState(): GptimerState {
    const now = this.nowCycle();
    const ticks = this.ticksAt(now);
    return {
      scalerReload: this.scalerReload,
      scalerBaseCycle: this.scalerBaseCycle,
      scalerBaseValue: this.scalerBaseValue,
      disableFreeze: this.disableFreeze,
      timers: this.units.map((timer) => ({
        counter: this.runsOnTicks(timer) ? timer.counter - (ticks - timer.baseTick) : timer.counter,
        baseTick: ticks,
        reload: timer.reload,
        control: this.control(timer),
        underflows: timer.underflows,
      })),
    };
  }

  setState(state: GptimerState): void {
    this.scalerReload = state.scalerReload & this.scalerMask;
    this.scalerBaseCycle = state.scalerBaseCycle;
    this.scalerBaseValue = state.scalerBaseValue;
    this.disableFreeze = state.disableFreeze;
    state.timers.forEach((saved, index) => {
      const timer = this.units[index];
      if (!timer) return;
      timer.counter = saved.counter;
      timer.baseTick = saved.baseTick;
      timer.reload = saved.reload;
      timer.underflows = saved.underflows;
      this.applyControlBits(timer, saved.control);
      timer.pending = (saved.control & GPTIMER_CTRL_IP) !== 0;
      this.schedule(timer);
    });
  }

  // ---------------------------------------------------------------- prescaler

  private nowCycle(): number {
    return this.clock.cyclesAt(this.queue.now);
  }

  /** APB cycle of the first tick after the prescaler base. */
  private firstTickCycle(): number {
    return this.scalerBaseCycle + this.scalerBaseValue + 1;
  }

  /** Ticks emitted at or before APB cycle `cycle` since the prescaler base. */
  private ticksAt(cycle: number): number {
    const first = this.firstTickCycle();
    if (cycle < first) return 0;
    return 1 + Math.floor((cycle - first) / (this.scalerReload + 1));
  }

  /** APB cycle of tick k (k >= 1). */
  private cycleOfTick(tick: number): number {
    return this.firstTickCycle() + (tick - 1) * (this.scalerReload + 1);
  }

  private scalerValueAt(cycle: number): number {
    const first = this.firstTickCycle();
    if (cycle < first) return this.scalerBaseValue - (cycle - this.scalerBaseCycle);
    return this.scalerReload - ((cycle - first) % (this.scalerReload + 1));
  }

  /** Changes the prescaler now, keeping every running timer's count. */
  private rebasePrescaler(value: number, reload: number): void {
    const now = this.nowCycle();
    const counts = this.units.map((timer) => this.currentCounter(timer));
    this.scalerBaseCycle = now;
    this.scalerBaseValue = value;
    this.scalerReload = reload;
    this.units.forEach((timer, index) => {
      timer.counter = counts[index]!;
      timer.baseTick = 0;
      this.schedule(timer);
    });
  }

  // ---------------------------------------------------------------- fast-forward

  /**
   * The instant of timer n's k-th underflow from now (k = 1: the one queued next), while it
   * runs on prescaler ticks and reloads itself, no chained timer follows it, and its event
   * is queued; else undefined (PartitionKernel's fast-forward over idle ticks).
   */
  underflowAfter(timer: number, k: number): Nanoseconds | undefined {
    const unit = this.unit(timer);
    if (!this.repeatsAlone(unit)) return undefined;
    const at = this.clock.timeOfCycle(this.cycleOfTick(unit.baseTick + unit.counter + 1 + (k - 1) * (unit.reload + 1)));
    return Number.isSafeInteger(at) && at <= MAX_TIME_NS ? at : undefined;
  }

  /**
   * underflowAfter(timer, 1) .. underflowAfter(timer, count)'s gaps below a grid of `grid`
   * ns, summed, without visiting each (CycleClock.gridGapOfCycles: the underflows are the
   * cycles of an arithmetic progression); undefined when underflowAfter is.
   */
  underflowGridGaps(timer: number, count: number, grid: number): number | undefined {
    const unit = this.unit(timer);
    if (count < 1 || this.underflowAfter(timer, count) === undefined) return undefined;
    const first = this.cycleOfTick(unit.baseTick + unit.counter + 1);
    const step = (unit.reload + 1) * (this.scalerReload + 1);
    return this.clock.gridGapOfCycles(first, step, count, grid);
  }

  /** The queued event of timer n's next underflow. */
  underflowEvent(timer: number): ScheduledEvent | undefined {
    const event = this.unit(timer).event;
    return event?.pending ? event : undefined;
  }

  /**
   * Fast-forward: timer n's next `count` underflows happened (counted, the interrupt-pending
   * bit set as each sets it); their interrupts are counted by whoever skipped them.
   */
  skipUnderflows(timer: number, count: number): void {
    const unit = this.unit(timer);
    if (count <= 0 || !this.repeatsAlone(unit)) return;
    unit.baseTick += unit.counter + 1 + (count - 1) * (unit.reload + 1);
    unit.counter = unit.reload;
    unit.underflows += count;
    if (unit.irqEnable) unit.pending = true;
    this.schedule(unit);
  }

  private repeatsAlone(unit: TimerUnit): boolean {
    const next = this.units[this.units.indexOf(unit) + 1];
    return this.runsOnTicks(unit) && unit.restart && unit.event?.pending === true && !(next?.enabled === true && next.chain);
  }

  // ---------------------------------------------------------------- timers

  private unit(timer: number): TimerUnit {
    const unit = this.units[timer - 1];
    if (!unit) throw new RangeError(`${this.name} has timers 1..${this.units.length}, got ${timer}`);
    return unit;
  }

  private locate(offset: number): [TimerUnit, number] | undefined {
    const index = Math.floor(offset / 0x10);
    const timer = this.units[index - 1];
    return timer ? [timer, offset % 0x10] : undefined;
  }

  /** A timer counting prescaler ticks on its own (enabled, not chained). */
  private runsOnTicks(timer: TimerUnit): boolean {
    return timer.enabled && !timer.chain;
  }

  private currentCounter(timer: TimerUnit): number {
    if (!this.runsOnTicks(timer)) return timer.counter;
    return Math.max(0, timer.counter - (this.ticksAt(this.nowCycle()) - timer.baseTick));
  }

  private control(timer: TimerUnit): number {
    return (
      (timer.enabled ? GPTIMER_CTRL_EN : 0) |
      (timer.restart ? GPTIMER_CTRL_RS : 0) |
      (timer.irqEnable ? GPTIMER_CTRL_IE : 0) |
      (timer.pending ? GPTIMER_CTRL_IP : 0) |
      (timer.chain ? GPTIMER_CTRL_CH : 0)
    );
  }

  private applyControlBits(timer: TimerUnit, value: number): void {
    timer.enabled = (value & GPTIMER_CTRL_EN) !== 0;
    timer.restart = (value & GPTIMER_CTRL_RS) !== 0;
    timer.irqEnable = (value & GPTIMER_CTRL_IE) !== 0;
    timer.chain = (value & GPTIMER_CTRL_CH) !== 0;
  }

  private writeControl(timer: TimerUnit, value: number): void {
    const counter = this.currentCounter(timer);
    if ((value & GPTIMER_CTRL_IP) === 0) timer.pending = false;
    this.applyControlBits(timer, value);
    timer.counter = value & GPTIMER_CTRL_LD ? timer.reload : counter;
    timer.baseTick = this.ticksAt(this.nowCycle());
    this.schedule(timer);
  }

  private setCounter(timer: TimerUnit, value: number): void {
    timer.counter = value;
    timer.baseTick = this.ticksAt(this.nowCycle());
    this.schedule(timer);
  }

  /** Queues the next underflow of a timer running on prescaler ticks. */
  private schedule(timer: TimerUnit): void {
    if (timer.event) this.queue.cancel(timer.event);
    if (!this.runsOnTicks(timer)) return;
    const at = this.clock.timeOfCycle(this.cycleOfTick(timer.baseTick + timer.counter + 1));
    // A count so long its end is past representable time never fires.
    if (!Number.isSafeInteger(at) || at > MAX_TIME_NS) return;
    const time = Math.max(at, this.queue.now);
    if (timer.event) this.queue.reschedule(timer.event, time);
    else timer.event = this.queue.at(time, () => this.tickUnderflow(timer), `${this.name}.timer${this.units.indexOf(timer) + 1}`);
  }

  private tickUnderflow(timer: TimerUnit): void {
    const tick = timer.baseTick + timer.counter + 1;
    this.underflow(timer, tick);
  }

  private underflow(timer: TimerUnit, tick: number): void {
    timer.underflows++;
    if (timer.restart) {
      timer.counter = timer.reload;
      timer.baseTick = tick;
      this.schedule(timer);
    } else {
      timer.counter = 0xffff_ffff;
      timer.enabled = false;
    }
    if (timer.irqEnable) {
      timer.pending = true;
      timer.line.raise();
    }
    const next = this.units[this.units.indexOf(timer) + 1];
    if (next && next.enabled && next.chain) {
      if (next.counter === 0) this.underflow(next, tick);
      else next.counter--;
    }
  }
}
