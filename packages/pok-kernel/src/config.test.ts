import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PokConfig, pokMemoryLayout, validatePokConfig } from './config.js';
import type { PortConfig } from '@paravirt/kernel-core';
import { parseSize, readPokYaml } from './pokYaml.js';

const MS = 1_000_000;
const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8');

const base: PokConfig = {
  kernelTick: MS,
  majorFrame: 100 * MS,
  slots: [
    { partition: 'a', duration: 40 * MS },
    { partition: 'b', duration: 60 * MS },
  ],
  partitions: [
    { name: 'a', memorySize: 1 << 20, system: false, ports: [], errorActions: {}, ipiTargets: [] },
    { name: 'b', memorySize: 1 << 20, system: false, ports: [], errorActions: {}, ipiTargets: [] },
  ],
  channels: [],
  routes: [],
  flush: 'major-frame',
};

describe('validatePokConfig', () => {
  it('accepts a consistent configuration', () => {
    expect(validatePokConfig(base)).toEqual([]);
  });

  it('refuses slots that do not add up to the major frame (POK: KERNEL_CONFIG error)', () => {
    expect(validatePokConfig({ ...base, majorFrame: 120 * MS })).toEqual([
      { path: 'slots', message: 'slot durations add up to 100ms but the major frame is 120ms (POK requires them to be equal)' },
    ]);
  });

  it('refuses a PRIORITY queuing port: POK creates FIFO ones only', () => {
    const port: PortConfig = { name: 'q', kind: 'queuing', direction: 'source', maxMessageSize: 8, maxMessages: 4, refreshPeriod: 0, discipline: 'priority' };
    const partitions = [{ ...base.partitions[0]!, ports: [port] }, base.partitions[1]!];
    expect(validatePokConfig({ ...base, partitions })).toEqual([
      { path: 'partitions[0].ports[0].discipline', message: 'POK queuing ports are FIFO only (POK refuses PRIORITY at creation): use fifo' },
    ]);
    expect(validatePokConfig({ ...base, partitions: [{ ...base.partitions[0]!, ports: [{ ...port, discipline: 'fifo' }] }, base.partitions[1]!] })).toEqual([]);
  });

  it('names each offending element', () => {
    const errors = validatePokConfig({
      ...base,
      kernelTick: 3 * MS,
      slots: [
        { partition: 'a', duration: 40 * MS },
        { partition: 'c', duration: 60 * MS },
      ],
      partitions: [base.partitions[0]!, { ...base.partitions[1]!, name: 'a', memorySize: 1000 }],
      channels: [{ source: { partition: 'a', port: 'nope' }, destinations: [] }],
      routes: [{ line: 16, partition: 'a' }],
    });
    expect(errors.map((error) => error.path)).toEqual([
      'partitions[1].memory',
      'channels[0].source',
      'channels[0].destinations',
      'partitions[1].name',
      'slots[0].duration',
      'slots[1].partition',
      'routes[0].line',
    ]);
    expect(errors[4]!.message).toBe('40ms is not a multiple of the kernel tick (3ms): the tick-driven scheduler could not end the slot on time');
  });

  it('lays partitions out after the kernel, 64 KiB aligned', () => {
    const layout = pokMemoryLayout({ partitions: [{ ...base.partitions[0]!, memorySize: 100_000 }, base.partitions[1]!] });
    expect(layout.partitions).toEqual([
      { name: 'a', physicalBase: 0x100000, size: 100_000 },
      { name: 'b', physicalBase: 0x120000, size: 0x100000 },
    ]);
    expect(layout.totalSize).toBe(0x220000);
  });
});

describe('POK config.yaml', () => {
  it('reads a 4-slot schedule where one partition owns two slots', () => {
    const result = readPokYaml(fixture('four-slots.yaml'));
    expect(result.errors).toEqual([]);
    expect(result.arch).toBe('i386');
    const config = result.config!;
    expect(config.majorFrame).toBe(100 * MS);
    expect(config.slots).toEqual([
      { partition: 'pr1', duration: 20 * MS },
      { partition: 'pr2', duration: 30 * MS },
      { partition: 'pr1', duration: 10 * MS },
      { partition: 'pr3', duration: 40 * MS },
    ]);
    expect(config.partitions.map((p) => [p.name, p.memorySize])).toEqual([
      ['pr1', 256 * 1024],
      ['pr2', 256 * 1024],
      ['pr3', 1 << 20],
    ]);
    expect(config.partitions[2]!.errorActions).toEqual({ MEMORY_VIOLATION: 'COLD_START' });
    expect(config.channels).toEqual([{ source: { partition: 'pr1', port: 'out' }, destinations: [{ partition: 'pr2', port: 'in' }] }]);
    expect(validatePokConfig(config)).toEqual([]);
  });

  it('warns of unknown keys (POK ignores them), reports bad durations and YAML syntax errors with their path', () => {
    const result = readPokYaml(`
partitions:
  - name: pr1
    size: lots
    colour: blue
kernel:
  scheduler:
    major_frame: soon
    slots:
      - partition: pr1
        duration: 10ms
`);
    expect(result.errors).toEqual([
      { path: 'partitions[0].size', message: 'cannot read size "lots": POK\'s to_bytes reads a number of bytes or a number with k, M or G (powers of 1024) and an optional B, e.g. "130kB"' },
      { path: 'kernel.scheduler.major_frame', message: 'cannot read duration "soon": POK\'s to_ns reads a number of nanoseconds or a number with a unit ns, us, µs, ms, s, m (minutes) or h, e.g. "20ms"' },
    ]);
    expect(result.warnings).toEqual([{ path: 'partitions[0].colour', message: "unknown key, ignored (POK's misc/gen_deployment does not read it)" }]);
    expect(readPokYaml('kernel: [unclosed').errors[0]!.path).toMatch(/^line \d+$/);
  });

  it('reads POK sizes', () => {
    expect(parseSize('130kB')).toBe(130 * 1024);
    expect(parseSize('1MiB')).toBe(1 << 20);
    expect(parseSize(65536)).toBe(65536);
    expect(parseSize('-3')).toBe('size must be more than 0 bytes, got "-3"');
    expect(parseSize('2G')).toBe(2 * 1024 ** 3);
  });
});
