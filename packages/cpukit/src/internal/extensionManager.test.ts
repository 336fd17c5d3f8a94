import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import type { ExtensionsTable } from '../extensions.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { nameToString } from '../objectName.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF } from '../options.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, harness } from './testHarness.js';

const x = (id: number): string => id.toString(16);
const hex = (id: number): string => `0x${x(id)}`;

type Events = Array<[key: string, tag: string]>;

/** An extension set whose every extension records `[what(arguments), tag]`. */
function logging(tag: string, events: Events): ExtensionsTable {
  const add = (key: string): void => void events.push([key, tag]);
  return {
    threadCreate: (_, executing, created) => {
      add(`create(${x(executing)},${x(created)})`);
      return true;
    },
    threadStart: (_, executing, started) => add(`start(${x(executing)},${x(started)})`),
    threadRestart: (_, executing, restarted) => add(`restart(${x(executing)},${x(restarted)})`),
    threadDelete: (_, executing, deleted) => add(`delete(${x(executing)},${x(deleted)})`),
    threadSwitch: (_, executing, heir) => add(`switch(${x(executing)},${x(heir)})`),
    threadBegin: (_, executing) => add(`begin(${x(executing)})`),
    threadExitted: (_, executing) => add(`exitted(${x(executing)})`),
    fatal: (_, source, alwaysSetToFalse, code) => add(`fatal(${source},${alwaysSetToFalse},${code})`),
    threadTerminate: (_, executing) => add(`terminate(${x(executing)})`),
  };
}

/** Consecutive events of one key on one line, with the tags in the order they ran. */
function collapse(events: Events): string[] {
  const lines: string[] = [];
  let last: string | undefined;
  for (const [key, tag] of events) {
    if (key === last) lines[lines.length - 1] += ` ${tag}`;
    else lines.push(`${key} ${tag}`);
    last = key;
  }
  return lines;
}

