/**
 * Semaphore Manager (RTEMS C User's Guide, "Semaphore Manager"). Three kinds:
 *  - counting: a count, no owner;
 *  - simple binary: a count of at most 1, no owner, no nesting (it blocks its holder too);
 *  - binary: a mutex with an owner, nested obtains by the owner, release only by the
 *    owner (RTEMS_NOT_OWNER_OF_RESOURCE otherwise), optionally with priority
 *    inheritance or the priority ceiling protocol.
 * Creation rules of rtems_semaphore_create: inheritance and ceiling need a binary
 * semaphore with RTEMS_PRIORITY and exclude each other (RTEMS_NOT_DEFINED); a
 * non-counting semaphore starts with a count of 0 or 1 (RTEMS_INVALID_NUMBER).
 */
import {
  RTEMS_BINARY_SEMAPHORE,
  RTEMS_COUNTING_SEMAPHORE,
  RTEMS_INHERIT_PRIORITY,
  RTEMS_PRIORITY,
  RTEMS_PRIORITY_CEILING,
  RTEMS_SEMAPHORE_CLASS,
  RTEMS_SIMPLE_BINARY_SEMAPHORE,
} from '../attributes.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_CURRENT_PRIORITY, RTEMS_NO_WAIT } from '../options.js';
import type { Directive, IdResult, PriorityResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32, isPriority, uint32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';
import { SCHEDULER_ID } from './taskManager.js';
import { STATES_WAITING_FOR_MUTEX, STATES_WAITING_FOR_SEMAPHORE, type HeldMutex, type Thread } from './thread.js';
import { WaitQueue } from './waitQueue.js';

type SemaphoreKind = 'counting' | 'simple-binary' | 'binary';

const MAXIMUM_COUNT = 0xffff_ffff;
const MAX_OWNER_CHAIN = 256;

class SemaphoreControl implements HeldMutex {
  count: number;
  nestCount = 0;
  owner: Thread | undefined = undefined;
  readonly waitQueue: WaitQueue;

  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    readonly kind: SemaphoreKind,
    discipline: 'fifo' | 'priority',
    readonly inherit: boolean,
    readonly ceiling: boolean,
    /** The ceiling; rtems_semaphore_set_priority changes it. */
    public ceilingPriority: number,
    count: number,
  ) {
    this.count = count;
    this.waitQueue = new WaitQueue(discipline);
    if (kind === 'binary') this.waitQueue.mutex = this;
  }
}

/** What a blocking directive body decided. */
const BLOCKED = Symbol('blocked');

