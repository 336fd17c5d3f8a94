/**
 * The ports of a module and the channels between them, as both kernels keep them: one
 * port object per configured port (global ids from 1), each source port knowing its
 * destinations, and the ARINC 653 creation rules (CREATE_SAMPLING_PORT /
 * CREATE_QUEUING_PORT: the attributes must match the configuration - INVALID_CONFIG; only
 * during initialisation - INVALID_MODE; a second creation - NO_ACTION). How messages move
 * (POK's flush at major-frame start, AIR's immediate delivery) is each kernel's own.
 */
import {
  type PortDescriptor,
  PortDirection,
  PortKind,
  type PortStatus,
  QueuingDiscipline,
  type Reply,
  type SamplingInfo,
  Status,
  Validity,
} from '@paravirt/paravirt-api';
import type { Nanoseconds } from '@paravirt/machine';
import type { ChannelConfig, PortConfig, PortRef } from './moduleResources.js';

/** A message as a port holds it: its bytes and the time that counts for its age. */
export interface PortMessage {
  readonly bytes: Uint8Array;
  readonly time: Nanoseconds;
}

export interface TablePort {
  readonly id: number;
  /** Index of the owning partition in the module's partition list. */
  readonly partition: number;
  readonly config: PortConfig;
  created: boolean;
  /** QUEUING_DISCIPLINE in force: from the configuration, else from the creation call. */
  discipline: number;
  readonly destinations: TablePort[];
  /** Sampling ports: the current message (a destination's age counts from `time`: POK the flush, AIR the write). */
  sample: PortMessage | undefined;
  /** Queuing ports: the messages waiting (a source's until they move, a destination's until received). */
  queue: PortMessage[];
  /** Messages read from this port. */
  received: number;
  /** Forget what the port held (its partition restarted). */
  reset(): void;
}

