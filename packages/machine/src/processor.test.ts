import { describe, expect, it } from 'vitest';
import { EventQueue } from './eventQueue.js';
import { InterruptController } from './interruptController.js';
import { PeriodicIrqSource } from './periodicIrqSource.js';
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

/**
 * A periodic tick on line 0 of a SimpleProcessor whose handler charges 30 cycles (plus the
 * 10 of interrupt entry) and asks for one 200-cycle compute step, after which the workload
 * waits again: every wake episode is a busy period and a step, back to back.
 */
function tickSetup(frequencyHz: number, start: number, period: number) {
  const queue = new EventQueue();
  const pic = new InterruptController(8);
  const cpu = new SimpleProcessor(queue, pic, { frequencyHz });
  let due = false;
  cpu.handler = () => {
    cpu.charge(30);
    due = true;
  };
  cpu.setWorkload({
    next: () => (due ? ((due = false), 200) : WAIT_FOR_INTERRUPT),
    preempted: () => {},
  });
  const source = new PeriodicIrqSource(queue, pic.line(0), { period, start });
  return { queue, pic, cpu, source };
}

const minus = (a: readonly number[], b: readonly number[]) => a.map((value, index) => value - b[index]!);

describe('ProcessorCore fast-forward (creditWakes with steps and compute)', () => {
  // Crediting N episodes (in two calls) from inside onWait must leave every counter, waitNs
  // included, as simulating them would: steps, compute, overhead and the per-episode wait.
  it.each([
    { clock: '100 MHz with gridGaps', frequencyHz: 100_000_000, grid: true },
    { clock: '100 MHz, waits summed one by one', frequencyHz: 100_000_000, grid: false },
    { clock: '30 MHz (not a whole number of ns per cycle)', frequencyHz: 30_000_000, grid: false },
  ])('matches the simulated run at $clock', ({ frequencyHz, grid }) => {
    const start = 10_007;
    const period = 10_001; // off the cycle grid: each wake-up rounds up differently
    const end = start + 30 * period + 9_000; // after the 31st tick's episode
    const simulated = tickSetup(frequencyHz, start, period);
    simulated.source.start();
    simulated.cpu.start();
    simulated.queue.runUntil(end);

    const forwarded = tickSetup(frequencyHz, start, period);
    const { cpu, source } = forwarded;
    let waits = 0;
    let before: number[] = [];
    const credited: boolean[] = [];
    cpu.onWait = () => {
      waits++; // wait 1 is before any tick, wait n + 1 follows tick n
      if (waits === 3) before = cpu.episodeState();
      if (waits !== 4) return;
      const delta = minus(cpu.episodeState(), before);
      const next = source.getState().nextNominal; // tick 4
      const at = (offset: number) => (k: number) => next + (offset + k - 1) * period;
      const gaps = (offset: number, count: number) => (g: number) => {
        let sum = 0;
        for (let k = 1; k <= count; k++) sum += at(offset)(k) - g * Math.ceil(at(offset)(k) / g);
        return sum;
      };
      credited.push(cpu.creditWakes(15, at(0), grid ? gaps(0, 15) : undefined, delta));
      // Right after a credit, lastWake is the last credited episode: a second credit goes on from it.
      credited.push(cpu.creditWakes(5, at(15), grid ? gaps(15, 5) : undefined, delta));
      const state = source.getState();
      source.setState({ ...state, raises: state.raises + 20, lastRaise: at(15)(5), nextNominal: next + 20 * period });
    };
    source.start();
    cpu.start();
    forwarded.queue.runUntil(end);

    expect(credited).toEqual([true, true]);
    expect(simulated.cpu.stats).toMatchObject({ interrupts: 31, steps: 31, computeCycles: 31 * 200, overheadCycles: 31 * 40, preemptions: 0 });
    expect(cpu.stats).toEqual(simulated.cpu.stats);
    expect(cpu.episodeState()).toEqual(simulated.cpu.episodeState());
  });

  // The guard: an episode that took a second interrupt (held through the busy period, or
  // preempting the step) is not one interrupt's work and cannot be repeated.
  it.each([
    { when: 'during the busy period', at: 10_200, preemptions: 0 },
    { when: 'during the step (a preemption)', at: 10_500, preemptions: 1 },
  ])('throws when the last episode took a second interrupt $when', ({ at, preemptions }) => {
    const { queue, pic, cpu, source } = tickSetup(100_000_000, 10_000, 10_000);
    queue.at(at, () => pic.raise(1)); // the tick's busy period is 10_000..10_400, its step 10_400..12_400
    source.start();
    cpu.start();
    queue.runUntil(15_000);
    expect(cpu.lastWake).toMatchObject({ interrupts: 2, preemptions, contiguous: true });
    expect(() => cpu.creditWakes(1, () => 20_000)).toThrow(/creditWakes needs/);
  });

  // The guard: an episode that did not end at endOf(wake-up, its cycles) cannot be placed in time.
  it('throws when the last episode was not contiguous', () => {
    const queue = new EventQueue();
    const pic = new InterruptController(8);
    const cpu = new SimpleProcessor(queue, pic, { interruptCycles: 0 });
    cpu.setWorkload({ next: () => WAIT_FOR_INTERRUPT, preempted: () => {} });
    cpu.start();
    queue.at(10_003, () => pic.raise(0)); // no work, woken off a cycle boundary: ends before endOf
    queue.runUntil(15_000);
    expect(cpu.lastWake).toMatchObject({ interrupts: 1, preemptions: 0, contiguous: false });
    expect(() => cpu.creditWakes(1, () => 20_003)).toThrow(/creditWakes needs/);
  });

  // A stateDelta whose processor part is not lastWake's is refused, and nothing moves.
  it.each([0, 1, 2, 3, 4])('returns false and changes nothing when stateDelta[%i] differs from lastWake', (index) => {
    const { queue, cpu, source } = tickSetup(100_000_000, 10_000, 10_000);
    source.start();
    cpu.start();
    queue.runUntil(15_000);
    const episode = cpu.lastWake!;
    const delta = [episode.interrupts, episode.steps, episode.overheadCycles, episode.computeCycles, episode.preemptions];
    delta[index]! += 1;
    const [stats, state] = [cpu.stats, cpu.episodeState()];
    expect(cpu.creditWakes(3, (k) => 10_000 + k * 10_000, undefined, delta)).toBe(false);
    expect([cpu.stats, cpu.episodeState(), cpu.lastWake]).toEqual([stats, state, episode]);
  });
});

