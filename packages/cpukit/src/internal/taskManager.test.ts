import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { RTEMS_BINARY_SEMAPHORE, RTEMS_COUNTING_SEMAPHORE, RTEMS_DEFAULT_ATTRIBUTES, RTEMS_FLOATING_POINT, RTEMS_GLOBAL, RTEMS_INHERIT_PRIORITY, RTEMS_PRIORITY, RTEMS_PRIORITY_CEILING, RTEMS_SYSTEM_TASK } from '../attributes.js';
import type { TaskConfig } from '../directiveConfig.js';
import { RTEMS_EVENT_1 } from '../eventSet.js';
import { InternalError } from '../fatalSource.js';
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
import {
  RTEMS_CURRENT_PRIORITY,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_NO_WAIT,
  RTEMS_PENDING_EVENTS,
  RTEMS_SEARCH_OTHER_NODES,
  RTEMS_SELF,
  RTEMS_WAIT,
  RTEMS_YIELD_PROCESSOR,
} from '../options.js';
import { nameToString } from '../objectName.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, harness, switches } from './testHarness.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

function create(rtems: Rtems, name: string, priority: number, modes = RTEMS_DEFAULT_MODES): number {
  const { status, id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, modes, RTEMS_DEFAULT_ATTRIBUTES);
  if (status !== RtemsStatus.SUCCESSFUL) throw new Error(`create ${name}: ${status}`);
  return id;
}

