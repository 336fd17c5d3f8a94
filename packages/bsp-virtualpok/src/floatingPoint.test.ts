/**
 * RTEMS_FLOATING_POINT tasks in a partition (issue 14): no privileged operation, the FP
 * context switched by the guest at the dispatch of an FP task that does not own the FPU
 * (FSAVE/FRSTOR on the i386; STD/LDD of f0-f31 and the FSR on SPARC, whose PSR.EF is the
 * kernel's: the partition's first FP instruction raises fp_disabled once, and the kernel
 * enables its FPU for good), charged only when an FP task is involved.
 */
import { i386Architecture } from '@paravirt/cpu-i386';
import { type SparcProcessor, sparcArchitecture, TT_FP_DISABLED } from '@paravirt/cpu-sparc';
import { type Application, InternalError, RTEMS_DEFAULT_ATTRIBUTES, RTEMS_DEFAULT_MODES, RTEMS_FLOATING_POINT, RTEMS_MINIMUM_STACK_SIZE, type Rtems } from '@paravirt/cpukit';
import type { Architecture, Platform } from '@paravirt/machine';
import { TestHost } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import { type VirtualPokGuest, virtualPokGuest } from './virtualPokGuest.js';

const MS = 1_000_000;

function alternating(fp: boolean): Application {
  return {
    name: fp ? 'fp-alternating' : 'int-alternating',
    description: 'two tasks take turns',
    configuration: { maximumTasks: 3, microsecondsPerTick: 1000 },
    *init(rtems: Rtems) {
      let done = 0;
      for (const name of ['TA', 'TB']) {
        const { id } = rtems.taskCreate(name, 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, fp ? RTEMS_FLOATING_POINT : RTEMS_DEFAULT_ATTRIBUTES);
        yield* rtems.taskStart(
          id,
          function* (task: Rtems) {
            for (let i = 0; i < 3; i++) {
              yield fp ? task.fpCompute(1000) : task.compute(1000);
              yield* task.taskWakeAfter(1);
            }
            if (++done === 2) task.exit(0);
            yield* task.taskExit();
          },
          0,
        );
      }
      yield* rtems.taskExit();
    },
  };
}

const illegal: Application = {
  name: 'fp-illegal',
  description: 'FP in a non-FP task',
  *init(rtems: Rtems) {
    yield rtems.fpCompute(100);
    rtems.exit(0);
  },
};

function run(architecture: Architecture, application: Application) {
  let guest: VirtualPokGuest | undefined;
  const platform: Platform = architecture.board.create({ memorySize: 4 << 20 });
  const factory = virtualPokGuest({ application, name: 'p0', architecture });
  const testHost = new TestHost({ platform, guest: (start) => (guest = factory(start)), name: 'p0' });
  testHost.start();
  testHost.run(100 * MS);
  return { platform, testHost, executive: guest!.executive! };
}

describe.each([
  ['i386', i386Architecture],
  ['sparc', sparcArchitecture],
] as const)('floating point in a partition on %s', (arch, architecture) => {
  it('switches FP contexts at dispatch without a privileged operation, and charges only for FP tasks', () => {
    const withFp = run(architecture, alternating(true));
    const without = run(architecture, alternating(false));
    expect(withFp.testHost.faults).toEqual([]);
    expect(withFp.testHost.hmEvents).toEqual([]);
    expect(withFp.executive.termination).toEqual({ kind: 'exit', status: 0 });
    const fp = withFp.executive.statistics();
    const int = without.executive.statistics();
    // Deferred switch: each of the 4 dispatches of TA and TB moves the FPU; TA's context is dropped once it ended.
    expect(fp.fpContextSwitches).toBe(8);
    expect(int.fpContextSwitches).toBe(0);
    expect(fp.contextSwitches).toBe(int.contextSwitches);
    const costs = withFp.platform.costs;
    // SPARC: the first LDDF (the first FP task's dispatch) meets PSR.EF = 0: one fp_disabled
    // into the kernel, which sets EF for the partition (WRPSR), loads its zeroed initial FP
    // context and retries it.
    const enable = arch === 'sparc' ? costs.trapEntry + costs.privilegedInstruction + costs.fpContextRestore + costs.trapExit : 0;
    const extra = 8 * costs.fpContextRestore + 6 * costs.fpContextSave + enable;
    if (arch === 'sparc') {
      const cpu = withFp.platform.processor as SparcProcessor;
      expect(cpu.trapCount(TT_FP_DISABLED)).toBe(1);
      expect(cpu.fpuIsEnabled).toBe(true);
      expect((without.platform.processor as SparcProcessor).trapCount(TT_FP_DISABLED)).toBe(0);
    }
    // The kernel puts what the guest charges on the partition's bill and runs it as part of its steps.
    const busy = (host: typeof withFp) => host.platform.processor.stats.computeCycles + host.platform.processor.stats.overheadCycles;
    expect(busy(withFp) - busy(without)).toBe(extra);
  });

  it('a task without RTEMS_FLOATING_POINT that uses the FPU is the fatal error ILLEGAL_USE_OF_FLOATING_POINT_UNIT', () => {
    const { executive } = run(architecture, illegal);
    expect(executive.termination).toMatchObject({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.ILLEGAL_USE_OF_FLOATING_POINT_UNIT });
  });
});
