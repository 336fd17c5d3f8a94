import { describe, expect, it } from 'vitest';
import { createTestSystem } from '../test.js';
import { harness } from './testHarness.js';

describe('Application Configuration Information (C User\'s Guide, "Application Configuration Information")', () => {
  it('reports the configuration the executive runs with (rtems/src/getconfigmax.c, sapi config.h)', () => {
    const h = harness(
      function* (rtems, h) {
        const maxima = [
          rtems.configurationGetMaximumBarriers(),
          rtems.configurationGetMaximumExtensions(),
          rtems.configurationGetMaximumMessageQueues(),
          rtems.configurationGetMaximumPartitions(),
          rtems.configurationGetMaximumPeriods(),
          rtems.configurationGetMaximumPorts(),
          rtems.configurationGetMaximumProcessors(),
          rtems.configurationGetMaximumRegions(),
          rtems.configurationGetMaximumSemaphores(),
          rtems.configurationGetMaximumTasks(),
          rtems.configurationGetMaximumTimers(),
        ];
        const tick = [rtems.configurationGetMicrosecondsPerTick(), rtems.configurationGetMillisecondsPerTick(), rtems.configurationGetNanosecondsPerTick(), rtems.configurationGetTicksPerTimeslice()];
        h.note(`maxima ${maxima.join(',')} tick ${tick.join(',')} initial ext ${rtems.configurationGetNumberOfInitialExtensions()} workspace ${rtems.configurationGetWorkSpaceSize()}`);
        yield 1;
      },
      {
        configuration: {
          maximumBarriers: 1,
          maximumUserExtensions: 2,
          maximumMessageQueues: 3,
          maximumPartitions: 4,
          maximumPeriods: 5,
          maximumPorts: 6,
          maximumRegions: 7,
          maximumSemaphores: 8,
          maximumTasks: 9,
          maximumTimers: 11,
          microsecondsPerTick: 2500,
          ticksPerTimeslice: 7,
          initialExtensions: [{}, {}],
        },
      },
    );
    h.run(1_000_000);
    // 2500 us: 2 ms truncated, 2500000 ns.
    expect(h.log).toEqual(['0 maxima 1,2,3,4,5,6,1,7,8,9,11 tick 2500,2,2500000,7 initial ext 2 workspace 1048576']);
  });

  it('reports the workspace the BSP gave', () => {
    const seen: number[] = [];
    const system = createTestSystem({
      application: {
        name: 'ws',
        description: 'workspace size',
        *init(rtems) {
          seen.push(rtems.configurationGetWorkSpaceSize());
          yield* rtems.taskExit();
        },
      },
      workspaceSize: 65_536,
    });
    system.run(1_000_000);
    expect(seen).toEqual([65_536]);
  });

  it('rtems_resource_unlimited / is_unlimited / maximum_per_allocation compute with RTEMS_UNLIMITED_OBJECTS (0x80000000) and a uint16_t maximum', () => {
    const h = harness(function* (rtems, h) {
      const unlimited = rtems.resourceUnlimited(10);
      h.note(
        [
          unlimited.toString(16),
          rtems.resourceIsUnlimited(unlimited),
          rtems.resourceIsUnlimited(10),
          rtems.resourceMaximumPerAllocation(unlimited),
          rtems.resourceMaximumPerAllocation(0x1_0005),
          rtems.resourceMaximumPerAllocation(7),
        ].join(' '),
      );
      yield 1;
    });
    h.run(1_000_000);
    expect(h.log).toEqual(['0 8000000a true false 10 5 7']);
  });
});
