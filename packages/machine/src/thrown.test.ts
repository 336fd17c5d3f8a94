import { describe, expect, it } from 'vitest';
import { describeGuestValue, describeThrown, thrownStack } from './thrown.js';

describe('describeThrown: one bounded line about anything guest code throws, never throwing itself', () => {
  it('an Error as "Name: message", anything else as "thrown <value>"', () => {
    expect([describeThrown(new RangeError('bad routine')), describeThrown(new Error('')), describeThrown('boom'), describeThrown(42), describeThrown(null), describeThrown(undefined), describeThrown(12n)]).toEqual([
      'RangeError: bad routine',
      'Error',
      'thrown "boom"',
      'thrown 42',
      'thrown null',
      'thrown undefined',
      'thrown 12n',
    ]);
    expect([describeThrown(Symbol('s')), describeThrown(Symbol()), describeThrown(() => 1), describeThrown(Object.create(null)), describeThrown({ toString: () => 'x' })]).toEqual([
      'thrown Symbol(s)',
      'thrown Symbol()',
      'thrown a function',
      'thrown an object that is not an Error',
      'thrown an object that is not an Error',
    ]);
  });

  it('survives a Proxy whose traps throw and an Error whose getters throw or lie', () => {
    const trap = (): never => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
    expect(describeThrown(proxy)).toBe('thrown an object that is not an Error');
    const liar = new TypeError('x');
    Object.defineProperty(liar, 'message', { get: trap });
    expect(describeThrown(liar)).toBe('TypeError (its message cannot be read)');
    const odd = new Error('y');
    Object.defineProperty(odd, 'name', { get: () => 42 });
    Object.defineProperty(odd, 'message', { get: () => ({ toString: trap }) });
    expect(describeThrown(odd)).toBe('Error (its message cannot be read)');
  });

  it('is bounded (200 characters by default) and on one line, whatever the size of the value', () => {
    const huge = 'x'.repeat(50_000_000);
    expect(describeThrown(huge)).toBe(`thrown "${'x'.repeat(192)}...`);
    expect(describeThrown(new Error(huge)).length).toBe(203);
    expect(describeThrown(new Error('a\nb\r\n\tc'))).toBe('Error: a b c');
    expect(describeThrown(10n ** 100_000n)).toBe('thrown a bigint of more than 40 digits');
    expect(describeThrown(Symbol(huge)).length).toBe(203);
    expect(describeThrown('abc', 2)).toBe('th...');
  });
});

describe('describeGuestValue: the same for a value handed over rather than thrown', () => {
  it('describes without "thrown" and never looks into an object', () => {
    const trap = (): never => {
      throw new Error('trap');
    };
    expect([describeGuestValue(42), describeGuestValue('x'), describeGuestValue(Symbol('s')), describeGuestValue(new Proxy({}, { get: trap, getPrototypeOf: trap })), describeGuestValue(new Error('e')), describeGuestValue(Number.NaN)]).toEqual([
      '42',
      '"x"',
      'Symbol(s)',
      'an object',
      'an object',
      'NaN',
    ]);
  });
});

describe('thrownStack: an Error\'s own stack text, never running a getter', () => {
  it('reads V8\'s stack of an Error, nothing for other values, a getter or a Proxy that throws', () => {
    expect(thrownStack(new TypeError('x'))).toMatch(/^TypeError: x\n\s+at /);
    expect([thrownStack('text'), thrownStack(null), thrownStack({ stack: 'at /a.mjs:1:1' })]).toEqual([undefined, undefined, undefined]);
    let read = 0;
    const sly = new Error('sly');
    Object.defineProperty(sly, 'stack', { get: () => `${++read}` });
    expect(thrownStack(sly)).toBeUndefined();
    expect(read).toBe(0);
    const proxy = new Proxy(new Error('p'), {
      getOwnPropertyDescriptor: () => {
        throw new Error('trap');
      },
    });
    expect(thrownStack(proxy)).toBeUndefined();
    const long = new Error('long');
    Object.defineProperty(long, 'stack', { value: 'y'.repeat(100_000) });
    expect(thrownStack(long)).toHaveLength(16 * 1024);
  });
});
