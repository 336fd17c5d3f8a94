// corpus: a configuration with values of the wrong type and out of range: a string maximum, a zero tick, a priority of 256, a 70000-semaphore table
// expect: 2 error: /configuration\.maximumTimers: must be a whole number from 0 to 65535, got "8"/
export default {
  name: 'config-out-of-range',
  description: 'bad configuration values',
  configuration: { maximumTimers: '8', microsecondsPerTick: 0, initTaskPriority: 256, maximumSemaphores: 70_000, initTaskStackSize: -1 },
  *init() {},
};
