/**
 * The paravirt-api contract end to end on the kernel-core machinery: a guest makes real
 * hypercalls through the client (registers + software trap), paravirt-api's dispatcher
 * validates them against the guest's own memory, and TestHost (PartitionKernel +
 * PartitionBinding, the binding double) performs them.
 */
import { Prng } from '@paravirt/machine';
import { SimplePlatform, type SimpleProcessor } from '@paravirt/machine/test';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  Hypercall,
  MAX_CONSOLE_WRITE,
  overrunOffset,
  PartitionMode,
  PortDirection,
  PortKind,
  QueuingDiscipline,
  Status,
  Validity,
  VCPU_MAGIC,
  VcpuPage,
  VirtualLine,
} from '@paravirt/paravirt-api';
import type { PortConfig } from './moduleResources.js';
import { type GuestScript, SCRIPTED_GUEST_LAYOUT, scriptedGuest, type ScriptedGuestEnv, TestHost } from './test.js';

const { scratch: SCRATCH, vcpuPage: PAGE, upcall: UPCALL } = SCRIPTED_GUEST_LAYOUT;

type GuestEnv = ScriptedGuestEnv;
type Script = GuestScript;

const guest = (script: Script, onUpcall?: (env: GuestEnv, line: number) => void) => scriptedGuest(script, onUpcall ? { onUpcall } : {});

function host(script: Script, options: { onUpcall?: (env: GuestEnv, line: number) => void; ports?: PortConfig[]; channels?: { source: string; destination: string }[] } = {}) {
  const platform = new SimplePlatform({ memorySize: 4 << 20 });
  const testHost = new TestHost({ platform, guest: guest(script, options.onUpcall), name: 'p0', ports: options.ports ?? [], channels: options.channels ?? [] });
  return { platform, testHost };
}

/** Runs a script to completion in one boot and returns what it recorded. */
function runScript(script: Script, until = 10_000_000, options?: Parameters<typeof host>[1]) {
  const setup = host(script, options);
  setup.testHost.start();
  setup.testHost.run(until);
  return setup;
}

describe('boot and info', () => {
  it('passes the memory map in the boot registers and answers the info calls', () => {
    const seen: Record<string, unknown> = {};
    runScript(function* (env) {
      seen['boot'] = [env.base, env.size, env.id];
      seen['version'] = env.client.apiVersion();
      seen['hypervisor'] = env.client.hypervisorInfo();
      seen['partition'] = env.client.partitionInfo();
    });
    expect(seen['boot']).toEqual([0, 0x100000, 0]);
    expect(seen['version']).toEqual({ status: Status.OK, value: 1 });
    expect(seen['hypervisor']).toEqual({ status: Status.OK, value: 'paravirt-test-host 1 vcpu,virq,timer,console,ports-loopback,hm-record' });
    expect(seen['partition']).toEqual({
      status: Status.OK,
      value: { partitionId: 0, name: 'p0', memoryBase: 0, memorySize: 0x100000, kernelTickNs: 1_000_000, periodNs: 0, durationNs: 0, system: 1 },
    });
  });
});

