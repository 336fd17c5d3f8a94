/**
 * Determinism (docs/architecture.md section 3): the same seed and schedule give the same event
 * order and the same trace, over millions of events; a different seed gives a different one.
 */
import { describe, expect, it } from 'vitest';
import { Board } from './board.js';
import { CycleClock } from './cycleClock.js';
import { InterruptController } from './interruptController.js';
import { PeriodicIrqSource } from './periodicIrqSource.js';
import { WAIT_FOR_INTERRUPT } from './processor.js';
import { ProgrammableTimer } from './timer.js';
import { StreamTraceSink, TraceRecorder } from './traceRecorder.js';
import { SimpleProcessor } from './test.js';

function simulate(seed: number, until: number) {
  let hash = 0x811c9dc5;
  let records = 0;
  const mix = (value: number) => {
    hash = Math.imul(hash ^ (value >>> 0), 0x01000193);
    hash = Math.imul(hash ^ Math.floor(value / 2 ** 32), 0x01000193);
  };
  const trace = new TraceRecorder(
    new StreamTraceSink((record) => {
      records++;
      mix(record.time);
      for (const char of record.kind) mix(char.charCodeAt(0));
      mix(Number(record.payload['vector'] ?? -1));
    }),
  );
  const board = new Board({ memorySize: 4096, endianness: 'little', seed, trace });
  const pic = new InterruptController(8);
  pic.configure(0, { priority: 3 });
  pic.configure(1, { priority: 2 });
  const cpu = new SimpleProcessor(board.queue, pic, { trace });
  const work = board.prng.fork('work');
  let remaining = 0;
  cpu.setWorkload({
    next: () => {
      if (remaining > 0) {
        const r = remaining;
        remaining = 0;
        return r;
      }
      return work.chance(0.05) ? WAIT_FOR_INTERRUPT : work.int(1, 5_000);
    },
    preempted: (r) => (remaining = r),
  });
  cpu.handler = () => cpu.charge(work.int(0, 200));
  new ProgrammableTimer(board.queue, new CycleClock(1_193_182), pic.line(0)).start(1193, true);
  new PeriodicIrqSource(board.queue, pic.line(1), { period: 7_000, jitter: 3_000, prng: board.prng.fork('jitter') }).start();
  new PeriodicIrqSource(board.queue, pic.line(2), { period: 13_000, jitter: 9_000, prng: board.prng.fork('jitter2') }).start();
  cpu.start();
  board.runUntil(until);
  return { hash: hash >>> 0, events: board.queue.eventsRun, records, stats: { ...cpu.stats } };
}

describe('determinism', () => {
  it('reproduces the exact event order and trace over millions of events', () => {
    const first = simulate(1, 2_500_000_000);
    expect(first.events).toBeGreaterThan(1_000_000);
    expect(simulate(1, 2_500_000_000)).toEqual(first);
    const other = simulate(2, 2_500_000_000);
    expect(other.hash).not.toBe(first.hash);
  });
});
