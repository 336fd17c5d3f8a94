/**
 * RTEMS's SPARC interrupt, idle, vector and halt operations, executed as the
 * instructions RTEMS uses on a LEON3 (cpukit/score/cpu/sparc: sparc.h, cpu.h,
 * syscall.S, the trap-slot installer; the leon3 BSP's idle and fatal-halt code).
 *
 * Interrupt disable and enable are not instructions but software traps: `ta 9`
 * (SPARC_SWTRAP_IRQDIS) and `ta 10` (SPARC_SWTRAP_IRQEN), whose handlers in the trap
 * table the BSP installed raise or restore PSR.PIL. The trap goes wherever TBR points:
 * on bare metal to the BSP's table, inside a partition to the kernel's, which is why a
 * SPARC kernel can trap and emulate them. The state registers (RDPSR, WRPSR, RDTBR,
 * WRTBR) and the LEON3 power-down are privileged: in user mode they raise
 * privileged_instruction (tt 0x03) without doing anything.
 */
import {
  MAX_INTERRUPT_LEVEL,
  NWINDOWS,
  PSR_CWP_MASK,
  PSR_ET,
  SPARC_SWTRAP_IRQDIS,
  SPARC_SWTRAP_IRQEN,
  SPARC_SWTRAP_SYSCALL,
  type SparcProcessor,
  type TrapHandler,
  type TrapTable,
  TT_INTERRUPT_LEVEL_BASE,
  TT_WINDOW_OVERFLOW,
  TT_WINDOW_UNDERFLOW,
  interruptTrapType,
  isrLevelOfPsr,
  isrLevelToPil,
  psrWithPil,
} from '@paravirt/cpu-sparc';
import type { TrapOutcome } from '@paravirt/machine';
import type { InterruptLevel } from './interruptLevel.js';

/** The exit system call number RTEMS's sparc_syscall_exit puts in %g1 (SYS_exit). */
export const SPARC_SYSCALL_EXIT = 1;

/** Words in one trap-table slot (V8 chapter 7: 16 bytes per trap type). */
const TRAP_SLOT_WORDS = 4;

/**
 * CPU_MODES_INTERRUPT_MASK of RTEMS's SPARC port (cpukit/score/cpu/sparc/include/rtems/score/
 * cpu.h: 0x0000000F, "The SPARC has 16 interrupt levels in the PIL field of the PSR").
 */
export const SPARC_INTERRUPT_MASK = 0xf;

export class SparcNativeCpu implements InterruptLevel {
  readonly arch = 'sparc';
  readonly interruptMask = SPARC_INTERRUPT_MASK;

  constructor(readonly processor: SparcProcessor) {}

  /**
   * sparc_disable_interrupts (score/cpu/sparc sparc.h): `ta SPARC_SWTRAP_IRQDIS`; the
   * handler returns the caller's PSR in %g1 (the cookie) and sets PIL to 15.
   */
  isrDisable(): number {
    this.processor.ticc(SPARC_SWTRAP_IRQDIS);
    return this.processor.readRegister('g1');
  }

  /** sparc_enable_interrupts: %g1 = cookie, `ta SPARC_SWTRAP_IRQEN`; the handler restores PIL from it. */
  isrEnable(level: number): void {
    this.processor.writeRegister('g1', level);
    this.processor.ticc(SPARC_SWTRAP_IRQEN);
  }

  /** sparc_flash_interrupts: enable with the cookie, then disable again (two traps). */
  isrFlash(level: number): void {
    this.isrEnable(level);
    this.isrDisable();
  }

  /** sparc_get_interrupt_level (_CPU_ISR_Get_level): RDPSR, the PIL field. */
  isrGetLevel(): number {
    return isrLevelOfPsr(this.processor.rdpsr());
  }

  /**
   * sparc_set_interrupt_level (sparc.h): RDPSR, replace PIL, WRPSR. RTEMS's own
   * _CPU_ISR_Set_level goes through `ta 10` with %g1 = level << 8 instead; both end with
   * PIL = level, and this form keeps WRPSR on the path a trap-and-emulate kernel sees.
   */
  isrSetLevel(level: number): void {
    const psr = this.processor.rdpsr();
    this.processor.wrpsr(psrWithPil(psr, isrLevelToPil(level)));
  }

  /** One turn of the LEON3 idle thread (leon3 bspidle): `wr %g0, %asr19`, power down until an interrupt. */
  idle(): void {
    this.processor.powerDown();
  }

  /** start.S: `wr %g1, %tbr` makes the trap table at `base` the one traps go through. */
  selectTrapTable(base: number): void {
    this.processor.wrtbr(base);
  }

