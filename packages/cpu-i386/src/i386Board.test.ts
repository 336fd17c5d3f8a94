import {
  BufferTraceSink,
  ExecutionAbandoned,
  PeriodicIrqSource,
  TraceRecorder,
  WAIT_FOR_INTERRUPT,
  type Platform,
  type TrapInfo,
  type TrapOutcome,
  type VirtualInterruptState,
  type Workload,
} from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { I386_DEFAULT_COSTS } from './costs.js';
import { EFLAGS_CF, EFLAGS_DF, EFLAGS_IF, EFLAGS_ZF } from './eflags.js';
import { I386_MAX_MEMORY, I386Board } from './i386Board.js';
import { PIT_FREQUENCY_HZ } from './pit8254.js';

/** The instant PIT input clock `cycle` begins. */
function pitEdge(cycle: number): number {
  const f = BigInt(PIT_FREQUENCY_HZ);
  return Number((BigInt(cycle) * 1_000_000_000n + f - 1n) / f);
}

const ONE_MS = 1_000_000;

/**
 * A board with a supervisor installed whose entry records every trap (with the time) and
 * ends every external interrupt at the PIC, and one partition context.
 */
function setup(options: { eoi?: boolean } = {}) {
  const sink = new BufferTraceSink();
  const platform = new I386Board({ memorySize: 0x10_0000, trace: new TraceRecorder(sink) });
  const traps: Array<TrapInfo & { time: number }> = [];
  let verdict: TrapOutcome = 'return';
  let hook: ((trap: TrapInfo) => TrapOutcome | undefined) | undefined;
  platform.installSupervisor((trap) => {
    traps.push({ ...trap, time: platform.board.now });
    const hooked = hook?.(trap);
    if (hooked !== undefined) return hooked;
    if (trap.class === 'interrupt' && options.eoi !== false) platform.endOfInterrupt(trap.line!);
    return verdict;
  });
  const partition = platform.createUserContext({ name: 'p1', physicalBase: 0x2_0000, size: 0x1_0000 });
  // Reset left IF = 0 (as a Multiboot loader does); the kernel's own context runs with it set.
  platform.enterSupervisor();
  return {
    platform,
    cpu: platform.processor,
    partition,
    traps,
    records: sink.records,
    setVerdict: (value: TrapOutcome) => (verdict = value),
    setHook: (value: typeof hook) => (hook = value),
  };
}

/** Cycles installSupervisor() costs: LIDT plus ten port writes to remap the PIC pair. */
const INSTALL_CYCLES = I386_DEFAULT_COSTS.privilegedInstruction + 10 * I386_DEFAULT_COSTS.ioAccess;

