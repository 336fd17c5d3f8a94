/**
 * rtems.apex through bsp-virtualpok on kernel-core's TestHost (loopback channels inside
 * the one partition), on both processor models: ports created and used through hypercalls,
 * a receiver blocked until the PORT_UPDATED virtual interrupt serves it, a sender blocked on
 * a full queue retried at the next WINDOW_START, status, schedule and HM calls mapped to
 * ARINC return codes - and no port interrupt at all for a partition without ports.
 */
import { i386Architecture } from '@paravirt/cpu-i386';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import {
  APEX_INFINITE_TIME_VALUE,
  type Application,
  ApexReturnCode,
  OperatingMode,
  PortDirection,
  QueuingDiscipline,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_MINIMUM_STACK_SIZE,
  type Rtems,
  type TaskEntry,
  Validity,
} from '@paravirt/cpukit';
import type { Architecture } from '@paravirt/machine';
import { Status, VirtualLine } from '@paravirt/paravirt-api';
import { TestHost, type TestHostOptions } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import { type VirtualPokGuest, virtualPokGuest } from './virtualPokGuest.js';
import { toApexReturnCode, VIRTUALPOK_MAX_MESSAGE_SIZE, virtualPokPortProblem } from './virtualPokPartitionServices.js';

const MS = 1_000_000;
const boards: Array<[string, Architecture]> = [
  ['i386', i386Architecture],
  ['sparc', sparcArchitecture],
];
const PORTS = [
  { name: 'out', kind: 'sampling', direction: 'source', maxMessageSize: 16, maxMessages: 1, refreshPeriod: 50 * MS },
  { name: 'in', kind: 'sampling', direction: 'destination', maxMessageSize: 16, maxMessages: 1, refreshPeriod: 50 * MS },
  { name: 'qs', kind: 'queuing', direction: 'source', maxMessageSize: 8, maxMessages: 2, refreshPeriod: 0 },
  { name: 'qd', kind: 'queuing', direction: 'destination', maxMessageSize: 8, maxMessages: 2, refreshPeriod: 0 },
] as const;
const CHANNELS = [
  { source: 'out', destination: 'in' },
  { source: 'qs', destination: 'qd' },
];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (message: Uint8Array | undefined): string => (message === undefined ? '-' : new TextDecoder().decode(message));
const code = (value: ApexReturnCode): string => ApexReturnCode[value];

/** Creates and starts a task whose body ends with rtems_task_exit (a body that returns is a fatal error, as in RTEMS). */
function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, void, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  yield* rtems.taskStart(
    id,
    function* (rtems, argument) {
      yield* body(rtems, argument);
      yield* rtems.taskExit();
    },
    0,
  );
}

function host(architecture: Architecture, application: Application, options: Partial<TestHostOptions> = {}) {
  let guest: VirtualPokGuest | undefined;
  const factory = virtualPokGuest({ application, name: 'p0', architecture });
  const testHost = new TestHost({ platform: architecture.board.create({ memorySize: 4 << 20 }), guest: (start) => (guest = factory(start)), name: 'p0', ports: PORTS, channels: CHANNELS, ...options });
  testHost.start();
  return { testHost, guest: () => guest! };
}

