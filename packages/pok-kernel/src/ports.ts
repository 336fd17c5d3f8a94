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
import { QueuingDiscipline, type Reply, Status } from '@paravirt/paravirt-api';
import { type PortMessage, type PortService, PortTable, type TablePort } from '@paravirt/kernel-core';
import type { PokChannel, PokPartitionConfig, PokPortConfig } from './config.js';

export class PokPort implements TablePort {
  created = false;
  discipline: number = QueuingDiscipline.FIFO;
  /** Source: written and not flushed yet. Destination: received. */
  queue: PortMessage[] = [];
  /** Sampling source: the last message written (kept after a flush, as a sampling port keeps its value). */
  sample: PortMessage | undefined;
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

  /** Queuing flags: messages dropped at a flush because this destination queue was full. */
  protected override queuingFlags(port: PokPort): number {
    return port.overflows;
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
    for (const index of updated) this.countUpdate(index);
    return updated;
  }
}
