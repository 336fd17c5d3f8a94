/**
 * The AIR-style kernel on machine's SimplePlatform with scripted paravirtual guests:
 * windows with idle gaps, mode-based schedule switches at the major-frame boundary with
 * their change actions, and permissions on the schedule service.
 */
import { SimplePlatform } from '@paravirt/machine/test';
import { PartitionMode, type ScheduleStatus, StartCondition, Status, statusName, VirtualLine } from '@paravirt/paravirt-api';
import { type GuestScript, type ScriptedGuestEnv } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import { AirConfigurationError, AirKernel } from './airKernel.js';
import type { AirConfig } from './config.js';
import { bootAir, fixtureConfig, idle, MS, partition, simpleSchedule, twoPartitionConfig } from './internal/harness.js';

const fixture = fixtureConfig('two-schedules.xml');

/** Goes to NORMAL mode, then idles. */
const normal: GuestScript = function* (env) {
  env.client.setPartitionMode(PartitionMode.NORMAL);
};

describe('windows and idle gaps', () => {
  it('opens and closes every window at its nominal offset and leaves the gaps idle', () => {
    const steps: number[] = [];
    const { run, windowStarts, windowEnds, kernel, platform } = boot(fixture, {
      nav: function* () {
        for (;;) {
          yield 100_000; // 1 ms at 100 MHz
          steps.push(platform.board.queue.now);
        }
      },
    });
    run(200 * MS - 1);
    expect(windowStarts()).toEqual(['0ms ctrl', '10ms nav', '50ms nav', '70ms payload', '90ms logger', '100ms ctrl', '110ms nav', '150ms nav', '170ms payload', '190ms logger']);
    expect(windowEnds()).toEqual(['10ms ctrl', '30ms nav', '70ms nav', '90ms payload', '95ms logger', '110ms ctrl', '130ms nav', '170ms nav', '190ms payload', '195ms logger']);
    // nav computes only inside its own windows, never in the idle gaps [30, 50) and [95, 100).
    const inWindow = (time: number) => [10, 50, 110, 150].some((start) => time > start * MS && time <= (start + 20) * MS);
    expect(steps.length).toBeGreaterThan(70);
    expect(steps.filter((time) => !inWindow(time))).toEqual([]);
    expect(kernel.windowsRun).toBe(10);
    expect(kernel.partition('nav')!.windows).toBe(4);
    // Two frames, each with 25 ms of gaps, and the idle partitions' windows: the processor waited at least that long.
    expect(platform.processor.stats.waitNs).toBeGreaterThan(2 * (25 + 10 + 20 + 5) * MS - MS);
  });
});

