/**
 * A processor set, the JS binding of C's `cpu_set_t` (newlib's <sys/cpuset.h>, which
 * RTEMS uses). In C a cpu_set_t is an array of `long` words - 32 bits on both ILP32
 * targets here - and processor n is bit n % 32 of word n / 32 (FreeBSD's bitset.h:
 * __bitset_word / __bitset_mask). Its bytes differ between little-endian i386 and
 * big-endian SPARC, so the binding never shows bytes: a CpuSet is those words, with the
 * operations an RTEMS program applies to a set (CPU_ZERO, CPU_SET, CPU_CLR, CPU_ISSET,
 * CPU_COUNT, CPU_EQUAL, CPU_FILL and their `_S` forms for a set of a given size).
 *
 * `size` is C's `cpusetsize`: the set's size in bytes, a multiple of sizeof(long) = 4
 * (`sizeof(cpu_set_t)` is 4: newlib's CPU_SETSIZE is 32 on RTEMS). The directives take
 * the size and the set as C does (`rtems.taskSetAffinity(id, set.size, set)`); the
 * getters return a new set of the size asked for (see README, "Classic API coverage").
 *
 * Out of range, C's macros write or read past the set (undefined behaviour); here a
 * processor index outside the set (negative, not a whole number, at or past size * 8)
 * is ignored by setCpu / clrCpu and is not set for isSet, and a `_S` size larger than
 * the set is taken as the set's size.
 */
import type { RtemsStatus } from './rtemsStatus.js';

/** sizeof(long) on the ILP32 targets (i386, SPARC V8): the unit of a cpusetsize. */
export const CPU_SET_WORD_SIZE = 4;

/** CPU_SETSIZE of newlib's <sys/_cpuset.h> on RTEMS: 32 processors, so sizeof(cpu_set_t) is 4 bytes. */
export const CPU_SETSIZE = 32;

/**
 * The largest CpuSet this binding makes, in bytes (524288 processors): a bound of this
 * executive, so that no size a guest chooses makes the host hold more than 64 KiB per set.
 */
export const CPU_SET_MAX_SIZE = 65_536;

/** CPU_ALLOC_SIZE(count): the bytes of a set for `count` processors (whole longs). */
export function cpuAllocSize(count: number): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return 0;
  return Math.ceil(count / 32) * CPU_SET_WORD_SIZE;
}

/** Whether `size` is a size a CpuSet can have: a whole multiple of 4 from 0 to CPU_SET_MAX_SIZE. */
export function isCpuSetSize(size: unknown): size is number {
  return typeof size === 'number' && Number.isInteger(size) && size >= 0 && size <= CPU_SET_MAX_SIZE && size % CPU_SET_WORD_SIZE === 0;
}

export class CpuSet {
  /** The set's size in bytes (C's cpusetsize). */
  readonly size: number;
  readonly #words: Uint32Array;

  /**
   * An empty set of `size` bytes (default sizeof(cpu_set_t), 4). A size that is not a
   * multiple of 4 from 0 to CPU_SET_MAX_SIZE is a RangeError.
   */
  constructor(size: number = CPU_SETSIZE / 8) {
    if (!isCpuSetSize(size)) throw new RangeError(`a CpuSet size must be a multiple of ${CPU_SET_WORD_SIZE} from 0 to ${CPU_SET_MAX_SIZE} bytes, got ${typeof size === 'number' ? size : typeof size}`);
    this.size = size;
    this.#words = new Uint32Array(size / CPU_SET_WORD_SIZE);
  }

  /**
   * Whether `value` is a CpuSet made here: a brand check on the private field, which runs no
   * guest code (`instanceof` would ask a Proxy for its prototype; a Proxy is never one).
   */
  static is(value: unknown): value is CpuSet {
    return typeof value === 'object' && value !== null && #words in value;
  }

  /** A set of `size` bytes holding `cpus` (a convenience for CPU_ZERO then CPU_SET of each). */
  static of(size: number, ...cpus: number[]): CpuSet {
    const set = new CpuSet(size);
    for (const cpu of cpus) set.setCpu(cpu);
    return set;
  }

  /** The number of long words (size / 4). */
  get wordCount(): number {
    return this.#words.length;
  }

  /** Word `index` as an unsigned 32-bit number (C's `set.__bits[index]`); 0 outside the set. */
  word(index: number): number {
    return Number.isInteger(index) && index >= 0 && index < this.#words.length ? (this.#words[index] as number) : 0;
  }

