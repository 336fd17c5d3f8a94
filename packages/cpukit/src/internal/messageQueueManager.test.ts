import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES, RTEMS_FIFO, RTEMS_GLOBAL, RTEMS_PRIORITY } from '../attributes.js';
import { type MessageQueueConfig, messageQueueBufferSize } from '../directiveConfig.js';
import { InternalError } from '../fatalSource.js';
import { RTEMS_DEFAULT_MODES } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_NO_TIMEOUT, RTEMS_NO_WAIT, RTEMS_SELF, RTEMS_WAIT } from '../options.js';
import type { Rtems, TaskEntry } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { exiting, harness } from './testHarness.js';

function* spawn(rtems: Rtems, name: string, priority: number, body: TaskEntry): Generator<number, number, unknown> {
  const { id } = rtems.taskCreate(name, priority, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
  yield* rtems.taskStart(id, exiting(body), 0);
  return id;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (message: Uint8Array | undefined): string => (message === undefined ? '-' : new TextDecoder().decode(message));

describe('Message Queue Manager (C User\'s Guide, Message Queue Manager)', () => {
  it('checks creation arguments in RTEMS 6 order and hands out ids of class 4 (0x22010001) up to the maximum', () => {
    const h = harness(
      function* (rtems, h) {
        const attempt = (name: string, count: number, size: number, attributes = RTEMS_DEFAULT_ATTRIBUTES): string => {
          const { status, id } = rtems.messageQueueCreate(name, count, size, attributes);
          return status === RtemsStatus.SUCCESSFUL ? `0x${id.toString(16)}` : String(status);
        };
        // _Message_queue_Create (msgqconstruct.c): INVALID_NAME, INVALID_NUMBER (0),
        // INVALID_SIZE (0), TOO_MANY, then the buffer area: INVALID_SIZE when a message and its
        // control block overflow a size_t (SIZE_MAX - 2: testsuite sp77), INVALID_NUMBER when the
        // count does (65536 x 65552 bytes), UNSATISFIED when the workspace cannot hold it. A
        // queue refused after taking its object frees it to the end of the free list.
        h.note(
          [
            attempt('', 1, 1),
            attempt('GLOB', 1, 1, RTEMS_GLOBAL),
            attempt('Q', 0, 8),
            attempt('Q', 4, 0),
            attempt('Q', 2, 0xffff_fffd),
            attempt('Q', 0x10000, 0x10000),
            attempt('Q', 0x1000, 0x1000),
            attempt('Q1', 4, 8),
            attempt('Q2', 4, 8),
            attempt('Q3', 2, 0xffff_fffd),
          ].join(' '),
        );
        h.note(`ident 0x${rtems.messageQueueIdent('Q1').id.toString(16)} missing ${rtems.messageQueueIdent('Q9').status}`);
      },
      { configuration: { maximumMessageQueues: 3 } },
    );
    h.run(1_000_000);
    expect(h.log).toEqual(['0 3 0x22010001 10 8 8 10 13 0x22010003 0x22010002 5', '0 ident 0x22010003 missing 3']);
  });

  it('construct (RTEMS 6 msgqconstruct.c): INVALID_ADDRESS, then as create, UNSATISFIED for a missing or wrongly sized storage area; no workspace is used', () => {
    const h = harness(
      function* (rtems, h) {
        const size = 4 * messageQueueBufferSize(8);
        const config = (overrides: Partial<MessageQueueConfig> = {}): MessageQueueConfig => ({
          name: 'MQC',
          maximumPendingMessages: 4,
          maximumMessageSize: 8,
          storageArea: new Uint8Array(size),
          storageSize: size,
          ...overrides,
        });
        const attempt = (c: unknown): string => {
          const { status, id } = rtems.messageQueueConstruct(c as MessageQueueConfig);
          return status === RtemsStatus.SUCCESSFUL ? `0x${id.toString(16)}` : String(status);
        };
        h.note(
          [
            attempt(undefined),
            attempt(config({ name: 0 })),
            attempt(config({ maximumPendingMessages: 0 })),
            attempt(config({ maximumMessageSize: 0 })),
            attempt(config({ maximumMessageSize: 0xffff_ffff })),
            attempt(config({ maximumPendingMessages: 0xffff_ffff })),
            attempt(config({ storageArea: undefined })),
            attempt(config({ storageSize: size + 4 })),
            attempt(config({ storageArea: new Uint8Array(size - 1) })),
            attempt(config({ attributes: RTEMS_GLOBAL })),
            attempt(config({ name: 'MQ2' })),
            // The table is full: TOO_MANY before the storage area is looked at.
            attempt(config({ name: 'FULL', storageArea: undefined })),
          ].join(' '),
        );
        yield* rtems.messageQueueDelete(rtems.messageQueueIdent('MQ2').id);
        // A constructed queue takes nothing from the workspace: one filling the whole 1 MiB
        // workspace is still created next to it.
        const big = rtems.messageQueueConstruct({ name: 'BIG', maximumPendingMessages: 4096, maximumMessageSize: 240, storageArea: new Uint8Array(1 << 20), storageSize: 1 << 20 });
        yield* rtems.messageQueueDelete(big.id);
        h.note(`messageQueueBufferSize(8)=${messageQueueBufferSize(8)} big=${big.status} create=${rtems.messageQueueCreate('WS', 4096, 240, RTEMS_DEFAULT_ATTRIBUTES).status}`);
      },
      { configuration: { maximumMessageQueues: 2 } },
    );
    h.run(1_000_000);
    // The five refusals after the object was taken (8 10 13 13 13) rotate the free list [1, 2]
    // five times: 2 is handed out first.
    expect(h.log).toEqual(['0 9 3 10 8 8 10 13 13 13 0x22010002 0x22010001 5', '0 messageQueueBufferSize(8)=24 big=0 create=0']);
  });

  it('a constructed queue sends and receives like a created one, and its storage_free handler gets the area at delete', () => {
    const h = harness(function* (rtems, h) {
      const area = new Uint8Array(2 * messageQueueBufferSize(16));
      const freed: Uint8Array[] = [];
      const { id } = rtems.messageQueueConstruct({
        name: 'MQC',
        maximumPendingMessages: 2,
        maximumMessageSize: 16,
        storageArea: area,
        storageSize: area.length,
        storageFree: (storage) => freed.push(storage),
        attributes: RTEMS_PRIORITY,
      });
      yield* spawn(rtems, 'RCV', 5, function* (rtems) {
        const { status, message } = yield* rtems.messageQueueReceive(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`RCV ${status} ${text(message)}`);
      });
      yield* rtems.taskWakeAfter(1);
      yield* rtems.messageQueueSend(id, bytes('hello'));
      yield* rtems.messageQueueSend(id, bytes('one'));
      yield* rtems.messageQueueSend(id, bytes('two'));
      h.note(`full ${yield* rtems.messageQueueSend(id, bytes('three'))} pending ${rtems.messageQueueGetNumberPending(id).count}`);
      yield* rtems.taskWakeAfter(1);
      h.note(`delete ${yield* rtems.messageQueueDelete(id)} freed ${freed.length === 1 && freed[0] === area}`);
    });
    h.run(3_000_000);
    // Init (not preemptible) goes on after 'hello' went straight to RCV; RCV runs when Init sleeps.
    expect(h.log).toEqual([`1000000 full ${RtemsStatus.TOO_MANY} pending 2`, '1000000 RCV 0 hello', '2000000 delete 0 freed true']);
  });

  it('copies messages in and out, keeps FIFO order, puts urgent messages first, and refuses too big (INVALID_SIZE) or too many (TOO_MANY)', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.messageQueueCreate('Q', 3, 8, RTEMS_FIFO);
      const buffer = bytes('first');
      const sent = yield* rtems.messageQueueSend(id, buffer);
      buffer.set(bytes('XXXXX')); // the queue holds a copy
      yield* rtems.messageQueueSend(id, bytes('second'));
      yield* rtems.messageQueueUrgent(id, bytes('urgent'));
      const full = yield* rtems.messageQueueSend(id, bytes('fourth'));
      const big = yield* rtems.messageQueueSend(id, bytes('123456789'));
      const notBytes = yield* rtems.messageQueueSend(id, 'text' as never);
      const pending = rtems.messageQueueGetNumberPending(id).count;
      h.note(`sent ${sent} full ${full} big ${big} not bytes ${notBytes} pending ${pending}`);
      const received: string[] = [];
      for (let i = 0; i < 4; i++) {
        const { status, message } = yield* rtems.messageQueueReceive(id, RTEMS_NO_WAIT, 0);
        received.push(`${status}:${text(message)}`);
      }
      h.note(received.join(' '));
      yield* rtems.messageQueueSend(id, bytes('a'));
      yield* rtems.messageQueueSend(id, bytes('b'));
      const flushed = rtems.messageQueueFlush(id);
      h.note(`flushed ${flushed.count} pending ${rtems.messageQueueGetNumberPending(id).count} bad ${rtems.messageQueueGetNumberPending(0x22010009).status}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 sent 0 full 5 big 8 not bytes 9 pending 3', '0 0:urgent 0:first 0:second 13:-', '0 flushed 2 pending 0 bad 4']);
  });

  it('delivers straight to a waiting receiver (which preempts a preemptible sender) and times out a receive', () => {
    const h = harness(
      function* (rtems, h) {
        const { id } = rtems.messageQueueCreate('Q', 2, 16, RTEMS_FIFO);
        yield* spawn(rtems, 'RCV', 5, function* (rtems) {
          const timed = yield* rtems.messageQueueReceive(id, RTEMS_WAIT, 2);
          h.note(`timed ${timed.status}`);
          const { status, message } = yield* rtems.messageQueueReceive(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`RCV ${status} ${text(message)}`);
        });
        yield* rtems.taskWakeAfter(3);
        h.note(`send ${yield* rtems.messageQueueSend(id, bytes('hello'))} pending ${rtems.messageQueueGetNumberPending(id).count}`);
      },
      { configuration: { initTaskPriority: 10, initTaskInitialModes: 0 } },
    );
    h.run(5_000_000);
    expect(h.log).toEqual(['2000000 timed 6', '3000000 RCV 0 hello', '3000000 send 0 pending 0']);
  });

  it('broadcast gives every waiting receiver a copy and returns how many were readied; receivers wait in priority order with RTEMS_PRIORITY', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.messageQueueCreate('Q', 1, 16, RTEMS_PRIORITY);
      for (const [name, priority] of [
        ['R7', 7],
        ['R5', 5],
        ['R6', 6],
      ] as const) {
        yield* spawn(rtems, name, priority, function* (rtems) {
          yield* rtems.taskWakeAfter(priority === 5 ? 1 : 0);
          const { status, message } = yield* rtems.messageQueueReceive(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
          h.note(`${name} ${status} ${text(message)}`);
        });
      }
      yield* rtems.taskWakeAfter(2);
      const first = yield* rtems.messageQueueSend(id, bytes('one'));
      const { status, count } = yield* rtems.messageQueueBroadcast(id, bytes('all'));
      const none = yield* rtems.messageQueueBroadcast(id, bytes('nobody'));
      h.note(`send ${first} broadcast ${status} count ${count} then ${none.count} pending ${rtems.messageQueueGetNumberPending(id).count}`);
      yield* rtems.taskDelete(RTEMS_SELF);
    });
    h.run(5_000_000);
    // R5 queued last but is served first (priority discipline); the broadcast readies the other two.
    expect(h.log).toEqual(['2000000 send 0 broadcast 0 count 2 then 0 pending 0', '2000000 R5 0 one', '2000000 R6 0 all', '2000000 R7 0 all']);
  });

  it('delete answers waiting receivers RTEMS_OBJECT_WAS_DELETED; a blocking receive in interrupt context is fatal', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.messageQueueCreate('Q', 1, 4, RTEMS_FIFO);
      yield* spawn(rtems, 'RCV', 5, function* (rtems) {
        const { status } = yield* rtems.messageQueueReceive(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        h.note(`RCV ${status}`);
      });
      yield* rtems.taskWakeAfter(1);
      h.note(`delete ${yield* rtems.messageQueueDelete(id)} again ${yield* rtems.messageQueueDelete(id)}`);
      const other = rtems.messageQueueCreate('Q2', 1, 4, RTEMS_FIFO).id;
      const timer = rtems.timerCreate('TMR').id;
      rtems.timerFireAfter(timer, 1, function* (rtems) {
        yield* rtems.messageQueueReceive(other, RTEMS_WAIT, 0);
      });
      yield* rtems.taskWakeAfter(5);
    });
    h.run(5_000_000);
    expect(h.log).toEqual(['1000000 delete 0 again 4', '1000000 RCV 7']);
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.THREAD_QUEUE_ENQUEUE_FROM_BAD_STATE });
  });
});