describe('mode-based schedules', () => {
  it('switches at the end of the major frame when the system partition asks, applying each change action', () => {
    const statuses: Record<string, number[]> = { ctrl: [], nav: [] };
    const scheduleStatus: Array<ScheduleStatus & { at: number }> = [];
    const boots: Record<string, string[]> = { nav: [], payload: [], logger: [] };
    const record = (env: ScriptedGuestEnv) => {
      const status = env.client.scheduleStatus().value!;
      const now = env.client.timeGet(0).value!;
      scheduleStatus.push({ at: now - (now % MS), ...status });
    };
    const onBoot = (name: string) => (env: ScriptedGuestEnv) => boots[name]!.push(env.start.startKind);
    const { run, windowStarts, kernel, part } = boot(fixture, {
      ctrl: [
        function* (env) {
          env.client.setPartitionMode(PartitionMode.NORMAL);
          record(env);
          // AIR's pmk_syscall_set_schedule: asking for the next schedule again is OK; asking for the
          // current one is NO_ACTION and leaves the switch requested before in place.
          statuses['ctrl']!.push(env.client.setModuleSchedule(2), env.client.setModuleSchedule(2), env.client.setModuleSchedule(1), env.client.setModuleSchedule(99));
          record(env);
          env.enableVirtualInterrupts([VirtualLine.WINDOW_START]);
        },
        { onUpcall: (env, line) => line === VirtualLine.WINDOW_START && record(env) },
      ],
      nav: [
        function* (env) {
          env.client.setPartitionMode(PartitionMode.NORMAL);
          statuses['nav']!.push(env.client.setModuleSchedule(2));
        },
        { onBoot: onBoot('nav') },
      ],
      payload: [normal, { onBoot: onBoot('payload') }],
      logger: [normal, { onBoot: onBoot('logger') }],
    });
    run(400 * MS - 1);

    // nav asks in its first boot and again after its warm restart: never allowed.
    expect(statuses).toEqual({ ctrl: [Status.OK, Status.OK, Status.NO_ACTION, Status.INVALID_PARAM], nav: [Status.PERMISSION, Status.PERMISSION] });
    expect(kernel.report().switches).toEqual([{ timeNs: 100 * MS, from: 'nominal', to: 'degraded' }]);
    // The request at 0 ms changes nothing before the frame ends; then the degraded layout runs.
    expect(windowStarts()).toEqual([
      '0ms ctrl', '10ms nav', '50ms nav', '70ms payload', '90ms logger',
      '100ms ctrl', '120ms nav', '200ms nav', '260ms payload', '280ms logger',
      '300ms ctrl', '320ms nav',
    ]);
    expect(scheduleStatus).toEqual([
      { at: 0, currentSchedule: 1, nextSchedule: 1, lastSwitchNs: 0, majorFrameNs: 100 * MS },
      { at: 0, currentSchedule: 1, nextSchedule: 2, lastSwitchNs: 0, majorFrameNs: 100 * MS },
      { at: 100 * MS, currentSchedule: 2, nextSchedule: 2, lastSwitchNs: 100 * MS, majorFrameNs: 200 * MS },
      { at: 300 * MS, currentSchedule: 2, nextSchedule: 2, lastSwitchNs: 100 * MS, majorFrameNs: 200 * MS },
    ]);
    // ctrl IGNORE; nav WARM_START; payload IDLE; logger COLD_START - restarts with start condition NORMAL_START, as AIR does.
    expect(part('ctrl').restarts).toBe(0);
    expect(boots).toEqual({ nav: ['cold', 'warm'], payload: ['cold'], logger: ['cold', 'cold'] });
    expect([part('nav').restarts, part('nav').startCondition, part('nav').mode]).toEqual([1, StartCondition.NORMAL_START, PartitionMode.NORMAL]);
    expect([part('payload').restarts, part('payload').mode]).toEqual([0, PartitionMode.IDLE]);
    expect([part('logger').restarts, part('logger').startCondition, part('logger').mode]).toEqual([1, StartCondition.NORMAL_START, PartitionMode.NORMAL]);
  });

  it('leaves partitions that are still initialising alone at a switch', () => {
    const { run, kernel, part } = boot(fixture, {
      ctrl: function* (env) {
        env.client.setModuleSchedule(2);
      },
      // nav, payload and logger never leave COLD_START.
    });
    run(150 * MS);
    expect(kernel.scheduleSwitches).toEqual([{ timeNs: 100 * MS, from: 'nominal', to: 'degraded' }]);
    expect(['nav', 'payload', 'logger'].map((name) => [part(name).restarts, part(name).mode])).toEqual([
      [0, PartitionMode.COLD_START],
      [0, PartitionMode.COLD_START],
      [0, PartitionMode.COLD_START],
    ]);
  });

  it('recomputes SET_SCHEDULE from SetModuleSchedule at each switch; supervisors always hold it', () => {
    const layout: ReadonlyArray<readonly [string, number, number]> = [
      ['a', 0, 40 * MS],
      ['b', 50 * MS, 40 * MS],
    ];
    const first = simpleSchedule('first', 10, 100 * MS, layout, true);
    const second = simpleSchedule('second', 20, 100 * MS, layout);
    const config: AirConfig = twoPartitionConfig({
      partitions: [partition('a', 1), partition('b', 2, { permissions: ['SUPERVISOR'] })],
      // a may switch while "first" is current (SetModuleSchedule), not while "second" is.
      schedules: [{ ...first, partitions: [{ ...first.partitions[0]!, setModuleSchedule: true }, first.partitions[1]!] }, second],
    });
    const statuses: string[] = [];
    /** Wakes at each of its window starts and asks for schedule `target` when `when(current)` holds. */
    const asker = (name: string, target: number, when: (current: number) => boolean): [GuestScript, { onBoot: (env: ScriptedGuestEnv) => void }] => [
      function* (env) {
        for (;;) {
          if (when(env.client.scheduleStatus().value!.currentSchedule)) statuses.push(`${name}->${target} ${statusName(env.client.setModuleSchedule(target))}`);
          env.client.idle();
          yield 1000;
        }
      },
      { onBoot: (env) => env.enableVirtualInterrupts([VirtualLine.WINDOW_START]) },
    ];

    // b, a supervisor, asks for schedule 10 in every frame. While 10 is current that is
    // NO_ACTION and does not cancel a's request (AIR's pmk_syscall_set_schedule compares with
    // the current schedule only): the module switches to 20, where a is refused and b's
    // request brings 10 back.
    const both = boot(config, { a: asker('a', 20, () => true), b: asker('b', 10, () => true) });
    both.run(250 * MS);
    expect(statuses).toEqual(['a->20 OK', 'b->10 NO_ACTION', 'a->20 PERMISSION', 'b->10 OK', 'a->20 OK']);
    expect(both.kernel.scheduleSwitches).toEqual([
      { timeNs: 100 * MS, from: 'first', to: 'second' },
      { timeNs: 200 * MS, from: 'second', to: 'first' },
    ]);

    // Alone, a's request switches to "second", where a is refused; b brings "first" back and a may ask again.
    statuses.length = 0;
    const { run, kernel } = boot(config, { a: asker('a', 20, () => true), b: asker('b', 10, (current) => current === 20) });
    run(250 * MS);
    expect(kernel.scheduleSwitches).toEqual([
      { timeNs: 100 * MS, from: 'first', to: 'second' },
      { timeNs: 200 * MS, from: 'second', to: 'first' },
    ]);
    expect(statuses).toEqual(['a->20 OK', 'a->20 PERMISSION', 'b->10 OK', 'a->20 OK']);
  });
});

