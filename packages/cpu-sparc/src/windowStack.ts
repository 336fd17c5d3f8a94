/**
 * Where spilled register windows go: the model of the 64-byte register save areas a SPARC
 * thread keeps on its stack, one at each frame's %sp (V8 appendix D, ABI stack frame).
 *
 * Guest threads in this simulator are JavaScript generators and keep no SPARC stack in
 * simulated memory, so a spilled window's 16 registers (%l0-%l7, %i0-%i7) are kept here,
 * one stack per thread (a context switch swaps the active stack, as restoring %sp does).
 * Overflows always spill the oldest live window and underflows always fill the newest
 * spilled one, so the save areas are reached in strict LIFO order.
 *
 * A stack has a capacity (frames); spilling onto a full stack is the model of running
 * off the end of the thread's stack into unmapped memory.
 */

/** Default capacity: 1024 frames of the 96-byte minimum SPARC frame is a 96 KiB stack. */
export const DEFAULT_WINDOW_STACK_FRAMES = 1024;

export interface WindowStackState {
  readonly name: string;
  readonly frames: readonly (readonly number[])[];
}

export class WindowStack {
  private frames: number[][] = [];

  constructor(
    readonly name = 'stack',
    readonly capacity = DEFAULT_WINDOW_STACK_FRAMES,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`window stack ${name}: capacity must be a whole number >= 1, got ${capacity}`);
  }

  /** Spilled windows on the stack. */
  get depth(): number {
    return this.frames.length;
  }

  /**
   * Saves one window's %l0-%l7, %i0-%i7; false when the stack is full (nothing is saved).
   * `beyondCapacity` saves anyway: a kernel saving a partition's windows into its own
   * save area does not depend on the partition's stack having room.
   */
  push(localsAndIns: readonly number[], beyondCapacity = false): boolean {
    if (this.frames.length >= this.capacity && !beyondCapacity) return false;
    this.frames.push(localsAndIns.slice(0, 16));
    return true;
  }

  /** The most recently spilled window, or undefined when no window was spilled (the save area holds nothing known). */
  pop(): number[] | undefined {
    return this.frames.pop();
  }

  /** The most recently spilled window without removing it. */
  peek(): readonly number[] | undefined {
    return this.frames.at(-1);
  }

  getState(): WindowStackState {
    return { name: this.name, frames: this.frames.map((frame) => [...frame]) };
  }

  setState(state: WindowStackState): void {
    this.frames = state.frames.map((frame) => [...frame]);
  }
}
