/**
 * The virtual interrupt controller of one partition: the delivery rules of docs/architecture.md
 * section 4, shared by every kernel (a binding only calls it).
 *
 *  - raise(line): latch as pending; a raise that finds the line already pending is
 *    coalesced and counted in the line's overrun counter, which the guest reads from its
 *    vCPU page (so a clock driver can announce missed ticks);
 *  - discard(line, reason): a raise the partition cannot take (it is stopped), counted;
 *    discardPending(reason): what is pending when the partition stops or restarts, counted.
 *    Nothing is silently lost: every raise that reaches the controller ends in exactly one
 *    of its counters,
 *        raised = delivered + coalesced + pending + discarded (stopped, restarted);
 *    the kernel's report checks that against the raises its sources counted
 *    (PartitionRuntime.raisedAtSource): `lost` is their difference, 0 for a correct kernel.
 *  - deliverPending(): while the partition runs, its vCPU page says virtual interrupts are
 *    enabled, no upcall is in progress, and an unmasked line is pending: deliver the
 *    highest-priority (lowest-numbered) one: clear it, disable virtual interrupts (as the
 *    hardware clears IF), and enter the guest's upcall entry in user mode with the line in
 *    the first argument register. A kernel calls it wherever the guest can be entered: at a
 *    raise while the partition runs, at VIRQ_DELIVER_PENDING / VIRQ_RETURN, and at every
 *    window start before the guest resumes.
 *  - latency (raise -> upcall entry, in the processor's local time so the kernel's own
 *    overhead counts) is recorded per line.
 *
 * The guest-owned `enabled` word is read from guest memory on every decision; every other
 * field of the page is a mirror of the state here.
 */
import {
  describeThrown,
  type HypercallAbi,
  isExecutionAbandoned,
  isMemoryFault,
  LatencyHistogram,
  type LatencySummary,
  type Platform,
  type ProgramImage,
  type UserContext,
  type VirtualInterruptState,
} from '@paravirt/machine';
import {
  API_VERSION,
  deliveredOffset,
  lineName,
  overrunOffset,
  Status,
  VCPU_MAGIC,
  VCPU_PAGE_SIZE,
  VcpuPage,
  VIRTUAL_LINE_COUNT,
} from '@paravirt/paravirt-api';

export type DeliveryResult =
  /** Nothing deliverable now, or everything deliverable was delivered. */
  | 'done'
  /** A handler stopped or restarted the partition: do not resume it. */
  | 'abandoned'
  /** The upcall entry has no code or is not executable: the kernel's HM decides. */
  | 'bad-entry'
  /** The upcall's code threw (anything but ExecutionAbandoned): lastException says what; the kernel's HM decides. */
  | 'exception';

/** Raises that were counted as discarded instead of delivered, by why. */
export interface DiscardCounts {
  /** Raised while the partition was stopped (ARINC mode IDLE), or pending when it stopped: no guest to take them. */
  readonly stopped: number;
  /** Pending when the partition restarted (COLD_START / WARM_START): the new guest starts with a fresh vCPU. */
  readonly restarted: number;
}

export type DiscardReason = keyof DiscardCounts;

/** The counts kept for the virtual lines of a partition, in total or for one line. */
export interface VirtualInterruptCounts {
  /** Raises (counted by their sources when the stats come from PartitionRuntime.virqStats()). */
  readonly raised: number;
  readonly delivered: number;
  readonly coalesced: number;
  /** Latched now, not yet delivered (per line 0 or 1). */
  readonly pending: number;
  readonly discarded: number;
  readonly discardedBy: DiscardCounts;
  /** raised - delivered - coalesced - pending - discarded: 0 for a correct kernel. */
  readonly lost: number;
  readonly latencyNs: LatencySummary;
}

/** One virtual line's counts (lines that were raised at least once). */
export interface VirtualLineStats extends VirtualInterruptCounts {
  readonly line: number;
  /** lineName(): 'timer', 'port-updated', 'hw-5', ... */
  readonly name: string;
}

