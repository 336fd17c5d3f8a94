/**
 * hostile: a partition program that attacks its kernel, seeded, for isolation tests
 * (docs/architecture.md section 7). It runs no RTEMS; each step is one operation, as one
 * instruction sequence between two interrupt points would be:
 *
 *  - hypercalls: every number the API defines in turn, others at random, and numbers
 *    nobody defines, with random arguments: zero, small integers (ids, lines, modes),
 *    pointers into its own memory, across its end, just below its base, into the
 *    kernel's first MiB, anywhere;
 *  - loads and stores of 1, 2 and 4 bytes, and bulk copies, inside and outside its memory
 *    (including its own vCPU page, whatever the kernel reads from it);
 *  - the architecture's privileged and sensitive instructions with random operands;
 *  - a virtual-interrupt upcall of its own that does more of the same, and sometimes
 *    re-enables interrupts or returns from the upcall when it should not;
 *  - compute bursts that never yield (a partition in an endless loop).
 *
 * It never asks to stop itself (SET_PARTITION_MODE IDLE, ARINC 653 OPERATING_MODE_TYPE
 * value 0) or to sleep until a virtual interrupt it never enabled (IDLE, the paravirtual
 * HLT): a fuzzer that switches itself off tests nothing. Restarts, its own or the
 * health monitor's, are welcome: the program starts over and the stream of random
 * numbers goes on. It writes nothing on purpose; whatever its random CONSOLE_WRITEs
 * copy out of its memory is its console.
 */
import type { PrivilegedInstruction, Prng } from '@paravirt/machine';
import type { RawApplication, RawMachine, RawProgram } from './rawApplication.js';

/** ARINC 653 OPERATING_MODE_TYPE IDLE (APEX SET_PARTITION_MODE). */
const MODE_IDLE = 0;
/** Where in its memory the program puts its upcall entry. */
const UPCALL_OFFSET = 0x100;
/** Longest bulk copy it tries (a few pages). */
const MAX_BULK = 8192;
/** A hypercall number no API defines (hypercall numbers are small). */
const UNDEFINED_HYPERCALL = 0xbad0_0bad;
/** Cycles returned per step of a compute burst. */
const BURST_STEP = 100_000;
/** Operations an upcall runs before it returns (or does not). */
const UPCALL_OPERATIONS = 3;

export interface HostileCounters {
  operations: number;
  hypercalls: number;
  loads: number;
  stores: number;
  bulkCopies: number;
  instructions: number;
  upcalls: number;
  bursts: number;
}

export class HostileProgram implements RawProgram {
  readonly counters: HostileCounters = { operations: 0, hypercalls: 0, loads: 0, stores: 0, bulkCopies: 0, instructions: 0, upcalls: 0, bursts: 0 };
  private readonly random: Prng;
  private readonly numbers: readonly number[];
  private readonly setPartitionMode: number | undefined;
  private readonly idle: number | undefined;
  private readonly virqReturn: number | undefined;
  private readonly instructions: readonly PrivilegedInstruction[];
  private base = 0;
  private size = 0;
  private sweep = 0;
  private burstCycles = 0;

  constructor(private readonly machine: RawMachine) {
    this.random = machine.random;
    this.setPartitionMode = machine.hypercalls.find((call) => call.name === 'SET_PARTITION_MODE')?.number;
    this.virqReturn = machine.hypercalls.find((call) => call.name === 'VIRQ_RETURN')?.number;
    this.idle = machine.hypercalls.find((call) => call.name === 'IDLE')?.number;
    this.numbers = machine.hypercalls.map((call) => call.number).filter((number) => number !== this.idle);
    this.instructions = machine.instructions;
  }

  boot(): void {
    const { processor, abi } = this.machine;
    this.base = processor.readRegister(abi.argumentRegisters[0]!) >>> 0;
    this.size = processor.readRegister(abi.argumentRegisters[1]!) >>> 0;
    if (this.size > UPCALL_OFFSET) this.machine.define(this.base + UPCALL_OFFSET, () => this.upcall());
  }

  next(): number {
    if (this.burstCycles > 0) {
      const step = Math.min(BURST_STEP, this.burstCycles);
      this.burstCycles -= step;
      return step;
    }
    if (this.random.chance(1 / 50_000)) {
      // An endless loop, as far as anyone can tell: 10 to 400 ms at 50-100 MHz.
      this.counters.bursts++;
      this.burstCycles = this.random.int(1_000_000, 20_000_000);
      return BURST_STEP;
    }
    this.operation();
    return this.random.int(1, 64);
  }

