/**
 * The per-vector directives of RTEMS 6's Interrupt Manager Extension (irq-enable-disable.c,
 * irq-raise-clear.c, irq-priority.c, irq-handler-iterate.c, irq-generic.c
 * rtems_interrupt_entry_install, irq-entry-remove.c) on the test BSP (controller lines 0-7,
 * line 0 the clock's), without and with a BspInterruptController; and the CPU Usage
 * Statistics report and reset (libmisc/cpuuse/cpuusagereport.c, cpuusagereset.c).
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_INTERRUPT_SIGNAL_LEVEL_HIGH, ZERO_INTERRUPT_ATTRIBUTES } from '../interruptAttributes.js';
import { InterruptEntry } from '../interruptEntry.js';
import { RTEMS_INTERRUPT_REPLACE, RTEMS_INTERRUPT_SHARED, RTEMS_INTERRUPT_UNIQUE } from '../interruptOptions.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE } from '../options.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { timestampDivide } from './cpuUsage.js';
import { type Harness, harness } from './testHarness.js';

const names = (statuses: readonly RtemsStatus[]): string => statuses.map((status) => RtemsStatus[status]).join(' ');

/** A controller over the test BSP's InterruptController: lines 1-7 maskable, raisable, clearable; line 7 cannot be raised. */
function giveController(h: Harness): void {
  const c = h.controller;
  h.bsp.interruptController = {
    attributes: (vector) => ({ isMaskable: true, canEnable: true, maybeEnable: true, canDisable: true, maybeDisable: true, canRaise: vector !== 7, canClear: true, triggerSignal: RTEMS_INTERRUPT_SIGNAL_LEVEL_HIGH }),
    isEnabled: (vector) => !c.isMasked(vector),
    enable: (vector) => (c.setMasked(vector, false), true),
    disable: (vector) => (c.setMasked(vector, true), true),
    isPending: (vector) => c.isPending(vector),
    raise: (vector) => vector !== 7 && (c.raise(vector), true),
    clear: (vector) => (c.clear(vector), true),
  };
}

describe('per-vector directives without a BSP interrupt controller (RTEMS irq-default.c)', () => {
  it('INVALID_ID for a vector the BSP does not have, UNSATISFIED for every valid one; attributes all false but the one-processor affinity', () => {
    const h = harness(function* (rtems, h) {
      h.note(names([rtems.interruptVectorEnable(8), rtems.interruptVectorDisable(-1), rtems.interruptRaise(8), rtems.interruptClear(99), rtems.interruptRaiseOn(8, 0), rtems.interruptSetPriority(8, 1)]));
      h.note(names([rtems.interruptVectorEnable(3), rtems.interruptVectorDisable(3), rtems.interruptRaise(3), rtems.interruptClear(3), rtems.interruptRaiseOn(3, 0), rtems.interruptSetPriority(3, 1)]));
      // rtems_interrupt_raise_on: processor 1 does not exist on one processor.
      h.note(names([rtems.interruptRaiseOn(3, 1), rtems.interruptRaiseOn(3, -1)]));
      const { status, enabled } = rtems.interruptVectorIsEnabled(3);
      const pending = rtems.interruptIsPending(3);
      const priority = rtems.interruptGetPriority(3);
      h.note(`${RtemsStatus[status]} ${enabled} ${RtemsStatus[pending.status]} ${pending.pending} ${RtemsStatus[priority.status]} ${priority.priority}`);
      h.note(`${RtemsStatus[rtems.interruptVectorIsEnabled(8).status]} ${RtemsStatus[rtems.interruptIsPending(8).status]} ${RtemsStatus[rtems.interruptGetPriority(8).status]}`);
      const bad = rtems.interruptGetAttributes(8);
      const good = rtems.interruptGetAttributes(3);
      h.note(`${RtemsStatus[bad.status]} ${JSON.stringify(bad.attributes) === JSON.stringify(ZERO_INTERRUPT_ATTRIBUTES)}`);
      h.note(`${RtemsStatus[good.status]} ${JSON.stringify({ ...good.attributes, canGetAffinity: false, canSetAffinity: false }) === JSON.stringify(ZERO_INTERRUPT_ATTRIBUTES)} ${good.attributes.canGetAffinity} ${good.attributes.canSetAffinity}`);
      yield 0;
    });
    h.run(1_000_000);
    expect(h.log).toEqual([
      '0 INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID',
      '0 UNSATISFIED UNSATISFIED UNSATISFIED UNSATISFIED UNSATISFIED UNSATISFIED',
      '0 NOT_CONFIGURED NOT_CONFIGURED',
      '0 UNSATISFIED false UNSATISFIED false UNSATISFIED 0',
      '0 INVALID_ID INVALID_ID INVALID_ID',
      '0 INVALID_ID true',
      '0 SUCCESSFUL true true true',
    ]);
  });
});

