/**
 * rtems_interrupt_catch in a partition on kernel-core's TestHost double, both processor
 * models. SPARC: a caught external interrupt (trap 0x10 + n, board line n routed to the
 * partition) runs the caught routine from the upcall of virtual line HW_BASE + n, and VIRQ_ACK
 * still goes to the kernel; catching changes no mask; a trap that is no external interrupt
 * is recorded (the old routine comes back) but never reaches the partition - the kernel takes
 * it. i386: RTEMS_NOT_IMPLEMENTED, the port has no simple vectored interrupts. The kernels
 * themselves (POK, AIR) are in compose's interruptCatch.test.ts.
 */
import { i386Architecture } from '@paravirt/cpu-i386';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import type { Application, IsrEntry, Rtems } from '@paravirt/cpukit';
import { RtemsStatus } from '@paravirt/cpukit';
import { TestHost } from '@paravirt/kernel-core/test';
import type { Architecture, Platform } from '@paravirt/machine';
import { VirtualLine } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { type VirtualPokGuest, virtualPokGuest } from './virtualPokGuest.js';

const MS = 1_000_000;
const HW5 = VirtualLine.HW_BASE + 5;

function host(architecture: Architecture, application: Application) {
  const platform: Platform = architecture.board.create({ memorySize: 4 << 20 });
  let guest: VirtualPokGuest | undefined;
  const factory = virtualPokGuest({ application, name: 'p0', architecture, now: () => platform.board.queue.now });
  const testHost = new TestHost({ platform, guest: (start) => (guest = factory(start)), name: 'p0', routedLines: [5] });
  testHost.start();
  return { platform, testHost, guest: () => guest! };
}

function pulse(platform: Platform, at: number): void {
  const line = platform.deviceLine(5);
  platform.board.queue.at(at, () => {
    line.raise();
    line.lower();
  });
}

describe('rtems_interrupt_catch in a SPARC partition (TestHost)', () => {
  it('a caught line is not unmasked by the catch; once enabled, its upcall runs the caught routine and is acknowledged; a non-interrupt trap never arrives', () => {
    const log: string[] = [];
    const hosted: { testHost?: TestHost } = {};
    const application: Application = {
      name: 'catch',
      description: 'catches level 5 and a software trap',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        const routine: IsrEntry = (isr, vector) => void log.push(`caught 0x${vector.toString(16)} in ISR ${isr.interruptIsInProgress()}`);
        const result = rtems.interruptCatch(routine, 0x15);
        log.push(`catch ${RtemsStatus[result.status]} masked ${hosted.testHost!.interrupts.isMasked(HW5)}`);
        yield* rtems.taskWakeAfter(3); // a raise at 1.5 ms stays pending at the kernel
        log.push(`enable ${RtemsStatus[rtems.interruptVectorEnable(5)]}`);
        yield* rtems.taskWakeAfter(3); // another at 4.5 ms
        const trap = rtems.interruptCatch(routine, 0x185); // `ta 5`, synchronous
        const again = rtems.interruptCatch(() => undefined, 0x185);
        log.push(`trap catch ${RtemsStatus[trap.status]} ${String(trap.oldIsrHandler)}, again old is routine ${again.oldIsrHandler === routine}`);
        yield* rtems.taskWakeAfter(1);
        rtems.exit(0);
      },
    };
    const built = host(sparcArchitecture, application);
    hosted.testHost = built.testHost;
    pulse(built.platform, 1.5 * MS);
    pulse(built.platform, 4.5 * MS);
    built.testHost.run(20 * MS);
    expect(log).toEqual([
      'catch SUCCESSFUL masked true',
      // VIRQ_UNMASK lets the latched raise in on the hypercall's return.
      'caught 0x15 in ISR true',
      'enable SUCCESSFUL',
      'caught 0x15 in ISR true',
      'trap catch SUCCESSFUL undefined, again old is routine true',
    ]);
    expect([built.guest().caughtInterrupts, built.guest().hardwareInterrupts, built.guest().unexpectedInterrupts, built.testHost.interrupts.delivered[HW5]]).toEqual([2, 0, 0, 2]);
    expect(built.testHost.faults).toEqual([]);
  });
});

describe('rtems_interrupt_catch in an i386 partition (TestHost)', () => {
  it('is RTEMS_NOT_IMPLEMENTED and changes nothing: the line keeps its BSP handler', () => {
    const log: string[] = [];
    const application: Application = {
      name: 'catch-i386',
      description: 'rtems_interrupt_catch on i386',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        const results = [rtems.interruptCatch(() => void log.push('never'), 0x25), rtems.interruptCatch(() => void log.push('never'), 5)];
        log.push(results.map((result) => RtemsStatus[result.status]).join(' '));
        rtems.interruptHandlerInstall(5, () => void log.push('handler'));
        yield* rtems.taskWakeAfter(3);
        rtems.exit(0);
      },
    };
    const built = host(i386Architecture, application);
    pulse(built.platform, 1.5 * MS);
    built.testHost.run(20 * MS);
    expect(log).toEqual(['NOT_IMPLEMENTED NOT_IMPLEMENTED', 'handler']);
    expect(built.guest().caughtInterrupts).toBe(0);
  });
});
