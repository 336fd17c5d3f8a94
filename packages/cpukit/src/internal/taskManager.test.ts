import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_GLOBAL } from '../attributes.js';
import {
  RTEMS_CURRENT_MODE,
  RTEMS_DEFAULT_MODES,
  RTEMS_INTERRUPT_LEVEL,
  RTEMS_INTERRUPT_MASK,
  RTEMS_PREEMPT,
  RTEMS_PREEMPT_MASK,
  RTEMS_TIMESLICE,
  RTEMS_TIMESLICE_MASK,
} from '../modes.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_MINIMUM_STACK_SIZE, RTEMS_SEARCH_OTHER_NODES, RTEMS_SELF, RTEMS_YIELD_PROCESSOR } from '../options.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { harness, switches } from './testHarness.js';

function create(rtems: Rtems, name: string, priority: number, modes = RTEMS_DEFAULT_MODES): number {
  const { status, id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, modes, RTEMS_DEFAULT_ATTRIBUTES);
  if (status !== RtemsStatus.SUCCESSFUL) throw new Error(`create ${name}: ${status}`);
  return id;
}

describe('Task Manager: preemption and the Deterministic Priority Scheduler (C User\'s Guide, Scheduling Concepts)', () => {
  it('a preemptible task that readies a more important task loses the processor at once', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.taskStart(create(rtems, 'HIGH', 5), function* () {
          h.note('HIGH runs');
        }, 0);
        h.note('Init continues');
      },
      { configuration: { initTaskPriority: 10, initTaskInitialModes: RTEMS_PREEMPT } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 HIGH runs', '0 Init continues']);
  });

  it('a non-preemptible task keeps the processor until it blocks or yields (RTEMS_NO_PREEMPT, the Init default)', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.taskStart(create(rtems, 'HIGH', 5), function* (rtems) {
          h.note('HIGH runs');
          yield* rtems.taskWakeAfter(2);
          h.note('HIGH again');
        }, 0);
        h.note('Init continues');
        yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR);
        h.note('Init back');
        yield rtems.compute(500_000); // 5 ms: the 2 ms wake-up does not preempt Init
        h.note('Init computed');
      },
      { configuration: { initTaskPriority: 10 } },
    );
    h.run(10_000_000);
    expect(h.log).toEqual(['0 Init continues', '0 HIGH runs', '0 Init back', '5000000 Init computed', '5000000 HIGH again']);
  });

  it('runs tasks of equal priority in the order they became ready, and a yield sends the caller to the tail', () => {
    const h = harness(function* (rtems, h) {
      for (const name of ['A', 'B', 'C']) {
        yield* rtems.taskStart(create(rtems, name, 5), function* (rtems) {
          for (let i = 0; i < 2; i++) {
            h.note(`${name}${i}`);
            yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR);
          }
        }, 0);
      }
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 A0', '0 B0', '0 C0', '0 A1', '0 B1', '0 C1']);
  });

  it('timeslicing: a timesliced task that used its quantum (ticksPerTimeslice) goes to the tail of its priority', () => {
    const run = (modes: number): Array<[number, unknown, unknown]> => {
      const sink = new BufferTraceSink();
      const h = harness(
        function* (rtems) {
          for (const name of ['A', 'B']) {
            yield* rtems.taskStart(create(rtems, name, 5, modes), function* (rtems) {
              for (;;) yield rtems.compute(40_000); // 0.4 ms steps
            }, 0);
          }
          yield* rtems.taskDelete(RTEMS_SELF);
        },
        { configuration: { ticksPerTimeslice: 3 }, trace: new TraceRecorder(sink) },
      );
      h.run(9_500_000);
      return switches(sink.records);
    };
    expect(run(RTEMS_TIMESLICE)).toEqual([
      [0, null, 'UI1 '],
      [0, 'UI1 ', 'A   '],
      [3_000_000, 'A   ', 'B   '],
      [6_000_000, 'B   ', 'A   '],
      [9_000_000, 'A   ', 'B   '],
    ]);
    // Without timeslicing, equal priorities never preempt each other.
    expect(run(RTEMS_DEFAULT_MODES)).toEqual([
      [0, null, 'UI1 '],
      [0, 'UI1 ', 'A   '],
    ]);
  });
});

