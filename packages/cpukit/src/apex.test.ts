/**
 * rtems.apex over the in-memory TestPartitionServices: ARINC 653 Part 1 argument checks and
 * return codes, sampling validity, and the blocking queuing services built on the score -
 * woken by the port-updated interrupt at the exact instant, timed out by the tick, served
 * in the port's FIFO or priority order, never polling while blocked.
 */
import { describe, expect, it } from 'vitest';
import { ApexReturnCode } from './apexReturnCode.js';
import { APEX_INFINITE_TIME_VALUE, OperatingMode, PortDirection, PortKind, QueuingDiscipline, Validity } from './apexTypes.js';
import { RTEMS_DEFAULT_ATTRIBUTES } from './attributes.js';
import { exiting, harness, type Harness } from './internal/testHarness.js';
import type { TestPartitionServicesOptions } from './internal/testPartitionServices.js';
import { RTEMS_DEFAULT_MODES } from './modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF } from './options.js';
import type { Rtems, TaskEntry } from './rtems.js';

const MS = 1_000_000;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (message: Uint8Array | undefined): string => (message === undefined ? '-' : new TextDecoder().decode(message));

function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  yield* rtems.taskStart(id, exiting(body), 0);
  return id;
}

const PORTS: TestPartitionServicesOptions = {
  ports: [
    { name: 'out', kind: PortKind.SAMPLING, direction: PortDirection.SOURCE, maxMessageSize: 16, refreshPeriodNs: 200 * MS },
    { name: 'in', kind: PortKind.SAMPLING, direction: PortDirection.DESTINATION, maxMessageSize: 16, refreshPeriodNs: 200 * MS },
    { name: 'fq', kind: PortKind.QUEUING, direction: PortDirection.DESTINATION, maxMessageSize: 8, maxMessages: 4, discipline: QueuingDiscipline.FIFO },
    { name: 'pq', kind: PortKind.QUEUING, direction: PortDirection.DESTINATION, maxMessageSize: 8, maxMessages: 4, discipline: QueuingDiscipline.PRIORITY },
    { name: 'tx', kind: PortKind.QUEUING, direction: PortDirection.SOURCE, maxMessageSize: 8, maxMessages: 2 },
  ],
  channels: [{ source: 'out', destination: 'in' }],
};

function apexHarness(init: (rtems: Rtems, h: Harness) => Generator<number, void, unknown>, options: TestPartitionServicesOptions = PORTS): Harness {
  return harness(init, { partition: options });
}

