/**
 * @paravirt/libcpu-native: RTEMS's interrupt disable/enable/flash/level, idle, vector
 * install and fatal halt, executed as the privileged instructions RTEMS uses on the
 * simulated i386 and SPARC processors. The bare-metal BSP composes a CpuPort from it;
 * inside a partition the same code faults exactly as it would on hardware.
 */
export type { InterruptLevel } from './interruptLevel.js';
export { I386NativeCpu, I386_INTERRUPT_MASK } from './i386NativeCpu.js';
export { SparcNativeCpu, SPARC_INTERRUPT_MASK, SPARC_SYSCALL_EXIT } from './sparcNativeCpu.js';
export { i386NativeLibcpu, nativeCpu, privilegedInstructions, sparcNativeLibcpu, type NativeCpu, type NativeLibcpu } from './nativeCpu.js';
