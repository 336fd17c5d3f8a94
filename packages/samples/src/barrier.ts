/**
 * barrier: a rendezvous of three tasks (RTEMS C User's Guide, Barrier Manager), first at a
 * barrier that releases itself, then at one that only rtems_barrier_release opens.
 *
 * Init creates BAR1 (RTEMS_BARRIER_AUTOMATIC_RELEASE, maximum waiters 3) and BAR2
 * (RTEMS_BARRIER_MANUAL_RELEASE), starts W1, W2 and W3 (equal priority) and sleeps. In
 * steps of 250 ms:
 *
 *  - steps 1, 2, 3: Wn arrives at BAR1 at step n. W1 and W2 wait; W3 is the third: it
 *    opens the barrier and passes at once, then W1 and W2 pass (released in FIFO order).
 *    Each goes straight on to BAR2: W3 waits there at most 500 ms, W1 and W2 for ever;
 *  - step 5: W3's wait times out (RTEMS_TIMEOUT) and it gives up;
 *  - step 6: Init releases BAR2: rtems_barrier_release counts the 2 tasks it released,
 *    W1 and W2 pass.
 *
 * Each worker sends Init an event when it is done; Init then deletes the barriers, prints
 * the END banner and exits. Nothing printed depends on time measured, only on the order
 * of the steps, so a partition that gets a window at least every 250 ms prints the same
 * screen as bare metal.
 */
import {
  type Application,
  RTEMS_BARRIER_AUTOMATIC_RELEASE,
  RTEMS_BARRIER_MANUAL_RELEASE,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_EVENT_ALL,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_WAIT,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
  rtemsStatusText,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'BARRIER';
/** Tasks at the rendezvous. */
const WORKERS = 3;
/** The script's time step. */
const STEP_MS = 250;
/** How long W3 waits at BAR2. */
const GIVE_UP_MS = 2 * STEP_MS;
/** When Init releases BAR2 (W3 gave up at step 5). */
const RELEASE_STEP = 6;

interface Shared {
  readonly automatic: number;
  readonly manual: number;
  readonly init: number;
}

function ticks(rtems: Rtems, ms: number): number {
  return Math.max(1, Math.round((ms * rtems.clockGetTicksPerSecond()) / 1000));
}

function check(rtems: Rtems, status: RtemsStatus): void {
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
}

/** Wn: arrives at BAR1 at step n, then at BAR2 (the last one with a timeout). */
function worker(shared: Shared): TaskEntry {
  return function* (rtems, n) {
    const name = `W${n}`;
    check(rtems, yield* rtems.taskWakeAfter(ticks(rtems, n * STEP_MS)));
    rtems.printf('%s: arrives at BAR1\n', name);
    check(rtems, yield* rtems.barrierWait(shared.automatic, RTEMS_NO_TIMEOUT));
    rtems.printf('%s: passed BAR1\n', name);
    if (n === WORKERS) rtems.printf('%s: waits at BAR2, at most %u ms\n', name, GIVE_UP_MS);
    else rtems.printf('%s: waits at BAR2\n', name);
    const status = yield* rtems.barrierWait(shared.manual, n === WORKERS ? ticks(rtems, GIVE_UP_MS) : RTEMS_NO_TIMEOUT);
    if (status === RtemsStatus.SUCCESSFUL) rtems.printf('%s: passed BAR2\n', name);
    else rtems.printf('%s: BAR2: %s, gives up\n', name, rtemsStatusText(status));
    check(rtems, yield* rtems.eventSend(shared.init, 1 << n));
    yield* rtems.taskExit();
  };
}

export const barrier: Application = {
  name: 'barrier',
  description: 'Three tasks meet at a barrier that opens when the third arrives, then at one Init releases by hand (one waiter times out first)',
  configuration: { maximumTasks: 1 + WORKERS, maximumBarriers: 2 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    const automatic = rtems.barrierCreate('BAR1', RTEMS_BARRIER_AUTOMATIC_RELEASE, WORKERS);
    check(rtems, automatic.status);
    const manual = rtems.barrierCreate('BAR2', RTEMS_BARRIER_MANUAL_RELEASE, 0);
    check(rtems, manual.status);
    rtems.printf('BAR1: opens by itself when %u tasks wait; BAR2: opens when released\n', WORKERS);
    const shared: Shared = { automatic: automatic.id, manual: manual.id, init: rtems.taskSelf() };
    let all = 0;
    for (let n = 1; n <= WORKERS; n++) {
      const { status, id } = rtems.taskCreate(`W${n}`, 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      check(rtems, status);
      check(rtems, yield* rtems.taskStart(id, worker(shared), n));
      all |= 1 << n;
    }
    check(rtems, yield* rtems.taskWakeAfter(ticks(rtems, RELEASE_STEP * STEP_MS)));
    const released = yield* rtems.barrierRelease(shared.manual);
    check(rtems, released.status);
    rtems.printf('Init: rtems_barrier_release(BAR2): %u tasks released\n', released.count);
    check(rtems, (yield* rtems.eventReceive(all, RTEMS_WAIT | RTEMS_EVENT_ALL, RTEMS_NO_TIMEOUT)).status);
    check(rtems, yield* rtems.barrierDelete(shared.automatic));
    check(rtems, yield* rtems.barrierDelete(shared.manual));
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  },
};
