import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIGURATION, resolveConfiguration } from './configuration.js';
import { RTEMS_NO_PREEMPT } from './modes.js';

describe('configuration (confdefs)', () => {
  it('defaults as confdefs: 10 ms tick, 50-tick timeslice, Init "UI1 " at priority 1 in RTEMS_NO_PREEMPT', () => {
    expect(resolveConfiguration()).toEqual(DEFAULT_CONFIGURATION);
    expect(DEFAULT_CONFIGURATION).toMatchObject({
      microsecondsPerTick: 10_000,
      ticksPerTimeslice: 50,
      initTaskName: 'UI1 ',
      initTaskPriority: 1,
      initTaskStackSize: 4096,
      initTaskInitialModes: RTEMS_NO_PREEMPT,
      initTaskArgument: 0,
      maximumTasks: 1,
      maximumSemaphores: 0,
    });
  });

  it('layers overrides in order, skipping undefined fields', () => {
    const config = resolveConfiguration({ maximumTasks: 4, microsecondsPerTick: 1000 }, { microsecondsPerTick: 500, maximumTasks: undefined });
    expect([config.maximumTasks, config.microsecondsPerTick]).toEqual([4, 500]);
  });

  it('rejects unknown options and values out of range, naming the field', () => {
    expect(() => resolveConfiguration({ maximumTask: 3 } as never)).toThrow('configuration: unknown option maximumTask');
    expect(() => resolveConfiguration({ maximumTasks: 0 })).toThrow(/maximumTasks must be at least 1/);
    expect(() => resolveConfiguration({ maximumSemaphores: 70_000 })).toThrow(/maximumSemaphores must be a whole number in 0..65535/);
    expect(() => resolveConfiguration({ microsecondsPerTick: 0 })).toThrow(/microsecondsPerTick/);
    expect(() => resolveConfiguration({ initTaskPriority: 256 })).toThrow(/initTaskPriority/);
    expect(() => resolveConfiguration({ initTaskName: 'TOOLONG' })).toThrow(/initTaskName/);
    expect(() => resolveConfiguration({ initTaskArgument: Number.NaN })).toThrow(/initTaskArgument/);
  });
});
