/**
 * The limits of the boards and the guests (src/config/limits.ts, docs/config.md "Limits"):
 * for every limit, `check` and `run` agree - both refuse with the same first error line,
 * or both accept and the run reaches its end - and the values that used to crash a run
 * (a 100 ms kernel tick on the i386, a 100 ms bare-metal pc386 clock) now run.
 */
import type { I386Board } from '@paravirt/cpu-i386';
import { describe, expect, it } from 'vitest';
import { cli, simulate } from './helpers.js';

const withoutMore = (line: string): string => line.replace(/ \(and \d+ more problems?; see paravirt check\)$/, '');
const firstError = (stderr: string): string => withoutMore(stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '');

/** check and a 1 s run of `config`: their exit codes and first error lines. */
async function checkAndRun(config: string, args: readonly string[] = []) {
  const file = config.trimStart().startsWith('<') ? 'module.xml' : 'module.yaml';
  const checked = await cli(['check', file, ...args], { [file]: config });
  const ran = await cli(['run', file, '--quiet', '--duration', '1s', ...args], { [file]: config });
  return { checked: { code: checked.code, error: firstError(checked.stderr) }, ran: { code: ran.code, error: firstError(ran.stderr) } };
}

/** A two-partition module; `extra` goes at the top level, `a` into partition a's mapping. */
function module(options: { kernel?: string; arch?: string; kernelTick?: string; frame?: string; window?: string; a?: string; b?: string; extra?: string } = {}): string {
  const window = options.window ?? '50ms';
  return `kernel: ${options.kernel ?? 'pok'}
arch: ${options.arch ?? 'i386'}
kernelTick: ${options.kernelTick ?? '1ms'}
${options.extra ?? ''}
schedules:
  - name: main
    majorFrame: ${options.frame ?? '100ms'}
    windows:
      - { partition: a, start: 0ms, duration: ${window} }
      - { partition: b, start: ${window}, duration: ${window} }
partitions:
  - { name: a, app: ticker${options.a ?? ''} }
  - { name: b, app: hello${options.b ?? ''} }
`;
}

const bare = (arch: string, clockTick: string, extra = ''): string => `kernel: none\narch: ${arch}\npartitions:\n  - { name: t, app: ticker, clockTick: ${clockTick}${extra} }\n`;

const queuingPorts = (count: number, size: number, messages: number): string =>
  `, memory: 64KiB, ports: [${Array.from({ length: count }, (_, i) => `{ name: q${i}, kind: queuing, direction: source, maxMessageSize: ${size}, maxMessages: ${messages} }`).join(', ')}]`;

