/**
 * Self-contained objects (RTEMS C User's Guide, "Self-Contained Objects"; RTEMS 6
 * <rtems/thread.h>): mutexes, recursive mutexes, condition variables, counting and
 * binary semaphores that live in the application's own storage instead of an object
 * table. They have no id and no status codes: misuse that RTEMS detects is a fatal
 * error, as there. In C they are structures the application declares; here
 * `rtems.mutexInit(name)` and friends return the object, which the other directives take.
 *
 * The score code they follow (cpukit/score/src/mutex.c, semaphore.c, condition.c):
 *  - a mutex waits on a priority-ordered thread queue with priority inheritance
 *    (_Thread_queue_Operations_priority_inherit); an enqueue that closes a cycle of owners
 *    - the owner locking a non-recursive mutex again included - is the fatal error
 *    INTERNAL_ERROR_THREAD_QUEUE_DEADLOCK (_Thread_queue_Deadlock_fatal);
 *  - semaphores wait on a priority-ordered queue (_Thread_queue_Operations_priority);
 *  - a condition variable waits first come first served (_Thread_queue_Operations_FIFO);
 *  - any of them that must block in an ISR or with dispatching disabled is the fatal error
 *    INTERNAL_ERROR_THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE (_Thread_queue_Enqueue);
 *  - destroy does nothing (newlib <sys/lock.h>: the _Destroy functions are empty).
 */
import { FatalSource, InternalError } from '../fatalSource.js';
import type { Directive } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import type { Score } from './score.js';
import { STATES_WAITING_FOR_CONDITION_VARIABLE, STATES_WAITING_FOR_MUTEX, STATES_WAITING_FOR_SEMAPHORE, type HeldMutex, type Thread } from './thread.js';
import { WaitQueue } from './waitQueue.js';

/** newlib <sys/errno.h> values the int-returning directives answer. */
export const EAGAIN = 11;
export const EBUSY = 16;
export const ETIMEDOUT = 116;

/** Longest chain of owners the deadlock check follows (a guard, not a semantic). */
const MAX_OWNER_CHAIN = 256;

/** The name of a self-contained object: C's `const char *`, a string or NULL (undefined). */
function cName(name: unknown): string | undefined {
  return typeof name === 'string' ? name : undefined;
}

/** What every self-contained object has: the name pointer of its thread queue (`_Queue._name`). */
abstract class SelfContained {
  /** The name given at init or by set_name (C's NULL: undefined). */
  name: string | undefined;

  constructor(name: unknown) {
    this.name = cName(name);
  }
}

/** rtems_mutex (struct _Mutex_Control): an owner and a queue with priority inheritance. */
export class RtemsMutex extends SelfContained implements HeldMutex {
  readonly inherit = true;
  readonly ceiling = false;
  readonly ceilingPriority = 0;
  readonly waitQueue = new WaitQueue('priority');
  owner: Thread | undefined = undefined;

  constructor(name: unknown) {
    super(name);
    this.waitQueue.mutex = this;
  }
}

/** rtems_recursive_mutex (struct _Mutex_recursive_Control): a mutex and its nest level. */
export class RtemsRecursiveMutex extends RtemsMutex {
  /** Locks by the owner beyond the first (nest_level). */
  nestLevel = 0;
}

/** rtems_condition_variable (struct _Condition_Control): a FIFO queue. */
export class RtemsConditionVariable extends SelfContained {
  readonly waitQueue = new WaitQueue('fifo');
}

/** rtems_counting_semaphore (struct _Semaphore_Control): an unsigned count and a priority queue. */
export class RtemsCountingSemaphore extends SelfContained {
  readonly waitQueue = new WaitQueue('priority');
  count: number;

  constructor(name: unknown, count: number) {
    super(name);
    this.count = count;
  }
}

/** rtems_binary_semaphore: a semaphore whose post sets the count to 1 (_Semaphore_Post_binary). */
export class RtemsBinarySemaphore extends RtemsCountingSemaphore {}

type Constructor<T> = abstract new (...args: never[]) => T;

/**
 * The object a directive was given. C would dereference whatever pointer it got; anything
 * else than an object of the right kind is refused by throwing, which the executive turns
 * into the fatal error GUEST_EXCEPTION (the analogue of a bad pointer).
 */