describe('I386Board as a Platform', () => {
  it('is a Platform with the i386 ABI and costs', () => {
    const platform: Platform = new I386Board({ memorySize: 0x1000 });
    expect(platform.arch).toBe('i386');
    expect(platform.hypercallAbi.trapInstruction).toBe('int 0x2a');
    expect(platform.costs).toEqual(I386_DEFAULT_COSTS);
    expect(platform.routableLines).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(platform.board.memory.endianness).toBe('little');
    expect(new I386Board({ memorySize: 0x1000, costs: { ioAccess: 7 }, hypercallVector: 0x80 }).costs.ioAccess).toBe(7);
  });

  it('installSupervisor routes every trap to the entry with its class', () => {
    const { cpu, platform, partition, traps } = setup();
    platform.enterUser(partition);
    cpu.cli();
    cpu.hlt();
    cpu.out8(0x20, 0x20);
    cpu.int(0x2a);
    cpu.int(0x30);
    cpu.divide(0);
    cpu.undefinedInstruction();
    cpu.load(0x1_0000, 4);
    platform.enterSupervisor();
    cpu.int(0x80);
    cpu.load(0x10_0000, 1);
    expect(traps.map(({ class: c, number, name, instruction, errorCode, fromMode }) => [c, number, name, instruction, errorCode, fromMode])).toEqual([
      ['privileged', 13, '#GP', 'cli', 0, 'user'],
      ['privileged', 13, '#GP', 'hlt', 0, 'user'],
      ['privileged', 13, '#GP', 'out dx, al', 0, 'user'],
      ['hypercall', 0x2a, 'INT 0x2a', 'int 0x2a', undefined, 'user'],
      ['protection', 13, '#GP', 'int 0x30', 0x30 * 8 + 2, 'user'],
      ['arithmetic', 0, '#DE', 'div', undefined, 'user'],
      ['illegal', 6, '#UD', 'ud2', undefined, 'user'],
      ['memory', 13, '#GP', 'mov', 0, 'user'],
      ['software', 0x80, 'INT 0x80', 'int 0x80', undefined, 'supervisor'],
      ['memory', 13, '#GP', 'mov', 0, 'supervisor'],
    ]);
    expect(traps.every((trap) => trap.synchronous)).toBe(true);
  });

  it('loads interrupt gates, DPL 3 only for the hypercall vector, and remaps the PIC to 0x20/0x28 with lines masked', () => {
    const { cpu, platform } = setup();
    const idt = cpu.idt!;
    expect([idt.gate(0x2a)!.dpl, idt.gate(0x30)!.dpl, idt.gate(13)!.dpl, idt.gate(0x21)!.kind]).toEqual([3, 0, 0, 'interrupt']);
    expect([platform.pic.vectorOf(0), platform.pic.vectorOf(7), platform.pic.vectorOf(8), platform.pic.vectorOf(15)]).toEqual([0x20, 0x27, 0x28, 0x2f]);
    expect([platform.io.read8(0x21), platform.io.read8(0xa1)]).toEqual([0xfb, 0xff]);
  });

  it('must be installed from supervisor mode', () => {
    const platform = new I386Board({ memorySize: 0x10000 });
    platform.enterUser(platform.createUserContext({ name: 'p', physicalBase: 0, size: 0x1000 }));
    expect(() => platform.installSupervisor(() => 'return')).toThrow(/CPL 0/);
  });

  it('tells IRQ 10 (vector 0x2a after the remap, as on POK) from the int 0x2a hypercall', () => {
    const { platform, traps } = setup();
    platform.setLineMasked(10, false);
    platform.deviceLine(10).raise();
    platform.processor.start();
    platform.board.runUntil(1_000_000);
    expect(traps.map(({ class: c, number, name, line, synchronous }) => [c, number, name, line, synchronous])).toEqual([['interrupt', 0x2a, 'IRQ 10', 10, false]]);
  });
});

