/**
 * bsp-virtualpok on kernel-core's TestHost double, on both processor models: the guest
 * checks the hypervisor's API_VERSION, boots from its memory map, prints through the
 * console hypercall, keeps exact time across the windows it does not run in (missed-tick
 * catch-up), never executes a privileged instruction, and takes the hardware lines the
 * host routes to it under their board numbers.
 */
import { i386Architecture } from '@paravirt/cpu-i386';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import type { Application, Rtems } from '@paravirt/cpukit';
import {
  RTEMS_COUNTING_SEMAPHORE,
  RTEMS_CURRENT_MODE,
  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_INTERRUPT_LEVEL,
  RTEMS_INTERRUPT_MASK,
  RTEMS_INTERRUPT_SHARED,
  RTEMS_INTERRUPT_UNIQUE,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_WAIT,
  RtemsStatus,
} from '@paravirt/cpukit';
import { type Architecture, PeriodicIrqSource, type Platform } from '@paravirt/machine';
import { API_VERSION, Hypercall, PartitionMode, Status, VirtualLine } from '@paravirt/paravirt-api';
import { TestHost } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import { type VirtualPokGuest, virtualPokGuest } from './virtualPokGuest.js';

const MS = 1_000_000;
const boards: Array<[string, Architecture]> = [
  ['i386', i386Architecture],
  ['sparc', sparcArchitecture],
];
const board = (architecture: Architecture): Platform => architecture.board.create({ memorySize: 4 << 20 });

const hello: Application = {
  name: 'hello-test',
  description: 'prints and exits',
  *init(rtems: Rtems) {
    rtems.printf('Hello from %s\n', 'the partition');
    rtems.exit(0);
  },
};

/** Prints the tick count every `every` ticks, `times` times, then exits. */
function clockReporter(every: number, times: number): Application {
  return {
    name: 'clock-test',
    description: 'reports ticks',
    configuration: { microsecondsPerTick: 1000 },
    *init(rtems: Rtems) {
      for (let i = 0; i < times; i++) {
        const status = yield* rtems.taskWakeAfter(every);
        if (status !== RtemsStatus.SUCCESSFUL) rtems.printf('wake failed %d\n', status);
        rtems.printf('tick %u\n', rtems.clockGetTicksSinceBoot());
      }
      rtems.exit(0);
    },
  };
}

function host(
  architecture: Architecture,
  application: Application,
  window?: { period: number; duration: number },
  routedLines?: readonly number[],
  platform: Platform = board(architecture),
) {
  let guest: VirtualPokGuest | undefined;
  const factory = virtualPokGuest({ application, name: 'p0', architecture });
  const testHost = new TestHost({
    platform,
    guest: (start) => (guest = factory(start)),
    name: 'p0',
    ...(window ? { window } : {}),
    ...(routedLines ? { routedLines } : {}),
  });
  testHost.start();
  return { platform, testHost, guest: () => guest! };
}

