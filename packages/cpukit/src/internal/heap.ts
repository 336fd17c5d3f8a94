/**
 * The score's Heap Handler (RTEMS cpukit/score/src/heap.c, heapallocate.c, heapfree.c,
 * heapextend.c, heapresizeblock.c, heapsizeofuserarea.c, heapgetinfo.c,
 * heapgetfreeinfo.c, heapiterate.c; rtems/score/heapimpl.h): the first-fit allocator
 * behind the Region Manager, ported from RTEMS 6 so that segment addresses, segment sizes,
 * the maximum segment size and the information block are the numbers RTEMS computes.
 *
 * Memory model: the heap manages an area of the application's 32-bit address space that
 * the application chose (see regionManager.ts). The executive never stores the bytes of
 * that area. It keeps only what RTEMS writes into it - the block headers (prev_size,
 * size_and_flag and, for free blocks, the free-list links) - in a map keyed by the
 * header's address, so the host holds one small record per block: at most one per
 * segment the application allocated, whatever the area's length.
 *
 * Geometry of the ILP32 targets (no_cpu template, SPARC): uintptr_t arithmetic modulo
 * 2^32, HEAP_BLOCK_HEADER_SIZE 8 (prev_size and size_and_flag), HEAP_ALLOC_BONUS 4 (the
 * next block's prev_size belongs to a used block), sizeof(Heap_Block) 16 and
 * CPU_ALIGNMENT 8 (the smallest page size). HEAP_PROTECTION (an RTEMS_DEBUG option) is
 * off, as in RTEMS's default builds.
 *
 * Where RTEMS reads a header at an address the application made up (a segment pointer
 * that is not one it got, a free block, a heap's end marker), RTEMS reads whatever memory
 * holds and may corrupt the heap; here such an address is simply not a segment (the
 * directive answers RTEMS_INVALID_ADDRESS) and the heap stays consistent.
 */
import type { RegionBlockInformation, RegionInformation } from '../results.js';

/** HEAP_BLOCK_HEADER_SIZE: prev_size and size_and_flag (2 * sizeof(uintptr_t)). */
const HEAP_BLOCK_HEADER_SIZE = 8;
/** HEAP_ALLOC_BONUS: the next block's prev_size field is usable by a used block. */
const HEAP_ALLOC_BONUS = 4;
/** HEAP_PREV_BLOCK_USED, bit 0 of size_and_flag. */
const HEAP_PREV_BLOCK_USED = 1;
/** sizeof(Heap_Block): header plus the free-list links. */
const HEAP_BLOCK_SIZE = 16;
/** CPU_ALIGNMENT (= CPU_HEAP_ALIGNMENT) of the no_cpu template and SPARC. */
export const CPU_ALIGNMENT = 8;

/** uintptr_t: C's conversion to a 32-bit unsigned integer (modulo 2^32). */
function u32(value: number): number {
  return value >>> 0;
}

/** _Heap_Align_up (wraps like uintptr_t). */
function alignUp(value: number, alignment: number): number {
  const remainder = value % alignment;
  return remainder !== 0 ? u32(value - remainder + alignment) : value;
}

/** _Heap_Align_down. */
function alignDown(value: number, alignment: number): number {
  return value - (value % alignment);
}

/** A Heap_Block header as RTEMS writes it at `address`. */
class Block {
  prevSize = 0;
  sizeAndFlag = 0;
  /** Free-list links (valid while the block is free). */
  next: Block = this;
  prev: Block = this;
  /**
   * The last block of a memory area: the heap's end marker or, after an extend, a used
   * block that links over the gap to the next area. Never an application segment.
   */
  boundary = false;

  constructor(readonly address: number) {}

  get size(): number {
    return u32(this.sizeAndFlag & ~HEAP_PREV_BLOCK_USED);
  }

  get prevUsed(): boolean {
    return (this.sizeAndFlag & HEAP_PREV_BLOCK_USED) !== 0;
  }

