/**
 * bsp-virtualpok: the paravirtual BSP. It brings an RTEMS-style guest up inside a
 * partition of any kernel that implements paravirt-api, and gives the executive its
 * console, clock, interrupts, idle and fatal - all as hypercalls and vCPU page
 * operations. It chooses libcpu-virtual for the interrupt level (this module only chooses
 * implementations, as Effect's back-end packages do); for trap-and-emulate experiments the
 * runner may hand in libcpu-native's operations instead.
 *
 * Start-up (PartitionGuest.boot, in user mode, per the paravirt-api boot protocol):
 *  1. read the memory map from the boot registers, place the vCPU page, upcall entry and
 *     scratch buffer in it (memoryMap.ts), check the API version and INFO_PARTITION;
 *  2. VCPU_REGISTER the page, VIRQ_SET_UPCALL the entry (placed in the partition's
 *     program image), leave virtual interrupts disabled (boot_card runs with them off);
 *  3. build the CPU port (the context half from the architecture descriptor the runner
 *     hands in - cpu-i386's, cpu-sparc's, any other's - at user privilege, plus the
 *     interrupt level) and boot the executive, which installs the clock driver and starts
 *     Init. The BSP never tests an architecture's name: what differs comes from the
 *     descriptor (the context port, the board's interrupt lines).
 *
 * ARINC 653 services (`rtems.apex`): ports, partition and schedule control and application
 * errors as hypercalls (virtualPokPartitionServices.ts), with the PORT_UPDATED line (and,
 * for senders, WINDOW_START) installed when the guest creates its first port.
 *
 * Hardware interrupts: `interruptInstall(vector)` (the first rtems_interrupt_handler_install
 * on a vector) means the board's interrupt line `vector`, exactly as in bsp-native, so an
 * application written for a device on line 5 runs unchanged in a partition. The kernel
 * routes a configured hardware line n to its partition as virtual line HW_BASE + n; the BSP
 * installs the ISR there, unmasks it, and after the ISR acknowledges it with VIRQ_ACK: the
 * end of interrupt a native BSP gives its controller (bsp-native's pc386 writes the 8259A's
 * EOI after the ISR), here asking the hypervisor to let the line's next request through.
 * `interruptRemove(vector)` (the last rtems_interrupt_handler_remove) masks the virtual line
 * again (VIRQ_MASK), as bsp-native masks the controller's line.
 *
 * Interrupt levels: libcpu-virtual keeps the architecture's levels (its descriptor's
 * `interruptLevels`): a SPARC task at level 3 reads back 3 in a partition as on bare metal;
 * any level but 0 keeps the vCPU's one virtual interrupt flag cleared.
 *
 * Clock driver: the virtual timer, periodic at the guest's tick. Each upcall announces
 * 1 + (new overruns) ticks: expiries that happened while the partition was not scheduled
 * were coalesced by the kernel and counted in the vCPU page, so the guest catches up at
 * once and its time stays exact across windows (the "how late is it" problem the 2013
 * work left open).
 */
