/**
 * The thread-context half of cpukit's CpuPort for the i386 (docs/guest-interfaces.md):
 * RTEMS's i386 Context_Control holds EFLAGS, ESP, EBP, EBX, ESI and EDI, the registers
 * the System V i386 ABI makes callee-saved plus the flags (cpukit/score/cpu/i386,
 * _CPU_Context_switch). The switch saves them from the processor into the executing
 * thread's context and loads the heir's.
 *
 * IF is deliberately not restored: cpukit restores the heir's interrupt level through
 * libcpu after the switch, because a POPF at CPL 3 would silently keep IF anyway. Only
 * the flags any POPF may change (status flags, TF, DF) travel with the thread.
 */
import { EFLAGS_IF, EFLAGS_RESERVED_1 } from './eflags.js';
import type { I386Processor } from './i386Processor.js';

/** RTEMS's initial EFLAGS for a thread (CPU_EFLAGS_INTERRUPTS_ON / _OFF: IOPL 3, bit 1, IF per level). */
export const CPU_EFLAGS_INTERRUPTS_ON = 0x0000_3202;
export const CPU_EFLAGS_INTERRUPTS_OFF = 0x0000_3002;
/** RTEMS CPU_STACK_ALIGNMENT for i386. */
export const I386_STACK_ALIGNMENT = 16;

/** RTEMS i386 Context_Control. */
export interface I386Context {
  readonly arch: 'i386';
  eflags: number;
  esp: number;
  ebp: number;
  ebx: number;
  esi: number;
  edi: number;
}

const SAVED_REGISTERS = ['esp', 'ebp', 'ebx', 'esi', 'edi'] as const;

export class I386ContextPort {
  constructor(readonly processor: I386Processor) {}

  /**
   * RTEMS i386 without SSE: CPU_HARDWARE_FP with CPU_USE_DEFERRED_FP_SWITCH (cpu.h), so the
   * FPU changes owner at the dispatch of an FP task that does not hold it: FSAVE of the
   * owner's 108-byte 387 state, FRSTOR of the heir's (_CPU_Context_save_fp /
   * _CPU_Context_restore_fp). Neither is privileged (CR0.TS and EM stay clear), so it is the
   * same at CPL 3 in a partition. The FPU registers are not modelled as data: the switch is
   * its cost.
   */
  readonly floatingPoint = {
    switchAt: 'dispatch' as const,
    switchFp: (owner: I386Context | undefined, heir: I386Context): void => {
      if (heir.arch !== 'i386' || (owner !== undefined && owner.arch !== 'i386')) throw new RangeError(`i386 FP context switch given ${owner?.arch ?? 'none'} -> ${heir.arch} contexts`);
      const processor = this.processor;
      if (owner !== undefined) processor.charge(processor.costs.fpContextSave);
      processor.charge(processor.costs.fpContextRestore);
    },
  };

  /**
   * _CPU_Context_Initialize: EFLAGS from the interrupt level, ESP at the aligned top of
   * the stack area less room for the entry point's return address, EBP 0. Guest threads
   * are generators, so the stack area is optional and only sets these two numbers.
   */
  contextInitialize(isrLevel: number, stackBase = 0, stackSize = 0): I386Context {
    let esp = 0;
    if (stackSize > 0) {
      const top = (stackBase + stackSize) & ~(I386_STACK_ALIGNMENT - 1);
      esp = (top - 2 * 4) >>> 0;
    }
    return {
      arch: 'i386',
      eflags: isrLevel === 0 ? CPU_EFLAGS_INTERRUPTS_ON : CPU_EFLAGS_INTERRUPTS_OFF,
      esp,
      ebp: 0,
      ebx: 0,
      esi: 0,
      edi: 0,
    };
  }

  /** _CPU_Context_switch: save into `executing`, restore from `heir`; charges threadContextSwitch. */
  contextSwitch(executing: I386Context, heir: I386Context): void {
    if (executing.arch !== 'i386' || heir.arch !== 'i386') {
      throw new RangeError(`i386 context switch given ${executing.arch} -> ${heir.arch} contexts`);
    }
    const processor = this.processor;
    processor.charge(processor.costs.threadContextSwitch);
    // The PUSHF/POPF pair of the real switch is part of threadContextSwitch.
    executing.eflags = (processor.eflags | EFLAGS_RESERVED_1) >>> 0;
    for (const name of SAVED_REGISTERS) executing[name] = processor.readRegister(name);
    for (const name of SAVED_REGISTERS) processor.writeRegister(name, heir[name]);
    processor.restoreStatusFlags(heir.eflags & ~EFLAGS_IF);
  }
}