describe.each(boards)('bsp-virtualpok on %s', (_arch, architecture) => {
  it('boots from its memory map, prints through the console hypercall and exits', () => {
    const { testHost } = host(architecture, hello);
    testHost.run(50 * MS);
    expect(testHost.consoleText()).toBe('Hello from the partition\n');
    expect(testHost.mode).toBe(PartitionMode.IDLE);
    expect(testHost.faults).toEqual([]);
  });

  it('never executes a privileged instruction', () => {
    const { testHost } = host(architecture, clockReporter(10, 5));
    testHost.run(200 * MS);
    expect(testHost.caller.console.length).toBeGreaterThan(0);
    // TestHost's supervisor records every non-hypercall trap: none.
    expect(testHost.faults).toEqual([]);
    expect(testHost.hmEvents).toEqual([]);
  });

  it('keeps exact time across windows it does not run in: missed ticks are announced at once', () => {
    // The partition runs 4 ms out of every 10 ms; the guest tick is 1 ms.
    const { testHost, guest } = host(architecture, clockReporter(25, 100), { period: 10 * MS, duration: 4 * MS });
    testHost.run(203.5 * MS);
    const virtualPok = guest();
    // Every expiry of the virtual timer became exactly one guest tick, none lost, none
    // doubled: the 6 ms gaps were announced as catch-up ticks at each window start...
    expect(virtualPok.ticksAnnounced).toBe(testHost.timer.expirations);
    expect(testHost.interrupts.coalesced[VirtualLine.TIMER]).toBe(virtualPok.missedTicks);
    expect(virtualPok.missedTicks).toBeGreaterThan(100);
    expect(testHost.interrupts.stats().lost).toBe(0);
    // ...so guest time is virtual time (203 ms since boot, to within the tick).
    expect(Math.abs(virtualPok.executive!.rtems.clockGetTicksSinceBoot() - 203)).toBeLessThanOrEqual(1);
    // A task waking every 25 ticks only runs in a window, so it sees the catch-up.
    const ticks = testHost.consoleText().trim().split('\n').map((line) => Number(line.split(' ')[1]));
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    ticks.forEach((tick, index) => expect(tick).toBeGreaterThanOrEqual(25 * (index + 1)));
  });

  it('goes to NORMAL mode when the guest first idles, after initialisation', () => {
    const application: Application = {
      name: 'sleeper',
      description: 'sleeps forever',
      *init(rtems: Rtems) {
        yield* rtems.taskWakeAfter(1_000_000);
      },
    };
    const { testHost } = host(architecture, application);
    testHost.run(20 * MS);
    expect(testHost.mode).toBe(PartitionMode.NORMAL);
  });

  it('refuses to run on a hypervisor of another API_VERSION: an HM event, then IDLE', () => {
    const { testHost } = host(architecture, hello, undefined, undefined, answeringApiVersion(board(architecture), API_VERSION + 1));
    testHost.run(20 * MS);
    expect(testHost.consoleText()).toBe('');
    expect(testHost.hmEvents.map((event) => [event.error, event.detail])).toEqual([['APPLICATION_ERROR', `paravirt API ${API_VERSION + 1} is not ${API_VERSION}`]]);
    expect(testHost.mode).toBe(PartitionMode.IDLE);
  });
});

/** The platform, with INFO_API_VERSION answered as `version` before TestHost sees the call. */
function answeringApiVersion(platform: Platform, version: number): Platform {
  const install = platform.installSupervisor.bind(platform);
  const abi = platform.hypercallAbi;
  platform.installSupervisor = (entry) =>
    install((trap) => {
      if (trap.class !== 'hypercall' || platform.readRegister(abi.numberRegister) !== Hypercall.INFO_API_VERSION) return entry(trap);
      platform.writeRegister(abi.resultRegister, Status.OK);
      platform.writeRegister(abi.extraResultRegisters[0]!, version);
      return 'return';
    });
  return platform;
}

/** What the ISR probe saw: install statuses, ISR runs, interrupts its task handled, ISRs on lines that should never fire. */
interface IsrProbe {
  readonly installs: RtemsStatus[];
  isr: number;
  handled: number;
  unexpected: number;
}

/** Hardware lines the probe tries besides its own (5): 5 again is taken (RESOURCE_IN_USE), the others INVALID_ID except where noted. */
const OTHER_VECTORS = [5, 0, 16, 24, -1, 2, 6] as const;

