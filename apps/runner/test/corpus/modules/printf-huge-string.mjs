// corpus: printf of a 200 MB string argument, and a 200 MB format
// expect: 0
// The output would pass the 65536-byte limit of one call: the call fails (-1) without
// encoding the string; a precision still prints its prefix.
export default {
  name: 'printf-huge-string',
  description: 'printf of a 200 MB string',
  *init(rtems) {
    const huge = 'x'.repeat(200_000_000);
    const results = [rtems.printf('%s', huge), rtems.printf(huge), rtems.printf('%.10s|\n', huge), rtems.printk('%s%s', huge, huge)];
    yield rtems.compute(1000);
    rtems.printf('results %d %d %d %d\n', ...results);
  },
};