export interface VirtualInterruptStats extends VirtualInterruptCounts {
  /** Per line, in line order. */
  readonly lines: readonly VirtualLineStats[];
}

export interface VirtualInterruptControllerOptions {
  readonly platform: Platform;
  readonly context: UserContext;
  readonly image: ProgramImage;
  /** The hypercall ABI: the line travels in its first argument register, and its registers are preserved across an upcall. */
  readonly abi: HypercallAbi;
  /** Trace source name (the partition). */
  readonly name: string;
}

const ALL_MASKED = 0xffffffff;

export class VirtualInterruptController {
  private pending = 0;
  private masked = ALL_MASKED;
  private pageAddress: number | undefined;
  private upcallEntry: number | undefined;
  private inUpcall = false;
  private readonly raiseTime = new Float64Array(VIRTUAL_LINE_COUNT);
  /** Raises that reached this controller, per line (latched, coalesced or discarded). */
  readonly raised = new Array<number>(VIRTUAL_LINE_COUNT).fill(0);
  readonly delivered = new Array<number>(VIRTUAL_LINE_COUNT).fill(0);
  readonly coalesced = new Array<number>(VIRTUAL_LINE_COUNT).fill(0);
  /** Discarded raises per line, whatever the reason; discardedBy splits them. */
  readonly discarded = new Array<number>(VIRTUAL_LINE_COUNT).fill(0);
  readonly discardedBy: { readonly [R in DiscardReason]: number[] } = {
    stopped: new Array<number>(VIRTUAL_LINE_COUNT).fill(0),
    restarted: new Array<number>(VIRTUAL_LINE_COUNT).fill(0),
  };
  readonly latency: LatencyHistogram[] = Array.from({ length: VIRTUAL_LINE_COUNT }, () => new LatencyHistogram());
  readonly all = new LatencyHistogram();
  /** Deliveries on all lines (kept incrementally: checked on every kernel exit). */
  deliveredTotal = 0;
  /** The latency of the last delivery per line (fast-forward: PartitionRuntime.timerUpcallShape). */
  private readonly lastLatency = new Float64Array(VIRTUAL_LINE_COUNT);

  constructor(private readonly options: VirtualInterruptControllerOptions) {
    this.emulatedFlag = Object.defineProperty({} as VirtualInterruptState, 'enabled', {
      enumerable: true,
      get: () => (this.pageAddress === undefined ? this.unregisteredFlag : this.guestEnabled()),
      set: (value: boolean) => {
        if (this.pageAddress === undefined) this.unregisteredFlag = value;
        else this.write(VcpuPage.ENABLED, value ? 1 : 0);
      },
    });
  }

  get isRegistered(): boolean {
    return this.pageAddress !== undefined;
  }

  get upcallInProgress(): boolean {
    return this.inUpcall;
  }

  /** VCPU_REGISTER: the page was validated by the dispatcher; initialise it. */
  registerPage(address: number): void {
    this.pageAddress = address;
    const bytes = new Uint8Array(VCPU_PAGE_SIZE);
    this.storeBytes(address, bytes);
    this.write(VcpuPage.MAGIC, VCPU_MAGIC);
    this.write(VcpuPage.VERSION, API_VERSION);
    this.write(VcpuPage.ENABLED, 0);
    this.write(VcpuPage.LINE_COUNT, VIRTUAL_LINE_COUNT);
    this.mirror();
  }

  /** What the last upcall that threw threw (machine's describeThrown: one bounded line). */
  lastException: string | undefined;

  setUpcall(entry: number): void {
    this.upcallEntry = entry;
  }

