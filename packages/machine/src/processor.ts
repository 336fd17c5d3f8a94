/**
 * The arch-neutral processor: privilege mode, interrupt acceptance, trap and interrupt
 * delivery, and the cycle accounting that turns software work into virtual time.
 *
 * Execution model (docs/architecture.md section 3). Software is a Workload: whatever schedules
 * the processor (a bare-metal executive, or a kernel that in turn runs partitions). The
 * processor repeatedly asks it for the next step:
 *
 *   next() -> n >= 1   compute n cycles; an accepted interrupt can split the step, and
 *                      the workload is told how many cycles were left (preempted());
 *   next() -> WAIT_FOR_INTERRUPT   nothing to do until an interrupt (idle, HLT).
 *
 * Code that runs inside next() (guest code between two yields, trap handlers) is atomic
 * and takes no virtual time by itself; what it costs is charge()d in cycles, and the
 * processor then stays busy for that many cycles before anything else happens, with
 * interrupts sampled only when the busy period ends (kernel and trap code is not
 * preemptible). Interrupts are otherwise sampled:
 *   - whenever a controller's request changes while a step is computing or the processor
 *     waits (an accepted request preempts the step at that exact instant);
 *   - between steps, after every piece of synchronous work.
 *
 * An architecture supplies acceptsInterrupt() (i386: IF and a request; SPARC: ET and
 * level > PIL or level 15) and deliverInterrupt() (acknowledge the controller, enter the
 * trap, run the handler, return).
 */
import { Activity } from './activity.js';
import type { CycleClock } from './cycleClock.js';
import type { EventQueue, ScheduledEvent } from './eventQueue.js';
import type { InterruptRequester } from './interrupts.js';
import type { PrivilegeMode } from './protection.js';
import { MAX_TIME_NS, type Nanoseconds } from './time.js';
import type { TraceRecorder } from './traceRecorder.js';

export type { PrivilegeMode } from './protection.js';

/** Returned by Workload.next() when there is nothing to run until an interrupt. */
export const WAIT_FOR_INTERRUPT = -1;

export interface Workload {
  /**
   * The processor is free: run software up to its next yield point and return the cycles
   * of compute that follow (>= 1; 0 is treated as 1, every step takes a cycle), or
   * WAIT_FOR_INTERRUPT.
   */
  next(): number;
  /** The step returned last was cut short by an interrupt; `remainingCycles` (>= 1) were not done. */
  preempted(remainingCycles: number): void;
  /**
   * Optional. Work the software asked for would end after MAX_TIME_NS, the last instant
   * virtual time can represent: the step next() returned (`kind` 'step'; it may be any
   * number, Infinity included) or the cycles charged since the processor last turned
   * charges into time ('charge'). The processor never schedules past the end of time: it
   * calls this first, so the software at fault can be declared faulty (a kernel raises a
   * health-monitor event for the partition whose step it was, a bare-metal executive a
   * fatal error). Returns true when that software is gone (stopped, restarted, halted):
   * the work is dropped; false: the work runs, cut to end at MAX_TIME_NS. Without the
   * hook the work is cut silently. Runs as next() does (synchronous software: it may
   * charge, stop the processor, or throw ExecutionAbandoned, which drops the work).
   */
  pastEndOfTime?(cycles: number, kind: 'step' | 'charge'): boolean;
}

/**
 * Thrown through less-privileged code when a trap handler does not return to it: the
 * kernel switched away from the faulting context (stopped or restarted a partition, or
 * the bare-metal fatal handler halted). Whoever calls into less-privileged code synchronously
 * (the processor around Workload.next(), a kernel around an upcall) catches it; guest code
 * must never swallow it.
 */
export class ExecutionAbandoned extends Error {
  constructor(readonly reason: string) {
    // A control-flow signal, thrown often by hostile or restarting partitions: skip the
    // stack trace capture that makes Error construction expensive (V8's stackTraceLimit).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`execution abandoned: ${reason}`);
    Error.stackTraceLimit = limit;
    this.name = 'ExecutionAbandoned';
  }
}