  preempted(): void {
    // Whatever was left of the step is simply not done: the program does not keep books.
  }

  private operation(): void {
    this.counters.operations++;
    const roll = this.random.int(0, 99);
    if (roll < 45) this.hypercall();
    else if (roll < 70) this.access();
    else if (roll < 78) this.bulk();
    else this.instruction();
  }

  private upcall(): void {
    this.counters.upcalls++;
    for (let i = 0; i < UPCALL_OPERATIONS; i++) this.operation();
    if (this.virqReturn !== undefined && this.random.chance(0.5)) this.trap(this.virqReturn, []);
  }

  /** A 32-bit word of the kinds that break argument checks. */
  private word(): number {
    const random = this.random;
    switch (random.int(0, 9)) {
      case 0:
        return 0;
      case 1:
        return random.int(1, 16);
      case 2:
      case 3:
        return this.size > 0 ? this.base + random.int(0, this.size - 1) : 0;
      case 4:
        return (this.base + this.size - random.int(0, 64)) >>> 0;
      case 5:
        return (this.base - random.int(1, 4096)) >>> 0;
      case 6:
        return random.int(0, 0xf_ffff);
      case 7:
        return (0xffff_ffff - random.int(0, 64)) >>> 0;
      case 8:
        return this.base + UPCALL_OFFSET;
      default:
        return random.nextUint32();
    }
  }

  private hypercall(): void {
    const random = this.random;
    const roll = random.int(0, 9);
    let number: number;
    if (roll < 5 && this.numbers.length > 0) {
      number = this.numbers[this.sweep]!;
      this.sweep = (this.sweep + 1) % this.numbers.length;
    } else if (roll < 8 && this.numbers.length > 0) {
      number = random.pick(this.numbers);
    } else {
      number = random.chance(0.5) ? random.int(0, 0xff) : random.nextUint32();
    }
    if (number === this.idle) number = this.numbers[0] ?? 0;
    const args = this.machine.abi.argumentRegisters.map(() => this.word());
    if (number === this.setPartitionMode && args[0] === MODE_IDLE) args[0] = random.int(1, 3);
    this.trap(number, args);
  }

  private trap(number: number, args: readonly number[]): void {
    const { processor, abi } = this.machine;
    this.counters.hypercalls++;
    processor.writeRegister(abi.numberRegister, number >>> 0);
    abi.argumentRegisters.forEach((register, i) => processor.writeRegister(register, (args[i] ?? 0) >>> 0));
    processor.softwareTrap(abi.trapNumber);
  }

  private access(): void {
    const random = this.random;
    const processor = this.machine.processor;
    const width = random.pick([1, 2, 4] as const);
    const address = this.word();
    if (random.chance(0.5)) {
      this.counters.loads++;
      processor.load(address, width);
    } else {
      this.counters.stores++;
      processor.store(address, width, random.nextUint32() >>> (32 - 8 * width));
    }
  }

  private bulk(): void {
    const random = this.random;
    const processor = this.machine.processor;
    const address = this.word();
    const length = random.int(0, MAX_BULK);
    this.counters.bulkCopies++;
    if (random.chance(0.5)) {
      processor.loadBytes(address, length);
    } else {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i += 4) {
        const value = random.nextUint32();
        for (let j = 0; j < 4 && i + j < length; j++) bytes[i + j] = value >>> (8 * j);
      }
      processor.storeBytes(address, bytes);
    }
  }

  private instruction(): void {
    if (this.instructions.length === 0) return;
    this.counters.instructions++;
    // A random software trap may be the hypercall trap (i386 INT 0x2a, SPARC ta 0x70):
    // with the registers of the last hypercall it could repeat a stop request, so the
    // number register holds a number no API defines first.
    const { processor, abi } = this.machine;
    processor.writeRegister(abi.numberRegister, UNDEFINED_HYPERCALL);
    this.random.pick(this.instructions).execute(this.word());
  }
}

export const hostile: RawApplication = {
  kind: 'raw',
  name: 'hostile',
  description: 'seeded attacker: every hypercall with random arguments, random memory accesses, privileged instructions, endless loops (raw program, partitions only)',
  create: (machine) => new HostileProgram(machine),
};
