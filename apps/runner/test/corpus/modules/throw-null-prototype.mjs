// corpus: the Init task throws Object.create(null) (no toString, no prototype)
// expect: 0
// The executive's fatal error GUEST_EXCEPTION (INTERNAL_ERROR_CORE 256); in a partition the
// BSP reports it to the health monitor and the partition stops.
export default {
  name: 'throw-null-prototype',
  description: 'throws an object without a prototype',
  *init(rtems) {
    rtems.printf('about to throw\n');
    yield rtems.compute(1000);
    throw Object.create(null);
  },
};