/**
 * Whether a caught value is ExecutionAbandoned, without ever throwing: guest code can
 * throw anything, and `instanceof` on a Proxy runs its getPrototypeOf trap, which may
 * throw. Every catch around less-privileged code tests with this.
 */
export function isExecutionAbandoned(value: unknown): value is ExecutionAbandoned {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return value instanceof ExecutionAbandoned;
  } catch {
    return false;
  }
}

export interface ProcessorStats {
  /** Cycles spent in workload steps. */
  computeCycles: number;
  /** Cycles charged by synchronous work (traps, privileged operations, switches, ...). */
  overheadCycles: number;
  /** Steps started. */
  steps: number;
  /** Steps cut short by an interrupt. */
  preemptions: number;
  /** Interrupts delivered. */
  interrupts: number;
  /** Virtual time spent waiting for an interrupt (idle or halted). */
  waitNs: Nanoseconds;
}

/**
 * What happened between the processor's last wake-up from waiting and its return to
 * waiting (ProcessorCore.lastWake): a fast-forward repeats such an episode analytically.
 */
export interface WakeEpisode {
  /** When the interrupt that woke the processor arrived. */
  readonly wokeAt: Nanoseconds;
  /** Interrupts delivered, steps started, busy periods and cycles charged until it waited again. */
  readonly interrupts: number;
  readonly steps: number;
  readonly busyPeriods: number;
  readonly overheadCycles: number;
  /** Cycles of the steps it started, and how many of them an interrupt cut short. */
  readonly computeCycles: number;
  readonly preemptions: number;
  /**
   * True when it ran without a gap: every busy period and step started where the one
   * before ended, the first at the wake-up, so it ended at clock.endOf(wokeAt, overhead +
   * compute cycles) - what creditWakes needs to place repeated episodes in time.
   */
  readonly contiguous: boolean;
}

