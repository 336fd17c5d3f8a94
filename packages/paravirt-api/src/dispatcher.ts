/**
 * Host side: decodes a hypercall trap through the architecture's ABI descriptor, validates
 * every argument (numbers, ranges, and every (address, length) pair against the caller's
 * own protection context in user mode), calls the kernel's binding, and writes the status
 * and result back into the caller's registers and memory. Unknown numbers and bad
 * arguments get a status code and a report to the binding (for the health monitor), never
 * an exception, and never a read or write outside the caller's memory.
 */
import type { HypercallAbi, MemoryFault, Platform, TrapOutcome } from '@paravirt/machine';
import { isMemoryFault, MAX_TIME_NS } from '@paravirt/machine';
import { isErrorCode, isPartitionMode, ModuleAction, type PartitionMode, PortDirection, PortKind, QueuingDiscipline } from './arinc.js';
import type { BadHypercallKind, HypercallCaller, HypervisorBinding, Reply } from './binding.js';
import { Hypercall, hypercallName, isHypercall, MAX_BUFFER, MAX_CONSOLE_WRITE, MAX_NAME } from './hypercalls.js';
import { Status, statusName } from './status.js';
import {
  decode,
  decodeName,
  encode,
  encodeU64,
  HM_LOG_ENTRY,
  HM_STATUS,
  PARTITION_INFO,
  PARTITION_STATUS,
  PORT_DESCRIPTOR,
  PORT_STATUS,
  SAMPLING_INFO,
  SCHEDULE_STATUS,
  type StructLayout,
  TIMER_SPEC,
} from './structs.js';
import { VCPU_PAGE_SIZE } from './vcpuPage.js';
import { API_VERSION } from './version.js';
import { isValidLine, IPI_LINE_COUNT } from './virtualLines.js';

/** Outcome of one dispatch, for the kernel's statistics and trace. */
export interface DispatchResult {
  readonly number: number;
  readonly name: string;
  readonly status: number;
  readonly outcome: TrapOutcome;
}

/** Argument validation failed: carries the status to return and what to report. */
class Rejection {
  constructor(
    readonly status: Status,
    readonly kind: BadHypercallKind,
    readonly detail: string,
  ) {}
}

type Scalar = number | string;

/** Decodes and performs one hypercall: `a(i)` reads argument register i, `b` is the kernel's binding. */
type Handler<C extends HypercallCaller> = (caller: C, a: (index: number) => number, b: HypervisorBinding<C>) => Reply<number | undefined>;

export class HypercallDispatcher<C extends HypercallCaller> {
  private readonly littleEndian: boolean;

  constructor(
    private readonly platform: Platform,
    private readonly abi: HypercallAbi,
    private readonly binding: HypervisorBinding<C>,
  ) {
    this.littleEndian = platform.board.memory.littleEndian;
  }

  /** Handles the hypercall the caller just trapped with. */
  dispatch(caller: C): DispatchResult {
    const platform = this.platform;
    platform.processor.charge(platform.costs.hypercallDispatch);
    const number = platform.readRegister(this.abi.numberRegister) >>> 0;
    const name = hypercallName(number);
    let reply: Reply<number | undefined>;
    try {
      reply = this.call(caller, number);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      const report = this.binding.badHypercall(caller, { number, name, kind: error.kind, detail: error.detail });
      reply = { status: error.status, ...(report.abandon ? { abandon: true } : {}) };
    }
    platform.writeRegister(this.abi.resultRegister, reply.status);
    const extra = this.abi.extraResultRegisters[0];
    if (extra !== undefined && reply.value !== undefined) platform.writeRegister(extra, reply.value >>> 0);
    const trace = platform.board.trace;
    if (trace.enabled) {
      trace.record(platform.board.queue.now, caller.context.name, 'hypercall', { number, name, status: statusName(reply.status) });
    }
    return { number, name, status: reply.status, outcome: reply.abandon ? 'abandon' : 'return' };
  }

  private argument(index: number): number {
    const register = this.abi.argumentRegisters[index];
    if (register === undefined) throw new RangeError(`ABI ${this.abi.arch} has no argument register ${index}`);
    return this.platform.readRegister(register) >>> 0;
  }

