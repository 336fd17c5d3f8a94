export { API_VERSION } from './version.js';
export { Status, statusName, isStatus } from './status.js';
export { Hypercall, HYPERCALLS, hypercallSpec, hypercallName, MAX_BUFFER, MAX_CONSOLE_WRITE, MAX_NAME, type HypercallGroup, type HypercallSpec } from './hypercalls.js';
export { VirtualLine, VIRTUAL_LINE_COUNT, HW_LINE_COUNT, IPI_LINE_COUNT, isValidLine, lineName } from './virtualLines.js';
export {
  PartitionMode,
  PortDirection,
  PortKind,
  Validity,
  QueuingDiscipline,
  ErrorCode,
  ModuleAction,
  PARTITION_MODE_NAMES,
  ERROR_CODE_NAMES,
  isPartitionMode,
  isErrorCode,
} from './arinc.js';
export { VCPU_PAGE_SIZE, VCPU_MAGIC, VcpuPage, overrunOffset, deliveredOffset } from './vcpuPage.js';
export * from './structs.js';
export { HypercallClient, type Answer, type CallResult, type ScratchBuffer } from './client.js';
export type { HypervisorBinding, HypercallCaller, Reply, BadHypercallReport, BadHypercallKind } from './binding.js';
export { HypercallDispatcher, type DispatchResult } from './dispatcher.js';
export { BootRegister, type PartitionGuest, type PartitionGuestFactory, type PartitionStart } from './partition.js';
export { VirtualInterruptController, type DeliveryResult, type VirtualInterruptStats, type VirtualLineStats, type VirtualInterruptControllerOptions } from './host/virtualInterrupts.js';
export { VirtualTimer } from './host/virtualTimer.js';
export { LatencyHistogram, type LatencySummary } from './host/latencyHistogram.js';
export { PartitionRuntime, StartCondition, type PartitionRuntimeOptions } from './host/partitionRuntime.js';
export { HmEventLog, type HmEventRecord } from './host/hmEventLog.js';
export { PartitionKernel, STALL_WINDOWS, type PartitionKernelOptions, type ScheduledWindow, type KernelReport, type PartitionReport, type ScheduleSwitch } from './host/partitionKernel.js';
export { PartitionBinding } from './host/partitionBinding.js';
export {
  partitionMemoryLayout,
  validatePartitionResources,
  portBufferBytes,
  PORT_SLOT_BYTES,
  KERNEL_RESERVED,
  PARTITION_ALIGN,
  MINIMUM_PARTITION_MEMORY,
  type PortConfig,
  type PortRef,
  type ChannelConfig,
  type PartitionResources,
  type MemoryLayout,
} from './host/moduleResources.js';
export { PortTable, type TablePort, type PortService, type PortMessage } from './host/portTable.js';
