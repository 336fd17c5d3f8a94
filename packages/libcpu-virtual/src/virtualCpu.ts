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
 * | ISR get level          | pushf (IF) / rd %psr (PIL)      | load the `enabled` word                      |
 * | idle                   | HLT / power-down                | IDLE hypercall                               |
 * | vector install         | IDT gate / trap table entry     | handler table + VIRQ_UNMASK                  |
 * | fatal halt             | cli; hlt / error mode           | HM_RAISE + SET_PARTITION_MODE(IDLE)          |
 *
 * Levels are RTEMS's: 0 = interrupts enabled, 1 = disabled. Nothing here executes a
 * privileged instruction: disable/enable/flash/level are plain user-mode loads and stores
 * (XtratuM/Xen style), so they work in any partition and cost a memory access, not a trap.
 */
import type { GuestProcessor } from '@paravirt/machine';
import { ErrorCode, type HypercallClient, PartitionMode, Status, VcpuPage } from '@paravirt/paravirt-api';

export interface VirtualCpuOptions {
  readonly processor: GuestProcessor;
  readonly client: HypercallClient;
  /** Guest address of the registered vCPU page. */
  readonly vcpuPage: number;
}

export class VirtualCpu {
  readonly processor: GuestProcessor;
  readonly client: HypercallClient;
  readonly vcpuPage: number;
  private readonly handlers = new Map<number, () => void>();
  /** VIRQ_DELIVER_PENDING hypercalls made on enable (the only hypercall on the ISR path). */
  deliverRequests = 0;

  constructor(options: VirtualCpuOptions) {
    this.processor = options.processor;
    this.client = options.client;
    this.vcpuPage = options.vcpuPage;
  }

  /** _CPU_ISR_Disable: returns the previous level. */
  isrDisable(): number {
    const level = this.isrGetLevel();
    this.processor.store(this.vcpuPage + VcpuPage.ENABLED, 4, 0);
    return level;
  }

  /** _CPU_ISR_Enable: restores a level returned by isrDisable. */
  isrEnable(level: number): void {
    if (level !== 0) return;
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

  /** _CPU_ISR_Get_level: 0 enabled, 1 disabled. */
  isrGetLevel(): number {
    return this.processor.load(this.vcpuPage + VcpuPage.ENABLED, 4) !== 0 ? 0 : 1;
  }

  /** _CPU_ISR_Set_level. */
  isrSetLevel(level: number): void {
    if (level === 0) this.isrEnable(0);
    else this.isrDisable();
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
