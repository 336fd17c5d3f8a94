// corpus: ARINC 653 services with 100 MB names and messages
// expect: 0
// APEX answers INVALID_CONFIG (port name longer than 30 bytes) and INVALID_PARAM (error
// message longer than 128 bytes) without encoding the strings.
export default {
  name: 'apex-huge-strings',
  description: 'APEX calls with huge strings',
  *init(rtems) {
    const huge = 'p'.repeat(100_000_000);
    const port = rtems.apex.createSamplingPort(huge, 64, 1, 1_000_000).returnCode;
    const queuing = rtems.apex.createQueuingPort(huge, 64, 4, 1, 0).returnCode;
    const error = rtems.apex.raiseApplicationError(huge);
    yield rtems.compute(1000);
    rtems.printf('apex %d %d %d\n', port, queuing, error);
  },
};
