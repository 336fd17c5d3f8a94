import {
  BufferTraceSink,
  CheckedMemory,
  EventQueue,
  ExecutionAbandoned,
  PhysicalMemory,
  Prng,
  ProtectionContext,
  TraceRecorder,
  type TrapInfo,
  type TrapOutcome,
} from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { CR0_ET, CR0_PE, CR0_PG } from './controlRegisters.js';
import { I386_DEFAULT_COSTS } from './costs.js';
import { EFLAGS_CF, EFLAGS_IF, EFLAGS_IOPL_MASK, EFLAGS_RESERVED_1, EFLAGS_RF, EFLAGS_VM } from './eflags.js';
import { I386Processor, type Cpl } from './i386Processor.js';
import { Idt, type GateKind, type IdtGate } from './idt.js';
import { IoBus, type IoDevice } from './ioBus.js';
import { userSegmentContext, type SegmentContext } from './segmentContext.js';

const MEMORY_SIZE = 0x1_0000;

/** A processor on 64 KiB of memory with an IDT whose every gate records the trap and returns `verdict`. */
function setup(options: { gates?: 'all' | 'none'; kind?: GateKind } = {}) {
  const queue = new EventQueue();
  const memory = new PhysicalMemory(MEMORY_SIZE, 'little');
  const sink = new BufferTraceSink();
  const io = new IoBus();
  const written: Array<[number, number]> = [];
  const device: IoDevice = { name: 'probe', read8: (port) => port & 0xff, write8: (port, value) => written.push([port, value]) };
  io.claim(0x60, 0x6f, device);
  const cpu = new I386Processor(queue, new CheckedMemory(memory), { trace: new TraceRecorder(sink), io });
  const traps: TrapInfo[] = [];
  const state = { verdict: 'return' as TrapOutcome, inHandler: [] as Array<{ cpl: Cpl; if: boolean; context: string }> };
  const handler = (trap: TrapInfo): TrapOutcome => {
    traps.push(trap);
    state.inHandler.push({ cpl: cpu.cpl, if: cpu.interruptsEnabled, context: cpu.context.name });
    return state.verdict;
  };
  const idt = new Idt();
  if (options.gates !== 'none') {
    for (let vector = 0; vector < 256; vector++) idt.set(vector, { kind: options.kind ?? 'interrupt', dpl: vector === 0x2a ? 3 : 0, present: true, handler });
  }
  cpu.lidt(idt);
  const user = userSegmentContext('part', 0x4000, 0x1000);
  const toUser = (iopl = 0, interrupts = true) => cpu.switchTo(user, 3, (iopl << 12) | (interrupts ? EFLAGS_IF : 0));
  return { queue, memory, cpu, idt, traps, state, handler, user, toUser, written, records: sink.records };
}

/** Lets the processor spend what was charged; returns the overhead cycles after setup()'s LIDT. */
function spend(cpu: I386Processor, queue: EventQueue): number {
  cpu.start();
  queue.runUntil(queue.now + 1_000_000_000);
  return cpu.stats.overheadCycles - I386_DEFAULT_COSTS.privilegedInstruction;
}

const gp0 = (instruction: string, fromMode: 'user' | 'supervisor' = 'user') => ({
  class: 'privileged',
  number: 13,
  name: '#GP',
  instruction,
  errorCode: 0,
  fromMode,
  synchronous: true,
});

describe('IOPL-sensitive instructions: CLI, STI, IN, OUT at every CPL x IOPL', () => {
  const cases: Array<[Cpl, number]> = [];
  for (const cpl of [0, 3] as Cpl[]) for (let iopl = 0; iopl <= 3; iopl++) cases.push([cpl, iopl]);

  it.each(cases)('CPL %i, IOPL %i', (cpl, iopl) => {
    const { cpu, traps, user, written } = setup();
    const allowed = cpl <= iopl;
    cpu.switchTo(cpl === 0 ? cpu.supervisorContext : user, cpl, (iopl << 12) | EFLAGS_IF);
    cpu.cli();
    expect(cpu.interruptsEnabled).toBe(!allowed);
    cpu.switchTo(cpl === 0 ? cpu.supervisorContext : user, cpl, iopl << 12);
    cpu.sti();
    expect(cpu.interruptsEnabled).toBe(allowed);
    expect(cpu.in8(0x61)).toBe(allowed ? 0x61 : 0);
    expect(cpu.in16(0x62)).toBe(allowed ? 0x6362 : 0);
    cpu.out8(0x64, 0x1ab);
    cpu.out16(0x66, 0xbeef);
    expect(written).toEqual(allowed ? [[0x64, 0xab], [0x66, 0xef], [0x67, 0xbe]] : []);
    if (allowed) {
      expect(traps).toEqual([]);
    } else {
      expect(traps).toEqual([gp0('cli'), gp0('sti'), gp0('in al, dx'), gp0('in ax, dx'), gp0('out dx, al'), gp0('out dx, ax')]);
    }
    // Returning from each #GP restored the interrupted state.
    expect(cpu.cpl).toBe(cpl);
    expect(cpu.iopl).toBe(iopl);
  });
});