export interface Processor {
  readonly arch: string;
  readonly name: string;
  readonly clock: CycleClock;
  readonly queue: EventQueue;
  readonly trace: TraceRecorder;
  /** Privilege of the software running now. */
  readonly mode: PrivilegeMode;
  /** True after HLT / power-down until the next accepted interrupt. */
  readonly halted: boolean;
  /** Why the processor stopped for good (SPARC error mode, i386 shutdown), if it did. */
  readonly stopReason: string | undefined;
  /** When it stopped, if it did. */
  readonly stoppedAt: Nanoseconds | undefined;
  readonly stats: Readonly<ProcessorStats>;
  /** Who runs here, for a host-side watchdog; a host may replace it with one over shared memory. */
  activity: Activity;
  /** Now plus charged work not yet turned into time (see ProcessorCore.localTime). */
  localTime(): Nanoseconds;
  /** Accounts `cycles` of synchronous work to the running software. */
  charge(cycles: number): void;
  /**
   * Removes and returns the cycles charged since the processor last turned charges into
   * time, for a supervisor that accounts them elsewhere (a partition kernel makes the
   * work it did on a partition's behalf a preemptible part of that partition's time).
   */
  takeCharges(): number;
  /** Cycles charged and not yet turned into time (what localTime() adds to now). */
  readonly chargedCycles: number;
  setWorkload(workload: Workload | undefined): void;
  /**
   * Called each time the processor has just started waiting for an interrupt (the
   * workload returned WAIT_FOR_INTERRUPT, or it halted): a supervisor's cue to fast-forward
   * over interrupts that would change nothing (PartitionKernel's idle ticks).
   */
  onWait?: (() => void) | undefined;
  /** The episode since the last wake-up from waiting, while the processor waits again (undefined otherwise). */
  readonly lastWake?: WakeEpisode | undefined;
  /**
   * Fast-forward: while waiting, `count` more interrupts woke the processor at instants
   * `at(1)`..`at(count)` (ascending, after now) and each was handled exactly as the last
   * episode (lastWake: one interrupt, contiguous, no preemption), after which it waited
   * again. Counts them (interrupts, steps, overhead and compute cycles, waiting time) as if
   * each had run. `stateDelta`, when given, is the difference of two episodeState() results
   * one episode apart (the last episode's): the architecture's state moves by `count` times
   * its part; without it the episode must have left that state as it was (an idle kernel
   * tick). Returns false, having changed nothing, when the delta is not the last episode's
   * or the architecture cannot repeat it (SPARC: the episode spilled or filled register
   * windows, which moves the window stack, not a number).
   * `gridGaps(grid)`, when given, is Platform.tickGridGaps for these instants: with a clock
   * of a whole number of ns per cycle the waiting time is then summed in O(log) steps
   * instead of one turn per interrupt (the same number: tested against the loop).
   */
  creditWakes?(count: number, at: (k: number) => Nanoseconds, gridGaps?: (grid: number) => number | undefined, stateDelta?: ArrayLike<number>): boolean;
  /**
   * Fast-forward over interleaved episodes of several kinds (a kernel's tick and a device's
   * interrupt): while waiting, `count` more interrupts woke the processor at `instants[0..count)`
   * (ascending, after now), the i-th an episode of kind `kinds[i]` exactly like the last one
   * of that kind, whose episodeState difference is `deltas[kinds[i]]` (its interrupts - more
   * than one when sources raise at the same instant - no preemption, its work back to back
   * from the wake-up), each over before the next wake-up,
   * after which it waited again. Counts them as creditWakes does, summing the waiting time
   * wake by wake; `busyPeriods[kind]`, when given, is each kind's busy periods (what
   * lastWake tells of the last one). Returns false, having changed nothing, when a delta is
   * not such an episode or the architecture cannot repeat it.
   */
  creditWakeSequence?(count: number, instants: ArrayLike<Nanoseconds>, kinds: ArrayLike<number>, deltas: readonly ArrayLike<number>[], busyPeriods?: ArrayLike<number>): boolean;
  /**
   * Fast-forward: whether episodes of different kinds, interleaved, move the architecture's
   * state by the sum of their differences (creditWakeSequence with several kinds). Not where
   * an episode leaves state that is the last one's rather than a count - SPARC's TBR.tt and
   * PSR.PS and the registers its last trap saved: there only kinds that end alike mix.
   */
  readonly mixedEpisodesAdd?: boolean;
  /**
   * Fast-forward: the state an episode moves by a constant step, as numbers - the counters
   * (interrupts, steps, overhead cycles, compute cycles, preemptions), then the
   * architecture's (trap counts, symbolic program counters, the registers a trap saves them
   * in, ...). A supervisor compares the differences over consecutive episodes to tell a
   * steady repetition before it credits more of it (creditWakes' stateDelta).
   */
  episodeState?(full?: boolean): number[];
  /**
   * episodeState() written into `into` from index `at` (no allocation: a kernel does this at
   * every wait); returns the index after it. Without `full`, only its first part: the
   * counters (the processor's and the architecture's, a few numbers), of which the full
   * state is an extension - what a supervisor compares at every wait before it asks for the
   * registers too.
   */
  writeEpisodeState?(into: Float64Array, at: number, full?: boolean): number;
  /** Begins executing at the current virtual time (the first step runs in the next queue run). */
  start(): void;
  /** Stops the processor for good (error mode, shutdown). */
  stop(reason: string): void;
}

const enum State {
  Idle, // not started
  InLoop, // running synchronous software right now
  Computing, // a step is in progress until stepEvent
  Busy, // charged cycles are being spent until stepEvent
  Waiting, // waiting for an interrupt
  Stopped,
}

/** More numbers than any architecture's episodeState (a scratch buffer's size). */
const EPISODE_STATE_MAX = 4096;

