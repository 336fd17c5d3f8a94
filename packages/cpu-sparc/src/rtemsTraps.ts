/**
 * The software-trap handlers RTEMS's SPARC port installs for its own interrupt
 * operations (cpukit/score/cpu/sparc/syscall.S, with the trap-table entries of
 * bsps/sparc/shared/start/start.S), for a native (bare-metal) guest's trap table:
 *
 *   ta 9  (SPARC_SWTRAP_IRQDIS)  %g1 = the PSR at trap entry with ET = 1 (the caller's
 *                                 interrupt level), then PSR.PIL = 15
 *   ta 10 (SPARC_SWTRAP_IRQEN)   PSR.PIL = (%g1 & 0xF00) >> 8
 *   ta 0  (SPARC_SWTRAP_SYSCALL) exit: the handler traps again with traps disabled, which
 *                                 is error mode - how RTEMS halts a SPARC for good
 *
 * Both interrupt handlers change PIL in the trap window and return past the `ta`; the RETT
 * restores S and ET, and the new PIL stays.
 */
import { PSR_ET, PSR_PIL_MASK } from './psr.js';
import type { SparcProcessor } from './sparcProcessor.js';
import type { TrapTable } from './trapTable.js';
import { softwareTrapType } from './trapTypes.js';

export const SPARC_SWTRAP_SYSCALL = 0;
export const SPARC_SWTRAP_IRQDIS = 9;
export const SPARC_SWTRAP_IRQEN = 10;

export function installRtemsSoftwareTraps(table: TrapTable, processor: SparcProcessor): void {
  table.set(softwareTrapType(SPARC_SWTRAP_IRQDIS), () => {
    // IRQDIS_TRAP: mov %psr, %l0; ... or %l0, 0xf00, %l3 / syscall_irqdis: mov %l3, %psr; or %l0, ET, %g1
    const psr = processor.psr;
    processor.wrpsr(psr | PSR_PIL_MASK);
    processor.writeRegister('g1', (psr | PSR_ET) >>> 0);
    return 'return';
  });
  table.set(softwareTrapType(SPARC_SWTRAP_IRQEN), () => {
    // IRQEN_TRAP: andn %l0, 0xf00, %l3 / syscall_irqen: and %g1, 0xf00, %l4; wr %l3, %l4, %psr
    const psr = processor.psr;
    processor.wrpsr(((psr & ~PSR_PIL_MASK) | (processor.readRegister('g1') & PSR_PIL_MASK)) >>> 0);
    return 'return';
  });
  table.set(softwareTrapType(SPARC_SWTRAP_SYSCALL), () => {
    // syscall: `ta 0` again, now with ET = 0.
    processor.ticc(SPARC_SWTRAP_SYSCALL);
    return 'return';
  });
}
