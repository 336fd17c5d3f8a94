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
      'configuration.maximumTask: unknown option (options: maximumTasks, maximumSemaphores, maximumMessageQueues, maximumTimers, maximumPeriods, maximumPartitions, maximumRegions, maximumPorts, maximumBarriers, maximumUserExtensions, microsecondsPerTick, ticksPerTimeslice, initTaskName, initTaskPriority, initTaskStackSize, initTaskInitialModes, initTaskAttributes, initTaskArgument, initialExtensions, scheduler, cbsMaximumServers)',
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

describe('configuration: partitions, regions, dual-ported memory ports and barriers (confdefs CONFIGURE_MAXIMUM_PARTITIONS, _REGIONS, _PORTS, _BARRIERS)', () => {
  it('default to 0 as in confdefs and take 0..65535 like the other object maxima', () => {
    expect(DEFAULT_CONFIGURATION).toMatchObject({ maximumPartitions: 0, maximumRegions: 0, maximumPorts: 0, maximumBarriers: 0 });
    expect(validateConfiguration({ maximumPartitions: 65_535, maximumRegions: 0, maximumPorts: 3, maximumBarriers: 1 })).toEqual([]);
    expect(validateConfiguration({ maximumPartitions: -1, maximumRegions: 65_536, maximumPorts: 1.5, maximumBarriers: '2' })).toEqual([
      'configuration.maximumPartitions: must be a whole number from 0 to 65535, got -1',
      'configuration.maximumRegions: must be a whole number from 0 to 65535, got 65536',
      'configuration.maximumPorts: must be a whole number from 0 to 65535, got 1.5',
      'configuration.maximumBarriers: must be a whole number from 0 to 65535, got "2"',
    ]);
    expect(resolveConfiguration({ maximumBarriers: 4 }).maximumBarriers).toBe(4);
  });
});

describe('configuration: user extensions (confdefs CONFIGURE_MAXIMUM_USER_EXTENSIONS, CONFIGURE_INITIAL_EXTENSIONS)', () => {
  it('maximumUserExtensions defaults to 0 and takes 0..65535; initialExtensions defaults to none', () => {
    expect(DEFAULT_CONFIGURATION).toMatchObject({ maximumUserExtensions: 0, initialExtensions: [] });
    expect(validateConfiguration({ maximumUserExtensions: 65_535 })).toEqual([]);
    expect(validateConfiguration({ maximumUserExtensions: 65_536 })).toEqual(['configuration.maximumUserExtensions: must be a whole number from 0 to 65535, got 65536']);
  });

  it('initialExtensions is a list of extension tables whose members are functions (or undefined / null), kept as frozen copies', () => {
    const begin = (): void => undefined;
    const tables = [{ threadBegin: begin, fatal: undefined, threadSwitch: null }, {}];
    expect(validateConfiguration({ initialExtensions: tables })).toEqual([]);
    const config = resolveConfiguration({ initialExtensions: tables as never });
    expect(config.initialExtensions).toEqual([{ threadBegin: begin }, {}]);
    expect(config.initialExtensions).not.toBe(tables);
    expect(Object.isFrozen(config.initialExtensions) && Object.isFrozen(config.initialExtensions[0])).toBe(true);
  });

  it('reports what is wrong with a list or a table, and never throws (Proxies, getters, a long list)', () => {
    const trap = (): never => {
      throw new Error('trap');
    };
    expect(
      [
        { initialExtensions: {} },
        { initialExtensions: [null] },
        { initialExtensions: [[]] },
        { initialExtensions: [{ threadBegin: 1 }] },
        { initialExtensions: [{}, { threadBegn: () => undefined }] },
        { initialExtensions: [Object.defineProperty({}, 'fatal', { get: trap, enumerable: true })] },
        { initialExtensions: [new Proxy({}, { ownKeys: trap })] },
        { initialExtensions: Array.from({ length: 257 }, () => ({})) },
        { initialExtensions: new Proxy([], { get: trap }) },
      ].map((configuration) => validateConfiguration(configuration)),
    ).toEqual([
      ['configuration.initialExtensions: must be a list of at most 256 extension tables, got an object'],
      ['configuration.initialExtensions: entry 0: not an extension table (an object of extensions)'],
      ['configuration.initialExtensions: entry 0: not an extension table (an object of extensions)'],
      ['configuration.initialExtensions: entry 0: threadBegin must be a function, undefined or null'],
      [
        'configuration.initialExtensions: entry 1: "threadBegn" is not an extension (extensions: threadCreate, threadStart, threadRestart, threadDelete, threadSwitch, threadBegin, threadExitted, fatal, threadTerminate)',
      ],
      ['configuration.initialExtensions: entry 0: fatal cannot be read (its getter threw)'],
      ['configuration.initialExtensions: entry 0: cannot be read (listing its extensions threw)'],
      ['configuration.initialExtensions: must be a list of at most 256 extension tables, got 257'],
      ['configuration.initialExtensions: must be a list of at most 256 extension tables, got a list that cannot be read'],
    ]);
  });
});
