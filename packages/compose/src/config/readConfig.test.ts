import { CONFIG_LIMITS, type ConfigValue } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { planKernel } from '../run/kernels.js';
import { loadConfig } from './loadConfig.js';
import { readModuleConfig, readModuleData } from './readConfig.js';
import { analyseSchedules } from './scheduleAnalysis.js';

const base = `
kernel: pok
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: a, start: 0ms, duration: 50ms }
      - { partition: b, start: 50ms, duration: 50ms }
partitions:
  - { name: a, app: hello }
  - { name: b, app: hello }
`;

/** The same module as data, for limits that would take long to write as YAML. */
function data(extra: Record<string, ConfigValue> = {}): Record<string, ConfigValue> {
  return {
    kernel: 'air',
    schedules: [{ name: 'main', majorFrame: '100ms', windows: [{ partition: 'a', start: 0, duration: '100ms' }] }],
    partitions: [{ name: 'a' }],
    ...extra,
  };
}

const errorsOf = (text: string) => readModuleConfig(text).errors;

describe('readModuleConfig: small lies are now errors', () => {
  it.each([
    ['duration: 0', 'duration', 'must be longer than 0'],
    ['duration: 0s', 'duration', 'must be longer than 0'],
    ['duration: -5ms', 'duration', 'duration must not be negative, got "-5ms"'],
    ['duration: .inf', 'duration', '.inf is not a finite number'],
    ['duration: 99999999999999999999', 'duration', '99999999999999999999 is too large: whole numbers must be within ±9007199254740991 (2^53 - 1)'],
    ['duration: 300h', 'duration', 'must be at most 240h (10 days), got "300h"'],
    ['kernelTick: 1us', 'kernelTick', 'must be at least 10us (at most 100000 kernel ticks per second), got 1us'],
    ['seed: .nan', 'seed', '.nan is not a finite number'],
  ])('%s', (line, path, message) => {
    expect(errorsOf(`${line}\n${base}`)).toEqual([{ path, message }]);
  });

  it.each([
    ['8 GiB is read as 8 GiB (the processors\' address space is checked with the kernel)', '8GiB', undefined],
    ['beyond 2^53 is too large, not too small', '99999999999999999999', { path: 'partitions[0].memory', message: '99999999999999999999 is too large: whole numbers must be within ±9007199254740991 (2^53 - 1)' }],
    ['a size string beyond 2^53', '9999999999GiB', { path: 'partitions[0].memory', message: 'size "9999999999GiB" is too large (at most 9007199254740991 bytes)' }],
    ['too small says so', '1KiB', { path: 'partitions[0].memory', message: 'must be at least 64KiB, got 1024 bytes' }],
    ['zero', '0', { path: 'partitions[0].memory', message: 'size must be more than 0 bytes, got 0' }],
  ])('memory: %s', (_name, memory, error) => {
    const result = readModuleConfig(base.replace('{ name: a, app: hello }', `{ name: a, app: hello, memory: ${memory} }`));
    if (error === undefined) expect(result.value!.partitions[0]!.memory.size).toBe(8 * 1024 ** 3);
    else expect(result.errors).toEqual([error]);
  });
});

