/**
 * CR0 bits of the 80386 (Intel SDM Vol. 3 section 2.5; 80386 Programmer's Reference Manual
 * section 4.1.3). The model keeps CR0, CR2 and CR3 as values; there are no paging
 * structures behind CR3 (protection contexts stand in for them).
 */

export const CR0_PE = 1 << 0;
export const CR0_MP = 1 << 1;
export const CR0_EM = 1 << 2;
export const CR0_TS = 1 << 3;
export const CR0_ET = 1 << 4;
export const CR0_PG = 1 << 31;

/** CR0 as a Multiboot loader hands the machine over: protected mode, no paging (Multiboot 0.6.96 section 3.2). */
export const CR0_RESET_VALUE = CR0_PE | CR0_ET;
