/**
 * The configurations the construct directives take: rtems_task_config
 * (rtems_task_construct, rtems/rtems/tasks.h) and rtems_message_queue_config
 * (rtems_message_queue_construct, rtems/rtems/message.h), as plain objects. Members a C
 * program would leave at zero (a memset configuration) may be left out. Each member is
 * read once, when the directive starts.
 */
import { MESSAGE_BUFFER_OVERHEAD } from './internal/messageQueueManager.js';
import type { ObjectName } from './objectName.js';

/** rtems_task_config. */
export interface TaskConfig {
  /** The task's object name. */
  readonly name: ObjectName;
  /** Its initial priority: 1..255, or 0 for a task with RTEMS_SYSTEM_TASK. */
  readonly initialPriority: number;
  /**
   * The task storage area (stack, thread-local storage, floating-point context). Stacks
   * are not simulated: the area is kept, and handed to `storageFree` when the task is deleted.
   */
  readonly storageArea?: unknown;
  /**
   * The size of the storage area in bytes: at least RTEMS_MINIMUM_STACK_SIZE (no
   * thread-local storage and no separate floating-point context here), else RTEMS_INVALID_SIZE.
   */
  readonly storageSize: number;
  /** The thread-local storage the area supports (0 when left out; this executive needs none). */
  readonly maximumThreadLocalStorageSize?: number;
  /** Called with `storageArea` when the task is deleted (it exited or was deleted). */
  readonly storageFree?: (storageArea: unknown) => void;
  /** The initial mode set (RTEMS_DEFAULT_MODES when left out). */
  readonly initialModes?: number;
  /** The attribute set (RTEMS_DEFAULT_ATTRIBUTES when left out; RTEMS_GLOBAL has no effect on one node). */
  readonly attributes?: number;
}

/** rtems_message_queue_config. */
export interface MessageQueueConfig {
  /** The queue's object name. */
  readonly name: ObjectName;
  /** How many messages may be pending (not 0). */
  readonly maximumPendingMessages: number;
  /** The size of the largest message in bytes (not 0). */
  readonly maximumMessageSize: number;
  /**
   * The message buffer storage area: the guest's own memory, so the queue takes nothing
   * from the RTEMS Workspace. A missing area (C's NULL) or one smaller than `storageSize`
   * is RTEMS_UNSATISFIED. Messages are still kept by the executive (the area's bytes are
   * not written); it is handed to `storageFree` when the queue is deleted.
   */
  readonly storageArea?: Uint8Array | undefined;
  /**
   * The size of the storage area: exactly maximumPendingMessages *
   * messageQueueBufferSize(maximumMessageSize) bytes, else RTEMS_UNSATISFIED.
   */
  readonly storageSize: number;
  /** Called with `storageArea` when the queue is deleted. */
  readonly storageFree?: (storageArea: Uint8Array) => void;
  /** The attribute set: RTEMS_FIFO (default) or RTEMS_PRIORITY waiters; RTEMS_GLOBAL has no effect on one node. */
  readonly attributes?: number;
}

/**
 * sizeof( RTEMS_MESSAGE_QUEUE_BUFFER( maximumMessageSize ) ): the bytes one message takes in
 * a message queue storage area, the message size rounded up to 4 plus the buffer's
 * control block (the ILP32 targets' CORE_message_queue_Buffer).
 */
export function messageQueueBufferSize(maximumMessageSize: number): number {
  return Math.ceil(maximumMessageSize / 4) * 4 + MESSAGE_BUFFER_OVERHEAD;
}
