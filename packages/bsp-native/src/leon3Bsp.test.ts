/**
 * The leon3 BSP's programming of the simulated LEON3: its trap table and TBR, the PSR
 * start.S leaves, IRQMP masks, the APBUART, the GPTIMER registers and the instants of the
 * clock interrupts, the polled console's cost, and BAD_TRAP / unexpected interrupts.
 */
import type { Application, Rtems } from '@paravirt/cpukit';
import {
  APBUART_CONTROL,
  APBUART_CTRL_FA,
  APBUART_CTRL_RE,
  APBUART_CTRL_TE,
  GPTIMER_CTRL_EN,
  GPTIMER_CTRL_IE,
  GPTIMER_CTRL_RS,
  IRQMP_MASK,
  SPARC_DEFAULT_COSTS,
} from '@paravirt/cpu-sparc';
import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { LEON3_TRAP_TABLE_BASE, leon3PrescalerReload } from './leon3Bsp.js';
import { createNativeSystem } from './nativeSystem.js';

const MS = 1_000_000;
const IO = SPARC_DEFAULT_COSTS.ioAccess;

const sleeper: Application = {
  name: 'sleeper',
  description: 'sleeps',
  *init(rtems: Rtems) {
    yield* rtems.taskWakeAfter(1_000_000);
  },
};

function boot(application: Application = sleeper, options: { consoleCharTime?: number; trace?: TraceRecorder } = {}) {
  return createNativeSystem({
    arch: 'sparc',
    application,
    ...(options.consoleCharTime !== undefined ? { consoleCharTime: options.consoleCharTime } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
  });
}

/** Cycles charged and not yet spent (50 MHz: 20 ns per cycle). */
function charged(system: ReturnType<typeof boot>): number {
  return (system.board.processor.localTime() - system.board.board.now) / 20;
}

describe('leon3 BSP', () => {
  it('computes the prescaler reload for 1 MHz timer ticks', () => {
    expect([50_000_000, 40_000_000, 1_000_000, 250_000].map(leon3PrescalerReload)).toEqual([49, 39, 0, 0]);
  });

  it('runs on its own trap table from start.S on: TBR, traps enabled, an _ISR_Handler slot on every interrupt level, the lazy FP switch on fp_disabled', () => {
    const { board, bsp } = boot();
    const cpu = board.processor;
    expect(cpu.tbr & 0xffff_f000).toBe(LEON3_TRAP_TABLE_BASE);
    expect(cpu.trapTable).toBe(bsp.trapTable);
    expect([cpu.mode, cpu.trapsAreEnabled]).toEqual(['supervisor', true]);
    const badTrap = bsp.trapTable.get(0x01);
    const installed = Array.from({ length: 255 }, (_, index) => index + 1).filter((tt) => tt !== 0x05 && tt !== 0x06 && bsp.trapTable.get(tt) !== badTrap);
    expect(installed).toEqual([0x04, ...Array.from({ length: 15 }, (_, level) => 0x11 + level), 0x80, 0x89, 0x8a]);
  });

  it('masks every IRQMP line but the clock timer, and turns the APBUART transmitter and receiver on', () => {
    const { board } = boot();
    expect(board.irqmp.read(IRQMP_MASK)).toBe(1 << 8);
    expect(board.apbuart.read(APBUART_CONTROL)).toBe((APBUART_CTRL_FA | APBUART_CTRL_RE | APBUART_CTRL_TE) >>> 0);
  });

  it('programs GPTIMER timer 1 with reload 9999 on 1 MHz ticks: interrupt_level_8 every 10 ms exactly', () => {
    const sink = new BufferTraceSink();
    const system = boot(sleeper, { trace: new TraceRecorder(sink) });
    const { board, bsp } = system;
    expect([board.gptimer.read(0x04), board.gptimer.read(0x14), board.gptimer.read(0x18)]).toEqual([49, 9_999, GPTIMER_CTRL_EN | GPTIMER_CTRL_RS | GPTIMER_CTRL_IE]);
    expect([bsp.prescalerReload, bsp.clockReload, bsp.clockPeriodNs]).toEqual([49, 9_999, 10 * MS]);
    system.run(45 * MS);
    const level8 = sink.records.filter((record) => record.kind === 'trap' && record.payload.name === 'interrupt_level_8').map((record) => record.time);
    expect(level8).toEqual([10 * MS, 20 * MS, 30 * MS, 40 * MS]);
    expect([bsp.clockInterrupts, system.executive.statistics().ticks, board.gptimer.underflows(1)]).toEqual([4, 4, 4]);
  });

  it('writes each console byte with a load of the status and a store to the data register, and spins on TE while busy', () => {
    const fast = boot();
    fast.run(5 * MS);
    fast.bsp.consoleWrite(Uint8Array.of(0x61, 0x62));
    expect(charged(fast)).toBe(2 * 2 * IO);

    // 1 ms per character, a status read every 140 ns: the second byte waits 7140 more reads.
    const slow = boot(sleeper, { consoleCharTime: MS });
    slow.run(5 * MS);
    slow.bsp.consoleWrite(Uint8Array.of(0x61, 0x62));
    expect(charged(slow)).toBe(2 * IO + IO + 7_140 * IO + IO);
    slow.run(10 * MS);
    expect(slow.consoleText()).toBe('ab');
  });

  it('a software trap nobody installed is BAD_TRAP: an RTEMS fatal error with the trap type', () => {
    const application: Application = {
      name: 'bad-trap',
      description: 'ta 5',
      *init() {
        system.board.processor.ticc(5);
      },
    };
    const system = boot(application);
    system.run(MS);
    expect(system.executive.termination).toEqual({ kind: 'fatal', source: 'RTEMS_FATAL_SOURCE_EXCEPTION', code: 0x85, message: 'rtems_fatal' });
    expect(system.board.processor.stopReason).toBe('error mode: trap tt=0x80 with ET=0');
  });

  it('counts an interrupt on a line with no ISR instead of failing', () => {
    const system = boot();
    system.board.irqmp.setMasked(3, false);
    system.board.deviceLine(3).raise();
    system.run(MS);
    expect([system.bsp.unexpectedInterrupts, system.executive.termination, system.board.processor.stopReason]).toEqual([1, undefined, undefined]);
  });
});
