/**
 * The one seeded pseudo-random generator of a simulation (docs/architecture.md section 3:
 * no Math.random() in the model). Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, 128-bit state, passes PractRand), seeded through splitmix32.
 *
 * Independent streams come from fork(label): the child's seed depends only on the root
 * seed and the label, never on how much the parent has been used, so adding a consumer
 * (say a hostile partition) does not change the numbers any other consumer sees.
 */

export interface PrngState {
  readonly seed: number;
  readonly words: readonly [number, number, number, number];
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    // Fold the full safe-integer range into 32 bits without losing either half.
    const low = seed >>> 0;
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    let state = (low ^ Math.imul(high, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // Discard the first outputs, as the sfc32 reference does, to mix the state.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive), unbiased (rejection sampling). */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): need safe integers with min <= max`);
    }
    const span = max - min + 1;
    if (span <= 4294967296) {
      // Reject the top partial bucket so every value is equally likely.
      const limit = 4294967296 - (4294967296 % span);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return min + (x % span);
    }
    // Wide ranges: 53 random bits, rejection on the top partial bucket.
    const range = 2 ** 53;
    const limit = range - (range % span);
    for (;;) {
      const x = (this.nextUint32() >>> 11) * 4294967296 + this.nextUint32();
      if (x < limit) return min + (x % span);
    }
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.nextFloat() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** An independent stream named `label`, determined by the root seed and the label only. */
  fork(label: string): Prng {
    let hash = 0x811c9dc5; // FNV-1a, 32 bit
    for (let i = 0; i < label.length; i++) {
      hash ^= label.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    // Same high half as the parent seed, low half mixed with the label.
    const high = Math.floor(this.seed / 2 ** 32);
    const low = ((this.seed >>> 0) ^ hash) >>> 0;
    return new Prng(high * 2 ** 32 + low);
  }

  getState(): PrngState {
    return { seed: this.seed, words: [this.a, this.b, this.c, this.d] };
  }

  setState(state: PrngState): void {
    [this.a, this.b, this.c, this.d] = state.words;
  }
}
