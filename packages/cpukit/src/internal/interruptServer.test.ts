/**
 * The interrupt server (RTEMS 6 irq-extension.h, bsps/shared/irq/irq-server.c) on the test
 * BSP (bare metal, controller lines 0-7, line 0 the clock's) with a BspInterruptController,
 * and rtems_object_get_class_information (rtemsobjectgetclassinfo.c).
 */
import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_INTERRUPT_SHARED, RTEMS_INTERRUPT_UNIQUE } from '../interruptOptions.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API, OBJECTS_INTERNAL_API, OBJECTS_POSIX_API, buildObjectId } from '../objectId.js';
import { buildName } from '../objectName.js';
import { RTEMS_MINIMUM_STACK_SIZE } from '../options.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { type Harness, harness } from './testHarness.js';

const names = (statuses: readonly RtemsStatus[]): string => statuses.map((status) => RtemsStatus[status]).join(' ');

/** A controller over the test BSP's InterruptController: lines maskable. */
function giveController(h: Harness): void {
  const c = h.controller;
  h.bsp.interruptController = {
    attributes: () => ({ isMaskable: true, canEnable: true, canDisable: true }),
    isEnabled: (vector) => !c.isMasked(vector),
    enable: (vector) => (c.setMasked(vector, false), true),
    disable: (vector) => (c.setMasked(vector, true), true),
    isPending: (vector) => c.isPending(vector),
  };
}

/** Where a handler runs: the executing task's name and whether in an ISR, and the vector's state. */
function where(rtems: Rtems, vector: number): string {
  return `${rtems.objectGetName(rtems.taskSelf(), 5) ?? '?'} isr ${rtems.interruptIsInProgress()} enabled ${rtems.interruptVectorIsEnabled(vector).enabled}`;
}

