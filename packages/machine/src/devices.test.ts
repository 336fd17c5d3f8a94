import { describe, expect, it } from 'vitest';
import { CycleClock } from './cycleClock.js';
import { EventQueue } from './eventQueue.js';
import { InterruptController } from './interruptController.js';
import { PeriodicIrqSource } from './periodicIrqSource.js';
import { Prng } from './prng.js';
import { ProgrammableTimer } from './timer.js';
import { BufferTraceSink, StreamTraceSink, TraceRecorder } from './traceRecorder.js';
import { Uart } from './uart.js';

function recorder(queue: EventQueue, pic: InterruptController, line: number): number[] {
  const times: number[] = [];
  pic.connect(() => {
    if (pic.isPending(line)) {
      times.push(queue.now);
      pic.acknowledge();
    }
  });
  return times;
}

describe('ProgrammableTimer', () => {
  it('expires periodically without drift at a fractional period (PIT reload 11932 at 1.193182 MHz)', () => {
    const queue = new EventQueue();
    const pic = new InterruptController(8);
    const clock = new CycleClock(1_193_182);
    const timer = new ProgrammableTimer(queue, clock, pic.line(0), 'pit');
    const times = recorder(queue, pic, 0);
    timer.start(11_932, true);
    queue.runUntil(3_600_000_000_000); // one hour
    const k = times.length;
    // 11932 / 1193182 s = 10.00015 ms: 359994 expiries in an hour.
    expect(k).toBe(Math.floor((3_600 * 1_193_182) / 11_932));
    expect(times[k - 1]).toBe(Math.ceil((k * 11_932 * 1e9) / 1_193_182));
    expect(times[0]).toBe(Math.ceil((11_932 * 1e9) / 1_193_182));
    expect(timer.expirations).toBe(k);
  });

  it('fires a one-shot once and reports its counter', () => {
    const queue = new EventQueue();
    const pic = new InterruptController(8);
    const timer = new ProgrammableTimer(queue, new CycleClock(1_000_000), pic.line(3));
    const times = recorder(queue, pic, 3);
    timer.start(500, false);
    queue.runUntil(200_000);
    expect(timer.counter()).toBe(300);
    expect(timer.nextExpiry()).toBe(500_000);
    queue.runUntil(10_000_000);
    expect(times).toEqual([500_000]);
    expect(timer.isRunning).toBe(false);
  });

  it('stops, restarts from the next input edge, and restores a snapshot', () => {
    const queue = new EventQueue();
    const pic = new InterruptController(8);
    const timer = new ProgrammableTimer(queue, new CycleClock(1_000_000), pic.line(1));
    const times = recorder(queue, pic, 1);
    timer.start(10, true); // every 10 us
    queue.runUntil(25_000);
    timer.stop();
    queue.runUntil(100_000);
    expect(times).toEqual([10_000, 20_000]);
    queue.runUntil(100_500);
    timer.start(10, true); // next edge at 101 us
    queue.runUntil(111_000);
    expect(times.at(-1)).toBe(111_000);
    const state = timer.getState();
    timer.stop();
    timer.setState(state);
    queue.runUntil(131_000);
    expect(times.slice(-2)).toEqual([121_000, 131_000]);
    expect(() => timer.start(0, true)).toThrow(/reload/);
  });
});

describe('Uart', () => {
  it('collects transmitted bytes per channel and tells listeners', () => {
    const queue = new EventQueue();
    const uart = new Uart(queue, 'com1');
    const heard: Array<[number, number]> = [];
    uart.onTransmit((byte, time) => heard.push([byte, time]));
    for (const char of 'Hi\n') uart.transmit(char.charCodeAt(0));
    uart.transmit(0x1ff);
    expect(uart.text()).toBe('Hi\n\xff');
    expect(heard[0]).toEqual([72, 0]);
  });

  it('is busy for one character time after each byte', () => {
    const queue = new EventQueue();
    const uart = new Uart(queue, 'com1', { charTime: 1000 });
    expect(uart.txReady()).toBe(true);
    uart.transmit(65);
    expect(uart.txReady()).toBe(false);
    queue.runUntil(999);
    expect(uart.txReady()).toBe(false);
    queue.runUntil(1000);
    expect(uart.txReady()).toBe(true);
  });

  it('queues injected bytes, raises RX, lowers it when drained, and counts overruns', () => {
    const queue = new EventQueue();
    const pic = new InterruptController(8);
    pic.configure(4, { trigger: 'level' });
    const uart = new Uart(queue, 'com1', { rxLine: pic.line(4), rxFifoDepth: 2 });
    uart.inject('abc');
    expect(uart.overruns).toBe(1);
    expect(pic.isPending(4)).toBe(true);
    expect(uart.receive()).toBe(97);
    expect(pic.isPending(4)).toBe(true);
    expect(uart.receive()).toBe(98);
    expect(pic.isPending(4)).toBe(false);
    expect(uart.receive()).toBeUndefined();
    const state = uart.getState();
    const copy = new Uart(queue, 'copy');
    copy.setState(state);
    expect(copy.getState()).toEqual(state);
  });
});

