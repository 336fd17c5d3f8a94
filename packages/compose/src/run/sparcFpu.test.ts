/**
 * The kernels' FPU on SPARC (issue 14), on the LEON3 model: the POK-style and the AIR-style
 * kernel give a partition its FPU at its first fp_disabled trap (AIR-style: only a partition
 * with FPU_CONTROL; any other one has a FLOAT_ERROR for the health monitor), and from then on
 * save and restore its f0-f31 + FSR at every partition switch. The kernels reach the
 * processor only through machine's Platform, so these tests live where a kernel meets a
 * board: here. Kernel-level tests use scripted guests that execute FP instructions
 * directly; the integration test runs RTEMS FP task pairs (cpukit + bsp-virtualpok) in two
 * partitions.
 */
import { virtualPokGuest, type VirtualPokGuest } from '@paravirt/bsp-virtualpok';
import { Leon3Board, SPARC_DEFAULT_COSTS, type SparcProcessor, sparcArchitecture, TT_FP_DISABLED } from '@paravirt/cpu-sparc';
import { type Application, RTEMS_DEFAULT_MODES, RTEMS_FLOATING_POINT, RTEMS_MINIMUM_STACK_SIZE, type Rtems } from '@paravirt/cpukit';
import { type GuestScript, scriptedGuest } from '@paravirt/kernel-core/test';
import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { type PartitionGuestFactory, PartitionMode, type PartitionStart } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { readModuleConfig } from '../config/readConfig.js';
import { toAirConfig } from '../config/toAir.js';
import { toPokConfig } from '../config/toPok.js';
import { bootTwoPartitions } from './twoPartitionModule.js';

const MS = 1_000_000;
const C = SPARC_DEFAULT_COSTS;
/** The first fp_disabled of a partition: trap entry, WRPSR (EF), its zeroed FP context loaded, trap exit. */
const ENABLE = C.trapEntry + C.privilegedInstruction + C.fpContextRestore + C.trapExit;
/** Switching out a partition with the FPU: 16 STDF + STFSR. */
const SAVE = C.fpContextSave;
/** Switching it back in: WRPSR (EF) + 16 LDDF + LDFSR. */
const RESTORE = C.privilegedInstruction + C.fpContextRestore;

type KernelName = 'pok' | 'air';

/** a [0, 40 ms), b [40, 100 ms) of a 100 ms frame, on both kernels. */
function boot(kernelName: KernelName, guests: Record<'a' | 'b', PartitionGuestFactory>, options: { fpuControl?: readonly string[] } = {}) {
  const sink = new BufferTraceSink();
  const board = new Leon3Board({ memorySize: 8 << 20, trace: new TraceRecorder(sink) });
  const kernel = bootTwoPartitions(kernelName, board, { windows: [['a', 40 * MS], ['b', 60 * MS]], guests, kernelTick: MS, ...(options.fpuControl ? { fpuControl: options.fpuControl } : {}) });
  const cpu = board.processor;
  const fpuRecords = () => sink.records.filter((record) => record.kind === 'partition.fpu').map((record) => `${Math.floor(record.time / MS)}ms ${String(record.payload['partition'])}`);
  return { board, cpu, kernel, fpuRecords, run: (until: number) => board.board.runUntil(until) };
}

/**
 * A partition that computes `steps` steps of 1 ms (50,000 cycles at 50 MHz), then waits.
 * With `fp`, it first writes its own pattern into f0-f3 and the FSR, and after every step
 * checks that they are still there (logging any difference); without it, it computes the
 * same steps and never touches the FPU.
 */
function worker(pattern: number, fp: boolean, seen: string[], steps = Infinity): GuestScript {
  return function* (env) {
    const cpu = env.processor as SparcProcessor;
    if (fp) {
      for (let n = 0; n < 4; n++) cpu.writeFpRegister(n, pattern + n);
      cpu.ldfsr(pattern >>> 8);
    }
    for (let step = 0; step < steps; step++) {
      yield 50_000;
      if (!fp) continue;
      const values = [0, 1, 2, 3].map((n) => cpu.readFpRegister(n));
      const fsr = cpu.stfsr();
      if (values.some((value, n) => value !== pattern + n) || fsr !== pattern >>> 8) seen.push(`${values.map((value) => value.toString(16)).join(',')} fsr ${fsr.toString(16)}`);
    }
  };
}

