/**
 * The Timer Server and rtems_timer_get_information, as RTEMS 6 has them (cpukit/rtems/src/
 * timerserver.c, timerserverfireafter.c, timerserverfirewhen.c, timercreate.c _Timer_Fire
 * and _Timer_Cancel, timergetinfo.c; rtems-central spec:/rtems/timer/req/initiate-server,
 * server-fire-after, server-fire-when). The harness runs at 100 MHz (10 ns per cycle) with
 * a 1 ms tick and no executive costs; the Init task is priority 1 and not preemptible.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_FLOATING_POINT } from '../attributes.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE } from '../options.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import {
  RTEMS_TIMER_SERVER_DEFAULT_PRIORITY,
  TIMER_DORMANT,
  TIMER_INTERVAL,
  TIMER_INTERVAL_ON_TASK,
  TIMER_TIME_OF_DAY,
  TIMER_TIME_OF_DAY_ON_TASK,
} from '../timer.js';
import { timeOfDayToSeconds } from '../timeOfDay.js';
import { exiting, harness } from './testHarness.js';

const NINE = { year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 0, ticks: 0 };
const DEFAULT = RTEMS_TIMER_SERVER_DEFAULT_PRIORITY;
const MIN = RTEMS_MINIMUM_STACK_SIZE;
const hex = (n: number): string => `0x${n.toString(16)}`;
const nothing = (): void => {};

/** Where a routine runs: in an ISR or not, and which task is executing. */
const context = (rtems: Rtems): string => `ISR ${rtems.interruptIsInProgress()} task ${hex(rtems.taskSelf())}`;

function task(rtems: Rtems, name: string, priority: number): number {
  const { status, id } = rtems.taskCreate(name, priority, MIN, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  if (status !== RtemsStatus.SUCCESSFUL) throw new Error(`create ${name}: ${status}`);
  return id;
}

describe('rtems_timer_initiate_server (timerserver.c, spec:/rtems/timer/req/initiate-server)', () => {
  it('INVALID_PRIORITY, TOO_MANY and UNSATISFIED leave no server; it is initiated once, INCORRECT_STATE after', () => {
    const h = harness(
      function* (rtems, h) {
        const { id: timer } = rtems.timerCreate('TMR');
        const filler = task(rtems, 'FILL', 10);
        const statuses: RtemsStatus[] = [
          rtems.timerServerFireAfter(timer, 1, nothing),
          // INCORRECT_STATE comes before NOT_DEFINED (the clock is not set).
          rtems.timerServerFireWhen(timer, NINE, nothing),
          // The task create's checks: the priority before the object.
          yield* rtems.timerInitiateServer(256, MIN, RTEMS_DEFAULT_ATTRIBUTES),
          yield* rtems.timerInitiateServer(-2, MIN, RTEMS_DEFAULT_ATTRIBUTES),
          // maximumTasks 2: Init and FILL hold both task objects.
          yield* rtems.timerInitiateServer(DEFAULT, MIN, RTEMS_DEFAULT_ATTRIBUTES),
        ];
        yield* rtems.taskDelete(filler);
        statuses.push(
          // A stack size that is not a size_t: the stack cannot be allocated.
          yield* rtems.timerInitiateServer(DEFAULT, 2 ** 32, RTEMS_DEFAULT_ATTRIBUTES),
          rtems.timerServerFireAfter(timer, 1, nothing),
          yield* rtems.timerInitiateServer(DEFAULT, MIN, RTEMS_FLOATING_POINT),
          yield* rtems.timerInitiateServer(DEFAULT, MIN, RTEMS_DEFAULT_ATTRIBUTES),
          yield* rtems.timerInitiateServer(256, 2 ** 32, RTEMS_DEFAULT_ATTRIBUTES),
        );
        h.note(statuses.map((status) => RtemsStatus[status]).join(' '));
        const server = rtems.taskIdent('TIME');
        const scheduler = rtems.schedulerIdent('UPD ').id;
        h.note(`TIME ${RtemsStatus[server.status]} ${hex(server.id)} priority ${rtems.taskGetPriority(server.id, scheduler).priority}`);
        const states: string[] = [];
        rtems.taskIterate((visit) => void states.push(`${hex(visit.id)} ${visit.state}`), undefined);
        // Init is not preemptible: the server has not run yet.
        h.note(states.join(', '));
        yield* rtems.taskWakeAfter(1);
        states.length = 0;
        rtems.taskIterate((visit) => void states.push(`${hex(visit.id)} ${visit.state}`), undefined);
        // It ran as soon as Init blocked, found nothing to do and waits for its system event.
        h.note(states.join(', '));
      },
      { configuration: { maximumTasks: 2 } },
    );
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 INCORRECT_STATE INCORRECT_STATE INVALID_PRIORITY INVALID_PRIORITY TOO_MANY UNSATISFIED INCORRECT_STATE SUCCESSFUL INCORRECT_STATE INCORRECT_STATE',
      '0 TIME SUCCESSFUL 0xa010002 priority 0',
      '0 0x9010001 ready, 0xa010001 executing, 0xa010002 ready',
      '1000000 0x9010001 ready, 0xa010001 executing, 0xa010002 waiting-for-system-event',
    ]);
  });

  it('a priority of its own: tasks more important than the server run first, the server routine before less important ones', () => {
    const h = harness(function* (rtems, h) {
      h.note(`initiate ${yield* rtems.timerInitiateServer(10, MIN, RTEMS_DEFAULT_ATTRIBUTES)}`);
      for (const [name, priority] of [
        ['P5', 5],
        ['P20', 20],
      ] as const) {
        const id = task(rtems, name, priority);
        yield* rtems.taskStart(
          id,
          exiting(function* (rtems) {
            yield* rtems.taskWakeAfter(2);
            h.note(`${name} runs`);
          }),
          0,
        );
      }
      const { id: timer } = rtems.timerCreate('SRV');
      rtems.timerServerFireAfter(timer, 2, (rtems) => h.note(`server routine, ${context(rtems)}`));
      yield* rtems.taskWakeAfter(5);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['0 initiate 0', '2000000 P5 runs', '2000000 server routine, ISR false task 0xa010002', '2000000 P20 runs']);
  });
});