  /**
   * One handler per hypercall: decodes and validates the arguments, calls the binding and
   * returns the reply, whose value is the extra result word. Typed against the Hypercall
   * enum, so a hypercall without a handler (or a handler for no hypercall) does not compile.
   */
  private readonly handlers: Readonly<Record<Hypercall, Handler<C>>> = {
    [Hypercall.INFO_API_VERSION]: () => ({ status: Status.OK, value: API_VERSION }),
    [Hypercall.INFO_HYPERVISOR]: (caller, a, b) => {
      const text = new TextEncoder().encode(`${b.hypervisorName} ${b.hypervisorVersion} ${b.features.join(',')}`);
      return this.writeOut(caller, a(0), a(1), { status: Status.OK, value: text });
    },
    [Hypercall.INFO_PARTITION]: (caller, a, b) => this.writeStruct(caller, a(0), a(1), PARTITION_INFO, b.partitionInfo(caller)),
    [Hypercall.VCPU_REGISTER]: (caller, a, b) => {
      const page = a(0);
      if (page % VCPU_PAGE_SIZE !== 0) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `vCPU page 0x${page.toString(16)} is not aligned to ${VCPU_PAGE_SIZE}`);
      this.checkAccess(caller, page, VCPU_PAGE_SIZE, 'write');
      return b.vcpuRegister(caller, page);
    },
    [Hypercall.VIRQ_SET_UPCALL]: (caller, a, b) => {
      const entry = a(0);
      const fault = this.platform.board.checked.fetch(caller.context.protection, 'user', entry);
      if (fault) throw new Rejection(Status.BAD_ADDRESS, 'bad-address', `upcall entry: ${fault.message}`);
      return b.virqSetUpcall(caller, entry);
    },
    [Hypercall.VIRQ_RETURN]: (caller, _a, b) => b.virqReturn(caller),
    [Hypercall.VIRQ_MASK]: (caller, a, b) => b.virqSetMasked(caller, this.line(a(0)), true),
    [Hypercall.VIRQ_UNMASK]: (caller, a, b) => b.virqSetMasked(caller, this.line(a(0)), false),
    [Hypercall.VIRQ_ACK]: (caller, a, b) => b.virqAck(caller, this.line(a(0))),
    [Hypercall.VIRQ_DELIVER_PENDING]: (caller, _a, b) => b.virqDeliverPending(caller),
    [Hypercall.VIRQ_SEND]: (caller, a, b) => {
      const ipi = a(1);
      if (ipi >= IPI_LINE_COUNT) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `inter-partition interrupt ${ipi} (0..${IPI_LINE_COUNT - 1})`);
      return b.virqSend(caller, a(0), ipi);
    },
    [Hypercall.TIME_GET]: (caller, a, b) => {
      const clock = a(0);
      if (clock > 1) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `clock ${clock} (0 system, 1 partition)`);
      const address = a(1);
      this.checkAccess(caller, address, 8, 'write');
      const reply = b.timeGet(caller, clock);
      if (reply.status === Status.OK && reply.value !== undefined) this.store(caller, address, encodeU64(reply.value, this.littleEndian));
      return { status: reply.status, ...(reply.abandon ? { abandon: true } : {}) };
    },
    [Hypercall.TIMER_SET]: (caller, a, b) => {
      const spec = this.readStruct(caller, a(0), TIMER_SPEC);
      if (spec.firstNs < 1) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', 'timer first expiry must be at least 1 ns away');
      // u64 fields: an expiry or period past the end of virtual time (2^53 - 1 ns) cannot be represented, let alone reached.
      const now = this.platform.board.queue.now;
      if (spec.firstNs > MAX_TIME_NS - now) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `timer first expiry ${spec.firstNs} ns from now lies past the end of virtual time (${MAX_TIME_NS} ns)`);
      if (spec.periodNs > MAX_TIME_NS) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `timer period ${spec.periodNs} ns is longer than virtual time (${MAX_TIME_NS} ns)`);
      return b.timerSet(caller, spec.firstNs, spec.periodNs);
    },
    [Hypercall.TIMER_CANCEL]: (caller, _a, b) => b.timerCancel(caller),
    [Hypercall.IDLE]: (caller, _a, b) => b.idle(caller),
    [Hypercall.PARTITION_STATUS]: (caller, a, b) => this.writeStruct(caller, a(0), a(1), PARTITION_STATUS, b.partitionStatus(caller)),
    [Hypercall.SCHEDULE_STATUS]: (caller, a, b) => this.writeStruct(caller, a(0), a(1), SCHEDULE_STATUS, b.scheduleStatus(caller)),
    [Hypercall.CONSOLE_WRITE]: (caller, a, b) => {
      const bytes = this.readBuffer(caller, a(0), a(1), MAX_CONSOLE_WRITE);
      const reply = b.consoleWrite(caller, bytes);
      return { ...reply, value: reply.status === Status.OK ? bytes.length : 0 };
    },
    [Hypercall.PORT_CREATE]: (caller, a, b) => {
      const length = a(1);
      if (length < PORT_DESCRIPTOR.size) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `port descriptor is ${length} bytes, needs ${PORT_DESCRIPTOR.size}`);
      const descriptor = this.readStruct(caller, a(0), PORT_DESCRIPTOR);
      if (descriptor.kind !== PortKind.SAMPLING && descriptor.kind !== PortKind.QUEUING) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `port kind ${descriptor.kind}`);
      if (descriptor.direction !== PortDirection.SOURCE && descriptor.direction !== PortDirection.DESTINATION) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `port direction ${descriptor.direction}`);
      if (descriptor.discipline !== QueuingDiscipline.FIFO && descriptor.discipline !== QueuingDiscipline.PRIORITY) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `queuing discipline ${descriptor.discipline}`);
      if (descriptor.maxMessageSize < 1 || descriptor.maxMessageSize > MAX_BUFFER) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `max message size ${descriptor.maxMessageSize}`);
      return b.portCreate(caller, descriptor);
    },
    [Hypercall.PORT_ID]: (caller, a, b) => b.portId(caller, decodeName(this.readBuffer(caller, a(0), a(1), MAX_NAME))),
    [Hypercall.SAMPLING_WRITE]: (caller, a, b) => b.samplingWrite(caller, a(0), this.readBuffer(caller, a(1), a(2), MAX_BUFFER)),
    [Hypercall.SAMPLING_READ]: (caller, a, b) => {
      const [port, buffer, capacity, infoAddress] = [a(0), a(1), a(2), a(3)];
      this.checkLength(capacity, MAX_BUFFER);
      this.checkAccess(caller, buffer, capacity, 'write');
      this.checkAccess(caller, infoAddress, SAMPLING_INFO.size, 'write');
      const reply = b.samplingRead(caller, port, capacity);
      if (reply.value) {
        this.store(caller, buffer, reply.value.message.subarray(0, capacity));
        this.store(caller, infoAddress, encode(SAMPLING_INFO, reply.value.info, this.littleEndian));
      }
      return { status: reply.status, value: reply.value?.message.length ?? 0, ...(reply.abandon ? { abandon: true } : {}) };
    },
    [Hypercall.QUEUING_SEND]: (caller, a, b) => b.queuingSend(caller, a(0), this.readBuffer(caller, a(1), a(2), MAX_BUFFER)),
    [Hypercall.QUEUING_RECEIVE]: (caller, a, b) => {
      const [port, buffer, capacity] = [a(0), a(1), a(2)];
      this.checkLength(capacity, MAX_BUFFER);
      this.checkAccess(caller, buffer, capacity, 'write');
      const reply = b.queuingReceive(caller, port, capacity);
      if (reply.value) this.store(caller, buffer, reply.value.subarray(0, capacity));
      return { status: reply.status, value: reply.value?.length ?? 0, ...(reply.abandon ? { abandon: true } : {}) };
    },
    [Hypercall.PORT_STATUS]: (caller, a, b) => this.writeStruct(caller, a(1), a(2), PORT_STATUS, b.portStatus(caller, a(0))),
    [Hypercall.HM_RAISE]: (caller, a, b) => {
      const error = a(0);
      if (!isErrorCode(error)) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `error code ${error}`);
      const message = decodeName(this.readBuffer(caller, a(1), a(2), 256));
      return b.hmRaise(caller, error, message);
    },
    [Hypercall.HM_STATUS]: (caller, a, b) => this.writeStruct(caller, a(0), a(1), HM_STATUS, b.hmStatus(caller)),
    [Hypercall.HM_LOG_READ]: (caller, a, b) => this.writeStruct(caller, a(1), a(2), HM_LOG_ENTRY, b.hmLogRead(caller, a(0))),
    [Hypercall.SET_PARTITION_MODE]: (caller, a, b) => b.setPartitionMode(caller, this.mode(a(0))),
    [Hypercall.SET_OTHER_PARTITION_MODE]: (caller, a, b) => b.setOtherPartitionMode(caller, a(0), this.mode(a(1))),
    [Hypercall.SET_MODULE_SCHEDULE]: (caller, a, b) => b.setModuleSchedule(caller, a(0)),
    [Hypercall.MODULE_CONTROL]: (caller, a, b) => {
      const action = a(0);
      if (action !== ModuleAction.SHUTDOWN && action !== ModuleAction.RESET) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `module action ${action}`);
      return b.moduleControl(caller, action);
    },
  };

  /** Reads argument register `index` of the ABI (bound once: the handlers receive it). */
  private readonly readArgument = (index: number): number => this.argument(index);

  /** Decodes, validates and performs one call; a number outside the Hypercall enum is UNKNOWN_HYPERCALL. */
  private call(caller: C, number: number): Reply<number | undefined> {
    if (!isHypercall(number)) throw new Rejection(Status.UNKNOWN_HYPERCALL, 'unknown-hypercall', `no hypercall 0x${number.toString(16)}`);
    return this.handlers[number](caller, this.readArgument, this.binding);
  }

  private line(line: number): number {
    if (!isValidLine(line)) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `virtual line ${line}`);
    return line;
  }

  private mode(mode: number): PartitionMode {
    if (!isPartitionMode(mode)) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `partition mode ${mode}`);
    return mode;
  }

  private checkLength(length: number, max: number): void {
    if (length > max) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `length ${length} exceeds ${max}`);
  }

  private checkAccess(caller: C, address: number, length: number, access: 'read' | 'write'): void {
    const fault = this.platform.board.checked.validate(caller.context.protection, 'user', address, length, access);
    if (fault) throw this.badAddress(fault);
  }

  private badAddress(fault: MemoryFault): Rejection {
    return new Rejection(Status.BAD_ADDRESS, 'bad-address', fault.message);
  }

  /** Copies an input buffer out of the caller's memory. */
  private readBuffer(caller: C, address: number, length: number, max: number): Uint8Array {
    this.checkLength(length, max);
    const bytes = this.platform.board.checked.loadBytes(caller.context.protection, 'user', address, length);
    if (isMemoryFault(bytes)) throw this.badAddress(bytes);
    return bytes;
  }

  private readStruct<T extends Record<string, Scalar>>(caller: C, address: number, layout: StructLayout<T>): T {
    const bytes = this.readBuffer(caller, address, layout.size, layout.size);
    return decode(layout, bytes, this.littleEndian)!;
  }

  private store(caller: C, address: number, bytes: Uint8Array): void {
    const fault = this.platform.board.checked.storeBytes(caller.context.protection, 'user', address, bytes);
    if (fault) throw this.badAddress(fault);
  }

  /** Writes `bytes` into the caller's (address, capacity) buffer; the value is the length written. */
  private writeOut(caller: C, address: number, capacity: number, reply: Reply<Uint8Array>): Reply<number | undefined> {
    this.checkLength(capacity, MAX_BUFFER);
    this.checkAccess(caller, address, capacity, 'write');
    if (reply.status !== Status.OK || !reply.value) return { status: reply.status, ...(reply.abandon ? { abandon: true } : {}) };
    if (reply.value.length > capacity) throw new Rejection(Status.INVALID_PARAM, 'invalid-param', `buffer of ${capacity} bytes is too small for ${reply.value.length}`);
    this.store(caller, address, reply.value);
    return { status: Status.OK, value: reply.value.length };
  }

  private writeStruct<T extends Record<string, Scalar>>(caller: C, address: number, capacity: number, layout: StructLayout<T>, reply: Reply<T>): Reply<number | undefined> {
    const bytes = reply.value ? encode(layout, reply.value, this.littleEndian) : undefined;
    return this.writeOut(caller, address, capacity, { status: reply.status, ...(bytes ? { value: bytes } : {}), ...(reply.abandon ? { abandon: true } : {}) });
  }
}
