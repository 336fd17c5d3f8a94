/**
 * Helpers for cpukit's own tests (not exported): an application from a generator,
 * run on createTestSystem with no executive, interrupt or switch costs, so expected
 * times are plain arithmetic: 100 MHz (10 ns per cycle) and, unless a test says
 * otherwise, a 1 ms clock tick. When the test's Init generator returns, Init calls
 * rtems_task_exit, as RTEMS's test programs end their Init task (a body that returns is
 * a fatal error: tests of that use createTestSystem directly).
 */
import type { TraceRecorder } from '@paravirt/machine';
import type { Configuration } from '../configuration.js';
import { ZERO_EXECUTIVE_COSTS, type ExecutiveCosts } from '../executiveCosts.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { type TestBspOptions, type TestSystem, createTestSystem } from '../test.js';
import type { TestPartitionServicesOptions } from './testPartitionServices.js';

export interface Harness extends TestSystem {
  /** Lines noted by guest code, each prefixed with the virtual time in ns. */
  readonly log: string[];
  note(text: string): void;
}

export interface HarnessOptions {
  readonly configuration?: Partial<Configuration>;
  readonly costs?: Partial<ExecutiveCosts>;
  readonly interruptCycles?: number;
  readonly contextSwitchCycles?: number;
  readonly trace?: TraceRecorder;
  readonly partition?: TestPartitionServicesOptions;
  readonly clockBatch?: TestBspOptions['clockBatch'];
}

export const TEST_CONFIGURATION: Partial<Configuration> = {
  maximumTasks: 10,
  maximumSemaphores: 10,
  maximumMessageQueues: 10,
  maximumTimers: 10,
  maximumPeriods: 10,
  maximumPartitions: 10,
  maximumRegions: 10,
  maximumPorts: 10,
  maximumBarriers: 10,
  maximumUserExtensions: 10,
  microsecondsPerTick: 1000,
};

export function harness(init: (rtems: Rtems, h: Harness) => Generator<number, void, unknown>, options: HarnessOptions = {}): Harness {
  const log: string[] = [];
  const holder: { harness?: Harness } = {};
  const system = createTestSystem({
    application: {
      name: 'test',
      description: 'cpukit test application',
      configuration: { ...TEST_CONFIGURATION, ...options.configuration },
      *init(rtems) {
        yield* init(rtems, holder.harness!);
        yield* rtems.taskExit();
      },
    },
    costs: options.costs ?? ZERO_EXECUTIVE_COSTS,
    interruptCycles: options.interruptCycles ?? 0,
    contextSwitchCycles: options.contextSwitchCycles ?? 0,
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.partition ? { partition: options.partition } : {}),
    ...(options.clockBatch ? { clockBatch: options.clockBatch } : {}),
  });
  const self: Harness = {
    ...system,
    log,
    note: (text) => log.push(`${system.board.now} ${text}`),
  };
  holder.harness = self;
  return self;
}

/** The thread switches a trace recorded, as [time, from, to] with four-character names. */
export function switches(records: ReadonlyArray<{ time: number; kind: string; payload: Readonly<Record<string, unknown>> }>): Array<[number, unknown, unknown]> {
  return records.filter((r) => r.kind === 'thread.switch').map((r) => [r.time, r.payload.from, r.payload.to]);
}

/**
 * A task body that calls rtems_task_exit when `body` returns: a task body must not return
 * (that is the fatal error INTERNAL_ERROR_THREAD_EXITTED, as in RTEMS).
 */
export function exiting(body: TaskEntry): TaskEntry {
  return function* (rtems, argument) {
    yield* body(rtems, argument);
    yield* rtems.taskExit();
  };
}
