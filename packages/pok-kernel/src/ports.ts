/**
 * POK-style inter-partition ports (ARINC 653 Part 1 sampling and queuing ports) with
 * POK's transfer model: a source port keeps what its partition writes, and the kernel
 * copies ("flushes") source ports to their destinations at fixed points - by default at
 * the start of every major frame (POK kernel/core/sched.c, pok_elect_partition:
 * pok_port_flushall when the next major frame begins), optionally when the writer's slot
 * ends (POK_NEEDS_FLUSH_ON_WINDOWS: pok_port_flush_partition of that partition). So a
 * message written in frame k is readable by the destination from frame k+1 on.
 *
 * What POK's sources do, and what is modelled (docs/ports.md has the comparison table):
 *  - pok_port_flushall (kernel/middleware/portflushall.c) flushes the ports of the
 *    partitions in mode NORMAL or IDLE only. POK never enters its IDLE mode (its
 *    pok_partition_set_mode, kernel/core/partition.c, has no case for it); a partition
 *    POK stops is STOPPED, which is not flushed. A stopped partition here is ARINC's IDLE
 *    (POK's STOPPED), so the major-frame flush takes the sources of NORMAL partitions: a
 *    partition's writes during COLD_START / WARM_START wait at the source until the
 *    first major frame after it enters NORMAL, and a stopped partition's unflushed
 *    writes stay where they are. The slot-end flush (pok_port_flush_partition) looks at
 *    no mode.
 *  - pok_port_flush_partition skips a destination port its partition has not created
 *    (`ready != TRUE`), and the source is emptied anyway: that destination misses the
 *    message. Here too.
 *  - A queuing port is one ring of bytes: libpok's CREATE_QUEUING_PORT asks the kernel for
 *    MAX_MESSAGE_SIZE x MAX_NB_MESSAGE bytes (libpok/arinc653/queueing.c), a send waits or
 *    fails (POK_ERRNO_FULL) while the message does not fit in the free bytes
 *    (pok_port_queueing_send, kernel/middleware/portqueueingsend.c), and a message of no
 *    bytes is refused (POK_ERRNO_SIZE). Modelled: the budget is bytes, so short messages
 *    queue beyond MAX_NB_MESSAGE (eight 16-byte messages fit a 32 x 4 port); NOT_AVAILABLE
 *    when the bytes do not fit, INVALID_PARAM for an empty message.
 *  - POK keeps no message boundaries: pok_port_queueing_receive returns as many bytes as
 *    the caller's buffer takes of everything queued (pok_port_consumed_size), merging or
 *    splitting messages. Not modelled, deliberately: the paravirt API's ports are ARINC 653
 *    ports (docs/architecture.md section 4), one message per receive, as every guest
 *    relies on. A message longer than MAX_MESSAGE_SIZE is INVALID_PARAM (POK only checks
 *    the whole buffer's size).
 *  - POK counts no overflow and checks no room at the flush: pok_port_write
 *    (kernel/middleware/portutils.c) drops the whole flushed data if the destination ring
 *    is exactly full and otherwise writes past its reader, over unread bytes. Here a
 *    message that does not fit in the destination's free bytes is dropped and counted in
 *    the port's overflow counter (PortStatus.flags), our extension: nothing silently lost.
 *  - POK's queuing ports are FIFO only: pok_port_queueing_create
 *    (kernel/middleware/portqueueingcreate.c) refuses any other discipline
 *    (POK_ERRNO_DISCIPLINE) before it looks at the port. Modelled: creating a PRIORITY
 *    queuing port is INVALID_CONFIG.
 *
 * Sampling: a destination holds the last message flushed to it; it is valid while its age
 * (since the flush that delivered it: pok_port_write stamps last_receive) is within the
 * refresh period (pok_port_sampling_read: invalid when last_receive + refresh < now).
 */
import type { Nanoseconds } from '@paravirt/machine';
import { PartitionMode, type PortDescriptor, PortDirection, PortKind, type PortStatus, QueuingDiscipline, type Reply, Status } from '@paravirt/paravirt-api';
import { type PortMessage, type PortService, PortTable, type TablePort } from '@paravirt/kernel-core';
import type { PokChannel, PokPartitionConfig, PokPortConfig } from './config.js';

/**
 * A queuing port's messages in POK's byte budget, held as POK holds them - the bytes in one
 * ring of MAX_MESSAGE_SIZE x MAX_NB_MESSAGE bytes (pok_port_write / pok_port_get) - plus
 * each message's length, which POK does not keep (see PokPorts). The host holds the ring
 * and 4 bytes per message, so what a partition's memory pays for (portBufferBytes) still
 * bounds what its ports make the host hold, however short its messages.
 */
