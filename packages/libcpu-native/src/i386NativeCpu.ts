/**
 * RTEMS's i386 interrupt, idle, vector and halt operations, executed as the privileged
 * and sensitive instructions RTEMS uses (cpukit/score/cpu/i386: interrupts.h, cpu.h,
 * cpu.c; the pc386 BSP's IDT code). Nothing here reaches around the processor model:
 * at CPL 0 the instructions work, at CPL 3 they fault or misbehave exactly as an 80386
 * does, which is what a separation kernel hosting a native guest has to cope with:
 *
 *   CLI, STI, HLT, LIDT   #GP(0) at CPL > IOPL (CLI/STI) or CPL != 0 (HLT, LIDT)
 *   PUSHF                 never faults; shows the real IF, so a guest sees its CLI failed
 *   POPF                  never faults; at CPL > IOPL it silently leaves IF alone
 *   SIDT                  never faults; shows where the real IDT is
 *
 * The last three are the sensitive-but-unprivileged instructions that make the i386 not
 * classically virtualizable (Popek and Goldberg; Robin and Irvine, USENIX Security 2000).
 */
import { type GateHandler, type I386Processor, type Idt, interruptFlagForIsrLevel, isrLevelOfEflags } from '@paravirt/cpu-i386';
import type { InterruptLevel } from './interruptLevel.js';

/**
 * CPU_MODES_INTERRUPT_MASK of RTEMS's i386 port (cpukit/score/cpu/i386/include/rtems/score/
 * cpu.h: 0x00000001, "interrupt level in mode"): one bit, EFLAGS.IF. A task mode of
 * RTEMS_INTERRUPT_LEVEL(2) is level 2 & 0x1 = 0 there: interrupts enabled.
 */
export const I386_INTERRUPT_MASK = 0x1;

export class I386NativeCpu implements InterruptLevel {
  readonly arch = 'i386';
  readonly interruptMask = I386_INTERRUPT_MASK;

  constructor(readonly processor: I386Processor) {}

  /**
   * i386_disable_interrupts (score/cpu/i386 interrupts.h): `pushf; cli; pop level`. The
   * cookie is the whole EFLAGS image, IF included.
   */
  isrDisable(): number {
    const eflags = this.processor.pushf();
    this.processor.cli();
    return eflags;
  }

  /** i386_enable_interrupts: `push level; popf`, restoring IF from the cookie. */
  isrEnable(level: number): void {
    this.processor.popf(level);
  }

  /** i386_flash_interrupts: `push level; popf; cli`. */
  isrFlash(level: number): void {
    this.processor.popf(level);
    this.processor.cli();
  }

  /** i386_get_interrupt_level: `pushf; pop`, then 0 if IF is set, 1 if not. */
  isrGetLevel(): number {
    return isrLevelOfEflags(this.processor.pushf());
  }

  /** _CPU_ISR_Set_level (score/cpu/i386 cpu.h): `cli` for any level but 0, `sti` for 0. */
  isrSetLevel(level: number): void {
    if (interruptFlagForIsrLevel(level)) this.processor.sti();
    else this.processor.cli();
  }

  /** One turn of _CPU_Thread_Idle_body (score/cpu/i386 cpu.c): `hlt` until an interrupt. */
  idle(): void {
    this.processor.hlt();
  }

  /**
   * Installs `handler` behind an interrupt gate (DPL 0, present) at `vector` of `idt`, the
   * way the pc386 BSP's i386_set_idt_entry does: with interrupts disabled, write the
   * 8-byte descriptor (two 32-bit stores), and make sure the processor uses that table.
   * RTEMS finds the loaded table with SIDT (i386_get_info_from_IDTR); only a table that
   * is not the loaded one needs LIDT (i386_set_IDTR). A handler returns 'return' to IRET.
   */
  vectorInstall(idt: Idt, vector: number, handler: GateHandler): void {
    const processor = this.processor;
    const level = this.isrDisable();
    idt.set(vector, { kind: 'interrupt', dpl: 0, present: true, handler });
    processor.charge(2 * processor.costs.memoryAccess);
    if (this.sidt() !== idt) processor.lidt(idt);
    this.isrEnable(level);
  }

  /**
   * _CPU_Fatal_halt (score/cpu/i386 cpu.h): `cli; movl error, %eax; hlt`. With IF clear
   * nothing wakes the processor again; the error code stays in EAX for a debugger. RTEMS
   * passes only the error code, not the fatal source.
   */
  fatalHalt(_source: number, code: number): void {
    const processor = this.processor;
    processor.cli();
    processor.writeRegister('eax', code);
    processor.hlt();
  }

  /**
   * SIDT: stores the IDTR at any privilege level without faulting (Intel SDM Vol. 2,
   * "SIDT"; sensitive, not privileged). The processor model has no SIDT instruction, so
   * its cost is charged here and the loaded table read from the model.
   */
  private sidt(): Idt | undefined {
    this.processor.charge(this.processor.costs.privilegedInstruction);
    return this.processor.idt;
  }
}