describe('User Extensions Manager: directives (sapi/src/extension*.c; spec:/rtems/userext/req/create, delete, ident)', () => {
  it('create: INVALID_NAME, then INVALID_ADDRESS (no table), TOO_MANY; ids 0x4a01xxxx reused in RTEMS\'s order; ident (INVALID_NAME) and delete (INVALID_ID)', () => {
    const h = harness(
      function* (rtems, h) {
        const table: ExtensionsTable = {};
        const statuses = [
          rtems.extensionCreate('', table).status,
          rtems.extensionCreate(0, table).status,
          rtems.extensionCreate('', undefined as never).status,
          rtems.extensionCreate('EXT', undefined as never).status,
          rtems.extensionCreate('EXT', null as never).status,
          rtems.extensionCreate('EXT', 5 as never).status,
        ];
        h.note(`errors ${statuses.join(' ')}`);
        const a = rtems.extensionCreate('A', table);
        const b = rtems.extensionCreate('B', table);
        const c = rtems.extensionCreate('C', table);
        const full = rtems.extensionCreate('D', table);
        h.note(`created ${a.status} ${hex(a.id)} ${b.status} ${hex(b.id)} ${c.status} ${hex(c.id)}, full ${full.status} ${hex(full.id)}`);
        h.note(`ident ${hex(rtems.extensionIdent('B').id)} ${rtems.extensionIdent('ZZZ').status} ${rtems.extensionIdent(0).status}`);
        h.note(`name ${nameToString(rtems.objectGetClassicName(b.id).name)} class ${rtems.objectIdGetClass(b.id)}`);
        h.note(`delete ${rtems.extensionDelete(0x4a010009)} ${rtems.extensionDelete(a.id)} ${rtems.extensionDelete(a.id)} ${rtems.extensionDelete(b.id)}, ident ${rtems.extensionIdent('A').status}`);
        const again = [rtems.extensionCreate('E', table), rtems.extensionCreate('F', table)];
        h.note(`reused ${again.map((r) => hex(r.id)).join(' ')}`);
      },
      { configuration: { maximumUserExtensions: 3 } },
    );
    h.run(1_000_000);
    const { INVALID_ADDRESS, INVALID_ID, INVALID_NAME, SUCCESSFUL, TOO_MANY } = RtemsStatus;
    expect(h.log).toEqual([
      `0 errors ${INVALID_NAME} ${INVALID_NAME} ${INVALID_NAME} ${INVALID_ADDRESS} ${INVALID_ADDRESS} ${INVALID_ADDRESS}`,
      `0 created ${SUCCESSFUL} 0x4a010001 ${SUCCESSFUL} 0x4a010002 ${SUCCESSFUL} 0x4a010003, full ${TOO_MANY} 0x0`,
      `0 ident 0x4a010002 ${INVALID_NAME} ${INVALID_NAME}`,
      '0 name B    class 9',
      `0 delete ${INVALID_ID} ${SUCCESSFUL} ${INVALID_ID} ${SUCCESSFUL}, ident ${INVALID_NAME}`,
      // A freed object goes to the end of the free list: A's slot 1, then B's slot 2.
      '0 reused 0x4a010001 0x4a010002',
    ]);
  });

  it('maximumUserExtensions defaults to 0 (TOO_MANY); the table is copied when the set is created', () => {
    const none = harness(
      function* (rtems, h) {
        h.note(`${rtems.extensionCreate('EXT', {}).status}`);
      },
      // Not set: the default (the harness's own configuration sets 10).
      { configuration: { maximumUserExtensions: undefined } as never },
    );
    none.run(1_000_000);
    expect(none.log).toEqual([`0 ${RtemsStatus.TOO_MANY}`]);

    const h = harness(function* (rtems, h) {
      const table: { threadStart: NonNullable<ExtensionsTable['threadStart']> } = { threadStart: () => h.note('first start extension') };
      rtems.extensionCreate('EXT', table);
      table.threadStart = () => h.note('replaced');
      const { id } = rtems.taskCreate('T', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(id, exiting(function* () {}), 0);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 first start extension']);
  });
});

describe('User extensions: where RTEMS 6 calls them and with what (userextimpl.h, threadcreateidle.c, threadstart.c, threadrestart.c, threadhandler.c, threaddispatch.c)', () => {
  it('IDLE is created with no executing thread (0) and is the executing thread until multitasking starts; the first switch is not reported; restart runs in the restarted task before it begins again; delete comes at the next create, by the creator', () => {
    const events: Events = [];
    const h = harness(
      function* (rtems) {
        const { id } = rtems.taskCreate('R', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        yield* rtems.taskStart(
          id,
          function* (rtems, argument) {
            if (argument === 0) yield* rtems.taskRestart(RTEMS_SELF, 1);
            yield* rtems.taskExit();
          },
          0,
        );
        yield* rtems.taskWakeAfter(1);
        rtems.taskCreate('X', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      },
      { configuration: { initialExtensions: [logging('I', events)] } },
    );
    h.run(5_000_000);
    expect(events.map(([key]) => key)).toEqual([
      'create(0,9010001)',
      'start(9010001,9010001)',
      'create(9010001,a010001)',
      'start(9010001,a010001)',
      'begin(a010001)',
      'create(a010001,a010002)',
      'start(a010001,a010002)',
      'switch(a010001,a010002)',
      'begin(a010002)',
      'restart(a010002,a010002)',
      'begin(a010002)',
      'terminate(a010002)',
      'switch(a010002,9010001)',
      'begin(9010001)',
      'switch(9010001,a010001)',
      'delete(a010001,a010002)',
      'create(a010001,a010003)',
      'terminate(a010001)',
      'switch(a010001,9010001)',
    ]);
  });

  it('forward order (initial sets by index, then dynamic sets by creation) for create, start, restart, switch, begin, exitted and fatal; reverse order for terminate and delete', () => {
    const events: Events = [];
    const h = harness(
      function* (rtems) {
        rtems.extensionCreate('D0', logging('D0', events));
        rtems.extensionCreate('D1', logging('D1', events));
        events.length = 0;
        const { id } = rtems.taskCreate('T', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        yield* rtems.taskStart(
          id,
          function* (rtems, argument) {
            if (argument === 0) yield* rtems.taskWakeAfter(100);
            yield* rtems.taskExit();
          },
          0,
        );
        yield* rtems.taskWakeAfter(1);
        yield* rtems.taskRestart(id, 1);
        yield* rtems.taskWakeAfter(1);
        const u = rtems.taskCreate('U', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).id;
        yield* rtems.taskStart(u, function* () {}, 0);
        yield* rtems.taskWakeAfter(1);
      },
      { configuration: { initialExtensions: [logging('I0', events), logging('I1', events)] } },
    );
    h.run(5_000_000);
    expect(collapse(events)).toEqual([
      'create(a010001,a010002) I0 I1 D0 D1',
      'start(a010001,a010002) I0 I1 D0 D1',
      'switch(a010001,a010002) I0 I1 D0 D1',
      'begin(a010002) I0 I1 D0 D1',
      'switch(a010002,9010001) I0 I1 D0 D1',
      'begin(9010001) I0 I1 D0 D1',
      'switch(9010001,a010001) I0 I1 D0 D1',
      'switch(a010001,a010002) I0 I1 D0 D1',
      'restart(a010002,a010002) I0 I1 D0 D1',
      'begin(a010002) I0 I1 D0 D1',
      'terminate(a010002) D1 D0 I1 I0',
      'switch(a010002,9010001) I0 I1 D0 D1',
      'switch(9010001,a010001) I0 I1 D0 D1',
      'delete(a010001,a010002) D1 D0 I1 I0',
      'create(a010001,a010003) I0 I1 D0 D1',
      'start(a010001,a010003) I0 I1 D0 D1',
      'switch(a010001,a010003) I0 I1 D0 D1',
      'begin(a010003) I0 I1 D0 D1',
      'exitted(a010003) I0 I1 D0 D1',
      `fatal(${FatalSource.INTERNAL_ERROR_CORE},false,${InternalError.THREAD_EXITTED}) I0 I1 D0 D1`,
    ]);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_EXITTED });
  });

  it('a create extension that returns false fails the create (UNSATISFIED): the later ones are skipped, every delete extension runs and the storage is freed (_Thread_Initialize, _Thread_Free)', () => {
    const events: Events = [];
    const h = harness(
      function* (rtems, h) {
        const fail = rtems.extensionCreate('FAIL', {
          ...logging('F', events),
          threadCreate: (_, executing, created) => {
            events.push([`create(${x(executing)},${x(created)})`, 'F']);
            return false;
          },
        }).id;
        rtems.extensionCreate('D1', logging('D1', events));
        events.length = 0;
        const area = new Uint8Array(4096);
        const failed = rtems.taskConstruct({ name: 'C', initialPriority: 5, storageArea: area, storageSize: area.length, storageFree: () => void events.push(['storage_free', 'C']) });
        h.note(`construct ${failed.status} ${hex(failed.id)}, ident ${rtems.taskIdent('C').status}`);
        rtems.extensionDelete(fail);
        const created = rtems.taskCreate('C', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        h.note(`create ${created.status} ${hex(created.id)}`);
      },
      { configuration: { initialExtensions: [logging('I0', [])] } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual([`0 construct ${RtemsStatus.UNSATISFIED} 0x0, ident ${RtemsStatus.INVALID_NAME}`, `0 create ${RtemsStatus.SUCCESSFUL} 0xa010003`]);
    expect(collapse(events)).toEqual([
      'create(a010001,a010002) F',
      'delete(a010001,a010002) D1 F',
      'storage_free C',
      'create(a010001,a010003) D1',
      // Init ends (the harness's rtems_task_exit), IDLE begins.
      'terminate(a010001) D1',
      'switch(a010001,9010001) D1',
      'begin(9010001) D1',
    ]);
  });

  it('a create extension failing for IDLE is INTERNAL_ERROR_IDLE_THREAD_CREATE_FAILED, for the Init task INTERNAL_ERROR_RTEMS_INIT_TASK_CREATE_FAILED', () => {
    const events: Events = [];
    const idle = harness(function* () {}, {
      configuration: { initialExtensions: [{ ...logging('I', events), threadCreate: () => false }] },
    });
    idle.run(1_000_000);
    expect(idle.executive.termination).toMatchObject({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.IDLE_THREAD_CREATE_FAILED });
    expect(events.map(([key]) => key)).toEqual(['delete(0,9010001)', 'fatal(0,false,43)']);

    const init = harness(function* () {}, { configuration: { initialExtensions: [{ threadCreate: (_, executing, created) => created !== 0x0a010001 }] } });
    init.run(1_000_000);
    expect(init.executive.termination).toEqual({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.RTEMS_INIT_TASK_CREATE_FAILED, message: 'Init task: RTEMS_UNSATISFIED' });
  });

  it('thread begin and exitted extensions run in the task and may block; an exitted extension that ends the task avoids the fatal error THREAD_EXITTED', () => {
    const h = harness(
      function* (rtems, h) {
        for (const entry of [function* () {}, () => undefined]) {
          const { id } = rtems.taskCreate('RET', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
          yield* rtems.taskStart(id, entry as never, 0);
          yield* rtems.taskWakeAfter(10);
        }
        h.note('Init goes on');
      },
      {
        configuration: {
          initialExtensions: [
            {
              *threadBegin(rtems, executing) {
                if (executing !== 0x0a010001) return;
                yield* rtems.taskWakeAfter(2);
              },
              *threadExitted(rtems, executing) {
                rtems.printf('exitted %x\n', executing);
                yield* rtems.taskWakeAfter(1);
                yield* rtems.taskExit();
              },
            },
          ],
        },
      },
    );
    h.run(30_000_000);
    expect(h.consoleText()).toBe('exitted a010002\nexitted a010003\n');
    expect(h.log).toEqual(['22000000 Init goes on']);
    expect(h.executive.termination).toBeUndefined();
  });

  it('an extension set deleted during an iteration before its turn is skipped; one created during a forward iteration takes part', () => {
    const events: Events = [];
    const ids: number[] = [];
    let target = 0;
    const h = harness(
      function* (rtems) {
        ids.push(rtems.extensionCreate('D0', logging('D0', events)).id);
        ids.push(rtems.extensionCreate('D1', logging('D1', events)).id);
        const { id } = rtems.taskCreate('T', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
        target = id;
        events.length = 0;
        yield* rtems.taskStart(id, exiting(function* () {}), 0);
      },
      {
        configuration: {
          initialExtensions: [
            {
              threadBegin: (rtems, executing) => {
                if (executing !== target) return;
                events.push([`delete D1 ${rtems.extensionDelete(ids[1]!)}`, 'I0']);
                rtems.extensionCreate('D2', logging('D2', events));
              },
            },
          ],
        },
      },
    );
    h.run(1_000_000);
    expect(collapse(events)).toEqual([
      'start(a010001,a010002) D0 D1',
      // Init, not preemptible, ends before T runs.
      'terminate(a010001) D1 D0',
      'switch(a010001,a010002) D0 D1',
      'delete D1 0 I0',
      'begin(a010002) D0 D2',
      'terminate(a010002) D2 D0',
      'switch(a010002,9010001) D0 D2',
      'begin(9010001) D0 D2',
    ]);
  });
});

describe('User extensions: fatal extensions and guest code that misbehaves', () => {
  it('a table whose getter throws makes rtems_extension_create throw into the caller, whose exception it then is', () => {
    const h = harness(function* (rtems) {
      rtems.extensionCreate('EXT', Object.defineProperty({}, 'threadBegin', { get: () => { throw new TypeError('getter'); }, enumerable: true }));
      yield 0;
    });
    expect(() => h.run(1_000_000)).not.toThrow();
    expect(h.executive.termination).toMatchObject({ code: InternalError.GUEST_EXCEPTION, message: 'TypeError: getter' });
  });

  it('exit is _Terminate( RTEMS_FATAL_SOURCE_EXIT, status ) for the fatal extensions; one that throws or ends the system again ends only itself', () => {
    const seen: string[] = [];
    const h = harness(
      function* (rtems) {
        rtems.exit(3);
      },
      {
        configuration: {
          initialExtensions: [
            { fatal: (_, source, always, code) => void seen.push(`first ${source} ${always} ${code}`) },
            {
              fatal: () => {
                throw new TypeError('in a fatal extension');
              },
            },
            { fatal: (rtems) => rtems.fatalErrorOccurred(9) },
            { *fatal(rtems, source) {
              yield rtems.compute(100);
              seen.push(`last ${source}`);
            } },
          ],
        },
      },
    );
    h.run(1_000_000);
    expect(seen).toEqual([`first ${FatalSource.RTEMS_FATAL_SOURCE_EXIT} false 3`, `last ${FatalSource.RTEMS_FATAL_SOURCE_EXIT}`]);
    expect(h.executive.termination).toEqual({ kind: 'exit', status: 3 });
    expect(h.bsp.exitStatus).toBe(3);
  });

  it('rtems_fatal and a guest exception reach the fatal extensions with their source and code before the BSP', () => {
    const run = (init: (rtems: Rtems) => void): { seen: string[]; fatal: unknown } => {
      const seen: string[] = [];
      const h = harness(
        function* (rtems) {
          init(rtems);
        },
        { configuration: { initialExtensions: [{ fatal: (_, source, always, code) => void seen.push(`${source} ${always} ${hex(code)} ${h.bsp.fatalError === undefined}`) }] } },
      );
      h.run(1_000_000);
      return { seen, fatal: h.bsp.fatalError };
    };
    expect(run((rtems) => rtems.fatal(FatalSource.RTEMS_FATAL_SOURCE_APPLICATION, 0x1234))).toEqual({
      seen: ['4 false 0x1234 true'],
      fatal: { source: 'RTEMS_FATAL_SOURCE_APPLICATION', code: 0x1234 },
    });
    expect(
      run(() => {
        throw new RangeError('guest');
      }),
    ).toEqual({ seen: ['0 false 0x100 true'], fatal: { source: 'INTERNAL_ERROR_CORE', code: InternalError.GUEST_EXCEPTION } });
  });

  it('an extension that throws, yields what is not a cycle count or blocks where dispatching is disabled is a fatal error, never a host exception', () => {
    const run = (table: ExtensionsTable): unknown => {
      const h = harness(
        function* (rtems) {
          const { id } = rtems.taskCreate('T', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
          yield* rtems.taskStart(id, exiting(function* () {}), 0);
          yield* rtems.taskWakeAfter(1);
        },
        { configuration: { initialExtensions: [table] } },
      );
      expect(() => h.run(2_000_000)).not.toThrow();
      return h.executive.termination;
    };
    const boom = (): never => {
      throw new TypeError('boom');
    };
    const guest = { kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.GUEST_EXCEPTION, message: 'TypeError: boom' };
    expect(run({ threadCreate: boom })).toEqual(guest);
    expect(run({ threadStart: (_, executing, started) => (started === 0x0a010002 ? boom() : undefined) })).toEqual(guest);
    expect(run({ threadSwitch: boom })).toEqual(guest);
    expect(run({ threadBegin: (_, executing) => (executing === 0x0a010002 ? boom() : undefined) })).toEqual(guest);
    expect(run({ threadTerminate: boom })).toEqual(guest);
    const proxy = new Proxy({}, { get: boom, getPrototypeOf: boom, ownKeys: boom });
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- containing a thrown non-Error is what this test checks
    expect(run({ threadSwitch: () => { throw proxy; } })).toMatchObject({ code: InternalError.GUEST_EXCEPTION, message: 'thrown an object that is not an Error' });
    expect(
      run({
        *threadStart() {
          yield 'x' as never;
        },
      }),
    ).toMatchObject({ code: InternalError.INVALID_YIELD, message: 'an extension yielded "x"' });
    expect(
      run({
        *threadStart(rtems, executing, started) {
          if (started === 0x0a010002) yield* rtems.taskWakeAfter(1);
        },
      }),
    ).toMatchObject({ code: InternalError.BAD_THREAD_DISPATCH_DISABLE_LEVEL });
  });
});
