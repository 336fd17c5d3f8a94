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
import { ERROR_CODE_NAMES, type ErrorCode, ModuleAction, PartitionMode, PortDirection, PortKind, Validity } from '../arinc.js';
import type { BadHypercallReport, HypervisorBinding, Reply } from '../binding.js';
import { PartitionKernel, type ScheduledWindow } from '../host/partitionKernel.js';
import { PartitionRuntime, StartCondition } from '../host/partitionRuntime.js';
import type { VirtualInterruptController } from '../host/virtualInterrupts.js';
import type { VirtualTimer } from '../host/virtualTimer.js';
import type { PartitionGuestFactory } from '../partition.js';
import { Status } from '../status.js';
import type { HmLogEntry, HmStatus, PartitionInfo, PartitionStatus, PortDescriptor, PortStatus, SamplingInfo, ScheduleStatus } from '../structs.js';
import { VirtualLine } from '../virtualLines.js';

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
  /** Loopback channels between ports of the partition. */
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

interface TestPort {
  readonly descriptor: PortDescriptor;
  readonly id: number;
  messages: Uint8Array[];
  lastWrite: Nanoseconds;
}

export class TestHost extends PartitionKernel<PartitionRuntime> implements HypervisorBinding<TestHostCaller> {
  readonly hypervisorName = 'paravirt-test-host';
  readonly hypervisorVersion = '1';
  readonly features = ['vcpu', 'virq', 'timer', 'console', 'ports-loopback', 'hm-record'];

