/**
 * TEST DOUBLE (`@paravirt/cpukit/test`): PartitionServices kept in memory, for testing
 * cpukit's `rtems.apex` and applications that use ports without a hypervisor. It is not a
 * model of POK or AIR. Ports come from a configuration list; a source port writes into
 * its own outbox (what `take()` reads, as the other side of a channel would), or straight
 * into a destination port of the same partition through a loopback channel. Messages
 * from "other partitions" arrive with `inject()`. The port-updated notification is a line
 * of the test system's interrupt controller, so listeners run as real ISRs through
 * TestBsp. Every call is counted, so a test can tell a blocked task from a polling one.
 */
import { type EventQueue, ExecutionAbandoned, type InterruptController, type Processor } from '@paravirt/machine';
import { ApexReturnCode } from '../apexReturnCode.js';
import { OperatingMode, type PortDirection, PortKind, QueuingDiscipline, StartCondition, Validity } from '../apexTypes.js';
import type { BspHooks } from '../bspHooks.js';
import type {
  PartitionServices,
  PartitionStatusResult,
  PortIdResult,
  PortStatusResult,
  QueuingReceiveResult,
  SamplingReadResult,
  ScheduleStatusResult,
} from '../partitionServices.js';

export interface TestPortConfig {
  readonly name: string;
  readonly kind: PortKind;
  readonly direction: PortDirection;
  readonly maxMessageSize: number;
  /** Queuing: capacity in messages (default 1). */
  readonly maxMessages?: number;
  /** Sampling: refresh period in ns (default 0). */
  readonly refreshPeriodNs?: number;
  /** Queuing: the configured discipline (default FIFO). */
  readonly discipline?: QueuingDiscipline;
}

export interface TestPartitionServicesOptions {
  readonly ports?: readonly TestPortConfig[];
  /** Loopback channels between ports of this partition, by port name. */
  readonly channels?: ReadonlyArray<{ readonly source: string; readonly destination: string }>;
  /** Controller line of the port-updated interrupt (default 1; line 0 is the clock). */
  readonly portUpdatedLine?: number;
  /** The module schedules' major frames in ns (default: one schedule of 100 ms). */
  readonly majorFrames?: readonly number[];
  readonly identifier?: number;
  readonly periodNs?: number;
  readonly durationNs?: number;
}

export interface TestMessage {
  readonly bytes: Uint8Array;
  readonly timeNs: number;
}

interface TestPort {
  readonly id: number;
  readonly config: TestPortConfig;
  created: boolean;
  /** Sampling: the last message. */
  sample: TestMessage | undefined;
  /** Queuing: destination inbox or source outbox. */
  readonly queue: TestMessage[];
  /** Messages injected into a full destination queue. */
  dropped: number;
  lastWriteNs: number;
}

export type TestPartitionCall = keyof Omit<PartitionServices, 'onPortUpdated'>;

export class TestPartitionServices implements PartitionServices {
  /** Calls per service, e.g. calls.tryReceiveQueuingMessage. */
  readonly calls: Record<TestPartitionCall, number> = {
    createSamplingPort: 0,
    writeSamplingMessage: 0,
    readSamplingMessage: 0,
    createQueuingPort: 0,
    trySendQueuingMessage: 0,
    tryReceiveQueuingMessage: 0,
    getPortStatus: 0,
    getPartitionStatus: 0,
    setPartitionMode: 0,
    getScheduleStatus: 0,
    setModuleSchedule: 0,
    raiseApplicationError: 0,
  };
  /** RAISE_APPLICATION_ERROR messages, in order. */
  readonly applicationErrors: TestMessage[] = [];
  /** Notifications raised on the port-updated line. */
  notifications = 0;
  mode: OperatingMode = OperatingMode.COLD_START;
  readonly portUpdatedLine: number;
  private readonly ports: TestPort[];
  private readonly listeners: Array<() => void> = [];
  private readonly majorFrames: readonly number[];
  private currentSchedule = 0;
  private nextSchedule = 0;
  private switchAt = 0;
  private lastSwitchNs = 0;

