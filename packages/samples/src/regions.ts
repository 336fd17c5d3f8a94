/**
 * regions: a region (RTEMS C User's Guide, Region Manager) under load. Init creates region
 * RGN1 over 2048 bytes of the application's memory at 0x00100000, page size 16, waiters in
 * FIFO order, prints its free information, starts four tasks of equal priority and waits
 * for an event from each. The tasks follow a script in steps of 250 ms:
 *
 *  - step 0: TA1 gets 1000 bytes and TA2 600 (RTEMS_NO_WAIT: nothing is taken yet); TA3
 *    asks for 800 and TA4 for 700 bytes with RTEMS_WAIT and a 500 ms timeout: neither
 *    fits in the 416 bytes left;
 *  - step 1: TA2 returns its segment: the return serves the queue from its head, TA3's
 *    800 bytes now fit where TA2's were, TA4's 700 do not (208 bytes left);
 *  - step 2: TA4's wait times out (RTEMS_TIMEOUT); it asks again without waiting
 *    (RTEMS_UNSATISFIED), then with RTEMS_WAIT and no timeout;
 *  - step 3: TA1 returns its 1000 bytes: TA4 gets its 700 at the start of the region;
 *  - step 4: TA4 returns; step 5: TA3 returns.
 *
 * Each segment is printed with its usable size (rtems_region_get_segment_size: a segment
 * of n bytes takes a block of n + 8 bytes rounded up to the page size, of which the block
 * size minus 4 is usable) and the region's free information after the allocation. Init, once
 * the four are done, prints the region's information - one free block of 2032 bytes
 * again, the returned blocks coalesced - deletes it, prints the END banner and exits.
 *
 * Nothing printed depends on time measured, only on the order of the steps: each timed
 * step is 250 ms after the previous one, so a partition that gets a window at least every
 * 250 ms prints the same screen as bare metal.
 */
