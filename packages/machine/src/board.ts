/**
 * The board: the parts every simulation shares, put together once. Architectures add
 * their processor and devices (cpu-i386: PIC, PIT, COM1; cpu-sparc: IRQMP, GPTIMER,
 * APBUART) on top of a Board.
 */
import { CheckedMemory } from './checkedMemory.js';
import { EventQueue } from './eventQueue.js';
import { type Endianness, PhysicalMemory } from './physicalMemory.js';
import { Prng } from './prng.js';
import { TraceRecorder } from './traceRecorder.js';

export interface BoardOptions {
  /** Physical memory size in bytes. */
  readonly memorySize: number;
  readonly endianness: Endianness;
  /** Seed of the simulation's one PRNG (default 1). */
  readonly seed?: number;
  readonly trace?: TraceRecorder;
}

export class Board {
  readonly queue = new EventQueue();
  readonly memory: PhysicalMemory;
  readonly checked: CheckedMemory;
  readonly prng: Prng;
  readonly trace: TraceRecorder;

  constructor(options: BoardOptions) {
    this.memory = new PhysicalMemory(options.memorySize, options.endianness);
    this.checked = new CheckedMemory(this.memory);
    this.prng = new Prng(options.seed ?? 1);
    this.trace = options.trace ?? TraceRecorder.disabled();
  }

  get now(): number {
    return this.queue.now;
  }

  runUntil(time: number): number {
    return this.queue.runUntil(time);
  }
}