export class PokQueueBuffer {
  /** Bytes held. */
  used = 0;
  /** Messages held. */
  count = 0;
  /** Allocated at the first message, released when emptied by clear(). */
  private data: Uint8Array | undefined;
  /** Offset of the oldest message's first byte in `data`. */
  private start = 0;
  /** Message lengths, a ring from `first` (never more entries than bytes: no message is empty). */
  private lengths = new Uint32Array(4);
  private first = 0;

  constructor(readonly capacity: number) {}

  /** Appends `bytes` if they fit in the free bytes; false (and nothing stored) if not. */
  push(bytes: Uint8Array): boolean {
    if (bytes.length > this.capacity - this.used) return false;
    const data = (this.data ??= new Uint8Array(this.capacity));
    const end = (this.start + this.used) % this.capacity;
    const head = Math.min(bytes.length, this.capacity - end);
    data.set(bytes.subarray(0, head), end);
    data.set(bytes.subarray(head), 0);
    if (this.count === this.lengths.length) this.grow();
    this.lengths[(this.first + this.count) % this.lengths.length] = bytes.length;
    this.count++;
    this.used += bytes.length;
    return true;
  }

  /** Length of the oldest message; undefined when empty. */
  firstLength(): number | undefined {
    return this.count > 0 ? this.lengths[this.first] : undefined;
  }

  /** Removes and returns the oldest message (a copy). */
  shift(): Uint8Array | undefined {
    const length = this.firstLength();
    if (length === undefined) return undefined;
    const message = this.copy(this.start, length);
    this.start = (this.start + length) % this.capacity;
    this.used -= length;
    this.first = (this.first + 1) % this.lengths.length;
    this.count--;
    return message;
  }

  /** The messages held, oldest first (copies), without removing them. */
  *messages(): Generator<Uint8Array, void, undefined> {
    let offset = this.start;
    for (let index = 0; index < this.count; index++) {
      const length = this.lengths[(this.first + index) % this.lengths.length]!;
      yield this.copy(offset, length);
      offset = (offset + length) % this.capacity;
    }
  }

  /** Forgets every message and releases the ring. */
  clear(): void {
    this.data = undefined;
    this.start = 0;
    this.used = 0;
    this.count = 0;
    this.lengths = new Uint32Array(4);
    this.first = 0;
  }

  private copy(offset: number, length: number): Uint8Array {
    const data = this.data!;
    const head = Math.min(length, this.capacity - offset);
    const message = new Uint8Array(length);
    message.set(data.subarray(offset, offset + head));
    message.set(data.subarray(0, length - head), head);
    return message;
  }

  private grow(): void {
    const lengths = new Uint32Array(this.lengths.length * 2);
    for (let index = 0; index < this.count; index++) lengths[index] = this.lengths[(this.first + index) % this.lengths.length]!;
    this.lengths = lengths;
    this.first = 0;
  }
}

export class PokPort implements TablePort {
  created = false;
  discipline: number = QueuingDiscipline.FIFO;
  /** Sampling: the last message written (source, kept after a flush) or flushed to it (destination). */
  sample: PortMessage | undefined;
  /** Sampling source: written since the last flush (POK's must_be_flushed). */
  unflushed = false;
  /** Queuing: source - sent and not flushed yet; destination - flushed to it and not received yet. */
  readonly buffer: PokQueueBuffer;
  /** Queuing: when the newest message held arrived (its send, or the flush that delivered it). */
  lastTime: Nanoseconds = 0;
  sent = 0;
  received = 0;
  /** Queuing destination: messages dropped at a flush because they did not fit (our extension; POK counts none). */
  overflows = 0;
  readonly destinations: PokPort[] = [];

  constructor(
    readonly id: number,
    readonly partition: number,
    readonly config: PokPortConfig,
  ) {
    this.buffer = new PokQueueBuffer(config.kind === 'queuing' ? config.maxMessageSize * config.maxMessages : 0);
  }

  get isSource(): boolean {
    return this.config.direction === 'source';
  }

  /** TablePort's view of a queuing port: copies of the messages held, each stamped with `lastTime`. */
  get queue(): PortMessage[] {
    return [...this.buffer.messages()].map((bytes) => ({ bytes, time: this.lastTime }));
  }

  reset(): void {
    this.buffer.clear();
    this.sample = undefined;
    this.unflushed = false;
    this.lastTime = 0;
  }
}

export class PokPorts extends PortTable<PokPort> implements PortService {
  /**
   * `modeOf` gives a partition's operating mode (by index in the module) for the
   * major-frame flush, which takes only NORMAL partitions' sources; without it every
   * partition counts as NORMAL.
   */
  constructor(
    partitions: readonly PokPartitionConfig[],
    channels: readonly PokChannel[],
    private readonly modeOf: (partition: number) => PartitionMode = () => PartitionMode.NORMAL,
  ) {
    super(partitions, channels, (id, partition, config) => new PokPort(id, partition, config));
  }

