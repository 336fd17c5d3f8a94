export { PokKernel, PokConfigurationError, POK_KERNEL_NAME, type PokKernelOptions } from './pokKernel.js';
export { PokPartition } from './pokPartition.js';
export {
  validatePokConfig,
  pokMemoryLayout,
  errorAction,
  type PokConfig,
  type PokPartitionConfig,
  type PokPortConfig,
  type PokSlot,
  type PokChannel,
  type PokRoute,
  type PokFlushPolicy,
  type PokMemoryLayout,
  type ConfigError,
} from './config.js';
export { POK_ERROR_KINDS, POK_ACTIONS, DEFAULT_POK_ACTIONS, isPokAction, isPokErrorKind, type PokAction, type PokErrorKind } from './errors.js';
export { PokPorts, PokPort } from './ports.js';
export { PokBinding } from './binding.js';
export { readPokYaml, readPokData, parseSize, type PokYamlResult } from './pokYaml.js';
export { parseYamlData, type YamlDataResult } from './yamlData.js';
