/**
 * A raw partition program: machine code with no RTEMS under it, for what an executive
 * would never do (fault injection). It gets the processor as guest code sees it, the
 * hypervisor's trap convention and the architecture's privileged instructions, and is
 * driven as the partition's workload. It runs only inside a partition: on bare metal it
 * would be the supervisor itself, and there would be nothing left to isolate it from.
 */
import type { EntryPoint, GuestProcessor, HypercallAbi, PrivilegedInstruction, Prng, Workload } from '@paravirt/machine';

export interface RawMachine {
  readonly processor: GuestProcessor;
  readonly abi: HypercallAbi;
  /** The architecture's privileged and sensitive instructions (libcpu-native's table). */
  readonly instructions: readonly PrivilegedInstruction[];
  /** The hypercalls the hypervisor's API defines, by number and name (a fuzzer tries others too). */
  readonly hypercalls: readonly { readonly number: number; readonly name: string }[];
  /** The program's stream of the simulation's one PRNG; the same object across restarts. */
  readonly random: Prng;
  /** Places code at a virtual address of the partition (the loader's job), e.g. an upcall entry. */
  define(address: number, entry: EntryPoint): void;
  readonly startKind: 'cold' | 'warm';
}

/**
 * The program as the kernel runs it. At boot() the ABI's first three argument registers
 * hold the partition's memory base, memory size and id (paravirt-api's boot protocol).
 */
export interface RawProgram extends Workload {
  boot(): void;
}

export interface RawApplication {
  readonly kind: 'raw';
  readonly name: string;
  readonly description: string;
  /** Called at every partition start (a restart reloads the program). */
  create(machine: RawMachine): RawProgram;
}

/** Distinguishes a raw program from an executive application (cpukit's Application has no kind). */
export function isRawApplication(value: unknown): value is RawApplication {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RawApplication>;
  return candidate.kind === 'raw' && typeof candidate.name === 'string' && typeof candidate.create === 'function';
}
