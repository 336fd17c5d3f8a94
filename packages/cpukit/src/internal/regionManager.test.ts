/**
 * Region Manager. Addresses and sizes are those of RTEMS 6's heap on an ILP32 target: a
 * region of 4096 bytes at 0x10000 (page size 8) has a first block at 0x10000 of 4088
 * bytes (its maximum segment size), a segment of n bytes takes a block of n + 8 rounded
 * up to 8 (16 at least) and reports n + 8 rounded up, minus 4, as its size.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_FIFO, RTEMS_PRIORITY } from '../attributes.js';
import { InternalError } from '../fatalSource.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT, RTEMS_NO_WAIT, RTEMS_WAIT } from '../options.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { harness } from './testHarness.js';

/** Creates and starts a task whose body ends with rtems_task_exit. */
function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  yield* rtems.taskStart(
    id,
    function* (rtems, argument) {
      yield* body(rtems, argument);
      yield* rtems.taskExit();
    },
    0,
  );
  return id;
}

const hex = (value: number): string => `0x${value.toString(16)}`;

/** Init at priority 10, preemptible: the tasks it starts (priorities 5 to 7) run at once. */
const LOW_INIT = { configuration: { initTaskPriority: 10, initTaskInitialModes: 0 } };

describe('Region Manager: create, ident, delete (RTEMS 6 regioncreate.c, regiondelete.c)', () => {
  it('checks name and start, then the object, then the heap; a refused heap frees the object to the end of the free list', () => {
    const h = harness(
      function* (rtems, h) {
        const attempt = (name: string, start: unknown, length: unknown, page: unknown = 0): string => {
          const { status, id } = rtems.regionCreate(name, start as number, length as number, page as number, RTEMS_DEFAULT_ATTRIBUTES);
          return status === RtemsStatus.SUCCESSFUL ? hex(id) : String(status);
        };
        h.note([attempt('', 0x1_0000, 4096), attempt('R', 0, 4096), attempt('R', 'x', 4096)].join(' '));
        h.note(
          [
            attempt('R1', 0x1_0000, 4096), // slot 1
            attempt('R', 0x2_0000, 23), // too small for a 16-byte block: slot 2 taken and freed
            attempt('R', 0x2_0000, 4096, 0xffff_ffff), // the page size overflows when rounded up to 8: slot 3 likewise
            attempt('R2', 0x2_0000, 4096),
            attempt('R3', 0x3_0000, 4096),
            attempt('R4', 0x4_0000, 4096),
            attempt('R5', 0x5_0000, 4096),
            attempt('R', 0x5_0000, 23), // full: TOO_MANY before the heap is looked at
          ].join(' '),
        );
        h.note(`ident ${hex(rtems.regionIdent('R2').id)} missing ${rtems.regionIdent('R9').status} bad name ${rtems.regionIdent('').status}`);
        const r1 = rtems.regionIdent('R1').id;
        const { segment } = yield* rtems.regionGetSegment(r1, 10, RTEMS_NO_WAIT, 0);
        const inUse = yield* rtems.regionDelete(r1);
        yield* rtems.regionReturnSegment(r1, segment);
        const deleted = yield* rtems.regionDelete(r1);
        h.note(`delete in use ${inUse} then ${deleted} again ${yield* rtems.regionDelete(r1)}`);
        yield* rtems.taskExit();
      },
      { configuration: { maximumRegions: 4 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 3 9 9', '0 0x32010001 8 8 0x32010004 0x32010002 0x32010003 5 5', '0 ident 0x32010004 missing 3 bad name 3', '0 delete in use 12 then 0 again 4']);
  });
});

describe('Region Manager: segments (RTEMS 6 regiongetsegment.c, regionreturnsegment.c, regiongetsegmentsize.c, regiongetinfo.c)', () => {
  it('rtems_region_get_segment: INVALID_SIZE (0, before the id; above the maximum), INVALID_ID, UNSATISFIED, first-fit addresses and page-size rounding', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_FIFO);
      const get = function* (region: number, size: unknown): Generator<number, string, unknown> {
        const { status, segment } = yield* rtems.regionGetSegment(region, size as number, RTEMS_NO_WAIT, 0);
        return status === RtemsStatus.SUCCESSFUL ? hex(segment) : `${status}:${segment}`;
      };
      h.note([yield* get(0x3201_0009, 0), yield* get(0x3201_0009, 10), yield* get(id, 4089), yield* get(id, 4088), yield* get(id, 4085), yield* get(id, -1)].join(' '));
      const first = yield* get(id, 100);
      const second = yield* get(id, 1);
      h.note(`${first} ${second} sizes ${rtems.regionGetSegmentSize(id, 0x1_0008).size} ${rtems.regionGetSegmentSize(id, 0x1_0078).size}`);
      const paged = rtems.regionCreate('PAG', 0x2_0000, 4096, 64, RTEMS_FIFO).id;
      const a = yield* get(paged, 10);
      const b = yield* get(paged, 10);
      h.note(`page 64: ${a} ${b} size ${rtems.regionGetSegmentSize(paged, 0x2_0040).size} largest ${yield* get(paged, 4032 - 64 - 64 - 4)}`);
      yield* rtems.taskExit();
    });
    h.run(1_000_000);
    // 4088 is the maximum segment size, yet no request above 4084 ever fits (block size + 4 - 8).
    expect(h.log).toEqual(['0 8:0 4:0 8:0 13:0 13:0 8:0', '0 0x10008 0x10078 sizes 108 12', '0 page 64: 0x20040 0x20080 size 60 largest 0x200c0']);
  });

  it('rtems_region_get_segment_size, rtems_region_return_segment: INVALID_ID, INVALID_ADDRESS for anything but an allocated segment; NULL is a valid return', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_FIFO);
      const { segment } = yield* rtems.regionGetSegment(id, 100, RTEMS_NO_WAIT, 0);
      h.note(
        [
          rtems.regionGetSegmentSize(id, 0).status, // NULL: INVALID_ADDRESS before the id
          rtems.regionGetSegmentSize(0x3201_0009, segment).status,
          rtems.regionGetSegmentSize(id, segment + 8).status, // inside the segment: no block header there
          rtems.regionGetSegmentSize(id, 0x1_0078).status, // the free block after it
          rtems.regionGetSegmentSize(id, 0x9_0000).status,
          rtems.regionGetSegmentSize(id, 0x1_0ff8 + 8).status, // the heap's end marker
        ].join(' '),
      );
      h.note(
        [
          yield* rtems.regionReturnSegment(0x3201_0009, segment),
          yield* rtems.regionReturnSegment(id, segment + 8),
          yield* rtems.regionReturnSegment(id, 0x9_0000),
          yield* rtems.regionReturnSegment(id, 'x' as never),
          yield* rtems.regionReturnSegment(id, 0),
          yield* rtems.regionReturnSegment(id, segment),
          yield* rtems.regionReturnSegment(id, segment), // twice
          rtems.regionGetSegmentSize(id, segment).status,
        ].join(' '),
      );
      yield* rtems.taskExit();
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 9 4 9 9 9 9', '0 4 9 9 9 0 0 9 9']);
  });

  it('rtems_region_get_information and rtems_region_get_free_information: block counts, largest and total sizes (headers included)', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_FIFO);
      yield* rtems.regionGetSegment(id, 100, RTEMS_NO_WAIT, 0);
      const { segment } = yield* rtems.regionGetSegment(id, 200, RTEMS_NO_WAIT, 0);
      yield* rtems.regionGetSegment(id, 300, RTEMS_NO_WAIT, 0);
      yield* rtems.regionReturnSegment(id, segment);
      h.note(JSON.stringify(rtems.regionGetInformation(id)));
      h.note(JSON.stringify(rtems.regionGetFreeInformation(id)));
      h.note(`${rtems.regionGetInformation(0x3201_0009).status} ${rtems.regionGetFreeInformation(0x3201_0009).status}`);
      yield* rtems.taskExit();
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 {"status":0,"information":{"free":{"number":2,"largest":3456,"total":3664},"used":{"number":2,"largest":312,"total":424}}}',
      '0 {"status":0,"information":{"free":{"number":2,"largest":3456,"total":3664},"used":{"number":0,"largest":0,"total":0}}}',
      '0 4 4',
    ]);
  });
});

