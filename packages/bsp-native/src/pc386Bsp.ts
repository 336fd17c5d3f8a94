/**
 * The bare-metal BSP of the simulated PC, after RTEMS's pc386: the guest runs at CPL 0
 * and drives the hardware itself, every access an instruction of the processor model
 * (IN/OUT for the 8259A pair, the 8254 and COM1; LIDT and interrupt gates for the IDT),
 * so it costs what it costs on the hardware and is what paravirtualization is measured
 * against.
 *
 *   start.S        `cli` (the loader may have left IF set)
 *   bsp_start      IDT: a gate for each of the 32 processor exception vectors (an
 *                  exception is an RTEMS fatal error) and for the 16 PIC vectors at
 *                  0x20-0x2F; the 8259A pair remapped there (ICW1-ICW4), every line
 *                  masked; COM1 at 9600 8N1, polled (no OUT2: its IRQ stays gated off)
 *   clock          PIT counter 0, mode 2, count US_TO_TICK(microseconds per tick), IRQ 0;
 *                  a tick past one 16-bit count is 10^n ISRs of 1/10^n tick each (clockOn)
 *   interrupts     IRQ n on vector 0x20 + n, unmasked when an ISR is installed; end of
 *                  interrupt after the ISR as BSP_irq_ack_at_i8259a does
 *   idle / fatal   HLT / cli; hlt (libcpu-native)
 */
import {
  COM1_BASE,
  i386Architecture,
  type I386Board,
  Idt,
  LCR_DLAB,
  LSR_THRE,
  MCR_DTR,
  MCR_RTS,
  PIC_CASCADE_IRQ,
  PIC_EOI,
  PIC_LINES,
  PIC_MASTER_COMMAND,
  PIC_MASTER_DATA,
  PIC_READ_IRR,
  PIC_READ_ISR,
  PIC_SLAVE_COMMAND,
  PIC_SLAVE_DATA,
  PIT_CONTROL,
  PIT_COUNTER0,
  PIT_FREQUENCY_HZ,
  UART_FCR,
  UART_IER,
  UART_LCR,
  UART_LSR,
  UART_MCR,
  UART_THR,
} from '@paravirt/cpu-i386';
import { type InterruptAttributes, RTEMS_INTERRUPT_SIGNAL_EDGE_RAISING } from '@paravirt/cpukit';
import { I386NativeCpu } from '@paravirt/libcpu-native';
import type { TrapInfo, TrapOutcome, Uart } from '@paravirt/machine';
import { NativeBsp, type NativeBspArchitecture } from './nativeBsp.js';

/** pc386's BSP_IRQ_VECTOR_BASE: the master 8259A's IRQ 0 after the remap, right above the exception vectors. */
export const PC386_IRQ_VECTOR_BASE = 0x20;
/** The processor's own exception vectors 0-31 (Intel SDM Vol. 3 section 6.3.1: 0-31 are reserved for exceptions). */
export const PC386_EXCEPTION_VECTORS = 32;
/** COM1's divisor latch for the console's 9600 baud (115200 / 9600). */
export const PC386_CONSOLE_DIVISOR = 12;

/**
 * pc386 bsp.h US_TO_TICK: microseconds to 8254 input clocks, 1.193182 MHz approximated
 * by 105/88 with rounding. 10000 us is 11932 clocks (9999.98 us), 1000 us is 1193.
 */
export function pc386ClockCount(microsecondsPerTick: number): number {
  return Math.floor((microsecondsPerTick * 105 + 44) / 88);
}

/** The 8254's largest count (65536, written as 0) and mode 2's smallest (a count of 1 is illegal in the rate generator). */
const PC386_MAX_COUNT = 0x1_0000;
const PC386_MIN_COUNT = 2;

/**
 * How pc386 produces a tick (ckinit.c, clockOn()): one 8254 period of US_TO_TICK(us), or,
 * when that count does not fit the 16-bit counter, several ISRs per tick - the ISRs per
 * tick grow by factors of 10 and the microseconds per ISR shrink by 10 (integer division)
 * until the count fits; the clock ISR counts them and announces one tick per
 * `isrsPerTick`. clockOn loops while the count is above 65535; here a count of exactly
 * 65536 (written as 0, 54925 us) stays one period, as this BSP has always programmed it.
 */
export interface Pc386ClockPlan {
  readonly isrsPerTick: number;
  readonly microsecondsPerIsr: number;
  /** The 8254 count of each ISR period. */
  readonly count: number;
}