import type { Application, BspHooks, BspInterruptController, Configuration, CpuContextOperations, CpuInterruptLevel, InterruptDispatch } from '@paravirt/cpukit';
import { composeCpuPort, Executive } from '@paravirt/cpukit';
import { VirtualCpu } from '@paravirt/libcpu-virtual';
import { type Activity, type Architecture, type GuestProcessor, type TraceRecorder, WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import {
  API_VERSION,
  BootRegister,
  ErrorCode,
  HW_LINE_COUNT,
  Hypercall,
  HypercallClient,
  type PartitionGuest,
  type PartitionStart,
  PartitionMode,
  Status,
  VIRTUAL_LINE_COUNT,
  VirtualLine,
} from '@paravirt/paravirt-api';
import { type GuestMemoryMap, guestMemoryMap } from './memoryMap.js';
import { VirtualPokPartitionServices } from './virtualPokPartitionServices.js';

/** The interrupt-level half of a CPU port (libcpu-virtual or libcpu-native). */
export type InterruptLevelOperations = CpuInterruptLevel;

/** The context half of a CPU port (cpu-i386 / cpu-sparc). */
export type ContextOperations = CpuContextOperations;

export interface VirtualPokGuestOptions {
  readonly application: Application;
  /**
   * The architecture the partition runs on (cpu-i386 `i386Architecture`, cpu-sparc
   * `sparcArchitecture`, ...): the context half of the CPU port at user privilege (SPARC:
   * windows flushed by SAVE/RESTORE) and the board's interrupt lines.
   */
  readonly architecture: Architecture;
  readonly start: PartitionStart;
  /** Partition name, for traces. */
  readonly name: string;
  /** Overrides of the application's configuration (the runner's clockTick). */
  readonly configuration?: Partial<Configuration>;
  /** Replace libcpu-virtual's interrupt-level operations (trap-and-emulate experiments). */
  readonly interruptLevel?: (processor: GuestProcessor) => InterruptLevelOperations;
  /** Replace the architecture's context port (tests on the arch-neutral test platform). */
  readonly contextPort?: ContextOperations;
  readonly trace?: TraceRecorder;
  /** The processor's activity words, where the executive names the running thread for the host's watchdog. */
  readonly activity?: Activity;
  readonly now?: () => number;
  /** Where a JS Error a guest threw points in its own source (cpukit ExecutiveOptions.locateThrown). */
  readonly locateThrown?: (stack: string) => string | undefined;
}

export class VirtualPokGuest implements PartitionGuest {
  memory: GuestMemoryMap | undefined;
  client: HypercallClient | undefined;
  cpu: VirtualCpu | undefined;
  /** The ARINC 653 services behind `rtems.apex`. */
  partitionServices: VirtualPokPartitionServices | undefined;
  executive: Executive | undefined;
  /** Ticks announced to the executive, and how many of them were catch-up for missed expiries. */
  ticksAnnounced = 0;
  missedTicks = 0;
  /** Hardware interrupts whose ISR ran, and the VIRQ_ACKs for them the kernel accepted. */
  hardwareInterrupts = 0;
  acknowledged = 0;
  /** Upcalls of a hardware line without an ISR (enabled by rtems_interrupt_vector_enable alone): acknowledged and dropped. */
  unexpectedInterrupts = 0;
  /** Upcalls this guest took, per virtual line: its own count of the interrupts it saw (the kernel's delivery count is the other side). */
  readonly upcalls = new Array<number>(VIRTUAL_LINE_COUNT).fill(0);
  /** Caught interrupts (rtems_interrupt_catch) whose ISR ran from the upcall. */
  caughtInterrupts = 0;
  /**
   * The partition's trap slots of external interrupts taken by rtems_interrupt_catch: virtual
   * line -> cpukit's _ISR_Handler for it. The upcall enters one before the line's BSP handler.
   */
  private readonly caught = new Map<number, () => void>();
  private dispatch: InterruptDispatch | undefined;
  private lastOverruns = 0;
  private announce: ((ticks: number) => void) | undefined;
  private normal = false;
  /** The IDLE thread made its IDLE hypercall and waits in its idle step (quietTimerUpcalls). */
  private idling = false;

  constructor(private readonly options: VirtualPokGuestOptions) {}

  boot(): void {
    const { start, application } = this.options;
    const processor = start.processor;
    const register = (index: number): number => processor.readRegister(start.abi.argumentRegisters[index]!);
    const memory = guestMemoryMap(register(BootRegister.MEMORY_BASE), register(BootRegister.MEMORY_SIZE));
    this.memory = memory;
    const client = new HypercallClient(processor, start.abi, { address: memory.scratch, size: memory.scratchSize }, start.littleEndian);
    this.client = client;
    const version = client.apiVersion();
    if (version.status !== Status.OK || version.value !== API_VERSION) {
      client.hmRaise(ErrorCode.APPLICATION_ERROR, `paravirt API ${version.value ?? 'unknown'} is not ${API_VERSION}`);
      client.setPartitionMode(PartitionMode.IDLE);
      return;
    }
    client.vcpuRegister(memory.vcpuPage);
    start.image.define(memory.upcallEntry, () => this.upcall());
    client.setUpcall(memory.upcallEntry);
    // The architecture's RTEMS interrupt levels (SPARC's 16, the i386's 2), kept by the guest as on bare metal.
    const cpu = new VirtualCpu({ processor, client, vcpuPage: memory.vcpuPage, interruptLevels: this.options.architecture.interruptLevels });
    this.cpu = cpu;
    this.partitionServices = new VirtualPokPartitionServices(client, cpu);
    const level = this.options.interruptLevel?.(processor) ?? cpu;
    const architecture = this.options.architecture;
    // A partition runs in user mode: nothing privileged (SPARC flushes its windows by SAVE/RESTORE).
    const context = this.options.contextPort ?? architecture.contextPort(processor, { privilege: 'user' });
    const cpuPort = composeCpuPort(architecture.name, level, context, (cycles) => processor.charge(cycles));
    this.executive = new Executive({
      cpuPort,
      bsp: this.hooks(),
      application,
      name: this.options.name,
      ...(this.options.configuration ? { configuration: this.options.configuration } : {}),
      ...(this.options.trace ? { trace: this.options.trace } : {}),
      ...(this.options.activity ? { activity: this.options.activity } : {}),
      ...(this.options.locateThrown ? { locateThrown: this.options.locateThrown } : {}),
      // The partition's work area after the BSP's own structures (memoryMap.ts).
      workspaceSize: memory.workspaceSize,
      now: this.options.now ?? (() => 0),
    });
    this.executive.boot();
  }

  next(): number {
    return this.executive ? this.executive.next() : WAIT_FOR_INTERRUPT;
  }

  preempted(remainingCycles: number): void {
    this.executive?.preempted(remainingCycles);
  }

  /**
   * PartitionGuest.quietTimerUpcalls: idle in the IDLE thread's idle step, the clock
   * driver installed (its handler is TIMER's: rtems_interrupt_catch takes only hardware
   * lines), and the executive's next ticks quiet (Executive.quietIdleTicks). Each such upcall is then: ISR, one tick
   * announced (the kernel repeats only upcalls that coalesced nothing, so the overrun count
   * the clock driver reads stays the same), VIRQ_RETURN, the idle step resumes and ends,
   * the next one makes its IDLE hypercall. Reads no guest memory: the kernel asks from its
   * own context.
   */
  quietTimerUpcalls(limit: number): number {
    if (!this.idling || this.announce === undefined || this.executive === undefined || this.dispatch === undefined) return 0;
    return this.executive.quietIdleTicks(limit);
  }

  /** PartitionGuest.creditTimerUpcalls: what `count` upcalls of quietTimerUpcalls would have counted. */
  creditTimerUpcalls(count: number): void {
    this.upcalls[VirtualLine.TIMER]! += count;
    this.ticksAnnounced += count;
    this.executive!.creditIdleTicks(count);
    this.client!.creditCalls(Hypercall.VIRQ_RETURN, count);
    this.client!.creditCalls(Hypercall.IDLE, count);
  }

  /** The virtual interrupt entry: the kernel enters here with the line in the first argument register. */
  private upcall(): void {
    const { start } = this.options;
    const line = start.processor.readRegister(start.abi.argumentRegisters[0]!);
    if (line >= 0 && line < VIRTUAL_LINE_COUNT) this.upcalls[line]!++;
    const caught = this.caught.get(line);
    const handler = this.cpu?.handler(line);
    if (caught && this.dispatch) {
      // A caught external interrupt: its slot enters _ISR_Handler instead of the BSP's
      // dispatch. The LEON3's interrupt acknowledge needs no end of interrupt; in a
      // partition the hypervisor needs VIRQ_ACK to let the line's next request through.
      this.caughtInterrupts++;
      this.dispatch.isr(caught);
      this.client!.ack(line);
    } else if (handler && this.dispatch) this.dispatch.isr(handler);
    else if (line >= VirtualLine.HW_BASE && line < VirtualLine.HW_BASE + HW_LINE_COUNT) {
      // RTEMS's default handler counts it; the end of interrupt still goes to the kernel, as
      // bsp-native's pc386 still sends its EOI, or the line would stay masked for good.
      this.unexpectedInterrupts++;
      this.client!.ack(line);
    }
    this.client!.virqReturn();
  }

  private hooks(): BspHooks {
    return {
      name: 'virtualpok',
      start: (executive) => {
        this.dispatch = executive;
      },
      consoleWrite: (bytes) => {
        this.client!.consoleWrite(bytes);
      },
      clockInitialize: (microsecondsPerTick, announce) => {
        this.announce = announce;
        const cpu = this.cpu!;
        this.lastOverruns = cpu.overruns(VirtualLine.TIMER);
        cpu.vectorInstall(VirtualLine.TIMER, () => this.clockTick());
        const period = microsecondsPerTick * 1000;
        this.client!.timerSet(period, period);
      },
      isInterruptVector: (vector) => isHardwareLine(this.options.architecture, vector),
      interruptInstall: (vector, handler) => this.hardwareInterruptInstall(vector, handler),
      interruptRemove: (vector) => {
        if (isHardwareLine(this.options.architecture, vector)) this.cpu!.vectorRemove(VirtualLine.HW_BASE + vector);
      },
      vectorInstall: (_vector, line, handler) => this.catchLine(line, handler),
      interruptController: this.interruptController(),
      idle: () => this.idleBody(),
      initTaskEnded: () => this.enterNormal(),
      deadlineMissed: (periodId) => {
        this.client!.hmRaise(ErrorCode.DEADLINE_MISSED, `rate monotonic period 0x${periodId.toString(16)} missed its deadline`);
      },
      fatal: (source, code, message) => {
        // The executive's own codes (InternalError 0x100 and up: a guest exception, an invalid
        // configuration, work past the end of time) say what happened in their message.
        const own = source === 'INTERNAL_ERROR_CORE' && code >= 0x100 && message !== undefined;
        this.cpu!.fatalHalt(`RTEMS fatal error: ${source} ${code}${own ? `: ${message}` : ''}`);
      },
      exit: () => {
        this.client!.setPartitionMode(PartitionMode.IDLE);
      },
      partition: this.partitionServices!,
    };
  }

  /**
   * rtems_interrupt_handler_install on the board's hardware line `vector`: false for a
   * line no device can use (the architecture's `interrupts.deviceLines`, as bsp-native
   * answers: not 0, nothing above 15, not the i386 cascade input IRQ 2) or one that
   * already has an ISR.
   *
   * A line the module does not route to this partition can be installed; it never fires.
   * That is what a BSP does on bare metal, where rtems_interrupt_handler_install cannot
   * know whether a device is wired to a controller input, and what a virtualized BSP has
   * to do: the paravirt API tells a guest nothing about routing (it is module
   * configuration, like a board's wiring), and refusing would make the same application
   * fail in one partition and run in another. (Only VIRQ_ACK tells an unrouted line -
   * INVALID_PARAM - and the BSP makes it only after an interrupt of the line.)
   */
  private hardwareInterruptInstall(vector: number, handler: () => void): boolean {
    if (!isHardwareLine(this.options.architecture, vector)) return false;
    const line = VirtualLine.HW_BASE + vector;
    return this.cpu!.vectorInstall(line, () => {
      this.hardwareInterrupts++;
      handler();
      // End of interrupt after the ISR, still inside the ISR bracket, as bsp-native's
      // pc386 sends its EOI: the hypervisor may let the line's next request through.
      if (this.client!.ack(line) === Status.OK) this.acknowledged++;
    });
  }

  /**
   * The trap-table half of _CPU_ISR_install_vector (rtems_interrupt_catch) in a partition,
   * which has no trap table of its own: the kernel takes every trap and delivers interrupts
   * as upcalls. The slot of an external interrupt (`line`, the board's line of the trapped
   * level) is the upcall of virtual line HW_BASE + line: from now on it runs `handler` in
   * place of the BSP's handler of the line (its interruptHandlerInstall dispatch), and
   * acknowledges it. No mask changes, as on bare metal: the line is delivered once it is
   * routed to the partition and unmasked (rtems_interrupt_vector_enable, or a handler
   * installed). A trap that is no external interrupt (synchronous traps, `ta`) goes to the
   * kernel, never to the partition, and so does a line no device can use; the guest's clock
   * is the virtual timer, which has no trap type.
   */
  private catchLine(line: number | undefined, handler: () => void): void {
    if (line === undefined || !isHardwareLine(this.options.architecture, line)) return;
    this.caught.set(VirtualLine.HW_BASE + line, handler);
  }

  /**
   * RTEMS 6's per-vector operations on the board's line `vector`, which is virtual line
   * HW_BASE + vector here (cpukit asks only for a line isInterruptVector accepts):
   *
   * - enable / disable: VIRQ_UNMASK / VIRQ_MASK through libcpu-virtual, the ISR kept (the
   *   hypervisor's mask is the controller's mask bit a native BSP writes);
   * - is enabled / is pending: the line's bit of the vCPU page's `masked` / `pending` word,
   *   the kernel's mirror of its own state (a load, no hypercall);
   * - raise and clear: RTEMS_UNSATISFIED, as RTEMS answers for a controller that cannot.
   *   The paravirt API has no hypercall that raises a virtual line on the caller (VIRQ_SEND
   *   raises an inter-partition line on another partition, where the configuration allows
   *   it) and none that drops a pending request; the `pending` word is the kernel's, a
   *   guest store there changes nothing the kernel delivers (vcpuPage.ts). Forcing a routed
   *   hardware line would also reach past the partition into the module's controller.
   */
  private interruptController(): BspInterruptController {
    const line = (vector: number): number => VirtualLine.HW_BASE + vector;
    return {
      // Masked by the virtual interrupt flag; the kernel clears `pending` when it delivers the
      // upcall (the partition's interrupt acknowledge); the line's signal is the module's
      // wiring, which the API does not tell a guest.
      attributes: () => ({ isMaskable: true, canEnable: true, maybeEnable: true, canDisable: true, maybeDisable: true, clearedByAcknowledge: true }),
      isEnabled: (vector) => this.cpu!.lineEnabled(line(vector)),
      enable: (vector) => this.cpu!.lineUnmask(line(vector)),
      disable: (vector) => this.cpu!.lineMask(line(vector)),
      isPending: (vector) => this.cpu!.linePending(line(vector)),
      raise: () => false,
      clear: () => false,
    };
  }

  /** One iteration of the IDLE thread: the IDLE hypercall gives the rest of the window away. */
  private *idleBody(): Generator<number, void, unknown> {
    this.enterNormal();
    this.cpu!.idle();
    this.idling = true;
    try {
      yield WAIT_FOR_INTERRUPT;
    } finally {
      this.idling = false;
    }
  }

  /**
   * Initialization is over: ARINC 653 NORMAL mode, once per boot, unless the application set
   * it itself. The end of the Init task marks it, as in AIR's generated partition init
   * (air/tools/configurator/air/pos/rtems5/init.c.mako, Init: the entry point runs, then the
   * task deletes itself) and in an ARINC partition whose init process ends by setting NORMAL;
   * an application whose Init task never ends enters NORMAL when it first has nothing to do.
   */
  private enterNormal(): void {
    if (this.normal) return;
    this.normal = true;
    if (this.partitionServices?.normalSet) return;
    this.client!.setPartitionMode(PartitionMode.NORMAL);
  }

  /** Clock ISR: one tick plus every expiry the kernel coalesced while we were not running. */
  private clockTick(): void {
    const overruns = this.cpu!.overruns(VirtualLine.TIMER);
    const missed = (overruns - this.lastOverruns) >>> 0;
    this.lastOverruns = overruns;
    this.missedTicks += missed;
    this.ticksAnnounced += 1 + missed;
    this.announce?.(1 + missed);
  }
}

/** The board's hardware interrupt lines an ISR may use (see hardwareInterruptInstall); the API routes lines below HW_LINE_COUNT. */
function isHardwareLine(architecture: Architecture, vector: number): boolean {
  if (!Number.isInteger(vector) || vector < 1 || vector >= HW_LINE_COUNT) return false;
  return architecture.interrupts.deviceLines.includes(vector);
}

/** The guest factory a kernel calls at every partition start. */
export function virtualPokGuest(options: Omit<VirtualPokGuestOptions, 'start'>): (start: PartitionStart) => VirtualPokGuest {
  return (start) => new VirtualPokGuest({ ...options, start });
}