describe('privileged instructions at CPL 3 raise #GP(0), at CPL 0 they execute', () => {
  it('HLT, LIDT, MOV to/from CR0/CR2/CR3 fault at CPL 3 whatever IOPL says', () => {
    const { cpu, traps, toUser, idt } = setup();
    toUser(3);
    cpu.hlt();
    cpu.lidt(undefined);
    cpu.movToCr(0, 0);
    cpu.movToCr(3, 0x1000);
    expect(cpu.movFromCr(2)).toBe(0);
    expect(cpu.halted).toBe(false);
    expect(cpu.idt).toBe(idt);
    expect(cpu.cr0).toBe(CR0_PE | CR0_ET);
    expect(cpu.cr3).toBe(0);
    expect(traps).toEqual([gp0('hlt'), gp0('lidt'), gp0('mov cr0, r32'), gp0('mov cr3, r32'), gp0('mov r32, cr2')]);
  });

  it('executes them at CPL 0', () => {
    const { cpu, traps } = setup();
    cpu.movToCr(3, 0x0012_3000);
    cpu.movToCr(2, 0xdead_beef);
    cpu.movToCr(0, CR0_PE | CR0_ET | CR0_PG);
    expect([cpu.movFromCr(0), cpu.movFromCr(2), cpu.movFromCr(3)]).toEqual([(CR0_PE | CR0_ET | CR0_PG) >>> 0, 0xdead_beef, 0x0012_3000]);
    cpu.lidt(undefined);
    expect(cpu.idt).toBeUndefined();
    cpu.hlt();
    expect(cpu.halted).toBe(true);
    expect(traps).toEqual([]);
  });

  it('CR1 and CR4-CR7 do not exist on the 80386 (#UD); PG without PE is #GP(0)', () => {
    const { cpu, traps } = setup();
    cpu.movToCr(4, 0);
    expect(cpu.movFromCr(1)).toBe(0);
    cpu.movToCr(0, CR0_PG);
    expect(traps.map((trap) => [trap.name, trap.class, trap.instruction, trap.errorCode])).toEqual([
      ['#UD', 'illegal', 'mov cr4, r32', undefined],
      ['#UD', 'illegal', 'mov r32, cr1', undefined],
      ['#GP', 'protection', 'mov cr0, r32', 0],
    ]);
    expect(cpu.cr0).toBe(CR0_PE | CR0_ET);
  });
});