/** A livelock guard: this many loop turns without virtual time passing means a model bug. */
const MAX_TURNS_WITHOUT_TIME = 100_000;

export abstract class ProcessorCore implements Processor {
  abstract readonly arch: string;
  abstract get mode(): PrivilegeMode;

  /** Who runs here, for a host-side watchdog (the board may share its own). */
  activity = new Activity();

  private readonly counters: ProcessorStats = { computeCycles: 0, overheadCycles: 0, steps: 0, preemptions: 0, interrupts: 0, waitNs: 0 };

  private workload: Workload | undefined;
  private state = State.Idle;
  private charged = 0;
  /** Cycles of the step returned by next() that has not started yet (charged work runs first). */
  private pendingStep = 0;
  /** The workload said WAIT_FOR_INTERRUPT; cleared by the next accepted interrupt. */
  private waiting = false;
  private isHalted = false;
  private stopped: string | undefined;
  private stopTime: Nanoseconds | undefined;
  private stepEvent: ScheduledEvent | undefined;
  private stepStartCycle = 0;
  private stepCycles = 0;
  private waitStart: Nanoseconds = 0;
  onWait: (() => void) | undefined;
  /** The current wake episode's start and counters at its start (episodeAt < 0: none). */
  private episodeAt: Nanoseconds = -1;
  private episodeInterrupts = 0;
  private episodeSteps = 0;
  private episodeOverhead = 0;
  private episodeCompute = 0;
  private episodePreemptions = 0;
  private episodeBusy = 0;

  constructor(
    readonly name: string,
    readonly queue: EventQueue,
    readonly clock: CycleClock,
    readonly trace: TraceRecorder,
  ) {
    this.lastCycle = clock.cyclesAt(MAX_TIME_NS);
  }

  /** A snapshot of the counters, including a wait still in progress. */
  get stats(): ProcessorStats {
    const ongoing = this.state === State.Waiting ? this.queue.now - this.waitStart : 0;
    return { ...this.counters, waitNs: this.counters.waitNs + ongoing };
  }

  get halted(): boolean {
    return this.isHalted;
  }

  get stopReason(): string | undefined {
    return this.stopped;
  }

  get stoppedAt(): Nanoseconds | undefined {
    return this.stopTime;
  }

  /**
   * The virtual time the running software has reached: now plus the cycles it has been
   * charged but not yet spent. Latency measurements (raise -> handler entry) use it so the
   * trap and dispatch overhead in front of a handler counts.
   */
  localTime(): Nanoseconds {
    if (this.charged === 0) return this.queue.now;
    const startCycle = this.clock.cycleBoundaryAtOrAfter(this.queue.now);
    // Charged work that would pass the end of time is cut there when it runs (pastEndOfTime).
    return this.charged <= this.cyclesLeft(startCycle) ? this.clock.timeOfCycle(startCycle + this.charged) : MAX_TIME_NS;
  }

  /** Whole cycles that fit between cycle boundary `startCycle` and the end of time (MAX_TIME_NS). */
  private cyclesLeft(startCycle: number): number {
    return this.lastCycle - startCycle;
  }

  /** The last cycle boundary at or before MAX_TIME_NS. */
  private readonly lastCycle: number;

  /** True while synchronous software runs on this processor (inside next() or a handler). */
  get executing(): boolean {
    return this.state === State.InLoop;
  }

  /** An accepted interrupt can be taken now (architecture state and a pending request). */
  protected abstract acceptsInterrupt(): boolean;
  /** Takes the interrupt: acknowledge, trap entry, handler, return. Charges its own cycles. */
  protected abstract deliverInterrupt(): void;

  charge(cycles: number): void {
    if (!Number.isSafeInteger(cycles) || cycles < 0) throw new RangeError(`${this.name}: cannot charge ${cycles} cycles`);
    // Saturates: that much work ends past the end of time at any clock (see pastEndOfTime).
    this.charged = Math.min(this.charged + cycles, Number.MAX_SAFE_INTEGER);
  }

