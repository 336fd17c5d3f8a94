import { describe, expect, it } from 'vitest';
import { type AirConfig, type AirScheduleConfig, airMemoryLayout, scheduleFromWindows, validateAirConfig } from './config.js';
import { MS, partition, simpleSchedule, twoPartitionConfig } from './internal/harness.js';

const base = twoPartitionConfig();

function withSchedule(schedule: AirScheduleConfig): AirConfig {
  return { ...base, schedules: [schedule] };
}

describe('validateAirConfig: the configurator checks', () => {
  it('accepts a consistent configuration', () => {
    expect(validateAirConfig(base)).toEqual([]);
  });

  it('requires the major frame to be a multiple of every partition period', () => {
    const schedule = simpleSchedule('main', 1, 100 * MS, [['a', 0, 20 * MS]]);
    const entry = { ...schedule.partitions[0]!, period: 30 * MS, periodDuration: 10 * MS, windows: [{ id: 0, start: 0, duration: 10 * MS, periodStart: true }] };
    expect(validateAirConfig(withSchedule({ ...schedule, partitions: [entry] }))).toEqual([
      { path: 'schedules[0].partitions[0].period', message: "the major frame of schedule main (100ms) is not a multiple of a's period (30ms)" },
    ]);
  });

  it('requires windows to end inside the major frame', () => {
    const schedule = simpleSchedule('main', 1, 100 * MS, [
      ['a', 0, 40 * MS],
      ['b', 90 * MS, 20 * MS],
    ]);
    expect(validateAirConfig(withSchedule(schedule))).toEqual([
      { path: 'schedules[0].partitions[1].windows[0]', message: 'window [90ms, 110ms) of b ends after the major frame of schedule main (100ms)' },
    ]);
  });

  it('refuses overlapping windows, naming both', () => {
    const schedule = simpleSchedule('main', 1, 100 * MS, [
      ['a', 10 * MS, 40 * MS],
      ['b', 30 * MS, 40 * MS],
    ]);
    expect(validateAirConfig(withSchedule(schedule))).toEqual([
      { path: 'schedules[0].partitions[1].windows[0]', message: 'window [30ms, 70ms) of b overlaps window [10ms, 50ms) of a in schedule main' },
    ]);
  });

  it('requires the window time in every period to equal the period duration', () => {
    const schedule: AirScheduleConfig = {
      id: 1,
      name: 'main',
      initial: true,
      majorFrame: 100 * MS,
      partitions: [
        {
          partition: 'a',
          period: 50 * MS,
          periodDuration: 20 * MS,
          setModuleSchedule: false,
          changeAction: 'IGNORE',
          // 30 ms in the first period, 10 ms in the second.
          windows: [
            { id: 0, start: 0, duration: 30 * MS, periodStart: true },
            { id: 1, start: 60 * MS, duration: 10 * MS, periodStart: true },
          ],
        },
      ],
    };
    expect(validateAirConfig(withSchedule(schedule))).toEqual([
      { path: 'schedules[0].partitions[0].windows', message: 'a gets 30ms in its period 0 [0s, 50ms) of schedule main, but its period duration is 20ms' },
      { path: 'schedules[0].partitions[0].windows', message: 'a gets 10ms in its period 1 [50ms, 100ms) of schedule main, but its period duration is 20ms' },
    ]);
  });

  it('requires windows on kernel tick boundaries', () => {
    const schedule = simpleSchedule('main', 1, 100 * MS, [['a', 500_000, 20 * MS]]);
    expect(validateAirConfig(withSchedule(schedule))).toEqual([
      {
        path: 'schedules[0].partitions[0].windows[0].start',
        message: '500us is not a multiple of the kernel tick (1ms): the tick-driven scheduler could not open the window on time',
      },
    ]);
  });

  it('names each structural problem', () => {
    const errors = validateAirConfig({
      ...base,
      partitions: [partition('a', 1), partition('a', 1, { memorySize: 4096, ipiTargets: ['ghost'] })],
      schedules: [
        simpleSchedule('main', 1, 100 * MS, [['c', 0, 10 * MS]], true),
        simpleSchedule('main', 1, 100 * MS, [
          ['a', 0, 10 * MS],
          ['a', 20 * MS, 10 * MS],
        ], true),
      ],
      channels: [{ source: { partition: 'a', port: 'nope' }, destinations: [] }],
      routes: [
        { line: 16, partition: 'a' },
        { line: 3, partition: 'zz' },
      ],
      healthMonitor: {
        system: [{ state: 7, error: 1, level: 'MODULE' }],
        module: [
          { state: 3, error: 7, action: 'SHUTDOWN' },
          { state: 3, error: 7, action: 'RESET' },
        ],
        partitions: [{ partition: 'q', entries: [{ state: 3, error: 16, action: 'IDLE' }] }],
      },
    });
    expect(errors).toEqual([
      { path: 'partitions[1].name', message: 'duplicate partition name "a"' },
      { path: 'partitions[1].id', message: 'duplicate partition identifier 1' },
      { path: 'partitions[1].memory', message: 'must be at least 64KiB, got 4096 bytes' },
      { path: 'channels[0].source', message: 'unknown port a.nope' },
      { path: 'channels[0].destinations', message: 'a channel needs at least one destination' },
      { path: 'partitions[1].ipiTargets[0]', message: 'unknown partition "ghost"' },
      { path: 'schedules', message: '2 schedules are marked initial; exactly one may be' },
      { path: 'schedules[0].partitions[0].partition', message: 'unknown partition "c"' },
      { path: 'schedules[1].name', message: 'duplicate schedule name "main"' },
      { path: 'schedules[1].id', message: 'duplicate schedule identifier 1' },
      { path: 'schedules[1].partitions[1].partition', message: 'partition a is scheduled twice in schedule main' },
      { path: 'routes[0].line', message: 'hardware line must be 0..15, got 16' },
      { path: 'routes[1].partition', message: 'unknown partition "zz"' },
      { path: 'healthMonitor.system[0].state', message: 'system state must be 0..6, got 7' },
      { path: 'healthMonitor.module[1]', message: 'error 7 appears twice for system state 3' },
      { path: 'healthMonitor.partitions[0].partition', message: 'unknown partition "q"' },
      { path: 'healthMonitor.partitions[0].entries[0].error', message: 'error identifier must be 0..15, got 16' },
    ]);
  });

  it('checks both ends of a channel agree (AIR forces equal MaxMessageSize and MaxNbMessages)', () => {
    const queuing = { kind: 'queuing', maxMessageSize: 32, maxMessages: 4, refreshPeriod: 0 } as const;
    const errors = validateAirConfig({
      ...base,
      partitions: [
        partition('a', 1, { ports: [{ name: 'out', direction: 'source', ...queuing }] }),
        partition('b', 2, {
          ports: [
            { name: 'in', direction: 'destination', ...queuing, maxMessages: 8 },
            { name: 'big', direction: 'destination', ...queuing, maxMessageSize: 64 },
            { name: 'sample', direction: 'destination', kind: 'sampling', maxMessageSize: 32, maxMessages: 1, refreshPeriod: 10 * MS },
          ],
        }),
      ],
      channels: [
        {
          source: { partition: 'a', port: 'out' },
          destinations: [
            { partition: 'b', port: 'in' },
            { partition: 'b', port: 'big' },
            { partition: 'b', port: 'sample' },
            { partition: 'a', port: 'out' },
          ],
        },
      ],
    });
    expect(errors).toEqual([
      // The checks every configurator makes...
      { path: 'channels[0].destinations[2]', message: 'b.sample is a sampling port but the source is queuing' },
      { path: 'channels[0].destinations[3]', message: 'a.out is a source port' },
      // ...then AIR's own: one destination per queuing channel, both ends agree.
      { path: 'channels[0].destinations', message: 'a queuing channel has one destination in AIR, this one has 4' },
      { path: 'channels[0].destinations[0]', message: 'b.in has MaxNbMessages 8 but the source a.out has 4; both ends of a channel must agree' },
      { path: 'channels[0].destinations[1]', message: 'b.big has MaxMessageSize 64 but the source a.out has 32; both ends of a channel must agree' },
    ]);
  });
});

