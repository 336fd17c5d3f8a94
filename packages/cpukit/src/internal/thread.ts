/**
 * The thread control block (RTEMS Thread_Control, reduced to what this executive
 * models) and the thread state bits, with the values of RTEMS's rtems/score/states.h.
 * A thread is ready when its state is STATES_READY and it has not been deleted.
 */
import type { CpuContext } from '../cpuContext.js';
import { RTEMS_INTERRUPT_MASK, RTEMS_NO_ASR, RTEMS_NO_PREEMPT, RTEMS_TIMESLICE } from '../modes.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { Watchdog } from './watchdog.js';
import type { WaitQueue } from './waitQueue.js';

export const STATES_READY = 0;
export const STATES_DORMANT = 0x0001;
export const STATES_SUSPENDED = 0x0002;
export const STATES_DELAYING = 0x0008;
export const STATES_WAITING_FOR_TIME = 0x0010;
export const STATES_WAITING_FOR_MESSAGE = 0x0080;
export const STATES_WAITING_FOR_EVENT = 0x0100;
export const STATES_WAITING_FOR_SEMAPHORE = 0x0200;
export const STATES_WAITING_FOR_MUTEX = 0x0400;
export const STATES_WAITING_FOR_PERIOD = 0x4000;

/** Every state that a wait (timeout, release, object deletion) ends. */
export const STATES_BLOCKED =
  STATES_DELAYING |
  STATES_WAITING_FOR_TIME |
  STATES_WAITING_FOR_MESSAGE |
  STATES_WAITING_FOR_EVENT |
  STATES_WAITING_FOR_SEMAPHORE |
  STATES_WAITING_FOR_MUTEX |
  STATES_WAITING_FOR_PERIOD;

const STATE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [STATES_DORMANT, 'dormant'],
  [STATES_SUSPENDED, 'suspended'],
  [STATES_DELAYING, 'delaying'],
  [STATES_WAITING_FOR_TIME, 'waiting-for-time'],
  [STATES_WAITING_FOR_MESSAGE, 'waiting-for-message'],
  [STATES_WAITING_FOR_EVENT, 'waiting-for-event'],
  [STATES_WAITING_FOR_SEMAPHORE, 'waiting-for-semaphore'],
  [STATES_WAITING_FOR_MUTEX, 'waiting-for-mutex'],
  [STATES_WAITING_FOR_PERIOD, 'waiting-for-period'],
];

/** A resource with a priority protocol that a thread may hold (a binary semaphore). */
export interface HeldMutex {
  readonly inherit: boolean;
  readonly ceiling: boolean;
  readonly ceilingPriority: number;
  readonly waitQueue: WaitQueue;
  owner: Thread | undefined;
}

/** The body of a thread: what the executive advances between yields. */
export type ThreadBody = Iterator<unknown, unknown, unknown>;

export interface ThreadSpec {
  readonly id: number;
  readonly name: number;
  readonly priority: number;
  readonly modes: number;
  readonly attributes: number;
  readonly stackSize: number;
  readonly isIdle: boolean;
  readonly context: CpuContext;
}

export class Thread {
  readonly id: number;
  readonly name: number;
  readonly isIdle: boolean;
  readonly attributes: number;
  readonly stackSize: number;
  readonly context: CpuContext;
  readonly initialPriority: number;

  /** Priority the task asked for (rtems_task_set_priority). */
  realPriority: number;
  /** Priority the scheduler uses: the real one raised by inheritance and ceilings. */
  currentPriority: number;
  state = STATES_DORMANT;
  deleted = false;

  preemptible: boolean;
  timeslice: boolean;
  asr: boolean;
  /** Interrupt level the thread starts with (its initial mode). */
  readonly initialIsrLevel: number;
  /** Ticks left in the current timeslice. */
  budget = 0;

  /** Interrupt-level cookie saved when the thread was switched out; undefined before it first ran. */
  savedLevel: number | undefined = undefined;
  entry: ((argument: number) => unknown) | undefined = undefined;
  argument = 0;
  body: ThreadBody | undefined = undefined;
  /** Compute cycles of the last step that an interrupt cut short. */
  remainingCycles = 0;

  /** The thread queue it waits on, if any. */
  waitQueue: WaitQueue | undefined = undefined;
  /** Status a blocking directive returns when the wait ends. */
  waitStatus = RtemsStatus.SUCCESSFUL;
  /** Timeouts and delays. */
  readonly timer: Watchdog;
  /** What a message-queue receive got. */
  waitMessage: Uint8Array | undefined = undefined;
  /** Event receive: requested set and option set, and the events it got. */
  waitEventIn = 0;
  waitEventOption = 0;
  waitEventOut = 0;
  /** Period id a WAITING_FOR_PERIOD thread waits on. */
  waitPeriodId = 0;

  pendingEvents = 0;
  readonly heldMutexes: HeldMutex[] = [];
  /** Times this thread was dispatched. */
  dispatches = 0;

  constructor(spec: ThreadSpec, onTimeout: (thread: Thread) => void) {
    this.id = spec.id;
    this.name = spec.name;
    this.isIdle = spec.isIdle;
    this.attributes = spec.attributes;
    this.stackSize = spec.stackSize;
    this.context = spec.context;
    this.initialPriority = spec.priority;
    this.realPriority = spec.priority;
    this.currentPriority = spec.priority;
    this.preemptible = (spec.modes & RTEMS_NO_PREEMPT) === 0;
    this.timeslice = (spec.modes & RTEMS_TIMESLICE) !== 0;
    this.asr = (spec.modes & RTEMS_NO_ASR) === 0;
    this.initialIsrLevel = spec.modes & RTEMS_INTERRUPT_MASK;
    this.timer = new Watchdog(() => onTimeout(this));
  }

  get isReady(): boolean {
    return this.state === STATES_READY && !this.deleted;
  }

  /** State for reports: 'ready', 'suspended+waiting-for-semaphore', 'deleted', ... */
  describeState(): string {
    if (this.deleted) return 'deleted';
    if (this.state === STATES_READY) return 'ready';
    return STATE_NAMES.filter(([bit]) => (this.state & bit) !== 0)
      .map(([, name]) => name)
      .join('+');
  }
}
