/**
 * PortTable on its own, with a minimal port type: what it shares between kernels (ids,
 * channels, the ARINC 653 creation rules, sampling validity by age, queuing receive,
 * status, the hooks a kernel overrides, restart), messages put where a kernel's transfer
 * would put them. Then the test host's LoopbackPorts, kernel-core's own PortTable with a
 * send: queuing overflow and FIFO order. The kernels' transfer semantics (POK flush, AIR
 * immediate delivery) are tested in pok-kernel and air-kernel.
 */
import { PortDirection, type PortDescriptor, PortKind, QueuingDiscipline, Status, Validity } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { LoopbackPorts } from './internal/loopbackPorts.js';
import type { ChannelConfig, PortConfig } from './moduleResources.js';
import { type PortMessage, PortTable, type TablePort } from './portTable.js';

class Port implements TablePort {
  created = false;
  discipline: number = QueuingDiscipline.FIFO;
  readonly destinations: Port[] = [];
  sample: PortMessage | undefined;
  queue: PortMessage[] = [];
  received = 0;
  resets = 0;
  constructor(
    readonly id: number,
    readonly partition: number,
    readonly config: PortConfig,
  ) {}
  reset(): void {
    this.resets++;
    this.sample = undefined;
    this.queue = [];
  }
}

const REFRESH = 1_000;
const sampling = (name: string, direction: PortConfig['direction']): PortConfig => ({ name, kind: 'sampling', direction, maxMessageSize: 16, maxMessages: 1, refreshPeriod: REFRESH });
const queuing = (name: string, direction: PortConfig['direction'], maxMessages: number, discipline?: PortConfig['discipline']): PortConfig => ({
  name,
  kind: 'queuing',
  direction,
  maxMessageSize: 8,
  maxMessages,
  refreshPeriod: 0,
  ...(discipline ? { discipline } : {}),
});

const A = 0;
const B = 1;
const PARTITIONS = [
  { name: 'a', ports: [sampling('out', 'source'), queuing('qout', 'source', 2, 'fifo')] },
  { name: 'b', ports: [sampling('in', 'destination'), queuing('qin', 'destination', 3, 'fifo'), queuing('any', 'destination', 2)] },
];
const CHANNELS: ChannelConfig[] = [
  { source: { partition: 'a', port: 'out' }, destinations: [{ partition: 'b', port: 'in' }] },
  // References to ports that do not exist are skipped (the configuration checks reject them first).
  { source: { partition: 'ghost', port: 'x' }, destinations: [{ partition: 'b', port: 'in' }] },
  { source: { partition: 'a', port: 'qout' }, destinations: [{ partition: 'b', port: 'qin' }, { partition: 'b', port: 'nope' }] },
];
/** Global port ids, in configuration order from 1. */
const OUT = 1;
const QOUT = 2;
const IN = 3;
const QIN = 4;
const ANY = 5;

const newTable = () => new PortTable<Port>(PARTITIONS, CHANNELS, (id, partition, config) => new Port(id, partition, config));

/** The descriptor that matches a configured port (what CREATE_*_PORT must be given). */
function descriptor(config: PortConfig, changes: Partial<PortDescriptor> = {}): PortDescriptor {
  return {
    kind: config.kind === 'sampling' ? PortKind.SAMPLING : PortKind.QUEUING,
    direction: config.direction === 'source' ? PortDirection.SOURCE : PortDirection.DESTINATION,
    maxMessageSize: config.maxMessageSize,
    maxMessages: config.kind === 'queuing' ? config.maxMessages : 0,
    refreshPeriodNs: config.kind === 'sampling' ? config.refreshPeriod : 0,
    discipline: config.discipline === 'priority' ? QueuingDiscipline.PRIORITY : QueuingDiscipline.FIFO,
    name: config.name,
    ...changes,
  };
}

const config = (partition: number, name: string): PortConfig => PARTITIONS[partition]!.ports.find((port) => port.name === name)!;
const create = (table: PortTable<Port>, partition: number, name: string, changes: Partial<PortDescriptor> = {}, initialising = true) =>
  table.create(partition, initialising, descriptor(config(partition, name), changes));

/** A table with every port created. */
function created() {
  const table = newTable();
  for (const [partition, name] of [[A, 'out'], [A, 'qout'], [B, 'in'], [B, 'qin'], [B, 'any']] as const) expect(create(table, partition, name).status).toBe(Status.OK);
  return table;
}

