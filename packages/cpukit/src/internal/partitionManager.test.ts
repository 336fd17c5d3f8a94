import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_GLOBAL } from '../attributes.js';
import { RTEMS_SEARCH_LOCAL_NODE } from '../options.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { harness } from './testHarness.js';

const hex = (value: number): string => `0x${value.toString(16)}`;

describe('Partition Manager (C User\'s Guide, Partition Manager; RTEMS 6 partcreate.c)', () => {
  it('rtems_partition_create checks its arguments in RTEMS 6 order and hands out ids of class 5 (0x2a010001) up to maximumPartitions', () => {
    const h = harness(
      function* (rtems, h) {
        const attempt = (name: string, start: number, length: number, size: number, attributes = RTEMS_DEFAULT_ATTRIBUTES): string => {
          const { status, id } = rtems.partitionCreate(name, start, length, size, attributes);
          return status === RtemsStatus.SUCCESSFUL ? hex(id) : String(status);
        };
        h.note(
          [
            attempt('', 0x1000, 64, 16), // INVALID_NAME
            attempt('P', 0, 64, 16), // NULL start: INVALID_ADDRESS
            attempt('P', 0x1000, 0, 16), // length 0: INVALID_SIZE
            attempt('P', 0x1000, 64, 0), // buffer size 0
            attempt('P', 0x1000, 8, 16), // length below the buffer size
            attempt('P', 0x1002, 64, 6), // not a multiple of the pointer size: INVALID_SIZE before the start's alignment
            attempt('P', 0x1000, 64, 4), // below two pointers (a Chain_Node)
            attempt('P', 0x1002, 64, 16), // start not on a pointer boundary: INVALID_ADDRESS
            attempt('P', 0xffff_ff00, 0x200, 16), // would pass the end of the address space
            attempt('P', 1.5, 64, 16), // not an address
          ].join(' '),
        );
        h.note([attempt('P1', 0x1000, 64, 16), attempt('P2', 0x2000, 64, 8, RTEMS_GLOBAL), attempt('P3', 0x3000, 64, 16)].join(' '));
        h.note(`ident ${hex(rtems.partitionIdent('P2').id)} local ${hex(rtems.partitionIdent('P1', RTEMS_SEARCH_LOCAL_NODE).id)} missing ${rtems.partitionIdent('P9').status} no name ${rtems.partitionIdent('').status}`);
        // A deleted partition's slot goes to the end of the free list.
        const deleted = rtems.partitionDelete(rtems.partitionIdent('P1').id);
        h.note(`delete ${deleted} again ${rtems.partitionDelete(0x2a010001)} then ${attempt('P4', 0x4000, 64, 16)}`);
        yield* rtems.taskExit();
      },
      { configuration: { maximumPartitions: 2 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 3 9 8 8 8 8 8 9 8 9', '0 0x2a010001 0x2a010002 5', '0 ident 0x2a010002 local 0x2a010001 missing 3 no name 3', '0 delete 0 again 4 then 0x2a010001']);
  });

  it('hands out buffers in address order, then the returned ones first in first out; never waits (UNSATISFIED at once)', () => {
    const h = harness(function* (rtems, h) {
      // 100 bytes of 32-byte buffers: 3 buffers, 4 bytes left over.
      const { id } = rtems.partitionCreate('PART', 0x1_0000, 100, 32, RTEMS_DEFAULT_ATTRIBUTES);
      const got = (): string => {
        const { status, buffer } = rtems.partitionGetBuffer(id);
        return status === RtemsStatus.SUCCESSFUL ? hex(buffer) : `${status}:${buffer}`;
      };
      h.note([got(), got(), got(), got()].join(' '));
      h.note(
        [
          rtems.partitionReturnBuffer(id, 0x1_0020),
          rtems.partitionReturnBuffer(id, 0x1_0040),
          rtems.partitionReturnBuffer(id, 0x1_0000),
          got(),
          got(),
          rtems.partitionReturnBuffer(id, 0x1_0040),
          got(),
          got(),
          got(),
        ].join(' '),
      );
      yield* rtems.taskExit();
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0x10000 0x10020 0x10040 13:0', '0 0 0 0 0x10020 0x10040 0 0x10000 0x10040 13:0']);
  });

  it('rtems_partition_return_buffer: INVALID_ID first, then INVALID_ADDRESS for anything but a buffer handed out', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.partitionCreate('PART', 0x1_0000, 100, 32, RTEMS_DEFAULT_ATTRIBUTES);
      const first = rtems.partitionGetBuffer(id).buffer;
      h.note(
        [
          rtems.partitionReturnBuffer(0x2a01_0009, first), // INVALID_ID
          rtems.partitionReturnBuffer(id, first + 1), // not on a buffer boundary
          rtems.partitionReturnBuffer(id, 0x2_0000), // outside the area
          rtems.partitionReturnBuffer(id, 0x1_0020), // a free buffer
          rtems.partitionReturnBuffer(id, 0x1_0060), // the 4 bytes left over: on a boundary, never a buffer
          rtems.partitionReturnBuffer(id, 'x' as never),
          rtems.partitionReturnBuffer(id, first),
          rtems.partitionReturnBuffer(id, first), // twice
        ].join(' '),
      );
      h.note(`get bad id ${rtems.partitionGetBuffer(0x2a01_0009).status} ${rtems.partitionGetBuffer('x' as never).status}`);
      yield* rtems.taskExit();
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 4 9 9 9 9 9 0 9', '0 get bad id 4 4']);
  });

  it('rtems_partition_delete is RESOURCE_IN_USE while a buffer is out, and works from a timer service routine (interrupt context)', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.partitionCreate('PART', 0x8000, 64, 16, RTEMS_DEFAULT_ATTRIBUTES);
      const timer = rtems.timerCreate('TMR').id;
      let fromIsr = 0;
      rtems.timerFireAfter(timer, 2, (rtems) => {
        const { status, buffer } = rtems.partitionGetBuffer(id);
        fromIsr = buffer;
        h.note(`isr get ${status} ${hex(buffer)} in isr ${rtems.interruptIsInProgress()}`);
      });
      yield* rtems.taskWakeAfter(3);
      h.note(`delete ${rtems.partitionDelete(id)}`);
      h.note(`return ${rtems.partitionReturnBuffer(id, fromIsr)} delete ${rtems.partitionDelete(id)} get ${rtems.partitionGetBuffer(id).status}`);
      yield* rtems.taskExit();
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['2000000 isr get 0 0x8000 in isr true', '3000000 delete 12', '3000000 return 0 delete 0 get 4']);
  });

  it('keeps host memory independent of the area: a 4 GiB partition of 8-byte buffers', () => {
    const h = harness(function* (rtems, h) {
      const { status, id } = rtems.partitionCreate('BIG', 8, 0xffff_fff8, 8, RTEMS_DEFAULT_ATTRIBUTES);
      const buffers = Array.from({ length: 1000 }, () => rtems.partitionGetBuffer(id).buffer);
      h.note(`${status} last ${hex(buffers.at(-1) ?? 0)}`);
      yield* rtems.taskExit();
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0 last 0x1f40']);
  });
});
