// corpus: a guest that creates objects until its tables are full, with names of every size, and creates and deletes tasks in a loop
// expect: 0
// Tables are as large as the configuration says (at most 65535): then RTEMS_TOO_MANY (5).
// A name longer than four characters is RTEMS_INVALID_NAME (3) without being looked at further.
export default {
  name: 'objects-exhausted',
  description: 'exhausts object tables',
  configuration: { maximumTasks: 3, maximumTimers: 65535, maximumSemaphores: 1000, maximumPeriods: 2 },
  *init(rtems) {
    const huge = 'N'.repeat(100_000_000);
    const names = [huge, '', 'ABCDE', 0, -1, 2 ** 32, Symbol('s'), {}].map((name) => rtems.timerCreate(name).status);
    let timers = 0;
    while (rtems.timerCreate('T').status === 0) timers++;
    let semaphores = 0;
    while (rtems.semaphoreCreate('S', 1, 0).status === 0) semaphores++;
    yield rtems.compute(1000);
    const last = rtems.semaphoreCreate('S', 1, 0).status;
    let cycles = 0;
    for (let i = 0; i < 2000; i++) {
      const { status, id } = rtems.taskCreate('TSK', 5, 4096, 0, 0);
      if (status !== 0) break;
      yield* rtems.taskDelete(id);
      cycles++;
    }
    rtems.printf('names %s timers %d semaphores %d then %d tasks %d\n', names.join(' '), timers, semaphores, last, cycles);
  },
};
