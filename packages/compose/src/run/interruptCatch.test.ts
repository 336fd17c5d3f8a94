/**
 * rtems_interrupt_catch in a SPARC partition (issue 14), under the POK-style and the
 * AIR-style kernel on the LEON3 model, with board line 5 routed to the partition.
 *
 * A partition has no trap table of its own: the kernel takes the external interrupt and
 * delivers it as an upcall of virtual line HW_BASE + 5. Catching trap 0x15 (external
 * interrupt level 5, the SPARC port's vector for it) makes that upcall run the caught
 * routine with 0x15 in place of the BSP's dispatch of the line, as on bare metal the slot of
 * trap_table is rewritten; the previous routine comes back from each catch.
 */
import { virtualPokGuest, type VirtualPokGuest } from '@paravirt/bsp-virtualpok';
import { Leon3Board, sparcArchitecture } from '@paravirt/cpu-sparc';
import { type Application, type IsrEntry, RTEMS_INTERRUPT_UNIQUE, type Rtems, RtemsStatus } from '@paravirt/cpukit';
import type { PartitionStart } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { bootTwoPartitions } from './twoPartitionModule.js';

const MS = 1_000_000;
const hex = (vector: number): string => `0x${vector.toString(16)}`;

/** Partition `p` alone in a 100 ms frame, its window [0, 50 ms), board line 5 routed to it. */
function boot(kernelName: 'pok' | 'air', application: Application) {
  const board = new Leon3Board({ memorySize: 8 << 20 });
  let guest: VirtualPokGuest | undefined;
  const factory = virtualPokGuest({ application, name: 'p', architecture: sparcArchitecture, now: () => board.board.queue.now });
  const guests = { p: (start: PartitionStart) => (guest = factory(start)) };
  bootTwoPartitions(kernelName, board, { windows: [['p', 50 * MS], ['q', 50 * MS]], guests: { ...guests, q: idle }, kernelTick: MS, routes: [{ line: 5, partition: 'p' }] });
  return { board, guest: () => guest! };
}

/** The other partition: an RTEMS guest that only waits. */
const idle = virtualPokGuest({
  application: {
    name: 'idle',
    description: 'waits',
    *init(rtems: Rtems) {
      yield* rtems.taskWakeAfter(1_000_000);
    },
  },
  name: 'q',
  architecture: sparcArchitecture,
});

describe.each(['pok', 'air'] as const)('rtems_interrupt_catch in a SPARC partition under the %s kernel', (kernelName) => {
  it('checks the vector, then the routine; a caught external interrupt runs the caught routine with its trap type from the upcall; the old routines chain back', () => {
    const log: string[] = [];
    const caught = (name: string): IsrEntry => (isr: Rtems, vector: number) => void log.push(`${name} ${hex(vector)} in ISR ${isr.interruptIsInProgress()} at tick ${isr.clockGetTicksSinceBoot()}`);
    const a = caught('a');
    const b = caught('b');
    const application: Application = {
      name: 'catch',
      description: 'rtems_interrupt_catch on the routed line 5',
      configuration: { microsecondsPerTick: 1000 },
      *init(rtems: Rtems) {
        const status = (result: { status: RtemsStatus }): string => RtemsStatus[result.status];
        log.push(`checks ${[rtems.interruptCatch(a, 512), rtems.interruptCatch(undefined as unknown as IsrEntry, 0x200), rtems.interruptCatch(undefined as unknown as IsrEntry, 0x15)].map(status).join(' ')}`);
        const device = (isr: Rtems): void => void log.push(`device handler at tick ${isr.clockGetTicksSinceBoot()}`);
        log.push(`handler install ${RtemsStatus[rtems.interruptHandlerInstall(5, 'dev', RTEMS_INTERRUPT_UNIQUE, device, 0)]}`);
        yield* rtems.taskWakeAfter(3); // the device raises at 2.5 ms
        const first = rtems.interruptCatch(a, 0x15);
        log.push(`catch a ${status(first)} old ${String(first.oldIsrHandler)}`);
        yield* rtems.taskWakeAfter(2); // ... at 4.5 ms
        const second = rtems.interruptCatch(b, 0x15);
        log.push(`catch b ${status(second)} old is a ${second.oldIsrHandler === a}`);
        yield* rtems.taskWakeAfter(2); // ... at 6.5 ms
        const third = rtems.interruptCatch(second.oldIsrHandler!, 0x15);
        log.push(`catch a again ${status(third)} old is b ${third.oldIsrHandler === b}`);
        yield* rtems.taskWakeAfter(2); // ... at 8.5 ms
        rtems.exit(0);
      },
    };
    const { board, guest } = boot(kernelName, application);
    const line = board.deviceLine(5);
    for (const at of [2, 4, 6, 8]) {
      board.board.queue.at(at * MS + 0.5 * MS, () => {
        line.raise();
        line.lower();
      });
    }
    board.board.runUntil(40 * MS);
    expect(log).toEqual([
      'checks INVALID_NUMBER INVALID_NUMBER INVALID_ADDRESS',
      'handler install SUCCESSFUL',
      // The guest's tick count runs one behind the board's milliseconds: its virtual timer
      // starts when its clock driver sets it, and the first expiry comes a period later.
      'device handler at tick 1',
      'catch a SUCCESSFUL old undefined',
      'a 0x15 in ISR true at tick 3',
      'catch b SUCCESSFUL old is a true',
      'b 0x15 in ISR true at tick 5',
      'catch a again SUCCESSFUL old is b true',
      'a 0x15 in ISR true at tick 7',
    ]);
    // Each caught interrupt was acknowledged (VIRQ_ACK), so the next one got through; the BSP's handler ran once.
    expect([guest().caughtInterrupts, guest().hardwareInterrupts, guest().unexpectedInterrupts]).toEqual([3, 1, 0]);
  });
});
