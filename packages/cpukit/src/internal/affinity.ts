/**
 * The processor-set directives of RTEMS 6 on one processor: task affinity, the processor
 * set of a scheduler, the scheduler of a processor set, interrupt affinity and the
 * affinity of an interrupt server. On one processor (no RTEMS_SMP) the processor mask is
 * one long, CPU_MAXIMUM_PROCESSORS = 1, and the online processors are {0}
 * (score/processormask.h; _SMP_Get_online_processors).
 *
 * Every directive copies between a C cpu_set_t of `cpusetsize` bytes and that mask with
 * _Processor_mask_Copy (cpukit/score/src/processormaskcopy.c), whose answer decides the
 * status: a size that is not a multiple of sizeof(long) is PROCESSOR_MASK_COPY_INVALID_SIZE
 * (nothing is copied); bits that the destination cannot hold are a partial loss (some bits
 * of the source fit) or a complete loss (none do).
 */
import { CPU_SET_WORD_SIZE, CpuSet, type CpuSetResult, isCpuSetSize } from '../cpuSet.js';
import type { Directive, IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32, uint32 } from './arguments.js';
import type { Score } from './score.js';
import type { TaskManager } from './taskManager.js';

/** Processor_mask_Copy_status (score/processormask.h), in its order. */
const Copy = {
  LOSSLESS: 0,
  PARTIAL_LOSS: 1,
  COMPLETE_LOSS: 2,
  INVALID_SIZE: 3,
  /** Not RTEMS's: the cpusetsize is larger than the CpuSet passed (C would read past the object). */
  PAST_THE_SET: 4,
} as const;
type Copy = (typeof Copy)[keyof typeof Copy];

/** _SMP_Get_online_processors() without RTEMS_SMP: processor 0. */
const ONLINE_PROCESSORS = 0x1;

/** _Processor_mask_The_one_and_only (processormaskcopy.c): {0}, every thread's affinity on one processor. */
const THE_ONE_AND_ONLY = 0x1;

/**
 * _Processor_mask_To_cpu_set_t (score/processormask.h): the one-long mask `mask` into a new
 * set of `cpusetsize` bytes. INVALID_SIZE when the size is not a multiple of 4 (nothing
 * written); with 0 bytes a non-empty mask is a complete loss (nothing written).
 * A size above CPU_SET_MAX_SIZE cannot be made here: `set` is undefined (the caller
 * answers INVALID_SIZE, a bound of this binding).
 */
function toCpuSet(mask: number, cpusetsize: unknown): { readonly copy: Copy; readonly set: CpuSet | undefined } {
  const size = uint32(cpusetsize);
  if (size === undefined || size % CPU_SET_WORD_SIZE !== 0) return { copy: Copy.INVALID_SIZE, set: undefined };
  if (size === 0) return { copy: mask !== 0 ? Copy.COMPLETE_LOSS : Copy.LOSSLESS, set: new CpuSet(0) };
  if (!isCpuSetSize(size)) return { copy: Copy.LOSSLESS, set: undefined };
  const set = new CpuSet(size);
  set.setWord(0, mask);
  return { copy: Copy.LOSSLESS, set };
}

/**
 * _Processor_mask_From_cpu_set_t (score/processormask.h): the first long of the set is
 * the mask; any bit in a later word is lost - partially if the first word has a bit set
 * too, completely otherwise.
 */
function fromCpuSet(cpusetsize: unknown, set: CpuSet): { readonly copy: Copy; readonly mask: number } {
  const size = uint32(cpusetsize);
  if (size === undefined || size % CPU_SET_WORD_SIZE !== 0) return { copy: Copy.INVALID_SIZE, mask: 0 };
  if (size > set.size) return { copy: Copy.PAST_THE_SET, mask: 0 };
  const words = size / CPU_SET_WORD_SIZE;
  const inclusive = words > 0 ? set.word(0) : 0;
  let exclusive = 0;
  for (let index = 1; index < words; index += 1) exclusive |= set.word(index);
  if (exclusive !== 0) return { copy: inclusive !== 0 ? Copy.PARTIAL_LOSS : Copy.COMPLETE_LOSS, mask: inclusive };
  return { copy: Copy.LOSSLESS, mask: inclusive };
}

/** _Processor_mask_Is_at_most_partial_loss. */
function isAtMostPartialLoss(copy: Copy): boolean {
  return copy === Copy.LOSSLESS || copy === Copy.PARTIAL_LOSS;
}