function check<T>(object: unknown, kind: Constructor<T>, what: string): T {
  if (object instanceof kind) return object;
  throw new TypeError(`${what}: not a ${kind.name} (use the object its init directive returned)`);
}

/** An rtems_mutex, or an rtems_recursive_mutex: C's types keep the two apart. */
function mutexOf(object: unknown, recursive: boolean, what: string): RtemsMutex {
  if (recursive) return check(object, RtemsRecursiveMutex, what);
  const mutex = check(object, RtemsMutex, what);
  if (mutex instanceof RtemsRecursiveMutex) throw new TypeError(`${what}: not an RtemsMutex (a recursive mutex)`);
  return mutex;
}

export class SelfContainedObjects {
  constructor(private readonly score: Score) {}

  // ---------------------------------------------------------------- mutexes

  /** _Mutex_Initialize_named / _Mutex_recursive_Initialize_named: unlocked, no owner. */
  mutexInit(name: unknown): RtemsMutex {
    return new RtemsMutex(name);
  }

  recursiveMutexInit(name: unknown): RtemsRecursiveMutex {
    return new RtemsRecursiveMutex(name);
  }

  /**
   * _Mutex_Acquire / _Mutex_recursive_Acquire (mutex.c): a free mutex becomes the caller's;
   * the owner of a recursive mutex nests; anyone else waits without a timeout, lending the
   * owner its priority.
   */
  *lock(object: unknown, recursive: boolean): Directive<void> {
    yield* this.acquire(mutexOf(object, recursive, recursive ? 'rtems_recursive_mutex_lock' : 'rtems_mutex_lock'));
  }

