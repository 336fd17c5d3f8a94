/**
 * TEST DOUBLE. A single-partition hypervisor implementing the whole binding on any
 * Platform, so guest layers (libcpu-virtual, bsp-virtualpok) can be unit-tested without a
 * kernel. It is not a separation kernel: one partition owns the processor all the time
 * (one window as long as the run), ports are loopback channels inside that partition,
 * and the health monitor only records. It does use the shared host logic real kernels use
 * (HypercallDispatcher, VirtualInterruptController, VirtualTimer), so the guest sees the
 * real API.
 */
import type { Nanoseconds, Platform, TrapInfo } from '@paravirt/machine';
import {
  type BadHypercallReport,
  ERROR_CODE_NAMES,
  type ErrorCode,
  type HmLogEntry,
  type HmStatus,
  type HypervisorBinding,
  ModuleAction,
  type PartitionGuestFactory,
  type PartitionMode,
  type Reply,
  type ScheduleStatus,
  StartCondition,
  Status,
  VirtualLine,
} from '@paravirt/paravirt-api';
import type { ErrorKind } from '../errorKinds.js';
import type { PortConfig } from '../moduleResources.js';
import { PartitionBinding } from '../partitionBinding.js';
import { LoopbackPorts } from './loopbackPorts.js';
import { PartitionKernel, type ScheduledWindow } from '../partitionKernel.js';
import { PartitionRuntime } from '../partitionRuntime.js';
import type { VirtualInterruptController } from '../virtualInterrupts.js';
import type { VirtualTimer } from '../virtualTimer.js';

export interface TestHostChannel {
  readonly source: string;
  readonly destination: string;
}

export interface TestHostOptions {
  readonly platform: Platform;
  readonly guest: PartitionGuestFactory;
  readonly name?: string;
  /** Partition memory in physical memory (default: 1 MiB at 1 MiB). */
  readonly physicalBase?: number;
  readonly memorySize?: number;
  readonly kernelTick?: Nanoseconds;
  /** Hardware lines routed to the partition as VirtualLine.HW_BASE + line. */
  readonly routedLines?: readonly number[];
  /** The partition's ports, and loopback channels between them (by port name). */
  readonly ports?: readonly PortConfig[];
  readonly channels?: readonly TestHostChannel[];
  /**
   * Time partitioning for guest tests: the partition runs `duration` out of every `period`
   * (the rest is idle time). Without it the partition owns the processor all the time.
   */
  readonly window?: { readonly period: Nanoseconds; readonly duration: Nanoseconds };
}

export type TestHostCaller = PartitionRuntime;

export interface TestHostHmEvent {
  readonly timeNs: Nanoseconds;
  readonly error: string;
  readonly detail: string;
}

export class TestHost extends PartitionKernel<PartitionRuntime> {
  /** The one partition. */
  readonly caller: PartitionRuntime;
  readonly faults: TrapInfo[] = [];
  readonly hmEvents: TestHostHmEvent[] = [];
  readonly badCalls: BadHypercallReport[] = [];
  private binding: TestHostBinding | undefined;

  constructor(private readonly options: TestHostOptions) {
    const platform = options.platform;
    const caller = new PartitionRuntime({
      platform,
      id: 0,
      name: options.name ?? 'guest',
      physicalBase: options.physicalBase ?? 0x100000,
      size: options.memorySize ?? 0x100000,
      guest: options.guest,
    });
    const routed = options.routedLines ?? [];
    super({ platform, partitions: [caller], kernelTick: options.kernelTick ?? 1_000_000, routes: new Map(routed.map((line) => [line, 0])), name: 'test-host' });
    this.caller = caller;
  }

  get interrupts(): VirtualInterruptController {
    return this.caller.interrupts;
  }

  get timer(): VirtualTimer {
    return this.caller.timer;
  }

  get mode(): PartitionMode {
    return this.caller.mode;
  }

  get restarts(): number {
    return this.caller.restarts;
  }

  get hypercalls(): number {
    return this.caller.hypercalls;
  }

  /** Starts the processor: the partition boots on the first step. */
  override start(): void {
    super.start((partition) => partition.start('cold', StartCondition.NORMAL_START));
  }

  run(until: Nanoseconds): void {
    this.platform.board.runUntil(until);
  }

  consoleText(): string {
    return this.caller.console.text();
  }

  /** One window that never ends, or the configured window followed by an idle gap in every period. */
  protected firstWindow(now: Nanoseconds): ScheduledWindow {
    const window = this.options.window;
    return { owner: 0, start: now, end: window ? now + window.duration : Number.MAX_SAFE_INTEGER };
  }

  protected nextWindow(previous: ScheduledWindow): ScheduledWindow {
    const window = this.options.window;
    if (!window) return previous;
    return previous.owner === 0
      ? { owner: -1, start: previous.end, end: previous.end + (window.period - window.duration) }
      : { owner: 0, start: previous.end, end: previous.end + window.duration };
  }

