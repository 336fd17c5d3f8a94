/**
 * The i386 as one architecture descriptor (machine's `Architecture`): what the
 * architecture-agnostic layers need of this package, so none of them tests for 'i386'.
 *
 * Simulated hardware: the PC board (I386Board: 8259A pair, 8254 PIT, COM1), POK's
 * `int 0x2a` hypercall convention and its alternative vector, the PIT as kernel timer,
 * IRQ lines and IF as the one interrupt-enable bit. RTEMS CPU port, context half:
 * I386ContextPort (the same at CPL 0 and CPL 3: it never relies on restoring IF).
 */
import type { Architecture, PlatformOptions, ContextPortOptions, GuestProcessor } from '@paravirt/machine';
import { I386ContextPort } from './contextPort.js';
import { I386_HYPERCALL_VECTORS, i386HypercallAbi } from './hypercallAbi.js';
import { I386Board, I386_MAX_MEMORY, I386_ROUTABLE_LINES } from './i386Board.js';
import { I386Processor } from './i386Processor.js';
import { interruptFlagForIsrLevel } from './isrLevel.js';
import { PIC_CASCADE_IRQ, PIC_LINES } from './pic8259.js';
import { i386TickProblem } from './pitTick.js';

/** The PIT's counter 0 is wired to IRQ 0. */
const PIT_IRQ = 0;

/** Why the PC keeps a line for itself. */
const UNROUTABLE: Readonly<Record<number, string>> = {
  [PIT_IRQ]: 'IRQ 0 is the PIT, the kernel tick',
  [PIC_CASCADE_IRQ]: "IRQ 2 is the master PIC's cascade input (an AT device on IRQ 2 appears as IRQ 9)",
};

function createBoard(options: PlatformOptions): I386Board {
  return new I386Board({
    memorySize: options.memorySize,
    ...(options.frequencyHz !== undefined ? { frequencyHz: options.frequencyHz } : {}),
    ...(options.costs !== undefined ? { costs: options.costs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.trace !== undefined ? { trace: options.trace } : {}),
    ...(options.hypercallTrap !== undefined ? { hypercallVector: options.hypercallTrap } : {}),
    ...(options.consoleCharTime !== undefined ? { consoleCharTime: options.consoleCharTime } : {}),
  });
}

/** The i386 PC: hardware and the context half of RTEMS's i386 CPU port. */
export const i386Architecture: Architecture<I386Board> = Object.freeze({
  name: 'i386',
  board: Object.freeze({
    maxMemory: I386_MAX_MEMORY,
    memoryDescription: `the PC's RAM (0x${I386_MAX_MEMORY.toString(16)}: 4 GiB less the BIOS ROM at the top of the 32-bit address space)`,
    create: createBoard,
  }),
  hypercalls: Object.freeze({
    traps: I386_HYPERCALL_VECTORS,
    abi: (vector?: number) => i386HypercallAbi(vector),
  }),
  kernelTimer: Object.freeze({
    line: PIT_IRQ,
    // The PIT counts its own 1.193182 MHz clock, whatever the processor's.
    tickProblem: (periodNs: number) => i386TickProblem(periodNs),
    // As I386Processor names an interrupt delivered for a controller line.
    trapName: `IRQ ${PIT_IRQ}`,
  }),
  interrupts: Object.freeze({
    count: PIC_LINES,
    // IRQ 0 is the PIT's on the board; a device on ISA IRQ 2 arrives as IRQ 9 (the slave 8259A sits on master input 2).
    deviceLines: Object.freeze(Array.from({ length: PIC_LINES - 1 }, (_, index) => index + 1).filter((irq) => irq !== PIC_CASCADE_IRQ)),
    routableLines: I386_ROUTABLE_LINES,
    unroutableReason: (line: number) => (Object.hasOwn(UNROUTABLE, line) ? UNROUTABLE[line] : undefined),
  }),
  interruptLevels: Object.freeze({
    // EFLAGS.IF is one bit: level 0 sets it, every other level clears it (RTEMS's i386 port).
    max: 1,
    accepts: (level: number) => interruptFlagForIsrLevel(level),
  }),
  contextPort: (processor: GuestProcessor, _options: ContextPortOptions): I386ContextPort => {
    if (!(processor instanceof I386Processor)) throw new RangeError(`the i386 context port runs on an i386 processor, not a ${processor.arch} one`);
    return new I386ContextPort(processor);
  },
});
