/**
 * Guest side: marshals a hypercall through the architecture's ABI descriptor into
 * registers and executes the trap instruction on the processor (i386 `int 0x2a`, SPARC
 * `ta n`). Arguments larger than a register go through a scratch buffer in the guest's own
 * memory as (address, length), written and read with ordinary user-mode stores and loads.
 *
 * The client knows no architecture and no kernel: the ABI and the processor are handed in.
 */
import type { GuestProcessor, HypercallAbi } from '@paravirt/machine';
import type { ErrorCode, ModuleAction, PartitionMode } from './arinc.js';
import { Hypercall, MAX_CONSOLE_WRITE } from './hypercalls.js';
import { Status } from './status.js';
import {
  decode,
  encode,
  HM_LOG_ENTRY,
  HM_STATUS,
  type HmLogEntry,
  type HmStatus,
  PARTITION_INFO,
  PARTITION_STATUS,
  type PartitionInfo,
  type PartitionStatus,
  PORT_DESCRIPTOR,
  PORT_STATUS,
  type PortDescriptor,
  type PortStatus,
  readU64,
  SAMPLING_INFO,
  type SamplingInfo,
  SCHEDULE_STATUS,
  type ScheduleStatus,
  type StructLayout,
  TIMER_SPEC,
} from './structs.js';

export interface CallResult {
  /** The status register after the call. */
  readonly status: number;
  /** The extra result register after the call (0 if the ABI has none). */
  readonly value: number;
}

export interface Answer<T> {
  readonly status: number;
  readonly value?: T;
}

export interface ScratchBuffer {
  /** Guest virtual address of a buffer in the guest's own writable memory. */
  readonly address: number;
  readonly size: number;
}

type Scalar = number | string;

export class HypercallClient {
  /** Hypercalls made through this client, by number. */
  readonly counts = new Map<number, number>();
  private readonly encoder = new TextEncoder();

  constructor(
    readonly processor: GuestProcessor,
    readonly abi: HypercallAbi,
    readonly scratch: ScratchBuffer,
    readonly littleEndian: boolean,
  ) {
    if (scratch.size < 64) throw new RangeError('hypercall scratch buffer must be at least 64 bytes');
  }

  /** Raw call: number and word arguments in, status and one result word out. */
  call(number: number, ...args: number[]): CallResult {
    const abi = this.abi;
    if (args.length > abi.argumentRegisters.length) {
      throw new RangeError(`hypercall 0x${number.toString(16)} has ${args.length} arguments; the ${abi.arch} ABI passes ${abi.argumentRegisters.length}`);
    }
    const cpu = this.processor;
    cpu.writeRegister(abi.numberRegister, number);
    args.forEach((value, index) => cpu.writeRegister(abi.argumentRegisters[index]!, value >>> 0));
    this.counts.set(number, (this.counts.get(number) ?? 0) + 1);
    cpu.softwareTrap(abi.trapNumber);
    const extra = abi.extraResultRegisters[0];
    return { status: cpu.readRegister(abi.resultRegister), value: extra === undefined ? 0 : cpu.readRegister(extra) };
  }

  /** Fast-forward: `count` more calls of hypercall `number` were made (PartitionGuest.creditTimerUpcalls), counted as if each had been. */
  creditCalls(number: number, count: number): void {
    this.counts.set(number, (this.counts.get(number) ?? 0) + count);
  }