  setSize(size: number): void {
    this.sizeAndFlag = u32(size | (this.sizeAndFlag & HEAP_PREV_BLOCK_USED));
  }
}

/** _Heap_Resize_block's outcome and the usable size of the segment before the call. */
export type HeapResize =
  | { readonly status: 'successful'; readonly oldSize: number }
  | { readonly status: 'unsatisfied'; readonly oldSize: number }
  | { readonly status: 'fatal-error'; readonly oldSize: 0 };

/** _Heap_Get_first_and_last_block: the block addresses of an area, or undefined if it is too small or wraps. */
function firstAndLastBlock(areaBegin: number, areaSize: number, pageSize: number, minBlockSize: number): { first: number; last: number } | undefined {
  const areaEnd = u32(areaBegin + areaSize);
  const allocAreaBegin = alignUp(u32(areaBegin + HEAP_BLOCK_HEADER_SIZE), pageSize);
  const firstBlockBegin = u32(allocAreaBegin - HEAP_BLOCK_HEADER_SIZE);
  const overhead = u32(HEAP_BLOCK_HEADER_SIZE + u32(firstBlockBegin - areaBegin));
  const firstBlockSize = alignDown(u32(areaSize - overhead), pageSize);
  if (areaEnd < areaBegin || areaSize <= overhead || firstBlockSize < minBlockSize) return undefined;
  return { first: firstBlockBegin, last: u32(firstBlockBegin + firstBlockSize) };
}

export class Heap {
  /** The headers written in the managed memory, by address (live blocks only). */
  private readonly headers = new Map<number, Block>();
  /** The free list's head and tail (Heap_Control.free_list). */
  private readonly freeList = new Block(-1);
  private areaBegin: number;
  private areaEnd: number;
  private firstBlock: Block;
  private lastBlock: Block;

  /** Heap_Statistics: size, free_size, free_blocks, used_blocks. */
  private statsSize: number;
  private freeSize: number;
  private freeBlocks = 1;
  private usedBlocksCount = 0;

  /**
   * _Heap_Initialize: a heap over `areaSize` bytes at `areaBegin`, with the page size
   * rounded up to CPU_ALIGNMENT (0: CPU_ALIGNMENT). Undefined where RTEMS returns 0 (the
   * page size overflows, the area wraps past 2^32 or is too small for one block).
   */
  static initialize(areaBegin: number, areaSize: number, requestedPageSize: number): Heap | undefined {
    let pageSize = CPU_ALIGNMENT;
    if (requestedPageSize !== 0) {
      pageSize = alignUp(requestedPageSize, CPU_ALIGNMENT);
      if (pageSize < CPU_ALIGNMENT) return undefined; // integer overflow
    }
    const minBlockSize = alignUp(HEAP_BLOCK_SIZE, pageSize);
    const area = firstAndLastBlock(areaBegin, areaSize, pageSize, minBlockSize);
    return area === undefined ? undefined : new Heap(areaBegin, u32(areaBegin + areaSize), pageSize, minBlockSize, area.first, area.last);
  }

  private constructor(
    areaBegin: number,
    areaEnd: number,
    readonly pageSize: number,
    private readonly minBlockSize: number,
    firstAddress: number,
    lastAddress: number,
  ) {
    const firstBlockSize = u32(lastAddress - firstAddress);
    const first = this.create(firstAddress);
    first.prevSize = areaEnd;
    first.sizeAndFlag = u32(firstBlockSize | HEAP_PREV_BLOCK_USED);
    this.freeListInsertAfter(this.freeList, first);
    const last = this.create(lastAddress);
    last.prevSize = firstBlockSize;
    last.sizeAndFlag = 0;
    last.boundary = true;
    this.areaBegin = areaBegin;
    this.areaEnd = areaEnd;
    this.firstBlock = first;
    this.lastBlock = last;
    this.setLastBlockSize();
    this.statsSize = firstBlockSize;
    this.freeSize = firstBlockSize;
  }

