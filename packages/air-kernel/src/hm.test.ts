/**
 * Health monitoring by tables: every action at every level, triggered by real faults
 * (a privileged instruction, a memory access outside the partition) and by errors the
 * guest reports (HM_RAISE APPLICATION_ERROR, DEADLINE_MISSED); the HM log; the defaults.
 */
import type { SimpleProcessor } from '@paravirt/machine/test';
import { ErrorCode, PartitionMode, StartCondition, Status, VirtualLine } from '@paravirt/paravirt-api';
import type { GuestScript, ScriptedGuestEnv } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import type { AirConfig } from './config.js';
import { airErrorName, AirError, type AirHealthMonitorConfig, HealthMonitorTables, type HmAction, type HmLevel, SystemState } from './hm.js';
import { bootAir, consoleOf, idle, MS, partition, text, twoPartitionConfig } from './internal/harness.js';

interface Trigger {
  readonly name: string;
  readonly error: number;
  readonly state: number;
  readonly arinc: string;
  readonly detail: string;
  readonly fire: (env: ScriptedGuestEnv) => void;
}

const TRIGGERS: readonly Trigger[] = [
  {
    name: 'privileged instruction',
    error: AirError.VIOLATION_ERROR,
    state: SystemState.PARTITION_EXEC,
    arinc: 'ILLEGAL_REQUEST',
    detail: 'VIOLATION_ERROR in PARTITION_EXEC: privileged (cli)',
    fire: (env) => (env.processor as SimpleProcessor).disableInterrupts(),
  },
  {
    name: 'memory fault',
    error: AirError.SEGMENTATION_ERROR,
    state: SystemState.PARTITION_EXEC,
    arinc: 'MEMORY_VIOLATION',
    detail: 'SEGMENTATION_ERROR in PARTITION_EXEC: memory fault: user read of 4 byte(s) at 0x00200000 in context a: not mapped',
    fire: (env) => void env.processor.load(0x200000, 4),
  },
  {
    name: 'HM_RAISE APPLICATION_ERROR',
    error: AirError.USR4_ERROR,
    state: SystemState.PARTITION_PROC,
    arinc: 'APPLICATION_ERROR',
    detail: 'USR4_ERROR in PARTITION_PROC: sensor out of range',
    fire: (env) => void env.client.hmRaise(ErrorCode.APPLICATION_ERROR, 'sensor out of range'),
  },
  {
    name: 'HM_RAISE DEADLINE_MISSED',
    error: AirError.USR5_ERROR,
    state: SystemState.PARTITION_PROC,
    arinc: 'DEADLINE_MISSED',
    detail: 'USR5_ERROR in PARTITION_PROC: period 0x42010001',
    fire: (env) => void env.client.hmRaise(ErrorCode.DEADLINE_MISSED, 'period 0x42010001'),
  },
];

const CASES: ReadonlyArray<readonly [HmLevel, HmAction]> = [
  ['MODULE', 'IGNORE'],
  ['MODULE', 'SHUTDOWN'],
  ['MODULE', 'RESET'],
  ['PARTITION', 'IGNORE'],
  ['PARTITION', 'IDLE'],
  ['PARTITION', 'WARM_START'],
  ['PARTITION', 'COLD_START'],
  ['PROCESS', 'IGNORE'],
  ['PROCESS', 'IDLE'],
  ['PROCESS', 'WARM_START'],
  ['PROCESS', 'COLD_START'],
];

/** Tables that route (state, error) of partition a to `level` and `action`, and nothing else. */
function tables(trigger: Trigger, level: HmLevel, action: HmAction): AirHealthMonitorConfig {
  const at = { state: trigger.state, error: trigger.error };
  return {
    system: [{ ...at, level }],
    module: level === 'MODULE' ? [{ ...at, action: action as 'IGNORE' | 'SHUTDOWN' | 'RESET' }] : [],
    partitions: level === 'MODULE' ? [] : [{ partition: 'a', entries: [{ ...at, action: action as 'IGNORE' | 'IDLE' | 'WARM_START' | 'COLD_START' }] }],
  };
}

