/**
 * Hosting one paravirtualized guest per the API contract: what every kernel does for a
 * partition, whatever its scheduling and health-monitoring design.
 *
 *  - start(kind): (re)creates the guest from its factory with a fresh program image,
 *    virtual interrupt state, timer and register state (a restart reloads the guest,
 *    ARINC 653 COLD_START / WARM_START), and boots it on its first step per the boot
 *    protocol; stop() discards its register state too (Platform.discardUserState);
 *  - step(): the partition's share of the kernel's Workload while its window is open:
 *    enters its user context and runs the guest to its next yield, unless the guest is
 *    waiting for a virtual interrupt and none was delivered since;
 *  - raiseInterrupt(line): the one way a source (virtual timer, routed hardware line, port
 *    transfer, window start, health monitor, inter-partition interrupt) raises a virtual
 *    line here: counted at once in raisedAtSource, then latched by the controller if the
 *    partition runs, or discarded as 'stopped' (and counted) if it does not;
 *  - deliver(): delivers what is deliverable (VirtualInterruptController rules) and wakes
 *    a waiting guest when something was delivered;
 *  - accounting: windows, time in window, idle time, hypercalls, faults.
 */
import {
  ConsoleBuffer,
  type CycleClock,
  type Nanoseconds,
  type Platform,
  ProgramImage,
  type UserContext,
  WAIT_FOR_INTERRUPT,
} from '@paravirt/machine';
import {
  BootRegister,
  type HypercallCaller,
  type PartitionGuest,
  type PartitionGuestFactory,
  PartitionMode,
  StartCondition,
  VIRTUAL_LINE_COUNT,
  VirtualLine,
} from '@paravirt/paravirt-api';
import { HmEventLog } from './hmEventLog.js';
import { type DeliveryResult, VirtualInterruptController, type VirtualInterruptStats } from './virtualInterrupts.js';
import { VirtualTimer } from './virtualTimer.js';

/** The cycles from a kernel tick's interrupt to a TIMER upcall's delivery and to the IDLE that follows it (PartitionRuntime.timerUpcallShape). */
export interface TimerUpcallShape {
  readonly toUpcall: number;
  readonly toIdle: number;
}

export interface PartitionRuntimeOptions {
  readonly platform: Platform;
  readonly id: number;
  readonly name: string;
  readonly physicalBase: number;
  readonly size: number;
  readonly guest: PartitionGuestFactory;
}

export class PartitionRuntime implements HypercallCaller {
  readonly id: number;
  readonly name: string;
  readonly context: UserContext;
  readonly interrupts: VirtualInterruptController;
  readonly timer: VirtualTimer;
  /**
   * Raises aimed at this partition, per virtual line, counted where each source makes them
   * (raiseInterrupt), before anything decides what becomes of them. Kept across restarts.
   */
  readonly raisedAtSource = new Array<number>(VIRTUAL_LINE_COUNT).fill(0);
  readonly image: ProgramImage;
  /** What the guest printed (bounded: a runaway guest cannot exhaust host memory). */
  readonly console = new ConsoleBuffer();
  /** Health-monitor events of this partition, in order (bounded, counted). */
  readonly hmEvents = new HmEventLog();
  /** Deadline misses the guest reported (rate-monotonic periods) or the kernel detected. */
  deadlineMisses = 0;
  mode: PartitionMode = PartitionMode.IDLE;
  startCondition: StartCondition = StartCondition.NORMAL_START;
  restarts = 0;
  /**
   * Trap-and-emulate: the kernel emulates this partition's native interrupt-flag
   * instructions (libcpu: native-emulated) instead of treating them as faults.
   */
  trapAndEmulate = false;
  /** Interrupt-flag instructions the kernel emulated. */
  emulatedOperations = 0;
  /** Cycles of trap entry, exit and emulation those operations cost. */
  emulationCycles = 0;
  /** Consecutive windows that ended with an unmasked virtual interrupt pending while the guest's flag stayed off. */
  stalledWindows = 0;
  /** The guest yielded WAIT_FOR_INTERRUPT and nothing was delivered since. */
  waiting = false;
  /**
   * Cycles of work done for this partition (its own synchronous code, the kernel serving
   * its hypercalls and faults, its upcalls, saving its state) not yet paid in its windows.
   * The kernel pays them as preemptible time at the partition's next steps, so this
   * partition's work never delays another partition's window (see PartitionKernel).
   * Kept across restarts and stops: the work was done.
   */
  owedCycles = 0;
  // Accounting
  windows = 0;
  hypercalls = 0;
  privilegedFaults = 0;
  idleCalls = 0;
  /** Window time while the partition was running (a stopped partition's windows are the kernel's idle time). */
  windowNs: Nanoseconds = 0;
  idleNs: Nanoseconds = 0;
  private waitSince: Nanoseconds | undefined;
  private windowSince: Nanoseconds | undefined;
  private guest: PartitionGuest | undefined;
  private booted = false;
  private readonly platform: Platform;
  private readonly factory: PartitionGuestFactory;

