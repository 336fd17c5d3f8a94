import { CONFIG_LIMITS } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { parseYamlData } from './yamlData.js';

/** An alias bomb: each level a list of nine aliases to the level before. */
function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level <= levels; level++) lines.push(`l${level}: &l${level} [${Array.from({ length: 9 }, () => `*l${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('parseYamlData: never throws, every problem one error', () => {
  it('an alias bomb is one error about the value budget, not "Excessive alias count", and fails fast', () => {
    const started = performance.now();
    expect(parseYamlData(aliasBomb(7)).errors).toEqual([{ path: '(file)', message: `more than ${CONFIG_LIMITS.values} values (aliases count each time they are used)` }]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('more scalars than the budget are refused by the lexer, with the line', () => {
    expect(parseYamlData(`a: [${'0,'.repeat(CONFIG_LIMITS.values)}0]`).errors).toEqual([{ path: 'line 1', message: `more than ${CONFIG_LIMITS.values} values (aliases count each time they are used)` }]);
  });

  it('aliases below the budget expand as plain copies (and more than 100 uses of one anchor are fine)', () => {
    const uses = Array.from({ length: 500 }, () => '*p').join(', ');
    const result = parseYamlData(`p: &p hello\nlist: [${uses}]\n`);
    expect(result.errors).toEqual([]);
    expect((result.value as { list: string[] }).list).toHaveLength(500);
  });

  it('a self-referencing alias is a nesting error', () => {
    const [error] = parseYamlData('a: &x [ *x ]\n').errors;
    expect(error!.message).toBe(`mappings and lists nested more than ${CONFIG_LIMITS.nesting} deep (through aliases)`);
  });

  it.each([
    ['flow', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['unclosed flow', '{a: '.repeat(50_000)],
    ['block', Array.from({ length: 40 }, (_, depth) => `${' '.repeat(depth)}k:`).join('\n')],
  ])('nesting deeper than the limit (%s) is one error with its line, before the document is built', (_name, text) => {
    const result = parseYamlData(text);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.path).toMatch(/^line \d+$/);
    expect(result.errors[0]!.message).toBe(`mappings and lists nested more than ${CONFIG_LIMITS.nesting} deep`);
  });

  it('nesting up to the limit is read', () => {
    expect(parseYamlData('['.repeat(CONFIG_LIMITS.nesting) + ']'.repeat(CONFIG_LIMITS.nesting)).errors).toEqual([]);
  });

  it('a second document is an error naming its line', () => {
    expect(parseYamlData('a: 1\n---\nb: 2\n').errors).toEqual([{ path: 'line 2', message: 'a second YAML document: a configuration file holds exactly one' }]);
  });

  it('a file over the size limit is refused before parsing', () => {
    expect(parseYamlData(`# ${'x'.repeat(CONFIG_LIMITS.fileChars)}\n`).errors[0]!.path).toBe('(file)');
  });
});

describe('parseYamlData: keys', () => {
  it('keeps __proto__, constructor and prototype as ordinary keys of prototype-less mappings', () => {
    const result = parseYamlData('__proto__: IDLE\nconstructor: 2\nnested: { prototype: 3, __proto__: { x: 1 } }\n');
    expect(result.errors).toEqual([]);
    const value = result.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'nested']);
    expect(value['__proto__']).toBe('IDLE');
    expect(Object.keys(value['nested'] as object)).toEqual(['prototype', '__proto__']);
  });

  it('reads number and boolean keys as their text; refuses complex, empty and control-character keys', () => {
    expect(parseYamlData('1: a\ntrue: b\n').value).toEqual({ 1: 'a', true: 'b' });
    expect(parseYamlData('? [a, b]\n: 1\n').errors[0]!.path).toBe('line 1');
    expect(parseYamlData('"": 1\n').errors).toEqual([{ path: '(top level)', message: 'an empty key' }]);
    expect(parseYamlData('a:\n  "x\\ny": 1\n').errors).toEqual([{ path: 'a', message: 'the key "x\\ny" contains a control character or line break (U+000A)' }]);
  });

  it('duplicate keys are an error naming the key and the line it repeats on, also when spelled differently', () => {
    expect(parseYamlData('a: 1\na: 2\n').errors).toEqual([{ path: 'a', message: 'duplicate key (again at line 2)' }]);
    expect(parseYamlData('x:\n  1: a\n  "1": b\n').errors).toEqual([{ path: 'x.1', message: 'duplicate key (again at line 3)' }]);
  });

  it('many keys and many aliases read in linear time (yaml\'s own unique-key check and alias lookup are quadratic)', () => {
    // Growth, not a wall-clock bound (a loaded machine is slow for both sizes alike): 4x the
    // keys must cost well under the 16x a quadratic reader would. Best of two against noise.
    const time = (count: number): number => {
      const text = `v: &v 1\n${Array.from({ length: count }, (_, i) => `k${i}: *v`).join('\n')}\n`;
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 2; round++) {
        const started = performance.now();
        const result = parseYamlData(text);
        best = Math.min(best, performance.now() - started);
        expect(result.errors).toEqual([]);
        expect(Object.keys(result.value as object)).toHaveLength(count + 1);
      }
      return best;
    };
    const small = time(10_000);
    const large = time(40_000);
    expect(large / small).toBeLessThan(8);
  }, 60_000); // growth is the check: the time limit only guards a hang (a loaded machine takes seconds)
});

describe('parseYamlData: numbers and other scalars', () => {
  it.each([
    ['a: .inf', 'a', '.inf is not a finite number'],
    ['a: -.Inf', 'a', '-.Inf is not a finite number'],
    ['a: .nan', 'a', '.nan is not a finite number'],
    ['a: [1e400]', 'a[0]', '1e400 is not a finite number'],
    ['a: 99999999999999999999', 'a', '99999999999999999999 is too large: whole numbers must be within ±9007199254740991 (2^53 - 1)'],
    ['a: 0x20000000000000', 'a', '0x20000000000000 is too large: whole numbers must be within ±9007199254740991 (2^53 - 1)'],
    ['a: 1e300', 'a', '1e300 is too large: whole numbers must be within ±9007199254740991 (2^53 - 1)'],
    ['%YAML 1.1\n---\na: 2001-12-14', 'a', 'a timestamp ("2001-12-14"): write it as a quoted string'],
    ['%YAML 1.1\n---\na: !!binary aGVsbG8=', 'a', 'binary data ("aGVsbG8="): write it as a quoted string'],
  ])('%j: %s', (text, path, message) => {
    expect(parseYamlData(text).errors).toEqual([{ path, message }]);
  });

  it('reads safe integers, fractions, strings, booleans and null', () => {
    expect(parseYamlData('a: 9007199254740991\nb: 1.5\nc: "x"\nd: false\ne: ~\nf: 0x10\n').value).toEqual({ a: 9007199254740991, b: 1.5, c: 'x', d: false, e: null, f: 16 });
  });

  it('an empty file is null; JSON is YAML', () => {
    expect(parseYamlData('')).toEqual({ value: null, errors: [] });
    expect(parseYamlData('{"a": [1, {"b": null}]}').value).toEqual({ a: [1, { b: null }] });
  });
});
