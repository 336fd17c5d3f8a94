/**
 * Program text of an address space: JS functions placed at virtual addresses. Guest code
 * in this simulator is JavaScript, but entry points still have addresses: a guest
 * registers its virtual-interrupt upcall by address, and a kernel "jumps" there by
 * checking execute permission in the guest's protection context and looking the address
 * up here. A jump to an address with no code behind it is an illegal-instruction fault,
 * as on hardware.
 */
export type EntryPoint = () => void;

export class ProgramImage {
  private readonly entries = new Map<number, EntryPoint>();

  constructor(readonly name: string) {}

  /** Places `entry` at virtual address `address` (the loader's job; a BSP does it at boot). */
  define(address: number, entry: EntryPoint): void {
    if (!Number.isSafeInteger(address) || address < 0 || address >= 2 ** 32) {
      throw new RangeError(`${this.name}: entry address must be a 32-bit address, got ${address}`);
    }
    this.entries.set(address, entry);
  }

  /** The code at `address`, or undefined when there is none. */
  entryAt(address: number): EntryPoint | undefined {
    return this.entries.get(address);
  }

  clear(): void {
    this.entries.clear();
  }
}
