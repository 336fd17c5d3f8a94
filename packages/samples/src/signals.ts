/**
 * signals: an ASR ping-pong (RTEMS C User's Guide, Signal Manager). PING and PONG, equal
 * priority, each catch their signals with an asynchronous signal routine (ASR); Init, more
 * important, runs the test in steps: it releases a task with an event for each step and
 * waits for the task's event back, so every step ends before the next begins.
 *
 *  - before the tasks run, Init sends PING an empty set (RTEMS_INVALID_NUMBER: checked
 *    first) and SIGNAL_0 (RTEMS_NOT_DEFINED: PING has not caught its signals yet, and the
 *    signals are discarded);
 *  - PING catches with ASR mode RTEMS_NO_PREEMPT | RTEMS_NO_ASR, PONG with
 *    RTEMS_DEFAULT_MODES; each ASR prints the mode it runs in (rtems_task_mode with
 *    RTEMS_CURRENT_MODE) the first time: the mode set given to rtems_signal_catch, while
 *    the task itself runs in its own mode before and after;
 *  - the serve: Init sends SIGNAL_1 and then SIGNAL_2 to PING while PING is blocked in
 *    rtems_event_receive. Neither runs the ASR at once: it is a post-switch action of
 *    PING's, run at the end of the thread dispatch that next makes PING execute - after
 *    Init blocks, before PING's rtems_event_receive returns - and the two sends arrive as
 *    one set, 0x00000006;
 *  - the rally: PING's ASR sends PONG SIGNAL_3, PONG's ASR answers with SIGNAL_4, and so on
 *    for six hits, the tasks yielding (rtems_task_wake_after(RTEMS_YIELD_PROCESSOR)): each
 *    ASR runs when its task is next dispatched, never inside the sender's call;
 *  - PONG turns ASR processing off (rtems_task_mode(RTEMS_NO_ASR, RTEMS_ASR_MASK)); PING
 *    sends it SIGNAL_5, SIGNAL_6, SIGNAL_7, yielding after each: PONG is dispatched three
 *    times and its ASR does not run; the signals stay pending. When PONG turns ASR
 *    processing on again, rtems_task_mode runs the ASR, with the three as one set
 *    (0x000000e0), before it returns;
 *  - PING sends SIGNAL_8 to itself: the ASR runs inside rtems_signal_send (a dispatch
 *    of the executing thread). It sends SIGNAL_9 to itself from there: its mode has
 *    RTEMS_NO_ASR, so SIGNAL_9 stays pending until the ASR returns, and the ASR then runs
 *    again for it - after, not inside, itself - before the first rtems_signal_send returns;
 *  - PONG catches with no handler (C's NULL): its ASR is gone, and PING's next send gets
 *    RTEMS_NOT_DEFINED.
 *
 * As RTEMS 6 does it (cpukit/rtems/src/signalsend.c: rtems_signal_send checks the empty
 * set first, then the id, then the handler (RTEMS_NOT_DEFINED); it makes the signals
 * pending and, when the task has ASR processing enabled, adds the Signal_action to its
 * post-switch actions and requests a dispatch; _Signal_Action_handler takes all pending
 * signals at once, sets the ASR's mode set, calls the handler, restores the task's mode and
 * re-appends itself when signals came while its mode had RTEMS_NO_ASR. signalcatch.c: the
 * handler and mode set of the executing task, NULL removing the ASR. taskmode.c: enabling
 * ASR processing with signals pending appends the Signal_action and dispatches before
 * rtems_task_mode returns.) The executive's Signal Manager is cpukit's
 * src/internal/signalManager.ts.
 *
 * Nothing here waits for time: the order comes from priorities, events and yields only, so
 * the screen is the same on bare metal and in any partition, on both processors.
 */