export function pc386ClockPlan(microsecondsPerTick: number): Pc386ClockPlan {
  let isrsPerTick = 1;
  let microsecondsPerIsr = microsecondsPerTick;
  while (pc386ClockCount(microsecondsPerIsr) > PC386_MAX_COUNT) {
    isrsPerTick *= 10;
    microsecondsPerIsr = Math.floor(microsecondsPerIsr / 10);
  }
  return { isrsPerTick, microsecondsPerIsr, count: pc386ClockCount(microsecondsPerIsr) };
}

/** Why the pc386 clock cannot tick every `microsecondsPerTick` us, or undefined: below 2 us the count is under 2. */
export function pc386ClockProblem(microsecondsPerTick: number): string | undefined {
  if (!Number.isSafeInteger(microsecondsPerTick) || microsecondsPerTick < 1) return `microseconds per tick must be a whole number of at least 1, got ${microsecondsPerTick}`;
  const count = pc386ClockPlan(microsecondsPerTick).count;
  if (count < PC386_MIN_COUNT) {
    return `${microsecondsPerTick}us is shorter than the pc386 clock can tick: US_TO_TICK gives the 8254 a count of ${count}, its rate generator needs at least ${PC386_MIN_COUNT} (2us)`;
  }
  return undefined;
}

/** Whether the pc386 clock can produce that tick (any whole number of microseconds from 2: long ticks take several ISRs). */
export function pc386ClockFits(microsecondsPerTick: number): boolean {
  return pc386ClockProblem(microsecondsPerTick) === undefined;
}

export class Pc386Bsp extends NativeBsp {
  readonly name = 'native-i386';
  readonly idt = new Idt();
  readonly cpu: I386NativeCpu;
  /** The 8254 count the clock driver programmed, and how many of its periods make one tick. */
  clockCount: number | undefined = undefined;
  clockIsrsPerTick = 1;
  /** Spurious IRQ 7 / IRQ 15 acknowledges (no ISR bit set) the dispatcher dropped. */
  spuriousInterrupts = 0;
  /** The IMRs as last written (pc386 keeps this cache rather than reading the IMR back). */
  private imrCache = 0xffff;

  constructor(
    readonly board: I386Board,
    cpu?: I386NativeCpu,
  ) {
    const native = cpu ?? new I386NativeCpu(board.processor);
    super(native);
    this.cpu = native;
  }

  get uart(): Uart {
    return this.board.com1.uart;
  }

  /** The tick period the 8254 really produces, in ns (ISRs per tick x count / 1.193182 MHz; not a whole number in general). */
  get clockPeriodNs(): number | undefined {
    return this.clockCount === undefined ? undefined : (this.clockIsrsPerTick * this.clockCount * 1e9) / PIT_FREQUENCY_HZ;
  }

  /** start.S: `cli` before anything else; the rest waits for boot_card's bsp_start. */
  reset(): void {
    this.board.processor.cli();
  }

  protected startHardware(): void {
    const cpu = this.cpu;
    for (let vector = 0; vector < PC386_EXCEPTION_VECTORS; vector++) {
      cpu.vectorInstall(this.idt, vector, (trap) => this.processorException(trap));
    }
    this.remapPic();
    for (let irq = 0; irq < PIC_LINES; irq++) {
      cpu.vectorInstall(this.idt, PC386_IRQ_VECTOR_BASE + irq, () => this.interrupt(irq));
    }
    this.initializeConsole();
  }

  /**
   * BSP_output_char through COM1 (pc386 uart.c, polled write): wait for LSR.THRE, then
   * write THR, for every byte.
   */
  consoleWrite(bytes: Uint8Array): void {
    for (const byte of bytes) {
      this.waitForTransmitter();
      this.outb(COM1_BASE + UART_THR, byte);
    }
  }

  /**
   * pc386 ckinit.c (clockOn): ISR on IRQ 0, counter 0 in mode 2 (rate generator) with the
   * count of one ISR period written LSB then MSB, then IRQ 0 unmasked. A tick too long for
   * one count takes several ISRs (pc386ClockPlan), and the ISR announces one tick per that
   * many. The tick is validated when the system is built (pc386ClockFits).
   */
  clockInitialize(microsecondsPerTick: number, announce: (ticks: number) => void): void {
    const { count, isrsPerTick } = pc386ClockPlan(microsecondsPerTick);
    this.installClockIsr(0, announce, isrsPerTick);
    this.outb(PIT_CONTROL, 0x34); // counter 0, LSB then MSB, mode 2, binary
    this.outb(PIT_COUNTER0, count & 0xff);
    this.outb(PIT_COUNTER0, (count >>> 8) & 0xff);
    this.clockCount = count;
    this.clockIsrsPerTick = isrsPerTick;
    this.unmask(0);
  }

