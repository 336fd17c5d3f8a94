/**
 * @paravirt/bsp-native: the bare-metal BSPs (pc386 on the simulated PC, leon3 on the
 * simulated LEON3) and createNativeSystem, which runs a guest executive directly on the
 * board in supervisor mode: the native baseline every paravirtualization overhead is
 * measured against. It chooses libcpu-native where bsp-virtualpok chooses libcpu-virtual;
 * nothing else differs.
 */
export {
  createNativeSystem,
  nativeClockProblem,
  NATIVE_DEFAULT_MEMORY_SIZE,
  type I386NativeSystem,
  type NativeArch,
  type NativeSystem,
  type NativeSystemOf,
  type NativeSystemOptions,
  type SparcNativeSystem,
} from './nativeSystem.js';
export {
  Pc386Bsp,
  PC386_CONSOLE_DIVISOR,
  PC386_EXCEPTION_VECTORS,
  PC386_IRQ_VECTOR_BASE,
  pc386ClockCount,
  pc386ClockFits,
  pc386ClockPlan,
  pc386ClockProblem,
  pc386NativeBsp,
  type Pc386ClockPlan,
} from './pc386Bsp.js';
export { Leon3Bsp, LEON3_CLOCK_TIMER, LEON3_TRAP_TABLE_BASE, leon3ClockProblem, leon3NativeBsp, leon3PrescalerReload } from './leon3Bsp.js';
export type { BareMetalBsp, NativeBsp, NativeBspArchitecture, NativeInterruptLine, ExceptionReporter } from './nativeBsp.js';
