/**
 * Compares a console screen with a reference screen the way RTEMS's own screens are
 * meant to be read: line by line and exactly, except that lines carrying the same time
 * of day (HH:MM:SS) in consecutive positions may come in any order (the reference
 * README's rule, from RTEMS's note on its ticker screen).
 */

const TIME = /\b\d\d:\d\d:\d\d\b/;

export interface ScreenDifference {
  /** 1-based line of the first group that differs. */
  readonly line: number;
  readonly expected: readonly string[];
  readonly actual: readonly string[];
}

/** Consecutive lines grouped by the time they carry; lines without a time are groups of one. */
function groups(screen: string): string[][] {
  const result: string[][] = [];
  let previousTime: string | undefined;
  for (const line of screen.split('\n')) {
    const time = TIME.exec(line)?.[0];
    const last = result.at(-1);
    if (time !== undefined && time === previousTime && last !== undefined) last.push(line);
    else result.push([line]);
    previousTime = time;
  }
  return result;
}

/** The first difference between `actual` and `reference`, or undefined when they match. */
export function compareScreens(actual: string, reference: string): ScreenDifference | undefined {
  const actualGroups = groups(actual);
  const referenceGroups = groups(reference);
  let line = 1;
  for (let i = 0; i < Math.max(actualGroups.length, referenceGroups.length); i++) {
    const got = actualGroups[i] ?? [];
    const want = referenceGroups[i] ?? [];
    const same = got.length === want.length && [...got].sort().every((text, j) => text === [...want].sort()[j]);
    if (!same) return { line, expected: want, actual: got };
    line += want.length;
  }
  return undefined;
}
