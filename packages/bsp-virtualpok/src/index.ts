export { VirtualPokGuest, virtualPokGuest, type VirtualPokGuestOptions, type InterruptLevelOperations, type ContextOperations } from './virtualPokGuest.js';
export { guestMemoryMap, MINIMUM_PARTITION_MEMORY, type GuestMemoryMap } from './memoryMap.js';
export { VirtualPokPartitionServices, toApexReturnCode } from './virtualPokPartitionServices.js';
