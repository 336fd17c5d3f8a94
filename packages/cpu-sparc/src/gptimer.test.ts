import { CycleClock, EventQueue } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import {
  GPTIMER_CONFIGURATION,
  GPTIMER_CTRL_CH,
  GPTIMER_CTRL_DH,
  GPTIMER_CTRL_EN,
  GPTIMER_CTRL_IE,
  GPTIMER_CTRL_IP,
  GPTIMER_CTRL_LD,
  GPTIMER_CTRL_RS,
  GPTIMER_SCALER_RELOAD,
  GPTIMER_SCALER_VALUE,
  Gptimer,
  gptimerTimerOffset,
} from './gptimer.js';
import { Irqmp } from './irqmp.js';

const COUNTER = 0x0;
const RELOAD = 0x4;
const CONTROL = 0x8;

/** A 50 MHz APB with the prescaler at 49 (1 MHz ticks); records when each line is raised. */
function setup(frequencyHz = 50_000_000) {
  const queue = new EventQueue();
  const irqmp = new Irqmp();
  irqmp.setMasked(8, false);
  irqmp.setMasked(9, false);
  const timer = new Gptimer(queue, new CycleClock(frequencyHz), (irq) => irqmp.line(irq));
  const raised = new Map<number, number[]>([
    [8, []],
    [9, []],
  ]);
  irqmp.connect(() => {
    const line = irqmp.requestLevel();
    if (line === 0) return;
    raised.get(line)!.push(queue.now);
    irqmp.acknowledge();
  });
  timer.write(GPTIMER_SCALER_RELOAD, 49);
  timer.write(GPTIMER_SCALER_VALUE, 49);
  return { queue, irqmp, timer, raised };
}

function program(timer: Gptimer, n: number, reload: number, control: number): void {
  timer.write(gptimerTimerOffset(n) + RELOAD, reload);
  timer.write(gptimerTimerOffset(n) + CONTROL, control);
}

describe('Gptimer', () => {
  it('describes itself: 2 timers, IRQ 8, separate interrupts', () => {
    const { timer } = setup();
    expect(timer.read(GPTIMER_CONFIGURATION)).toBe(2 | (8 << 3) | (1 << 8));
    expect([timer.lineOf(1), timer.lineOf(2), timer.tickFrequencyHz]).toEqual([8, 9, 1_000_000]);
  });

  it('ticks at 1 MHz from a 50 MHz APB clock with prescaler 49, and the scaler counts down', () => {
    const { queue, timer } = setup();
    expect(timer.read(GPTIMER_SCALER_VALUE)).toBe(49);
    queue.runUntil(100); // 5 cycles
    expect(timer.read(GPTIMER_SCALER_VALUE)).toBe(44);
    queue.runUntil(1_000); // the 50th cycle: underflow, reloaded
    expect(timer.read(GPTIMER_SCALER_VALUE)).toBe(49);
  });

  it('keeps a 10 ms period exact over an hour: (reload + 1) ticks per underflow', () => {
    const { queue, timer, raised } = setup();
    program(timer, 1, 9_999, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE);
    queue.runUntil(12_500_000);
    expect(timer.read(gptimerTimerOffset(1) + COUNTER)).toBe(7_499);
    queue.runUntil(3_600_000_000_000);
    const times = raised.get(8)!;
    expect(times.length).toBe(360_000);
    expect(times[0]).toBe(10_000_000);
    expect(times.at(-1)).toBe(3_600_000_000_000);
    expect(times.every((time, index) => time === (index + 1) * 10_000_000)).toBe(true);
    expect(timer.underflows(1)).toBe(360_000);
    expect(timer.read(gptimerTimerOffset(1) + CONTROL) & GPTIMER_CTRL_IP).toBe(GPTIMER_CTRL_IP);
  });

  it('without RS a timer fires once and stops at 0xFFFFFFFF with EN cleared; IP stays until written as 0', () => {
    const { queue, timer, raised } = setup();
    program(timer, 2, 499, GPTIMER_CTRL_EN | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE);
    queue.runUntil(5_000_000);
    expect(raised.get(9)).toEqual([500_000]);
    const control = timer.read(gptimerTimerOffset(2) + CONTROL);
    expect(control).toBe(GPTIMER_CTRL_IE | GPTIMER_CTRL_IP);
    expect(timer.read(gptimerTimerOffset(2) + COUNTER)).toBe(0xffff_ffff);
    timer.write(gptimerTimerOffset(2) + CONTROL, GPTIMER_CTRL_IE | GPTIMER_CTRL_IP | GPTIMER_CTRL_DH);
    expect(timer.read(gptimerTimerOffset(2) + CONTROL)).toBe(GPTIMER_CTRL_IE | GPTIMER_CTRL_IP);
    timer.write(gptimerTimerOffset(2) + CONTROL, GPTIMER_CTRL_IE);
    expect(timer.read(gptimerTimerOffset(2) + CONTROL)).toBe(GPTIMER_CTRL_IE);
  });

  it('a disabled timer holds its count; re-enabling continues from it', () => {
    const { queue, timer, raised } = setup();
    program(timer, 1, 999, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE);
    queue.runUntil(400_000);
    timer.write(gptimerTimerOffset(1) + CONTROL, GPTIMER_CTRL_RS | GPTIMER_CTRL_IE);
    expect(timer.read(gptimerTimerOffset(1) + COUNTER)).toBe(599);
    queue.runUntil(2_000_000);
    expect(timer.read(gptimerTimerOffset(1) + COUNTER)).toBe(599);
    timer.write(gptimerTimerOffset(1) + CONTROL, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_IE);
    queue.runUntil(4_000_000);
    expect(raised.get(8)).toEqual([2_600_000, 3_600_000]);
  });

  it('a chained timer counts underflows of the timer before it', () => {
    const { queue, timer, raised } = setup();
    program(timer, 2, 2, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE | GPTIMER_CTRL_CH);
    program(timer, 1, 999, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD);
    queue.runUntil(10_000_000);
    expect(raised.get(8)).toEqual([]);
    expect(raised.get(9)).toEqual([3_000_000, 6_000_000, 9_000_000]);
    expect(timer.read(gptimerTimerOffset(2) + COUNTER)).toBe(1);
  });

  it('a new prescaler reload takes effect at the next underflow without losing the timer phase', () => {
    const { queue, timer, raised } = setup();
    program(timer, 1, 9, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE);
    queue.runUntil(5_010); // cycle 250: tick 5 has just happened, the timer holds 4
    timer.write(GPTIMER_SCALER_RELOAD, 99); // 2 us per tick from the next tick on
    queue.runUntil(40_000);
    // Ticks at 1..5 us, then 6 us (old phase) and every 2 us after: the 10th tick is at 14 us.
    expect(raised.get(8)).toEqual([14_000, 34_000]);
  });

  it('restores a snapshot mid-period', () => {
    const { queue, timer, raised } = setup();
    program(timer, 1, 999, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE);
    queue.runUntil(1_500_000);
    const state = timer.getState();
    timer.write(gptimerTimerOffset(1) + CONTROL, 0);
    timer.setState(state);
    queue.runUntil(3_000_000);
    expect(raised.get(8)).toEqual([1_000_000, 2_000_000, 3_000_000]);
    expect(timer.getState().timers[0]!.underflows).toBe(3);
  });
});
