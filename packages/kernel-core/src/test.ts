/**
 * `@paravirt/kernel-core/test`: TEST DOUBLES, for tests only.
 *
 * TestHost is a single-partition hypervisor implementing the whole binding on any
 * Platform (machine's SimplePlatform, cpu-i386's I386Board, cpu-sparc's Leon3Board) with
 * the kernel-core machinery, so libcpu-virtual and bsp-virtualpok can be tested without a
 * kernel. It is not a separation kernel: no windows, no other partitions, loopback ports,
 * a recording HM. scriptedGuest is a minimal paravirtual guest for kernel and API tests.
 *
 * Guest packages may import this entry from their test files (*.test.ts) only, as a
 * devDependency; never `@paravirt/kernel-core` itself (tooling/layers.mjs).
 */
export { TestHost, type TestHostOptions, type TestHostCaller, type TestHostChannel, type TestHostHmEvent } from './internal/testHost.js';
export { scriptedGuest, SCRIPTED_GUEST_LAYOUT, type ScriptedGuestEnv, type ScriptedGuestOptions, type GuestScript } from './internal/scriptedGuest.js';
