import { describe, expect, it } from 'vitest';
import { RTEMS_DEFAULT_ATTRIBUTES } from '../attributes.js';
import { RTEMS_ASR, RTEMS_ASR_MASK, RTEMS_CURRENT_MODE, RTEMS_DEFAULT_MODES, RTEMS_INTERRUPT_LEVEL, RTEMS_NO_ASR, RTEMS_NO_PREEMPT, RTEMS_PREEMPT, RTEMS_TIMESLICE } from '../modes.js';
import { RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF } from '../options.js';
import { InternalError } from '../fatalSource.js';
import type { Rtems } from '../rtems.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { RTEMS_SIGNAL_0, RTEMS_SIGNAL_1, RTEMS_SIGNAL_2, RTEMS_SIGNAL_3, RTEMS_SIGNAL_31 } from '../signalSet.js';
import { exiting, harness } from './testHarness.js';

const hex = (value: number): string => `0x${value.toString(16)}`;

describe('Signal Manager: status codes (signalcatch.c, signalsend.c; spec:/rtems/signal/req/catch, send)', () => {
  it('send: INVALID_NUMBER for an empty set (checked before the id), INVALID_ID, NOT_DEFINED without an ASR; catch is always SUCCESSFUL and NULL removes the ASR', () => {
    const h = harness(function* (rtems, h) {
      h.note(`no ASR ${yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0)}`);
      h.note(`empty set to a bad id ${yield* rtems.signalSend(0x0a010009, 0)}`);
      h.note(`2^32 is an empty set ${yield* rtems.signalSend(RTEMS_SELF, 2 ** 32)}`);
      h.note(`bad id ${yield* rtems.signalSend(0x0a010009, RTEMS_SIGNAL_0)}`);
      h.note(`catch ${rtems.signalCatch((_, signals) => void h.note(`ASR ${hex(signals)}`), RTEMS_DEFAULT_MODES)}`);
      h.note(`send ${yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0 | RTEMS_SIGNAL_31)}`);
      h.note(`catch NULL ${rtems.signalCatch(undefined, RTEMS_DEFAULT_MODES)}`);
      h.note(`after NULL ${yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_1)}`);
      h.note(`not a function is NULL ${rtems.signalCatch(42 as never, RTEMS_NO_ASR)} ${yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_1)}`);
    });
    h.run(1_000_000);
    const { INVALID_ID, INVALID_NUMBER, NOT_DEFINED, SUCCESSFUL } = RtemsStatus;
    expect(h.log).toEqual([
      `0 no ASR ${NOT_DEFINED}`,
      `0 empty set to a bad id ${INVALID_NUMBER}`,
      `0 2^32 is an empty set ${INVALID_NUMBER}`,
      `0 bad id ${INVALID_ID}`,
      `0 catch ${SUCCESSFUL}`,
      '0 ASR 0x80000001',
      `0 send ${SUCCESSFUL}`,
      `0 catch NULL ${SUCCESSFUL}`,
      `0 after NULL ${NOT_DEFINED}`,
      `0 not a function is NULL ${SUCCESSFUL} ${NOT_DEFINED}`,
    ]);
  });
});

