/**
 * SPARC V8 on a LEON3 as one architecture descriptor (machine's `Architecture`): what the
 * architecture-agnostic layers need of this package, so none of them tests for 'sparc'.
 *
 * Simulated hardware: the LEON3 board (Leon3Board: IRQMP, GPTIMER, APBUART), the `ta 0x70`
 * hypercall convention and its alternative trap, GPTIMER timer 1 as kernel timer, IRQMP
 * levels and PSR.PIL. RTEMS CPU port, context half: SparcContextPort, whose window flush
 * follows the privilege the guest runs at (RTEMS's RDWIM/WRPSR walk on bare metal,
 * SAVE/RESTORE in a partition).
 */
import type { Architecture, PlatformOptions, ContextPortOptions, GuestProcessor } from '@paravirt/machine';
import { SparcContextPort } from './contextPort.js';
import { LEON3_DEFAULT_FREQUENCY_HZ } from './costs.js';
import { SPARC_HYPERCALL_SOFTWARE_TRAPS, sparcHypercallAbi } from './hypercallAbi.js';
import { isrLevelToPil, SPARC_ISR_LEVEL_MAX } from './isrLevel.js';
import { Leon3Board, LEON3_GPTIMER_IRQ, LEON3_MAX_MEMORY, LEON3_ROUTABLE_LINES, leon3TickProblem } from './leon3Board.js';
import { interruptAccepted, MAX_INTERRUPT_LEVEL } from './psr.js';
import { SparcProcessor } from './sparcProcessor.js';
import { interruptTrapType, trapName } from './trapTypes.js';

/** Why the LEON3 board keeps a line for itself. */
const UNROUTABLE: Readonly<Record<number, string>> = {
  [LEON3_GPTIMER_IRQ]: 'interrupt level 8 is GPTIMER timer 1, the kernel tick',
};

function createBoard(options: PlatformOptions): Leon3Board {
  return new Leon3Board({
    memorySize: options.memorySize,
    ...(options.frequencyHz !== undefined ? { frequencyHz: options.frequencyHz } : {}),
    ...(options.costs !== undefined ? { costs: options.costs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.trace !== undefined ? { trace: options.trace } : {}),
    ...(options.hypercallTrap !== undefined ? { hypercallSoftwareTrap: options.hypercallTrap } : {}),
    ...(options.consoleCharTime !== undefined ? { uartCharTime: options.consoleCharTime } : {}),
  });
}

/** SPARC V8 / LEON3: hardware and the context half of RTEMS's SPARC CPU port. */
export const sparcArchitecture: Architecture<Leon3Board> = Object.freeze({
  name: 'sparc',
  board: Object.freeze({
    maxMemory: LEON3_MAX_MEMORY,
    memoryDescription: `the LEON3 board's RAM (0x${LEON3_MAX_MEMORY.toString(16)}: 1 GiB, below the partitions' virtual window at 0x40000000)`,
    create: createBoard,
  }),
  hypercalls: Object.freeze({
    traps: SPARC_HYPERCALL_SOFTWARE_TRAPS,
    abi: (softwareTrap?: number) => sparcHypercallAbi(softwareTrap),
  }),
  kernelTimer: Object.freeze({
    line: LEON3_GPTIMER_IRQ,
    tickProblem: (periodNs: number, frequencyHz?: number) => leon3TickProblem(periodNs, frequencyHz ?? LEON3_DEFAULT_FREQUENCY_HZ),
    // As SparcProcessor names the trap (interrupt_level_8).
    trapName: trapName(interruptTrapType(LEON3_GPTIMER_IRQ)),
  }),
  interrupts: Object.freeze({
    count: MAX_INTERRUPT_LEVEL + 1,
    deviceLines: Object.freeze(Array.from({ length: MAX_INTERRUPT_LEVEL }, (_, index) => index + 1)),
    routableLines: LEON3_ROUTABLE_LINES,
    unroutableReason: (line: number) => (Object.hasOwn(UNROUTABLE, line) ? UNROUTABLE[line] : undefined),
  }),
  interruptLevels: Object.freeze({
    // The level is PSR.PIL: level n takes interrupts above n, and level 15 (not maskable) always.
    max: SPARC_ISR_LEVEL_MAX,
    accepts: (level: number, line: number) => interruptAccepted(true, isrLevelToPil(level), line),
  }),
  contextPort: (processor: GuestProcessor, options: ContextPortOptions): SparcContextPort => {
    if (!(processor instanceof SparcProcessor)) throw new RangeError(`the SPARC context port runs on a SPARC processor, not a ${processor.arch} one`);
    return new SparcContextPort(processor, { windowFlush: options.privilege === 'supervisor' ? 'privileged' : 'save-restore' });
  },
});