describe('server routines: when and where they run', () => {
  it('after the tick ISR and its interrupt-context routines, in the server task, before every application task', () => {
    const h = harness(function* (rtems, h) {
      yield* rtems.timerInitiateServer(DEFAULT, MIN, RTEMS_DEFAULT_ATTRIBUTES);
      const low = task(rtems, 'LOW', 5);
      yield* rtems.taskStart(
        low,
        exiting(function* (rtems) {
          yield* rtems.taskWakeAfter(3);
          h.note(`LOW, ${context(rtems)}`);
        }),
        0,
      );
      const server = rtems.timerCreate('SRV').id;
      const isr = rtems.timerCreate('ISR').id;
      // Armed first, still after the ISR timer: server routines wait for the end of the ISR.
      h.note(`server fire after ${rtems.timerServerFireAfter(server, 3, (rtems, id, data) => h.note(`server routine ${hex(id)} ${String(data)}, ${context(rtems)}`), 'srv')}`);
      rtems.timerFireAfter(isr, 3, (rtems, id) => h.note(`ISR routine ${hex(id)}, ${context(rtems)}`));
      yield* rtems.taskWakeAfter(3);
      h.note(`Init, ${context(rtems)}`);
    });
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 server fire after 0',
      // The tick interrupted IDLE.
      '3000000 ISR routine 0x12010002, ISR true task 0x9010001',
      '3000000 server routine 0x12010001 srv, ISR false task 0xa010002',
      '3000000 Init, ISR false task 0xa010001',
      '3000000 LOW, ISR false task 0xa010003',
    ]);
  });

  it('the server is not preemptible and its routines may block; timers that expire meanwhile wait their turn, in order', () => {
    const h = harness(function* (rtems, h) {
      yield* rtems.timerInitiateServer(10, MIN, RTEMS_DEFAULT_ATTRIBUTES);
      const high = task(rtems, 'HIGH', 5);
      yield* rtems.taskStart(
        high,
        exiting(function* (rtems) {
          yield* rtems.taskWakeAfter(3);
          h.note('HIGH runs');
        }),
        0,
      );
      const a = rtems.timerCreate('A').id;
      const b = rtems.timerCreate('B').id;
      const c = rtems.timerCreate('C').id;
      rtems.timerServerFireAfter(a, 2, function* (rtems) {
        h.note('A starts');
        yield rtems.compute(150_000); // 1.5 ms: the tick at 3 ms readies HIGH, which must wait
        h.note('A computed');
        const status = yield* rtems.taskWakeAfter(2);
        h.note(`A woke ${status}, ${context(rtems)}`);
      });
      rtems.timerServerFireAfter(c, 4, () => h.note('C runs'));
      rtems.timerServerFireAfter(b, 3, () => h.note('B runs'));
      yield* rtems.taskWakeAfter(10);
    });
    h.run(10_000_000);
    expect(h.log).toEqual([
      '2000000 A starts',
      '3500000 A computed',
      '3500000 HIGH runs',
      // B expired at 3 ms and C at 4 ms while A's routine ran or slept: they run after it, in expiry order.
      '5000000 A woke 0, ISR false task 0xa010002',
      '5000000 B runs',
      '5000000 C runs',
    ]);
  });

  it('a server fire when runs its routine in the server task at the time of day, also when rtems_clock_set passes it', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.timerInitiateServer(DEFAULT, MIN, RTEMS_DEFAULT_ATTRIBUTES);
        const { id } = rtems.timerCreate('TOD');
        const at = (rtems: Rtems): string => {
          const { tod } = rtems.clockGetTod();
          return `${tod!.hour}:${tod!.minute}:${tod!.second}`;
        };
        const notSet = rtems.timerServerFireWhen(id, { ...NINE, second: 1 }, nothing);
        yield* rtems.clockSet(NINE);
        const statuses = [
          notSet,
          // RTEMS 6's order: the routine before the time, even an invalid one; then the time.
          rtems.timerServerFireWhen(id, { ...NINE, day: 32 }, undefined as never),
          rtems.timerServerFireWhen(id, undefined as never, nothing),
          rtems.timerServerFireWhen(id, { ...NINE, day: 32 }, nothing),
          rtems.timerServerFireWhen(id, NINE, nothing),
          rtems.timerServerFireWhen(0x12010009, { ...NINE, second: 1 }, nothing),
          rtems.timerServerFireWhen(id, { ...NINE, second: 1 }, (rtems) => h.note(`fired at ${at(rtems)}, ${context(rtems)}`)),
        ];
        h.note(statuses.map((status) => RtemsStatus[status]).join(' '));
        h.note(`class ${rtems.timerGetInformation(id).information!.theClass} reset ${RtemsStatus[rtems.timerReset(id)]}`);
        yield* rtems.taskWakeAfter(150);
        rtems.timerServerFireWhen(id, { ...NINE, hour: 10 }, (rtems) => h.note(`fired by clock set at ${at(rtems)}, ${context(rtems)}`));
        yield* rtems.clockSet({ ...NINE, hour: 11 });
        // Init is not preemptible: the server runs when it blocks.
        h.note('clock set');
        yield* rtems.taskWakeAfter(1);
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(2_000_000_000);
    expect(h.log).toEqual([
      '0 NOT_DEFINED INVALID_ADDRESS INVALID_ADDRESS INVALID_CLOCK INVALID_CLOCK INVALID_ID SUCCESSFUL',
      `0 class ${TIMER_TIME_OF_DAY_ON_TASK} reset NOT_DEFINED`,
      '1000000000 fired at 9:0:1, ISR false task 0xa010002',
      '1500000000 clock set',
      '1500000000 fired by clock set at 11:0:0, ISR false task 0xa010002',
    ]);
  });

  it('server fire after checks its arguments as fire after does: INVALID_NUMBER, INVALID_ADDRESS, INVALID_ID', () => {
    const h = harness(function* (rtems, h) {
      yield* rtems.timerInitiateServer(DEFAULT, MIN, RTEMS_DEFAULT_ATTRIBUTES);
      const { id } = rtems.timerCreate('T');
      const statuses = [
        rtems.timerServerFireAfter(id, 0, nothing),
        rtems.timerServerFireAfter(id, 2 ** 32, nothing),
        rtems.timerServerFireAfter(id, 1, 'x' as never),
        rtems.timerServerFireAfter(0x12010005, 1, nothing),
        rtems.timerServerFireAfter(id, 1, nothing),
      ];
      h.note(statuses.map((status) => RtemsStatus[status]).join(' '));
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 INVALID_NUMBER INVALID_NUMBER INVALID_ADDRESS INVALID_ID SUCCESSFUL']);
  });
});