/**
 * Two devices on a 30 MHz SimpleProcessor (33.3 ns per cycle, off the ns grid): line 0 every
 * 40_001 ns from 10_007, whose handler charges 30 cycles and asks for one 200-cycle step,
 * and line 1 (by default every 120_007 ns from 30_011, 19 to 21 us from line 0's raises),
 * whose handler charges 70 cycles and asks for two steps (120 and 45). Each episode (8 us, or 16 us
 * for both lines at once) is over before the next raise. `onWait` is told the lines taken in the episode just ended (a mask).
 */
function twoDeviceSetup(onWait: (waits: number, lines: number) => void = () => {}, line1 = { period: 120_007, start: 30_011 }) {
  const queue = new EventQueue();
  const pic = new InterruptController(8);
  const cpu = new SimpleProcessor(queue, pic, { frequencyHz: 30_000_000 });
  const work: number[] = [];
  let lines = 0;
  cpu.handler = (vector) => {
    lines |= 1 << vector;
    cpu.charge(vector === 0 ? 30 : 70);
    work.push(...(vector === 0 ? [200] : [120, 45]));
  };
  cpu.setWorkload({ next: () => work.shift() ?? WAIT_FOR_INTERRUPT, preempted: () => {} });
  const sources = [new PeriodicIrqSource(queue, pic.line(0), { period: 40_001, start: 10_007 }), new PeriodicIrqSource(queue, pic.line(1), line1)];
  let waits = 0;
  cpu.onWait = () => {
    onWait(++waits, lines);
    lines = 0;
  };
  for (const source of sources) source.start();
  cpu.start();
  return { queue, pic, cpu, sources };
}

/** What a credit must leave as simulating does: counters, waitNs, episodeState and lastWake (its busy periods from the kinds' counts given). */
const creditView = (cpu: SimpleProcessor) => ({ stats: cpu.stats, state: cpu.episodeState(), lastWake: cpu.lastWake });

/** Line 1 raising with every third raise of line 0 from its fourth on: episodes of both lines at once. */
const TIED = { period: 3 * 40_001, start: 10_007 + 3 * 40_001 };

