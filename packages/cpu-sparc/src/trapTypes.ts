/**
 * SPARC V8 trap types (the tt field of TBR) with the names of The SPARC Architecture
 * Manual, Version 8, Table 7-1 ("Exception and Interrupt Request Priority and tt Values"),
 * and their arch-neutral TrapClass.
 */
import type { TrapClass } from '@paravirt/machine';

export const TT_INSTRUCTION_ACCESS_EXCEPTION = 0x01;
export const TT_ILLEGAL_INSTRUCTION = 0x02;
export const TT_PRIVILEGED_INSTRUCTION = 0x03;
export const TT_FP_DISABLED = 0x04;
export const TT_WINDOW_OVERFLOW = 0x05;
export const TT_WINDOW_UNDERFLOW = 0x06;
export const TT_MEM_ADDRESS_NOT_ALIGNED = 0x07;
export const TT_FP_EXCEPTION = 0x08;
export const TT_DATA_ACCESS_EXCEPTION = 0x09;
export const TT_TAG_OVERFLOW = 0x0a;
export const TT_WATCHPOINT_DETECTED = 0x0b;
/** interrupt_level_n is tt 0x10 + n, n = 1..15. */
export const TT_INTERRUPT_LEVEL_BASE = 0x10;
export const TT_R_REGISTER_ACCESS_ERROR = 0x20;
export const TT_INSTRUCTION_ACCESS_ERROR = 0x21;
export const TT_CP_DISABLED = 0x24;
export const TT_UNIMPLEMENTED_FLUSH = 0x25;
export const TT_CP_EXCEPTION = 0x28;
export const TT_DATA_ACCESS_ERROR = 0x29;
export const TT_DIVISION_BY_ZERO = 0x2a;
export const TT_DATA_STORE_ERROR = 0x2b;
export const TT_DATA_ACCESS_MMU_MISS = 0x2c;
export const TT_INSTRUCTION_ACCESS_MMU_MISS = 0x3c;
/** trap_instruction (Ticc) is tt 0x80 + the 7-bit software trap number. */
export const TT_TRAP_INSTRUCTION_BASE = 0x80;

const NAMES: Readonly<Record<number, string>> = {
  [TT_INSTRUCTION_ACCESS_EXCEPTION]: 'instruction_access_exception',
  [TT_ILLEGAL_INSTRUCTION]: 'illegal_instruction',
  [TT_PRIVILEGED_INSTRUCTION]: 'privileged_instruction',
  [TT_FP_DISABLED]: 'fp_disabled',
  [TT_WINDOW_OVERFLOW]: 'window_overflow',
  [TT_WINDOW_UNDERFLOW]: 'window_underflow',
  [TT_MEM_ADDRESS_NOT_ALIGNED]: 'mem_address_not_aligned',
  [TT_FP_EXCEPTION]: 'fp_exception',
  [TT_DATA_ACCESS_EXCEPTION]: 'data_access_exception',
  [TT_TAG_OVERFLOW]: 'tag_overflow',
  [TT_WATCHPOINT_DETECTED]: 'watchpoint_detected',
  [TT_R_REGISTER_ACCESS_ERROR]: 'r_register_access_error',
  [TT_INSTRUCTION_ACCESS_ERROR]: 'instruction_access_error',
  [TT_CP_DISABLED]: 'cp_disabled',
  [TT_UNIMPLEMENTED_FLUSH]: 'unimplemented_FLUSH',
  [TT_CP_EXCEPTION]: 'cp_exception',
  [TT_DATA_ACCESS_ERROR]: 'data_access_error',
  [TT_DIVISION_BY_ZERO]: 'division_by_zero',
  [TT_DATA_STORE_ERROR]: 'data_store_error',
  [TT_DATA_ACCESS_MMU_MISS]: 'data_access_MMU_miss',
  [TT_INSTRUCTION_ACCESS_MMU_MISS]: 'instruction_access_MMU_miss',
};

/** tt of interrupt_level_`level` (1..15). */
export function interruptTrapType(level: number): number {
  return TT_INTERRUPT_LEVEL_BASE + level;
}

/** tt of `ta n`: 0x80 + the low 7 bits of n (V8 appendix B, "Trap on Integer Condition Codes"). */
export function softwareTrapType(trapNumber: number): number {
  return TT_TRAP_INSTRUCTION_BASE + ((trapNumber >>> 0) & 0x7f);
}

/** The V8 name of a trap type: 'privileged_instruction', 'interrupt_level_10', 'trap_instruction', ... */
export function trapName(tt: number): string {
  // Every trap asks (twice): each of the 256 names is made once, when first asked for.
  if (!(Number.isInteger(tt) && tt >= 0 && tt <= 0xff)) return nameOf(tt);
  return (TRAP_NAMES[tt] ??= nameOf(tt));
}

function nameOf(tt: number): string {
  if (tt >= TT_TRAP_INSTRUCTION_BASE && tt <= 0xff) return 'trap_instruction';
  if (tt > TT_INTERRUPT_LEVEL_BASE && tt < TT_INTERRUPT_LEVEL_BASE + 16) return `interrupt_level_${tt - TT_INTERRUPT_LEVEL_BASE}`;
  const name = NAMES[tt];
  if (name !== undefined) return name;
  // 0x60-0x7F are implementation-dependent exceptions; the rest are reserved in Table 7-1.
  return tt >= 0x60 && tt < 0x80 ? `impl_dependent_exception_0x${tt.toString(16)}` : `reserved_0x${tt.toString(16).padStart(2, '0')}`;
}

const TRAP_NAMES: Array<string | undefined> = [];

/**
 * The arch-neutral class of a trap type. `hypercallTrapType` is the tt of the hypercall
 * Ticc (the ABI's), which is classed 'hypercall' instead of 'software'.
 */
export function trapClass(tt: number, hypercallTrapType?: number): TrapClass {
  if (tt >= TT_TRAP_INSTRUCTION_BASE && tt <= 0xff) return tt === hypercallTrapType ? 'hypercall' : 'software';
  if (tt > TT_INTERRUPT_LEVEL_BASE && tt < TT_INTERRUPT_LEVEL_BASE + 16) return 'interrupt';
  switch (tt) {
    case TT_PRIVILEGED_INSTRUCTION:
      return 'privileged';
    case TT_INSTRUCTION_ACCESS_EXCEPTION:
    case TT_MEM_ADDRESS_NOT_ALIGNED:
    case TT_DATA_ACCESS_EXCEPTION:
    case TT_INSTRUCTION_ACCESS_ERROR:
    case TT_DATA_ACCESS_ERROR:
    case TT_DATA_STORE_ERROR:
    case TT_DATA_ACCESS_MMU_MISS:
    case TT_INSTRUCTION_ACCESS_MMU_MISS:
      return 'memory';
    case TT_ILLEGAL_INSTRUCTION:
    case TT_FP_DISABLED:
    case TT_CP_DISABLED:
    case TT_UNIMPLEMENTED_FLUSH:
      return 'illegal';
    case TT_DIVISION_BY_ZERO:
    case TT_TAG_OVERFLOW:
    case TT_FP_EXCEPTION:
    case TT_CP_EXCEPTION:
      return 'arithmetic';
    default:
      return 'protection';
  }
}
