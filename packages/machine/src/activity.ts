/**
 * Who is running on the simulated processor, kept where a supervisor on another host
 * thread can read it while the simulation is busy: a few 32-bit words, over a
 * SharedArrayBuffer when the host asks for one (the runner's sandbox), over a plain
 * ArrayBuffer otherwise.
 *
 * Guest code between two yields is atomic (docs/execution-model.md): a guest that never
 * yields blocks its host thread, and only another thread can notice. It needs two facts:
 * that nothing advanced for a while (`progress` stopped changing) and whose code was
 * running (`partition`, `thread`). Writers are the processor (one increment per run-loop
 * turn), the kernel (the partition it switches to) and the executive (the thread it
 * dispatches). Plain stores, no Atomics: a reader on another thread may see a value one
 * store late, which is all a watchdog needs, and the hot path stays one store.
 */
const PROGRESS = 0;
const PARTITION = 1;
const THREAD = 2;
const WORDS = 4;

export class Activity {
  /** The words, for a reader on another thread (see the offsets of ActivityWords). */
  readonly words: Int32Array;

  constructor(buffer: ArrayBufferLike = new ArrayBuffer(WORDS * 4)) {
    this.words = new Int32Array(buffer, 0, WORDS);
  }

  /** Bytes a shared buffer for an Activity needs. */
  static readonly BYTES = WORDS * 4;

  /** Something ran: a processor loop turn, a slice of the event queue. Wraps at 2^32. */
  advance(): void {
    this.words[PROGRESS] = (this.words[PROGRESS]! + 1) | 0;
  }

  /** The partition now running: its index + 1, 0 for none (kernel, idle, bare metal). */
  set partition(index: number) {
    this.words[PARTITION] = index;
  }

  /** The thread now running: its 32-bit name (RTEMS object name), 0 for none. */
  set thread(name: number) {
    this.words[THREAD] = name | 0;
  }
}

/** Offsets of the words of an Activity, for a reader that has only the buffer. */
export const ActivityWords = { PROGRESS, PARTITION, THREAD } as const;