import {
  type Application,
  type AsrHandler,
  RTEMS_ASR,
  RTEMS_ASR_MASK,
  RTEMS_CURRENT_MODE,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_EVENT_0,
  RTEMS_EVENT_1,
  RTEMS_EVENT_2,
  RTEMS_EVENT_ANY,
  RTEMS_INTERRUPT_MASK,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_ASR,
  RTEMS_NO_PREEMPT,
  RTEMS_NO_TIMEOUT,
  RTEMS_SIGNAL_0,
  RTEMS_SIGNAL_1,
  RTEMS_SIGNAL_2,
  RTEMS_SIGNAL_3,
  RTEMS_SIGNAL_4,
  RTEMS_SIGNAL_5,
  RTEMS_SIGNAL_6,
  RTEMS_SIGNAL_7,
  RTEMS_SIGNAL_8,
  RTEMS_SIGNAL_9,
  RTEMS_SIGNAL_10,
  RTEMS_TIMESLICE,
  RTEMS_WAIT,
  RTEMS_YIELD_PROCESSOR,
  type Rtems,
  RtemsStatus,
  type TaskEntry,
  rtemsStatusText,
} from '@paravirt/cpukit';
import { testBegin, testEnd } from './internal/testBanner.js';

const TEST_NAME = 'SIGNALS';
/** Hits in the rally (signals PING's and PONG's ASRs send each other). */
const RALLY = 6;
/** The mode PING's ASR runs in; PONG's runs in RTEMS_DEFAULT_MODES. */
const PING_ASR_MODE = RTEMS_NO_PREEMPT | RTEMS_NO_ASR;
/** What PING sends PONG while PONG has ASR processing off, one signal per dispatch of PONG. */
const HELD = [RTEMS_SIGNAL_5, RTEMS_SIGNAL_6, RTEMS_SIGNAL_7] as const;
/** Init -> a task: run your next step. */
const STEP = RTEMS_EVENT_0;
/** A task -> Init: step done (PING, PONG). */
const DONE = { PING: RTEMS_EVENT_1, PONG: RTEMS_EVENT_2 } as const;

type Name = keyof typeof DONE;

interface Shared {
  readonly init: number;
  readonly ids: Record<Name, number>;
  /** The ASRs return the ball while the rally is on. */
  rally: boolean;
  hits: number;
  /** Each ASR prints its mode the first time it runs. */
  readonly modeShown: Record<Name, boolean>;
}

/** A task's step: its body between Init's event and its own back to Init. */
type Step = (rtems: Rtems, shared: Shared) => Generator<number, void, unknown>;

function check(rtems: Rtems, status: RtemsStatus): void {
  if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
}

/** A mode as RTEMS spells its parts. */
function modeText(mode: number): string {
  return [
    mode & RTEMS_NO_PREEMPT ? 'RTEMS_NO_PREEMPT' : 'RTEMS_PREEMPT',
    mode & RTEMS_TIMESLICE ? 'RTEMS_TIMESLICE' : 'RTEMS_NO_TIMESLICE',
    mode & RTEMS_NO_ASR ? 'RTEMS_NO_ASR' : 'RTEMS_ASR',
    `RTEMS_INTERRUPT_LEVEL(${mode & RTEMS_INTERRUPT_MASK})`,
  ].join(' | ');
}

/** rtems_task_mode(RTEMS_CURRENT_MODE, RTEMS_CURRENT_MODE): the calling task's mode, unchanged. */
function* currentMode(rtems: Rtems): Generator<number, number, unknown> {
  const { status, previousMode } = yield* rtems.taskMode(RTEMS_CURRENT_MODE, RTEMS_CURRENT_MODE);
  check(rtems, status);
  return previousMode;
}

/** The number n of RTEMS_SIGNAL_n, for a set of one signal. */
const signalNumber = (signal: number): number => 31 - Math.clz32(signal);

function* send(rtems: Rtems, from: string, to: Name | 'itself', id: number, signal: number): Generator<number, RtemsStatus, unknown> {
  rtems.printf('%s: sends %s SIGNAL_%u\n', from, to, signalNumber(signal));
  return yield* rtems.signalSend(id, signal);
}

