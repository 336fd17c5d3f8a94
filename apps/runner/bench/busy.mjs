// The busy module of `pnpm bench` (issue 16's "busy" goal): every partition keeps running guest
// code for the whole run. `worker` (this file's `worker`): two rate-monotonic tasks computing part
// of each period and passing a message to each other through a queue; `irq` (`interruptDriven`):
// an ISR on hardware line 5 defers each interrupt to a task through a semaphore, which computes
// per interrupt; beside them the built-in ports pair `producer` and `consumer`. Neither ever
// ends, so 10 minutes of virtual time are 10 minutes of load.
import {
  RTEMS_COUNTING_SEMAPHORE,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_FIFO,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_SELF,
  RTEMS_WAIT,
  RtemsStatus,
} from '@paravirt/cpukit';

const must = (rtems, status) => {
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
};

function periodic(name, periodTicks, cycles, queue, sends) {
  return function* (rtems) {
    const created = rtems.rateMonotonicCreate(name);
    must(rtems, created.status);
    const buffer = new Uint8Array(8);
    for (let n = 0; ; n++) {
      yield* rtems.rateMonotonicPeriod(created.id, periodTicks);
      for (let done = 0; done < cycles; done += 200_000) yield rtems.compute(200_000);
      if (sends) {
        buffer[0] = n & 0xff;
        yield* rtems.messageQueueSend(queue, buffer);
      } else {
        // The faster task sent one message in each of its two periods.
        for (let k = 0; k < 2; k++) yield* rtems.messageQueueReceive(queue, buffer, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      }
    }
  };
}

/** Two periodic tasks (100 ms and 200 ms, the frame and two, 1 ms tick) computing; the fast one sends a message each period, the slow one receives both of its period. */
export const worker = {
  name: 'worker',
  description: 'two rate-monotonic tasks computing and exchanging messages, forever',
  configuration: { maximumTasks: 3, maximumPeriods: 2, maximumMessageQueues: 1, microsecondsPerTick: 1000 },
  *init(rtems) {
    const queue = rtems.messageQueueCreate('WQ', 16, 8, RTEMS_DEFAULT_ATTRIBUTES);
    must(rtems, queue.status);
    for (const [name, priority, period, cycles, sends] of [
      ['FAST', 2, 100, 400_000, true],
      ['SLOW', 3, 200, 800_000, false],
    ]) {
      const task = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      must(rtems, task.status);
      must(rtems, yield* rtems.taskStart(task.id, periodic(name, period, cycles, queue.id, sends), 0));
    }
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};

/** An ISR on line 5 releasing a semaphore; a task computes for each interrupt. */
export const interruptDriven = {
  name: 'irq',
  description: 'an ISR on line 5 defers every interrupt to a computing task, forever',
  configuration: { maximumTasks: 2, maximumSemaphores: 1, microsecondsPerTick: 1000 },
  *init(rtems) {
    const semaphore = rtems.semaphoreCreate('IRQS', 0, RTEMS_COUNTING_SEMAPHORE | RTEMS_FIFO);
    must(rtems, semaphore.status);
    must(
      rtems,
      rtems.interruptHandlerInstall(5, function* (isr) {
        yield* isr.semaphoreRelease(semaphore.id);
      }),
    );
    const task = rtems.taskCreate('WORK', 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
    must(rtems, task.status);
    must(
      rtems,
      yield* rtems.taskStart(
        task.id,
        function* (inner) {
          for (;;) {
            must(inner, yield* inner.semaphoreObtain(semaphore.id, RTEMS_WAIT, RTEMS_NO_TIMEOUT));
            yield inner.compute(30_000);
          }
        },
        0,
      ),
    );
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};


/** A partition that is never idle: one task computing for ever (the scale goals' load: every partition keeps the processor busy in its windows, with its 1 ms tick). */
export const spin = {
  name: 'spin',
  description: 'one task computing for ever, with a 1 ms clock tick',
  configuration: { maximumTasks: 1, microsecondsPerTick: 1000 },
  *init(rtems) {
    for (;;) yield rtems.compute(100_000);
  },
};

/**
 * A partition idle in its windows with its clock ticking: one task suspended for ever, a
 * `microsecondsPerTick` tick (1 ms: every kernel tick is an upcall into an idle guest, steady
 * runs of which the fast-forward accounts for at once - docs/execution-model.md; 10 ms: nine
 * ticks in ten are idle kernel ticks, skipped).
 */
export function sleeper(microsecondsPerTick) {
  return {
    name: 'sleeper',
    description: `one task suspended for ever, a ${microsecondsPerTick / 1000} ms clock tick`,
    configuration: { maximumTasks: 1, microsecondsPerTick },
    *init(rtems) {
      yield* rtems.taskSuspend(RTEMS_SELF);
    },
  };
}
