/**
 * partitions: a fixed-size buffer pool (RTEMS C User's Guide, Partition Manager) in
 * memory a device shares (Dual-Ported Memory Manager).
 *
 * The board has 256 bytes of dual-ported RAM: the processor sees them at 0x00200000, the
 * device at 0x80000000. Init creates partition POOL there, four buffers of 64 bytes, and
 * port DPRM mapping the two views, and starts CPU (priority 3, the application) and DEV
 * (priority 2, the device's driver), which talk through message queue DMAQ.
 *
 * CPU takes buffers until the pool is empty (RTEMS_UNSATISFIED: a partition never waits)
 * and hands them to the device in the order 3, 1, 4, 2. For each one DEV converts the
 * buffer's address to the device's view (rtems_port_internal_to_external) - the address it
 * would program into the device - and, when the device reports that address back,
 * converts it to the processor's (rtems_port_external_to_internal) and returns the buffer
 * to the pool. CPU then takes the four buffers again: they come back in the order they
 * were returned (the pool's free chain is first in, first out), shows what the pool and
 * the port refuse (returning an address inside a buffer that is not its start:
 * RTEMS_INVALID_ADDRESS; deleting the pool with buffers out: RTEMS_RESOURCE_IN_USE; an
 * address outside the port comes back unchanged),
 * returns them, deletes the pool and the port, prints the END banner and exits.
 *
 * The executive never reads or writes the memory: addresses are the application's. Nothing
 * waits for time, so the screen is the same in any partition schedule.
 */
import {
  type Application,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_LOCAL,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_WAIT,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
  rtemsStatusText,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'PARTITIONS';
/** The dual-ported RAM: where the processor sees it, where the device does, its length. */
const INTERNAL_BASE = 0x0020_0000;
const EXTERNAL_BASE = 0x8000_0000;
const DPRAM_LENGTH = 256;
const BUFFER_SIZE = 64;
const BUFFERS = DPRAM_LENGTH / BUFFER_SIZE;
/** The order CPU hands the buffers (by number, from 1) to the device. */
const DEVICE_ORDER = [3, 1, 4, 2] as const;
/** An address inside a buffer that is not its start: not a buffer (RTEMS_INVALID_ADDRESS). */
const INSIDE_OFFSET = 8;
/** An address of the processor's outside the dual-ported RAM. */
const OUTSIDE = 0x0030_0000;

interface Shared {
  readonly pool: number;
  readonly port: number;
  readonly queue: number;
}

function check(rtems: Rtems, status: RtemsStatus): void {
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
}

/** A buffer's address as a 4-byte message. */
function message(address: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, address);
  return bytes;
}

/** Takes buffers until the pool is empty, printing each. */
function takeAll(rtems: Rtems, shared: Shared): number[] {
  const buffers: number[] = [];
  for (;;) {
    const { status, buffer } = rtems.partitionGetBuffer(shared.pool);
    if (status !== RtemsStatus.SUCCESSFUL) {
      rtems.printf('CPU: buffer %u: %s\n', buffers.length + 1, rtemsStatusText(status));
      return buffers;
    }
    buffers.push(buffer);
    rtems.printf('CPU: buffer %u: 0x%08x\n', buffers.length, buffer);
  }
}

/** DEV: the driver, handling one buffer per message. */
function device(shared: Shared): TaskEntry {
  return function* (rtems) {
    for (;;) {
      const { status, message } = yield* rtems.messageQueueReceive(shared.queue, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      check(rtems, status);
      const buffer = new DataView(message!.buffer, message!.byteOffset, message!.byteLength).getUint32(0);
      const external = rtems.portInternalToExternal(shared.port, buffer);
      check(rtems, external.status);
      const internal = rtems.portExternalToInternal(shared.port, external.address);
      check(rtems, internal.status);
      check(rtems, rtems.partitionReturnBuffer(shared.pool, internal.address));
      rtems.printf('DEV: buffer 0x%08x = device 0x%08x; done at 0x%08x = buffer 0x%08x: returned\n', buffer, external.address, external.address, internal.address);
    }
  };
}

/** CPU: the application. */
function application(shared: Shared): TaskEntry {
  return function* (rtems) {
    const buffers = takeAll(rtems, shared);
    for (const n of DEVICE_ORDER) {
      rtems.printf('CPU: sends buffer %u to the device\n', n);
      check(rtems, yield* rtems.messageQueueSend(shared.queue, message(buffers[n - 1]!)));
    }
    rtems.printf('CPU: the pool gives the buffers back in the order they were returned\n');
    const again = takeAll(rtems, shared);
    const first = again[0]!;
    const inside = first + INSIDE_OFFSET;
    rtems.printf('CPU: return 0x%08x (inside buffer 0x%08x): %s\n', inside, first, rtemsStatusText(rtems.partitionReturnBuffer(shared.pool, inside)));
    rtems.printf('CPU: delete POOL with %u buffers out: %s\n', again.length, rtemsStatusText(rtems.partitionDelete(shared.pool)));
    for (const buffer of again) check(rtems, rtems.partitionReturnBuffer(shared.pool, buffer));
    const outside = rtems.portInternalToExternal(shared.port, OUTSIDE);
    check(rtems, outside.status);
    rtems.printf('CPU: 0x%08x is outside DPRM: the device address is 0x%08x, unchanged\n', OUTSIDE, outside.address);
    rtems.printf('CPU: all buffers returned; delete POOL: %s, delete DPRM: %s\n', rtemsStatusText(rtems.partitionDelete(shared.pool)), rtemsStatusText(rtems.portDelete(shared.port)));
    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  };
}

export const partitions: Application = {
  name: 'partitions',
  description: 'A pool of four 64-byte buffers in dual-ported RAM: taken, handed to a device (addresses converted both ways), returned, taken again in FIFO order',
  configuration: { maximumTasks: 3, maximumPartitions: 1, maximumPorts: 1, maximumMessageQueues: 1 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    const pool = rtems.partitionCreate('POOL', INTERNAL_BASE, DPRAM_LENGTH, BUFFER_SIZE, RTEMS_LOCAL);
    check(rtems, pool.status);
    const port = rtems.portCreate('DPRM', INTERNAL_BASE, EXTERNAL_BASE, DPRAM_LENGTH);
    check(rtems, port.status);
    const queue = rtems.messageQueueCreate('DMAQ', BUFFERS, 4, RTEMS_DEFAULT_ATTRIBUTES);
    check(rtems, queue.status);
    rtems.printf('POOL: %u buffers of %u bytes at 0x%08x; DPRM: 0x%08x-0x%08x is 0x%08x-0x%08x for the device\n', BUFFERS, BUFFER_SIZE, INTERNAL_BASE, INTERNAL_BASE, INTERNAL_BASE + DPRAM_LENGTH - 1, EXTERNAL_BASE, EXTERNAL_BASE + DPRAM_LENGTH - 1);
    const shared: Shared = { pool: pool.id, port: port.id, queue: queue.id };
    for (const [name, priority, entry] of [
      ['DEV', 2, device(shared)],
      ['CPU', 3, application(shared)],
    ] as const) {
      const { status, id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      check(rtems, status);
      check(rtems, yield* rtems.taskStart(id, entry, 0));
    }
    yield* rtems.taskExit();
  },
};
