/**
 * The bare-metal BSP of the simulated LEON3, after RTEMS's leon3: the guest runs in
 * supervisor mode with its own trap table and drives the GRLIB devices through loads and
 * stores in the APB window (supervisor-only), every access an instruction of the
 * processor model, so it costs what it costs on the hardware.
 *
 *   image          trap_table at the start of RAM (start.S): every entry a BAD_TRAP that
 *                  ends in an RTEMS fatal error, RTEMS's `ta 0` / `ta 9` / `ta 10`
 *                  handlers (syscall.S), the window traps the processor's standard ones
 *   start.S        WRTBR to trap_table, then traps on with PIL 15 before boot_card
 *   bsp_start      _ISR_Handler on interrupt_level_1..15 (libcpu-native), IRQMP with
 *                  every line masked and nothing pending, APBUART transmitter on
 *   clock          GPTIMER prescaler for 1 MHz ticks, timer 1 reload = microseconds per
 *                  tick - 1, EN RS LD IE, IRQ 8
 *   interrupts     interrupt level n = IRQMP line n, unmasked when an ISR is installed;
 *                  no end of interrupt: the processor's interrupt acknowledge clears
 *                  the pending bit (GRLIB IP Core User's Manual, IRQMP)
 *   idle / fatal   power-down / `ta 0` into error mode (libcpu-native)
 */
import {
  APBUART_CONTROL,
  APBUART_CTRL_RE,
  APBUART_CTRL_TE,
  APBUART_DATA,
  APBUART_STATUS,
  APBUART_STATUS_TE,
  GPTIMER_CTRL_EN,
  GPTIMER_MAX_PERIOD_TICKS,
  GPTIMER_CTRL_IE,
  GPTIMER_CTRL_LD,
  GPTIMER_CTRL_RS,
  GPTIMER_SCALER_RELOAD,
  GPTIMER_SCALER_VALUE,
  IRQMP_CLEAR,
  IRQMP_FORCE,
  IRQMP_MASK,
  IRQMP_PENDING,
  IRQMP_PROCESSOR_FORCE,
  LEON3_APBUART_BASE,
  LEON3_GPTIMER_BASE,
  LEON3_IRQMP_BASE,
  type Leon3Board,
  MAX_INTERRUPT_LEVEL,
  sparcArchitecture,
  PSR_ET,
  PSR_PIL_MASK,
  TrapTable,
  gptimerTimerOffset,
  installRtemsSoftwareTraps,
} from '@paravirt/cpu-sparc';
import type { InterruptAttributes } from '@paravirt/cpukit';
import { SparcNativeCpu } from '@paravirt/libcpu-native';
import type { TrapInfo, TrapOutcome, Uart } from '@paravirt/machine';
import { NativeBsp, type NativeBspArchitecture } from './nativeBsp.js';

/** Where the boot image, and so trap_table, starts: the beginning of RAM (TBA must be 4 KiB aligned). */
export const LEON3_TRAP_TABLE_BASE = 0x0000_0000;
/** The GPTIMER timer of the clock driver: the first one (RTEMS's LEON3_CLOCK_INDEX 0), on IRQ 8. */
export const LEON3_CLOCK_TIMER = 1;
/** IRQMP lines 15..1 (bit 0 is reserved). */
const IRQMP_LINES = 0xfffe;

/** The GPTIMER scaler reload that turns the APB clock into 1 MHz timer ticks (exact when the clock is a whole number of MHz). */
export function leon3PrescalerReload(frequencyHz: number): number {
  return Math.max(1, Math.round(frequencyHz / 1_000_000)) - 1;
}

/**
 * Why the leon3 clock driver cannot tick every `microsecondsPerTick`, or undefined: timer 1
 * counts 1 MHz ticks with a 32-bit reload register (reload = us - 1).
 */
export function leon3ClockProblem(microsecondsPerTick: number): string | undefined {
  if (!Number.isSafeInteger(microsecondsPerTick) || microsecondsPerTick < 1) return `microseconds per tick must be a whole number of at least 1, got ${microsecondsPerTick}`;
  if (microsecondsPerTick > GPTIMER_MAX_PERIOD_TICKS) return `${microsecondsPerTick}us is longer than the leon3 clock can tick: the GPTIMER's 32-bit reload register counts at most ${GPTIMER_MAX_PERIOD_TICKS} 1 MHz ticks`;
  return undefined;
}

export class Leon3Bsp extends NativeBsp {
  readonly name = 'native-sparc';
  readonly trapTable = new TrapTable('leon3 trap_table');
  readonly cpu: SparcNativeCpu;
  /** What the clock driver wrote to the prescaler and to timer 1's reload register. */
  prescalerReload: number | undefined = undefined;
  clockReload: number | undefined = undefined;