const ports: Application = {
  name: 'ports-test',
  description: 'sampling and queuing ports over the loopback channels of TestHost',
  configuration: { maximumTasks: 2, microsecondsPerTick: 1000 },
  *init(rtems) {
    const apex = rtems.apex!;
    const out = apex.createSamplingPort('out', 16, PortDirection.SOURCE, 50 * MS);
    const input = apex.createSamplingPort('in', 16, PortDirection.DESTINATION, 50 * MS);
    // Larger than the 8 KiB hypercall scratch buffer can move: refused by the BSP itself.
    const huge = apex.createQueuingPort('qs', 9000, 2, PortDirection.SOURCE, QueuingDiscipline.FIFO);
    const qs = apex.createQueuingPort('qs', 8, 2, PortDirection.SOURCE, QueuingDiscipline.FIFO);
    const qd = apex.createQueuingPort('qd', 8, 2, PortDirection.DESTINATION, QueuingDiscipline.FIFO);
    const unknown = apex.createSamplingPort('nowhere', 16, PortDirection.SOURCE, 50 * MS);
    rtems.printf('create %s %s %s %s, nowhere %s, 9000 bytes %s\n', code(out.returnCode), code(input.returnCode), code(qs.returnCode), code(qd.returnCode), code(unknown.returnCode), code(huge.returnCode));
    const read = () => {
      const { returnCode, message, validity, ageNs } = apex.readSamplingMessage(input.id, 16);
      return `${code(returnCode)} ${text(message)} ${Validity[validity]} age ${ageNs === 0 ? '0' : ageNs > 50 * MS ? '> 50ms' : '<= 50ms'}`;
    };
    rtems.printf('read %s\n', read());
    rtems.printf('write %s, read %s\n', code(apex.writeSamplingMessage(out.id, bytes('hello'))), read());
    yield* spawn(rtems, 'RCV', 5, function* (rtems) {
      for (let status: ApexReturnCode = ApexReturnCode.NO_ERROR; status === ApexReturnCode.NO_ERROR; ) {
        const { returnCode, message } = yield* rtems.apex!.receiveQueuingMessage(qd.id, 8, APEX_INFINITE_TIME_VALUE);
        rtems.printf('RCV %s %s at tick %u\n', code(returnCode), text(message), rtems.clockGetTicksSinceBoot());
        status = returnCode;
      }
    });
    yield* rtems.taskWakeAfter(10);
    rtems.printf('send %s at tick %u\n', code(apex.trySendQueuingMessage(qs.id, bytes('ping'))), rtems.clockGetTicksSinceBoot());
    yield* rtems.taskWakeAfter(60);
    rtems.printf('read %s\n', read());
    const status = apex.getPortStatus(qd.id).status!;
    rtems.printf('qd: %u/%u messages, %u waiting\n', status.messages, status.maxMessages, status.waitingProcesses);
    const partition = apex.getPartitionStatus().status!;
    const schedule = apex.getScheduleStatus().status!;
    rtems.printf('partition %u %s, schedule %u -> %u\n', partition.identifier, OperatingMode[partition.operatingMode], schedule.currentSchedule, schedule.nextSchedule);
    rtems.printf('set schedule 1 %s, 0 %s\n', code(apex.setModuleSchedule(1)), code(apex.setModuleSchedule(0)));
    rtems.printf('error %s\n', code(apex.raiseApplicationError('sensor lost')));
    rtems.exit(0);
  },
};

const sender: Application = {
  name: 'sender-test',
  description: 'a sender blocked on a full queue',
  configuration: { maximumTasks: 2, microsecondsPerTick: 1000 },
  *init(rtems) {
    const apex = rtems.apex!;
    const qs = apex.createQueuingPort('qs', 8, 2, PortDirection.SOURCE, QueuingDiscipline.FIFO).id;
    const qd = apex.createQueuingPort('qd', 8, 2, PortDirection.DESTINATION, QueuingDiscipline.FIFO).id;
    const sends = ['a', 'b', 'c'].map((message) => code(apex.trySendQueuingMessage(qs, bytes(message))));
    rtems.printf('sends %s\n', sends.join(' '));
    yield* spawn(rtems, 'SND', 5, function* (rtems) {
      const result = yield* rtems.apex!.sendQueuingMessage(qs, bytes('c'), APEX_INFINITE_TIME_VALUE);
      rtems.printf('SND c %s\n', code(result));
    });
    yield* rtems.taskWakeAfter(1);
    // Room in the queue, made by this partition itself: no port interrupt announces it.
    const { message } = apex.tryReceiveQueuingMessage(qd, 8);
    rtems.printf('received %s at tick %u, %u waiting\n', text(message), rtems.clockGetTicksSinceBoot(), apex.getPortStatus(qs).status!.waitingProcesses);
    yield* rtems.taskWakeAfter(15);
    const rest = [apex.tryReceiveQueuingMessage(qd, 8), apex.tryReceiveQueuingMessage(qd, 8), apex.tryReceiveQueuingMessage(qd, 8)];
    rtems.printf('then %s\n', rest.map((result) => `${code(result.returnCode)}:${text(result.message)}`).join(' '));
    rtems.exit(0);
  },
};