export class SemaphoreManager {
  readonly table: ObjectTable<SemaphoreControl>;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<SemaphoreControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.SEMAPHORES, score.config.maximumSemaphores);
  }

  /** rtems_semaphore_create. A binary semaphore created with count 0 is owned by its creator. */
  create(name: unknown, count: unknown, attributes: unknown, priorityCeiling: unknown): IdResult {
    const score = this.score;
    return score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      // RTEMS_GLOBAL has no effect: without multiprocessing RTEMS 6 clears it (semcreate.c,
      // `attribute_set = _Attributes_Clear( attribute_set, RTEMS_GLOBAL )`).
      const attributeSet = bits32(attributes);
      const semaphoreClass = attributeSet & RTEMS_SEMAPHORE_CLASS;
      const kind: SemaphoreKind | undefined =
        semaphoreClass === RTEMS_COUNTING_SEMAPHORE ? 'counting' : semaphoreClass === RTEMS_BINARY_SEMAPHORE ? 'binary' : semaphoreClass === RTEMS_SIMPLE_BINARY_SEMAPHORE ? 'simple-binary' : undefined;
      if (kind === undefined) return { status: RtemsStatus.NOT_DEFINED, id: 0 };
      const byPriority = (attributeSet & RTEMS_PRIORITY) !== 0;
      const inherit = (attributeSet & RTEMS_INHERIT_PRIORITY) !== 0;
      const ceiling = (attributeSet & RTEMS_PRIORITY_CEILING) !== 0;
      if ((inherit || ceiling) && !(kind === 'binary' && byPriority)) return { status: RtemsStatus.NOT_DEFINED, id: 0 };
      if (inherit && ceiling) return { status: RtemsStatus.NOT_DEFINED, id: 0 };
      const initial = uint32(count);
      if (initial === undefined || (kind !== 'counting' && initial > 1)) return { status: RtemsStatus.INVALID_NUMBER, id: 0 };
      if (ceiling && !isPriority(priorityCeiling, score.scheduler.maximumPriority)) return { status: RtemsStatus.INVALID_PRIORITY, id: 0 };
      const ceilingPriority = ceiling ? (priorityCeiling as number) : 0;
      const semaphore = this.table.allocate(
        (id) => new SemaphoreControl(id, packed, kind, byPriority ? 'priority' : 'fifo', inherit, ceiling, ceilingPriority, kind === 'binary' ? 0 : initial),
      );
      if (semaphore === undefined) return { status: RtemsStatus.TOO_MANY, id: 0 };
      if (kind === 'binary' && initial === 0) {
        const creator = score.current;
        // The creator would violate the ceiling it is raised to: the object is freed again (RTEMS 5 semcreate.c).
        // Compared as core priorities: under EDF a creator with a released job is above every ceiling.
        if (ceiling && creator.currentPriority < score.toCore(ceilingPriority)) {
          this.table.release(semaphore);
          return { status: RtemsStatus.INVALID_PRIORITY, id: 0 };
        }
        this.acquire(semaphore, creator);
      }
      return { status: RtemsStatus.SUCCESSFUL, id: semaphore.id };
    });
  }

  private acquire(semaphore: SemaphoreControl, thread: Thread): void {
    semaphore.owner = thread;
    semaphore.nestCount = 1;
    thread.heldMutexes.push(semaphore);
    this.score.recomputePriority(thread, false);
  }

  /** Whether `thread` waiting on `semaphore` would close a cycle of owners (RTEMS 5 deadlock detection). */
  private wouldDeadlock(semaphore: SemaphoreControl, thread: Thread): boolean {
    let owner = semaphore.owner;
    for (let depth = 0; owner !== undefined && depth < MAX_OWNER_CHAIN; depth++) {
      if (owner === thread) return true;
      owner = owner.waitQueue?.mutex?.owner;
    }
    return false;
  }

  /**
   * rtems_semaphore_obtain: RTEMS_NO_WAIT fails with UNSATISFIED; otherwise wait,
   * `timeout` ticks at most (0: forever). Obtaining a ceiling semaphore with a priority
   * above its ceiling is RTEMS_INVALID_PRIORITY; a wait that would deadlock is
   * RTEMS_INCORRECT_STATE.
   */
  *obtain(id: unknown, optionSet: unknown, timeout: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const thread = score.current;
    const noWait = (bits32(optionSet) & RTEMS_NO_WAIT) !== 0;
    const ticks = bits32(timeout);
    const outcome = score.directive((): RtemsStatus | typeof BLOCKED => {
      const semaphore = this.table.get(id);
      if (semaphore === undefined) return RtemsStatus.INVALID_ID;
      if (semaphore.kind !== 'binary') {
        if (semaphore.count > 0) {
          semaphore.count--;
          return RtemsStatus.SUCCESSFUL;
        }
        if (noWait) return RtemsStatus.UNSATISFIED;
        this.mustBlock();
        score.block(thread, STATES_WAITING_FOR_SEMAPHORE, semaphore.waitQueue, ticks);
        return BLOCKED;
      }
      if (semaphore.owner === undefined) {
        if (semaphore.ceiling && thread.currentPriority < score.toCore(semaphore.ceilingPriority)) return RtemsStatus.INVALID_PRIORITY;
        this.acquire(semaphore, thread);
        return RtemsStatus.SUCCESSFUL;
      }
      if (semaphore.owner === thread) {
        semaphore.nestCount++;
        return RtemsStatus.SUCCESSFUL;
      }
      if (noWait) return RtemsStatus.UNSATISFIED;
      if (this.wouldDeadlock(semaphore, thread)) return RtemsStatus.INCORRECT_STATE;
      this.mustBlock();
      score.block(thread, STATES_WAITING_FOR_MUTEX, semaphore.waitQueue, ticks);
      return BLOCKED;
    });
    yield* score.dispatchPoint();
    return outcome === BLOCKED ? thread.waitStatus : outcome;
  }

  /** A wait where none is possible (ISR, timer service routine) is a fatal error, as in RTEMS 4.11/5. */
  private mustBlock(): void {
    if (!this.score.canBlock) {
      this.score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE, 'semaphore obtain would block in an ISR or with dispatching disabled');
    }
  }

  /**
   * rtems_semaphore_release: hands the semaphore to the first waiter, if any. A binary
   * semaphore's owner drops back to the priority its other resources give it.
   */
  *release(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const semaphore = this.table.get(id);
      if (semaphore === undefined) return RtemsStatus.INVALID_ID;
      const waiter = semaphore.waitQueue.first();
      if (semaphore.kind !== 'binary') {
        if (waiter !== undefined) {
          score.release(waiter, RtemsStatus.SUCCESSFUL);
          return RtemsStatus.SUCCESSFUL;
        }
        if (semaphore.kind === 'simple-binary') {
          semaphore.count = 1;
          return RtemsStatus.SUCCESSFUL;
        }
        if (semaphore.count >= MAXIMUM_COUNT) return RtemsStatus.UNSATISFIED;
        semaphore.count++;
        return RtemsStatus.SUCCESSFUL;
      }
      const owner = score.current;
      if (semaphore.owner !== owner) return RtemsStatus.NOT_OWNER_OF_RESOURCE;
      semaphore.nestCount--;
      if (semaphore.nestCount > 0) return RtemsStatus.SUCCESSFUL;
      const held = owner.heldMutexes.indexOf(semaphore);
      if (held >= 0) owner.heldMutexes.splice(held, 1);
      semaphore.owner = undefined;
      if (waiter !== undefined) {
        score.release(waiter, RtemsStatus.SUCCESSFUL);
        this.acquire(semaphore, waiter);
      }
      score.recomputePriority(owner, true);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /**
   * rtems_semaphore_flush: every waiter gets RTEMS_UNSATISFIED; the count and owner do
   * not change. Not defined for semaphores with a priority protocol (RTEMS 5).
   */
  *flush(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const semaphore = this.table.get(id);
      if (semaphore === undefined) return RtemsStatus.INVALID_ID;
      if (semaphore.inherit || semaphore.ceiling) return RtemsStatus.NOT_DEFINED;
      for (const waiter of [...semaphore.waitQueue.threads]) score.release(waiter, RtemsStatus.UNSATISFIED);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_semaphore_delete: a held binary semaphore is RESOURCE_IN_USE; waiters get OBJECT_WAS_DELETED. */
  *delete(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const semaphore = this.table.get(id);
      if (semaphore === undefined) return RtemsStatus.INVALID_ID;
      if (semaphore.kind === 'binary' && semaphore.owner !== undefined) return RtemsStatus.RESOURCE_IN_USE;
      for (const waiter of [...semaphore.waitQueue.threads]) score.release(waiter, RtemsStatus.OBJECT_WAS_DELETED);
      this.table.release(semaphore);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /**
   * rtems_semaphore_set_priority (semsetpriority.c): INVALID_ID (scheduler, then semaphore),
   * INVALID_PRIORITY (above the scheduler's maximum; RTEMS_CURRENT_PRIORITY = 0 only
   * queries), NOT_DEFINED (not a priority ceiling semaphore: MrsP exists only on SMP).
   * Reports the ceiling before the call and sets the new one; an owner's priority follows
   * at once (_CORE_ceiling_mutex_Set_priority changes the owner's ceiling node), which
   * may dispatch.
   */
  *setPriority(id: unknown, schedulerId: unknown, newPriority: unknown): Directive<PriorityResult> {
    const score = this.score;
    const result = score.directive((): PriorityResult => {
      if (schedulerId !== SCHEDULER_ID) return { status: RtemsStatus.INVALID_ID, priority: 0 };
      const semaphore = this.table.get(id);
      if (semaphore === undefined) return { status: RtemsStatus.INVALID_ID, priority: 0 };
      // _RTEMS_Priority_To_core: valid up to the scheduler's maximum (255, or 0x7fffffff under EDF); 0 is RTEMS_CURRENT_PRIORITY.
      if (!(typeof newPriority === 'number' && Number.isInteger(newPriority) && newPriority >= 0 && newPriority <= score.scheduler.maximumPriority)) {
        return { status: RtemsStatus.INVALID_PRIORITY, priority: 0 };
      }
      if (!semaphore.ceiling) return { status: RtemsStatus.NOT_DEFINED, priority: 0 };
      const old = semaphore.ceilingPriority;
      if (newPriority !== RTEMS_CURRENT_PRIORITY) {
        semaphore.ceilingPriority = newPriority;
        if (semaphore.owner !== undefined) score.recomputePriority(semaphore.owner, false);
      }
      return { status: RtemsStatus.SUCCESSFUL, priority: old };
    });
    yield* score.dispatchPoint();
    return result;
  }

  /** rtems_semaphore_ident. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }
}