/** rtems_interrupt_handler_install on hardware line 5: the ISR releases a counting semaphore, the Init task takes one unit per interrupt. */
function isrProbe(probe: IsrProbe): Application {
  return {
    name: 'isr-probe',
    description: 'an ISR on hardware line 5 defers each interrupt to a task',
    configuration: { microsecondsPerTick: 1000, maximumSemaphores: 1 },
    *init(rtems: Rtems) {
      const { id } = rtems.semaphoreCreate('IRQS', 0, RTEMS_COUNTING_SEMAPHORE);
      probe.installs.push(
        rtems.interruptHandlerInstall(5, function* (isr) {
          probe.isr++;
          yield* isr.semaphoreRelease(id);
        }),
      );
      for (const vector of OTHER_VECTORS) probe.installs.push(rtems.interruptHandlerInstall(vector, () => void probe.unexpected++));
      for (;;) {
        const status = yield* rtems.semaphoreObtain(id, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
        if (status !== RtemsStatus.SUCCESSFUL) rtems.fatalErrorOccurred(status);
        probe.handled++;
        yield rtems.compute(1_000);
      }
    },
  };
}

describe.each(boards)('hardware interrupts in a partition on %s', (arch, architecture) => {
  const HW5 = VirtualLine.HW_BASE + 5;

  function probeHost(window?: { period: number; duration: number }) {
    const probe: IsrProbe = { installs: [], isr: 0, handled: 0, unexpected: 0 };
    const { platform, testHost, guest } = host(architecture, isrProbe(probe), window, [5]);
    // A device on the routed line 5 every 0.7 ms from 0.7 ms on, and one on line 6, which the host does not route.
    const device = new PeriodicIrqSource(platform.board.queue, platform.deviceLine(5), { period: 700_000 });
    const unrouted = new PeriodicIrqSource(platform.board.queue, platform.deviceLine(6), { period: 300_000 });
    device.start();
    unrouted.start();
    return { probe, testHost, guest, device, unrouted };
  }

  it('interruptInstall takes the board line: 1-15 (not the i386 cascade IRQ 2), one unique handler each; an unrouted line installs and never fires', () => {
    const { probe, testHost, guest, unrouted } = probeHost();
    testHost.run(10 * MS);
    const { SUCCESSFUL, INVALID_ID, RESOURCE_IN_USE } = RtemsStatus;
    // 5, then 5 again, 0, 16, 24 (a virtual line number, not a board line), -1, 2, 6.
    expect(probe.installs).toEqual([SUCCESSFUL, RESOURCE_IN_USE, INVALID_ID, INVALID_ID, INVALID_ID, INVALID_ID, arch === 'i386' ? INVALID_ID : SUCCESSFUL, SUCCESSFUL]);
    expect(testHost.interrupts.isMasked(HW5)).toBe(false);
    expect(testHost.interrupts.isMasked(VirtualLine.HW_BASE + 6)).toBe(false);
    // The installs took virtual lines HW_BASE + n, not lines 0-15 of the virtual numbering.
    expect(testHost.interrupts.isMasked(5)).toBe(true);
    expect(unrouted.raises).toBe(33);
    expect(testHost.interrupts.raised[VirtualLine.HW_BASE + 6]).toBe(0);
    expect(probe.unexpected).toBe(0);
    expect(guest().hardwareInterrupts).toBe(probe.isr);
  });

  it('every raise of the routed line runs the RTEMS ISR once and is acknowledged; the task handles each one', () => {
    const { probe, testHost, guest, device } = probeHost();
    testHost.run(100 * MS);
    // Raises at 0.7, 1.4, ..., 99.4 ms: 142, each delivered within microseconds of the raise.
    expect(device.raises).toBe(142);
    expect(testHost.interrupts.raised[HW5]).toBe(142);
    expect(testHost.interrupts.delivered[HW5]).toBe(142);
    expect(testHost.interrupts.coalesced[HW5]).toBe(0);
    expect([probe.isr, probe.handled]).toEqual([142, 142]);
    expect([guest().hardwareInterrupts, guest().acknowledged]).toEqual([142, 142]);
    expect(testHost.interrupts.latency[HW5]!.summary().max).toBeLessThan(100_000);
    expect(testHost.interrupts.stats().lost).toBe(0);
    expect(testHost.hmEvents).toEqual([]);
  });

  it('outside its windows the line latches and coalesces; every delivery runs the ISR, nothing is lost', () => {
    // 4 ms of every 10 ms: raises in the 6 ms gaps wait for the next window, and all but the first coalesce.
    const { probe, testHost, guest, device } = probeHost({ period: 10 * MS, duration: 4 * MS });
    testHost.run(100 * MS);
    const interrupts = testHost.interrupts;
    expect(device.raises).toBe(142);
    const raised = interrupts.raised[HW5]!;
    const delivered = interrupts.delivered[HW5]!;
    const coalesced = interrupts.coalesced[HW5]!;
    const pending = interrupts.isPending(HW5) ? 1 : 0;
    // SPARC (GPTIMER tick of exactly 1 ms): windows [10j, 10j + 4) ms. Of the raises at 0.7k ms, 56 fall
    // in a window; the 86 others in 10 gaps, whose first raise each is delivered at the next window start
    // (the last at 100 ms) and the rest coalesce. On i386 the kernel tick is 1193 clocks of the 8254
    // (999.847 us) and the kernel, as POK and AIR, crosses a window edge at the tick whose kernel time
    // (ticks x 1 ms) reaches it: windows are ticks [10j, 10j + 4), real [9.998j, 9.998j + 3.999) ms, and
    // the same raises fall in them as on SPARC (before issue 13 every window closed up to a tick late in
    // real time, at the first tick whose real time reached its nominal end: 142, 68, 73 and 1 pending).
    expect([raised, delivered, coalesced, pending]).toEqual([142, 56 + 10, 86 - 10, 0]);
    expect(raised).toBe(delivered + coalesced + pending);
    expect([probe.isr, guest().hardwareInterrupts, guest().acknowledged]).toEqual([delivered, delivered, delivered]);
    // The last delivery is at the last window's start: on SPARC at 100 ms itself, on i386 at tick 100
    // (99,984,747 ns), 15 us before the end, when the guest's clock (the timer line, delivered first)
    // and the kernel's window-start work still come before the task: its semaphore unit still waits.
    // (Before issue 13 an i386 window opened at the first tick whose real time reached its edge, a tick
    // late: the 100 ms window had not opened by the end, one raise was pending, every delivery handled.)
    expect(probe.handled).toBe(delivered - 1);
    expect(interrupts.stats().lost).toBe(0);
  });
});

describe.each(boards)('interrupt handlers and levels in a partition on %s', (arch, architecture) => {
  const HW5 = VirtualLine.HW_BASE + 5;

  it('shared handlers of a routed line run in installation order; removing the last one masks the virtual line again (VIRQ_MASK)', () => {
    const log: string[] = [];
    const hosted: { testHost?: TestHost } = {};
    const application: Application = {
      name: 'shared-partition',
      description: 'two shared handlers on line 5, then none',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        const handler = (isr: Rtems, name: string): void => void log.push(`${name} in ISR ${isr.interruptIsInProgress()}`);
        const installs = [
          rtems.interruptHandlerInstall(5, 'A', RTEMS_INTERRUPT_SHARED, handler, 'A'),
          rtems.interruptHandlerInstall(5, 'B', RTEMS_INTERRUPT_SHARED, handler, 'B'),
          rtems.interruptHandlerInstall(5, 'C', RTEMS_INTERRUPT_UNIQUE, handler, 'C'),
          rtems.interruptHandlerInstall(0, 'clock?', RTEMS_INTERRUPT_SHARED, handler, 'D'),
        ];
        log.push(`install ${installs.map((status) => RtemsStatus[status]).join(' ')}, masked ${hosted.testHost!.interrupts.isMasked(HW5)}`);
        yield* rtems.taskWakeAfter(2);
        const removals = [rtems.interruptHandlerRemove(5, handler, 'A'), rtems.interruptHandlerRemove(5, handler, 'B'), rtems.interruptHandlerRemove(5, handler, 'B')];
        log.push(`remove ${removals.map((status) => RtemsStatus[status]).join(' ')}, masked ${hosted.testHost!.interrupts.isMasked(HW5)}`);
        yield* rtems.taskWakeAfter(3);
        rtems.exit(0);
      },
    };
    const built = host(architecture, application, undefined, [5]);
    const testHost = built.testHost;
    hosted.testHost = testHost;
    // A device on the routed line 5 every 0.7 ms: two interrupts before the removal at 2 ms.
    const device = new PeriodicIrqSource(built.platform.board.queue, built.platform.deviceLine(5), { period: 700_000 });
    device.start();
    testHost.run(10 * MS);
    const delivered = testHost.interrupts.delivered[HW5]!;
    expect(delivered).toBeGreaterThanOrEqual(2);
    expect(log).toEqual([
      // Line 0 is no board line a device may use (i386: the PIT; SPARC: reserved).
      'install SUCCESSFUL SUCCESSFUL RESOURCE_IN_USE INVALID_ID, masked false',
      ...Array.from({ length: delivered }, () => ['A in ISR true', 'B in ISR true']).flat(),
      'remove SUCCESSFUL SUCCESSFUL UNSATISFIED, masked true',
    ]);
    // The raises after the removal meet a masked line: no upcall, no ISR.
    expect(device.raises).toBeGreaterThan(delivered + 5);
    expect([built.guest().hardwareInterrupts, built.guest().acknowledged]).toEqual([delivered, delivered]);
    expect(testHost.mode).toBe(PartitionMode.IDLE);
    expect(testHost.faults).toEqual([]);
  });

  it("a task's interrupt level is the architecture's, as on bare metal: RTEMS_INTERRUPT_LEVEL(2) is 0 on the i386, SPARC keeps 16 levels", () => {
    const log: string[] = [];
    const { testHost, guest } = host(architecture, levelsProbe(log));
    testHost.run(100 * MS);
    expect(log).toEqual(
      arch === 'i386'
        ? ['mask 0x1, RTEMS_INTERRUPT_LEVEL(2) is 0', 'starts at 0, level 3 reads 1, clock ticked at level 3: no, then 0']
        : // Level 3 reads back 3; the vCPU's one virtual interrupt flag is off at every level but 0, so unlike bare
          // metal (PIL 3 takes the clock's level 8) the virtual timer waits - and its expiries are caught up after.
          ['mask 0xf, RTEMS_INTERRUPT_LEVEL(2) is 2', 'starts at 2, level 3 reads 3, clock ticked at level 3: no, then 0'],
    );
    // Guest time stayed exact: the ticks missed at level 3 were announced when the level went back to 0.
    expect(guest().ticksAnnounced).toBe(testHost.timer.expirations);
    expect(testHost.faults).toEqual([]);
  });
});

