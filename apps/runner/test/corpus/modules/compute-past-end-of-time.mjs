// corpus: a compute step of 1e15 cycles, which would end past 2^53 ns (the end of representable virtual time)
// expect: 0
// In a partition: an HM event for the guest (POK ILLEGAL_REQUEST, default action IDLE);
// on bare metal: the fatal error INTERNAL_ERROR_CORE 0x104 (END_OF_TIME), exit 1.
export default {
  name: 'compute-past-end-of-time',
  description: 'yields a compute step of 1e15 cycles',
  *init(rtems) {
    rtems.printf('computing for a very long time\n');
    yield rtems.compute(1e15);
    rtems.printf('never printed\n');
  },
};