  protected isInterruptLine(line: number): boolean {
    return Number.isInteger(line) && line >= 0 && line < PIC_LINES && line !== PIC_CASCADE_IRQ;
  }

  /** BSP_irq_enable_at_i8259a: clear the line's bit in the IMR cache and write that chip's IMR, interrupts off. */
  protected unmask(line: number): void {
    this.writeImr(line, this.imrCache & ~(1 << line));
  }

  /** BSP_irq_disable_at_i8259a: set the line's bit in the IMR cache and write that chip's IMR, interrupts off. */
  protected mask(line: number): void {
    this.writeImr(line, this.imrCache | (1 << line));
  }

  /**
   * bsp_interrupt_get_attributes for an 8259A line. RTEMS 6's pc386
   * (bsps/i386/shared/irq/irq.c) leaves every member false; here they say what this BSP
   * does: maskable by `cli`, enabled and disabled through the IMR, no software raise or
   * clear (the 8259A has no such register), the request leaves the IRR at the INTA cycle,
   * edge triggered (ICW1 without LTIM, as remapPic programs it).
   */
  protected lineAttributes(): Partial<InterruptAttributes> {
    return {
      isMaskable: true,
      canEnable: true,
      maybeEnable: true,
      canDisable: true,
      maybeDisable: true,
      clearedByAcknowledge: true,
      triggerSignal: RTEMS_INTERRUPT_SIGNAL_EDGE_RAISING,
    };
  }

  /**
   * bsp_interrupt_vector_is_enabled: the line's bit of its chip's IMR, read back with IN
   * (OCW1 is readable on the data port). RTEMS 6's pc386 answers UNSATISFIED here; the
   * 8259A can tell, so this BSP does.
   */
  protected isUnmasked(line: number): boolean {
    const imr = this.board.processor.in8(line < 8 ? PIC_MASTER_DATA : PIC_SLAVE_DATA);
    return (imr & (1 << (line & 7))) === 0;
  }

  /**
   * bsp_interrupt_is_pending: the line's bit of its chip's IRR (the command port reads the
   * IRR: OCW3 "read IRR" is the chip's state outside inServiceRegister). A masked line's
   * request is latched there too. RTEMS 6's pc386 answers UNSATISFIED.
   */
  protected isLinePending(line: number): boolean {
    const irr = this.board.processor.in8(line < 8 ? PIC_MASTER_COMMAND : PIC_SLAVE_COMMAND);
    return (irr & (1 << (line & 7))) !== 0;
  }

  /** bsp_interrupt_raise (pc386 irq.c): UNSATISFIED, the 8259A has no software interrupt request. */
  protected raiseLine(): boolean {
    return false;
  }

  /** bsp_interrupt_clear (pc386 irq.c): UNSATISFIED, the IRR cannot be written. */
  protected clearLine(): boolean {
    return false;
  }

  /** The new IMR cache, and OCW1 to the chip that has `line`. */
  private writeImr(line: number, imr: number): void {
    const level = this.cpu.isrDisable();
    this.imrCache = imr;
    if (line < 8) this.outb(PIC_MASTER_DATA, this.imrCache & 0xff);
    else this.outb(PIC_SLAVE_DATA, (this.imrCache >>> 8) & 0xff);
    this.cpu.isrEnable(level);
  }

  /**
   * ICW1 (edge, cascade, ICW4 needed), ICW2 (vector bases 0x20 / 0x28), ICW3 (slave on
   * IR2 / slave id 2), ICW4 (8086 mode) to both chips, then OCW1 masking every line but
   * the cascade (8259A datasheet, "Initialization Command Words").
   */
  private remapPic(): void {
    this.outb(PIC_MASTER_COMMAND, 0x11);
    this.outb(PIC_SLAVE_COMMAND, 0x11);
    this.outb(PIC_MASTER_DATA, PC386_IRQ_VECTOR_BASE);
    this.outb(PIC_SLAVE_DATA, PC386_IRQ_VECTOR_BASE + 8);
    this.outb(PIC_MASTER_DATA, 1 << PIC_CASCADE_IRQ);
    this.outb(PIC_SLAVE_DATA, PIC_CASCADE_IRQ);
    this.outb(PIC_MASTER_DATA, 0x01);
    this.outb(PIC_SLAVE_DATA, 0x01);
    this.imrCache = 0xffff & ~(1 << PIC_CASCADE_IRQ);
    this.outb(PIC_MASTER_DATA, this.imrCache & 0xff);
    this.outb(PIC_SLAVE_DATA, this.imrCache >>> 8);
  }

