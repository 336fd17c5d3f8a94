/**
 * Config files too big or too binary to commit: the limits of docs/config.md ("What the
 * readers accept") one past the edge and at it, parser bombs at full size, and inputs that
 * were slow (quadratic) before. Each is made the same way every time.
 */
import type { GeneratedCase } from './types.js';

const lines = (count: number, line: (index: number) => string): string => Array.from({ length: count }, (_, index) => line(index)).join('\n');

/** A module with one partition `a` and the given schedule windows (offsets and lengths in us). */
function windowsModule(count: number, options: { kernel?: string; partition?: string; prefix?: string } = {}): string {
  return `${options.prefix ?? ''}kernel: ${options.kernel ?? 'air'}
kernelTick: 100us
schedules:
  - name: main
    majorFrame: ${count * 200}us
    windows:
${lines(count, (i) => `      - { partition: ${options.partition ?? 'a'}, start: ${i * 200}us, duration: 100us }`)}
partitions:
  - { name: a, app: idle }
`;
}

const ONE_PARTITION = `schedules:
  - { name: main, majorFrame: 100ms, windows: [ { partition: a, start: 0ms, duration: 100ms } ] }
`;

/** An ARINC 653 module with one partition and `windows` windows of 20 us in a frame of windows * 40 us (AIR's 50,000 ticks per second at most). */
function xmlModule(windows: number, before = '', inside = ''): string {
  const frame = (windows * 40) / 1_000_000;
  return `${before}<ARINC_653_Module ModuleName="generated">
  <Partition PartitionIdentifier="1" PartitionName="a"/>
  <Module_Schedule ScheduleIdentifier="0" ScheduleName="s" MajorFrameSeconds="${frame}">
    <Partition_Schedule PartitionIdentifier="1" PeriodSeconds="${frame}" PeriodDurationSeconds="${(windows * 20) / 1_000_000}">
${lines(windows, (i) => `      <Window_Schedule WindowIdentifier="${i}" WindowStartSeconds="${(i * 40) / 1_000_000}" WindowDurationSeconds="0.00002"/>`)}
    </Partition_Schedule>
  </Module_Schedule>
  <AIR_Configuration TicksPerSecond="50000"/>${inside}
</ARINC_653_Module>
`;
}

