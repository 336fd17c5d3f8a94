/**
 * Conversion between cycles of a clock of a given frequency and virtual nanoseconds,
 * without drift: every conversion is computed from absolute counts (cycle k starts at
 * ceil(k * 1e9 / f) ns), never by adding rounded increments. Arithmetic is exact
 * integer arithmetic: the ratio f / 1e9 is reduced to num/den and split so no
 * intermediate exceeds 2^53; frequencies where that is impossible use BigInt.
 */
import type { Nanoseconds } from './time.js';
import { NS_PER_S } from './time.js';
import { floorSum } from './floorSum.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class CycleClock {
  /** cycles per ns = num / den, reduced. */
  private readonly num: number;
  private readonly den: number;
  private readonly exact: boolean;
  /** ns per cycle when it is a whole number (100 MHz -> 10), else 0: the fast path. */
  private readonly nsPerCycle: number;

  constructor(readonly frequencyHz: number) {
    if (!Number.isSafeInteger(frequencyHz) || frequencyHz <= 0) {
      throw new RangeError(`clock frequency must be a positive whole number of Hz, got ${frequencyHz}`);
    }
    const divisor = gcd(frequencyHz, NS_PER_S);
    this.num = frequencyHz / divisor;
    this.den = NS_PER_S / divisor;
    this.exact = this.num * this.den <= Number.MAX_SAFE_INTEGER;
    this.nsPerCycle = this.num === 1 ? this.den : 0;
  }

  /** Nanoseconds per cycle when that is a whole number (100 MHz: 10), else 0. */
  get wholeNsPerCycle(): number {
    return this.nsPerCycle;
  }

  /**
   * The instants of the cycles first, first + step, ..., first + (count - 1) * step summed,
   * and each rounded up to a multiple of `grid` ns (ceil(t / grid)) summed: exactly what a
   * loop over timeOfCycle would add up, in O(log) steps. timeOfCycle(c) = floor((c * den +
   * num - 1) / num), an arithmetic progression under a floor: a floor sum; and
   * ceil(floor(y / num) / grid) = floor((y + (grid - 1) * num) / (num * grid)).
   */
  sumTimesOfCycles(first: number, step: number, count: number, grid: number): { readonly sum: bigint; readonly ceilSum: bigint } {
    const n = BigInt(count);
    const num = BigInt(this.num);
    const a = BigInt(step) * BigInt(this.den);
    const b = BigInt(first) * BigInt(this.den) + num - 1n;
    const g = BigInt(grid);
    return { sum: floorSum(n, num, a, b), ceilSum: floorSum(n, num * g, a, b + (g - 1n) * num) };
  }

  /**
   * The gaps below a grid of the instants of the cycles first, first + step, ...,
   * first + (count - 1) * step, summed: sum of (t - grid * ceil(t / grid)), each term in
   * (-grid, 0]. What a fast-forward needs of those instants (Processor.creditWakes), exactly,
   * in O(log) steps, and in plain numbers when they suffice: with T0 = timeOfCycle(first),
   * step * den = qA * num + rA and B = first * den + num - 1 = T0 * num + rB, the instants are
   * T0 + qA * k + floor((rA * k + rB) / num), and ceil(t / grid) = floor(c / grid) +
   * floor((step * den * k + r) / (num * grid)) with c = T0 + grid - 1 and r = num * (c mod
   * grid) + rB: two floor sums of small numbers. Otherwise (huge counts or clock ratios) it
   * is the difference of the BigInt sums (sumTimesOfCycles).
   */
  gridGapOfCycles(first: number, step: number, count: number, grid: number): number {
    const num = this.num;
    const den = this.den;
    const a = step * den;
    const m = num * grid;
    // The bound keeps every term of both floor sums, and their totals, below 2^53.
    if (count > 0 && num <= NUMBER_FLOOR_SUM_MAX && Number.isSafeInteger(a) && Number.isSafeInteger(m) && count * count * (Math.floor(a / num) + 1) < 2 ** 52 && count * (m + a) < 2 ** 52) {
      const t0 = this.timeOfCycle(first);
      const rB = ((first % num) * (den % num) + num - 1) % num;
      const qA = Math.floor(a / num);
      const rA = a - qA * num;
      const c = t0 + grid - 1;
      const cMod = c % grid;
      const r = num * cMod + rB;
      const plain = qA * ((count * (count - 1)) / 2) + floorSumNumber(count, num, rA, rB);
      const rounded = floorSumNumber(count, m, a, r);
      return count * (t0 - (c - cMod)) + plain - grid * rounded;
    }
    const { sum, ceilSum } = this.sumTimesOfCycles(first, step, count, grid);
    return Number(sum - BigInt(grid) * ceilSum);
  }

  /** Whole cycles completed at time t since time 0: floor(t * f / 1e9). */
  cyclesAt(time: Nanoseconds): number {
    if (this.nsPerCycle !== 0) return Math.floor(time / this.nsPerCycle);
    return floorMulDiv(time, this.num, this.den, this.exact);
  }

  /** The instant cycle number `cycle` begins: ceil(cycle * 1e9 / f). */
  timeOfCycle(cycle: number): Nanoseconds {
    if (this.nsPerCycle !== 0) return cycle * this.nsPerCycle;
    return ceilMulDiv(cycle, this.den, this.num, this.exact);
  }

  /**
   * The instant at which `cycles` cycles of work started at `start` complete. Work starts
   * on the next cycle boundary at or after `start`, so a chain of steps never drifts.
   */
  endOf(start: Nanoseconds, cycles: number): Nanoseconds {
    if (this.nsPerCycle !== 0) {
      const first = Math.ceil(start / this.nsPerCycle);
      return (first + cycles) * this.nsPerCycle;
    }
    const first = this.cycleBoundaryAtOrAfter(start);
    return this.timeOfCycle(first + cycles);
  }

  /** Index of the first cycle boundary at or after `time`. */
  cycleBoundaryAtOrAfter(time: Nanoseconds): number {
    const cycle = this.cyclesAt(time);
    return this.timeOfCycle(cycle) === time ? cycle : cycle + 1;
  }

  /** Duration of `cycles` cycles rounded up to whole ns (for reports, not for scheduling). */
  cyclesToNs(cycles: number): Nanoseconds {
    return this.timeOfCycle(cycles);
  }

  /** Whole cycles that fit in `ns` nanoseconds. */
  nsToCycles(ns: Nanoseconds): number {
    return this.cyclesAt(ns);
  }
}

