// corpus: a raw partition program whose creation (the program loader) throws a Symbol
// expect: 0
// An HM event of the guest partition ("guest code threw: thrown Symbol(no program)"), never a host exception.
export default {
  kind: 'raw',
  name: 'raw-create-throws',
  description: 'throws a Symbol when it is created',
  create() {
    throw Symbol('no program');
  },
};
