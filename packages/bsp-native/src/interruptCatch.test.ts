/**
 * rtems_interrupt_catch on bare metal (Classic API Guide, Interrupt Manager,
 * "rtems_interrupt_catch()": it establishes an ISR for a vector number and hands back the
 * previous one; RTEMS_INVALID_NUMBER for an illegal vector, RTEMS_INVALID_ADDRESS for a
 * NULL handler; callable from interrupt context; only where the target has simple vectored
 * interrupts).
 *
 * LEON3: a vector is a SPARC trap type (0..511, 256 added for a synchronous trap), and the
 * external interrupt of level n is trap 0x10 + n. Catching one rewrites trap_table's slot, so
 * the caught routine runs instead of the BSP's dispatch of that level. The PC has no simple
 * vectored interrupts: the directive answers RTEMS_NOT_IMPLEMENTED there.
 */
import type { Application, IsrEntry, Rtems } from '@paravirt/cpukit';
import { RTEMS_INTERRUPT_UNIQUE, RTEMS_NO_TIMEOUT, RTEMS_WAIT, RtemsStatus } from '@paravirt/cpukit';
import { describe, expect, it } from 'vitest';
import { createNativeSystem } from './nativeSystem.js';

const MS = 1_000_000;
const hex = (vector: number): string => `0x${vector.toString(16)}`;