describe('PUSHF / POPF: sensitive but not privileged (the Popek-Goldberg hole)', () => {
  it('at CPL 3 with IOPL 0 POPF leaves IF and IOPL unchanged and raises nothing', () => {
    const { cpu, traps, toUser } = setup();
    toUser(0, true);
    const saved = cpu.pushf();
    expect(saved).toBe(EFLAGS_RESERVED_1 | EFLAGS_IF);
    // A native guest's "restore interrupt level" after its CLI trapped: interrupts stay on.
    cpu.popf(saved & ~EFLAGS_IF);
    expect(cpu.interruptsEnabled).toBe(true);
    cpu.popf(EFLAGS_IOPL_MASK | EFLAGS_CF);
    expect(cpu.iopl).toBe(0);
    expect(cpu.eflags).toBe(EFLAGS_RESERVED_1 | EFLAGS_IF | EFLAGS_CF);
    // PUSHF shows the real IF: the guest can see that it did not get interrupts off.
    expect(cpu.pushf()).toBe(EFLAGS_RESERVED_1 | EFLAGS_IF | EFLAGS_CF);
    expect(traps).toEqual([]);
  });

  it('at CPL 3 with IOPL 3 POPF changes IF but not IOPL', () => {
    const { cpu, toUser } = setup();
    toUser(3, true);
    cpu.popf(0);
    expect(cpu.interruptsEnabled).toBe(false);
    expect(cpu.iopl).toBe(3);
    cpu.popf(EFLAGS_IF);
    expect(cpu.eflags).toBe(0x3202);
  });

  it('at CPL 0 POPF changes IF and IOPL, clears RF, keeps VM and the reserved bits', () => {
    const { cpu } = setup();
    cpu.popf(0xffff_ffff);
    expect(cpu.eflags).toBe(0x7fd7);
    expect(cpu.pushf()).toBe(0x7fd7);
    cpu.popf(EFLAGS_RF | EFLAGS_VM);
    expect(cpu.eflags).toBe(EFLAGS_RESERVED_1);
  });

  it('costs one privileged instruction each, never a trap', () => {
    const { cpu, queue, toUser } = setup();
    toUser(0);
    cpu.popf(cpu.pushf() & ~EFLAGS_IF);
    expect(spend(cpu, queue)).toBe(2 * I386_DEFAULT_COSTS.privilegedInstruction);
  });
});

describe('INT n and gate DPL', () => {
  it('reaches a DPL-3 gate from CPL 3 as a software interrupt', () => {
    const { cpu, traps, toUser, state } = setup();
    toUser();
    cpu.int(0x2a);
    expect(traps).toEqual([{ class: 'software', number: 0x2a, name: 'INT 0x2a', instruction: 'int 0x2a', fromMode: 'user', synchronous: true }]);
    expect(state.inHandler).toEqual([{ cpl: 0, if: false, context: 'cpu0.flat' }]);
    expect(cpu.cpl).toBe(3);
    expect(cpu.context.name).toBe('part');
  });

  it('raises #GP(n * 8 + 2) when CPL > DPL, for DPL 0, 1 and 2', () => {
    const { cpu, traps, toUser, idt, handler } = setup();
    idt.set(0x41, { kind: 'trap', dpl: 1, present: true, handler });
    idt.set(0x42, { kind: 'trap', dpl: 2, present: true, handler });
    toUser();
    cpu.int(0x40);
    cpu.softwareTrap(0x41);
    cpu.int(0x42);
    expect(traps.map((trap) => [trap.name, trap.class, trap.errorCode, trap.instruction])).toEqual([
      ['#GP', 'protection', 0x40 * 8 + 2, 'int 0x40'],
      ['#GP', 'protection', 0x41 * 8 + 2, 'int 0x41'],
      ['#GP', 'protection', 0x42 * 8 + 2, 'int 0x42'],
    ]);
  });

  it('lets CPL 0 through any gate', () => {
    const { cpu, traps } = setup();
    cpu.int(0x80);
    cpu.int(13);
    expect(traps.map((trap) => [trap.name, trap.class, trap.fromMode])).toEqual([
      ['INT 0x80', 'software', 'supervisor'],
      ['INT 0x0d', 'software', 'supervisor'],
    ]);
  });

  it('raises #NP(n * 8 + 2) for a gate that is not present and #GP for an empty entry or a vector past the limit', () => {
    const { cpu, traps, toUser, idt, handler } = setup();
    idt.set(0x50, { kind: 'interrupt', dpl: 3, present: false, handler });
    idt.clear(0x51);
    toUser();
    cpu.int(0x50);
    cpu.int(0x51);
    const small = new Idt(0x30);
    small.set(13, { kind: 'interrupt', dpl: 0, present: true, handler });
    cpu.switchTo(cpu.supervisorContext, 0, 0);
    cpu.lidt(small);
    cpu.int(0x40);
    expect(traps.map((trap) => [trap.name, trap.errorCode])).toEqual([
      ['#NP', 0x50 * 8 + 2],
      ['#GP', 0x51 * 8 + 2],
      ['#GP', 0x40 * 8 + 2],
    ]);
  });

  it('cannot encode a vector outside 0..255: #UD, never a host exception', () => {
    const { cpu, traps } = setup();
    for (const bad of [256, -1, 1.5, Number.NaN]) cpu.int(bad);
    expect(traps.map((trap) => [trap.name, trap.instruction])).toEqual([
      ['#UD', 'int 256'],
      ['#UD', 'int -1'],
      ['#UD', 'int 1.5'],
      ['#UD', 'int NaN'],
    ]);
  });
});

