/** Event sets: 32 events per task, one bit each (RTEMS C User's Guide, Event Manager). */

export const RTEMS_ALL_EVENTS = 0xffff_ffff;
export const RTEMS_EVENT_0 = 0x0000_0001;
export const RTEMS_EVENT_1 = 0x0000_0002;
export const RTEMS_EVENT_2 = 0x0000_0004;
export const RTEMS_EVENT_3 = 0x0000_0008;
export const RTEMS_EVENT_4 = 0x0000_0010;
export const RTEMS_EVENT_5 = 0x0000_0020;
export const RTEMS_EVENT_6 = 0x0000_0040;
export const RTEMS_EVENT_7 = 0x0000_0080;
export const RTEMS_EVENT_8 = 0x0000_0100;
export const RTEMS_EVENT_9 = 0x0000_0200;
export const RTEMS_EVENT_10 = 0x0000_0400;
export const RTEMS_EVENT_11 = 0x0000_0800;
export const RTEMS_EVENT_12 = 0x0000_1000;
export const RTEMS_EVENT_13 = 0x0000_2000;
export const RTEMS_EVENT_14 = 0x0000_4000;
export const RTEMS_EVENT_15 = 0x0000_8000;
export const RTEMS_EVENT_16 = 0x0001_0000;
export const RTEMS_EVENT_17 = 0x0002_0000;
export const RTEMS_EVENT_18 = 0x0004_0000;
export const RTEMS_EVENT_19 = 0x0008_0000;
export const RTEMS_EVENT_20 = 0x0010_0000;
export const RTEMS_EVENT_21 = 0x0020_0000;
export const RTEMS_EVENT_22 = 0x0040_0000;
export const RTEMS_EVENT_23 = 0x0080_0000;
export const RTEMS_EVENT_24 = 0x0100_0000;
export const RTEMS_EVENT_25 = 0x0200_0000;
export const RTEMS_EVENT_26 = 0x0400_0000;
export const RTEMS_EVENT_27 = 0x0800_0000;
export const RTEMS_EVENT_28 = 0x1000_0000;
export const RTEMS_EVENT_29 = 0x2000_0000;
export const RTEMS_EVENT_30 = 0x4000_0000;
export const RTEMS_EVENT_31 = 0x8000_0000;

/**
 * The system event reserved for transient use (rtems_event_transient_send / receive /
 * clear): RTEMS_EVENT_31's bit in a task's system event set, which is separate from its
 * application events (rtems/rtems/event.h).
 */
export const RTEMS_EVENT_SYSTEM_TRANSIENT = 0x8000_0000;
