/**
 * POK's port semantics as the POK-style kernel models them, one rule per test, each with
 * the POK source it follows (pok-kernel/pok: kernel/middleware/*.c, libpok/arinc653/*.c) -
 * or, where we deliberately differ, what POK does and why we do not. Scripted guests
 * (kernel-core/test) on machine's SimplePlatform: partition a owns 0-40 ms and b 40-100 ms
 * of each 100 ms major frame; the kernel flushes at the start of each frame.
 */
import { SimplePlatform } from '@paravirt/machine/test';
import { PartitionMode, type PortDescriptor, PortDirection, PortKind, QueuingDiscipline, Status } from '@paravirt/paravirt-api';
import { type GuestScript, type ScriptedGuestEnv, scriptedGuest } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import type { PokConfig, PokPartitionConfig, PokPortConfig } from './config.js';
import { PokKernel } from './pokKernel.js';
import { PokQueueBuffer } from './ports.js';

const MS = 1_000_000;
const idle: GuestScript = function* () {};

/** A queuing port of 8-byte messages, 4 of them: POK's buffer is 32 bytes. */
const QUEUE = { kind: 'queuing', maxMessageSize: 8, maxMessages: 4, refreshPeriod: 0 } as const;
const SAMPLE = { kind: 'sampling', maxMessageSize: 8, maxMessages: 1, refreshPeriod: 500 * MS } as const;

function partition(name: string, ports: PokPortConfig[], extra: Partial<PokPartitionConfig> = {}): PokPartitionConfig {
  return { name, memorySize: 1 << 20, system: false, ports, errorActions: {}, ipiTargets: [], ...extra };
}

/**
 * a.out -> b.in (queuing, QUEUE, with the configured `discipline`; 'unset' leaves it to the
 * creation call) and a.value -> b.value (sampling, SAMPLE).
 */
function boot(guests: { a: GuestScript; b: GuestScript }, config: Partial<PokConfig> = {}, discipline: 'fifo' | 'priority' | 'unset' = 'fifo') {
  const queue = discipline === 'unset' ? {} : { discipline };
  const platform = new SimplePlatform({ memorySize: 8 << 20 });
  const full: PokConfig = {
    kernelTick: MS,
    majorFrame: 100 * MS,
    slots: [
      { partition: 'a', duration: 40 * MS },
      { partition: 'b', duration: 60 * MS },
    ],
    partitions: [
      partition('a', [
        { name: 'out', direction: 'source', ...QUEUE, ...queue },
        { name: 'value', direction: 'source', ...SAMPLE },
      ]),
      partition('b', [
        { name: 'in', direction: 'destination', ...QUEUE, ...queue },
        { name: 'value', direction: 'destination', ...SAMPLE },
      ]),
    ],
    channels: [
      { source: { partition: 'a', port: 'out' }, destinations: [{ partition: 'b', port: 'in' }] },
      { source: { partition: 'a', port: 'value' }, destinations: [{ partition: 'b', port: 'value' }] },
    ],
    routes: [],
    flush: 'major-frame',
    ...config,
  };
  const kernel = new PokKernel({ platform, config: full, guests: { a: scriptedGuest(guests.a), b: scriptedGuest(guests.b) } });
  kernel.boot();
  return { kernel, run: (until: number) => platform.board.runUntil(until) };
}

const queuing = (name: string, direction: number, discipline: number = QueuingDiscipline.FIFO): PortDescriptor => ({
  kind: PortKind.QUEUING,
  direction,
  maxMessageSize: QUEUE.maxMessageSize,
  maxMessages: QUEUE.maxMessages,
  refreshPeriodNs: 0,
  discipline,
  name,
});
const sampling = (name: string, direction: number): PortDescriptor => ({ kind: PortKind.SAMPLING, direction, maxMessageSize: 8, maxMessages: 1, refreshPeriodNs: SAMPLE.refreshPeriod, discipline: 0, name });

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
const now = (env: ScriptedGuestEnv) => Math.floor(env.client.timeGet(0).value! / MS);
/** Computes in 1 ms steps until the kernel's clock reaches `ms` (the partition's windows only). */
function* until(env: ScriptedGuestEnv, ms: number): Generator<number, void, unknown> {
  while (now(env) < ms) yield 100_000;
}
/** Every message queued at b.in, as "length x fill". */
function drain(env: ScriptedGuestEnv, port: number, capacity = 64): string[] {
  const got: string[] = [];
  for (let reply = env.client.queuingReceive(port, capacity); reply.status === Status.OK; reply = env.client.queuingReceive(port, capacity)) {
    got.push(`${reply.value!.length}x${reply.value![0]!}`);
  }
  return got;
}

