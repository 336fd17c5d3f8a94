import { CONFIG_LIMITS } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
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

  it('unknown keys in slots, the scheduler and channels are reported', () => {
    const text = pok({ slot: ', colour: red', scheduler: '\n    colour: red', top: 'channels:\n  - { source: pr1.out, destinations: [pr1.in], colour: red }\n' });
    expect(readPokYaml(text).errors).toEqual([
      { path: 'kernel.scheduler.colour', message: 'unknown key' },
      { path: 'kernel.scheduler.slots[0].colour', message: 'unknown key' },
      { path: 'channels[0].colour', message: 'unknown key' },
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