/** Deterministic pseudo-random bytes (xorshift32). */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export const cases: GeneratedCase[] = [
  {
    name: 'config-1m-windows',
    description: 'a schedule of 1,000,000 windows (about 60 MB): reading it never finished; now the CLI refuses the file by its size (4 MiB) before reading it',
    file: 'million-windows.yaml',
    make: () => windowsModule(1_000_000),
    expect: { code: 2, stderr: /larger than a configuration may be \(4 MiB\)$/ },
  },
  {
    name: 'config-10001-windows',
    description: 'one window more than a schedule may have',
    file: 'windows-10001.yaml',
    make: () => windowsModule(10_001),
    expect: { code: 2, stderr: 'error: schedules[0].windows: 10001 windows in one schedule; at most 10000 are supported' },
  },
  {
    name: 'config-10000-windows-runs',
    description: 'exactly as many windows as a schedule may have (10,000 of 100 us, 10,000 window switches per virtual second): checks and runs',
    file: 'windows-10000.yaml',
    make: () => windowsModule(10_000),
    expect: { code: 0 },
    args: ['--duration', '1s'],
  },
  {
    name: 'config-10000-aliased-windows',
    description: '10,000 windows naming their partition through one alias: yaml resolved each alias by walking the whole document (quadratic); now read in one pass',
    file: 'windows-aliased.yaml',
    make: () => windowsModule(10_000, { partition: '*p', prefix: 'name: &p a\n' }),
    expect: { code: 0 },
    args: ['--duration', '1s'],
  },
  {
    name: 'config-alias-bomb-windows',
    description: 'a windows list built by aliases into 9^7 entries',
    file: 'alias-windows.yaml',
    make: () => {
      const levels = ['w0: &w0 [{ partition: a, start: 0, duration: 1ms }]', ...Array.from({ length: 7 }, (_, i) => `w${i + 1}: &w${i + 1} [${Array(9).fill(`*w${i}`).join(', ')}]`)];
      return `${levels.join('\n')}\n${ONE_PARTITION}`;
    },
    expect: { code: 2, stderr: 'error: (file): more than 250000 values (aliases count each time they are used)' },
  },
  {
    name: 'config-257-partitions',
    description: 'one partition more than a module may have: one error, not one per window naming a partition',
    file: 'partitions-257.yaml',
    make: () => `kernel: air
schedules:
  - name: main
    majorFrame: 257ms
    windows:
${lines(257, (i) => `      - { partition: p${i}, start: ${i}ms, duration: 1ms }`)}
partitions:
${lines(257, (i) => `  - { name: p${i}, app: idle, memory: 64KiB }`)}
`,
    expect: { code: 2, stderr: 'error: partitions: 257 partitions; at most 256 are supported' },
  },
  {
    name: 'config-65-schedules',
    description: 'one schedule more than a module may have',
    file: 'schedules-65.yaml',
    make: () => `kernel: air
schedules:
${lines(65, (i) => `  - { name: s${i}, majorFrame: 100ms, windows: [ { partition: a, start: 0ms, duration: 100ms } ] }`)}
partitions:
  - { name: a, app: idle }
`,
    expect: { code: 2, stderr: 'error: schedules: 65 schedules; at most 64 are supported' },
  },
  {
    name: 'config-257-ports',
    description: 'one port more than a partition may have',
    file: 'ports-257.yaml',
    make: () => `${ONE_PARTITION}partitions:
  - name: a
    ports:
${lines(257, (i) => `      - { name: q${i}, kind: queuing, direction: source, maxMessageSize: 8, maxMessages: 1 }`)}
`,
    expect: { code: 2, stderr: 'error: partitions[0].ports: 257 ports in one partition; at most 256 are supported' },
  },
  {
    name: 'config-1025-channels',
    description: 'one channel more than a module may have',
    file: 'channels-1025.yaml',
    make: () => `${ONE_PARTITION}partitions:
  - name: a
    ports:
      - { name: out, kind: queuing, direction: source, maxMessageSize: 8, maxMessages: 1 }
channels:
${lines(1025, () => '  - { source: a.out, destinations: [a.in] }')}
`,
    expect: { code: 2, stderr: 'error: channels: 1025 channels; at most 1024 are supported' },
  },
  {
    name: 'config-257-destinations',
    description: 'one destination more than a channel may have',
    file: 'destinations-257.yaml',
    make: () => `${ONE_PARTITION}partitions:
  - name: a
    ports:
      - { name: out, kind: queuing, direction: source, maxMessageSize: 8, maxMessages: 1 }
channels:
  - source: a.out
    destinations: [${Array(257).fill('a.in').join(', ')}]
`,
    expect: { code: 2, stderr: 'error: channels[0].destinations: 257 destinations in one channel; at most 256 are supported' },
  },
  {
    name: 'config-16-devices',
    description: 'more devices than there are interrupt lines',
    file: 'devices-16.yaml',
    make: () => `${ONE_PARTITION}partitions:
  - { name: a, app: idle }
devices:
${lines(16, (i) => `  - { kind: periodic-irq, line: ${(i % 15) + 1}, period: 1ms, partition: a }`)}
`,
    expect: { code: 2, stderr: 'error: devices: 16 devices (one per interrupt line 1-15); at most 15 are supported' },
  },
  {
    name: 'config-yaml-token-limit',
    description: 'just under 4 MiB of one-character comment lines (1.4 million lines): the YAML parser took 7 s; the lexer stops at a million tokens',
    file: 'comments.yaml',
    make: () => `${'#x\n'.repeat(1_398_000)}${ONE_PARTITION}partitions:\n  - { name: a, app: idle }\n`,
    expect: { code: 2, stderr: 'error: line 500001: more than 1000000 YAML tokens (10,000 windows are about 300,000)' },
  },
  {
    name: 'config-250001-values',
    description: 'a list of 250,001 numbers: refused by the lexer before the (slower) parser sees it',
    file: 'values.yaml',
    make: () => `name: [${'0,'.repeat(250_000)}0]\n`,
    expect: { code: 2, stderr: 'error: line 1: more than 250000 values (aliases count each time they are used)' },
  },
  {
    name: 'config-yaml-nested-100k',
    description: '100,000 nested flow lists: the yaml library ran out of memory (a V8 abort, no error line)',
    file: 'deep.yaml',
    make: () => `name: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    expect: { code: 2, stderr: 'error: line 1: mappings and lists nested more than 32 deep' },
  },
  {
    name: 'config-pok-60k-ignored-keys',
    description: 'a POK config.yaml with 60,000 keys under threads (accepted and ignored): yaml\'s unique-key check compared every key with every other (124,000 keys took 156 s)',
    file: 'pok-many-keys.yaml',
    make: () => `target: { arch: x86, bsp: x86-qemu }
partitions:
  - name: pr1
    size: 256kB
    threads:
${lines(60_000, (i) => `      k${i}: ${i}`)}
kernel:
  scheduler:
    major_frame: 100ms
    slots:
      - { partition: pr1, duration: 100ms }
`,
    expect: { code: 0 },
    args: ['--duration', '1s'],
  },
  {
    name: 'config-xml-10001-windows',
    description: 'ARINC 653 XML: one window more than a schedule may have',
    file: 'windows-10001.xml',
    make: () => xmlModule(10_001),
    expect: { code: 2, stderr: 'error: ARINC_653_Module.Module_Schedule[0]: 10001 windows (Window_Schedule); at most 10000 per schedule are supported' },
  },
  {
    name: 'config-xml-nested-100k',
    description: 'ARINC 653 XML: 100,000 nested elements (fast-xml-parser threw "Maximum nested tags exceeded" past 100)',
    file: 'deep.xml',
    make: () => xmlModule(1, '', `\n  ${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`),
    expect: { code: 2, stderr: 'error: line 9: elements nested more than 32 deep' },
  },
  {
    name: 'config-xml-1001-entities',
    description: 'ARINC 653 XML: more entity declarations than allowed',
    file: 'entities.xml',
    make: () => xmlModule(1, `<!DOCTYPE ARINC_653_Module [\n${lines(1001, (i) => `  <!ENTITY e${i} "${i}">`)}\n]>\n`),
    expect: { code: 2, stderr: 'error: line 1002: more than 1000 entity declarations' },
  },
  {
    name: 'config-xml-250001-values',
    description: 'ARINC 653 XML with 250,001 elements (about a microsecond of parsing per character): refused before parsing',
    file: 'elements.xml',
    make: () => xmlModule(1, '', `\n  <SharedMemory>${'<x/>'.repeat(250_000)}</SharedMemory>`),
    expect: { code: 2, stderr: 'error: line 9: more than 250000 values (elements and attributes)' },
  },
  {
    name: 'config-random-bytes',
    description: '64 KiB of pseudo-random bytes (what /dev/urandom would give)',
    file: 'noise.yaml',
    make: () => noise(65_536, 653),
    expect: { code: 2, stderr: /^.+$/ },
  },
  {
    name: 'config-random-bytes-xml',
    description: '64 KiB of pseudo-random bytes after an XML root start tag',
    file: 'noise.xml',
    make: () => new Uint8Array([...new TextEncoder().encode('<ARINC_653_Module>'), ...noise(65_536, 1653)]),
    expect: { code: 2, stderr: /^.+$/ },
  },
];
