/**
 * Partition Manager (RTEMS C User's Guide, "Partition Manager"; RTEMS 6
 * cpukit/rtems/src/partcreate.c, partgetbuffer.c, partreturnbuffer.c, partdelete.c,
 * partident.c): fixed-size buffers carved out of a memory area the application gives.
 *
 * Memory model: addresses are numbers in the application's 32-bit address space (a
 * `void *` / uintptr_t of the ILP32 targets). The application chooses the area, as it
 * passes the address of its own array to RTEMS; overlapping areas are its own problem, as
 * in RTEMS. The executive never reads or writes that memory and never holds host memory in
 * proportion to its length: RTEMS chains the free buffers through their first word
 * (_Chain_Initialize over the whole area); here the chain is the buffers not yet handed
 * out (in address order, an index) followed by the returned ones (a FIFO), which is the
 * order RTEMS's chain gives: get takes the head, return appends to the tail.
 *
 * Geometry of the ILP32 targets: CPU_SIZEOF_POINTER 4, sizeof(Chain_Node) 8.
 */
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import type { BufferResult, IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { uint32 } from './arguments.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import type { Score } from './score.js';

/** CPU_SIZEOF_POINTER of the ILP32 targets. */
const CPU_SIZEOF_POINTER = 4;
/** sizeof(Chain_Node): two pointers, what a free buffer must hold. */
const CHAIN_NODE_SIZE = 8;
/** Returned buffers consumed before the FIFO is compacted. */
const COMPACT_AFTER = 1024;

class PartitionControl {
  /** Buffers never handed out yet: indexes nextFresh .. count-1, still in address order. */
  private nextFresh = 0;
  /** Returned buffers, oldest first, from `head` on. */
  private returned: number[] = [];
  private head = 0;
  /** Buffers handed out (number_of_used_blocks is its size). */
  readonly allocated = new Set<number>();

  constructor(
    readonly id: number,
    /** The object name (rtems_object_set_name changes it). */
    public name: number,
    readonly base: number,
    readonly length: number,
    readonly bufferSize: number,
    /** length / buffer_size: the buffers _Chain_Initialize makes. */
    readonly count: number,
  ) {}

  /** _Chain_Get_unprotected on the free chain; undefined when it is empty. */
  take(): number | undefined {
    let buffer: number | undefined;
    if (this.nextFresh < this.count) {
      buffer = this.base + this.nextFresh * this.bufferSize;
      this.nextFresh++;
    } else if (this.head < this.returned.length) {
      buffer = this.returned[this.head++]!;
      if (this.head >= COMPACT_AFTER && this.head * 2 >= this.returned.length) {
        this.returned = this.returned.slice(this.head);
        this.head = 0;
      }
    }
    if (buffer !== undefined) this.allocated.add(buffer);
    return buffer;
  }

  /** _Chain_Append_unprotected on the free chain. */
  giveBack(buffer: number): void {
    this.allocated.delete(buffer);
    this.returned.push(buffer);
  }

  /**
   * _Partition_Is_address_a_buffer_begin (partreturnbuffer.c): within the area and on a
   * buffer boundary. RTEMS stops there; a buffer that is not handed out (returned twice,
   * or the tail of an area whose length is not a multiple of the buffer size) would
   * corrupt its free chain, so here it is refused too.
   */
  isAllocatedBuffer(buffer: number): boolean {
    const offset = buffer - this.base;
    return offset >= 0 && offset < this.length && offset % this.bufferSize === 0 && this.allocated.has(buffer);
  }
}

export class PartitionManager {
  readonly table: ObjectTable<PartitionControl>;

  constructor(private readonly score: Score) {
    this.table = new ObjectTable<PartitionControl>(OBJECTS_CLASSIC_API, ClassicObjectClass.PARTITIONS, score.config.maximumPartitions);
  }

  /**
   * rtems_partition_create, with RTEMS 6's checks in its order: the name; a NULL start;
   * a length of 0, a buffer size of 0, a length below the buffer size, a buffer size that
   * is not a multiple of the pointer size or below two pointers (INVALID_SIZE); a start
   * not on a pointer boundary (INVALID_ADDRESS); then the object (TOO_MANY). RTEMS_GLOBAL
   * "has no effect" on a single node (RTEMS 6 C User's Guide). An area that would pass
   * the end of the 32-bit address space is INVALID_SIZE here (RTEMS would wrap).
   */
  create(name: unknown, startingAddress: unknown, length: unknown, bufferSize: unknown, _attributes: unknown): IdResult {
    return this.score.directive((): IdResult => {
      const packed = packName(name);
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      const start = uint32(startingAddress);
      if (start === undefined || start === 0) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
      const bytes = uint32(length);
      const size = uint32(bufferSize);
      if (bytes === undefined || bytes === 0) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
      if (size === undefined || size === 0 || bytes < size) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
      // The buffers must hold a Chain_Node on its alignment while they are free (partcreate.c).
      if (size % CPU_SIZEOF_POINTER !== 0 || size < CHAIN_NODE_SIZE) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
      if (start % CPU_SIZEOF_POINTER !== 0) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
      if (start + bytes > 2 ** 32) return { status: RtemsStatus.INVALID_SIZE, id: 0 };
      const partition = this.table.allocate((id) => new PartitionControl(id, packed, start, bytes, size, Math.floor(bytes / size)));
      return partition === undefined ? { status: RtemsStatus.TOO_MANY, id: 0 } : { status: RtemsStatus.SUCCESSFUL, id: partition.id };
    });
  }

  /** rtems_partition_ident: INVALID_NAME. */
  ident(name: unknown, node: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, node));
  }

  /** rtems_partition_delete: RESOURCE_IN_USE while buffers are out (partdelete.c: number_of_used_blocks). */
  delete(id: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const partition = this.table.get(id);
      if (partition === undefined) return RtemsStatus.INVALID_ID;
      if (partition.allocated.size !== 0) return RtemsStatus.RESOURCE_IN_USE;
      this.table.release(partition);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_partition_get_buffer: never blocks; UNSATISFIED when no buffer is free. Callable from an ISR. */
  getBuffer(id: unknown): BufferResult {
    return this.score.directive((): BufferResult => {
      const partition = this.table.get(id);
      if (partition === undefined) return { status: RtemsStatus.INVALID_ID, buffer: 0 };
      const buffer = partition.take();
      return buffer === undefined ? { status: RtemsStatus.UNSATISFIED, buffer: 0 } : { status: RtemsStatus.SUCCESSFUL, buffer };
    });
  }

  /** rtems_partition_return_buffer: INVALID_ID, then INVALID_ADDRESS for anything but a buffer handed out. */
  returnBuffer(id: unknown, buffer: unknown): RtemsStatus {
    return this.score.directive((): RtemsStatus => {
      const partition = this.table.get(id);
      if (partition === undefined) return RtemsStatus.INVALID_ID;
      const address = uint32(buffer);
      if (address === undefined || !partition.isAllocatedBuffer(address)) return RtemsStatus.INVALID_ADDRESS;
      partition.giveBack(address);
      return RtemsStatus.SUCCESSFUL;
    });
  }
}