  /**
   * Heap_Statistics.size: the bytes of all blocks between the areas' first and last
   * blocks. Right after initialize it is what _Heap_Initialize returns (the first block's
   * size), a region's maximum segment size.
   */
  get size(): number {
    return this.statsSize;
  }

  /** Heap_Statistics.free_size and free_blocks. */
  get freeStatistics(): { readonly size: number; readonly blocks: number } {
    return { size: this.freeSize, blocks: this.freeBlocks };
  }

  /** Heap_Statistics.used_blocks: segments allocated (what rtems_region_delete checks). */
  get usedBlocks(): number {
    return this.usedBlocksCount;
  }

  // ---------------------------------------------------------------- headers

  /** A header RTEMS writes anew at `address`. */
  private create(address: number): Block {
    const block = new Block(address);
    this.headers.set(address, block);
    return block;
  }

  /** The live header at `address` (created if the port reached an address it never wrote: cannot happen). */
  private at(address: number): Block {
    return this.headers.get(address) ?? this.create(address);
  }

  /** _Heap_Block_at. */
  private blockAt(block: Block, offset: number): Block {
    return this.at(u32(block.address + offset));
  }

  /** _Heap_Is_block_in_heap. */
  private isInHeap(address: number): boolean {
    return address >= this.firstBlock.address && address <= this.lastBlock.address;
  }

  /** _Heap_Is_used: the next block says its previous block is used. */
  private isUsed(block: Block): boolean {
    return this.blockAt(block, block.size).prevUsed;
  }

  /** _Heap_Set_last_block_size: the last block's size wraps around to the first block. */
  private setLastBlockSize(): void {
    this.lastBlock.setSize(u32(this.firstBlock.address - this.lastBlock.address));
  }

  /**
   * The block of an application's segment pointer (_Heap_Block_of_alloc_area) if it is a
   * live header that is not an area's last block; undefined where RTEMS would read memory
   * that holds no header of this heap.
   */
  private segmentBlock(allocBegin: number): Block | undefined {
    const address = u32(alignDown(allocBegin, this.pageSize) - HEAP_BLOCK_HEADER_SIZE);
    if (!this.isInHeap(address)) return undefined;
    const block = this.headers.get(address);
    return block === undefined || block.boundary ? undefined : block;
  }

  // ---------------------------------------------------------------- free list

  private freeListRemove(block: Block): void {
    block.prev.next = block.next;
    block.next.prev = block.prev;
  }

  private freeListReplace(oldBlock: Block, newBlock: Block): void {
    newBlock.next = oldBlock.next;
    newBlock.prev = oldBlock.prev;
    oldBlock.next.prev = newBlock;
    oldBlock.prev.next = newBlock;
  }

  private freeListInsertAfter(before: Block, block: Block): void {
    const next = before.next;
    block.next = next;
    block.prev = before;
    before.next = block;
    next.prev = block;
  }

  // ---------------------------------------------------------------- allocation

  /**
   * _Heap_Allocate (_Heap_Allocate_aligned_with_boundary without alignment or boundary):
   * the first block of the free list with room for `allocSize` bytes; its allocation area
   * begins right after its header. 0 (NULL) when no block fits.
   */
  allocate(allocSize: number): number {
    const blockSizeFloor = u32(allocSize + HEAP_BLOCK_HEADER_SIZE - HEAP_ALLOC_BONUS);
    if (blockSizeFloor < allocSize) return 0; // integer overflow
    let allocBegin = 0;
    let block = this.freeList.next;
    while (block !== this.freeList) {
      // size_and_flag carries HEAP_PREV_BLOCK_USED (always set in a free block): "greater than" takes it into account.
      if (block.sizeAndFlag > blockSizeFloor) allocBegin = u32(block.address + HEAP_BLOCK_HEADER_SIZE);
      if (allocBegin !== 0) break;
      block = block.next;
    }
    if (allocBegin !== 0) this.blockAllocate(block, allocBegin, allocSize);
    return allocBegin;
  }

