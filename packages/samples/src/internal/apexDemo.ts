/**
 * What the ARINC 653 port demos (producer, consumer) agree on - the ports a module
 * configuration must declare for them - and the helpers they share. Times are printed in
 * milliseconds of the partition's own clock (ticks since the partition booted, which
 * catches up across the windows it does not run in).
 */
import { type Rtems, QueuingDiscipline } from '@paravirt/cpukit';

const MS = 1_000_000;

/** The sampling channel: producer.out -> consumer.in. */
export const SAMPLING_PORT = { source: 'out', destination: 'in', maxMessageSize: 16, refreshPeriodNs: 200 * MS } as const;

/** The queuing channel: producer.records -> consumer.records. */
export const QUEUING_PORT = { name: 'records', maxMessageSize: 32, maxMessages: 4, discipline: QueuingDiscipline.FIFO } as const;

/** The producer's period and the consumer's reading period. */
export const PERIOD_MS = 100;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeText = (text: string): Uint8Array => encoder.encode(text);
export const decodeText = (bytes: Uint8Array | undefined): string => (bytes === undefined ? '' : decoder.decode(bytes));

/** Milliseconds since the partition booted. */
export function nowMs(rtems: Rtems): number {
  const { uptime } = rtems.clockGetUptime();
  return uptime.seconds * 1000 + Math.floor(uptime.nanoseconds / MS);
}

/** Clock ticks in `ms` milliseconds (at least 1). */
export function ticksIn(rtems: Rtems, ms: number): number {
  return Math.max(1, Math.round((ms * rtems.clockGetTicksPerSecond()) / 1000));
}

/** Sleeps until the tick count reaches `tick` (returns at once if it already has). */
export function* sleepUntilTick(rtems: Rtems, tick: number): Generator<number, void, unknown> {
  const now = rtems.clockGetTicksSinceBoot();
  if (tick > now) yield* rtems.taskWakeAfter(tick - now);
}

/** A duration in ns as whole milliseconds (rounded). */
export const ms = (ns: number): number => Math.round(ns / MS);
