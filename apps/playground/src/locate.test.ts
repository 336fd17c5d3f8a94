import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO, loadConfig, planKernel } from '@paravirt/compose';
import { lineOfPath, pathSegments } from './locate.js';

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('pathSegments', () => {
  it('splits keys and indices', () => {
    expect(pathSegments('schedules[0].windows[2].start')).toEqual(['schedules', 0, 'windows', 2, 'start']);
    expect(pathSegments('partitions.ctrl.permissions')).toEqual(['partitions', 'ctrl', 'permissions']);
    expect(pathSegments('(config)')).toEqual(['(config)']);
  });
});

describe('lineOfPath in YAML', () => {
  it('finds keys, list items and flow mappings of the default demo', () => {
    expect(lineOfPath(DEFAULT_DEMO, 'kernelTick')).toBe(lineOf(DEFAULT_DEMO, 'kernelTick:'));
    expect(lineOfPath(DEFAULT_DEMO, 'schedules[0].majorFrame')).toBe(lineOf(DEFAULT_DEMO, 'majorFrame'));
    expect(lineOfPath(DEFAULT_DEMO, 'schedules[0].windows[2].start')).toBe(lineOf(DEFAULT_DEMO, 'partition: base_sp'));
    expect(lineOfPath(DEFAULT_DEMO, 'partitions[1].memory')).toBe(lineOf(DEFAULT_DEMO, 'name: ticker'));
    expect(lineOfPath(DEFAULT_DEMO, 'partitions.base_sp')).toBe(lineOf(DEFAULT_DEMO, 'name: base_sp'));
  });

  it('walks block mappings inside sequence items, and a sequence at its key indentation', () => {
    const text = ['# comment', 'partitions:', '- name: a', '  app: hello', '- name: ctrl', '  app: ticker', '  permissions:', '    - set-schedule', '    - nonsense  # here', 'healthMonitor:', '  partitions:', '    ctrl:', '      DEADLINE_MISSED: IGNORE', ''].join('\n');
    expect(lineOfPath(text, 'partitions[1].app')).toBe(6);
    expect(lineOfPath(text, 'partitions[1].permissions[1]')).toBe(9);
    expect(lineOfPath(text, 'partitions.ctrl.permissions')).toBe(7);
    expect(lineOfPath(text, 'healthMonitor.partitions.ctrl.DEADLINE_MISSED')).toBe(13);
    expect(lineOfPath(text, 'partitions[0]')).toBe(3);
  });

  it('falls back to the deepest part found, then line 1', () => {
    expect(lineOfPath(DEFAULT_DEMO, 'schedules[0].nonsense')).toBe(lineOf(DEFAULT_DEMO, '- name: main'));
    expect(lineOfPath(DEFAULT_DEMO, 'nowhere')).toBe(1);
    expect(lineOfPath(DEFAULT_DEMO, '(config)')).toBe(1);
    expect(lineOfPath('', 'x')).toBe(1);
  });

  it('takes `line N` paths as they are', () => {
    expect(lineOfPath('a: 1\nb: [\n', 'line 2')).toBe(2);
    expect(lineOfPath('a: 1\n', 'line 99')).toBe(2);
  });

  it("puts the readers' own errors on the line they are about", () => {
    const text = DEFAULT_DEMO.replace('majorFrame: 100ms', 'majorFrame: 100 furlongs');
    const { errors } = loadConfig(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(lineOfPath(text, errors[0]!.path)).toBe(lineOf(text, 'furlongs'));

    const overlap = DEFAULT_DEMO.replace('start: 60ms', 'start: 50ms');
    const loaded = loadConfig(overlap);
    const problems = loaded.errors.length > 0 ? loaded.errors : planKernel(loaded.spec!, loaded.airConfig).errors;
    expect(problems.length).toBeGreaterThan(0);
    expect(lineOfPath(overlap, problems[0]!.path)).toBe(lineOf(overlap, 'start: 50ms'));
  });
});

describe('lineOfPath in XML', () => {
  const xml = ['<?xml version="1.0"?>', '<ARINC_653_Module ModuleName="m">', '  <Partition PartitionIdentifier="1" PartitionName="a">', '  </Partition>', '  <Partition PartitionIdentifier="2"', '      PartitionName="b">', '  </Partition>', '</ARINC_653_Module>'].join('\n');
  it('finds the n-th element and an attribute after it', () => {
    expect(lineOfPath(xml, 'ARINC_653_Module.Partition[1]')).toBe(5);
    expect(lineOfPath(xml, 'ARINC_653_Module.Partition[1].PartitionName')).toBe(6);
    expect(lineOfPath(xml, 'ARINC_653_Module.Partition[0].PartitionName')).toBe(3);
    expect(lineOfPath(xml, 'ARINC_653_Module.Nothing')).toBe(2);
  });
});