function* start(rtems: Rtems, h: Harness, priority: number): Generator<number, void, unknown> {
  const { status, serverCount } = yield* rtems.interruptServerInitialize(priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  h.note(`initialize ${RtemsStatus[status]} ${serverCount}`);
}

describe('rtems_interrupt_server_initialize and handler install (irq-server.c)', () => {
  it('answers INCORRECT_STATE before initialize and for a second initialize; INVALID_ID for another index', () => {
    const h = harness(function* (rtems, h) {
      const isr = (): void => undefined;
      h.note(names([yield* rtems.interruptServerHandlerInstall(0, 3, 'x', RTEMS_INTERRUPT_SHARED, isr, 0), yield* rtems.interruptServerSuspend(0), rtems.interruptServerEntryInitialize(0).status]));
      const bad = yield* rtems.interruptServerInitialize(0, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      h.note(`${RtemsStatus[bad.status]} ${bad.serverCount}`);
      yield* start(rtems, h, 5);
      yield* start(rtems, h, 5);
      h.note(names([yield* rtems.interruptServerHandlerInstall(1, 3, 'x', RTEMS_INTERRUPT_SHARED, isr, 0), yield* rtems.interruptServerResume(7), yield* rtems.interruptServerDelete(1)]));
      h.note(names([rtems.interruptServerRequestInitialize(1, isr, 0).status, rtems.interruptServerEntryInitialize(1).status]));
    }, { configuration: { initTaskPriority: 10 } });
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 INVALID_ID INVALID_ID INVALID_ID',
      '0 INVALID_PRIORITY 0',
      '0 initialize SUCCESSFUL 1',
      '0 initialize INCORRECT_STATE 0',
      '0 INVALID_ID INVALID_ID INVALID_ID',
      '0 INVALID_ID INVALID_ID',
    ]);
  });

  it('runs the handlers of a vector in the server task, in order, with the vector disabled until they are done', () => {
    const h = harness(function* (rtems, h) {
      yield* start(rtems, h, 20);
      const a = (rtems: Rtems, arg: string): void => h.note(`${arg}: ${where(rtems, 3)}`);
      const b = function* (rtems: Rtems, arg: string): Generator<number, void, unknown> {
        h.note(`${arg}: ${where(rtems, 3)}`);
        yield* rtems.taskWakeAfter(1);
        h.note(`${arg} after a wait: ${where(rtems, 3)}`);
      };
      h.note(names([yield* rtems.interruptServerHandlerInstall(0, 3, 'A', RTEMS_INTERRUPT_SHARED, a, 'A'), yield* rtems.interruptServerHandlerInstall(0, 3, 'B', RTEMS_INTERRUPT_SHARED, b, 'B')]));
      h.note(`enabled ${rtems.interruptVectorIsEnabled(3).enabled}`);
      // The line is raised at 1 ms: the trigger disables the vector and queues the entry; the server (20) waits for Init (10).
      yield rtems.compute(200_000);
      h.note(`queued: enabled ${rtems.interruptVectorIsEnabled(3).enabled}`);
      yield* rtems.taskWakeAfter(5);
      h.note(`after: enabled ${rtems.interruptVectorIsEnabled(3).enabled}`);
    }, { configuration: { initTaskPriority: 10 } });
    giveController(h);
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 initialize SUCCESSFUL 1',
      '0 SUCCESSFUL SUCCESSFUL',
      '0 enabled true',
      '2000000 queued: enabled false',
      '2000000 A: IRQS isr false enabled false',
      '2000000 B: IRQS isr false enabled false',
      '3000000 B after a wait: IRQS isr false enabled false',
      '7000000 after: enabled true',
    ]);
  });

  it('install, remove and iterate: RESOURCE_IN_USE, TOO_MANY, UNSATISFIED, INVALID_ID, INVALID_ADDRESS; the last remove frees the vector', () => {
    const h = harness(function* (rtems, h) {
      yield* start(rtems, h, 5);
      const a = (): void => undefined;
      const b = (): void => undefined;
      h.note(names([
        yield* rtems.interruptServerHandlerInstall(0, 9, 'A', RTEMS_INTERRUPT_SHARED, a, 1),
        yield* rtems.interruptServerHandlerInstall(0, 0, 'A', RTEMS_INTERRUPT_SHARED, a, 1),
        yield* rtems.interruptServerHandlerInstall(0, 3, 'A', RTEMS_INTERRUPT_SHARED, undefined as never, 1),
        yield* rtems.interruptServerHandlerInstall(0, 3, 'A', RTEMS_INTERRUPT_SHARED, a, 1),
        yield* rtems.interruptServerHandlerInstall(0, 3, 'A', RTEMS_INTERRUPT_SHARED, a, 1),
        yield* rtems.interruptServerHandlerInstall(0, 3, 'B', RTEMS_INTERRUPT_UNIQUE, b, 1),
        yield* rtems.interruptServerHandlerInstall(0, 3, 'B', RTEMS_INTERRUPT_SHARED, b, 2),
        yield* rtems.interruptServerHandlerInstall(0, 4, 'U', RTEMS_INTERRUPT_UNIQUE, a, 1),
        yield* rtems.interruptServerHandlerInstall(0, 4, 'U', RTEMS_INTERRUPT_SHARED, b, 1),
      ]));
      const seen: string[] = [];
      const visit = (arg: string, info: unknown, options: number, handler: unknown, handlerArg: unknown): void => {
        seen.push(`${arg} ${String(info)} ${options} ${handler === a ? 'a' : 'b'} ${String(handlerArg)}`);
      };
      h.note(names([yield* rtems.interruptServerHandlerIterate(0, 3, visit, 'v'), yield* rtems.interruptServerHandlerIterate(0, 4, visit, 'v'), yield* rtems.interruptServerHandlerIterate(0, 5, visit, 'v'), yield* rtems.interruptServerHandlerIterate(0, 9, visit, 'v'), yield* rtems.interruptServerHandlerIterate(1, 3, visit, 'v')]));
      h.note(seen.join(', '));
      // The ordinary table holds one trigger per vector ('IRQS').
      const table: string[] = [];
      rtems.interruptHandlerIterate(3, (_arg, info, options) => table.push(`${String(info)} ${options}`), 0);
      h.note(table.join(', '));
      h.note(names([
        yield* rtems.interruptServerHandlerRemove(0, 3, b, 9),
        yield* rtems.interruptServerHandlerRemove(0, 5, b, 9),
        yield* rtems.interruptServerHandlerRemove(0, 3, a, 1),
        yield* rtems.interruptServerHandlerRemove(0, 3, b, 2),
        yield* rtems.interruptServerHandlerIterate(0, 3, visit, 'v'),
      ]));
      h.note(names([rtems.interruptHandlerInstall(3, 'plain', RTEMS_INTERRUPT_UNIQUE, a, 0)]));
    }, { configuration: { initTaskPriority: 10 } });
    giveController(h);
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 initialize SUCCESSFUL 1',
      '0 INVALID_ID RESOURCE_IN_USE INVALID_ADDRESS SUCCESSFUL TOO_MANY RESOURCE_IN_USE SUCCESSFUL SUCCESSFUL RESOURCE_IN_USE',
      '0 SUCCESSFUL SUCCESSFUL UNSATISFIED INVALID_ID INVALID_ID',
      `0 v undefined ${RTEMS_INTERRUPT_SHARED} a 1, v undefined ${RTEMS_INTERRUPT_SHARED} b 2, v undefined ${RTEMS_INTERRUPT_UNIQUE} a 1`,
      `0 IRQS ${RTEMS_INTERRUPT_SHARED}`,
      '0 UNSATISFIED INVALID_ID SUCCESSFUL SUCCESSFUL UNSATISFIED',
      '0 SUCCESSFUL',
    ]);
  });
});

