/**
 * consumer: the destination side of the ARINC 653 ports demo (with `producer`). Two tasks:
 *  - SMPL (priority 10) reads the sampling port `in` every 100 ms and prints the value
 *    with its validity (VALID while younger than the 200 ms refresh period) and its age
 *    (to 10 ms), or that the port is still empty (NO_ACTION);
 *  - RCVR (priority 20) blocks on the queuing port `records` for at most 300 ms
 *    (RECEIVE_QUEUING_MESSAGE with a time-out: no polling) and prints what it gets - a
 *    record, a record with INVALID_CONFIG (the queue overflowed since the last receive,
 *    AIR-style kernels), or TIMED_OUT.
 *
 * Ports the module configuration must declare for this partition, created during
 * initialisation:
 *   in       sampling destination, maxMessageSize 16, refreshPeriod 200ms
 *   records  queuing destination,  maxMessageSize 32, maxMessages 4, discipline fifo
 * with channels producer.out -> consumer.in and producer.records -> consumer.records.
 * On bare metal (no partition services) it prints one line and exits.
 */
import {
  type Application,
  ApexReturnCode,
  PortDirection,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_SELF,
  RtemsStatus,
  type TaskEntry,
  Validity,
  apexReturnCodeText,
} from '@paravirt/cpukit';
import { PERIOD_MS, QUEUING_PORT, SAMPLING_PORT, apexOrExit, createDemoPorts, decodeText, nextPeriodTick, nowMs, sleepUntilTick, ticksIn } from './internal/apexDemo.js';

const MS = 1_000_000;

/** How long RCVR waits for a record. */
const RECEIVE_TIMEOUT_MS = 300;

function sampler(port: number): TaskEntry {
  return function* (rtems) {
    const apex = rtems.apex!;
    const period = ticksIn(rtems, PERIOD_MS);
    for (let tick = rtems.clockGetTicksSinceBoot(); ; ) {
      const { returnCode, message, validity, ageNs } = apex.readSamplingMessage(port, SAMPLING_PORT.maxMessageSize);
      // The age to 10 ms: what the demo shows does not depend on the processor's speed.
      const age = Math.round(ageNs / (10 * MS)) * 10;
      const what = returnCode === ApexReturnCode.NO_ERROR ? `${decodeText(message)} ${Validity[validity]} (age ${age}ms)` : `empty (${apexReturnCodeText(returnCode)})`;
      rtems.printf('consumer: t=%ums in: %s\n', nowMs(rtems), what);
      tick = nextPeriodTick(rtems, tick, period);
      yield* sleepUntilTick(rtems, tick);
    }
  };
}

function receiver(port: number): TaskEntry {
  return function* (rtems) {
    const apex = rtems.apex!;
    const timeout = ticksIn(rtems, RECEIVE_TIMEOUT_MS);
    for (;;) {
      const { returnCode, message } = yield* apex.receiveQueuingMessage(port, QUEUING_PORT.maxMessageSize, timeout);
      const t = nowMs(rtems);
      switch (returnCode) {
        case ApexReturnCode.NO_ERROR:
          rtems.printf('consumer: t=%ums records: "%s"\n', t, decodeText(message));
          break;
        case ApexReturnCode.INVALID_CONFIG:
          rtems.printf('consumer: t=%ums records: "%s" (INVALID_CONFIG: the queue overflowed)\n', t, decodeText(message));
          break;
        case ApexReturnCode.TIMED_OUT:
          rtems.printf('consumer: t=%ums records: TIMED_OUT (nothing for %u ms)\n', t, RECEIVE_TIMEOUT_MS);
          break;
        default:
          rtems.printf('consumer: t=%ums records: %s, giving up\n', t, apexReturnCodeText(returnCode));
          return;
      }
    }
  };
}

export const consumer: Application = {
  name: 'consumer',
  description:
    'ARINC 653 ports demo, destination side: reads sampling port "in" (16 bytes, refresh 200ms) every 100 ms and prints value, validity and age; blocks on queuing port "records" (32 bytes, 4 messages, fifo) with a 300 ms time-out and prints what arrives, TIMED_OUT included',
  configuration: { maximumTasks: 3, microsecondsPerTick: 1000 },
  *init(rtems) {
    const apex = apexOrExit(rtems, 'consumer');
    const ports = createDemoPorts(rtems, apex, 'consumer', PortDirection.DESTINATION);
    for (const [name, priority, entry] of [
      ['SMPL', 10, sampler(ports.sampling)],
      ['RCVR', 20, receiver(ports.queuing)],
    ] as const) {
      const created = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      if (created.status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(created.status);
      const started = yield* rtems.taskStart(created.id, entry, 0);
      if (started !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(started);
    }
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
