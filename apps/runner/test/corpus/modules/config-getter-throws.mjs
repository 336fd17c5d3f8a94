// corpus: an application whose configuration getter throws
// expect: 2 error: /configuration: cannot be read \(its getter threw\)/
export default {
  name: 'config-getter-throws',
  description: 'configuration getter throws',
  get configuration() {
    throw new Error('no configuration for you');
  },
  *init() {},
};
