// corpus: every directive that takes a time with out-of-range values: wake after, timeouts, timers after and when, periods, clock set
// expect: 0
// Intervals are rtems_interval (uint32_t ticks): a JS number is converted as C converts it
// (1e300 and 2^32 wrap to 0). Dates outside 1988..2099 are RTEMS_INVALID_CLOCK. Nothing
// overflows time; the guest prints every status and finishes normally.
export default {
  name: 'huge-intervals',
  description: 'directives with huge times',
  configuration: { maximumTimers: 2, maximumPeriods: 1, maximumSemaphores: 1, maximumMessageQueues: 1 },
  *init(rtems) {
    const out = [];
    const { id: timer } = rtems.timerCreate('TMR');
    for (const ticks of [1e300, 2 ** 32, 2 ** 53, -1, Number.NaN, Infinity, 0xffffffff]) out.push(rtems.timerFireAfter(timer, ticks, () => {}));
    const tod = (year, extra = {}) => ({ year, month: 1, day: 1, hour: 0, minute: 0, second: 0, ticks: 0, ...extra });
    for (const bad of [tod(1e300), tod(2100), tod(1987), tod(2099, { ticks: 1e12 }), tod(2099, { second: Infinity })]) out.push(yield* rtems.clockSet(bad));
    out.push(yield* rtems.clockSet(tod(2099, { month: 12, day: 31, hour: 23, minute: 59, second: 59 })));
    out.push(rtems.timerFireWhen(timer, tod(1e300), () => {}));
    out.push(rtems.timerFireWhen(timer, tod(2099, { month: 12, day: 31, hour: 23, minute: 59, second: 59 }), () => {}));
    out.push(yield* rtems.taskWakeWhen(tod(2099, { year: 3000 })));
    const { id: period } = rtems.rateMonotonicCreate('PER');
    out.push(yield* rtems.rateMonotonicPeriod(period, 1e300));
    out.push(yield* rtems.rateMonotonicPeriod(period, 0xffffffff));
    const { id: sem } = rtems.semaphoreCreate('SEM', 0, 0); // counting, count 0
    out.push(yield* rtems.semaphoreObtain(sem, 0, 2 ** 32 + 3));
    const { id: queue } = rtems.messageQueueCreate('Q', 1, 4, 0);
    out.push((yield* rtems.messageQueueReceive(queue, 0, 2 ** 32 + 1)).status);
    out.push(yield* rtems.taskWakeAfter(2 ** 32 + 2));
    const now = rtems.clockGetTod();
    rtems.printf('statuses %s\n', out.join(' '));
    rtems.printf('time of day %d-%d-%d %d:%d:%d\n', now.tod.year, now.tod.month, now.tod.day, now.tod.hour, now.tod.minute, now.tod.second);
  },
};
