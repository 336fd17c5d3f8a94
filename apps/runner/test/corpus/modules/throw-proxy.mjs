// corpus: a task throws a Proxy whose every trap throws (instanceof, property reads, keys)
// expect: 0
// Describing the thrown value never throws: GUEST_EXCEPTION "thrown an object that is not an Error".
const trap = () => {
  throw new Error('trap');
};
export default {
  name: 'throw-proxy',
  description: 'throws a Proxy with throwing traps',
  configuration: { maximumTasks: 2 },
  *init(rtems) {
    const { id } = rtems.taskCreate('TSK', 1, 4096, 0, 0);
    yield* rtems.taskStart(id, function* () {
      yield rtems.compute(1000);
      throw new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap, apply: trap });
    }, 0);
    yield* rtems.taskWakeAfter(100);
  },
};
