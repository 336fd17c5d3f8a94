/**
 * Work past the end of representable time (MAX_TIME_NS = 2^53 - 1 ns, about 104 days):
 * the processor never schedules it (the event queue would throw), it asks the workload's
 * pastEndOfTime hook, then drops the work or cuts it to end at MAX_TIME_NS.
 */
import { describe, expect, it } from 'vitest';
import { CycleClock } from './cycleClock.js';
import { EventQueue } from './eventQueue.js';
import { InterruptController } from './interruptController.js';
import { ExecutionAbandoned, WAIT_FOR_INTERRUPT, type Workload } from './processor.js';
import { SimpleProcessor } from './test.js';
import { MAX_TIME_NS } from './time.js';

class Steps implements Workload {
  readonly reports: string[] = [];
  constructor(
    private readonly steps: number[],
    private readonly answer?: (cycles: number, kind: 'step' | 'charge') => boolean,
    private readonly before?: () => void,
  ) {}
  next(): number {
    this.before?.();
    return this.steps.shift() ?? WAIT_FOR_INTERRUPT;
  }
  preempted(): void {}
}

function withHook(steps: number[], answer: (cycles: number, kind: 'step' | 'charge') => boolean, before?: () => void) {
  const workload = new Steps(steps, answer, before) as Steps & Workload;
  workload.pastEndOfTime = (cycles, kind) => {
    workload.reports.push(`${kind} ${cycles}`);
    return answer(cycles, kind);
  };
  return workload;
}

function setup(workload: Workload) {
  const queue = new EventQueue();
  const cpu = new SimpleProcessor(queue, new InterruptController(8)); // 100 MHz
  cpu.setWorkload(workload);
  cpu.start();
  return { queue, cpu };
}

describe('ProcessorCore at the end of representable time', () => {
  it('reports a compute step of 1e15 cycles (1e16 ns at 100 MHz) and drops it when the software is gone', () => {
    const workload = withHook([1e15, 5], () => true);
    const { queue, cpu } = setup(workload);
    queue.runUntil(1_000_000);
    expect(workload.reports).toEqual(['step 1000000000000000']);
    expect(cpu.stats.computeCycles).toBe(5);
    expect(cpu.stopReason).toBeUndefined();
  });

  it('cuts the step at the end of time when the workload lets it run (or has no hook), and never throws', () => {
    for (const step of [1e15, Infinity, Number.MAX_SAFE_INTEGER]) {
      const workload = withHook([step], () => false);
      const { queue, cpu } = setup(workload);
      queue.runUntil(1_000_000);
      expect(workload.reports).toEqual([`step ${step}`]);
      expect(queue.peekTime()).toBe(Math.floor(MAX_TIME_NS / 10) * 10);
      expect(cpu.localTime()).toBe(1_000_000);
    }
    const plain = setup(new Steps([1e300]));
    plain.queue.runUntil(1_000_000);
    expect(plain.queue.peekTime()).toBe(Math.floor(MAX_TIME_NS / 10) * 10);
  });

  it('reports charged work past the end of time as a charge; an ExecutionAbandoned from the hook drops it', () => {
    let charged = false;
    const queue = new EventQueue();
    const cpu = new SimpleProcessor(queue, new InterruptController(8));
    const workload = withHook(
      [10, 10],
      () => {
        throw new ExecutionAbandoned('fatal error');
      },
      () => {
        if (!charged) {
          charged = true;
          cpu.charge(Number.MAX_SAFE_INTEGER);
          cpu.charge(Number.MAX_SAFE_INTEGER); // saturates, never unsafe
        }
      },
    );
    cpu.setWorkload(workload);
    cpu.start();
    expect(() => queue.runUntil(1_000_000)).not.toThrow();
    expect(workload.reports).toEqual([`charge ${Number.MAX_SAFE_INTEGER}`]);
    expect(cpu.stats.computeCycles).toBe(20);
  });

  it('localTime() never passes the end of time, whatever is charged', () => {
    const queue = new EventQueue();
    const cpu = new SimpleProcessor(queue, new InterruptController(8));
    cpu.charge(Number.MAX_SAFE_INTEGER);
    expect(cpu.localTime()).toBe(MAX_TIME_NS);
    cpu.takeCharges();
    cpu.charge(7);
    expect(cpu.localTime()).toBe(70);
  });

  it('works at clocks whose cycle is not a whole number of ns (the exact BigInt path)', () => {
    const clock = new CycleClock(1_193_182);
    const last = clock.cyclesAt(MAX_TIME_NS);
    expect(clock.timeOfCycle(last)).toBeLessThanOrEqual(MAX_TIME_NS);
    expect(clock.timeOfCycle(last + 1)).toBeGreaterThan(MAX_TIME_NS);
  });
});
