/**
 * Simulated physical memory: one byte buffer of configurable size with typed 8/16/32-bit
 * access in the board's byte order (i386 little-endian, SPARC big-endian).
 *
 * These are raw physical accesses for model code (devices, kernels after validation).
 * Anything a guest or a hypercall argument reaches goes through CheckedMemory and a
 * ProtectionContext instead, which return a fault rather than throwing. A raw access out of
 * range is a bug in model code and throws a RangeError naming the address.
 */

export type Endianness = 'little' | 'big';

export interface PhysicalMemoryState {
  readonly size: number;
  readonly endianness: Endianness;
  readonly bytes: Uint8Array;
}

export class PhysicalMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  readonly littleEndian: boolean;

  constructor(
    readonly size: number,
    readonly endianness: Endianness,
  ) {
    if (!Number.isSafeInteger(size) || size <= 0 || size > 2 ** 32) {
      throw new RangeError(`memory size must be between 1 byte and 4 GiB, got ${size}`);
    }
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.littleEndian = endianness === 'little';
  }

  /** True if [address, address + length) lies inside memory. */
  contains(address: number, length: number): boolean {
    return Number.isSafeInteger(address) && Number.isSafeInteger(length) && address >= 0 && length >= 0 && address + length <= this.size;
  }

  read8(address: number): number {
    this.check(address, 1);
    return this.bytes[address]!;
  }

  read16(address: number): number {
    this.check(address, 2);
    return this.view.getUint16(address, this.littleEndian);
  }

  read32(address: number): number {
    this.check(address, 4);
    return this.view.getUint32(address, this.littleEndian);
  }

  write8(address: number, value: number): void {
    this.check(address, 1);
    this.bytes[address] = value;
  }

  write16(address: number, value: number): void {
    this.check(address, 2);
    this.view.setUint16(address, value, this.littleEndian);
  }

  write32(address: number, value: number): void {
    this.check(address, 4);
    this.view.setUint32(address, value >>> 0, this.littleEndian);
  }

  /** A copy of [address, address + length). */
  readBytes(address: number, length: number): Uint8Array {
    this.check(address, length);
    return this.bytes.slice(address, address + length);
  }

  writeBytes(address: number, source: Uint8Array): void {
    this.check(address, source.length);
    this.bytes.set(source, address);
  }

  /** memmove semantics: overlapping ranges are copied correctly. */
  copy(destination: number, source: number, length: number): void {
    this.check(destination, length);
    this.check(source, length);
    this.bytes.copyWithin(destination, source, source + length);
  }

  fill(address: number, length: number, value: number): void {
    this.check(address, length);
    this.bytes.fill(value, address, address + length);
  }

  /** FNV-1a over a range: isolation tests checksum every region a partition must not touch. */
  checksum(address: number, length: number): number {
    this.check(address, length);
    let hash = 0x811c9dc5;
    const bytes = this.bytes;
    for (let i = address, end = address + length; i < end; i++) {
      hash ^= bytes[i]!;
      hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
  }

  getState(): PhysicalMemoryState {
    return { size: this.size, endianness: this.endianness, bytes: this.bytes.slice() };
  }

  setState(state: PhysicalMemoryState): void {
    if (state.size !== this.size || state.endianness !== this.endianness) {
      throw new RangeError(`memory snapshot is ${state.size} bytes ${state.endianness}-endian, this memory is ${this.size} bytes ${this.endianness}-endian`);
    }
    this.bytes.set(state.bytes);
  }

  private check(address: number, length: number): void {
    if (!this.contains(address, length)) {
      throw new RangeError(
        `physical access [0x${hex(address)}, +${length}) outside memory of ${this.size} bytes`,
      );
    }
  }
}

export function hex(value: number, digits = 8): string {
  return Number.isSafeInteger(value) && value >= 0 ? value.toString(16).padStart(digits, '0') : String(value);
}
