/**
 * TEST DOUBLE. The test host's ports: the shared PortTable creation rules, with loopback
 * channels inside the one partition and immediate delivery (a write is readable at once),
 * raising PORT_UPDATED like a real kernel. Not a model of any kernel's transfer semantics.
 */
import type { Nanoseconds } from '@paravirt/machine';
import { PortDirection, PortKind, type PortStatus, QueuingDiscipline, type Reply, Status } from '@paravirt/paravirt-api';
import type { PortConfig } from '../moduleResources.js';
import { type PortMessage, type PortService, PortTable, type TablePort } from '../portTable.js';

class LoopbackPort implements TablePort {
  created = false;
  discipline: number = QueuingDiscipline.FIFO;
  readonly destinations: LoopbackPort[] = [];
  /** Queuing: messages waiting. */
  queue: PortMessage[] = [];
  sample: PortMessage | undefined;
  received = 0;

  constructor(
    readonly id: number,
    readonly partition: number,
    readonly config: PortConfig,
  ) {}

  reset(): void {
    this.queue = [];
    this.sample = undefined;
  }
}

export class LoopbackPorts extends PortTable<LoopbackPort> implements PortService {
  constructor(
    partition: string,
    ports: readonly PortConfig[],
    channels: ReadonlyArray<{ readonly source: string; readonly destination: string }>,
    private readonly onUpdated: () => void,
  ) {
    super(
      [{ name: partition, ports }],
      channels.map((channel) => ({ source: { partition, port: channel.source }, destinations: [{ partition, port: channel.destination }] })),
      (id, index, config) => new LoopbackPort(id, index, config),
    );
  }

  private checked(partition: number, portId: number, kind: 'sampling' | 'queuing', source: boolean): LoopbackPort | Status {
    const port = this.own(partition, portId, kind);
    if (typeof port === 'number') return port;
    return (port.config.direction === 'source') === source ? port : Status.INVALID_MODE;
  }

  samplingWrite(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.checked(partition, portId, 'sampling', true);
    if (typeof port === 'number') return { status: port };
    if (bytes.length === 0 || bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_PARAM };
    for (const destination of port.destinations) destination.sample = { bytes: bytes.slice(), time: now };
    if (port.destinations.length > 0) {
      this.countUpdate(0);
      this.onUpdated();
    }
    return { status: Status.OK };
  }

  queuingSend(partition: number, portId: number, bytes: Uint8Array, now: Nanoseconds): Reply {
    const port = this.checked(partition, portId, 'queuing', true);
    if (typeof port === 'number') return { status: port };
    if (bytes.length > port.config.maxMessageSize) return { status: Status.INVALID_PARAM };
    if (port.destinations.some((destination) => destination.queue.length >= destination.config.maxMessages)) return { status: Status.NOT_AVAILABLE };
    for (const destination of port.destinations) destination.queue.push({ bytes: bytes.slice(), time: now });
    if (port.destinations.length > 0) {
      this.countUpdate(0);
      this.onUpdated();
    }
    return { status: Status.OK };
  }

  /** A simplified status (sampling flags always 0): the double's, not a kernel's. */
  override status(partition: number, portId: number): Reply<PortStatus> {
    const port = this.ports[portId - 1];
    if (!port || port.partition !== partition || !port.created) return { status: Status.INVALID_PARAM };
    const config = port.config;
    return {
      status: Status.OK,
      value: {
        kind: config.kind === 'sampling' ? PortKind.SAMPLING : PortKind.QUEUING,
        direction: config.direction === 'source' ? PortDirection.SOURCE : PortDirection.DESTINATION,
        maxMessageSize: config.maxMessageSize,
        maxMessages: config.maxMessages,
        messages: config.kind === 'sampling' ? (port.sample ? 1 : 0) : port.queue.length,
        flags: 0,
        refreshPeriodNs: config.refreshPeriod,
        lastWriteNs: (config.kind === 'sampling' ? port.sample : port.queue.at(-1))?.time ?? 0,
      },
    };
  }
}
