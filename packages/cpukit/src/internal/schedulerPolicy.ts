/**
 * The schedulers a configuration may select for the one processor (Configuration.scheduler),
 * and the ready queue of the deadline-driven ones.
 *
 * 'priority' is the Deterministic Priority Scheduler the Score keeps in its own chains (one
 * FIFO chain per priority); nothing here touches its paths. 'edf' and 'cbs' are the
 * Earliest Deadline First scheduler of RTEMS 6 (cpukit/score/src/scheduleredf*.c) and its
 * Constant Bandwidth Server extension (schedulercbs*.c), which share the EDF ready queue.
 *
 * Priorities under EDF. RTEMS 6 keeps a 64-bit Priority_Control per thread. A Classic
 * priority p is mapped to SCHEDULER_EDF_PRIO_MSB | p (_Scheduler_EDF_Map_priority,
 * scheduleredfreleasejob.c): a background priority, less important than every deadline. A
 * job released by rtems_rate_monotonic_period adds a priority node whose value is the
 * job's absolute deadline in ticks (_Scheduler_EDF_Release_job); the thread's priority is
 * the most important of its nodes, so a thread with a job runs by its deadline, earliest
 * first. Here the same order is kept in a JS number: a background priority is
 * EDF_BACKGROUND + p, a deadline is the tick itself (a tick count stays far below 2^52).
 * The score's currentPriority of a thread holds this core value; realPriority stays the
 * Classic priority the task asked for.
 */
import { buildName } from '../objectName.js';
import type { SchedulerAlgorithm } from '../configuration.js';
import type { Thread } from './thread.js';

/**
 * SCHEDULER_EDF_PRIO_MSB (scheduleredfimpl.h) in this executive's numbers: the first
 * background priority. Deadlines (ticks since boot) are below it.
 */
export const EDF_BACKGROUND = 2 ** 52;

/** SCHEDULER_EDF_MAXIMUM_PRIORITY (scheduleredf.h): INT_MAX, the maximum_priority of 'UEDF' and 'UCBS'. */
export const EDF_MAXIMUM_PRIORITY = 0x7fff_ffff;
/** PRIORITY_DEFAULT_MAXIMUM, CONFIGURE_MAXIMUM_PRIORITY's default: the maximum_priority of 'UPD '. */
export const PRIORITY_MAXIMUM_PRIORITY = 255;

/** What the Scheduler Manager tells of the configured scheduler. */
export interface SchedulerDescription {
  readonly algorithm: SchedulerAlgorithm;
  /** CONFIGURE_SCHEDULER_NAME's default for it (confdefs/scheduler.h). */
  readonly name: number;
  /** Scheduler_Control.maximum_priority. */
  readonly maximumPriority: number;
}

export function describeScheduler(algorithm: SchedulerAlgorithm): SchedulerDescription {
  switch (algorithm) {
    case 'edf':
      return { algorithm, name: buildName('U', 'E', 'D', 'F'), maximumPriority: EDF_MAXIMUM_PRIORITY };
    case 'cbs':
      return { algorithm, name: buildName('U', 'C', 'B', 'S'), maximumPriority: EDF_MAXIMUM_PRIORITY };
    default:
      return { algorithm: 'priority', name: buildName('U', 'P', 'D', ' '), maximumPriority: PRIORITY_MAXIMUM_PRIORITY };
  }
}

/**
 * The EDF ready queue (Scheduler_EDF_Context.Ready, a red-black tree in RTEMS), kept as an
 * array sorted by core priority. _Scheduler_EDF_Enqueue inserts with
 * _Scheduler_EDF_Priority_less_equal: a thread enqueued with SCHEDULER_PRIORITY_APPEND goes
 * after every thread of equal priority (FIFO among equal deadlines: unblock, yield, a
 * raised priority), one enqueued without it before them (a priority lowered by a released
 * resource, "prepend it"). The heir is the first thread (_Scheduler_EDF_Get_highest_ready).
 */
export class EdfReadyQueue {
  private readonly threads: Thread[] = [];

  insert(thread: Thread, atHead: boolean): void {
    const threads = this.threads;
    const priority = thread.currentPriority;
    // Binary search: the first index whose priority is > (append) or >= (prepend) the thread's.
    let low = 0;
    let high = threads.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = threads[middle]!.currentPriority;
      if (atHead ? other < priority : other <= priority) low = middle + 1;
      else high = middle;
    }
    threads.splice(low, 0, thread);
  }

  extract(thread: Thread): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
  }

  first(): Thread | undefined {
    return this.threads[0];
  }
}