/** Partition a: on its first boot goes NORMAL, takes HM_EVENT upcalls, fires the trigger, says "after"; on a later boot says "rebooted". */
function faultingGuest(trigger: Trigger, boots: string[]): readonly [GuestScript, { onBoot: (env: ScriptedGuestEnv) => void }] {
  return [
    function* (env) {
      if (boots.length > 1) {
        env.client.consoleWrite(text('rebooted\n'));
        return;
      }
      env.client.setPartitionMode(PartitionMode.NORMAL);
      env.enableVirtualInterrupts([VirtualLine.HM_EVENT]);
      trigger.fire(env);
      env.client.consoleWrite(text(`after, upcalls ${env.upcalls.join(',')}\n`));
    },
    { onBoot: (env) => boots.push(env.start.startKind) },
  ];
}

const bGuest: GuestScript = function* (env) {
  env.client.consoleWrite(text('b runs\n'));
};

describe('HM tables: each action at each level, for faults and guest reports', () => {
  for (const trigger of TRIGGERS) {
    describe(trigger.name, () => {
      it.each(CASES)('%s level, %s', (level, action) => {
        const boots: string[] = [];
        const config = twoPartitionConfig({ healthMonitor: tables(trigger, level, action) });
        const { run, kernel, part, platform } = bootAir(config, { a: faultingGuest(trigger, boots), b: bGuest });
        run(150 * MS);
        const a = part('a');
        const b = part('b');
        expect(a.hmEvents.entries()).toEqual([{ timeNs: 0, error: trigger.arinc, level: level.toLowerCase(), action, detail: trigger.detail }]);
        expect(kernel.hmLog.entries()).toEqual([{ timeNs: 0, partitionId: 1, error: trigger.error, state: trigger.state, level, action, detail: trigger.detail }]);
        expect(a.deadlineMisses).toBe(trigger.error === AirError.USR5_ERROR ? 1 : 0);
        const outcome = {
          aConsole: consoleOf(a.console),
          aMode: a.mode,
          aRestarts: a.restarts,
          aStart: a.startCondition,
          boots: boots.join(','),
          bConsole: consoleOf(b.console),
          bRestarts: b.restarts,
          stopped: platform.processor.stopReason ?? null,
        };
        const normal = { aMode: PartitionMode.NORMAL, aRestarts: 0, aStart: StartCondition.NORMAL_START, boots: 'cold', bConsole: 'b runs\n', bRestarts: 0, stopped: null };
        switch (action) {
          case 'IGNORE':
            // Partition and process level: the event goes to the guest as the HM_EVENT virtual interrupt; module level drops it.
            expect(outcome).toEqual({ ...normal, aConsole: `after, upcalls ${level === 'MODULE' ? '' : VirtualLine.HM_EVENT}\n` });
            break;
          case 'SHUTDOWN':
            expect(outcome).toEqual({ ...normal, aConsole: '', aMode: PartitionMode.IDLE, bConsole: '', stopped: `module shutdown by the health monitor: ${airErrorName(trigger.error)} of partition a` });
            expect(kernel.moduleStopReason).toBe(platform.processor.stopReason);
            expect(b.mode).toBe(PartitionMode.IDLE);
            break;
          case 'RESET':
            // Every partition restarts; b had not booted yet, so for it the reset is its first start (not counted as a restart).
            expect(outcome).toEqual({ ...normal, aConsole: 'rebooted\n', aMode: PartitionMode.COLD_START, aRestarts: 1, aStart: StartCondition.HM_MODULE_RESTART, boots: 'cold,cold' });
            expect(b.startCondition).toBe(StartCondition.HM_MODULE_RESTART);
            expect(kernel.moduleResets).toBe(1);
            break;
          case 'IDLE':
            expect(outcome).toEqual({ ...normal, aConsole: '', aMode: PartitionMode.IDLE });
            break;
          case 'WARM_START':
          case 'COLD_START':
            expect(outcome).toEqual({
              ...normal,
              aConsole: 'rebooted\n',
              aMode: action === 'COLD_START' ? PartitionMode.COLD_START : PartitionMode.WARM_START,
              aRestarts: 1,
              aStart: StartCondition.HM_PARTITION_RESTART,
              boots: action === 'COLD_START' ? 'cold,cold' : 'cold,warm',
            });
            break;
        }
      });
    });
  }
});

