/**
 * The kernel's clock (PartitionKernel.kernelTime) on a board whose tick is not the nominal
 * one, as the i386 PIT's 1 ms is 999,847 ns: the test platform's tick timer is programmed
 * 1 % short (990 us) or 1 % long (1010 us) for a nominal 1 ms kernel tick. As POK and AIR,
 * the kernel counts ticks and keeps time in them: windows open and close at the tick whose
 * kernel time (ticks x 1 ms) reaches their edges, at that tick's real instant; the guest's
 * virtual timer and TIME_GET read kernel time.
 */
import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { VirtualLine } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { type GuestScript, scriptedGuest, TestHost } from './test.js';

const MS = 1_000_000;

/** A TestHost whose tick timer really ticks every `realTick` ns for its nominal 1 ms. */
function host(realTick: number, script: GuestScript, window?: { period: number; duration: number }) {
  const sink = new BufferTraceSink();
  const platform = new SimplePlatform({ memorySize: 4 << 20, trace: new TraceRecorder(sink) });
  const startTickTimer = platform.startTickTimer.bind(platform);
  platform.startTickTimer = () => startTickTimer(realTick);
  const testHost = new TestHost({ platform, guest: scriptedGuest(script), name: 'p0', kernelTick: MS, ...(window ? { window } : {}) });
  testHost.start();
  return { platform, testHost, records: sink.records };
}

describe.each([
  ['short', 990_000],
  ['long', 1_010_000],
])('a %s real tick (%i ns for a nominal 1 ms)', (_, realTick) => {
  it('opens and closes every window at the tick whose kernel time reaches its edge, and records that real instant', () => {
    // Windows [10j, 10j + 4) ms of kernel time: ticks 10j and 10j + 4.
    const { testHost, records } = host(realTick, function* () {
      for (;;) yield 10_000;
    }, { period: 10 * MS, duration: 4 * MS });
    testHost.run(50 * realTick + 1);
    const edges = records.filter((record) => record.kind === 'window.start' || record.kind === 'window.end').map((record) => [record.kind, record.time]);
    const expected: Array<[string, number]> = [['window.start', 0]];
    for (let j = 0; j < 5; j++) expected.push(['window.end', (10 * j + 4) * realTick], ['window.start', (10 * j + 10) * realTick]);
    expect(edges).toEqual(expected);
    // 1 ns after tick 50: kernel time 50 ms and the 1 ns since.
    expect([testHost.ticks, testHost.kernelTime()]).toEqual([50, 50 * MS + 1]);
    expect(testHost.windowsRun).toBe(6);
  });

  it('expires a 1 ms virtual timer at every kernel tick, however long the tick really is', () => {
    const { testHost } = host(realTick, function* (env) {
      env.enableVirtualInterrupts([VirtualLine.TIMER]);
      env.client.timerSet(MS, MS);
      for (;;) yield 10_000;
    });
    // Armed at boot, kernel time 0: expiries at 1, 2, ... ms, one at each tick, 1000 by tick 1000
    // (Timed by the board's clock, as before issue 13: 990 with the short tick, 1010 with the long one.)
    testHost.run(1000 * realTick + 1);
    expect(testHost.ticks).toBe(1000);
    expect(testHost.timer.expirations).toBe(1000);
  });

  it('TIME_GET reads kernel time: ticks x 1 ms, plus the real time since the last tick (at most a tick), never backwards', () => {
    const samples: Array<{ ticks: number; value: number }> = [];
    const { testHost } = host(realTick, function* (env) {
      for (;;) {
        samples.push({ ticks: testHost.ticks, value: env.client.timeGet(0).value! });
        yield 37_311; // about 373 us: samples fall anywhere between two ticks
      }
    });
    testHost.run(30 * realTick);
    expect(samples.length).toBeGreaterThan(60);
    for (const [index, { ticks, value }] of samples.entries()) {
      expect(value).toBeGreaterThanOrEqual(ticks * MS);
      expect(value).toBeLessThanOrEqual((ticks + 1) * MS);
      if (index > 0) expect(value).toBeGreaterThanOrEqual(samples[index - 1]!.value);
    }
  });
});
