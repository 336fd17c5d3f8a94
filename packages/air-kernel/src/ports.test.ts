/**
 * Ports with AIR's (ARINC 653) semantics on the two-schedule fixture: nav.position ->
 * ctrl.position (sampling, refresh 50 ms), payload.records -> logger.records (queuing,
 * two messages).
 */
import { Hypercall, PartitionMode, PortKind, QueuingDiscipline, Status, statusName, Validity, VirtualLine } from '@paravirt/paravirt-api';
import type { GuestScript, ScriptedGuestEnv } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import { bootAir, fixtureConfig, idle, MS, text } from './internal/harness.js';

const fixture = fixtureConfig('two-schedules.xml');
const decoder = new TextDecoder();
const position = (direction: 0 | 1) => ({ kind: PortKind.SAMPLING, direction, maxMessageSize: 16, maxMessages: 1, refreshPeriodNs: 50 * MS, discipline: QueuingDiscipline.FIFO, name: 'position' });
const records = (direction: 0 | 1) => ({ kind: PortKind.QUEUING, direction, maxMessageSize: 32, maxMessages: 2, refreshPeriodNs: 0, discipline: QueuingDiscipline.FIFO, name: 'records' });
const ms = (env: ScriptedGuestEnv) => Math.floor(env.client.timeGet(0).value! / MS);

function boot(guests: Record<string, Parameters<typeof bootAir>[1][string]>) {
  return bootAir(fixture, { ctrl: idle, nav: idle, payload: idle, logger: idle, ...guests });
}

describe('queuing ports', () => {
  it('delivers at once (same major frame), refuses a send to a full queue with NOT_AVAILABLE and flags the next receive INVALID_CONFIG', () => {
    const sent: string[] = [];
    const received: string[] = [];
    const receive = (env: ScriptedGuestEnv, id: number) => {
      // Raw call: a receive after an overflow returns the message with INVALID_CONFIG, which the client would drop.
      const buffer = env.base + 0x4000;
      const { status, value } = env.client.call(Hypercall.QUEUING_RECEIVE, id, buffer, 32);
      received.push(`${ms(env)}ms ${statusName(status)}${value > 0 ? ` ${decoder.decode(env.processor.loadBytes(buffer, value))}` : ''}`);
      return status;
    };
    const { run } = boot({
      payload: function* (env) {
        const id = env.client.portCreate(records(0)).value!;
        env.client.setPartitionMode(PartitionMode.NORMAL);
        for (const message of ['m1', 'm2', 'm3']) sent.push(`${ms(env)}ms ${statusName(env.client.queuingSend(id, text(message)))}`);
      },
      logger: function* (env) {
        const id = env.client.portCreate(records(1)).value!;
        const status = env.client.portStatus(id).value!;
        received.push(`status: ${status.messages} messages, overflowed ${status.flags}, last write ${Math.floor(status.lastWriteNs / MS)}ms`);
        while (receive(env, id) !== Status.NOT_AVAILABLE);
      },
    });
    run(100 * MS);
    expect(sent).toEqual(['70ms OK', '70ms OK', '70ms NOT_AVAILABLE']);
    // Written at 70 ms, read at 90 ms in the same frame (POK would hand it over at the next frame's start).
    expect(received).toEqual(['status: 2 messages, overflowed 1, last write 70ms', '90ms INVALID_CONFIG m1', '90ms OK m2', '90ms NOT_AVAILABLE']);
  });

  it('raises PORT_UPDATED on the destination partition, delivered at its window start', () => {
    const upcalls: string[] = [];
    const { run, part } = boot({
      payload: function* (env) {
        const id = env.client.portCreate(records(0)).value!;
        env.client.queuingSend(id, text('hello'));
      },
      logger: [
        function* (env) {
          env.client.portCreate(records(1));
          env.enableVirtualInterrupts([VirtualLine.PORT_UPDATED]);
        },
        { onUpcall: (env, line) => upcalls.push(`${ms(env)}ms line ${line}`) },
      ],
    });
    run(100 * MS);
    expect(upcalls).toEqual([`90ms line ${VirtualLine.PORT_UPDATED}`]);
    // Only PORT_UPDATED: WINDOW_START is raised only for guests that unmask it.
    expect(part('logger').interrupts.stats()).toMatchObject({ raised: 1, delivered: 1, pending: 0, lost: 0 });
  });
});