describe('trap entry and IRET', () => {
  it('an interrupt gate clears IF for the handler, a trap gate does not; both restore it', () => {
    for (const kind of ['interrupt', 'trap'] as const) {
      const { cpu, toUser, state } = setup({ kind });
      toUser(0, true);
      cpu.undefinedInstruction();
      expect(state.inHandler).toEqual([{ cpl: 0, if: kind === 'trap', context: 'cpu0.flat' }]);
      expect(cpu.interruptsEnabled).toBe(true);
      expect(cpu.cpl).toBe(3);
    }
  });

  it('IRET loads the frame image: a handler may edit it to emulate an instruction', () => {
    const { cpu, toUser, idt } = setup();
    idt.set(13, {
      kind: 'interrupt',
      dpl: 0,
      present: true,
      handler: () => {
        cpu.trapFrame!.eflags &= ~EFLAGS_IF; // emulate the CLI for the interrupted code
        return 'return';
      },
    });
    toUser(0, true);
    cpu.cli();
    expect(cpu.interruptsEnabled).toBe(false);
    expect(cpu.trapDepth).toBe(0);
  });

  it('returns into the new context when the handler switched', () => {
    const { cpu, toUser, idt } = setup();
    const other = userSegmentContext('other', 0x8000, 0x1000);
    idt.set(0x2a, {
      kind: 'interrupt',
      dpl: 3,
      present: true,
      handler: () => {
        cpu.switchTo(other, 3, EFLAGS_IF);
        return 'return';
      },
    });
    toUser();
    cpu.int(0x2a);
    expect(cpu.context).toBe(other);
    expect(cpu.cpl).toBe(3);
  });

  it("throws ExecutionAbandoned out of the instruction when the handler says 'abandon'", () => {
    const { cpu, toUser, state } = setup();
    toUser();
    state.verdict = 'abandon';
    expect(() => cpu.cli()).toThrow(ExecutionAbandoned);
    expect(() => cpu.int(0x2a)).toThrow(ExecutionAbandoned);
    // No IRET happened: the processor is still in the supervisor.
    expect(cpu.cpl).toBe(0);
    expect(cpu.interruptsEnabled).toBe(false);
  });

  it('charges trapEntry and trapExit for a trap that returns, trapEntry alone for one that abandons', () => {
    const { cpu, queue, toUser, state } = setup();
    toUser();
    cpu.cli();
    state.verdict = 'abandon';
    expect(() => cpu.hlt()).toThrow(ExecutionAbandoned);
    expect(spend(cpu, queue)).toBe(2 * I386_DEFAULT_COSTS.trapEntry + I386_DEFAULT_COSTS.trapExit);
  });
});

describe('#DE and #UD', () => {
  it('DIV divides EDX:EAX and faults on a zero divisor or a quotient overflow', () => {
    const { cpu, traps } = setup();
    cpu.writeRegister('edx', 1);
    cpu.writeRegister('eax', 5);
    cpu.divide(3); // 0x1_0000_0005 / 3
    expect([cpu.readRegister('eax'), cpu.readRegister('edx')]).toEqual([0x5555_5557, 0]);
    cpu.divide(0);
    cpu.writeRegister('edx', 7);
    cpu.divide(7);
    expect(traps.map((trap) => [trap.name, trap.number, trap.class, trap.instruction])).toEqual([
      ['#DE', 0, 'arithmetic', 'div'],
      ['#DE', 0, 'arithmetic', 'div'],
    ]);
    expect(cpu.readRegister('edx')).toBe(7);
  });

  it('#UD carries the mnemonic', () => {
    const { cpu, traps } = setup();
    cpu.undefinedInstruction();
    cpu.undefinedInstruction('wrmsr');
    expect(traps.map((trap) => [trap.name, trap.number, trap.class, trap.instruction])).toEqual([
      ['#UD', 6, 'illegal', 'ud2'],
      ['#UD', 6, 'illegal', 'wrmsr'],
    ]);
  });
});

