// corpus: a configuration with a misspelt option (maximumTask) and one that does not exist
// expect: 2 error: /configuration\.maximumTask: unknown option \(options: maximumTasks, /
export default {
  name: 'config-unknown-option',
  description: 'unknown configuration options',
  configuration: { maximumTask: 4, stackChecker: true },
  *init() {},
};