  get totalCalls(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  // --- Info ---
  apiVersion(): Answer<number> {
    const { status, value } = this.call(Hypercall.INFO_API_VERSION);
    return { status, value };
  }

  hypervisorInfo(): Answer<string> {
    const { status, value } = this.call(Hypercall.INFO_HYPERVISOR, this.scratch.address, this.scratch.size);
    return status === Status.OK ? { status, value: this.readText(value) } : { status };
  }

  partitionInfo(): Answer<PartitionInfo> {
    return this.readStructCall(PARTITION_INFO, (address, size) => this.call(Hypercall.INFO_PARTITION, address, size));
  }

  // --- Virtual CPU ---
  vcpuRegister(pageAddress: number): number {
    return this.call(Hypercall.VCPU_REGISTER, pageAddress).status;
  }

  setUpcall(entryAddress: number): number {
    return this.call(Hypercall.VIRQ_SET_UPCALL, entryAddress).status;
  }

  virqReturn(): number {
    return this.call(Hypercall.VIRQ_RETURN).status;
  }

  mask(line: number): number {
    return this.call(Hypercall.VIRQ_MASK, line).status;
  }

  unmask(line: number): number {
    return this.call(Hypercall.VIRQ_UNMASK, line).status;
  }

  ack(line: number): number {
    return this.call(Hypercall.VIRQ_ACK, line).status;
  }

  deliverPending(): number {
    return this.call(Hypercall.VIRQ_DELIVER_PENDING).status;
  }

  sendIpi(partitionId: number, ipi: number): number {
    return this.call(Hypercall.VIRQ_SEND, partitionId, ipi).status;
  }

  // --- Time ---
  /** clock 0: system time; 1: this partition's execution time. */
  timeGet(clock: 0 | 1): Answer<number> {
    const { status } = this.call(Hypercall.TIME_GET, clock, this.scratch.address);
    if (status !== Status.OK) return { status };
    const bytes = this.processor.loadBytes(this.scratch.address, 8);
    return { status, value: readU64(new DataView(bytes.buffer, bytes.byteOffset, 8), 0, this.littleEndian) };
  }

  timerSet(firstNs: number, periodNs: number): number {
    this.processor.storeBytes(this.scratch.address, encode(TIMER_SPEC, { firstNs, periodNs }, this.littleEndian));
    return this.call(Hypercall.TIMER_SET, this.scratch.address).status;
  }

  timerCancel(): number {
    return this.call(Hypercall.TIMER_CANCEL).status;
  }

  // --- Scheduling ---
  idle(): number {
    return this.call(Hypercall.IDLE).status;
  }

  partitionStatus(): Answer<PartitionStatus> {
    return this.readStructCall(PARTITION_STATUS, (address, size) => this.call(Hypercall.PARTITION_STATUS, address, size));
  }

  scheduleStatus(): Answer<ScheduleStatus> {
    return this.readStructCall(SCHEDULE_STATUS, (address, size) => this.call(Hypercall.SCHEDULE_STATUS, address, size));
  }

  // --- Console ---
  /** Writes all of `bytes`, in chunks that fit the scratch buffer and MAX_CONSOLE_WRITE. */
  consoleWrite(bytes: Uint8Array): number {
    const chunk = Math.min(this.scratch.size, MAX_CONSOLE_WRITE);
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      const piece = bytes.subarray(offset, offset + chunk);
      this.processor.storeBytes(this.scratch.address, piece);
      const { status } = this.call(Hypercall.CONSOLE_WRITE, this.scratch.address, piece.length);
      if (status !== Status.OK) return status;
    }
    return Status.OK;
  }

  // --- Ports ---
  portCreate(descriptor: PortDescriptor): Answer<number> {
    this.processor.storeBytes(this.scratch.address, encode(PORT_DESCRIPTOR, descriptor, this.littleEndian));
    const { status, value } = this.call(Hypercall.PORT_CREATE, this.scratch.address, PORT_DESCRIPTOR.size);
    return status === Status.OK ? { status, value } : { status };
  }

  portId(name: string): Answer<number> {
    const bytes = this.encoder.encode(name);
    this.processor.storeBytes(this.scratch.address, bytes);
    const { status, value } = this.call(Hypercall.PORT_ID, this.scratch.address, bytes.length);
    return status === Status.OK ? { status, value } : { status };
  }

  samplingWrite(portId: number, message: Uint8Array): number {
    this.processor.storeBytes(this.scratch.address, message);
    return this.call(Hypercall.SAMPLING_WRITE, portId, this.scratch.address, message.length).status;
  }