describe('user contexts', () => {
  it('enterUser runs the partition at CPL 3, IOPL 0, IF 1 on its own segment; enterSupervisor leaves it', () => {
    const { cpu, platform, partition } = setup();
    expect(partition).toMatchObject({ name: 'p1', virtualBase: 0, physicalBase: 0x2_0000, size: 0x1_0000, base: 0x2_0000, limit: 0xffff });
    cpu.popf(0x3000); // IOPL 3, IF 0 in the kernel
    platform.enterUser(partition);
    expect([cpu.mode, cpu.cpl, cpu.iopl, cpu.interruptsEnabled]).toEqual(['user', 3, 0, true]);
    expect(platform.currentUserContext).toBe(partition);
    cpu.store(0x10, 4, 0xabcd_ef01);
    expect(platform.board.memory.read32(0x2_0010)).toBe(0xabcd_ef01);
    platform.enterSupervisor();
    expect([cpu.mode, cpu.interruptsEnabled, platform.currentUserContext]).toEqual(['supervisor', true, undefined]);
    expect(cpu.load(0x2_0010, 4)).toBe(0xabcd_ef01);
  });

  it('keeps the interrupted partition as current while its trap is handled', () => {
    const { cpu, platform, partition, setHook } = setup();
    const seen: unknown[] = [];
    setHook((trap) => {
      seen.push([trap.class, platform.currentUserContext?.name, cpu.mode]);
      return undefined;
    });
    platform.enterUser(partition);
    cpu.int(0x2a);
    expect(seen).toEqual([['hypercall', 'p1', 'supervisor']]);
    expect(cpu.mode).toBe('user');
  });

  it('reads hypercall arguments from and writes results to the interrupted registers', () => {
    const { cpu, platform, partition, setHook } = setup();
    setHook(() => {
      platform.writeRegister('eax', platform.readRegister('ebx') + platform.readRegister('ecx'));
      platform.writeRegister('edx', 0xffff_ffff);
      return 'return';
    });
    platform.enterUser(partition);
    cpu.writeRegister('eax', 7);
    cpu.writeRegister('ebx', 40);
    cpu.writeRegister('ecx', 2);
    cpu.softwareTrap(0x2a);
    expect([cpu.readRegister('eax'), cpu.readRegister('edx')]).toEqual([42, 0xffff_ffff]);
  });

  it('a handler that switches partitions returns into the new one', () => {
    const { cpu, platform, partition, setHook } = setup();
    const second = platform.createUserContext({ name: 'p2', physicalBase: 0x3_0000, size: 0x8000 });
    setHook(() => {
      platform.saveUserState();
      platform.enterUser(second);
      return 'abandon';
    });
    platform.enterUser(partition);
    expect(() => cpu.int(0x2a)).toThrow(ExecutionAbandoned);
    expect([cpu.mode, platform.currentUserContext?.name, cpu.context.limit]).toEqual(['user', 'p2', 0x7fff]);
  });

  it('a partition switch restores the entering partition\'s own general registers and status flags, never the previous one\'s', () => {
    const { cpu, platform, partition, setHook } = setup();
    const second = platform.createUserContext({ name: 'p2', physicalBase: 0x3_0000, size: 0x8000 });
    setHook(() => {
      platform.saveUserState();
      return undefined;
    });
    platform.enterUser(partition);
    cpu.writeRegister('esi', 0x5151);
    cpu.popf(EFLAGS_CF | EFLAGS_DF);
    cpu.int(0x2a); // the kernel saves p1 in its handler
    platform.enterUser(second);
    expect([cpu.readRegister('esi'), cpu.pushf() & (EFLAGS_CF | EFLAGS_DF)]).toEqual([0, 0]);
    cpu.writeRegister('esi', 0x5252);
    cpu.popf(EFLAGS_ZF);
    platform.saveUserState();
    platform.enterUser(partition);
    expect([cpu.readRegister('esi'), cpu.pushf() & (EFLAGS_CF | EFLAGS_DF | EFLAGS_ZF)]).toEqual([0x5151, EFLAGS_CF | EFLAGS_DF]);
    // A return to the same partition (a hypercall's) keeps what the kernel wrote.
    platform.writeRegister('eax', 42);
    platform.enterUser(partition);
    expect(cpu.readRegister('eax')).toBe(42);
    // Stopped or restarted: its state is dead, it starts again from zeroes.
    platform.discardUserState(partition);
    platform.enterUser(second);
    expect([cpu.readRegister('esi'), cpu.pushf() & EFLAGS_ZF]).toEqual([0x5252, EFLAGS_ZF]);
    platform.saveUserState();
    platform.enterUser(partition);
    expect([cpu.readRegister('esi'), cpu.readRegister('eax'), cpu.pushf() & (EFLAGS_CF | EFLAGS_DF)]).toEqual([0, 0, 0]);
  });

  it('refuses a context outside physical memory', () => {
    const { platform } = setup();
    expect(() => platform.createUserContext({ name: 'x', physicalBase: 0xf_8000, size: 0x1_0000 })).toThrow(RangeError);
  });
});

