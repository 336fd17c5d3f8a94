/**
 * The pc386 BSP's hardware programming on the simulated PC: the IDT it loads, the 8259A
 * remap and masks, COM1's line settings, the 8254 count and the instants of the clock
 * interrupts, the polled console's cost, the end of interrupt and spurious IRQ handling.
 */
import type { Application, Rtems } from '@paravirt/cpukit';
import { I386_DEFAULT_COSTS, PIT_FREQUENCY_HZ } from '@paravirt/cpu-i386';
import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { createNativeSystem } from './nativeSystem.js';
import { PC386_IRQ_VECTOR_BASE, pc386ClockCount, pc386ClockFits, pc386ClockPlan, pc386ClockProblem } from './pc386Bsp.js';

const MS = 1_000_000;
const IO = I386_DEFAULT_COSTS.ioAccess;

function pitEdge(cycle: number): number {
  const f = BigInt(PIT_FREQUENCY_HZ);
  return Number((BigInt(cycle) * 1_000_000_000n + f - 1n) / f);
}

/** Init sleeps for ever: the board only takes clock interrupts. */
const sleeper: Application = {
  name: 'sleeper',
  description: 'sleeps',
  *init(rtems: Rtems) {
    yield* rtems.taskWakeAfter(1_000_000);
  },
};

/** Cycles charged and not yet spent (100 MHz: 10 ns per cycle). */
function charged(system: ReturnType<typeof boot>): number {
  return (system.board.processor.localTime() - system.board.board.now) / 10;
}

function boot(application: Application = sleeper, options: { consoleCharTime?: number; trace?: TraceRecorder; microsecondsPerTick?: number } = {}) {
  return createNativeSystem({
    arch: 'i386',
    application,
    ...(options.consoleCharTime !== undefined ? { consoleCharTime: options.consoleCharTime } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.microsecondsPerTick ? { configuration: { microsecondsPerTick: options.microsecondsPerTick } } : {}),
  });
}

