/**
 * RTEMS 6's per-vector interrupt directives in a partition, on kernel-core's TestHost
 * double and both processor models: a board line is virtual line HW_BASE + n; enable and
 * disable are VIRQ_UNMASK / VIRQ_MASK, "is enabled" and "is pending" read the vCPU page's
 * mirror, raise and clear are RTEMS_UNSATISFIED (the paravirt API has no hypercall for
 * either on the caller's own line). Also the entry-based install and the CPU usage report
 * through the console hypercall. And rtems_interrupt_catch:
 * SPARC: a caught external interrupt (trap 0x10 + n, board line n routed to the
 * partition) runs the caught routine from the upcall of virtual line HW_BASE + n, and VIRQ_ACK
 * still goes to the kernel; catching changes no mask; a trap that is no external interrupt
 * is recorded (the old routine comes back) but never reaches the partition - the kernel takes
 * it. i386: RTEMS_NOT_IMPLEMENTED, the port has no simple vectored interrupts. The kernels
 * themselves (POK, AIR) are in compose's interruptCatch.test.ts.
 */
import { i386Architecture } from '@paravirt/cpu-i386';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import type { Application, IsrEntry, Rtems } from '@paravirt/cpukit';
import { RTEMS_INTERRUPT_SHARED, RTEMS_INTERRUPT_UNIQUE, RtemsStatus } from '@paravirt/cpukit';
import { TestHost } from '@paravirt/kernel-core/test';
import type { Architecture, Platform } from '@paravirt/machine';
import { VirtualLine } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { type VirtualPokGuest, virtualPokGuest } from './virtualPokGuest.js';

const MS = 1_000_000;
const HW5 = VirtualLine.HW_BASE + 5;
const names = (statuses: readonly RtemsStatus[]): string => statuses.map((status) => RtemsStatus[status]).join(' ');

/** The guest on TestHost with board line 5 routed to it, the guest's clock the board's queue. */
function host(architecture: Architecture, application: Application) {
  const platform: Platform = architecture.board.create({ memorySize: 4 << 20 });
  let guest: VirtualPokGuest | undefined;
  const factory = virtualPokGuest({ application, name: 'p0', architecture, now: () => platform.board.queue.now });
  const testHost = new TestHost({ platform, guest: (start) => (guest = factory(start)), name: 'p0', routedLines: [5] });
  testHost.start();
  return { platform, testHost, guest: () => guest! };
}

/** One edge on board line 5 at `at` ns. */
function pulse(platform: Platform, at: number): void {
  const line = platform.deviceLine(5);
  platform.board.queue.at(at, () => {
    line.raise();
    line.lower();
  });
}