describe('per-vector directives through a BSP interrupt controller', () => {
  it('disable masks the line (a request waits pending), enable lets it in, raise and clear act on the pending state; UNSATISFIED where the controller cannot', () => {
    const h = harness(function* (rtems, h) {
      const isr = (rtems: Rtems, arg: string): void => h.note(`ISR ${arg} pending ${rtems.interruptIsPending(3).pending}`);
      h.note(names([rtems.interruptHandlerInstall(3, 'three', RTEMS_INTERRUPT_UNIQUE, isr, 'three')]));
      h.note(names([rtems.interruptVectorDisable(3)]) + ` enabled ${rtems.interruptVectorIsEnabled(3).enabled}`);
      yield* rtems.taskWakeAfter(2);
      // The device raised at 1 ms: the request waits at the controller.
      h.note(`pending ${rtems.interruptIsPending(3).pending}`);
      h.note(names([rtems.interruptClear(3)]) + ` pending ${rtems.interruptIsPending(3).pending}`);
      h.note(names([rtems.interruptVectorEnable(3)]) + ` enabled ${rtems.interruptVectorIsEnabled(3).enabled}`);
      // Software raise: the ISR runs as soon as the controller asks for it.
      h.note(names([rtems.interruptRaise(3)]));
      yield rtems.compute(100);
      h.note(names([rtems.interruptRaiseOn(3, 0), rtems.interruptRaise(7), rtems.interruptRaiseOn(7, 0)]));
      yield rtems.compute(100);
      const { attributes } = rtems.interruptGetAttributes(7);
      h.note(`7: raise ${attributes.canRaise} raiseOn ${attributes.canRaiseOn} clear ${attributes.canClear} signal ${attributes.triggerSignal}`);
    });
    giveController(h);
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 SUCCESSFUL',
      '0 SUCCESSFUL enabled false',
      '2000000 pending true',
      '2000000 SUCCESSFUL pending false',
      '2000000 SUCCESSFUL enabled true',
      '2000000 SUCCESSFUL',
      '2000000 ISR three pending false',
      '2001000 SUCCESSFUL UNSATISFIED UNSATISFIED',
      '2001000 ISR three pending false',
      '2002000 7: raise false raiseOn false clear true signal 3',
    ]);
  });
});

describe('rtems_interrupt_entry_install / remove and rtems_interrupt_handler_iterate', () => {
  it('entries share the handler table: RTEMS order of checks, INVALID_NUMBER for REPLACE, removal by identity; iterate reports info, options, routine and argument', () => {
    const h = harness(function* (rtems, h) {
      const routine = (_rtems: Rtems, arg: string): void => h.note(`routine(${arg})`);
      const first = rtems.interruptEntryInitialize(routine, 'first', 'First');
      const second = rtems.interruptEntryInitialize(routine, 'second', 'Second');
      const twin = rtems.interruptEntryInitialize(routine, 'first', 'Twin of first');
      const noRoutine = rtems.interruptEntryInitialize(undefined as never, 'x', 'none');
      const visit = (vector: number): string => {
        const seen: string[] = [];
        const status = rtems.interruptHandlerIterate(
          vector,
          (arg: string, info, options, handler, handlerArg) => {
            seen.push(`${arg}:${String(info)}/${options === RTEMS_INTERRUPT_UNIQUE ? 'UNIQUE' : 'SHARED'}/${handler === routine}/${String(handlerArg)}`);
          },
          'v',
        );
        return `${RtemsStatus[status]} [${seen.join(' ')}]`;
      };
      h.note(
        names([
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_SHARED, undefined as never),
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_SHARED, { routine, arg: 'x', info: 'x' } as never),
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_SHARED, noRoutine),
          rtems.interruptEntryInstall(8, RTEMS_INTERRUPT_SHARED, first),
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_REPLACE, first),
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_SHARED, first),
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_SHARED, twin),
          rtems.interruptHandlerInstall(3, 'handler', RTEMS_INTERRUPT_SHARED, routine, 'third'),
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_UNIQUE, second),
          rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_SHARED, second),
          rtems.interruptEntryInstall(0, RTEMS_INTERRUPT_SHARED, second),
        ]),
      );
      h.note(visit(3));
      h.note(`${visit(4)} ${visit(8)} ${RtemsStatus[rtems.interruptHandlerIterate(3, undefined as never, 0)]}`);
      yield* rtems.taskWakeAfter(2);
      h.note(
        names([
          rtems.interruptEntryRemove(3, undefined as never),
          rtems.interruptEntryRemove(9, first),
          // Same routine and argument as `first`, but another entry: not this one.
          rtems.interruptEntryRemove(3, twin),
          rtems.interruptEntryRemove(4, first),
          rtems.interruptEntryRemove(3, first),
          rtems.interruptEntryRemove(3, first),
          // A handler installed by rtems_interrupt_handler_install is no entry of the application's.
          rtems.interruptEntryRemove(3, rtems.interruptEntryInitialize(routine, 'third', 'handler')),
        ]),
      );
      h.note(visit(3));
      h.note(names([rtems.interruptHandlerRemove(3, routine, 'third'), rtems.interruptEntryRemove(3, second)]));
      h.note(visit(3));
      // The vector is free and masked again: a unique entry takes it.
      h.note(names([rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_UNIQUE, first), rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_SHARED, second)]));
      h.note(visit(3));
      yield* rtems.taskWakeAfter(2);
    });
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.board.queue.at(3_000_000, () => h.controller.raise(3));
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 INVALID_ADDRESS INVALID_ADDRESS INVALID_ADDRESS INVALID_ID INVALID_NUMBER SUCCESSFUL TOO_MANY SUCCESSFUL RESOURCE_IN_USE SUCCESSFUL RESOURCE_IN_USE',
      '0 SUCCESSFUL [v:First/SHARED/true/first v:handler/SHARED/true/third v:Second/SHARED/true/second]',
      '0 SUCCESSFUL [] INVALID_ID [] INVALID_ADDRESS',
      '1000000 routine(first)',
      '1000000 routine(third)',
      '1000000 routine(second)',
      '2000000 INVALID_ADDRESS INVALID_ID UNSATISFIED UNSATISFIED SUCCESSFUL UNSATISFIED UNSATISFIED',
      '2000000 SUCCESSFUL [v:handler/SHARED/true/third v:Second/SHARED/true/second]',
      '2000000 SUCCESSFUL SUCCESSFUL',
      '2000000 SUCCESSFUL []',
      '2000000 SUCCESSFUL RESOURCE_IN_USE',
      '2000000 SUCCESSFUL [v:First/UNIQUE/true/first]',
      '3000000 routine(first)',
    ]);
  });

  it('entry install, entry remove and iterate from interrupt context are CALLED_FROM_ISR', () => {
    const h = harness(function* (rtems, h) {
      const entry = rtems.interruptEntryInitialize((isr: Rtems) => {
        h.note(names([isr.interruptEntryInstall(5, RTEMS_INTERRUPT_SHARED, entry), isr.interruptEntryRemove(3, entry), isr.interruptHandlerIterate(3, () => {}, 0)]));
      }, 0);
      h.note(`${entry instanceof InterruptEntry} ${names([rtems.interruptEntryInstall(3, RTEMS_INTERRUPT_UNIQUE, entry)])}`);
      yield* rtems.taskWakeAfter(2);
    });
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.run(3_000_000);
    expect(h.log).toEqual(['0 true SUCCESSFUL', '1000000 CALLED_FROM_ISR CALLED_FROM_ISR CALLED_FROM_ISR']);
  });
});

