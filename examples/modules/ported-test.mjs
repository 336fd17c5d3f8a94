// sum.c ported to a user module (docs/guest-interfaces.md, "Porting an RTEMS C test
// program"): Init sends three numbers to task SUM through a message queue, one every
// 100 ms; SUM adds them up and tells Init when it has all three.
//   paravirt run --kernel none --arch sparc --duration 1s --app examples/modules/ported-test.mjs
import {
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_EVENT_0,
  RTEMS_EVENT_ALL,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_WAIT,
  RtemsStatus,
  rtemsStatusText,
} from '@paravirt/cpukit';

const COUNT = 3;

function check(rtems, sc, what) {
  if (sc !== RtemsStatus.SUCCESSFUL) {
    rtems.printf('%s: %s\n', what, rtemsStatusText(sc));
    rtems.exit(1);
  }
}

// A uint32_t as the bytes of a message (C sends &value, sizeof(value)), and back.
const toBytes = (value) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
};
const fromBytes = (bytes) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);

// The C file's static variables live in `statics`, made by each run of Init: a module's
// own variables would be shared by every partition running it.
function sumTask(statics) {
  return function* (rtems, count) {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const { status, message } = yield* rtems.messageQueueReceive(statics.queue, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      check(rtems, status, 'receive');
      const value = fromBytes(message);
      sum = (sum + value) >>> 0;
      rtems.printf('SUM: received %u, sum %u\n', value, sum);
    }
    check(rtems, yield* rtems.eventSend(statics.initId, RTEMS_EVENT_0), 'event send');
    yield* rtems.taskExit();
  };
}

export default {
  name: 'ported',
  description: 'sum.c ported: Init sends three numbers to SUM through a message queue',
  // The CONFIGURE_* defines (the message buffers come from the workspace).
  configuration: { maximumTasks: 2, maximumMessageQueues: 1 },
  *init(rtems) {
    rtems.printf('*** BEGIN OF TEST PORTED ***\n');
    const statics = { queue: 0, initId: rtems.taskSelf() };
    const queue = rtems.messageQueueCreate(rtems.buildName('Q', 'U', 'E', '1'), COUNT, 4, RTEMS_DEFAULT_ATTRIBUTES);
    check(rtems, queue.status, 'queue create');
    statics.queue = queue.id;
    const task = rtems.taskCreate(rtems.buildName('S', 'U', 'M', ' '), 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
    check(rtems, task.status, 'task create');
    check(rtems, yield* rtems.taskStart(task.id, sumTask(statics), COUNT), 'task start');
    for (let value = 10; value <= 10 * COUNT; value += 10) {
      rtems.printf('Init: sends %u\n', value);
      check(rtems, yield* rtems.messageQueueSend(statics.queue, toBytes(value)), 'send');
      check(rtems, yield* rtems.taskWakeAfter((100 * rtems.clockGetTicksPerSecond()) / 1000), 'wake after');
    }
    const { status, eventOut } = yield* rtems.eventReceive(RTEMS_EVENT_0, RTEMS_WAIT | RTEMS_EVENT_ALL, RTEMS_NO_TIMEOUT);
    check(rtems, status, 'event receive');
    rtems.printf('Init: SUM is done (events 0x%08x)\n', eventOut);
    rtems.printf('*** END OF TEST PORTED ***\n');
    rtems.exit(0);
  },
};
