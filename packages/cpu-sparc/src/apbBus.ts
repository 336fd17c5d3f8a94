/**
 * The AMBA APB bus behind a LEON3's AHB/APB bridge (GRLIB APBCTRL): a 1 MiB window at
 * 0x80000000 where on-chip peripherals (APBUART, IRQMP, GPTIMER) have their registers,
 * each device in its own slot.
 *
 * APB as GRLIB implements it (AMBA 2) has no error response, so an access to a slot with
 * no device reads 0 and a write to it is dropped; the registers are 32 bits wide.
 */

/** A device's register file as the bus sees it: word offsets from the device's base. */
export interface ApbDevice {
  read(offset: number): number;
  write(offset: number, value: number): void;
}

interface Slot {
  readonly base: number;
  readonly size: number;
  readonly name: string;
  readonly device: ApbDevice;
}

/** Start of the APB window on a LEON3 (GRLIB leon3mp template design). */
export const LEON3_APB_BASE = 0x8000_0000;
export const LEON3_APB_SIZE = 0x0010_0000;

export class ApbBus {
  private readonly slots: Slot[] = [];

  constructor(
    readonly base = LEON3_APB_BASE,
    readonly size = LEON3_APB_SIZE,
  ) {}

  /** Places `device` at [address, address + size) inside the window. */
  map(address: number, size: number, device: ApbDevice, name: string): void {
    if (!Number.isSafeInteger(address) || !Number.isSafeInteger(size) || size <= 0 || address % 4 !== 0) {
      throw new RangeError(`APB device ${name}: needs a word-aligned address and a positive size`);
    }
    if (address < this.base || address + size > this.base + this.size) {
      throw new RangeError(`APB device ${name}: 0x${address.toString(16)}+${size} is outside the APB window`);
    }
    for (const slot of this.slots) {
      if (address < slot.base + slot.size && slot.base < address + size) {
        throw new RangeError(`APB device ${name} overlaps ${slot.name}`);
      }
    }
    this.slots.push({ base: address, size, name, device });
    this.slots.sort((a, b) => a.base - b.base);
  }

  /** True when `address` lies in the APB window (mapped or not). */
  covers(address: number): boolean {
    return address >= this.base && address < this.base + this.size;
  }

  /** Reads the 32-bit register at the word containing `address`; 0 where no device answers. */
  read(address: number): number {
    const slot = this.slotAt(address);
    return slot ? slot.device.read(address - (address % 4) - slot.base) >>> 0 : 0;
  }

  /** Writes the 32-bit register at the word containing `address`; dropped where no device answers. */
  write(address: number, value: number): void {
    const slot = this.slotAt(address);
    if (slot) slot.device.write(address - (address % 4) - slot.base, value >>> 0);
  }

  /** Name of the device at `address`, if any. */
  deviceName(address: number): string | undefined {
    return this.slotAt(address)?.name;
  }

  private slotAt(address: number): Slot | undefined {
    for (const slot of this.slots) {
      if (address >= slot.base && address < slot.base + slot.size) return slot;
    }
    return undefined;
  }
}
