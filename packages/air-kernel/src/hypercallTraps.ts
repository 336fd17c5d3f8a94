/**
 * The trap each architecture's guests use to call this kernel (the runner builds the board
 * with it: cpu-i386 `hypercallVector`, cpu-sparc `hypercallSoftwareTrap`).
 *
 * i386: the same mechanism as POK (`int n` through the one DPL-3 interrupt gate, number in
 * EAX) on AIR's own vector, 0x80: clear of the exceptions (0-31, Intel SDM Vol. 3 section
 * 6.3) and of the 8259 PIC vectors the board programs (0x20-0x2F), and distinct from POK's
 * 0x2a so a guest built for one kernel cannot reach the other by accident.
 *
 * SPARC: `ta 0x71` (tt 0xF1). AIR's PMK takes partition system calls on `ta 0` (tt 0x80)
 * and its virtualisation calls on `ta 2` (tt 0x82); both are software traps the SPARC ABI
 * reserves for the system (0 is also RTEMS's own system-call trap, 2 the ABI's software
 * division by zero), where a native guest's own use would be mistaken for a hypercall.
 * 0x71 sits in the range the board leaves to hypervisors, next to XtratuM's 0x70 (this
 * board's default, which POK uses), and is none of the traps RTEMS's SPARC port issues
 * (0, 3, 9, 10, 11).
 */
export const AIR_HYPERCALL_TRAPS = {
  /** i386 interrupt vector of `int 0x80`. */
  i386: 0x80,
  /** SPARC software trap number n of `ta n` (trap type 0x80 + n). */
  sparc: 0x71,
} as const;