describe('ProcessorCore fast-forward (creditWakeSequence: episodes of several kinds)', () => {
  // Interleaved episodes of several kinds credited in one call, each kind's delta taken from
  // episodeState at consecutive waits, must leave counters, waitNs, episodeState and
  // lastWake as simulating them does - right after them and after 8 more simulated ones.
  it.each([
    { count: 12, kinds: 'line 0, line 1', lastLines: 0b01, line1: undefined },
    { count: 13, kinds: 'line 0, line 1', lastLines: 0b10, line1: undefined },
    { count: 11, kinds: 'line 0, lines 0 and 1 at once', lastLines: 0b11, line1: TIED },
  ])('crediting $count episodes ($kinds; the last of lines $lastLines) equals simulating them', ({ count, lastLines, line1 }) => {
    const simulated = twoDeviceSetup(undefined, line1);
    const states: number[][] = [];
    const deltas = new Map<number, number[]>();
    const busy = new Map<number, number>();
    const results: boolean[] = [];
    let wakes: Array<[number, number]> = [];
    const forwarded = twoDeviceSetup((waits, lines) => {
      const { cpu, sources } = forwarded;
      states.push(cpu.episodeState());
      if (waits > 1) {
        deltas.set(lines, minus(states[waits - 1]!, states[waits - 2]!));
        busy.set(lines, cpu.lastWake!.busyPeriods);
      }
      if (waits !== 6) return; // after 5 episodes, both kinds seen: the next `count` wake-ups
      // The sources' next raises merged, those at the same instant one wake-up of both lines.
      const merged = new Map<number, number>();
      sources.forEach((source, line) => {
        for (let k = 1; k <= count; k++) merged.set(source.raiseAt(k)!, (merged.get(source.raiseAt(k)!) ?? 0) | (1 << line));
      });
      wakes = [...merged].sort((a, b) => a[0] - b[0]).slice(0, count);
      const kinds = [...deltas.keys()];
      results.push(cpu.creditWakeSequence(count, wakes.map(([at]) => at), wakes.map(([, lines]) => kinds.indexOf(lines)), [...deltas.values()], [...busy.values()]));
      sources.forEach((source, line) => source.skipRaises(wakes.filter(([, lines]) => lines & (1 << line)).length));
    }, line1);
    forwarded.queue.runUntil(200_000); // credited by then
    const last = wakes.at(-1)![0];
    // Just after the last credited episode (16 us at most), then after 8 more simulated ones (raises stay 19 us or more apart).
    for (const end of [last + 18_000, last + 8 * 40_001 + 18_000]) {
      simulated.queue.runUntil(end);
      forwarded.queue.runUntil(end);
      expect(creditView(forwarded.cpu)).toEqual(creditView(simulated.cpu));
    }
    expect(results).toEqual([true]);
    expect(deltas).toEqual(new Map([[1, [1, 1, 40, 200, 0]], line1 === TIED ? [3, [2, 3, 120, 365, 0]] : [2, [1, 2, 80, 165, 0]]]));
    expect([wakes.length, wakes.at(-1)![1]]).toEqual([count, lastLines]);
  });

  // creditWakeSequence does not need lastWake to be a clean episode: after one that a third
  // line preempted, the credited episode is lastWake's, with no preemption, as simulated.
  it('after a preempted episode, a credited one is lastWake as a simulated one is', () => {
    const runs = [twoDeviceSetup(), twoDeviceSetup()];
    for (const { queue, pic } of runs) queue.at(34_000, () => pic.raise(2)); // in line 1's first step
    for (const { queue } of runs) queue.runUntil(48_000);
    const [simulated, forwarded] = runs as [ReturnType<typeof twoDeviceSetup>, ReturnType<typeof twoDeviceSetup>];
    expect(forwarded.cpu.lastWake).toMatchObject({ interrupts: 2, preemptions: 1 });
    expect(forwarded.cpu.creditWakeSequence(1, [50_008], [0], [[1, 1, 40, 200, 0]], [1])).toBe(true);
    forwarded.sources[0]!.skipRaises(1);
    for (const { queue } of runs) queue.runUntil(60_000);
    expect(creditView(forwarded.cpu)).toEqual(creditView(simulated.cpu));
    expect(simulated.cpu.lastWake).toMatchObject({ wokeAt: 50_008, preemptions: 0 });
  });

  // The guard: a delta that is not one woken episode (no interrupt) or that was preempted is
  // refused, whichever kind it is, and nothing moves.
  it.each([
    { what: 'no interrupt', index: 0, value: 0 },
    { what: 'a preemption', index: 4, value: 1 },
  ])('returns false and changes nothing for a delta with $what', ({ index, value }) => {
    const { queue, cpu } = twoDeviceSetup();
    queue.runUntil(45_000); // episodes of line 0 and line 1, waiting
    const good = [1, 1, 40, 200, 0];
    const bad = good.map((number, at) => (at === index ? value : number));
    const before = creditView(cpu);
    expect(cpu.creditWakeSequence(2, [50_008, 90_009], [0, 1], [good, bad])).toBe(false);
    expect([creditView(cpu), cpu.lastWake?.busyPeriods]).toEqual([before, 1]);
  });
});