/** As bsp-native's levels probe: the level a task starts at, level 3 read back, whether the clock ticked at level 3. */
function levelsProbe(log: string[]): Application {
  return {
    name: 'levels',
    description: 'interrupt levels of task modes',
    configuration: { maximumTasks: 2, microsecondsPerTick: 1000 },
    *init(rtems: Rtems) {
      log.push(`mask 0x${rtems.interruptMask.toString(16)}, RTEMS_INTERRUPT_LEVEL(2) is ${rtems.interruptLevelBody(2)}`);
      const { id } = rtems.taskCreate('LVL', 1, RTEMS_MINIMUM_STACK_SIZE, RTEMS_INTERRUPT_LEVEL(2), RTEMS_DEFAULT_ATTRIBUTES);
      yield* rtems.taskStart(
        id,
        function* (task) {
          const level = function* (): Generator<number, number, unknown> {
            return (yield* task.taskMode(RTEMS_CURRENT_MODE, 0)).previousMode & RTEMS_INTERRUPT_MASK;
          };
          const start = yield* level();
          yield* task.taskMode(RTEMS_INTERRUPT_LEVEL(3), RTEMS_INTERRUPT_MASK);
          const three = yield* level();
          const before = task.clockGetTicksSinceBoot();
          yield task.compute(2_000_000);
          const ticked = task.clockGetTicksSinceBoot() !== before;
          yield* task.taskMode(RTEMS_INTERRUPT_LEVEL(0), RTEMS_INTERRUPT_MASK);
          const zero = yield* level();
          log.push(`starts at ${start}, level 3 reads ${three}, clock ticked at level 3: ${ticked ? 'yes' : 'no'}, then ${zero}`);
          task.exit(0);
        },
        0,
      );
      yield* rtems.taskWakeAfter(1);
    },
  };
}