  /**
   * A source raised `line` (virtual timer, port, HM, routed hardware, IPI). `times` > 1
   * raises it that many times at once (a virtual timer that expired many times within one
   * kernel tick): the first latches the line if it is not pending, the rest are coalesced,
   * in one trace record with their count.
   */
  raise(line: number, times = 1): void {
    const bit = 1 << line;
    this.raised[line]! += times;
    const platform = this.options.platform;
    const trace = platform.board.trace;
    if (this.pending & bit) {
      this.coalesced[line]! += times;
      if (this.pageAddress !== undefined) this.write(overrunOffset(line), this.coalesced[line]!);
      if (trace.enabled) trace.record(platform.board.queue.now, this.options.name, 'virq.coalesce', times === 1 ? { line, lineName: lineName(line) } : { line, lineName: lineName(line), times });
      return;
    }
    if (times > 1) {
      this.raised[line]! -= times - 1;
      this.raise(line);
      this.raise(line, times - 1);
      return;
    }
    this.pending |= bit;
    this.raiseTime[line] = platform.board.queue.now;
    if (this.pageAddress !== undefined) this.write(VcpuPage.PENDING, this.pending);
    if (trace.enabled) trace.record(platform.board.queue.now, this.options.name, 'virq.raise', { line, lineName: lineName(line) });
  }

  /**
   * A raise of `line` (`times` of them) that the partition cannot take: counted as raised
   * and discarded for `reason`, never latched. The kernel calls it for raises aimed at a
   * stopped partition (PartitionRuntime.raiseInterrupt).
   */
  discard(line: number, reason: DiscardReason, times = 1): void {
    this.raised[line]! += times;
    this.countDiscard(line, reason, times);
  }

  /** Discards (and counts) every pending raise: the partition stopped or restarted, the guest they were for is gone. */
  discardPending(reason: DiscardReason): void {
    if (this.pending === 0) return;
    for (let line = 0; line < VIRTUAL_LINE_COUNT; line++) {
      if (this.pending & (1 << line)) this.countDiscard(line, reason, 1);
    }
    this.pending = 0;
    if (this.pageAddress !== undefined) this.write(VcpuPage.PENDING, 0);
  }

  private countDiscard(line: number, reason: DiscardReason, times: number): void {
    this.discarded[line]! += times;
    this.discardedBy[reason][line]! += times;
    const platform = this.options.platform;
    const trace = platform.board.trace;
    if (trace.enabled) trace.record(platform.board.queue.now, this.options.name, 'virq.discard', times === 1 ? { line, lineName: lineName(line), reason } : { line, lineName: lineName(line), reason, times });
  }

  setMasked(line: number, masked: boolean): void {
    const bit = 1 << line;
    this.masked = masked ? (this.masked | bit) >>> 0 : (this.masked & ~bit) >>> 0;
    if (this.pageAddress !== undefined) this.write(VcpuPage.MASKED, this.masked);
  }

  isMasked(line: number): boolean {
    return (this.masked & (1 << line)) !== 0;
  }

  isPending(line: number): boolean {
    return (this.pending & (1 << line)) !== 0;
  }

  /**
   * The virtual interrupt flag as trap-and-emulate sees it: the guest's vCPU page `enabled`
   * word (a native guest's emulated CLI/STI write it), or a kernel-held flag before the
   * page is registered.
   */
  readonly emulatedFlag: VirtualInterruptState;
  private unregisteredFlag = false;

  /** The guest's virtual interrupt flag, read from its page (false before registration). */
  guestEnabled(): boolean {
    if (this.pageAddress === undefined) return false;
    return this.read(VcpuPage.ENABLED) !== 0;
  }

  /** The line deliverPending would deliver now, or -1. */
  deliverableLine(): number {
    if (this.pageAddress === undefined || this.upcallEntry === undefined || this.inUpcall) return -1;
    const ready = (this.pending & ~this.masked) >>> 0;
    if (ready === 0 || !this.guestEnabled()) return -1;
    return 31 - Math.clz32(ready & -ready);
  }

  /** True if something is pending and unmasked (whatever the guest's flag says). */
  hasUnmaskedPending(): boolean {
    return ((this.pending & ~this.masked) >>> 0) !== 0;
  }