describe.each(boards)('rtems.apex through bsp-virtualpok on %s (TestHost loopback channels)', (_arch, architecture) => {
  it('creates ports, moves sampling and queuing messages through hypercalls, and wakes a blocked receiver with PORT_UPDATED', () => {
    const { testHost, guest } = host(architecture, ports);
    testHost.run(200 * MS);
    expect(testHost.consoleText()).toBe(
      [
        'create NO_ERROR NO_ERROR NO_ERROR NO_ERROR, nowhere INVALID_CONFIG, 9000 bytes INVALID_CONFIG',
        'read NO_ACTION - INVALID age 0',
        'write NO_ERROR, read NO_ERROR hello VALID age 0',
        'send NO_ERROR at tick 10',
        'RCV NO_ERROR ping at tick 10',
        'read NO_ERROR hello INVALID age > 50ms',
        'qd: 0/2 messages, 1 waiting',
        // The BSP ended initialisation (NORMAL) when the guest first idled.
        'partition 0 NORMAL, schedule 0 -> 0',
        'set schedule 1 INVALID_CONFIG, 0 NO_ACTION',
        'error NO_ERROR',
        '',
      ].join('\n'),
    );
    expect(testHost.hmEvents.map((event) => [event.error, event.detail])).toEqual([['APPLICATION_ERROR', 'sensor lost']]);
    // One PORT_UPDATED per message that arrived (the sampling write and the queuing send).
    expect(testHost.interrupts.raised[VirtualLine.PORT_UPDATED]).toBe(2);
    expect(testHost.interrupts.delivered[VirtualLine.PORT_UPDATED]).toBe(2);
    expect(guest().partitionServices!.notifications).toBeGreaterThanOrEqual(2);
    expect(testHost.faults).toEqual([]);
  });

  it('retries a sender blocked on a full queue at the partition\'s next window start (WINDOW_START), not before', () => {
    // The partition runs 4 ms of every 10 ms.
    const { testHost } = host(architecture, sender, { window: { period: 10 * MS, duration: 4 * MS } });
    testHost.run(10 * MS - 1);
    expect(testHost.consoleText()).toBe(['sends NO_ERROR NO_ERROR NOT_AVAILABLE', 'received a at tick 1, 1 waiting', ''].join('\n'));
    // Served in the next window (10-14 ms), right after the missed ticks are caught up.
    testHost.run(14 * MS);
    expect(testHost.consoleText()).toContain('SND c NO_ERROR\n');
    testHost.run(30 * MS);
    expect(testHost.consoleText()).toBe(['sends NO_ERROR NO_ERROR NOT_AVAILABLE', 'received a at tick 1, 1 waiting', 'SND c NO_ERROR', 'then NO_ERROR:b NO_ERROR:c NOT_AVAILABLE:-', ''].join('\n'));
    expect(testHost.interrupts.delivered[VirtualLine.WINDOW_START]).toBe(2);
  });

  it('takes no port interrupt in a partition that creates no port', () => {
    const quiet: Application = {
      name: 'quiet',
      description: 'no ports',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems) {
        rtems.printf('apex %s\n', rtems.apex === undefined ? 'absent' : 'present');
        yield* rtems.taskWakeAfter(50);
      },
    };
    const { testHost } = host(architecture, quiet, { window: { period: 10 * MS, duration: 4 * MS } });
    testHost.run(30 * MS);
    expect(testHost.consoleText()).toBe('apex present\n');
    expect(testHost.interrupts.isMasked(VirtualLine.PORT_UPDATED)).toBe(true);
    expect(testHost.interrupts.raised[VirtualLine.WINDOW_START]).toBe(0);
  });
});

describe('the largest port message', () => {
  it('is the scratch buffer less the SamplingInfo (8176 bytes): a configured port of 8176 bytes is created, 8177 is refused, and a checker gets the reason', () => {
    expect(VIRTUALPOK_MAX_MESSAGE_SIZE).toBe(8176);
    expect(virtualPokPortProblem(8176)).toBeUndefined();
    expect(virtualPokPortProblem(8177)).toBe(
      "8177-byte messages do not fit the paravirtual BSP's 8192-byte hypercall scratch buffer with the 16-byte SamplingInfo of a read: an RTEMS partition's ports carry at most 8176 bytes",
    );
    const big: Application = {
      name: 'big-ports',
      description: 'ports at the limit',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems) {
        const apex = rtems.apex!;
        const fits = apex.createQueuingPort('fits', 8176, 1, PortDirection.SOURCE, QueuingDiscipline.FIFO);
        const over = apex.createSamplingPort('over', 8177, PortDirection.SOURCE, 50 * MS);
        rtems.printf('8176 %s, 8177 %s\n', code(fits.returnCode), code(over.returnCode));
        yield* rtems.taskWakeAfter(1);
      },
    };
    const { testHost, guest } = host(boards[0]![1], big, {
      ports: [
        { name: 'fits', kind: 'queuing', direction: 'source', maxMessageSize: 8176, maxMessages: 1, refreshPeriod: 0 },
        { name: 'over', kind: 'sampling', direction: 'source', maxMessageSize: 8177, maxMessages: 1, refreshPeriod: 50 * MS },
      ],
      channels: [],
    });
    testHost.run(5 * MS);
    expect(testHost.consoleText()).toBe('8176 NO_ERROR, 8177 INVALID_CONFIG\n');
    expect(guest().partitionServices!.maxMessageSize).toBe(VIRTUALPOK_MAX_MESSAGE_SIZE);
  });
});

describe('paravirt-api status -> ARINC 653 return code', () => {
  it('keeps ARINC codes 0-6 and maps the API\'s own codes', () => {
    expect([Status.OK, Status.NO_ACTION, Status.NOT_AVAILABLE, Status.INVALID_PARAM, Status.INVALID_CONFIG, Status.INVALID_MODE, Status.TIMED_OUT].map(toApexReturnCode)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([Status.PERMISSION, Status.BAD_ADDRESS, Status.UNKNOWN_HYPERCALL].map(toApexReturnCode)).toEqual([
      ApexReturnCode.INVALID_CONFIG,
      ApexReturnCode.INVALID_PARAM,
      ApexReturnCode.INVALID_CONFIG,
    ]);
  });
});
