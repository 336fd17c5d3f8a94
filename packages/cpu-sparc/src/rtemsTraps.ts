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
 *
 * And the fp_disabled entry (tt 0x04) of uniprocessor RTEMS's SPARC_USE_LAZY_FP_SWITCH: an FP
 * instruction of a task whose PSR.EF is 0 (it does not own the FPU) traps; the handler sets
 * EF in the trap window (RDPSR, WRPSR; RETT keeps it) and returns to re-execute the
 * instruction. Moving the FP context (save the owner's f0-f31 + FSR, load the task's, record
 * the new owner) is the executive's part of that handler: cpukit's moveFpu, whose
 * SparcContextPort.switchFp executes the FP instruction that traps here and charges the
 * save and restore. A non-FP task or an ISR never gets here: cpukit refuses them first
 * (fatal ILLEGAL_USE_OF_FLOATING_POINT_UNIT, as RTEMS's handler does).
 */
import { PSR_EF, PSR_ET, PSR_PIL_MASK } from './psr.js';
import type { SparcProcessor } from './sparcProcessor.js';
import type { TrapTable } from './trapTable.js';
import { softwareTrapType, TT_FP_DISABLED } from './trapTypes.js';

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
  table.set(TT_FP_DISABLED, () => {
    // rd %psr; wr %psr with EF: the task's FP instruction runs again, on the FPU.
    processor.wrpsr((processor.rdpsr() | PSR_EF) >>> 0);
    return 'return';
  });
}