  /**
   * Delivers every deliverable line, one upcall at a time, in priority order. The
   * partition must be the one running (its context entered by the kernel).
   */
  deliverPending(): DeliveryResult {
    for (let line = this.deliverableLine(); line >= 0; line = this.deliverableLine()) {
      const result = this.deliver(line);
      if (result !== 'done') return result;
    }
    return 'done';
  }

  /** When `line` was last latched, and the latency of its last delivery (a fast-forward repeats them). */
  lastRaiseAt(line: number): number {
    return this.raiseTime[line]!;
  }

  lastLatencyOf(line: number): number {
    return this.lastLatency[line]!;
  }

  /**
   * Fast-forward (PartitionRuntime.creditTimerUpcalls): `count` more raises of `line`, each
   * latched on a line that was not pending and delivered with latency `latency(k)` (k = 1 ..
   * count) before the next, the last one raised at `lastRaiseAt`: counted, recorded and
   * mirrored in the vCPU page as deliverPending would have, with the guest's upcalls
   * already returned (the page's flags are as they are now).
   */
  creditDeliveries(line: number, count: number, latency: (k: number) => number, lastRaiseAt: number): void {
    this.raised[line]! += count;
    this.delivered[line]! += count;
    this.deliveredTotal += count;
    const histogram = this.latency[line]!;
    const all = this.all;
    let value = 0;
    for (let k = 1; k <= count; k++) {
      value = latency(k);
      histogram.record(value);
      all.record(value);
    }
    this.lastLatency[line] = value;
    this.raiseTime[line] = lastRaiseAt;
    if (this.pageAddress !== undefined) this.write(deliveredOffset(line), this.delivered[line]!);
  }

  /** VIRQ_RETURN: leave the upcall, virtual interrupts enabled again. */
  upcallReturn(): number {
    if (!this.inUpcall) return Status.INVALID_MODE;
    this.leaveUpcall();
    return Status.OK;
  }

  /** Partition restart: pending raises are discarded (and counted, reason 'restarted'), the page forgotten. */
  reset(): void {
    this.discardPending('restarted');
    this.masked = ALL_MASKED;
    this.pageAddress = undefined;
    this.upcallEntry = undefined;
    this.inUpcall = false;
  }

  /**
   * The counts, per line and in total. `raisedAtSource` (per line) replaces the controller's
   * own raise count when given: PartitionRuntime passes the raises its sources counted, so
   * `lost` compares two independent counts instead of being 0 by construction.
   */
  stats(raisedAtSource: readonly number[] = this.raised): VirtualInterruptStats {
    const lines: VirtualLineStats[] = [];
    const total = { raised: 0, delivered: 0, coalesced: 0, pending: 0, discarded: 0, stopped: 0, restarted: 0 };
    for (let line = 0; line < VIRTUAL_LINE_COUNT; line++) {
      const raised = raisedAtSource[line] ?? 0;
      if (raised === 0 && this.raised[line] === 0) continue;
      const delivered = this.delivered[line]!;
      const coalesced = this.coalesced[line]!;
      const pending = this.pending & (1 << line) ? 1 : 0;
      const discarded = this.discarded[line]!;
      const stopped = this.discardedBy.stopped[line]!;
      const restarted = this.discardedBy.restarted[line]!;
      total.raised += raised;
      total.delivered += delivered;
      total.coalesced += coalesced;
      total.pending += pending;
      total.discarded += discarded;
      total.stopped += stopped;
      total.restarted += restarted;
      lines.push({
        line,
        name: lineName(line),
        raised,
        delivered,
        coalesced,
        pending,
        discarded,
        discardedBy: { stopped, restarted },
        lost: raised - delivered - coalesced - pending - discarded,
        latencyNs: this.latency[line]!.summary(),
      });
    }
    const { raised, delivered, coalesced, pending, discarded, stopped, restarted } = total;
    return {
      raised,
      delivered,
      coalesced,
      pending,
      discarded,
      discardedBy: { stopped, restarted },
      lost: raised - delivered - coalesced - pending - discarded,
      latencyNs: this.all.summary(),
      lines,
    };
  }