describe.each(boards)('the guest side of the kernel fast-forward over timer upcalls on %s', (_arch, architecture) => {
  /**
   * Init asks quietTimerUpcalls while it runs, then sleeps 20 ticks from boot: the guest idles
   * in the IDLE thread with its clock installed. `atIdle`: what it answers at each IDLE
   * hypercall, before the kernel takes it (the IDLE thread runs, but does not wait yet).
   */
  function sleeper() {
    const seen: number[] = [];
    const atIdle: number[] = [];
    const holder: { guest?: () => VirtualPokGuest } = {};
    const platform = board(architecture);
    const install = platform.installSupervisor.bind(platform);
    platform.installSupervisor = (entry) =>
      install((trap) => {
        if (trap.class === 'hypercall' && platform.readRegister(platform.hypercallAbi.numberRegister) === Hypercall.IDLE) atIdle.push(holder.guest!().quietTimerUpcalls(100));
        return entry(trap);
      });
    const application: Application = {
      name: 'sleeper',
      description: 'asks while running, then sleeps',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        seen.push(holder.guest!().quietTimerUpcalls(100), rtems.clockGetTicksSinceBoot());
        yield* rtems.taskWakeAfter(20);
        rtems.exit(0);
      },
    };
    const built = host(architecture, application, undefined, undefined, platform);
    holder.guest = built.guest;
    return { ...built, seen, atIdle };
  }

  // Only an idle guest may have its upcalls skipped: 0 while Init runs, then exactly the ticks before Init's wake-up (the executive's quiet ticks), capped by the limit.
  it('quietTimerUpcalls: 0 while a task runs and until the IDLE hypercall, the quiet ticks before the next watchdog once the guest idles', () => {
    const { testHost, guest, seen, atIdle } = sleeper();
    testHost.run(5.5 * MS);
    expect(seen).toEqual([0, 0]);
    expect(atIdle.length).toBeGreaterThanOrEqual(1);
    expect(atIdle.every((quiet) => quiet === 0)).toBe(true);
    // A few ticks taken (the first expiry is a period after the guest's boot); Init's delay expires at tick 20: the ticks before it only count.
    const ticks = guest().executive!.rtems.clockGetTicksSinceBoot();
    expect(ticks).toBeGreaterThanOrEqual(4);
    expect(guest().quietTimerUpcalls(100)).toBe(20 - ticks - 1);
    expect(guest().quietTimerUpcalls(3)).toBe(3);
    expect(guest().quietTimerUpcalls(100)).toBe(guest().executive!.quietIdleTicks(100));
  });

  // Crediting n upcalls must count what n TIMER upcalls into the idle guest would: its upcalls and ticks, the executive's ticks and interrupts, one VIRQ_RETURN and one IDLE hypercall each.
  it('creditTimerUpcalls(n): upcalls[TIMER], ticksAnnounced, the executive ticks and the VIRQ_RETURN and IDLE hypercalls count n more', () => {
    const { testHost, guest } = sleeper();
    testHost.run(5.5 * MS);
    const virtualPok = guest();
    const client = virtualPok.client!;
    const snapshot = () => {
      const { ticks, interrupts } = virtualPok.executive!.statistics();
      return [virtualPok.upcalls[VirtualLine.TIMER]!, virtualPok.ticksAnnounced, ticks, interrupts, client.counts.get(Hypercall.VIRQ_RETURN) ?? 0, client.counts.get(Hypercall.IDLE) ?? 0, client.totalCalls];
    };
    const before = snapshot();
    // Each tick so far was a TIMER upcall announcing one tick.
    const ticks = before[2]!;
    expect(ticks).toBeGreaterThanOrEqual(4);
    expect(before.slice(0, 2)).toEqual([ticks, ticks]);
    virtualPok.creditTimerUpcalls(3);
    expect(snapshot()).toEqual([before[0]! + 3, before[1]! + 3, before[2]! + 3, before[3]! + 3, before[4]! + 3, before[5]! + 3, before[6]! + 6]);
    // The credited ticks bring Init's wake-up at tick 20 three ticks closer.
    expect(virtualPok.quietTimerUpcalls(100)).toBe(20 - (ticks + 3) - 1);
  });
});

