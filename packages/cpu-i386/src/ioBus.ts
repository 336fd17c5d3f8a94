/**
 * The PC I/O address space (64 Ki byte ports) that IN and OUT reach. Devices claim port
 * ranges; a read of a port nobody decodes returns 0xFF (the ISA data lines float high),
 * a write to one goes nowhere. A 16-bit access to 8-bit devices is two byte cycles, low
 * port first, as the ISA bus splits it.
 */

export interface IoDevice {
  readonly name: string;
  read8(port: number): number;
  write8(port: number, value: number): void;
}

export const IO_PORT_COUNT = 0x1_0000;
const UNCLAIMED = 0;

export class IoBus {
  /** Index + 1 into `devices` for every port; 0 means unclaimed. */
  private readonly owner = new Uint16Array(IO_PORT_COUNT);
  private readonly devices: IoDevice[] = [];

  /** Gives `device` the ports first..last (inclusive). Overlapping claims are a wiring bug. */
  claim(first: number, last: number, device: IoDevice): void {
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last >= IO_PORT_COUNT || last < first) {
      throw new RangeError(`${device.name}: bad port range 0x${first.toString(16)}..0x${last.toString(16)}`);
    }
    for (let port = first; port <= last; port++) {
      const holder = this.owner[port]!;
      if (holder !== UNCLAIMED) {
        throw new RangeError(`${device.name}: port 0x${port.toString(16)} is already claimed by ${this.devices[holder - 1]!.name}`);
      }
    }
    this.devices.push(device);
    this.owner.fill(this.devices.length, first, last + 1);
  }

  /** The device decoding `port`, if any. */
  deviceAt(port: number): IoDevice | undefined {
    const index = this.owner[port & 0xffff]!;
    return index === UNCLAIMED ? undefined : this.devices[index - 1];
  }

  read8(port: number): number {
    const address = port & 0xffff;
    const device = this.deviceAt(address);
    return device === undefined ? 0xff : device.read8(address) & 0xff;
  }

  write8(port: number, value: number): void {
    const address = port & 0xffff;
    this.deviceAt(address)?.write8(address, value & 0xff);
  }

  read16(port: number): number {
    const low = this.read8(port);
    return low | (this.read8((port + 1) & 0xffff) << 8);
  }

  write16(port: number, value: number): void {
    this.write8(port, value & 0xff);
    this.write8((port + 1) & 0xffff, (value >>> 8) & 0xff);
  }
}
