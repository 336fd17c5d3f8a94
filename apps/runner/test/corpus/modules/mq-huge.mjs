// corpus: message queues of 1e9 messages of 1e6 bytes, of 65536 one-byte messages, of SIZE_MAX - 2 bytes
// expect: 0
// Nothing is allocated: the first overflows a 32-bit size_t in the count (RTEMS_INVALID_NUMBER,
// 10), the third in the message size (RTEMS_INVALID_SIZE, 8: RTEMS 6
// _CORE_message_queue_Initialize, testsuite sp77), the last has no uint32_t count at all
// (RTEMS_INVALID_NUMBER), the second does not fit the partition's workspace (RTEMS_UNSATISFIED, 13). A queue that fits works; sending a message longer than
// its size is RTEMS_INVALID_SIZE (8).
export default {
  name: 'mq-huge',
  description: 'message queues too big for the workspace',
  configuration: { maximumMessageQueues: 4 },
  *init(rtems) {
    const create = (count, size) => rtems.messageQueueCreate('Q', count, size, 0);
    const statuses = [create(1e9, 1e6).status, create(65536, 1).status, create(2, 0xfffffffd).status, create(1e300, 1).status];
    const { status, id } = create(100, 1000);
    statuses.push(status, yield* rtems.messageQueueSend(id, new Uint8Array(50_000_000)), yield* rtems.messageQueueSend(id, new Uint8Array(1000)));
    rtems.printf('statuses %s\n', statuses.join(' '));
  },
};