describe('sampling ports', () => {
  it('returns the last message with its age, VALID up to the refresh period and INVALID after', () => {
    const reads: string[] = [];
    const read = (env: ScriptedGuestEnv, id: number) => {
      const reply = env.client.samplingRead(id, 16);
      const info = reply.value?.info;
      reads.push(
        `${ms(env)}ms ${statusName(reply.status)}${info ? ` ${info.validity === Validity.VALID ? 'VALID' : 'INVALID'} age ${Math.floor(info.ageNs / MS)}ms ${decoder.decode(reply.value.message)}` : ''}`,
      );
    };
    let ctrlPort = 0;
    let navPort = 0;
    const { run } = boot({
      ctrl: [
        function* (env) {
          ctrlPort = env.client.portCreate(position(1)).value!;
          env.client.setPartitionMode(PartitionMode.NORMAL);
          env.enableVirtualInterrupts([VirtualLine.WINDOW_START]);
          for (;;) {
            yield 500_000; // 5 ms
            read(env, ctrlPort);
            env.client.idle();
            yield 1;
          }
        },
        { onUpcall: (env) => read(env, ctrlPort) },
      ],
      nav: [
        function* (env) {
          navPort = env.client.portCreate(position(0)).value!;
          env.client.setPartitionMode(PartitionMode.NORMAL);
          env.enableVirtualInterrupts([VirtualLine.WINDOW_START]);
        },
        // nav publishes in its second window of each frame only (50 ms, 150 ms).
        { onUpcall: (env) => ms(env) % 100 === 50 && void env.client.samplingWrite(navPort, text(`p@${ms(env)}`)) },
      ],
    });
    run(210 * MS);
    // ctrl unmasks WINDOW_START during its first window, so its first upcall is at 100 ms.
    expect(reads).toEqual([
      '5ms NO_ACTION',
      '100ms OK VALID age 50ms p@50',
      '105ms OK INVALID age 55ms p@50',
      '200ms OK VALID age 50ms p@150',
      '205ms OK INVALID age 55ms p@150',
    ]);
  });
});

describe('port services', () => {
  it('follows the ARINC 653 rules for creation, sizes and directions, and forgets ports at a restart', () => {
    const statuses: string[] = [];
    const push = (label: string, status: number) => statuses.push(`${label} ${statusName(status)}`);
    let boots = 0;
    const nav: GuestScript = function* (env) {
      boots++;
      if (boots === 2) {
        push('portId after restart', env.client.portId('position').status);
        return;
      }
      push('wrong size', env.client.portCreate({ ...position(0), maxMessageSize: 8 }).status);
      push('wrong direction', env.client.portCreate(position(1)).status);
      push('unknown name', env.client.portCreate({ ...position(0), name: 'speed' }).status);
      const created = env.client.portCreate(position(0));
      push('create', created.status);
      push('again', env.client.portCreate(position(0)).status);
      push('portId', env.client.portId('position').status);
      const id = created.value!;
      push('empty write', env.client.samplingWrite(id, new Uint8Array(0)));
      push('17-byte write', env.client.samplingWrite(id, new Uint8Array(17)));
      push('read on a source', env.client.samplingRead(id, 16).status);
      push('queuing call on a sampling port', env.client.queuingSend(id, text('x')));
      push('unknown port id', env.client.samplingWrite(99, text('x')));
      env.client.setPartitionMode(PartitionMode.NORMAL);
      push('create in NORMAL', env.client.portCreate(position(0)).status);
      env.client.setPartitionMode(PartitionMode.COLD_START);
    };
    const { run } = boot({ nav });
    run(20 * MS);
    expect(statuses).toEqual([
      'wrong size INVALID_CONFIG',
      'wrong direction INVALID_CONFIG',
      'unknown name INVALID_CONFIG',
      'create OK',
      'again NO_ACTION',
      'portId OK',
      'empty write INVALID_PARAM',
      '17-byte write INVALID_CONFIG',
      'read on a source INVALID_MODE',
      'queuing call on a sampling port INVALID_PARAM',
      'unknown port id INVALID_PARAM',
      'create in NORMAL INVALID_MODE',
      'portId after restart INVALID_CONFIG',
    ]);
  });
});
