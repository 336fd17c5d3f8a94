// corpus: a raw partition program whose boot throws a 50 MB string
// expect: 0
// An HM event of the guest partition whose detail is one bounded line, never a host exception.
export default {
  kind: 'raw',
  name: 'raw-boot-throws',
  description: 'throws a huge string from its boot',
  create() {
    return {
      boot() {
        throw 'b'.repeat(50_000_000);
      },
      next: () => 1,
      preempted() {},
    };
  },
};