import {
  type Application,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_EVENT_ALL,
  RTEMS_FIFO,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_NO_WAIT,
  RTEMS_WAIT,
  type RegionBlockInformation,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
  rtemsStatusText,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'REGIONS';
/** The region's memory: the application's own, the executive never touches it. */
const REGION_START = 0x0010_0000;
const REGION_LENGTH = 2048;
const PAGE_SIZE = 16;
/** The script's time step. */
const STEP_MS = 250;

/** What the tasks share: the region and the task to tell when they are done. */
interface Shared {
  readonly region: number;
  readonly init: number;
}

/** A task's script (its body before it reports to Init), given the shared objects and its name. */
type Script = (rtems: Rtems, shared: Shared, name: string) => Generator<number, void, unknown>;

/** Milliseconds in ticks of this executive's clock (partitions may tick at another rate). */
function ticks(rtems: Rtems, ms: number): number {
  return Math.max(1, Math.round((ms * rtems.clockGetTicksPerSecond()) / 1000));
}

const steps = (rtems: Rtems, count: number): number => ticks(rtems, count * STEP_MS);

function check(rtems: Rtems, status: RtemsStatus): void {
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
}

const blocks = (information: RegionBlockInformation): string =>
  `${information.number} block${information.number === 1 ? '' : 's'}, largest ${information.largest}, total ${information.total}`;

function freeInformation(rtems: Rtems, region: number): string {
  const { status, information } = rtems.regionGetFreeInformation(region);
  check(rtems, status);
  return `free ${blocks(information!.free)}`;
}

/**
 * rtems_region_get_segment of `size` bytes. A request that may wait (RTEMS_WAIT, for
 * `timeoutMs` or with no timeout) is announced first; a segment is printed with its usable
 * size and the free information after it; any other status is printed and returned as
 * segment 0.
 */
function* getSegment(rtems: Rtems, shared: Shared, name: string, size: number, optionSet: number, timeoutMs?: number): Generator<number, number, unknown> {
  if (optionSet === RTEMS_WAIT) {
    if (timeoutMs === undefined) rtems.printf('%s: asks for %u bytes, waits with no timeout\n', name, size);
    else rtems.printf('%s: asks for %u bytes, waits at most %u ms\n', name, size, timeoutMs);
  }
  const timeout = timeoutMs === undefined ? RTEMS_NO_TIMEOUT : ticks(rtems, timeoutMs);
  const { status, segment } = yield* rtems.regionGetSegment(shared.region, size, optionSet, timeout);
  if (status !== RtemsStatus.SUCCESSFUL) {
    rtems.printf('%s: %u bytes%s: %s\n', name, size, optionSet === RTEMS_NO_WAIT ? ' without waiting' : '', rtemsStatusText(status));
    return 0;
  }
  const usable = rtems.regionGetSegmentSize(shared.region, segment);
  check(rtems, usable.status);
  rtems.printf('%s: got %u bytes at 0x%08x (%u usable); %s\n', name, size, segment, usable.size, freeInformation(rtems, shared.region));
  return segment;
}

function* returnSegment(rtems: Rtems, shared: Shared, name: string, segment: number): Generator<number, void, unknown> {
  rtems.printf('%s: returns 0x%08x\n', name, segment);
  check(rtems, yield* rtems.regionReturnSegment(shared.region, segment));
}

const SCRIPTS: readonly Script[] = [
  // TA1: 1000 bytes at step 0, returned at step 3 (TA4 gets them).
  function* (rtems, shared, name) {
    const segment = yield* getSegment(rtems, shared, name, 1000, RTEMS_NO_WAIT);
    check(rtems, yield* rtems.taskWakeAfter(steps(rtems, 3)));
    yield* returnSegment(rtems, shared, name, segment);
  },
  // TA2: 600 bytes at step 0, returned at step 1 (TA3 gets them).
  function* (rtems, shared, name) {
    const segment = yield* getSegment(rtems, shared, name, 600, RTEMS_NO_WAIT);
    check(rtems, yield* rtems.taskWakeAfter(steps(rtems, 1)));
    yield* returnSegment(rtems, shared, name, segment);
  },
  // TA3: waits for 800 bytes (served at step 1), returns them at step 5.
  function* (rtems, shared, name) {
    const segment = yield* getSegment(rtems, shared, name, 800, RTEMS_WAIT, 2 * STEP_MS);
    check(rtems, yield* rtems.taskWakeAfter(steps(rtems, 4)));
    yield* returnSegment(rtems, shared, name, segment);
  },
  // TA4: 700 bytes: times out at step 2, cannot have them without waiting, waits with no
  // timeout until TA1's return at step 3, returns them at step 4.
  function* (rtems, shared, name) {
    yield* getSegment(rtems, shared, name, 700, RTEMS_WAIT, 2 * STEP_MS);
    yield* getSegment(rtems, shared, name, 700, RTEMS_NO_WAIT);
    const segment = yield* getSegment(rtems, shared, name, 700, RTEMS_WAIT);
    check(rtems, yield* rtems.taskWakeAfter(steps(rtems, 1)));
    yield* returnSegment(rtems, shared, name, segment);
  },
];

function task(script: Script, shared: Shared, name: string): TaskEntry {
  return function* (rtems, event) {
    yield* script(rtems, shared, name);
    check(rtems, yield* rtems.eventSend(shared.init, event));
    yield* rtems.taskExit();
  };
}

export const regions: Application = {
  name: 'regions',
  description: 'A region under load: four tasks get and return segments of 600-1000 bytes, waiting with and without timeouts; free information as it changes',
  configuration: { maximumTasks: 1 + SCRIPTS.length, maximumRegions: 1 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    const created = rtems.regionCreate('RGN1', REGION_START, REGION_LENGTH, PAGE_SIZE, RTEMS_FIFO);
    check(rtems, created.status);
    const shared: Shared = { region: created.id, init: rtems.taskSelf() };
    rtems.printf('RGN1: %u bytes at 0x%08x, page size %u, waiters in FIFO order; %s\n', REGION_LENGTH, REGION_START, PAGE_SIZE, freeInformation(rtems, shared.region));
    let all = 0;
    for (const [index, script] of SCRIPTS.entries()) {
      const name = `TA${index + 1}`;
      const { status, id } = rtems.taskCreate(name, 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      check(rtems, status);
      const event = 1 << index;
      all |= event;
      check(rtems, yield* rtems.taskStart(id, task(script, shared, name), event));
    }
    const received = yield* rtems.eventReceive(all, RTEMS_WAIT | RTEMS_EVENT_ALL, RTEMS_NO_TIMEOUT);
    check(rtems, received.status);
    const { status, information } = rtems.regionGetInformation(shared.region);
    check(rtems, status);
    rtems.printf('RGN1: free %s; used %s\n', blocks(information!.free), blocks(information!.used));
    rtems.printf('RGN1: rtems_region_delete: %s\n', rtemsStatusText(yield* rtems.regionDelete(shared.region)));
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  },
};
