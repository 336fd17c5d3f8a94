/**
 * RTEMS 6's per-vector interrupt directives on bare metal, on both boards, through the
 * board's controller: the 8259A pair of the PC (IMR for enable / disable / is enabled, IRR
 * for is pending; no software raise or clear: UNSATISFIED) and the LEON3's IRQMP (mask,
 * pending, force and clear registers); rtems_interrupt_get_attributes per board; the
 * entry-based install and the CPU usage report on a real console.
 */
import type { Application, Rtems } from '@paravirt/cpukit';
import { RTEMS_INTERRUPT_SHARED, RTEMS_INTERRUPT_UNIQUE, RtemsStatus } from '@paravirt/cpukit';
import { describe, expect, it } from 'vitest';
import { type NativeArch, type NativeSystem, createNativeSystem } from './nativeSystem.js';

const MS = 1_000_000;
const names = (statuses: readonly RtemsStatus[]): string => statuses.map((status) => RtemsStatus[status]).join(' ');

/** A device line, the clock driver's line and a line that is no vector, per board. */
const LINES: Record<NativeArch, { readonly device: number; readonly clock: number; readonly invalid: number }> = {
  i386: { device: 5, clock: 0, invalid: 2 },
  sparc: { device: 5, clock: 8, invalid: 0 },
};

/** The line's mask bit as the controller model holds it. */
function controllerMasked(system: NativeSystem, line: number): boolean {
  return system.arch === 'i386' ? system.board.pic.isMasked(line) : system.board.irqmp.isMasked(line);
}