  private *acquire(mutex: RtemsMutex): Directive<void> {
    const score = this.score;
    const thread = score.current;
    score.directive(() => {
      if (mutex.owner === undefined) {
        this.take(mutex, thread);
        return;
      }
      if (mutex.owner === thread && mutex instanceof RtemsRecursiveMutex) {
        mutex.nestLevel++;
        return;
      }
      // _Mutex_Acquire_slow: _Thread_queue_Enqueue checks the owner chain first
      // (_Thread_queue_Path_acquire), then the dispatch level.
      if (this.closesCycle(mutex, thread)) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_QUEUE_DEADLOCK, 'self-contained mutex lock would deadlock: its chain of owners leads back to the caller');
      }
      this.mustBlock('mutex lock');
      score.block(thread, STATES_WAITING_FOR_MUTEX, mutex.waitQueue, 0);
    });
    yield* score.dispatchPoint();
  }

  /**
   * _Mutex_Try_acquire / _Mutex_recursive_Try_acquire: 0, or EBUSY when another thread (or,
   * for a non-recursive mutex, the caller itself) owns it. Never blocks.
   */
  tryLock(object: unknown, recursive: boolean): number {
    const mutex = mutexOf(object, recursive, recursive ? 'rtems_recursive_mutex_try_lock' : 'rtems_mutex_try_lock');
    const score = this.score;
    const thread = score.current;
    return score.directive(() => {
      if (mutex.owner === undefined) {
        this.take(mutex, thread);
        return 0;
      }
      if (mutex.owner === thread && mutex instanceof RtemsRecursiveMutex) {
        mutex.nestLevel++;
        return 0;
      }
      return EBUSY;
    });
  }

  /**
   * _Mutex_Release / _Mutex_recursive_Release: the outermost unlock hands the mutex to the
   * most important waiter (which keeps inheriting from the others) and drops the caller
   * back to the priority its other resources give it. RTEMS only asserts that the caller
   * is the owner (_Assert: a fatal error of source RTEMS_FATAL_SOURCE_ASSERT in an
   * RTEMS_DEBUG build, unpredictable otherwise); here it is always that fatal error.
   */
  *unlock(object: unknown, recursive: boolean): Directive<void> {
    const what = recursive ? 'rtems_recursive_mutex_unlock' : 'rtems_mutex_unlock';
    const mutex = mutexOf(object, recursive, what);
    const score = this.score;
    score.directive(() => {
      const owner = score.current;
      if (mutex.owner !== owner) {
        score.fatal(FatalSource.RTEMS_FATAL_SOURCE_ASSERT, 0, `${what}: the executing thread does not own the mutex (_Assert in _Mutex_Release)`);
      }
      if (mutex instanceof RtemsRecursiveMutex && mutex.nestLevel > 0) {
        mutex.nestLevel--;
        return;
      }
      this.surrender(mutex, owner);
    });
    yield* score.dispatchPoint();
  }

  private take(mutex: RtemsMutex, thread: Thread): void {
    mutex.owner = thread;
    thread.heldMutexes.push(mutex);
    this.score.recomputePriority(thread, false);
  }

  /** _Mutex_Release_critical and _Thread_queue_Surrender: no owner, or the first waiter owns it. */
  private surrender(mutex: RtemsMutex, owner: Thread): void {
    const score = this.score;
    const held = owner.heldMutexes.indexOf(mutex);
    if (held >= 0) owner.heldMutexes.splice(held, 1);
    mutex.owner = undefined;
    const waiter = mutex.waitQueue.first();
    if (waiter !== undefined) {
      score.release(waiter, RtemsStatus.SUCCESSFUL);
      this.take(mutex, waiter);
    }
    score.recomputePriority(owner, true);
  }

  /** Whether `thread` waiting on `mutex` would close a cycle of owners (_Thread_queue_Path_acquire). */
  private closesCycle(mutex: RtemsMutex, thread: Thread): boolean {
    let owner = mutex.owner;
    for (let depth = 0; owner !== undefined && depth < MAX_OWNER_CHAIN; depth++) {
      if (owner === thread) return true;
      owner = owner.waitQueue?.mutex?.owner;
    }
    return false;
  }

  private mustBlock(what: string): void {
    if (!this.score.canBlock) {
      this.score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE, `self-contained ${what} would block in an ISR or with dispatching disabled`);
    }
  }

  // ---------------------------------------------------------------- condition variables

  conditionVariableInit(name: unknown): RtemsConditionVariable {
    return new RtemsConditionVariable(name);
  }

  /**
   * _Condition_Wait (condition.c): the caller joins the condition's queue, and only then,
   * still inside the enqueue (its callout), gives up the mutex (_Mutex_Release: the caller
   * must own it). It waits without a timeout; once signalled it locks the mutex again
   * (_Mutex_Acquire), which may block a second time.
   */
  *conditionVariableWait(object: unknown, mutexObject: unknown): Directive<void> {
    const condition = check(object, RtemsConditionVariable, 'rtems_condition_variable_wait');
    const mutex = mutexOf(mutexObject, false, 'rtems_condition_variable_wait');
    const score = this.score;
    const thread = score.current;
    score.directive(() => {
      if (mutex.owner !== thread) {
        score.fatal(FatalSource.RTEMS_FATAL_SOURCE_ASSERT, 0, 'rtems_condition_variable_wait: the executing thread does not own the mutex (_Assert in _Mutex_Release)');
      }
      this.mustBlock('condition variable wait');
      score.block(thread, STATES_WAITING_FOR_CONDITION_VARIABLE, condition.waitQueue, 0);
      this.surrender(mutex, thread);
    });
    yield* score.dispatchPoint();
    yield* this.acquire(mutex);
  }

  /** _Condition_Signal / _Condition_Broadcast (_Condition_Wake): readies the first `count` waiters in FIFO order. */
  *conditionVariableWake(object: unknown, all: boolean): Directive<void> {
    const condition = check(object, RtemsConditionVariable, all ? 'rtems_condition_variable_broadcast' : 'rtems_condition_variable_signal');
    const score = this.score;
    score.directive(() => {
      const waiters = all ? [...condition.waitQueue.threads] : condition.waitQueue.threads.slice(0, 1);
      for (const waiter of waiters) score.release(waiter, RtemsStatus.SUCCESSFUL);
    });
    yield* score.dispatchPoint();
  }

  // ---------------------------------------------------------------- semaphores

  /** _Semaphore_Initialize_named: the count is an unsigned int (C converts the value to it). */
  countingSemaphoreInit(name: unknown, value: unknown): RtemsCountingSemaphore {
    return new RtemsCountingSemaphore(name, bits32(value));
  }

  /** rtems_binary_semaphore_init: a count of 0. */
  binarySemaphoreInit(name: unknown): RtemsBinarySemaphore {
    return new RtemsBinarySemaphore(name, 0);
  }

  /**
   * _Semaphore_Wait (no timeout) and _Semaphore_Wait_timed_ticks (`ticks`; 0 also waits
   * for ever, WATCHDOG_NO_TIMEOUT): takes a unit of the count, or waits for a post.
   * Returns 0, or ETIMEDOUT when the timeout ended the wait.
   */
  *semaphoreWait(semaphore: RtemsCountingSemaphore, ticks: number): Directive<number> {
    const score = this.score;
    const thread = score.current;
    const blocked = score.directive(() => {
      if (semaphore.count > 0) {
        semaphore.count--;
        return false;
      }
      this.mustBlock('semaphore wait');
      score.block(thread, STATES_WAITING_FOR_SEMAPHORE, semaphore.waitQueue, ticks);
      return true;
    });
    yield* score.dispatchPoint();
    return blocked && thread.waitStatus === RtemsStatus.TIMEOUT ? ETIMEDOUT : 0;
  }

  /** _Semaphore_Try_wait: 0 with a unit taken, or EAGAIN. Never blocks. */
  semaphoreTryWait(semaphore: RtemsCountingSemaphore): number {
    return this.score.directive(() => {
      if (semaphore.count === 0) return EAGAIN;
      semaphore.count--;
      return 0;
    });
  }

  /**
   * _Semaphore_Post / _Semaphore_Post_binary: readies the most important waiter, else
   * counts the post - one more (an unsigned int: it wraps, unchecked) or, binary, 1.
   */
  *semaphorePost(semaphore: RtemsCountingSemaphore): Directive<void> {
    const score = this.score;
    score.directive(() => {
      const waiter = semaphore.waitQueue.first();
      if (waiter !== undefined) score.release(waiter, RtemsStatus.SUCCESSFUL);
      else semaphore.count = semaphore instanceof RtemsBinarySemaphore ? 1 : (semaphore.count + 1) >>> 0;
    });
    yield* score.dispatchPoint();
  }

  /** *_set_name: the name pointer (C keeps the pointer; a string or NULL here). */
  setName(object: unknown, kind: SelfContainedKind, name: unknown): void {
    objectOf(object, kind, `rtems_${kind}_set_name`).name = cName(name);
  }

  /** *_get_name: the name last given (undefined for NULL). */
  getName(object: unknown, kind: SelfContainedKind): string | undefined {
    return objectOf(object, kind, `rtems_${kind}_get_name`).name;
  }

  /** *_destroy: nothing to do beyond taking the object (the _Destroy functions are empty). */
  destroy(object: unknown, kind: SelfContainedKind): void {
    objectOf(object, kind, `rtems_${kind}_destroy`);
  }

  /** The object as the semaphore kind a directive expects. */
  semaphore(object: unknown, binary: boolean, what: string): RtemsCountingSemaphore {
    return objectOf(object, binary ? 'binary_semaphore' : 'counting_semaphore', what) as RtemsCountingSemaphore;
  }
}

/** The kinds of self-contained object, as in their directives' names. */
export type SelfContainedKind = 'mutex' | 'recursive_mutex' | 'condition_variable' | 'counting_semaphore' | 'binary_semaphore';

/** The object of a kind (see check); a subclass does not pass for its base kind. */
function objectOf(object: unknown, kind: SelfContainedKind, what: string): SelfContained {
  switch (kind) {
    case 'mutex':
    case 'recursive_mutex':
      return mutexOf(object, kind === 'recursive_mutex', what);
    case 'condition_variable':
      return check(object, RtemsConditionVariable, what);
    case 'binary_semaphore':
      return check(object, RtemsBinarySemaphore, what);
    case 'counting_semaphore': {
      const semaphore = check(object, RtemsCountingSemaphore, what);
      if (semaphore instanceof RtemsBinarySemaphore) throw new TypeError(`${what}: not an RtemsCountingSemaphore (a binary semaphore)`);
      return semaphore;
    }
  }
}