describe.each(['pok', 'air'] as const)('the %s kernel gives SPARC partitions their FPU', (kernelName) => {
  it('at its first FP instruction, once per partition; its f-registers and FSR survive the switches to the other FP partition', () => {
    const seen: string[] = [];
    const { cpu, board, kernel, fpuRecords, run } = boot(kernelName, { a: scriptedGuest(worker(0xa000_0000, true, seen)), b: scriptedGuest(worker(0xb000_0000, true, seen)) });
    run(350 * MS);
    // One fp_disabled per partition, at the start of its first window; never again.
    expect(cpu.trapCount(TT_FP_DISABLED)).toBe(2);
    expect(fpuRecords()).toEqual(['0ms a', '40ms b']);
    // Every check in every window of both partitions found the partition's own values.
    expect(seen).toEqual([]);
    for (const name of ['a', 'b']) {
      const partition = kernel.partition(name)!;
      expect(board.userFpuEnabled(partition.context)).toBe(true);
      expect(partition.hmEvents.total).toBe(0);
      expect(partition.windows).toBeGreaterThanOrEqual(3);
    }
  });

  it('charges the enable once per partition, and a save and a restore per switch of an FP partition, nothing more', () => {
    // 20 ms of work each, in their first windows; they wait afterwards, still switched in and out.
    const withFp = boot(kernelName, { a: scriptedGuest(worker(0xa000_0000, true, [], 20)), b: scriptedGuest(worker(0xb000_0000, true, [], 20)) });
    const without = boot(kernelName, { a: scriptedGuest(worker(0xa000_0000, false, [], 20)), b: scriptedGuest(worker(0xb000_0000, false, [], 20)) });
    // Up to 250 ms: a [0,40) [100,140) [200,240), b [40,100) [140,200) [240,...).
    withFp.run(250 * MS);
    without.run(250 * MS);
    expect(without.cpu.trapCount(TT_FP_DISABLED)).toBe(0);
    // a switched out at 40, 140, 240 and back in at 100, 200; b out at 100, 200 and in at 140, 240.
    const extra = 2 * ENABLE + 5 * SAVE + 4 * RESTORE;
    // Everything the processor did or still owes: its busy cycles, what is charged and not yet
    // run, and what the partitions owe (a's save at 240 ms is paid in its next window).
    const work = (system: typeof withFp) => {
      const stats = system.cpu.stats;
      const owed = ['a', 'b'].reduce((sum, name) => sum + system.kernel.partition(name)!.owedCycles, 0);
      return stats.computeCycles + stats.overheadCycles + system.cpu.chargedCycles + owed;
    };
    expect(work(withFp) - work(without)).toBe(extra);
  });

  it('an FP partition and one that never uses the FPU: only the FP one pays, and the other never gets EF', () => {
    const seen: string[] = [];
    const { cpu, board, kernel, run } = boot(kernelName, { a: scriptedGuest(worker(0xa000_0000, true, seen)), b: scriptedGuest(worker(0xb000_0000, false, seen)) });
    let efInB = 0;
    const original = board.enterUser.bind(board);
    board.enterUser = (context) => {
      original(context);
      if (context === kernel.partition('b')!.context && cpu.fpuIsEnabled) efInB++;
    };
    run(250 * MS);
    expect(cpu.trapCount(TT_FP_DISABLED)).toBe(1);
    expect(seen).toEqual([]);
    expect(board.userFpuEnabled(kernel.partition('b')!.context)).toBe(false);
    expect(efInB).toBe(0);
  });
});