describe.each(['i386', 'sparc'] as const)('per-vector interrupt directives on bare metal (%s)', (arch) => {
  const { device, clock, invalid } = LINES[arch];

  it('disable masks the line at the controller, the request waits pending, enable lets it in; raise and clear as the controller can', () => {
    const log: string[] = [];
    const holder: { system?: NativeSystem } = {};
    const application: Application = {
      name: 'vectors',
      description: 'enable, disable, pending, raise, clear',
      *init(rtems: Rtems) {
        const system = holder.system!;
        const isr = (isr: Rtems): void => void log.push(`ISR at tick ${isr.clockGetTicksSinceBoot()}`);
        log.push(`install ${names([rtems.interruptHandlerInstall(device, 'device', RTEMS_INTERRUPT_UNIQUE, isr, 0)])} enabled ${rtems.interruptVectorIsEnabled(device).enabled}`);
        const { attributes } = rtems.interruptGetAttributes(device);
        log.push(`maskable ${attributes.isMaskable} enable ${attributes.canEnable} disable ${attributes.canDisable} raise ${attributes.canRaise} clear ${attributes.canClear} ack ${attributes.clearedByAcknowledge} signal ${attributes.triggerSignal}`);
        log.push(`disable ${names([rtems.interruptVectorDisable(device)])} enabled ${rtems.interruptVectorIsEnabled(device).enabled} masked ${controllerMasked(system, device)}`);
        yield* rtems.taskWakeAfter(2); // the device raises at 5 ms
        log.push(`pending ${rtems.interruptIsPending(device).pending}`);
        const cleared = rtems.interruptClear(device);
        log.push(`clear ${names([cleared])} pending ${rtems.interruptIsPending(device).pending}`);
        log.push(`enable ${names([rtems.interruptVectorEnable(device)])} enabled ${rtems.interruptVectorIsEnabled(device).enabled} masked ${controllerMasked(system, device)}`);
        yield* rtems.taskWakeAfter(1);
        log.push(`raise ${names([rtems.interruptRaise(device)])}`);
        yield* rtems.taskWakeAfter(1);
        log.push(`clock line enabled ${rtems.interruptVectorIsEnabled(clock).enabled}`);
        const bad = [rtems.interruptVectorIsEnabled(invalid).status, rtems.interruptVectorEnable(invalid), rtems.interruptIsPending(16).status, rtems.interruptRaise(16), rtems.interruptClear(-1), rtems.interruptGetAttributes(invalid).status];
        log.push(`invalid ${names(bad)}`);
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch, application });
    holder.system = system;
    const line = system.board.deviceLine(device);
    system.board.board.queue.at(5 * MS, () => {
      line.raise();
      line.lower();
    });
    system.run(100 * MS);
    expect(log).toEqual(
      arch === 'i386'
        ? [
            'install SUCCESSFUL enabled true',
            // Edge triggered (ICW1 without LTIM); the 8259A has no software request or clear.
            'maskable true enable true disable true raise false clear false ack true signal 5',
            'disable SUCCESSFUL enabled false masked true',
            'pending true',
            'clear UNSATISFIED pending true',
            'enable SUCCESSFUL enabled true masked false',
            // The IRR kept the request: it is delivered as soon as the IMR lets it through.
            'ISR at tick 2',
            'raise UNSATISFIED',
            'clock line enabled true',
            'invalid INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID',
          ]
        : [
            'install SUCCESSFUL enabled true',
            // The IRQMP can force and clear every line; RTEMS leaves the signal unspecified.
            'maskable true enable true disable true raise true clear true ack true signal 0',
            'disable SUCCESSFUL enabled false masked true',
            'pending true',
            'clear SUCCESSFUL pending false',
            'enable SUCCESSFUL enabled true masked false',
            // Cleared: nothing to deliver. The forced request is taken at once.
            'raise SUCCESSFUL',
            'ISR at tick 3',
            'clock line enabled true',
            'invalid INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID INVALID_ID',
          ],
    );
    expect([system.bsp.unexpectedInterrupts, system.executive.termination]).toEqual([0, { kind: 'exit', status: 0 }]);
  });

  it('the clock line can be disabled and enabled again: no tick while it is masked', () => {
    const log: string[] = [];
    const application: Application = {
      name: 'clock-off',
      description: 'masks the clock for a while',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        log.push(`disable ${names([rtems.interruptVectorDisable(clock)])} at tick ${rtems.clockGetTicksSinceBoot()}`);
        yield rtems.compute(2_000_000);
        log.push(`ticks ${rtems.clockGetTicksSinceBoot()} pending ${rtems.interruptIsPending(clock).pending}`);
        log.push(`enable ${names([rtems.interruptVectorEnable(clock)])}`);
        yield* rtems.taskWakeAfter(2);
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch, application });
    system.run(100 * MS);
    expect(log[0]).toBe('disable SUCCESSFUL at tick 0');
    expect(log[1]).toBe('ticks 0 pending true');
    expect(log[2]).toBe('enable SUCCESSFUL');
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
  });

  it('an entry installed with rtems_interrupt_entry_install runs on the line; iterate lists it; removing it masks the line again', () => {
    const log: string[] = [];
    const holder: { system?: NativeSystem } = {};
    const application: Application = {
      name: 'entries',
      description: 'entry install, iterate, entry remove',
      *init(rtems: Rtems) {
        const routine = (isr: Rtems, arg: string): void => void log.push(`${arg} at tick ${isr.clockGetTicksSinceBoot()}`);
        const entry = rtems.interruptEntryInitialize(routine, 'entry', 'Device');
        log.push(`install ${names([rtems.interruptEntryInstall(device, RTEMS_INTERRUPT_SHARED, entry), rtems.interruptEntryInstall(clock, RTEMS_INTERRUPT_SHARED, entry)])}`);
        const seen: string[] = [];
        rtems.interruptHandlerIterate(device, (_arg: number, info, options) => void seen.push(`${String(info)}/${options}`), 0);
        log.push(`iterate ${seen.join(' ')}`);
        yield* rtems.taskWakeAfter(2);
        log.push(`remove ${names([rtems.interruptEntryRemove(device, entry)])} masked ${controllerMasked(holder.system!, device)}`);
        yield* rtems.taskWakeAfter(2);
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch, application });
    holder.system = system;
    const line = system.board.deviceLine(device);
    for (const at of [5 * MS, 25 * MS]) {
      system.board.board.queue.at(at, () => {
        line.raise();
        line.lower();
      });
    }
    system.run(100 * MS);
    expect(log).toEqual(['install SUCCESSFUL RESOURCE_IN_USE', 'iterate Device/0', 'entry at tick 0', 'remove SUCCESSFUL masked true']);
  });

  it('rtems_cpu_usage_report prints through the board console: IDLE and Init, with their CPU time', () => {
    const application: Application = {
      name: 'cpuuse',
      description: 'reports CPU usage',
      *init(rtems: Rtems) {
        yield* rtems.taskWakeAfter(5);
        rtems.cpuUsageReset();
        yield* rtems.taskWakeAfter(5);
        rtems.cpuUsageReport();
        rtems.exit(0);
      },
    };
    const system = createNativeSystem({ arch, application });
    system.run(200 * MS);
    const lines = system.consoleText().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '-------------------------------------------------------------------------------',
      '                              CPU USAGE BY THREAD',
      '------------+----------------------------------------+---------------+---------',
      ' ID         | NAME                                   | SECONDS       | PERCENT',
      '------------+----------------------------------------+---------------+---------',
    ]);
    // Init waits almost all the time: IDLE has (nearly) all of it, the clock ISRs included
    // (RTEMS charges an ISR to the thread it interrupted).
    expect(lines[5]).toMatch(/^ 0x09010001 \| IDLE {34} \| {6}0\.0[45]\d{4} \| (?: 9\d|100)\.\d{3}$/);
    expect(lines[6]).toMatch(/^ 0x0a010001 \| UI1 {35} \| {6}0\.000\d{3} \| {3}\d\.\d{3}$/);
    // Five 10 ms ticks since the reset (the last report line reads the time once more).
    expect(lines[8]).toMatch(/^ TIME SINCE LAST CPU USAGE RESET IN SECONDS: {26}0\.05\d{4}$/);
    expect(system.executive.termination).toEqual({ kind: 'exit', status: 0 });
  });
});