  /** The one partition. */
  readonly caller: PartitionRuntime;
  readonly faults: TrapInfo[] = [];
  readonly hmEvents: TestHostHmEvent[] = [];
  readonly badCalls: BadHypercallReport[] = [];
  private readonly routed: Set<number>;
  private ports: TestPort[] = [];

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
    this.routed = new Set(routed);
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
    return this;
  }

  /** The health monitor of a test double: record, and stop the partition on a fault. */
  raiseError(partition: PartitionRuntime, trap: TrapInfo | undefined, kind: string, detail: string): boolean {
    if (trap) this.faults.push(trap);
    const error = kind === 'memory' ? 'MEMORY_VIOLATION' : kind === 'arithmetic' ? 'NUMERIC_ERROR' : 'ILLEGAL_REQUEST';
    this.hmEvents.push({ timeNs: this.platform.board.queue.now, error, detail });
    partition.stop();
    return true;
  }

  private restart(kind: PartitionMode): Reply {
    this.caller.start(kind === PartitionMode.WARM_START ? 'warm' : 'cold', StartCondition.PARTITION_RESTART);
    this.ports = [];
    return { status: Status.OK, abandon: true };
  }

  // --- Binding ---
  partitionInfo(caller: TestHostCaller): Reply<PartitionInfo> {
    const context = caller.context;
    return {
      status: Status.OK,
      value: { partitionId: caller.id, name: context.name, memoryBase: context.virtualBase, memorySize: context.size, kernelTickNs: this.kernelTick, periodNs: 0, durationNs: 0, system: 1 },
    };
  }

  vcpuRegister(_caller: TestHostCaller, pageAddress: number): Reply {
    this.interrupts.registerPage(pageAddress);
    return { status: Status.OK };
  }

  virqSetUpcall(_caller: TestHostCaller, entryAddress: number): Reply {
    this.interrupts.setUpcall(entryAddress);
    return { status: Status.OK };
  }

  virqReturn(): Reply {
    return { status: this.interrupts.upcallReturn() as Status };
  }

  virqSetMasked(_caller: TestHostCaller, line: number, masked: boolean): Reply {
    this.interrupts.setMasked(line, masked);
    return { status: Status.OK };
  }

  virqAck(_caller: TestHostCaller, line: number): Reply {
    const hardware = line - VirtualLine.HW_BASE;
    if (!this.routed.has(hardware)) return { status: Status.INVALID_PARAM };
    this.platform.setLineMasked(hardware, false);
    return { status: Status.OK };
  }

  virqDeliverPending(): Reply {
    // Delivery happens on the way out of the kernel (exit()); say whether there was work.
    return { status: this.interrupts.deliverableLine() >= 0 ? Status.OK : Status.NO_ACTION };
  }

  virqSend(caller: TestHostCaller, partitionId: number, ipi: number): Reply {
    if (partitionId !== caller.id) return { status: Status.INVALID_PARAM };
    this.interrupts.raise(VirtualLine.IPI_BASE + ipi);
    return { status: Status.OK };
  }

  timeGet(_caller: TestHostCaller, clock: number): Reply<number> {
    const processor = this.platform.processor;
    const now = processor.localTime();
    return { status: Status.OK, value: clock === 0 ? now : Math.max(0, now - processor.stats.waitNs) };
  }

  timerSet(_caller: TestHostCaller, firstNs: number, periodNs: number): Reply {
    this.timer.set(this.platform.board.queue.now, firstNs, periodNs);
    return { status: Status.OK };
  }

  timerCancel(): Reply {
    this.timer.cancel();
    return { status: Status.OK };
  }

  idle(): Reply {
    this.caller.declareIdle();
    return { status: Status.OK };
  }

  partitionStatus(caller: TestHostCaller): Reply<PartitionStatus> {
    return { status: Status.OK, value: { partitionId: caller.id, mode: caller.mode, startCondition: caller.startCondition, restarts: caller.restarts, periodNs: 0, durationNs: 0 } };
  }

  scheduleStatus(): Reply<ScheduleStatus> {
    return { status: Status.OK, value: { currentSchedule: 0, nextSchedule: 0, lastSwitchNs: 0, majorFrameNs: 0 } };
  }

  consoleWrite(caller: TestHostCaller, bytes: Uint8Array): Reply {
    this.console(caller, bytes);
    return { status: Status.OK };
  }

  portCreate(_caller: TestHostCaller, descriptor: PortDescriptor): Reply<number> {
    if (this.ports.some((port) => port.descriptor.name === descriptor.name)) return { status: Status.NO_ACTION };
    const configured = (this.options.channels ?? []).some((channel) => channel.source === descriptor.name || channel.destination === descriptor.name);
    if (!configured) return { status: Status.INVALID_CONFIG };
    const port: TestPort = { descriptor, id: this.ports.length + 1, messages: [], lastWrite: -1 };
    this.ports.push(port);
    return { status: Status.OK, value: port.id };
  }

  portId(_caller: TestHostCaller, name: string): Reply<number> {
    const port = this.ports.find((candidate) => candidate.descriptor.name === name);
    return port ? { status: Status.OK, value: port.id } : { status: Status.INVALID_CONFIG };
  }

  samplingWrite(_caller: TestHostCaller, portId: number, message: Uint8Array): Reply {
    const port = this.port(portId, PortKind.SAMPLING, PortDirection.SOURCE);
    if (typeof port === 'number') return { status: port };
    if (message.length > port.descriptor.maxMessageSize || message.length === 0) return { status: Status.INVALID_PARAM };
    for (const destination of this.destinations(port)) {
      destination.messages = [message.slice()];
      destination.lastWrite = this.platform.board.queue.now;
      this.interrupts.raise(VirtualLine.PORT_UPDATED);
    }
    return { status: Status.OK };
  }

  samplingRead(_caller: TestHostCaller, portId: number, capacity: number): Reply<{ message: Uint8Array; info: SamplingInfo }> {
    const port = this.port(portId, PortKind.SAMPLING, PortDirection.DESTINATION);
    if (typeof port === 'number') return { status: port };
    const message = port.messages[0];
    if (!message) return { status: Status.NO_ACTION };
    if (capacity < message.length) return { status: Status.INVALID_PARAM };
    const age = this.platform.board.queue.now - port.lastWrite;
    const validity = age <= port.descriptor.refreshPeriodNs ? Validity.VALID : Validity.INVALID;
    return { status: Status.OK, value: { message, info: { length: message.length, validity, ageNs: age } } };
  }

  queuingSend(_caller: TestHostCaller, portId: number, message: Uint8Array): Reply {
    const port = this.port(portId, PortKind.QUEUING, PortDirection.SOURCE);
    if (typeof port === 'number') return { status: port };
    if (message.length > port.descriptor.maxMessageSize) return { status: Status.INVALID_PARAM };
    const destinations = this.destinations(port);
    if (destinations.some((destination) => destination.messages.length >= destination.descriptor.maxMessages)) return { status: Status.NOT_AVAILABLE };
    for (const destination of destinations) {
      destination.messages.push(message.slice());
      destination.lastWrite = this.platform.board.queue.now;
      this.interrupts.raise(VirtualLine.PORT_UPDATED);
    }
    return { status: Status.OK };
  }

  queuingReceive(_caller: TestHostCaller, portId: number, capacity: number): Reply<Uint8Array> {
    const port = this.port(portId, PortKind.QUEUING, PortDirection.DESTINATION);
    if (typeof port === 'number') return { status: port };
    const message = port.messages[0];
    if (!message) return { status: Status.NOT_AVAILABLE };
    if (capacity < message.length) return { status: Status.INVALID_PARAM };
    port.messages.shift();
    return { status: Status.OK, value: message };
  }

  portStatus(_caller: TestHostCaller, portId: number): Reply<PortStatus> {
    const port = this.ports.find((candidate) => candidate.id === portId);
    if (!port) return { status: Status.INVALID_PARAM };
    const d = port.descriptor;
    return {
      status: Status.OK,
      value: { kind: d.kind, direction: d.direction, maxMessageSize: d.maxMessageSize, maxMessages: d.maxMessages, messages: port.messages.length, flags: 0, refreshPeriodNs: d.refreshPeriodNs, lastWriteNs: Math.max(0, port.lastWrite) },
    };
  }

  hmRaise(_caller: TestHostCaller, error: ErrorCode, message: string): Reply {
    this.hmEvents.push({ timeNs: this.platform.board.queue.now, error: ERROR_CODE_NAMES[error], detail: message });
    this.interrupts.raise(VirtualLine.HM_EVENT);
    return { status: Status.OK };
  }

  hmStatus(): Reply<HmStatus> {
    const last = this.hmEvents.at(-1);
    return {
      status: Status.OK,
      value: { events: this.hmEvents.length, lastError: last ? Math.max(0, ERROR_CODE_NAMES.indexOf(last.error as (typeof ERROR_CODE_NAMES)[number])) : 0xffffffff, lastAction: 0, lastEventNs: last?.timeNs ?? 0 },
    };
  }

  hmLogRead(caller: TestHostCaller, index: number): Reply<HmLogEntry> {
    const event = this.hmEvents[index];
    if (!event) return { status: Status.INVALID_PARAM };
    return { status: Status.OK, value: { timeNs: event.timeNs, partitionId: caller.id, error: Math.max(0, ERROR_CODE_NAMES.indexOf(event.error as (typeof ERROR_CODE_NAMES)[number])), level: 0, action: 0, detail: event.detail } };
  }

  setPartitionMode(_caller: TestHostCaller, mode: PartitionMode): Reply {
    switch (mode) {
      case PartitionMode.IDLE:
        this.caller.stop();
        return { status: Status.OK, abandon: true };
      case PartitionMode.NORMAL:
        if (this.caller.mode === PartitionMode.NORMAL) return { status: Status.NO_ACTION };
        this.caller.mode = PartitionMode.NORMAL;
        return { status: Status.OK };
      case PartitionMode.COLD_START:
      case PartitionMode.WARM_START:
        return this.restart(mode);
    }
  }

  setOtherPartitionMode(caller: TestHostCaller, partitionId: number, mode: PartitionMode): Reply {
    return partitionId === caller.id ? this.setPartitionMode(caller, mode) : { status: Status.INVALID_PARAM };
  }

  setModuleSchedule(_caller: TestHostCaller, scheduleId: number): Reply {
    return { status: scheduleId === 0 ? Status.NO_ACTION : Status.INVALID_CONFIG };
  }

  moduleControl(_caller: TestHostCaller, action: ModuleAction): Reply {
    this.platform.processor.stop(action === ModuleAction.SHUTDOWN ? 'module shutdown' : 'module reset');
    return { status: Status.OK, abandon: true };
  }

  badHypercall(_caller: TestHostCaller, report: BadHypercallReport): Reply {
    this.badCalls.push(report);
    this.hmEvents.push({ timeNs: this.platform.board.queue.now, error: report.kind === 'bad-address' ? 'MEMORY_VIOLATION' : 'ILLEGAL_REQUEST', detail: `${report.name}: ${report.detail}` });
    return { status: Status.OK };
  }

  private port(portId: number, kind: number, direction: number): TestPort | Status {
    const port = this.ports.find((candidate) => candidate.id === portId);
    if (!port || port.descriptor.kind !== kind) return Status.INVALID_PARAM;
    if (port.descriptor.direction !== direction) return Status.INVALID_MODE;
    return port;
  }

  private destinations(source: TestPort): TestPort[] {
    const names = (this.options.channels ?? []).filter((channel) => channel.source === source.descriptor.name).map((channel) => channel.destination);
    return this.ports.filter((port) => names.includes(port.descriptor.name));
  }
}