  constructor(
    private readonly bsp: BspHooks,
    private readonly controller: InterruptController,
    private readonly queue: EventQueue,
    private readonly processor: Processor,
    private readonly options: TestPartitionServicesOptions = {},
  ) {
    this.portUpdatedLine = options.portUpdatedLine ?? 1;
    this.ports = (options.ports ?? []).map((config, index) => ({ id: index + 1, config, created: false, sample: undefined, queue: [], dropped: 0, lastWriteNs: 0 }));
    this.majorFrames = options.majorFrames ?? [100_000_000];
  }

  // ------------------------------------------------------------ test controls

  /**
   * A message from another partition arrives at destination port `name` and the
   * port-updated line is raised (unless `notify` is false); false if its queue was full
   * (dropped).
   */
  inject(name: string, bytes: Uint8Array, notify = true): boolean {
    const port = this.named(name);
    const delivered = this.deliver(port, bytes);
    if (notify) this.notify();
    return delivered;
  }

  /** The other side of a source queuing port receives everything waiting there (room again: notifies). */
  take(name: string): Uint8Array[] {
    const port = this.named(name);
    const taken = port.queue.splice(0).map((message) => message.bytes);
    this.notify();
    return taken;
  }

  /** The last message written to sampling port `name`. */
  sampleOf(name: string): TestMessage | undefined {
    return this.named(name).sample;
  }

  /** The messages waiting in queuing port `name`. */
  queueOf(name: string): readonly TestMessage[] {
    return this.named(name).queue;
  }

  /** Raises the port-updated interrupt line. */
  notify(): void {
    this.notifications++;
    this.controller.raise(this.portUpdatedLine);
  }

  // ------------------------------------------------------------ PartitionServices

  createSamplingPort(name: string, maxMessageSize: number, direction: PortDirection, refreshPeriodNs: number): PortIdResult {
    this.calls.createSamplingPort++;
    return this.create(name, (config) => config.kind === PortKind.SAMPLING && config.maxMessageSize === maxMessageSize && config.direction === direction && (config.refreshPeriodNs ?? 0) === refreshPeriodNs);
  }

  writeSamplingMessage(port: number, message: Uint8Array): ApexReturnCode {
    this.calls.writeSamplingMessage++;
    const found = this.created(port);
    if (found === undefined) return ApexReturnCode.INVALID_PARAM;
    found.sample = { bytes: message.slice(), timeNs: this.queue.now };
    found.lastWriteNs = this.queue.now;
    const destination = this.loopback(found);
    if (destination !== undefined) {
      this.deliver(destination, message);
      this.notify();
    }
    return ApexReturnCode.NO_ERROR;
  }

  readSamplingMessage(port: number, capacity: number): SamplingReadResult {
    this.calls.readSamplingMessage++;
    const found = this.created(port);
    if (found === undefined) return { returnCode: ApexReturnCode.INVALID_PARAM, message: undefined, validity: Validity.INVALID, ageNs: 0 };
    const sample = found.sample;
    if (sample === undefined) return { returnCode: ApexReturnCode.NO_ACTION, message: undefined, validity: Validity.INVALID, ageNs: 0 };
    if (capacity < sample.bytes.length) return { returnCode: ApexReturnCode.INVALID_PARAM, message: undefined, validity: Validity.INVALID, ageNs: 0 };
    const ageNs = this.queue.now - sample.timeNs;
    return { returnCode: ApexReturnCode.NO_ERROR, message: sample.bytes.slice(), validity: this.validity(found, ageNs), ageNs };
  }

