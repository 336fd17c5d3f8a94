/**
 * Inter-partition ports with ARINC 653 Part 1 semantics as AIR implements them: a message
 * written to a source port is transferred to every destination of its channel at once,
 * during the write (AIR's PMK copies it in the write system call), so a destination can
 * read it as soon as its partition runs - in the same major frame. (POK instead keeps
 * writes at the source and flushes them at the start of the next major frame.)
 *
 *  - Sampling (ARINC 653 P1 WRITE/READ_SAMPLING_MESSAGE): a destination holds the last
 *    message; a read returns it with its age, VALID while the age is at most the port's
 *    refresh period, INVALID after; an empty port reads NO_ACTION. A zero-length write is
 *    INVALID_PARAM, one longer than MaxMessageSize INVALID_CONFIG.
 *  - Queuing (SEND/RECEIVE_QUEUING_MESSAGE, without blocking: the guest waits on
 *    PORT_UPDATED): a send that finds a destination queue full returns NOT_AVAILABLE and
 *    marks that queue as overflowed; the next receive from it returns its message with
 *    INVALID_CONFIG (ARINC: the queue overflowed since the last receive) and clears the
 *    mark. A send is all or nothing over the channel's destinations.
 *  - Ports are created (opened) only during initialisation (COLD_START / WARM_START),
 *    with attributes matching the configuration; a partition restart forgets its ports
 *    and empties its destination buffers.
 */
import type { Nanoseconds } from '@paravirt/machine';
import {
  type PortService,
  PortTable,
  type TablePort,
  PortDirection,
  PortKind,
  type PortStatus,
  QueuingDiscipline,
  type Reply,
  Status,
  Validity,
} from '@paravirt/paravirt-api';
import type { AirChannelConfig, AirPartitionConfig, AirPortConfig } from './config.js';

interface Message {
  readonly bytes: Uint8Array;
  readonly time: Nanoseconds;
}

export class AirPort implements TablePort {
  created = false;
  /** QUEUING_DISCIPLINE given at creation (ARINC makes it a creation parameter, not configuration). */
  discipline: number = QueuingDiscipline.FIFO;
  /** Sampling: the last message written (source) or received (destination). */
  sample: Message | undefined;
  /** Queuing destination: messages waiting. */
  queue: Message[] = [];
  /** Queuing destination: a send found the queue full since the last receive. */
  overflowed = false;
  /** Sends refused because a destination queue was full. */
  overflows = 0;
  sent = 0;
  received = 0;
  lastWrite: Nanoseconds | undefined;
  readonly destinations: AirPort[] = [];

  constructor(
    readonly id: number,
    readonly partition: number,
    readonly config: AirPortConfig,
  ) {}

  get isSource(): boolean {
    return this.config.direction === 'source';
  }

  reset(): void {
    this.sample = undefined;
    this.queue = [];
    this.overflowed = false;
    this.lastWrite = undefined;
  }
}

export class AirPorts extends PortTable<AirPort> implements PortService {
  /** `onDelivered(partition)` is told about every destination partition that received a message. */
  constructor(
    partitions: readonly AirPartitionConfig[],
    channels: readonly AirChannelConfig[],
    private readonly onDelivered: (partition: number) => void,
  ) {
    super(partitions, channels, (id, partition, config) => new AirPort(id, partition, config));
  }

  samplingWrite(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.own(partition, portId, 'sampling');
    if (typeof port === 'number') return { status: port };
    if (!port.isSource) return { status: Status.INVALID_MODE };
    if (bytes.length === 0) return { status: Status.INVALID_PARAM };
    if (bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_CONFIG };
    const message = { bytes: bytes.slice(), time: now };
    port.sample = message;
    port.lastWrite = now;
    port.sent++;
    for (const destination of port.destinations) {
      destination.sample = message;
      destination.lastWrite = now;
      this.onDelivered(destination.partition);
    }
    return { status: Status.OK };
  }

  queuingSend(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.own(partition, portId, 'queuing');
    if (typeof port === 'number') return { status: port };
    if (!port.isSource) return { status: Status.INVALID_MODE };
    if (bytes.length === 0) return { status: Status.INVALID_PARAM };
    if (bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_CONFIG };
    const full = port.destinations.filter((destination) => destination.queue.length >= destination.config.maxMessages);
    if (full.length > 0) {
      port.overflows++;
      for (const destination of full) destination.overflowed = true;
      return { status: Status.NOT_AVAILABLE };
    }
    const message = { bytes: bytes.slice(), time: now };
    port.lastWrite = now;
    port.sent++;
    for (const destination of port.destinations) {
      destination.queue.push(message);
      destination.lastWrite = now;
      this.onDelivered(destination.partition);
    }
    return { status: Status.OK };
  }

  queuingReceive(partition: number, portId: number, capacity: number): Reply<Uint8Array> {
    const port = this.own(partition, portId, 'queuing');
    if (typeof port === 'number') return { status: port };
    if (port.isSource) return { status: Status.INVALID_MODE };
    const message = port.queue[0];
    if (!message) return { status: Status.NOT_AVAILABLE };
    if (capacity < message.bytes.length) return { status: Status.INVALID_PARAM };
    port.queue.shift();
    port.received++;
    if (port.overflowed) {
      port.overflowed = false;
      return { status: Status.INVALID_CONFIG, value: message.bytes };
    }
    return { status: Status.OK, value: message.bytes };
  }

  status(partition: number, portId: number, now: Nanoseconds): Reply<PortStatus> {
    const port = this.ports[portId - 1];
    if (!port || port.partition !== partition || !port.created) return { status: Status.INVALID_PARAM };
    const config = port.config;
    const sampling = config.kind === 'sampling';
    return {
      status: Status.OK,
      value: {
        kind: sampling ? PortKind.SAMPLING : PortKind.QUEUING,
        direction: port.isSource ? PortDirection.SOURCE : PortDirection.DESTINATION,
        maxMessageSize: config.maxMessageSize,
        maxMessages: sampling ? 1 : config.maxMessages,
        messages: sampling ? (port.sample ? 1 : 0) : port.queue.length,
        flags: sampling ? this.validity(port, now) : port.overflowed ? 1 : 0,
        refreshPeriodNs: sampling ? config.refreshPeriod : 0,
        lastWriteNs: port.lastWrite ?? 0,
      },
    };
  }

  /** A partition restart forgets which of its ports were created and what they held. */

  private validity(port: AirPort, now: Nanoseconds): number {
    return port.sample && now - port.sample.time <= port.config.refreshPeriod ? Validity.VALID : Validity.INVALID;
  }

  /** The caller's created port of the given kind, or the status to return. */
}