describe('HM states, defaults and the log', () => {
  it('uses PARTITION_INIT while the partition is still starting', () => {
    const config = twoPartitionConfig({
      healthMonitor: { system: [], module: [], partitions: [{ partition: 'a', entries: [{ state: SystemState.PARTITION_INIT, error: AirError.VIOLATION_ERROR, action: 'IDLE' }] }] },
    });
    const { run, part } = bootAir(config, {
      a: function* (env) {
        (env.processor as SimpleProcessor).enableInterrupts();
        env.client.consoleWrite(text('not reached\n'));
      },
      b: idle,
    });
    run(10 * MS);
    expect(part('a').hmEvents.entries()).toEqual([{ timeNs: 0, error: 'ILLEGAL_REQUEST', level: 'partition', action: 'IDLE', detail: 'VIOLATION_ERROR in PARTITION_INIT: privileged (sti)' }]);
    expect(part('a').console.length).toBe(0);
  });

  it('without configured tables stops a faulting partition and passes reported errors to the guest', () => {
    const { run, part } = bootAir(twoPartitionConfig(), {
      a: function* (env) {
        env.client.setPartitionMode(PartitionMode.NORMAL);
        env.enableVirtualInterrupts([VirtualLine.HM_EVENT]);
        env.client.hmRaise(ErrorCode.DEADLINE_MISSED, 'period 1');
        env.client.hmRaise(ErrorCode.APPLICATION_ERROR, 'bad input');
        env.client.consoleWrite(text(`upcalls ${env.upcalls.join(',')}\n`));
        (env.processor as SimpleProcessor).disableInterrupts();
        env.client.consoleWrite(text('not reached\n'));
      },
      b: idle,
    });
    run(10 * MS);
    const a = part('a');
    expect(consoleOf(a.console)).toBe('upcalls 1,1\n');
    expect(a.hmEvents.entries().map((event) => `${event.error} ${event.level} ${event.action}`)).toEqual([
      'DEADLINE_MISSED partition IGNORE',
      'APPLICATION_ERROR partition IGNORE',
      'ILLEGAL_REQUEST partition IDLE',
    ]);
    expect(a.deadlineMisses).toBe(1);
    expect(a.mode).toBe(PartitionMode.IDLE);
  });

  it('reports a bad hypercall pointer as SEGMENTATION and an unknown number as UNIMPLEMENTED', () => {
    const statuses: number[] = [];
    const config = twoPartitionConfig({
      healthMonitor: {
        system: [],
        module: [],
        partitions: [
          {
            partition: 'a',
            entries: [
              { state: SystemState.PARTITION_INIT, error: AirError.SEGMENTATION_ERROR, action: 'IGNORE' },
              { state: SystemState.PARTITION_INIT, error: AirError.UNIMPLEMENTED_ERROR, action: 'IGNORE' },
            ],
          },
        ],
      },
    });
    const { run, part } = bootAir(config, {
      a: function* (env) {
        statuses.push(env.client.call(0x40, 0x200000, 16).status, env.client.call(0x99).status, env.client.call(0x21, 0xffffff00).status);
      },
      b: idle,
    });
    run(10 * MS);
    expect(statuses).toEqual([Status.BAD_ADDRESS, Status.UNKNOWN_HYPERCALL, Status.BAD_ADDRESS]);
    expect(part('a').hmEvents.entries().map((event) => event.detail)).toEqual([
      'SEGMENTATION_ERROR in PARTITION_INIT: CONSOLE_WRITE: user read of 16 byte(s) at 0x00200000 in context a: not mapped',
      'UNIMPLEMENTED_ERROR in PARTITION_INIT: hypercall 0x99: no hypercall 0x99',
      'SEGMENTATION_ERROR in PARTITION_INIT: TIMER_SET: user read of 16 byte(s) at 0xffffff00 in context a: not mapped',
    ]);
  });

  it('lets only supervisor partitions read the module HM log', () => {
    const logs: string[] = [];
    const config: AirConfig = twoPartitionConfig({
      partitions: [partition('a', 1), partition('b', 2, { permissions: ['SUPERVISOR'] })],
    });
    const reader: GuestScript = function* (env) {
      const own = env.client.hmLogRead(0);
      logs.push(`${env.id}: ${own.status}`);
      if (own.value) logs.push(JSON.stringify(own.value), String(env.client.hmLogRead(2).status));
    };
    const { run } = bootAir(config, {
      a: function* (env) {
        env.client.hmRaise(ErrorCode.APPLICATION_ERROR, 'first');
        env.client.hmRaise(ErrorCode.STACK_OVERFLOW, 'a rather long description of what went wrong, longer than sixty-three bytes');
        yield* reader(env);
      },
      b: reader,
    });
    run(100 * MS);
    expect(logs).toEqual([
      `1: ${Status.PERMISSION}`,
      `2: ${Status.OK}`,
      JSON.stringify({ timeNs: 0, partitionId: 1, error: AirError.USR4_ERROR, level: 1, action: 0, detail: 'USR4_ERROR in PARTITION_INIT: first' }),
      String(Status.INVALID_PARAM),
    ]);
  });

  it('keeps the log bounded, dropping the oldest entries', () => {
    const { run, kernel } = bootAir(twoPartitionConfig(), {
      a: function* (env) {
        for (let i = 0; i < 70; i++) env.client.hmRaise(ErrorCode.APPLICATION_ERROR, `error ${i}`);
      },
      b: idle,
    });
    run(10 * MS);
    expect(kernel.hmLog.size).toBe(64);
    expect(kernel.hmLog.overwritten).toBe(6);
    expect(kernel.hmLog.at(0)!.detail).toBe('USR4_ERROR in PARTITION_INIT: error 6');
    expect(kernel.hmLog.at(63)!.detail).toBe('USR4_ERROR in PARTITION_INIT: error 69');
    expect(kernel.partition('a')!.hmEvents.total).toBe(70);
  });

  it('reports the last event in HM_STATUS', () => {
    let status: unknown;
    const { run } = bootAir(twoPartitionConfig(), {
      a: function* (env) {
        env.client.hmRaise(ErrorCode.DEADLINE_MISSED, 'late');
        status = env.client.hmStatus().value;
      },
      b: idle,
    });
    run(10 * MS);
    expect(status).toEqual({ events: 1, lastError: ErrorCode.DEADLINE_MISSED, lastAction: 0, lastEventNs: 0 });
  });

  it('maps the System_HM_Table ErrorCode onto the reported error', () => {
    const tablesWithCode = new HealthMonitorTables({ system: [{ state: 3, error: 8, level: 'PROCESS', errorCode: 'HARDWARE_FAULT' }], module: [], partitions: [] });
    expect(tablesWithCode.decide('a', 3, 8)).toEqual({ state: 3, error: 8, level: 'PROCESS', errorCode: 'HARDWARE_FAULT', action: 'IGNORE' });
    expect(tablesWithCode.decide('a', 2, 8)).toEqual({ state: 2, error: 8, level: 'PARTITION', errorCode: 'APPLICATION_ERROR', action: 'IGNORE' });
  });
});
