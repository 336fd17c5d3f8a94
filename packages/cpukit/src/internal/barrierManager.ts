/**
 * Barrier Manager (RTEMS C User's Guide, "Barrier Manager"; RTEMS 6 cpukit/rtems/src/
 * barriercreate.c, barrierident.c, barrierdelete.c, barrierwait.c, barrierrelease.c and
 * cpukit/score/src/corebarrierwait.c): tasks wait at a barrier until it is released,
 * manually (rtems_barrier_release) or automatically when the maximum_waiters-th task
 * arrives. The wait queue is FIFO whatever the attributes (_CORE_barrier_Thread_queue_operations
 * specialise _Thread_queue_Operations_FIFO), and a release readies the waiters in that order.
 */
import { RTEMS_BARRIER_AUTOMATIC_RELEASE } from '../attributes.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_SEARCH_LOCAL_NODE } from '../options.js';
import type { CountResult, Directive, IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32, uint32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';
import { STATES_WAITING_FOR_BARRIER } from './thread.js';
import { WaitQueue } from './waitQueue.js';

/**
 * OBJECTS_RTEMS_BARRIERS in Objects_Classic_API (rtems/score/objectdata.h): ids 0x5201xxxx.
 * (After OBJECTS_RTEMS_EXTENSIONS = 9, which this executive does not have.)
 */
export const OBJECTS_RTEMS_BARRIERS = ClassicObjectClass.BARRIERS;

/** CORE_BARRIER_MANUAL_RELEASE_MAXIMUM_COUNT (corebarrierimpl.h): never reached by a count of waiters plus one. */
const MANUAL_RELEASE_MAXIMUM_COUNT = 0;

class BarrierControl {
  /** The waiting tasks: number_of_waiting_threads is its length (the extract operation keeps them equal). */
  readonly waitQueue = new WaitQueue('fifo');

  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    /** CORE_barrier_Control.maximum_count: maximum_waiters of an automatic barrier, 0 for a manual one. */
    readonly maximumCount: number,
  ) {}
}

const BLOCKED = Symbol('blocked');

export class BarrierManager {
  readonly table: ObjectTable<BarrierControl>;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<BarrierControl>(OBJECTS_CLASSIC_API, OBJECTS_RTEMS_BARRIERS, score.config.maximumBarriers);
  }

  /**
   * rtems_barrier_create (barriercreate.c): INVALID_NAME; INVALID_NUMBER for an automatic
   * barrier with maximum_waiters 0 (a manual barrier ignores the argument); TOO_MANY.
   */
  create(name: unknown, attributes: unknown, maximumWaiters: unknown): IdResult {
    return this.score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      let maximumCount = MANUAL_RELEASE_MAXIMUM_COUNT;
      if ((bits32(attributes) & RTEMS_BARRIER_AUTOMATIC_RELEASE) !== 0) {
        const waiters = uint32(maximumWaiters);
        if (waiters === undefined || waiters === 0) return { status: RtemsStatus.INVALID_NUMBER, id: 0 };
        maximumCount = waiters;
      }
      const barrier = this.table.allocate((id) => new BarrierControl(id, packed, maximumCount));
      return barrier === undefined ? { status: RtemsStatus.TOO_MANY, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: barrier.id };
    });
  }

  /** rtems_barrier_ident: the local node only (RTEMS 6 has no node argument). */
  ident(name: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, RTEMS_SEARCH_LOCAL_NODE));
  }

  /**
   * rtems_barrier_wait (_CORE_barrier_Seize): the task that makes the count of waiters plus
   * one equal to maximum_count releases the others and returns at once (SUCCESSFUL, RTEMS's
   * STATUS_BARRIER_AUTOMATICALLY_RELEASED); any other task blocks, `timeout` ticks at most
   * (RTEMS_NO_TIMEOUT: for ever): SUCCESSFUL when released, TIMEOUT, OBJECT_WAS_DELETED.
   * A wait in an ISR or a timer service routine is a fatal error (tripping the barrier there
   * is not: it does not block).
   */
  *wait(id: unknown, timeout: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const thread = score.current;
    const ticks = bits32(timeout);
    const outcome = score.directive((): RtemsStatus | typeof BLOCKED => {
      const barrier = this.table.get(id);
      if (barrier === undefined) return RtemsStatus.INVALID_ID;
      if (((barrier.waitQueue.length + 1) >>> 0) === barrier.maximumCount) {
        this.flush(barrier, RtemsStatus.SUCCESSFUL);
        return RtemsStatus.SUCCESSFUL;
      }
      if (!score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE, 'barrier wait would block in an ISR or with dispatching disabled');
      }
      score.block(thread, STATES_WAITING_FOR_BARRIER, barrier.waitQueue, ticks);
      return BLOCKED;
    });
    yield* score.dispatchPoint();
    return outcome === BLOCKED ? thread.waitStatus : outcome;
  }

  /** _Thread_queue_Flush_critical: every waiter, from the head, gets `status`; returns how many. */
  private flush(barrier: BarrierControl, status: RtemsStatus): number {
    const waiters = [...barrier.waitQueue.threads];
    for (const waiter of waiters) this.score.release(waiter, status);
    return waiters.length;
  }

  /** rtems_barrier_release: readies every waiting task; the count is how many. Callable from an ISR. */
  *release(id: unknown): Directive<CountResult> {
    const score = this.score;
    const result = score.directive((): CountResult => {
      const barrier = this.table.get(id);
      if (barrier === undefined) return { status: RtemsStatus.INVALID_ID, count: 0 };
      return { status: RtemsStatus.SUCCESSFUL, count: this.flush(barrier, RtemsStatus.SUCCESSFUL) };
    });
    yield* score.dispatchPoint();
    return result;
  }

  /** rtems_barrier_delete: waiting tasks get RTEMS_OBJECT_WAS_DELETED. */
  *delete(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const barrier = this.table.get(id);
      if (barrier === undefined) return RtemsStatus.INVALID_ID;
      this.flush(barrier, RtemsStatus.OBJECT_WAS_DELETED);
      this.table.release(barrier);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }
}
