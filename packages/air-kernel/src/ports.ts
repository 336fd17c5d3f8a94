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
import { QueuingDiscipline, type Reply, Status } from '@paravirt/paravirt-api';
import { type PortMessage, type PortService, PortTable, type TablePort } from '@paravirt/kernel-core';
import type { AirChannelConfig, AirPartitionConfig, AirPortConfig } from './config.js';

export class AirPort implements TablePort {
  created = false;
  /** QUEUING_DISCIPLINE given at creation (ARINC makes it a creation parameter, not configuration). */
  discipline: number = QueuingDiscipline.FIFO;
  /** Sampling: the last message written (source) or received (destination). */
  sample: PortMessage | undefined;
  /** Queuing destination: messages waiting. */
  queue: PortMessage[] = [];
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
      this.countUpdate(destination.partition);
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
      this.countUpdate(destination.partition);
      this.onDelivered(destination.partition);
    }
    return { status: Status.OK };
  }

  /** ARINC 653 P1 RECEIVE_QUEUING_MESSAGE: the first receive after an overflow answers INVALID_CONFIG, with its message. */
  protected override receivedStatus(port: AirPort): Status {
    if (!port.overflowed) return Status.OK;
    port.overflowed = false;
    return Status.INVALID_CONFIG;
  }

  /** Queuing flags: 1 while the queue has overflowed since the last receive. */
  protected override queuingFlags(port: AirPort): number {
    return port.overflowed ? 1 : 0;
  }

  /** AIR keeps the time of the last write (a destination's: the time a message reached it). */
  protected override lastWriteNs(port: AirPort): Nanoseconds {
    return port.lastWrite ?? 0;
  }
}
