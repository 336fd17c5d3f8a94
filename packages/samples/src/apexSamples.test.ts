/**
 * The ARINC 653 demos (producer, consumer, modeswitch) on cpukit's createTestSystem with
 * its in-memory TestPartitionServices: "other partitions" are the test, which injects
 * messages at chosen instants and drains the producer's queue. Each screen is compared
 * byte for byte with its golden (src/golden/*.scn); across partitions on real kernels the
 * runner's tests (apps/runner/test/ports.test.ts) show them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Application, PortDirection, PortKind, QueuingDiscipline } from '@paravirt/cpukit';
import { type TestPartitionServicesOptions, type TestSystem, createTestSystem } from '@paravirt/cpukit/test';
import { describe, expect, it } from 'vitest';
import { consumer, modeswitch, producer } from './index.js';

const MS = 1_000_000;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (message: Uint8Array): string => new TextDecoder().decode(message);

/** This implementation's exact screen; UPDATE_GOLDEN=1 rewrites it (on purpose only). */
function golden(name: string, actual: string): string {
  const path = fileURLToPath(new URL(`./golden/${name}.scn`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual, 'latin1');
  return readFileSync(path, 'latin1');
}

const screen = (system: TestSystem): string => Buffer.from(system.consoleBytes()).toString('latin1');

const PRODUCER_PORTS: TestPartitionServicesOptions = {
  ports: [
    { name: 'out', kind: PortKind.SAMPLING, direction: PortDirection.SOURCE, maxMessageSize: 16, refreshPeriodNs: 200 * MS },
    { name: 'records', kind: PortKind.QUEUING, direction: PortDirection.SOURCE, maxMessageSize: 32, maxMessages: 4, discipline: QueuingDiscipline.FIFO },
  ],
};

const CONSUMER_PORTS: TestPartitionServicesOptions = {
  ports: [
    { name: 'in', kind: PortKind.SAMPLING, direction: PortDirection.DESTINATION, maxMessageSize: 16, refreshPeriodNs: 200 * MS },
    { name: 'records', kind: PortKind.QUEUING, direction: PortDirection.DESTINATION, maxMessageSize: 32, maxMessages: 4, discipline: QueuingDiscipline.FIFO },
  ],
};

describe('producer', () => {
  it('writes the counter every 100 ms and sends records in bursts of five per second; a full queue is NOT_AVAILABLE', () => {
    const system = createTestSystem({ application: producer, partition: PRODUCER_PORTS });
    let drained: string[] = [];
    // The other side receives everything waiting at 950 ms.
    system.board.queue.at(950 * MS, () => (drained = system.partition!.take('records').map(text)));
    system.run(2050 * MS);
    const output = screen(system);
    expect(output).toBe(golden('producer', output));
    const lines = output.split('\n');
    expect(lines[0]).toBe('producer: t=0ms out <- 1, records <- "record 1": NO_ERROR');
    expect(lines[4]).toBe('producer: t=400ms out <- 5, records <- "record 5": NOT_AVAILABLE');
    expect(lines[10]).toBe('producer: t=1000ms out <- 11, records <- "record 6": NO_ERROR');
    expect(lines[20]).toBe('producer: t=2000ms out <- 21, records <- "record 11": NOT_AVAILABLE');
    expect(drained).toEqual(['record 1', 'record 2', 'record 3', 'record 4']);
    const services = system.partition!;
    expect(text(services.sampleOf('out')!.bytes)).toBe('21');
    expect(services.queueOf('records').map((message) => text(message.bytes))).toEqual(['record 6', 'record 7', 'record 8', 'record 9']);
  });
});

describe('consumer', () => {
  it('prints each sampling value with validity and age, and each record as it arrives, blocking with a 300 ms time-out', () => {
    const system = createTestSystem({ application: consumer, partition: CONSUMER_PORTS });
    const services = () => system.partition!;
    const at = (ms: number, action: () => void) => system.board.queue.at(ms * MS, action);
    // The counter arrives at 50, 150, ... 450 ms, then the producer falls silent.
    for (let value = 1; value <= 5; value++) at(100 * value - 50, () => services().inject('in', bytes(String(value))));
    at(120, () => services().inject('records', bytes('record 1')));
    at(130, () => services().inject('records', bytes('record 2')));
    // Five records at once into a queue of four: the fifth is dropped by the port.
    let accepted: boolean[] = [];
    at(800, () => {
      accepted = [3, 4, 5, 6, 7].map((n) => services().inject('records', bytes(`record ${n}`), false));
      services().notify();
    });
    system.run(1250 * MS);
    const output = screen(system);
    expect(output).toBe(golden('consumer', output));
    expect(accepted).toEqual([true, true, true, true, false]);
    const lines = output.split('\n');
    expect(lines).toContain('consumer: t=0ms in: empty (NO_ACTION)');
    expect(lines).toContain('consumer: t=100ms in: 1 VALID (age 50ms)');
    expect(lines).toContain('consumer: t=700ms in: 5 INVALID (age 250ms)');
    expect(lines).toContain('consumer: t=120ms records: "record 1"');
    expect(lines).toContain('consumer: t=430ms records: TIMED_OUT (nothing for 300 ms)');
    expect(lines.filter((line) => line.includes('records:'))).toEqual([
      'consumer: t=120ms records: "record 1"',
      'consumer: t=130ms records: "record 2"',
      'consumer: t=430ms records: TIMED_OUT (nothing for 300 ms)',
      'consumer: t=730ms records: TIMED_OUT (nothing for 300 ms)',
      'consumer: t=800ms records: "record 3"',
      'consumer: t=800ms records: "record 4"',
      'consumer: t=800ms records: "record 5"',
      'consumer: t=800ms records: "record 6"',
      'consumer: t=1100ms records: TIMED_OUT (nothing for 300 ms)',
    ]);
    // RCVR never polled. One try per receive call (10: at 0, after each of 120, 130, 430,
    // 730, four at 800 - three records waiting, then empty - and after 1100), one per
    // port-updated notification while it was blocked (8: the line does not say which
    // port changed, so the five sampling updates count too, with the arrivals at 120,
    // 130 and 800 ms) and a last one at each time-out (3).
    expect(services().calls.tryReceiveQueuingMessage).toBe(21);
  });
});

describe('modeswitch', () => {
  it('requests schedule 1 after 2 s and reports the switch at the end of the major frame', () => {
    const system = createTestSystem({ application: modeswitch, partition: { majorFrames: [100 * MS, 200 * MS], identifier: 3, periodNs: 100 * MS, durationNs: 20 * MS } });
    system.run(3000 * MS);
    const output = screen(system);
    expect(output).toBe(golden('modeswitch', output));
    expect(output).toBe(
      [
        'modeswitch: partition 3, COLD_START, period 100ms, duration 20ms',
        'modeswitch: t=0ms schedule 0 (next 0), major frame 100ms, last switch at 0ms',
        'modeswitch: t=2000ms SET_MODULE_SCHEDULE 1: NO_ERROR',
        'modeswitch: t=2000ms schedule 0 (next 1), major frame 100ms, last switch at 0ms',
        'modeswitch: switched',
        'modeswitch: t=2100ms schedule 1 (next 1), major frame 200ms, last switch at 2100ms',
        'modeswitch: SET_MODULE_SCHEDULE 1 again: NO_ACTION',
        '',
      ].join('\n'),
    );
  });
});

describe('on bare metal (no partition services)', () => {
  it.each([
    ['producer', producer],
    ['consumer', consumer],
    ['modeswitch', modeswitch],
  ] as Array<[string, Application]>)('%s prints one line and exits', (name, application) => {
    const system = createTestSystem({ application });
    system.run(100 * MS);
    expect(screen(system)).toBe(`${name}: no ARINC 653 partition services here (bare metal), nothing to do\n`);
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
  });
});
