/**
 * The thread control block (RTEMS Thread_Control, reduced to what this executive
 * models) and the thread state bits, with the values of RTEMS's rtems/score/states.h.
 * A thread is ready when its state is STATES_READY and it has not been deleted.
 */
import type { CpuContext } from '../cpuContext.js';
import { RTEMS_INTERRUPT_MASK, RTEMS_NO_ASR, RTEMS_NO_PREEMPT, RTEMS_TIMESLICE } from '../modes.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { Watchdog } from './watchdog.js';
import type { CbsServer } from './cbsManager.js';
import type { WaitQueue } from './waitQueue.js';

export const STATES_READY = 0;
export const STATES_DORMANT = 0x0001;
export const STATES_SUSPENDED = 0x0002;
export const STATES_DELAYING = 0x0008;
export const STATES_WAITING_FOR_TIME = 0x0010;
export const STATES_WAITING_FOR_SEGMENT = 0x0040;
export const STATES_WAITING_FOR_MESSAGE = 0x0080;
export const STATES_WAITING_FOR_EVENT = 0x0100;
export const STATES_WAITING_FOR_SEMAPHORE = 0x0200;
export const STATES_WAITING_FOR_MUTEX = 0x0400;
/** A self-contained condition variable (_Condition_Wait). */
export const STATES_WAITING_FOR_CONDITION_VARIABLE = 0x0800;
export const STATES_WAITING_FOR_PERIOD = 0x4000;
export const STATES_WAITING_FOR_BARRIER = 0x1_0000;
/** rtems_event_system_receive (the transient event): RTEMS 4.11 states.h's value in this numbering. */
export const STATES_WAITING_FOR_SYSTEM_EVENT = 0x40000;

/** Every state that a wait (timeout, release, object deletion) ends. */
export const STATES_BLOCKED =
  STATES_DELAYING |
  STATES_WAITING_FOR_TIME |
  STATES_WAITING_FOR_MESSAGE |
  STATES_WAITING_FOR_EVENT |
  STATES_WAITING_FOR_SYSTEM_EVENT |
  STATES_WAITING_FOR_SEMAPHORE |
  STATES_WAITING_FOR_MUTEX |
  STATES_WAITING_FOR_CONDITION_VARIABLE |
  STATES_WAITING_FOR_PERIOD |
  STATES_WAITING_FOR_SEGMENT |
  STATES_WAITING_FOR_BARRIER;

const STATE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [STATES_DORMANT, 'dormant'],
  [STATES_SUSPENDED, 'suspended'],
  [STATES_DELAYING, 'delaying'],
  [STATES_WAITING_FOR_TIME, 'waiting-for-time'],
  [STATES_WAITING_FOR_MESSAGE, 'waiting-for-message'],
  [STATES_WAITING_FOR_EVENT, 'waiting-for-event'],
  [STATES_WAITING_FOR_SYSTEM_EVENT, 'waiting-for-system-event'],
  [STATES_WAITING_FOR_SEMAPHORE, 'waiting-for-semaphore'],
  [STATES_WAITING_FOR_MUTEX, 'waiting-for-mutex'],
  [STATES_WAITING_FOR_CONDITION_VARIABLE, 'waiting-for-condition-variable'],
  [STATES_WAITING_FOR_PERIOD, 'waiting-for-period'],
  [STATES_WAITING_FOR_SEGMENT, 'waiting-for-segment'],
  [STATES_WAITING_FOR_BARRIER, 'waiting-for-barrier'],
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

/**
 * Guest code that runs on a thread above its body, in the thread's context, as RTEMS runs
 * it on the thread's stack: an asynchronous signal routine (the Signal_action post-switch
 * action) or the extensions _Thread_Handler and the life action handler call (thread
 * begin, exitted, restart). The executive advances the top frame first; the body, and the
 * frames below, go on when it returns.
 */
export interface ThreadFrame {
  readonly code: ThreadBody;
  /** The rest of a compute step the frame below was cut short in (resumed when this frame returns). */
  readonly remainingCycles: number;
}

export interface ThreadSpec {
  readonly id: number;
  readonly name: number;
  readonly priority: number;
  readonly modes: number;
  readonly attributes: number;
  readonly stackSize: number;
  readonly isIdle: boolean;
  readonly context: CpuContext;
  /** The CPU port's CPU_MODES_INTERRUPT_MASK: the bits of `modes` that are the initial interrupt level (default RTEMS_INTERRUPT_MASK). */
  readonly interruptMask?: number;
}

/**
 * A job's deadline node (a Priority_Node holding SCHEDULER_PRIORITY_MAP( deadline ) in
 * RTEMS): a rate-monotonic period is one.
 */
export interface JobNode {
  /** The job's deadline, a tick since boot. */
  jobDeadline: number;
  /** The node is one of its owner's priority nodes (_Priority_Node_is_active). */
  jobActive: boolean;
}