const message = (text: string, time: number): PortMessage => ({ bytes: new TextEncoder().encode(text), time });
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('PortTable: ports and channels', () => {
  it('numbers ports from 1 in configuration order across partitions and wires each source to its destinations', () => {
    const table = newTable();
    expect(table.ports.map((port) => [port.id, port.partition, port.config.name])).toEqual([
      [OUT, A, 'out'],
      [QOUT, A, 'qout'],
      [IN, B, 'in'],
      [QIN, B, 'qin'],
      [ANY, B, 'any'],
    ]);
    expect(table.ports.map((port) => port.destinations.map((destination) => destination.id))).toEqual([[IN], [QIN], [], [], []]);
  });
});

describe('PortTable: creation rules (CREATE_SAMPLING_PORT / CREATE_QUEUING_PORT)', () => {
  it('creates a configured port once, during initialisation, and answers its id', () => {
    const table = newTable();
    expect(table.idOf(A, 'out')).toEqual({ status: Status.INVALID_CONFIG });
    expect(create(table, A, 'out')).toEqual({ status: Status.OK, value: OUT });
    expect(table.idOf(A, 'out')).toEqual({ status: Status.OK, value: OUT });
    // A second creation: NO_ACTION, the port stays created.
    expect(create(table, A, 'out')).toEqual({ status: Status.NO_ACTION });
    // Not during initialisation (NORMAL mode): INVALID_MODE, for a new port as for a created one.
    expect(create(table, B, 'in', {}, false)).toEqual({ status: Status.INVALID_MODE });
    expect(create(table, A, 'out', {}, false)).toEqual({ status: Status.INVALID_MODE });
    expect([table.ports[IN - 1]!.created, table.idOf(B, 'in').status]).toEqual([false, Status.INVALID_CONFIG]);
  });

  it.each([
    ['kind', { kind: PortKind.QUEUING }],
    ['direction', { direction: PortDirection.DESTINATION }],
    ['maxMessageSize', { maxMessageSize: 17 }],
    ['refresh period', { refreshPeriodNs: REFRESH + 1 }],
  ] as const)('refuses a sampling port whose %s differs from the configuration: INVALID_CONFIG, also outside initialisation', (_what, changes) => {
    const table = newTable();
    expect(create(table, A, 'out', changes)).toEqual({ status: Status.INVALID_CONFIG });
    expect(create(table, A, 'out', changes, false)).toEqual({ status: Status.INVALID_CONFIG });
    expect(table.ports[OUT - 1]!.created).toBe(false);
  });

  it.each([
    ['maxMessages', { maxMessages: 3 }],
    ['discipline fixed by the configuration', { discipline: QueuingDiscipline.PRIORITY }],
    ['maxMessageSize', { maxMessageSize: 4 }],
  ] as const)('refuses a queuing port whose %s differs: INVALID_CONFIG', (_what, changes) => {
    expect(create(newTable(), A, 'qout', changes)).toEqual({ status: Status.INVALID_CONFIG });
  });

  it('ignores what does not apply to the kind: maxMessages and discipline of a sampling port, the refresh period of a queuing port', () => {
    const table = newTable();
    expect(create(table, A, 'out', { maxMessages: 99, discipline: QueuingDiscipline.PRIORITY }).status).toBe(Status.OK);
    expect(create(table, A, 'qout', { refreshPeriodNs: 12_345 }).status).toBe(Status.OK);
  });

  it('takes the discipline from the configuration when it fixes one, else from the creation call', () => {
    const table = newTable();
    create(table, B, 'qin');
    expect(create(table, B, 'any', { discipline: QueuingDiscipline.PRIORITY }).status).toBe(Status.OK);
    expect([table.ports[QIN - 1]!.discipline, table.ports[ANY - 1]!.discipline]).toEqual([QueuingDiscipline.FIFO, QueuingDiscipline.PRIORITY]);
  });

  it('finds ports by name in the caller partition only', () => {
    const table = newTable();
    expect(table.create(B, true, descriptor(config(A, 'out'))).status).toBe(Status.INVALID_CONFIG);
    expect(table.create(A, true, descriptor(config(A, 'out'), { name: 'OUT' })).status).toBe(Status.INVALID_CONFIG);
    create(table, A, 'out');
    expect(table.idOf(B, 'out').status).toBe(Status.INVALID_CONFIG);
  });
});

