/**
 * The ARINC 653 APEX-style services a partitioned BSP can offer the executive: the
 * optional `partition` member of BspHooks. cpukit does not know who provides them (a
 * hypervisor through hypercalls, a test double in memory); it builds `rtems.apex` on top,
 * adding argument checks, the port bookkeeping and the blocking send/receive.
 *
 * Contract for an implementation (the porting template's table, README.md):
 *  - every method is non-blocking and is called from synchronous code (thread context or
 *    inside an ISR), possibly with interrupts disabled; it must never block or yield;
 *  - port ids are the provider's; a message handed in must be copied before returning,
 *    a message handed out must be the caller's to keep;
 *  - `rtems.apex` has already checked what it can (argument types and ranges, that the
 *    port was created, its kind and direction, message length); the provider answers for
 *    the transfer itself with its hypervisor's semantics, mapped to ARINC return codes;
 *  - setPartitionMode(IDLE / COLD_START / WARM_START) and raiseApplicationError may never
 *    return (the partition was stopped or restarted): the provider lets machine's
 *    ExecutionAbandoned propagate;
 *  - `onPortUpdated(listener)`: the provider calls every listener from interrupt context
 *    (through the InterruptDispatch it got in `start`) whenever the state of the
 *    partition's ports may have changed beyond the partition's own doing: a message
 *    arrived at a destination port (a port-updated interrupt), or a source port may have
 *    room again (the other side ran). A call with nothing changed is harmless; a change
 *    without a call leaves a blocked send or receive waiting for its time-out.
 */
import type { ApexReturnCode } from './apexReturnCode.js';
import type { OperatingMode, PortDirection, PortKind, QueuingDiscipline, StartCondition, Validity } from './apexTypes.js';

/** CREATE_SAMPLING_PORT / CREATE_QUEUING_PORT: the port id (0 unless NO_ERROR). */
export interface PortIdResult {
  readonly returnCode: ApexReturnCode;
  readonly id: number;
}

/** READ_SAMPLING_MESSAGE: the message, its validity and its age. */
export interface SamplingReadResult {
  readonly returnCode: ApexReturnCode;
  /** A copy of the message (undefined unless NO_ERROR). */
  readonly message: Uint8Array | undefined;
  readonly validity: Validity;
  /** Time since the message was written (or, for a kernel that copies at fixed points, delivered), in ns. */
  readonly ageNs: number;
}

/** RECEIVE_QUEUING_MESSAGE: the message received. */
export interface QueuingReceiveResult {
  /**
   * NO_ERROR; INVALID_CONFIG with a message when the queue overflowed since the last
   * receive (ARINC: the message is valid, the overflow is reported once); NOT_AVAILABLE
   * when empty; TIMED_OUT when a blocking receive expired.
   */
  readonly returnCode: ApexReturnCode;
  readonly message: Uint8Array | undefined;
}

/** GET_SAMPLING_PORT_STATUS / GET_QUEUING_PORT_STATUS, in one shape. */
export interface PortStatus {
  readonly kind: PortKind;
  readonly direction: PortDirection;
  readonly maxMessageSize: number;
  /** Queuing: MAX_NB_MESSAGE; sampling: 1. */
  readonly maxMessages: number;
  /** Queuing: NB_MESSAGE waiting in the port; sampling: 1 if it holds a message. */
  readonly messages: number;
  /** Sampling: REFRESH_PERIOD in ns; queuing: 0. */
  readonly refreshPeriodNs: number;
  /** Sampling: LAST_MSG_VALIDITY. */
  readonly lastValidity: Validity;
  /** Queuing: non-zero if the port reported an overflow (how the hypervisor counts it is its own). */
  readonly overflow: number;
  /** Queuing: WAITING_PROCESSES, the tasks of this partition blocked on the port (filled in by rtems.apex). */
  readonly waitingProcesses: number;
  /** Virtual time of the last write or delivery, in ns (0 if none). */
  readonly lastWriteNs: number;
}

export interface PortStatusResult {
  readonly returnCode: ApexReturnCode;
  readonly status: PortStatus | undefined;
}

/** GET_PARTITION_STATUS. */
export interface PartitionStatus {
  readonly identifier: number;
  /** The partition's period and its window time per period, in ns. */
  readonly periodNs: number;
  readonly durationNs: number;
  readonly operatingMode: OperatingMode;
  readonly startCondition: StartCondition;
  /** Not ARINC: restarts since the module booted. */
  readonly restarts: number;
}

export interface PartitionStatusResult {
  readonly returnCode: ApexReturnCode;
  readonly status: PartitionStatus | undefined;
}

/** GET_MODULE_SCHEDULE_STATUS (ARINC 653 Part 2, multiple module schedules). */
export interface ScheduleStatus {
  readonly currentSchedule: number;
  /** The schedule that starts at the end of the current major frame (= current if none was requested). */
  readonly nextSchedule: number;
  /** TIME_OF_LAST_SCHEDULE_SWITCH, in ns (0 if the module never switched). */
  readonly lastSwitchNs: number;
  /** Not ARINC: the current schedule's major frame, in ns. */
  readonly majorFrameNs: number;
}

export interface ScheduleStatusResult {
  readonly returnCode: ApexReturnCode;
  readonly status: ScheduleStatus | undefined;
}

export interface PartitionServices {
  /** CREATE_SAMPLING_PORT: opens the configured port `name` (attributes must match the configuration). */
  createSamplingPort(name: string, maxMessageSize: number, direction: PortDirection, refreshPeriodNs: number): PortIdResult;
  /** WRITE_SAMPLING_MESSAGE. */
  writeSamplingMessage(port: number, message: Uint8Array): ApexReturnCode;
  /** READ_SAMPLING_MESSAGE into at most `capacity` bytes; NO_ACTION when the port is still empty. */
  readSamplingMessage(port: number, capacity: number): SamplingReadResult;
  /** CREATE_QUEUING_PORT. */
  createQueuingPort(name: string, maxMessageSize: number, maxMessages: number, direction: PortDirection, discipline: QueuingDiscipline): PortIdResult;
  /** SEND_QUEUING_MESSAGE with a time-out of 0: NOT_AVAILABLE when there is no room. */
  trySendQueuingMessage(port: number, message: Uint8Array): ApexReturnCode;
  /** RECEIVE_QUEUING_MESSAGE with a time-out of 0: NOT_AVAILABLE when empty. */
  tryReceiveQueuingMessage(port: number, capacity: number): QueuingReceiveResult;
  /** GET_*_PORT_STATUS (waitingProcesses is the executive's to fill: answer 0). */
  getPortStatus(port: number): PortStatusResult;
  /** GET_PARTITION_STATUS of the calling partition. */
  getPartitionStatus(): PartitionStatusResult;
  /** SET_PARTITION_MODE of the calling partition; IDLE, COLD_START and WARM_START do not return on success. */
  setPartitionMode(mode: OperatingMode): ApexReturnCode;
  /** GET_MODULE_SCHEDULE_STATUS. */
  getScheduleStatus(): ScheduleStatusResult;
  /** SET_MODULE_SCHEDULE: the switch happens at the end of the current major frame. */
  setModuleSchedule(scheduleId: number): ApexReturnCode;
  /** RAISE_APPLICATION_ERROR (error code APPLICATION_ERROR); the health monitor's action may stop the partition. */
  raiseApplicationError(message: string): ApexReturnCode;
  /** Registers a listener the provider calls from interrupt context when the ports may have changed (see the module comment). */
  onPortUpdated(listener: () => void): void;
}
