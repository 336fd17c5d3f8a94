/**
 * Processor sets on one processor (C User's Guide, Task Manager "rtems_task_get_affinity",
 * "rtems_task_set_affinity"; Scheduler Manager "rtems_scheduler_ident_by_processor_set",
 * "rtems_scheduler_get_processor_set"; Interrupt Manager "rtems_interrupt_get_affinity",
 * "rtems_interrupt_set_affinity", "rtems_interrupt_server_set_affinity"), and the CpuSet
 * binding of cpu_set_t. The test BSP's valid vectors are lines 0-7.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { CPU_SET_MAX_SIZE, CpuSet, type CpuSetResult, cpuAllocSize } from '../cpuSet.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF } from '../options.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { harness } from './testHarness.js';

const SCHEDULER = 0x0f010001;
const name = (status: RtemsStatus): string => RtemsStatus[status] ?? String(status);
/** A getter's result as `STATUS[size:words]`, or `STATUS[-]` without a set. */
const shown = (r: CpuSetResult): string => `${name(r.status)}[${r.cpuset === undefined ? '-' : `${r.cpuset.size}:${Array.from({ length: r.cpuset.wordCount }, (_, i) => r.cpuset!.word(i).toString(16)).join(',')}`}]`;

describe('CpuSet: cpu_set_t as long words (newlib <sys/cpuset.h>)', () => {
  it('puts processor n in bit n % 32 of word n / 32, whatever the target byte order', () => {
    const set = new CpuSet(8);
    expect(set.size).toBe(8);
    expect(set.wordCount).toBe(2);
    set.setCpu(0);
    set.setCpu(5);
    set.setCpu(33);
    set.setCpu(31);
    expect([set.word(0), set.word(1)]).toEqual([0x8000_0021, 0x2]);
    expect(set.cpus()).toEqual([0, 5, 31, 33]);
    expect(set.count()).toBe(4);
    expect(set.isSet(33)).toBe(true);
    expect(set.isSet(32)).toBe(false);
    set.clrCpu(31);
    expect(set.word(0)).toBe(0x21);
  });

  it('CPU_ZERO, CPU_FILL, CPU_COUNT, CPU_EQUAL and the _S forms act on the first setsize bytes', () => {
    const set = new CpuSet(8);
    set.fill();
    expect(set.count()).toBe(64);
    set.zeroS(4);
    expect([set.word(0), set.word(1)]).toEqual([0, 0xffff_ffff]);
    expect(set.countS(4)).toBe(0);
    expect(set.countS(8)).toBe(32);
    set.zero();
    set.fillS(2);
    expect(set.word(0)).toBe(0xffff);
    set.setCpuS(20, 2); // past the 16 processors of 2 bytes: ignored
    set.setCpuS(3, 2);
    expect(set.isSetS(3, 2)).toBe(true);
    expect(set.isSetS(20, 8)).toBe(false);
    set.clrCpuS(3, 2);
    expect(set.countS(8)).toBe(15);
    const a = CpuSet.of(8, 0, 40);
    const b = CpuSet.of(8, 0, 41);
    expect(a.equalS(4, b)).toBe(true);
    expect(a.equal(b)).toBe(false);
    expect(a.equal(CpuSet.of(8, 40, 0))).toBe(true);
    expect(CpuSet.of(4, 0).equal(CpuSet.of(8, 0))).toBe(false);
    expect(CpuSet.of(4, 0).equalS(4, CpuSet.of(8, 0))).toBe(true);
  });

  it('ignores processors outside the set, refuses sizes that are not whole longs', () => {
    const set = new CpuSet();
    expect(set.size).toBe(4);
    for (const cpu of [-1, 32, 1.5, Number.NaN]) set.setCpu(cpu);
    expect(set.count()).toBe(0);
    expect(set.isSet(-1)).toBe(false);
    expect(new CpuSet(0).count()).toBe(0);
    for (const size of [3, -4, 1.5, CPU_SET_MAX_SIZE + 4]) expect(() => new CpuSet(size)).toThrow(RangeError);
    expect([cpuAllocSize(1), cpuAllocSize(32), cpuAllocSize(33), cpuAllocSize(0)]).toEqual([4, 4, 8, 0]);
  });

  it('tells a CpuSet from anything else without running guest code: a Proxy whose traps throw is not one', () => {
    let traps = 0;
    const trap = (): never => {
      traps++;
      throw new Error('trap');
    };
    const proxy = new Proxy(new CpuSet(), { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
    expect([CpuSet.is(proxy), CpuSet.is({ size: 4 }), CpuSet.is(Object.create(CpuSet.prototype)), CpuSet.is(null), CpuSet.is(new CpuSet(8))]).toEqual([false, false, false, false, true]);
    expect(traps).toBe(0);
  });
});

describe('task affinity (taskgetaffinity.c, tasksetaffinity.c, schedulersetaffinity.c)', () => {
  it('rtems_task_get_affinity: {0} in a set of cpusetsize bytes; INVALID_ID before INVALID_SIZE', () => {
    const h = harness(function* (rtems, h) {
      const sizes = [4, 8, 0, 3, 6, 2 ** 32, -4, CPU_SET_MAX_SIZE + 4].map((size) => shown(rtems.taskGetAffinity(RTEMS_SELF, size)));
      h.note(`self ${sizes.join(' ')}`);
      h.note(`unknown ${shown(rtems.taskGetAffinity(0x0a010009, 4))} ${shown(rtems.taskGetAffinity(0x0a010009, 3))}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 self SUCCESSFUL[4:1] SUCCESSFUL[8:1,0] INVALID_SIZE[-] INVALID_SIZE[-] INVALID_SIZE[-] INVALID_SIZE[-] INVALID_SIZE[-] INVALID_SIZE[-]',
      '0 unknown INVALID_ID[-] INVALID_ID[-]',
    ]);
  });

  it('rtems_task_set_affinity: INVALID_ADDRESS, INVALID_ID, INVALID_NUMBER (askew, huge, without processor 0); a set with processor 0 is kept as {0}', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.taskCreate('TA1', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      const zero = CpuSet.of(4, 0);
      const filled = new CpuSet(8);
      filled.fill();
      const huge = new CpuSet(8); // spec:/rtems/task/req/set-affinity "Huge": the first long empty, the second full
      huge.fillS(8);
      huge.zeroS(4);
      const unsupported = new CpuSet(4); // "Unsupported": every processor but 0
      unsupported.fill();
      unsupported.clrCpu(0);
      const results = [
        rtems.taskSetAffinity(id, 4, undefined as unknown as CpuSet),
        rtems.taskSetAffinity(0x0a010009, 4, { size: 4 } as unknown as CpuSet),
        rtems.taskSetAffinity(0x0a010009, 4, zero),
        rtems.taskSetAffinity(id, 5, zero),
        rtems.taskSetAffinity(id, 2 ** 32 - 1, zero),
        rtems.taskSetAffinity(id, 8, huge),
        rtems.taskSetAffinity(id, 4, unsupported),
        rtems.taskSetAffinity(id, 0, zero),
        rtems.taskSetAffinity(id, 8, zero),
        rtems.taskSetAffinity(id, 4, zero),
        rtems.taskSetAffinity(RTEMS_SELF, 8, filled),
        rtems.taskSetAffinity(id, 8, CpuSet.of(8, 0, 32)),
      ];
      h.note(results.map(name).join(' '));
      h.note(`after ${shown(rtems.taskGetAffinity(id, 4))}`);
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 INVALID_ADDRESS INVALID_ADDRESS INVALID_ID INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_ADDRESS SUCCESSFUL SUCCESSFUL SUCCESSFUL',
      '0 after SUCCESSFUL[4:1]',
    ]);
  });
});

describe('scheduler processor sets (scheduleridentbyprocessorset.c, schedulergetprocessorset.c)', () => {
  it('rtems_scheduler_ident_by_processor_set: INVALID_ADDRESS, INVALID_SIZE, INVALID_NAME (no online processor), else the scheduler of processor 0', () => {
    const h = harness(function* (rtems, h) {
      const results = [
        rtems.schedulerIdentByProcessorSet(4, null as unknown as CpuSet),
        rtems.schedulerIdentByProcessorSet(5, CpuSet.of(8, 0)),
        rtems.schedulerIdentByProcessorSet(4, new CpuSet(4)),
        rtems.schedulerIdentByProcessorSet(4, CpuSet.of(4, 1, 2)),
        rtems.schedulerIdentByProcessorSet(8, CpuSet.of(8, 32)),
        rtems.schedulerIdentByProcessorSet(0, CpuSet.of(4, 0)),
        rtems.schedulerIdentByProcessorSet(8, CpuSet.of(4, 0)),
        rtems.schedulerIdentByProcessorSet(4, CpuSet.of(4, 0)),
        rtems.schedulerIdentByProcessorSet(8, CpuSet.of(8, 0, 3, 40)),
      ];
      h.note(results.map((r) => `${name(r.status)}/0x${r.id.toString(16)}`).join(' '));
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 INVALID_ADDRESS/0x0 INVALID_SIZE/0x0 INVALID_NAME/0x0 INVALID_NAME/0x0 INVALID_NAME/0x0 INVALID_NAME/0x0 INVALID_ADDRESS/0x0 SUCCESSFUL/0xf010001 SUCCESSFUL/0xf010001',
    ]);
  });

  it('rtems_scheduler_get_processor_set: INVALID_ID, then INVALID_SIZE unless {0} fits', () => {
    const h = harness(function* (rtems, h) {
      h.note([rtems.schedulerGetProcessorSet(SCHEDULER, 4), rtems.schedulerGetProcessorSet(SCHEDULER, 12), rtems.schedulerGetProcessorSet(SCHEDULER, 0), rtems.schedulerGetProcessorSet(SCHEDULER, 2), rtems.schedulerGetProcessorSet(0x0f010002, 4)].map(shown).join(' '));
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 SUCCESSFUL[4:1] SUCCESSFUL[12:1,0,0] INVALID_SIZE[-] INVALID_SIZE[-] INVALID_ID[-]']);
  });
});

describe('interrupt affinity (irq-affinity.c, irq-server.c)', () => {
  it('rtems_interrupt_get_affinity: {0} for a valid vector; an invalid one is INVALID_ID with the empty set RTEMS writes', () => {
    const h = harness(function* (rtems, h) {
      h.note([rtems.interruptGetAffinity(3, 4), rtems.interruptGetAffinity(3, 8), rtems.interruptGetAffinity(3, 0), rtems.interruptGetAffinity(3, 7), rtems.interruptGetAffinity(8, 4), rtems.interruptGetAffinity(8, 7), rtems.interruptGetAffinity(8, 0)].map(shown).join(' '));
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 SUCCESSFUL[4:1] SUCCESSFUL[8:1,0] INVALID_SIZE[-] INVALID_SIZE[-] INVALID_ID[4:0] INVALID_ID[-] INVALID_ID[0:]']);
  });

  it('rtems_interrupt_set_affinity: INVALID_ADDRESS, INVALID_ID, INVALID_NUMBER; a set with processor 0 is accepted', () => {
    const h = harness(function* (rtems, h) {
      const results = [
        rtems.interruptSetAffinity(3, 4, undefined as unknown as CpuSet),
        rtems.interruptSetAffinity(8, 4, CpuSet.of(4, 0)),
        rtems.interruptSetAffinity(3, 6, CpuSet.of(8, 0)),
        rtems.interruptSetAffinity(3, 8, CpuSet.of(8, 33)),
        rtems.interruptSetAffinity(3, 4, CpuSet.of(4, 1)),
        rtems.interruptSetAffinity(3, 8, CpuSet.of(4, 0)),
        rtems.interruptSetAffinity(3, 4, CpuSet.of(4, 0, 1)),
        rtems.interruptSetAffinity(3, 8, CpuSet.of(8, 0, 33)),
      ];
      h.note(results.map(name).join(' '));
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 INVALID_ADDRESS INVALID_ID INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_ADDRESS SUCCESSFUL SUCCESSFUL']);
  });

  it('rtems_interrupt_server_set_affinity: INVALID_ID (server), the processor-set errors, INVALID_PRIORITY; success sets the server task priority', () => {
    const h = harness(function* (rtems, h) {
      const none = yield* rtems.interruptServerSetAffinity(0, 4, CpuSet.of(4, 0), 10);
      yield* rtems.interruptServerInitialize(20, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      const server = rtems.taskIdent('IRQS', 0).id;
      const results = [
        none,
        yield* rtems.interruptServerSetAffinity(1, 4, CpuSet.of(4, 0), 10),
        yield* rtems.interruptServerSetAffinity(0, 4, 'set' as unknown as CpuSet, 10),
        yield* rtems.interruptServerSetAffinity(0, 3, CpuSet.of(4, 0), 10),
        yield* rtems.interruptServerSetAffinity(0, 4, CpuSet.of(4, 2), 10),
        yield* rtems.interruptServerSetAffinity(0, 4, CpuSet.of(4, 0), 256),
      ];
      h.note(`${results.map(name).join(' ')} priority ${rtems.taskGetPriority(server, SCHEDULER).priority}`);
      const ok = yield* rtems.interruptServerSetAffinity(0, 8, CpuSet.of(8, 0, 1), 7);
      h.note(`${name(ok)} priority ${rtems.taskGetPriority(server, SCHEDULER).priority} affinity ${shown(rtems.taskGetAffinity(server, 4))}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 INVALID_ID INVALID_ID INVALID_ADDRESS INVALID_SIZE INVALID_NAME INVALID_PRIORITY priority 20',
      '0 SUCCESSFUL priority 7 affinity SUCCESSFUL[4:1]',
    ]);
  });
});
