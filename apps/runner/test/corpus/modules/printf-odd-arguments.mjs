// corpus: printf with arguments no C printf would get: objects, Proxies whose traps throw, symbols, a format that is not a string
// expect: 0
// The formatter never runs guest code: %s of an object prints "(?)", a format that is not a string fails (-1).
const trap = () => {
  throw new Error('trap');
};
export default {
  name: 'printf-odd-arguments',
  description: 'printf with odd arguments',
  *init(rtems) {
    const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap });
    const results = [
      rtems.printf('%s %d %c %x|\n', proxy, proxy, proxy, proxy),
      rtems.printf('%s %s\n', Symbol('s'), { toString: trap }),
      rtems.printf(proxy),
      rtems.printf(12345),
      rtems.printf('%s\n', 10n ** 100000n),
    ];
    yield rtems.compute(1000);
    rtems.printf('results %d %d %d %d %d\n', ...results);
  },
};
