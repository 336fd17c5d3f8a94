/**
 * The ARINC 653 partition services (cpukit's PartitionServices, `rtems.apex`) over the
 * paravirtualization API: each service is one hypercall through the HypercallClient, with
 * its structures and messages in the BSP's hypercall scratch buffer (memoryMap.ts), and
 * every paravirt-api status mapped to an ARINC return code.
 *
 * Notifications: the kernel raises VirtualLine.PORT_UPDATED on a partition when a message
 * reaches one of its destination ports, so the BSP installs that line as soon as the guest
 * creates a destination port. A source queuing port gets room again only when another
 * partition runs (POK flushes at the major frame start, AIR's destination partition
 * receives), which nothing announces to the sender; the moment it can have happened is
 * the start of this partition's next window, so the BSP also listens to
 * VirtualLine.WINDOW_START once a source queuing port exists. Both lines call the
 * listeners, from the upcall through the executive's ISR bracket. Partitions without
 * ports take neither interrupt.
 */
import {
  ApexReturnCode,
  OperatingMode,
  type PartitionServices,
  type PartitionStatusResult,
  PortDirection,
  type PortIdResult,
  PortKind,
  type PortStatusResult,
  QueuingDiscipline,
  type QueuingReceiveResult,
  type SamplingReadResult,
  type ScheduleStatusResult,
  type StartCondition,
  Validity,
} from '@paravirt/cpukit';
import type { VirtualCpu } from '@paravirt/libcpu-virtual';
import { HYPERCALL_SCRATCH_SIZE } from './memoryMap.js';
import {
  ErrorCode,
  type HypercallClient,
  MAX_NAME,
  PortDirection as ApiPortDirection,
  PortKind as ApiPortKind,
  QueuingDiscipline as ApiQueuingDiscipline,
  SAMPLING_INFO,
  Status,
  Validity as ApiValidity,
  VirtualLine,
} from '@paravirt/paravirt-api';

/**
 * paravirt-api status -> ARINC return code. Codes 0-6 are ARINC's own values. PERMISSION
 * becomes INVALID_CONFIG, which is what AIR answers a partition whose configuration does
 * not grant the service (air.h permissions); BAD_ADDRESS cannot come from the BSP's own
 * scratch buffer but would be a bad parameter; a hypervisor without the service
 * (UNKNOWN_HYPERCALL) is a configuration that does not provide it.
 */
export function toApexReturnCode(status: number): ApexReturnCode {
  switch (status) {
    case Status.OK:
      return ApexReturnCode.NO_ERROR;
    case Status.NO_ACTION:
      return ApexReturnCode.NO_ACTION;
    case Status.NOT_AVAILABLE:
      return ApexReturnCode.NOT_AVAILABLE;
    case Status.INVALID_PARAM:
    case Status.BAD_ADDRESS:
      return ApexReturnCode.INVALID_PARAM;
    case Status.INVALID_MODE:
      return ApexReturnCode.INVALID_MODE;
    case Status.TIMED_OUT:
      return ApexReturnCode.TIMED_OUT;
    default:
      return ApexReturnCode.INVALID_CONFIG;
  }
}

const NO_READ = { message: undefined, validity: Validity.INVALID, ageNs: 0 } as const;

/**
 * The longest port message this BSP moves: a message goes through the hypercall scratch
 * buffer (memoryMap.ts), and a sampling read shares it with the SamplingInfo the kernel
 * writes after it: 8192 - 16 = 8176 bytes.
 */
export const VIRTUALPOK_MAX_MESSAGE_SIZE = HYPERCALL_SCRATCH_SIZE - SAMPLING_INFO.size;

/**
 * Why this BSP cannot create a port of `maxMessageSize` bytes, or undefined. Creation
 * refuses it with INVALID_CONFIG; a module checker gives this reason.
 */
