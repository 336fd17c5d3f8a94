/**
 * The SPARC half of cpukit's CpuPort: thread contexts and the context switch (RTEMS
 * cpukit/score/cpu/sparc/cpu_asm.S, _CPU_Context_switch; docs/guest-interfaces.md).
 *
 * A SPARC context is the PSR, the current window's registers, the globals and the stack
 * the thread's windows spill to. A switch must first put every live window of the
 * executing thread on its stack. Two strategies:
 *
 *  - 'privileged' (native RTEMS): RDPSR, WRPSR to disable traps, RDWIM, store each valid
 *    window older than the current one, WRPSR to restore CWP, WRWIM so only the current
 *    window is valid, then WRPSR with the heir's PSR (its PIL and icc, the current CWP).
 *    Fast, but in user mode the first RDPSR raises privileged_instruction.
 *  - 'save-restore': NWINDOWS - 1 SAVEs then as many RESTOREs. The SAVEs overflow once
 *    per valid window (the supervisor's spill handler stores each) and the last RESTORE
 *    underflows to bring the current window back: it works in user mode, at the price
 *    of those traps. The PSR is not touched (WRPSR is privileged); the executive restores
 *    the heir's interrupt level itself (docs/guest-interfaces.md).
 *
 * Either way the switch charges threadContextSwitch for saving and loading the current
 * window and globals; window spills and traps are charged where they happen.
 */
import { NWINDOWS, PSR_CWP_MASK, PSR_EF, PSR_ET, PSR_PIL_SHIFT, PSR_PS, PSR_S, LEON3_PSR_IMPL, LEON3_PSR_VER, PSR_IMPL_SHIFT, PSR_VER_SHIFT } from './psr.js';
import { isrLevelToPil } from './isrLevel.js';
import type { RegisterSnapshot, SparcProcessor } from './sparcProcessor.js';
import { WindowStack } from './windowStack.js';

export type WindowFlushStrategy = 'privileged' | 'save-restore';

export interface SparcContextPortOptions {
  readonly windowFlush: WindowFlushStrategy;
}

/** RTEMS Context_Control for SPARC, as far as the model keeps it. */
export interface SparcContext {
  readonly arch: 'sparc';
  /** The thread's PSR (PIL = its interrupt level); only the 'privileged' strategy writes it back. */
  psr: number;
  /** The current window and globals saved at the last switch away from the thread. */
  registers: RegisterSnapshot;
  /** The stack the thread's windows spill to (restored with %sp on every switch). */
  windowStack: WindowStack;
}

export class SparcContextPort {
  readonly windowFlush: WindowFlushStrategy;
  private contexts = 0;

  constructor(
    readonly processor: SparcProcessor,
    options: SparcContextPortOptions,
  ) {
    if (options.windowFlush !== 'privileged' && options.windowFlush !== 'save-restore') {
      throw new RangeError(`windowFlush must be 'privileged' or 'save-restore', got ${String(options.windowFlush)}`);
    }
    this.windowFlush = options.windowFlush;
    this.floatingPoint = {
      switchAt: this.windowFlush === 'privileged' ? 'first-use' : 'dispatch',
      switchFp: (owner, heir) => this.switchFp(owner, heir),
      use: () => void this.processor.fpop(),
    };
  }

  /**
   * The FP context of RTEMS_FLOATING_POINT tasks: f0-f31 and the FSR (_CPU_Context_save_fp:
   * 16 STD + STFSR; _CPU_Context_restore_fp: 16 LDD + LDFSR). The FPU registers are not
   * modelled as data: the switch is its cost.
   *
   *  - 'privileged' (bare metal): RTEMS 6's SPARC_USE_LAZY_FP_SWITCH. PSR.EF is 0 for a task
   *    that does not own the FPU; its first FP instruction raises fp_disabled (tt 0x04) for
   *    real on the processor, whose handler (installRtemsSoftwareTraps: trap entry and exit,
   *    RDPSR/WRPSR to set EF in the task's PSR) lets it run; the owner's registers are saved
   *    and the task's loaded, and the old owner's saved PSR loses EF, so it traps again when
   *    it next uses the FPU.
   *  - 'save-restore' (a partition): PSR.EF is privileged, so the guest cannot turn the FPU
   *    on and off per task; the partition's FPU is the kernel's to enable
   *    (docs/privileged-operations.md row 27) and the guest switches FP contexts at the
   *    dispatch of an FP task that does not own it (CPU_USE_DEFERRED_FP_SWITCH), with
   *    unprivileged STDF/LDDF. Those, and every `fpCompute` (`use`), are FP instructions
   *    on the processor (SparcProcessor.fpop): while the kernel has not enabled the
   *    partition's FPU, the first of them raises fp_disabled into the kernel, which enables
   *    it (or declares an error of a partition that may not use it) and retries it.
   */
  readonly floatingPoint: {
    readonly switchAt: 'dispatch' | 'first-use';
    switchFp(owner: SparcContext | undefined, heir: SparcContext): void;
    /** The executing FP task, owner of the FPU, performs FP work (`fpCompute`): one FP instruction on the processor. */
    use?(): void;
  };