describe('rtems.apex (ARINC 653 APEX services over BspHooks.partition)', () => {
  it('is undefined on a BSP without partition services (bare metal)', () => {
    const h = harness(function* (rtems, h) {
      h.note(`apex ${rtems.apex === undefined ? 'undefined' : 'defined'}`);
    });
    h.run(MS);
    expect(h.log).toEqual(['0 apex undefined']);
  });

  it('creates ports with ARINC 653 P1 CREATE_*_PORT return codes: INVALID_CONFIG, NO_ACTION, INVALID_MODE in NORMAL', () => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const sampling = (name: string, size: number, direction: number, refresh: number) => {
        const { returnCode, id } = apex.createSamplingPort(name, size, direction as PortDirection, refresh);
        return returnCode === ApexReturnCode.NO_ERROR ? `id${id}` : ApexReturnCode[returnCode];
      };
      h.note(
        [
          sampling('', 16, PortDirection.SOURCE, 200 * MS),
          sampling('x'.repeat(31), 16, PortDirection.SOURCE, 200 * MS),
          sampling('out', 0, PortDirection.SOURCE, 200 * MS),
          sampling('out', 16, 7, 200 * MS),
          sampling('out', 16, PortDirection.SOURCE, -1),
          sampling('nowhere', 16, PortDirection.SOURCE, 200 * MS),
          sampling('out', 8, PortDirection.SOURCE, 200 * MS),
          sampling('fq', 8, PortDirection.DESTINATION, 0),
          sampling('out', 16, PortDirection.SOURCE, 200 * MS),
          sampling('out', 16, PortDirection.SOURCE, 200 * MS),
        ].join(' '),
      );
      const queuing = (discipline: number) => {
        const { returnCode, id } = apex.createQueuingPort('fq', 8, 4, PortDirection.DESTINATION, discipline as QueuingDiscipline);
        return returnCode === ApexReturnCode.NO_ERROR ? `id${id}` : ApexReturnCode[returnCode];
      };
      h.note(`${queuing(5)} ${queuing(QueuingDiscipline.PRIORITY)} ${queuing(QueuingDiscipline.FIFO)}`);
      h.note(`mode ${ApexReturnCode[apex.setPartitionMode(OperatingMode.NORMAL)]} then ${ApexReturnCode[apex.setPartitionMode(OperatingMode.NORMAL)]}`);
      h.note(`in ${ApexReturnCode[apex.createSamplingPort('in', 16, PortDirection.DESTINATION, 200 * MS).returnCode]}`);
    });
    h.run(MS);
    expect(h.log).toEqual([
      '0 INVALID_CONFIG INVALID_CONFIG INVALID_CONFIG INVALID_CONFIG INVALID_CONFIG INVALID_CONFIG INVALID_CONFIG INVALID_CONFIG id1 NO_ACTION',
      '0 INVALID_CONFIG INVALID_CONFIG id3',
      '0 mode NO_ERROR then NO_ACTION',
      '0 in INVALID_MODE',
    ]);
  });

  it('checks every port call before the services see it: unknown port INVALID_PARAM, wrong direction INVALID_MODE, empty INVALID_PARAM, too long INVALID_CONFIG', () => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const out = apex.createSamplingPort('out', 16, PortDirection.SOURCE, 200 * MS).id;
      const fq = apex.createQueuingPort('fq', 8, 4, PortDirection.DESTINATION, QueuingDiscipline.FIFO).id;
      const tx = apex.createQueuingPort('tx', 8, 2, PortDirection.SOURCE, QueuingDiscipline.FIFO).id;
      const codes = [
        apex.writeSamplingMessage(99, bytes('x')),
        apex.writeSamplingMessage(fq, bytes('x')),
        apex.writeSamplingMessage(out, new Uint8Array(0)),
        apex.writeSamplingMessage(out, bytes('x'.repeat(17))),
        apex.writeSamplingMessage(out, 'text' as never),
        apex.readSamplingMessage(out, 16).returnCode,
        apex.trySendQueuingMessage(fq, bytes('x')),
        apex.trySendQueuingMessage(tx, bytes('123456789')),
        apex.tryReceiveQueuingMessage(tx, 8).returnCode,
        apex.tryReceiveQueuingMessage(fq, -1).returnCode,
        apex.getPortStatus(77).returnCode,
      ];
      h.note(codes.map((code) => ApexReturnCode[code]).join(' '));
      const blocked = [yield* apex.sendQueuingMessage(tx, bytes('x'), -2), (yield* apex.receiveQueuingMessage(fq, 8, 1.5)).returnCode, (yield* apex.receiveQueuingMessage(tx, 8, 1)).returnCode];
      h.note(blocked.map((code) => ApexReturnCode[code]).join(' '));
    });
    h.run(MS);
    expect(h.log).toEqual([
      '0 INVALID_PARAM INVALID_PARAM INVALID_PARAM INVALID_CONFIG INVALID_PARAM INVALID_MODE INVALID_MODE INVALID_CONFIG INVALID_MODE INVALID_PARAM INVALID_PARAM',
      '0 INVALID_PARAM INVALID_PARAM INVALID_MODE',
    ]);
    // None of the refused calls reached the partition services.
    expect(h.partition!.calls.writeSamplingMessage).toBe(0);
    expect(h.partition!.calls.trySendQueuingMessage).toBe(0);
  });

  it('reads sampling messages with their validity against the refresh period and their age', () => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const out = apex.createSamplingPort('out', 16, PortDirection.SOURCE, 200 * MS).id;
      const input = apex.createSamplingPort('in', 16, PortDirection.DESTINATION, 200 * MS).id;
      const read = () => {
        const { returnCode, message, validity, ageNs } = apex.readSamplingMessage(input, 16);
        return `${ApexReturnCode[returnCode]} ${text(message)} ${Validity[validity]} ${ageNs}`;
      };
      h.note(read());
      h.note(`write ${ApexReturnCode[apex.writeSamplingMessage(out, bytes('v1'))]}`);
      yield* rtems.taskWakeAfter(150);
      h.note(read());
      yield* rtems.taskWakeAfter(100);
      h.note(read());
      const { status } = apex.getPortStatus(input);
      h.note(`status ${status!.messages} ${Validity[status!.lastValidity]} ${status!.refreshPeriodNs} ${status!.lastWriteNs}`);
    });
    h.run(300 * MS);
    expect(h.log).toEqual([
      '0 NO_ACTION - INVALID 0',
      '0 write NO_ERROR',
      '150000000 NO_ERROR v1 VALID 150000000',
      '250000000 NO_ERROR v1 INVALID 250000000',
      '250000000 status 1 INVALID 200000000 0',
    ]);
  });

  it('blocks a receiver until the port-updated interrupt, which serves it at that exact instant; the task waits, it does not poll', () => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const fq = apex.createQueuingPort('fq', 8, 4, PortDirection.DESTINATION, QueuingDiscipline.FIFO).id;
      yield* spawn(rtems, 'RCV', 5, function* (rtems) {
        const { returnCode, message } = yield* rtems.apex!.receiveQueuingMessage(fq, 8, APEX_INFINITE_TIME_VALUE);
        h.note(`RCV ${ApexReturnCode[returnCode]} ${text(message)}`);
      });
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.board.queue.at(3_456_789, () => h.partition!.inject('fq', bytes('hello')));
    h.run(3 * MS);
    const services = h.partition!;
    expect(h.executive.statistics().threads.find((thread) => thread.name === 'RCV ')?.state).toBe('waiting-for-message');
    expect(services.calls.tryReceiveQueuingMessage).toBe(1);
    // Blocked, not spinning: the processor has been halted in IDLE since the task blocked.
    expect(h.processor.halted).toBe(true);
    h.run(10 * MS);
    expect(h.log).toEqual(['3456789 RCV NO_ERROR hello']);
    expect(services.calls.tryReceiveQueuingMessage).toBe(2);
  });

  it('tries once more when the time-out expires: a message whose notification is still pending is received, not timed out', () => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const fq = apex.createQueuingPort('fq', 8, 4, PortDirection.DESTINATION, QueuingDiscipline.FIFO).id;
      const { returnCode, message } = yield* apex.receiveQueuingMessage(fq, 8, 5);
      h.note(`${ApexReturnCode[returnCode]} ${text(message)}`);
    });
    // It arrives at 4.5 ms, but the port-updated line is not raised (yet).
    h.board.queue.at(4_500_000, () => h.partition!.inject('fq', bytes('late'), false));
    h.run(10 * MS);
    expect(h.log).toEqual(['5000000 NO_ERROR late']);
    expect(h.partition!.calls.tryReceiveQueuingMessage).toBe(2);
  });

  it('times out a blocking receive after its ticks (TIMED_OUT), polls with 0 (NOT_AVAILABLE), and refuses to block in an ISR (INVALID_MODE)', () => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const fq = apex.createQueuingPort('fq', 8, 4, PortDirection.DESTINATION, QueuingDiscipline.FIFO).id;
      h.note(`poll ${ApexReturnCode[(yield* apex.receiveQueuingMessage(fq, 8, 0)).returnCode]}`);
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 2, function* (rtems) {
        const blocking = yield* rtems.apex!.receiveQueuingMessage(fq, 8, 3);
        const polling = yield* rtems.apex!.receiveQueuingMessage(fq, 8, 0);
        h.note(`in ISR ${ApexReturnCode[blocking.returnCode]} ${ApexReturnCode[polling.returnCode]}`);
      });
      h.note(`wait ${ApexReturnCode[(yield* apex.receiveQueuingMessage(fq, 8, 5)).returnCode]}`);
      h.note(`status waiting ${apex.getPortStatus(fq).status!.waitingProcesses}`);
    });
    h.run(10 * MS);
    expect(h.log).toEqual(['0 poll NOT_AVAILABLE', '2000000 in ISR INVALID_MODE NOT_AVAILABLE', '5000000 wait TIMED_OUT', '5000000 status waiting 0']);
  });

  it.each([
    // Each message's interrupt serves the head of the queue, which runs before the next
    // message arrives; the next head's try finds the port empty again (8 tries in all).
    ['FIFO', 'one interrupt per message', 'fq', ['R7 a', 'R5 b', 'R6 c'], 8],
    ['PRIORITY', 'one interrupt per message', 'pq', ['R5 a', 'R6 b', 'R7 c'], 8],
    // One interrupt for three messages: the ISR serves the whole queue in its order
    // (FIFO: R7 a, R5 b, R6 c), then the readied tasks run by priority.
    ['FIFO', 'one interrupt for all', 'fq', ['R5 b', 'R6 c', 'R7 a'], 6],
    ['PRIORITY', 'one interrupt for all', 'pq', ['R5 a', 'R6 b', 'R7 c'], 6],
  ] as const)('serves receivers blocked on a %s port in its order (%s)', (_discipline, arrival, port, served, tries) => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const discipline = port === 'fq' ? QueuingDiscipline.FIFO : QueuingDiscipline.PRIORITY;
      const id = apex.createQueuingPort(port, 8, 4, PortDirection.DESTINATION, discipline).id;
      // They block in the order R7, R5, R6 (after 1, 2 and 3 ticks).
      for (const [name, priority, delay] of [
        ['R7', 7, 1],
        ['R5', 5, 2],
        ['R6', 6, 3],
      ] as const) {
        yield* spawn(rtems, name, priority, function* (rtems) {
          yield* rtems.taskWakeAfter(delay);
          const { message } = yield* rtems.apex!.receiveQueuingMessage(id, 8, APEX_INFINITE_TIME_VALUE);
          h.note(`${name} ${text(message)}`);
        });
      }
      yield* rtems.taskWakeAfter(4);
      h.note(`waiting ${apex.getPortStatus(id).status!.waitingProcesses}`);
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.board.queue.at(5 * MS, () => {
      const services = h.partition!;
      for (const message of ['a', 'b', 'c']) services.inject(port, bytes(message), arrival === 'one interrupt per message');
      if (arrival === 'one interrupt for all') services.notify();
    });
    h.run(10 * MS);
    expect(h.log).toEqual(['4000000 waiting 3', ...served.map((note) => `5000000 ${note}`)]);
    expect(h.partition!.calls.tryReceiveQueuingMessage).toBe(tries);
  });

  it('blocks a sender on a full source port until the other side makes room, and times it out otherwise', () => {
    const h = apexHarness(function* (rtems, h) {
      const apex = rtems.apex!;
      const tx = apex.createQueuingPort('tx', 8, 2, PortDirection.SOURCE, QueuingDiscipline.FIFO).id;
      const send = function* (message: string, timeout: number) {
        return ApexReturnCode[yield* apex.sendQueuingMessage(tx, bytes(message), timeout)];
      };
      h.note(`${yield* send('m1', 0)} ${yield* send('m2', 0)} ${yield* send('m3', 0)}`);
      h.note(`m3 ${yield* send('m3', 10)}`);
      h.note(`m4 ${yield* send('m4', 0)} m5 ${yield* send('m5', 3)}`);
    });
    let taken: string[] = [];
    h.board.queue.at(4 * MS, () => (taken = h.partition!.take('tx').map(text)));
    h.run(20 * MS);
    expect(taken).toEqual(['m1', 'm2']);
    // m5 waits 3 ticks from tick 3: the room made at 4 ms came just before tick 4, so it expires at tick 6.
    expect(h.log).toEqual(['0 NO_ERROR NO_ERROR NOT_AVAILABLE', '4000000 m3 NO_ERROR', '6000000 m4 NO_ERROR m5 TIMED_OUT']);
    expect(h.partition!.queueOf('tx').map((message) => text(message.bytes))).toEqual(['m3', 'm4']);
  });

  it('passes partition status, module schedules and application errors through; SET_PARTITION_MODE(IDLE) does not return', () => {
    const h = apexHarness(
      function* (rtems, h) {
        const apex = rtems.apex!;
        const partition = apex.getPartitionStatus().status!;
        h.note(`partition ${partition.identifier} ${OperatingMode[partition.operatingMode]} ${partition.periodNs}`);
        const schedule = () => {
          const { status } = apex.getScheduleStatus();
          return `${status!.currentSchedule}/${status!.nextSchedule} ${status!.lastSwitchNs} ${status!.majorFrameNs}`;
        };
        h.note(`bad ${ApexReturnCode[apex.setModuleSchedule(5)]} ${ApexReturnCode[apex.setModuleSchedule(-1)]} ${ApexReturnCode[apex.setPartitionMode(9 as OperatingMode)]}`);
        yield* rtems.taskWakeAfter(250);
        h.note(`switch ${ApexReturnCode[apex.setModuleSchedule(1)]} again ${ApexReturnCode[apex.setModuleSchedule(1)]} ${schedule()}`);
        yield* rtems.taskWakeAfter(50);
        h.note(schedule());
        h.note(`errors ${ApexReturnCode[apex.raiseApplicationError('x'.repeat(129))]} ${ApexReturnCode[apex.raiseApplicationError('sensor lost')]}`);
        apex.setPartitionMode(OperatingMode.IDLE);
        h.note('not reached');
      },
      { majorFrames: [100 * MS, 200 * MS], identifier: 2 },
    );
    h.run(400 * MS);
    expect(h.log).toEqual([
      '0 partition 2 COLD_START 100000000',
      '0 bad INVALID_PARAM INVALID_PARAM INVALID_PARAM',
      '250000000 switch NO_ERROR again NO_ACTION 0/1 0 100000000',
      '300000000 1/1 300000000 200000000',
      '300000000 errors INVALID_PARAM NO_ERROR',
    ]);
    expect(h.partition!.applicationErrors.map((error) => [error.timeNs, text(error.bytes)])).toEqual([[300 * MS, 'sensor lost']]);
    expect(h.partition!.mode).toBe(OperatingMode.IDLE);
    expect(h.processor.stopReason).toBe('partition mode IDLE');
  });
});
