/**
 * The Classic API as guest applications see it: one Rtems object per executive,
 * handed to the Init task and to every task body and service routine. Directive names
 * are RTEMS's in camelCase (rtems_task_wake_after -> taskWakeAfter), status codes are
 * RtemsStatus, out-parameters come back in a result object.
 *
 * Directives that can block or dispatch are generators: use them with `yield*` from a
 * thread body. They run only when iterated: a call without `yield*` would do nothing,
 * so a directive's generator not started by the caller's next yield or next generator
 * directive call is the fatal error DIRECTIVE_NOT_DELEGATED (score.ts, directive()).
 * In a timer service routine or ISR routine (interrupt context) write the routine as a
 * generator too; there, a directive never yields (the dispatch happens after the ISR),
 * and one that would block is refused (RTEMS_CALLED_FROM_ISR) or is a fatal error, as
 * in RTEMS.
 *
 * Semantics and status codes follow the RTEMS C User's Guide chapter of each manager;
 * the internal/*Manager.ts files cite the details.
 */
import type { Apex } from './apex.js';
import type { MessageQueueConfig, TaskConfig } from './directiveConfig.js';
import { RTEMS_UNLIMITED_OBJECTS } from './configuration.js';
import { FatalSource } from './fatalSource.js';
import type { BarrierManager } from './internal/barrierManager.js';
import type { CbsManager } from './internal/cbsManager.js';
import type { CbsApprovedBudgetResult, CbsBudgetOverrun, CbsExecutionTimeResult, CbsParameters, CbsParametersResult, CbsRemainingBudgetResult, CbsServerIdResult, CbsStatus } from './cbs.js';
import { type ClockManager, timespecToBintime, timespecToSbintime, timespecToTimeval } from './internal/clockManager.js';
import type { DualPortedMemoryManager } from './internal/dualPortedMemoryManager.js';
import type { EventManager } from './internal/eventManager.js';
import type { ExtensionManager } from './internal/extensionManager.js';
import { cpuUsageReport, cpuUsageReset } from './internal/cpuUsage.js';
import { InterruptManager, type InterruptPerHandlerRoutine } from './internal/interruptManager.js';
import { IsrVectorTable } from './internal/isrVectorTable.js';
import type { InterruptCatchResult } from './simpleVectoredInterrupts.js';
import { type InterruptServerConfig, type InterruptServerEntry, InterruptServerManager, type InterruptServerRequest } from './internal/interruptServer.js';
import type { InterruptAttributesResult, InterruptEnabledResult, InterruptPendingResult, InterruptPriorityResult } from './interruptAttributes.js';
import { InterruptEntry } from './interruptEntry.js';
import { internalErrorText } from './internal/internalErrorText.js';
import { InterruptLock } from './interruptLock.js';
import type { MessageQueueManager } from './internal/messageQueueManager.js';
import type { PartitionManager } from './internal/partitionManager.js';
import type { RateMonotonicManager } from './internal/rateMonotonicManager.js';
import type { RegionManager } from './internal/regionManager.js';
import { type Score, directive } from './internal/score.js';
import type { SemaphoreManager } from './internal/semaphoreManager.js';
import {
  type RtemsBinarySemaphore,
  type RtemsConditionVariable,
  type RtemsCountingSemaphore,
  type RtemsMutex,
  type RtemsRecursiveMutex,
  SelfContainedObjects,
} from './internal/selfContainedObjects.js';
import type { SignalManager } from './internal/signalManager.js';
import type { TaskManager } from './internal/taskManager.js';
import type { TimerManager } from './internal/timerManager.js';
import { bits32 } from './internal/arguments.js';
import { RTEMS_INTERRUPT_UNIQUE } from './interruptOptions.js';
import { objectApiClassName, objectApiMaximumClass, objectApiMinimumClass, objectApiName } from './internal/objectApiNames.js';
import { ObjectServices } from './internal/objectServices.js';
import { LOCAL_NODE, OBJECTS_INTERNAL_API, OBJECTS_POSIX_API, objectIdApi, objectIdClass, objectIdIndex, objectIdNode } from './objectId.js';
import { type ObjectName, buildName } from './objectName.js';
import { RTEMS_SEARCH_ALL_NODES } from './options.js';
import { type PrintfArgument, formatPrintf } from './printf.js';
import type {
  AddressResult,
  BufferResult,
  CountResult,
  Directive,
  ClassInformationResult,
  EventResult,
  InterruptServerCountResult,
  InterruptServerIndexResult,
  IdResult,
  MessageResult,
  ModeResult,
  NameResult,
  RateMonotonicStatisticsResult,
  PeriodStatusResult,
  PosixPriorityResult,
  PriorityResult,
  RegionInformationResult,
  ResizeResult,
  SecondsResult,
  SegmentResult,
  SizeResult,
  TaskVisit,
  TimevalResult,
  TodResult,
  UptimeResult,
} from './results.js';
import { RtemsStatus } from './rtemsStatus.js';
import type { TimerInformationResult } from './timer.js';
import type { Bintime, TimeOfDay, Timespec, Timeval } from './timeOfDay.js';
import type { ExtensionsTable } from './extensions.js';
import type { AsrHandler } from './signalSet.js';
import type { CpuSet, CpuSetResult } from './cpuSet.js';
import { AffinityDirectives } from './internal/affinity.js';
import { type ApiConfigurationTable, apiConfigurationTable } from './internal/configurationTables.js';
import type { RtemsPrinter } from './printer.js';
import { CPUKIT_BUILD_LABEL, CPUKIT_COPYRIGHT_NOTICE, RTEMS_VERSION, RTEMS_VERSION_MAJOR, RTEMS_VERSION_MINOR, RTEMS_VERSION_REVISION, targetHash, versionString } from './version.js';

/**
 * A task body: `function* (rtems, argument) { ... }`. It must not return: a task ends with
 * rtems.taskExit() or taskDelete(RTEMS_SELF); a body that returns is the fatal error
 * INTERNAL_ERROR_CORE / INTERNAL_ERROR_THREAD_EXITTED, as in RTEMS.
 */
export type TaskEntry = (rtems: Rtems, argument: number) => Generator<number, void, unknown>;

/**
 * A timer service routine: runs when the timer fires, in interrupt context (fire after /
 * when) or in the Timer Server task (server fire after / when, where it may block).
 */
export type TimerServiceRoutine = (rtems: Rtems, timerId: number, userData: unknown) => void | Generator<number, void, unknown>;

/**
 * An interrupt handler installed with interruptHandlerInstall: runs in interrupt context with
 * the argument it was installed with (the vector, for the two-argument shorthand).
 */
export type IsrRoutine<A = number> = (rtems: Rtems, arg: A) => void | Generator<number, void, unknown>;

/**
 * An interrupt service routine established with interruptCatch (C's rtems_isr_entry,
 * `void (*)(rtems_vector_number)`): runs in interrupt context with the vector it was caught on.
 */
export type IsrEntry = (rtems: Rtems, vector: number) => void | Generator<number, void, unknown>;

/** The managers an Rtems object talks to (built by the Executive). */
export interface RtemsManagers {
  readonly score: Score;
  readonly tasks: TaskManager;
  readonly clock: ClockManager;
  readonly semaphores: SemaphoreManager;
  readonly messageQueues: MessageQueueManager;
  readonly events: EventManager;
  readonly timers: TimerManager;
  readonly periods: RateMonotonicManager;
  readonly partitions: PartitionManager;
  readonly regions: RegionManager;
  readonly ports: DualPortedMemoryManager;
  readonly barriers: BarrierManager;
  readonly signals: SignalManager;
  readonly extensions: ExtensionManager;
  /** The Constant Bandwidth Server Scheduler API (servers only under the 'cbs' scheduler). */
  readonly cbs: CbsManager;
  /** The ARINC 653 partition services, when the BSP offers them. */
  readonly apex?: Apex;
  /** The Init task's entry point (the application's `init`), for rtems_configuration_get_rtems_api_configuration. */
  readonly initEntryPoint?: TaskEntry;
}

export class Rtems {
  /**
   * The ARINC 653 APEX services of a partitioned BSP (ports, partition and schedule
   * control, application errors); undefined on bare metal. See apex.ts.
   */
  readonly apex: Apex | undefined;
  private readonly score: Score;
  /** Object Services over the object table of every manager. */
  private readonly objects: ObjectServices;
  /** The self-contained objects' operations (they keep no table). */
  private readonly selfContained: SelfContainedObjects;

  constructor(private readonly managers: RtemsManagers) {
    this.score = managers.score;
    this.apex = managers.apex;
    this.objects = new ObjectServices(managers.score, Object.values(managers));
    this.selfContained = new SelfContainedObjects(managers.score);
  }

  // ------------------------------------------------------------ helpers

  /** `yield rtems.compute(5000)`: 5000 cycles of work, preemptible by interrupts. */
  compute(cycles: number): number {
    return cycles;
  }

  /**
   * `yield rtems.fpCompute(5000)`: 5000 cycles of floating-point work. The task must have
   * been created with RTEMS_FLOATING_POINT when the port has an FPU (i386, SPARC): anything
   * else (a task without it, an ISR or timer routine) is the fatal error INTERNAL_ERROR_CORE /
   * ILLEGAL_USE_OF_FLOATING_POINT_UNIT (38). On a lazy-switch port (SPARC) the FP context is
   * switched here when the task does not own the FPU; on a deferred one (i386) at dispatch.
   */
  fpCompute(cycles: number): number {
    this.score.useFpu();
    return cycles;
  }

  /** rtems_build_name('T', 'A', '1', ' '). */
  buildName(c1: string, c2: string, c3: string, c4: string): number {
    return buildName(c1, c2, c3, c4);
  }

  // ------------------------------------------------------------ objects

  /**
   * rtems_build_id: `_Objects_Build_id` (score/object.h) shifts each component into its
   * field and ORs them, without masking: a component too wide spills into the next field.
   */
  buildId(api: number, objectClass: number, node: number, index: number): number {
    return ((bits32(api) << 24) | (bits32(objectClass) << 27) | (bits32(node) << 16) | bits32(index)) >>> 0;
  }

  /**
   * RTEMS_OBJECT_ID_INITIAL(api, class, node) (rtems/rtems/object.h): the id of the first
   * object of a class, _Objects_Build_id( api, class, node, OBJECTS_ID_INITIAL_INDEX ), index 1.
   */
  objectIdInitial(api: number, objectClass: number, node: number): number {
    return this.buildId(api, objectClass, node, 1);
  }

  /** rtems_object_id_get_api: bits 24-26 (the id is not checked). */
  objectIdGetApi(id: number): number {
    return objectIdApi(bits32(id));
  }

  /** rtems_object_id_get_class: bits 27-31 (the id is not checked). */
  objectIdGetClass(id: number): number {
    return objectIdClass(bits32(id));
  }

  /** rtems_object_id_get_node: bits 16-23 (the id is not checked). */
  objectIdGetNode(id: number): number {
    return objectIdNode(bits32(id));
  }

  /** rtems_object_id_get_index: bits 0-15 (the id is not checked). */
  objectIdGetIndex(id: number): number {
    return objectIdIndex(bits32(id));
  }

  /** rtems_object_get_local_node: 1, the one node (_Objects_Local_node without multiprocessing). */
  objectGetLocalNode(): number {
    return LOCAL_NODE;
  }

  /** rtems_object_id_api_minimum: OBJECTS_INTERNAL_API (1), the lowest API of an object id (rtems/rtems/object.h). */
  objectIdApiMinimum(): number {
    return OBJECTS_INTERNAL_API;
  }

  /** rtems_object_id_api_maximum: OBJECTS_APIS_LAST, the POSIX API (3) (rtems/rtems/object.h). */
  objectIdApiMaximum(): number {
    return OBJECTS_POSIX_API;
  }

  /** rtems_object_api_minimum_class: 1 for a valid API (1..3), -1 otherwise. */
  objectApiMinimumClass(api: number): number {
    return objectApiMinimumClass(api);
  }

  /** rtems_object_api_maximum_class: the last class of the API (internal 1, Classic 10, POSIX 6), 0 for an invalid one. */
  objectApiMaximumClass(api: number): number {
    return objectApiMaximumClass(api);
  }

  /** rtems_object_get_api_name: "Internal", "Classic", "POSIX"; "BAD CLASS" otherwise, as RTEMS 6's code answers. */
  objectGetApiName(api: number): string {
    return objectApiName(api);
  }

  /** rtems_object_get_api_class_name: e.g. "Message Queue" for (2, 4); "BAD API", "BAD CLASS". */
  objectGetApiClassName(api: number, objectClass: number): string {
    return objectApiClassName(api, objectClass);
  }

  /**
   * rtems_object_get_class_information (rtemsobjectgetclassinfo.c): the first and last id,
   * the maximum, auto-extend and the unused objects of a class. INVALID_NUMBER for an API
   * or class that has no table or no object configured.
   */
  objectGetClassInformation(api: number, objectClass: number): ClassInformationResult {
    return this.objects.getClassInformation(api, objectClass);
  }

