/**
 * The heap port against numbers worked out by hand from RTEMS 6's heap code (ILP32:
 * 8-byte block header, 4-byte alloc bonus, CPU_ALIGNMENT 8).
 */
import { describe, expect, it } from 'vitest';
import { Heap } from './heap.js';

function heap(begin: number, size: number, page = 0): Heap {
  const created = Heap.initialize(begin, size, page);
  if (created === undefined) throw new Error('no heap');
  return created;
}

describe('Heap (RTEMS score heap, first fit)', () => {
  it('initializes like _Heap_Initialize: first block after the page-aligned header, size rounded down to the page size', () => {
    expect(heap(0x1000, 4096).size).toBe(4088);
    // Page 64: the first allocation area is at 0x1040, its header at 0x1038; 4096 - 64 rounded down to 64.
    expect(heap(0x1000, 4096, 64).size).toBe(4032);
    // An unaligned area: the first header at 0x1008 (its allocation area on 0x1010), 13 bytes of overhead, 87 rounded down.
    expect(heap(0x1003, 100).size).toBe(80);
    // Page sizes round up to CPU_ALIGNMENT (8).
    expect(heap(0x1000, 4096, 3).pageSize).toBe(8);
    // Too small for one block (16 bytes), wrapping past 2^32, a page size that overflows: 0.
    expect([Heap.initialize(0x1000, 23, 0), Heap.initialize(0xffff_ff00, 0x200, 0), Heap.initialize(0x1000, 4096, 0xffff_ffff)]).toEqual([undefined, undefined, undefined]);
    expect(Heap.initialize(0x1000, 24, 0)?.size).toBe(16);
  });

  it('allocates first fit from the head of the free list, splitting off the rest, and frees with coalescing', () => {
    const h = heap(0x1000, 4096);
    const a = h.allocate(100);
    const b = h.allocate(1);
    const c = h.allocate(200);
    // 100 bytes need a 112-byte block (108 rounded up to 8); 1 byte the minimum block (16).
    expect([a, b, c].map((x) => x.toString(16))).toEqual(['1008', '1078', '1088']);
    expect([h.sizeOfAllocArea(a), h.sizeOfAllocArea(b), h.sizeOfAllocArea(c)]).toEqual([108, 12, 204]);
    expect(h.information()).toEqual({ free: { number: 1, largest: 3752, total: 3752 }, used: { number: 3, largest: 208, total: 336 } });
    expect(h.free(b)).toBe(true);
    // A freed block without free neighbours goes to the head of the free list: the next small allocation takes it.
    expect(h.allocate(8).toString(16)).toBe('1078');
    expect([h.free(0x1078), h.free(0x1078), h.free(0x1079), h.free(0x5000), h.free(0)]).toEqual([true, false, false, false, true]);
    expect([h.free(a), h.free(c)]).toEqual([true, true]);
    expect(h.information()).toEqual({ free: { number: 1, largest: 4088, total: 4088 }, used: { number: 0, largest: 0, total: 0 } });
    expect([h.usedBlocks, h.headerCount, h.freeStatistics]).toEqual([0, 2, { size: 4088, blocks: 1 }]);
  });

  it('the largest request a fresh heap satisfies is its size minus 4 (block size + bonus - header)', () => {
    const h = heap(0x1000, 4096);
    expect(h.allocate(4085)).toBe(0);
    expect(h.allocate(4084)).toBe(0x1008);
    expect(h.sizeOfAllocArea(0x1008)).toBe(4084);
    expect(h.freeInformation()).toEqual({ number: 0, largest: 0, total: 0 });
  });

  it('resizes in place: shrinking frees the tail, growing takes a free next block, otherwise unsatisfied', () => {
    const h = heap(0x1000, 4096);
    const a = h.allocate(100);
    const b = h.allocate(100);
    expect(h.resize(a, 200)).toEqual({ status: 'unsatisfied', oldSize: 108 });
    expect(h.resize(b, 2000)).toEqual({ status: 'successful', oldSize: 108 });
    expect(h.sizeOfAllocArea(b)).toBe(2004);
    expect(h.resize(b, 20)).toEqual({ status: 'successful', oldSize: 2004 });
    expect(h.sizeOfAllocArea(b)).toBe(28);
    expect([h.resize(0x3000, 8), h.resize(0x1008 + 112 + 32 + 8, 8)]).toEqual([
      { status: 'fatal-error', oldSize: 0 },
      { status: 'fatal-error', oldSize: 0 },
    ]);
    expect(h.information().free).toEqual({ number: 1, largest: 4088 - 112 - 32, total: 4088 - 112 - 32 });
  });

  it('holds one header per block, whatever the area (a 4 GiB - 8 area, 10000 allocations and frees)', () => {
    const h = heap(8, 0xffff_fff0, 0);
    const segments = Array.from({ length: 10_000 }, () => h.allocate(64));
    expect(h.headerCount).toBe(10_002);
    for (const segment of segments) h.free(segment);
    expect([h.headerCount, h.usedBlocks, h.information().free.number]).toEqual([2, 0, 1]);
  });

  describe('extend (_Heap_Extend)', () => {
    it('merges an area right above: the last block becomes free space', () => {
      const h = heap(0x1000, 0x1000);
      expect(h.extend(0x2000, 0x100)).toBe(256);
      expect([h.size, h.headerCount]).toEqual([4344, 2]);
      expect(h.information()).toEqual({ free: { number: 1, largest: 4344, total: 4344 }, used: { number: 0, largest: 0, total: 0 } });
      expect(h.allocate(4340)).toBe(0x1008);
    });

    it('merges an area right below', () => {
      const h = heap(0x2000, 0x1000);
      expect(h.extend(0x1000, 0x1000)).toBe(4096);
      expect(h.information().free).toEqual({ number: 1, largest: 8184, total: 8184 });
      expect(h.allocate(8).toString(16)).toBe('1008');
    });

    it('links a disconnected area: the gap is a used block', () => {
      const h = heap(0x1000, 0x1000);
      expect(h.extend(0x3000, 0x100)).toBe(248);
      expect(h.information()).toEqual({ free: { number: 2, largest: 4088, total: 4336 }, used: { number: 1, largest: 0x1008, total: 0x1008 } });
      // The new area's block is at the head of the free list.
      expect(h.allocate(200).toString(16)).toBe('3008');
      expect(h.allocate(4084).toString(16)).toBe('1008');
      // The gap block is not a segment.
      expect([h.free(0x2000), h.sizeOfAllocArea(0x2000)]).toEqual([false, undefined]);
      const below = heap(0x2000, 0x1000);
      expect(below.extend(0x1000, 0x100)).toBe(248);
      expect(below.information()).toEqual({ free: { number: 2, largest: 4088, total: 4336 }, used: { number: 1, largest: 3848, total: 3848 } });
    });

    it('refuses areas that overlap, are too small or wrap, and the two layouts RTEMS 6 would corrupt', () => {
      const h = heap(0x1000, 0x1000);
      expect([h.extend(0x1800, 0x1000), h.extend(0x800, 0x900), h.extend(0x5000, 16), h.extend(0xffff_ff00, 0x200)]).toEqual([0, 0, 0, 0]);
      expect(h.extend(0x3000, 0x1000)).toBe(4088);
      // Exactly the gap between two areas.
      expect(h.extend(0x2000, 0x1000)).toBe(0);
      // Below two areas without touching the lower one.
      const two = heap(0x3000, 0x1000);
      expect(two.extend(0x5000, 0x100)).toBe(248);
      expect(two.extend(0x1000, 0x100)).toBe(0);
      expect(two.extend(0x2f00, 0x100)).toBe(256);
      expect(two.information().free.total).toBe(4088 + 256 + 248);
    });
  });
});