const refused: Array<[string, string, string | RegExp, (readonly string[])?]> = [
  [
    'a LEON3 kernel tick past the 32-bit GPTIMER reload',
    module({ arch: 'sparc', kernelTick: '5000s', frame: '10000s', window: '5000s' }),
    'error: kernelTick: 5000s is longer than the LEON3 GPTIMER can tick: its 32-bit reload register counts at most 2^32 timer ticks of 1us, so the tick must be at most 4294967296us',
  ],
  ['a guest tick of 2 s (cpukit: at most 1 s)', module({ a: ', clockTick: 2s' }), /^error: partitions\[0\]\.clockTick: 2s cannot be the guest's tick: .*microsecondsPerTick.*2000000 \(RTEMS needs at least one tick per second/],
  ['a guest tick of 2 s on bare metal', bare('sparc', '2s'), /^error: partitions\[0\]\.clockTick: 2s cannot be the guest's tick: /],
  ['a 1 us pc386 clock (8254 count 1)', bare('i386', '1us'), 'error: partitions[0].clockTick: 1us is shorter than the pc386 clock can tick: US_TO_TICK gives the 8254 a count of 1, its rate generator needs at least 2 (2us)'],
  [
    'a partition of 4 GiB on the PC',
    module({ a: ', memory: 4294967296' }),
    "error: partitions[0].memory: partition a: 4294967296 bytes at 0x100000 (placed after the kernel's first MiB and the partitions before it) end at 0x100100000, 1179648 bytes past the end of the PC's RAM (0xfffe0000: 4 GiB less the BIOS ROM at the top of the 32-bit address space)",
  ],
  [
    'a base past the LEON3 RAM',
    module({ kernel: 'air', arch: 'sparc', a: ', memory: { base: 0x100000, size: 1MiB }', b: ', memory: { base: 0x3ff00000, size: 2MiB }' }),
    "error: partitions[1].memory: partition b: 2097152 bytes at 0x3ff00000 end at 0x40100000, 1048576 bytes past the end of the LEON3 board's RAM (0x40000000: 1 GiB, below the partitions' virtual window at 0x40000000)",
  ],
  ['a partition pushed past the RAM by the ones before it', module({ arch: 'sparc', a: ', memory: 1072693248' }), /^error: partitions\[1\]\.memory: partition b: 1048576 bytes at 0x40000000 \(placed after/],
  ['200 queuing ports of 65536 x 65536 bytes in 64 KiB', module({ a: queuingPorts(200, 65_536, 65_536) }), /^error: partitions\[0\]\.ports: the kernel's buffers for partition a's ports need 859203174400 bytes, 859203108864 more than its 65536 bytes of memory/],
  ['a port 8 bytes too big for its 64 KiB partition', module({ a: queuingPorts(1, 8, 2_731) }), /^error: partitions\[0\]\.ports: the kernel's buffers for partition a's ports need 65544 bytes, 8 more than its 65536 bytes of memory/],
  [
    'an 8177-byte port in an RTEMS partition',
    module({ a: queuingPorts(1, 8_177, 1) }),
    "error: partitions[0].ports[0].maxMessageSize: 8177-byte messages do not fit the paravirtual BSP's 8192-byte hypercall scratch buffer with the 16-byte SamplingInfo of a read: an RTEMS partition's ports carry at most 8176 bytes",
  ],
  [
    'a port name of 33 bytes',
    module({ a: `, ports: [{ name: ${'n'.repeat(33)}, kind: sampling, direction: source, maxMessageSize: 8, refreshPeriod: 1s }]` }),
    `error: partitions[0].ports[0].name: "${'n'.repeat(33)}" is 33 bytes; a port is created by a name of at most 32 bytes (the PortDescriptor's name field)`,
  ],
  ['a device on the PC cascade (IRQ 2)', module({ extra: 'devices: [{ kind: periodic-irq, line: 2, period: 7ms, partition: a }]' }), /^error: devices\[0\]\.line: line 2 cannot be routed to a partition on the i386: IRQ 2 is the master PIC's cascade input/],
  ['a device on the LEON3 tick timer (level 8)', module({ arch: 'sparc', extra: 'devices: [{ kind: periodic-irq, line: 8, period: 7ms, partition: a }]' }), /^error: devices\[0\]\.line: line 8 cannot be routed to a partition on the sparc: interrupt level 8 is GPTIMER timer 1/],
];

describe('check and run agree on every limit', () => {
  it.each(refused)('%s', async (_name, config, expected, args = []) => {
    const { checked, ran } = await checkAndRun(config, args);
    expect([checked.code, ran.code]).toEqual([2, 2]);
    expect(ran.error).toBe(checked.error);
    if (typeof expected === 'string') expect(checked.error).toBe(expected);
    else expect(checked.error).toMatch(expected);
  });

  const accepted: Array<[string, string, (readonly string[])?]> = [
    ['a 100 ms kernel tick on the i386 (split PIT), pok', module({ kernelTick: '100ms', frame: '200ms', window: '100ms' })],
    ['a 100 ms kernel tick on the i386 (split PIT), air', module({ kernel: 'air', kernelTick: '100ms', frame: '200ms', window: '100ms' })],
    ['a 1 s kernel tick on the i386', module({ kernelTick: '1s', frame: '2s', window: '1s' })],
    ['a 1 s kernel tick on the LEON3', module({ kernelTick: '1s', frame: '2s', window: '1s' }), ['--arch', 'sparc']],
    ['the longest LEON3 kernel tick', module({ arch: 'sparc', kernelTick: '4294967296us', frame: '8589934592us', window: '4294967296us' })],
    ['a 100 ms bare-metal pc386 clock (10 ISRs per tick)', bare('i386', '100ms')],
    ['a 1 s guest tick in a partition', module({ a: ', clockTick: 1s' })],
    ['an 8176-byte port (the BSP scratch buffer)', module({ a: queuingPorts(1, 8_176, 7) })],
    ['ports filling their 64 KiB partition exactly', module({ a: queuingPorts(1, 8, 2_730) })],
    ['a partition up to the end of the LEON3 RAM', module({ arch: 'sparc', a: ', memory: { base: 0x100000, size: 1MiB }', b: ', memory: { base: 0x3ff00000, size: 1MiB }' })],
  ];
  it.each(accepted)('%s runs', async (_name, config, args = []) => {
    const { checked, ran } = await checkAndRun(config, args);
    expect([checked, ran]).toEqual([
      { code: 0, error: '' },
      { code: 0, error: '' },
    ]);
  });
});

describe('a split kernel tick in a module', () => {
  it('i386, 100 ms: two PIT interrupts per tick, ten ticks and windows a second, the same windows as on the LEON3', async () => {
    const text = module({ kernelTick: '100ms', frame: '200ms', window: '100ms', extra: 'duration: 1s' });
    const { simulation, result } = await simulate(text);
    const board = simulation.platform as I386Board;
    // Ticks at the PIT edges at or after 100, 200, ..., 900 ms (the one at 1 s is past the run).
    expect(board.tickPieces).toEqual({ interrupts: 19, ticks: 9 });
    const sparc = await simulate(text, { arch: 'sparc' });
    const windows = (report: typeof result.report) => report.partitions.map((partition) => [partition.name, partition.windows]);
    expect(windows(result.report)).toEqual([
      ['a', 5],
      ['b', 5],
    ]);
    expect(windows(result.report)).toEqual(windows(sparc.result.report));
  });
});
