import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIGURATION, resolveConfiguration, validateApplicationConfiguration, validateConfiguration } from './configuration.js';
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

  it('rejects unknown options and values out of range, naming the field (RangeError for host callers)', () => {
    expect(() => resolveConfiguration({ maximumTask: 3 } as never)).toThrow(/^configuration.maximumTask: unknown option \(options: maximumTasks, /);
    expect(() => resolveConfiguration({ maximumTasks: 0 })).toThrow('configuration.maximumTasks: must be a whole number from 1 to 65535, got 0');
    expect(() => resolveConfiguration({ maximumSemaphores: 70_000 })).toThrow('configuration.maximumSemaphores: must be a whole number from 0 to 65535, got 70000');
    expect(() => resolveConfiguration({ microsecondsPerTick: 0 })).toThrow(/microsecondsPerTick/);
    expect(() => resolveConfiguration({ initTaskPriority: 256 })).toThrow(/initTaskPriority/);
    expect(() => resolveConfiguration({ initTaskName: 'TOOLONG' })).toThrow(/initTaskName/);
    expect(() => resolveConfiguration({ initTaskArgument: Number.NaN })).toThrow(/initTaskArgument/);
  });
});

describe('validateConfiguration: the pure check a runner calls on a user module', () => {
  it('accepts what the executive accepts: nothing, an empty object, every option in range', () => {
    expect(validateConfiguration(undefined)).toEqual([]);
    expect(validateConfiguration({})).toEqual([]);
    expect(validateConfiguration({ ...DEFAULT_CONFIGURATION, maximumTasks: 65_535, microsecondsPerTick: 1_000_000, initTaskName: 0x55493120, initTaskPriority: 255, maximumTimers: undefined })).toEqual([]);
  });

  it('reports one line per problem with the option, the rule and the value: types, ranges, unknown options', () => {
    expect(
      validateConfiguration({
        maximumTasks: 0,
        maximumSemaphores: -1,
        maximumMessageQueues: 1.5,
        maximumTimers: '4',
        maximumPeriods: 65_536,
        microsecondsPerTick: 1_000_001,
        ticksPerTimeslice: 0,
        initTaskName: '',
        initTaskPriority: 0,
        initTaskStackSize: 1024,
        initTaskInitialModes: -1,
        initTaskAttributes: 2 ** 32,
        initTaskArgument: null,
      }),
    ).toEqual([
      'configuration.maximumTasks: must be a whole number from 1 to 65535, got 0',
      'configuration.maximumSemaphores: must be a whole number from 0 to 65535, got -1',
      'configuration.maximumMessageQueues: must be a whole number from 0 to 65535, got 1.5',
      'configuration.maximumTimers: must be a whole number from 0 to 65535, got "4"',
      'configuration.maximumPeriods: must be a whole number from 0 to 65535, got 65536',
      'configuration.microsecondsPerTick: must be a whole number from 1 to 1000000, got 1000001',
      'configuration.ticksPerTimeslice: must be a whole number from 1 to 4294967295, got 0',
      'configuration.initTaskName: must be a name of 1 to 4 Latin-1 characters or a non-zero 32-bit number, got ""',
      'configuration.initTaskPriority: must be a whole number from 1 to 255, got 0',
      'configuration.initTaskStackSize: must be a whole number from 4096 to 4294967295, got 1024',
      'configuration: 3 more problems',
    ]);
    expect(validateConfiguration({ maximumTask: 1 })).toEqual([
      'configuration.maximumTask: unknown option (options: maximumTasks, maximumSemaphores, maximumMessageQueues, maximumTimers, maximumPeriods, microsecondsPerTick, ticksPerTimeslice, initTaskName, initTaskPriority, initTaskStackSize, initTaskInitialModes, initTaskAttributes, initTaskArgument)',
    ]);
    expect([validateConfiguration(null), validateConfiguration(5), validateConfiguration([1]), validateConfiguration('x'.repeat(1000))]).toEqual([
      ['configuration: must be an object of confdefs options, got null'],
      ['configuration: must be an object of confdefs options, got 5'],
      ['configuration: must be an object of confdefs options, got a list'],
      [`configuration: must be an object of confdefs options, got "${'x'.repeat(40)}"...`],
    ]);
  });

  it('never throws and stays bounded: Proxies, throwing getters, 100,000 unknown keys, huge or odd key names', () => {
    const trap = (): never => {
      throw new Error('trap');
    };
    expect(validateConfiguration(new Proxy({}, { ownKeys: trap, get: trap }))).toEqual(['configuration: cannot be read (listing its options threw)']);
    const getter = Object.defineProperty({}, 'maximumTasks', { get: trap, enumerable: true });
    expect(validateConfiguration(getter)).toEqual(['configuration.maximumTasks: cannot be read (its getter threw)']);
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const problems = validateConfiguration(many);
    expect(problems).toHaveLength(11);
    expect(problems[10]).toBe('configuration: 99990 more problems');
    const [odd] = validateConfiguration({ ['a\nb'.repeat(50)]: 1 });
    expect(odd).toMatch(/^configuration\["a\\nba\\nb.*\.\.\."\]: unknown option/);
    expect(odd).not.toContain('\n');
    expect(validateApplicationConfiguration({ get configuration() { return trap(); } })).toEqual(['configuration: cannot be read (its getter threw)']);
    expect(validateApplicationConfiguration({ configuration: { maximumTasks: 0 } })).toEqual(['configuration.maximumTasks: must be a whole number from 1 to 65535, got 0']);
  });
});
