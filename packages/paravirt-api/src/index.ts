/**
 * `@paravirt/paravirt-api`: the contract between a paravirtualized guest and the kernel
 * hosting it (docs/paravirt-api.md), and nothing else: the vocabulary (API_VERSION,
 * hypercall numbers, status codes, virtual lines, ARINC enumerations), what crosses through
 * memory (structure layouts, the vCPU page), the guest-side client, the boot protocol, the
 * binding interface a kernel implements and the dispatcher that decodes a hypercall trap
 * through an architecture's ABI descriptor and calls it. The machinery kernels share
 * (PartitionKernel, virtual interrupt controller, ports, ...) is `@paravirt/kernel-core`.
 */
export { API_VERSION } from './version.js';
export { Status, statusName, isStatus } from './status.js';
export { Hypercall, HYPERCALLS, hypercallSpec, hypercallName, MAX_BUFFER, MAX_CONSOLE_WRITE, MAX_NAME, type HypercallGroup, type HypercallSpec } from './hypercalls.js';
export { VirtualLine, VIRTUAL_LINE_COUNT, HW_LINE_COUNT, IPI_LINE_COUNT, isValidLine, lineName } from './virtualLines.js';
export {
  PartitionMode,
  StartCondition,
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