describe('memory layout and schedules from our config', () => {
  it('lays partitions out after the kernel, 64 KiB aligned', () => {
    const layout = airMemoryLayout({ partitions: [partition('a', 1, { memorySize: 100_000 }), partition('b', 2)] });
    expect(layout.partitions).toEqual([
      { name: 'a', physicalBase: 0x100000, size: 100_000 },
      { name: 'b', physicalBase: 0x120000, size: 0x100000 },
    ]);
    expect(layout.totalSize).toBe(0x220000);
  });

  it('keeps partitions where the configuration places them and puts the others after the highest', () => {
    const layout = airMemoryLayout({ partitions: [partition('a', 1), partition('b', 2, { physicalBase: 0x300000, memorySize: 0x18000 })] });
    expect(layout.partitions).toEqual([
      { name: 'a', physicalBase: 0x320000, size: 0x100000 },
      { name: 'b', physicalBase: 0x300000, size: 0x18000 },
    ]);
    expect(layout.totalSize).toBe(0x420000);
  });

  it('refuses placements inside the kernel, off a 64 KiB boundary, or overlapping', () => {
    const errors = validateAirConfig({
      ...base,
      partitions: [
        partition('a', 1, { physicalBase: 0x80000 }),
        partition('b', 2, { physicalBase: 0x208000 }),
        partition('c', 3, { physicalBase: 0x400000 }),
        partition('d', 4, { physicalBase: 0x480000 }),
      ],
    });
    expect(errors).toEqual([
      { path: 'partitions[0].memory', message: "starts at 0x80000, inside the kernel's first MiB" },
      { path: 'partitions[1].memory', message: 'must start on a 64KiB boundary' },
      { path: 'partitions[3].memory', message: 'overlaps the memory of partition c' },
    ]);
  });

  it('turns a flat window list into partition schedules that pass the period checks', () => {
    const schedule = scheduleFromWindows(
      {
        name: 'main',
        majorFrame: 100 * MS,
        windows: [
          { partition: 'a', start: 0, duration: 20 * MS },
          { partition: 'b', start: 20 * MS, duration: 30 * MS },
          { partition: 'a', start: 60 * MS, duration: 10 * MS },
        ],
        setModuleSchedule: ['b'],
      },
      0,
    );
    expect(schedule).toEqual({
      id: 0,
      name: 'main',
      initial: false,
      majorFrame: 100 * MS,
      partitions: [
        {
          partition: 'a',
          period: 100 * MS,
          periodDuration: 30 * MS,
          setModuleSchedule: false,
          changeAction: 'IGNORE',
          windows: [
            { id: 0, start: 0, duration: 20 * MS, periodStart: true },
            { id: 1, start: 60 * MS, duration: 10 * MS, periodStart: false },
          ],
        },
        { partition: 'b', period: 100 * MS, periodDuration: 30 * MS, setModuleSchedule: true, changeAction: 'IGNORE', windows: [{ id: 2, start: 20 * MS, duration: 30 * MS, periodStart: true }] },
      ],
    });
    expect(validateAirConfig({ ...base, schedules: [schedule] })).toEqual([]);
  });
});