describe('PortTable: sampling ports', () => {
  it('a destination that never received answers NO_ACTION', () => {
    expect(created().samplingRead(B, IN, 16, 0)).toEqual({ status: Status.NO_ACTION });
  });

  it('is VALID while the age is at most the refresh period, INVALID from one nanosecond later, with the age', () => {
    const table = created();
    table.ports[IN - 1]!.sample = message('hello', 5_000);
    const read = (now: number) => {
      const reply = table.samplingRead(B, IN, 16, now);
      return [reply.status, text(reply.value?.message), reply.value?.info];
    };
    expect(read(5_000)).toEqual([Status.OK, 'hello', { length: 5, validity: Validity.VALID, ageNs: 0 }]);
    expect(read(5_000 + REFRESH)).toEqual([Status.OK, 'hello', { length: 5, validity: Validity.VALID, ageNs: REFRESH }]);
    expect(read(5_000 + REFRESH + 1)).toEqual([Status.OK, 'hello', { length: 5, validity: Validity.INVALID, ageNs: REFRESH + 1 }]);
    expect(table.ports[IN - 1]!.received).toBe(3);
  });

  it('refuses a buffer shorter than the message (INVALID_PARAM, not counted as received), a read of a source, of another partition and of the wrong kind', () => {
    const table = created();
    table.ports[IN - 1]!.sample = message('hello', 0);
    expect(table.samplingRead(B, IN, 4, 0)).toEqual({ status: Status.INVALID_PARAM });
    expect(table.ports[IN - 1]!.received).toBe(0);
    expect(table.samplingRead(A, OUT, 16, 0)).toEqual({ status: Status.INVALID_MODE });
    expect(table.samplingRead(A, IN, 16, 0)).toEqual({ status: Status.INVALID_PARAM });
    expect(table.samplingRead(B, QIN, 16, 0)).toEqual({ status: Status.INVALID_PARAM });
    for (const id of [0, -1, 6, 2 ** 32]) expect(table.samplingRead(B, id, 16, 0)).toEqual({ status: Status.INVALID_PARAM });
  });

  it('refuses a port that was configured but not created', () => {
    const table = newTable();
    table.ports[IN - 1]!.sample = message('hello', 0);
    expect(table.samplingRead(B, IN, 16, 0)).toEqual({ status: Status.INVALID_PARAM });
    expect(table.status(B, IN, 0)).toEqual({ status: Status.INVALID_PARAM });
  });

  it('status: one message at most, its validity by age as flags, the refresh period and the time of the message', () => {
    const table = created();
    const status = (now: number) => table.status(B, IN, now);
    expect(status(0)).toEqual({
      status: Status.OK,
      value: { kind: PortKind.SAMPLING, direction: PortDirection.DESTINATION, maxMessageSize: 16, maxMessages: 1, messages: 0, flags: Validity.INVALID, refreshPeriodNs: REFRESH, lastWriteNs: 0 },
    });
    table.ports[IN - 1]!.sample = message('x', 2_000);
    expect(status(2_000 + REFRESH).value).toMatchObject({ messages: 1, flags: Validity.VALID, lastWriteNs: 2_000 });
    expect(status(2_000 + REFRESH + 1).value).toMatchObject({ messages: 1, flags: Validity.INVALID, lastWriteNs: 2_000 });
    expect(table.status(A, OUT, 0).value).toMatchObject({ kind: PortKind.SAMPLING, direction: PortDirection.SOURCE });
    expect(table.status(A, IN, 0)).toEqual({ status: Status.INVALID_PARAM });
  });
});

describe('PortTable: queuing ports', () => {
  it('receives in FIFO order; an empty queue answers NOT_AVAILABLE', () => {
    const table = created();
    const qin = table.ports[QIN - 1]!;
    qin.queue.push(message('one', 10), message('two', 20), message('three', 30));
    const received = [1, 2, 3].map(() => text(table.queuingReceive(B, QIN, 8).value));
    expect(received).toEqual(['one', 'two', 'three']);
    expect(table.queuingReceive(B, QIN, 8)).toEqual({ status: Status.NOT_AVAILABLE });
    expect(qin.received).toBe(3);
  });

  it('a buffer shorter than the oldest message: INVALID_PARAM, and the message stays first', () => {
    const table = created();
    table.ports[QIN - 1]!.queue.push(message('longer', 10), message('s', 20));
    expect(table.queuingReceive(B, QIN, 5)).toEqual({ status: Status.INVALID_PARAM });
    expect(text(table.queuingReceive(B, QIN, 6).value)).toBe('longer');
  });

  it('refuses a receive from a source (INVALID_MODE), from another partition or a sampling port (INVALID_PARAM)', () => {
    const table = created();
    expect(table.queuingReceive(A, QOUT, 8)).toEqual({ status: Status.INVALID_MODE });
    expect(table.queuingReceive(A, QIN, 8)).toEqual({ status: Status.INVALID_PARAM });
    expect(table.queuingReceive(B, IN, 8)).toEqual({ status: Status.INVALID_PARAM });
  });

  it('status: messages waiting, capacity, no refresh period, the time of the newest message', () => {
    const table = created();
    table.ports[QIN - 1]!.queue.push(message('a', 10), message('b', 25));
    expect(table.status(B, QIN, 99)).toEqual({
      status: Status.OK,
      value: { kind: PortKind.QUEUING, direction: PortDirection.DESTINATION, maxMessageSize: 8, maxMessages: 3, messages: 2, flags: 0, refreshPeriodNs: 0, lastWriteNs: 25 },
    });
  });

  it('a kernel reports overflows through its hooks: the receive status and the status flags', () => {
    // What AIR does (air-kernel ports.ts): the first receive after an overflow answers INVALID_CONFIG.
    class OverflowTable extends PortTable<Port> {
      readonly overflowed = new Set<number>();
      protected override receivedStatus(port: Port): Status {
        return this.overflowed.delete(port.id) ? Status.INVALID_CONFIG : Status.OK;
      }
      protected override queuingFlags(port: Port): number {
        return this.overflowed.has(port.id) ? 1 : 0;
      }
    }
    const table = new OverflowTable(PARTITIONS, CHANNELS, (id, partition, config) => new Port(id, partition, config));
    create(table, B, 'qin');
    table.ports[QIN - 1]!.queue.push(message('a', 1), message('b', 2));
    table.overflowed.add(QIN);
    expect(table.status(B, QIN, 0).value?.flags).toBe(1);
    expect(table.queuingReceive(B, QIN, 8)).toMatchObject({ status: Status.INVALID_CONFIG });
    expect(table.status(B, QIN, 0).value?.flags).toBe(0);
    expect(table.queuingReceive(B, QIN, 8)).toMatchObject({ status: Status.OK });
  });
});