describe('readModuleConfig: __proto__, constructor and prototype are keys like any other', () => {
  it('an HM action keyed __proto__ is kept, and the kernel refuses it by name', () => {
    const text = `${base}healthMonitor:\n  partitions:\n    a: { __proto__: IDLE }\n`;
    const result = readModuleConfig(text);
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.value!.healthMonitor.partitions['a']!)).toEqual(['__proto__']);
    expect(planKernel(result.value!).errors.map((error) => error.path)).toEqual(['healthMonitor.partitions.a.__proto__']);
  });

  it.each([
    ['healthMonitor:\n  partitions:\n    __proto__: { ILLEGAL_REQUEST: IDLE }', 'healthMonitor.partitions.__proto__', 'unknown partition "__proto__"'],
    ['healthMonitor:\n  partitions:\n    constructor: {}', 'healthMonitor.partitions.constructor', 'unknown partition "constructor"'],
    ['__proto__: { kernel: air }', '__proto__', 'unknown key'],
    ['prototype: 1', 'prototype', 'unknown key'],
    ['costs: { constructor: 5 }', 'costs.constructor', 'unknown key'],
  ])('%j', (extra, path, message) => {
    expect(errorsOf(`${base}${extra}\n`)).toEqual([{ path, message }]);
  });

  it('a change action for a partition named __proto__ is reported (kernel air)', () => {
    const text = base.replace('kernel: pok', 'kernel: air').replace("    majorFrame: 100ms\n", '    majorFrame: 100ms\n    changeActions: { __proto__: IDLE }\n');
    expect(errorsOf(text)).toEqual([{ path: 'schedules[0].changeActions.__proto__', message: 'unknown partition "__proto__"' }]);
  });

  it('a partition named constructor runs on both kernels (no inherited lookups)', () => {
    for (const kernel of ['pok', 'air']) {
      const loaded = loadConfig(base.replace('kernel: pok', `kernel: ${kernel}`).replaceAll('partition: a,', 'partition: constructor,').replace('name: a,', 'name: constructor,'));
      expect(loaded.errors).toEqual([]);
      expect(planKernel(loaded.spec!).errors).toEqual([]);
    }
  });
});

describe('readModuleData: limits (docs/config.md)', () => {
  it('a device faster than 10 us, and devices together over 500,000 interrupts per second', () => {
    expect(readModuleData(data({ devices: [{ kind: 'periodic-irq', line: 5, period: '1ns', partition: 'a' }] })).errors).toEqual([
      { path: 'devices[0].period', message: 'must be at least 10us (at most 100000 interrupts per second from one device), got 1ns' },
    ]);
    const six = Array.from({ length: 6 }, (_, i) => ({ kind: 'periodic-irq', line: i + 1, period: '10us', partition: 'a' }));
    expect(readModuleData(data({ devices: six })).errors).toEqual([
      { path: 'devices', message: 'together raise 600000 interrupts per second; at most 500000 are supported (lengthen the periods)' },
    ]);
    expect(readModuleData(data({ devices: six.slice(0, 5) })).errors).toEqual([]);
  });

  it.each([
    ['windows in one schedule', CONFIG_LIMITS.windowsPerSchedule, 'schedules[0].windows', (n: number) => data({ schedules: [{ name: 'main', majorFrame: '10s', windows: Array.from({ length: n }, (_, i) => ({ partition: 'a', start: i * 100_000, duration: 100_000 })) }] })],
    ['schedules', CONFIG_LIMITS.schedules, 'schedules', (n: number) => data({ schedules: Array.from({ length: n }, (_, i) => ({ name: `s${i}`, majorFrame: '100ms', windows: [{ partition: 'a', start: 0, duration: '100ms' }] })) })],
    ['ports in one partition', CONFIG_LIMITS.portsPerPartition, 'partitions[0].ports', (n: number) => data({ partitions: [{ name: 'a', ports: Array.from({ length: n }, (_, i) => ({ name: `p${i}`, kind: 'queuing', direction: 'source', maxMessageSize: 8, maxMessages: 1 })) }] })],
    ['devices (one per interrupt line 1-15)', CONFIG_LIMITS.devices, 'devices', (n: number) => data({ devices: Array.from({ length: n }, (_, i) => ({ kind: 'periodic-irq', line: (i % 15) + 1, period: '1ms', partition: 'a' })) })],
  ])('%s: at most %d, one error beyond', (what, limit, path, make) => {
    expect(readModuleData(make(limit)).errors).toEqual([]);
    expect(readModuleData(make(limit + 1)).errors).toEqual([{ path, message: `${limit + 1} ${what}; at most ${limit} are supported` }]);
  });

  it('partitions: one error beyond the limit, not one per window naming a partition', () => {
    const partitions = Array.from({ length: CONFIG_LIMITS.partitions + 1 }, (_, i) => ({ name: `p${i}`, memory: '64KiB' }));
    const windows = partitions.map((partition, i) => ({ partition: partition.name, start: i * 1000, duration: 1000 }));
    expect(readModuleData(data({ partitions, schedules: [{ name: 'main', majorFrame: '1s', windows }] })).errors).toEqual([
      { path: 'partitions', message: `${CONFIG_LIMITS.partitions + 1} partitions; at most ${CONFIG_LIMITS.partitions} are supported` },
    ]);
  });

  it('channels and destinations', () => {
    const ports = [{ name: 'out', kind: 'queuing', direction: 'source', maxMessageSize: 8, maxMessages: 1 }];
    const channels = Array.from({ length: CONFIG_LIMITS.channels + 1 }, () => ({ source: 'a.out', destinations: ['a.in'] }));
    expect(readModuleData(data({ partitions: [{ name: 'a', ports }], channels })).errors).toEqual([
      { path: 'channels', message: `${CONFIG_LIMITS.channels + 1} channels; at most ${CONFIG_LIMITS.channels} are supported` },
    ]);
    const destinations = Array.from({ length: CONFIG_LIMITS.destinationsPerChannel + 1 }, () => 'a.in');
    expect(readModuleData(data({ partitions: [{ name: 'a', ports }], channels: [{ source: 'a.out', destinations }] })).errors).toEqual([
      { path: 'channels[0].destinations', message: `${CONFIG_LIMITS.destinationsPerChannel + 1} destinations in one channel; at most ${CONFIG_LIMITS.destinationsPerChannel} are supported` },
    ]);
  });

  it('names with line breaks are refused, escaped', () => {
    expect(readModuleData(data({ schedules: [{ name: 'a\u2028b', majorFrame: '100ms', windows: [{ partition: 'a', start: 0, duration: '100ms' }] }] })).errors).toEqual([
      { path: 'schedules[0].name', message: 'must not contain control characters or line breaks (U+2028), got "a\\u2028b"' },
    ]);
  });
});

