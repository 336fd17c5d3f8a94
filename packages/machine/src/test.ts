/**
 * Test doubles for layers above the board (`@paravirt/machine/test`). These are NOT
 * processor models: SimpleProcessor is a minimal arch-neutral processor with one
 * interrupt-enable flag and one handler, enough to unit-test the run loop and
 * arch-neutral software (cpukit) without cpu-i386 or cpu-sparc.
 */
export { SimpleProcessor, type SimpleProcessorOptions } from './internal/simpleProcessor.js';