describe('interrupt lines', () => {
  it('startTickTimer programs PIT mode 2 with round(period x 1.193182 MHz): 1 ms is count 1193, ticks exact over a second', () => {
    const { platform, traps } = setup();
    expect(platform.startTickTimer(ONE_MS)).toBe(0);
    expect(platform.tickReload).toBe(1193);
    expect(platform.tickPeriodNs).toBe((1193 * 1e9) / 1_193_182);
    expect(platform.pit.mode(0)).toBe(2);
    platform.processor.setWorkload({ next: () => WAIT_FOR_INTERRUPT, preempted: () => {} });
    platform.processor.start();
    platform.board.runUntil(1_000_000_000);
    expect(traps.length).toBe(1000);
    expect(traps.slice(0, 2).map((trap) => trap.time)).toEqual([999_848, 1_999_695]);
    expect(traps[999]!.time).toBe(pitEdge(1193 * 1000));
    expect(traps[999]!.time).toBe(999_847_467);
    expect(traps.every((trap) => trap.number === 0x20 && trap.line === 0 && trap.class === 'interrupt')).toBe(true);
    expect(() => platform.startTickTimer(1000)).toThrow('1us is shorter than the i386 PIT can tick');
  });

  it('without EOI the tick stays in service: later ticks are latched once and then coalesced, nothing is delivered', () => {
    const { platform, traps } = setup({ eoi: false });
    platform.startTickTimer(ONE_MS);
    platform.processor.start();
    platform.board.runUntil(10_500_000);
    expect(traps.length).toBe(1);
    expect([platform.pic.raised[0], platform.pic.coalesced[0]]).toEqual([10, 8]);
    platform.endOfInterrupt(0);
    platform.board.runUntil(10_600_000);
    expect(traps.length).toBe(2);
    // The latched tick is taken as soon as the EOI's port write (100 cycles) has been spent.
    expect(traps[1]!.time).toBe(10_501_000);
  });

  it('masks and unmasks lines at the PIC, and ends slave lines at both chips', () => {
    const { platform, traps } = setup();
    platform.processor.start();
    platform.deviceLine(5).raise();
    platform.board.runUntil(100_000);
    expect(traps).toEqual([]);
    platform.setLineMasked(5, false);
    platform.board.runUntil(200_000);
    platform.setLineMasked(12, false);
    platform.deviceLine(12).raise();
    platform.board.runUntil(300_000);
    expect(traps.map((trap) => [trap.name, trap.number, trap.line])).toEqual([
      ['IRQ 5', 0x25, 5],
      ['IRQ 12', 0x2c, 12],
    ]);
    expect([platform.pic.isInService(12), platform.pic.isInService(2)]).toEqual([false, false]);
    platform.setLineMasked(5, true);
    platform.deviceLine(5).raise();
    platform.board.runUntil(400_000);
    expect(traps.length).toBe(2);
    expect(() => platform.setLineMasked(2, false)).toThrow(/cascade/);
    expect(() => platform.endOfInterrupt(16)).toThrow(RangeError);
    expect(platform.deviceLine(2).number).toBe(9);
  });

  it('absorbs a spurious IRQ 15 in the interrupt stub and ends the master cascade level', () => {
    const { platform, traps } = setup();
    platform.setLineMasked(10, false);
    platform.deviceLine(10).raise();
    platform.io.write8(0xa1, 0xff); // the request vanishes at the slave after IR2 latched
    platform.processor.start();
    platform.board.runUntil(100_000);
    expect(traps).toEqual([]);
    expect([platform.spuriousInterrupts, platform.pic.spuriousSlave, platform.pic.isInService(2)]).toEqual([1, 1, false]);
  });

  it('an IRQ preempts a user compute step at its exact instant; the gate sees vector 0x20 and the step resumes', () => {
    const { platform, partition, traps, records } = setup();
    platform.startTickTimer(ONE_MS);
    const log: string[] = [];
    let entered = false;
    let left = 0;
    const workload: Workload = {
      next: () => {
        if (!entered) {
          platform.enterUser(partition);
          entered = true;
          log.push(`${platform.board.now}: compute 1000000 as ${platform.processor.mode}`);
          return 1_000_000;
        }
        log.push(`${platform.board.now}: resume ${left} as ${platform.processor.mode}`);
        return left;
      },
      preempted: (remaining) => {
        left = remaining;
        log.push(`${platform.board.now}: preempted, ${remaining} left`);
      },
    };
    platform.processor.setWorkload(workload);
    platform.processor.start();
    platform.board.runUntil(1_500_000);
    // Setup charged LIDT, ten PIC writes, three PIT writes and an IMR read-modify-write:
    // the step starts at cycle 1505 (15.05 us at 100 MHz). The tick at 999848 ns falls in
    // cycle 99984, so 98479 cycles were done.
    const setupCycles = INSTALL_CYCLES + 5 * I386_DEFAULT_COSTS.ioAccess;
    expect(setupCycles).toBe(1505);
    // The handler costs trapEntry + one EOI write + trapExit = 207 cycles from the next cycle boundary.
    expect(log).toEqual(['15050: compute 1000000 as user', '999848: preempted, 901521 left', '1001920: resume 901521 as user']);
    expect(traps).toEqual([{ class: 'interrupt', number: 0x20, name: 'IRQ 0', line: 0, fromMode: 'user', synchronous: false, time: 999_848 }]);
    expect(records.filter((record) => record.kind === 'trap')).toEqual([
      { time: 999_848, source: 'cpu0', kind: 'trap', payload: { number: 0x20, name: 'IRQ 0', fromMode: 'user' } },
    ]);
    expect([platform.processor.mode, platform.processor.interruptsEnabled]).toEqual(['user', true]);
    expect(platform.processor.stats.preemptions).toBe(1);
  });
});

