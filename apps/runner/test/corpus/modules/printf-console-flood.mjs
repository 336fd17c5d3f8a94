// corpus: a guest that writes 64 KiB per printf for as long as it runs, plus one call of 64 KiB + 1
// expect: 0
// Every call is bounded (65536 bytes) and the partition's console keeps 1 MiB, counting the rest.
export default {
  name: 'printf-console-flood',
  description: 'floods its console',
  *init(rtems) {
    const block = 'y'.repeat(65535);
    rtems.printf('too long: %d\n', rtems.printf('%s%s', block, 'zz'));
    for (let i = 0; i < 400; i++) {
      rtems.printf('%s\n', block);
      yield rtems.compute(10_000);
    }
  },
};