  /**
   * _Heap_Block_allocate for an allocation area in the block's first page (the only case
   * without an alignment: _Heap_Block_allocate_from_begin). A free block leaves the free
   * list; the rest is split off.
   */
  private blockAllocate(block: Block, allocBegin: number, allocSize: number): void {
    const allocAreaOffset = u32(allocBegin - u32(block.address + HEAP_BLOCK_HEADER_SIZE));
    let anchor = this.freeList;
    if (!this.isUsed(block)) {
      anchor = block.prev;
      this.freeListRemove(block);
      this.freeBlocks--;
      this.usedBlocksCount++;
      this.freeSize = u32(this.freeSize - block.size);
    }
    this.blockSplit(block, anchor, u32(allocSize + allocAreaOffset));
  }

  /**
   * _Heap_Block_split: the block keeps what the allocation needs (rounded up to the page
   * size); a remainder big enough for a block becomes a free block, inserted after
   * `anchor` or merged with a free next block.
   */
  private blockSplit(block: Block, anchor: Block, allocSize: number): void {
    const minAllocSize = this.minBlockSize - HEAP_BLOCK_HEADER_SIZE;
    const blockSize = block.size;
    const usedSize = u32(Math.max(allocSize, minAllocSize) + HEAP_BLOCK_HEADER_SIZE);
    const usedBlockSize = alignUp(usedSize, this.pageSize);
    const freeSize = u32(blockSize + HEAP_ALLOC_BONUS - usedSize);
    const freeSizeLimit = u32(this.minBlockSize + HEAP_ALLOC_BONUS);
    let next = this.blockAt(block, blockSize);
    if (freeSize < freeSizeLimit) {
      next.sizeAndFlag = u32(next.sizeAndFlag | HEAP_PREV_BLOCK_USED);
      return;
    }
    const freeBlock = this.create(u32(block.address + usedBlockSize));
    let freeBlockSize = u32(blockSize - usedBlockSize);
    block.setSize(usedBlockSize);
    this.freeSize = u32(this.freeSize + freeBlockSize);
    if (this.isUsed(next)) {
      this.freeListInsertAfter(anchor, freeBlock);
      this.freeBlocks++;
    } else {
      const nextSize = next.size;
      this.freeListReplace(next, freeBlock);
      this.headers.delete(next.address);
      freeBlockSize = u32(freeBlockSize + nextSize);
      next = this.blockAt(freeBlock, freeBlockSize);
    }
    freeBlock.sizeAndFlag = u32(freeBlockSize | HEAP_PREV_BLOCK_USED);
    next.prevSize = freeBlockSize;
    next.sizeAndFlag = u32(next.sizeAndFlag & ~HEAP_PREV_BLOCK_USED);
  }

  // ---------------------------------------------------------------- free

  /**
   * _Heap_Free: NULL (0) is a valid release (true); a pointer that is not an allocated
   * segment of this heap is refused (false). The block merges with free neighbours; a
   * block with none goes to the head of the free list ("tends to produce less
   * fragmentation than adding to the tail").
   */
  free(allocBegin: number): boolean {
    if (allocBegin === 0) return true;
    const block = this.segmentBlock(allocBegin);
    return block !== undefined && this.freeBlock(block);
  }

