/**
 * libcpu-virtual in user mode on kernel-core's TestHost, on the arch-neutral test
 * platform and both processor models. The test host's supervisor records every trap that
 * is not a hypercall, so "never executes a privileged instruction" is checked strictly:
 * one privileged instruction would show up as a fault and stop the partition.
 */
import { I386Board } from '@paravirt/cpu-i386';
import { Leon3Board } from '@paravirt/cpu-sparc';
import type { Platform } from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { PartitionMode, Status, VirtualLine } from '@paravirt/paravirt-api';
import { type GuestScript, SCRIPTED_GUEST_LAYOUT, scriptedGuest, TestHost } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import { VirtualCpu } from './virtualCpu.js';

const MS = 1_000_000;
const platforms: Array<[string, () => Platform]> = [
  ['simple', () => new SimplePlatform({ memorySize: 4 << 20 })],
  ['i386', () => new I386Board({ memorySize: 4 << 20 })],
  ['sparc', () => new Leon3Board({ memorySize: 4 << 20 })],
];

function run(make: () => Platform, script: (cpu: VirtualCpu, log: string[]) => Generator<number, void, unknown>, until = 20 * MS) {
  const log: string[] = [];
  let cpu: VirtualCpu | undefined;
  const guest: GuestScript = function* (env) {
    env.client.vcpuRegister(env.base + SCRIPTED_GUEST_LAYOUT.vcpuPage);
    env.client.setUpcall(env.base + SCRIPTED_GUEST_LAYOUT.upcall);
    cpu = new VirtualCpu({ processor: env.processor, client: env.client, vcpuPage: env.base + SCRIPTED_GUEST_LAYOUT.vcpuPage });
    yield* script(cpu, log);
  };
  const testHost = new TestHost({
    platform: make(),
    guest: scriptedGuest(guest, { onUpcall: (_env, line) => cpu?.handler(line)?.() }),
  });
  testHost.start();
  testHost.run(until);
  return { testHost, log, cpu: () => cpu! };
}

describe.each(platforms)('VirtualCpu on %s', (_name, make) => {
  it('disables, enables and reports the level through the vCPU page, without a trap', () => {
    const { testHost, log } = run(make, function* (cpu, out) {
      out.push(`level ${cpu.isrGetLevel()}`);
      const outer = cpu.isrDisable();
      const inner = cpu.isrDisable();
      out.push(`after disable ${cpu.isrGetLevel()} cookies ${outer} ${inner}`);
      cpu.isrEnable(inner);
      out.push(`inner enable keeps ${cpu.isrGetLevel()}`);
      cpu.isrEnable(outer);
      out.push(`outer enable ${cpu.isrGetLevel()}`);
      cpu.isrSetLevel(1);
      out.push(`set 1 -> ${cpu.isrGetLevel()}`);
      cpu.isrSetLevel(0);
      out.push(`set 0 -> ${cpu.isrGetLevel()}`);
    });
    expect(log).toEqual(['level 1', 'after disable 1 cookies 1 1', 'inner enable keeps 1', 'outer enable 1', 'set 1 -> 1', 'set 0 -> 0']);
    expect(testHost.faults).toEqual([]);
  });

  it('defers a virtual interrupt while disabled and gets it delivered with one hypercall on enable', () => {
    const { testHost, log, cpu } = run(make, function* (virtualCpu, out) {
      virtualCpu.isrSetLevel(0);
      virtualCpu.vectorInstall(VirtualLine.TIMER, () => out.push('timer handler'));
      const level = virtualCpu.isrDisable();
      virtualCpu.client.timerSet(1 * MS, 0);
      yield 300_000; // 3 ms at 100 MHz, more on a 50 MHz LEON3: the expiry is pending meanwhile
      out.push(`pending while disabled, delivered ${out.includes('timer handler')}`);
      virtualCpu.isrEnable(level);
      out.push('enabled');
    });
    expect(log).toEqual(['pending while disabled, delivered false', 'timer handler', 'enabled']);
    expect(cpu().deliverRequests).toBe(1);
    expect(testHost.faults).toEqual([]);
  });

  it('refuses to install a second handler on a line and reports overruns from the page', () => {
    const { log } = run(make, function* (cpu, out) {
      out.push(`first ${cpu.vectorInstall(VirtualLine.TIMER, () => {})} second ${cpu.vectorInstall(VirtualLine.TIMER, () => {})} bad ${cpu.vectorInstall(99, () => {})}`);
      cpu.client.timerSet(1 * MS, 1 * MS);
      yield 1_000_000; // 10 ms on i386, 20 ms on sparc, all with interrupts disabled
      out.push(`overruns ${cpu.overruns(VirtualLine.TIMER) > 5}`);
    }, 30 * MS);
    expect(log).toEqual(['first true second false bad false', 'overruns true']);
  });

  it('halts fatally through the health monitor and stops the partition', () => {
    const { testHost, log } = run(make, function* (cpu, out) {
      cpu.fatalHalt('test fatal');
      out.push('not reached');
    });
    expect(log).toEqual([]);
    expect(testHost.mode).toBe(PartitionMode.IDLE);
    expect(testHost.hmEvents.map((event) => event.detail)).toEqual(['test fatal']);
  });

  it('idles through the IDLE hypercall', () => {
    const { testHost } = run(make, function* (cpu) {
      expect(cpu.client.idle()).toBe(Status.OK);
      cpu.idle();
    });
    expect(testHost.caller.idleCalls).toBe(2);
  });
});
