/**
 * A thread queue (RTEMS Thread_queue_Control): the threads blocked on one object,
 * served first come first served (RTEMS_FIFO) or by priority with FIFO order within a
 * priority (RTEMS_PRIORITY). A queue that belongs to a binary semaphore knows it, so
 * that priority inheritance can follow the chain of owners.
 */
import type { HeldMutex, Thread } from './thread.js';

export type WaitDiscipline = 'fifo' | 'priority';

export class WaitQueue {
  readonly threads: Thread[] = [];
  /** The binary semaphore this queue belongs to, if any. */
  mutex: HeldMutex | undefined = undefined;

  constructor(readonly discipline: WaitDiscipline) {}

  get length(): number {
    return this.threads.length;
  }

  first(): Thread | undefined {
    return this.threads[0];
  }

  enqueue(thread: Thread): void {
    if (this.discipline === 'fifo') {
      this.threads.push(thread);
      return;
    }
    let index = this.threads.length;
    while (index > 0 && this.threads[index - 1]!.currentPriority > thread.currentPriority) index--;
    this.threads.splice(index, 0, thread);
  }

  extract(thread: Thread): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
  }

  /** Repositions a waiter whose priority changed (priority discipline only). */
  requeue(thread: Thread): void {
    if (this.discipline !== 'priority') return;
    this.extract(thread);
    this.enqueue(thread);
  }
}
