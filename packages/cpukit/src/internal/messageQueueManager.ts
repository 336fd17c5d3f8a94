/**
 * Message Queue Manager (RTEMS C User's Guide, "Message Queue Manager"). Messages are
 * byte arrays copied in on send and out on receive. A send finds a waiting receiver
 * first (the message goes straight to it); otherwise it is queued, at the tail (send)
 * or the head (urgent), and a full queue answers RTEMS_TOO_MANY. Broadcast gives a copy
 * to every waiting receiver and queues nothing.
 *
 * A created queue's buffers come from the RTEMS Workspace, as RTEMS allocates them
 * (cpukit/score/src/coremsg.c, _CORE_message_queue_Initialize): `count` buffers of the
 * maximum size rounded up to a multiple of 4, each with its buffer control block. A queue
 * whose buffers do not fit the workspace left is RTEMS_UNSATISFIED, so the bytes a guest
 * can make the executive hold never exceed its own memory. A constructed queue
 * (rtems_message_queue_construct) brings its own storage area instead. Both go through
 * RTEMS 6's _Message_queue_Create (cpukit/rtems/src/msgqconstruct.c), whose order of
 * checks this follows.
 */
import { RTEMS_PRIORITY } from '../attributes.js';
import type { MessageQueueConfig } from '../directiveConfig.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_NO_WAIT } from '../options.js';
import type { CountResult, Directive, IdResult, MessageResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32, uint32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';
import { STATES_WAITING_FOR_MESSAGE, type Thread } from './thread.js';
import { WaitQueue } from './waitQueue.js';

class MessageQueueControl {
  readonly pending: Uint8Array[] = [];
  readonly waitQueue: WaitQueue;

  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    readonly maximumPending: number,
    readonly maximumSize: number,
    discipline: 'fifo' | 'priority',
    /** Workspace bytes reserved for the buffers, given back at delete (0 for a constructed queue). */
    readonly bufferBytes: number,
    /** A constructed queue's storage_free handler, called with its storage area at delete. */
    readonly storageFree: (() => void) | undefined,
  ) {
    this.waitQueue = new WaitQueue(discipline);
  }
}

const BLOCKED = Symbol('blocked');

/** sizeof(CORE_message_queue_Buffer_control) on the ILP32 targets: chain node (8), priority (4), size (4). */
export const MESSAGE_BUFFER_OVERHEAD = 16;

/** SIZE_MAX of the ILP32 targets: the buffer area's size is a size_t. */
const SIZE_MAX = 0xffff_ffff;

/**
 * The bytes of a queue's buffer area (_CORE_message_queue_Initialize, RTEMS 6 coremsg.c):
 * RTEMS_INVALID_SIZE when the message size plus its control block would overflow a size_t
 * (so SIZE_MAX - 2 bytes, testsuite sp77), RTEMS_INVALID_NUMBER when `count` buffers would.
 */
export function messageBufferBytes(count: number, maximumSize: number): { readonly status: RtemsStatus; readonly bytes: number } {
  if (maximumSize > SIZE_MAX - 4 + 1 - MESSAGE_BUFFER_OVERHEAD) return { status: RtemsStatus.INVALID_SIZE, bytes: 0 };
  const bufferSize = Math.ceil(maximumSize / 4) * 4 + MESSAGE_BUFFER_OVERHEAD;
  if (count > Math.floor(SIZE_MAX / bufferSize)) return { status: RtemsStatus.INVALID_NUMBER, bytes: 0 };
  return { status: RtemsStatus.SUCCESSFUL, bytes: count * bufferSize };
}

/** Where a new queue's buffers come from: true when it got `bytes` of them. */
interface QueueStorage {
  readonly take: (bytes: number) => boolean;
  readonly fromWorkspace: boolean;
  readonly free: (() => void) | undefined;
}

