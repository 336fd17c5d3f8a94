/**
 * fpu: a floating-point task pair (RTEMS C User's Guide, Task Manager, "Floating Point
 * Considerations"). FP1 and FP2 are created with RTEMS_FLOATING_POINT and run the same
 * body on two series - FP1 Leibniz's 4 (1 - 1/3 + 1/5 - ...) = pi, FP2 Euler's
 * 1 + 1/4 + 1/9 + ... = pi^2/6 - in 4 chunks of 2500 terms. INT, without
 * RTEMS_FLOATING_POINT, sums integers in the same rhythm. All three have the same priority
 * and yield after each chunk (rtems_task_wake_after(RTEMS_YIELD_PROCESSOR)), so they take
 * turns FP1, FP2, INT, FP1, ...: between two chunks of one FP task come a chunk of the
 * other FP task and one of INT, each FP task's partial sum lives in its own floating-point
 * context across the other's work, and each ends with exactly the bits of the same sum
 * computed without a break (printed as "the same bits").
 *
 * A chunk is `yield rtems.fpCompute(cycles)` - its cycles of FP work, charged with the CPU
 * port's FP context switch, which moves the FPU to an FP task that does not own it: on the
 * i386 (FSAVE/FRSTOR) and in a SPARC partition (STDF/LDDF: PSR.EF is the kernel's) when the
 * task is dispatched, on bare SPARC at its first FP instruction (the fp_disabled trap), and
 * never for INT - and JavaScript's doubles for the values. Only the FP tasks print floating
 * point (%f, %e, %g, with C's rounding: cpukit's printf): in RTEMS a task without
 * RTEMS_FLOATING_POINT must not touch the FPU, printf's %f included, and fpCompute there
 * would be the fatal error ILLEGAL_USE_OF_FLOATING_POINT_UNIT. Init, not an FP task either,
 * prints the END banner once the three have sent it their events.
 *
 * How many FP context switches that takes differs (deferred or lazy; and the executive's
 * count is the host's, not the guest's): the screen does not show it. With kernel air on
 * SPARC, the partition needs AIR's FPU_CONTROL permission (`system: true`) to use the FPU.
 * Nothing waits for time, only for the other tasks' turns, so the screen is the same on
 * bare metal and in any partition, on both processors.
 */
import {
  type Application,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_EVENT_ALL,
  RTEMS_FLOATING_POINT,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_WAIT,
  RTEMS_YIELD_PROCESSOR,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'FPU';
const CHUNKS = 4;
const TERMS_PER_CHUNK = 2500;
/** Cycles of FP work per term (a divide, an add, a multiply). */
const CYCLES_PER_TERM = 20;

/** A series: its name, its term k (from 0), and its limit. */
interface Series {
  readonly formula: string;
  readonly limitName: string;
  readonly term: (k: number) => number;
  readonly limit: number;
}

const SERIES: readonly Series[] = [
  { formula: '4 (1 - 1/3 + 1/5 - 1/7 + ...)', limitName: 'pi', term: (k) => (k % 2 === 0 ? 4 : -4) / (2 * k + 1), limit: Math.PI },
  { formula: '1 + 1/4 + 1/9 + 1/16 + ...', limitName: 'pi^2/6', term: (k) => 1 / ((k + 1) * (k + 1)), limit: (Math.PI * Math.PI) / 6 },
];

function check(rtems: Rtems, status: RtemsStatus): void {
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
}

/** The sum of terms [from, to) added to `sum`, in order. */
function addTerms(series: Series, sum: number, from: number, to: number): number {
  let total = sum;
  for (let k = from; k < to; k++) total += series.term(k);
  return total;
}

const yieldProcessor = (rtems: Rtems) => rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR);

/** FP1 and FP2: the same body, a series each. */
function fpTask(init: number, event: number, name: string, series: Series): TaskEntry {
  return function* (rtems) {
    rtems.printf('%s: %s = %s\n', name, series.limitName, series.formula);
    // The partial sum: this task's own, in its FP context between its turns.
    let sum = 0;
    for (let chunk = 1; chunk <= CHUNKS; chunk++) {
      yield rtems.fpCompute(TERMS_PER_CHUNK * CYCLES_PER_TERM);
      sum = addTerms(series, sum, (chunk - 1) * TERMS_PER_CHUNK, chunk * TERMS_PER_CHUNK);
      rtems.printf('%s: %5u terms: %.12f, error %+.6e, %g\n', name, chunk * TERMS_PER_CHUNK, sum, sum - series.limit, sum);
      check(rtems, yield* yieldProcessor(rtems));
    }
    const terms = CHUNKS * TERMS_PER_CHUNK;
    yield rtems.fpCompute(terms * CYCLES_PER_TERM);
    const once = addTerms(series, 0, 0, terms);
    rtems.printf('%s: in one go: %.17g, %s\n', name, once, Object.is(once, sum) ? 'the same bits' : 'DIFFERENT');
    check(rtems, yield* rtems.eventSend(init, event));
    yield* rtems.taskExit();
  };
}

/** INT: integers only, in the same rhythm. */
function intTask(init: number, event: number): TaskEntry {
  return function* (rtems) {
    rtems.printf('INT: 1 + 2 + 3 + ... in integers, no FP context\n');
    let sum = 0;
    for (let chunk = 1; chunk <= CHUNKS; chunk++) {
      yield rtems.compute(TERMS_PER_CHUNK * 2);
      const last = chunk * TERMS_PER_CHUNK;
      for (let k = (chunk - 1) * TERMS_PER_CHUNK + 1; k <= last; k++) sum += k;
      rtems.printf('INT: %5u terms: %u\n', last, sum);
      check(rtems, yield* yieldProcessor(rtems));
    }
    check(rtems, yield* rtems.eventSend(init, event));
    yield* rtems.taskExit();
  };
}

export const fpu: Application = {
  name: 'fpu',
  description: 'Two RTEMS_FLOATING_POINT tasks sum series in turns with an integer task; each keeps its own FP context (%f %e %g)',
  configuration: { maximumTasks: 4 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    rtems.printf('Init: FP1, FP2 (RTEMS_FLOATING_POINT) and INT take turns, %u chunks of %u terms each\n', CHUNKS, TERMS_PER_CHUNK);
    const init = rtems.taskSelf();
    const tasks: ReadonlyArray<readonly [string, number, TaskEntry]> = [
      ['FP1', RTEMS_FLOATING_POINT, fpTask(init, 1 << 0, 'FP1', SERIES[0]!)],
      ['FP2', RTEMS_FLOATING_POINT, fpTask(init, 1 << 1, 'FP2', SERIES[1]!)],
      ['INT', RTEMS_DEFAULT_ATTRIBUTES, intTask(init, 1 << 2)],
    ];
    for (const [name, attributes, entry] of tasks) {
      const { status, id } = rtems.taskCreate(name, 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, attributes);
      check(rtems, status);
      check(rtems, yield* rtems.taskStart(id, entry, 0));
    }
    check(rtems, (yield* rtems.eventReceive(0b111, RTEMS_WAIT | RTEMS_EVENT_ALL, RTEMS_NO_TIMEOUT)).status);
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  },
};