export function virtualPokPortProblem(maxMessageSize: number): string | undefined {
  if (maxMessageSize <= VIRTUALPOK_MAX_MESSAGE_SIZE) return undefined;
  return `${maxMessageSize}-byte messages do not fit the paravirtual BSP's ${HYPERCALL_SCRATCH_SIZE}-byte hypercall scratch buffer with the ${SAMPLING_INFO.size}-byte SamplingInfo of a read: an RTEMS partition's ports carry at most ${VIRTUALPOK_MAX_MESSAGE_SIZE} bytes`;
}

export class VirtualPokPartitionServices implements PartitionServices {
  /** Listener calls made (port-updated and window-start notifications). */
  notifications = 0;
  private readonly listeners: Array<() => void> = [];
  /** The application set NORMAL itself (SET_PARTITION_MODE): the BSP need not. */
  normalSet = false;
  private portUpdatedInstalled = false;
  private windowStartInstalled = false;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly client: HypercallClient,
    private readonly cpu: VirtualCpu,
  ) {}

  /** The longest message this BSP moves: sampling reads share the scratch buffer with their SamplingInfo. */
  get maxMessageSize(): number {
    return this.client.scratch.size - SAMPLING_INFO.size;
  }

  createSamplingPort(name: string, maxMessageSize: number, direction: PortDirection, refreshPeriodNs: number): PortIdResult {
    if (!this.fits(name, maxMessageSize)) return { returnCode: ApexReturnCode.INVALID_CONFIG, id: 0 };
    const { status, value } = this.client.portCreate({
      kind: ApiPortKind.SAMPLING,
      direction: apiDirection(direction),
      maxMessageSize,
      maxMessages: 1,
      refreshPeriodNs,
      discipline: ApiQueuingDiscipline.FIFO,
      name,
    });
    if (status !== Status.OK || value === undefined) return { returnCode: toApexReturnCode(status), id: 0 };
    if (direction === PortDirection.DESTINATION) this.listenTo('port-updated');
    return { returnCode: ApexReturnCode.NO_ERROR, id: value };
  }

  writeSamplingMessage(port: number, message: Uint8Array): ApexReturnCode {
    return toApexReturnCode(this.client.samplingWrite(port, message));
  }

  readSamplingMessage(port: number, capacity: number): SamplingReadResult {
    const { status, value } = this.client.samplingRead(port, capacity);
    if (status !== Status.OK || value === undefined) return { returnCode: toApexReturnCode(status), ...NO_READ };
    return {
      returnCode: ApexReturnCode.NO_ERROR,
      message: value.message,
      validity: value.info.validity === ApiValidity.VALID ? Validity.VALID : Validity.INVALID,
      ageNs: value.info.ageNs,
    };
  }

  createQueuingPort(name: string, maxMessageSize: number, maxMessages: number, direction: PortDirection, discipline: QueuingDiscipline): PortIdResult {
    if (!this.fits(name, maxMessageSize)) return { returnCode: ApexReturnCode.INVALID_CONFIG, id: 0 };
    const { status, value } = this.client.portCreate({
      kind: ApiPortKind.QUEUING,
      direction: apiDirection(direction),
      maxMessageSize,
      maxMessages,
      refreshPeriodNs: 0,
      discipline: discipline === QueuingDiscipline.PRIORITY ? ApiQueuingDiscipline.PRIORITY : ApiQueuingDiscipline.FIFO,
      name,
    });
    if (status !== Status.OK || value === undefined) return { returnCode: toApexReturnCode(status), id: 0 };
    this.listenTo(direction === PortDirection.DESTINATION ? 'port-updated' : 'window-start');
    return { returnCode: ApexReturnCode.NO_ERROR, id: value };
  }

  trySendQueuingMessage(port: number, message: Uint8Array): ApexReturnCode {
    return toApexReturnCode(this.client.queuingSend(port, message));
  }

  /** RECEIVE_QUEUING_MESSAGE; after an overflow (AIR) the message comes with INVALID_CONFIG. */
  tryReceiveQueuingMessage(port: number, capacity: number): QueuingReceiveResult {
    const { status, value } = this.client.queuingReceive(port, capacity);
    return { returnCode: toApexReturnCode(status), message: value };
  }

  getPortStatus(port: number): PortStatusResult {
    const { status, value } = this.client.portStatus(port);
    if (status !== Status.OK || value === undefined) return { returnCode: toApexReturnCode(status), status: undefined };
    const sampling = value.kind === ApiPortKind.SAMPLING;
    return {
      returnCode: ApexReturnCode.NO_ERROR,
      status: {
        kind: sampling ? PortKind.SAMPLING : PortKind.QUEUING,
        direction: value.direction === ApiPortDirection.SOURCE ? PortDirection.SOURCE : PortDirection.DESTINATION,
        maxMessageSize: value.maxMessageSize,
        maxMessages: value.maxMessages,
        messages: value.messages,
        refreshPeriodNs: value.refreshPeriodNs,
        // PortStatus.flags: the validity of a sampling port, the overflow indication of a queuing one.
        lastValidity: sampling && value.flags === ApiValidity.VALID ? Validity.VALID : Validity.INVALID,
        overflow: sampling ? 0 : value.flags,
        waitingProcesses: 0,
        lastWriteNs: value.lastWriteNs,
      },
    };
  }

  getPartitionStatus(): PartitionStatusResult {
    const { status, value } = this.client.partitionStatus();
    if (status !== Status.OK || value === undefined) return { returnCode: toApexReturnCode(status), status: undefined };
    return {
      returnCode: ApexReturnCode.NO_ERROR,
      status: {
        identifier: value.partitionId,
        periodNs: value.periodNs,
        durationNs: value.durationNs,
        // ARINC OPERATING_MODE_TYPE and START_CONDITION_TYPE values on both sides.
        operatingMode: value.mode as OperatingMode,
        startCondition: value.startCondition as StartCondition,
        restarts: value.restarts,
      },
    };
  }

  setPartitionMode(mode: OperatingMode): ApexReturnCode {
    const status = this.client.setPartitionMode(mode);
    if (status === Status.OK && mode === OperatingMode.NORMAL) this.normalSet = true;
    return toApexReturnCode(status);
  }

  getScheduleStatus(): ScheduleStatusResult {
    const { status, value } = this.client.scheduleStatus();
    if (status !== Status.OK || value === undefined) return { returnCode: toApexReturnCode(status), status: undefined };
    return {
      returnCode: ApexReturnCode.NO_ERROR,
      status: { currentSchedule: value.currentSchedule, nextSchedule: value.nextSchedule, lastSwitchNs: value.lastSwitchNs, majorFrameNs: value.majorFrameNs },
    };
  }

  setModuleSchedule(scheduleId: number): ApexReturnCode {
    return toApexReturnCode(this.client.setModuleSchedule(scheduleId));
  }

  raiseApplicationError(message: string): ApexReturnCode {
    return toApexReturnCode(this.client.hmRaise(ErrorCode.APPLICATION_ERROR, message));
  }

  onPortUpdated(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** A name the PortDescriptor can carry and a message size the scratch buffer can move. */
  private fits(name: string, maxMessageSize: number): boolean {
    return this.encoder.encode(name).length <= MAX_NAME && maxMessageSize <= this.maxMessageSize;
  }

  private listenTo(line: 'port-updated' | 'window-start'): void {
    if (line === 'port-updated' && !this.portUpdatedInstalled) {
      this.portUpdatedInstalled = this.cpu.vectorInstall(VirtualLine.PORT_UPDATED, () => this.notify());
    } else if (line === 'window-start' && !this.windowStartInstalled) {
      this.windowStartInstalled = this.cpu.vectorInstall(VirtualLine.WINDOW_START, () => this.notify());
    }
  }

  /** Interrupt context (the upcall runs it through the executive's ISR bracket). */
  private notify(): void {
    this.notifications++;
    for (const listener of this.listeners) listener();
  }
}

function apiDirection(direction: PortDirection): number {
  return direction === PortDirection.SOURCE ? ApiPortDirection.SOURCE : ApiPortDirection.DESTINATION;
}