  /** _Heap_Free from the block on (also frees the blocks _Heap_Extend builds). */
  private freeBlock(block: Block): boolean {
    const blockSize = block.size;
    const nextAddress = u32(block.address + blockSize);
    if (!this.isInHeap(nextAddress)) return false;
    const next = this.headers.get(nextAddress);
    if (next === undefined || !next.prevUsed) return false; // not a used block
    const nextSize = next.size;
    const nextIsFree = next !== this.lastBlock && !this.blockAt(next, nextSize).prevUsed;
    if (!block.prevUsed) {
      const prevSize = block.prevSize;
      const prevAddress = u32(block.address - prevSize);
      if (!this.isInHeap(prevAddress)) return false;
      const prev = this.headers.get(prevAddress);
      // As free blocks are always coalesced, the block before prev must be used.
      if (prev === undefined || !prev.prevUsed) return false;
      if (nextIsFree) {
        const size = u32(blockSize + prevSize + nextSize);
        this.freeListRemove(next);
        this.freeBlocks--;
        prev.sizeAndFlag = u32(size | HEAP_PREV_BLOCK_USED);
        this.blockAt(prev, size).prevSize = size;
        this.headers.delete(next.address);
      } else {
        const size = u32(blockSize + prevSize);
        prev.sizeAndFlag = u32(size | HEAP_PREV_BLOCK_USED);
        next.sizeAndFlag = u32(next.sizeAndFlag & ~HEAP_PREV_BLOCK_USED);
        next.prevSize = size;
      }
      this.headers.delete(block.address);
    } else if (nextIsFree) {
      const size = u32(blockSize + nextSize);
      this.freeListReplace(next, block);
      block.sizeAndFlag = u32(size | HEAP_PREV_BLOCK_USED);
      this.blockAt(block, size).prevSize = size;
      this.headers.delete(next.address);
    } else {
      this.freeListInsertAfter(this.freeList, block);
      block.sizeAndFlag = u32(blockSize | HEAP_PREV_BLOCK_USED);
      next.sizeAndFlag = u32(next.sizeAndFlag & ~HEAP_PREV_BLOCK_USED);
      next.prevSize = blockSize;
      this.freeBlocks++;
    }
    this.usedBlocksCount--;
    this.freeSize = u32(this.freeSize + blockSize);
    return true;
  }

  // ---------------------------------------------------------------- size and resize

  /**
   * _Heap_Size_of_alloc_area: the bytes usable from `allocBegin` to the end of its block
   * plus the bonus (a multiple of the page size minus 4 for a pointer the heap returned);
   * undefined if it is not an allocated segment.
   */
  sizeOfAllocArea(allocBegin: number): number | undefined {
    const block = this.segmentBlock(allocBegin);
    if (block === undefined) return undefined;
    const nextAddress = u32(block.address + block.size);
    if (!this.isInHeap(nextAddress) || this.headers.get(nextAddress)?.prevUsed !== true) return undefined;
    return u32(nextAddress + HEAP_ALLOC_BONUS - allocBegin);
  }

  /**
   * _Heap_Resize_block: grows the segment into a free next block or shrinks it, in place.
   * `oldSize` is the usable size before the call. A size that no block can hold
   * (`Infinity` for one that is not a uintptr_t) is unsatisfied. RTEMS does not check that
   * the block is used (resizing a free block corrupts its heap); here it is a fatal error
   * (not a segment) like an address outside the heap.
   */
  resize(allocBegin: number, newAllocSize: number): HeapResize {
    const block = this.segmentBlock(allocBegin);
    if (block === undefined || !this.isUsed(block)) return { status: 'fatal-error', oldSize: 0 };
    let blockSize = block.size;
    const blockEnd = u32(block.address + blockSize);
    let allocSize = u32(blockEnd - allocBegin + HEAP_ALLOC_BONUS);
    const next = this.at(blockEnd);
    const nextSize = next.size;
    const nextIsFree = !this.isUsed(next);
    const oldSize = allocSize;
    if (nextIsFree) {
      blockSize = u32(blockSize + nextSize);
      allocSize = u32(allocSize + nextSize);
    }
    if (newAllocSize > allocSize) return { status: 'unsatisfied', oldSize };
    if (nextIsFree) {
      block.setSize(blockSize);
      this.freeListRemove(next);
      this.headers.delete(next.address);
      const after = this.blockAt(block, blockSize);
      after.sizeAndFlag = u32(after.sizeAndFlag | HEAP_PREV_BLOCK_USED);
      this.freeBlocks--;
      this.freeSize = u32(this.freeSize - nextSize);
    }
    this.blockAllocate(block, allocBegin, newAllocSize);
    return { status: 'successful', oldSize };
  }