describe('Region Manager: waiting for memory (RTEMS 6 regiongetsegment.c, regionprocessqueue.c)', () => {
  // Init holds 4000 of the 4088 bytes. T1 (priority 7) asks for 2000 at tick 0, T2 (5) for
  // 100 and T3 (6) for 3000 at tick 1. At tick 3 Init gives its segment back: the queue is
  // served from its head while requests fit. Each task notes what it got, returns it, exits.
  const scenario = (discipline: number): string[] => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, discipline);
      const held = (yield* rtems.regionGetSegment(id, 4000, RTEMS_NO_WAIT, 0)).segment;
      for (const [name, priority, size, delay] of [
        ['T1', 7, 2000, 0],
        ['T2', 5, 100, 1],
        ['T3', 6, 3000, 1],
      ] as const) {
        yield* spawn(rtems, name, priority, function* (rtems) {
          if (delay > 0) yield* rtems.taskWakeAfter(delay);
          const { status, segment } = yield* rtems.regionGetSegment(id, size, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`${name} ${status} ${hex(segment)}`);
          yield* rtems.regionReturnSegment(id, segment);
        });
      }
      yield* rtems.taskWakeAfter(3);
      h.note(`return ${yield* rtems.regionReturnSegment(id, held)}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(10_000_000);
    return h.log;
  };

  it('RTEMS_FIFO: T1 and T2 are served, T3 (3000) waits until T1 gives back its segment, preempting it', () => {
    expect(scenario(RTEMS_FIFO)).toEqual(['3000000 T2 0 0x107e0', '3000000 T1 0 0x10008', '3000000 T3 0 0x10008', '3000000 return 0']);
  });

  it('RTEMS_PRIORITY: T2 then T3 are served, T1 (2000) waits until T3 gives back its segment', () => {
    expect(scenario(RTEMS_PRIORITY)).toEqual(['3000000 T2 0 0x10008', '3000000 T3 0 0x10078', '3000000 T1 0 0x10008', '3000000 return 0']);
  });

  it('a request at the head that does not fit holds back the smaller ones behind it', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_FIFO);
      const big = (yield* rtems.regionGetSegment(id, 4000, RTEMS_NO_WAIT, 0)).segment;
      const small = (yield* rtems.regionGetSegment(id, 76, RTEMS_NO_WAIT, 0)).segment;
      for (const [name, size] of [
        ['T1', 2000],
        ['T2', 10],
      ] as const) {
        yield* spawn(rtems, name, 5, function* (rtems) {
          const { status, segment } = yield* rtems.regionGetSegment(id, size, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`${name} ${status} ${hex(segment)}`);
        });
      }
      yield* rtems.taskWakeAfter(1);
      h.note(`return small ${yield* rtems.regionReturnSegment(id, small)}`);
      yield* rtems.taskWakeAfter(1);
      h.note(`return big ${yield* rtems.regionReturnSegment(id, big)}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(5_000_000);
    expect(h.log).toEqual(['1000000 return small 0', '2000000 T1 0 0x10008', '2000000 T2 0 0x107e0', '2000000 return big 0']);
  });

  it('a wait times out after exactly `timeout` ticks; a request of the maximum segment size is valid but never fits; RTEMS_NO_WAIT does not wait', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_PRIORITY);
      const wait = yield* rtems.regionGetSegment(id, 4088, RTEMS_WAIT, 3);
      h.note(`wait ${wait.status} ${wait.segment}`);
      const noWait = yield* rtems.regionGetSegment(id, 4088, RTEMS_NO_WAIT, 3);
      h.note(`no wait ${noWait.status}`);
      yield* rtems.taskExit();
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['3000000 wait 6 0', '3000000 no wait 13']);
  });

  it('rtems_region_delete with waiting tasks (nothing allocated): they get OBJECT_WAS_DELETED; blocking in interrupt context is fatal', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_FIFO);
      yield* spawn(rtems, 'T1', 5, function* (rtems) {
        h.note(`T1 ${(yield* rtems.regionGetSegment(id, 4088, RTEMS_WAIT, RTEMS_NO_TIMEOUT)).status}`);
      });
      yield* rtems.taskWakeAfter(1);
      h.note(`delete ${yield* rtems.regionDelete(id)}`);
      const other = rtems.regionCreate('OTH', 0x2_0000, 4096, 0, RTEMS_FIFO).id;
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 1, function* (rtems) {
        const { status, segment } = yield* rtems.regionGetSegment(other, 4000, RTEMS_NO_WAIT, 0);
        h.note(`isr no wait ${status} ${hex(segment)} size ${rtems.regionGetSegmentSize(other, segment).size}`);
        yield* rtems.regionGetSegment(other, 4000, RTEMS_WAIT, 0);
      });
      yield* rtems.taskWakeAfter(5);
    }, LOW_INIT);
    h.run(10_000_000);
    expect(h.log).toEqual(['1000000 T1 7', '1000000 delete 0', '2000000 isr no wait 0 0x20008 size 4004']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE });
  });
});

