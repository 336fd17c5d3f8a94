/**
 * Message Queue Manager (RTEMS C User's Guide, "Message Queue Manager"). Messages are
 * byte arrays copied in on send and out on receive. A send finds a waiting receiver
 * first (the message goes straight to it); otherwise it is queued, at the tail (send)
 * or the head (urgent), and a full queue answers RTEMS_TOO_MANY. Broadcast gives a copy
 * to every waiting receiver and queues nothing.
 *
 * Buffers come from the RTEMS Workspace, as RTEMS allocates them at create
 * (cpukit/score/src/coremsg.c, _CORE_message_queue_Initialize): `count` buffers of the
 * maximum size rounded up to a multiple of 4, each with its buffer control block. A queue
 * whose buffers do not fit the workspace left is RTEMS_UNSATISFIED (rtems_message_queue_create,
 * RTEMS 4.10 and later; testsuite sp77 creates one of SIZE_MAX - 2 bytes and expects it),
 * so the bytes a guest can make the executive hold never exceed its own memory.
 */
import { RTEMS_GLOBAL, RTEMS_PRIORITY } from '../attributes.js';
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
    readonly name: number,
    readonly maximumPending: number,
    readonly maximumSize: number,
    discipline: 'fifo' | 'priority',
    /** Workspace bytes reserved for the buffers, given back at delete. */
    readonly bufferBytes: number,
  ) {
    this.waitQueue = new WaitQueue(discipline);
  }
}

const BLOCKED = Symbol('blocked');

/** sizeof(CORE_message_queue_Buffer_control) on the ILP32 targets: chain node (8), priority (4), size (4). */
export const MESSAGE_BUFFER_OVERHEAD = 16;

/** Workspace bytes the buffers of a queue take (coremsg.c); Infinity when it would not fit a 32-bit size. */
export function messageBufferBytes(count: number, maximumSize: number): number {
  const aligned = Math.ceil(maximumSize / 4) * 4;
  const bytes = count * (aligned + MESSAGE_BUFFER_OVERHEAD);
  return bytes > 0xffff_ffff ? Infinity : bytes;
}

export class MessageQueueManager {
  readonly table: ObjectTable<MessageQueueControl>;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<MessageQueueControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.MESSAGE_QUEUES, score.config.maximumMessageQueues);
  }

  /** rtems_message_queue_create: `count` messages of at most `maximumSize` bytes. */
  create(name: unknown, count: unknown, maximumSize: unknown, attributes: unknown): IdResult {
    return this.score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      const attributeSet = bits32(attributes);
      if ((attributeSet & RTEMS_GLOBAL) !== 0) return { status: RtemsStatus.MP_NOT_CONFIGURED, id: 0 };
      const pending = uint32(count);
      if (pending === undefined || pending === 0) return { status: RtemsStatus.INVALID_NUMBER, id: 0 };
      const size = uint32(maximumSize);
      if (size === undefined || size === 0) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
      const discipline = (attributeSet & RTEMS_PRIORITY) !== 0 ? 'priority' : 'fifo';
      const bytes = messageBufferBytes(pending, size);
      // The buffers are checked before an object is taken, so a refused create leaves the
      // free list (and the ids the next creates get) as it was.
      if (bytes > this.score.workspaceAvailable) return { status: RtemsStatus.UNSATISFIED, id: 0 };
      const queue = this.table.allocate((id) => new MessageQueueControl(id, packed, pending, size, discipline, bytes));
      if (queue === undefined) return { status: RtemsStatus.TOO_MANY, id: 0 };
      this.score.workspaceAllocate(bytes);
      return { status: RtemsStatus.SUCCESSFUL, id: queue.id };
    });
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
    const status = score.directive((): RtemsStatus => {
      const queue = this.table.get(id);
      if (queue === undefined) return RtemsStatus.INVALID_ID;
      for (const receiver of [...queue.waitQueue.threads]) score.release(receiver, RtemsStatus.OBJECT_WAS_DELETED);
      queue.pending.length = 0;
      this.table.release(queue);
      score.workspaceRelease(queue.bufferBytes);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** rtems_message_queue_ident. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }
}