  samplingRead(portId: number, capacity: number): Answer<{ message: Uint8Array; info: SamplingInfo }> {
    const infoAddress = this.scratch.address;
    const buffer = infoAddress + SAMPLING_INFO.size;
    const room = Math.min(capacity, this.scratch.size - SAMPLING_INFO.size);
    const { status, value } = this.call(Hypercall.SAMPLING_READ, portId, buffer, room, infoAddress);
    if (status !== Status.OK) return { status };
    const info = decode(SAMPLING_INFO, this.processor.loadBytes(infoAddress, SAMPLING_INFO.size), this.littleEndian)!;
    return { status, value: { message: this.processor.loadBytes(buffer, value), info } };
  }

  queuingSend(portId: number, message: Uint8Array): number {
    this.processor.storeBytes(this.scratch.address, message);
    return this.call(Hypercall.QUEUING_SEND, portId, this.scratch.address, message.length).status;
  }

  /**
   * RECEIVE_QUEUING_MESSAGE. After an overflow an AIR-style kernel answers INVALID_CONFIG
   * *with* the message (ARINC 653: the message is good, the overflow is reported), so a
   * message comes back with that status too.
   */
  queuingReceive(portId: number, capacity: number): Answer<Uint8Array> {
    const room = Math.min(capacity, this.scratch.size);
    const { status, value } = this.call(Hypercall.QUEUING_RECEIVE, portId, this.scratch.address, room);
    const carriesMessage = status === Status.OK || (status === Status.INVALID_CONFIG && value > 0);
    return carriesMessage ? { status, value: this.processor.loadBytes(this.scratch.address, Math.min(value, room)) } : { status };
  }

  portStatus(portId: number): Answer<PortStatus> {
    return this.readStructCall(PORT_STATUS, (address, size) => this.call(Hypercall.PORT_STATUS, portId, address, size));
  }

  // --- Health monitor ---
  hmRaise(error: ErrorCode, message: string): number {
    const bytes = this.encoder.encode(message).subarray(0, Math.min(256, this.scratch.size));
    this.processor.storeBytes(this.scratch.address, bytes);
    return this.call(Hypercall.HM_RAISE, error, this.scratch.address, bytes.length).status;
  }

  hmStatus(): Answer<HmStatus> {
    return this.readStructCall(HM_STATUS, (address, size) => this.call(Hypercall.HM_STATUS, address, size));
  }

  hmLogRead(index: number): Answer<HmLogEntry> {
    return this.readStructCall(HM_LOG_ENTRY, (address, size) => this.call(Hypercall.HM_LOG_READ, index, address, size));
  }

  // --- Control ---
  setPartitionMode(mode: PartitionMode): number {
    return this.call(Hypercall.SET_PARTITION_MODE, mode).status;
  }

  setOtherPartitionMode(partitionId: number, mode: PartitionMode): number {
    return this.call(Hypercall.SET_OTHER_PARTITION_MODE, partitionId, mode).status;
  }

  setModuleSchedule(scheduleId: number): number {
    return this.call(Hypercall.SET_MODULE_SCHEDULE, scheduleId).status;
  }

  moduleControl(action: ModuleAction): number {
    return this.call(Hypercall.MODULE_CONTROL, action).status;
  }

  private readText(length: number): string {
    return new TextDecoder().decode(this.processor.loadBytes(this.scratch.address, Math.min(length, this.scratch.size)));
  }

  private readStructCall<T extends Record<string, Scalar>>(layout: StructLayout<T>, call: (address: number, size: number) => CallResult): Answer<T> {
    const { status } = call(this.scratch.address, Math.min(this.scratch.size, 65536));
    if (status !== Status.OK) return { status };
    return { status, value: decode(layout, this.processor.loadBytes(this.scratch.address, layout.size), this.littleEndian)! };
  }
}