describe('loadConfig never throws and every error is one line', () => {
  it.each([
    ['an alias bomb', ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 7 }, (_, i) => `${'bcdefgh'.charAt(i)}: &${'bcdefgh'.charAt(i)} [${Array(9).fill(`*${'abcdefg'.charAt(i)}`).join(', ')}]`)].join('\n')],
    ['deep flow nesting', '['.repeat(200_000)],
    ['an XML bomb', `<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 8 }, (_, i) => `<!ENTITY ${'bcdefghi'.charAt(i)} "${`&${'abcdefgh'.charAt(i)};`.repeat(10)}">`).join('')}]><ARINC_653_Module ModuleName="&i;"/>`],
    ['an external entity', '<!DOCTYPE a [<!ENTITY x SYSTEM "/etc/passwd">]><ARINC_653_Module ModuleName="&x;"/>'],
    ['a file over 4 MiB', `# ${'x'.repeat(CONFIG_LIMITS.fileChars)}`],
    ['binary noise', String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 65536))],
  ])('%s', (_name, text) => {
    const loaded = loadConfig(text);
    expect(loaded.errors.length).toBeGreaterThan(0);
    for (const error of loaded.errors) {
      expect(error.path).toMatch(/^[^\n\r\u2028\u2029]+$/);
      expect(error.message).toMatch(/^[^\n\r\u2028\u2029]+$/);
    }
  });

  it('--duration past 240h is refused', () => {
    expect(loadConfig(base, { duration: 241 * 3600 * 1e9 }).errors).toEqual([{ path: '--duration', message: 'must be at most 240h (10 days)' }]);
  });
});

describe('analyseSchedules', () => {
  it('is linear: 10,000 windows and 256 partitions in well under a second', () => {
    const partitions = Array.from({ length: 256 }, (_, i) => ({ name: `p${i}`, memory: '64KiB' }));
    const windows = Array.from({ length: 10_000 }, (_, i) => ({ partition: `p${i % 256}`, start: i * 1000, duration: 1000 }));
    const spec = readModuleData(data({ partitions, schedules: [{ name: 'main', majorFrame: '10ms', windows }] })).value!;
    const started = performance.now();
    const text = analyseSchedules(spec);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(text.split('\n')[0]).toBe('schedule main (initial): major frame 10ms, 10000 windows, idle 0s (0.0%)');
    expect(text.split('\n')[1]).toBe('  p0: 40us per frame (0.4%), 40 window(s), longest gap 255us');
  });
});