  /** rtems_object_get_classic_name (RTEMS_SELF: the executing thread): INVALID_ID. */
  objectGetClassicName(id: number): NameResult {
    return this.objects.getClassicName(id);
  }

  /**
   * rtems_object_get_name: the name as text that fits a C buffer of `length` bytes (at
   * most length - 1 characters, unprintable ones as '*'); undefined (NULL) for a length
   * of 0 or an unknown id.
   */
  objectGetName(id: number, length: number): string | undefined {
    return this.objects.getName(id, length);
  }

  /**
   * rtems_object_set_name: the first four characters of `name`, padded with spaces.
   * INVALID_ADDRESS (not a string of Latin-1 characters: C's NULL), INVALID_ID.
   */
  objectSetName(id: number, name: string): RtemsStatus {
    return this.objects.setName(id, name);
  }

  // ------------------------------------------------------------ tasks

  /**
   * rtems_task_create: INVALID_NAME, INVALID_PRIORITY (0 only for RTEMS_SYSTEM_TASK), TOO_MANY,
   * UNSATISFIED (a stack size that is not a size_t). RTEMS_GLOBAL has no effect on one node.
   */
  taskCreate(name: ObjectName, priority: number, stackSize: number, initialModes: number, attributes: number): IdResult {
    return this.managers.tasks.create(name, priority, stackSize, initialModes, attributes);
  }

  /**
   * rtems_task_construct: a dormant task in the caller's storage area. INVALID_ADDRESS (no
   * configuration), INVALID_NAME, INVALID_PRIORITY, TOO_MANY, INVALID_SIZE (area below
   * RTEMS_MINIMUM_STACK_SIZE). `storageFree` is called with the area when the task is deleted.
   */
  taskConstruct(config: TaskConfig): IdResult {
    return this.managers.tasks.construct(config);
  }

  /** rtems_task_self: the calling task's id. */
  taskSelf(): number {
    return this.managers.tasks.self();
  }

  /** rtems_task_start: INVALID_ADDRESS (no entry), INVALID_ID, INCORRECT_STATE (not dormant). */
  taskStart(id: number, entry: TaskEntry, argument: number): Directive<RtemsStatus> {
    return directive(this.score, 'taskStart', startTask(this, this.managers.tasks, id, entry, argument));
  }

  /**
   * rtems_task_restart: the task starts over at its entry point with `argument`, its
   * initial priority and modes, out of any wait and not suspended. INVALID_ID,
   * INCORRECT_STATE (dormant). The calling task restarting itself never returns.
   */
  taskRestart(id: number, argument: number): Directive<RtemsStatus> {
    return directive(this.score, 'taskRestart', this.managers.tasks.restart(id, argument));
  }