  constructor(
    readonly board: Leon3Board,
    cpu?: SparcNativeCpu,
  ) {
    const native = cpu ?? new SparcNativeCpu(board.processor);
    super(native);
    this.cpu = native;
    // The image as linked: BAD_TRAP everywhere, then RTEMS's own software traps. Putting
    // the image in RAM is the loader's job, done before the processor leaves reset.
    this.trapTable.setRange(0x01, 0xff, (trap) => this.badTrap(trap));
    installRtemsSoftwareTraps(this.trapTable, board.processor);
    board.processor.mapTrapTable(LEON3_TRAP_TABLE_BASE, this.trapTable);
  }

  get uart(): Uart {
    return this.board.uart;
  }

  /** The clock period the GPTIMER really produces, in ns. */
  get clockPeriodNs(): number | undefined {
    if (this.clockReload === undefined || this.prescalerReload === undefined) return undefined;
    return ((this.clockReload + 1) * (this.prescalerReload + 1) * 1e9) / this.board.processor.clock.frequencyHz;
  }

  /**
   * start.S: `wr %g1, %tbr` selects trap_table, then the PSR gets PIL 15 and ET (rd %psr;
   * or; wr %psr): traps work from here on - `ta 9` is how boot_card disables interrupts.
   */
  reset(): void {
    const processor = this.board.processor;
    this.cpu.selectTrapTable(LEON3_TRAP_TABLE_BASE);
    processor.wrpsr((processor.rdpsr() | PSR_PIL_MASK | PSR_ET) >>> 0);
  }

  protected startHardware(): void {
    for (let level = 1; level <= MAX_INTERRUPT_LEVEL; level++) {
      this.cpu.vectorInstall(this.trapTable, level, (line) => this.runIsr(line));
    }
    this.store(LEON3_IRQMP_BASE + IRQMP_MASK, 0);
    this.store(LEON3_IRQMP_BASE + IRQMP_CLEAR, IRQMP_LINES);
    this.store(LEON3_APBUART_BASE + APBUART_CONTROL, APBUART_CTRL_RE | APBUART_CTRL_TE);
  }

  /**
   * apbuart_outbyte_polled (leon3 console): wait for status.TE, store the byte to the
   * data register, for every byte. No CR is added after LF: every BSP's console shows
   * the bytes the application wrote.
   */
  consoleWrite(bytes: Uint8Array): void {
    for (const byte of bytes) {
      this.waitForTransmitter();
      this.store(LEON3_APBUART_BASE + APBUART_DATA, byte);
    }
  }

  /**
   * The leon3 clock driver: ISR on the timer's line, then (prescaler for 1 MHz ticks,
   * which RTEMS leaves to the boot loader) reload = microseconds per tick - 1 and control
   * EN | RS | LD | IE, so the timer underflows every microsecondsPerTick ticks; then the
   * line is unmasked.
   */
  clockInitialize(microsecondsPerTick: number, announce: (ticks: number) => void): void {
    const line = this.board.gptimer.lineOf(LEON3_CLOCK_TIMER);
    const prescaler = leon3PrescalerReload(this.board.processor.clock.frequencyHz);
    const timer = LEON3_GPTIMER_BASE + gptimerTimerOffset(LEON3_CLOCK_TIMER);
    this.installClockIsr(line, announce);
    this.store(LEON3_GPTIMER_BASE + GPTIMER_SCALER_RELOAD, prescaler);
    this.store(LEON3_GPTIMER_BASE + GPTIMER_SCALER_VALUE, prescaler);
    this.store(timer + 0x4, microsecondsPerTick - 1);
    this.store(timer + 0x8, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_LD | GPTIMER_CTRL_IE);
    this.prescalerReload = prescaler;
    this.clockReload = microsecondsPerTick - 1;
    this.unmask(line);
  }

  protected isInterruptLine(line: number): boolean {
    return Number.isInteger(line) && line >= 1 && line <= MAX_INTERRUPT_LEVEL;
  }

  /**
   * The trap-table half of _CPU_ISR_install_vector, for rtems_interrupt_catch
   * (score/cpu/sparc/sparc-isr-install.c): trap_table's slot for `vector & 0xFF` enters
   * _ISR_Handler, which runs `handler` as cpukit's ISR. For an external interrupt (0x11..0x1F)
   * that slot was the BSP's entry for the level (RTEMS 6 leon3: the generic interrupt
   * dispatch), so the line's interruptHandlerInstall handlers - and on level 8 the clock
   * driver - no longer run; the IRQMP mask stays as it is. Reset and the window traps keep
   * their handlers (SparcNativeCpu.installVector).
   */
  vectorInstall(vector: number, _line: number | undefined, handler: () => void): void {
    this.cpu.installVector(this.trapTable, vector, () => this.dispatch?.isr(handler));
  }

