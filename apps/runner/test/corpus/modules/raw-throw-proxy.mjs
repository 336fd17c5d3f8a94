// corpus: a raw partition program whose step throws a Proxy with throwing traps (instanceof, message, toString all fail)
// expect: 0
// The kernel catches anything its guest code throws: one HM event for the guest
// ("guest code threw: thrown an object that is not an Error"), default action IDLE.
const trap = () => {
  throw new Error('trap');
};
export default {
  kind: 'raw',
  name: 'raw-throw-proxy',
  description: 'throws a Proxy from its third step',
  create() {
    let steps = 0;
    return {
      boot() {},
      next() {
        if (++steps === 3) throw new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
        return 1000;
      },
      preempted() {},
    };
  },
};