describe.each([
  ['i386', i386Architecture],
  ['sparc', sparcArchitecture],
] as const)('per-vector interrupt directives in a partition on %s', (_arch, architecture) => {
  it('disable is VIRQ_MASK (the raise latches pending), enable VIRQ_UNMASK (it is delivered); raise and clear are UNSATISFIED', () => {
    const log: string[] = [];
    const hosted: { testHost?: TestHost } = {};
    const application: Application = {
      name: 'vectors',
      description: 'enable, disable, pending, raise, clear on a routed line',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        const kernelMasked = (): boolean => hosted.testHost!.interrupts.isMasked(HW5);
        const isr = (isr: Rtems): void => void log.push(`ISR at tick ${isr.clockGetTicksSinceBoot()}`);
        log.push(`install ${names([rtems.interruptHandlerInstall(5, 'device', RTEMS_INTERRUPT_UNIQUE, isr, 0)])} enabled ${rtems.interruptVectorIsEnabled(5).enabled}`);
        const { attributes } = rtems.interruptGetAttributes(5);
        log.push(`maskable ${attributes.isMaskable} enable ${attributes.canEnable} disable ${attributes.canDisable} raise ${attributes.canRaise} raiseOn ${attributes.canRaiseOn} clear ${attributes.canClear} signal ${attributes.triggerSignal}`);
        log.push(`disable ${names([rtems.interruptVectorDisable(5)])} enabled ${rtems.interruptVectorIsEnabled(5).enabled} kernel masked ${kernelMasked()}`);
        yield* rtems.taskWakeAfter(3); // the device raises at 1.5 ms
        log.push(`pending ${rtems.interruptIsPending(5).pending}`);
        log.push(`raise ${names([rtems.interruptRaise(5), rtems.interruptRaiseOn(5, 0)])} clear ${names([rtems.interruptClear(5)])} pending ${rtems.interruptIsPending(5).pending}`);
        log.push(`enable ${names([rtems.interruptVectorEnable(5)])}`);
        log.push(`enabled ${rtems.interruptVectorIsEnabled(5).enabled} kernel masked ${kernelMasked()} pending ${rtems.interruptIsPending(5).pending}`);
        yield* rtems.taskWakeAfter(1);
        const bad = [rtems.interruptVectorIsEnabled(0).status, rtems.interruptVectorEnable(16), rtems.interruptIsPending(VirtualLine.IPI_BASE).status, rtems.interruptRaise(-1), rtems.interruptClear(0), rtems.interruptGetAttributes(0).status];
        log.push(`invalid ${names(bad)}`);
        rtems.exit(0);
      },
    };
    const built = host(architecture, application);
    hosted.testHost = built.testHost;
    pulse(built.platform, 1.5 * MS);
    built.testHost.run(20 * MS);
    expect(log).toEqual([
      'install SUCCESSFUL enabled true',
      'maskable true enable true disable true raise false raiseOn false clear false signal 0',
      'disable SUCCESSFUL enabled false kernel masked true',
      'pending true',
      'raise UNSATISFIED UNSATISFIED clear UNSATISFIED pending true',
      // VIRQ_UNMASK makes the latched raise deliverable: the upcall comes on the hypercall's return.
      'ISR at tick 3',
      'enable SUCCESSFUL',
      'enabled true kernel masked false pending false',
      'invalid INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID',
    ]);
    expect([built.guest().hardwareInterrupts, built.guest().acknowledged, built.guest().unexpectedInterrupts]).toEqual([1, 1, 0]);
    expect(built.testHost.faults).toEqual([]);
  });

  it('a line enabled with no handler takes its interrupt as unexpected and still acknowledges it (VIRQ_ACK)', () => {
    const application: Application = {
      name: 'enable-only',
      description: 'enables a routed line without an ISR',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        rtems.interruptVectorEnable(5);
        yield* rtems.taskWakeAfter(5);
        rtems.exit(0);
      },
    };
    const built = host(architecture, application);
    pulse(built.platform, 1.5 * MS);
    pulse(built.platform, 3.5 * MS);
    built.testHost.run(20 * MS);
    // The second raise was delivered too: the first one's VIRQ_ACK let it through.
    expect([built.guest().unexpectedInterrupts, built.guest().hardwareInterrupts, built.testHost.interrupts.delivered[HW5]]).toEqual([2, 0, 2]);
  });

  it('entry install and remove on a routed line: VIRQ_UNMASK with the first entry, VIRQ_MASK with the last; iterate lists the entries', () => {
    const log: string[] = [];
    const hosted: { testHost?: TestHost } = {};
    const application: Application = {
      name: 'entries',
      description: 'two entries on line 5',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        const routine = (isr: Rtems, arg: string): void => void log.push(`${arg} in ISR ${isr.interruptIsInProgress()}`);
        const a = rtems.interruptEntryInitialize(routine, 'a', 'A');
        const b = rtems.interruptEntryInitialize(routine, 'b', 'B');
        log.push(`install ${names([rtems.interruptEntryInstall(5, RTEMS_INTERRUPT_SHARED, a), rtems.interruptEntryInstall(5, RTEMS_INTERRUPT_SHARED, b)])} masked ${hosted.testHost!.interrupts.isMasked(HW5)}`);
        const seen: string[] = [];
        log.push(`iterate ${names([rtems.interruptHandlerIterate(5, (_: number, info) => void seen.push(String(info)), 0)])} ${seen.join(' ')}`);
        yield* rtems.taskWakeAfter(3);
        log.push(`remove ${names([rtems.interruptEntryRemove(5, a), rtems.interruptEntryRemove(5, b), rtems.interruptEntryRemove(5, b)])} masked ${hosted.testHost!.interrupts.isMasked(HW5)}`);
        rtems.exit(0);
      },
    };
    const built = host(architecture, application);
    hosted.testHost = built.testHost;
    pulse(built.platform, 1.5 * MS);
    built.testHost.run(20 * MS);
    expect(log).toEqual(['install SUCCESSFUL SUCCESSFUL masked false', 'iterate SUCCESSFUL A B', 'a in ISR true', 'b in ISR true', 'remove SUCCESSFUL SUCCESSFUL UNSATISFIED masked true']);
  });

  it('rtems_cpu_usage_report goes out through the console hypercall; reset starts the count again', () => {
    const application: Application = {
      name: 'cpuuse',
      description: 'reports CPU usage',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        yield* rtems.taskWakeAfter(5);
        rtems.cpuUsageReset();
        yield* rtems.taskWakeAfter(4);
        rtems.cpuUsageReport();
        rtems.exit(0);
      },
    };
    const built = host(architecture, application);
    built.testHost.run(50 * MS);
    const lines = built.testHost.consoleText().split('\n');
    expect(lines[1]).toBe('                              CPU USAGE BY THREAD');
    expect(lines[5]).toMatch(/^ 0x09010001 \| IDLE {34} \| {6}0\.00[34]\d{3} \| (?: 9\d|100)\.\d{3}$/);
    expect(lines[6]).toMatch(/^ 0x0a010001 \| UI1 {35} \| {6}0\.000\d{3} \| {3}\d\.\d{3}$/);
    expect(lines[8]).toMatch(/^ TIME SINCE LAST CPU USAGE RESET IN SECONDS: {26}0\.00[34]\d{3}$/);
  });
});

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
