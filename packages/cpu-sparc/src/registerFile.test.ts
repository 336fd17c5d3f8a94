import { describe, expect, it } from 'vitest';
import { RegisterFile } from './registerFile.js';

function words(file: RegisterFile): number[] {
  const into: number[] = [];
  file.writeWords(into, 0);
  return into;
}

describe('RegisterFile episode words (fast-forward)', () => {
  // writeWords lists %y, %g0-%g7 and the 128 windowed registers in that order: the layout addWords reads.
  it('writes %y, the globals and the windowed file as 32-bit words from the given index', () => {
    const file = new RegisterFile();
    file.y = 0xdead_beef;
    file.write(0, 1, 11); // %g1
    file.write(0, 8, 22); // %o0 of window 0: windowed[0]
    file.write(7, 31, 33); // %i7 of window 7 is %o7 of window 0: windowed[7]
    const into = [42];
    expect(file.writeWords(into, 1)).toBe(1 + 1 + 8 + 128);
    expect(into).toHaveLength(1 + 1 + 8 + 128);
    expect(into.slice(0, 4)).toEqual([42, 0xdead_beef, 0, 11]);
    expect([into[10], into[17]]).toEqual([22, 33]);
  });

  // addWords moves each word by count x delta modulo 2^32 - a delta of -1, a wrap past 2^32,
  // and a product past 2^53 (exact through Math.imul) - and returns the index after its words.
  it('adds count x delta to each word modulo 2^32 and returns where the next field starts', () => {
    const file = new RegisterFile();
    file.y = 5;
    file.write(0, 2, 0xffff_fff0); // %g2
    file.write(0, 9, 3); // %o1: windowed[1]
    // Word indexes: %y 0, %gN 1 + N, windowed[j] 9 + j; the delta has one leading field.
    const delta = new Array<number>(1 + 1 + 8 + 128).fill(0);
    delta[1 + 0] = -1; // %y
    delta[1 + 1 + 2] = 0x10; // %g2
    delta[1 + 9 + 1] = 0x7fff_ffff; // windowed[1]
    expect(file.addWords(delta, 1, 7)).toBe(delta.length);
    expect([words(file)[0], words(file)[1 + 2], words(file)[9 + 1]]).toEqual([(5 - 7) >>> 0, (0xffff_fff0 + 7 * 0x10) % 2 ** 32, (3 + 7 * 0x7fff_ffff) % 2 ** 32]);
    // Every word by 0x7fff_ffff x (2^40 + 1), far past 2^53: only the product's low 32 bits count.
    const before = words(file);
    file.addWords([0, ...before.map(() => 0x7fff_ffff)], 1, 2 ** 40 + 1);
    expect(words(file)).toEqual(before.map((word) => Number((BigInt(word) + 0x7fff_ffffn * (2n ** 40n + 1n)) % 2n ** 32n)));
  });
});
