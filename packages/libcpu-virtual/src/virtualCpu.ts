/**
 * The paravirtual variant of RTEMS's libcpu interrupt operations (the 2013 work's
 * `libcpu-virtual`): the same interface as libcpu-native, built on the paravirtualization
 * API instead of privileged instructions.
 *
 * | operation              | native (i386 / SPARC)           | here                                        |
 * |------------------------|---------------------------------|---------------------------------------------|
 * | ISR disable            | pushf; cli  /  ta 9             | store 0 to the vCPU page `enabled` word      |
 * | ISR enable / set level | push; popf  /  ta 10            | store 1; one VIRQ_DELIVER_PENDING hypercall  |
 * |                        |                                 | if a line is pending and unmasked            |
 * | ISR flash              | enable; disable                 | the same, through the page                   |
 * | ISR get level          | pushf (IF) / rd %psr (PIL)      | load the `enabled` word (+ the guest's level)|
 * | idle                   | HLT / power-down                | IDLE hypercall                               |
 * | vector install         | IDT gate / trap table entry     | handler table + VIRQ_UNMASK                  |
 * | vector remove          | IMR / IRQMP mask bit            | VIRQ_MASK, handler dropped                   |
 * | line enable / disable  | IMR / IRQMP mask bit            | VIRQ_UNMASK / VIRQ_MASK, handler kept        |
 * | line enabled / pending | IMR, IRR / IRQMP mask, pending  | load the page's `masked` / `pending` word    |
 * | fatal halt             | cli; hlt / error mode           | HM_RAISE + SET_PARTITION_MODE(IDLE)          |
 *
 * Levels are the architecture's RTEMS levels (its descriptor's `interruptLevels`): 0 =
 * interrupts enabled; the i386 has one more (1: IF clear), SPARC fifteen (PIL 1-15). The
 * vCPU has one virtual interrupt flag, so every level but 0 keeps virtual interrupts off;
 * which level it is stays with the guest - a libcpu variable the hypervisor never sees -
 * so a SPARC task at level 3 reads back 3 (rtems_task_mode), as it does on bare metal.
 * Nothing here executes a privileged instruction: disable/enable/flash/level are plain
 * user-mode loads and stores (XtratuM/Xen style), so they work in any partition and cost
 * a memory access, not a trap.
 */
import type { GuestProcessor, InterruptLevels } from '@paravirt/machine';
import { ErrorCode, type HypercallClient, PartitionMode, Status, VcpuPage } from '@paravirt/paravirt-api';

export interface VirtualCpuOptions {
  readonly processor: GuestProcessor;
  readonly client: HypercallClient;
  /** Guest address of the registered vCPU page. */
  readonly vcpuPage: number;
  /**
   * The architecture's RTEMS interrupt levels (its descriptor's `interruptLevels`; only `max`
   * is read). Default `{ max: 1 }`: one level besides 0, as on the i386.
   */
  readonly interruptLevels?: Pick<InterruptLevels, 'max'>;
}

/** CPU_MODES_INTERRUPT_MASK for levels 0..max: the smallest all-ones mask that holds max (1: 0x1, 15: 0xF). */
function maskFor(max: number): number {
  let mask = 0;
  while (mask < max) mask = mask * 2 + 1;
  return mask;
}

export class VirtualCpu {
  readonly processor: GuestProcessor;
  readonly client: HypercallClient;
  readonly vcpuPage: number;
  /** The highest level (1 on the i386, 15 on SPARC): what isrDisable sets, as `cli` / `ta 9` (PIL 15) do. */
  readonly maxLevel: number;
  /** CPU_MODES_INTERRUPT_MASK of the architecture: 0x1 on the i386, 0xF on SPARC (cpukit's CpuPort.interruptMask). */
  readonly interruptMask: number;
  private readonly handlers = new Map<number, () => void>();
  /**
   * The level while virtual interrupts are off (1..maxLevel): the guest's own copy of what
   * EFLAGS.IF / PSR.PIL would hold. Meaningless while `enabled` is 1; 0 when the kernel
   * turned them off for an upcall (the level then reads maxLevel).
   */
  private disabledLevel = 0;
  /** VIRQ_DELIVER_PENDING hypercalls made on enable (the only hypercall on the ISR path). */
  deliverRequests = 0;

  constructor(options: VirtualCpuOptions) {
    this.processor = options.processor;
    this.client = options.client;
    this.vcpuPage = options.vcpuPage;
    this.maxLevel = Math.max(1, Math.trunc(options.interruptLevels?.max ?? 1));
    this.interruptMask = maskFor(this.maxLevel);
  }

  /**
   * The level `level` selects on this architecture: with one level besides 0 any other
   * value is it (i386 _CPU_ISR_Set_level: `if ( _new_level ) cli`); with more, the low bits
   * (SPARC: PIL = level & 0xF, sparc_set_interrupt_level / isrLevelToPil).
   */
  private levelOf(level: number): number {
    if (this.maxLevel === 1) return level !== 0 ? 1 : 0;
    return (level >>> 0) & this.interruptMask;
  }