/** A CpuSet, or C's NULL for anything else (a Proxy included: CpuSet.is runs no guest code). */
function isCpuSet(value: unknown): value is CpuSet {
  return CpuSet.is(value);
}

export class AffinityDirectives {
  constructor(
    private readonly score: Score,
    private readonly tasks: TaskManager,
  ) {}

  /**
   * rtems_task_get_affinity (cpukit/rtems/src/taskgetaffinity.c; _Scheduler_Get_affinity,
   * score/src/schedulergetaffinity.c): INVALID_ADDRESS for a NULL set (cannot happen: the
   * set is the result), INVALID_ID (_Thread_Get), then INVALID_SIZE unless
   * _Processor_mask_To_cpu_set_t of {0} is lossless.
   */
  taskGetAffinity(id: unknown, cpusetsize: unknown): CpuSetResult {
    return this.score.directive((): CpuSetResult => {
      if (this.tasks.lookup(id) === undefined) return { status: RtemsStatus.INVALID_ID, cpuset: undefined };
      return lossless(toCpuSet(THE_ONE_AND_ONLY, cpusetsize));
    });
  }

  /**
   * rtems_task_set_affinity (cpukit/rtems/src/tasksetaffinity.c; _Scheduler_Set_affinity,
   * score/src/schedulersetaffinity.c; spec:/rtems/task/req/set-affinity): INVALID_ADDRESS
   * (NULL set), INVALID_ID, then INVALID_NUMBER when _Processor_mask_From_cpu_set_t loses
   * more than part of the set (a size that is not a multiple of 4, or only processors past
   * the first long) or when the set, reduced to the online processors, does not contain
   * every online processor (_Scheduler_default_Set_affinity_body: _Processor_mask_Is_subset(
   * affinity, online)) - i.e. unless it contains processor 0. The affinity stays {0}.
   */
  taskSetAffinity(id: unknown, cpusetsize: unknown, cpuset: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      if (!isCpuSet(cpuset)) return RtemsStatus.INVALID_ADDRESS;
      if (this.tasks.lookup(id) === undefined) return RtemsStatus.INVALID_ID;
      return setAffinityStatus(cpusetsize, cpuset);
    });
  }

  /**
   * rtems_scheduler_ident_by_processor_set (cpukit/rtems/src/scheduleridentbyprocessorset.c):
   * INVALID_ADDRESS (NULL id - cannot happen - then NULL set), INVALID_SIZE for a size
   * _Processor_mask_From_cpu_set_t refuses (not a multiple of 4; losses are fine), then the
   * set reduced to the online processors: INVALID_NAME when empty, else the scheduler of
   * its highest processor (processor 0's, the one scheduler).
   */
  schedulerIdentByProcessorSet(cpusetsize: unknown, cpuset: unknown): IdResult {
    if (!isCpuSet(cpuset)) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
    const { copy, mask } = fromCpuSet(cpusetsize, cpuset);
    if (copy === Copy.INVALID_SIZE) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
    if (copy === Copy.PAST_THE_SET) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
    if ((mask & ONLINE_PROCESSORS) === 0) return { status: RtemsStatus.INVALID_NAME, id: 0 };
    return this.tasks.schedulerIdentByProcessor(0);
  }

  /**
   * rtems_scheduler_get_processor_set (cpukit/rtems/src/schedulergetprocessorset.c):
   * INVALID_ADDRESS (NULL set: cannot happen), INVALID_ID (_Scheduler_Get_by_id), then
   * INVALID_SIZE unless the copy of the scheduler's processors, {0}, is lossless.
   */
  schedulerGetProcessorSet(schedulerId: unknown, cpusetsize: unknown): CpuSetResult {
    // The scheduler ids the Task Manager knows (rtems_scheduler_get_maximum_priority answers INVALID_ID for any other).
    if (this.tasks.schedulerGetMaximumPriority(schedulerId).status === RtemsStatus.INVALID_ID) return { status: RtemsStatus.INVALID_ID, cpuset: undefined };
    return lossless(toCpuSet(ONLINE_PROCESSORS, cpusetsize));
  }

  /**
   * rtems_interrupt_get_affinity (bsps/shared/irq/irq-affinity.c, one processor):
   * INVALID_ADDRESS (NULL set: cannot happen); a valid vector's affinity is {0} (INVALID_SIZE
   * unless the copy is lossless), an invalid vector's is the empty set, still copied out,
   * with INVALID_ID - so a set of zeros comes back with INVALID_ID when the size is a
   * multiple of 4, as RTEMS writes one.
   */
  interruptGetAffinity(vector: unknown, cpusetsize: unknown): CpuSetResult {
    const valid = this.score.env.bsp.isInterruptVector(bits32(vector));
    const { copy, set } = toCpuSet(valid ? THE_ONE_AND_ONLY : 0, cpusetsize);
    if (!valid) return { status: RtemsStatus.INVALID_ID, cpuset: copy === Copy.LOSSLESS ? set : undefined };
    return lossless({ copy, set });
  }

  /**
   * rtems_interrupt_set_affinity (bsps/shared/irq/irq-affinity.c, one processor):
   * INVALID_ADDRESS (NULL set), INVALID_ID (bsp_interrupt_is_valid_vector), INVALID_NUMBER
   * when the copy loses more than part of the set or the set has no online processor;
   * otherwise SUCCESSFUL with nothing to change (the one processor takes every interrupt).
   */
  interruptSetAffinity(vector: unknown, cpusetsize: unknown, cpuset: unknown): RtemsStatus {
    if (!isCpuSet(cpuset)) return RtemsStatus.INVALID_ADDRESS;
    if (!this.score.env.bsp.isInterruptVector(bits32(vector))) return RtemsStatus.INVALID_ID;
    const { copy, mask } = fromCpuSet(cpusetsize, cpuset);
    if (copy === Copy.PAST_THE_SET) return RtemsStatus.INVALID_ADDRESS;
    if (!isAtMostPartialLoss(copy)) return RtemsStatus.INVALID_NUMBER;
    return (mask & ONLINE_PROCESSORS) === 0 ? RtemsStatus.INVALID_NUMBER : RtemsStatus.SUCCESSFUL;
  }

  /**
   * rtems_interrupt_server_set_affinity (bsps/shared/irq/irq-server.c): INVALID_ID for an
   * unknown server (bsp_interrupt_server_get_context), then the errors of
   * rtems_scheduler_ident_by_processor_set, of rtems_task_set_scheduler (the server task
   * gets the scheduler and `priority`: INVALID_PRIORITY, RESOURCE_IN_USE) and of
   * rtems_task_set_affinity, in that order.
   */
  *interruptServerSetAffinity(server: () => number | undefined, cpusetsize: unknown, cpuset: unknown, priority: unknown): Directive<RtemsStatus> {
    const serverTask = server();
    if (serverTask === undefined) return RtemsStatus.INVALID_ID;
    const scheduler = this.schedulerIdentByProcessorSet(cpusetsize, cpuset);
    if (scheduler.status !== RtemsStatus.SUCCESSFUL) return scheduler.status;
    const status = yield* this.tasks.setScheduler(serverTask, scheduler.id, priority);
    if (status !== RtemsStatus.SUCCESSFUL) return status;
    return this.taskSetAffinity(serverTask, cpusetsize, cpuset);
  }
}

/** A copy-out that must be lossless: INVALID_SIZE otherwise, and for a size this binding cannot make. */
function lossless({ copy, set }: { readonly copy: Copy; readonly set: CpuSet | undefined }): CpuSetResult {
  if (copy !== Copy.LOSSLESS || set === undefined) return { status: RtemsStatus.INVALID_SIZE, cpuset: undefined };
  return { status: RtemsStatus.SUCCESSFUL, cpuset: set };
}

/** _Scheduler_Set_affinity after the thread lookup, one processor. */
function setAffinityStatus(cpusetsize: unknown, cpuset: CpuSet): RtemsStatus {
  const { copy, mask } = fromCpuSet(cpusetsize, cpuset);
  if (copy === Copy.PAST_THE_SET) return RtemsStatus.INVALID_ADDRESS;
  if (!isAtMostPartialLoss(copy)) return RtemsStatus.INVALID_NUMBER;
  const affinity = mask & ONLINE_PROCESSORS;
  // _Processor_mask_Is_subset( affinity, online ): every online processor is in the affinity.
  return (affinity & ONLINE_PROCESSORS) === ONLINE_PROCESSORS ? RtemsStatus.SUCCESSFUL : RtemsStatus.INVALID_NUMBER;
}
