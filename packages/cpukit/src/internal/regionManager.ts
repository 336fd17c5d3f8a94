/**
 * Region Manager (RTEMS C User's Guide, "Region Manager"; RTEMS 6 cpukit/rtems/src/
 * regioncreate.c, regionident.c, regiondelete.c, regionextend.c, regiongetsegment.c,
 * regionreturnsegment.c, regiongetsegmentsize.c, regionresizesegment.c,
 * regionprocessqueue.c, regiongetinfo.c, regiongetfreeinfo.c): variable-size segments
 * from memory areas the application gives, allocated by the score's heap (heap.ts, a port
 * of RTEMS's first-fit Heap Handler), with tasks waiting for memory in FIFO or priority
 * order.
 *
 * Memory model: as for partitions, addresses are numbers in the application's 32-bit
 * address space that the application chooses (overlaps are its problem, as in RTEMS); the
 * executive keeps only the heap's block headers, one small record per block, never the
 * area's bytes.
 *
 * Waiting (regiongetsegment.c, regionprocessqueue.c): a task that must wait records its
 * request and blocks on the region's queue. Whenever memory comes back (return segment,
 * a successful resize) the queue is served from its head, each waiter getting its segment
 * and readied, until the head's request does not fit: a large request at the head holds
 * back smaller ones behind it, and neither a timeout nor an extend serves the queue.
 */
import { RTEMS_PRIORITY } from '../attributes.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_NO_WAIT, RTEMS_SEARCH_LOCAL_NODE } from '../options.js';
import type { Directive, IdResult, RegionInformationResult, ResizeResult, SegmentResult, SizeResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32, uint32 } from './arguments.js';
import { Heap } from './heap.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';
import { STATES_WAITING_FOR_SEGMENT, type Thread } from './thread.js';
import { WaitQueue, type WaitDiscipline } from './waitQueue.js';

class RegionControl {
  readonly waitQueue: WaitQueue;
  /** Region_Control.maximum_segment_size: what _Heap_Initialize returned, plus every extension. */
  maximumSegmentSize: number;

  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    discipline: WaitDiscipline,
    private readonly memory: Heap | undefined,
  ) {
    this.waitQueue = new WaitQueue(discipline);
    this.maximumSegmentSize = memory?.size ?? 0;
  }

  /** The region's heap (a live region always has one: a create that has none frees the object at once). */
  get heap(): Heap {
    if (this.memory === undefined) throw new Error(`region 0x${this.id.toString(16)} has no heap`);
    return this.memory;
  }
}

/** A waiting task's request (Thread_Control Wait.count) and what it got (Wait.return_argument). */
interface SegmentRequest {
  readonly size: number;
  segment: number;
}

const BLOCKED = Symbol('blocked');

