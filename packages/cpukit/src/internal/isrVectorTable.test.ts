/**
 * rtems_interrupt_catch's generic half (Classic API Guide, Interrupt Manager,
 * "rtems_interrupt_catch()"; cpukit/rtems/src/intrcatch.c): the status codes in their order,
 * `_ISR_Vector_table` and what the BSP is asked to install. The BSPs' trap slots are tested
 * where they are: bsp-native (LEON3 trap_table), bsp-virtualpok and compose (partitions).
 */
import { describe, expect, it } from 'vitest';
import { RtemsStatus } from '../rtemsStatus.js';
import { SPARC_SIMPLE_VECTORED_INTERRUPTS, simpleVectoredInterruptsOf } from '../simpleVectoredInterrupts.js';
import { createTestSystem } from '../test.js';
import { IsrVectorTable } from './isrVectorTable.js';
import type { Score } from './score.js';

/** A score on a CPU port named `port`, whose BSP records every slot it is asked to write. */
function table(port: string, withHook = true) {
  const slots = new Map<number, { vector: number; line: number | undefined; handler: () => void }>();
  const score = {
    cpuPort: { name: port },
    env: { bsp: withHook ? { vectorInstall: (vector: number, line: number | undefined, handler: () => void) => void slots.set(vector & 0xff, { vector, line, handler }) } : {} },
    runRoutine: (routine: () => unknown) => void routine(),
  } as unknown as Score;
  const vectors = new IsrVectorTable(score);
  const catchIt = (routine: unknown, vector: unknown) => vectors.catch(routine, vector, (caught, number) => (caught as (n: number) => void)(number));
  return { slots, catchIt };
}

describe('rtems_interrupt_catch: _ISR_Vector_table', () => {
  it('SPARC: CPU_INTERRUPT_MAXIMUM_VECTOR_NUMBER 511, 256 vectors, trap types 0x11..0x1F are the levels 1..15', () => {
    expect(simpleVectoredInterruptsOf('sparc')).toBe(SPARC_SIMPLE_VECTORED_INTERRUPTS);
    expect(simpleVectoredInterruptsOf('i386')).toBeUndefined();
    expect([0x10, 0x11, 0x18, 0x1f, 0x20, 0x80].map((tt) => SPARC_SIMPLE_VECTORED_INTERRUPTS.externalLine(tt))).toEqual([undefined, 1, 8, 15, undefined, undefined]);
  });

  it('INVALID_NUMBER above 511 first, then INVALID_ADDRESS without a routine; nothing installed on an error', () => {
    const { slots, catchIt } = table('sparc');
    const f = (): void => undefined;
    expect([catchIt(f, 512), catchIt(undefined, 512), catchIt(f, 0xffff_ffff), catchIt(f, -1), catchIt(undefined, 0x11), catchIt('isr', 0x11), catchIt(null, 511)].map((r) => RtemsStatus[r.status])).toEqual([
      'INVALID_NUMBER',
      'INVALID_NUMBER',
      'INVALID_NUMBER',
      'INVALID_NUMBER',
      'INVALID_ADDRESS',
      'INVALID_ADDRESS',
      'INVALID_ADDRESS',
    ]);
    expect(slots.size).toBe(0);
    expect(catchIt(f, 511)).toEqual({ status: RtemsStatus.SUCCESSFUL, oldIsrHandler: undefined });
  });

  it('hands back the previous entry of the real vector (vector modulo 256); the slot calls the entry the table holds when the trap comes, with the vector of the slot', () => {
    const { slots, catchIt } = table('sparc');
    const seen: string[] = [];
    const a = (vector: number): void => void seen.push(`a ${vector}`);
    const b = (vector: number): void => void seen.push(`b ${vector}`);
    expect(catchIt(a, 0x18).oldIsrHandler).toBeUndefined();
    expect(slots.get(0x18)).toMatchObject({ vector: 0x18, line: 8 });
    slots.get(0x18)!.handler();
    expect(catchIt(b, 0x118).oldIsrHandler).toBe(a);
    expect(slots.get(0x18)).toMatchObject({ vector: 0x118, line: 8 });
    slots.get(0x18)!.handler();
    expect(catchIt(a, 0x18).oldIsrHandler).toBe(b);
    slots.get(0x18)!.handler();
    expect(catchIt(b, 0x89)).toMatchObject({ status: RtemsStatus.SUCCESSFUL, oldIsrHandler: undefined });
    expect(slots.get(0x89)).toMatchObject({ vector: 0x89, line: undefined });
    expect(seen).toEqual(['a 24', 'b 280', 'a 24']);
  });

  it('NOT_IMPLEMENTED where the CPU port has no simple vectored interrupts (i386) or the BSP cannot write a slot', () => {
    for (const [port, hook] of [['i386', true], ['test', true], ['sparc', false]] as const) {
      const { slots, catchIt } = table(port, hook);
      expect(catchIt(() => undefined, 0x11)).toEqual({ status: RtemsStatus.NOT_IMPLEMENTED, oldIsrHandler: undefined });
      expect(catchIt(undefined, 1000).status).toBe(RtemsStatus.NOT_IMPLEMENTED);
      expect(slots.size).toBe(0);
    }
  });

  it('through Rtems on the test doubles (no simple vectored interrupts): NOT_IMPLEMENTED', () => {
    const statuses: string[] = [];
    const system = createTestSystem({
      application: {
        name: 'catch',
        description: 'rtems_interrupt_catch on the test port',
        *init(rtems) {
          const result = rtems.interruptCatch(() => undefined, 3);
          statuses.push(`${RtemsStatus[result.status]} ${String(result.oldIsrHandler)}`);
          rtems.exit(0);
        },
      },
    });
    system.run(1_000_000);
    expect(statuses).toEqual(['NOT_IMPLEMENTED undefined']);
  });
});