describe('double fault and triple fault (SDM Table 6-5)', () => {
  /** An IDT holding only a #DF gate (and whatever `extra` adds). */
  function onlyDoubleFault(extra: Array<[number, Partial<IdtGate>]> = []) {
    const context = setup({ gates: 'none' });
    const { idt, handler, cpu } = context;
    idt.set(8, { kind: 'interrupt', dpl: 0, present: true, handler });
    for (const [vector, gate] of extra) idt.set(vector, { kind: 'interrupt', dpl: 0, present: true, handler, ...gate });
    cpu.lidt(idt);
    return context;
  }

  it('#UD (benign) -> #GP on its empty gate (serial) -> #GP on the #GP gate -> #DF', () => {
    const { cpu, traps, toUser, records } = onlyDoubleFault();
    toUser();
    cpu.undefinedInstruction();
    expect(traps).toEqual([{ class: 'protection', number: 8, name: '#DF', instruction: 'ud2', errorCode: 0, fromMode: 'user', synchronous: true }]);
    // The #GP(13 * 8 + 3) met while delivering #GP(6 * 8 + 3) is turned into the #DF itself.
    expect(records.map((record) => [record.payload.name, record.payload.errorCode ?? null])).toEqual([
      ['#UD', null],
      ['#GP', 6 * 8 + 3],
      ['#DF', 0],
    ]);
  });

  it('#DE (contributory) with a not-present gate: #NP is contributory too -> #DF', () => {
    const { cpu, traps, records } = onlyDoubleFault([[0, { present: false }]]);
    cpu.divide(0);
    expect(traps.map((trap) => trap.name)).toEqual(['#DF']);
    expect(records.map((record) => record.payload.name)).toEqual(['#DE', '#DF']);
  });

  it('a page fault whose gate is missing becomes #DF', () => {
    const { cpu, traps, toUser } = onlyDoubleFault();
    toUser();
    const hole = holeyContext();
    cpu.switchTo(hole, 3, EFLAGS_IF);
    cpu.load(0x2000, 4);
    expect(traps.map((trap) => trap.name)).toEqual(['#DF']);
    expect(cpu.cr2).toBe(0x8000 + 0x2000);
  });

  it('a benign event whose gate is missing is served by the #NP/#GP handler if there is one', () => {
    const { cpu, traps, toUser } = onlyDoubleFault([
      [6, { present: false }],
      [11, {}],
    ]);
    toUser();
    cpu.undefinedInstruction();
    expect(traps.map((trap) => [trap.name, trap.errorCode])).toEqual([['#NP', 6 * 8 + 3]]);
  });

  it('shuts the processor down when #DF itself cannot be delivered (triple fault)', () => {
    const { cpu, toUser, records } = setup({ gates: 'none' });
    cpu.lidt(undefined);
    toUser();
    expect(() => cpu.cli()).toThrow(new ExecutionAbandoned('triple fault: shutdown'));
    expect(cpu.stopReason).toBe('triple fault: shutdown');
    expect(records.map((record) => [record.kind, record.payload.name ?? record.payload.reason])).toEqual([
      ['trap', '#GP'],
      ['trap', '#DF'],
      ['cpu.stop', 'triple fault: shutdown'],
    ]);
  });
});

/** A segment at linear 0x8000, limit 0x2FFF: read/write page, read-only page, hole; plus a supervisor-only page past it. */
function holeyContext(): SegmentContext {
  const protection = new ProtectionContext('holey', [
    { name: 'data', virtualBase: 0, physicalBase: 0x8000, size: 0x1000, read: true, write: true, execute: false, user: true },
    { name: 'rodata', virtualBase: 0x1000, physicalBase: 0x9000, size: 0x1000, read: true, write: false, execute: false, user: true },
    { name: 'kernel', virtualBase: 0x3000, physicalBase: 0xb000, size: 0x1000, read: true, write: true, execute: false, user: false },
  ]);
  return { name: 'holey', base: 0x8000, limit: 0x3fff, protection };
}