describe('rtems_cpu_usage_report / rtems_cpu_usage_reset (libmisc/cpuuse)', () => {
  it('_Timestamp_Divide: thousandths of a percent, truncated; 0 for no time', () => {
    expect(timestampDivide(1, 3)).toEqual({ ival: 33, fval: 333 });
    expect(timestampDivide(2, 3)).toEqual({ ival: 66, fval: 666 });
    expect(timestampDivide(5, 0)).toEqual({ ival: 0, fval: 0 });
    expect(timestampDivide(10, 10)).toEqual({ ival: 100, fval: 0 });
  });

  it('prints the RTEMS 6 table through printk: IDLE first, then the tasks; reset counts from zero again', () => {
    const h = harness(function* (rtems) {
      const { id } = rtems.taskCreate('TA1', 10, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        function* (rtems) {
          yield rtems.compute(200_000); // 2 ms at 100 MHz
          yield* rtems.taskSuspend(0);
        },
        0,
      );
      yield rtems.compute(300_000); // 3 ms
      yield* rtems.taskWakeAfter(10); // TA1 runs 2 ms, then IDLE until 13 ms
      rtems.cpuUsageReport();
      rtems.cpuUsageReset();
      yield rtems.compute(50_000); // 0.5 ms
      rtems.cpuUsageReport();
    }, { configuration: { maximumTasks: 2 } });
    h.run(20_000_000);
    const header = [
      '-------------------------------------------------------------------------------',
      '                              CPU USAGE BY THREAD',
      '------------+----------------------------------------+---------------+---------',
      ' ID         | NAME                                   | SECONDS       | PERCENT',
      '------------+----------------------------------------+---------------+---------',
    ];
    const footer = (time: string): string[] => [
      '------------+----------------------------------------+---------------+---------',
      ` TIME SINCE LAST CPU USAGE RESET IN SECONDS:                    ${time}`,
      '-------------------------------------------------------------------------------',
    ];
    const row = (id: string, name: string, seconds: string, percent: string): string => ` 0x${id} | ${name.padEnd(38)} |${seconds} |${percent}`;
    // Before the first reset the total is the uptime plus the timecounter's first second: 1.013 s.
    // IDLE ran from 5 ms to 13 ms (8 ms), Init 3 ms, TA1 2 ms.
    expect(h.consoleText().split('\n')).toEqual([
      ...header,
      row('09010001', 'IDLE', '      0.008000', '   0.789'),
      row('0a010001', 'UI1', '      0.003000', '   0.296'),
      row('0a010002', 'TA1', '      0.002000', '   0.197'),
      ...footer('      1.013000'),
      ...header,
      row('09010001', 'IDLE', '      0.000000', '   0.000'),
      row('0a010001', 'UI1', '      0.000500', ' 100.000'),
      row('0a010002', 'TA1', '      0.000000', '   0.000'),
      ...footer('      0.000500'),
      '',
    ]);
  });
});