  /** rtems_task_delete (RTEMS_SELF: never returns): INVALID_ID, CALLED_FROM_ISR. */
  taskDelete(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'taskDelete', this.managers.tasks.delete(id));
  }

  /** rtems_task_exit: deletes the calling task; never returns. */
  taskExit(): Directive<never> {
    return directive(this.score, 'taskExit', this.managers.tasks.exit());
  }

  /** rtems_task_suspend: INVALID_ID, ALREADY_SUSPENDED. */
  taskSuspend(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'taskSuspend', this.managers.tasks.suspend(id));
  }

  /** rtems_task_resume: INVALID_ID, INCORRECT_STATE (not suspended). */
  taskResume(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'taskResume', this.managers.tasks.resume(id));
  }

  /** rtems_task_is_suspended: SUCCESSFUL (not suspended), ALREADY_SUSPENDED, INVALID_ID. */
  taskIsSuspended(id: number): RtemsStatus {
    return this.managers.tasks.isSuspended(id);
  }

  /**
   * rtems_task_set_priority (RTEMS_CURRENT_PRIORITY queries): INVALID_ID, INVALID_PRIORITY
   * (with the current priority still reported, as RTEMS does).
   */
  taskSetPriority(id: number, priority: number): Directive<PriorityResult> {
    return directive(this.score, 'taskSetPriority', this.managers.tasks.setPriority(id, priority));
  }

  /** rtems_task_get_priority: the current priority for the scheduler (under EDF and CBS a task with a job answers its deadline in ticks). INVALID_ID (scheduler, then task). */
  taskGetPriority(taskId: number, schedulerId: number): PriorityResult {
    return this.managers.tasks.getPriority(taskId, schedulerId);
  }

  /** rtems_task_get_scheduler: the home scheduler's id (the one scheduler). INVALID_ID. */
  taskGetScheduler(taskId: number): IdResult {
    return this.managers.tasks.getScheduler(taskId);
  }

  /**
   * rtems_task_set_scheduler: with one scheduler, sets the real and initial priority.
   * INVALID_ID (scheduler), INVALID_PRIORITY, INVALID_ID (task), RESOURCE_IN_USE (waiting on
   * a semaphore or message queue, or raised by a semaphore it holds).
   */
  taskSetScheduler(taskId: number, schedulerId: number, priority: number): Directive<RtemsStatus> {
    return directive(this.score, 'taskSetScheduler', this.managers.tasks.setScheduler(taskId, schedulerId, priority));
  }

  /** rtems_scheduler_ident: the one scheduler, by its configured name ('UPD ', 'UEDF' or 'UCBS'). INVALID_NAME. */
  schedulerIdent(name: ObjectName): IdResult {
    return this.managers.tasks.schedulerIdent(name);
  }

  /** rtems_scheduler_ident_by_processor: the one scheduler for processor 0; INVALID_NAME for any other index. */
  schedulerIdentByProcessor(cpuIndex: number): IdResult {
    return this.managers.tasks.schedulerIdentByProcessor(cpuIndex);
  }

  /**
   * rtems_scheduler_ident_by_processor_set (scheduleridentbyprocessorset.c): the one
   * scheduler for a set containing processor 0. INVALID_ADDRESS (not a CpuSet; a cpusetsize
   * larger than the set), INVALID_SIZE (not a multiple of 4), INVALID_NAME (no online processor).
   */
  schedulerIdentByProcessorSet(cpusetsize: number, cpuset: CpuSet): IdResult {
    return this.affinity.schedulerIdentByProcessorSet(cpusetsize, cpuset);
  }

  /**
   * rtems_scheduler_get_processor_set (schedulergetprocessorset.c): a new CpuSet of
   * `cpusetsize` bytes holding processor 0. INVALID_ID, INVALID_SIZE.
   */
  schedulerGetProcessorSet(schedulerId: number, cpusetsize: number): CpuSetResult {
    return this.affinity.schedulerGetProcessorSet(schedulerId, cpusetsize);
  }

  /** rtems_scheduler_get_maximum_priority: 255 (0x7fffffff under EDF and CBS). INVALID_ID. */
  schedulerGetMaximumPriority(schedulerId: number): PriorityResult {
    return this.managers.tasks.schedulerGetMaximumPriority(schedulerId);
  }

  /** rtems_scheduler_map_priority_to_posix: maximum - priority for 1..maximum - 1 (maximum 255, or 0x7fffffff under EDF and CBS). INVALID_ID, INVALID_PRIORITY. */
  schedulerMapPriorityToPosix(schedulerId: number, priority: number): PosixPriorityResult {
    return this.managers.tasks.schedulerMapPriorityToPosix(schedulerId, priority);
  }

  /** rtems_scheduler_map_priority_from_posix: maximum - POSIX priority for 1..maximum - 1. INVALID_ID, INVALID_PRIORITY. */
  schedulerMapPriorityFromPosix(schedulerId: number, posixPriority: number): PriorityResult {
    return this.managers.tasks.schedulerMapPriorityFromPosix(schedulerId, posixPriority);
  }

  /** rtems_scheduler_get_processor: the index of the executing processor, 0 (no SMP: _SMP_Get_current_processor is 0). */
  schedulerGetProcessor(): number {
    return 0;
  }

  /** rtems_scheduler_get_processor_maximum: 1 (no SMP: _SMP_Get_processor_maximum is 1). */
  schedulerGetProcessorMaximum(): number {
    return 1;
  }

  /** rtems_get_processor_count: 1, the processors configured (rtems/rtems/smp.h, getprocessorcount.c). */
  getProcessorCount(): number {
    return 1;
  }

  /** rtems_get_current_processor: 0, the index of the processor that executes the caller (getcurrentprocessor.c). */
  getCurrentProcessor(): number {
    return 0;
  }

  /**
   * rtems_task_get_affinity (taskgetaffinity.c): a new CpuSet of `cpusetsize` bytes holding
   * processor 0, the one processor. INVALID_ID, INVALID_SIZE (a size that is not a multiple
   * of 4, or 0; above CPU_SET_MAX_SIZE too, a bound of this binding). See internal/affinity.ts.
   */
  taskGetAffinity(id: number, cpusetsize: number): CpuSetResult {
    return this.affinity.taskGetAffinity(id, cpusetsize);
  }

  /**
   * rtems_task_set_affinity (tasksetaffinity.c): INVALID_ADDRESS (not a CpuSet: C's NULL;
   * a cpusetsize larger than the set), INVALID_ID, INVALID_NUMBER (a size that is not a
   * multiple of 4, or a set without processor 0). The affinity stays {0}.
   */
  taskSetAffinity(id: number, cpusetsize: number, cpuset: CpuSet): RtemsStatus {
    return this.affinity.taskSetAffinity(id, cpusetsize, cpuset);
  }

  /**
   * RTEMS_TASK_STORAGE_SIZE(size, attributes) (rtems/rtems/tasks.h): the storage area a
   * taskConstruct needs for `size` bytes of stack and thread-local storage. RTEMS adds
   * CONTEXT_FP_SIZE for an RTEMS_FLOATING_POINT task; this executive keeps floating-point
   * contexts outside the storage area (taskConstruct checks the area against
   * RTEMS_MINIMUM_STACK_SIZE only), so it adds nothing on either port: the size itself.
   */
  taskStorageSize(size: number, attributes: number): number {
    void attributes;
    return typeof size === 'number' && Number.isFinite(size) ? Math.trunc(size) : 0;
  }

  /**
   * rtems_task_iterate: `visitor(task, argument)` for IDLE and every task, in id order, until
   * it returns a truthy value. The visitor gets a snapshot of each task (TaskVisit).
   */
  taskIterate<A>(visitor: (task: TaskVisit, argument: A) => unknown, argument: A): void {
    this.managers.tasks.iterate(visitor, argument);
  }

  /** rtems_task_mode: returns the previous mode; RTEMS_CURRENT_MODE with mask 0 only queries. */
  taskMode(modeSet: number, mask: number): Directive<ModeResult> {
    return directive(this.score, 'taskMode', this.managers.tasks.mode(modeSet, mask));
  }

  /** rtems_task_wake_after (RTEMS_YIELD_PROCESSOR = 0 yields). From an ISR: fatal error BAD_THREAD_DISPATCH_DISABLE_LEVEL. */
  taskWakeAfter(ticks: number): Directive<RtemsStatus> {
    return directive(this.score, 'taskWakeAfter', this.managers.tasks.wakeAfter(ticks));
  }

  /**
   * rtems_task_wake_when: NOT_DEFINED (clock not set), INVALID_ADDRESS, INVALID_CLOCK. A
   * valid time from an ISR: fatal error BAD_THREAD_DISPATCH_DISABLE_LEVEL.
   */
  taskWakeWhen(tod: TimeOfDay): Directive<RtemsStatus> {
    return directive(this.score, 'taskWakeWhen', this.managers.tasks.wakeWhen(tod));
  }

  /** rtems_task_ident (RTEMS_WHO_AM_I = 0: the caller): INVALID_NAME. */
  taskIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.tasks.ident(name, node);
  }

  // ------------------------------------------------------------ clock

  /** rtems_clock_set: INVALID_ADDRESS, INVALID_CLOCK. */
  clockSet(tod: TimeOfDay): Directive<RtemsStatus> {
    return directive(this.score, 'clockSet', this.managers.clock.set(tod));
  }

  /** rtems_clock_get_tod: NOT_DEFINED before the clock is set. */
  clockGetTod(): TodResult {
    return this.managers.clock.getTod();
  }

  /** rtems_clock_get_seconds_since_epoch (1988-01-01): NOT_DEFINED before the clock is set. */
  clockGetSecondsSinceEpoch(): SecondsResult {
    return this.managers.clock.getSecondsSinceEpoch();
  }

  /** rtems_clock_get_ticks_per_second. */
  clockGetTicksPerSecond(): number {
    return this.managers.clock.getTicksPerSecond();
  }

  /** rtems_clock_get_ticks_since_boot: an rtems_interval, wrapping at 2^32. */
  clockGetTicksSinceBoot(): number {
    return this.managers.clock.getTicksSinceBoot();
  }

  /** rtems_clock_tick_later: the tick `delta` ticks from now. */
  clockTickLater(delta: number): number {
    return this.managers.clock.tickLater(delta);
  }

  /** rtems_clock_tick_later_usec: a tick at least `deltaUsec` microseconds from now (rounded up, plus one). */
  clockTickLaterUsec(deltaUsec: number): number {
    return this.managers.clock.tickLaterUsec(deltaUsec);
  }

  /** rtems_clock_tick_before: whether `tick` is still in the future (a busy wait's timeout). */
  clockTickBefore(tick: number): boolean {
    return this.managers.clock.tickBefore(tick);
  }

  /** rtems_clock_get_uptime. */
  clockGetUptime(): UptimeResult {
    return this.managers.clock.getUptime();
  }

  /** rtems_clock_get_tod_timeval: CLOCK_REALTIME (since 1970) as a timeval. NOT_DEFINED before the clock is set. */
  clockGetTodTimeval(): TimevalResult {
    return this.managers.clock.getTodTimeval();
  }

  // CLOCK_REALTIME counts from 1970 (1988-01-01 at boot until the clock is set); CLOCK_MONOTONIC
  // from 1 s at boot; the boot time is their difference (see ClockManager). All at tick
  // resolution: the "coarse" variants are RTEMS's, the others read the timecounter in RTEMS.

  /** rtems_clock_get_realtime. */
  clockGetRealtime(): Timespec {
    return this.managers.clock.realtime();
  }

  /** rtems_clock_get_realtime_bintime. */
  clockGetRealtimeBintime(): Bintime {
    return timespecToBintime(this.managers.clock.realtime());
  }

  /** rtems_clock_get_realtime_timeval. */
  clockGetRealtimeTimeval(): Timeval {
    return timespecToTimeval(this.managers.clock.realtime());
  }

  /** rtems_clock_get_realtime_coarse: CLOCK_REALTIME at the last clock tick. */
  clockGetRealtimeCoarse(): Timespec {
    return this.managers.clock.realtime();
  }

  /** rtems_clock_get_realtime_coarse_bintime. */
  clockGetRealtimeCoarseBintime(): Bintime {
    return timespecToBintime(this.managers.clock.realtime());
  }

  /** rtems_clock_get_realtime_coarse_timeval. */
  clockGetRealtimeCoarseTimeval(): Timeval {
    return timespecToTimeval(this.managers.clock.realtime());
  }

  /** rtems_clock_get_monotonic. */
  clockGetMonotonic(): Timespec {
    return this.managers.clock.monotonic();
  }

  /** rtems_clock_get_monotonic_bintime. */
  clockGetMonotonicBintime(): Bintime {
    return timespecToBintime(this.managers.clock.monotonic());
  }

  /** rtems_clock_get_monotonic_sbintime: a signed 32.32 fixed-point count of seconds (sbintime_t, a bigint). */
  clockGetMonotonicSbintime(): bigint {
    return timespecToSbintime(this.managers.clock.monotonic());
  }

  /** rtems_clock_get_monotonic_timeval. */
  clockGetMonotonicTimeval(): Timeval {
    return timespecToTimeval(this.managers.clock.monotonic());
  }

  /** rtems_clock_get_monotonic_coarse: CLOCK_MONOTONIC at the last clock tick. */
  clockGetMonotonicCoarse(): Timespec {
    return this.managers.clock.monotonic();
  }

  /** rtems_clock_get_monotonic_coarse_bintime. */
  clockGetMonotonicCoarseBintime(): Bintime {
    return timespecToBintime(this.managers.clock.monotonic());
  }

  /** rtems_clock_get_monotonic_coarse_timeval. */
  clockGetMonotonicCoarseTimeval(): Timeval {
    return timespecToTimeval(this.managers.clock.monotonic());
  }

  /** rtems_clock_get_boot_time: CLOCK_REALTIME at boot (moves when the clock is set). */
  clockGetBootTime(): Timespec {
    return this.managers.clock.bootTime();
  }

  /** rtems_clock_get_boot_time_bintime. */
  clockGetBootTimeBintime(): Bintime {
    return timespecToBintime(this.managers.clock.bootTime());
  }

  /** rtems_clock_get_boot_time_timeval. */
  clockGetBootTimeTimeval(): Timeval {
    return timespecToTimeval(this.managers.clock.bootTime());
  }

  /** rtems_clock_get_uptime_timeval: time since boot (zero-based) as a timeval. */
  clockGetUptimeTimeval(): Timeval {
    return this.managers.clock.getUptimeTimeval();
  }

  /** rtems_clock_get_uptime_seconds: whole seconds since boot. */
  clockGetUptimeSeconds(): number {
    return this.managers.clock.getUptimeSeconds();
  }

  /** rtems_clock_get_uptime_nanoseconds: nanoseconds since boot. */
  clockGetUptimeNanoseconds(): number {
    return this.managers.clock.getUptimeNanoseconds();
  }

  /**
   * rtems_timespec_to_ticks (score/src/timespectoticks.c): the ticks that cover `time`,
   * rounded up; 0 for a zero time. uint32_t arithmetic, as in C: a long time wraps.
   */
  timespecToTicks(time: Timespec): number {
    const ticksPerSecond = this.score.ticksPerSecond;
    const nsPerTick = this.score.nsPerTick;
    if (typeof time !== 'object' || time === null) throw new TypeError('rtems_timespec_to_ticks: time is not a timespec');
    const seconds = bits32(time.seconds);
    const nanoseconds = bits32(time.nanoseconds);
    if (seconds === 0 && nanoseconds === 0) return 0;
    const ticks = Math.imul(seconds, ticksPerSecond) + Math.floor(nanoseconds / nsPerTick) + (nanoseconds % nsPerTick !== 0 ? 1 : 0);
    return ticks >>> 0;
  }

  /**
   * rtems_timespec_from_ticks (score/src/timespecfromticks.c): `ticks` times the
   * microseconds per tick, as a uint32_t count of microseconds (it wraps past 2^32 us,
   * about 71 minutes), split into seconds and nanoseconds.
   */
  timespecFromTicks(ticks: number): Timespec {
    const microseconds = Math.imul(bits32(ticks), this.score.config.microsecondsPerTick) >>> 0;
    return { seconds: Math.floor(microseconds / 1_000_000), nanoseconds: (microseconds % 1_000_000) * 1000 };
  }

  // ------------------------------------------------------------ semaphores

  /** rtems_semaphore_create: INVALID_NAME, MP_NOT_CONFIGURED, NOT_DEFINED, INVALID_NUMBER, INVALID_PRIORITY, TOO_MANY. */
  semaphoreCreate(name: ObjectName, count: number, attributes: number, priorityCeiling = 0): IdResult {
    return this.managers.semaphores.create(name, count, attributes, priorityCeiling);
  }

  /** rtems_semaphore_delete: INVALID_ID, RESOURCE_IN_USE. */
  semaphoreDelete(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'semaphoreDelete', this.managers.semaphores.delete(id));
  }

  /** rtems_semaphore_obtain: INVALID_ID, UNSATISFIED, TIMEOUT, OBJECT_WAS_DELETED, INVALID_PRIORITY, INCORRECT_STATE. */
  semaphoreObtain(id: number, optionSet: number, timeout: number): Directive<RtemsStatus> {
    return directive(this.score, 'semaphoreObtain', this.managers.semaphores.obtain(id, optionSet, timeout));
  }

  /** rtems_semaphore_release: INVALID_ID, NOT_OWNER_OF_RESOURCE, UNSATISFIED (count overflow). */
  semaphoreRelease(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'semaphoreRelease', this.managers.semaphores.release(id));
  }

  /** rtems_semaphore_flush: INVALID_ID, NOT_DEFINED (priority protocol). */
  semaphoreFlush(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'semaphoreFlush', this.managers.semaphores.flush(id));
  }

  /**
   * rtems_semaphore_set_priority: the ceiling of a priority ceiling semaphore before the
   * call (RTEMS_CURRENT_PRIORITY only queries); an owner's priority follows the new one.
   * INVALID_ID (scheduler, then semaphore), INVALID_PRIORITY, NOT_DEFINED (no ceiling).
   */
  semaphoreSetPriority(semaphoreId: number, schedulerId: number, newPriority: number): Directive<PriorityResult> {
    return directive(this.score, 'semaphoreSetPriority', this.managers.semaphores.setPriority(semaphoreId, schedulerId, newPriority));
  }

  /** rtems_semaphore_ident: INVALID_NAME. */
  semaphoreIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.semaphores.ident(name, node);
  }

  // ------------------------------------------------------------ message queues

  /**
   * rtems_message_queue_create: INVALID_NAME, INVALID_NUMBER, INVALID_SIZE, TOO_MANY,
   * INVALID_SIZE / INVALID_NUMBER (buffer area past SIZE_MAX), UNSATISFIED (workspace).
   * RTEMS_GLOBAL has no effect on one node.
   */
  messageQueueCreate(name: ObjectName, count: number, maximumSize: number, attributes: number): IdResult {
    return this.managers.messageQueues.create(name, count, maximumSize, attributes);
  }

  /**
   * rtems_message_queue_construct: a queue in the caller's storage area (no workspace).
   * INVALID_ADDRESS (no configuration), then as create, with UNSATISFIED when the area is
   * missing or `storageSize` is not count * messageQueueBufferSize(maximumMessageSize).
   */
  messageQueueConstruct(config: MessageQueueConfig): IdResult {
    return this.managers.messageQueues.construct(config);
  }

  /** rtems_message_queue_send: INVALID_ADDRESS, INVALID_ID, INVALID_SIZE, TOO_MANY (queue full). */
  messageQueueSend(id: number, buffer: Uint8Array): Directive<RtemsStatus> {
    return directive(this.score, 'messageQueueSend', this.managers.messageQueues.submit(id, buffer, false));
  }

  /** rtems_message_queue_urgent: like send, at the head of the queue. */
  messageQueueUrgent(id: number, buffer: Uint8Array): Directive<RtemsStatus> {
    return directive(this.score, 'messageQueueUrgent', this.managers.messageQueues.submit(id, buffer, true));
  }

  /** rtems_message_queue_broadcast: the count of tasks readied. */
  messageQueueBroadcast(id: number, buffer: Uint8Array): Directive<CountResult> {
    return directive(this.score, 'messageQueueBroadcast', this.managers.messageQueues.broadcast(id, buffer));
  }

  /** rtems_message_queue_receive: INVALID_ID, UNSATISFIED, TIMEOUT, OBJECT_WAS_DELETED. */
  messageQueueReceive(id: number, optionSet: number, timeout: number): Directive<MessageResult> {
    return directive(this.score, 'messageQueueReceive', this.managers.messageQueues.receive(id, optionSet, timeout));
  }

  /** rtems_message_queue_get_number_pending. */
  messageQueueGetNumberPending(id: number): CountResult {
    return this.managers.messageQueues.getNumberPending(id);
  }

  /** rtems_message_queue_flush: the count of messages dropped. */
  messageQueueFlush(id: number): CountResult {
    return this.managers.messageQueues.flush(id);
  }

  /** rtems_message_queue_delete: INVALID_ID; waiting receivers get OBJECT_WAS_DELETED. */
  messageQueueDelete(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'messageQueueDelete', this.managers.messageQueues.delete(id));
  }

  /** rtems_message_queue_ident: INVALID_NAME. */
  messageQueueIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.messageQueues.ident(name, node);
  }

  // ------------------------------------------------------------ partitions, regions, dual-ported memory, barriers
  // Memory addresses are numbers in the application's 32-bit address space (uintptr_t);
  // the application chooses its areas, the executive keeps only their bookkeeping.

  /**
   * rtems_partition_create: buffers of `bufferSize` bytes in `length` bytes at
   * `startingAddress`. INVALID_NAME, INVALID_ADDRESS (0, not on a 4-byte boundary),
   * INVALID_SIZE (0, length below the buffer size, buffer size not a multiple of 4 or
   * below 8), TOO_MANY. RTEMS_GLOBAL has no effect on a single node.
   */
  partitionCreate(name: ObjectName, startingAddress: number, length: number, bufferSize: number, attributes: number): IdResult {
    return this.managers.partitions.create(name, startingAddress, length, bufferSize, attributes);
  }

  /** rtems_partition_ident: INVALID_NAME. */
  partitionIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.partitions.ident(name, node);
  }

  /** rtems_partition_delete: INVALID_ID, RESOURCE_IN_USE (buffers out). */
  partitionDelete(id: number): RtemsStatus {
    return this.managers.partitions.delete(id);
  }

  /** rtems_partition_get_buffer: never waits; INVALID_ID, UNSATISFIED (none free). */
  partitionGetBuffer(id: number): BufferResult {
    return this.managers.partitions.getBuffer(id);
  }

  /** rtems_partition_return_buffer: INVALID_ID, INVALID_ADDRESS (not a buffer handed out). */
  partitionReturnBuffer(id: number, buffer: number): RtemsStatus {
    return this.managers.partitions.returnBuffer(id, buffer);
  }

  /**
   * rtems_region_create: a heap over `length` bytes at `startingAddress`, segments in
   * multiples of `pageSize` (rounded up to 8; 0: 8). RTEMS_FIFO or RTEMS_PRIORITY waiters.
   * INVALID_NAME, INVALID_ADDRESS (0), TOO_MANY, INVALID_SIZE (page size or area).
   */
  regionCreate(name: ObjectName, startingAddress: number, length: number, pageSize: number, attributes: number): IdResult {
    return this.managers.regions.create(name, startingAddress, length, pageSize, attributes);
  }

  /** rtems_region_ident: INVALID_NAME. */
  regionIdent(name: ObjectName): IdResult {
    return this.managers.regions.ident(name);
  }

  /** rtems_region_delete: INVALID_ID, RESOURCE_IN_USE (segments allocated). */
  regionDelete(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'regionDelete', this.managers.regions.delete(id));
  }

  /** rtems_region_extend: adds a memory area. INVALID_ADDRESS (0, or an area the heap refuses), INVALID_ID. */
  regionExtend(id: number, startingAddress: number, length: number): RtemsStatus {
    return this.managers.regions.extend(id, startingAddress, length);
  }

  /**
   * rtems_region_get_segment: RTEMS_WAIT (`timeout` ticks, RTEMS_NO_TIMEOUT for ever) or
   * RTEMS_NO_WAIT. INVALID_SIZE (0, above the maximum segment size), INVALID_ID,
   * UNSATISFIED, TIMEOUT, OBJECT_WAS_DELETED.
   */
  regionGetSegment(id: number, size: number, optionSet: number, timeout: number): Directive<SegmentResult> {
    return directive(this.score, 'regionGetSegment', this.managers.regions.getSegment(id, size, optionSet, timeout));
  }

  /** rtems_region_return_segment: serves waiting tasks. INVALID_ID, INVALID_ADDRESS (not a segment). */
  regionReturnSegment(id: number, segment: number): Directive<RtemsStatus> {
    return directive(this.score, 'regionReturnSegment', this.managers.regions.returnSegment(id, segment));
  }

  /** rtems_region_get_segment_size: INVALID_ADDRESS (0, not a segment), INVALID_ID. */
  regionGetSegmentSize(id: number, segment: number): SizeResult {
    return this.managers.regions.getSegmentSize(id, segment);
  }

  /** rtems_region_resize_segment, in place: INVALID_ID, INVALID_ADDRESS, UNSATISFIED (old size still reported). */
  regionResizeSegment(id: number, segment: number, size: number): Directive<ResizeResult> {
    return directive(this.score, 'regionResizeSegment', this.managers.regions.resizeSegment(id, segment, size));
  }

  /** rtems_region_get_information: free and used blocks. INVALID_ID. */
  regionGetInformation(id: number): RegionInformationResult {
    return this.managers.regions.getInformation(id);
  }

  /** rtems_region_get_free_information: free blocks (used all zero). INVALID_ID. */
  regionGetFreeInformation(id: number): RegionInformationResult {
    return this.managers.regions.getFreeInformation(id);
  }

  /** rtems_port_create: INVALID_NAME, INVALID_ADDRESS (a start not on an 8-byte boundary), TOO_MANY. */
  portCreate(name: ObjectName, internalStart: number, externalStart: number, length: number): IdResult {
    return this.managers.ports.create(name, internalStart, externalStart, length);
  }

  /** rtems_port_ident: INVALID_NAME. */
  portIdent(name: ObjectName): IdResult {
    return this.managers.ports.ident(name);
  }

  /** rtems_port_delete: INVALID_ID. */
  portDelete(id: number): RtemsStatus {
    return this.managers.ports.delete(id);
  }

  /** rtems_port_external_to_internal: an address outside the port comes back unchanged. INVALID_ID. */
  portExternalToInternal(id: number, external: number): AddressResult {
    return this.managers.ports.externalToInternal(id, external);
  }

  /** rtems_port_internal_to_external: an address outside the port comes back unchanged. INVALID_ID. */
  portInternalToExternal(id: number, internal: number): AddressResult {
    return this.managers.ports.internalToExternal(id, internal);
  }

  /**
   * rtems_barrier_create: RTEMS_BARRIER_MANUAL_RELEASE (default) or
   * RTEMS_BARRIER_AUTOMATIC_RELEASE after `maximumWaiters` tasks. INVALID_NAME,
   * INVALID_NUMBER (automatic with 0), TOO_MANY.
   */
  barrierCreate(name: ObjectName, attributes: number, maximumWaiters: number): IdResult {
    return this.managers.barriers.create(name, attributes, maximumWaiters);
  }

  /** rtems_barrier_ident: INVALID_NAME. */
  barrierIdent(name: ObjectName): IdResult {
    return this.managers.barriers.ident(name);
  }

  /** rtems_barrier_delete: INVALID_ID; waiting tasks get OBJECT_WAS_DELETED. */
  barrierDelete(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'barrierDelete', this.managers.barriers.delete(id));
  }

  /** rtems_barrier_wait (`timeout` ticks, RTEMS_NO_TIMEOUT for ever): INVALID_ID, TIMEOUT, OBJECT_WAS_DELETED. */
  barrierWait(id: number, timeout: number): Directive<RtemsStatus> {
    return directive(this.score, 'barrierWait', this.managers.barriers.wait(id, timeout));
  }

  /** rtems_barrier_release: the count of tasks released. INVALID_ID. */
  barrierRelease(id: number): Directive<CountResult> {
    return directive(this.score, 'barrierRelease', this.managers.barriers.release(id));
  }

  // ------------------------------------------------------------ events

  /** rtems_event_send: INVALID_ID. */
  eventSend(id: number, eventIn: number): Directive<RtemsStatus> {
    return directive(this.score, 'eventSend', this.managers.events.send(id, eventIn));
  }

  /** rtems_event_receive (RTEMS_PENDING_EVENTS = 0 queries): UNSATISFIED, TIMEOUT. */
  eventReceive(eventIn: number, optionSet: number, timeout: number): Directive<EventResult> {
    return directive(this.score, 'eventReceive', this.managers.events.receive(eventIn, optionSet, timeout));
  }

  /** rtems_event_system_send: events of the task's system event set (separate from its application events). INVALID_ID. */
  eventSystemSend(id: number, eventIn: number): Directive<RtemsStatus> {
    return directive(this.score, 'eventSystemSend', this.managers.events.systemSend(id, eventIn));
  }

  /** rtems_event_system_receive: as eventReceive, on the calling task's system event set. UNSATISFIED, TIMEOUT. */
  eventSystemReceive(eventIn: number, optionSet: number, timeout: number): Directive<EventResult> {
    return directive(this.score, 'eventSystemReceive', this.managers.events.systemReceive(eventIn, optionSet, timeout));
  }

  /** rtems_event_transient_send: RTEMS_EVENT_SYSTEM_TRANSIENT to the task (its system event set). INVALID_ID. */
  eventTransientSend(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'eventTransientSend', this.managers.events.transientSend(id));
  }

  /** rtems_event_transient_receive: waits `ticks` at most (0: for ever) or RTEMS_NO_WAIT. UNSATISFIED, TIMEOUT. */
  eventTransientReceive(optionSet: number, ticks: number): Directive<RtemsStatus> {
    return directive(this.score, 'eventTransientReceive', this.managers.events.transientReceive(optionSet, ticks));
  }

  /** rtems_event_transient_clear: drops a pending transient event of the calling task. */
  eventTransientClear(): void {
    this.managers.events.transientClear();
  }

  // ------------------------------------------------------------ timers

  /** rtems_timer_create: INVALID_NAME, TOO_MANY. */
  timerCreate(name: ObjectName): IdResult {
    return this.managers.timers.create(name);
  }

  /** rtems_timer_fire_after: INVALID_NUMBER (0 ticks), INVALID_ADDRESS, INVALID_ID. The routine runs in the tick's ISR. */
  timerFireAfter(id: number, ticks: number, routine: TimerServiceRoutine, userData?: unknown): RtemsStatus {
    return this.managers.timers.fireAfter(id, ticks, this.bindTimerRoutine(routine), userData);
  }

  /**
   * rtems_timer_fire_when: NOT_DEFINED (clock not set), INVALID_ADDRESS (no routine, no
   * time), INVALID_CLOCK (invalid, or not after the current second), INVALID_ID.
   */
  timerFireWhen(id: number, tod: TimeOfDay, routine: TimerServiceRoutine, userData?: unknown): RtemsStatus {
    return this.managers.timers.fireWhen(id, tod, this.bindTimerRoutine(routine), userData);
  }

  /**
   * rtems_timer_initiate_server: creates and starts the Timer Server, the task 'TIME' at
   * `priority` (RTEMS_TIMER_SERVER_DEFAULT_PRIORITY: 0, above every application task),
   * no-preempt, `attributeSet | RTEMS_SYSTEM_TASK`; it takes one of maximumTasks.
   * INCORRECT_STATE (already initiated), INVALID_PRIORITY, TOO_MANY, UNSATISFIED (a stack
   * size that is not a size_t). A server more important than the caller runs at once (and
   * waits for work) before this returns.
   */
  timerInitiateServer(priority: number, stackSize: number, attributeSet: number): Directive<RtemsStatus> {
    return directive(this.score, 'timerInitiateServer', this.managers.timers.initiateServer(this.managers.tasks, priority, stackSize, attributeSet));
  }

  /**
   * rtems_timer_server_fire_after: as timerFireAfter, but the routine runs in the Timer
   * Server task (thread context, the server's priority: it may block). INCORRECT_STATE
   * before timerInitiateServer, then INVALID_NUMBER, INVALID_ADDRESS, INVALID_ID.
   */
  timerServerFireAfter(id: number, ticks: number, routine: TimerServiceRoutine, userData?: unknown): RtemsStatus {
    return this.managers.timers.serverFireAfter(id, ticks, this.bindTimerRoutine(routine), userData);
  }

  /**
   * rtems_timer_server_fire_when: as timerFireWhen, routine in the Timer Server task.
   * INCORRECT_STATE before timerInitiateServer, then NOT_DEFINED, INVALID_ADDRESS,
   * INVALID_CLOCK, INVALID_ID.
   */
  timerServerFireWhen(id: number, tod: TimeOfDay, routine: TimerServiceRoutine, userData?: unknown): RtemsStatus {
    return this.managers.timers.serverFireWhen(id, tod, this.bindTimerRoutine(routine), userData);
  }

  /** rtems_timer_cancel: INVALID_ID. A server timer that expired but has not run yet does not run. */
  timerCancel(id: number): RtemsStatus {
    return this.managers.timers.cancel(id);
  }

  /** rtems_timer_reset: INVALID_ID, NOT_DEFINED (not an interval timer; a server interval timer is one). */
  timerReset(id: number): RtemsStatus {
    return this.managers.timers.reset(id);
  }

  /** rtems_timer_delete: INVALID_ID. */
  timerDelete(id: number): RtemsStatus {
    return this.managers.timers.delete(id);
  }

  /** rtems_timer_ident: INVALID_NAME. */
  timerIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.timers.ident(name, node);
  }

  /** rtems_timer_get_information: class (TIMER_DORMANT ... TIMER_TIME_OF_DAY_ON_TASK), initial, start and stop tick. INVALID_ID. */
  timerGetInformation(id: number): TimerInformationResult {
    return this.managers.timers.getInformation(id);
  }

  private bindTimerRoutine(routine: TimerServiceRoutine): ((id: number, userData: unknown) => unknown) | undefined {
    return typeof routine === 'function' ? (id, userData) => routine(this, id, userData) : undefined;
  }

  // ------------------------------------------------------------ rate monotonic

  /** rtems_rate_monotonic_create: INVALID_NAME, TOO_MANY. The caller owns the period. */
  rateMonotonicCreate(name: ObjectName): IdResult {
    return this.managers.periods.create(name);
  }

  /** rtems_rate_monotonic_period (RTEMS_PERIOD_STATUS = 0 queries): TIMEOUT on a missed deadline, NOT_OWNER_OF_RESOURCE. */
  rateMonotonicPeriod(id: number, length: number): Directive<RtemsStatus> {
    return directive(this.score, 'rateMonotonicPeriod', this.managers.periods.period(id, length));
  }

  /** rtems_rate_monotonic_cancel: INVALID_ID, NOT_OWNER_OF_RESOURCE. */
  rateMonotonicCancel(id: number): RtemsStatus {
    return this.managers.periods.cancel(id);
  }

  /** rtems_rate_monotonic_delete: INVALID_ID. */
  rateMonotonicDelete(id: number): Directive<RtemsStatus> {
    return directive(this.score, 'rateMonotonicDelete', this.managers.periods.delete(id));
  }

  /** rtems_rate_monotonic_get_status, with the missed-deadline count. */
  rateMonotonicGetStatus(id: number): PeriodStatusResult {
    return this.managers.periods.getStatus(id);
  }

  /** rtems_rate_monotonic_get_statistics: INVALID_ID; count, missed count, CPU and wall time per job (min/max/total, ns). */
  rateMonotonicGetStatistics(id: number): RateMonotonicStatisticsResult {
    return this.managers.periods.getStatistics(id);
  }

  /** rtems_rate_monotonic_reset_statistics: INVALID_ID. */
  rateMonotonicResetStatistics(id: number): RtemsStatus {
    return this.managers.periods.resetStatistics(id);
  }

  /** rtems_rate_monotonic_reset_all_statistics. */
  rateMonotonicResetAllStatistics(): void {
    this.managers.periods.resetAllStatistics();
  }

  /** rtems_rate_monotonic_report_statistics: the statistics of every period, printed with printk. */
  rateMonotonicReportStatistics(): void {
    this.rateMonotonicReportStatisticsWithPlugin((text) => void this.write(text.replaceAll('%', '%%'), []));
  }

  /**
   * rtems_rate_monotonic_report_statistics_with_plugin (ratemonreportstatistics.c): the
   * report of rateMonotonicReportStatistics, each piece handed to `printer` (an RtemsPrinter,
   * rtems_printer's JS form) as formatted text. Anything but a function prints nothing, as
   * rtems_printf does for an invalid printer (rtems_print_printer_valid).
   */
  rateMonotonicReportStatisticsWithPlugin(printer: RtemsPrinter): void {
    if (typeof printer !== 'function') return;
    for (const line of this.managers.periods.reportLines()) printer(line);
  }

  /** rtems_rate_monotonic_ident: INVALID_NAME. */
  rateMonotonicIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.periods.ident(name, node);
  }

  // ------------------------------------------------------------ Constant Bandwidth Server (internal/cbsManager.ts)

  /** rtems_cbs_initialize: RTEMS_CBS_OK. */
  cbsInitialize(): CbsStatus {
    return this.managers.cbs.initialize();
  }

  /** rtems_cbs_cleanup: destroys every server (their tasks detached); RTEMS_CBS_OK. */
  cbsCleanup(): CbsStatus {
    return this.managers.cbs.cleanup();
  }

  /** rtems_cbs_create_server: INVALID_PARAMETER, FULL; the new server's id. */
  cbsCreateServer(params: CbsParameters, budgetOverrun?: CbsBudgetOverrun | null): CbsServerIdResult {
    return this.managers.cbs.createServer(params, budgetOverrun);
  }

  /** rtems_cbs_attach_thread: INVALID_PARAMETER, NOSERVER, FULL. */
  cbsAttachThread(serverId: number, taskId: number): CbsStatus {
    return this.managers.cbs.attachThread(serverId, taskId);
  }

  /** rtems_cbs_detach_thread: INVALID_PARAMETER, NOSERVER. */
  cbsDetachThread(serverId: number, taskId: number): CbsStatus {
    return this.managers.cbs.detachThread(serverId, taskId);
  }

  /** rtems_cbs_destroy_server: INVALID_PARAMETER, NOSERVER. */
  cbsDestroyServer(serverId: number): CbsStatus {
    return this.managers.cbs.destroyServer(serverId);
  }

  /** rtems_cbs_get_server_id: NOSERVER. */
  cbsGetServerId(taskId: number): CbsServerIdResult {
    return this.managers.cbs.getServerId(taskId);
  }

  /** rtems_cbs_get_parameters: INVALID_PARAMETER, NOSERVER. */
  cbsGetParameters(serverId: number): CbsParametersResult {
    return this.managers.cbs.getParameters(serverId);
  }

  /** rtems_cbs_set_parameters: INVALID_PARAMETER, NOSERVER. */
  cbsSetParameters(serverId: number, params: CbsParameters): CbsStatus {
    return this.managers.cbs.setParameters(serverId, params);
  }

  /** rtems_cbs_get_execution_time: INVALID_PARAMETER, NOSERVER; ticks of budget the current job used. */
  cbsGetExecutionTime(serverId: number): CbsExecutionTimeResult {
    return this.managers.cbs.getExecutionTime(serverId);
  }

  /** rtems_cbs_get_remaining_budget: INVALID_PARAMETER, NOSERVER; ticks of budget left in the current job. */
  cbsGetRemainingBudget(serverId: number): CbsRemainingBudgetResult {
    return this.managers.cbs.getRemainingBudget(serverId);
  }

  /** rtems_cbs_get_approved_budget: INVALID_PARAMETER, NOSERVER; the server's budget per job. */
  cbsGetApprovedBudget(serverId: number): CbsApprovedBudgetResult {
    return this.managers.cbs.getApprovedBudget(serverId);
  }

  // ------------------------------------------------------------ interrupts

  /** rtems_interrupt_disable: returns the previous level (pass it to interruptEnable). */
  interruptDisable(): number {
    return this.score.cpuPort.isrDisable();
  }

  /** rtems_interrupt_enable: restores a level from interruptDisable. */
  interruptEnable(level: number): void {
    this.score.cpuPort.isrEnable(bits32(level));
  }

  /** rtems_interrupt_flash: briefly enables interrupts inside a disabled section. */
  interruptFlash(level: number): void {
    this.score.cpuPort.isrFlash(bits32(level));
  }

  /**
   * rtems_interrupt_local_disable: disables the maskable interrupts of this processor and
   * returns the previous level (C's macro sets its argument). On one processor the same as
   * interruptDisable (score/isrlevel.h: both are _ISR_Local_disable).
   */
  interruptLocalDisable(): number {
    return this.score.cpuPort.isrDisable();
  }

  /** rtems_interrupt_local_enable: restores a level from interruptLocalDisable. */
  interruptLocalEnable(level: number): void {
    this.score.cpuPort.isrEnable(bits32(level));
  }

  /**
   * rtems_interrupt_is_in_progress: true inside an ISR (an interrupt handler, a timer service
   * routine fired at a tick); false in tasks, Timer Server routines included.
   */
  interruptIsInProgress(): boolean {
    return this.score.isrNestLevel > 0;
  }

  /**
   * rtems_interrupt_mask: the target's RTEMS_INTERRUPT_MASK, the bits of a task mode that
   * are its interrupt level (CPU_MODES_INTERRUPT_MASK: 0x1 on i386, 0xF on SPARC).
   */
  get interruptMask(): number {
    return this.score.cpuPort.interruptMask;
  }

  /**
   * rtems_interrupt_level_body (modes.c): RTEMS_INTERRUPT_LEVEL(level) with the target's
   * mask, the mode a C program built for this target would pass (level 2 is 0 on i386).
   */
  interruptLevelBody(level: number): number {
    return (bits32(level) & this.score.cpuPort.interruptMask) >>> 0;
  }

  /**
   * rtems_interrupt_catch (cpukit/rtems/src/intrcatch.c), which RTEMS builds only for a CPU
   * port with CPU_SIMPLE_VECTORED_INTERRUPTS - SPARC here: `newIsrHandler(rtems, vector)`
   * runs as an ISR at every trap `vector` (0..511; the SPARC port's trap type, 256 added for
   * a synchronous trap: 0x11..0x1F are the external interrupts of levels 1..15). It takes
   * the trap's slot from whatever the BSP had there, the BSP's dispatch of
   * interruptHandlerInstall handlers and its clock driver included; masks are not touched.
   * Returns `{ status, oldIsrHandler }`: the routine caught on the vector before, undefined
   * (C's NULL) when there was none. INVALID_NUMBER (vector above 511), then INVALID_ADDRESS
   * (no routine); C's NULL `old_isr_handler` cannot happen. Any context.
   *
   * On an architecture without simple vectored interrupts (i386), where a C program calling
   * it does not link, it answers RTEMS_NOT_IMPLEMENTED and changes nothing.
   */
  interruptCatch(newIsrHandler: IsrEntry, vector: number): InterruptCatchResult<IsrEntry> {
    this.isrVectors ??= new IsrVectorTable(this.score);
    return this.isrVectors.catch(newIsrHandler, vector, (routine, caught) => (routine as IsrEntry)(this, caught)) as InterruptCatchResult<IsrEntry>;
  }

  /**
   * rtems_interrupt_handler_install (RTEMS 6 irq-extension.h):
   * `interruptHandlerInstall(vector, info, options, routine, arg)` - `routine(rtems, arg)`
   * runs as an ISR on every interrupt of `vector` (the board's line, in every BSP), after
   * the vector's handlers installed before it. `options`: RTEMS_INTERRUPT_UNIQUE (the only
   * handler of the vector), RTEMS_INTERRUPT_SHARED, RTEMS_INTERRUPT_REPLACE (the installed
   * handler with this routine and argument gets `info`). Status codes in RTEMS's order:
   * INVALID_ADDRESS (no routine), INVALID_ID (no such vector), CALLED_FROM_ISR, then
   * UNSATISFIED (nothing to replace), RESOURCE_IN_USE (a unique handler meets another
   * handler, or the BSP holds the vector: its clock), TOO_MANY (this routine and argument
   * are installed on the vector already).
   *
   * `interruptHandlerInstall(vector, routine)` is this executive's shorthand for
   * `(vector, undefined, RTEMS_INTERRUPT_UNIQUE, routine, vector)`: the routine gets the vector.
   */
  interruptHandlerInstall<A>(vector: number, info: unknown, options: number, routine: IsrRoutine<A>, arg: A): RtemsStatus;
  interruptHandlerInstall(vector: number, routine: IsrRoutine): RtemsStatus;
  interruptHandlerInstall(vector: number, ...rest: unknown[]): RtemsStatus {
    const [info, options, routine, arg] = typeof rest[0] === 'function' && rest.length === 1 ? [undefined, RTEMS_INTERRUPT_UNIQUE, rest[0], bits32(vector)] : rest;
    return this.interruptTable.install(vector, info, options, routine, arg, () => (routine as IsrRoutine<unknown>)(this, arg));
  }

  /**
   * rtems_interrupt_handler_remove: removes the handler with this routine and argument from
   * `vector` (the last one masks the vector again). INVALID_ADDRESS (no routine),
   * INVALID_ID, CALLED_FROM_ISR, UNSATISFIED (not installed). A handler installed with the
   * shorthand has the vector as its argument.
   */
  interruptHandlerRemove<A>(vector: number, routine: IsrRoutine<A>, arg: A): RtemsStatus {
    return this.interruptTable.remove(vector, routine, arg);
  }

  /**
   * rtems_interrupt_handler_iterate (irq-handler-iterate.c): `routine(arg, info, options,
   * handler, handlerArg)` for each handler of `vector` in dispatch order, options
   * RTEMS_INTERRUPT_UNIQUE or RTEMS_INTERRUPT_SHARED as the vector's first handler was
   * installed. INVALID_ADDRESS (no routine), INVALID_ID, CALLED_FROM_ISR.
   */
  interruptHandlerIterate<A>(vector: number, routine: InterruptPerHandlerRoutine<A>, arg: A): RtemsStatus {
    return this.interruptTable.iterate(vector, routine, arg);
  }

  /**
   * rtems_interrupt_entry_initialize (irq-extension.h, an inline that fills the caller's
   * rtems_interrupt_entry): an entry for `routine(rtems, arg)` with its `info`, for
   * interruptEntryInstall. Nothing is checked here; install checks the routine.
   */
  interruptEntryInitialize<A>(routine: IsrRoutine<A>, arg: A, info?: unknown): InterruptEntry {
    return new InterruptEntry(routine, arg, info);
  }

  /**
   * rtems_interrupt_entry_install (irq-generic.c): puts `entry` on `vector`'s chain, the
   * same table as interruptHandlerInstall. `options` RTEMS_INTERRUPT_UNIQUE or
   * RTEMS_INTERRUPT_SHARED. INVALID_ADDRESS (not an entry, or no routine), INVALID_ID,
   * CALLED_FROM_ISR, INVALID_NUMBER (RTEMS_INTERRUPT_REPLACE), RESOURCE_IN_USE, TOO_MANY.
   */
  interruptEntryInstall(vector: number, options: number, entry: InterruptEntry): RtemsStatus {
    return this.interruptTable.entryInstall(vector, options, entry, (installed) => (installed.routine as IsrRoutine<unknown>)(this, installed.arg));
  }

  /**
   * rtems_interrupt_entry_remove (irq-entry-remove.c): takes this very entry off `vector`.
   * INVALID_ADDRESS, INVALID_ID, CALLED_FROM_ISR, UNSATISFIED (this entry is not installed
   * there). The last handler of a vector masks it again.
   */
  interruptEntryRemove(vector: number, entry: InterruptEntry): RtemsStatus {
    return this.interruptTable.entryRemove(vector, entry);
  }

  /** rtems_interrupt_vector_is_enabled (irq-enable-disable.c): INVALID_ID; UNSATISFIED where the controller cannot tell. */
  interruptVectorIsEnabled(vector: number): InterruptEnabledResult {
    return this.interruptTable.isEnabled(vector);
  }

  /** rtems_interrupt_vector_enable (irq-enable-disable.c): unmasks the vector at the controller. INVALID_ID, UNSATISFIED. */
  interruptVectorEnable(vector: number): RtemsStatus {
    return this.interruptTable.enable(vector);
  }

  /** rtems_interrupt_vector_disable (irq-enable-disable.c): masks the vector at the controller. INVALID_ID, UNSATISFIED. */
  interruptVectorDisable(vector: number): RtemsStatus {
    return this.interruptTable.disable(vector);
  }

  /** rtems_interrupt_is_pending (irq-raise-clear.c): INVALID_ID; UNSATISFIED where the controller cannot tell. */
  interruptIsPending(vector: number): InterruptPendingResult {
    return this.interruptTable.isPending(vector);
  }

  /** rtems_interrupt_raise (irq-raise-clear.c): makes the vector pending by software. INVALID_ID, UNSATISFIED where the controller cannot. */
  interruptRaise(vector: number): RtemsStatus {
    return this.interruptTable.raise(vector);
  }

  /** rtems_interrupt_raise_on (irq-raise-clear.c, one processor): INVALID_ID, NOT_CONFIGURED (an index past processor 0), then as interruptRaise. */
  interruptRaiseOn(vector: number, cpuIndex: number): RtemsStatus {
    return this.interruptTable.raiseOn(vector, cpuIndex);
  }

  /** rtems_interrupt_clear (irq-raise-clear.c): drops the vector's pending request. INVALID_ID, UNSATISFIED where the controller cannot. */
  interruptClear(vector: number): RtemsStatus {
    return this.interruptTable.clear(vector);
  }

  /** rtems_interrupt_get_attributes (irq-enable-disable.c): INVALID_ID (attributes all false). */
  interruptGetAttributes(vector: number): InterruptAttributesResult {
    return this.interruptTable.attributes(vector);
  }

  /** rtems_interrupt_get_priority (irq-priority.c): INVALID_ID; UNSATISFIED where the controller has no priority to give. */
  interruptGetPriority(vector: number): InterruptPriorityResult {
    return this.interruptTable.getPriority(vector);
  }

  /** rtems_interrupt_set_priority (irq-priority.c): INVALID_ID; UNSATISFIED where the controller cannot set one. */
  interruptSetPriority(vector: number, priority: number): RtemsStatus {
    return this.interruptTable.setPriority(vector, priority);
  }

  /**
   * rtems_interrupt_get_affinity (irq-affinity.c, one processor): a new CpuSet of
   * `cpusetsize` bytes holding processor 0. INVALID_SIZE; INVALID_ID for an invalid vector,
   * with the empty set RTEMS writes then (when the size is a multiple of 4).
   */
  interruptGetAffinity(vector: number, cpusetsize: number): CpuSetResult {
    return this.affinity.interruptGetAffinity(vector, cpusetsize);
  }

  /**
   * rtems_interrupt_set_affinity (irq-affinity.c, one processor): INVALID_ADDRESS (not a
   * CpuSet; a cpusetsize larger than the set), INVALID_ID, INVALID_NUMBER (a size that is not
   * a multiple of 4, a set without processor 0); nothing to change otherwise.
   */
  interruptSetAffinity(vector: number, cpusetsize: number, cpuset: CpuSet): RtemsStatus {
    return this.affinity.interruptSetAffinity(vector, cpusetsize, cpuset);
  }

  /**
   * rtems_interrupt_lock_initialize: an ISR lock. On one processor it reduces to disabling
   * interrupts: interruptLockAcquire is interruptLocalDisable, interruptLockRelease
   * interruptLocalEnable, and the ISR variants do nothing (score/isrlock.h without RTEMS_SMP).
   */
  interruptLockInitialize(name?: string): InterruptLock {
    return new InterruptLock(typeof name === 'string' ? name : undefined);
  }

  /** rtems_interrupt_lock_destroy: nothing to release on one processor. */
  interruptLockDestroy(lock: InterruptLock): void {
    checkLock(lock, 'rtems_interrupt_lock_destroy');
  }

  /** rtems_interrupt_lock_acquire: disables interrupts; returns the lock context (the previous level). */
  interruptLockAcquire(lock: InterruptLock): number {
    checkLock(lock, 'rtems_interrupt_lock_acquire');
    return this.score.cpuPort.isrDisable();
  }

  /** rtems_interrupt_lock_release: restores the level kept in the lock context. */
  interruptLockRelease(lock: InterruptLock, lockContext: number): void {
    checkLock(lock, 'rtems_interrupt_lock_release');
    this.score.cpuPort.isrEnable(bits32(lockContext));
  }

  /** rtems_interrupt_lock_acquire_isr: for use with interrupts disabled (in an ISR); nothing to do on one processor. */
  interruptLockAcquireIsr(lock: InterruptLock): void {
    checkLock(lock, 'rtems_interrupt_lock_acquire_isr');
  }

  /** rtems_interrupt_lock_release_isr: nothing to do on one processor. */
  interruptLockReleaseIsr(lock: InterruptLock): void {
    checkLock(lock, 'rtems_interrupt_lock_release_isr');
  }

  /** rtems_interrupt_lock_interrupt_disable: disables interrupts; returns the lock context for a later interruptLockRelease. */
  interruptLockInterruptDisable(): number {
    return this.score.cpuPort.isrDisable();
  }

  // ------------------------------------------------------------ interrupt server (irq-server.c)

  /**
   * rtems_interrupt_server_initialize: starts the default server (index 0), the task 'IRQS'
   * with these priority, stack size, modes and attributes. INCORRECT_STATE when it exists,
   * then the errors of rtems_task_create; `serverCount` is the number started (1, or 0).
   */
  interruptServerInitialize(priority: number, stackSize: number, modes: number, attributes: number): Directive<InterruptServerCountResult> {
    return directive(this.score, 'interruptServerInitialize', this.interruptServers.initialize(priority, stackSize, modes, attributes));
  }

  /**
   * rtems_interrupt_server_create: a server task from `config` (name, priority,
   * storageSize, modes, attributes, destroy); its index is its task's object index plus
   * the processor count. The errors of rtems_task_create.
   */
  interruptServerCreate(config: InterruptServerConfig): Directive<InterruptServerIndexResult> {
    return directive(this.score, 'interruptServerCreate', this.interruptServers.createServer(config));
  }

  /** rtems_interrupt_server_delete: INVALID_ID; the server calls its destroy routine and exits. */
  interruptServerDelete(serverIndex: number): Directive<RtemsStatus> {
    return directive(this.score, 'interruptServerDelete', this.interruptServers.delete(serverIndex));
  }

  /**
   * rtems_interrupt_server_handler_install: `handler(rtems, arg)` runs in the server task
   * for each interrupt of `vector`, which stays disabled until the server has run the
   * vector's handlers. INVALID_ID (server), INVALID_ADDRESS (no handler), then in the
   * server: INVALID_ID (vector), RESOURCE_IN_USE (unique), TOO_MANY (installed already).
   */
  interruptServerHandlerInstall<A>(serverIndex: number, vector: number, info: unknown, options: number, handler: IsrRoutine<A>, arg: A): Directive<RtemsStatus> {
    return directive(this.score, 'interruptServerHandlerInstall', this.interruptServers.handlerInstall(serverIndex, vector, info, options, handler, arg));
  }

  /** rtems_interrupt_server_handler_remove: INVALID_ID (server; no server handler on the vector), UNSATISFIED (not installed). */
  interruptServerHandlerRemove<A>(serverIndex: number, vector: number, handler: IsrRoutine<A>, arg: A): Directive<RtemsStatus> {
    return directive(this.score, 'interruptServerHandlerRemove', this.interruptServers.handlerRemove(serverIndex, vector, handler, arg));
  }

  /** rtems_interrupt_server_handler_iterate: `routine(arg, undefined, options, handler, handlerArg)` per handler. INVALID_ID (server, vector), UNSATISFIED (none). */
  interruptServerHandlerIterate<A>(serverIndex: number, vector: number, routine: InterruptPerHandlerRoutine<A>, arg: A): Directive<RtemsStatus> {
    return directive(this.score, 'interruptServerHandlerIterate', this.interruptServers.handlerIterate(serverIndex, vector, routine, arg));
  }

  /** rtems_interrupt_server_move: the vector's handlers go to another server. INVALID_ID (source, destination, vector). */
  interruptServerMove(sourceServerIndex: number, vector: number, destinationServerIndex: number): Directive<RtemsStatus> {
    return directive(this.score, 'interruptServerMove', this.interruptServers.move(sourceServerIndex, vector, destinationServerIndex));
  }

  /** rtems_interrupt_server_suspend: INVALID_ID; the server holds its queued entries until interruptServerResume. */
  interruptServerSuspend(serverIndex: number): Directive<RtemsStatus> {
    return directive(this.score, 'interruptServerSuspend', this.interruptServers.suspend(serverIndex));
  }

  /** rtems_interrupt_server_resume: INVALID_ID; the server runs what was queued meanwhile. */
  interruptServerResume(serverIndex: number): Directive<RtemsStatus> {
    return directive(this.score, 'interruptServerResume', this.interruptServers.resume(serverIndex));
  }

  /** rtems_interrupt_server_entry_initialize: INVALID_ID; an entry of the server without actions (add them with interruptServerActionPrepend). */
  interruptServerEntryInitialize(serverIndex: number): { readonly status: RtemsStatus; readonly entry: InterruptServerEntry | undefined } {
    return this.interruptServers.entryInitialize(serverIndex);
  }

  /** rtems_interrupt_server_action_prepend: `handler(rtems, arg)` runs first when the entry is served. */
  interruptServerActionPrepend<A>(entry: InterruptServerEntry, handler: IsrRoutine<A>, arg: A): void {
    this.interruptServers.actionPrepend(entry, handler, arg);
  }

  /** rtems_interrupt_server_entry_submit: queues the entry on its server (once: a queued entry is not queued again). Task or ISR. */
  interruptServerEntrySubmit(entry: InterruptServerEntry): Directive<void> {
    return directive(this.score, 'interruptServerEntrySubmit', this.interruptServers.entrySubmit(entry));
  }

  /** rtems_interrupt_server_entry_move: INVALID_ID; the entry's later submits go to that server. */
  interruptServerEntryMove(entry: InterruptServerEntry, destinationServerIndex: number): RtemsStatus {
    return this.interruptServers.entryMove(entry, destinationServerIndex);
  }

  /** rtems_interrupt_server_entry_destroy: takes the entry off its server's queue and waits until the server is past it. */
  interruptServerEntryDestroy(entry: InterruptServerEntry): Directive<void> {
    return directive(this.score, 'interruptServerEntryDestroy', this.interruptServers.entryDestroy(entry));
  }

  /** rtems_interrupt_server_request_initialize: INVALID_ID; a request that runs `handler(rtems, arg)` on the server. */
  interruptServerRequestInitialize<A>(serverIndex: number, handler: IsrRoutine<A>, arg: A): { readonly status: RtemsStatus; readonly request: InterruptServerRequest | undefined } {
    return this.interruptServers.requestInitialize(serverIndex, handler, arg);
  }

  /** rtems_interrupt_server_request_set_vector: the vector disabled while the request is queued and enabled after it ran. */
  interruptServerRequestSetVector(request: InterruptServerRequest, vector: number): void {
    request.entry.vector = bits32(vector);
  }

  /** rtems_interrupt_server_request_submit: as interruptServerEntrySubmit for the request's entry. */
  interruptServerRequestSubmit(request: InterruptServerRequest): Directive<void> {
    return directive(this.score, 'interruptServerRequestSubmit', this.interruptServers.entrySubmit(request.entry));
  }

  /** rtems_interrupt_server_request_destroy: as interruptServerEntryDestroy for the request's entry. */
  interruptServerRequestDestroy(request: InterruptServerRequest): Directive<void> {
    return directive(this.score, 'interruptServerRequestDestroy', this.interruptServers.entryDestroy(request.entry));
  }

  /** The interrupt servers (created on first use). */
  /**
   * rtems_interrupt_server_set_affinity (irq-server.c): INVALID_ID (server), then the
   * errors of schedulerIdentByProcessorSet, of taskSetScheduler(server task, scheduler,
   * priority) - which sets the server's priority - and of taskSetAffinity.
   */
  interruptServerSetAffinity(serverIndex: number, cpusetsize: number, cpuset: CpuSet, priority: number): Directive<RtemsStatus> {
    const servers = this.interruptServers;
    return directive(this.score, 'interruptServerSetAffinity', this.affinity.interruptServerSetAffinity(() => servers.serverTask(serverIndex), cpusetsize, cpuset, priority));
  }

  private get interruptServers(): InterruptServerManager {
    this.servers ??= new InterruptServerManager(this.score, this.managers.tasks, this.managers.events, this.interruptTable, (handler, arg) => (handler as IsrRoutine<unknown>)(this, arg));
    return this.servers;
  }

  private servers: InterruptServerManager | undefined;

  /** The Interrupt Manager Extension's handler table (created on first use). */
  private get interruptTable(): InterruptManager {
    this.interrupts ??= new InterruptManager(this.score);
    return this.interrupts;
  }

  private interrupts: InterruptManager | undefined;
  /** `_ISR_Vector_table` of interruptCatch, made at its first call. */
  private isrVectors: IsrVectorTable | undefined;

  /** The processor-set directives (created on first use). */
  private get affinity(): AffinityDirectives {
    this.affinities ??= new AffinityDirectives(this.score, this.managers.tasks);
    return this.affinities;
  }

  private affinities: AffinityDirectives | undefined;

  // ------------------------------------------------------------ signals

  /**
   * rtems_signal_catch: `handler` becomes the calling task's asynchronous signal routine
   * (ASR), run in `modeSet` (RTEMS_NO_PREEMPT, RTEMS_TIMESLICE, RTEMS_NO_ASR, an interrupt
   * level); undefined (C's NULL) removes it and discards the pending signals. Always
   * SUCCESSFUL on one processor.
   */
  signalCatch(handler: AsrHandler | undefined, modeSet: number): RtemsStatus {
    const asr = typeof handler === 'function' ? (signals: number) => handler(this, signals) : undefined;
    return this.managers.signals.catch(asr, modeSet);
  }

  /**
   * rtems_signal_send: posts `signalSet` to the task. INVALID_NUMBER (empty set), INVALID_ID,
   * NOT_DEFINED (no ASR). With ASR processing enabled the ASR runs at the task's next thread
   * dispatch: within this call when sent to oneself, when the ISR ends when sent from one.
   */
  signalSend(id: number, signalSet: number): Directive<RtemsStatus> {
    return directive(this.score, 'signalSend', this.managers.signals.send(id, signalSet));
  }

  // ------------------------------------------------------------ user extensions

  /**
   * rtems_extension_create: an extension set from `table` (copied; see ExtensionsTable).
   * INVALID_NAME, INVALID_ADDRESS (no table), TOO_MANY (maximumUserExtensions).
   */
  extensionCreate(name: ObjectName, table: ExtensionsTable): IdResult {
    return this.managers.extensions.create(name, table);
  }

  /** rtems_extension_delete: INVALID_ID. */
  extensionDelete(id: number): RtemsStatus {
    return this.managers.extensions.delete(id);
  }

  /** rtems_extension_ident (the local node): INVALID_NAME. */
  extensionIdent(name: ObjectName): IdResult {
    return this.managers.extensions.ident(name);
  }

  // ------------------------------------------------------------ console

  /**
   * printf to the console; returns the number of bytes written, or -1 (writing nothing)
   * when the output would exceed PRINTF_MAX_OUTPUT bytes or the format is not a string
   * (see printf.ts).
   */
  printf(format: string, ...args: PrintfArgument[]): number {
    return this.write(format, args);
  }

  /**
   * rtems_cpu_usage_report (libmisc/cpuuse/cpuusagereport.c, printed with printk): per
   * task of taskIterate (IDLE first) its id, name, CPU time since the last
   * cpuUsageReset as seconds.microseconds and its percentage of the time since then, and
   * that time. Before the first reset that time is the uptime plus one second, as in RTEMS.
   */
  cpuUsageReport(): void {
    const threads = this.score.directive(() => this.managers.tasks.threadsInIterationOrder());
    cpuUsageReport(this.score, threads, (text) => void this.write('%s', [text]));
  }

  /** rtems_cpu_usage_reset (libmisc/cpuuse/cpuusagereset.c): every task's CPU time and the time since the reset count from zero again. */
  cpuUsageReset(): void {
    this.score.cpuPort.charge(this.score.env.costs.directive);
    this.score.directive(() => cpuUsageReset(this.score, this.managers.tasks.threadsInIterationOrder()));
  }

  /** printk: the kernel's polled console output (the same console here); returns as printf. */
  printk(format: string, ...args: PrintfArgument[]): number {
    return this.write(format, args);
  }

  /**
   * rtems_putc (libcsupport/src/rtems_putc.c): one character to the kernel console
   * (BSP_output_char), as it is: a number is C's char (its low 8 bits), a string gives its
   * first character's low 8 bits.
   */
  putc(c: number | string): void {
    this.score.cpuPort.charge(this.score.env.costs.directive);
    const code = typeof c === 'string' ? (c.length > 0 ? c.charCodeAt(0) : 0) : bits32(c);
    this.score.env.bsp.consoleWrite(Uint8Array.of(code & 0xff));
  }

  /** rtems_put_char (bspIo.h): rtems_putc of `c`; `arg` is ignored (it is an IO_Put_char for printer plugins). */
  putChar(c: number, arg?: unknown): void {
    void arg;
    this.putc(c);
  }

  /**
   * putk (libcsupport/src/putk.c): the string, then a new line, through rtems_putc; returns
   * the characters written, the new line included. Written as printk("%s\n") is, so at
   * most 65536 bytes (-1 beyond, and for anything but a string).
   */
  putk(s: string): number {
    return typeof s === 'string' ? this.write('%s\n', [s]) : -1;
  }

  /**
   * getchark (libcsupport/src/getchark.c): the BSP's polled console input (BSP_poll_char,
   * BspHooks.pollChar): a character 0..255, or -1 when none is waiting - and -1 when the BSP
   * has no poll function, as RTEMS answers. No BSP of this project has one yet.
   */
  getchark(): number {
    this.score.cpuPort.charge(this.score.env.costs.directive);
    const bsp = this.score.env.bsp;
    if (bsp.pollChar === undefined) return -1;
    const c = bsp.pollChar();
    return typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 255 ? c : -1;
  }

  /**
   * rtems_panic (sapi/src/panic.c): prints the message with printk, then the fatal error of
   * source RTEMS_FATAL_SOURCE_PANIC. Its code is C's format pointer; here 0. Never returns.
   */
  panic(format: string, ...args: PrintfArgument[]): never {
    this.write(format, args);
    return this.score.fatal(FatalSource.RTEMS_FATAL_SOURCE_PANIC, 0, 'rtems_panic');
  }

  private write(format: unknown, args: readonly unknown[]): number {
    this.score.cpuPort.charge(this.score.env.costs.directive);
    // C's format is a char *: anything but a string is not one (and is never converted by running its toString).
    const bytes = typeof format === 'string' ? formatPrintf(format, args) : undefined;
    if (bytes === undefined) return -1;
    if (bytes.length > 0) this.score.env.bsp.consoleWrite(bytes);
    return bytes.length;
  }

  // ------------------------------------------------------------ application configuration information
  // rtems_configuration_get_* (RTEMS 6 sapi/include/rtems/config.h, rtems/src/getconfigmax.c):
  // what the configuration the executive runs with says. A maximum is the object table's
  // size (getconfigmax.c's _Objects_Get_maximum_index: tables here are never unlimited).

  /** rtems_configuration_get_maximum_barriers. */
  configurationGetMaximumBarriers(): number {
    return this.score.config.maximumBarriers;
  }

  /** rtems_configuration_get_maximum_extensions: CONFIGURE_MAXIMUM_USER_EXTENSIONS. */
  configurationGetMaximumExtensions(): number {
    return this.score.config.maximumUserExtensions;
  }

  /** rtems_configuration_get_maximum_message_queues. */
  configurationGetMaximumMessageQueues(): number {
    return this.score.config.maximumMessageQueues;
  }

  /** rtems_configuration_get_maximum_partitions. */
  configurationGetMaximumPartitions(): number {
    return this.score.config.maximumPartitions;
  }

  /** rtems_configuration_get_maximum_periods. */
  configurationGetMaximumPeriods(): number {
    return this.score.config.maximumPeriods;
  }

  /** rtems_configuration_get_maximum_ports. */
  configurationGetMaximumPorts(): number {
    return this.score.config.maximumPorts;
  }

  /** rtems_configuration_get_maximum_processors: 1 (no SMP; CONFIGURE_MAXIMUM_PROCESSORS is 1 without it). */
  configurationGetMaximumProcessors(): number {
    return 1;
  }

  /** rtems_configuration_get_maximum_regions. */
  configurationGetMaximumRegions(): number {
    return this.score.config.maximumRegions;
  }

  /** rtems_configuration_get_maximum_semaphores. */
  configurationGetMaximumSemaphores(): number {
    return this.score.config.maximumSemaphores;
  }

  /** rtems_configuration_get_maximum_tasks. */
  configurationGetMaximumTasks(): number {
    return this.score.config.maximumTasks;
  }

  /** rtems_configuration_get_maximum_timers. */
  configurationGetMaximumTimers(): number {
    return this.score.config.maximumTimers;
  }

  /** rtems_configuration_get_microseconds_per_tick: CONFIGURE_MICROSECONDS_PER_TICK. */
  configurationGetMicrosecondsPerTick(): number {
    return this.score.config.microsecondsPerTick;
  }

  /** rtems_configuration_get_milliseconds_per_tick: the microseconds divided by 1000, truncated (config.h). */
  configurationGetMillisecondsPerTick(): number {
    return Math.floor(this.score.config.microsecondsPerTick / 1000);
  }

  /** rtems_configuration_get_nanoseconds_per_tick: _Watchdog_Nanoseconds_per_tick, microseconds times 1000. */
  configurationGetNanosecondsPerTick(): number {
    return this.score.nsPerTick;
  }

  /** rtems_configuration_get_ticks_per_timeslice: CONFIGURE_TICKS_PER_TIMESLICE. */
  configurationGetTicksPerTimeslice(): number {
    return this.score.config.ticksPerTimeslice;
  }

  /** rtems_configuration_get_number_of_initial_extensions: the sets of CONFIGURE_INITIAL_EXTENSIONS. */
  configurationGetNumberOfInitialExtensions(): number {
    return this.score.config.initialExtensions.length;
  }

  /**
   * rtems_configuration_get_work_space_size: the RTEMS Workspace this executive was given
   * (ExecutiveOptions.workspaceSize), where RTEMS answers confdefs' estimate of what the
   * configuration needs.
   */
  configurationGetWorkSpaceSize(): number {
    return Math.max(0, Math.floor(this.score.env.workspaceSize));
  }

  /**
   * rtems_configuration_get_user_extension_table (sapi/include/rtems/config.h: the initial
   * extension table of CONFIGURE_INITIAL_EXTENSIONS): the configured extension sets, a frozen
   * list of the frozen copies the executive runs (rtems_configuration_get_number_of_initial_extensions
   * entries; C gives the address of the first).
   */
  configurationGetUserExtensionTable(): readonly ExtensionsTable[] {
    this.userExtensionTable ??= Object.freeze([...this.score.config.initialExtensions]);
    return this.userExtensionTable;
  }

  private userExtensionTable: readonly ExtensionsTable[] | undefined;

  /**
   * rtems_configuration_get_rtems_api_configuration (rtems/rtems/config.h,
   * rtems_api_configuration_table): RTEMS 6's table, frozen - the number of initialization
   * tasks (1: the Init task, CONFIGURE_RTEMS_INIT_TASKS_TABLE) and their table
   * (rtems_initialization_tasks_table: name, stack size, priority, attributes, entry point,
   * modes, argument) as configured. RTEMS 6's table has no maxima: see the
   * configurationGetMaximum* directives.
   */
  configurationGetRtemsApiConfiguration(): ApiConfigurationTable {
    this.apiConfiguration ??= apiConfigurationTable(this.score.config, this.managers.initEntryPoint);
    return this.apiConfiguration;
  }

  private apiConfiguration: ApiConfigurationTable | undefined;

  /** rtems_get_version_string (getversionstring.c, _RTEMS_version): `rtems-6.1.0 (<cpu>/paravirt/<bsp>)` (see version.ts). */
  getVersionString(): string {
    return versionString(this.score.cpuPort.name, this.score.env.bsp.name);
  }

  /** rtems_get_build_label (getbuildlabel.c): "@paravirt/cpukit", where RTEMS answers RTEMS_BUILD_LABEL or "DEFAULT". */
  getBuildLabel(): string {
    return CPUKIT_BUILD_LABEL;
  }

  /** rtems_get_copyright_notice (getcopyrightnotice.c): this project's notice (see the repository's LICENSE). */
  getCopyrightNotice(): string {
    return CPUKIT_COPYRIGHT_NOTICE;
  }

  /** rtems_get_target_hash: base64url SHA-256 of `<cpu port>/<bsp>` (see version.ts), the same on every run of a target. */
  getTargetHash(): string {
    this.targetHashText ??= targetHash(this.score.cpuPort.name, this.score.env.bsp.name);
    return this.targetHashText;
  }

  private targetHashText: string | undefined;

  /** rtems_version (rtems/version.h, sapi/src/version.c): RTEMS_VERSION, "6.1.0" (no version control key). */
  version(): string {
    return RTEMS_VERSION;
  }

  /** rtems_version_major: 6. */
  versionMajor(): number {
    return RTEMS_VERSION_MAJOR;
  }

  /** rtems_version_minor: 1. */
  versionMinor(): number {
    return RTEMS_VERSION_MINOR;
  }

  /** rtems_version_revision: 0. */
  versionRevision(): number {
    return RTEMS_VERSION_REVISION;
  }

  /** rtems_version_control_key: "" (a release: rtems_version_control_key_is_valid is false). */
  versionControlKey(): string {
    return '';
  }

  /** rtems_board_support_package (sapi/src/version.c, RTEMS_BSP): the BSP's name. */
  boardSupportPackage(): string {
    return this.score.env.bsp.name;
  }

  /** rtems_resource_is_unlimited: whether RTEMS_UNLIMITED_OBJECTS is set in the resource number (_Objects_Is_unlimited). */
  resourceIsUnlimited(resource: number): boolean {
    return (bits32(resource) & RTEMS_UNLIMITED_OBJECTS) !== 0;
  }

  /** rtems_resource_maximum_per_allocation: the resource number without the flag, as an Objects_Maximum (uint16_t: _Objects_Maximum_per_allocation). */
  resourceMaximumPerAllocation(resource: number): number {
    return bits32(resource) & 0xffff;
  }

  /** rtems_resource_unlimited: the allocation size with RTEMS_UNLIMITED_OBJECTS set. */
  resourceUnlimited(allocation: number): number {
    return (bits32(allocation) | RTEMS_UNLIMITED_OBJECTS) >>> 0;
  }

  // ------------------------------------------------------------ self-contained objects
  // <rtems/thread.h>: objects in the application's storage, without ids or status codes
  // (see internal/selfContainedObjects.ts). An init directive returns the object; the
  // others take it. Names are C's `const char *`: a string, or undefined for NULL.

  /** rtems_mutex_init: an unlocked mutex with priority inheritance. */
  mutexInit(name?: string): RtemsMutex {
    return this.selfContained.mutexInit(name);
  }

  /**
   * rtems_mutex_lock: waits (no timeout) while another thread owns it, lending the owner its
   * priority. Locking a mutex one owns, or closing any cycle of owners, is the fatal error
   * INTERNAL_ERROR_THREAD_QUEUE_DEADLOCK; a wait in an ISR is THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE.
   */
  mutexLock(mutex: RtemsMutex): Directive<void> {
    return directive(this.score, 'mutexLock', this.selfContained.lock(mutex, false));
  }

  /** rtems_mutex_try_lock: 0, or EBUSY (16) when it is locked. */
  mutexTryLock(mutex: RtemsMutex): number {
    return this.selfContained.tryLock(mutex, false);
  }

  /** rtems_mutex_unlock: by the owner only (anyone else: the fatal error RTEMS_FATAL_SOURCE_ASSERT). */
  mutexUnlock(mutex: RtemsMutex): Directive<void> {
    return directive(this.score, 'mutexUnlock', this.selfContained.unlock(mutex, false));
  }

  /** rtems_mutex_set_name. */
  mutexSetName(mutex: RtemsMutex, name: string | undefined): void {
    this.selfContained.setName(mutex, 'mutex', name);
  }

  /** rtems_mutex_get_name. */
  mutexGetName(mutex: RtemsMutex): string | undefined {
    return this.selfContained.getName(mutex, 'mutex');
  }

  /** rtems_mutex_destroy: does nothing, as in RTEMS. */
  mutexDestroy(mutex: RtemsMutex): void {
    this.selfContained.destroy(mutex, 'mutex');
  }

  /** rtems_recursive_mutex_init: as mutexInit, and its owner may lock it again. */
  recursiveMutexInit(name?: string): RtemsRecursiveMutex {
    return this.selfContained.recursiveMutexInit(name);
  }

  /** rtems_recursive_mutex_lock: as mutexLock, but the owner nests. */
  recursiveMutexLock(mutex: RtemsRecursiveMutex): Directive<void> {
    return directive(this.score, 'recursiveMutexLock', this.selfContained.lock(mutex, true));
  }

  /** rtems_recursive_mutex_try_lock: 0 (free, or nested by the owner), or EBUSY (16). */
  recursiveMutexTryLock(mutex: RtemsRecursiveMutex): number {
    return this.selfContained.tryLock(mutex, true);
  }

  /** rtems_recursive_mutex_unlock: the outermost unlock frees it. By the owner only. */
  recursiveMutexUnlock(mutex: RtemsRecursiveMutex): Directive<void> {
    return directive(this.score, 'recursiveMutexUnlock', this.selfContained.unlock(mutex, true));
  }

  /** rtems_recursive_mutex_set_name. */
  recursiveMutexSetName(mutex: RtemsRecursiveMutex, name: string | undefined): void {
    this.selfContained.setName(mutex, 'recursive_mutex', name);
  }

  /** rtems_recursive_mutex_get_name. */
  recursiveMutexGetName(mutex: RtemsRecursiveMutex): string | undefined {
    return this.selfContained.getName(mutex, 'recursive_mutex');
  }

  /** rtems_recursive_mutex_destroy: does nothing, as in RTEMS. */
  recursiveMutexDestroy(mutex: RtemsRecursiveMutex): void {
    this.selfContained.destroy(mutex, 'recursive_mutex');
  }

  /** rtems_condition_variable_init. */
  conditionVariableInit(name?: string): RtemsConditionVariable {
    return this.selfContained.conditionVariableInit(name);
  }

  /**
   * rtems_condition_variable_wait: releases `mutex` (which the caller must own) and waits,
   * first come first served, for a signal or broadcast; then locks `mutex` again.
   */
  conditionVariableWait(conditionVariable: RtemsConditionVariable, mutex: RtemsMutex): Directive<void> {
    return directive(this.score, 'conditionVariableWait', this.selfContained.conditionVariableWait(conditionVariable, mutex));
  }

  /** rtems_condition_variable_signal: readies the longest waiter, if any. */
  conditionVariableSignal(conditionVariable: RtemsConditionVariable): Directive<void> {
    return directive(this.score, 'conditionVariableSignal', this.selfContained.conditionVariableWake(conditionVariable, false));
  }

  /** rtems_condition_variable_broadcast: readies every waiter. */
  conditionVariableBroadcast(conditionVariable: RtemsConditionVariable): Directive<void> {
    return directive(this.score, 'conditionVariableBroadcast', this.selfContained.conditionVariableWake(conditionVariable, true));
  }

  /** rtems_condition_variable_set_name. */
  conditionVariableSetName(conditionVariable: RtemsConditionVariable, name: string | undefined): void {
    this.selfContained.setName(conditionVariable, 'condition_variable', name);
  }

  /** rtems_condition_variable_get_name. */
  conditionVariableGetName(conditionVariable: RtemsConditionVariable): string | undefined {
    return this.selfContained.getName(conditionVariable, 'condition_variable');
  }

  /** rtems_condition_variable_destroy: does nothing, as in RTEMS. */
  conditionVariableDestroy(conditionVariable: RtemsConditionVariable): void {
    this.selfContained.destroy(conditionVariable, 'condition_variable');
  }

  /** rtems_counting_semaphore_init: `value` is an unsigned int. */
  countingSemaphoreInit(name: string | undefined, value: number): RtemsCountingSemaphore {
    return this.selfContained.countingSemaphoreInit(name, value);
  }

  /** rtems_counting_semaphore_wait: takes one, or waits (no timeout, by priority). */
  countingSemaphoreWait(semaphore: RtemsCountingSemaphore): Directive<void> {
    return directive(this.score, 'countingSemaphoreWait', waitForever(this.selfContained, this.selfContained.semaphore(semaphore, false, 'rtems_counting_semaphore_wait')));
  }

  /** rtems_counting_semaphore_post: readies the most important waiter, else adds one (unchecked). */
  countingSemaphorePost(semaphore: RtemsCountingSemaphore): Directive<void> {
    return directive(this.score, 'countingSemaphorePost', this.selfContained.semaphorePost(this.selfContained.semaphore(semaphore, false, 'rtems_counting_semaphore_post')));
  }

  /** rtems_counting_semaphore_set_name. */
  countingSemaphoreSetName(semaphore: RtemsCountingSemaphore, name: string | undefined): void {
    this.selfContained.setName(semaphore, 'counting_semaphore', name);
  }

  /** rtems_counting_semaphore_get_name. */
  countingSemaphoreGetName(semaphore: RtemsCountingSemaphore): string | undefined {
    return this.selfContained.getName(semaphore, 'counting_semaphore');
  }

  /** rtems_counting_semaphore_destroy: does nothing, as in RTEMS. */
  countingSemaphoreDestroy(semaphore: RtemsCountingSemaphore): void {
    this.selfContained.destroy(semaphore, 'counting_semaphore');
  }

  /** rtems_binary_semaphore_init: a count of 0. */
  binarySemaphoreInit(name?: string): RtemsBinarySemaphore {
    return this.selfContained.binarySemaphoreInit(name);
  }

  /** rtems_binary_semaphore_wait: takes it, or waits (no timeout, by priority). */
  binarySemaphoreWait(semaphore: RtemsBinarySemaphore): Directive<void> {
    return directive(this.score, 'binarySemaphoreWait', waitForever(this.selfContained, this.selfContained.semaphore(semaphore, true, 'rtems_binary_semaphore_wait')));
  }

  /** rtems_binary_semaphore_wait_timed_ticks: 0, or ETIMEDOUT (116) after `ticks` (0: no timeout). */
  binarySemaphoreWaitTimedTicks(semaphore: RtemsBinarySemaphore, ticks: number): Directive<number> {
    const binary = this.selfContained.semaphore(semaphore, true, 'rtems_binary_semaphore_wait_timed_ticks');
    return directive(this.score, 'binarySemaphoreWaitTimedTicks', this.selfContained.semaphoreWait(binary, bits32(ticks)));
  }

  /** rtems_binary_semaphore_try_wait: 0, or EAGAIN (11). */
  binarySemaphoreTryWait(semaphore: RtemsBinarySemaphore): number {
    return this.selfContained.semaphoreTryWait(this.selfContained.semaphore(semaphore, true, 'rtems_binary_semaphore_try_wait'));
  }

  /** rtems_binary_semaphore_post: readies the most important waiter, else sets the count to 1. */
  binarySemaphorePost(semaphore: RtemsBinarySemaphore): Directive<void> {
    return directive(this.score, 'binarySemaphorePost', this.selfContained.semaphorePost(this.selfContained.semaphore(semaphore, true, 'rtems_binary_semaphore_post')));
  }

  /** rtems_binary_semaphore_set_name. */
  binarySemaphoreSetName(semaphore: RtemsBinarySemaphore, name: string | undefined): void {
    this.selfContained.setName(semaphore, 'binary_semaphore', name);
  }

  /** rtems_binary_semaphore_get_name. */
  binarySemaphoreGetName(semaphore: RtemsBinarySemaphore): string | undefined {
    return this.selfContained.getName(semaphore, 'binary_semaphore');
  }

  /** rtems_binary_semaphore_destroy: does nothing, as in RTEMS. */
  binarySemaphoreDestroy(semaphore: RtemsBinarySemaphore): void {
    this.selfContained.destroy(semaphore, 'binary_semaphore');
  }

  // ------------------------------------------------------------ termination

  /** exit(status): the application ends (BspHooks.exit). Never returns. */
  exit(status: number): never {
    return this.score.shutdown(bits32(status) | 0);
  }

  /** rtems_shutdown_executive(result): as exit. Never returns. */
  shutdownExecutive(result: number): never {
    return this.exit(result);
  }

  /** rtems_fatal_error_occurred(code): fatal error of source INTERNAL_ERROR_RTEMS_API. Never returns. */
  fatalErrorOccurred(code: number): never {
    return this.score.fatal(FatalSource.INTERNAL_ERROR_RTEMS_API, bits32(code), 'rtems_fatal_error_occurred');
  }

  /** rtems_internal_error_text: the name of an INTERNAL_ERROR_CORE code ("INTERNAL_ERROR_THREAD_EXITTED"), "?" for an unknown one. */
  internalErrorText(code: number): string {
    return internalErrorText(code);
  }

  /** rtems_fatal(source, code). Never returns. */
  fatal(source: FatalSource, code: number): never {
    return this.score.fatal(bits32(source), bits32(code), 'rtems_fatal');
  }
}

/** The lock an interrupt lock directive was given (anything else: a TypeError, the fatal error GUEST_EXCEPTION). */
function checkLock(lock: unknown, what: string): void {
  if (!(lock instanceof InterruptLock)) throw new TypeError(`${what}: not an InterruptLock (use the one interruptLockInitialize returned)`);
}

/** A semaphore wait without a timeout (its result is always 0). */
function* waitForever(objects: SelfContainedObjects, semaphore: RtemsCountingSemaphore): Directive<void> {
  yield* objects.semaphoreWait(semaphore, 0);
}

/** rtems_task_start's work: INVALID_ADDRESS (no entry), then the Task Manager's start. */
function* startTask(rtems: Rtems, tasks: TaskManager, id: number, entry: TaskEntry, argument: number): Directive<RtemsStatus> {
  if (typeof entry !== 'function') return RtemsStatus.INVALID_ADDRESS;
  return yield* tasks.start(id, (value) => entry(rtems, value), argument);
}
