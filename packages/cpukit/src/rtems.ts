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
import { FatalSource } from './fatalSource.js';
import type { BarrierManager } from './internal/barrierManager.js';
import type { ClockManager } from './internal/clockManager.js';
import type { DualPortedMemoryManager } from './internal/dualPortedMemoryManager.js';
import type { EventManager } from './internal/eventManager.js';
import type { ExtensionManager } from './internal/extensionManager.js';
import { InterruptManager } from './internal/interruptManager.js';
import type { MessageQueueManager } from './internal/messageQueueManager.js';
import type { PartitionManager } from './internal/partitionManager.js';
import type { RateMonotonicManager } from './internal/rateMonotonicManager.js';
import type { RegionManager } from './internal/regionManager.js';
import { type Score, directive } from './internal/score.js';
import type { SemaphoreManager } from './internal/semaphoreManager.js';
import type { SignalManager } from './internal/signalManager.js';
import type { TaskManager } from './internal/taskManager.js';
import type { TimerManager } from './internal/timerManager.js';
import { bits32 } from './internal/arguments.js';
import { RTEMS_INTERRUPT_UNIQUE } from './interruptOptions.js';
import { ObjectServices } from './internal/objectServices.js';
import { objectIdApi, objectIdClass, objectIdIndex, objectIdNode } from './objectId.js';
import { type ObjectName, buildName } from './objectName.js';
import { RTEMS_SEARCH_ALL_NODES } from './options.js';
import { type PrintfArgument, formatPrintf } from './printf.js';
import type {
  AddressResult,
  BufferResult,
  CountResult,
  Directive,
  EventResult,
  IdResult,
  MessageResult,
  ModeResult,
  NameResult,
  RateMonotonicStatisticsResult,
  PeriodStatusResult,
  PriorityResult,
  RegionInformationResult,
  ResizeResult,
  SecondsResult,
  SegmentResult,
  SizeResult,
  TaskVisit,
  TodResult,
  UptimeResult,
} from './results.js';
import { RtemsStatus } from './rtemsStatus.js';
import type { TimerInformationResult } from './timer.js';
import type { TimeOfDay } from './timeOfDay.js';
import type { ExtensionsTable } from './extensions.js';
import type { AsrHandler } from './signalSet.js';

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
  /** The ARINC 653 partition services, when the BSP offers them. */
  readonly apex?: Apex;
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

  constructor(private readonly managers: RtemsManagers) {
    this.score = managers.score;
    this.apex = managers.apex;
    this.objects = new ObjectServices(managers.score, Object.values(managers));
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

  /** rtems_task_get_priority: the current priority for the scheduler. INVALID_ID (scheduler, then task). */
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

  /** rtems_scheduler_ident: the one scheduler, 'UPD ' (the Deterministic Priority Scheduler). INVALID_NAME. */
  schedulerIdent(name: ObjectName): IdResult {
    return this.managers.tasks.schedulerIdent(name);
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
    for (const line of this.managers.periods.reportLines()) this.write(line.replaceAll('%', '%%'), []);
  }

  /** rtems_rate_monotonic_ident: INVALID_NAME. */
  rateMonotonicIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.periods.ident(name, node);
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

  /** The Interrupt Manager Extension's handler table (created on first use). */
  private get interruptTable(): InterruptManager {
    this.interrupts ??= new InterruptManager(this.score);
    return this.interrupts;
  }

  private interrupts: InterruptManager | undefined;

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

  /** printk: the kernel's polled console output (the same console here); returns as printf. */
  printk(format: string, ...args: PrintfArgument[]): number {
    return this.write(format, args);
  }

  private write(format: unknown, args: readonly unknown[]): number {
    this.score.cpuPort.charge(this.score.env.costs.directive);
    // C's format is a char *: anything but a string is not one (and is never converted by running its toString).
    const bytes = typeof format === 'string' ? formatPrintf(format, args) : undefined;
    if (bytes === undefined) return -1;
    if (bytes.length > 0) this.score.env.bsp.consoleWrite(bytes);
    return bytes.length;
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

  /** rtems_fatal(source, code). Never returns. */
  fatal(source: FatalSource, code: number): never {
    return this.score.fatal(bits32(source), bits32(code), 'rtems_fatal');
  }
}

/** rtems_task_start's work: INVALID_ADDRESS (no entry), then the Task Manager's start. */
function* startTask(rtems: Rtems, tasks: TaskManager, id: number, entry: TaskEntry, argument: number): Directive<RtemsStatus> {
  if (typeof entry !== 'function') return RtemsStatus.INVALID_ADDRESS;
  return yield* tasks.start(id, (value) => entry(rtems, value), argument);
}
