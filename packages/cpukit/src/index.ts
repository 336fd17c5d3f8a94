/**
 * @paravirt/cpukit: the guest executive. An RTEMS-style score (threads, priority
 * scheduler, watchdogs, ISR dispatch) and Classic API, architecture- and
 * hypervisor-agnostic: it talks only to a CpuPort and BspHooks.
 */
export type { CpuContext } from './cpuContext.js';
export { composeCpuPort, type CpuPort, type CpuInterruptLevel, type CpuContextOperations, type CpuFloatingPoint } from './cpuPort.js';
export type { BspHooks } from './bspHooks.js';
export type { InterruptDispatch } from './interruptDispatch.js';
export type { Application } from './application.js';
export { DEFAULT_CONFIGURATION, RTEMS_UNLIMITED_OBJECTS, resolveConfiguration, validateApplicationConfiguration, validateConfiguration, type Configuration, type SchedulerAlgorithm } from './configuration.js';
export {
  RTEMS_CBS_ERROR_EMPTY,
  RTEMS_CBS_ERROR_FULL,
  RTEMS_CBS_ERROR_GENERIC,
  RTEMS_CBS_ERROR_INCONSISTENT_STATE,
  RTEMS_CBS_ERROR_INTERNAL_ERROR,
  RTEMS_CBS_ERROR_INVALID_PARAMETER,
  RTEMS_CBS_ERROR_MISSING_COMPONENT,
  RTEMS_CBS_ERROR_NO_MEMORY,
  RTEMS_CBS_ERROR_NOSERVER,
  RTEMS_CBS_ERROR_NOT_FOUND,
  RTEMS_CBS_ERROR_SYSTEM_OVERLOAD,
  RTEMS_CBS_ERROR_UNAUTHORIZED,
  RTEMS_CBS_ERROR_UNIMPLEMENTED,
  RTEMS_CBS_OK,
  type CbsApprovedBudgetResult,
  type CbsBudgetOverrun,
  type CbsExecutionTimeResult,
  type CbsParameters,
  type CbsParametersResult,
  type CbsRemainingBudgetResult,
  type CbsServerIdResult,
  type CbsStatus,
} from './cbs.js';
export { DEFAULT_WORKSPACE_SIZE, Executive, IDLE_PRIORITY, IDLE_THREAD_ID, type ExecutiveOptions } from './executive.js';
export type { ExecutiveStatistics, PeriodStatistics, ThreadStatistics } from './executiveStatistics.js';
export { DEFAULT_EXECUTIVE_COSTS, ZERO_EXECUTIVE_COSTS, type ExecutiveCosts } from './executiveCosts.js';
export { Rtems, type IsrEntry, type IsrRoutine, type TaskEntry, type TimerServiceRoutine } from './rtems.js';
export {
  SPARC_SIMPLE_VECTORED_INTERRUPTS,
  simpleVectoredInterruptsOf,
  type InterruptCatchResult,
  type SimpleVectoredInterrupts,
} from './simpleVectoredInterrupts.js';
export type { InterruptLock } from './interruptLock.js';
export { InterruptEntry } from './interruptEntry.js';
export type { InterruptPerHandlerRoutine } from './internal/interruptManager.js';
export type { InterruptServerConfig, InterruptServerEntry, InterruptServerRequest } from './internal/interruptServer.js';
export {
  RTEMS_INTERRUPT_NO_SIGNAL,
  RTEMS_INTERRUPT_SIGNAL_EDGE_FALLING,
  RTEMS_INTERRUPT_SIGNAL_EDGE_RAISING,
  RTEMS_INTERRUPT_SIGNAL_LEVEL_HIGH,
  RTEMS_INTERRUPT_SIGNAL_LEVEL_LOW,
  RTEMS_INTERRUPT_UNSPECIFIED_SIGNAL,
  ZERO_INTERRUPT_ATTRIBUTES,
  type BspInterruptController,
  type InterruptAttributes,
  type InterruptAttributesResult,
  type InterruptEnabledResult,
  type InterruptPendingResult,
  type InterruptPriorityResult,
  type InterruptSignalVariant,
} from './interruptAttributes.js';
export {
  EAGAIN,
  EBUSY,
  ETIMEDOUT,
  type RtemsBinarySemaphore,
  type RtemsConditionVariable,
  type RtemsCountingSemaphore,
  type RtemsMutex,
  type RtemsRecursiveMutex,
} from './internal/selfContainedObjects.js';
export { messageQueueBufferSize, type MessageQueueConfig, type TaskConfig } from './directiveConfig.js';
export type {
  AddressResult,
  BufferResult,
  ClassInformationResult,
  CountResult,
  Directive,
  EventResult,
  IdResult,
  InterruptServerCountResult,
  InterruptServerIndexResult,
  MessageResult,
  ObjectClassInformation,
  ModeResult,
  NameResult,
  RateMonotonicStatistics,
  RateMonotonicStatisticsResult,
  PeriodStatus,
  PeriodStatusResult,
  PosixPriorityResult,
  PriorityResult,
  RegionBlockInformation,
  RegionInformation,
  RegionInformationResult,
  ResizeResult,
  SecondsResult,
  SegmentResult,
  SizeResult,
  TaskVisit,
  TimevalResult,
  TodResult,
  UptimeResult,
} from './results.js';
export { RtemsStatus, rtemsStatusText } from './rtemsStatus.js';
export { FatalSource, InternalError, fatalSourceName } from './fatalSource.js';
export { RateMonotonicState } from './rateMonotonicState.js';
export * from './modes.js';
export * from './attributes.js';
export * from './options.js';
export * from './eventSet.js';
export * from './signalSet.js';
export { EXTENSION_NAMES, type ExtensionResult, type ExtensionsTable } from './extensions.js';
export * from './interruptOptions.js';
export {
  RTEMS_TIMER_SERVER_DEFAULT_PRIORITY,
  TIMER_CLASS_BIT_NOT_DORMANT,
  TIMER_CLASS_BIT_ON_TASK,
  TIMER_CLASS_BIT_TIME_OF_DAY,
  TIMER_DORMANT,
  TIMER_INTERVAL,
  TIMER_INTERVAL_ON_TASK,
  TIMER_TIME_OF_DAY,
  TIMER_TIME_OF_DAY_ON_TASK,
  type TimerClass,
  type TimerInformation,
  type TimerInformationResult,
} from './timer.js';
export {
  ClassicObjectClass,
  LOCAL_NODE,
  OBJECTS_CLASSIC_API,
  OBJECTS_INTERNAL_API,
  OBJECTS_INTERNAL_THREADS,
  OBJECTS_POSIX_API,
  buildObjectId,
  objectIdApi,
  objectIdClass,
  objectIdIndex,
  objectIdNode,
} from './objectId.js';
export { buildName, nameToString, packName, type ObjectName } from './objectName.js';
export {
  TOD_BASE_YEAR,
  TOD_LATEST_YEAR,
  isValidTimeOfDay,
  secondsToTimeOfDay,
  timeOfDayToSeconds,
  TOD_SECONDS_1970_THROUGH_1988,
  type Bintime,
  type TimeOfDay,
  type Timespec,
  type Timeval,
} from './timeOfDay.js';
export { formatPrintf, PRINTF_MAX_OUTPUT, type PrintfArgument } from './printf.js';
export { CPU_SET_MAX_SIZE, CPU_SET_WORD_SIZE, CPU_SETSIZE, CpuSet, cpuAllocSize, type CpuSetResult } from './cpuSet.js';
export type { RtemsPrinter } from './printer.js';
export type { ApiConfigurationTable, InitializationTasksTable } from './internal/configurationTables.js';
export { CPUKIT_BUILD_LABEL, CPUKIT_COPYRIGHT_NOTICE, RTEMS_VERSION, RTEMS_VERSION_MAJOR, RTEMS_VERSION_MINOR, RTEMS_VERSION_REVISION } from './version.js';
export { Apex } from './apex.js';
export { ApexReturnCode, apexReturnCodeText } from './apexReturnCode.js';
export {
  APEX_INFINITE_TIME_VALUE,
  APEX_MAX_ERROR_MESSAGE_SIZE,
  APEX_MAX_NAME_LENGTH,
  APEX_NO_WAIT,
  OperatingMode,
  PortDirection,
  PortKind,
  QueuingDiscipline,
  StartCondition,
  Validity,
} from './apexTypes.js';
export type {
  PartitionServices,
  PartitionStatus,
  PartitionStatusResult,
  PortIdResult,
  PortStatus,
  PortStatusResult,
  QueuingReceiveResult,
  SamplingReadResult,
  ScheduleStatus,
  ScheduleStatusResult,
} from './partitionServices.js';