describe('trap-and-emulate of the interrupt flag', () => {
  function emulating() {
    const context = setup();
    const virtual: VirtualInterruptState = { enabled: true };
    const emulated: boolean[] = [];
    context.setHook((trap) => {
      const done = context.platform.emulateInterruptFlagOperation(trap, virtual);
      emulated.push(done);
      return done ? 'return' : undefined;
    });
    context.platform.enterUser(context.partition);
    return { ...context, virtual, emulated };
  }

  it('emulates CLI and STI from user mode on the virtual flag; the real IF stays set', () => {
    const { cpu, virtual, emulated } = emulating();
    cpu.cli();
    expect([virtual.enabled, cpu.interruptsEnabled]).toEqual([false, true]);
    cpu.sti();
    expect(virtual.enabled).toBe(true);
    expect(emulated).toEqual([true, true]);
  });

  it('cannot emulate POPF: it never traps, so a guest restoring "disabled" through POPF is never seen', () => {
    const { cpu, virtual, emulated } = emulating();
    // RTEMS i386 _ISR_Local_disable: pushf; cli. The CLI traps and is emulated...
    const level = cpu.pushf();
    cpu.cli();
    expect(virtual.enabled).toBe(false);
    // ...but the saved EFLAGS shows the real IF = 1, and _ISR_Local_enable's popf at CPL 3
    // silently keeps IF: no trap, so the kernel never learns the guest re-enabled.
    expect(level & EFLAGS_IF).toBe(EFLAGS_IF);
    cpu.popf(level);
    expect(emulated).toEqual([true]);
    expect(virtual.enabled).toBe(false);
  });

  it('refuses everything that is not CLI/STI from user mode', () => {
    const { cpu, platform, emulated, virtual } = emulating();
    cpu.hlt();
    cpu.int(0x2a);
    cpu.in8(0x60);
    expect(emulated).toEqual([false, false, false]);
    const supervisorCli: TrapInfo = { class: 'privileged', number: 13, name: '#GP', instruction: 'cli', errorCode: 0, fromMode: 'supervisor', synchronous: true };
    expect(platform.emulateInterruptFlagOperation(supervisorCli, virtual)).toBe(false);
    expect(virtual.enabled).toBe(true);
  });
});

describe('costs of the platform operations', () => {
  it('saveUserState charges a thread context switch; EOI and mask changes charge their port accesses', () => {
    const { platform } = setup();
    platform.saveUserState();
    platform.endOfInterrupt(3);
    platform.endOfInterrupt(11);
    platform.setLineMasked(4, false);
    platform.processor.start();
    platform.board.runUntil(1_000_000);
    const c = I386_DEFAULT_COSTS;
    expect(platform.processor.stats.overheadCycles).toBe(INSTALL_CYCLES + c.threadContextSwitch + 5 * c.ioAccess);
  });
});

