/**
 * The trap guests use to call this kernel, on any architecture: the architecture's second
 * hypercall trap (machine's `Architecture.hypercalls.traps[1]`: cpu-i386 `int 0x80`,
 * cpu-sparc `ta 0x71`), the one each architecture sets aside for a kernel that wants a
 * trap of its own, so a guest built for the POK-style kernel (the board's default trap)
 * cannot reach this one by accident. The runner builds the board with it.
 *
 * Not AIR's own SPARC traps: AIR's PMK takes partition system calls on `ta 0` (tt 0x80)
 * and its virtualisation calls on `ta 2` (tt 0x82); both are software traps the SPARC ABI
 * reserves for the system (0 is also RTEMS's own system-call trap, 2 the ABI's software
 * division by zero), where a native guest's own use would be mistaken for a hypercall.
 *
 * The choice is by position in the descriptor's list, never by architecture name, so a
 * new architecture needs nothing here.
 */
import type { Architecture } from '@paravirt/machine';

/** Where in an architecture's `hypercalls.traps` this kernel's trap is. */
const AIR_TRAP_INDEX = 1;

/** The hypercall trap of this kernel on `architecture`, in the board's terms; undefined if the architecture offers only its default trap. */
export function airHypercallTrap(architecture: Pick<Architecture, 'hypercalls'>): number | undefined {
  return architecture.hypercalls.traps[AIR_TRAP_INDEX];
}