describe('console', () => {
  it('writes bytes from the guest memory to the console', () => {
    const { testHost } = runScript(function* (env) {
      env.client.consoleWrite(new TextEncoder().encode('Hello World\n'));
    });
    expect(testHost.consoleText()).toBe('Hello World\n');
  });

  it('rejects bad lengths and pointers outside the caller memory with a status and an HM report, writing nothing', () => {
    const statuses: number[] = [];
    const { testHost, platform } = runScript(function* (env) {
      const c = env.client;
      statuses.push(c.call(Hypercall.CONSOLE_WRITE, SCRATCH, MAX_CONSOLE_WRITE + 1).status);
      statuses.push(c.call(Hypercall.CONSOLE_WRITE, 0x100000 - 2, 4).status); // runs past the segment
      statuses.push(c.call(Hypercall.CONSOLE_WRITE, 0x200000, 4).status); // someone else's memory
      statuses.push(c.call(Hypercall.CONSOLE_WRITE, 0xfffffff0, 0x20).status); // wraps
      statuses.push(c.call(Hypercall.CONSOLE_WRITE, SCRATCH, 0).status);
    });
    expect(statuses).toEqual([Status.INVALID_PARAM, Status.BAD_ADDRESS, Status.BAD_ADDRESS, Status.BAD_ADDRESS, Status.OK]);
    expect(testHost.badCalls.map((call) => call.kind)).toEqual(['invalid-param', 'bad-address', 'bad-address', 'bad-address']);
    expect(testHost.hmEvents.map((event) => event.error)).toEqual(['ILLEGAL_REQUEST', 'MEMORY_VIOLATION', 'MEMORY_VIOLATION', 'MEMORY_VIOLATION']);
    expect(testHost.caller.console.length).toBe(0);
    expect(platform.processor.stopReason).toBeUndefined();
  });

  it('answers an unknown hypercall number with UNKNOWN_HYPERCALL', () => {
    const statuses: number[] = [];
    const { testHost } = runScript(function* (env) {
      statuses.push(env.client.call(0x99).status, env.client.call(0xffffffff, 1, 2, 3).status);
    });
    expect(statuses).toEqual([Status.UNKNOWN_HYPERCALL, Status.UNKNOWN_HYPERCALL]);
    expect(testHost.badCalls[0]).toMatchObject({ number: 0x99, kind: 'unknown-hypercall', name: 'hypercall 0x99' });
  });
});

describe('vCPU page', () => {
  it('is registered only at an aligned address in the caller writable memory and initialised', () => {
    const statuses: number[] = [];
    const { platform, testHost } = runScript(function* (env) {
      statuses.push(env.client.vcpuRegister(PAGE + 4), env.client.vcpuRegister(0x100000), env.client.vcpuRegister(PAGE));
    });
    expect(statuses).toEqual([Status.INVALID_PARAM, Status.BAD_ADDRESS, Status.OK]);
    const memory = platform.board.memory;
    const physical = 0x100000 + PAGE;
    expect(memory.read32(physical + VcpuPage.MAGIC)).toBe(VCPU_MAGIC);
    expect(memory.read32(physical + VcpuPage.ENABLED)).toBe(0);
    expect(memory.read32(physical + VcpuPage.MASKED)).toBe(0xffffffff);
    expect(testHost.interrupts.isRegistered).toBe(true);
  });

  it('accepts an upcall entry only at an executable address of the caller', () => {
    const statuses: number[] = [];
    runScript(function* (env) {
      statuses.push(env.client.setUpcall(0x500000), env.client.setUpcall(UPCALL));
    });
    expect(statuses).toEqual([Status.BAD_ADDRESS, Status.OK]);
  });
});

const setEnabled = (env: GuestEnv, enabled: boolean): void => env.setEnabled(enabled);