export class MessageQueueManager {
  readonly table: ObjectTable<MessageQueueControl>;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<MessageQueueControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.MESSAGE_QUEUES, score.config.maximumMessageQueues);
  }

  /**
   * _Message_queue_Create (RTEMS 6 cpukit/rtems/src/msgqconstruct.c;
   * spec:/rtems/message/req/construct-errors): INVALID_NAME, INVALID_NUMBER (no messages),
   * INVALID_SIZE (a size of 0), then an object is taken (TOO_MANY when none is left), then
   * the buffer area is sized (INVALID_SIZE, INVALID_NUMBER when it would overflow a size_t)
   * and obtained (UNSATISFIED); a queue refused after it took its object frees it again,
   * to the end of the free list (_Message_queue_Free). RTEMS_GLOBAL is accepted and has
   * no effect on a single node (`is_global` is false unless the system is multiprocessing).
   */
  private createQueue(name: unknown, count: unknown, maximumSize: unknown, attributes: number, storage: QueueStorage): IdResult {
    const packed = packName(name);
    if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
    const pending = uint32(count);
    if (pending === undefined || pending === 0) return { status: RtemsStatus.INVALID_NUMBER, id: 0 };
    const size = uint32(maximumSize);
    if (size === undefined || size === 0) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
    const discipline = (attributes & RTEMS_PRIORITY) !== 0 ? 'priority' : 'fifo';
    const area = messageBufferBytes(pending, size);
    const status = area.status !== RtemsStatus.SUCCESSFUL ? area.status : storage.take(area.bytes) ? RtemsStatus.SUCCESSFUL : RtemsStatus.UNSATISFIED;
    if (status !== RtemsStatus.SUCCESSFUL) {
      return { status: this.table.allocateAndFree() ? status : RtemsStatus.TOO_MANY, id: 0 };
    }
    const workspaceBytes = storage.fromWorkspace ? area.bytes : 0;
    const queue = this.table.allocate((id) => new MessageQueueControl(id, packed, pending, size, discipline, workspaceBytes, storage.free));
    if (queue === undefined) {
      if (workspaceBytes > 0) this.score.workspaceRelease(workspaceBytes);
      return { status: RtemsStatus.TOO_MANY, id: 0 };
    }
    return { status: RtemsStatus.SUCCESSFUL, id: queue.id };
  }

  /** rtems_message_queue_create: `count` messages of at most `maximumSize` bytes, buffers from the workspace. */
  create(name: unknown, count: unknown, maximumSize: unknown, attributes: unknown): IdResult {
    const score = this.score;
    const attributeSet = bits32(attributes);
    return score.directive(() => this.createQueue(name, count, maximumSize, attributeSet, { take: (bytes) => score.workspaceAllocate(bytes), fromWorkspace: true, free: undefined }));
  }

  /**
   * rtems_message_queue_construct: like create, in the caller's storage area
   * (_Message_queue_Get_buffers: RTEMS_UNSATISFIED unless `storageSize` is exactly the size
   * of the buffer area; here also when the area is missing, C's NULL, or smaller than it
   * says). INVALID_ADDRESS without a configuration.
   */
  construct(config: unknown): IdResult {
    if (typeof config !== 'object' || config === null) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
    const c = config as Partial<Record<keyof MessageQueueConfig, unknown>>;
    const name = c.name;
    const count = c.maximumPendingMessages;
    const size = c.maximumMessageSize;
    const storageArea = c.storageArea;
    const storageSize = c.storageSize;
    const storageFree = c.storageFree;
    const attributes = bits32(c.attributes);
    const free = typeof storageFree === 'function' ? () => void (storageFree as (area: unknown) => unknown)(storageArea) : undefined;
    const take = (bytes: number): boolean => storageArea instanceof Uint8Array && storageSize === bytes && storageArea.byteLength >= bytes;
    return this.score.directive(() => this.createQueue(name, count, size, attributes, { take, fromWorkspace: false, free }));
  }

  private deliver(receiver: Thread, buffer: Uint8Array): void {
    receiver.waitMessage = buffer.slice();
    this.score.release(receiver, RtemsStatus.SUCCESSFUL);
  }

  /** rtems_message_queue_send (urgent = false) and rtems_message_queue_urgent (urgent = true). */
  *submit(id: unknown, buffer: unknown, urgent: boolean): Directive<RtemsStatus> {
    const score = this.score;
    if (!(buffer instanceof Uint8Array)) return RtemsStatus.INVALID_ADDRESS;
    const status = score.directive((): RtemsStatus => {
      const queue = this.table.get(id);
      if (queue === undefined) return RtemsStatus.INVALID_ID;
      if (buffer.length > queue.maximumSize) return RtemsStatus.INVALID_SIZE;
      const receiver = queue.waitQueue.first();
      if (receiver !== undefined) {
        this.deliver(receiver, buffer);
        return RtemsStatus.SUCCESSFUL;
      }
      if (queue.pending.length >= queue.maximumPending) return RtemsStatus.TOO_MANY;
      if (urgent) queue.pending.unshift(buffer.slice());
      else queue.pending.push(buffer.slice());
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_message_queue_broadcast: the count is the number of tasks readied. */
  *broadcast(id: unknown, buffer: unknown): Directive<CountResult> {
    const score = this.score;
    if (!(buffer instanceof Uint8Array)) return { status: RtemsStatus.INVALID_ADDRESS, count: 0 };
    const result = score.directive((): CountResult => {
      const queue = this.table.get(id);
      if (queue === undefined) return { status: RtemsStatus.INVALID_ID, count: 0 };
      if (buffer.length > queue.maximumSize) return { status: RtemsStatus.INVALID_SIZE, count: 0 };
      const receivers = [...queue.waitQueue.threads];
      for (const receiver of receivers) this.deliver(receiver, buffer);
      return { status: RtemsStatus.SUCCESSFUL, count: receivers.length };
    });
    yield* score.dispatchPoint();
    return result;
  }

  /** rtems_message_queue_receive: RTEMS_NO_WAIT fails with UNSATISFIED; otherwise wait, `timeout` ticks at most. */
  *receive(id: unknown, optionSet: unknown, timeout: unknown): Directive<MessageResult> {
    const score = this.score;
    const thread = score.current;
    const noWait = (bits32(optionSet) & RTEMS_NO_WAIT) !== 0;
    const ticks = bits32(timeout);
    const outcome = score.directive((): MessageResult | typeof BLOCKED => {
      const queue = this.table.get(id);
      if (queue === undefined) return { status: RtemsStatus.INVALID_ID, message: undefined };
      const message = queue.pending.shift();
      if (message !== undefined) return { status: RtemsStatus.SUCCESSFUL, message };
      if (noWait) return { status: RtemsStatus.UNSATISFIED, message: undefined };
      if (!score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE, 'message receive would block in an ISR or with dispatching disabled');
      }
      thread.waitMessage = undefined;
      score.block(thread, STATES_WAITING_FOR_MESSAGE, queue.waitQueue, ticks);
      return BLOCKED;
    });
    yield* score.dispatchPoint();
    if (outcome !== BLOCKED) return outcome;
    const message = thread.waitMessage;
    thread.waitMessage = undefined;
    return { status: thread.waitStatus, message: thread.waitStatus === RtemsStatus.SUCCESSFUL ? message : undefined };
  }

  /** rtems_message_queue_get_number_pending. */
  getNumberPending(id: unknown): CountResult {
    return this.score.directive((): CountResult => {
      const queue = this.table.get(id);
      return queue === undefined ? { status: RtemsStatus.INVALID_ID, count: 0 } : { status: RtemsStatus.SUCCESSFUL, count: queue.pending.length };
    });
  }

  /** rtems_message_queue_flush: drops the pending messages and returns how many. */
  flush(id: unknown): CountResult {
    return this.score.directive((): CountResult => {
      const queue = this.table.get(id);
      if (queue === undefined) return { status: RtemsStatus.INVALID_ID, count: 0 };
      const count = queue.pending.length;
      queue.pending.length = 0;
      return { status: RtemsStatus.SUCCESSFUL, count };
    });
  }

  /** rtems_message_queue_delete: waiting receivers get RTEMS_OBJECT_WAS_DELETED. */
  *delete(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    let deleted: MessageQueueControl | undefined;
    const status = score.directive((): RtemsStatus => {
      const queue = this.table.get(id);
      if (queue === undefined) return RtemsStatus.INVALID_ID;
      for (const receiver of [...queue.waitQueue.threads]) score.release(receiver, RtemsStatus.OBJECT_WAS_DELETED);
      queue.pending.length = 0;
      this.table.release(queue);
      score.workspaceRelease(queue.bufferBytes);
      deleted = queue;
      return RtemsStatus.SUCCESSFUL;
    });
    // A constructed queue's storage_free handler is guest code: outside the critical section.
    deleted?.storageFree?.();
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_message_queue_ident. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }
}
