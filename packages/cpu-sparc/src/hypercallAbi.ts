/**
 * The SPARC hypercall calling convention: `ta n` (trap_instruction, tt = 0x80 + n), the
 * hypercall number in %g1, up to six arguments in %o0-%o5, the status in %o0 and a
 * second result word in %o1 (the SPARC ABI's argument and return registers; the caller's
 * outs are the trap window's ins, so a handler reaches them without touching memory).
 *
 * Default software trap: 0x70 (tt 0xF0), the trap XtratuM uses for hypercalls on LEON
 * (XM_HYPERCALL_TRAP). It stays clear of the software traps RTEMS's SPARC port uses
 * (bsps/sparc/shared/start/start.S and cpukit/score/cpu/sparc/include/rtems/score/sparc.h):
 * ta 0 (SPARC_SWTRAP_SYSCALL: exit/halt), ta 3 (flush windows), ta 9 (SPARC_SWTRAP_IRQDIS),
 * ta 10 (SPARC_SWTRAP_IRQEN), ta 11 (SPARC_SWTRAP_IRQDIS_FP), and of Linux's ta 0x10
 * system calls. Those numbers are refused: a native guest's own traps would be taken for
 * hypercalls.
 */
import type { HypercallAbi } from '@paravirt/machine';
import { TT_TRAP_INSTRUCTION_BASE } from './trapTypes.js';

export const SPARC_HYPERCALL_SOFTWARE_TRAP = 0x70;

/**
 * The software traps a kernel may take hypercalls on, the board's default (0x70) first.
 * The second, 0x71 (tt 0xF1), is for a kernel that wants a trap of its own (the AIR-style
 * kernel takes it): in the range the board leaves to hypervisors, next to XtratuM's 0x70,
 * and none of the traps RTEMS's SPARC port issues (0, 3, 9, 10, 11).
 */
export const SPARC_HYPERCALL_SOFTWARE_TRAPS: readonly number[] = Object.freeze([SPARC_HYPERCALL_SOFTWARE_TRAP, 0x71]);

/** Software traps RTEMS's SPARC port uses itself. */
export const RTEMS_SPARC_SOFTWARE_TRAPS: readonly number[] = [0, 3, 9, 10, 11];

export function sparcHypercallAbi(softwareTrap = SPARC_HYPERCALL_SOFTWARE_TRAP): HypercallAbi {
  if (!Number.isInteger(softwareTrap) || softwareTrap < 0 || softwareTrap > 0x7f) {
    throw new RangeError(`a SPARC software trap number is 0..127, got ${softwareTrap}`);
  }
  if (RTEMS_SPARC_SOFTWARE_TRAPS.includes(softwareTrap)) {
    throw new RangeError(`software trap ${softwareTrap} is used by RTEMS's SPARC port itself; pick another for hypercalls`);
  }
  return {
    arch: 'sparc',
    trapNumber: TT_TRAP_INSTRUCTION_BASE + softwareTrap,
    trapInstruction: `ta 0x${softwareTrap.toString(16)}`,
    numberRegister: 'g1',
    argumentRegisters: ['o0', 'o1', 'o2', 'o3', 'o4', 'o5'],
    resultRegister: 'o0',
    extraResultRegisters: ['o1'],
  };
}
