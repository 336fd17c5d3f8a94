// corpus: processor sets and CBS parameters no C program could pass: sizes of 2^40, NaN and -4, Proxies whose traps throw as sets and as parameters, a set of the wrong type, an overrun callback that is not a function
// expect: 0
// The affinity directives answer a status (a Proxy is not a CpuSet: C's NULL, no trap runs); CBS parameters are read as taskConstruct reads its
// configuration, so a Proxy's trap throws into the guest's own code, which catches it here. Nothing reaches the host.
const trap = () => {
  throw new Error('trap');
};
export default {
  name: 'affinity-cbs-odd-arguments',
  description: 'odd affinity and CBS arguments',
  *init(rtems) {
    const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap });
    const attempts = [
      () => rtems.taskGetAffinity(0, 2 ** 40).status,
      () => rtems.taskGetAffinity(0, Number.NaN).status,
      () => rtems.taskGetAffinity(0, -4).status,
      () => rtems.taskSetAffinity(0, 4, proxy),
      () => rtems.taskSetAffinity(0, 2 ** 40, { words: [1] }),
      () => rtems.schedulerIdentByProcessorSet(4, proxy).status,
      () => rtems.schedulerGetProcessorSet(proxy, 4).status,
      () => rtems.interruptGetAffinity(2 ** 53, 4).status,
      () => rtems.interruptSetAffinity(-1, 4, proxy),
      () => rtems.cbsInitialize(),
      () => rtems.cbsCreateServer(proxy, proxy).status,
      () => rtems.cbsCreateServer({ deadline: 2 ** 60, budget: Number.NaN }, 'not a function').status,
    ];
    for (const attempt of attempts) {
      let outcome;
      try {
        outcome = attempt();
      } catch (error) {
        outcome = `threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : typeof error}`;
      }
      rtems.printf('%s\n', String(outcome));
    }
    yield rtems.compute(1000);
  },
};