/** Both ASRs: print the set (and, the first time, the mode), return the ball in the rally, and PING's plays with itself. */
function asr(shared: Shared, name: Name): AsrHandler {
  const other: Name = name === 'PING' ? 'PONG' : 'PING';
  return function* (rtems, signals) {
    const label = `${name} ASR`;
    if (!shared.modeShown[name]) {
      shared.modeShown[name] = true;
      rtems.printf('%s: runs in %s\n', label, modeText(yield* currentMode(rtems)));
    }
    rtems.printf('%s: signals 0x%08x\n', label, signals);
    if (shared.rally) {
      if (shared.hits === RALLY) {
        shared.rally = false;
        rtems.printf('%s: %u hits, the rally is over\n', label, RALLY);
        return;
      }
      shared.hits++;
      // PING hits with SIGNAL_3, PONG with SIGNAL_4.
      check(rtems, yield* send(rtems, label, other, shared.ids[other], name === 'PING' ? RTEMS_SIGNAL_3 : RTEMS_SIGNAL_4));
    }
    if (signals & RTEMS_SIGNAL_8) {
      check(rtems, yield* send(rtems, label, 'itself', shared.ids[name], RTEMS_SIGNAL_9));
      rtems.printf('%s: its mode has RTEMS_NO_ASR: SIGNAL_9 waits until this ASR returns\n', label);
    }
  };
}

/** Steps run until the rally is over, yielding; the ASRs do the work. */
function* untilRallyOver(rtems: Rtems, shared: Shared): Generator<number, void, unknown> {
  while (shared.rally) check(rtems, yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR));
}

const STEPS: Record<Name, readonly Step[]> = {
  PING: [
    // Catch: the ASR's mode set, and the task's own mode.
    function* (rtems, shared) {
      check(rtems, rtems.signalCatch(asr(shared, 'PING'), PING_ASR_MODE));
      rtems.printf('PING: rtems_signal_catch(ping_asr, RTEMS_NO_PREEMPT | RTEMS_NO_ASR); PING runs in %s\n', modeText(yield* currentMode(rtems)));
    },
    // The rally: Init's serve is pending; the ASR runs before this step begins.
    function* (rtems, shared) {
      rtems.printf('PING: rtems_event_receive returned, after the ASR; yields until the rally is over\n');
      yield* untilRallyOver(rtems, shared);
      rtems.printf('PING: back in %s\n', modeText(yield* currentMode(rtems)));
    },
    // Three signals for PONG while it has ASR processing disabled, yielding to it after each.
    function* (rtems, shared) {
      for (const signal of HELD) {
        check(rtems, yield* send(rtems, 'PING', 'PONG', shared.ids.PONG, signal));
        check(rtems, yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR));
      }
    },
    // A signal to itself.
    function* (rtems, shared) {
      const status = yield* send(rtems, 'PING', 'itself', shared.ids.PING, RTEMS_SIGNAL_8);
      rtems.printf('PING: rtems_signal_send(PING, SIGNAL_8) returned %s, after both ASR calls\n', rtemsStatusText(status));
    },
    // PONG has no ASR any more.
    function* (rtems, shared) {
      const status = yield* send(rtems, 'PING', 'PONG', shared.ids.PONG, RTEMS_SIGNAL_10);
      rtems.printf('PING: rtems_signal_send(PONG, SIGNAL_10): %s\n', rtemsStatusText(status));
    },
  ],
  PONG: [
    function* (rtems, shared) {
      check(rtems, rtems.signalCatch(asr(shared, 'PONG'), RTEMS_DEFAULT_MODES));
      rtems.printf('PONG: rtems_signal_catch(pong_asr, RTEMS_DEFAULT_MODES); PONG runs in %s\n', modeText(yield* currentMode(rtems)));
    },
    function* (rtems, shared) {
      rtems.printf('PONG: yields until the rally is over\n');
      yield* untilRallyOver(rtems, shared);
    },
    function* (rtems) {
      const off = yield* rtems.taskMode(RTEMS_NO_ASR, RTEMS_ASR_MASK);
      check(rtems, off.status);
      rtems.printf('PONG: rtems_task_mode(RTEMS_NO_ASR, RTEMS_ASR_MASK): ASR processing off\n');
      // PING runs between these yields and sends one signal each time.
      for (let n = 1; n <= HELD.length; n++) {
        check(rtems, yield* rtems.taskWakeAfter(RTEMS_YIELD_PROCESSOR));
        rtems.printf('PONG: dispatched (%u signal%s pending), no ASR call\n', n, n === 1 ? '' : 's');
      }
      rtems.printf('PONG: rtems_task_mode(RTEMS_ASR, RTEMS_ASR_MASK)\n');
      const on = yield* rtems.taskMode(RTEMS_ASR, RTEMS_ASR_MASK);
      check(rtems, on.status);
      rtems.printf('PONG: rtems_task_mode returned, after the ASR (previous mode %s)\n', modeText(on.previousMode));
    },
    // No step of PONG's for the signal PING sends itself.
    function* (rtems) {
      check(rtems, rtems.signalCatch(undefined, RTEMS_DEFAULT_MODES));
      rtems.printf('PONG: rtems_signal_catch(NULL, RTEMS_DEFAULT_MODES): no ASR any more\n');
    },
  ],
};

