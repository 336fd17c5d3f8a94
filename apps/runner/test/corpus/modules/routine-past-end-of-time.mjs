// corpus: a timer service routine that yields 2^53 - 1 cycles of interrupt-context work
// expect: 0
// The charged work would run past the end of virtual time: an HM event for the guest
// (bare metal: the fatal error END_OF_TIME).
export default {
  name: 'routine-past-end-of-time',
  description: 'a timer routine yields 2^53 - 1 cycles',
  configuration: { maximumTimers: 1 },
  *init(rtems) {
    const { id } = rtems.timerCreate('TMR');
    rtems.timerFireAfter(id, 2, function* () {
      yield Number.MAX_SAFE_INTEGER;
    });
    yield* rtems.taskWakeAfter(10);
    rtems.printf('never printed\n');
  },
};