describe('pc386 BSP', () => {
  it('converts microseconds to 8254 counts as pc386 US_TO_TICK does', () => {
    expect([10_000, 1_000, 100, 2, 54_925].map(pc386ClockCount)).toEqual([11_932, 1_193, 119, 2, 65_536]);
    expect([1, 2, 54_925, 54_926, 100_000, 1_000_000, 1.5].map(pc386ClockFits)).toEqual([false, true, true, true, true, true, false]);
    expect(pc386ClockProblem(1)).toBe('1us is shorter than the pc386 clock can tick: US_TO_TICK gives the 8254 a count of 1, its rate generator needs at least 2 (2us)');
  });

  it('splits a tick too long for one 8254 count as clockOn does: ISRs per tick x10 until the count fits', () => {
    expect(pc386ClockPlan(54_925)).toEqual({ isrsPerTick: 1, microsecondsPerIsr: 54_925, count: 65_536 });
    expect(pc386ClockPlan(54_926)).toEqual({ isrsPerTick: 10, microsecondsPerIsr: 5_492, count: 6_553 });
    expect(pc386ClockPlan(100_000)).toEqual({ isrsPerTick: 10, microsecondsPerIsr: 10_000, count: 11_932 });
    expect(pc386ClockPlan(1_000_000)).toEqual({ isrsPerTick: 100, microsecondsPerIsr: 10_000, count: 11_932 });
  });

  it('a 100 ms tick is ten IRQ 0 of 10 ms: the tick on every tenth, guest time exact from the first', () => {
    const sink = new BufferTraceSink();
    const system = boot(sleeper, { trace: new TraceRecorder(sink), microsecondsPerTick: 100_000 });
    expect([system.board.pit.mode(0), system.board.pit.reload(0), system.bsp.clockCount, system.bsp.clockIsrsPerTick]).toEqual([2, 11_932, 11_932, 10]);
    expect(system.bsp.clockPeriodNs).toBe((10 * 11_932 * 1e9) / PIT_FREQUENCY_HZ);
    system.run(1_001 * MS);
    const irq0 = sink.records.filter((record) => record.kind === 'trap' && record.payload.name === 'IRQ 0').map((record) => record.time);
    expect(irq0.length).toBe(100);
    expect(irq0[9]).toBe(pitEdge(10 * 11_932));
    expect([system.bsp.clockInterrupts, system.executive.statistics().ticks]).toEqual([100, 10]);
    expect(system.board.pic.isInService(0)).toBe(false);
  });

  it('loads an IDT of interrupt gates for the 32 exceptions and the 16 PIC vectors, and remaps the 8259A pair there', () => {
    const system = boot();
    const { board, bsp } = system;
    expect(board.processor.idt).toBe(bsp.idt);
    const present = Array.from({ length: 256 }, (_, vector) => bsp.idt.gate(vector)).flatMap((gate, vector) => (gate ? [vector] : []));
    expect(present).toEqual([...Array.from({ length: 32 }, (_, v) => v), ...Array.from({ length: 16 }, (_, v) => 0x20 + v)]);
    expect(new Set(present.map((vector) => `${bsp.idt.gate(vector)!.kind}/${bsp.idt.gate(vector)!.dpl}`))).toEqual(new Set(['interrupt/0']));
    expect([0, 7, 8, 15].map((irq) => board.pic.vectorOf(irq))).toEqual([0x20, 0x27, 0x28, 0x2f]);
    expect(PC386_IRQ_VECTOR_BASE).toBe(0x20);
    // IMRs: only the cascade and, after the clock driver, IRQ 0 are open.
    expect([board.io.read8(0x21), board.io.read8(0xa1)]).toEqual([0xfa, 0xff]);
  });

  it('programs COM1 for a polled console: 9600 8N1, FIFOs on, DTR|RTS without OUT2, no interrupts', () => {
    const { board } = boot();
    const com1 = board.com1.getState();
    expect({ lcr: com1.lcr, dll: com1.dll, dlm: com1.dlm, fcr: com1.fcr, mcr: com1.mcr, ier: com1.ier }).toEqual({ lcr: 0x03, dll: 12, dlm: 0, fcr: 0x01, mcr: 0x03, ier: 0 });
  });

  it('runs the 8254 in mode 2 with count 11932 for a 10 ms tick: IRQ 0 at its exact output edges', () => {
    const sink = new BufferTraceSink();
    const system = boot(sleeper, { trace: new TraceRecorder(sink) });
    expect([system.board.pit.mode(0), system.board.pit.reload(0), system.bsp.clockCount]).toEqual([2, 11_932, 11_932]);
    expect(system.bsp.clockPeriodNs).toBe((11_932 * 1e9) / PIT_FREQUENCY_HZ);
    system.run(45 * MS);
    const irq0 = sink.records.filter((record) => record.kind === 'trap' && record.payload.name === 'IRQ 0').map((record) => record.time);
    expect(irq0).toEqual([1, 2, 3, 4].map((k) => pitEdge(k * 11_932)));
    expect(irq0).toEqual([10_000_151, 20_000_302, 30_000_453, 40_000_604]);
    expect([system.bsp.clockInterrupts, system.executive.statistics().ticks]).toEqual([4, 4]);
    // Every IRQ 0 ended at the PIC: nothing stays in service.
    expect(system.board.pic.isInService(0)).toBe(false);
  });

  it('writes each console byte with an IN of LSR and an OUT to THR, and spins on THRE while the line is busy', () => {
    const fast = boot();
    fast.run(5 * MS);
    fast.bsp.consoleWrite(Uint8Array.of(0x61, 0x62));
    expect(charged(fast)).toBe(2 * 2 * IO);

    // 1 ms per character: the second byte waits for the first to leave (997 more LSR reads).
    const slow = boot(sleeper, { consoleCharTime: MS });
    slow.run(5 * MS);
    slow.bsp.consoleWrite(Uint8Array.of(0x61, 0x62));
    expect(charged(slow)).toBe(2 * IO + IO + 997 * IO + IO);
    slow.run(10 * MS);
    expect(slow.consoleText()).toBe('ab');
  });

  it('ends interrupts of the slave at both chips and drops spurious IRQ 7 and 15 after reading the ISR', () => {
    const taken: number[] = [];
    const application: Application = {
      name: 'slave-irq',
      description: 'ISR on IRQ 10',
      *init(rtems: Rtems) {
        rtems.interruptHandlerInstall(10, () => {
          taken.push(system.board.board.now);
        });
        yield* rtems.taskWakeAfter(1_000_000);
      },
    };
    const system = boot(application);
    const { board, bsp } = system;
    board.board.queue.at(1 * MS, () => board.deviceLine(10).raise());
    board.board.queue.at(2 * MS, () => board.deviceLine(10).raise());
    system.run(3 * MS);
    expect(taken).toEqual([1 * MS, 2 * MS]);
    expect([board.pic.isInService(10), board.pic.isInService(2), board.io.read8(0xa1)]).toEqual([false, false, 0xfb]);

    // A vector 0x27 / 0x2f whose ISR bit is clear is what an 8259A delivers when the request vanished.
    board.processor.int(0x27);
    board.processor.int(0x2f);
    expect([bsp.spuriousInterrupts, bsp.unexpectedInterrupts]).toEqual([2, 0]);
  });
});
