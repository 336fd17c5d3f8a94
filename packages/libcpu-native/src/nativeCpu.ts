/**
 * Chooses the native interrupt operations for a processor: what a BSP (or the runner's
 * trap-and-emulate experiments, through bsp-virtualpok's `interruptLevel` option) calls
 * when it wants RTEMS's own privileged-instruction code rather than the paravirtual one.
 */
import { I386Processor } from '@paravirt/cpu-i386';
import { SparcProcessor } from '@paravirt/cpu-sparc';
import type { GuestProcessor } from '@paravirt/machine';
import { I386NativeCpu } from './i386NativeCpu.js';
import { SparcNativeCpu } from './sparcNativeCpu.js';

export type NativeCpu = I386NativeCpu | SparcNativeCpu;

/** The native CPU operations of `processor`; a processor of another architecture is a wiring error. */
export function nativeCpu(processor: GuestProcessor): NativeCpu {
  if (processor instanceof I386Processor) return new I386NativeCpu(processor);
  if (processor instanceof SparcProcessor) return new SparcNativeCpu(processor);
  throw new RangeError(`libcpu-native has no operations for a ${processor.arch} processor (i386 and sparc only)`);
}