  constructor(options: PartitionRuntimeOptions) {
    this.platform = options.platform;
    this.id = options.id;
    this.name = options.name;
    this.factory = options.guest;
    this.context = options.platform.createUserContext({ name: options.name, physicalBase: options.physicalBase, size: options.size });
    this.image = new ProgramImage(options.name);
    this.interrupts = new VirtualInterruptController({ platform: options.platform, context: this.context, image: this.image, abi: options.platform.hypercallAbi, name: options.name });
    this.timer = new VirtualTimer({ raise: (line, times) => this.raiseInterrupt(line, times) });
  }

  /**
   * A source raises virtual line `line` on this partition (`times` raises at once: a
   * virtual timer that expired several times in one kernel tick). Counted here first, in
   * raisedAtSource; a running partition's controller latches it (or coalesces it into the
   * pending one), a stopped partition's discards it as 'stopped' - counted, never dropped.
   */
  raiseInterrupt(line: number, times = 1): void {
    this.raisedAtSource[line]! += times;
    if (this.running) this.interrupts.raise(line, times);
    else this.interrupts.discard(line, 'stopped', times);
  }

  /** The partition's vIRQ counts: its sources' raises against what the controller did with them (`lost` is the difference). */
  virqStats(): VirtualInterruptStats {
    this.timer.settle();
    return this.interrupts.stats(this.raisedAtSource);
  }

  /** The guest running now (undefined before its first boot and while stopped): tests look at what it observed. */
  get instance(): PartitionGuest | undefined {
    return this.guest;
  }

  /** Runnable: started and not stopped. */
  get running(): boolean {
    return this.mode !== PartitionMode.IDLE;
  }

  /** (Re)starts the guest: it boots on its next step. */
  start(kind: 'cold' | 'warm', condition: StartCondition): void {
    // Expiries the kernel held back (VirtualTimer.defer) happened before this: counted while the old guest ran.
    this.timer.settle();
    if (this.guest !== undefined || this.booted) this.restarts++;
    this.mode = kind === 'cold' ? PartitionMode.COLD_START : PartitionMode.WARM_START;
    this.startCondition = condition;
    this.interrupts.reset();
    this.timer.cancel();
    this.image.clear();
    // A restart reloads the guest: its old register state (SPARC windows and stack) is dead.
    this.platform.discardUserState?.(this.context);
    this.guest = undefined;
    this.booted = false;
    this.waiting = false;
    this.waitSince = undefined;
  }

  /** Stops the partition (mode IDLE): it does not run until started again. */
  stop(): void {
    this.timer.settle();
    const now = this.platform.board.queue.now;
    this.mode = PartitionMode.IDLE;
    this.timer.cancel();
    // Its guest is gone: what it had pending will never be delivered.
    this.interrupts.discardPending('stopped');
    // Nothing of it is saved at its next partition switch, and nothing is left for whoever runs next to pay for.
    this.platform.discardUserState?.(this.context);
    this.guest = undefined;
    this.booted = false;
    this.endWait(now);
    this.waiting = false;
    if (this.windowSince !== undefined) this.windowNs += now - this.windowSince;
    this.windowSince = undefined;
  }

  /** One step of the guest in its window (the kernel's Workload.next delegates here). */
  step(): number {
    if (!this.running) return WAIT_FOR_INTERRUPT;
    const platform = this.platform;
    platform.enterUser(this.context);
    if (!this.booted) {
      this.boot();
      // boot() may have stopped or restarted the partition through a hypercall.
      if (!this.running || !this.booted) return WAIT_FOR_INTERRUPT;
    }
    // A guest whose creation or boot threw (the kernel's health monitor heard of it) has no code to run.
    if (this.waiting || this.guest === undefined) return WAIT_FOR_INTERRUPT;
    const step = this.guest.next();
    if (step === WAIT_FOR_INTERRUPT) this.beginWait(platform.board.queue.now);
    return step;
  }

  preempted(remainingCycles: number): void {
    this.guest?.preempted(remainingCycles);
  }

  /** Delivers what is deliverable now; the partition's context must be entered. */
  deliver(): DeliveryResult {
    if (!this.running) return 'done';
    const before = this.interrupts.deliveredTotal;
    const result = this.interrupts.deliverPending();
    if (this.interrupts.deliveredTotal !== before) this.wake();
    return result;
  }

  /**
   * Fast-forward (PartitionKernel's timer upcalls): the shape of the last kernel tick's
   * episode in this partition, if it was a TIMER upcall into the idle guest that raised the
   * line at the tick's interrupt (`tickAt`): the cycles from that instant to the upcall's
   * delivery (its latency) and to the IDLE hypercall that began the wait - each on the
   * processor's cycle grid, so the same cycles after another tick give that tick's
   * latency and wait. Undefined if the last episode does not fit that shape.
   */
  timerUpcallShape(tickAt: Nanoseconds, clock: CycleClock): TimerUpcallShape | undefined {
    const interrupts = this.interrupts;
    const since = this.waitSince;
    if (!this.waiting || since === undefined || this.guest?.creditTimerUpcalls === undefined) return undefined;
    if (interrupts.lastRaiseAt(VirtualLine.TIMER) !== tickAt || interrupts.isPending(VirtualLine.TIMER)) return undefined;
    const deliveredAt = tickAt + interrupts.lastLatencyOf(VirtualLine.TIMER);
    const first = clock.cycleBoundaryAtOrAfter(tickAt);
    const toUpcall = clock.cyclesAt(deliveredAt) - first;
    const toIdle = clock.cyclesAt(since) - first;
    if (!(toUpcall >= 0 && toIdle >= 0) || clock.endOf(tickAt, toUpcall) !== deliveredAt || clock.endOf(tickAt, toIdle) !== since) return undefined;
    return { toUpcall, toIdle };
  }

