import { CONFIG_LIMITS } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { validatePokConfig } from './config.js';
import { readPokYaml } from './pokYaml.js';

/** A valid POK config.yaml with `extra` spliced in where each part says. */
function pok(parts: { partition?: string; kernel?: string; scheduler?: string; slot?: string; top?: string } = {}): string {
  return `partitions:
  - name: pr1
    size: 256kB${parts.partition ?? ''}
kernel:
  tick: 1ms${parts.kernel ?? ''}
  scheduler:
    major_frame: 100ms${parts.scheduler ?? ''}
    slots:
      - { partition: pr1, duration: 100ms${parts.slot ?? ''} }
${parts.top ?? ''}`;
}

const IGNORED = "unknown key, ignored (POK's misc/gen_deployment does not read it)";

describe('readPokYaml robustness', () => {
  it('reads the base config', () => {
    expect(readPokYaml(pok()).errors).toEqual([]);
  });

  it('an error key named __proto__ is reported, not dropped', () => {
    expect(readPokYaml(pok({ partition: '\n    errors: { __proto__: IDLE }' })).errors).toEqual([{ path: 'partitions[0].errors.__proto__', message: 'unknown POK error kind' }]);
  });

  it.each([
    ['a zero major frame', { scheduler: '' }, 'major_frame: 100ms', 'major_frame: 0', 'kernel.scheduler.major_frame', 'must be longer than 0'],
    ['a zero slot', { slot: '' }, 'duration: 100ms }', 'duration: 0 }', 'kernel.scheduler.slots[0].duration', 'must be longer than 0'],
    ['a 1 us kernel tick', {}, 'tick: 1ms', 'tick: 1us', 'kernel.tick', 'must be at least 10us (at most 100000 kernel ticks per second), got 1us'],
    ['a size beyond 2^53', {}, 'size: 256kB', 'size: 99999999999999999999', 'partitions[0].size', '99999999999999999999 is too large: whole numbers must be within ±9007199254740991 (2^53 - 1)'],
    ['an infinite slot', { slot: '' }, 'duration: 100ms }', 'duration: .inf }', 'kernel.scheduler.slots[0].duration', '.inf is not a finite number'],
  ])('%s', (_name, parts, from, to, path, message) => {
    expect(readPokYaml(pok(parts).replace(from, to)).errors).toEqual([{ path, message }]);
  });

  it("unknown keys in POK's mappings are warnings (POK ignores them), in our extensions errors", () => {
    const text = pok({ slot: ', colour: red', scheduler: '\n    colour: red', top: 'channels:\n  - { source: pr1.out, destinations: [pr1.in], colour: red }\n' });
    const result = readPokYaml(text);
    expect(result.errors).toEqual([{ path: 'channels[0].colour', message: 'unknown key' }]);
    expect(result.warnings).toEqual([
      { path: 'kernel.scheduler.colour', message: IGNORED },
      { path: 'kernel.scheduler.slots[0].colour', message: IGNORED },
    ]);
  });

  it('port sizes must be whole numbers of 1..65536 bytes', () => {
    const text = pok({ partition: '\n    ports:\n      - { name: out, kind: queuing, direction: source, maxMessageSize: 1.5, maxMessages: 1e6 }' });
    expect(readPokYaml(text).errors).toEqual([
      { path: 'partitions[0].ports[0].maxMessageSize', message: 'must be a whole number, got 1.5' },
      { path: 'partitions[0].ports[0].maxMessages', message: 'must be between 1 and 65536, got 1000000' },
    ]);
  });

  it('more slots than a schedule may have is one error', () => {
    const slots = Array.from({ length: CONFIG_LIMITS.windowsPerSchedule + 1 }, () => '      - { partition: pr1, duration: 1ms }').join('\n');
    const text = pok().replace('      - { partition: pr1, duration: 100ms }', slots);
    expect(readPokYaml(text).errors).toEqual([{ path: 'kernel.scheduler.slots', message: `${CONFIG_LIMITS.windowsPerSchedule + 1} slots; at most ${CONFIG_LIMITS.windowsPerSchedule} are supported` }]);
  });

  it('an alias bomb, deep nesting and a second document are single errors', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]', 'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]'].join('\n');
    expect(readPokYaml(bomb).errors).toEqual([{ path: '(file)', message: `more than ${CONFIG_LIMITS.values} values (aliases count each time they are used)` }]);
    expect(readPokYaml(`kernel: ${'['.repeat(40)}`).errors).toEqual([{ path: 'line 1', message: `mappings and lists nested more than ${CONFIG_LIMITS.nesting} deep` }]);
    expect(readPokYaml(`${pok()}---\n${pok()}`).errors).toEqual([{ path: 'line 10', message: 'a second YAML document: a configuration file holds exactly one' }]);
  });

  it('names with line breaks are refused with the break escaped', () => {
    expect(readPokYaml(pok().replace('name: pr1', 'name: "pr\\n1"')).errors).toEqual([
      { path: 'partitions[0].name', message: 'must not contain control characters or line breaks (U+000A), got "pr\\n1"' },
    ]);
  });
});

