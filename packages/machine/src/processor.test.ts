import { describe, expect, it } from 'vitest';
import { EventQueue } from './eventQueue.js';
import { InterruptController } from './interruptController.js';
import { ExecutionAbandoned, WAIT_FOR_INTERRUPT, type Workload } from './processor.js';
import { SimpleProcessor } from './test.js';

/** A workload that replays a script of steps and logs what the processor tells it. */
class ScriptedWorkload implements Workload {
  readonly log: string[] = [];
  private remaining = 0;
  constructor(
    private readonly queue: EventQueue,
    private readonly steps: number[],
    private readonly onNext: () => void = () => {},
  ) {}
  next(): number {
    this.onNext();
    if (this.remaining > 0) {
      const cycles = this.remaining;
      this.remaining = 0;
      this.log.push(`${this.queue.now}: resume ${cycles}`);
      return cycles;
    }
    const step = this.steps.shift();
    this.log.push(`${this.queue.now}: next ${step ?? 'wait'}`);
    return step ?? WAIT_FOR_INTERRUPT;
  }
  preempted(remainingCycles: number): void {
    this.remaining = remainingCycles;
    this.log.push(`${this.queue.now}: preempted ${remainingCycles}`);
  }
}

function setup(steps: number[], onNext?: () => void) {
  const queue = new EventQueue();
  const pic = new InterruptController(8);
  const cpu = new SimpleProcessor(queue, pic); // 100 MHz: 10 ns per cycle
  const workload = new ScriptedWorkload(queue, steps, onNext);
  cpu.setWorkload(workload);
  return { queue, pic, cpu, workload };
}

describe('ProcessorCore run loop', () => {
  it('turns steps into virtual time, back to back', () => {
    const { queue, cpu, workload } = setup([100, 250, 1]);
    cpu.start();
    queue.runUntil(1_000_000);
    expect(workload.log).toEqual(['0: next 100', '1000: next 250', '3500: next 1', '3510: next wait']);
    expect(cpu.stats.computeCycles).toBe(351);
    expect(cpu.stats.waitNs).toBe(1_000_000 - 3510);
  });

  it('splits a step at the instant an accepted interrupt arrives and hands back the rest', () => {
    const { queue, pic, cpu, workload } = setup([1000]);
    const handled: number[] = [];
    cpu.handler = (vector) => handled.push(queue.now * 100 + vector);
    cpu.start();
    queue.at(5_005, () => pic.raise(3)); // in the middle of cycle 500
    queue.runUntil(1_000_000);
    expect(handled).toEqual([5_005 * 100 + 3]);
    // 500 whole cycles were done at 5005 ns; the handler costs 10 cycles (busy until 5110,
    // the next cycle boundaries), then the remaining 500 run.
    expect(workload.log).toEqual(['0: next 1000', '5005: preempted 500', '5110: resume 500', '10110: next wait']);
    expect(cpu.stats.computeCycles).toBe(1000);
    expect(cpu.stats.overheadCycles).toBe(10);
    expect(cpu.stats.preemptions).toBe(1);
  });

  it('holds an interrupt while interrupts are disabled and takes it at the next step boundary', () => {
    const { queue, pic, cpu, workload } = setup([1000, 1000], () => {
      cpu.interruptsEnabled = queue.now >= 10_000;
    });
    cpu.start();
    queue.at(3_000, () => pic.raise(1));
    queue.runUntil(1_000_000);
    expect(cpu.taken).toEqual([1]);
    expect(workload.log.slice(0, 3)).toEqual(['0: next 1000', '10000: next 1000', '10000: preempted 1000']);
  });

  it('does not interrupt charged (kernel/trap) work: the request waits for the busy period to end', () => {
    const { queue, pic, cpu } = setup([5]);
    const entries: number[] = [];
    cpu.handler = () => entries.push(queue.now);
    cpu.charge(1000); // 10 us of synchronous work before the first step
    cpu.start();
    queue.at(2_000, () => pic.raise(0));
    queue.runUntil(100_000);
    expect(entries).toEqual([10_000]);
  });

  it('sleeps until an interrupt when the workload waits, and wakes on one', () => {
    const { queue, pic, cpu, workload } = setup([]);
    cpu.start();
    queue.at(50_000, () => pic.raise(2));
    queue.runUntil(60_000);
    expect(workload.log).toEqual(['0: next wait', '50100: next wait']);
    expect(cpu.stats.interrupts).toBe(1);
  });

  it('stays halted for good after HLT with interrupts disabled (cli; hlt)', () => {
    const { queue, pic, cpu, workload } = setup([10], () => {
      if (queue.now > 0) {
        cpu.interruptsEnabled = false;
        cpu.halt();
      }
    });
    cpu.start();
    queue.at(1_000, () => pic.raise(0));
    queue.runUntil(1_000_000);
    expect(cpu.halted).toBe(true);
    expect(cpu.taken).toEqual([]);
    expect(workload.log).toHaveLength(2);
  });

  it('recovers when a trap handler abandons the running context', () => {
    let abandon = 2;
    const { queue, cpu, workload } = setup([10, 20], () => {
      if (abandon-- > 0) throw new ExecutionAbandoned('partition stopped');
    });
    cpu.start();
    queue.runUntil(10_000);
    expect(workload.log).toEqual(['0: next 10', '100: next 20', '300: next wait']);
  });

  it('stops with a livelock report instead of hanging when software never lets time pass', () => {
    const { queue, cpu } = setup([], () => {
      throw new ExecutionAbandoned('always');
    });
    cpu.start();
    queue.runUntil(10);
    expect(cpu.stopReason).toMatch(/livelock/);
  });

  it('runs steps and busy periods in place exactly as through queued events', () => {
    // Inside a run, the end of a step or busy period with nothing queued before it is taken in
    // place (EventQueue.advanceInPlace); one event at a time (step()) it is always queued.
    const scenario = (drive: (queue: EventQueue) => void) => {
      const { queue, pic, cpu, workload } = setup([300, 40, 2000, 7, 500], () => cpu.charge(queue.now % 3 === 0 ? 25 : 4));
      cpu.handler = () => cpu.charge(30);
      cpu.start();
      queue.at(2_345, () => pic.raise(1));
      queue.at(9_001, () => pic.raise(2));
      queue.at(31_000, () => pic.raise(3));
      drive(queue);
      return { log: workload.log, stats: cpu.stats, events: queue.eventsRun, now: queue.now };
    };
    const inPlace = scenario((queue) => queue.runUntil(100_000));
    const queued = scenario((queue) => {
      while ((queue.peekTime() ?? Infinity) <= 100_000) queue.step();
    });
    expect(inPlace.log).toEqual(queued.log);
    expect(inPlace.stats).toEqual({ ...queued.stats, waitNs: queued.stats.waitNs + (100_000 - queued.now) });
    expect(inPlace.events).toBe(queued.events);
    expect(inPlace.log).toHaveLength(11);
  });

  it('stops for good on request and runs nothing afterwards', () => {
    const { queue, cpu, workload } = setup([1000, 1000]);
    cpu.start();
    queue.at(500, () => cpu.stop('error mode'));
    queue.runUntil(100_000);
    expect(cpu.stopReason).toBe('error mode');
    expect(workload.log).toEqual(['0: next 1000']);
  });
});