function task(shared: Shared, name: Name): TaskEntry {
  return function* (rtems) {
    for (const step of STEPS[name]) {
      const received = yield* rtems.eventReceive(STEP, RTEMS_WAIT | RTEMS_EVENT_ANY, RTEMS_NO_TIMEOUT);
      check(rtems, received.status);
      yield* step(rtems, shared);
      check(rtems, yield* rtems.eventSend(shared.init, DONE[name]));
    }
    // Waits for a step that never comes (PONG must still exist for PING's last send); Init ends the test.
    check(rtems, (yield* rtems.eventReceive(STEP, RTEMS_WAIT | RTEMS_EVENT_ANY, RTEMS_NO_TIMEOUT)).status);
    yield* rtems.taskExit();
  };
}

export const signals: Application = {
  name: 'signals',
  description: 'An ASR ping-pong: two tasks signal each other; pending sets, RTEMS_NO_ASR, the ASR\'s own mode, signals to oneself, no handler',
  configuration: { maximumTasks: 3 },
  *init(rtems) {
    testBegin(rtems, TEST_NAME);
    const ids = { PING: 0, PONG: 0 };
    for (const name of ['PING', 'PONG'] as const) {
      const { status, id } = rtems.taskCreate(name, 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
      check(rtems, status);
      ids[name] = id;
    }
    const shared: Shared = { init: rtems.taskSelf(), ids, rally: false, hits: 0, modeShown: { PING: false, PONG: false } };
    rtems.printf('Init: rtems_signal_send(PING, 0x00000000): %s\n', rtemsStatusText(yield* rtems.signalSend(ids.PING, 0)));
    rtems.printf('Init: rtems_signal_send(PING, SIGNAL_0) before PING catches: %s\n', rtemsStatusText(yield* rtems.signalSend(ids.PING, RTEMS_SIGNAL_0)));
    for (const name of ['PING', 'PONG'] as const) check(rtems, yield* rtems.taskStart(ids[name], task(shared, name), 0));

    /** Releases `name` for its next step and waits until it is done. */
    const step = function* (name: Name): Generator<number, void, unknown> {
      check(rtems, yield* rtems.eventSend(ids[name], STEP));
      check(rtems, (yield* rtems.eventReceive(DONE[name], RTEMS_WAIT, RTEMS_NO_TIMEOUT)).status);
    };
    /** Releases both (PONG first) and waits until both are done. */
    const both = function* (): Generator<number, void, unknown> {
      check(rtems, yield* rtems.eventSend(ids.PONG, STEP));
      check(rtems, yield* rtems.eventSend(ids.PING, STEP));
      for (const name of ['PING', 'PONG'] as const) check(rtems, (yield* rtems.eventReceive(DONE[name], RTEMS_WAIT, RTEMS_NO_TIMEOUT)).status);
    };

    yield* step('PING');
    yield* step('PONG');

    rtems.printf('Init: the serve, while PING is blocked in rtems_event_receive\n');
    shared.rally = true;
    check(rtems, yield* send(rtems, 'Init', 'PING', ids.PING, RTEMS_SIGNAL_1));
    check(rtems, yield* send(rtems, 'Init', 'PING', ids.PING, RTEMS_SIGNAL_2));
    rtems.printf('Init: PING\'s ASR has not run; Init waits\n');
    yield* both();

    rtems.printf('Init: PONG with RTEMS_NO_ASR\n');
    yield* both();

    rtems.printf('Init: PING signals itself\n');
    yield* step('PING');

    rtems.printf('Init: PONG drops its ASR\n');
    yield* step('PONG');
    yield* step('PING');

    testEnd(rtems, TEST_NAME);
    rtems.exit(0);
  },
};
