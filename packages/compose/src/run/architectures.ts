/**
 * The architectures the runner can compose a module on, by name: each is its cpu-*
 * package's descriptor (machine's `Architecture`: the board, hypercall traps, kernel
 * timer, interrupt lines and levels, the RTEMS context port) plus, when they exist, the
 * per-architecture entries registered with it in libcpu-native (native interrupt
 * operations: `libcpu: native`, raw partition programs) and bsp-native (the bare-metal
 * BSP: `kernel: none`). Nothing else in the runner knows an architecture: adding one is a
 * new cpu-* package and one line here.
 */
import { pc386NativeBsp, leon3NativeBsp, type NativeBspArchitecture } from '@paravirt/bsp-native';
import { i386Architecture } from '@paravirt/cpu-i386';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import { i386NativeLibcpu, type NativeLibcpu, sparcNativeLibcpu } from '@paravirt/libcpu-native';
import type { Architecture } from '@paravirt/machine';
import { Registry } from './registry.js';

export interface ArchitectureEntry {
  /** The descriptor's name: what `arch:` and `--arch` say. */
  readonly name: string;
  readonly architecture: Architecture;
  /** libcpu-native on it, if it has one: `libcpu: native` / `native-emulated` and raw partition programs need it. */
  readonly native?: NativeLibcpu;
  /** bsp-native's BSP for it, if it has one: bare metal (`kernel: none`) needs it. */
  readonly bareMetal?: NativeBspArchitecture;
}

/** The registry entry of `architecture` with the pieces other packages registered for it (each must name the same descriptor). */
export function architectureEntry(architecture: Architecture, pieces: { readonly native?: NativeLibcpu; readonly bareMetal?: NativeBspArchitecture } = {}): ArchitectureEntry {
  for (const [what, piece] of Object.entries(pieces)) {
    if (piece !== undefined && piece.architecture !== architecture) throw new RangeError(`the ${what} entry of ${architecture.name} is registered with ${piece.architecture.name}`);
  }
  return { name: architecture.name, architecture, ...pieces };
}

export const architectures = new Registry<ArchitectureEntry>('architecture', [
  architectureEntry(i386Architecture, { native: i386NativeLibcpu, bareMetal: pc386NativeBsp }),
  architectureEntry(sparcArchitecture, { native: sparcNativeLibcpu, bareMetal: leon3NativeBsp }),
]);

/** The architecture of a module that names none (and of imported POK and AIR files without a target). */
export const DEFAULT_ARCH = i386Architecture.name;
