// corpus: the Init task throws a 100 MB string with newlines
// expect: 0
// GUEST_EXCEPTION with the first 200 characters on one line: no 100 MB message, trace or HM detail.
export default {
  name: 'throw-huge-string',
  description: 'throws a 100 MB string',
  *init(rtems) {
    yield rtems.compute(1000);
    throw 'line\n'.repeat(20_000_000);
  },
};
