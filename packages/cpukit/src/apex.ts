/**
 * `rtems.apex`: the ARINC 653 APEX services of a partitioned BSP (BspHooks.partition)
 * as applications use them - sampling and queuing ports, partition and module schedule
 * control, application errors - with ARINC 653 Part 1's argument checks and return codes,
 * and the blocking SEND_QUEUING_MESSAGE / RECEIVE_QUEUING_MESSAGE the hypervisor does not
 * offer (its port calls never block).
 *
 * Blocking is built on the executive's own primitives, the way RTEMS hands a message to a
 * waiting receiver: a task that finds the port full (send) or empty (receive) joins the
 * port's thread queue - FIFO or priority order, the port's QUEUING_DISCIPLINE - and blocks
 * with the score's timeout watchdog. When the BSP says the ports may have changed (the
 * port-updated interrupt, BspHooks.partition.onPortUpdated), the listener runs in
 * interrupt context and serves each queue from its head: it performs the waiting task's
 * send or receive on its behalf and readies it with the outcome, until the port answers
 * NOT_AVAILABLE again. So the queue order decides who gets a message, waiting tasks never
 * poll, and the dispatch happens when the ISR ends. The first try and the enqueue are one
 * critical section, so a notification cannot slip in between.
 *
 * Time-outs are in clock ticks (ARINC's TIME_OUT is a duration; RTEMS directives count
 * ticks): 0 only tries (ARINC TIME_OUT 0), APEX_INFINITE_TIME_VALUE (-1) waits for ever.
 * A wait whose time-out expires tries the port once more before answering TIMED_OUT: in a
 * partition, a message that arrived while the partition had no window and a time-out that
 * expired meanwhile are both seen at its next window start, and the clock interrupt
 * (catching up the missed ticks) is taken before the port-updated one, so without that
 * last try a message that was there in time would be reported as a time-out.
 */
import { ApexReturnCode } from './apexReturnCode.js';
import {
  APEX_INFINITE_TIME_VALUE,
  APEX_MAX_ERROR_MESSAGE_SIZE,
  APEX_MAX_NAME_LENGTH,
  OperatingMode,
  PortDirection,
  PortKind,
  QueuingDiscipline,
  Validity,
} from './apexTypes.js';
import type { Score } from './internal/score.js';
import { STATES_WAITING_FOR_MESSAGE, type Thread } from './internal/thread.js';
import { WaitQueue } from './internal/waitQueue.js';
import type {
  PartitionServices,
  PartitionStatusResult,
  PortIdResult,
  PortStatusResult,
  QueuingReceiveResult,
  SamplingReadResult,
  ScheduleStatusResult,
} from './partitionServices.js';
import type { Directive } from './results.js';
import { RtemsStatus } from './rtemsStatus.js';

interface SendRequest {
  readonly kind: 'send';
  readonly message: Uint8Array;
  result: ApexReturnCode | undefined;
}

interface ReceiveRequest {
  readonly kind: 'receive';
  readonly capacity: number;
  result: QueuingReceiveResult | undefined;
}

/** A port this partition created, with the tasks blocked on it. */
interface PortRecord {
  readonly id: number;
  readonly name: string;
  readonly kind: PortKind;
  readonly direction: PortDirection;
  readonly maxMessageSize: number;
  readonly waitQueue: WaitQueue;
  readonly requests: Map<Thread, SendRequest | ReceiveRequest>;
}

/** Only try once (ARINC TIME_OUT 0). */
const POLL = -1;
/** The score's "no timeout" for a blocked thread. */
const FOREVER = 0;

const encoder = new TextEncoder();

/** Watchdog ticks for a time-out argument: POLL, FOREVER or 1..2^32-1 ticks; undefined when out of range. */
function waitTicks(timeout: unknown): number | undefined {
  if (typeof timeout !== 'number' || !Number.isInteger(timeout)) return undefined;
  if (timeout === 0) return POLL;
  if (timeout === APEX_INFINITE_TIME_VALUE) return FOREVER;
  return timeout > 0 && timeout <= 0xffff_ffff ? timeout : undefined;
}