describe.each(boards)('the kernel fast-forward over timer upcalls into an idle bsp-virtualpok guest on %s (TestHost)', (_arch, architecture) => {
  /** Init sleeps 40 ticks at a time: between wake-ups the guest idles and takes one TIMER upcall per tick. */
  const napper: Application = {
    name: 'napper',
    description: 'sleeps 40 ticks at a time',
    configuration: { microsecondsPerTick: 1000 },
    *init(rtems: Rtems) {
      for (;;) {
        yield* rtems.taskWakeAfter(40);
        rtems.printf('tick %u\n', rtems.clockGetTicksSinceBoot());
      }
    },
  };

  function run(fastForward: boolean) {
    const built = host(architecture, napper);
    built.testHost.fastForward = fastForward;
    built.testHost.run(200.5 * MS);
    const { testHost, platform } = built;
    const guest = built.guest();
    const { ticks, interrupts } = guest.executive!.statistics();
    return {
      forwarded: testHost.fastForwardedTicks,
      counts: {
        console: testHost.consoleText(),
        kernelTicks: testHost.ticks,
        expirations: testHost.timer.expirations,
        virq: testHost.caller.virqStats(),
        hypercalls: testHost.hypercalls,
        idleCalls: testHost.caller.idleCalls,
        idleNs: testHost.caller.idleTime(platform.board.queue.now),
        guest: [guest.ticksAnnounced, guest.missedTicks, guest.upcalls[VirtualLine.TIMER], ticks, interrupts],
        calls: [...guest.client!.counts].sort(([a], [b]) => a - b),
        processor: platform.processor.stats,
      },
    };
  }

  // The fast-forward must take the idle ticks without simulating them and end with every partition, vIRQ, guest and processor count as simulating each tick does.
  it('skips idle ticks (fastForwardedTicks > 0) and ends with the same counts as with fastForward = false', () => {
    const forwarded = run(true);
    const simulated = run(false);
    expect(simulated.forwarded).toBe(0);
    expect(forwarded.forwarded).toBeGreaterThan(100);
    expect(forwarded.counts).toEqual(simulated.counts);
    // (The guest's first tick is a period after its boot: tick 200 comes after 200.5 ms.)
    expect(simulated.counts.console).toBe('tick 40\ntick 80\ntick 120\ntick 160\n');
  });
});
