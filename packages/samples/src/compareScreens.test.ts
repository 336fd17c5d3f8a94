import { describe, expect, it } from 'vitest';
import { compareScreens } from './compareScreens.js';

const screen = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('compareScreens', () => {
  it('accepts identical screens and consecutive lines of the same time in any order', () => {
    expect(compareScreens(screen('BEGIN', 'A 09:00:10', 'B 09:00:10', 'END'), screen('BEGIN', 'A 09:00:10', 'B 09:00:10', 'END'))).toBeUndefined();
    expect(compareScreens(screen('BEGIN', 'B 09:00:10', 'A 09:00:10', 'END'), screen('BEGIN', 'A 09:00:10', 'B 09:00:10', 'END'))).toBeUndefined();
  });

  it('rejects reordering across different times, changed text, and missing or extra lines, naming the line', () => {
    expect(compareScreens(screen('A 09:00:05', 'A 09:00:10'), screen('A 09:00:10', 'A 09:00:05'))).toEqual({ line: 1, expected: ['A 09:00:10'], actual: ['A 09:00:05'] });
    expect(compareScreens(screen('BEGIN', 'B 09:00:10', 'C 09:00:10'), screen('BEGIN', 'A 09:00:10', 'B 09:00:10'))).toEqual({
      line: 2,
      expected: ['A 09:00:10', 'B 09:00:10'],
      actual: ['B 09:00:10', 'C 09:00:10'],
    });
    expect(compareScreens(screen('BEGIN', 'END'), screen('BEGIN', 'MIDDLE', 'END'))).toEqual({ line: 2, expected: ['MIDDLE'], actual: ['END'] });
    expect(compareScreens('BEGIN\n', 'BEGIN')).toEqual({ line: 2, expected: [], actual: [''] });
  });

  it('never reorders lines without a time', () => {
    expect(compareScreens(screen('two', 'one'), screen('one', 'two'))).toEqual({ line: 1, expected: ['one'], actual: ['two'] });
  });
});