  /** The guest's answer to PartitionGuest.quietTimerUpcalls (0 without a guest or the method). */
  quietTimerUpcalls(limit: number): number {
    const guest = this.guest;
    if (guest?.quietTimerUpcalls === undefined || guest.creditTimerUpcalls === undefined) return 0;
    return guest.quietTimerUpcalls(limit);
  }

  /**
   * Fast-forward: `count` more kernel ticks at instants `at(1)`..`at(count)`, each exactly
   * like one seen before (timerUpcallShape; `shape`, or `shape(k)` for tick k): the timer
   * expired, TIMER was raised and delivered with the shape's latency, the guest took it
   * (creditTimerUpcalls) with `hypercalls` hypercalls of which `idleCalls` IDLE, and waited
   * again from the shape's instant.
   */
  creditTimerUpcalls(count: number, at: (k: number) => Nanoseconds, shape: TimerUpcallShape | ((k: number) => TimerUpcallShape), clock: CycleClock, hypercalls: number, idleCalls: number): void {
    const shapeOf = typeof shape === 'function' ? shape : () => shape;
    this.timer.creditExpiries(count);
    this.raisedAtSource[VirtualLine.TIMER]! += count;
    // The wait each upcall ended (at the tick's instant, when it was delivered) and the one its IDLE began.
    let idle = this.idleNs;
    let since = this.waitSince!;
    for (let k = 1; k <= count; k++) {
      const tick = at(k);
      idle += tick - since;
      since = clock.endOf(tick, shapeOf(k).toIdle);
    }
    this.idleNs = idle;
    this.waitSince = since;
    this.interrupts.creditDeliveries(VirtualLine.TIMER, count, (k) => {
      const tick = at(k);
      return clock.endOf(tick, shapeOf(k).toUpcall) - tick;
    }, at(count));
    this.hypercalls += count * hypercalls;
    this.idleCalls += count * idleCalls;
    this.guest!.creditTimerUpcalls!(count);
  }

  /** The guest declared itself idle (IDLE hypercall). */
  declareIdle(): void {
    this.idleCalls++;
    this.beginWait(this.platform.board.queue.now);
  }

  /** Window bookkeeping, at the real instants the window opens and closes (the ticks that reach its edges). */
  windowOpened(at: Nanoseconds): void {
    this.windows++;
    if (!this.running) return;
    this.windowSince = at;
    if (this.waiting) this.waitSince = at;
  }

  windowClosed(at: Nanoseconds): void {
    if (this.windowSince !== undefined) this.windowNs += at - this.windowSince;
    this.windowSince = undefined;
    this.endWait(at);
  }

  /** Window time so far, including the open window up to `now`. */
  windowTime(now: Nanoseconds): Nanoseconds {
    return this.windowNs + (this.windowSince !== undefined ? Math.max(0, now - this.windowSince) : 0);
  }

  /** Idle time so far, including a wait in progress up to `now`. */
  idleTime(now: Nanoseconds): Nanoseconds {
    return this.idleNs + (this.waitSince !== undefined ? Math.max(0, now - this.waitSince) : 0);
  }

  /** Time the partition's guest actually ran in its windows, up to `now`. */
  cpuTime(now: Nanoseconds): Nanoseconds {
    return Math.max(0, this.windowTime(now) - this.idleTime(now));
  }

  private wake(): void {
    if (!this.waiting) return;
    this.endWait(this.platform.board.queue.now);
    this.waiting = false;
  }

  private beginWait(now: Nanoseconds): void {
    this.waiting = true;
    this.waitSince ??= now;
  }

  private endWait(now: Nanoseconds): void {
    if (this.waitSince !== undefined) this.idleNs += now - this.waitSince;
    this.waitSince = undefined;
  }

  private boot(): void {
    const platform = this.platform;
    const abi = platform.hypercallAbi;
    this.booted = true;
    const guest = this.factory({
      processor: platform.processor,
      abi,
      image: this.image,
      littleEndian: platform.board.memory.littleEndian,
      startKind: this.mode === PartitionMode.WARM_START ? 'warm' : 'cold',
    });
    this.guest = guest;
    platform.writeRegister(abi.argumentRegisters[BootRegister.MEMORY_BASE]!, this.context.virtualBase);
    platform.writeRegister(abi.argumentRegisters[BootRegister.MEMORY_SIZE]!, this.context.size);
    platform.writeRegister(abi.argumentRegisters[BootRegister.PARTITION_ID]!, this.id);
    guest.boot();
  }
}