  get chargedCycles(): number {
    return this.charged;
  }

  takeCharges(): number {
    const cycles = this.charged;
    this.charged = 0;
    return cycles;
  }

  setWorkload(workload: Workload | undefined): void {
    this.workload = workload;
  }

  /** Begins executing at the current virtual time, from within the next queue run. */
  start(): void {
    if (this.state !== State.Idle) return;
    this.state = State.Busy;
    this.scheduleStep(this.queue.now);
  }

  stop(reason: string): void {
    if (this.stopped !== undefined) return;
    this.stopped = reason;
    this.stopTime = this.queue.now;
    if (this.stepEvent) this.queue.cancel(this.stepEvent);
    if (this.state === State.Waiting) this.counters.waitNs += this.queue.now - this.waitStart;
    if (this.trace.enabled) this.trace.record(this.queue.now, this.name, 'cpu.stop', { reason });
    this.state = State.Stopped;
  }

  /** HLT / power-down: stop fetching until an interrupt is accepted. */
  protected enterHalt(): void {
    this.isHalted = true;
  }

  /** Wires the processor's interrupt input to a controller. */
  protected connectInterrupts(requester: InterruptRequester): void {
    requester.connect(() => this.interruptRequestChanged());
  }

  /**
   * A controller's output or the processor's own acceptance state may have changed. Called
   * from outside the run loop (a device event), an accepted request preempts the running
   * step now; from inside, the loop samples it before going on.
   */
  interruptRequestChanged(): void {
    switch (this.state) {
      case State.Computing: {
        if (!this.acceptsInterrupt()) return;
        this.queue.cancel(this.stepEvent!);
        const done = Math.min(this.stepCycles, Math.max(0, this.clock.cyclesAt(this.queue.now) - this.stepStartCycle));
        const remaining = this.stepCycles - done;
        this.counters.computeCycles += done;
        this.state = State.InLoop;
        if (remaining > 0) {
          this.counters.preemptions++;
          this.workload?.preempted(remaining);
        }
        this.loop();
        return;
      }
      case State.Waiting:
        if (this.acceptsInterrupt()) this.wake();
        return;
      case State.Idle:
      case State.InLoop:
      case State.Busy:
      case State.Stopped:
        return;
    }
  }

  get lastWake(): WakeEpisode | undefined {
    if (this.state !== State.Waiting || this.episodeAt < 0) return undefined;
    const counters = this.counters;
    return {
      wokeAt: this.episodeAt,
      interrupts: counters.interrupts - this.episodeInterrupts,
      steps: counters.steps - this.episodeSteps,
      busyPeriods: this.episodeBusy,
      overheadCycles: counters.overheadCycles - this.episodeOverhead,
      computeCycles: counters.computeCycles - this.episodeCompute,
      preemptions: counters.preemptions - this.episodePreemptions,
      // A gap anywhere (work that started after the previous work ended) ends it later than this.
      contiguous: this.waitStart === this.clock.endOf(this.episodeAt, counters.overheadCycles - this.episodeOverhead + counters.computeCycles - this.episodeCompute),
    };
  }

  episodeState(full = true): number[] {
    const scratch = (this.stateScratch ??= new Float64Array(EPISODE_STATE_MAX));
    return Array.from(scratch.subarray(0, this.writeEpisodeState(scratch, 0, full)));
  }

  /** Where episodeState() writes before copying (its callers are tests and set-up, not hot paths). */
  private stateScratch: Float64Array | undefined;

  writeEpisodeState(into: Float64Array, at: number, full = true): number {
    const counters = this.counters;
    into[at++] = counters.interrupts;
    into[at++] = counters.steps;
    into[at++] = counters.overheadCycles;
    into[at++] = counters.computeCycles;
    into[at++] = counters.preemptions;
    return this.archEpisodeState(into, at, full);
  }

