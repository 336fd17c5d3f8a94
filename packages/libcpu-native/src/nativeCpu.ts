/**
 * libcpu-native per architecture: each architecture it supports is one `NativeLibcpu`
 * entry registered with that architecture's descriptor (cpu-i386 `i386Architecture`,
 * cpu-sparc `sparcArchitecture`). Code above it (a BSP, the runner's trap-and-emulate
 * experiments through bsp-virtualpok's `interruptLevel` option, fault injection) takes an
 * entry and never tests an architecture's name; `nativeCpu(processor)` and
 * `privilegedInstructions(processor)` pick the entry of a processor of either built-in
 * architecture.
 */
import { i386Architecture, I386Processor } from '@paravirt/cpu-i386';
import { sparcArchitecture, SparcProcessor } from '@paravirt/cpu-sparc';
import type { Architecture, GuestProcessor, PrivilegedInstruction } from '@paravirt/machine';
import { I386NativeCpu } from './i386NativeCpu.js';
import type { InterruptLevel } from './interruptLevel.js';
import { i386Instructions, sparcInstructions } from './privilegedInstructions.js';
import { SparcNativeCpu } from './sparcNativeCpu.js';

/** libcpu-native for one architecture (plain functions: they may be handed on unbound). */
export interface NativeLibcpu<C extends InterruptLevel = InterruptLevel> {
  /** The architecture whose processors these operations run on. */
  readonly architecture: Architecture;
  /** RTEMS's interrupt, idle, vector and halt operations by privileged instructions on `processor` (another architecture's is a RangeError). */
  readonly nativeCpu: (processor: GuestProcessor) => C;
  /** Every privileged or sensitive instruction of the architecture, executable the way arbitrary machine code would (fault injection). */
  readonly privilegedInstructions: (processor: GuestProcessor) => readonly PrivilegedInstruction[];
}

function mismatch(architecture: Architecture, processor: GuestProcessor): RangeError {
  return new RangeError(`libcpu-native's ${architecture.name} operations are for ${architecture.name} processors, not for this ${processor.arch} one`);
}

function i386Processor(processor: GuestProcessor): I386Processor {
  if (!(processor instanceof I386Processor)) throw mismatch(i386Architecture, processor);
  return processor;
}

function sparcProcessor(processor: GuestProcessor): SparcProcessor {
  if (!(processor instanceof SparcProcessor)) throw mismatch(sparcArchitecture, processor);
  return processor;
}

/** libcpu-native on the i386: pushf/cli, popf, HLT, IDT gates, cli; hlt (cpukit/score/cpu/i386). */
export const i386NativeLibcpu: NativeLibcpu<I386NativeCpu> = Object.freeze({
  architecture: i386Architecture,
  nativeCpu: (processor: GuestProcessor) => new I386NativeCpu(i386Processor(processor)),
  privilegedInstructions: (processor: GuestProcessor) => i386Instructions(i386Processor(processor)),
});

/** libcpu-native on SPARC / LEON3: ta 9 / ta 10, RDPSR/WRPSR, power-down, trap table slots, ta 0 (cpukit/score/cpu/sparc). */
export const sparcNativeLibcpu: NativeLibcpu<SparcNativeCpu> = Object.freeze({
  architecture: sparcArchitecture,
  nativeCpu: (processor: GuestProcessor) => new SparcNativeCpu(sparcProcessor(processor)),
  privilegedInstructions: (processor: GuestProcessor) => sparcInstructions(sparcProcessor(processor)),
});

const BUILT_IN: ReadonlyArray<NativeLibcpu<I386NativeCpu> | NativeLibcpu<SparcNativeCpu>> = [i386NativeLibcpu, sparcNativeLibcpu];

export type NativeCpu = I386NativeCpu | SparcNativeCpu;

function builtInFor(processor: GuestProcessor, what: string): (typeof BUILT_IN)[number] {
  const libcpu = BUILT_IN.find((candidate) => candidate.architecture.name === processor.arch);
  if (libcpu === undefined) throw new RangeError(`libcpu-native has no ${what} for a ${processor.arch} processor (${BUILT_IN.map((candidate) => candidate.architecture.name).join(' and ')} only)`);
  return libcpu;
}

/** The native CPU operations of `processor`, an i386 or SPARC one; a processor of another architecture is a wiring error. */
export function nativeCpu(processor: GuestProcessor): NativeCpu {
  return builtInFor(processor, 'operations').nativeCpu(processor);
}

/** The privileged and sensitive instructions of `processor`'s architecture (i386 or SPARC); another processor is a wiring error. */
export function privilegedInstructions(processor: GuestProcessor): readonly PrivilegedInstruction[] {
  return builtInFor(processor, 'instruction table').privilegedInstructions(processor);
}
