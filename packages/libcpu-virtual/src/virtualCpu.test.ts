/**
 * libcpu-virtual in user mode on kernel-core's TestHost, on the arch-neutral test
 * platform and both processor models. The test host's supervisor records every trap that
 * is not a hypercall, so "never executes a privileged instruction" is checked strictly:
 * one privileged instruction would show up as a fault and stop the partition.
 *
 * Hypercalls and traps are counted at their source, not by VirtualCpu: the platform's
 * trace has a `trap` record for every trap the processor took and a `hypercall` record
 * for every call the TestHost's dispatcher received (paravirt-api's HypercallDispatcher).
 */
import { I386Board } from '@paravirt/cpu-i386';
import { Leon3Board } from '@paravirt/cpu-sparc';
import { BufferTraceSink, type Platform, type TraceRecord, TraceRecorder } from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { PartitionMode, Status, VcpuPage, VirtualLine } from '@paravirt/paravirt-api';
import { type GuestScript, SCRIPTED_GUEST_LAYOUT, scriptedGuest, TestHost } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import { VirtualCpu } from './virtualCpu.js';

const MS = 1_000_000;
const platforms: Array<[string, (trace: TraceRecorder) => Platform]> = [
  ['simple', (trace) => new SimplePlatform({ memorySize: 4 << 20, trace })],
  ['i386', (trace) => new I386Board({ memorySize: 4 << 20, trace })],
  ['sparc', (trace) => new Leon3Board({ memorySize: 4 << 20, trace })],
];

/** What the script sees besides the VirtualCpu: its log, and `mark(name)` to note where it is in the trace. */
interface ScriptTools {
  readonly log: string[];
  readonly mark: (name: string) => void;
}

function run(
  make: (trace: TraceRecorder) => Platform,
  script: (cpu: VirtualCpu, tools: ScriptTools) => Generator<number, void, unknown>,
  until = 20 * MS,
  interruptLevels?: { readonly max: number },
) {
  const log: string[] = [];
  const sink = new BufferTraceSink();
  const marks = new Map<string, number>();
  const tools: ScriptTools = { log, mark: (name) => marks.set(name, sink.records.length) };
  let cpu: VirtualCpu | undefined;
  const guest: GuestScript = function* (env) {
    env.client.vcpuRegister(env.base + SCRIPTED_GUEST_LAYOUT.vcpuPage);
    env.client.setUpcall(env.base + SCRIPTED_GUEST_LAYOUT.upcall);
    cpu = new VirtualCpu({ processor: env.processor, client: env.client, vcpuPage: env.base + SCRIPTED_GUEST_LAYOUT.vcpuPage, ...(interruptLevels ? { interruptLevels } : {}) });
    yield* script(cpu, tools);
  };
  const platform = make(new TraceRecorder(sink));
  const testHost = new TestHost({
    platform,
    guest: scriptedGuest(guest, { onUpcall: (_env, line) => cpu?.handler(line)?.() }),
  });
  testHost.start();
  testHost.run(until);
  /** Trace records between two marks (or from a mark to the end). */
  const between = (from: string, to?: string): TraceRecord[] => sink.records.slice(marks.get(from), to === undefined ? undefined : marks.get(to)!);
  return { testHost, log, cpu: () => cpu!, records: sink.records, between, trapNumber: platform.hypercallAbi.trapNumber };
}

/**
 * What the processor and the dispatcher recorded: traps the processor took on the hypercall
 * trap number (`trap`; the kernel tick's interrupts are left out), hypercalls the dispatcher
 * received, virtual interrupts delivered.
 */
const events = (records: readonly TraceRecord[], trapNumber: number): string[] =>
  records.flatMap((record) => {
    if (record.kind === 'trap') return record.payload.number === trapNumber ? ['trap'] : [];
    if (record.kind === 'hypercall') return [`hypercall ${String(record.payload.name)}`];
    if (record.kind === 'virq.deliver') return [`deliver ${String(record.payload.lineName)}`];
    return [];
  });

