/**
 * sum over i = 0 .. n-1 of floor((a * i + b) / m), for whole a, b >= 0, m > 0, n >= 0, in
 * O(log) steps (the Euclid-like reduction of the classic floor-sum algorithm, as in the
 * AtCoder Library's floor_sum). BigInt throughout: a fast-forward sums millions of tick
 * instants of trillions of nanoseconds.
 */
export function floorSum(n: bigint, m: bigint, a: bigint, b: bigint): bigint {
  if (n < 0n || m <= 0n || a < 0n || b < 0n) throw new RangeError('floorSum needs n >= 0, m > 0, a >= 0, b >= 0');
  let total = 0n;
  for (;;) {
    if (a >= m) {
      total += ((n * (n - 1n)) / 2n) * (a / m);
      a %= m;
    }
    if (b >= m) {
      total += n * (b / m);
      b %= m;
    }
    const yMax = a * n + b;
    if (yMax < m) return total;
    n = yMax / m;
    b = yMax % m;
    [m, a] = [a, m];
  }
}