  /**
   * Fast-forward (episodeState, creditWakes): writes the architecture's state that an
   * episode moves by a constant step from `into[at]` on - its counters first, then, when
   * `full`, the rest (registers, per-trap counts: the part too long to compare at every
   * wait) - and returns where it ends. None by default.
   */
  protected archEpisodeState(_into: Float64Array, at: number, _full: boolean): number {
    return at;
  }

  /** Fast-forward: whether the architecture can move its state by multiples of `delta` (from `from` on, laid out as archEpisodeState lists it). */
  protected archEpisodesRepeatable(_delta: ArrayLike<number>, _from: number): boolean {
    return true;
  }

  /** Fast-forward: moves the architecture's state by `count` x `delta` (from `from` on, laid out as archEpisodeState lists it). */
  protected creditArchEpisodes(_delta: ArrayLike<number>, _from: number, _count: number): void {}

  creditWakes(count: number, at: (k: number) => Nanoseconds, gridGaps?: (grid: number) => number | undefined, stateDelta?: ArrayLike<number>): boolean {
    const episode = this.lastWake;
    if (episode === undefined || episode.interrupts !== 1 || episode.preemptions !== 0 || !episode.contiguous) {
      throw new Error(`${this.name}: creditWakes needs a waiting processor whose last wake-up was one interrupt and work without a gap or preemption`);
    }
    const own = [episode.interrupts, episode.steps, episode.overheadCycles, episode.computeCycles, episode.preemptions];
    if (stateDelta !== undefined) {
      // The processor's own part (episodeState's first five numbers) must be the last episode's.
      for (let index = 0; index < own.length; index++) if (stateDelta[index] !== own[index]) return false;
      if (!this.archEpisodesRepeatable(stateDelta, own.length)) return false;
    }
    const counters = this.counters;
    // The episode's work runs back to back from its wake-up: it ends at endOf(wake-up, cycles).
    const cycles = episode.overheadCycles + episode.computeCycles;
    let waitStart = this.waitStart;
    let wokeAt = episode.wokeAt;
    const grid = this.clock.wholeNsPerCycle;
    const gaps = count > 1 && grid !== 0 ? gridGaps?.(grid) : undefined;
    if (gaps !== undefined) {
      // Each wake waits from the end of the previous episode, endOf(t, cycles) =
      // (ceil(t / grid) + cycles) * grid, to its own instant t. Summed over the wakes: from
      // waitStart to the first instant, then from each instant's rounded-up end to the next -
      // sum(t) - grid * sum(ceil(t / grid)) (the gaps, in closed form) + grid * ceil(last /
      // grid) - waitStart - (count - 1) * cycles * grid.
      wokeAt = at(count);
      counters.waitNs += gaps + grid * Math.ceil(wokeAt / grid) - waitStart - (count - 1) * cycles * grid;
      waitStart = this.clock.endOf(wokeAt, cycles);
    } else {
      for (let k = 1; k <= count; k++) {
        wokeAt = at(k);
        counters.waitNs += wokeAt - waitStart;
        waitStart = this.clock.endOf(wokeAt, cycles);
      }
    }
    this.waitStart = waitStart;
    this.repeatEpisodes(own, stateDelta, count, wokeAt);
    return true;
  }

