import { describe, expect, it } from 'vitest';
import { RtemsStatus } from '../rtemsStatus.js';
import { harness } from './testHarness.js';

const hex = (value: number): string => `0x${value.toString(16)}`;

describe('Dual-Ported Memory Manager (C User\'s Guide, Dual-Ported Memory Manager; RTEMS 6 dpmemcreate.c, dpmemexternal2internal.c)', () => {
  it('rtems_port_create: INVALID_NAME, INVALID_ADDRESS for a start off an 8-byte boundary, ids of class 7 (0x3a010001) up to maximumPorts', () => {
    const h = harness(
      function* (rtems, h) {
        const attempt = (name: string, internal: unknown, external: unknown, length: unknown): string => {
          const { status, id } = rtems.portCreate(name, internal as number, external as number, length as number);
          return status === RtemsStatus.SUCCESSFUL ? hex(id) : String(status);
        };
        h.note(
          [
            attempt('', 0x1000, 0x8000_0000, 0x100),
            attempt('DP', 0x1004, 0x8000_0000, 0x100),
            attempt('DP', 0x1000, 0x8000_0002, 0x100),
            attempt('DP', 'x', 0x8000_0000, 0x100),
            attempt('DP', 0x1000, 0x8000_0000, -1), // not a uint32_t length
            attempt('DP1', 0x1000, 0x8000_0000, 0x100),
            attempt('DP2', 0, 0, 0), // address 0 is aligned; length 0 covers the whole address space
            attempt('DP3', 0x1000, 0x8000_0000, 0x100),
          ].join(' '),
        );
        h.note(`ident ${hex(rtems.portIdent('DP2').id)} missing ${rtems.portIdent('DP9').status}`);
        yield* rtems.taskExit();
      },
      { configuration: { maximumPorts: 2 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 3 9 9 9 8 0x3a010001 0x3a010002 5', '0 ident 0x3a010002 missing 3']);
  });

  it('converts addresses inside the port and returns any other address unchanged (the offset is a uintptr_t: below the base is far outside)', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.portCreate('DP', 0x1000, 0x8000_0000, 0x100);
      const toInternal = (address: number): string => hex(rtems.portExternalToInternal(id, address).address);
      const toExternal = (address: number): string => hex(rtems.portInternalToExternal(id, address).address);
      h.note([toInternal(0x8000_0000), toInternal(0x8000_0010), toInternal(0x8000_00ff), toInternal(0x8000_0100), toInternal(0x7fff_fff0)].join(' '));
      h.note([toExternal(0x1000), toExternal(0x1080), toExternal(0x1100), toExternal(0x0fff)].join(' '));
      // A length of 0 is stored as 0xffffffff: every address is inside and wraps modulo 2^32.
      const all = rtems.portCreate('ALL', 0x10, 0x20_0000, 0).id;
      h.note(`${hex(rtems.portExternalToInternal(all, 0x10).address)} ${hex(rtems.portInternalToExternal(all, 0x8).address)}`);
      const bad = rtems.portExternalToInternal(0x3a01_0009, 0x8000_0000);
      const notAddress = rtems.portInternalToExternal(id, 'x' as never);
      h.note(`bad id ${bad.status}:${bad.address} ${rtems.portInternalToExternal(0x3a01_0009, 0).status} not an address ${notAddress.status}`);
      yield* rtems.taskExit();
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 0x1000 0x1010 0x10ff 0x80000100 0x7ffffff0', '0 0x80000000 0x80000080 0x1100 0xfff', '0 0xffe00020 0x1ffff8', '0 bad id 4:0 4 not an address 9']);
  });

  it('rtems_port_delete: INVALID_ID afterwards; conversions work in interrupt context', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.portCreate('DP', 0x1000, 0x8000_0000, 0x100);
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 1, (rtems) => {
        h.note(`isr ${hex(rtems.portExternalToInternal(id, 0x8000_0020).address)}`);
      });
      yield* rtems.taskWakeAfter(2);
      h.note(`delete ${rtems.portDelete(id)} again ${rtems.portDelete(id)} convert ${rtems.portExternalToInternal(id, 0x8000_0020).status} ident ${rtems.portIdent('DP').status}`);
      yield* rtems.taskExit();
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['1000000 isr 0x1020', '2000000 delete 0 again 4 convert 4 ident 3']);
  });
});
