/**
 * POK-style inter-partition ports (ARINC 653 Part 1 sampling and queuing ports) with
 * POK's transfer model: a source port keeps what its partition writes, and the kernel
 * copies ("flushes") source ports to their destinations at fixed points - by default at
 * the start of every major frame (POK kernel/core/sched.c: pok_port_flushall when the
 * next major frame begins), optionally when the writer's slot ends. So a message written
 * in frame k is readable by the destination from frame k+1 on.
 *
 * Sampling: a destination holds the last message flushed to it; it is valid while its
 * age (since the flush that delivered it, as POK stamps the receive time) is within the
 * refresh period. Queuing: messages queue at the source until the flush, then move to
 * every destination queue; a message that finds a destination queue full is dropped and
 * counted in that port's overflow counter (reported in its status, never silent), and a
 * send that finds the source queue full gets NOT_AVAILABLE.
 */
import type { Nanoseconds } from '@paravirt/machine';
import { PortDirection, PortKind, type PortService, type PortStatus, PortTable, QueuingDiscipline, type Reply, Status, type TablePort } from '@paravirt/paravirt-api';
import type { PokChannel, PokPartitionConfig, PokPortConfig } from './config.js';

interface Message {
  readonly bytes: Uint8Array;
  readonly time: Nanoseconds;
}

export class PokPort implements TablePort {
  created = false;
  discipline: number = QueuingDiscipline.FIFO;
  /** Source: written and not flushed yet. Destination: received. */
  queue: Message[] = [];
  /** Sampling source: the last message written (kept after a flush, as a sampling port keeps its value). */
  sample: Message | undefined;
  sent = 0;
  received = 0;
  overflows = 0;
  readonly destinations: PokPort[] = [];

  constructor(
    readonly id: number,
    readonly partition: number,
    readonly config: PokPortConfig,
  ) {}

  get isSource(): boolean {
    return this.config.direction === 'source';
  }

  reset(): void {
    this.queue = [];
    this.sample = undefined;
  }
}

export class PokPorts extends PortTable<PokPort> implements PortService {
  constructor(partitions: readonly PokPartitionConfig[], channels: readonly PokChannel[]) {
    super(partitions, channels, (id, partition, config) => new PokPort(id, partition, config));
  }

  samplingWrite(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.own(partition, portId, 'sampling');
    if (typeof port === 'number') return { status: port };
    if (!port.isSource) return { status: Status.INVALID_MODE };
    if (bytes.length === 0 || bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_PARAM };
    port.sample = { bytes: bytes.slice(), time: now };
    port.queue = [port.sample];
    port.sent++;
    return { status: Status.OK };
  }

  queuingSend(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.own(partition, portId, 'queuing');
    if (typeof port === 'number') return { status: port };
    if (!port.isSource) return { status: Status.INVALID_MODE };
    if (bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_PARAM };
    if (port.queue.length >= port.config.maxMessages) return { status: Status.NOT_AVAILABLE };
    port.queue.push({ bytes: bytes.slice(), time: now });
    port.sent++;
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
    return { status: Status.OK, value: message.bytes };
  }

  status(partition: number, portId: number, now: Nanoseconds): Reply<PortStatus> {
    const port = this.ports[portId - 1];
    if (!port || port.partition !== partition || !port.created) return { status: Status.INVALID_PARAM };
    const config = port.config;
    const last = port.config.kind === 'sampling' ? port.sample : port.queue.at(-1);
    return {
      status: Status.OK,
      value: {
        kind: config.kind === 'sampling' ? PortKind.SAMPLING : PortKind.QUEUING,
        direction: port.isSource ? PortDirection.SOURCE : PortDirection.DESTINATION,
        maxMessageSize: config.maxMessageSize,
        maxMessages: config.kind === 'queuing' ? config.maxMessages : 1,
        messages: config.kind === 'sampling' ? (port.sample ? 1 : 0) : port.queue.length,
        flags: config.kind === 'sampling' ? (port.sample && now - port.sample.time <= config.refreshPeriod ? 1 : 0) : port.overflows,
        refreshPeriodNs: config.kind === 'sampling' ? config.refreshPeriod : 0,
        lastWriteNs: last?.time ?? 0,
      },
    };
  }

  /**
   * Copies source ports (all of them, or one partition's) to their destinations. Returns
   * the indexes of partitions that received something (to raise PORT_UPDATED).
   */
  flush(now: Nanoseconds, partition?: number): Set<number> {
    const updated = new Set<number>();
    for (const source of this.ports) {
      if (!source.isSource || (partition !== undefined && source.partition !== partition)) continue;
      if (source.config.kind === 'sampling') {
        const message = source.queue[0];
        if (!message) continue;
        source.queue = [];
        for (const destination of source.destinations) {
          // POK stamps the receive time at the flush.
          destination.sample = { bytes: message.bytes, time: now };
          updated.add(destination.partition);
        }
      } else {
        const messages = source.queue;
        if (messages.length === 0) continue;
        source.queue = [];
        for (const destination of source.destinations) {
          for (const message of messages) {
            if (destination.queue.length >= destination.config.maxMessages) destination.overflows++;
            else destination.queue.push({ bytes: message.bytes, time: now });
          }
          updated.add(destination.partition);
        }
      }
    }
    return updated;
  }

}