/** A config.yaml without major_frame whose one slot lasts `duration` (YAML text), partition size `size`. */
function slot(duration: string, size = '130kB'): string {
  return `partitions:\n  - { name: pr1, size: ${size} }\nkernel:\n  scheduler:\n    slots:\n      - { partition: pr1, duration: ${duration} }\n`;
}

describe("POK config.yaml as POK's misc/gen_deployment reads it", () => {
  it('an absent (or null) major_frame is the sum of the slots', () => {
    const text = pok().replace('    major_frame: 100ms\n', '').replace('      - { partition: pr1, duration: 100ms }', '      - { partition: pr1, duration: 0.4s }\n      - { partition: pr1, duration: 200ms }');
    const result = readPokYaml(text);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config!.majorFrame).toBe(600_000_000);
    expect(validatePokConfig(result.config!)).toEqual([]);
    expect(readPokYaml(pok().replace('major_frame: 100ms', 'major_frame: ~')).config!.majorFrame).toBe(100_000_000);
  });

  it('slots adding up to more than 240h without a major_frame are refused', () => {
    const text = slot('200h').replace('      - { partition: pr1, duration: 200h }', '      - { partition: pr1, duration: 200h }\n      - { partition: pr1, duration: 200h }');
    expect(readPokYaml(text).errors).toEqual([{ path: 'kernel.scheduler.slots', message: 'add up to 1440000s, the major frame when major_frame is absent: at most 240h (10 days)' }]);
  });

  it.each([
    ['20ms', 20_000_000],
    ['1s', 1_000_000_000],
    ['0.4s', 400_000_000],
    ['.5s', 500_000_000],
    ['1.5 s', 1_500_000_000],
    ['500us', 500_000],
    ['500µs', 500_000],
    ['250ns', 250],
    ['1m', 60_000_000_000],
    ['2min', 120_000_000_000],
    ['1h', 3_600_000_000_000],
    ['100000000', 100_000_000],
    ['"100000000"', 100_000_000],
    ['" 7 "', 7],
    ['1_000_000', 1_000_000],
  ])('duration %s is %d ns', (text, ns) => {
    const result = readPokYaml(slot(text));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config!.slots[0]!.duration).toBe(ns);
  });

  it.each([
    ['"20 msec"', 20_000_000, '"20 msec": POK reads it as "20 ms" and ignores "ec"'],
    ['4.1ms', 4_100_000, '"4.1ms": POK\'s to_ns computes 4099999 ns (a floating-point product); read as exactly 4100us'],
    ['1.5ns', 1, '"1.5ns": it is not a whole number of nanoseconds: read as 1 ns, truncated as POK\'s to_ns does'],
  ])('duration %s is read as %d ns with a warning', (text, ns, warning) => {
    const result = readPokYaml(slot(text));
    expect(result.errors).toEqual([]);
    expect(result.config!.slots[0]!.duration).toBe(ns);
    expect(result.warnings).toEqual([{ path: 'kernel.scheduler.slots[0].duration', message: warning }]);
  });

  it.each([
    ['1.5', 'a bare number is a number of nanoseconds (POK\'s to_ns reads whole numbers), got 1.5: give it a unit, e.g. "1.5s"'],
    ['"1.5"', 'cannot read duration "1.5": POK\'s to_ns reads a number of nanoseconds or a number with a unit ns, us, µs, ms, s, m (minutes) or h, e.g. "20ms"'],
    ['1 day', 'cannot read duration "1 day": POK\'s to_ns reads a number of nanoseconds or a number with a unit ns, us, µs, ms, s, m (minutes) or h, e.g. "20ms"'],
    ['-5', 'must not be negative, got -5'],
    ['"-5"', 'must not be negative, got "-5"'],
    ['241h', 'must be at most 240h (10 days), got "241h"'],
    ['true', 'must be a duration (a number of nanoseconds or a string like "20ms"), got true'],
    ['0ms', 'must be longer than 0'],
  ])('duration %s is refused', (text, message) => {
    expect(readPokYaml(slot(text)).errors).toEqual([{ path: 'kernel.scheduler.slots[0].duration', message }]);
  });

  it('the major frame and the kernel tick are read the same way', () => {
    const result = readPokYaml(pok().replace('tick: 1ms', 'tick: "1000000"').replace('major_frame: 100ms', 'major_frame: "100000000"'));
    expect(result.errors).toEqual([]);
    expect(result.config!.kernelTick).toBe(1_000_000);
    expect(result.config!.majorFrame).toBe(100_000_000);
    expect(readPokYaml(pok().replace('major_frame: 100ms', 'major_frame: 1m')).config!.majorFrame).toBe(60_000_000_000);
  });

  it.each([
    ['130kB', 130 * 1024],
    ['96k', 96 * 1024],
    ['2MB', 2 * 1024 ** 2],
    ['1 M', 1024 ** 2],
    ['1MiB', 1024 ** 2],
    ['64kiB', 64 * 1024],
    ['1G', 1024 ** 3],
    ['65536', 65536],
    ['"65536"', 65536],
    ['100_000', 100_000],
  ])('size %s is %d bytes', (text, bytes) => {
    const result = readPokYaml(slot('1s', text));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config!.partitions[0]!.memorySize).toBe(bytes);
  });

  it('a size below the 64KiB a paravirt partition needs is read as 64KiB, with a warning', () => {
    const result = readPokYaml(slot('1s', '32kB'));
    expect(result.errors).toEqual([]);
    expect(result.config!.partitions[0]!.memorySize).toBe(64 * 1024);
    expect(result.warnings).toEqual([
      { path: 'partitions[0].size', message: '32768 bytes, read as 64KiB: POK sizes a partition for its own program, a paravirt partition runs an application and has at least 64KiB' },
    ]);
  });

  it.each([
    ['64KB', 'POK\'s to_bytes reads "64KB" as 64 bytes and ignores "KB": write k, M or G (powers of 1024) with an optional B, e.g. "64kB"'],
    ['64KiB', 'POK\'s to_bytes reads "64KiB" as 64 bytes and ignores "KiB": write k, M or G (powers of 1024) with an optional B, e.g. "64kB"'],
    ['1.5MB', 'POK\'s to_bytes reads "1.5MB" as 1 byte and ignores ".5MB": write k, M or G (powers of 1024) with an optional B, e.g. "64kB"'],
    ['1mB', 'POK\'s to_bytes reads "1mB" as 1 byte and ignores "mB": write k, M or G (powers of 1024) with an optional B, e.g. "64kB"'],
    ['lots', 'cannot read size "lots": POK\'s to_bytes reads a number of bytes or a number with k, M or G (powers of 1024) and an optional B, e.g. "130kB"'],
    ['0kB', 'size must be more than 0 bytes, got "0kB"'],
    ['"-4"', 'size must be more than 0 bytes, got "-4"'],
    ['1.5', 'a bare number is a number of bytes, got 1.5'],
  ])('size %s is refused', (text, message) => {
    expect(readPokYaml(slot('1s', text)).errors).toEqual([{ path: 'partitions[0].size', message }]);
  });

  it("POK's build-only keys are accepted and ignored without a word", () => {
    const text = `target: { arch: x86, bsp: x86-qemu, nb_processors_number: 1 }
partitions:
  - name: pr1
    features: [console, libc]
    semaphores: 1
    mutexes: 2
    events: 1
    scheduler: static
    processor_affinity: [0]
    threads: { count: 3, features: [sleep, suspend] }
    size: 120kB
    objects: ["main.o"]
  - { name: pr2, size: 120kB, scheduler: RR }
  - { name: pr3, size: 120kB, scheduler: rms }
kernel:
  features: [assert, debug]
  scheduler:
    slots:
      - { partition: pr1, duration: 10ms }
      - { partition: pr2, duration: 10ms }
      - { partition: pr3, duration: 10ms }
`;
    const result = readPokYaml(text);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.arch).toBe('i386');
  });

  it('keys POK does not read are ignored with a warning wherever POK reads the file', () => {
    const text = pok({ partition: '\n    wcet: 13ms', kernel: '\n  stop_after: 37ms', top: 'tests: 3\n' }).replace('partitions:', 'target: { arch: sparc, bsp: leon3, board: gr712 }\npartitions:');
    const result = readPokYaml(text);
    expect(result.errors).toEqual([]);
    expect(result.arch).toBe('sparc');
    expect(result.warnings).toEqual([
      { path: 'tests', message: IGNORED },
      { path: 'target.board', message: IGNORED },
      { path: 'partitions[0].wcet', message: IGNORED },
      { path: 'kernel.stop_after', message: IGNORED },
    ]);
  });

  it('more than one processor, and affinities to other processors, are warned of', () => {
    const text = pok({ partition: '\n    processor_affinity: [0, 1]' }).replace('partitions:', 'target: { arch: x86, bsp: x86-qemu, nb_processors_number: 4 }\npartitions:');
    const result = readPokYaml(text);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      { path: 'target.nb_processors_number', message: 'POK runs this module on 4 processors; the simulated board has one, which every partition shares (processor_affinity is ignored)' },
      { path: 'partitions[0].processor_affinity', message: 'ignored: the simulated board has one processor, which every partition shares' },
    ]);
  });

  it.each([['"4"'], ['0'], ['true'], ['1.5']])('nb_processors_number %s is refused', (count) => {
    const text = pok().replace('partitions:', `target: { arch: x86, bsp: x86-qemu, nb_processors_number: ${count} }\npartitions:`);
    expect(readPokYaml(text).errors).toEqual([{ path: 'target.nb_processors_number', message: expect.stringMatching(/^must be a whole number of processors, 1 or more, got /) as unknown }]);
  });

  it('a thread scheduler other than RR, RMS or STATIC is refused, as POK refuses it', () => {
    expect(readPokYaml(pok({ partition: '\n    scheduler: edf' })).errors).toEqual([{ path: 'partitions[0].scheduler', message: 'POK\'s thread schedulers are RR, RMS and STATIC, got "edf"' }]);
  });

  it("POK's targets that are not simulated run on the default architecture with a warning; unknown ones are refused", () => {
    const arm = readPokYaml(pok().replace('partitions:', 'target: { arch: arm, bsp: stm32f4 }\npartitions:'));
    expect(arm.errors).toEqual([]);
    expect(arm.arch).toBeUndefined();
    expect(arm.warnings).toEqual([{ path: 'target.arch', message: 'POK\'s "arm" target is not simulated (paravirt has i386 and sparc): the module runs on the default architecture, or the one --arch names' }]);
    expect(readPokYaml(pok().replace('partitions:', 'target: { arch: mips }\npartitions:')).errors).toEqual([{ path: 'target.arch', message: 'unsupported architecture "mips" (POK\'s are x86, sparc, ppc and arm)' }]);
  });
});

describe('readPokYaml warnings', () => {
  it('keeps the first 50 and counts the rest', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const result = readPokYaml(`${pok()}${keys}\n`);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toHaveLength(51);
    expect(result.warnings[0]).toEqual({ path: 'k0', message: IGNORED });
    expect(result.warnings[50]).toEqual({ path: '(file)', message: '950 more warnings like these' });
  });
});
