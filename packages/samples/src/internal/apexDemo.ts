/**
 * What the ARINC 653 port demos (producer, consumer) agree on - the ports a module
 * configuration must declare for them - and the helpers they share. Times are printed in
 * milliseconds of the partition's own clock (ticks since the partition booted, which
 * catches up across the windows it does not run in).
 */
import { type Apex, ApexReturnCode, PortDirection, QueuingDiscipline, type Rtems, apexReturnCodeText } from '@paravirt/cpukit';

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

/**
 * The next period boundary after `tick` that is still ahead: periods that passed while the
 * partition had no window are skipped, not made up in a burst.
 */
export function nextPeriodTick(rtems: Rtems, tick: number, period: number): number {
  const now = rtems.clockGetTicksSinceBoot();
  let next = tick + period;
  if (next <= now) next += Math.ceil((now + 1 - next) / period) * period;
  return next;
}

/** A duration in ns as whole milliseconds (rounded). */
export const ms = (ns: number): number => Math.round(ns / MS);

/** rtems.apex; on bare metal (no partition services) the sample says so and exits. */
export function apexOrExit(rtems: Rtems, sample: string): Apex {
  const apex = rtems.apex;
  if (apex === undefined) {
    rtems.printf('%s: no ARINC 653 partition services here (bare metal), nothing to do\n', sample);
    return rtems.exit(0);
  }
  return apex;
}

/**
 * Creates the demo's sampling and queuing port on one side of the channels; a port the
 * configuration does not declare as the demo needs is reported and the sample exits.
 */
export function createDemoPorts(rtems: Rtems, apex: Apex, sample: string, direction: PortDirection): { sampling: number; queuing: number } {
  const source = direction === PortDirection.SOURCE;
  const samplingName = source ? SAMPLING_PORT.source : SAMPLING_PORT.destination;
  const sampling = apex.createSamplingPort(samplingName, SAMPLING_PORT.maxMessageSize, direction, SAMPLING_PORT.refreshPeriodNs);
  const queuing = apex.createQueuingPort(QUEUING_PORT.name, QUEUING_PORT.maxMessageSize, QUEUING_PORT.maxMessages, direction, QUEUING_PORT.discipline);
  if (sampling.returnCode !== ApexReturnCode.NO_ERROR || queuing.returnCode !== ApexReturnCode.NO_ERROR) {
    rtems.printf(
      '%s: cannot create ports (%s: %s, %s: %s); declare them in the configuration\n',
      sample,
      samplingName,
      apexReturnCodeText(sampling.returnCode),
      QUEUING_PORT.name,
      apexReturnCodeText(queuing.returnCode),
    );
    return rtems.exit(1);
  }
  return { sampling: sampling.id, queuing: queuing.id };
}
