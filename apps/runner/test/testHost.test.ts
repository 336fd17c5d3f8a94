/**
 * The paravirtual guest stack alone on kernel-core's TestHost double (no kernel): the
 * RTEMS samples over bsp-virtualpok + libcpu-virtual reproduce RTEMS's reference screens on
 * both processor models, the full window as well as a partition's share of the processor.
 * Lives with the runner because it is the one package allowed to import samples and a BSP
 * together (tooling/layers.mjs).
 */
import { virtualPokGuest } from '@paravirt/bsp-virtualpok';
import { i386Architecture } from '@paravirt/cpu-i386';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import type { Architecture } from '@paravirt/machine';
import { PartitionMode } from '@paravirt/paravirt-api';
import { TestHost } from '@paravirt/kernel-core/test';
import { base_sp, compareScreens, hello, ticker } from '@paravirt/samples';
import { describe, expect, it } from 'vitest';
import { reference } from './helpers.js';

const MS = 1_000_000;
const boards: Array<[string, Architecture]> = [
  ['i386', i386Architecture],
  ['sparc', sparcArchitecture],
];
const windows = [
  ['the whole processor', undefined],
  ['a 20 ms window every 100 ms', { period: 100 * MS, duration: 20 * MS }],
] as const;

describe.each(boards)('RTEMS samples over bsp-virtualpok on the TestHost, %s', (_arch, architecture) => {
  describe.each(windows)('with %s', (_what, window) => {
    it.each([hello, ticker, base_sp])('$name matches its reference screen and exits', (application) => {
      const platform = architecture.board.create({ memorySize: 4 << 20 });
      const testHost = new TestHost({ platform, guest: virtualPokGuest({ application, name: 'p0', architecture }), name: 'p0', ...(window ? { window } : {}) });
      testHost.start();
      testHost.run(40_000 * MS);
      expect(compareScreens(testHost.consoleText(), reference(application.name))).toBeUndefined();
      // exit(0) is the partition going idle; nothing was refused, nothing lost.
      expect(testHost.mode).toBe(PartitionMode.IDLE);
      expect([testHost.hmEvents, testHost.badCalls]).toEqual([[], []]);
      expect(testHost.interrupts.stats().lost).toBe(0);
    });
  });
});