  createQueuingPort(name: string, maxMessageSize: number, maxMessages: number, direction: PortDirection, discipline: QueuingDiscipline): PortIdResult {
    this.calls.createQueuingPort++;
    return this.create(
      name,
      (config) =>
        config.kind === PortKind.QUEUING &&
        config.maxMessageSize === maxMessageSize &&
        (config.maxMessages ?? 1) === maxMessages &&
        config.direction === direction &&
        (config.discipline ?? QueuingDiscipline.FIFO) === discipline,
    );
  }

  trySendQueuingMessage(port: number, message: Uint8Array): ApexReturnCode {
    this.calls.trySendQueuingMessage++;
    const found = this.created(port);
    if (found === undefined) return ApexReturnCode.INVALID_PARAM;
    const destination = this.loopback(found);
    const target = destination ?? found;
    if (target.queue.length >= (target.config.maxMessages ?? 1)) return ApexReturnCode.NOT_AVAILABLE;
    target.queue.push({ bytes: message.slice(), timeNs: this.queue.now });
    found.lastWriteNs = this.queue.now;
    target.lastWriteNs = this.queue.now;
    if (destination !== undefined) this.notify();
    return ApexReturnCode.NO_ERROR;
  }

  tryReceiveQueuingMessage(port: number, capacity: number): QueuingReceiveResult {
    this.calls.tryReceiveQueuingMessage++;
    const found = this.created(port);
    if (found === undefined) return { returnCode: ApexReturnCode.INVALID_PARAM, message: undefined };
    const first = found.queue[0];
    if (first === undefined) return { returnCode: ApexReturnCode.NOT_AVAILABLE, message: undefined };
    if (capacity < first.bytes.length) return { returnCode: ApexReturnCode.INVALID_PARAM, message: undefined };
    found.queue.shift();
    return { returnCode: ApexReturnCode.NO_ERROR, message: first.bytes.slice() };
  }

  getPortStatus(port: number): PortStatusResult {
    this.calls.getPortStatus++;
    const found = this.created(port);
    if (found === undefined) return { returnCode: ApexReturnCode.INVALID_PARAM, status: undefined };
    const config = found.config;
    const sampling = config.kind === PortKind.SAMPLING;
    return {
      returnCode: ApexReturnCode.NO_ERROR,
      status: {
        kind: config.kind,
        direction: config.direction,
        maxMessageSize: config.maxMessageSize,
        maxMessages: sampling ? 1 : (config.maxMessages ?? 1),
        messages: sampling ? (found.sample ? 1 : 0) : found.queue.length,
        refreshPeriodNs: sampling ? (config.refreshPeriodNs ?? 0) : 0,
        lastValidity: sampling && found.sample ? this.validity(found, this.queue.now - found.sample.timeNs) : Validity.INVALID,
        overflow: found.dropped,
        waitingProcesses: 0,
        lastWriteNs: found.lastWriteNs,
      },
    };
  }

  getPartitionStatus(): PartitionStatusResult {
    this.calls.getPartitionStatus++;
    const options = this.options;
    return {
      returnCode: ApexReturnCode.NO_ERROR,
      status: {
        identifier: options.identifier ?? 0,
        periodNs: options.periodNs ?? this.majorFrames[0]!,
        durationNs: options.durationNs ?? this.majorFrames[0]!,
        operatingMode: this.mode,
        startCondition: StartCondition.NORMAL_START,
        restarts: 0,
      },
    };
  }

  /** NORMAL ends initialisation; IDLE and the restarts stop the test processor and do not return. */
  setPartitionMode(mode: OperatingMode): ApexReturnCode {
    this.calls.setPartitionMode++;
    if (mode === OperatingMode.NORMAL) {
      if (this.mode === OperatingMode.NORMAL) return ApexReturnCode.NO_ACTION;
      this.mode = OperatingMode.NORMAL;
      return ApexReturnCode.NO_ERROR;
    }
    this.mode = mode;
    this.processor.stop(`partition mode ${OperatingMode[mode]}`);
    throw new ExecutionAbandoned(`partition mode ${OperatingMode[mode]}`);
  }

