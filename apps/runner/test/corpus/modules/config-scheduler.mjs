// corpus: a scheduler confdefs has no uniprocessor CONFIGURE_SCHEDULER_* for (rate monotonic as a scheduler), and a negative CBS server count
// expect: 2 error: /configuration\.scheduler: /
export default {
  name: 'config-scheduler',
  description: 'a scheduler that does not exist',
  configuration: { scheduler: 'rms', cbsMaximumServers: -1 },
  *init() {},
};