describe.each(platforms)('VirtualCpu on %s', (_name, make) => {
  it('disables, enables and reports the level through the vCPU page, without a trap', () => {
    const { testHost, log, between, trapNumber } = run(make, function* (cpu, { log: out, mark }) {
      mark('start');
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
      mark('end');
    });
    expect(log).toEqual(['level 1', 'after disable 1 cookies 1 1', 'inner enable keeps 1', 'outer enable 1', 'set 1 -> 1', 'set 0 -> 0']);
    expect(testHost.faults).toEqual([]);
    // Nothing was pending: not one trap (hypercall or other) between the first and the last operation.
    expect(events(between('start', 'end'), trapNumber)).toEqual([]);
  });

  it('defers a virtual interrupt while disabled and gets it delivered with one hypercall on enable', () => {
    const { testHost, log, cpu, records, between, trapNumber } = run(make, function* (virtualCpu, { log: out, mark }) {
      virtualCpu.isrSetLevel(0);
      virtualCpu.vectorInstall(VirtualLine.TIMER, () => out.push('timer handler'));
      const level = virtualCpu.isrDisable();
      virtualCpu.client.timerSet(1 * MS, 0);
      mark('disabled');
      yield 300_000; // 3 ms at 100 MHz, more on a 50 MHz LEON3: the expiry is pending meanwhile
      out.push(`pending while disabled, delivered ${out.includes('timer handler')}`);
      mark('enable');
      virtualCpu.isrEnable(level);
      mark('enabled');
      out.push('enabled');
    });
    expect(log).toEqual(['pending while disabled, delivered false', 'timer handler', 'enabled']);
    expect(testHost.faults).toEqual([]);
    // While disabled: the expiry was raised, and nothing trapped or was delivered.
    expect(between('disabled', 'enable').filter((record) => record.kind === 'virq.raise').map((record) => record.payload.lineName)).toEqual(['timer']);
    expect(events(between('disabled', 'enable'), trapNumber)).toEqual([]);
    // The enable: one hypercall trap, VIRQ_DELIVER_PENDING, which delivered the timer; the
    // other trap is the upcall's VIRQ_RETURN (scriptedGuest's upcall entry), not the enable's.
    expect(events(between('enable', 'enabled'), trapNumber)).toEqual(['trap', 'hypercall VIRQ_DELIVER_PENDING', 'deliver timer', 'trap', 'hypercall VIRQ_RETURN']);
    // The whole run received that one VIRQ_DELIVER_PENDING (the earlier enable found nothing pending).
    expect(events(records, trapNumber).filter((event) => event === 'hypercall VIRQ_DELIVER_PENDING')).toHaveLength(1);
    // VirtualCpu's own counter agrees with what the dispatcher received.
    expect(cpu().deliverRequests).toBe(1);
  });

  it('refuses to install a second handler on a line and reports overruns from the page', () => {
    const { log } = run(make, function* (cpu, { log: out }) {
      out.push(`first ${cpu.vectorInstall(VirtualLine.TIMER, () => {})} second ${cpu.vectorInstall(VirtualLine.TIMER, () => {})} bad ${cpu.vectorInstall(99, () => {})}`);
      cpu.client.timerSet(1 * MS, 1 * MS);
      yield 1_000_000; // 10 ms on i386, 20 ms on sparc, all with interrupts disabled
      out.push(`overruns ${cpu.overruns(VirtualLine.TIMER) > 5}`);
    }, 30 * MS);
    expect(log).toEqual(['first true second false bad false', 'overruns true']);
  });

  it('removes a handler: the line is masked again (VIRQ_MASK) and may be installed anew', () => {
    const line = VirtualLine.HW_BASE + 5;
    const { testHost, log } = run(make, function* (cpu, { log: out }) {
      // The hypervisor's mirror of the mask in the vCPU page.
      const masked = (): boolean => (cpu.processor.load(cpu.vcpuPage + VcpuPage.MASKED, 4) & (1 << line)) !== 0;
      const installed = cpu.vectorInstall(line, () => {});
      out.push(`install ${installed} masked ${masked()}, remove ${cpu.vectorRemove(line)} again ${cpu.vectorRemove(line)}`);
      out.push(`masked ${masked()} handler ${String(cpu.handler(line))} reinstall ${cpu.vectorInstall(line, () => {})} masked ${masked()}`);
      yield 1;
    });
    expect(log).toEqual(['install true masked false, remove true again false', 'masked true handler undefined reinstall true masked false']);
    expect(testHost.faults).toEqual([]);
    expect(testHost.interrupts.isMasked(line)).toBe(false);
  });

  it('masks and unmasks a line without touching its handler, and reads enabled and pending from the vCPU page', () => {
    const { testHost, log } = run(make, function* (cpu, { log: out }) {
      let ran = 0;
      cpu.vectorInstall(VirtualLine.TIMER, () => void ran++);
      out.push(`enabled ${cpu.lineEnabled(VirtualLine.TIMER)} mask ${cpu.lineMask(VirtualLine.TIMER)} enabled ${cpu.lineEnabled(VirtualLine.TIMER)} bad ${cpu.lineMask(99)}`);
      cpu.client.timerSet(1 * MS, 0);
      cpu.isrEnable(0);
      yield 1_000_000; // past the one-shot expiry: it latches on the masked line
      out.push(`pending ${cpu.linePending(VirtualLine.TIMER)} ran ${ran} handler kept ${cpu.handler(VirtualLine.TIMER) !== undefined}`);
      out.push(`unmask ${cpu.lineUnmask(VirtualLine.TIMER)}`);
      yield 1;
      out.push(`pending ${cpu.linePending(VirtualLine.TIMER)} ran ${ran} enabled ${cpu.lineEnabled(VirtualLine.TIMER)}`);
    }, 30 * MS);
    expect(log).toEqual(['enabled true mask true enabled false bad false', 'pending true ran 0 handler kept true', 'unmask true', 'pending false ran 1 enabled true']);
    expect(testHost.faults).toEqual([]);
  });

  it("keeps the architecture's interrupt levels: SPARC's 16 read back as set, the i386's one flag as 1; any of them keeps virtual interrupts off", () => {
    const script = function* (cpu: VirtualCpu, { log: out, mark }: ScriptTools): Generator<number, void, unknown> {
      mark('start');
      cpu.isrSetLevel(0);
      const levels: string[] = [];
      for (const level of [3, 15, 0x13, 2]) {
        cpu.isrSetLevel(level);
        const cookie = cpu.isrDisable();
        const inside = cpu.isrGetLevel();
        cpu.isrEnable(cookie);
        levels.push(`${level}: ${cpu.isrGetLevel()} (disabled ${inside}, cookie ${cookie})`);
      }
      cpu.isrSetLevel(0);
      out.push(`mask 0x${cpu.interruptMask.toString(16)} max ${cpu.maxLevel}: ${levels.join(', ')}; 0: ${cpu.isrGetLevel()}`);
      mark('end');
      yield 1;
    };
    const sparc = run(make, script, 20 * MS, { max: 15 });
    expect(sparc.log).toEqual(['mask 0xf max 15: 3: 3 (disabled 15, cookie 3), 15: 15 (disabled 15, cookie 15), 19: 3 (disabled 15, cookie 3), 2: 2 (disabled 15, cookie 2); 0: 0']);
    const i386 = run(make, script, 20 * MS, { max: 1 });
    expect(i386.log).toEqual(['mask 0x1 max 1: 3: 1 (disabled 1, cookie 1), 15: 1 (disabled 1, cookie 1), 19: 1 (disabled 1, cookie 1), 2: 1 (disabled 1, cookie 1); 0: 0']);
    // Levels are the guest's: no trap, no hypercall (nothing was pending).
    for (const { between, trapNumber } of [sparc, i386]) expect(events(between('start', 'end'), trapNumber)).toEqual([]);
  });

  it('a level above 0 defers virtual interrupts like level 1; an upcall reads the highest level', () => {
    const { log } = run(
      make,
      function* (cpu, { log: out }) {
        cpu.vectorInstall(VirtualLine.TIMER, () => out.push(`timer handler at level ${cpu.isrGetLevel()}`));
        cpu.isrSetLevel(3);
        cpu.client.timerSet(1 * MS, 0);
        yield 300_000;
        out.push(`at level 3: delivered ${out.length > 0}`);
        cpu.isrSetLevel(0);
        out.push(`level ${cpu.isrGetLevel()}`);
      },
      20 * MS,
      { max: 15 },
    );
    expect(log).toEqual(['at level 3: delivered false', 'timer handler at level 15', 'level 0']);
  });

  it('halts fatally through the health monitor and stops the partition', () => {
    const { testHost, log } = run(make, function* (cpu, { log: out }) {
      cpu.fatalHalt('test fatal');
      out.push('not reached');
    });
    expect(log).toEqual([]);
    expect(testHost.mode).toBe(PartitionMode.IDLE);
    expect(testHost.hmEvents.map((event) => event.detail)).toEqual(['test fatal']);
  });

  it('idles through the IDLE hypercall', () => {
    const { testHost, records, trapNumber } = run(make, function* (cpu) {
      expect(cpu.client.idle()).toBe(Status.OK);
      cpu.idle();
    });
    expect(testHost.caller.idleCalls).toBe(2);
    expect(events(records, trapNumber).filter((event) => event === 'hypercall IDLE')).toHaveLength(2);
  });
});
