export * from './eflags.js';
export * from './controlRegisters.js';
export * from './exceptions.js';
export { Idt, IDT_MAX_ENTRIES, type DescriptorPrivilegeLevel, type GateHandler, type GateKind, type IdtGate } from './idt.js';
export { flatContext, userSegmentContext, type SegmentContext } from './segmentContext.js';
export { IoBus, IO_PORT_COUNT, type IoDevice } from './ioBus.js';
export { I386_DEFAULT_COSTS, I386_DEFAULT_FREQUENCY_HZ, i386Costs } from './costs.js';
export { i386HypercallAbi, I386_HYPERCALL_VECTORS, POK_HYPERCALL_VECTOR } from './hypercallAbi.js';
export { i386Architecture } from './architecture.js';
export {
  I386Processor,
  GENERAL_REGISTERS,
  type Cpl,
  type GeneralRegister,
  type I386InterruptInput,
  type I386ProcessorOptions,
  type TrapFrame,
} from './i386Processor.js';
export * from './pic8259.js';
export type { Pic8259ChipState } from './internal/pic8259Chip.js';
export * from './pit8254.js';
export {
  I386_MAX_SINGLE_TICK_NS,
  I386_MIN_TICK_NS,
  PIT_MAX_COUNT,
  PIT_MIN_RATE_COUNT,
  PitTickSplitter,
  i386TickProblem,
  pitPieceCount,
  pitRateCount,
  pitTickIsSplit,
} from './pitTick.js';
export * from './uart16550.js';
export {
  I386Board,
  I386_MAX_MEMORY,
  I386_ROUTABLE_LINES,
  PIC_MASTER_VECTOR_BASE,
  PIC_SLAVE_VECTOR_BASE,
  type I386BoardOptions,
  type I386UserContext,
} from './i386Board.js';
export { I386ContextPort, CPU_EFLAGS_INTERRUPTS_OFF, CPU_EFLAGS_INTERRUPTS_ON, I386_STACK_ALIGNMENT, type I386Context } from './contextPort.js';
export { interruptFlagForIsrLevel, isrLevelOfEflags } from './isrLevel.js';