  // ---------------------------------------------------------------- extend

  /**
   * _Heap_Extend: adds the area (no alignment needed) and returns the bytes it adds to the
   * free space, 0 if refused. An area that is too small, wraps past 2^32 or overlaps an
   * area of the heap is refused. An area right after (before) an area of the heap merges
   * with it; a disconnected one is linked in, the gap covered by a used block.
   *
   * Two layouts RTEMS 6 accepts but handles wrongly are refused here: an area that exactly
   * fills the gap between two areas (merged below and above at once, RTEMS builds two
   * overlapping free blocks), and an area below two or more areas without touching them
   * (RTEMS links it to the highest of them, dropping the others from the block chain).
   */
  extend(extendBegin: number, extendSize: number): number {
    const pageSize = this.pageSize;
    const extendEnd = u32(extendBegin + extendSize);
    const freeSizeBefore = this.freeSize;
    if (extendEnd < extendBegin) return 0;
    const area = firstAndLastBlock(extendBegin, extendSize, pageSize, this.minBlockSize);
    if (area === undefined) return 0; // "For simplicity we reject extend areas that are too small"

    const first = this.firstBlock;
    let start = first;
    let mergeBelow: Block | undefined;
    let mergeAbove: Block | undefined;
    let mergeAboveStart: Block | undefined;
    let linkBelow: Block | undefined;
    let linkAbove: Block | undefined;
    let areasAbove = 0;
    // The areas in address order: each one's first block records the area's end in prev_size,
    // its last block links to the next area's first block (the heap's last block to the first).
    for (let guard = this.headers.size; guard >= 0; guard--) {
      const subAreaBegin = start !== first ? start.address : this.areaBegin;
      const subAreaEnd = start.prevSize;
      const end = this.at(u32(alignDown(subAreaEnd, pageSize) - HEAP_BLOCK_HEADER_SIZE));
      if (subAreaEnd > extendBegin && extendEnd > subAreaBegin) return 0; // overlap
      if (extendEnd === subAreaBegin) mergeBelow = start;
      else if (extendEnd < subAreaEnd) linkBelow = start;
      if (extendEnd <= subAreaBegin) areasAbove++;
      if (subAreaEnd === extendBegin) {
        mergeAboveStart = start;
        mergeAbove = end;
      } else if (subAreaEnd < extendBegin) {
        linkAbove = end;
      }
      start = this.blockAt(end, end.size);
      if (start === first) break;
    }
    if (mergeBelow !== undefined && mergeAbove !== undefined) return 0;
    if (mergeBelow === undefined && linkBelow !== undefined && areasAbove > 1) return 0;

    // RTEMS records the merged area's new end while it walks the areas; here once the area is known to be accepted.
    if (mergeAboveStart !== undefined) mergeAboveStart.prevSize = extendEnd;
    if (extendBegin < this.areaBegin) this.areaBegin = extendBegin;
    else if (this.areaEnd < extendEnd) this.areaEnd = extendEnd;

    const extendFirst = this.create(area.first);
    const extendFirstSize = u32(area.last - area.first);
    extendFirst.prevSize = extendEnd;
    extendFirst.sizeAndFlag = u32(extendFirstSize | HEAP_PREV_BLOCK_USED);
    const extendLast = this.create(area.last);
    extendLast.prevSize = extendFirstSize;
    extendLast.sizeAndFlag = 0;
    extendLast.boundary = true;
    if (extendFirst.address < this.firstBlock.address) this.firstBlock = extendFirst;
    else if (extendLast.address > this.lastBlock.address) this.lastBlock = extendLast;

    if (mergeBelow !== undefined) {
      this.mergeBelow(extendBegin, mergeBelow);
    } else if (linkBelow !== undefined) {
      // _Heap_Link_below: the new area's last block covers the gap up to the area above.
      extendLast.sizeAndFlag = u32(u32(linkBelow.address - extendLast.address) | HEAP_PREV_BLOCK_USED);
    }
    if (mergeAbove !== undefined) {
      this.mergeAbove(mergeAbove, extendEnd);
    } else if (linkAbove !== undefined) {
      // _Heap_Link_above: the area below's last block covers the gap up to the new area.
      linkAbove.setSize(u32(extendFirst.address - linkAbove.address));
      extendLast.sizeAndFlag = u32(extendLast.sizeAndFlag | HEAP_PREV_BLOCK_USED);
    }
    if (mergeBelow === undefined && mergeAbove === undefined) {
      this.freeNewBlock(extendFirst);
    } else if (mergeBelow !== undefined) {
      // The new first block reaches the merged area: the new area's last block is inside it.
      this.headers.delete(extendLast.address);
    } else {
      // The merged area's last block reaches the new end: the new area's first block is inside it.
      this.headers.delete(extendFirst.address);
    }
    this.setLastBlockSize();
    const extendedSize = u32(this.freeSize - freeSizeBefore);
    this.statsSize = u32(this.statsSize + extendedSize);
    return extendedSize;
  }

