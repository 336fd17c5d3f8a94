// corpus: the Init task throws a Symbol (which String() converts but a template literal does not)
// expect: 0
// GUEST_EXCEPTION "thrown Symbol(boom)".
export default {
  name: 'throw-symbol',
  description: 'throws a Symbol',
  *init(rtems) {
    yield rtems.compute(1000);
    throw Symbol('boom');
  },
};