  /** _CPU_ISR_Disable: returns the previous level; the level becomes the highest. */
  isrDisable(): number {
    const level = this.isrGetLevel();
    this.processor.store(this.vcpuPage + VcpuPage.ENABLED, 4, 0);
    this.disabledLevel = this.maxLevel;
    return level;
  }

  /** _CPU_ISR_Enable: restores a level returned by isrDisable. */
  isrEnable(level: number): void {
    if (level !== 0) {
      // Still disabled (isrEnable is called with interrupts disabled), at the cookie's level.
      this.disabledLevel = this.levelOf(level);
      return;
    }
    this.disabledLevel = 0;
    this.processor.store(this.vcpuPage + VcpuPage.ENABLED, 4, 1);
    // Something arrived while disabled: one hypercall to have it delivered now.
    const pending = this.processor.load(this.vcpuPage + VcpuPage.PENDING, 4);
    if (pending !== 0 && (pending & ~this.processor.load(this.vcpuPage + VcpuPage.MASKED, 4)) !== 0 && !this.inUpcall()) {
      this.deliverRequests++;
      this.client.deliverPending();
    }
  }

  /** _CPU_ISR_Flash: lets pending interrupts in, then disables again. */
  isrFlash(level: number): void {
    this.isrEnable(level);
    this.isrDisable();
  }

  /**
   * _CPU_ISR_Get_level: 0 when virtual interrupts are enabled, else the guest's level
   * (the highest when the kernel disabled them to enter an upcall).
   */
  isrGetLevel(): number {
    if (this.processor.load(this.vcpuPage + VcpuPage.ENABLED, 4) !== 0) return 0;
    return this.disabledLevel !== 0 ? this.disabledLevel : this.maxLevel;
  }

  /** _CPU_ISR_Set_level: level 0 enables (delivering what is pending); any other disables at that level. */
  isrSetLevel(level: number): void {
    const selected = this.levelOf(level);
    if (selected === 0) {
      this.isrEnable(0);
      return;
    }
    this.isrDisable();
    this.disabledLevel = selected;
  }

  /** True while the hypervisor runs one of our upcalls. */
  inUpcall(): boolean {
    return this.processor.load(this.vcpuPage + VcpuPage.IN_UPCALL, 4) !== 0;
  }

  /** The idle thread's power-down: the rest of the window is not needed. */
  idle(): void {
    this.client.idle();
  }

  /** Installs `handler` for virtual line `line` and unmasks it. Returns false if the line is taken or invalid. */
  vectorInstall(line: number, handler: () => void): boolean {
    if (this.handlers.has(line)) return false;
    if (this.client.unmask(line) !== Status.OK) return false;
    this.handlers.set(line, handler);
    return true;
  }

  /**
   * Masks virtual line `line` (VIRQ_MASK) and drops its handler: bsp_interrupt_vector_disable.
   * Returns false if the line had no handler.
   */
  vectorRemove(line: number): boolean {
    if (!this.handlers.delete(line)) return false;
    this.client.mask(line);
    return true;
  }

  /**
   * bsp_interrupt_vector_is_enabled for virtual line `line`: its bit of the vCPU page's
   * `masked` word is clear (a load from the page, no trap; the word mirrors the kernel's mask).
   */
  lineEnabled(line: number): boolean {
    return ((this.processor.load(this.vcpuPage + VcpuPage.MASKED, 4) >>> line) & 1) === 0;
  }

  /** bsp_interrupt_is_pending for virtual line `line`: its bit of the vCPU page's `pending` word. */
  linePending(line: number): boolean {
    return ((this.processor.load(this.vcpuPage + VcpuPage.PENDING, 4) >>> line) & 1) !== 0;
  }

  /**
   * bsp_interrupt_vector_enable for virtual line `line`: VIRQ_UNMASK, the handler (if any)
   * left as it is; a request latched while the line was masked becomes deliverable. False
   * when the kernel refuses.
   */
  lineUnmask(line: number): boolean {
    return this.client.unmask(line) === Status.OK;
  }

  /** bsp_interrupt_vector_disable for virtual line `line`: VIRQ_MASK, the handler kept. False when the kernel refuses. */
  lineMask(line: number): boolean {
    return this.client.mask(line) === Status.OK;
  }

  /** The handler for `line`, for the upcall dispatcher. */
  handler(line: number): (() => void) | undefined {
    return this.handlers.get(line);
  }

  /** Cumulative overrun count of `line` (raises coalesced while it was pending), from the vCPU page. */
  overruns(line: number): number {
    return this.processor.load(this.vcpuPage + VcpuPage.OVERRUNS + 4 * line, 4);
  }

  /** _CPU_Fatal_halt: tell the health monitor, then stop the partition (does not return). */
  fatalHalt(message: string): void {
    this.isrDisable();
    this.client.hmRaise(ErrorCode.APPLICATION_ERROR, message);
    this.client.setPartitionMode(PartitionMode.IDLE);
  }
}