export class Thread {
  readonly id: number;
  /** The object name (rtems_object_set_name changes it). */
  name: number;
  readonly isIdle: boolean;
  readonly attributes: number;
  readonly stackSize: number;
  readonly context: CpuContext;
  /** Start.initial_priority: what a restart goes back to (rtems_task_set_scheduler sets it). */
  initialPriority: number;
  /** The mode set the task was created with: a restart goes back to it. */
  readonly initialModes: number;

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
  /** The system event set (RTEMS_EVENT_SYSTEM_TRANSIENT and the other reserved system events). */
  pendingSystemEvents = 0;
  /**
   * Set when the executing thread was restarted: its new body starts at the interrupt
   * level of its initial mode (as _Thread_Handler sets it), even without a context switch.
   */
  resetLevel = false;
  /** rtems_task_config.storage_free of a constructed task: called with its storage area when it is deleted. */
  storageFree: (() => void) | undefined = undefined;
  readonly heldMutexes: HeldMutex[] = [];

  /**
   * The Classic API's ASR_Information (rtems/rtems/asrdata.h): `asr` above is is_enabled;
   * the handler rtems_signal_catch installed (undefined: none, C's NULL), its mode set,
   * and the signals sent and not yet processed (signals_pending).
   */
  asrHandler: ((signals: number) => unknown) | undefined = undefined;
  asrModeSet = 0;
  signalsPending = 0;
  /** The Signal_action is on the thread's post-switch action chain (_Thread_Add_post_switch_action). */
  signalActionPending = false;
  /** Guest code running above the body (ThreadFrame), innermost last. */
  readonly frames: ThreadFrame[] = [];
  /** _Thread_Handler's begin extensions ran for the current body. */
  begun = false;
  /** The entry returned and its exitted extensions were started. */
  exitted = false;
  /** Restarted and not run since: its restart extensions are due (_Thread_Life_action_handler). */
  restartPending = false;
  /** Its thread terminate extensions are running (the thread life is protected). */
  terminating = false;
  /** Times this thread was dispatched. */
  dispatches = 0;
  /** Time it executed (ns) up to its last switch out: Score.cpuTimeUsed adds the running stretch (_Thread_Get_CPU_time_used). */
  cpuTimeNs = 0;
  /** Score.cpuTimeUsed when rtems_cpu_usage_reset last ran (cpu_time_used_at_last_reset, cpuusagereset.c). */
  cpuTimeAtResetNs = 0;

  /**
   * EDF and CBS schedulers: the active jobs' deadline nodes (one per rate-monotonic period
   * of the thread with a released job: the_period->Priority, added by
   * _Scheduler_EDF_Release_job). Always empty under the priority scheduler.
   */
  readonly jobs: JobNode[] = [];
  /** CBS scheduler: the node of the job CBS released last (Scheduler_CBS_Node.deadline_node). */
  cbsDeadlineNode: JobNode | undefined = undefined;
  /** CBS scheduler: the server the thread is attached to (Scheduler_CBS_Node.cbs_server). */
  cbsServer: CbsServer | undefined = undefined;
  /**
   * CBS scheduler: its CPU budget operations are _Scheduler_CBS_Budget (set by
   * rtems_cbs_attach_thread; a timeslice mode change, a detach or a restart replaces them),
   * so clock ticks count its budget instead of its timeslice.
   */
  cbsBudgetCounted = false;
  /**
   * CBS scheduler: the budget left in the current job, in ticks (CPU_budget.available of
   * a thread whose budget operations are _Scheduler_CBS_Budget), a uint32_t.
   */
  cbsBudgetAvailable = 0;

  constructor(spec: ThreadSpec, onTimeout: (thread: Thread) => void) {
    this.id = spec.id;
    this.name = spec.name;
    this.isIdle = spec.isIdle;
    this.attributes = spec.attributes;
    this.stackSize = spec.stackSize;
    this.context = spec.context;
    this.initialPriority = spec.priority;
    this.initialModes = spec.modes;
    this.realPriority = spec.priority;
    this.currentPriority = spec.priority;
    this.preemptible = (spec.modes & RTEMS_NO_PREEMPT) === 0;
    this.timeslice = (spec.modes & RTEMS_TIMESLICE) !== 0;
    this.asr = (spec.modes & RTEMS_NO_ASR) === 0;
    // _Modes_Get_interrupt_level (modesimpl.h): the mode's level bits, as the CPU port defines them.
    this.initialIsrLevel = spec.modes & (spec.interruptMask ?? RTEMS_INTERRUPT_MASK);
    this.timer = new Watchdog(() => onTimeout(this));
  }

  /** Runs `code` above what the thread runs now (ThreadFrame); a cut-short compute step waits below it. */
  pushFrame(code: ThreadBody): void {
    this.frames.push({ code, remainingCycles: this.remainingCycles });
    this.remainingCycles = 0;
  }

  /**
   * A restart or delete drops what the thread was running: its frames and body (as
   * _Context_Restart_self drops the stack); a restarted thread goes through
   * _Thread_Handler again, after its restart extensions.
   */
  dropExecution(restarted: boolean): void {
    this.frames.length = 0;
    this.begun = false;
    this.exitted = false;
    this.restartPending = restarted;
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