  /** CREATE_QUEUING_PORT: POK's queuing ports are FIFO only (pok_port_queueing_create: POK_ERRNO_DISCIPLINE). */
  override create(partition: number, initialising: boolean, descriptor: PortDescriptor): Reply<number> {
    if (descriptor.kind === PortKind.QUEUING && descriptor.discipline !== QueuingDiscipline.FIFO) return { status: Status.INVALID_CONFIG };
    return super.create(partition, initialising, descriptor);
  }

  samplingWrite(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.own(partition, portId, 'sampling');
    if (typeof port === 'number') return { status: port };
    if (!port.isSource) return { status: Status.INVALID_MODE };
    if (bytes.length === 0 || bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_PARAM };
    port.sample = { bytes: bytes.slice(), time: now };
    port.unflushed = true;
    port.sent++;
    return { status: Status.OK };
  }

  /** SEND_QUEUING_MESSAGE without blocking: NOT_AVAILABLE while the message does not fit in the source's free bytes. */
  queuingSend(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.own(partition, portId, 'queuing');
    if (typeof port === 'number') return { status: port };
    if (!port.isSource) return { status: Status.INVALID_MODE };
    if (bytes.length === 0 || bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_PARAM };
    if (!port.buffer.push(bytes)) return { status: Status.NOT_AVAILABLE };
    port.lastTime = now;
    port.sent++;
    return { status: Status.OK };
  }

  /** RECEIVE_QUEUING_MESSAGE without blocking: the oldest message, whole (see the file comment on boundaries). */
  override queuingReceive(partition: number, portId: number, capacity: number): Reply<Uint8Array> {
    const port = this.own(partition, portId, 'queuing');
    if (typeof port === 'number') return { status: port };
    if (port.isSource) return { status: Status.INVALID_MODE };
    const length = port.buffer.firstLength();
    if (length === undefined) return { status: Status.NOT_AVAILABLE };
    if (capacity < length) return { status: Status.INVALID_PARAM };
    port.received++;
    return { status: Status.OK, value: port.buffer.shift()! };
  }

  /** GET_QUEUING_PORT_STATUS counts messages held (more than maxMessages when they are short); sampling ports as PortTable. */
  override status(partition: number, portId: number, now: Nanoseconds): Reply<PortStatus> {
    const port = this.ports[portId - 1];
    if (!port || port.config.kind !== 'queuing') return super.status(partition, portId, now);
    if (port.partition !== partition || !port.created) return { status: Status.INVALID_PARAM };
    const { config, buffer } = port;
    return {
      status: Status.OK,
      value: {
        kind: PortKind.QUEUING,
        direction: port.isSource ? PortDirection.SOURCE : PortDirection.DESTINATION,
        maxMessageSize: config.maxMessageSize,
        maxMessages: config.maxMessages,
        messages: buffer.count,
        flags: port.overflows,
        refreshPeriodNs: 0,
        lastWriteNs: buffer.count > 0 ? port.lastTime : 0,
      },
    };
  }

  /**
   * Copies source ports to their destinations: with `partition`, that partition's
   * (pok_port_flush_partition, any mode); without, those of every NORMAL partition
   * (pok_port_flushall). Returns the indexes of partitions that received something (to
   * raise PORT_UPDATED).
   */
  flush(now: Nanoseconds, partition?: number): Set<number> {
    const updated = new Set<number>();
    for (const source of this.ports) {
      if (!source.isSource) continue;
      if (partition === undefined ? this.modeOf(source.partition) !== PartitionMode.NORMAL : source.partition !== partition) continue;
      if (source.config.kind === 'sampling') {
        const message = source.sample;
        if (!source.unflushed || !message) continue;
        source.unflushed = false;
        for (const destination of source.destinations) {
          // pok_port_flush_partition: a destination port not created yet is skipped.
          if (!destination.created) continue;
          // POK stamps the receive time at the flush (pok_port_write: last_receive).
          destination.sample = { bytes: message.bytes, time: now };
          updated.add(destination.partition);
        }
      } else {
        if (source.buffer.count === 0) continue;
        for (const destination of source.destinations) {
          if (!destination.created) continue;
          let delivered = false;
          for (const bytes of source.buffer.messages()) {
            if (destination.buffer.push(bytes)) delivered = true;
            else destination.overflows++;
          }
          if (!delivered) continue;
          destination.lastTime = now;
          updated.add(destination.partition);
        }
        // The source is emptied whoever took its messages (pok_port_get before the destination loop).
        source.buffer.clear();
      }
    }
    for (const index of updated) this.countUpdate(index);
    return updated;
  }
}
