/**
 * Signal sets: 32 signals per task, one bit each (RTEMS C User's Guide, Signal Manager;
 * rtems/rtems/signal.h). rtems_signal_send posts a set to a task; its asynchronous signal
 * routine (ASR) receives the signals that were pending.
 */
import type { Rtems } from './rtems.js';

/**
 * An asynchronous signal routine (rtems_asr_entry): runs in the context of its task, in
 * the mode its rtems_signal_catch gave, with the signals that were pending. Write it as a
 * generator to call generator directives (`yield*`): it runs in thread context, so it may
 * block like the task itself.
 */
export type AsrHandler = (rtems: Rtems, signals: number) => void | Generator<number, void, unknown>;

export const RTEMS_SIGNAL_0 = 0x0000_0001;
export const RTEMS_SIGNAL_1 = 0x0000_0002;
export const RTEMS_SIGNAL_2 = 0x0000_0004;
export const RTEMS_SIGNAL_3 = 0x0000_0008;
export const RTEMS_SIGNAL_4 = 0x0000_0010;
export const RTEMS_SIGNAL_5 = 0x0000_0020;
export const RTEMS_SIGNAL_6 = 0x0000_0040;
export const RTEMS_SIGNAL_7 = 0x0000_0080;
export const RTEMS_SIGNAL_8 = 0x0000_0100;
export const RTEMS_SIGNAL_9 = 0x0000_0200;
export const RTEMS_SIGNAL_10 = 0x0000_0400;
export const RTEMS_SIGNAL_11 = 0x0000_0800;
export const RTEMS_SIGNAL_12 = 0x0000_1000;
export const RTEMS_SIGNAL_13 = 0x0000_2000;
export const RTEMS_SIGNAL_14 = 0x0000_4000;
export const RTEMS_SIGNAL_15 = 0x0000_8000;
export const RTEMS_SIGNAL_16 = 0x0001_0000;
export const RTEMS_SIGNAL_17 = 0x0002_0000;
export const RTEMS_SIGNAL_18 = 0x0004_0000;
export const RTEMS_SIGNAL_19 = 0x0008_0000;
export const RTEMS_SIGNAL_20 = 0x0010_0000;
export const RTEMS_SIGNAL_21 = 0x0020_0000;
export const RTEMS_SIGNAL_22 = 0x0040_0000;
export const RTEMS_SIGNAL_23 = 0x0080_0000;
export const RTEMS_SIGNAL_24 = 0x0100_0000;
export const RTEMS_SIGNAL_25 = 0x0200_0000;
export const RTEMS_SIGNAL_26 = 0x0400_0000;
export const RTEMS_SIGNAL_27 = 0x0800_0000;
export const RTEMS_SIGNAL_28 = 0x1000_0000;
export const RTEMS_SIGNAL_29 = 0x2000_0000;
export const RTEMS_SIGNAL_30 = 0x4000_0000;
export const RTEMS_SIGNAL_31 = 0x8000_0000;