describe('rtems_interrupt_catch on the bare-metal LEON3', () => {
  it('checks the vector, then the routine; hands back the routine caught before (none at first), and the caught routine takes the level from the BSP dispatch', () => {
    const log: string[] = [];
    const caught = (name: string): IsrEntry => (isr: Rtems, vector: number) => void log.push(`${name} ${hex(vector)} in ISR ${isr.interruptIsInProgress()}`);
    const a = caught('a');
    const b = caught('b');
    const holder: { system?: ReturnType<typeof createNativeSystem> } = {};
    const application: Application = {
      name: 'catch',
      description: 'rtems_interrupt_catch on external interrupt level 5',
      *init(rtems: Rtems) {
        const status = (result: { status: RtemsStatus }): string => RtemsStatus[result.status];
        // RTEMS_INVALID_NUMBER comes first: vector 512 with no routine is still an illegal vector.
        log.push(`checks ${[rtems.interruptCatch(a, 512), rtems.interruptCatch(undefined as unknown as IsrEntry, 512), rtems.interruptCatch(a, -1), rtems.interruptCatch(undefined as unknown as IsrEntry, 0x15), rtems.interruptCatch(42 as unknown as IsrEntry, 0x15)].map(status).join(' ')}`);
        // The BSP's dispatch of level 5: an interrupt handler, as any driver installs it.
        const device = (): void => void log.push('device handler');
        log.push(`handler install ${RtemsStatus[rtems.interruptHandlerInstall(5, 'dev', RTEMS_INTERRUPT_UNIQUE, device, 0)]}`);
        log.push(`raise ${RtemsStatus[rtems.interruptRaise(5)]}`);
        yield* rtems.taskWakeAfter(1);
        const first = rtems.interruptCatch(a, 0x15);
        log.push(`catch a ${status(first)} old ${String(first.oldIsrHandler)}`);
        rtems.interruptRaise(5);
        yield* rtems.taskWakeAfter(1);
        const second = rtems.interruptCatch(b, 0x15);
        log.push(`catch b ${status(second)} old is a ${second.oldIsrHandler === a}`);
        rtems.interruptRaise(5);
        yield* rtems.taskWakeAfter(1);
        // "To release an interrupt vector, pass the old handler's address obtained when the
        // vector was first captured": a again, and b comes back.
        const third = rtems.interruptCatch(second.oldIsrHandler!, 0x15);
        log.push(`catch a again ${status(third)} old is b ${third.oldIsrHandler === b}`);
        rtems.interruptRaise(5);
        yield* rtems.taskWakeAfter(1);
        // The handler table is the generic layer's: it still lists the handler the slot no longer reaches.
        const listed: string[] = [];
        rtems.interruptHandlerIterate(5, (_: number, info) => void listed.push(String(info)), 0);
        log.push(`still listed ${listed.join(' ')}; unexpected ${holder.system!.bsp.unexpectedInterrupts}`);
        // A synchronous trap number names the same slot (trap type 0x15); its routine gets the number as caught.
        const sync = rtems.interruptCatch(b, 0x115);
        log.push(`catch b on 0x115 ${status(sync)} old is a ${sync.oldIsrHandler === a}`);
        rtems.interruptRaise(5);
        yield* rtems.taskWakeAfter(1);
        rtems.exit(0);
      },
    };
    holder.system = createNativeSystem({ arch: 'sparc', application });
    holder.system.run(50 * MS);
    expect(log).toEqual([
      'checks INVALID_NUMBER INVALID_NUMBER INVALID_NUMBER INVALID_ADDRESS INVALID_ADDRESS',
      'handler install SUCCESSFUL',
      'raise SUCCESSFUL',
      'device handler',
      'catch a SUCCESSFUL old undefined',
      'a 0x15 in ISR true',
      'catch b SUCCESSFUL old is a true',
      'b 0x15 in ISR true',
      'catch a again SUCCESSFUL old is b true',
      'a 0x15 in ISR true',
      'still listed dev; unexpected 0',
      'catch b on 0x115 SUCCESSFUL old is a true',
      'b 0x115 in ISR true',
    ]);
  });

  it('catching the clock level (trap 0x18) takes the GPTIMER interrupt from the clock driver: the routine runs every tick period, the ticks stop', () => {
    const seen: string[] = [];
    const application: Application = {
      name: 'catch-clock',
      description: 'catches the clock interrupt',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        yield* rtems.taskWakeAfter(3);
        const result = rtems.interruptCatch((isr, vector) => void seen.push(`${hex(vector)} tick ${isr.clockGetTicksSinceBoot()}`), 0x18);
        seen.push(`catch ${RtemsStatus[result.status]} old ${String(result.oldIsrHandler)} at tick ${rtems.clockGetTicksSinceBoot()}`);
        // No tick will wake a timeout any more: wait for an event that never comes.
        yield* rtems.eventReceive(1, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      },
    };
    const system = createNativeSystem({ arch: 'sparc', application });
    system.run(8.5 * MS);
    // Caught just after the third tick (3 ms); the timer keeps interrupting every 1 ms.
    expect(seen).toEqual(['catch SUCCESSFUL old undefined at tick 3', '0x18 tick 3', '0x18 tick 3', '0x18 tick 3', '0x18 tick 3', '0x18 tick 3']);
    expect(system.bsp.clockInterrupts).toBe(3);
    expect(system.executive.rtems.clockGetTicksSinceBoot()).toBe(3);
  });

  it('the window overflow / underflow and reset slots keep the processor model\'s handlers: the catch succeeds, the routine never runs', () => {
    const log: string[] = [];
    const application: Application = {
      name: 'catch-window',
      description: 'catches the window traps',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        const never: IsrEntry = (_isr, vector) => void log.push(`never ${hex(vector)}`);
        const results = [rtems.interruptCatch(never, 0x05), rtems.interruptCatch(never, 0x106), rtems.interruptCatch(never, 0x100)];
        log.push(results.map((result) => RtemsStatus[result.status]).join(' '));
        yield* rtems.taskWakeAfter(3);
        log.push(`tick ${rtems.clockGetTicksSinceBoot()}`);
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch: 'sparc', application });
    system.run(20 * MS);
    expect(log).toEqual(['SUCCESSFUL SUCCESSFUL SUCCESSFUL', 'tick 3']);
    expect(system.bsp.fatalError).toBeUndefined();
  });

  it('may be called from interrupt context (a timer service routine)', () => {
    const log: string[] = [];
    const application: Application = {
      name: 'catch-isr',
      description: 'catches from a timer routine',
      configuration: { microsecondsPerTick: 1000, maximumTimers: 1 },
      *init(rtems: Rtems) {
        const { id } = rtems.timerCreate(0x544d5231);
        rtems.timerFireAfter(id, 1, (isr) => {
          const result = isr.interruptCatch((inner, vector) => void log.push(`caught ${hex(vector)} in ISR ${inner.interruptIsInProgress()}`), 0x1a);
          log.push(`from ISR ${isr.interruptIsInProgress()}: ${RtemsStatus[result.status]}`);
        });
        yield* rtems.taskWakeAfter(2);
        rtems.interruptVectorEnable(10);
        rtems.interruptRaise(10);
        yield* rtems.taskWakeAfter(1);
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch: 'sparc', application });
    system.run(20 * MS);
    expect(log).toEqual(['from ISR true: SUCCESSFUL', 'caught 0x1a in ISR true']);
  });
});

describe('rtems_interrupt_catch on the bare-metal PC', () => {
  it('is RTEMS_NOT_IMPLEMENTED: the i386 port has no simple vectored interrupts (a C program calling it does not link)', () => {
    const log: string[] = [];
    const application: Application = {
      name: 'catch-i386',
      description: 'rtems_interrupt_catch on i386',
      *init(rtems: Rtems) {
        const results = [rtems.interruptCatch(() => void log.push('never'), 0x20), rtems.interruptCatch(() => undefined, 0x21), rtems.interruptCatch(undefined as unknown as IsrEntry, 1000)];
        log.push(results.map((result) => `${RtemsStatus[result.status]} ${String(result.oldIsrHandler)}`).join(', '));
        yield* rtems.taskWakeAfter(5);
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch: 'i386', application });
    system.run(100 * MS);
    expect(log).toEqual(['NOT_IMPLEMENTED undefined, NOT_IMPLEMENTED undefined, NOT_IMPLEMENTED undefined']);
    // The clock went on: nothing was taken from the PC's vectors (IRQ 0 is vector 0x20 there).
    expect(system.executive.rtems.clockGetTicksSinceBoot()).toBeGreaterThanOrEqual(5);
  });
});
