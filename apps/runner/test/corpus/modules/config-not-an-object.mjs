// corpus: a configuration that is a string, not an object of confdefs options
// expect: 2 error: /configuration: must be an object of confdefs options, got "fast"/
export default {
  name: 'config-not-an-object',
  description: 'configuration is a string',
  configuration: 'fast',
  *init() {},
};