function isWhole(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** ARINC NAME_TYPE: 1..MAX_NAME_LENGTH bytes, no NUL (names travel NUL-padded). */
function isPortName(name: unknown): name is string {
  // Every UTF-16 code unit is at least one UTF-8 byte: a longer string is never encoded.
  if (typeof name !== 'string' || name.length === 0 || name.length > APEX_MAX_NAME_LENGTH || name.includes('\0')) return false;
  return encoder.encode(name).length <= APEX_MAX_NAME_LENGTH;
}

const EMPTY_READ: SamplingReadResult = { returnCode: ApexReturnCode.INVALID_PARAM, message: undefined, validity: Validity.INVALID, ageNs: 0 };

export class Apex {
  private readonly ports: PortRecord[] = [];
  private readonly byId = new Map<number, PortRecord>();

  constructor(
    private readonly score: Score,
    private readonly services: PartitionServices,
  ) {
    services.onPortUpdated(() => this.portsUpdated());
  }

  // ------------------------------------------------------------ sampling ports

  /**
   * CREATE_SAMPLING_PORT (ARINC 653 P1): INVALID_CONFIG for a name, size, direction or
   * refresh period that is out of range or does not match the configuration; NO_ACTION if
   * already created; INVALID_MODE once the partition is in NORMAL mode.
   */
  createSamplingPort(name: string, maxMessageSize: number, direction: PortDirection, refreshPeriodNs: number): PortIdResult {
    return this.score.directive((): PortIdResult => {
      if (!isPortName(name) || !isWhole(maxMessageSize, 1, 0xffff_ffff) || !isDirection(direction) || !isWhole(refreshPeriodNs, 0, Number.MAX_SAFE_INTEGER)) {
        return { returnCode: ApexReturnCode.INVALID_CONFIG, id: 0 };
      }
      if (this.ports.some((port) => port.name === name)) return { returnCode: ApexReturnCode.NO_ACTION, id: 0 };
      const result = this.services.createSamplingPort(name, maxMessageSize, direction, refreshPeriodNs);
      return this.register(result, name, PortKind.SAMPLING, direction, maxMessageSize, QueuingDiscipline.FIFO);
    });
  }

  /** WRITE_SAMPLING_MESSAGE: INVALID_PARAM (unknown port, empty message), INVALID_CONFIG (longer than MAX_MESSAGE_SIZE), INVALID_MODE (not a source). */
  writeSamplingMessage(port: number, message: Uint8Array): ApexReturnCode {
    return this.score.directive((): ApexReturnCode => {
      const record = this.own(port, PortKind.SAMPLING, PortDirection.SOURCE);
      if (typeof record === 'number') return record;
      const checked = checkMessage(message, record.maxMessageSize);
      if (typeof checked === 'number') return checked;
      return this.services.writeSamplingMessage(record.id, checked);
    });
  }

  /** READ_SAMPLING_MESSAGE: the message with its validity and age; NO_ACTION while the port is empty. */
  readSamplingMessage(port: number, capacity: number): SamplingReadResult {
    return this.score.directive((): SamplingReadResult => {
      const record = this.own(port, PortKind.SAMPLING, PortDirection.DESTINATION);
      if (typeof record === 'number') return { ...EMPTY_READ, returnCode: record };
      if (!isWhole(capacity, 0, 0xffff_ffff)) return EMPTY_READ;
      return this.services.readSamplingMessage(record.id, capacity);
    });
  }

  // ------------------------------------------------------------ queuing ports

  /** CREATE_QUEUING_PORT: as createSamplingPort; the discipline orders the tasks blocked on the port. */
  createQueuingPort(name: string, maxMessageSize: number, maxMessages: number, direction: PortDirection, discipline: QueuingDiscipline): PortIdResult {
    return this.score.directive((): PortIdResult => {
      if (!isPortName(name) || !isWhole(maxMessageSize, 1, 0xffff_ffff) || !isWhole(maxMessages, 1, 0xffff_ffff) || !isDirection(direction) || !isDiscipline(discipline)) {
        return { returnCode: ApexReturnCode.INVALID_CONFIG, id: 0 };
      }
      if (this.ports.some((port) => port.name === name)) return { returnCode: ApexReturnCode.NO_ACTION, id: 0 };
      const result = this.services.createQueuingPort(name, maxMessageSize, maxMessages, direction, discipline);
      return this.register(result, name, PortKind.QUEUING, direction, maxMessageSize, discipline);
    });
  }

  /** SEND_QUEUING_MESSAGE with a time-out of 0: NOT_AVAILABLE when the port has no room. */
  trySendQueuingMessage(port: number, message: Uint8Array): ApexReturnCode {
    return this.score.directive((): ApexReturnCode => {
      const record = this.own(port, PortKind.QUEUING, PortDirection.SOURCE);
      if (typeof record === 'number') return record;
      const checked = checkMessage(message, record.maxMessageSize);
      if (typeof checked === 'number') return checked;
      return this.services.trySendQueuingMessage(record.id, checked);
    });
  }

  /** RECEIVE_QUEUING_MESSAGE with a time-out of 0: NOT_AVAILABLE when the port is empty. */
  tryReceiveQueuingMessage(port: number, capacity: number): QueuingReceiveResult {
    return this.score.directive((): QueuingReceiveResult => {
      const record = this.own(port, PortKind.QUEUING, PortDirection.DESTINATION);
      if (typeof record === 'number') return { returnCode: record, message: undefined };
      if (!isWhole(capacity, 0, 0xffff_ffff)) return { returnCode: ApexReturnCode.INVALID_PARAM, message: undefined };
      return this.services.tryReceiveQueuingMessage(record.id, capacity);
    });
  }

  /**
   * SEND_QUEUING_MESSAGE: waits up to `timeoutTicks` (0: only try; APEX_INFINITE_TIME_VALUE:
   * for ever) for room in the port. TIMED_OUT when the time-out expires; INVALID_PARAM for
   * an unknown port, a bad time-out or an empty message; INVALID_CONFIG for a message
   * longer than MAX_MESSAGE_SIZE; INVALID_MODE for a destination port, or a time-out other
   * than 0 where the caller cannot block (ARINC 653 P1: an error handler or an ISR here).
   */
  *sendQueuingMessage(port: number, message: Uint8Array, timeoutTicks: number): Directive<ApexReturnCode> {
    const score = this.score;
    const thread = score.current;
    const outcome = score.directive((): ApexReturnCode | [PortRecord, SendRequest] => {
      const record = this.own(port, PortKind.QUEUING, PortDirection.SOURCE);
      if (typeof record === 'number') return record;
      const wait = waitTicks(timeoutTicks);
      if (wait === undefined) return ApexReturnCode.INVALID_PARAM;
      const checked = checkMessage(message, record.maxMessageSize);
      if (typeof checked === 'number') return checked;
      if (wait !== POLL && !score.canBlock) return ApexReturnCode.INVALID_MODE;
      const code = this.services.trySendQueuingMessage(record.id, checked);
      if (code !== ApexReturnCode.NOT_AVAILABLE || wait === POLL) return code;
      const request: SendRequest = { kind: 'send', message: checked.slice(), result: undefined };
      this.wait(thread, record, request, wait);
      return [record, request];
    });
    yield* score.dispatchPoint();
    if (typeof outcome === 'number') return outcome;
    const [record, request] = outcome;
    record.requests.delete(thread);
    if (request.result !== undefined) return request.result;
    const last = score.directive(() => this.services.trySendQueuingMessage(record.id, request.message));
    return last === ApexReturnCode.NOT_AVAILABLE ? ApexReturnCode.TIMED_OUT : last;
  }

  /**
   * RECEIVE_QUEUING_MESSAGE: waits up to `timeoutTicks` (0: only try; -1: for ever) for a
   * message of at most `capacity` bytes. INVALID_CONFIG with a message when the queue
   * overflowed since the last receive; TIMED_OUT; INVALID_PARAM / INVALID_MODE as for send.
   */
  *receiveQueuingMessage(port: number, capacity: number, timeoutTicks: number): Directive<QueuingReceiveResult> {
    const score = this.score;
    const thread = score.current;
    const outcome = score.directive((): QueuingReceiveResult | [PortRecord, ReceiveRequest] => {
      const record = this.own(port, PortKind.QUEUING, PortDirection.DESTINATION);
      if (typeof record === 'number') return { returnCode: record, message: undefined };
      const wait = waitTicks(timeoutTicks);
      if (wait === undefined || !isWhole(capacity, 0, 0xffff_ffff)) return { returnCode: ApexReturnCode.INVALID_PARAM, message: undefined };
      if (wait !== POLL && !score.canBlock) return { returnCode: ApexReturnCode.INVALID_MODE, message: undefined };
      const result = this.services.tryReceiveQueuingMessage(record.id, capacity);
      if (result.returnCode !== ApexReturnCode.NOT_AVAILABLE || wait === POLL) return result;
      const request: ReceiveRequest = { kind: 'receive', capacity, result: undefined };
      this.wait(thread, record, request, wait);
      return [record, request];
    });
    yield* score.dispatchPoint();
    if (!Array.isArray(outcome)) return outcome;
    const [record, request] = outcome;
    record.requests.delete(thread);
    if (request.result !== undefined) return request.result;
    const last = score.directive(() => this.services.tryReceiveQueuingMessage(record.id, request.capacity));
    return last.returnCode === ApexReturnCode.NOT_AVAILABLE ? { returnCode: ApexReturnCode.TIMED_OUT, message: undefined } : last;
  }

  // ------------------------------------------------------------ status

  /** GET_SAMPLING_PORT_STATUS / GET_QUEUING_PORT_STATUS, with the tasks blocked on the port. */
  getPortStatus(port: number): PortStatusResult {
    return this.score.directive((): PortStatusResult => {
      const record = typeof port === 'number' ? this.byId.get(port) : undefined;
      if (record === undefined) return { returnCode: ApexReturnCode.INVALID_PARAM, status: undefined };
      const result = this.services.getPortStatus(record.id);
      if (result.status === undefined) return result;
      return { returnCode: result.returnCode, status: { ...result.status, waitingProcesses: record.waitQueue.length } };
    });
  }

  // ------------------------------------------------------------ partition and module

  /** GET_PARTITION_STATUS. */
  getPartitionStatus(): PartitionStatusResult {
    return this.score.directive(() => this.services.getPartitionStatus());
  }

  /**
   * SET_PARTITION_MODE: INVALID_PARAM for an unknown mode; NO_ACTION for NORMAL in NORMAL;
   * IDLE, COLD_START and WARM_START do not return when they succeed (the partition stops
   * or restarts), so no critical section is left open around them.
   */
  setPartitionMode(mode: OperatingMode): ApexReturnCode {
    const score = this.score;
    score.cpuPort.charge(score.env.costs.directive);
    if (!isWhole(mode, OperatingMode.IDLE, OperatingMode.NORMAL)) return ApexReturnCode.INVALID_PARAM;
    return this.services.setPartitionMode(mode);
  }

  /** GET_MODULE_SCHEDULE_STATUS (ARINC 653 Part 2). */
  getScheduleStatus(): ScheduleStatusResult {
    return this.score.directive(() => this.services.getScheduleStatus());
  }

  /** SET_MODULE_SCHEDULE (ARINC 653 Part 2): the switch happens at the end of the current major frame. */
  setModuleSchedule(scheduleId: number): ApexReturnCode {
    return this.score.directive((): ApexReturnCode => {
      if (!isWhole(scheduleId, 0, 0xffff_ffff)) return ApexReturnCode.INVALID_PARAM;
      return this.services.setModuleSchedule(scheduleId);
    });
  }

  /**
   * RAISE_APPLICATION_ERROR with error code APPLICATION_ERROR: INVALID_PARAM for a message
   * longer than MAX_ERROR_MESSAGE_SIZE (128 bytes). The health monitor's action may stop
   * or restart the partition, in which case this does not return.
   */
  raiseApplicationError(message: string): ApexReturnCode {
    const score = this.score;
    score.cpuPort.charge(score.env.costs.directive);
    // A string longer in code units than the limit in bytes is too long, and is never encoded.
    if (typeof message !== 'string' || message.length > APEX_MAX_ERROR_MESSAGE_SIZE || encoder.encode(message).length > APEX_MAX_ERROR_MESSAGE_SIZE) return ApexReturnCode.INVALID_PARAM;
    return this.services.raiseApplicationError(message);
  }

  // ------------------------------------------------------------ internals

  private register(result: PortIdResult, name: string, kind: PortKind, direction: PortDirection, maxMessageSize: number, discipline: QueuingDiscipline): PortIdResult {
    if (result.returnCode !== ApexReturnCode.NO_ERROR) return { returnCode: result.returnCode, id: 0 };
    const record: PortRecord = {
      id: result.id,
      name,
      kind,
      direction,
      maxMessageSize,
      waitQueue: new WaitQueue(discipline === QueuingDiscipline.PRIORITY ? 'priority' : 'fifo'),
      requests: new Map(),
    };
    this.ports.push(record);
    this.byId.set(record.id, record);
    return { returnCode: ApexReturnCode.NO_ERROR, id: record.id };
  }

  /** The created port `port` if it has this kind and direction, else the ARINC code to answer. */
  private own(port: unknown, kind: PortKind, direction: PortDirection): PortRecord | ApexReturnCode {
    const record = typeof port === 'number' ? this.byId.get(port) : undefined;
    if (record === undefined || record.kind !== kind) return ApexReturnCode.INVALID_PARAM;
    if (record.direction !== direction) return ApexReturnCode.INVALID_MODE;
    return record;
  }

  /** Blocks the executing thread on the port's queue (its discipline decides the position). */
  private wait(thread: Thread, record: PortRecord, request: SendRequest | ReceiveRequest, ticks: number): void {
    record.requests.set(thread, request);
    this.score.block(thread, STATES_WAITING_FOR_MESSAGE, record.waitQueue, ticks);
  }

  /** The BSP's port-updated notification (interrupt context): serve every port's waiters from the head. */
  private portsUpdated(): void {
    if (this.score.termination !== undefined) return;
    this.score.directive(() => {
      for (const record of this.ports) this.serve(record);
    });
  }

  private serve(record: PortRecord): void {
    for (let thread = record.waitQueue.first(); thread !== undefined; thread = record.waitQueue.first()) {
      // Every thread on a port's queue registered its request when it blocked.
      const request = record.requests.get(thread)!;
      if (request.kind === 'send') {
        const code = this.services.trySendQueuingMessage(record.id, request.message);
        if (code === ApexReturnCode.NOT_AVAILABLE) return;
        request.result = code;
      } else {
        const result = this.services.tryReceiveQueuingMessage(record.id, request.capacity);
        if (result.returnCode === ApexReturnCode.NOT_AVAILABLE) return;
        request.result = result;
      }
      this.score.release(thread, RtemsStatus.SUCCESSFUL);
    }
  }
}

function isDirection(value: unknown): value is PortDirection {
  return value === PortDirection.SOURCE || value === PortDirection.DESTINATION;
}

function isDiscipline(value: unknown): value is QueuingDiscipline {
  return value === QueuingDiscipline.FIFO || value === QueuingDiscipline.PRIORITY;
}

/** ARINC 653 P1 WRITE_SAMPLING_MESSAGE / SEND_QUEUING_MESSAGE: LENGTH <= 0 is INVALID_PARAM, LENGTH > MAX_MESSAGE_SIZE INVALID_CONFIG. */
function checkMessage(message: unknown, maxMessageSize: number): Uint8Array | ApexReturnCode {
  if (!(message instanceof Uint8Array) || message.length === 0) return ApexReturnCode.INVALID_PARAM;
  if (message.length > maxMessageSize) return ApexReturnCode.INVALID_CONFIG;
  return message;
}
