/**
 * What directives return. Where RTEMS writes through output pointers, a directive
 * here returns an object with the status and the out-values; on an error status the
 * out-values are 0 / undefined, never stale data - except where RTEMS writes them on
 * that error too (rtems_task_set_priority's old priority on RTEMS_INVALID_PRIORITY,
 * rtems_event_receive's pending part of the request on RTEMS_UNSATISFIED).
 */
import type { RateMonotonicState } from './rateMonotonicState.js';
import type { RtemsStatus } from './rtemsStatus.js';
import type { TimeOfDay, Timespec, Timeval } from './timeOfDay.js';

/**
 * A directive that can block or dispatch: a generator to use with `yield*` from a
 * thread body (`const status = yield* rtems.taskWakeAfter(10)`). It yields 0 at the
 * point where RTEMS would dispatch, and returns the directive's result.
 */
export type Directive<T> = Generator<number, T, unknown>;

export interface IdResult {
  readonly status: RtemsStatus;
  readonly id: number;
}

export interface PriorityResult {
  readonly status: RtemsStatus;
  /**
   * The task's current priority (inheritance and ceilings included): before the call for
   * rtems_task_set_priority, which reports it even when the new priority is
   * RTEMS_INVALID_PRIORITY (RTEMS 6 tasksetpriority.c writes it then too).
   */
  readonly priority: number;
}

/** rtems_scheduler_map_priority_to_posix: the POSIX thread priority. */
export interface PosixPriorityResult {
  readonly status: RtemsStatus;
  readonly posixPriority: number;
}

/** What interruptServerInitialize returns: the number of servers started (one processor: 1, or 0). */
export interface InterruptServerCountResult {
  readonly status: RtemsStatus;
  readonly serverCount: number;
}

/** What interruptServerCreate returns: the new server's index. */
export interface InterruptServerIndexResult {
  readonly status: RtemsStatus;
  readonly serverIndex: number;
}

/** rtems_object_api_class_information (rtems/rtems/object.h) in camelCase. */
export interface ObjectClassInformation {
  readonly minimumId: number;
  readonly maximumId: number;
  readonly maximum: number;
  readonly autoExtend: boolean;
  readonly unallocated: number;
}

/** What objectGetClassInformation returns. */
export interface ClassInformationResult {
  readonly status: RtemsStatus;
  readonly information: ObjectClassInformation | undefined;
}

export interface NameResult {
  readonly status: RtemsStatus;
  /** The object's name, packed (rtems_name). */
  readonly name: number;
}

/**
 * What an rtems_task_iterate visitor sees of a task (the parts of its TCB this executive
 * keeps): a snapshot taken when the iteration started.
 */
export interface TaskVisit {
  readonly id: number;
  /** The packed object name. */
  readonly name: number;
  /** 'executing', 'ready', 'dormant', 'suspended+delaying', ... */
  readonly state: string;
  readonly currentPriority: number;
  readonly realPriority: number;
  readonly initialPriority: number;
  readonly stackSize: number;
}

export interface ModeResult {
  readonly status: RtemsStatus;
  readonly previousMode: number;
}

export interface TodResult {
  readonly status: RtemsStatus;
  readonly tod: TimeOfDay | undefined;
}

export interface UptimeResult {
  readonly status: RtemsStatus;
  readonly uptime: Timespec;
}

/** rtems_clock_get_tod_timeval: the time of day since 1970 as a struct timeval. */
export interface TimevalResult {
  readonly status: RtemsStatus;
  readonly time: Timeval | undefined;
}

export interface SecondsResult {
  readonly status: RtemsStatus;
  readonly seconds: number;
}

export interface CountResult {
  readonly status: RtemsStatus;
  readonly count: number;
}

export interface MessageResult {
  readonly status: RtemsStatus;
  /** A copy of the message received (its length is the message size). */
  readonly message: Uint8Array | undefined;
}

export interface EventResult {
  readonly status: RtemsStatus;
  readonly eventOut: number;
}

/** rtems_rate_monotonic_period_status with the statistics counters this executive keeps. */
export interface PeriodStatus {
  readonly owner: number;
  readonly state: RateMonotonicState;
  /** Periods concluded by rtems_rate_monotonic_period (rtems_rate_monotonic_period_statistics.count). */
  readonly count: number;
  /** Deadlines missed (rtems_rate_monotonic_period_statistics.missed_count). */
  readonly missedCount: number;
  /** Clock ticks since the current period started (0 when inactive). */
  readonly ticksSinceLastPeriod: number;
  /** Jobs released by a period end while the owner was still busy, not yet caught up (postponed_jobs_count). */
  readonly postponedJobs: number;
  /** Wall time since the period was initiated, ns (since_last_period; 0 when inactive). */
  readonly sinceLastPeriodNs: number;
  /** The owner's CPU time since the period was initiated, ns (executed_since_last_period; 0 when inactive). */
  readonly executedSinceLastPeriodNs: number;
}

/**
 * rtems_rate_monotonic_period_statistics, times in ns. The minimums are
 * Number.MAX_SAFE_INTEGER until a job concludes (RTEMS resets them to its largest time).
 */
export interface RateMonotonicStatistics {
  readonly count: number;
  readonly missedCount: number;
  readonly minCpuTimeNs: number;
  readonly maxCpuTimeNs: number;
  readonly totalCpuTimeNs: number;
  readonly minWallTimeNs: number;
  readonly maxWallTimeNs: number;
  readonly totalWallTimeNs: number;
}

export interface RateMonotonicStatisticsResult {
  readonly status: RtemsStatus;
  readonly statistics: RateMonotonicStatistics | undefined;
}

export interface PeriodStatusResult {
  readonly status: RtemsStatus;
  readonly periodStatus: PeriodStatus | undefined;
}

/** rtems_partition_get_buffer: the buffer's address in the application's address space. */
export interface BufferResult {
  readonly status: RtemsStatus;
  readonly buffer: number;
}

/** rtems_region_get_segment: the segment's address in the application's address space. */
export interface SegmentResult {
  readonly status: RtemsStatus;
  readonly segment: number;
}

/** rtems_region_get_segment_size: the bytes usable in the segment. */
export interface SizeResult {
  readonly status: RtemsStatus;
  readonly size: number;
}

/**
 * rtems_region_resize_segment: the usable size of the segment before the call. As in
 * RTEMS, it is also reported with RTEMS_UNSATISFIED (the segment did not change).
 */
export interface ResizeResult {
  readonly status: RtemsStatus;
  readonly oldSize: number;
}

/** Heap_Information: blocks of one kind in a region. */
export interface RegionBlockInformation {
  /** Number of blocks. */
  readonly number: number;
  /** Size of the largest block in bytes (block sizes include the 8-byte block header). */
  readonly largest: number;
  /** Total size of the blocks in bytes. */
  readonly total: number;
}

/** Heap_Information_block of rtems_region_get_information (Free and Used; see the README for Stats). */
export interface RegionInformation {
  readonly free: RegionBlockInformation;
  readonly used: RegionBlockInformation;
}

export interface RegionInformationResult {
  readonly status: RtemsStatus;
  readonly information: RegionInformation | undefined;
}

/** rtems_port_external_to_internal / rtems_port_internal_to_external: the converted address. */
export interface AddressResult {
  readonly status: RtemsStatus;
  readonly address: number;
}