  /** LEON_Unmask_interrupt: set the line's bit in the processor 0 mask register (read-modify-write), interrupts off. */
  protected unmask(line: number): void {
    const processor = this.board.processor;
    const level = this.cpu.isrDisable();
    const mask = processor.load(LEON3_IRQMP_BASE + IRQMP_MASK, 4);
    this.store(LEON3_IRQMP_BASE + IRQMP_MASK, (mask | (1 << line)) >>> 0);
    this.cpu.isrEnable(level);
  }

  /** LEON_Mask_interrupt: clear the line's bit in the processor 0 mask register (read-modify-write), interrupts off. */
  protected mask(line: number): void {
    const processor = this.board.processor;
    const level = this.cpu.isrDisable();
    const mask = processor.load(LEON3_IRQMP_BASE + IRQMP_MASK, 4);
    this.store(LEON3_IRQMP_BASE + IRQMP_MASK, (mask & ~(1 << line)) >>> 0);
    this.cpu.isrEnable(level);
  }

  /**
   * bsp_interrupt_get_attributes (leon3 eirq.c) for a standard IRQMP line: level 15 is the
   * non-maskable one (PIL 15 does not mask it); every line can be enabled, disabled,
   * raised (force register) and cleared (clear register), and the processor's interrupt
   * acknowledge clears it. The trigger signal is left unspecified, as RTEMS leaves it.
   */
  protected lineAttributes(line: number): Partial<InterruptAttributes> {
    return {
      isMaskable: line !== MAX_INTERRUPT_LEVEL,
      canEnable: true,
      maybeEnable: true,
      canDisable: true,
      maybeDisable: true,
      canRaise: true,
      canClear: true,
      clearedByAcknowledge: true,
    };
  }

  /** bsp_interrupt_vector_is_enabled (eirq.c): the line's bit in processor 0's mask register. */
  protected isUnmasked(line: number): boolean {
    return (this.board.processor.load(LEON3_IRQMP_BASE + IRQMP_MASK, 4) & (1 << line)) !== 0;
  }

  /**
   * bsp_interrupt_is_pending (eirq.c): the line's bit in the pending register or in the
   * processor's force register, as RTEMS 6's SMP branch reads them (its one-processor
   * branch returns the negation of BSP_Is_interrupt_pending, which is inverted; this BSP
   * answers what the registers say).
   */
  protected isLinePending(line: number): boolean {
    const processor = this.board.processor;
    const bit = 1 << line;
    return (processor.load(LEON3_IRQMP_BASE + IRQMP_PENDING, 4) & bit) !== 0 || (processor.load(LEON3_IRQMP_BASE + IRQMP_FORCE, 4) & bit) !== 0;
  }

  /** bsp_interrupt_raise (eirq.c): the line's bit to processor 0's force register (the processor's interrupt acknowledge clears it). */
  protected raiseLine(line: number): boolean {
    this.store(LEON3_IRQMP_BASE + IRQMP_PROCESSOR_FORCE, 1 << line);
    return true;
  }

  /** bsp_interrupt_clear (eirq.c): the line's bit to the clear register, and to the force-clear half of processor 0's force register. */
  protected clearLine(line: number): boolean {
    this.store(LEON3_IRQMP_BASE + IRQMP_CLEAR, 1 << line);
    this.store(LEON3_IRQMP_BASE + IRQMP_PROCESSOR_FORCE, (1 << (line + 16)) >>> 0);
    return true;
  }

  /** BAD_TRAP: a trap nothing was installed for is a processor exception, an RTEMS fatal error. */
  private badTrap(trap: TrapInfo): TrapOutcome {
    this.exception(trap.number);
    return 'abandon';
  }

  /**
   * The polled loop on status.TE. Software between two yields is atomic, so the loop's
   * length is counted rather than watched: one status read per iteration until the
   * APBUART has sent the previous byte (the instant the device model holds).
   */
  private waitForTransmitter(): void {
    const processor = this.board.processor;
    if ((processor.load(LEON3_APBUART_BASE + APBUART_STATUS, 4) & APBUART_STATUS_TE) !== 0) return;
    const readNs = processor.clock.cyclesToNs(processor.costs.ioAccess);
    const busyNs = this.board.apbuart.getState().transmitDoneAt - processor.localTime();
    if (readNs > 0 && busyNs > 0) processor.charge(Math.ceil(busyNs / readNs) * processor.costs.ioAccess);
  }

  private store(address: number, value: number): void {
    this.board.processor.store(address, 4, value);
  }
}

/** leon3 as bsp-native's entry for the SPARC architecture. */
export const leon3NativeBsp: NativeBspArchitecture<Leon3Board, Leon3Bsp> = Object.freeze({
  architecture: sparcArchitecture,
  clockProblem: leon3ClockProblem,
  createBsp: (board: Leon3Board) => new Leon3Bsp(board),
});