describe('rtems_interrupt_server_suspend / _resume, entries and requests', () => {
  it('a suspended server holds its queued entries; resume runs them, then re-enables the vector', () => {
    const h = harness(function* (rtems, h) {
      yield* start(rtems, h, 5);
      h.note(names([yield* rtems.interruptServerHandlerInstall(0, 3, 'A', RTEMS_INTERRUPT_UNIQUE, (rtems: Rtems) => h.note(`A: ${where(rtems, 3)}`), 0)]));
      h.note(names([yield* rtems.interruptServerSuspend(0)]));
      yield* rtems.taskWakeAfter(3);
      h.note(`suspended: enabled ${rtems.interruptVectorIsEnabled(3).enabled}`);
      h.note(names([yield* rtems.interruptServerResume(0)]));
      h.note(`resumed: enabled ${rtems.interruptVectorIsEnabled(3).enabled}`);
    }, { configuration: { initTaskPriority: 10 } });
    giveController(h);
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 initialize SUCCESSFUL 1',
      '0 SUCCESSFUL',
      '0 SUCCESSFUL',
      '3000000 suspended: enabled false',
      '3000000 A: IRQS isr false enabled false',
      '3000000 SUCCESSFUL',
      '3000000 resumed: enabled true',
    ]);
  });

  it('an entry runs its actions in order (prepend puts one first), once however often it is submitted before it runs; move and destroy', () => {
    const h = harness(function* (rtems, h) {
      yield* start(rtems, h, 20);
      const { status, entry } = rtems.interruptServerEntryInitialize(0);
      h.note(RtemsStatus[status]);
      if (entry === undefined) return;
      const act = (rtems: Rtems, arg: string): void => h.note(`${arg}: ${where(rtems, 3)}`);
      rtems.interruptServerActionPrepend(entry, act, 'second');
      rtems.interruptServerActionPrepend(entry, act, 'first');
      yield* rtems.interruptServerEntrySubmit(entry);
      yield* rtems.interruptServerEntrySubmit(entry);
      h.note('submitted twice');
      yield* rtems.taskWakeAfter(1);
      h.note(names([rtems.interruptServerEntryMove(entry, 1), rtems.interruptServerEntryMove(entry, 0)]));
      // Destroy takes a queued entry off the server: its actions do not run.
      yield* rtems.interruptServerEntrySubmit(entry);
      yield* rtems.interruptServerEntryDestroy(entry);
      h.note('destroyed');
      yield* rtems.taskWakeAfter(1);
    }, { configuration: { initTaskPriority: 10 } });
    giveController(h);
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 initialize SUCCESSFUL 1',
      '0 SUCCESSFUL',
      '0 submitted twice',
      '0 first: IRQS isr false enabled true',
      '0 second: IRQS isr false enabled true',
      '1000000 INVALID_ID SUCCESSFUL',
      '1000000 destroyed',
    ]);
  });

  it('a request submitted from an ISR runs in the server; with a vector, the vector is disabled until it ran', () => {
    const h = harness(function* (rtems, h) {
      yield* start(rtems, h, 5);
      const { status, request } = rtems.interruptServerRequestInitialize(0, (rtems: Rtems, arg: string) => h.note(`${arg}: ${where(rtems, 4)}`), 'request');
      h.note(RtemsStatus[status]);
      if (request === undefined) return;
      rtems.interruptServerRequestSetVector(request, 4);
      h.note(names([rtems.interruptHandlerInstall(3, 'isr', RTEMS_INTERRUPT_UNIQUE, function* (rtems: Rtems) {
        h.note(`ISR: enabled ${rtems.interruptVectorIsEnabled(4).enabled}`);
        yield* rtems.interruptServerRequestSubmit(request);
        h.note(`ISR after submit: enabled ${rtems.interruptVectorIsEnabled(4).enabled}`);
      }, 0)]));
      yield* rtems.taskWakeAfter(2);
      h.note(`after: enabled ${rtems.interruptVectorIsEnabled(4).enabled}`);
      yield* rtems.interruptServerRequestDestroy(request);
      h.note('destroyed');
    }, { configuration: { initTaskPriority: 10 } });
    giveController(h);
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 initialize SUCCESSFUL 1',
      '0 SUCCESSFUL',
      '0 SUCCESSFUL',
      '1000000 ISR: enabled true',
      '1000000 ISR after submit: enabled false',
      '1000000 request: IRQS isr false enabled false',
      '2000000 after: enabled true',
      '2000000 destroyed',
    ]);
  });

  it('rtems_interrupt_server_create / _move / _delete: a dynamic server, the vector moved to it, deleted with its destroy routine', () => {
    const h = harness(function* (rtems, h) {
      yield* start(rtems, h, 5);
      const bad = yield* rtems.interruptServerCreate({ name: buildName('I', 'R', 'Q', '2'), priority: 0, storageSize: RTEMS_MINIMUM_STACK_SIZE, modes: RTEMS_DEFAULT_MODES, attributes: RTEMS_DEFAULT_ATTRIBUTES });
      h.note(`${RtemsStatus[bad.status]} ${bad.serverIndex}`);
      const { status, serverIndex } = yield* rtems.interruptServerCreate({
        name: buildName('I', 'R', 'Q', '2'),
        priority: 6,
        storageSize: RTEMS_MINIMUM_STACK_SIZE,
        modes: RTEMS_DEFAULT_MODES,
        attributes: RTEMS_DEFAULT_ATTRIBUTES,
        destroy: (index) => h.note(`destroy ${index}`),
      });
      h.note(`${RtemsStatus[status]} ${serverIndex}`);
      const handler = (rtems: Rtems): void => h.note(`handler: ${where(rtems, 3)}`);
      h.note(names([yield* rtems.interruptServerHandlerInstall(0, 3, 'A', RTEMS_INTERRUPT_UNIQUE, handler, 0)]));
      h.note(names([yield* rtems.interruptServerMove(9, 3, serverIndex), yield* rtems.interruptServerMove(0, 3, 9), yield* rtems.interruptServerMove(0, 9, serverIndex), yield* rtems.interruptServerMove(0, 3, serverIndex)]));
      yield* rtems.taskWakeAfter(2);
      h.note(names([yield* rtems.interruptServerDelete(serverIndex), yield* rtems.interruptServerDelete(serverIndex)]));
      h.note(`task ${RtemsStatus[rtems.taskIdent(buildName('I', 'R', 'Q', '2'), 0).status]}`);
    }, { configuration: { initTaskPriority: 10 } });
    giveController(h);
    h.board.queue.at(1_000_000, () => h.controller.raise(3));
    h.run(10_000_000);
    expect(h.log).toEqual([
      '0 initialize SUCCESSFUL 1',
      '0 INVALID_PRIORITY 0',
      '0 SUCCESSFUL 4',
      '0 SUCCESSFUL',
      '0 INVALID_ID INVALID_ID INVALID_ID SUCCESSFUL',
      '1000000 handler: IRQ2 isr false enabled false',
      '2000000 destroy 4',
      '2000000 SUCCESSFUL INVALID_ID',
      '2000000 task INVALID_NAME',
    ]);
  });
});