describe('virtual interrupts', () => {
  it('latches a masked line as pending, counts overruns, and delivers once unmasked and enabled', () => {
    const log: string[] = [];
    const { testHost, platform } = host(
      function* (env) {
        const c = env.client;
        c.vcpuRegister(PAGE);
        c.setUpcall(UPCALL);
        c.timerSet(1_000_000, 1_000_000); // 1 ms periodic
        yield 550_000; // 5.5 ms at 100 MHz: ticks at 1..5 ms, line masked
        log.push(`masked: pending=${testHost.interrupts.isPending(VirtualLine.TIMER)} upcalls=${env.upcalls.length}`);
        c.unmask(VirtualLine.TIMER);
        yield 100_000; // 1 ms more: unmasked but the guest's flag is still 0
        log.push(`disabled: upcalls=${env.upcalls.length}`);
        setEnabled(env, true);
        c.deliverPending(); // enabling with something pending: one hypercall to get it
        log.push(`enabled: upcalls=${env.upcalls.length}`);
        const overruns = env.start.processor.load(env.base + PAGE + overrunOffset(VirtualLine.TIMER), 4);
        log.push(`overruns=${overruns}`);
        yield 300_000; // 3 ms: one delivery per tick now
        log.push(`running: upcalls=${env.upcalls.length}`);
      },
      { onUpcall: () => {} },
    );
    testHost.start();
    testHost.run(10_000_000);
    expect(log).toEqual(['masked: pending=true upcalls=0', 'disabled: upcalls=0', 'enabled: upcalls=1', 'overruns=5', 'running: upcalls=4']);
    const stats = testHost.interrupts.stats();
    expect(stats.lost).toBe(0);
    expect(stats.raised).toBe(stats.delivered + stats.coalesced + stats.pending + stats.discarded);
    // Ticks at 1..10 ms: the 1 ms one latched, 2..6 ms coalesced (overruns), then one
    // delivery at enable and one per tick at 7, 8, 9 and 10 ms. (The window-start line,
    // raised once at boot, stays masked and pending.)
    const timer = VirtualLine.TIMER;
    expect([testHost.interrupts.raised[timer], testHost.interrupts.delivered[timer], testHost.interrupts.coalesced[timer]]).toEqual([10, 5, 5]);
    expect(platform.processor.stopReason).toBeUndefined();
  });

  it('delivers at the kernel entry closest to the raise and measures latency from raise to upcall entry', () => {
    const { testHost } = runScript(function* (env) {
      env.client.vcpuRegister(PAGE);
      env.client.setUpcall(UPCALL);
      env.client.unmask(VirtualLine.TIMER);
      setEnabled(env, true);
      env.client.timerSet(1_000_000, 1_000_000);
      for (let i = 0; i < 10; i++) yield 100_000;
    });
    const stats = testHost.interrupts.stats();
    expect(stats.delivered).toBe(10);
    expect(stats.latencyNs.count).toBe(10);
    // The tick interrupt preempts the guest at the expiry: latency is the kernel's own
    // trap + dispatch + upcall cost, a few hundred ns on the test platform, never 0.
    expect(stats.latencyNs.min).toBeGreaterThan(0);
    expect(stats.latencyNs.max).toBeLessThan(2_000);
  });

  it('refuses VIRQ_RETURN outside an upcall and bad line numbers', () => {
    const statuses: number[] = [];
    runScript(function* (env) {
      env.client.vcpuRegister(PAGE);
      statuses.push(env.client.virqReturn(), env.client.mask(32), env.client.unmask(-1), env.client.ack(VirtualLine.TIMER));
    });
    expect(statuses).toEqual([Status.INVALID_MODE, Status.INVALID_PARAM, Status.INVALID_PARAM, Status.INVALID_PARAM]);
  });
});

describe('time', () => {
  it('reads system time as 64 bits through the caller memory and checks its arguments', () => {
    const results: unknown[] = [];
    runScript(function* (env) {
      yield 1_000; // 10 us
      results.push(env.client.timeGet(0).value);
      results.push(env.client.call(Hypercall.TIME_GET, 2, SCRATCH).status);
      results.push(env.client.call(Hypercall.TIME_GET, 0, 0x100000 - 4).status);
      results.push(env.client.call(Hypercall.TIMER_SET, 0x200000).status);
    });
    expect(results[0]).toBeGreaterThanOrEqual(10_000);
    expect(results[0]).toBeLessThan(11_000);
    expect(results.slice(1)).toEqual([Status.INVALID_PARAM, Status.BAD_ADDRESS, Status.BAD_ADDRESS]);
  });

  it('refuses a timer whose first expiry is not in the future', () => {
    let status = -1;
    runScript(function* (env) {
      status = env.client.timerSet(0, 1000);
    });
    expect(status).toBe(Status.INVALID_PARAM);
  });
});