  /** The registers an upcall frame preserves (the ABI's, in a fixed order), listed once. */
  private frameRegisters: readonly string[] | undefined = undefined;

  private deliver(line: number): DeliveryResult {
    const { platform, context, image, abi, name } = this.options;
    const bit = 1 << line;
    this.pending = (this.pending & ~bit) >>> 0;
    this.delivered[line]!++;
    this.deliveredTotal++;
    platform.processor.charge(platform.costs.virqUpcall);
    const latency = platform.processor.localTime() - this.raiseTime[line]!;
    this.lastLatency[line] = latency;
    this.latency[line]!.record(latency);
    this.all.record(latency);
    this.inUpcall = true;
    this.write(VcpuPage.PENDING, this.pending);
    this.write(deliveredOffset(line), this.delivered[line]!);
    this.write(VcpuPage.ENABLED, 0);
    this.write(VcpuPage.IN_UPCALL, 1);
    const trace = platform.board.trace;
    if (trace.enabled) trace.record(platform.board.queue.now, name, 'virq.deliver', { line, lineName: lineName(line), latencyNs: latency });
    const entryAddress = this.upcallEntry!;
    const fault = platform.board.checked.fetch(context.protection, 'user', entryAddress);
    const entry = fault ? undefined : image.entryAt(entryAddress);
    if (!entry) {
      this.leaveUpcall();
      return 'bad-entry';
    }
    // The upcall frame preserves the interrupted code's registers, as a trap frame would.
    const registers = (this.frameRegisters ??= [abi.numberRegister, ...abi.argumentRegisters, abi.resultRegister, ...abi.extraResultRegisters]);
    const saved: number[] = [];
    for (const register of registers) saved.push(platform.readRegister(register));
    platform.enterUser(context);
    platform.writeRegister(abi.argumentRegisters[0]!, line);
    try {
      entry();
    } catch (error) {
      if (isExecutionAbandoned(error)) return 'abandoned';
      // Guest code threw: the upcall ends there (as if it returned), the kernel's HM hears of it.
      this.lastException = describeThrown(error);
      for (let index = 0; index < registers.length; index++) platform.writeRegister(registers[index]!, saved[index]!);
      if (this.inUpcall) this.leaveUpcall();
      return 'exception';
    }
    for (let index = 0; index < registers.length; index++) platform.writeRegister(registers[index]!, saved[index]!);
    // Falling off the end of the upcall is taken as VIRQ_RETURN.
    if (this.inUpcall) this.leaveUpcall();
    return 'done';
  }

  private leaveUpcall(): void {
    this.inUpcall = false;
    this.write(VcpuPage.IN_UPCALL, 0);
    this.write(VcpuPage.ENABLED, 1);
  }

  private mirror(): void {
    this.write(VcpuPage.PENDING, this.pending);
    this.write(VcpuPage.MASKED, this.masked);
    this.write(VcpuPage.IN_UPCALL, this.inUpcall ? 1 : 0);
    for (let line = 0; line < VIRTUAL_LINE_COUNT; line++) {
      this.write(overrunOffset(line), this.coalesced[line]!);
      this.write(deliveredOffset(line), this.delivered[line]!);
    }
  }

  /** Page access as the kernel: supervisor mode through the partition's context. */
  private write(offset: number, value: number): void {
    const { platform, context } = this.options;
    platform.board.checked.store(context.protection, 'supervisor', this.pageAddress! + offset, 4, value >>> 0);
  }

  private read(offset: number): number {
    const { platform, context } = this.options;
    const value = platform.board.checked.load(context.protection, 'supervisor', this.pageAddress! + offset, 4);
    return isMemoryFault(value) ? 0 : value;
  }

  private storeBytes(address: number, bytes: Uint8Array): void {
    const { platform, context } = this.options;
    platform.board.checked.storeBytes(context.protection, 'supervisor', address, bytes);
  }
}