describe('PC memory map', () => {
  it('RAM is at most 4 GiB less the 128 KiB BIOS ROM at the top of the address space', () => {
    expect(I386_MAX_MEMORY).toBe(2 ** 32 - 128 * 1024);
    expect(() => new I386Board({ memorySize: I386_MAX_MEMORY + 1 })).toThrow('PC board memory must be 1 byte..0xfffe0000');
    expect(() => new I386Board({ memorySize: 0 })).toThrow(RangeError);
  });
});

/**
 * The 1 ms tick on a kernel board whose handler adds 0x7000_0000 to EAX (it wraps), takes 1
 * from ECX and re-enters the kernel's context (a context switch), and asks for a 300-cycle
 * step, after which the workload waits. `onWait(waits, ...)` runs each time the processor
 * starts waiting: wait 1 comes before the first tick, tick n's episode ends at wait n + 1.
 */
function tickEpisodes(onWait: (waits: number, platform: I386Board) => void = () => {}) {
  const { platform, cpu, setHook } = setup();
  let due = false;
  setHook((trap) => {
    if (trap.class !== 'interrupt') return undefined;
    cpu.writeRegister('eax', cpu.readRegister('eax') + 0x7000_0000);
    cpu.writeRegister('ecx', cpu.readRegister('ecx') - 1);
    platform.enterSupervisor();
    due = true;
    return undefined;
  });
  platform.startTickTimer(ONE_MS);
  cpu.setWorkload({ next: () => (due ? ((due = false), 300) : WAIT_FOR_INTERRUPT), preempted: () => {} });
  let waits = 0;
  cpu.onWait = () => onWait(++waits, platform);
  cpu.start();
  return { platform, cpu };
}

/** What a tick episode moves on the i386 board: registers, context switches (episodeState), counters, the tick line. */
function episodeView(platform: I386Board) {
  const cpu = platform.processor;
  return {
    registers: [...cpu.copyRegisters()],
    episodeState: cpu.episodeState(),
    stats: cpu.stats,
    flags: [cpu.eflags, cpu.cpl],
    tickLine: [platform.pic.raised[0], platform.pic.acknowledged[0], platform.interruptLatchedAt(0)],
  };
}

