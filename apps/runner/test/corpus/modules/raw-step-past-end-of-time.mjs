// corpus: a raw partition program whose steps are Infinity, 1e300 and 2^53 cycles long
// expect: 0
// A step past the end of virtual time is an HM event of the partition (POK ILLEGAL_REQUEST).
export default {
  kind: 'raw',
  name: 'raw-step-past-end-of-time',
  description: 'returns steps no clock can run',
  create() {
    const steps = [10, Infinity, 1e300, 2 ** 53];
    return { boot() {}, next: () => steps.shift() ?? 1000, preempted() {} };
  },
};