  creditWakeSequence(count: number, instants: ArrayLike<Nanoseconds>, kinds: ArrayLike<number>, deltas: readonly ArrayLike<number>[], busyPeriods?: ArrayLike<number>): boolean {
    if (this.state !== State.Waiting) throw new Error(`${this.name}: creditWakeSequence needs a waiting processor`);
    if (count < 1) return true;
    for (const delta of deltas) {
      // Interrupts and no preemption; work back to back (the caller saw it contiguous).
      if (!(delta[0]! >= 1) || delta[4] !== 0 || !this.archEpisodesRepeatable(delta, 5)) return false;
    }
    const clock = this.clock;
    const cycles = deltas.map((delta) => delta[2]! + delta[3]!);
    const counts = deltas.map(() => 0);
    let waitNs = this.counters.waitNs;
    let waitStart = this.waitStart;
    for (let index = 0; index < count; index++) {
      const at = instants[index]!;
      const kind = kinds[index]!;
      waitNs += at - waitStart;
      waitStart = clock.endOf(at, cycles[kind]!);
      counts[kind]!++;
    }
    this.counters.waitNs = waitNs;
    this.waitStart = waitStart;
    for (let kind = 0; kind < deltas.length; kind++) {
      if (counts[kind] === 0) continue;
      const delta = deltas[kind]!;
      const last = kind === kinds[count - 1];
      // The last kind last: its episode becomes lastWake's.
      if (!last) this.repeatEpisodes(delta, delta, counts[kind]!, undefined);
    }
    const lastKind = kinds[count - 1]!;
    const lastDelta = deltas[lastKind]!;
    this.repeatEpisodes(lastDelta, lastDelta, counts[lastKind]!, instants[count - 1]);
    if (busyPeriods !== undefined) this.episodeBusy = busyPeriods[lastKind]!;
    return true;
  }

  /**
   * Fast-forward: `count` more episodes whose processor counters moved by `own`'s first five
   * numbers (interrupts, steps, overhead and compute cycles, preemptions) and the
   * architecture's state by `stateDelta` (from its sixth number on), if given. With `lastAt`, the last of them woke
   * the processor then and is what lastWake describes from now on.
   */
  private repeatEpisodes(own: ArrayLike<number>, stateDelta: ArrayLike<number> | undefined, count: number, lastAt: Nanoseconds | undefined): void {
    const counters = this.counters;
    counters.interrupts += count * own[0]!;
    counters.steps += count * own[1]!;
    counters.overheadCycles += count * own[2]!;
    counters.computeCycles += count * own[3]!;
    if (stateDelta !== undefined) this.creditArchEpisodes(stateDelta, 5, count);
    if (lastAt !== undefined) {
      // The episode is now the last credited one: its counters' baseline moves along.
      this.episodeAt = lastAt;
      this.episodeInterrupts = counters.interrupts - own[0]!;
      this.episodeSteps = counters.steps - own[1]!;
      this.episodeOverhead = counters.overheadCycles - own[2]!;
      this.episodeCompute = counters.computeCycles - own[3]!;
      this.episodePreemptions = counters.preemptions;
    }
    this.activity.advance();
  }

  private wake(): void {
    if (this.state === State.Waiting) this.counters.waitNs += this.queue.now - this.waitStart;
    this.episodeAt = this.queue.now;
    this.episodeInterrupts = this.counters.interrupts;
    this.episodeSteps = this.counters.steps;
    this.episodeOverhead = this.counters.overheadCycles;
    this.episodeCompute = this.counters.computeCycles;
    this.episodePreemptions = this.counters.preemptions;
    this.episodeBusy = 0;
    this.state = State.InLoop;
    this.loop();
  }

  private readonly onStepEvent = (): void => {
    if (this.state === State.Computing) this.counters.computeCycles += this.stepCycles;
    this.state = State.InLoop;
    this.loop();
  };

  private scheduleStep(at: Nanoseconds): void {
    if (this.stepEvent) this.queue.reschedule(this.stepEvent, at);
    else this.stepEvent = this.queue.at(at, this.onStepEvent, `${this.name}.step`);
  }