  private switchFp(owner: SparcContext | undefined, heir: SparcContext): void {
    if (heir.arch !== 'sparc' || (owner !== undefined && owner.arch !== 'sparc')) throw new RangeError(`SPARC FP context switch given ${owner?.arch ?? 'none'} -> ${heir.arch} contexts`);
    const cpu = this.processor;
    if (this.windowFlush === 'privileged') {
      // The task's FP instruction meets EF = 0: fp_disabled into RTEMS's handler (entry,
      // RDPSR + WRPSR with EF, exit: rtemsTraps.ts), then it runs. The previous owner's
      // saved PSR loses EF: it no longer owns the FPU.
      cpu.fpop('fpop');
      if (owner !== undefined) owner.psr = (owner.psr & ~PSR_EF) >>> 0;
    } else {
      // 'save-restore': the first STDF (or LDDF) is the FP instruction that meets PSR.EF;
      // the kernel's fp_disabled handler enables the partition's FPU and it runs again.
      cpu.fpop(owner !== undefined ? 'std %f0' : 'ldd %f0');
    }
    if (owner !== undefined) cpu.charge(cpu.costs.fpContextSave);
    cpu.charge(cpu.costs.fpContextRestore);
  }

  /**
   * _CPU_Context_Initialize: a fresh thread with PSR.PIL = `isrLevel`. The 'privileged'
   * port starts from the current PSR as RTEMS does (RDPSR: it traps in user mode); the
   * 'save-restore' port composes it without reading the PSR.
   */
  contextInitialize(isrLevel: number): SparcContext {
    const pil = isrLevelToPil(isrLevel);
    // EF clear: a new thread does not own the FPU (lazy FP switch; in a partition EF is the kernel's).
    const base =
      this.windowFlush === 'privileged'
        ? this.processor.rdpsr() & ~PSR_EF
        : (LEON3_PSR_IMPL << PSR_IMPL_SHIFT) | (LEON3_PSR_VER << PSR_VER_SHIFT) | (this.processor.mode === 'supervisor' ? PSR_S | PSR_PS : 0) | PSR_ET;
    const psr = ((base & ~(0xf << PSR_PIL_SHIFT) & ~PSR_CWP_MASK) | (pil << PSR_PIL_SHIFT) | PSR_ET) >>> 0;
    this.contexts++;
    return {
      arch: 'sparc',
      psr,
      registers: { globals: new Array<number>(7).fill(0), window: new Array<number>(24).fill(0), y: 0, icc: 0 },
      windowStack: new WindowStack(`thread${this.contexts}`),
    };
  }

  /** _CPU_Context_switch: flush the executing thread's windows, save its window, load the heir's. */
  contextSwitch(executing: SparcContext, heir: SparcContext): void {
    const cpu = this.processor;
    cpu.charge(cpu.costs.threadContextSwitch);
    if (this.windowFlush === 'privileged') this.flushPrivileged(executing, heir);
    else this.flushBySaveRestore();
    executing.registers = cpu.captureRegisters();
    executing.windowStack = cpu.windowStack;
    cpu.windowStack = heir.windowStack;
    cpu.loadThreadRegisters(heir.registers);
  }

  private flushPrivileged(executing: SparcContext, heir: SparcContext): void {
    const cpu = this.processor;
    const psr = cpu.rdpsr();
    executing.psr = psr;
    const cwp = psr & PSR_CWP_MASK;
    cpu.wrpsr(psr & ~PSR_ET);
    cpu.rdwim();
    cpu.spillOlderWindows();
    cpu.wrpsr(psr & ~PSR_ET);
    cpu.wrwim(1 << ((cwp + 1) % NWINDOWS));
    cpu.wrpsr(((heir.psr & ~PSR_CWP_MASK) | cwp | PSR_ET) >>> 0);
  }

  private flushBySaveRestore(): void {
    const cpu = this.processor;
    for (let i = 0; i < NWINDOWS - 1; i++) cpu.save();
    for (let i = 0; i < NWINDOWS - 1; i++) cpu.restore();
  }
}