/** The port services a kernel offers its binding (PartitionBinding forwards the port hypercalls here). */
export interface PortService {
  create(partition: number, initialising: boolean, descriptor: PortDescriptor): Reply<number>;
  idOf(partition: number, name: string): Reply<number>;
  samplingWrite(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply;
  samplingRead(partition: number, portId: number, capacity: number, now: Nanoseconds): Reply<{ message: Uint8Array; info: SamplingInfo }>;
  queuingSend(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply;
  queuingReceive(partition: number, portId: number, capacity: number): Reply<Uint8Array>;
  status(partition: number, portId: number, now: Nanoseconds): Reply<PortStatus>;
}

export class PortTable<Port extends TablePort> {
  readonly ports: Port[] = [];
  /**
   * Port-updated notifications per partition (index in the module), counted by the kernel's
   * transfer code where a message reaches the partition (countUpdate), just before the
   * kernel raises PORT_UPDATED there: the ports' own count of what they raised.
   */
  readonly updatesRaised: number[];

  constructor(
    partitions: ReadonlyArray<{ readonly name: string; readonly ports: readonly PortConfig[] }>,
    channels: readonly ChannelConfig[],
    make: (id: number, partition: number, config: PortConfig) => Port,
  ) {
    this.updatesRaised = partitions.map(() => 0);
    partitions.forEach((partition, index) => {
      for (const port of partition.ports) this.ports.push(make(this.ports.length + 1, index, port));
    });
    const find = (ref: PortRef): Port | undefined => {
      const index = partitions.findIndex((partition) => partition.name === ref.partition);
      return this.ports.find((port) => port.partition === index && port.config.name === ref.port);
    };
    for (const channel of channels) {
      const source = find(channel.source);
      if (!source) continue;
      for (const ref of channel.destinations) {
        const destination = find(ref);
        if (destination) source.destinations.push(destination);
      }
    }
  }

  /** A transfer reached `partition`: counts the port-updated notification the kernel raises for it. */
  protected countUpdate(partition: number): void {
    this.updatesRaised[partition]!++;
  }

  /** CREATE_*_PORT: attributes must match the configuration. */
  create(partition: number, initialising: boolean, descriptor: PortDescriptor): Reply<number> {
    const port = this.ports.find((candidate) => candidate.partition === partition && candidate.config.name === descriptor.name);
    if (!port) return { status: Status.INVALID_CONFIG };
    const config = port.config;
    const configured = config.discipline === undefined ? undefined : config.discipline === 'fifo' ? QueuingDiscipline.FIFO : QueuingDiscipline.PRIORITY;
    const matches =
      descriptor.kind === (config.kind === 'sampling' ? PortKind.SAMPLING : PortKind.QUEUING) &&
      descriptor.direction === (config.direction === 'source' ? PortDirection.SOURCE : PortDirection.DESTINATION) &&
      descriptor.maxMessageSize === config.maxMessageSize &&
      (config.kind === 'sampling'
        ? descriptor.refreshPeriodNs === config.refreshPeriod
        : descriptor.maxMessages === config.maxMessages && (configured === undefined || descriptor.discipline === configured));
    if (!matches) return { status: Status.INVALID_CONFIG };
    // ARINC 653: ports are created during initialisation (COLD_START / WARM_START), not in NORMAL mode.
    if (!initialising) return { status: Status.INVALID_MODE };
    if (port.created) return { status: Status.NO_ACTION };
    port.created = true;
    port.discipline = configured ?? descriptor.discipline;
    return { status: Status.OK, value: port.id };
  }

  /** GET_*_PORT_ID: a port this partition created, by name. */
  idOf(partition: number, name: string): Reply<number> {
    const port = this.ports.find((candidate) => candidate.partition === partition && candidate.config.name === name && candidate.created);
    return port ? { status: Status.OK, value: port.id } : { status: Status.INVALID_CONFIG };
  }

  /**
   * READ_SAMPLING_MESSAGE: the destination's current message, VALID while its age is within
   * the port's refresh period (ARINC 653 Part 1, sampling port services); NO_ACTION when it
   * never received one.
   */
  samplingRead(partition: number, portId: number, capacity: number, now: Nanoseconds): Reply<{ message: Uint8Array; info: SamplingInfo }> {
    const port = this.own(partition, portId, 'sampling');
    if (typeof port === 'number') return { status: port };
    if (port.config.direction === 'source') return { status: Status.INVALID_MODE };
    const message = port.sample;
    if (!message) return { status: Status.NO_ACTION };
    if (capacity < message.bytes.length) return { status: Status.INVALID_PARAM };
    port.received++;
    const validity = this.validity(port, now);
    return { status: Status.OK, value: { message: message.bytes, info: { length: message.bytes.length, validity, ageNs: now - message.time } } };
  }

  /**
   * RECEIVE_QUEUING_MESSAGE without blocking: the oldest message of a destination queue;
   * NOT_AVAILABLE when it is empty, INVALID_PARAM when it does not fit `capacity`.
   */
  queuingReceive(partition: number, portId: number, capacity: number): Reply<Uint8Array> {
    const port = this.own(partition, portId, 'queuing');
    if (typeof port === 'number') return { status: port };
    if (port.config.direction === 'source') return { status: Status.INVALID_MODE };
    const message = port.queue[0];
    if (!message) return { status: Status.NOT_AVAILABLE };
    if (capacity < message.bytes.length) return { status: Status.INVALID_PARAM };
    port.queue.shift();
    port.received++;
    return { status: this.receivedStatus(port), value: message.bytes };
  }

  /** The status a successful receive answers with (a kernel that reports overflows here says so). */
  protected receivedStatus(_port: Port): Status {
    return Status.OK;
  }

  /** GET_SAMPLING_PORT_STATUS / GET_QUEUING_PORT_STATUS of a port the caller created. */
  status(partition: number, portId: number, now: Nanoseconds): Reply<PortStatus> {
    const port = this.ports[portId - 1];
    if (!port || port.partition !== partition || !port.created) return { status: Status.INVALID_PARAM };
    const config = port.config;
    const sampling = config.kind === 'sampling';
    return {
      status: Status.OK,
      value: {
        kind: sampling ? PortKind.SAMPLING : PortKind.QUEUING,
        direction: config.direction === 'source' ? PortDirection.SOURCE : PortDirection.DESTINATION,
        maxMessageSize: config.maxMessageSize,
        maxMessages: sampling ? 1 : config.maxMessages,
        messages: sampling ? (port.sample ? 1 : 0) : port.queue.length,
        flags: sampling ? this.validity(port, now) : this.queuingFlags(port),
        refreshPeriodNs: sampling ? config.refreshPeriod : 0,
        lastWriteNs: this.lastWriteNs(port),
      },
    };
  }

  /** PortStatus.flags of a queuing port: what the kernel reports of overflows. */
  protected queuingFlags(_port: Port): number {
    return 0;
  }

  /** PortStatus.lastWriteNs: the time of the newest message the port holds. */
  protected lastWriteNs(port: Port): Nanoseconds {
    return (port.config.kind === 'sampling' ? port.sample : port.queue.at(-1))?.time ?? 0;
  }

  /** A sampling port's message is VALID while its age is within the refresh period (ARINC 653 Part 1). */
  protected validity(port: Port, now: Nanoseconds): Validity {
    return port.sample !== undefined && now - port.sample.time <= port.config.refreshPeriod ? Validity.VALID : Validity.INVALID;
  }

  /** The caller's created port of the given kind, or INVALID_PARAM. */
  protected own(partition: number, portId: number, kind: 'sampling' | 'queuing'): Port | Status {
    const port = this.ports[portId - 1];
    if (!port || port.partition !== partition || !port.created || port.config.kind !== kind) return Status.INVALID_PARAM;
    return port;
  }

  /** A restarted partition must create its ports again; what they held is gone. */
  resetPartition(partition: number): void {
    for (const port of this.ports) {
      if (port.partition !== partition) continue;
      port.created = false;
      port.reset();
    }
  }
}
