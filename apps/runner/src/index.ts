// The CLI, and (re-exported from @paravirt/compose, where they live) the composition it runs.
export { main, nodeIo, type CliIo } from './cli/main.js';
export { parseArgs, UsageError, USAGE, type Command, type RunCommand } from './cli/args.js';
export { loadConfig, detectFormat, type ConfigFormat, type LoadResult, type Overrides } from '@paravirt/compose';
export { readModuleConfig, readModuleData } from '@paravirt/compose';
export { toPokConfig } from '@paravirt/compose';
export { DEFAULT_DEMO } from '@paravirt/compose';
export type { ModuleSpec, PartitionSpec, ScheduleSpec, WindowSpec, PortSpec, ChannelSpec, DeviceSpec } from '@paravirt/compose';
export { Simulation, CompositionError, type RunResult, type SimulationOptions } from '@paravirt/compose';
export { architectures, architectureEntry, DEFAULT_ARCH, type ArchitectureEntry } from '@paravirt/compose';
export { kernels, kernelEntry, kernelNames, BARE_METAL, type ImportedConfigs, type KernelComposition, type KernelEntry, type ModuleKernel } from '@paravirt/compose';
export { Registry } from '@paravirt/compose';
export { buildSummary, type Summary, type PartitionSummary } from '@paravirt/compose';
export { toChromeTrace } from '@paravirt/compose';
export { htmlReport } from '@paravirt/compose';
