// corpus: a configuration that is a Proxy whose traps throw
// expect: 2 error: /configuration: cannot be read \(listing its options threw\)/
const trap = () => {
  throw new Error('trap');
};
export default {
  name: 'config-proxy',
  description: 'configuration is a throwing Proxy',
  configuration: new Proxy({}, { get: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap }),
  *init() {},
};
