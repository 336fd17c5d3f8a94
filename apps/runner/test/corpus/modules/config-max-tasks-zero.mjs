// corpus: a module whose configuration asks for no tasks at all (confdefs refuses to build it: there is no Init task)
// expect: 2 error: /configuration\.maximumTasks: must be a whole number from 1 to 65535, got 0$/
// cpukit's validateConfiguration: the runner refuses the module before check or run; the
// executive itself would refuse it with the fatal error INVALID_CONFIGURATION.
export default {
  name: 'config-max-tasks-zero',
  description: 'maximumTasks: 0',
  configuration: { maximumTasks: 0 },
  *init(rtems) {
    rtems.printf('never runs\n');
    yield rtems.compute(1);
  },
};
