// corpus: printf with field widths and precisions far past the console's limit, in the format and through '*'
// expect: 0
// Each call fails as a whole (returns -1, writes nothing: C's negative result, POSIX EOVERFLOW)
// instead of building a gigabyte of padding; the guest goes on and prints what it got back.
export default {
  name: 'printf-huge-width',
  description: 'printf with huge widths and precisions',
  *init(rtems) {
    const results = [
      rtems.printf('%01000000000d\n', 5),
      rtems.printf('%*d\n', 2147483647, 5),
      rtems.printf('%*d\n', -2147483648, 5),
      rtems.printf('%.*d\n', 2147483647, 5),
      rtems.printk('%99999999999999999999999999999s\n', 'x'),
      rtems.printf('%.999999999999u\n', 1),
      rtems.printf('%65537c', 65),
    ];
    yield rtems.compute(1000);
    rtems.printf('results %d %d %d %d %d %d %d\n', ...results);
    rtems.printf('still printing: %5d|%-5s|\n', 42, 'ok');
  },
};