  /** _Heap_Merge_below: a new first block from the new area's begin up to the area above's first block, freed. */
  private mergeBelow(extendBegin: number, firstBlock: Block): void {
    const newFirstAddress = u32(alignUp(u32(extendBegin + HEAP_BLOCK_HEADER_SIZE), this.pageSize) - HEAP_BLOCK_HEADER_SIZE);
    const newFirst = this.at(newFirstAddress);
    newFirst.prevSize = firstBlock.prevSize;
    newFirst.sizeAndFlag = u32(u32(firstBlock.address - newFirstAddress) | HEAP_PREV_BLOCK_USED);
    newFirst.boundary = false;
    this.freeNewBlock(newFirst);
  }

  /** _Heap_Merge_above: the area below's last block grows to the new end, a new last block after it; freed. */
  private mergeAbove(lastBlock: Block, extendEnd: number): void {
    const newSize = alignDown(u32(extendEnd - lastBlock.address - HEAP_BLOCK_HEADER_SIZE), this.pageSize);
    const newLast = this.blockAt(lastBlock, newSize);
    newLast.sizeAndFlag = u32(u32(lastBlock.sizeAndFlag - newSize) | HEAP_PREV_BLOCK_USED);
    newLast.boundary = true;
    lastBlock.setSize(newSize);
    lastBlock.boundary = false;
    this.freeNewBlock(lastBlock);
  }

  /** _Heap_Free_block: frees a block _Heap_Extend made (counted as used for the moment). */
  private freeNewBlock(block: Block): void {
    this.usedBlocksCount++;
    this.freeBlock(block);
  }

  // ---------------------------------------------------------------- information

  /** _Heap_Get_information (_Heap_Iterate over every block but the last): free and used blocks. */
  information(): RegionInformation {
    const free = { number: 0, largest: 0, total: 0 };
    const used = { number: 0, largest: 0, total: 0 };
    let current = this.firstBlock;
    for (let guard = this.headers.size; current !== this.lastBlock && guard > 0; guard--) {
      const size = current.size;
      const next = this.blockAt(current, size);
      const info = next.prevUsed ? used : free;
      info.number++;
      info.total = u32(info.total + size);
      if (info.largest < size) info.largest = size;
      current = next;
    }
    return { free, used };
  }

  /** _Heap_Get_free_information: the free list. */
  freeInformation(): RegionBlockInformation {
    const info = { number: 0, largest: 0, total: 0 };
    for (let block = this.freeList.next; block !== this.freeList; block = block.next) {
      const size = block.size;
      info.number++;
      info.total = u32(info.total + size);
      if (info.largest < size) info.largest = size;
    }
    return info;
  }

  /** For tests: the headers the host holds (one per live block, end markers included). */
  get headerCount(): number {
    return this.headers.size;
  }
}
