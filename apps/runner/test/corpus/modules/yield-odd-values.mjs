// corpus: tasks yield things that are not cycle counts: a Proxy, a Symbol, NaN, a negative number
// expect: 0
// The executive's fatal error INVALID_YIELD (INTERNAL_ERROR_CORE 257), with the value described safely.
const trap = () => {
  throw new Error('trap');
};
export default {
  name: 'yield-odd-values',
  description: 'yields a Proxy',
  *init() {
    yield 1000;
    yield new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap });
  },
};