describe('Signal Manager: when the ASR runs (_Signal_Action_handler as a post-switch action, _Thread_Do_dispatch)', () => {
  it('sent to oneself with ASR processing enabled, the ASR runs inside rtems_signal_send', () => {
    const h = harness(function* (rtems, h) {
      rtems.signalCatch((_, signals) => void h.note(`ASR ${hex(signals)}`), RTEMS_DEFAULT_MODES);
      const status = yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_2);
      h.note(`send returned ${status}`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 ASR 0x4', '0 send returned 0']);
  });

  it('sent to another task, the ASR runs at that task\'s next dispatch: a blocked task runs it when it is unblocked, before it returns from its wait', () => {
    const h = harness(function* (rtems, h) {
      const { id } = rtems.taskCreate('SIG', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        exiting(function* (rtems) {
          rtems.signalCatch((_, signals) => void h.note(`SIG: ASR ${hex(signals)}`), RTEMS_DEFAULT_MODES);
          yield* rtems.taskWakeAfter(10);
          h.note('SIG woke');
        }),
        0,
      );
      yield* rtems.taskWakeAfter(1);
      h.note(`sent ${yield* rtems.signalSend(id, RTEMS_SIGNAL_3)}`);
      h.note(`sent ${yield* rtems.signalSend(id, RTEMS_SIGNAL_0)}`);
      yield* rtems.taskWakeAfter(20);
    });
    h.run(30_000_000);
    expect(h.log).toEqual(['1000000 sent 0', '1000000 sent 0', '10000000 SIG: ASR 0x9', '10000000 SIG woke']);
  });

  it('sent from an ISR to the task it interrupted, the ASR runs when the ISR ends, before the task\'s cut-short compute step goes on', () => {
    const h = harness(function* (rtems, h) {
      const self = rtems.taskSelf();
      rtems.signalCatch(function* (rtems, signals) {
        h.note(`ASR ${hex(signals)}`);
        yield rtems.compute(1000);
      }, RTEMS_DEFAULT_MODES);
      const { id } = rtems.timerCreate('TMR');
      rtems.timerFireAfter(id, 2, function* (rtems) {
        h.note(`ISR sent ${yield* rtems.signalSend(self, RTEMS_SIGNAL_2)} in ISR ${rtems.interruptIsInProgress()}`);
      });
      yield rtems.compute(500_000);
      h.note('computed');
    });
    h.run(10_000_000);
    // 5 ms of compute, cut at 2 ms by the tick; the ASR's 10 us come before the remaining 3 ms.
    expect(h.log).toEqual(['2000000 ISR sent 0 in ISR true', '2000000 ASR 0x4', '5010000 computed']);
  });

  it('with RTEMS_NO_ASR the signals stay pending and accumulate; rtems_task_mode enabling ASR processing runs the ASR before it returns', () => {
    const h = harness(function* (rtems, h) {
      const masked = yield* rtems.taskMode(RTEMS_NO_ASR, RTEMS_ASR_MASK);
      rtems.signalCatch((_, signals) => void h.note(`ASR ${hex(signals)}`), RTEMS_DEFAULT_MODES);
      const sent = [yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0), yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_1)];
      h.note(`masked (was ${hex(masked.previousMode & RTEMS_ASR_MASK)}), sent ${sent.join(' ')}`);
      const again = yield* rtems.taskMode(RTEMS_NO_ASR, RTEMS_ASR_MASK);
      h.note(`still masked (was ${hex(again.previousMode & RTEMS_ASR_MASK)})`);
      const enabled = yield* rtems.taskMode(RTEMS_ASR, RTEMS_ASR_MASK);
      h.note(`enabled (was ${hex(enabled.previousMode & RTEMS_ASR_MASK)})`);
      const nothing = yield* rtems.taskMode(RTEMS_ASR, RTEMS_ASR_MASK);
      h.note(`enabled again, nothing pending (was ${hex(nothing.previousMode & RTEMS_ASR_MASK)})`);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 masked (was 0x0), sent 0 0', '0 still masked (was 0x400)', '0 ASR 0x3', '0 enabled (was 0x400)', '0 enabled again, nothing pending (was 0x0)']);
  });

  it('rtems_signal_catch( NULL ) discards the pending signals (C User\'s Guide; spec:/rtems/signal/req/catch)', () => {
    const h = harness(function* (rtems, h) {
      const asr = (_: unknown, signals: number): void => void h.note(`ASR ${hex(signals)}`);
      yield* rtems.taskMode(RTEMS_NO_ASR, RTEMS_ASR_MASK);
      rtems.signalCatch(asr, RTEMS_DEFAULT_MODES);
      yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0);
      rtems.signalCatch(undefined, RTEMS_DEFAULT_MODES);
      rtems.signalCatch(asr, RTEMS_DEFAULT_MODES);
      yield* rtems.taskMode(RTEMS_ASR, RTEMS_ASR_MASK);
      h.note('enabled');
      yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_1);
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 enabled', '0 ASR 0x2']);
  });
});

describe('Signal Manager: the ASR\'s mode and nesting (_Signal_Action_handler, RTEMS 6 signalsend.c)', () => {
  it('the ASR runs in its mode set (preemption, timeslice, ASR processing, interrupt level); the task\'s own mode comes back after it', () => {
    const h = harness(function* (rtems, h) {
      const mode = function* (rtems: Rtems): Generator<number, string, unknown> {
        const { previousMode } = yield* rtems.taskMode(RTEMS_DEFAULT_MODES, RTEMS_CURRENT_MODE);
        return hex(previousMode);
      };
      h.note(`task mode ${yield* mode(rtems)}`);
      rtems.signalCatch(function* (rtems) {
        h.note(`ASR mode ${yield* mode(rtems)}`);
      }, RTEMS_PREEMPT | RTEMS_TIMESLICE | RTEMS_NO_ASR | RTEMS_INTERRUPT_LEVEL(1));
      yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0);
      h.note(`task mode ${yield* mode(rtems)}`);
    });
    h.run(1_000_000);
    // Init: RTEMS_NO_PREEMPT (0x100), ASR, level 0; the ASR: preemptible, 0x200 | 0x400 | level 1.
    expect(h.log).toEqual(['0 task mode 0x100', '0 ASR mode 0x601', '0 task mode 0x100']);
  });

  it('an ASR mode that enables preemption lets a more important ready task run before the handler (_Thread_Dispatch_direct)', () => {
    const run = (asrMode: number): string[] => {
      const h = harness(
        function* (rtems, h) {
          const { id } = rtems.taskCreate('HIGH', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
          yield* rtems.taskStart(id, exiting(function* () {
            h.note('HIGH runs');
          }), 0);
          h.note('HIGH ready, Init not preemptible');
          rtems.signalCatch(() => void h.note('ASR'), asrMode);
          yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0);
          h.note('after send');
        },
        { configuration: { initTaskPriority: 10 } },
      );
      h.run(1_000_000);
      return h.log;
    };
    expect(run(RTEMS_PREEMPT)).toEqual(['0 HIGH ready, Init not preemptible', '0 HIGH runs', '0 ASR', '0 after send']);
    expect(run(RTEMS_NO_PREEMPT)).toEqual(['0 HIGH ready, Init not preemptible', '0 ASR', '0 after send', '0 HIGH runs']);
  });

  it('an ASR whose mode enables ASR processing is entered again from inside itself (nested); with RTEMS_NO_ASR the new signals wait and the ASR runs again right after', () => {
    const run = (asrMode: number): string[] => {
      const h = harness(function* (rtems, h) {
        let depth = 0;
        rtems.signalCatch(function* (rtems, signals) {
          depth++;
          h.note(`enter ${depth} ${hex(signals)}`);
          if (signals === RTEMS_SIGNAL_0) h.note(`inner send ${yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_1)}`);
          h.note(`leave ${depth}`);
          depth--;
        }, asrMode);
        yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0);
        h.note('after send');
      });
      h.run(1_000_000);
      return h.log.map((line) => line.slice(2));
    };
    expect(run(RTEMS_ASR)).toEqual(['enter 1 0x1', 'enter 2 0x2', 'leave 2', 'inner send 0', 'leave 1', 'after send']);
    expect(run(RTEMS_NO_ASR)).toEqual(['enter 1 0x1', 'inner send 0', 'leave 1', 'enter 1 0x2', 'leave 1', 'after send']);
  });

  it('the ASR runs in the task\'s context: it may block, and the task goes on after it; a restart from inside it drops it', () => {
    const h = harness(function* (rtems, h) {
      rtems.signalCatch(function* (rtems, signals) {
        h.note(`ASR ${hex(signals)} sleeps`);
        yield* rtems.taskWakeAfter(3);
        h.note('ASR woke');
      }, RTEMS_DEFAULT_MODES);
      yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0);
      h.note('after send');
      const { id } = rtems.taskCreate('RST', 5, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        exiting(function* (rtems, argument) {
          h.note(`RST starts with ${argument}`);
          if (argument !== 0) return;
          rtems.signalCatch(function* (rtems) {
            yield* rtems.taskRestart(RTEMS_SELF, 7);
            h.note('not reached');
          }, RTEMS_NO_PREEMPT);
          yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0);
          h.note('not reached either');
        }),
        0,
      );
      yield* rtems.taskWakeAfter(1);
      h.note('Init goes on');
    });
    h.run(10_000_000);
    expect(h.log).toEqual(['0 ASR 0x1 sleeps', '3000000 ASR woke', '3000000 after send', '3000000 RST starts with 0', '3000000 RST starts with 7', '4000000 Init goes on']);
  });

  it('an ASR that throws (anything) is the fatal error GUEST_EXCEPTION, never a host exception', () => {
    const h = harness(function* (rtems) {
      rtems.signalCatch(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- containing a thrown non-Error is what this test checks
        throw new Proxy({}, { get: () => { throw new Error('trap'); } });
      }, RTEMS_DEFAULT_MODES);
      yield* rtems.signalSend(RTEMS_SELF, RTEMS_SIGNAL_0);
    });
    expect(() => h.run(1_000_000)).not.toThrow();
    expect(h.executive.termination).toMatchObject({ kind: 'fatal', code: InternalError.GUEST_EXCEPTION, message: 'thrown an object that is not an Error' });
  });
});
