export * from './time.js';
export { CycleClock } from './cycleClock.js';
export { EventQueue, ScheduledEvent, type EventCallback } from './eventQueue.js';
export { Prng, type PrngState } from './prng.js';
export { PhysicalMemory, hex, type Endianness, type PhysicalMemoryState } from './physicalMemory.js';
export {
  ProtectionContext,
  isMemoryFault,
  type AccessKind,
  type FaultReason,
  type MemoryFault,
  type PrivilegeMode,
  type Region,
  type RegionSpec,
  type ProtectionContextOptions,
} from './protection.js';
export { CheckedMemory, type AccessWidth } from './checkedMemory.js';
export { LatchTimes, type IrqLine, type InterruptRequester } from './interrupts.js';
export { InterruptController, type InterruptControllerState, type LineConfig, type Trigger } from './interruptController.js';
export { ProgrammableTimer, type TimerState } from './timer.js';
export { Uart, type UartState, type TransmitListener } from './uart.js';
export { LatencyHistogram, type LatencySummary } from './latencyHistogram.js';
export { PeriodicIrqSource, type PeriodicIrqSourceOptions, type PeriodicIrqSourceState, type SkippableIrqSource } from './periodicIrqSource.js';
export {
  TraceRecorder,
  BufferTraceSink,
  StreamTraceSink,
  type TraceRecord,
  type TraceSink,
  type TracePayload,
  type TraceValue,
} from './traceRecorder.js';
export {
  ProcessorCore,
  ExecutionAbandoned,
  isExecutionAbandoned,
  WAIT_FOR_INTERRUPT,
  type Processor,
  type ProcessorStats,
  type WakeEpisode,
  type Workload,
} from './processor.js';
export { Board, type BoardOptions } from './board.js';
export { Activity, ActivityWords } from './activity.js';
export { ProgramImage, type EntryPoint } from './programImage.js';
export type {
  CostTable,
  GuestProcessor,
  HypercallAbi,
  InterruptLineCounts,
  Platform,
  PrivilegedInstruction,
  SupervisorEntry,
  TrapClass,
  TrapInfo,
  TrapOutcome,
  UserContext,
  UserContextSpec,
  VirtualInterruptState,
} from './platform.js';
export type {
  Architecture,
  BoardDescriptor,
  ContextPortOptions,
  HypercallTraps,
  InterruptLevels,
  InterruptLines,
  KernelTimer,
  PlatformOptions,
  ThreadContext,
  ThreadContextPort,
} from './architecture.js';
export {
  ReturnCode,
  OperatingMode,
  StartCondition,
  PortDirection,
  QueuingDiscipline,
  Validity,
  PortKind,
  ErrorCode,
  enumName,
} from './arinc653.js';
export * from './configReader.js';
export { ConsoleBuffer, DEFAULT_CONSOLE_CAPACITY } from './consoleBuffer.js';
export { describeGuestValue, describeThrown, THROWN_DESCRIPTION_LIMIT, THROWN_STACK_LIMIT, thrownStack } from './thrown.js';