  protected createBinding(): HypervisorBinding<TestHostCaller> {
    this.binding = new TestHostBinding(this, this.options);
    return this.binding;
  }

  /** A restart forgets the loopback ports the old guest created. */
  protected override partitionRestarted(): void {
    this.binding?.ports.resetPartition(0);
  }

  /** The health monitor of a test double: record, and stop the partition on a fault. */
  raiseError(partition: PartitionRuntime, trap: TrapInfo | undefined, kind: ErrorKind, detail: string): boolean {
    if (trap) this.faults.push(trap);
    const error = kind === 'memory' ? 'MEMORY_VIOLATION' : kind === 'arithmetic' ? 'NUMERIC_ERROR' : 'ILLEGAL_REQUEST';
    this.hmEvents.push({ timeNs: this.platform.board.queue.now, error, detail });
    partition.stop();
    return true;
  }
}

/** The test host's binding: the shared PartitionBinding plus loopback ports and a recording HM. */
class TestHostBinding extends PartitionBinding<PartitionRuntime> implements HypervisorBinding<TestHostCaller> {
  readonly hypervisorName = 'paravirt-test-host';
  readonly hypervisorVersion = '1';
  readonly features = ['vcpu', 'virq', 'timer', 'console', 'ports-loopback', 'hm-record'];
  readonly ports: LoopbackPorts;

  constructor(
    private readonly host: TestHost,
    options: TestHostOptions,
  ) {
    super(host);
    this.ports = new LoopbackPorts(host.caller.name, options.ports ?? [], options.channels ?? [], () => host.caller.raiseInterrupt(VirtualLine.PORT_UPDATED));
  }

  /** Only the one partition exists: it may interrupt itself. */
  protected mayInterrupt(caller: TestHostCaller, target: TestHostCaller): boolean {
    return caller === target;
  }

  /** No schedule to speak of: period and duration 0. */
  protected timing(): { periodNs: number; durationNs: number } {
    return { periodNs: 0, durationNs: 0 };
  }

  protected isSystem(): boolean {
    return true;
  }

  scheduleStatus(): Reply<ScheduleStatus> {
    return { status: Status.OK, value: { currentSchedule: 0, nextSchedule: 0, lastSwitchNs: 0, majorFrameNs: 0 } };
  }

  hmRaise(_caller: TestHostCaller, error: ErrorCode, message: string): Reply {
    this.host.hmEvents.push({ timeNs: this.host.platform.board.queue.now, error: ERROR_CODE_NAMES[error], detail: message });
    this.host.caller.raiseInterrupt(VirtualLine.HM_EVENT);
    return { status: Status.OK };
  }

  hmStatus(): Reply<HmStatus> {
    const last = this.host.hmEvents.at(-1);
    return {
      status: Status.OK,
      value: { events: this.host.hmEvents.length, lastError: last ? Math.max(0, ERROR_CODE_NAMES.indexOf(last.error as (typeof ERROR_CODE_NAMES)[number])) : 0xffffffff, lastAction: 0, lastEventNs: last?.timeNs ?? 0 },
    };
  }

  hmLogRead(caller: TestHostCaller, index: number): Reply<HmLogEntry> {
    const event = this.host.hmEvents[index];
    if (!event) return { status: Status.INVALID_PARAM };
    return { status: Status.OK, value: { timeNs: event.timeNs, partitionId: caller.id, error: Math.max(0, ERROR_CODE_NAMES.indexOf(event.error as (typeof ERROR_CODE_NAMES)[number])), level: 0, action: 0, detail: event.detail } };
  }

  /** Only the one partition exists: "another" partition can only be itself. */
  override setOtherPartitionMode(caller: TestHostCaller, partitionId: number, mode: PartitionMode): Reply {
    return partitionId === caller.id ? this.changeMode(caller, mode) : { status: Status.INVALID_PARAM };
  }

  setModuleSchedule(_caller: TestHostCaller, scheduleId: number): Reply {
    return { status: scheduleId === 0 ? Status.NO_ACTION : Status.INVALID_CONFIG };
  }

  moduleControl(_caller: TestHostCaller, action: ModuleAction): Reply {
    this.host.platform.processor.stop(action === ModuleAction.SHUTDOWN ? 'module shutdown' : 'module reset');
    return { status: Status.OK, abandon: true };
  }

  override badHypercall(_caller: TestHostCaller, report: BadHypercallReport): Reply {
    this.host.badCalls.push(report);
    this.host.hmEvents.push({ timeNs: this.host.platform.board.queue.now, error: report.kind === 'bad-address' ? 'MEMORY_VIOLATION' : 'ILLEGAL_REQUEST', detail: `${report.name}: ${report.detail}` });
    return { status: Status.OK };
  }
}