describe('rtems_timer_get_information, cancel, reset and re-arming of server timers (timercreate.c _Timer_Cancel)', () => {
  it('an expired server timer that has not run yet is cancelled, or taken back by a fire after; information follows each step', () => {
    const h = harness(function* (rtems, h) {
      yield* rtems.timerInitiateServer(10, MIN, RTEMS_DEFAULT_ATTRIBUTES);
      const s1 = rtems.timerCreate('S1').id;
      const s2 = rtems.timerCreate('S2').id;
      const s3 = rtems.timerCreate('S3').id;
      const info = (id: number): string => {
        const { status, information } = rtems.timerGetInformation(id);
        if (information === undefined) return RtemsStatus[status];
        return `class ${information.theClass} initial ${information.initial} start ${information.startTime} stop ${information.stopTime}`;
      };
      h.note(`dormant: ${info(s1)}; bad id: ${info(0x12010009)}`);
      yield* rtems.taskWakeAfter(1);
      rtems.timerServerFireAfter(s1, 2, () => h.note('S1 ran'));
      rtems.timerServerFireAfter(s2, 2, () => h.note('S2 ran in the server'));
      rtems.timerServerFireAfter(s3, 5, (rtems) => h.note(`S3 ran, ${context(rtems)}`));
      // Init (priority 1, not preemptible) works through the tick at 3 ms: S1 and S2 expire and wait for the server.
      yield rtems.compute(250_000);
      h.note(`S1 pending: ${info(s1)}`);
      h.note(`cancel ${rtems.timerCancel(s1)}: ${info(s1)}`);
      h.note(`fire after ${rtems.timerFireAfter(s2, 1, (rtems) => h.note(`S2 ran, ${context(rtems)}`))}: ${info(s2)}`);
      h.note(`reset ${rtems.timerReset(s3)}: ${info(s3)}`);
      yield* rtems.taskWakeAfter(10);
      h.note(`S1: ${info(s1)}; S2: ${info(s2)}; S3: ${info(s3)}`);
      h.note(`reset ISR interval ${rtems.timerReset(s2)}: ${info(s2)}`);
      h.note(`delete ${rtems.timerDelete(s2)} then ${info(s2)}`);
    });
    h.run(20_000_000);
    expect(h.log).toEqual([
      `0 dormant: class ${TIMER_DORMANT} initial 0 start 0 stop 0; bad id: INVALID_ID`,
      `3500000 S1 pending: class ${TIMER_INTERVAL_ON_TASK} initial 2 start 1 stop 3`,
      `3500000 cancel 0: class ${TIMER_INTERVAL_ON_TASK} initial 2 start 1 stop 3`,
      `3500000 fire after 0: class ${TIMER_INTERVAL} initial 1 start 3 stop 3`,
      // Reset: cancelled (stop time now) and scheduled 5 ticks from now; class, routine and start time kept.
      `3500000 reset 0: class ${TIMER_INTERVAL_ON_TASK} initial 5 start 1 stop 3`,
      '4000000 S2 ran, ISR true task 0x9010001',
      '8000000 S3 ran, ISR false task 0xa010002',
      `13000000 S1: class ${TIMER_INTERVAL_ON_TASK} initial 2 start 1 stop 3; S2: class ${TIMER_INTERVAL} initial 1 start 3 stop 4; S3: class ${TIMER_INTERVAL_ON_TASK} initial 5 start 1 stop 8`,
      `13000000 reset ISR interval 0: class ${TIMER_INTERVAL} initial 1 start 3 stop 4`,
      '13000000 delete 0 then INVALID_ID',
    ]);
  });

  it('fire when keeps the time of day (seconds since 1988) as its initial value; as rtems_timer_get_information reports it', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.clockSet(NINE);
        const { id } = rtems.timerCreate('W');
        rtems.timerFireWhen(id, { ...NINE, minute: 1 }, nothing);
        const { information } = rtems.timerGetInformation(id);
        h.note(`class ${information!.theClass} initial ${information!.initial === timeOfDayToSeconds({ ...NINE, minute: 1 })}`);
        yield 1;
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual([`0 class ${TIMER_TIME_OF_DAY} initial true`]);
  });
});