describe('construction', () => {
  it('refuses an invalid configuration or a partition without a guest, listing every problem', () => {
    const platform = new SimplePlatform({ memorySize: 8 << 20 });
    const config = twoPartitionConfig({ kernelTick: 3 * MS });
    const attempt = (): unknown => {
      try {
        return new AirKernel({ platform, config, guests: {} });
      } catch (error) {
        return error;
      }
    };
    const error = attempt();
    expect(error).toBeInstanceOf(AirConfigurationError);
    expect((error as AirConfigurationError).errors.map((e) => e.path)).toEqual([
      'schedules[0].majorFrame',
      'schedules[0].partitions[0].period',
      'schedules[0].partitions[0].windows[0].duration',
      'schedules[0].partitions[1].period',
      'schedules[0].partitions[1].windows[0].start',
      'schedules[0].partitions[1].windows[0].duration',
      'partitions.a',
      'partitions.b',
    ]);
    expect((error as Error).message.split('\n')[0]).toBe('schedules[0].majorFrame: 100ms is not a multiple of the kernel tick (3ms)');
  });

  it('describes its schedules for `paravirt check`', () => {
    const { kernel } = boot(fixture, {});
    expect(kernel.describe()).toBe(
      [
        'nominal (id 1, MTF 100ms, initial): ctrl 0s+10ms, nav 10ms+20ms, idle 30ms+20ms, nav 50ms+20ms, payload 70ms+20ms, logger 90ms+5ms, idle 95ms+5ms',
        'degraded (id 2, MTF 200ms): ctrl 0s+20ms, nav 20ms+40ms, idle 60ms+40ms, nav 100ms+40ms, idle 140ms+20ms, payload 160ms+20ms, logger 180ms+10ms, idle 190ms+10ms',
      ].join('\n'),
    );
  });
});

/** Boots with `idle` for every partition not given. */
function boot(config: AirConfig, guests: Parameters<typeof bootAir>[1]) {
  const all = Object.fromEntries(config.partitions.map((p) => [p.name, guests[p.name] ?? idle]));
  return bootAir(config, all);
}
