/**
 * RTEMS `Context_Control`, opaque to cpukit: whatever the architecture port keeps per
 * thread (i386: EFLAGS, ESP, EBP, EBX, ESI, EDI; SPARC: PSR, windows, %g/%l/%i/%o).
 *
 * cpukit never looks inside a context. It asks the CpuPort for one per thread
 * (`contextInitialize`) and hands two of them back on every switch (`contextSwitch`).
 * The `arch` tag lets a port check that it was given one of its own contexts.
 */
export interface CpuContext {
  readonly arch: string;
}
