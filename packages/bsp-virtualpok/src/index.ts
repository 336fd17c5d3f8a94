export { VirtualPokGuest, virtualPokGuest, type VirtualPokGuestOptions, type InterruptLevelOperations, type ContextOperations } from './virtualPokGuest.js';
export { guestMemoryMap, HYPERCALL_SCRATCH_SIZE, MINIMUM_PARTITION_MEMORY, type GuestMemoryMap } from './memoryMap.js';
export { VirtualPokPartitionServices, toApexReturnCode, VIRTUALPOK_MAX_MESSAGE_SIZE, virtualPokPortProblem } from './virtualPokPartitionServices.js';