describe('ports (loopback on the test host)', () => {
  const sampling = (name: string, direction: number) => ({
    kind: PortKind.SAMPLING,
    direction,
    maxMessageSize: 16,
    maxMessages: 1,
    refreshPeriodNs: 2_000_000,
    discipline: QueuingDiscipline.FIFO,
    name,
  });

  it('carries a sampling message with its validity and a queuing message in FIFO order', () => {
    const log: unknown[] = [];
    runScript(
      function* (env) {
        const c = env.client;
        const out = c.portCreate(sampling('out', PortDirection.SOURCE)).value!;
        const input = c.portCreate(sampling('in', PortDirection.DESTINATION)).value!;
        log.push(c.samplingWrite(out, Uint8Array.from([1, 2, 3])));
        const read = c.samplingRead(input, 16);
        log.push([read.status, [...read.value!.message], read.value!.info.validity]);
        yield 300_000; // 3 ms: older than the 2 ms refresh period
        log.push(c.samplingRead(input, 16).value!.info.validity);
        const q = { ...sampling('qout', PortDirection.SOURCE), kind: PortKind.QUEUING, maxMessages: 2 };
        const qout = c.portCreate(q).value!;
        const qin = c.portCreate({ ...q, name: 'qin', direction: PortDirection.DESTINATION }).value!;
        log.push(c.queuingSend(qout, Uint8Array.from([7])), c.queuingSend(qout, Uint8Array.from([8])), c.queuingSend(qout, Uint8Array.from([9])));
        log.push([...c.queuingReceive(qin, 16).value!], [...c.queuingReceive(qin, 16).value!], c.queuingReceive(qin, 16).status);
        log.push(c.samplingWrite(input, Uint8Array.from([1])), c.samplingWrite(99, Uint8Array.from([1])));
        log.push(c.portCreate(sampling('nowhere', PortDirection.SOURCE)).status, c.portCreate({ ...sampling('out2', 0), kind: 5 }).status);
      },
      10_000_000,
      {
        ports: [
          { name: 'out', kind: 'sampling', direction: 'source', maxMessageSize: 16, maxMessages: 1, refreshPeriod: 2_000_000 },
          { name: 'in', kind: 'sampling', direction: 'destination', maxMessageSize: 16, maxMessages: 1, refreshPeriod: 2_000_000 },
          { name: 'qout', kind: 'queuing', direction: 'source', maxMessageSize: 16, maxMessages: 2, refreshPeriod: 0 },
          { name: 'qin', kind: 'queuing', direction: 'destination', maxMessageSize: 16, maxMessages: 2, refreshPeriod: 0 },
        ],
        channels: [
          { source: 'out', destination: 'in' },
          { source: 'qout', destination: 'qin' },
        ],
      },
    );
    expect(log).toEqual([
      Status.OK,
      [Status.OK, [1, 2, 3], Validity.VALID],
      Validity.INVALID,
      Status.OK,
      Status.OK,
      Status.NOT_AVAILABLE,
      [7],
      [8],
      Status.NOT_AVAILABLE,
      Status.INVALID_MODE,
      Status.INVALID_PARAM,
      Status.INVALID_CONFIG,
      Status.INVALID_PARAM,
    ]);
  });
});

describe('scheduling', () => {
  it('IDLE suspends the guest until its next virtual interrupt, and the time counts as idle', () => {
    const log: number[] = [];
    const { testHost, platform } = host(
      function* (env) {
        const c = env.client;
        c.vcpuRegister(PAGE);
        c.setUpcall(UPCALL);
        c.unmask(VirtualLine.TIMER);
        setEnabled(env, true);
        c.timerSet(5_000_000, 0); // one-shot at 5 ms
        log.push(platform.board.queue.now);
        c.idle();
        yield 10; // the yield after IDLE: the guest is not stepped again until the upcall
        log.push(platform.board.queue.now);
      },
      { onUpcall: () => {} },
    );
    testHost.start();
    testHost.run(20_000_000);
    expect(log[0]).toBe(0);
    // Woken by the timer upcall at the 5 ms tick, then resumed.
    expect(log[1]).toBeGreaterThanOrEqual(5_000_000);
    expect(log[1]).toBeLessThan(5_010_000);
    expect(testHost.caller.idleCalls).toBe(1);
    expect(testHost.caller.idleNs).toBeGreaterThan(4_900_000);
  });
});

