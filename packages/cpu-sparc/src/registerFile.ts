/**
 * The SPARC V8 integer register file: 8 globals and NWINDOWS overlapping windows of 24
 * registers (SPARC V8 chapter 4, "Windowed r Registers"). Physically there are
 * 8 + 16 * NWINDOWS registers; window w sees
 *
 *   %o0-%o7  physical 16w + 0..7
 *   %l0-%l7  physical 16w + 8..15
 *   %i0-%i7  physical 16(w + 1) + 0..7   (mod 16 * NWINDOWS)
 *
 * so the outs of window w are the ins of window w - 1: SAVE decrements CWP, and what a
 * caller wrote to %o0 is its callee's %i0. %g0 always reads 0 and ignores writes.
 */
import { NWINDOWS } from './psr.js';

/** Register names readRegister/writeRegister accept ('sp' = %o6 and 'fp' = %i6 are aliases). */
export const SPARC_REGISTER_NAMES: readonly string[] = [
  ...['g', 'o', 'l', 'i'].flatMap((group) => Array.from({ length: 8 }, (_, index) => `${group}${index}`)),
  'y',
];

/** r-register number of each name (0..31), 32 for %y. */
const REGISTER_NUMBERS = new Map<string, number>([
  ...SPARC_REGISTER_NAMES.slice(0, 32).map((name, index) => [name, index] as const),
  ['y', 32],
  ['sp', 14],
  ['fp', 30],
]);

const WINDOWED_REGISTERS = 16 * NWINDOWS;

/** The 24 registers of one window, in the order %o0-%o7, %l0-%l7, %i0-%i7. */
export type WindowRegisters = readonly number[];

export class RegisterFile {
  private readonly globals = new Uint32Array(8);
  private readonly windowed = new Uint32Array(WINDOWED_REGISTERS);
  private yRegister = 0;

  /** r-register number of `name` (0..31, or 32 for %y); a name that is not a SPARC register is a model bug. */
  static numberOf(name: string): number {
    const number = REGISTER_NUMBERS.get(name);
    if (number === undefined) throw new RangeError(`SPARC has no register '${name}' (expected g0-g7, o0-o7, l0-l7, i0-i7, sp, fp or y)`);
    return number;
  }

  get y(): number {
    return this.yRegister;
  }

  set y(value: number) {
    this.yRegister = value >>> 0;
  }

  /** Register r (0..31) as window `cwp` sees it. */
  read(cwp: number, r: number): number {
    if (r < 8) return r === 0 ? 0 : this.globals[r]!;
    return this.windowed[physicalIndex(cwp, r)]!;
  }

  write(cwp: number, r: number, value: number): void {
    if (r < 8) {
      if (r !== 0) this.globals[r] = value;
      return;
    }
    this.windowed[physicalIndex(cwp, r)] = value;
  }

  readNamed(cwp: number, name: string): number {
    const r = RegisterFile.numberOf(name);
    return r === 32 ? this.yRegister : this.read(cwp, r);
  }

  writeNamed(cwp: number, name: string, value: number): void {
    const r = RegisterFile.numberOf(name);
    if (r === 32) this.y = value;
    else this.write(cwp, r, value);
  }

  /** %l0-%l7 and %i0-%i7 of `window`: what a window-overflow handler stores to the stack. */
  localsAndIns(window: number): number[] {
    const out: number[] = [];
    for (let r = 16; r < 32; r++) out.push(this.read(window, r));
    return out;
  }

  /** Loads %l0-%l7 and %i0-%i7 of `window` (a window-underflow fill); missing values read as 0. */
  setLocalsAndIns(window: number, values: readonly number[]): void {
    for (let r = 16; r < 32; r++) this.write(window, r, values[r - 16] ?? 0);
  }

  /** The 24 registers of `window`. */
  windowRegisters(window: number): number[] {
    const out = new Array<number>(24);
    for (let r = 8; r < 32; r++) out[r - 8] = this.windowed[physicalIndex(window, r)]!;
    return out;
  }

  setWindowRegisters(window: number, values: WindowRegisters): void {
    for (let r = 8; r < 32; r++) this.write(window, r, values[r - 8] ?? 0);
  }

  /** %g1-%g7. */
  globalRegisters(): number[] {
    const globals = this.globals;
    return [globals[1]!, globals[2]!, globals[3]!, globals[4]!, globals[5]!, globals[6]!, globals[7]!];
  }

  setGlobalRegisters(values: readonly number[]): void {
    for (let r = 1; r < 8; r++) this.globals[r] = values[r - 1] ?? 0;
  }

  /** Moves every window's registers `delta` windows up (window w's become window w + delta's, mod NWINDOWS). */
  rotateWindows(delta: number): void {
    const shift = ((((delta % NWINDOWS) + NWINDOWS) % NWINDOWS) * 16) % WINDOWED_REGISTERS;
    if (shift === 0) return;
    const before = this.windowed.slice();
    for (let index = 0; index < WINDOWED_REGISTERS; index++) this.windowed[(index + shift) % WINDOWED_REGISTERS] = before[index]!;
  }

  /** Fast-forward (SparcProcessor's episode state): every register as a 32-bit word - %y, the globals, the windowed file - written from `into[at]` on; returns where the next field starts. */
  writeWords(into: Float64Array | number[], at: number): number {
    into[at++] = this.yRegister;
    for (let index = 0; index < 8; index++) into[at++] = this.globals[index]!;
    for (let index = 0; index < WINDOWED_REGISTERS; index++) into[at++] = this.windowed[index]!;
    return at;
  }

  /** Adds `count` x `delta[from + i]` to the i-th word of writeWords, modulo 2^32 (Math.imul: exact whatever the product). */
  addWords(delta: ArrayLike<number>, from: number, count: number): number {
    let at = from;
    this.yRegister = (this.yRegister + Math.imul(delta[at++]! | 0, count)) >>> 0;
    for (let index = 0; index < 8; index++) this.globals[index] = (this.globals[index]! + Math.imul(delta[at++]! | 0, count)) >>> 0;
    for (let index = 0; index < WINDOWED_REGISTERS; index++) this.windowed[index] = (this.windowed[index]! + Math.imul(delta[at++]! | 0, count)) >>> 0;
    return at;
  }

  /** Zeroes every windowed register (a kernel scrubbing the file between partitions). */
  clearWindows(): void {
    this.windowed.fill(0);
  }

  /** Zeroes everything. */
  clear(): void {
    this.globals.fill(0);
    this.windowed.fill(0);
    this.yRegister = 0;
  }

  getState(): { readonly globals: number[]; readonly windowed: number[]; readonly y: number } {
    return { globals: Array.from(this.globals), windowed: Array.from(this.windowed), y: this.yRegister };
  }

  setState(state: { readonly globals: readonly number[]; readonly windowed: readonly number[]; readonly y: number }): void {
    this.globals.set(state.globals.slice(0, 8));
    this.globals[0] = 0;
    this.windowed.set(state.windowed.slice(0, WINDOWED_REGISTERS));
    this.y = state.y;
  }
}

function physicalIndex(cwp: number, r: number): number {
  // r 8..15 outs, 16..23 locals, 24..31 ins (which are the next window's outs).
  return (cwp * 16 + (r - 8)) % WINDOWED_REGISTERS;
}
