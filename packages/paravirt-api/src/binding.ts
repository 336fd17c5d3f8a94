/**
 * The interface a kernel implements to host paravirtualized guests: one method per
 * hypercall, receiving arguments already decoded and validated by the HypercallDispatcher
 * (numbers in range, buffers copied out of the caller's own memory, output space checked).
 * A binding only translates API calls into the kernel's services (STYLE.md: thin
 * bindings); logic every kernel needs lives in @paravirt/kernel-core (PartitionBinding,
 * VirtualInterruptController), which a foreign kernel may use or not.
 *
 * `C` is the kernel's caller object (its partition record); it must expose the caller's
 * UserContext so the dispatcher can validate pointers against the caller's own memory.
 */
import type { UserContext } from '@paravirt/machine';
import type { ErrorCode, ModuleAction, PartitionMode } from './arinc.js';
import type { Status } from './status.js';
import type {
  HmLogEntry,
  HmStatus,
  PartitionInfo,
  PartitionStatus,
  PortDescriptor,
  PortStatus,
  SamplingInfo,
  ScheduleStatus,
} from './structs.js';

export interface Reply<T = undefined> {
  readonly status: Status;
  readonly value?: T;
  /** The caller does not resume: this call stopped or restarted it (e.g. an HM action). */
  readonly abandon?: boolean;
}

export interface HypercallCaller {
  readonly context: UserContext;
}

export type BadHypercallKind = 'unknown-hypercall' | 'bad-address' | 'invalid-param';

export interface BadHypercallReport {
  readonly number: number;
  readonly name: string;
  readonly kind: BadHypercallKind;
  readonly detail: string;
}

export interface HypervisorBinding<C extends HypercallCaller> {
  /** Name and version reported by INFO_HYPERVISOR, and the feature list. */
  readonly hypervisorName: string;
  readonly hypervisorVersion: string;
  readonly features: readonly string[];

  partitionInfo(caller: C): Reply<PartitionInfo>;

  vcpuRegister(caller: C, pageAddress: number): Reply;
  virqSetUpcall(caller: C, entryAddress: number): Reply;
  virqReturn(caller: C): Reply;
  virqSetMasked(caller: C, line: number, masked: boolean): Reply;
  virqAck(caller: C, line: number): Reply;
  virqDeliverPending(caller: C): Reply;
  virqSend(caller: C, partitionId: number, ipi: number): Reply;

  /** clock 0: system time since boot; 1: the caller's execution time. */
  timeGet(caller: C, clock: number): Reply<number>;
  timerSet(caller: C, firstNs: number, periodNs: number): Reply;
  timerCancel(caller: C): Reply;

  idle(caller: C): Reply;
  partitionStatus(caller: C): Reply<PartitionStatus>;
  scheduleStatus(caller: C): Reply<ScheduleStatus>;

  consoleWrite(caller: C, bytes: Uint8Array): Reply;

  portCreate(caller: C, descriptor: PortDescriptor): Reply<number>;
  portId(caller: C, name: string): Reply<number>;
  samplingWrite(caller: C, portId: number, message: Uint8Array): Reply;
  samplingRead(caller: C, portId: number, capacity: number): Reply<{ message: Uint8Array; info: SamplingInfo }>;
  queuingSend(caller: C, portId: number, message: Uint8Array): Reply;
  queuingReceive(caller: C, portId: number, capacity: number): Reply<Uint8Array>;
  portStatus(caller: C, portId: number): Reply<PortStatus>;

  hmRaise(caller: C, error: ErrorCode, message: string): Reply;
  hmStatus(caller: C): Reply<HmStatus>;
  hmLogRead(caller: C, index: number): Reply<HmLogEntry>;

  setPartitionMode(caller: C, mode: PartitionMode): Reply;
  setOtherPartitionMode(caller: C, partitionId: number, mode: PartitionMode): Reply;
  setModuleSchedule(caller: C, scheduleId: number): Reply;
  moduleControl(caller: C, action: ModuleAction): Reply;

  /** Told about every rejected call (unknown number, bad pointer, bad argument) so the kernel can raise an HM event. May stop the caller. */
  badHypercall(caller: C, report: BadHypercallReport): Reply;
}