describe('health monitor and partition control', () => {
  it('records an application error and refuses unknown error codes', () => {
    const statuses: number[] = [];
    const { testHost } = runScript(function* (env) {
      statuses.push(env.client.hmRaise(ErrorCode.APPLICATION_ERROR, 'sensor out of range'), env.client.call(Hypercall.HM_RAISE, 42, SCRATCH, 0).status);
      statuses.push(env.client.hmStatus().value!.events);
    });
    expect(statuses).toEqual([Status.OK, Status.INVALID_PARAM, 2]);
    expect(testHost.hmEvents[0]).toMatchObject({ error: 'APPLICATION_ERROR', detail: 'sensor out of range' });
  });

  it('stops the partition on SET_PARTITION_MODE(IDLE): the guest does not resume after the call', () => {
    const log: string[] = [];
    const { testHost } = runScript(function* (env) {
      log.push(`bad mode: ${env.client.setPartitionMode(7 as PartitionMode)}`);
      env.client.setPartitionMode(PartitionMode.IDLE);
      log.push('resumed');
    });
    expect(log).toEqual([`bad mode: ${Status.INVALID_PARAM}`]);
    expect(testHost.mode).toBe(PartitionMode.IDLE);
  });

  it('restarts the guest from scratch on COLD_START', () => {
    let boots = 0;
    const { testHost } = runScript(function* (env) {
      boots++;
      if (boots === 1) env.client.setPartitionMode(PartitionMode.COLD_START);
    });
    expect(boots).toBe(2);
    expect(testHost.restarts).toBe(1);
  });

  it('turns a privileged instruction in user mode into a recorded fault, without a host exception', () => {
    const { testHost, platform } = runScript(function* (env) {
      (env.start.processor as SimpleProcessor).disableInterrupts();
      env.client.consoleWrite(new TextEncoder().encode('not reached'));
    });
    expect(testHost.faults.map((trap) => trap.instruction)).toEqual(['cli']);
    expect(testHost.caller.console.length).toBe(0);
    expect(platform.processor.stopReason).toBeUndefined();
  });
});

describe('hostile guests', () => {
  it('survives 20,000 random hypercalls without a host exception or a byte written outside its memory', () => {
    const prng = new Prng(2026);
    const { platform, testHost } = host(function* (env) {
      const cpu = env.start.processor;
      const abi = env.start.abi;
      for (let i = 0; i < 20_000; i++) {
        const number = prng.chance(0.8) ? prng.pick([...Object.values(Hypercall)]) : prng.int(0, 0xffffffff);
        // Calls that legitimately end or suspend the caller are exercised in their own tests.
        if (number === Hypercall.SET_PARTITION_MODE || number === Hypercall.SET_OTHER_PARTITION_MODE || number === Hypercall.MODULE_CONTROL || number === Hypercall.IDLE) continue;
        const word = () => (prng.chance(0.5) ? prng.int(0, 0x10_0000) : prng.int(0, 0xffffffff));
        cpu.writeRegister(abi.numberRegister, number);
        for (const register of abi.argumentRegisters) cpu.writeRegister(register, word());
        cpu.softwareTrap(abi.trapNumber);
        if (i % 500 === 0) yield 1000;
      }
    });
    const memory = platform.board.memory;
    const below = memory.checksum(0, 0x100000);
    const above = memory.checksum(0x200000, memory.size - 0x200000);
    testHost.start();
    expect(() => testHost.run(1_000_000_000)).not.toThrow();
    expect(memory.checksum(0, 0x100000)).toBe(below);
    expect(memory.checksum(0x200000, memory.size - 0x200000)).toBe(above);
    expect(testHost.hypercalls).toBeGreaterThan(15_000);
    expect(testHost.badCalls.length).toBeGreaterThan(1000);
  });
});