describe('queuing ports: a byte budget of MAX_MESSAGE_SIZE x MAX_NB_MESSAGE', () => {
  // libpok/arinc653/queueing.c, CREATE_QUEUING_PORT: pok_port_queueing_create(name,
  // MAX_MESSAGE_SIZE * MAX_NB_MESSAGE, ...) - the kernel's port is that many bytes;
  // kernel/middleware/portqueueingsend.c, pok_port_queueing_send: POK_ERRNO_SIZE for len <= 0,
  // POK_ERRNO_FULL while len > pok_port_available_size (the free bytes).
  it('takes short messages beyond MAX_NB_MESSAGE while their bytes fit, refuses the one that does not, and delivers them all', () => {
    const sent: string[] = [];
    const status: number[] = [];
    let received: string[] = [];
    const { run } = boot({
      a: function* (env) {
        const out = env.client.portCreate(queuing('out', PortDirection.SOURCE)).value!;
        env.client.setPartitionMode(PartitionMode.NORMAL);
        // 32 bytes: eight 4-byte messages (twice MAX_NB_MESSAGE), then not one byte more.
        for (let i = 1; i <= 9; i++) sent.push(`${i}:${env.client.queuingSend(out, bytes(i === 9 ? 1 : 4, i))}`);
        sent.push(`empty:${env.client.queuingSend(out, new Uint8Array(0))}`, `9 bytes:${env.client.queuingSend(out, bytes(9, 0))}`);
        status.push(env.client.portStatus(out).value!.messages);
      },
      b: function* (env) {
        const port = env.client.portCreate(queuing('in', PortDirection.DESTINATION)).value!;
        yield* until(env, 140);
        status.push(env.client.portStatus(port).value!.messages);
        received = drain(env, port);
      },
    });
    run(150 * MS);
    expect(sent).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `${i}:${Status.OK}`),
      `9:${Status.NOT_AVAILABLE}`,
      `empty:${Status.INVALID_PARAM}`,
      // Longer than MAX_MESSAGE_SIZE: ARINC's check (POK only checks the whole buffer's size).
      `9 bytes:${Status.INVALID_PARAM}`,
    ]);
    // GET_QUEUING_PORT_STATUS counts 8 messages in a port of MAX_NB_MESSAGE 4, at the source and after the flush.
    expect(status).toEqual([8, 8]);
    expect(received).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `4x${i}`));
  });

  // kernel/middleware/portqueueingreceive.c, pok_port_queueing_receive: it returns
  // min(maxlen, pok_port_consumed_size) bytes - everything queued, messages merged, or a
  // split message. Deliberate divergence: the paravirt API's ports are ARINC 653 ports, one
  // message per RECEIVE_QUEUING_MESSAGE, and a buffer too small for it is INVALID_PARAM.
  it('keeps message boundaries, unlike POK: one whole message per receive, none split', () => {
    const got: string[] = [];
    const { run } = boot({
      a: function* (env) {
        const out = env.client.portCreate(queuing('out', PortDirection.SOURCE)).value!;
        env.client.setPartitionMode(PartitionMode.NORMAL);
        env.client.queuingSend(out, bytes(3, 1));
        env.client.queuingSend(out, bytes(5, 2));
      },
      b: function* (env) {
        const port = env.client.portCreate(queuing('in', PortDirection.DESTINATION)).value!;
        yield* until(env, 140);
        for (const capacity of [16, 4, 8, 8]) {
          // POK: 16 -> all 8 bytes (both messages merged); 4 -> 4 bytes (message 2 split).
          const reply = env.client.queuingReceive(port, capacity);
          got.push(`capacity ${capacity}: ${reply.status} ${reply.value?.join('') ?? '-'}`);
        }
      },
    });
    run(150 * MS);
    expect(got).toEqual([`capacity 16: ${Status.OK} 111`, `capacity 4: ${Status.INVALID_PARAM} -`, `capacity 8: ${Status.OK} 22222`, `capacity 8: ${Status.NOT_AVAILABLE} -`]);
  });

  // kernel/middleware/portflushall.c, pok_port_flush_partition -> kernel/middleware/portutils.c,
  // pok_port_write: no room check and no counter - a full destination ring drops the whole
  // flushed data, a nearly full one is overwritten past its reader. Deliberate divergence:
  // each message that does not fit in the destination's free bytes is dropped and counted in
  // PortStatus.flags (our extension: nothing silently lost); the ones that fit arrive.
  it('drops at the flush what does not fit in the destination bytes, counting it in PortStatus.flags', () => {
    let report = '';
    const { run, kernel } = boot({
      a: function* (env) {
        const out = env.client.portCreate(queuing('out', PortDirection.SOURCE)).value!;
        env.client.setPartitionMode(PartitionMode.NORMAL);
        env.client.queuingSend(out, bytes(8, 1));
        env.client.queuingSend(out, bytes(8, 2));
        env.client.queuingSend(out, bytes(8, 3)); // 24 of b's 32 bytes, flushed at 100 ms
        yield* until(env, 100);
        env.client.queuingSend(out, bytes(4, 4));
        env.client.queuingSend(out, bytes(8, 5)); // b has 8 bytes free at 200 ms: 4 fits, 5 does not
        env.client.queuingSend(out, bytes(4, 6)); // and 6 still fits after it
      },
      b: function* (env) {
        const port = env.client.portCreate(queuing('in', PortDirection.DESTINATION)).value!;
        yield* until(env, 240);
        const { messages, flags } = env.client.portStatus(port).value!;
        report = `${messages} messages, ${flags} dropped: ${drain(env, port).join(' ')}`;
      },
    });
    run(250 * MS);
    expect(report).toBe('5 messages, 1 dropped: 8x1 8x2 8x3 4x4 4x6');
    expect(kernel.ports.ports.find((port) => port.config.name === 'in')!.overflows).toBe(1);
  });

  // kernel/middleware/portqueueingcreate.c, pok_port_queueing_create: any discipline but
  // POK_QUEUEING_DISCIPLINE_FIFO is POK_ERRNO_DISCIPLINE (libpok maps PRIORITY to
  // POK_QUEUEING_DISCIPLINE_PRIORITY and passes it on), before the port is looked at.
  it('refuses a PRIORITY queuing port: POK queues FIFO only', () => {
    const statuses: string[] = [];
    const { run } = boot(
      {
        a: function* (env) {
          statuses.push(`a priority: ${env.client.portCreate(queuing('out', PortDirection.SOURCE, QueuingDiscipline.PRIORITY)).status}`);
          statuses.push(`a fifo: ${env.client.portCreate(queuing('out', PortDirection.SOURCE, QueuingDiscipline.FIFO)).status}`);
        },
        b: idle,
      },
      {},
      'unset',
    );
    run(50 * MS);
    expect(statuses).toEqual([`a priority: ${Status.INVALID_CONFIG}`, `a fifo: ${Status.OK}`]);
    // A port configured `priority` could never be created on POK: the configuration itself is
    // refused (validatePokConfig), so `paravirt check` says so before anything runs.
    expect(() => boot({ a: idle, b: idle }, {}, 'priority')).toThrow(/POK queuing ports are FIFO only/);
  });
});