  /** pc386 uart.c BSP_uart_init: divisor, 8N1, FIFOs on and cleared, DTR|RTS, no interrupts. */
  private initializeConsole(): void {
    this.outb(COM1_BASE + UART_LCR, LCR_DLAB);
    this.outb(COM1_BASE + UART_THR, PC386_CONSOLE_DIVISOR & 0xff); // DLL while DLAB is set
    this.outb(COM1_BASE + UART_IER, PC386_CONSOLE_DIVISOR >>> 8); // DLM while DLAB is set
    this.outb(COM1_BASE + UART_LCR, 0x03);
    this.outb(COM1_BASE + UART_FCR, 0x07);
    this.outb(COM1_BASE + UART_MCR, MCR_DTR | MCR_RTS);
    this.outb(COM1_BASE + UART_IER, 0);
  }

  /**
   * The common IRQ entry. IRQ 7 and 15 are checked against the ISR first: an 8259A that
   * lost the request before the acknowledge answers with IR7 without setting its ISR bit
   * (8259A datasheet, "Interrupt Sequence"), and a spurious IRQ 15 still set the master's
   * cascade bit, which needs an EOI. Then the ISR, then the end of interrupt.
   */
  private interrupt(irq: number): TrapOutcome {
    if ((irq === 7 || irq === 15) && this.spurious(irq)) return 'return';
    this.runIsr(irq);
    this.acknowledge(irq);
    return 'return';
  }

  private spurious(irq: number): boolean {
    const command = irq < 8 ? PIC_MASTER_COMMAND : PIC_SLAVE_COMMAND;
    if ((this.inServiceRegister(command) & (1 << (irq & 7))) !== 0) return false;
    this.spuriousInterrupts++;
    if (irq === 15) this.outb(PIC_MASTER_COMMAND, PIC_EOI);
    return true;
  }

  /**
   * BSP_irq_ack_at_i8259a (pc386 irq.c): non-specific EOI to the slave for IRQ 8-15, and
   * to the master only once the slave has nothing else in service (8259A datasheet,
   * special fully nested mode).
   */
  private acknowledge(irq: number): void {
    let slaveInService = 0;
    if (irq >= 8) {
      this.outb(PIC_SLAVE_COMMAND, PIC_EOI);
      slaveInService = this.inServiceRegister(PIC_SLAVE_COMMAND);
    }
    if (slaveInService === 0) this.outb(PIC_MASTER_COMMAND, PIC_EOI);
  }

  /** BSP_i8259a_irq_in_service_reg: OCW3 "read ISR", read it, OCW3 back to "read IRR". */
  private inServiceRegister(command: number): number {
    this.outb(command, PIC_READ_ISR);
    const isr = this.board.processor.in8(command);
    this.outb(command, PIC_READ_IRR);
    return isr;
  }

  /** An exception gate: the guest faulted (RTEMS's _CPU_Exception handler ends in a fatal error). */
  private processorException(trap: TrapInfo): TrapOutcome {
    this.exception(trap.number);
    return 'abandon';
  }

  /**
   * The polled loop on LSR.THRE. Software between two yields is atomic and the clock
   * does not move inside it, so the loop cannot watch the transmitter drain: its length
   * is counted instead, one LSR read per iteration until the 16550 has shifted the
   * previous byte out (the instant the UART model holds), and charged as such.
   */
  private waitForTransmitter(): void {
    const processor = this.board.processor;
    if ((processor.in8(COM1_BASE + UART_LSR) & LSR_THRE) !== 0) return;
    const readNs = processor.clock.cyclesToNs(processor.costs.ioAccess);
    const busyNs = this.board.com1.getState().txBusyUntil - processor.localTime();
    if (readNs > 0 && busyNs > 0) processor.charge(Math.ceil(busyNs / readNs) * processor.costs.ioAccess);
  }

  private outb(port: number, value: number): void {
    this.board.processor.out8(port, value);
  }
}

/** pc386 as bsp-native's entry for the i386 architecture. */
export const pc386NativeBsp: NativeBspArchitecture<I386Board, Pc386Bsp> = Object.freeze({
  architecture: i386Architecture,
  clockProblem: pc386ClockProblem,
  createBsp: (board: I386Board) => new Pc386Bsp(board),
});