describe('memory faults', () => {
  it('an access past the segment limit is #GP(0), class memory', () => {
    const { cpu, traps, toUser } = setup();
    toUser();
    expect(cpu.load(0xffc, 4)).toBe(0);
    expect(cpu.load(0xffe, 4)).toBe(0);
    cpu.store(0x1000, 1, 1);
    expect(cpu.loadBytes(0xff0, 0x20)).toEqual(new Uint8Array(0x20));
    expect(traps.map((trap) => [trap.name, trap.errorCode, trap.class, trap.instruction, trap.fault?.reason, trap.fault?.address])).toEqual([
      ['#GP', 0, 'memory', 'mov', 'unmapped', 0xffe],
      ['#GP', 0, 'memory', 'mov', 'unmapped', 0x1000],
      ['#GP', 0, 'memory', 'rep movs', 'unmapped', 0xff0],
    ]);
  });

  it('reads and writes segment-relative, little-endian', () => {
    const { cpu, memory, toUser } = setup();
    toUser();
    cpu.store(0x10, 4, 0x1122_3344);
    expect(memory.read32(0x4010)).toBe(0x1122_3344);
    expect(memory.read8(0x4010)).toBe(0x44);
    expect(cpu.load(0x11, 2)).toBe(0x2233);
    cpu.storeBytes(0x20, Uint8Array.of(1, 2, 3));
    expect([...cpu.loadBytes(0x1f, 5)]).toEqual([0, 1, 2, 3, 0]);
  });

  it('a refused access inside the segment is #PF with CR2 = linear address and the P, W/R, U/S error code', () => {
    const { cpu, traps, memory } = setup();
    cpu.switchTo(holeyContext(), 3, EFLAGS_IF);
    cpu.store(0x1004, 4, 1); // read-only page, user write: P | W | U
    expect(cpu.cr2).toBe(0x9004);
    expect(cpu.load(0x2008, 4)).toBe(0); // hole: U only
    expect(cpu.cr2).toBe(0xa008);
    expect(cpu.load(0x3000, 1)).toBe(0); // supervisor page from CPL 3: P | U
    expect(cpu.cr2).toBe(0xb000);
    cpu.storeBytes(0xffe, Uint8Array.of(1, 2, 3, 4)); // runs from the writable page into the read-only one
    expect(cpu.cr2).toBe(0x9000);
    expect(memory.read16(0x8ffe)).toBe(0); // nothing was written
    expect(traps.map((trap) => [trap.name, trap.errorCode, trap.class, trap.fault?.reason])).toEqual([
      ['#PF', 7, 'memory', 'permission'],
      ['#PF', 4, 'memory', 'unmapped'],
      ['#PF', 5, 'memory', 'privilege'],
      ['#PF', 7, 'memory', 'permission'],
    ]);
  });

  it('at CPL 0 the U/S bit is clear and supervisor pages are reachable', () => {
    const { cpu, traps, memory } = setup();
    cpu.switchTo(holeyContext(), 0, 0);
    memory.write32(0xb000, 0xcafe_f00d);
    expect(cpu.load(0x3000, 4)).toBe(0xcafe_f00d);
    cpu.load(0x1ffe, 4); // two readable bytes, then the hole
    expect([traps[0]!.name, traps[0]!.errorCode, cpu.cr2]).toEqual(['#PF', 0, 0xa000]);
  });

  it('a misaligned access across two accessible pages works, as on x86', () => {
    const { cpu, memory, traps } = setup();
    cpu.switchTo(holeyContext(), 3, EFLAGS_IF);
    memory.writeBytes(0x8ffe, Uint8Array.of(0x11, 0x22));
    memory.writeBytes(0x9000, Uint8Array.of(0x33, 0x44));
    expect(cpu.load(0xffe, 4)).toBe(0x4433_2211);
    expect(traps).toEqual([]);
  });

  it("'abandon' on a memory fault unwinds the access", () => {
    const { cpu, state, toUser } = setup();
    toUser();
    state.verdict = 'abandon';
    expect(() => cpu.load(0x5000, 4)).toThrow(ExecutionAbandoned);
  });

  it('never throws a host exception for any address or length, and never touches memory outside the segment (seeded fuzz)', () => {
    const { cpu, memory, toUser, traps } = setup();
    const prng = new Prng(386);
    const odd = [-1, -0.5, 0.5, 2 ** 32, 2 ** 32 - 1, 2 ** 53, Number.NaN, Infinity, -Infinity, 0xfff, 0x1000];
    // The user segment is 0x4000-0x4FFF; the holey context adds writable 0x8000-0x8FFF only.
    const outside = () => [memory.checksum(0, 0x4000), memory.checksum(0x5000, 0x3000), memory.checksum(0x9000, MEMORY_SIZE - 0x9000)];
    const before = outside();
    toUser();
    const widths = [1, 2, 4] as const;
    for (let i = 0; i < 20_000; i++) {
      const address = prng.chance(0.2) ? prng.pick(odd) : prng.chance(0.5) ? prng.int(0, 0x1100) : prng.int(0, 2 ** 32 - 1);
      const length = prng.chance(0.2) ? prng.pick(odd) : prng.int(0, 0x40);
      const width = prng.pick(widths);
      expect(() => {
        switch (prng.int(0, 3)) {
          case 0:
            cpu.load(address, width);
            break;
          case 1:
            cpu.store(address, width, prng.nextUint32());
            break;
          case 2:
            cpu.loadBytes(address, length);
            break;
          default:
            cpu.storeBytes(address, new Uint8Array(Number.isSafeInteger(length) && length >= 0 && length < 0x100 ? length : 8).fill(0xee));
        }
      }).not.toThrow();
      const roll = prng.int(0, 199);
      if (roll === 0) cpu.switchTo(holeyContext(), 3, EFLAGS_IF);
      else if (roll === 1) toUser();
    }
    expect(outside()).toEqual(before);
    expect(traps.length).toBeGreaterThan(1000);
    expect(new Set(traps.map((trap) => trap.name))).toEqual(new Set(['#GP', '#PF']));
  });
});

