import { CycleClock, type TrapInfo, WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { I386Board } from './i386Board.js';
import { PIT_FREQUENCY_HZ } from './pit8254.js';
import { I386_MAX_SINGLE_TICK_NS, I386_MIN_TICK_NS, i386TickProblem, pitPieceCount, pitRateCount, pitTickIsSplit, PitTickSplitter } from './pitTick.js';

const MS = 1_000_000;
const pitClock = new CycleClock(PIT_FREQUENCY_HZ);
/** The PIT clock edge at or after `ns`: where a tick due at `ns` is taken. */
const edgeAtOrAfter = (ns: number): number => pitClock.timeOfCycle(pitClock.cycleBoundaryAtOrAfter(ns));

/** A board whose kernel only records the ticks that reach it, idling in between. */
function tickingBoard(period: number) {
  const board = new I386Board({ memorySize: 0x10_0000 });
  const ticks: number[] = [];
  board.installSupervisor((trap: TrapInfo) => {
    if (trap.class === 'interrupt') {
      ticks.push(board.board.now);
      board.endOfInterrupt(trap.line!);
    }
    return 'return';
  });
  board.enterSupervisor();
  board.startTickTimer(period);
  board.processor.setWorkload({ next: () => WAIT_FOR_INTERRUPT, preempted: () => {} });
  board.processor.start();
  return { board, ticks };
}

describe('PIT tick limits', () => {
  it('the shortest tick is a count of 2: 1258 ns rounds to 2 clocks (1676 ns), 1257 ns to 1', () => {
    expect(I386_MIN_TICK_NS).toBe(1258);
    expect([pitRateCount(1257), pitRateCount(1258), pitRateCount(1676)]).toEqual([1, 2, 2]);
    expect(i386TickProblem(1258)).toBeUndefined();
    expect(i386TickProblem(1257)).toBe('1257ns is shorter than the i386 PIT can tick: its rate generator divides the 1.193182 MHz clock by at least 2, so the tick must be at least 1258ns');
    expect(i386TickProblem(0)).toMatch(/positive whole number/);
  });

  it('one count up to 65536 clocks (54.9 ms); anything longer is split, with no upper limit', () => {
    expect(I386_MAX_SINGLE_TICK_NS).toBe(54_925_820);
    expect([pitTickIsSplit(I386_MAX_SINGLE_TICK_NS), pitTickIsSplit(I386_MAX_SINGLE_TICK_NS + 1)]).toEqual([false, true]);
    expect([pitTickIsSplit(MS), pitTickIsSplit(55 * MS), pitTickIsSplit(100 * MS), pitTickIsSplit(3_600_000 * MS)]).toEqual([false, true, true, true]);
    expect(i386TickProblem(3_600_000 * MS)).toBeUndefined();
  });

  it('pieces: the rest in one count up to 65536 clocks, else equal counts of at most 65536', () => {
    expect(pitPieceCount(0, 65_536)).toBe(65_536);
    expect(pitPieceCount(100, 65_637)).toBe(32_769);
    expect(pitPieceCount(0, 119_318)).toBe(59_659);
    expect(pitPieceCount(0, 1_193_182)).toBe(62_800);
    expect(pitPieceCount(10, 10)).toBe(1);
    expect(pitPieceCount(10, 5)).toBe(1);
  });

  it('the splitter leads each piece to the PIT edge at or after start + k x period, whatever the interrupt latency', () => {
    let now = 0;
    const counts: number[] = [];
    const splitter = new PitTickSplitter(100 * MS, 0, pitClock, () => now, (count) => counts.push(count));
    splitter.start();
    // 100 ms is 119318.2 clocks: the tick is due at clock 119319, in two pieces.
    expect(counts).toEqual([59_660]);
    // The first piece ends at clock 59660; its interrupt is taken 3 us late.
    now = pitClock.timeOfCycle(59_660) + 3_000;
    expect(splitter.interrupt()).toBe(false);
    const load = pitClock.cycleBoundaryAtOrAfter(now);
    expect(counts[1]).toBe(pitClock.cycleBoundaryAtOrAfter(100 * MS) - load);
    now = edgeAtOrAfter(100 * MS);
    expect(splitter.interrupt()).toBe(true);
    // An interrupt taken after three more ticks were due is one tick, and the pieces aim at the next.
    now = 450 * MS;
    expect(splitter.interrupt()).toBe(true);
    expect(splitter.nominal(5)).toBe(500 * MS);
    expect([splitter.interrupts, splitter.ticks]).toEqual([3, 2]);
    expect(counts.at(-1)).toBe(pitPieceCount(pitClock.cycleBoundaryAtOrAfter(450 * MS), pitClock.cycleBoundaryAtOrAfter(500 * MS)));
  });
});

describe('I386Board split kernel tick', () => {
  it('100 ms: two PIT interrupts per tick, only the tick reaches the kernel, each at the PIT edge at or after k x 100 ms', () => {
    const { board, ticks } = tickingBoard(100 * MS);
    board.board.runUntil(1_000 * MS + 1);
    expect(ticks).toEqual(Array.from({ length: 10 }, (_, i) => edgeAtOrAfter((i + 1) * 100 * MS)));
    expect(board.pit.interrupts).toBe(20);
    expect(board.tickPieces).toEqual({ interrupts: 20, ticks: 10 });
    expect([board.pit.mode(0), board.tickReload, board.tickPeriodNs]).toEqual([0, undefined, 100 * MS]);
    // The absorbed pieces were ended at the PIC: nothing coalesced, nothing left in service.
    expect([board.pic.raised[0], board.pic.coalesced[0], board.pic.isInService(0)]).toEqual([20, 0, false]);
  });

  it('never drifts: after 2000 s every tick is within one PIT clock (838 ns) after its nominal time', () => {
    const { board, ticks } = tickingBoard(100 * MS);
    board.board.runUntil(2_000_000 * MS + 1);
    expect(ticks.length).toBe(20_000);
    const lateness = ticks.map((time, i) => time - (i + 1) * 100 * MS);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lateness)).toBeLessThan(839);
    expect(board.pit.interrupts).toBe(40_000);
  });

  it('1 s: nineteen PIT interrupts per tick; 55 ms (65625 clocks): two', () => {
    const long = tickingBoard(1_000 * MS);
    long.board.board.runUntil(3_000 * MS + 1);
    expect(long.ticks).toEqual([1, 2, 3].map((k) => edgeAtOrAfter(k * 1_000 * MS)));
    expect(long.board.pit.interrupts).toBe(57);
    const short = tickingBoard(55 * MS);
    short.board.board.runUntil(551 * MS);
    expect(short.ticks.length).toBe(10);
    expect(short.board.pit.interrupts).toBe(20);
  });

  it('a tick of one count keeps the rate generator: 54.9 ms is count 65506 in mode 2, one interrupt per tick', () => {
    const { board, ticks } = tickingBoard(54_900_000);
    board.board.runUntil(549 * MS + 1);
    expect([board.pit.mode(0), board.tickReload, board.tickPieces]).toEqual([2, 65_506, undefined]);
    expect(ticks.length).toBe(board.pit.interrupts);
  });
});
