import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { nameToString } from '../objectName.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_SEARCH_ALL_NODES, RTEMS_SEARCH_LOCAL_NODE, RTEMS_SEARCH_OTHER_NODES, RTEMS_SELF } from '../options.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { harness } from './testHarness.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

describe('Object Services (Classic API Guide, Object Services; RTEMS 6 cpukit/score/src/object*.c)', () => {
  it('rtems_build_id shifts and ORs its components without masking them (_Objects_Build_id); the id getters take an id apart unchecked', () => {
    const h = harness(function* (rtems, h) {
      const built = rtems.buildId(2, 1, 1, 5);
      // An index of 0x20001 spills into the node field (1 | 2), a class of 33 wraps out of 32 bits.
      const spilled = rtems.buildId(2, 1, 1, 0x2_0001);
      const wide = rtems.buildId(2, 33, 0, 0);
      const parts = (id: number): string => [rtems.objectIdGetApi(id), rtems.objectIdGetClass(id), rtems.objectIdGetNode(id), rtems.objectIdGetIndex(id)].join('/');
      h.note(`${hex(built)} ${hex(spilled)} ${hex(wide)} ${parts(built)} ${parts(spilled)} ${parts(0x4201_0005)} ${parts(0xffff_ffff)}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0xa010005 0xa030001 0xa000000 2/1/1/5 2/1/3/1 2/8/1/5 7/31/255/65535']);
  });

  it('get classic name: tasks (RTEMS_SELF too), IDLE, semaphores, message queues, timers, periods; INVALID_ID for an unknown class, index or deleted object', () => {
    const h = harness(function* (rtems, h) {
      const sem = rtems.semaphoreCreate('SEM', 1, RTEMS_DEFAULT_ATTRIBUTES).id;
      const queue = rtems.messageQueueCreate('MQ', 1, 4, RTEMS_DEFAULT_ATTRIBUTES).id;
      const timer = rtems.timerCreate('TMR').id;
      const period = rtems.rateMonotonicCreate('PER').id;
      const task = rtems.taskCreate('TSK', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).id;
      yield* rtems.taskDelete(task);
      const name = (id: number): string => {
        const { status, name } = rtems.objectGetClassicName(id);
        return status === RtemsStatus.SUCCESSFUL ? `'${nameToString(name)}'` : `${status}/${name}`;
      };
      h.note([RTEMS_SELF, 0x0a01_0001, 0x0901_0001, sem, queue, timer, period].map(name).join(' '));
      h.note([task, 0x0a01_0009, 0x1b01_0001, 0x0b01_0001, 0xffff_ffff].map(name).join(' '));
    });
    h.run(1_000_000);
    expect(h.log).toEqual(["0 'UI1 ' 'UI1 ' 'IDLE' 'SEM ' 'MQ  ' 'TMR ' 'PER '", '0 4/0 4/0 4/0 4/0 4/0']);
  });

  it('get name: at most length - 1 characters of C text, unprintable ones as "*", up to a NUL; undefined (NULL) for a length of 0 or an unknown id', () => {
    const h = harness(function* (rtems, h) {
      const odd = rtems.semaphoreCreate(0x41_01_42_00, 1, RTEMS_DEFAULT_ATTRIBUTES).id; // 'A', 0x01, 'B', NUL
      const show = (value: string | undefined): string => (value === undefined ? 'NULL' : `'${value}'`);
      h.note(
        [
          rtems.objectGetName(RTEMS_SELF, 5),
          rtems.objectGetName(RTEMS_SELF, 3),
          rtems.objectGetName(RTEMS_SELF, 1),
          rtems.objectGetName(RTEMS_SELF, 0),
          rtems.objectGetName(odd, 100),
          rtems.objectGetName(0x0a01_0009, 5),
          rtems.objectGetName(0x0901_0001, 5),
        ]
          .map(show)
          .join(' '),
      );
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(["0 'UI1 ' 'UI' '' NULL 'A*B' NULL 'IDLE'"]);
  });

  it('set name: the first four characters up to a NUL, padded with spaces; ident finds the new name; INVALID_ADDRESS, INVALID_ID', () => {
    const h = harness(function* (rtems, h) {
      const task = rtems.taskCreate('OLD', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).id;
      const sem = rtems.semaphoreCreate('SEM', 1, RTEMS_DEFAULT_ATTRIBUTES).id;
      const results: string[] = [];
      const set = (id: number, name: unknown): void => {
        const status = rtems.objectSetName(id, name as string);
        results.push(`${status}:'${nameToString(rtems.objectGetClassicName(id).name)}'`);
      };
      set(task, 'NEWNAME');
      set(sem, 'A\u0000BC');
      set(sem, '');
      set(sem, 'S2');
      set(RTEMS_SELF, 'INIT');
      h.note(results.join(' '));
      h.note(
        [
          rtems.objectSetName(task, null as never),
          rtems.objectSetName(task, 42 as never),
          rtems.objectSetName(task, '\u20acuro'),
          rtems.objectSetName(0x0a01_0009, 'X'),
          `'${nameToString(rtems.objectGetClassicName(task).name)}'`,
        ].join(' '),
      );
      // Statistics (and traces) show the new name too.
      const init = h.executive.statistics().threads.find((thread) => thread.id === 0x0a01_0001)!;
      h.note(`ident NEWN=${hex(rtems.taskIdent('NEWN').id)} OLD=${rtems.taskIdent('OLD').status} S2=${hex(rtems.semaphoreIdent('S2').id)} Init=${init.name}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      "0 0:'NEWN' 0:'A   ' 0:'    ' 0:'S2  ' 0:'INIT'",
      `0 ${RtemsStatus.INVALID_ADDRESS} ${RtemsStatus.INVALID_ADDRESS} ${RtemsStatus.INVALID_ADDRESS} ${RtemsStatus.INVALID_ID} 'NEWN'`,
      '0 ident NEWN=0xa010002 OLD=3 S2=0x1a010001 Init=INIT',
    ]);
  });

  it('ident searches the local node only (no multiprocessing), from the lowest index; a deleted object\'s id is reused last', () => {
    const h = harness(
      function* (rtems, h) {
        const create = (): number => rtems.taskCreate('DUP', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES).id;
        const first = create();
        const second = create();
        const ident = (node: number): string => {
          const { status, id } = rtems.taskIdent('DUP', node);
          return status === RtemsStatus.SUCCESSFUL ? hex(id) : String(status);
        };
        h.note(`${hex(first)} ${hex(second)} all=${ident(RTEMS_SEARCH_ALL_NODES)} local=${ident(RTEMS_SEARCH_LOCAL_NODE)} node1=${ident(1)} node2=${ident(2)} other=${ident(RTEMS_SEARCH_OTHER_NODES)}`);
        yield* rtems.taskDelete(first);
        h.note(`after delete ${ident(RTEMS_SEARCH_ALL_NODES)} deleted=${rtems.objectGetClassicName(first).status}`);
        const third = create();
        const fourth = create();
        h.note(`then ${hex(third)} ${hex(fourth)} ident=${ident(RTEMS_SEARCH_ALL_NODES)}`);
      },
      { configuration: { maximumTasks: 4 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 0xa010002 0xa010003 all=0xa010002 local=0xa010002 node1=0xa010002 node2=3 other=3',
      '0 after delete 0xa010003 deleted=4',
      '0 then 0xa010004 0xa010002 ident=0xa010002',
    ]);
  });
});