describe('PortTable: a restarted partition', () => {
  it('forgets its ports and what they held; the other partition keeps its own', () => {
    const table = created();
    table.ports[IN - 1]!.sample = message('x', 0);
    table.ports[QIN - 1]!.queue.push(message('y', 0));
    table.ports[QOUT - 1]!.queue.push(message('z', 0));
    table.resetPartition(B);
    expect(table.ports.map((port) => [port.created, port.resets])).toEqual([
      [true, 0],
      [true, 0],
      [false, 1],
      [false, 1],
      [false, 1],
    ]);
    expect([table.ports[IN - 1]!.sample, table.ports[QIN - 1]!.queue, table.ports[QOUT - 1]!.queue.length]).toEqual([undefined, [], 1]);
    expect(table.idOf(B, 'in').status).toBe(Status.INVALID_CONFIG);
    expect(table.queuingReceive(B, QIN, 8)).toEqual({ status: Status.INVALID_PARAM });
    // Created again during its new initialisation.
    expect(create(table, B, 'in')).toEqual({ status: Status.OK, value: IN });
  });
});

describe("LoopbackPorts (the test host's ports): queuing overflow and FIFO", () => {
  function loopback() {
    let updates = 0;
    const ports = new LoopbackPorts('p', [queuing('tx', 'source', 1), queuing('rx', 'destination', 2)], [{ source: 'tx', destination: 'rx' }], () => updates++);
    const tx = ports.create(0, true, descriptor(queuing('tx', 'source', 1))).value!;
    const rx = ports.create(0, true, descriptor(queuing('rx', 'destination', 2))).value!;
    return { ports, tx, rx, updates: () => updates };
  }
  const bytes = (value: string) => new TextEncoder().encode(value);

  it('a send that finds the destination full answers NOT_AVAILABLE and queues nothing; receives come out oldest first', () => {
    const { ports, tx, rx, updates } = loopback();
    expect(ports.queuingSend(0, tx, bytes('first'), 10).status).toBe(Status.OK);
    expect(ports.queuingSend(0, tx, bytes('second'), 20).status).toBe(Status.OK);
    expect(ports.queuingSend(0, tx, bytes('third'), 30)).toEqual({ status: Status.NOT_AVAILABLE });
    expect(updates()).toBe(2);
    expect(ports.status(0, rx).value).toMatchObject({ messages: 2, lastWriteNs: 20 });
    expect(text(ports.queuingReceive(0, rx, 8).value)).toBe('first');
    // Room again: the next send is accepted and queued behind the older message.
    expect(ports.queuingSend(0, tx, bytes('fourth'), 40).status).toBe(Status.OK);
    expect([ports.queuingReceive(0, rx, 8), ports.queuingReceive(0, rx, 8)].map((reply) => text(reply.value))).toEqual(['second', 'fourth']);
    expect(ports.queuingReceive(0, rx, 8)).toEqual({ status: Status.NOT_AVAILABLE });
  });

  it('refuses a message longer than maxMessageSize (INVALID_PARAM) and a send on a destination (INVALID_MODE)', () => {
    const { ports, tx, rx } = loopback();
    expect(ports.queuingSend(0, tx, bytes('123456789'), 0)).toEqual({ status: Status.INVALID_PARAM });
    expect(ports.queuingSend(0, rx, bytes('x'), 0)).toEqual({ status: Status.INVALID_MODE });
    expect(ports.status(0, rx).value?.messages).toBe(0);
  });
});
