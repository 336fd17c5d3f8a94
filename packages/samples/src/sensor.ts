/**
 * sensor: a device driver in the classic RTEMS shape, "the ISR defers to a task": the ISR
 * only synchronizes with an application task, using a directive RTEMS allows from an ISR
 * (RTEMS Classic API Guide, Interrupt Manager, "Directives Allowed from an ISR", which lists
 * rtems_semaphore_release), and the task does the work. Init installs an ISR on hardware
 * interrupt line 5 with rtems_interrupt_handler_install; the ISR counts the interrupt and
 * releases a counting semaphore; task SENS obtains one unit per interrupt and "reads the
 * sensor" (a little compute). At each second of its clock SENS prints how many interrupts
 * it handled in that second and in total; after five seconds it prints what the ISR took
 * and SENS handled, the END banner, and exits.
 *
 * The line is the board's, on bare metal (i386 IRQ 5 on the 8259A pair, SPARC LEON3 IRQMP
 * level 5) and in a partition (bsp-virtualpok installs on the routed line HW_BASE + 5 and
 * acknowledges it with VIRQ_ACK), so the same application runs everywhere. What differs is
 * how many interrupts reach it: on bare metal every one; in a partition the ones raised in
 * its windows, plus one per gap between them (raises that find the line already pending
 * are coalesced by the kernel and counted in the partition's virq summary, not lost).
 *
 * Counting with a semaphore rather than an event: events do not count (two sends before a
 * receive are one), a counting semaphore keeps one unit per release, so SENS handles
 * exactly as many interrupts as the ISR took, only later.
 */
import {
  type Application,
  RTEMS_COUNTING_SEMAPHORE,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_FIFO,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_SELF,
  RTEMS_WAIT,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
  rtemsStatusText,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'SENSOR';
/** The board's interrupt line the sensor is wired to. */
const SENSOR_LINE = 5;
/** Seconds reported before the summary. */
const SENSOR_SECONDS = 5;
/** What SENS computes per interrupt: reading and filtering the sample. */
const READ_CYCLES = 2_000;

/** What the ISR and the task share (one per run: created in Init). */
interface SensorState {
  isrInterrupts: number;
  readonly semaphore: number;
}

function sensorTask(state: SensorState): TaskEntry {
  return function* (rtems: Rtems) {
    const perSecond = rtems.clockGetTicksPerSecond();
    let handled = 0;
    let inSecond = 0;
    for (let second = 1; second <= SENSOR_SECONDS; ) {
      const boundary = second * perSecond;
      const now = rtems.clockGetTicksSinceBoot();
      if (now >= boundary) {
        rtems.printf('sensor: second %u: %u interrupts handled, %u in total\n', second, inSecond, handled);
        inSecond = 0;
        second++;
        continue;
      }
      // Wait for the next interrupt, but no longer than the end of this second (a timeout of
      // 0 would be RTEMS_NO_TIMEOUT: the boundary is always at least one tick ahead here).
      const status = yield* rtems.semaphoreObtain(state.semaphore, RTEMS_WAIT, boundary - now);
      if (status === RtemsStatus.TIMEOUT) continue;
      if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
      handled++;
      inSecond++;
      yield rtems.compute(READ_CYCLES);
    }
    rtems.printf('sensor: in %u s the ISR took %u interrupts, SENS handled %u\n', SENSOR_SECONDS, state.isrInterrupts, handled);
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  };
}

export const sensor: Application = {
  name: 'sensor',
  description: 'An ISR on hardware interrupt line 5 defers each interrupt to a task through a semaphore; the task prints the interrupts it handled each second for 5 s',
  configuration: { maximumTasks: 2, maximumSemaphores: 1, microsecondsPerTick: 1000 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    const created = rtems.semaphoreCreate('SIRQ', 0, RTEMS_COUNTING_SEMAPHORE | RTEMS_FIFO);
    if (created.status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(created.status);
    const state: SensorState = { isrInterrupts: 0, semaphore: created.id };
    const installed = rtems.interruptHandlerInstall(SENSOR_LINE, function* (isr) {
      state.isrInterrupts++;
      yield* isr.semaphoreRelease(state.semaphore);
    });
    if (installed !== RtemsStatus.SUCCESSFUL) {
      rtems.printf('sensor: rtems_interrupt_handler_install on line %d: %s\n', SENSOR_LINE, rtemsStatusText(installed));
      testEnd(rtems, TEST_NAME);
      rtems.exit(1);
    }
    rtems.printf('sensor: ISR on interrupt line %d, task SENS handles each interrupt\n', SENSOR_LINE);
    const task = rtems.taskCreate('SENS', 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
    if (task.status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(task.status);
    const started = yield* rtems.taskStart(task.id, sensorTask(state), 0);
    if (started !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(started);
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
