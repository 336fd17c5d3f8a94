/**
 * The Classic API as guest applications see it: one Rtems object per executive,
 * handed to the Init task and to every task body and service routine. Directive names
 * are RTEMS's in camelCase (rtems_task_wake_after -> taskWakeAfter), status codes are
 * RtemsStatus, out-parameters come back in a result object.
 *
 * Directives that can block or dispatch are generators: use them with `yield*` from a
 * thread body. They run only when iterated: a call without `yield*` does nothing.
 * In a timer service routine or ISR routine (interrupt context) write the routine as a
 * generator too; there, a directive never yields (the dispatch happens after the ISR),
 * and one that would block is refused (RTEMS_CALLED_FROM_ISR) or is a fatal error, as
 * in RTEMS.
 *
 * Semantics and status codes follow the RTEMS C User's Guide chapter of each manager;
 * the internal/*Manager.ts files cite the details.
 */
import type { Apex } from './apex.js';
import { FatalSource } from './fatalSource.js';
import type { ClockManager } from './internal/clockManager.js';
import type { EventManager } from './internal/eventManager.js';
import type { MessageQueueManager } from './internal/messageQueueManager.js';
import type { RateMonotonicManager } from './internal/rateMonotonicManager.js';
import type { Score } from './internal/score.js';
import type { SemaphoreManager } from './internal/semaphoreManager.js';
import type { TaskManager } from './internal/taskManager.js';
import type { TimerManager } from './internal/timerManager.js';
import { bits32 } from './internal/arguments.js';
import { type ObjectName, buildName } from './objectName.js';
import { RTEMS_SEARCH_ALL_NODES } from './options.js';
import { type PrintfArgument, formatPrintf } from './printf.js';
import type {
  CountResult,
  Directive,
  EventResult,
  IdResult,
  MessageResult,
  ModeResult,
  PeriodStatusResult,
  PriorityResult,
  SecondsResult,
  TodResult,
  UptimeResult,
} from './results.js';
import { RtemsStatus } from './rtemsStatus.js';
import type { TimeOfDay } from './timeOfDay.js';

/** A task body: `function* (rtems, argument) { ... }`. Returning from it exits the task. */
export type TaskEntry = (rtems: Rtems, argument: number) => Generator<number, void, unknown>;

/** A timer service routine: runs in interrupt context when the timer fires. */
export type TimerServiceRoutine = (rtems: Rtems, timerId: number, userData: unknown) => void | Generator<number, void, unknown>;