/** Clock ratios whose numerator stays below this have (x mod num) * (y mod num) exact. */
const NUMBER_FLOOR_SUM_MAX = 2 ** 26;

/** floorSum() in plain numbers, for arguments whose terms and total the caller has bounded below 2^53. */
function floorSumNumber(n: number, m: number, a: number, b: number): number {
  let total = 0;
  for (;;) {
    if (a >= m) {
      const q = exactFloorDiv(a, m);
      total += ((n * (n - 1)) / 2) * q;
      a -= q * m;
    }
    if (b >= m) {
      const q = exactFloorDiv(b, m);
      total += n * q;
      b -= q * m;
    }
    const yMax = a * n + b;
    if (yMax < m) return total;
    n = exactFloorDiv(yMax, m);
    b = yMax - n * m;
    const swap = m;
    m = a;
    a = swap;
  }
}

/** floor(a * num / den) for non-negative integers, exactly. */
function floorMulDiv(a: number, num: number, den: number, exact: boolean): number {
  if (!exact) return Number((BigInt(a) * BigInt(num)) / BigInt(den));
  const product = a * num;
  if (product <= Number.MAX_SAFE_INTEGER) return exactFloorDiv(product, den);
  const quotient = Math.floor(a / den);
  const remainder = a - quotient * den;
  return quotient * num + exactFloorDiv(remainder * num, den);
}

/** ceil(a * num / den) for non-negative integers, exactly. */
function ceilMulDiv(a: number, num: number, den: number, exact: boolean): number {
  if (!exact) {
    const big = BigInt(a) * BigInt(num);
    const d = BigInt(den);
    return Number((big + d - 1n) / d);
  }
  const product = a * num;
  if (product <= Number.MAX_SAFE_INTEGER) return exactCeilDiv(product, den);
  const quotient = Math.floor(a / den);
  const remainder = a - quotient * den;
  return quotient * num + exactCeilDiv(remainder * num, den);
}

/** floor(n / d) for safe non-negative integers, corrected for float rounding of the quotient. */
function exactFloorDiv(n: number, d: number): number {
  let q = Math.floor(n / d);
  if (q * d > n) q -= 1;
  else if ((q + 1) * d <= n) q += 1;
  return q;
}

function exactCeilDiv(n: number, d: number): number {
  const q = exactFloorDiv(n, d);
  return q * d === n ? q : q + 1;
}