describe('rtems_object_get_class_information (rtemsobjectgetclassinfo.c)', () => {
  it('ids, maximum, auto-extend and unallocated objects; INVALID_NUMBER for a bad API or class or one with no object', () => {
    const h = harness(function* (rtems, h) {
      const tasks = rtems.objectGetClassInformation(OBJECTS_CLASSIC_API, ClassicObjectClass.TASKS);
      h.note(`${RtemsStatus[tasks.status]} ${JSON.stringify(tasks.information)}`);
      rtems.semaphoreCreate('S1', 1, 0, 0);
      const sems = rtems.objectGetClassInformation(OBJECTS_CLASSIC_API, ClassicObjectClass.SEMAPHORES);
      h.note(`${RtemsStatus[sems.status]} ${sems.information?.unallocated ?? '-'} ${sems.information?.maximum ?? '-'}`);
      const idle = rtems.objectGetClassInformation(OBJECTS_INTERNAL_API, 1);
      h.note(`${RtemsStatus[idle.status]} ${JSON.stringify(idle.information)}`);
      const bad = [rtems.objectGetClassInformation(0, 1), rtems.objectGetClassInformation(OBJECTS_CLASSIC_API, 0), rtems.objectGetClassInformation(OBJECTS_CLASSIC_API, 11), rtems.objectGetClassInformation(OBJECTS_CLASSIC_API, ClassicObjectClass.TIMERS), rtems.objectGetClassInformation(OBJECTS_POSIX_API, 1), rtems.objectGetClassInformation(OBJECTS_INTERNAL_API, 2), rtems.objectGetClassInformation(4, 1)];
      h.note(`${names(bad.map((r) => r.status))} ${bad.every((r) => r.information === undefined)}`);
      yield 0;
    }, { configuration: { maximumTasks: 3, maximumSemaphores: 4, maximumTimers: 0 } });
    h.run(1_000_000);
    expect(h.log).toEqual([
      `0 SUCCESSFUL {"minimumId":${buildObjectId(2, 1, 1, 1)},"maximumId":${buildObjectId(2, 1, 1, 3)},"maximum":3,"autoExtend":false,"unallocated":2}`,
      '0 SUCCESSFUL 3 4',
      `0 SUCCESSFUL {"minimumId":${buildObjectId(1, 1, 1, 1)},"maximumId":${buildObjectId(1, 1, 1, 1)},"maximum":1,"autoExtend":false,"unallocated":0}`,
      '0 INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER true',
    ]);
  });
});