describe('Task Manager directives (C User\'s Guide, Task Manager)', () => {
  it('suspend / resume: ALREADY_SUSPENDED, INCORRECT_STATE, and a suspended task whose wait ends stays suspended', () => {
    const h = harness(
      function* (rtems, h) {
        const w = create(rtems, 'W', 5);
        yield* rtems.taskStart(w, function* (rtems) {
          yield* rtems.taskWakeAfter(2);
          h.note('W woke');
          yield* rtems.taskWakeAfter(100);
        }, 0);
        const first = yield* rtems.taskSuspend(w);
        const again = yield* rtems.taskSuspend(w);
        const state = h.executive.statistics().threads.find((t) => t.id === w)!.state;
        h.note(`suspend=${first} again=${again} is=${rtems.taskIsSuspended(w)} state=${state}`);
        yield* rtems.taskWakeAfter(3);
        h.note(`W state=${h.executive.statistics().threads.find((t) => t.id === w)!.state}`);
        const resumed = yield* rtems.taskResume(w);
        h.note(`resume=${resumed} again=${yield* rtems.taskResume(w)} is=${rtems.taskIsSuspended(w)} bad=${rtems.taskIsSuspended(0x0a010009)}`);
      },
      { configuration: { initTaskPriority: 10, initTaskInitialModes: RTEMS_PREEMPT } },
    );
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 suspend=0 again=15 is=15 state=suspended+delaying',
      '3000000 W state=suspended',
      '3000000 W woke',
      '3000000 resume=0 again=14 is=0 bad=4',
    ]);
  });

  it('set priority: returns the old priority, queries with RTEMS_CURRENT_PRIORITY, and may preempt the caller', () => {
    const h = harness(
      function* (rtems, h) {
        const a = create(rtems, 'A', 20);
        yield* rtems.taskStart(a, function* (rtems) {
          h.note('A runs');
          yield* rtems.taskWakeAfter(1);
        }, 0);
        const raised = yield* rtems.taskSetPriority(a, 5);
        const current = yield* rtems.taskSetPriority(a, RTEMS_CURRENT_PRIORITY);
        const invalid = yield* rtems.taskSetPriority(a, 256);
        const badId = yield* rtems.taskSetPriority(0x0a010009, 7);
        h.note(`old=${raised.priority} current=${current.priority} invalid=${invalid.status} badId=${badId.status}`);
        yield* rtems.taskStart(create(rtems, 'B', 20), function* () {
          h.note('B runs');
        }, 0);
        const lowered = yield* rtems.taskSetPriority(RTEMS_SELF, 30);
        h.note(`Init at 30, old=${lowered.priority}`);
      },
      { configuration: { initTaskPriority: 10, initTaskInitialModes: RTEMS_PREEMPT } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 A runs', '0 old=20 current=5 invalid=19 badId=4', '0 B runs', '0 Init at 30, old=10']);
  });

  it('mode: returns the previous mode, enabling preemption dispatches at once, sets the interrupt level and timeslicing', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.taskStart(create(rtems, 'HIGH', 5), function* () {
          h.note('HIGH runs');
        }, 0);
        h.note('still Init');
        const preempt = yield* rtems.taskMode(RTEMS_PREEMPT, RTEMS_PREEMPT_MASK);
        h.note(`previous=0x${preempt.previousMode.toString(16)}`);
        yield* rtems.taskMode(RTEMS_INTERRUPT_LEVEL(1) | RTEMS_TIMESLICE, RTEMS_INTERRUPT_MASK | RTEMS_TIMESLICE_MASK);
        const query = yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0);
        h.note(`mode=0x${query.previousMode.toString(16)} disable=${rtems.interruptDisable()}`);
        yield* rtems.taskMode(RTEMS_INTERRUPT_LEVEL(0), RTEMS_INTERRUPT_MASK);
        h.note(`enabled=${h.processor.interruptsEnabled}`);
      },
      { configuration: { initTaskPriority: 10 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 still Init', '0 HIGH runs', '0 previous=0x100', '0 mode=0x201 disable=1', '0 enabled=true']);
  });

  it('wake after sleeps exactly the given ticks; wake when waits for a time of day and checks it', () => {
    const h = harness(
      function* (rtems, h) {
        const early = yield* rtems.taskWakeWhen({ year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 2, ticks: 0 });
        h.note(`before set ${early}`);
        yield* rtems.taskWakeAfter(3);
        h.note('after 3 ticks');
        yield* rtems.clockSet({ year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 0, ticks: 0 });
        const past = yield* rtems.taskWakeWhen({ year: 1988, month: 12, day: 31, hour: 8, minute: 59, second: 59, ticks: 0 });
        const now = yield* rtems.taskWakeWhen({ year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 0, ticks: 0 });
        const invalid = yield* rtems.taskWakeWhen({ year: 1988, month: 13, day: 1, hour: 0, minute: 0, second: 0, ticks: 0 });
        const missing = yield* rtems.taskWakeWhen(null as never);
        h.note(`past=${past} now=${now} invalid=${invalid} missing=${missing}`);
        // The ticks field is ignored (500 would be invalid at 100 ticks per second).
        const status = yield* rtems.taskWakeWhen({ year: 1988, month: 12, day: 31, hour: 9, minute: 0, second: 2, ticks: 500 });
        const { tod } = rtems.clockGetTod();
        h.note(`woke ${status} at ${tod!.hour}:${tod!.minute}:${tod!.second}.${tod!.ticks}`);
      },
      { configuration: { microsecondsPerTick: 10_000 } },
    );
    h.run(3_000_000_000);
    expect(h.log).toEqual(['0 before set 11', '30000000 after 3 ticks', '30000000 past=20 now=20 invalid=20 missing=9', '2030000000 woke 0 at 9:0:2.0']);
  });

  it('object ids, ident (RTEMS_WHO_AM_I, by name, other nodes), TOO_MANY at maximumTasks and RTEMS id reuse order', () => {
    const h = harness(
      function* (rtems, h) {
        const hex = (n: number): string => `0x${n.toString(16)}`;
        const ta1 = create(rtems, 'TA1', 5);
        yield* rtems.taskDelete(ta1);
        const ids = ['TA2', 'TA3', 'TA4'].map((name) => hex(create(rtems, name, 5)));
        const full = rtems.taskCreate('TA5', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        h.note(`ta1=${hex(ta1)} then ${ids.join(' ')} full=${full.status}`);
        h.note(
          [
            `self=${hex(rtems.taskIdent(0).id)}`,
            `TA3=${hex(rtems.taskIdent('TA3').id)}`,
            `packed=${hex(rtems.taskIdent(rtems.buildName('T', 'A', '4', ' ')).id)}`,
            `none=${rtems.taskIdent('NONE').status}`,
            `other=${rtems.taskIdent('TA3', RTEMS_SEARCH_OTHER_NODES).status}`,
            `empty=${rtems.taskIdent('').status}`,
          ].join(' '),
        );
      },
      { configuration: { maximumTasks: 4 } },
    );
    h.run(1_000_000);
    // The freed index 2 goes to the end of the free list: 3 and 4 are handed out first.
    expect(h.log).toEqual([
      '0 ta1=0xa010002 then 0xa010003 0xa010004 0xa010002 full=5',
      '0 self=0xa010001 TA3=0xa010004 packed=0xa010002 none=3 other=3 empty=3',
    ]);
  });

  it('create and start check their arguments: name, priority, MP, entry point, state', () => {
    const h = harness(function* (rtems, h) {
      const attempt = (name: unknown, priority: unknown, attributes = RTEMS_DEFAULT_ATTRIBUTES): RtemsStatus =>
        rtems.taskCreate(name as string, priority as number, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, attributes).status;
      const statuses = [attempt('', 5), attempt('TOOLONG', 5), attempt(0, 5), attempt('T', 0), attempt('T', 256), attempt('T', 1.5), attempt('T', 5, RTEMS_GLOBAL)];
      const { id } = rtems.taskCreate('OK', 255, -1, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      const small = rtems.taskCreate('OK', 255, 16, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      const noEntry = yield* rtems.taskStart(small.id, 'nope' as never, 0);
      const first = yield* rtems.taskStart(small.id, function* () {}, 0);
      const second = yield* rtems.taskStart(small.id, function* () {}, 0);
      const unknown = yield* rtems.taskStart(0x0a010009, function* () {}, 0);
      h.note(`${statuses.join(',')} hugeStack=${id === 0} start=${noEntry},${first},${second},${unknown}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 3,3,3,19,19,19,2 hugeStack=true start=9,0,14,4']);
  });

  it('deletes another task out of its wait, never returns from deleting itself, and treats a returning body as exit', () => {
    const h = harness(
      function* (rtems, h) {
        const sleeper = create(rtems, 'SLP', 5);
        yield* rtems.taskStart(sleeper, function* (rtems) {
          yield* rtems.taskWakeAfter(5);
          h.note('sleeper woke');
        }, 0);
        const self = create(rtems, 'SELF', 5);
        yield* rtems.taskStart(self, function* (rtems) {
          h.note('deleting myself');
          yield* rtems.taskDelete(RTEMS_SELF);
          h.note('after self delete');
        }, 0);
        const done = create(rtems, 'DONE', 5);
        yield* rtems.taskStart(done, function* () {
          h.note('returning');
        }, 0);
        yield* rtems.taskWakeAfter(1);
        const deleted = yield* rtems.taskDelete(sleeper);
        h.note(`delete=${deleted} again=${yield* rtems.taskDelete(sleeper)} self=${rtems.taskIsSuspended(self)} done=${rtems.taskIsSuspended(done)}`);
        yield* rtems.taskWakeAfter(10);
        h.note(`states ${h.executive.statistics().threads.map((t) => t.state).join(',')}`);
      },
      { configuration: { initTaskPriority: 10 } },
    );
    h.run(20_000_000);
    expect(h.log).toEqual([
      '0 deleting myself',
      '0 returning',
      '1000000 delete=0 again=4 self=4 done=4',
      '11000000 states ready,executing,deleted,deleted,deleted',
    ]);
  });

  it('refuses to sleep or delete in interrupt context: RTEMS_CALLED_FROM_ISR', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 1, function* (rtems) {
        const sleep = yield* rtems.taskWakeAfter(1);
        const when = yield* rtems.taskWakeWhen({ year: 1990, month: 1, day: 1, hour: 0, minute: 0, second: 0, ticks: 0 });
        const remove = yield* rtems.taskDelete(RTEMS_SELF);
        const mode = yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0);
        h.note(`in ISR: ${sleep} ${when} ${remove} ${mode.status}`);
      });
      yield* rtems.taskWakeAfter(2);
    });
    h.run(3_000_000);
    expect(h.log).toEqual(['1000000 in ISR: 18 18 18 18']);
  });
});
