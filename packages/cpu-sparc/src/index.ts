export * from './psr.js';
export * from './trapTypes.js';
export { RegisterFile, SPARC_REGISTER_NAMES, type WindowRegisters } from './registerFile.js';
export { WindowStack, DEFAULT_WINDOW_STACK_FRAMES, type WindowStackState } from './windowStack.js';
export { TrapTable, type TrapHandler } from './trapTable.js';
export {
  SparcProcessor,
  type AccessWidth,
  type FpRegisterSnapshot,
  type RegisterSnapshot,
  type SparcProcessorOptions,
  type SparcProcessorState,
  type SparcStats,
  type TrappedInstruction,
} from './sparcProcessor.js';
export { SPARC_DEFAULT_COSTS, LEON3_DEFAULT_FREQUENCY_HZ, sparcCosts, type SparcCosts } from './costs.js';
export { ApbBus, LEON3_APB_BASE, LEON3_APB_SIZE, type ApbDevice } from './apbBus.js';
export * from './irqmp.js';
export * from './gptimer.js';
export * from './apbuart.js';
export { sparcHypercallAbi, SPARC_HYPERCALL_SOFTWARE_TRAP, SPARC_HYPERCALL_SOFTWARE_TRAPS, RTEMS_SPARC_SOFTWARE_TRAPS } from './hypercallAbi.js';
export { sparcArchitecture } from './architecture.js';
export { installRtemsSoftwareTraps, SPARC_SWTRAP_SYSCALL, SPARC_SWTRAP_IRQDIS, SPARC_SWTRAP_IRQEN } from './rtemsTraps.js';
export { SPARC_ISR_LEVEL_MAX, isrLevelToPil, pilToIsrLevel, isrLevelToPsrBits, isrLevelOfPsr } from './isrLevel.js';
export {
  Leon3Board,
  LEON3_APBUART_BASE,
  LEON3_APBUART_IRQ,
  LEON3_GPTIMER_BASE,
  LEON3_GPTIMER_IRQ,
  LEON3_IRQMP_BASE,
  LEON3_MAX_MEMORY,
  LEON3_ROUTABLE_LINES,
  GPTIMER_MAX_PERIOD_TICKS,
  leon3BootPrescalerReload,
  leon3TickProblem,
  leon3TickTicks,
  SPARC_USER_VIRTUAL_BASE,
  SUPERVISOR_TRAP_TABLE_BASE,
  type Leon3BoardOptions,
} from './leon3Board.js';
export { SparcContextPort, type SparcContext, type SparcContextPortOptions, type WindowFlushStrategy } from './contextPort.js';