  /**
   * _CPU_ISR_install_raw_handler (score/cpu/sparc): RDTBR to find the trap table, then
   * copy the four-instruction slot template (`mov %psr, %l0; sethi %hi(handler), %l4;
   * jmp %l4 + %lo(handler); mov vector, %l3`) into entry `tt`. The slot is written into
   * `table`, the BSP's own table image; in user mode RDTBR has already trapped, and a
   * table a kernel installed is never touched.
   */
  installRawHandler(table: TrapTable, tt: number, handler: TrapHandler): void {
    const processor = this.processor;
    processor.rdtbr();
    table.set(tt, handler);
    processor.charge(TRAP_SLOT_WORDS * processor.costs.memoryAccess);
  }

  /**
   * _CPU_ISR_install_vector for interrupt_level_`level` (tt 0x10 + level): the slot
   * enters RTEMS's _ISR_Handler (score/cpu/sparc cpu_asm.S), which calls `isr`.
   */
  vectorInstall(table: TrapTable, level: number, isr: (level: number) => void): void {
    if (!Number.isInteger(level) || level < 1 || level > MAX_INTERRUPT_LEVEL) throw new RangeError(`SPARC interrupt levels are 1..15, got ${level}`);
    this.installRawHandler(table, interruptTrapType(level), () => this.isrHandler(level, isr));
  }

  /**
   * _CPU_ISR_install_vector (score/cpu/sparc/sparc-isr-install.c) for any trap: the slot of
   * trap type `vector & 0xFF` (SPARC_REAL_TRAP_NUMBER; `vector` may carry the port's
   * synchronous-trap bit 0x100) enters _ISR_Handler, which calls `isr`. _ISR_Handler sets
   * PIL to the trap's level for the external interrupts 0x11..0x1F and to 15 for every other
   * trap (sparc-isr-handler.S, "dont_fix_pil"). False, and nothing written, for a slot the
   * model does not let software replace: reset (0) and the window overflow / underflow
   * traps, whose handlers the processor model runs itself. (The synchronous bit's return
   * past the trapping instruction is not modelled: no synchronous trap of this simulator
   * reaches a caught slot but `ta`, whose handlers return past it anyway.)
   */
  installVector(table: TrapTable, vector: number, isr: () => void): boolean {
    const tt = vector & 0xff;
    if (tt === 0 || tt === TT_WINDOW_OVERFLOW || tt === TT_WINDOW_UNDERFLOW) return false;
    const external = tt > TT_INTERRUPT_LEVEL_BASE && tt <= TT_INTERRUPT_LEVEL_BASE + MAX_INTERRUPT_LEVEL;
    const level = external ? tt - TT_INTERRUPT_LEVEL_BASE : MAX_INTERRUPT_LEVEL;
    this.installRawHandler(table, tt, () => this.isrHandler(level, () => isr()));
    return true;
  }

  /**
   * _CPU_Fatal_halt on LEON3 (sparc_syscall_exit): %g1 = SYS_exit, %g2 = fatal source,
   * %g3 = error code, `ta SPARC_SWTRAP_SYSCALL`. RTEMS's handler traps again with traps
   * disabled, which puts the processor in error mode for good (the simulator or debugger
   * reads the codes from %g1-%g3).
   */
  fatalHalt(source: number, code: number): void {
    const processor = this.processor;
    processor.writeRegister('g1', SPARC_SYSCALL_EXIT);
    processor.writeRegister('g2', source);
    processor.writeRegister('g3', code);
    processor.ticc(SPARC_SWTRAP_SYSCALL);
  }

  /**
   * RTEMS's _ISR_Handler (score/cpu/sparc cpu_asm.S) around one interrupt:
   *  1. if the trap landed in the invalid window (every other window holds live
   *     registers), make room before traps are enabled, or a nested trap's RETT would
   *     return into an invalid window: error mode. RTEMS stores the one window below;
   *     the model's kernel-side spill stores every older one (same invariant, more
   *     windowSpill when it happens, which needs all windows in use);
   *  2. PIL = the interrupt's level and traps enabled (ET = 1): the ISR may trap (`ta 9`
   *     / `ta 10` from the directives it calls) and higher levels could nest;
   *  3. the ISR; then the PSR of trap entry back (ET = 0, the interrupted PIL) before
   *     the RETT the processor performs.
   * The PSR the slot's `mov %psr, %l0` saved is read from the model: that instruction's
   * cost is part of trapEntry.
   */
  private isrHandler(level: number, isr: (level: number) => void): TrapOutcome {
    const processor = this.processor;
    const psr = processor.psr;
    const wim = processor.rdwim();
    if ((wim & (1 << (psr & PSR_CWP_MASK))) !== 0) {
      processor.spillOlderWindows();
      processor.wrwim(1 << ((processor.interruptedWindow + 1) % NWINDOWS));
    }
    processor.wrpsr((psrWithPil(psr, level) | PSR_ET) >>> 0);
    isr(level);
    processor.wrpsr(psr);
    return 'return';
  }
}