describe('fast-forward of tick episodes', () => {
  // episodeState is the processor's five counters, then the context switch count, then
  // EAX..EDI: what creditArchEpisodes moves (registers modulo 2^32).
  it('episodeState lists the context switches, then the general registers', () => {
    const { platform, cpu } = setup();
    cpu.writeRegister('edi', 0xffff_ffff);
    const before = cpu.episodeState();
    platform.enterSupervisor();
    cpu.writeRegister('eax', 7);
    const after = cpu.episodeState();
    expect(after).toHaveLength(5 + 1 + 8);
    expect(after[5]! - before[5]!).toBe(1);
    expect(after.slice(6)).toEqual([7, 0, 0, 0, 0, 0, 0, 0xffff_ffff]);
  });

  // The kernel compares the counters part at every wait and reads the rest only when they repeat:
  // episodeState(false) is the first part of episodeState(true) (the default), and writeEpisodeState writes the same numbers.
  it('episodeState(false) is the counters prefix of episodeState(true): the processor\'s five and the context switches', () => {
    const { platform, cpu } = tickEpisodes();
    platform.board.runUntil(3_500_000);
    const full = cpu.episodeState(true);
    const counters = cpu.episodeState(false);
    expect(counters).toHaveLength(5 + 1);
    expect(full.slice(0, counters.length)).toEqual(counters);
    expect([full.length, cpu.episodeState()]).toEqual([5 + 1 + 8, full]);
    const into = new Float64Array(2 + full.length).fill(-1);
    expect(cpu.writeEpisodeState(into, 2, false)).toBe(2 + counters.length);
    expect(Array.from(into)).toEqual([-1, -1, ...counters, ...full.slice(counters.length).map(() => -1)]);
    expect(cpu.writeEpisodeState(into, 2)).toBe(2 + full.length);
    expect(Array.from(into)).toEqual([-1, -1, ...full]);
    expect(counters.slice(0, 2)).toEqual([3, 3]); // three ticks, one step each
  });

  // The kernel's fast-forward on i386: the delta of two consecutive episodes credited N
  // times with skipTicks(N) leaves registers, switches, counters and IRQ 0 as simulating does.
  it('crediting N tick episodes with their state delta and skipping N ticks equals simulating them', () => {
    const simulated = tickEpisodes();
    let before: number[] = [];
    const results: boolean[] = [];
    const forwarded = tickEpisodes((waits, platform) => {
      const cpu = platform.processor;
      if (waits === 3) before = cpu.episodeState();
      if (waits !== 4) return;
      const delta = cpu.episodeState().map((value, index) => value - before[index]!);
      results.push(cpu.creditWakes(20, (k) => platform.tickAt(k)!, (grid) => platform.tickGridGaps(20, grid), delta));
      platform.skipTicks(20); // ticks 4..23
    });
    // Right after the credited ticks (nothing simulated since), then after 7 more simulated ones.
    for (const end of [23_500_000, 30_500_000]) {
      simulated.platform.board.runUntil(end);
      forwarded.platform.board.runUntil(end);
      const view = episodeView(simulated.platform);
      expect(view.stats.interrupts).toBe(end / ONE_MS - 0.5);
      expect(episodeView(forwarded.platform)).toEqual(view);
    }
    expect(results).toEqual([true]);
    expect(simulated.cpu.readRegister('ecx')).toBe(2 ** 32 - 30); // below 0: the delta is -1 per episode
  });

  // skipTicks records the last skipped tick as IRQ 0's latch time (what a native BSP's
  // interruptLatchedAt reads), tickAt(count) as it was before skipping.
  it('skipTicks(count) latches IRQ 0 at tickAt(count)', () => {
    const { platform } = tickEpisodes();
    platform.board.runUntil(2_500_000);
    const simulated = platform.interruptLatchedAt(0)!; // the second tick's
    const last = platform.tickAt(7)!;
    const next = platform.tickAt(8)!;
    platform.skipTicks(7);
    expect([platform.interruptLatchedAt(0), last - simulated]).toEqual([last, pitEdge(1193 * 9) - pitEdge(1193 * 2)]);
    platform.board.runUntil(next);
    expect(platform.interruptLatchedAt(0)).toBe(next); // the next tick, simulated again
  });
});

/** A kernel board whose IRQ 12 (a slave line, ended at both chips) is raised every 100 us from 100 us by a periodic device. */
function deviceRaises() {
  const { platform, cpu, traps } = setup();
  platform.setLineMasked(12, false);
  const source = new PeriodicIrqSource(platform.board.queue, platform.deviceLine(12), { period: 100_000 });
  source.start();
  cpu.start();
  return { platform, source, traps };
}

describe('fast-forward of device interrupts', () => {
  // skipDeviceRaises(line, n, lastAt) must leave the PIC pair (every counter and chip
  // register) as taking the n raises for real does, and the line latched at lastAt.
  it('skipDeviceRaises counts the requests as handled and latches the line at lastAt, as taking them does', () => {
    const taken = deviceRaises();
    const skipped = deviceRaises();
    for (const { platform } of [taken, skipped]) platform.board.runUntil(250_000); // raises 1 and 2
    const lastAt = skipped.source.raiseAt(5)!; // raises 3..7
    skipped.source.skipRaises(5);
    skipped.platform.skipDeviceRaises(skipped.source.lineNumber, 5, lastAt);
    expect(skipped.platform.interruptLatchedAt(12)).toBe(700_000);
    // Right after the skipped raises (taken for real on the other board), then after 3 more of both.
    for (const end of [750_000, 1_050_000]) {
      for (const { platform } of [taken, skipped]) platform.board.runUntil(end);
      expect(skipped.platform.pic.getState()).toEqual(taken.platform.pic.getState());
      expect(skipped.platform.interruptLatchedAt(12)).toBe(taken.platform.interruptLatchedAt(12));
    }
    expect([taken.platform.pic.acknowledged[12], taken.traps.length, skipped.traps.length]).toEqual([10, 10, 5]);
  });
});