  getScheduleStatus(): ScheduleStatusResult {
    this.calls.getScheduleStatus++;
    this.applySwitch();
    return {
      returnCode: ApexReturnCode.NO_ERROR,
      status: { currentSchedule: this.currentSchedule, nextSchedule: this.nextSchedule, lastSwitchNs: this.lastSwitchNs, majorFrameNs: this.majorFrames[this.currentSchedule]! },
    };
  }

  /** The switch happens at the end of the major frame running at the request (frames count from time 0). */
  setModuleSchedule(scheduleId: number): ApexReturnCode {
    this.calls.setModuleSchedule++;
    this.applySwitch();
    if (scheduleId >= this.majorFrames.length) return ApexReturnCode.INVALID_PARAM;
    if (scheduleId === this.nextSchedule) return ApexReturnCode.NO_ACTION;
    const frame = this.majorFrames[this.currentSchedule]!;
    const frameStart = this.lastSwitchNs + Math.floor((this.queue.now - this.lastSwitchNs) / frame) * frame;
    this.nextSchedule = scheduleId;
    this.switchAt = frameStart + frame;
    return ApexReturnCode.NO_ERROR;
  }

  raiseApplicationError(message: string): ApexReturnCode {
    this.calls.raiseApplicationError++;
    this.applicationErrors.push({ bytes: new TextEncoder().encode(message), timeNs: this.queue.now });
    return ApexReturnCode.NO_ERROR;
  }

  onPortUpdated(listener: () => void): void {
    if (this.listeners.length === 0) {
      const installed = this.bsp.interruptInstall(this.portUpdatedLine, () => {
        for (const each of this.listeners) each();
      });
      if (!installed) throw new RangeError(`TestPartitionServices: interrupt line ${this.portUpdatedLine} is not available`);
    }
    this.listeners.push(listener);
  }

  // ------------------------------------------------------------ internals

  private create(name: string, matches: (config: TestPortConfig) => boolean): PortIdResult {
    const port = this.ports.find((candidate) => candidate.config.name === name);
    if (port === undefined || !matches(port.config)) return { returnCode: ApexReturnCode.INVALID_CONFIG, id: 0 };
    if (this.mode === OperatingMode.NORMAL) return { returnCode: ApexReturnCode.INVALID_MODE, id: 0 };
    if (port.created) return { returnCode: ApexReturnCode.NO_ACTION, id: 0 };
    port.created = true;
    return { returnCode: ApexReturnCode.NO_ERROR, id: port.id };
  }

  private created(id: number): TestPort | undefined {
    const port = this.ports[id - 1];
    return port?.created ? port : undefined;
  }

  private named(name: string): TestPort {
    const port = this.ports.find((candidate) => candidate.config.name === name);
    if (port === undefined) throw new RangeError(`TestPartitionServices: no port named ${name}`);
    return port;
  }

  private loopback(source: TestPort): TestPort | undefined {
    const channel = this.options.channels?.find((candidate) => candidate.source === source.config.name);
    return channel === undefined ? undefined : this.named(channel.destination);
  }

  private deliver(port: TestPort, bytes: Uint8Array): boolean {
    const message = { bytes: bytes.slice(), timeNs: this.queue.now };
    port.lastWriteNs = this.queue.now;
    if (port.config.kind === PortKind.SAMPLING) {
      port.sample = message;
      return true;
    }
    if (port.queue.length >= (port.config.maxMessages ?? 1)) {
      port.dropped++;
      return false;
    }
    port.queue.push(message);
    return true;
  }

  private validity(port: TestPort, ageNs: number): Validity {
    return ageNs <= (port.config.refreshPeriodNs ?? 0) ? Validity.VALID : Validity.INVALID;
  }

  private applySwitch(): void {
    if (this.nextSchedule !== this.currentSchedule && this.queue.now >= this.switchAt) {
      this.currentSchedule = this.nextSchedule;
      this.lastSwitchNs = this.switchAt;
    }
  }
}