describe('the AIR-style kernel: the FPU is for partitions with FPU_CONTROL', () => {
  it('an FP instruction of a partition without FPU_CONTROL is a FLOAT_ERROR for the health monitor, and it never gets EF', () => {
    const seen: string[] = [];
    const { cpu, board, kernel, run } = boot('air', { a: scriptedGuest(worker(0xa000_0000, true, seen)), b: scriptedGuest(worker(0xb000_0000, true, seen)) }, { fpuControl: ['a'] });
    run(60 * MS);
    const b = kernel.partition('b')!;
    expect(board.userFpuEnabled(kernel.partition('a')!.context)).toBe(true);
    expect(board.userFpuEnabled(b.context)).toBe(false);
    // b's first FP instruction (its first write to f0) is AIR's FLOAT_ERROR (ARINC
    // NUMERIC_ERROR); the module's default table (faults: IDLE) stops b there.
    const events = b.hmEvents.entries();
    expect(events.map((event) => [event.error, event.level, event.action])).toEqual([['NUMERIC_ERROR', 'partition', 'IDLE']]);
    // (The scripted guest never enters NORMAL mode: still initialising.)
    expect(events[0]!.detail).toBe('FLOAT_ERROR in PARTITION_INIT: fp_disabled (ld %f0): the partition may not use the floating-point unit');
    expect(events[0]!.timeNs).toBeGreaterThanOrEqual(40 * MS);
    expect(b.mode).toBe(PartitionMode.IDLE);
    expect(kernel.partition('a')!.hmEvents.total).toBe(0);
    expect(cpu.trapCount(TT_FP_DISABLED)).toBe(2);
  });
});

/** Two RTEMS_FLOATING_POINT tasks that take turns for `rounds` ticks each, computing with the FPU. */
function fpPair(rounds: number): Application {
  return {
    name: 'fp-pair',
    description: 'two FP tasks take turns',
    configuration: { maximumTasks: 3, microsecondsPerTick: 1000 },
    *init(rtems: Rtems) {
      let done = 0;
      for (const name of ['TA', 'TB']) {
        const { id } = rtems.taskCreate(name, 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_FLOATING_POINT);
        yield* rtems.taskStart(
          id,
          function* (task: Rtems) {
            for (let i = 0; i < rounds; i++) {
              yield task.fpCompute(20_000);
              yield* task.taskWakeAfter(1);
            }
            if (++done === 2) {
              task.printf('fp pair done\n');
              task.exit(0);
            }
            yield* task.taskExit();
          },
          0,
        );
      }
      yield* rtems.taskExit();
    },
  };
}

describe.each(['pok', 'air'] as const)('integration: RTEMS FP task pairs in two SPARC partitions on %s', (kernelName) => {
  it('both partitions finish; each took one fp_disabled, then switched FP contexts among its own tasks without a trap', () => {
    const executives: Record<string, VirtualPokGuest> = {};
    const guest =
      (name: string): PartitionGuestFactory =>
      (start: PartitionStart) =>
        (executives[name] = virtualPokGuest({ application: fpPair(60), name, architecture: sparcArchitecture })(start));
    const { cpu, kernel, fpuRecords, run } = boot(kernelName, { a: guest('a'), b: guest('b') });
    run(400 * MS);
    expect(cpu.trapCount(TT_FP_DISABLED)).toBe(2);
    expect(fpuRecords().map((record) => record.split(' ')[1])).toEqual(['a', 'b']);
    for (const name of ['a', 'b']) {
      const executive = executives[name]!.executive!;
      expect(executive.termination).toEqual({ kind: 'exit', status: 0 });
      // Deferred switch: the FPU moves at every dispatch of TA and TB (2 x 61), with no trap.
      expect(executive.statistics().fpContextSwitches).toBeGreaterThanOrEqual(120);
      const partition = kernel.partition(name)!;
      expect(partition.console.text()).toContain('fp pair done');
      expect(partition.hmEvents.total).toBe(0);
    }
  });
});

describe('the fpu-control permission of our configuration', () => {
  const module = (permissions: string) => `
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: a, start: 0ms, duration: 100ms }
partitions:
  - { name: a, app: hello, permissions: ${permissions} }
`;
  it("is AIR's FPU_CONTROL on kernel air, and accepted on kernel pok (whose partitions all have the FPU)", () => {
    const spec = readModuleConfig(module('[fpu-control]')).value!;
    expect(spec.partitions[0]!.permissions).toEqual(['fpu-control']);
    expect(toAirConfig(spec).config!.partitions[0]!.permissions).toEqual(['FPU_CONTROL']);
    expect(toPokConfig(spec).errors).toEqual([]);
    // Any other permission is still refused on pok.
    expect(toPokConfig(readModuleConfig(module('[fpu-control, set-schedule]')).value!).errors.map((error) => error.path)).toEqual(['partitions.a.permissions']);
  });
});