describe('Task Manager: preemption and the Deterministic Priority Scheduler (C User\'s Guide, Scheduling Concepts)', () => {
  it('a preemptible task that readies a more important task loses the processor at once', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.taskStart(create(rtems, 'HIGH', 5), exiting(function* () {
          h.note('HIGH runs');
        }), 0);
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
        yield* rtems.taskStart(create(rtems, 'HIGH', 5), exiting(function* (rtems) {
          h.note('HIGH runs');
          yield* rtems.taskWakeAfter(2);
          h.note('HIGH again');
        }), 0);
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
        yield* rtems.taskStart(create(rtems, name, 5), exiting(function* (rtems) {
          for (let i = 0; i < 2; i++) {
            h.note(`${name}${i}`);
            yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR);
          }
        }), 0);
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
        yield* rtems.taskStart(w, exiting(function* (rtems) {
          yield* rtems.taskWakeAfter(2);
          h.note('W woke');
          yield* rtems.taskWakeAfter(100);
        }), 0);
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
        yield* rtems.taskStart(a, exiting(function* (rtems) {
          h.note('A runs');
          yield* rtems.taskWakeAfter(1);
        }), 0);
        const raised = yield* rtems.taskSetPriority(a, 5);
        const current = yield* rtems.taskSetPriority(a, RTEMS_CURRENT_PRIORITY);
        // RTEMS 6 tasksetpriority.c: the task first (INVALID_ID whatever the priority), and
        // INVALID_PRIORITY still reports the current priority.
        const invalid = yield* rtems.taskSetPriority(a, 256);
        const badId = yield* rtems.taskSetPriority(0x0a010009, 7);
        const badBoth = yield* rtems.taskSetPriority(0x0a010009, 256);
        h.note(`old=${raised.priority} current=${current.priority} invalid=${invalid.status}/${invalid.priority} badId=${badId.status} badBoth=${badBoth.status}/${badBoth.priority}`);
        yield* rtems.taskStart(create(rtems, 'B', 20), exiting(function* () {
          h.note('B runs');
        }), 0);
        const lowered = yield* rtems.taskSetPriority(RTEMS_SELF, 30);
        h.note(`Init at 30, old=${lowered.priority}`);
      },
      { configuration: { initTaskPriority: 10, initTaskInitialModes: RTEMS_PREEMPT } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 A runs', '0 old=20 current=5 invalid=19/5 badId=4 badBoth=4/0', '0 B runs', '0 Init at 30, old=10']);
  });

  it('mode: returns the previous mode, enabling preemption dispatches at once, sets the interrupt level and timeslicing', () => {
    const h = harness(
      function* (rtems, h) {
        yield* rtems.taskStart(create(rtems, 'HIGH', 5), exiting(function* () {
          h.note('HIGH runs');
        }), 0);
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
        // A create refused after it took its object (no stack) frees it to the end of the
        // free list, as _Objects_Free does: index 2 is handed out after 3 and 4.
        const unsatisfied = rtems.taskCreate('U', 5, -1, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).status;
        const ta1 = create(rtems, 'TA1', 5);
        yield* rtems.taskDelete(ta1);
        const ids = ['TA2', 'TA3', 'TA4'].map((name) => hex(create(rtems, name, 5)));
        const full = rtems.taskCreate('TA5', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        const fullNoStack = rtems.taskCreate('TA5', 5, -1, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        h.note(`unsatisfied=${unsatisfied} ta1=${hex(ta1)} then ${ids.join(' ')} full=${full.status} fullNoStack=${fullNoStack.status}`);
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
    // TOO_MANY is answered before the stack is looked at (_RTEMS_tasks_Create allocates first).
    expect(h.log).toEqual([
      '0 unsatisfied=13 ta1=0xa010003 then 0xa010004 0xa010002 0xa010003 full=5 fullNoStack=5',
      '0 self=0xa010001 TA3=0xa010002 packed=0xa010003 none=3 other=3 empty=3',
    ]);
  });

  it('create and start check their arguments: name, priority (0 for system tasks), RTEMS_GLOBAL without effect, entry point, state', () => {
    const h = harness(function* (rtems, h) {
      const attempt = (name: unknown, priority: unknown, attributes = RTEMS_DEFAULT_ATTRIBUTES): string => {
        const { status, id } = rtems.taskCreate(name as string, priority as number, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, attributes);
        return status === RtemsStatus.SUCCESSFUL ? hex(id) : String(status);
      };
      // RTEMS 6 _RTEMS_tasks_Create: INVALID_NAME, then INVALID_PRIORITY (0 is PRIORITY_MINIMUM,
      // refused unless RTEMS_SYSTEM_TASK; above 255 always); RTEMS_GLOBAL is cleared on one node.
      const statuses = [
        attempt('', 5),
        attempt('TOOLONG', 5),
        attempt(0, 5),
        attempt('T', 0),
        attempt('T', 256),
        attempt('T', 1.5),
        attempt('GLOB', 5, RTEMS_GLOBAL),
        attempt('SYS', 0, RTEMS_SYSTEM_TASK),
        attempt('SYS', 256, RTEMS_SYSTEM_TASK),
      ];
      const { id } = rtems.taskCreate('OK', 255, -1, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      const small = rtems.taskCreate('OK', 255, 16, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      const noEntry = yield* rtems.taskStart(small.id, 'nope' as never, 0);
      const first = yield* rtems.taskStart(small.id, exiting(function* () {}), 0);
      const second = yield* rtems.taskStart(small.id, exiting(function* () {}), 0);
      const unknown = yield* rtems.taskStart(0x0a010009, exiting(function* () {}), 0);
      const system = rtems.taskIdent('SYS').id;
      const priority = rtems.taskGetPriority(system, rtems.schedulerIdent('UPD ').id).priority;
      h.note(`${statuses.join(',')} hugeStack=${id === 0} start=${noEntry},${first},${second},${unknown} system priority=${priority}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 3,3,3,19,19,19,0xa010002,0xa010003,19 hugeStack=true start=9,0,14,4 system priority=0']);
  });

  it('deletes another task out of its wait and never returns from deleting itself or from rtems_task_exit', () => {
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
        yield* rtems.taskStart(done, function* (rtems) {
          h.note('exiting');
          yield* rtems.taskExit();
          h.note('after exit');
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
      '0 exiting',
      '1000000 delete=0 again=4 self=4 done=4',
      '11000000 states ready,executing,deleted,deleted,deleted',
    ]);
  });

  it('in interrupt context delete and mode answer RTEMS_CALLED_FROM_ISR; wake when answers its argument errors first', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.timerCreate('TMR');
      const future = { year: 1990, month: 1, day: 1, hour: 0, minute: 0, second: 0, ticks: 0 };
      rtems.timerFireAfter(id, 1, function* (rtems) {
        const when = yield* rtems.taskWakeWhen(future);
        const remove = yield* rtems.taskDelete(RTEMS_SELF);
        const mode = yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0);
        h.note(`in ISR: when=${when} delete=${remove} mode=${mode.status}`);
      });
      yield* rtems.taskWakeAfter(2);
      yield* rtems.clockSet({ ...future, year: 1989 });
      rtems.timerFireAfter(id, 1, function* (rtems) {
        const missing = yield* rtems.taskWakeWhen(null as never);
        const past = yield* rtems.taskWakeWhen({ ...future, year: 1988 });
        h.note(`in ISR after clock set: missing=${missing} past=${past}`);
      });
      yield* rtems.taskWakeAfter(2);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['1000000 in ISR: when=11 delete=18 mode=18', '3000000 in ISR after clock set: missing=9 past=20']);
  });

  it('wake after from an ISR is the fatal error INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL (RTEMS 6 taskwakeafter.c: _Thread_Dispatch_direct)', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 1, function* (rtems) {
        h.note('ISR sleeps');
        yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR);
        h.note('not reached');
      });
      yield* rtems.taskWakeAfter(5);
      h.note('not reached either');
    });
    h.run(10_000_000);
    expect(h.log).toEqual(['1000000 ISR sleeps']);
    expect(h.executive.termination).toEqual({
      kind: 'fatal',
      source: 'INTERNAL_ERROR_CORE',
      code: InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL,
      message: 'rtems_task_wake_after called from an ISR or with dispatching disabled',
    });
  });

  it('wake when with a valid time from an ISR is the same fatal error (taskwakewhen.c)', () => {
    const h = harness(function* (rtems) {
      const tod = { year: 1990, month: 1, day: 1, hour: 0, minute: 0, second: 0, ticks: 0 };
      yield* rtems.clockSet(tod);
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 1, function* (rtems) {
        yield* rtems.taskWakeWhen({ ...tod, hour: 1 });
      });
      yield* rtems.taskWakeAfter(5);
    });
    h.run(10_000_000);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, message: 'rtems_task_wake_when called from an ISR or with dispatching disabled' });
    expect(h.executive.statistics().ticks).toBe(1);
  });
});

describe('rtems_task_construct (RTEMS 6 taskconstruct.c; spec:/rtems/task/req/construct-errors)', () => {
  it('checks the configuration: INVALID_ADDRESS, INVALID_NAME, INVALID_PRIORITY, TOO_MANY, INVALID_SIZE in that order', () => {
    const h = harness(
      function* (rtems, h) {
        const area = new Uint8Array(RTEMS_MINIMUM_STACK_SIZE);
        const config = (overrides: Partial<TaskConfig> = {}): TaskConfig => ({ name: 'CONS', initialPriority: 5, storageArea: area, storageSize: area.length, ...overrides });
        const attempt = (c: unknown): string => {
          const { status, id } = rtems.taskConstruct(c as TaskConfig);
          return status === RtemsStatus.SUCCESSFUL ? hex(id) : String(status);
        };
        h.note(
          [
            attempt(null),
            attempt('config'),
            attempt(config({ name: '' })),
            attempt(config({ initialPriority: 0 })),
            attempt(config({ initialPriority: 256 })),
            // The object is taken, then the storage is found too small: it goes to the end of the free list.
            attempt(config({ storageSize: RTEMS_MINIMUM_STACK_SIZE - 1 })),
            attempt(config({ maximumThreadLocalStorageSize: -1 })),
            attempt(config({ name: 'SYS', initialPriority: 0, attributes: RTEMS_SYSTEM_TASK | RTEMS_FLOATING_POINT })),
            attempt(config({ name: 'GLOB', attributes: RTEMS_GLOBAL, maximumThreadLocalStorageSize: 128 })),
            attempt(config()),
            attempt(config({ storageSize: 0 })),
          ].join(' '),
        );
        h.note(`ident=${hex(rtems.taskIdent('CONS').id)} suspended=${rtems.taskIsSuspended(rtems.taskIdent('CONS').id)}`);
      },
      { configuration: { maximumTasks: 4 } },
    );
    h.run(1_000_000);
    // TOO_MANY comes before the storage check (the last attempt has no valid storage either).
    expect(h.log).toEqual(['0 9 9 3 19 19 8 8 0xa010004 0xa010002 0xa010003 5', '0 ident=0xa010003 suspended=0']);
  });

  it('a constructed task is dormant until started, runs like a created one, and its storage_free handler gets the area when it is freed: at the next task create after it ended (_Thread_Kill_zombies)', () => {
    const h = harness(
      function* (rtems, h) {
        const freed: string[] = [];
        const areas = [new Uint8Array(8192), new Uint8Array(4096)];
        const construct = (name: string, area: Uint8Array): number =>
          rtems.taskConstruct({ name, initialPriority: 5, storageArea: area, storageSize: area.length, storageFree: (a) => freed.push(`${name}:${(a as Uint8Array).length}`) }).id;
        const a = construct('A', areas[0]!);
        const b = construct('B', areas[1]!);
        const sizes: number[] = [];
        rtems.taskIterate((task) => void (task.id === a || task.id === b ? sizes.push(task.stackSize) : undefined), undefined);
        yield* rtems.taskStart(a, function* (rtems) {
          h.note('A runs');
          yield* rtems.taskExit();
        }, 0);
        yield* rtems.taskStart(b, function* (rtems) {
          h.note('B waits');
          yield* rtems.taskWakeAfter(100);
        }, 0);
        yield* rtems.taskWakeAfter(1);
        h.note(`freed after A exited: ${freed.join(' ')}`);
        const c = rtems.taskCreate('C', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).id;
        h.note(`freed after a create: ${freed.join(' ')}`);
        yield* rtems.taskDelete(b);
        h.note(`freed after B was deleted: ${freed.join(' ')} stacks ${sizes.join(' ')}`);
        rtems.taskConstruct({ name: 'D', initialPriority: 5, storageArea: areas[1]!, storageSize: 4096 });
        h.note(`freed after a construct: ${freed.join(' ')}`);
        yield* rtems.taskDelete(c);
      },
      { configuration: { initTaskPriority: 10 } },
    );
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 A runs',
      '0 B waits',
      '1000000 freed after A exited: ',
      '1000000 freed after a create: A:8192',
      '1000000 freed after B was deleted: A:8192 stacks 8192 4096',
      '1000000 freed after a construct: A:8192 B:4096',
    ]);
  });
});

describe('rtems_task_self and rtems_task_iterate (spec:/rtems/task/val/task)', () => {
  it('self is the calling task; in an ISR, the thread it interrupted (IDLE: 0x09010001)', () => {
    const h = harness(function* (rtems, h) {
      h.note(`Init ${hex(rtems.taskSelf())}`);
      const { id } = rtems.timerCreate('T1');
      rtems.timerFireAfter(id, 1, () => h.note(`ISR over ${hex(rtems.taskSelf())}`));
      const { id: later } = rtems.timerCreate('T2');
      rtems.timerFireAfter(later, 3, () => h.note(`ISR over ${hex(rtems.taskSelf())}`));
      yield* rtems.taskStart(create(rtems, 'A', 5), exiting(function* (rtems) {
        h.note(`A ${hex(rtems.taskSelf())}`);
        yield rtems.compute(150_000); // 1.5 ms: the 1 ms tick interrupts A
      }), 0);
      yield* rtems.taskWakeAfter(5);
    });
    h.run(6_000_000);
    expect(h.log).toEqual(['0 Init 0xa010001', '0 A 0xa010002', '1000000 ISR over 0xa010002', '3000000 ISR over 0x9010001']);
  });

  it('iterate visits IDLE, then every task in index order, with the argument, until the visitor returns true', () => {
    const h = harness(function* (rtems, h) {
      const a = create(rtems, 'A', 5);
      yield* rtems.taskStart(a, exiting(function* (rtems) {
        yield* rtems.taskWakeAfter(10);
      }), 0);
      create(rtems, 'B', 6);
      const deleted = create(rtems, 'GONE', 7);
      yield* rtems.taskDelete(deleted);
      yield* rtems.taskSetPriority(a, 3);
      yield* rtems.taskWakeAfter(1);
      const all: string[] = [];
      rtems.taskIterate((task, tag: string) => {
        all.push(`${tag}:${hex(task.id)} ${nameToString(task.name)} ${task.state} ${task.currentPriority}/${task.realPriority}/${task.initialPriority}`);
        return false;
      }, 'v');
      let visits = 0;
      rtems.taskIterate(() => ++visits === 2, undefined);
      rtems.taskIterate('not a function' as never, undefined);
      h.note(all.join(', '));
      h.note(`stopped after ${visits}`);
    });
    h.run(2_000_000);
    expect(h.log).toEqual([
      '1000000 v:0x9010001 IDLE ready 255/255/255, v:0xa010001 UI1  executing 1/1/1, v:0xa010002 A    delaying 3/3/5, v:0xa010003 B    dormant 6/6/6',
      '1000000 stopped after 2',
    ]);
  });
});

describe('rtems_task_restart (RTEMS 6 taskrestart.c, threadrestart.c; spec:/rtems/task/req/restart)', () => {
  it('INVALID_ID, INCORRECT_STATE for a dormant task; another task leaves its wait and suspension and starts over with its initial priority, no events, the new argument', () => {
    const h = harness(
      function* (rtems, h) {
        const { id: sem } = rtems.semaphoreCreate('SEM', 0, RTEMS_COUNTING_SEMAPHORE);
        const dormant = create(rtems, 'DORM', 5);
        h.note(`bad=${yield* rtems.taskRestart(0x0a010009, 1)} dormant=${yield* rtems.taskRestart(dormant, 1)}`);
        const w = create(rtems, 'W', 5);
        yield* rtems.taskStart(w, function* (rtems, argument) {
          const { eventOut } = yield* rtems.eventReceive(RTEMS_PENDING_EVENTS, RTEMS_NO_WAIT, 0);
          const { priority } = yield* rtems.taskSetPriority(RTEMS_SELF, RTEMS_CURRENT_PRIORITY);
          h.note(`W ${argument} prio=${priority} events=${hex(eventOut)} suspended=${rtems.taskIsSuspended(RTEMS_SELF)}`);
          if (argument === 0) {
            yield* rtems.eventSend(RTEMS_SELF, RTEMS_EVENT_1);
            yield* rtems.semaphoreObtain(sem, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
            h.note('W obtained: not reached');
          }
          yield* rtems.taskExit();
        }, 0);
        // W is blocked on the semaphore: lower its priority and suspend it, then restart it.
        yield* rtems.taskSetPriority(w, 12);
        yield* rtems.taskSuspend(w);
        const restarted = yield* rtems.taskRestart(w, 7);
        h.note(`restart=${restarted}`);
        // W left the semaphore's wait queue: a release counts up and an obtain succeeds at once.
        h.note(`release=${yield* rtems.semaphoreRelease(sem)} obtain=${yield* rtems.semaphoreObtain(sem, RTEMS_NO_WAIT, 0)}`);
      },
      { configuration: { initTaskPriority: 10, initTaskInitialModes: RTEMS_PREEMPT } },
    );
    h.run(2_000_000);
    expect(h.log).toEqual(['0 bad=4 dormant=14', '0 W 0 prio=5 events=0x0 suspended=0', '0 W 7 prio=5 events=0x0 suspended=0', '0 restart=0', '0 release=0 obtain=0']);
  });

  it('a restarted ready task goes to the tail of its priority; restarting itself never returns and starts over at its initial interrupt level', () => {
    const h = harness(function* (rtems, h) {
      const s = rtems.taskCreate('S', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_INTERRUPT_LEVEL(1), RTEMS_DEFAULT_ATTRIBUTES).id;
      yield* rtems.taskStart(s, function* (rtems, argument) {
        const level = rtems.interruptDisable();
        rtems.interruptEnable(level);
        h.note(`S ${argument} level=${level}`);
        if (argument < 2) {
          yield* rtems.taskMode(RTEMS_INTERRUPT_LEVEL(0), RTEMS_INTERRUPT_MASK);
          try {
            yield* rtems.taskRestart(RTEMS_SELF, argument + 1);
            h.note('not reached');
          } finally {
            h.note('never unwound');
          }
        }
        yield* rtems.taskExit();
      }, 0);
      for (const name of ['A', 'B']) {
        yield* rtems.taskStart(create(rtems, name, 6), function* (rtems, argument) {
          h.note(`${name} ${argument}`);
          yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR);
          h.note(`${name} again`);
          yield* rtems.taskExit();
        }, 0);
      }
      // A is ready ahead of B; restarted, it goes behind B.
      h.note(`restart A=${yield* rtems.taskRestart(rtems.taskIdent('A').id, 9)}`);
      yield* rtems.taskWakeAfter(1);
    });
    h.run(2_000_000);
    expect(h.log).toEqual(['0 restart A=0', '0 S 0 level=1', '0 S 1 level=1', '0 S 2 level=1', '0 B 0', '0 A 9', '0 B again', '0 A again']);
  });

  it('from an ISR the interrupted task is restarted (SUCCESSFUL) and starts over after the ISR, its interrupted compute step dropped', () => {
    const h = harness(function* (rtems, h) {
      const c = create(rtems, 'C', 5);
      yield* rtems.taskStart(c, function* (rtems, argument) {
        h.note(`C ${argument}`);
        if (argument === 0) for (;;) yield rtems.compute(150_000);
        yield* rtems.taskExit();
      }, 0);
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 2, function* (rtems) {
        h.note(`ISR restart=${yield* rtems.taskRestart(RTEMS_SELF, 1)}`);
      });
      yield* rtems.taskWakeAfter(5);
      h.note('Init back');
    });
    h.run(6_000_000);
    expect(h.log).toEqual(['0 C 0', '2000000 ISR restart=0', '2000000 C 1', '5000000 Init back']);
  });

  it('restarting itself with thread dispatching disabled is the fatal error INTERNAL_ERROR_BAD_THREAD_DISPATCH_DISABLE_LEVEL', () => {
    const h = harness(function* (rtems, h) {
      const tod = { year: 1990, month: 1, day: 1, hour: 0, minute: 0, second: 0, ticks: 0 };
      const { id } = rtems.timerCreate('TMR');
      yield* rtems.clockSet(tod);
      // A time-of-day timer whose time a clock set passes fires inside rtems_clock_set, in
      // the calling task's context with dispatching disabled.
      rtems.timerFireWhen(id, { ...tod, second: 1 }, function* (rtems) {
        h.note('routine restarts its task');
        yield* rtems.taskRestart(RTEMS_SELF, 0);
      });
      yield* rtems.clockSet({ ...tod, second: 5 });
      h.note('not reached');
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 routine restarts its task']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL, message: 'task restarted itself with dispatching disabled' });
  });
});

describe('priorities and the scheduler: rtems_task_get_priority, get/set_scheduler, rtems_scheduler_ident (RTEMS 6, one processor)', () => {
  it('the one scheduler is "UPD " (0x0f010001); get_priority and get_scheduler check the scheduler, then the task', () => {
    const h = harness(function* (rtems, h) {
      const sched = rtems.schedulerIdent('UPD ');
      const padded = rtems.schedulerIdent('UPD');
      h.note(`ident=${sched.status} ${hex(sched.id)} padded=${hex(padded.id)} other=${rtems.schedulerIdent('EDF ').status} zero=${rtems.schedulerIdent(0).status}`);
      const get = (task: number, scheduler: number): string => {
        const { status, priority } = rtems.taskGetPriority(task, scheduler);
        return `${status}/${priority}`;
      };
      h.note(`priority self=${get(RTEMS_SELF, sched.id)} badScheduler=${get(RTEMS_SELF, 0x0f010002)} badBoth=${get(0x0a010009, 0)} badTask=${get(0x0a010009, sched.id)}`);
      const home = rtems.taskGetScheduler(RTEMS_SELF);
      h.note(`scheduler=${home.status} ${hex(home.id)} bad=${rtems.taskGetScheduler(0x0a010009).status}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 ident=0 0xf010001 padded=0xf010001 other=3 zero=3', '0 priority self=0/1 badScheduler=4/0 badBoth=4/0 badTask=4/0', '0 scheduler=0 0xf010001 bad=4']);
  });

  it('get_priority reports the current priority (inheritance included); set_scheduler refuses a task on a wait queue or raised by a semaphore, else sets its real and initial priority', () => {
    const h = harness(function* (rtems, h) {
      const sched = rtems.schedulerIdent('UPD ').id;
      const { id: mutex } = rtems.semaphoreCreate('MTX', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_INHERIT_PRIORITY);
      const low = create(rtems, 'LOW', 20);
      yield* rtems.taskStart(low, exiting(function* (rtems) {
        yield* rtems.semaphoreObtain(mutex, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        yield* rtems.taskWakeAfter(10);
        yield* rtems.semaphoreRelease(mutex);
      }), 0);
      const high = create(rtems, 'HIGH', 5);
      yield* rtems.taskStart(high, exiting(function* (rtems) {
        yield* rtems.taskWakeAfter(1);
        yield* rtems.semaphoreObtain(mutex, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        yield* rtems.semaphoreRelease(mutex);
      }), 0);
      const d = create(rtems, 'D', 30);
      yield* rtems.taskStart(d, function* (rtems, argument) {
        if (argument === 0) yield* rtems.taskWakeAfter(100);
        h.note(`D ${argument} at ${rtems.taskGetPriority(RTEMS_SELF, sched).priority}`);
        yield* rtems.taskExit();
      }, 0);
      yield* rtems.taskWakeAfter(2);
      // HIGH waits for the mutex LOW holds: LOW runs at 5.
      h.note(`LOW current=${rtems.taskGetPriority(low, sched).priority}`);
      const statuses = [
        yield* rtems.taskSetScheduler(RTEMS_SELF, 0x0f010002, 5),
        yield* rtems.taskSetScheduler(0x0a010009, sched, 256),
        yield* rtems.taskSetScheduler(0x0a010009, sched, 5),
        yield* rtems.taskSetScheduler(high, sched, 3),
        yield* rtems.taskSetScheduler(low, sched, 3),
      ];
      const { id: ceiling } = rtems.semaphoreCreate('CEIL', 1, RTEMS_BINARY_SEMAPHORE | RTEMS_PRIORITY | RTEMS_PRIORITY_CEILING, 1);
      yield* rtems.semaphoreObtain(ceiling, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      statuses.push(yield* rtems.taskSetScheduler(RTEMS_SELF, sched, 2));
      yield* rtems.semaphoreRelease(ceiling);
      statuses.push(yield* rtems.taskSetScheduler(RTEMS_SELF, sched, 2), yield* rtems.taskSetScheduler(d, sched, 40));
      h.note(`set_scheduler ${statuses.join(' ')} self=${rtems.taskGetPriority(RTEMS_SELF, sched).priority} D=${rtems.taskGetPriority(d, sched).priority}`);
      // A restart goes back to the priority set_scheduler gave (Start.initial_priority).
      yield* rtems.taskSetPriority(d, 35);
      yield* rtems.taskRestart(d, 1);
      yield* rtems.taskWakeAfter(20);
    });
    h.run(30_000_000);
    expect(h.log).toEqual(['2000000 LOW current=5', '2000000 set_scheduler 4 19 4 12 12 12 0 0 self=2 D=40', '2000000 D 1 at 40']);
  });
});
