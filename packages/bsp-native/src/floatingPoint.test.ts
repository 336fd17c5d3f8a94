/**
 * RTEMS_FLOATING_POINT tasks on bare metal (issue 14): the FP context is switched as RTEMS's
 * port does it - i386 deferred at dispatch (FSAVE/FRSTOR), SPARC lazily at the first FP use
 * (a real fp_disabled trap into RTEMS's handler, 16 STD/LDD + FSR) - and only when an FP
 * task is involved.
 */
import { type Application, InternalError, RTEMS_DEFAULT_ATTRIBUTES, RTEMS_DEFAULT_MODES, RTEMS_FLOATING_POINT, RTEMS_MINIMUM_STACK_SIZE, type Rtems } from '@paravirt/cpukit';
import { I386_DEFAULT_COSTS } from '@paravirt/cpu-i386';
import { SPARC_DEFAULT_COSTS, type SparcProcessor, TT_FP_DISABLED } from '@paravirt/cpu-sparc';
import { describe, expect, it } from 'vitest';
import { createNativeSystem } from './nativeSystem.js';

const MS = 1_000_000;

/** Two tasks that alternate for three ticks each, computing with FP (when `fp`) or integer only. */
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

/** A task without RTEMS_FLOATING_POINT that uses the FPU. */
const illegal: Application = {
  name: 'fp-illegal',
  description: 'FP in a non-FP task',
  *init(rtems: Rtems) {
    yield rtems.compute(100);
    yield rtems.fpCompute(100);
    rtems.exit(0);
  },
};

const EXTRA = {
  // i386: FRSTOR for the first owner, FSAVE + FRSTOR for every change after it.
  i386: { save: I386_DEFAULT_COSTS.fpContextSave, restore: I386_DEFAULT_COSTS.fpContextRestore, trap: 0 },
  // SPARC: each change is an fp_disabled trap (entry, RDPSR + WRPSR, exit) around it.
  sparc: {
    save: SPARC_DEFAULT_COSTS.fpContextSave,
    restore: SPARC_DEFAULT_COSTS.fpContextRestore,
    trap: SPARC_DEFAULT_COSTS.trapEntry + 2 * SPARC_DEFAULT_COSTS.privilegedInstruction + SPARC_DEFAULT_COSTS.trapExit,
  },
};

describe.each(['i386', 'sparc'] as const)('floating point on bare metal %s', (arch) => {
  it('switches the FP context between FP tasks and charges exactly its cost', () => {
    const withFp = createNativeSystem({ arch, application: alternating(true) });
    const without = createNativeSystem({ arch, application: alternating(false) });
    withFp.run(100 * MS);
    without.run(100 * MS);
    expect(withFp.executive.termination).toEqual({ kind: 'exit', status: 0 });
    expect(without.executive.termination).toEqual({ kind: 'exit', status: 0 });
    const fp = withFp.executive.statistics();
    const int = without.executive.statistics();
    // Every turn moves the FPU: SPARC at the 3 FP uses of each task; the i386 at each of the
    // 4 dispatches of each (deferred: the last one, to exit, moves it too).
    const switches = arch === 'i386' ? 8 : 6;
    expect(fp.fpContextSwitches).toBe(switches);
    expect(int.fpContextSwitches).toBe(0);
    expect(fp.contextSwitches).toBe(int.contextSwitches);
    const e = EXTRA[arch];
    // Saves: every change but the first; on the i386 also not after TA ended (a deleted owner's context is dropped).
    const saves = arch === 'i386' ? switches - 2 : switches - 1;
    const extra = switches * (e.trap + e.restore) + saves * e.save;
    expect(withFp.board.processor.stats.overheadCycles - without.board.processor.stats.overheadCycles).toBe(extra);
    if (arch === 'sparc') {
      // The trap is taken for real: PSR.EF = 0 for a task that does not own the FPU, one
      // fp_disabled per change of owner, none for integer work.
      const cpu = (system: typeof withFp) => system.board.processor as SparcProcessor;
      expect(cpu(withFp).trapCount(TT_FP_DISABLED)).toBe(switches);
      expect(cpu(without).trapCount(TT_FP_DISABLED)).toBe(0);
    }
  });

  it('a task without RTEMS_FLOATING_POINT that uses the FPU is the fatal error ILLEGAL_USE_OF_FLOATING_POINT_UNIT', () => {
    const system = createNativeSystem({ arch, application: illegal });
    system.run(10 * MS);
    expect(system.executive.termination).toMatchObject({ kind: 'fatal', source: 'INTERNAL_ERROR_CORE', code: InternalError.ILLEGAL_USE_OF_FLOATING_POINT_UNIT });
    expect(InternalError.ILLEGAL_USE_OF_FLOATING_POINT_UNIT).toBe(38);
    expect(system.executive.statistics().fpContextSwitches).toBe(0);
  });
});