export class RegionManager {
  readonly table: ObjectTable<RegionControl>;
  private readonly requests = new WeakMap<Thread, SegmentRequest>();

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<RegionControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.REGIONS, score.config.maximumRegions);
  }

  /**
   * rtems_region_create: the name, a NULL start (INVALID_ADDRESS), the object (TOO_MANY),
   * then the heap: a page size that overflows when rounded up to CPU_ALIGNMENT, an area
   * too small for one block or passing the end of the address space is INVALID_SIZE
   * (_Heap_Initialize returned 0). RTEMS allocates the object before it builds the heap
   * and frees it on that failure (regioncreate.c), so the slot goes to the end of the free
   * list as after a delete. RTEMS_PRIORITY selects the priority wait queue; RTEMS_GLOBAL
   * is not evaluated.
   */
  create(name: unknown, startingAddress: unknown, length: unknown, pageSize: unknown, attributes: unknown): IdResult {
    return this.score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      const start = uint32(startingAddress);
      if (start === undefined || start === 0) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
      const bytes = uint32(length);
      const page = uint32(pageSize);
      const heap = bytes === undefined || page === undefined ? undefined : Heap.initialize(start, bytes, page);
      const discipline = (bits32(attributes) & RTEMS_PRIORITY) !== 0 ? 'priority' : 'fifo';
      const region = this.table.allocate((id) => new RegionControl(id, packed, discipline, heap));
      if (region === undefined) return { status: RtemsStatus.TOO_MANY, id: 0 };
      if (heap === undefined) {
        this.table.release(region);
        return { status: RtemsStatus.INVALID_SIZE, id: 0 };
      }
      return { status: RtemsStatus.SUCCESSFUL, id: region.id };
    });
  }

  /** rtems_region_ident: the local node only (RTEMS 6 has no node argument). */
  ident(name: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, RTEMS_SEARCH_LOCAL_NODE));
  }

  /**
   * rtems_region_delete: RESOURCE_IN_USE while segments are allocated (regiondelete.c:
   * the heap's used_blocks). A region can be deleted with tasks waiting on it (their
   * requests did not fit although nothing is allocated); RTEMS would leave them on a
   * destroyed queue, here they are released with RTEMS_OBJECT_WAS_DELETED.
   */
  *delete(id: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const region = this.table.get(id);
      if (region === undefined) return RtemsStatus.INVALID_ID;
      if (region.heap.usedBlocks !== 0) return RtemsStatus.RESOURCE_IN_USE;
      for (const waiter of [...region.waitQueue.threads]) score.release(waiter, RtemsStatus.OBJECT_WAS_DELETED);
      this.table.release(region);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /**
   * rtems_region_extend: a NULL start (INVALID_ADDRESS), the id, then _Heap_Extend: an
   * area it refuses (too small, overlapping, see heap.ts) is INVALID_ADDRESS. The maximum
   * segment size grows by the bytes added (regionextend.c). Waiting tasks are not served
   * (RTEMS 6 does not process the queue here).
   */
  extend(id: unknown, startingAddress: unknown, length: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const start = uint32(startingAddress);
      if (start === undefined || start === 0) return RtemsStatus.INVALID_ADDRESS;
      const region = this.table.get(id);
      if (region === undefined) return RtemsStatus.INVALID_ID;
      const bytes = uint32(length);
      const extended = bytes === undefined ? 0 : region.heap.extend(start, bytes);
      if (extended === 0) return RtemsStatus.INVALID_ADDRESS;
      region.maximumSegmentSize = (region.maximumSegmentSize + extended) >>> 0;
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /**
   * rtems_region_get_segment (regiongetsegment.c): a size of 0 (INVALID_SIZE) before the
   * id, then a size above the maximum segment size (INVALID_SIZE), then the heap. With
   * RTEMS_NO_WAIT an allocation that fails is UNSATISFIED; otherwise the task waits,
   * `timeout` ticks at most (RTEMS_NO_TIMEOUT: for ever), FIFO or by priority. A request
   * that fits the maximum but no free block waits even if it can never be satisfied, as
   * in RTEMS. A wait in an ISR or a timer service routine is a fatal error.
   */
  *getSegment(id: unknown, size: unknown, optionSet: unknown, timeout: unknown): Directive<SegmentResult> {
    const score = this.score;
    const thread = score.current;
    const noWait = (bits32(optionSet) & RTEMS_NO_WAIT) !== 0;
    const ticks = bits32(timeout);
    const outcome = score.directive((): SegmentResult | typeof BLOCKED => {
      const bytes = uint32(size);
      if (bytes === undefined || bytes === 0) return { status: RtemsStatus.INVALID_SIZE, segment: 0 };
      const region = this.table.get(id);
      if (region === undefined) return { status: RtemsStatus.INVALID_ID, segment: 0 };
      if (bytes > region.maximumSegmentSize) return { status: RtemsStatus.INVALID_SIZE, segment: 0 };
      const segment = region.heap.allocate(bytes);
      if (segment !== 0) return { status: RtemsStatus.SUCCESSFUL, segment };
      if (noWait) return { status: RtemsStatus.UNSATISFIED, segment: 0 };
      if (!score.canBlock) {
        score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE, 'region get segment would block in an ISR or with dispatching disabled');
      }
      this.requests.set(thread, { size: bytes, segment: 0 });
      score.block(thread, STATES_WAITING_FOR_SEGMENT, region.waitQueue, ticks);
      return BLOCKED;
    });
    yield* score.dispatchPoint();
    if (outcome !== BLOCKED) return outcome;
    const request = this.requests.get(thread);
    this.requests.delete(thread);
    const status = thread.waitStatus;
    return { status, segment: status === RtemsStatus.SUCCESSFUL ? (request?.segment ?? 0) : 0 };
  }

  /**
   * rtems_region_return_segment: INVALID_ID, then INVALID_ADDRESS for an address that is
   * not an allocated segment of the region (_Heap_Free). NULL (0) is a valid release, as
   * _Heap_Free says, and still serves the queue. Waiters may preempt the caller.
   */
  *returnSegment(id: unknown, segment: unknown): Directive<RtemsStatus> {
    const score = this.score;
    const status = score.directive((): RtemsStatus => {
      const region = this.table.get(id);
      if (region === undefined) return RtemsStatus.INVALID_ID;
      const address = uint32(segment);
      if (address === undefined || !region.heap.free(address)) return RtemsStatus.INVALID_ADDRESS;
      this.processQueue(region);
      return RtemsStatus.SUCCESSFUL;
    });
    yield* score.dispatchPoint();
    return status;
  }

  /** _Region_Process_queue: serve the waiters from the head while their requests fit. */
  private processQueue(region: RegionControl): void {
    for (;;) {
      const waiter = region.waitQueue.first();
      const request = waiter === undefined ? undefined : this.requests.get(waiter);
      if (waiter === undefined || request === undefined) return;
      const segment = region.heap.allocate(request.size);
      if (segment === 0) return;
      request.segment = segment;
      this.score.release(waiter, RtemsStatus.SUCCESSFUL);
    }
  }

  /**
   * rtems_region_get_segment_size: a NULL segment (INVALID_ADDRESS) before the id, then
   * INVALID_ADDRESS for an address that is not an allocated segment. The size runs to the
   * end of the segment's block (a multiple of the page size, minus 4 bytes).
   */
  getSegmentSize(id: unknown, segment: unknown): SizeResult {
    return this.score.directive((): SizeResult => {
      const address = uint32(segment);
      if (address === undefined || address === 0) return { status: RtemsStatus.INVALID_ADDRESS, size: 0 };
      const region = this.table.get(id);
      if (region === undefined) return { status: RtemsStatus.INVALID_ID, size: 0 };
      const size = region.heap.sizeOfAllocArea(address);
      return size === undefined ? { status: RtemsStatus.INVALID_ADDRESS, size: 0 } : { status: RtemsStatus.SUCCESSFUL, size };
    });
  }

  /**
   * rtems_region_resize_segment (regionresizesegment.c, _Heap_Resize_block): in place only.
   * INVALID_ID; INVALID_ADDRESS for an address that is not an allocated segment;
   * UNSATISFIED when the block and a free next block are too small (a size that is not a
   * uintptr_t never fits), with the old size reported; on success the queue is served.
   */
  *resizeSegment(id: unknown, segment: unknown, size: unknown): Directive<ResizeResult> {
    const score = this.score;
    const result = score.directive((): ResizeResult => {
      const region = this.table.get(id);
      if (region === undefined) return { status: RtemsStatus.INVALID_ID, oldSize: 0 };
      const address = uint32(segment);
      if (address === undefined) return { status: RtemsStatus.INVALID_ADDRESS, oldSize: 0 };
      const resize = region.heap.resize(address, uint32(size) ?? Infinity);
      switch (resize.status) {
        case 'successful':
          this.processQueue(region);
          return { status: RtemsStatus.SUCCESSFUL, oldSize: resize.oldSize };
        case 'unsatisfied':
          return { status: RtemsStatus.UNSATISFIED, oldSize: resize.oldSize };
        case 'fatal-error':
          return { status: RtemsStatus.INVALID_ADDRESS, oldSize: 0 };
      }
    });
    yield* score.dispatchPoint();
    return result;
  }

  /** rtems_region_get_information: free and used blocks (_Heap_Get_information walks every block). */
  getInformation(id: unknown): RegionInformationResult {
    return this.score.directive((): RegionInformationResult => {
      const region = this.table.get(id);
      return region === undefined ? { status: RtemsStatus.INVALID_ID, information: undefined } : { status: RtemsStatus.SUCCESSFUL, information: region.heap.information() };
    });
  }

  /** rtems_region_get_free_information: the free list only; the used part is zero (regiongetfreeinfo.c). */
  getFreeInformation(id: unknown): RegionInformationResult {
    return this.score.directive((): RegionInformationResult => {
      const region = this.table.get(id);
      if (region === undefined) return { status: RtemsStatus.INVALID_ID, information: undefined };
      return { status: RtemsStatus.SUCCESSFUL, information: { free: region.heap.freeInformation(), used: { number: 0, largest: 0, total: 0 } } };
    });
  }
}
