/**
 * The Interrupt Manager on the test BSP (controller lines 0-7, line 0 the clock's): RTEMS 6
 * rtems_interrupt_handler_install / rtems_interrupt_handler_remove (bsps/shared/irq/
 * irq-generic.c, irq-handler-install.c, irq-handler-remove.c; rtems-central
 * spec:/rtems/intr/if/handler-install, handler-remove), rtems_interrupt_local_disable /
 * enable and rtems_interrupt_is_in_progress, and the CPU port's interrupt mask.
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import type { Application } from '../application.js';
import { RTEMS_INTERRUPT_REPLACE, RTEMS_INTERRUPT_SHARED, RTEMS_INTERRUPT_UNIQUE } from '../interruptOptions.js';
import { RTEMS_CURRENT_MODE, RTEMS_INTERRUPT_LEVEL, RTEMS_INTERRUPT_MASK } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE } from '../options.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { createTestSystem } from '../test.js';
import { ZERO_EXECUTIVE_COSTS } from '../executiveCosts.js';
import { harness } from './testHarness.js';

const names = (statuses: readonly RtemsStatus[]): string => statuses.map((status) => RtemsStatus[status]).join(' ');

describe('rtems_interrupt_handler_install / remove (RTEMS 6 irq-generic.c)', () => {
  it('checks in RTEMS order, shares a vector between shared handlers, keeps unique ones alone, and dispatches in installation order', () => {
    const h = harness(function* (rtems, h) {
      const a = (rtems: Rtems, arg: string): void => h.note(`A(${arg}) in ISR ${rtems.interruptIsInProgress()}`);
      const b = function* (_rtems: Rtems, arg: string): Generator<number, void, unknown> {
        h.note(`B(${arg})`);
        yield 100;
      };
      const statuses = [
        rtems.interruptHandlerInstall(3, 'no routine', RTEMS_INTERRUPT_SHARED, undefined as never, 'x'),
        // No such vector: the controller has lines 0-7 (and no negative ones: -1 is 0xffffffff).
        rtems.interruptHandlerInstall(8, 'A', RTEMS_INTERRUPT_SHARED, a, 'x'),
        rtems.interruptHandlerInstall(-1, 'A', RTEMS_INTERRUPT_SHARED, a, 'x'),
        // The routine is checked before the vector.
        rtems.interruptHandlerInstall(8, 'no routine', RTEMS_INTERRUPT_SHARED, 42 as never, 'x'),
        // Line 0 is the clock driver's (a unique handler, as pc386's ckinit.c installs it).
        rtems.interruptHandlerInstall(0, 'A', RTEMS_INTERRUPT_SHARED, a, 'x'),
        rtems.interruptHandlerInstall(3, 'A1', RTEMS_INTERRUPT_SHARED, a, 'one'),
        rtems.interruptHandlerInstall(3, 'B', RTEMS_INTERRUPT_SHARED, b, 'two'),
        rtems.interruptHandlerInstall(3, 'A1 again', RTEMS_INTERRUPT_SHARED, a, 'one'),
        rtems.interruptHandlerInstall(3, 'A2', RTEMS_INTERRUPT_SHARED, a, 'three'),
        rtems.interruptHandlerInstall(3, 'unique', RTEMS_INTERRUPT_UNIQUE, a, 'four'),
        rtems.interruptHandlerInstall(4, 'unique', RTEMS_INTERRUPT_UNIQUE, a, 'four'),
        rtems.interruptHandlerInstall(4, 'shared on unique', RTEMS_INTERRUPT_SHARED, b, 'five'),
        rtems.interruptHandlerInstall(4, 'unique again', RTEMS_INTERRUPT_UNIQUE, b, 'five'),
        // Replace: the entry with this routine and argument (RTEMS 6's lookup), else UNSATISFIED.
        rtems.interruptHandlerInstall(3, 'replace', RTEMS_INTERRUPT_REPLACE, b, 'nine'),
        rtems.interruptHandlerInstall(3, 'B renamed', RTEMS_INTERRUPT_REPLACE, b, 'two'),
        rtems.interruptHandlerInstall(5, 'replace', RTEMS_INTERRUPT_REPLACE, b, 'two'),
      ];
      h.note(names(statuses));
      yield* rtems.taskWakeAfter(3);
      const removals = [
        rtems.interruptHandlerRemove(3, undefined as never, 'one'),
        rtems.interruptHandlerRemove(9, a, 'one'),
        rtems.interruptHandlerRemove(3, a, 'nine'),
        rtems.interruptHandlerRemove(5, a, 'one'),
        rtems.interruptHandlerRemove(0, a, 'x'),
        rtems.interruptHandlerRemove(3, a, 'one'),
        rtems.interruptHandlerRemove(3, a, 'one'),
      ];
      h.note(names(removals));
      yield* rtems.taskWakeAfter(3);
      h.note(names([rtems.interruptHandlerRemove(3, b, 'two'), rtems.interruptHandlerRemove(3, a, 'three')]));
      yield* rtems.taskWakeAfter(3);
      // The vector is free again: a unique handler may have it now.
      h.note(names([rtems.interruptHandlerInstall(3, 'unique', RTEMS_INTERRUPT_UNIQUE, b, 'six')]));
      yield* rtems.taskWakeAfter(3);
    });
    for (const at of [1_500_000, 4_500_000, 7_500_000, 10_500_000]) h.board.queue.at(at, () => h.controller.raise(3));
    h.board.queue.at(1_600_000, () => h.controller.raise(4));
    h.run(13_000_000);
    expect(h.log).toEqual([
      '0 INVALID_ADDRESS INVALID_ID INVALID_ID INVALID_ADDRESS RESOURCE_IN_USE SUCCESSFUL SUCCESSFUL TOO_MANY SUCCESSFUL RESOURCE_IN_USE SUCCESSFUL RESOURCE_IN_USE RESOURCE_IN_USE UNSATISFIED SUCCESSFUL UNSATISFIED',
      '1500000 A(one) in ISR true',
      '1500000 B(two)',
      '1500000 A(three) in ISR true',
      '1600000 A(four) in ISR true',
      '3000000 INVALID_ADDRESS INVALID_ID UNSATISFIED UNSATISFIED UNSATISFIED SUCCESSFUL UNSATISFIED',
      '4500000 B(two)',
      '4500000 A(three) in ISR true',
      // The last handler gone, the vector is masked again: the interrupt at 7.5 ms runs nothing.
      '6000000 SUCCESSFUL SUCCESSFUL',
      '9000000 SUCCESSFUL',
      '10500000 B(six)',
    ]);
  });

  it('install and remove from interrupt context are CALLED_FROM_ISR (after the routine and vector checks)', () => {
    const h = harness(function* (rtems, h) {
      const isr = (rtems: Rtems): void => {
        h.note(
          names([
            rtems.interruptHandlerInstall(5, 'in ISR', RTEMS_INTERRUPT_SHARED, isr, 1),
            rtems.interruptHandlerInstall(5, 'in ISR', RTEMS_INTERRUPT_SHARED, undefined as never, 1),
            rtems.interruptHandlerInstall(99, 'in ISR', RTEMS_INTERRUPT_SHARED, isr, 1),
            rtems.interruptHandlerRemove(3, isr, 0),
          ]),
        );
      };
      rtems.interruptHandlerInstall(3, 'ISR', RTEMS_INTERRUPT_UNIQUE, isr, 0);
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 2, (rtems) => h.note(`from a timer routine: ${names([rtems.interruptHandlerInstall(6, 'tsr', RTEMS_INTERRUPT_UNIQUE, isr, 1)])}`));
      yield* rtems.taskWakeAfter(3);
    });
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.run(3_000_000);
    expect(h.log).toEqual(['1000000 CALLED_FROM_ISR INVALID_ADDRESS INVALID_ID CALLED_FROM_ISR', '2000000 from a timer routine: CALLED_FROM_ISR']);
  });

  it('interruptHandlerInstall(vector, routine) is a unique handler whose argument is the vector', () => {
    const h = harness(function* (rtems, h) {
      const routine = (_rtems: Rtems, vector: number): void => h.note(`vector ${vector}`);
      const statuses = [
        rtems.interruptHandlerInstall(5, routine),
        rtems.interruptHandlerInstall(5, () => {}),
        rtems.interruptHandlerInstall(5, 'shared', RTEMS_INTERRUPT_SHARED, routine, 7),
        rtems.interruptHandlerInstall(9, routine),
        rtems.interruptHandlerInstall(6, 'x' as never),
      ];
      h.note(names(statuses));
      yield* rtems.taskWakeAfter(2);
      h.note(names([rtems.interruptHandlerRemove(5, routine, 0), rtems.interruptHandlerRemove(5, routine, 5)]));
      yield* rtems.taskWakeAfter(2);
    });
    h.board.queue.at(1_000_000, () => h.controller.raise(5));
    h.board.queue.at(3_000_000, () => h.controller.raise(5));
    h.run(5_000_000);
    expect(h.log).toEqual([
      '0 SUCCESSFUL RESOURCE_IN_USE RESOURCE_IN_USE INVALID_ID INVALID_ADDRESS',
      '1000000 vector 5',
      '2000000 UNSATISFIED SUCCESSFUL',
    ]);
  });
});

describe('interrupt levels', () => {
  it('rtems_interrupt_local_disable / enable nest and return the previous level, as rtems_interrupt_disable / enable', () => {
    const h = harness(function* (rtems, h) {
      const outer = rtems.interruptLocalDisable();
      const inner = rtems.interruptLocalDisable();
      const inside = rtems.interruptIsInProgress();
      rtems.interruptLocalEnable(inner);
      const afterInner = h.processor.interruptsEnabled;
      rtems.interruptLocalEnable(outer);
      h.note(`cookies ${outer} ${inner}, in ISR ${inside}, enabled after inner ${afterInner}, after outer ${h.processor.interruptsEnabled}`);
      yield 1;
    });
    h.run(1_000_000);
    // Init starts with interrupts enabled (level 0).
    expect(h.log).toEqual(['0 cookies 0 1, in ISR false, enabled after inner false, after outer true']);
  });

  /** A task created with `mode`: the level it starts at, and what it reads back after rtems_task_mode(level 3). */
  function levels(interruptMask: number | undefined, mode: number): string[] {
    const log: string[] = [];
    const application: Application = {
      name: 'levels',
      description: 'interrupt levels of a task mode',
      configuration: { maximumTasks: 2 },
      *init(rtems) {
        log.push(`mask 0x${rtems.interruptMask.toString(16)} RTEMS_INTERRUPT_LEVEL(2) = ${rtems.interruptLevelBody(2)}, (3) = ${rtems.interruptLevelBody(3)}`);
        const { id } = rtems.taskCreate('LVL', 1, RTEMS_MINIMUM_STACK_SIZE, mode, RTEMS_DEFAULT_ATTRIBUTES);
        yield* rtems.taskStart(
          id,
          function* (rtems) {
            const start = (yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0)).previousMode & RTEMS_INTERRUPT_MASK;
            yield* rtems.taskMode(RTEMS_INTERRUPT_LEVEL(3), RTEMS_INTERRUPT_MASK);
            const three = (yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0)).previousMode & RTEMS_INTERRUPT_MASK;
            yield* rtems.taskMode(RTEMS_INTERRUPT_LEVEL(2), RTEMS_INTERRUPT_MASK);
            const two = (yield* rtems.taskMode(RTEMS_CURRENT_MODE, 0)).previousMode & RTEMS_INTERRUPT_MASK;
            log.push(`starts at ${start}, level 3 reads ${three}, level 2 reads ${two}`);
            rtems.exit(0);
          },
          0,
        );
        yield* rtems.taskWakeAfter(1);
      },
    };
    const system = createTestSystem({ application, costs: ZERO_EXECUTIVE_COSTS, ...(interruptMask !== undefined ? { interruptMask } : {}) });
    system.run(2_000_000);
    return log;
  }

  it("a task mode's level is the CPU port's bits of it (CPU_MODES_INTERRUPT_MASK): one enable flag with mask 0x1 takes level 2 as 0", () => {
    // The test double has one enable flag: any level but 0 reads back as 1.
    expect(levels(undefined, RTEMS_INTERRUPT_LEVEL(2))).toEqual(['mask 0xff RTEMS_INTERRUPT_LEVEL(2) = 2, (3) = 3', 'starts at 1, level 3 reads 1, level 2 reads 1']);
    // As on the i386 (cpu.h: 0x00000001): 2 & 0x1 = 0, interrupts enabled; 3 & 0x1 = 1.
    expect(levels(0x1, RTEMS_INTERRUPT_LEVEL(2))).toEqual(['mask 0x1 RTEMS_INTERRUPT_LEVEL(2) = 0, (3) = 1', 'starts at 0, level 3 reads 1, level 2 reads 0']);
  });
});