describe('Region Manager: resize and extend (RTEMS 6 regionresizesegment.c, regionextend.c)', () => {
  it('rtems_region_resize_segment: in place, UNSATISFIED with the old size, shrinking serves waiting tasks', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_FIFO);
      const a = (yield* rtems.regionGetSegment(id, 100, RTEMS_NO_WAIT, 0)).segment;
      const b = (yield* rtems.regionGetSegment(id, 100, RTEMS_NO_WAIT, 0)).segment;
      const resize = function* (segment: number, size: unknown): Generator<number, string, unknown> {
        const { status, oldSize } = yield* rtems.regionResizeSegment(id, segment, size as number);
        return `${status}:${oldSize}`;
      };
      h.note([yield* resize(a, 200), yield* resize(b, 2000), `size ${rtems.regionGetSegmentSize(id, b).size}`, yield* resize(a, 'x'), yield* resize(0x9_0000, 8)].join(' '));
      h.note(`bad id ${(yield* rtems.regionResizeSegment(0x3201_0009, a, 8)).status}`);
      yield* spawn(rtems, 'T', 5, function* (rtems) {
        const { status, segment } = yield* rtems.regionGetSegment(id, 3000, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`T ${status} ${hex(segment)}`);
      });
      yield* rtems.taskWakeAfter(1);
      h.note(`shrink ${yield* resize(b, 20)} size ${rtems.regionGetSegmentSize(id, b).size}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(5_000_000);
    expect(h.log).toEqual(['0 13:108 0:108 size 2004 13:108 9:0', '0 bad id 4', '1000000 T 0 0x10098', '1000000 shrink 0:2004 size 28']);
  });

  it('rtems_region_extend: merges an adjacent area or links a disconnected one (the maximum grows), does not serve waiting tasks; INVALID_ADDRESS, INVALID_ID', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.regionCreate('REG', 0x1_0000, 4096, 0, RTEMS_FIFO);
      const all = (yield* rtems.regionGetSegment(id, 4084, RTEMS_NO_WAIT, 0)).segment;
      h.note(
        [
          rtems.regionExtend(id, 0, 0x1000), // NULL: INVALID_ADDRESS before the id
          rtems.regionExtend(0x3201_0009, 0x2_0000, 0x1000),
          rtems.regionExtend(id, 0x1_0800, 0x1000), // overlaps the region
          rtems.regionExtend(id, 0x2_0000, 16), // too small for a block
          rtems.regionExtend(id, 0x2_0000, 'x' as never),
        ].join(' '),
      );
      yield* spawn(rtems, 'T', 5, function* (rtems) {
        const { status, segment } = yield* rtems.regionGetSegment(id, 200, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`T ${status} ${hex(segment)}`);
        yield* rtems.regionReturnSegment(id, segment);
      });
      yield* rtems.taskWakeAfter(1);
      h.note(`extend ${rtems.regionExtend(id, 0x2_0000, 0x1000)} ${JSON.stringify(rtems.regionGetInformation(id).information)}`);
      yield* rtems.taskWakeAfter(1);
      // Any successful return serves the queue, even of NULL.
      h.note(`return NULL ${yield* rtems.regionReturnSegment(id, 0)}`);
      yield* rtems.regionReturnSegment(id, all);
      // The maximum grew by the bytes the extension added: a request of 4088 + 4088 - 4 is valid.
      h.note(`too big ${(yield* rtems.regionGetSegment(id, 8177, RTEMS_NO_WAIT, 0)).status} fits nowhere ${(yield* rtems.regionGetSegment(id, 8176, RTEMS_NO_WAIT, 0)).status}`);
      const merged = rtems.regionCreate('MRG', 0x4_0000, 4096, 0, RTEMS_FIFO).id;
      h.note(`merge ${rtems.regionExtend(merged, 0x4_1000, 0x100)} ${hex((yield* rtems.regionGetSegment(merged, 4340, RTEMS_NO_WAIT, 0)).segment)}`);
      yield* rtems.taskExit();
    }, LOW_INIT);
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 9 4 9 9 9',
      '1000000 extend 0 {"free":{"number":1,"largest":4088,"total":4088},"used":{"number":2,"largest":61448,"total":65536}}',
      '2000000 T 0 0x20008',
      '2000000 return NULL 0',
      '2000000 too big 8 fits nowhere 13',
      '2000000 merge 0 0x40008',
    ]);
  });
});