describe('the flush', () => {
  // kernel/middleware/portflushall.c, pok_port_flush_partition: a destination port that is
  // not ready (its partition has not created it) is skipped - `if (pok_ports[local_dest].ready
  // != TRUE) continue;` - and the source was emptied before the loop (pok_port_get), so that
  // destination never gets the message.
  it('skips destination ports not created yet: what was flushed before their creation never arrives', () => {
    const seen: string[] = [];
    const { run } = boot({
      a: function* (env) {
        const out = env.client.portCreate(queuing('out', PortDirection.SOURCE)).value!;
        const value = env.client.portCreate(sampling('value', PortDirection.SOURCE)).value!;
        env.client.setPartitionMode(PartitionMode.NORMAL);
        env.client.queuingSend(out, bytes(8, 1));
        env.client.samplingWrite(value, bytes(8, 1));
        yield* until(env, 100); // flushed at 100 ms: b has no ports yet
        env.client.queuingSend(out, bytes(8, 2));
        env.client.samplingWrite(value, bytes(8, 2));
      },
      b: function* (env) {
        yield* until(env, 100); // b creates its ports in its second window (still COLD_START)
        const port = env.client.portCreate(queuing('in', PortDirection.DESTINATION)).value!;
        const value = env.client.portCreate(sampling('value', PortDirection.DESTINATION)).value!;
        seen.push(`${now(env)}ms queue [${drain(env, port).join(' ')}] sample ${env.client.samplingRead(value, 8).status}`);
        yield* until(env, 200);
        seen.push(`${now(env)}ms queue [${drain(env, port).join(' ')}] sample ${env.client.samplingRead(value, 8).value?.message[0] ?? '-'}`);
      },
    });
    run(250 * MS);
    expect(seen).toEqual([`140ms queue [] sample ${Status.NO_ACTION}`, '240ms queue [8x2] sample 2']);
  });

  // kernel/middleware/portflushall.c, pok_port_flushall: only partitions in mode NORMAL or
  // IDLE are flushed. POK never enters IDLE (kernel/core/partition.c, pok_partition_set_mode
  // has no case for it); it stops a partition as STOPPED, not flushed - ARINC's IDLE here.
  // The sources of a partition still initialising wait (must_be_flushed stays TRUE) for the
  // first major frame after it enters NORMAL.
  it('at the major frame takes only NORMAL partitions: writes made during initialisation wait for NORMAL', () => {
    const seen: string[] = [];
    const { run } = boot({
      a: function* (env) {
        const out = env.client.portCreate(queuing('out', PortDirection.SOURCE)).value!;
        const value = env.client.portCreate(sampling('value', PortDirection.SOURCE)).value!;
        env.client.queuingSend(out, bytes(8, 1)); // in COLD_START: not flushed at 100 ms
        env.client.samplingWrite(value, bytes(8, 1));
        yield* until(env, 100);
        env.client.queuingSend(out, bytes(8, 2));
        env.client.setPartitionMode(PartitionMode.NORMAL); // flushed at 200 ms, both messages
      },
      b: function* (env) {
        const port = env.client.portCreate(queuing('in', PortDirection.DESTINATION)).value!;
        const value = env.client.portCreate(sampling('value', PortDirection.DESTINATION)).value!;
        for (const ms of [100, 200]) {
          yield* until(env, ms);
          const sample = env.client.samplingRead(value, 8);
          seen.push(`${now(env)}ms [${drain(env, port).join(' ')}] ${sample.status === Status.OK ? `sample ${sample.value!.message[0]!}` : 'no sample'}`);
        }
      },
    });
    run(250 * MS);
    expect(seen).toEqual(['140ms [] no sample', '240ms [8x1 8x2] sample 1']);
  });

  it('at the major frame leaves a stopped partition\'s unflushed writes where they are (POK\'s STOPPED is not flushed)', () => {
    const seen: string[] = [];
    const { run, kernel } = boot({
      a: function* (env) {
        const out = env.client.portCreate(queuing('out', PortDirection.SOURCE)).value!;
        env.client.setPartitionMode(PartitionMode.NORMAL);
        env.client.queuingSend(out, bytes(8, 1));
        env.client.setPartitionMode(PartitionMode.IDLE); // stops before the flush at 100 ms
      },
      b: function* (env) {
        const port = env.client.portCreate(queuing('in', PortDirection.DESTINATION)).value!;
        yield* until(env, 100);
        seen.push(`${now(env)}ms [${drain(env, port).join(' ')}]`);
      },
    });
    run(150 * MS);
    expect(seen).toEqual(['140ms []']);
    expect(kernel.ports.ports.find((port) => port.config.name === 'out')!.buffer.count).toBe(1);
  });

  // kernel/core/sched.c, pok_elect_partition with POK_NEEDS_FLUSH_ON_WINDOWS:
  // pok_port_flush_partition(pok_current_partition) when the slot ends - no mode check.
  it('at the slot end (flush: slot-end) takes the partition whatever its mode', () => {
    const seen: string[] = [];
    const { run } = boot(
      {
        a: function* (env) {
          const out = env.client.portCreate(queuing('out', PortDirection.SOURCE)).value!;
          yield* until(env, 100); // b has created its port meanwhile
          env.client.queuingSend(out, bytes(8, 1)); // still COLD_START at the end of a's slot (140 ms)
        },
        b: function* (env) {
          const port = env.client.portCreate(queuing('in', PortDirection.DESTINATION)).value!;
          yield* until(env, 140);
          seen.push(`${now(env)}ms [${drain(env, port).join(' ')}]`);
        },
      },
      { flush: 'slot-end' },
    );
    run(150 * MS);
    expect(seen).toEqual(['140ms [8x1]']);
  });
});