describe('PeriodicIrqSource', () => {
  it('raises its line every period', () => {
    const queue = new EventQueue();
    const pic = new InterruptController(8);
    const times = recorder(queue, pic, 5);
    const source = new PeriodicIrqSource(queue, pic.line(5), { period: 7_000_000 });
    source.start();
    queue.runUntil(30_000_000);
    expect(times).toEqual([7_000_000, 14_000_000, 21_000_000, 28_000_000]);
    expect(source.raises).toBe(4);
    expect(source.lastRaise).toBe(28_000_000);
  });

  it('adds seeded jitter around nominal times, the same for the same seed', () => {
    const run = (seed: number): number[] => {
      const queue = new EventQueue();
      const pic = new InterruptController(8);
      const times = recorder(queue, pic, 5);
      new PeriodicIrqSource(queue, pic.line(5), { period: 1000, jitter: 100, prng: new Prng(seed) }).start();
      queue.runUntil(100_000);
      return times;
    };
    const a = run(1);
    expect(a).toEqual(run(1));
    expect(a).not.toEqual(run(2));
    a.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual((i + 1) * 1000);
      expect(t).toBeLessThanOrEqual((i + 1) * 1000 + 100);
    });
    expect(() => new PeriodicIrqSource(new EventQueue(), new InterruptController(1).line(0), { period: 10, jitter: 5 })).toThrow(/prng/);
  });

  it('a raise past representable time (about 104 days) is never scheduled, rather than throwing', () => {
    const queue = new EventQueue();
    const pic = new InterruptController(8);
    const times = recorder(queue, pic, 5);
    const day = 86_400_000_000_000;
    // The first raise at 60 days; the second would be at 120 days, past MAX_TIME_NS.
    new PeriodicIrqSource(queue, pic.line(5), { period: 60 * day }).start();
    // A first raise whose jitter takes it past representable time never comes either.
    new PeriodicIrqSource(queue, pic.line(6), { period: 1000, start: 100 * day, jitter: 10 * day, prng: new Prng(1) }).start();
    queue.runUntil(90 * day);
    expect(times).toEqual([60 * day]);
  });
});

describe('TraceRecorder', () => {
  it('records nothing and is marked disabled without a sink', () => {
    const trace = TraceRecorder.disabled();
    expect(trace.enabled).toBe(false);
    expect(() => trace.record(1, 'cpu', 'x')).not.toThrow();
  });

  it('buffers records in order and streams them to callbacks', () => {
    const buffer = new BufferTraceSink();
    const streamed: string[] = [];
    const trace = new TraceRecorder(buffer, new StreamTraceSink((record) => streamed.push(record.kind)));
    trace.record(10, 'cpu0', 'trap', { number: 13, name: '#GP' });
    trace.record(20, 'pok', 'window.start', { partition: 'hello' });
    expect(buffer.records).toEqual([
      { time: 10, source: 'cpu0', kind: 'trap', payload: { number: 13, name: '#GP' } },
      { time: 20, source: 'pok', kind: 'window.start', payload: { partition: 'hello' } },
    ]);
    expect(streamed).toEqual(['trap', 'window.start']);
  });

  it('a bounded buffer keeps the first records and counts the rest', () => {
    const buffer = new BufferTraceSink(2);
    const trace = new TraceRecorder(buffer);
    for (let time = 1; time <= 5; time++) trace.record(time, 'cpu0', 'trap');
    expect(buffer.records.map((record) => record.time)).toEqual([1, 2]);
    expect([buffer.dropped, buffer.truncatedAt]).toEqual([3, 3]);
  });
});
