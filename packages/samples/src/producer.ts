/**
 * producer: the source side of the ARINC 653 ports demo (with `consumer`). Every 100 ms
 * it writes a counter (1, 2, 3, ... as decimal text) to the sampling port `out`, and in
 * the first five periods of every second it sends a record ("record 1", "record 2", ...)
 * on the queuing port `records` without waiting (ARINC TIME_OUT 0), so a full queue shows
 * as NOT_AVAILABLE and that record is lost. Each period prints one line. Periods that
 * pass while the partition has no window are skipped.
 *
 * Ports the module configuration must declare for this partition (the attributes must
 * match, ARINC 653 CREATE_*_PORT), created during initialisation:
 *   out      sampling source, maxMessageSize 16, refreshPeriod 200ms
 *   records  queuing source,  maxMessageSize 32, maxMessages 4, discipline fifo
 * On bare metal (no partition services) it prints one line and exits.
 */
import { type Application, ApexReturnCode, PortDirection, apexReturnCodeText } from '@paravirt/cpukit';
import { PERIOD_MS, apexOrExit, createDemoPorts, encodeText, nextPeriodTick, nowMs, sleepUntilTick, ticksIn } from './internal/apexDemo.js';

/** Periods per second with a record, out of 1000 / PERIOD_MS. */
const BURST = 5;

export const producer: Application = {
  name: 'producer',
  description:
    'ARINC 653 ports demo, source side: writes a counter to sampling port "out" (16 bytes, refresh 200ms) every 100 ms and sends records on queuing port "records" (32 bytes, 4 messages, fifo) in the first 5 periods of each second',
  configuration: { maximumTasks: 1, microsecondsPerTick: 1000 },
  *init(rtems) {
    const apex = apexOrExit(rtems, 'producer');
    const ports = createDemoPorts(rtems, apex, 'producer', PortDirection.SOURCE);
    const period = ticksIn(rtems, PERIOD_MS);
    const periodsPerSecond = Math.round(1000 / PERIOD_MS);
    let tick = rtems.clockGetTicksSinceBoot();
    let record = 0;
    for (let value = 1; ; value++) {
      let line = `producer: t=${nowMs(rtems)}ms out <- ${value}`;
      const written = apex.writeSamplingMessage(ports.sampling, encodeText(String(value)));
      if (written !== ApexReturnCode.NO_ERROR) line += ` (${apexReturnCodeText(written)})`;
      if ((value - 1) % periodsPerSecond < BURST) {
        record++;
        const sent = yield* apex.sendQueuingMessage(ports.queuing, encodeText(`record ${record}`), 0);
        line += `, records <- "record ${record}": ${apexReturnCodeText(sent)}`;
      }
      rtems.printf('%s\n', line);
      tick = nextPeriodTick(rtems, tick, period);
      yield* sleepUntilTick(rtems, tick);
    }
  },
};