describe('PokQueueBuffer', () => {
  it('keeps messages in order across the wrap of its byte ring and of its length ring, and refuses what does not fit in the free bytes', () => {
    const buffer = new PokQueueBuffer(10);
    const held = () => [...buffer.messages()].map((message) => Array.from(message).join(''));
    expect(buffer.push(bytes(4, 1))).toBe(true);
    expect(buffer.push(bytes(4, 2))).toBe(true);
    expect(buffer.push(bytes(3, 3))).toBe(false); // 2 bytes free
    expect(Array.from(buffer.shift()!)).toEqual([1, 1, 1, 1]);
    expect(buffer.push(bytes(3, 3))).toBe(true); // bytes 8, 9 and 0: wraps
    expect(buffer.push(bytes(3, 4))).toBe(true);
    expect(buffer.push(bytes(1, 5))).toBe(false); // full
    expect(held()).toEqual(['2222', '333', '444']);
    expect(buffer.shift()!.join('')).toBe('2222');
    for (const fill of [5, 6, 7]) expect(buffer.push(bytes(1, fill))).toBe(true); // the fifth length grows the ring
    expect([buffer.count, buffer.used, buffer.firstLength()]).toEqual([5, 9, 3]);
    expect(held()).toEqual(['333', '444', '5', '6', '7']);
    expect(buffer.shift()!.join('')).toBe('333');
    buffer.clear();
    expect([buffer.count, buffer.used, buffer.firstLength(), held()]).toEqual([0, 0, undefined, []]);
  });
});