  /** @internal Writes word `index` (the directives' copy-out). */
  setWord(index: number, value: number): void {
    if (Number.isInteger(index) && index >= 0 && index < this.#words.length) this.#words[index] = value >>> 0;
  }

  /** Bits of the set an `_S` operation of `setsize` bytes covers. */
  private bits(setsize: number): number {
    const bytes = typeof setsize === 'number' && Number.isFinite(setsize) && setsize > 0 ? Math.min(Math.floor(setsize), this.size) : 0;
    return bytes * 8;
  }

  private inRange(cpu: number, bits: number): boolean {
    return typeof cpu === 'number' && Number.isInteger(cpu) && cpu >= 0 && cpu < bits;
  }

  /** CPU_ZERO_S(setsize, set): clears the first `setsize` bytes. */
  zeroS(setsize: number): void {
    const bits = this.bits(setsize);
    for (let cpu = 0; cpu < bits; cpu += 32) {
      const index = cpu >>> 5;
      const span = Math.min(32, bits - cpu);
      this.#words[index] = span === 32 ? 0 : ((this.#words[index] as number) & ~(0xffff_ffff >>> (32 - span))) >>> 0;
    }
  }

  /** CPU_ZERO(set). */
  zero(): void {
    this.zeroS(this.size);
  }

  /** CPU_FILL_S(setsize, set): sets every processor of the first `setsize` bytes. */
  fillS(setsize: number): void {
    const bits = this.bits(setsize);
    for (let cpu = 0; cpu < bits; cpu += 32) {
      const index = cpu >>> 5;
      const span = Math.min(32, bits - cpu);
      this.#words[index] = span === 32 ? 0xffff_ffff : ((this.#words[index] as number) | (0xffff_ffff >>> (32 - span))) >>> 0;
    }
  }

  /** CPU_FILL(set). */
  fill(): void {
    this.fillS(this.size);
  }

  /** CPU_SET_S(cpu, setsize, set). */
  setCpuS(cpu: number, setsize: number): void {
    if (!this.inRange(cpu, this.bits(setsize))) return;
    this.#words[cpu >>> 5] = ((this.#words[cpu >>> 5] as number) | (1 << (cpu & 31))) >>> 0;
  }

  /** CPU_SET(cpu, set). */
  setCpu(cpu: number): void {
    this.setCpuS(cpu, this.size);
  }

  /** CPU_CLR_S(cpu, setsize, set). */
  clrCpuS(cpu: number, setsize: number): void {
    if (!this.inRange(cpu, this.bits(setsize))) return;
    this.#words[cpu >>> 5] = ((this.#words[cpu >>> 5] as number) & ~(1 << (cpu & 31))) >>> 0;
  }

  /** CPU_CLR(cpu, set). */
  clrCpu(cpu: number): void {
    this.clrCpuS(cpu, this.size);
  }

  /** CPU_ISSET_S(cpu, setsize, set). */
  isSetS(cpu: number, setsize: number): boolean {
    if (!this.inRange(cpu, this.bits(setsize))) return false;
    return (((this.#words[cpu >>> 5] as number) >>> (cpu & 31)) & 1) === 1;
  }

  /** CPU_ISSET(cpu, set). */
  isSet(cpu: number): boolean {
    return this.isSetS(cpu, this.size);
  }

  /** CPU_COUNT_S(setsize, set): the processors in the first `setsize` bytes. */
  countS(setsize: number): number {
    const bits = this.bits(setsize);
    let count = 0;
    for (let cpu = 0; cpu < bits; cpu += 32) {
      const span = Math.min(32, bits - cpu);
      let word = (this.#words[cpu >>> 5] as number) & (0xffff_ffff >>> (32 - span));
      while (word !== 0) {
        word &= word - 1;
        count += 1;
      }
    }
    return count;
  }

  /** CPU_COUNT(set). */
  count(): number {
    return this.countS(this.size);
  }

  /** CPU_EQUAL_S(setsize, set, other): whether the first `setsize` bytes of both hold the same processors. */
  equalS(setsize: number, other: CpuSet): boolean {
    if (!(other instanceof CpuSet)) return false;
    const mine = this.bits(setsize);
    const theirs = other.bits(setsize);
    for (let cpu = 0; cpu < Math.max(mine, theirs); cpu += 32) {
      const a = cpu < mine ? this.#words[cpu >>> 5]! & (0xffff_ffff >>> (32 - Math.min(32, mine - cpu))) : 0;
      const b = cpu < theirs ? other.#words[cpu >>> 5]! & (0xffff_ffff >>> (32 - Math.min(32, theirs - cpu))) : 0;
      if (a !== b) return false;
    }
    return true;
  }

  /** CPU_EQUAL(set, other). */
  equal(other: CpuSet): boolean {
    return other instanceof CpuSet && this.size === other.size && this.equalS(this.size, other);
  }

  /** The processors in the set, lowest first (for printing and tests). */
  cpus(): number[] {
    const cpus: number[] = [];
    for (let index = 0; index < this.#words.length; index += 1) {
      const word = this.#words[index] as number;
      if (word === 0) continue;
      for (let bit = 0; bit < 32; bit += 1) if (((word >>> bit) & 1) === 1) cpus.push(index * 32 + bit);
    }
    return cpus;
  }
}

/** What a getter of a processor set returns (taskGetAffinity, schedulerGetProcessorSet, interruptGetAffinity). */
export interface CpuSetResult {
  readonly status: RtemsStatus;
  /** A new set of the cpusetsize asked for, as RTEMS writes it; undefined where RTEMS writes nothing. */
  readonly cpuset: CpuSet | undefined;
}