describe('registers', () => {
  it('reads and writes the eight general registers as 32-bit values', () => {
    const { cpu } = setup();
    const names = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp'];
    names.forEach((name, index) => cpu.writeRegister(name, 0x1000 * (index + 1)));
    expect(names.map((name) => cpu.readRegister(name))).toEqual([0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000, 0x8000]);
    cpu.writeRegister('eax', -1);
    cpu.writeRegister('ebx', 2 ** 32 + 5);
    cpu.writeRegister('ecx', Number.NaN);
    expect([cpu.readRegister('eax'), cpu.readRegister('ebx'), cpu.readRegister('ecx')]).toEqual([0xffff_ffff, 5, 0]);
  });

  it('an unknown register name is a model bug: RangeError', () => {
    const { cpu } = setup();
    expect(() => cpu.readRegister('eip')).toThrow(RangeError);
    expect(() => cpu.writeRegister('EAX', 1)).toThrow(RangeError);
  });
});

describe('costs', () => {
  it('charges each instruction from the cost table', () => {
    const { cpu, queue } = setup();
    cpu.cli();
    cpu.sti();
    cpu.pushf();
    cpu.popf(EFLAGS_IF);
    cpu.in8(0x60);
    cpu.out8(0x60, 1);
    cpu.load(0x100, 4);
    cpu.store(0x100, 4, 0);
    cpu.loadBytes(0x100, 10);
    cpu.int(0x80);
    const c = I386_DEFAULT_COSTS;
    expect(spend(cpu, queue)).toBe(4 * c.privilegedInstruction + 2 * c.ioAccess + 2 * c.memoryAccess + 3 * c.memoryAccess + c.trapEntry + c.trapExit);
  });
});

describe('trace', () => {
  it("records every trap with kind 'trap' and {number, name, instruction?, errorCode?, fromMode}", () => {
    const { cpu, toUser, records, queue } = setup();
    queue.runUntil(1234);
    toUser();
    cpu.cli();
    cpu.int(0x2a);
    cpu.int(0x30);
    expect(records).toEqual([
      { time: 1234, source: 'cpu0', kind: 'trap', payload: { number: 13, name: '#GP', instruction: 'cli', errorCode: 0, fromMode: 'user' } },
      { time: 1234, source: 'cpu0', kind: 'trap', payload: { number: 0x2a, name: 'INT 0x2a', instruction: 'int 0x2a', fromMode: 'user' } },
      { time: 1234, source: 'cpu0', kind: 'trap', payload: { number: 13, name: '#GP', instruction: 'int 0x30', errorCode: 0x182, fromMode: 'user' } },
    ]);
  });
});