  private loop(): void {
    this.activity.advance();
    for (let turns = 0; ; turns++) {
      if (this.stopped !== undefined) {
        this.state = State.Stopped;
        return;
      }
      if (turns > MAX_TURNS_WITHOUT_TIME) {
        this.stop(`livelock: software ran ${MAX_TURNS_WITHOUT_TIME} times at ${this.queue.now} ns without virtual time passing`);
        return;
      }
      if (this.charged > 0) {
        let cycles = this.charged;
        this.charged = 0;
        // Hot path (every trap, switch and hypercall): one endOf; the end of time is rare.
        let end = this.clock.endOf(this.queue.now, cycles);
        if (!(end <= MAX_TIME_NS)) {
          const startCycle = this.clock.cycleBoundaryAtOrAfter(this.queue.now);
          if (this.reportPastEndOfTime(cycles, 'charge')) continue;
          cycles = this.cyclesLeft(startCycle);
          if (cycles < 1) {
            this.stop(`virtual time ran out at ${this.queue.now} ns (the end of time is ${MAX_TIME_NS} ns)`);
            return;
          }
          end = this.clock.timeOfCycle(startCycle + cycles);
        }
        this.counters.overheadCycles += cycles;
        this.episodeBusy++;
        if (this.queue.advanceInPlace(end)) {
          // Nothing else happens before the busy period ends: go on as its event would.
          this.activity.advance();
          turns = -1; // time passed: a new run of turns, as in a new loop()
          continue;
        }
        this.state = State.Busy;
        this.scheduleStep(end);
        return;
      }
      if (this.acceptsInterrupt()) {
        if (this.pendingStep > 0) {
          // The step never started: all of it remains.
          this.counters.preemptions++;
          this.workload?.preempted(this.pendingStep);
          this.pendingStep = 0;
        }
        this.isHalted = false;
        this.waiting = false;
        this.counters.interrupts++;
        try {
          this.deliverInterrupt();
        } catch (error) {
          if (!isExecutionAbandoned(error)) throw error;
        }
        continue;
      }
      if (this.pendingStep > 0) {
        let cycles = this.pendingStep;
        this.pendingStep = 0;
        const startCycle = this.clock.cycleBoundaryAtOrAfter(this.queue.now);
        if (!(cycles <= this.cyclesLeft(startCycle))) {
          if (this.reportPastEndOfTime(cycles, 'step')) continue;
          cycles = this.cyclesLeft(startCycle);
          if (cycles < 1) {
            this.stop(`virtual time ran out at ${this.queue.now} ns (the end of time is ${MAX_TIME_NS} ns)`);
            return;
          }
        }
        this.counters.steps++;
        const end = this.clock.timeOfCycle(startCycle + cycles);
        if (this.queue.advanceInPlace(end)) {
          // No interrupt can come before the step ends (interrupts come from events).
          this.counters.computeCycles += cycles;
          this.activity.advance();
          turns = -1; // time passed: a new run of turns, as in a new loop()
          continue;
        }
        this.stepCycles = cycles;
        this.stepStartCycle = startCycle;
        this.state = State.Computing;
        this.scheduleStep(end);
        return;
      }
      if (this.isHalted || this.waiting || this.workload === undefined) {
        this.state = State.Waiting;
        this.waitStart = this.queue.now;
        this.onWait?.();
        return;
      }
      let step: number;
      try {
        step = this.workload.next();
      } catch (error) {
        if (!isExecutionAbandoned(error)) throw error;
        continue;
      }
      if (step === WAIT_FOR_INTERRUPT) this.waiting = true;
      else this.pendingStep = step >= 1 ? Math.floor(step) : 1;
    }
  }

  /**
   * Work past the end of time: the workload's pastEndOfTime decides. True when the work
   * is dropped (the software that asked for it is gone, or the processor stopped).
   */
  private reportPastEndOfTime(cycles: number, kind: 'step' | 'charge'): boolean {
    const workload = this.workload;
    if (this.trace.enabled) this.trace.record(this.queue.now, this.name, 'cpu.endOfTime', { kind, cycles: String(cycles) });
    if (workload?.pastEndOfTime === undefined) return false;
    try {
      if (workload.pastEndOfTime(cycles, kind)) return true;
    } catch (error) {
      if (!isExecutionAbandoned(error)) throw error;
      return true;
    }
    return this.stopped !== undefined;
  }
}