/** An interrupt service routine installed with interruptHandlerInstall. */
export type IsrRoutine = (rtems: Rtems, vector: number) => void | Generator<number, void, unknown>;

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

  constructor(private readonly managers: RtemsManagers) {
    this.score = managers.score;
    this.apex = managers.apex;
  }

  // ------------------------------------------------------------ helpers

  /** `yield rtems.compute(5000)`: 5000 cycles of work, preemptible by interrupts. */
  compute(cycles: number): number {
    return cycles;
  }

  /** rtems_build_name('T', 'A', '1', ' '). */
  buildName(c1: string, c2: string, c3: string, c4: string): number {
    return buildName(c1, c2, c3, c4);
  }

  // ------------------------------------------------------------ tasks

  /** rtems_task_create: INVALID_NAME, INVALID_PRIORITY, MP_NOT_CONFIGURED, TOO_MANY, UNSATISFIED. */
  taskCreate(name: ObjectName, priority: number, stackSize: number, initialModes: number, attributes: number): IdResult {
    return this.managers.tasks.create(name, priority, stackSize, initialModes, attributes);
  }

  /** rtems_task_start: INVALID_ADDRESS (no entry), INVALID_ID, INCORRECT_STATE (not dormant). */
  *taskStart(id: number, entry: TaskEntry, argument: number): Directive<RtemsStatus> {
    if (typeof entry !== 'function') return RtemsStatus.INVALID_ADDRESS;
    return yield* this.managers.tasks.start(id, (value) => entry(this, value), argument);
  }

  /** rtems_task_delete (RTEMS_SELF: never returns): INVALID_ID, CALLED_FROM_ISR. */
  taskDelete(id: number): Directive<RtemsStatus> {
    return this.managers.tasks.delete(id);
  }

  /** rtems_task_exit: deletes the calling task; never returns. */
  taskExit(): Directive<never> {
    return this.managers.tasks.exit();
  }

  /** rtems_task_suspend: INVALID_ID, ALREADY_SUSPENDED. */
  taskSuspend(id: number): Directive<RtemsStatus> {
    return this.managers.tasks.suspend(id);
  }

  /** rtems_task_resume: INVALID_ID, INCORRECT_STATE (not suspended). */
  taskResume(id: number): Directive<RtemsStatus> {
    return this.managers.tasks.resume(id);
  }

  /** rtems_task_is_suspended: SUCCESSFUL (not suspended), ALREADY_SUSPENDED, INVALID_ID. */
  taskIsSuspended(id: number): RtemsStatus {
    return this.managers.tasks.isSuspended(id);
  }

  /** rtems_task_set_priority (RTEMS_CURRENT_PRIORITY queries): INVALID_PRIORITY, INVALID_ID. */
  taskSetPriority(id: number, priority: number): Directive<PriorityResult> {
    return this.managers.tasks.setPriority(id, priority);
  }

  /** rtems_task_mode: returns the previous mode; RTEMS_CURRENT_MODE with mask 0 only queries. */
  taskMode(modeSet: number, mask: number): Directive<ModeResult> {
    return this.managers.tasks.mode(modeSet, mask);
  }

  /** rtems_task_wake_after (RTEMS_YIELD_PROCESSOR = 0 yields): CALLED_FROM_ISR. */
  taskWakeAfter(ticks: number): Directive<RtemsStatus> {
    return this.managers.tasks.wakeAfter(ticks);
  }

  /** rtems_task_wake_when: NOT_DEFINED (clock not set), INVALID_CLOCK, INVALID_ADDRESS, CALLED_FROM_ISR. */
  taskWakeWhen(tod: TimeOfDay): Directive<RtemsStatus> {
    return this.managers.tasks.wakeWhen(tod);
  }

  /** rtems_task_ident (RTEMS_WHO_AM_I = 0: the caller): INVALID_NAME. */
  taskIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.tasks.ident(name, node);
  }

  // ------------------------------------------------------------ clock

  /** rtems_clock_set: INVALID_ADDRESS, INVALID_CLOCK. */
  clockSet(tod: TimeOfDay): Directive<RtemsStatus> {
    return this.managers.clock.set(tod);
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

  /** rtems_clock_get_ticks_since_boot. */
  clockGetTicksSinceBoot(): number {
    return this.managers.clock.getTicksSinceBoot();
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
    return this.managers.semaphores.delete(id);
  }

  /** rtems_semaphore_obtain: INVALID_ID, UNSATISFIED, TIMEOUT, OBJECT_WAS_DELETED, INVALID_PRIORITY, INCORRECT_STATE. */
  semaphoreObtain(id: number, optionSet: number, timeout: number): Directive<RtemsStatus> {
    return this.managers.semaphores.obtain(id, optionSet, timeout);
  }

  /** rtems_semaphore_release: INVALID_ID, NOT_OWNER_OF_RESOURCE, UNSATISFIED (count overflow). */
  semaphoreRelease(id: number): Directive<RtemsStatus> {
    return this.managers.semaphores.release(id);
  }

  /** rtems_semaphore_flush: INVALID_ID, NOT_DEFINED (priority protocol). */
  semaphoreFlush(id: number): Directive<RtemsStatus> {
    return this.managers.semaphores.flush(id);
  }

  /** rtems_semaphore_ident: INVALID_NAME. */
  semaphoreIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.semaphores.ident(name, node);
  }

  // ------------------------------------------------------------ message queues

  /** rtems_message_queue_create: INVALID_NAME, MP_NOT_CONFIGURED, INVALID_NUMBER, INVALID_SIZE, TOO_MANY. */
  messageQueueCreate(name: ObjectName, count: number, maximumSize: number, attributes: number): IdResult {
    return this.managers.messageQueues.create(name, count, maximumSize, attributes);
  }

  /** rtems_message_queue_send: INVALID_ADDRESS, INVALID_ID, INVALID_SIZE, TOO_MANY (queue full). */
  messageQueueSend(id: number, buffer: Uint8Array): Directive<RtemsStatus> {
    return this.managers.messageQueues.submit(id, buffer, false);
  }

  /** rtems_message_queue_urgent: like send, at the head of the queue. */
  messageQueueUrgent(id: number, buffer: Uint8Array): Directive<RtemsStatus> {
    return this.managers.messageQueues.submit(id, buffer, true);
  }

  /** rtems_message_queue_broadcast: the count of tasks readied. */
  messageQueueBroadcast(id: number, buffer: Uint8Array): Directive<CountResult> {
    return this.managers.messageQueues.broadcast(id, buffer);
  }

  /** rtems_message_queue_receive: INVALID_ID, UNSATISFIED, TIMEOUT, OBJECT_WAS_DELETED. */
  messageQueueReceive(id: number, optionSet: number, timeout: number): Directive<MessageResult> {
    return this.managers.messageQueues.receive(id, optionSet, timeout);
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
    return this.managers.messageQueues.delete(id);
  }

  /** rtems_message_queue_ident: INVALID_NAME. */
  messageQueueIdent(name: ObjectName, node: number = RTEMS_SEARCH_ALL_NODES): IdResult {
    return this.managers.messageQueues.ident(name, node);
  }

  // ------------------------------------------------------------ events

  /** rtems_event_send: INVALID_ID. */
  eventSend(id: number, eventIn: number): Directive<RtemsStatus> {
    return this.managers.events.send(id, eventIn);
  }

  /** rtems_event_receive (RTEMS_PENDING_EVENTS = 0 queries): UNSATISFIED, TIMEOUT. */
  eventReceive(eventIn: number, optionSet: number, timeout: number): Directive<EventResult> {
    return this.managers.events.receive(eventIn, optionSet, timeout);
  }

  // ------------------------------------------------------------ timers

  /** rtems_timer_create: INVALID_NAME, TOO_MANY. */
  timerCreate(name: ObjectName): IdResult {
    return this.managers.timers.create(name);
  }

  /** rtems_timer_fire_after: INVALID_NUMBER (0 ticks), INVALID_ADDRESS, INVALID_ID. */
  timerFireAfter(id: number, ticks: number, routine: TimerServiceRoutine, userData?: unknown): RtemsStatus {
    return this.managers.timers.fireAfter(id, ticks, this.bindTimerRoutine(routine), userData);
  }

  /** rtems_timer_fire_when: NOT_DEFINED, INVALID_CLOCK, INVALID_ADDRESS, INVALID_ID. */
  timerFireWhen(id: number, tod: TimeOfDay, routine: TimerServiceRoutine, userData?: unknown): RtemsStatus {
    return this.managers.timers.fireWhen(id, tod, this.bindTimerRoutine(routine), userData);
  }

  /** rtems_timer_cancel: INVALID_ID. */
  timerCancel(id: number): RtemsStatus {
    return this.managers.timers.cancel(id);
  }

  /** rtems_timer_reset: INVALID_ID, NOT_DEFINED (not an interval timer). */
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
    return this.managers.periods.period(id, length);
  }

  /** rtems_rate_monotonic_cancel: INVALID_ID, NOT_OWNER_OF_RESOURCE. */
  rateMonotonicCancel(id: number): RtemsStatus {
    return this.managers.periods.cancel(id);
  }

  /** rtems_rate_monotonic_delete: INVALID_ID. */
  rateMonotonicDelete(id: number): Directive<RtemsStatus> {
    return this.managers.periods.delete(id);
  }

  /** rtems_rate_monotonic_get_status, with the missed-deadline count. */
  rateMonotonicGetStatus(id: number): PeriodStatusResult {
    return this.managers.periods.getStatus(id);
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

  /** rtems_interrupt_is_in_progress: true inside an ISR or a timer service routine fired at a tick. */
  interruptIsInProgress(): boolean {
    return this.score.isrNestLevel > 0;
  }

  /**
   * rtems_interrupt_handler_install: `routine` runs as an ISR on every interrupt of
   * `vector` (the BSP's numbering). INVALID_ADDRESS without a routine; INVALID_ID when
   * the BSP has no such vector or it already has a handler.
   */
  interruptHandlerInstall(vector: number, routine: IsrRoutine): RtemsStatus {
    if (typeof routine !== 'function') return RtemsStatus.INVALID_ADDRESS;
    const score = this.score;
    const line = bits32(vector);
    const installed = score.env.bsp.interruptInstall(line, () => score.runRoutine(() => routine(this, line)));
    return installed ? RtemsStatus.SUCCESSFUL : RtemsStatus.INVALID_ID;
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
