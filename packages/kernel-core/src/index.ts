/**
 * `@paravirt/kernel-core`: the host-side machinery every paravirtualizing separation kernel
 * shares, built on the `@paravirt/paravirt-api` contract. A kernel (pok-kernel, air-kernel)
 * extends PartitionKernel, PartitionRuntime, PartitionBinding and PortTable and supplies
 * only its schedule, health monitor, port transfer semantics and configuration (see
 * docs/porting.md). Guest packages never import it; their tests may use its test double,
 * `@paravirt/kernel-core/test`.
 */
export { VirtualInterruptController, type DeliveryResult, type VirtualInterruptStats, type VirtualLineStats, type VirtualInterruptControllerOptions } from './virtualInterrupts.js';
export { VirtualTimer } from './virtualTimer.js';
// The histogram moved to machine (bare-metal BSPs measure interrupt latency too); still exported here.
export { LatencyHistogram, type LatencySummary } from '@paravirt/machine';
export { PartitionRuntime, type PartitionRuntimeOptions } from './partitionRuntime.js';
export { HmEventLog, type HmEventRecord } from './hmEventLog.js';
export { PartitionKernel, STALL_WINDOWS, type PartitionKernelOptions, type ScheduledWindow, type KernelReport, type PartitionReport, type ScheduleSwitch } from './partitionKernel.js';
export { PartitionBinding } from './partitionBinding.js';
export type { ErrorKind, FaultKind, HypercallErrorKind, KernelErrorKind } from './errorKinds.js';
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
} from './moduleResources.js';
export { PortTable, type TablePort, type PortService, type PortMessage } from './portTable.js';
