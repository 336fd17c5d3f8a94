/**
 * Test doubles for layers above the board (`@paravirt/machine/test`). These are NOT
 * processor models: SimpleProcessor is a minimal arch-neutral processor (one
 * interrupt-enable flag, registers r0..r7, supervisor/user mode, software traps) and
 * SimplePlatform a Platform built on it, enough to unit-test the run loop and
 * arch-neutral software (cpukit, paravirt-api, kernel-core, kernels) without cpu-i386 or
 * cpu-sparc.
 */
export { SimpleProcessor, SIMPLE_REGISTERS, type SimpleProcessorOptions } from './internal/simpleProcessor.js';
export {
  SimplePlatform,
  SIMPLE_COSTS,
  SIMPLE_HYPERCALL_ABI,
  SIMPLE_TICK_LINE,
  type SimplePlatformOptions,
} from './internal/simplePlatform.js';
