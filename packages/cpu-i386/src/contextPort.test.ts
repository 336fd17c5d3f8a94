import { CheckedMemory, EventQueue, PhysicalMemory } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { CPU_EFLAGS_INTERRUPTS_OFF, CPU_EFLAGS_INTERRUPTS_ON, I386ContextPort, type I386Context } from './contextPort.js';
import { I386_DEFAULT_COSTS } from './costs.js';
import { EFLAGS_CF, EFLAGS_DF, EFLAGS_IF, EFLAGS_ZF } from './eflags.js';
import { I386Processor } from './i386Processor.js';
import { interruptFlagForIsrLevel, isrLevelOfEflags } from './isrLevel.js';

function setup() {
  const queue = new EventQueue();
  const cpu = new I386Processor(queue, new CheckedMemory(new PhysicalMemory(0x1000, 'little')));
  return { queue, cpu, port: new I386ContextPort(cpu) };
}

describe('I386ContextPort', () => {
  it('initialises a context the way RTEMS _CPU_Context_Initialize does', () => {
    const { port } = setup();
    expect(port.contextInitialize(0)).toEqual({ arch: 'i386', eflags: 0x3202, esp: 0, ebp: 0, ebx: 0, esi: 0, edi: 0 });
    expect(port.contextInitialize(1).eflags).toBe(CPU_EFLAGS_INTERRUPTS_OFF);
    expect(port.contextInitialize(5).eflags).toBe(0x3002);
    // Stack top aligned down to 16, minus room for the entry point's return address frame.
    expect(port.contextInitialize(0, 0x1000, 0x0ffd).esp).toBe(0x1ff0 - 8);
  });

  it('saves EFLAGS/ESP/EBP/EBX/ESI/EDI of the executing thread and loads the heir, never touching IF', () => {
    const { cpu, port, queue } = setup();
    const executing = port.contextInitialize(0);
    const heir: I386Context = { arch: 'i386', eflags: CPU_EFLAGS_INTERRUPTS_ON | EFLAGS_CF | EFLAGS_DF, esp: 0x8000, ebp: 0x8010, ebx: 1, esi: 2, edi: 3 };
    cpu.popf(EFLAGS_ZF); // IF = 0 in the dispatcher
    const values = { esp: 0x7000, ebp: 0x7004, ebx: 11, esi: 12, edi: 13, eax: 99 };
    for (const [name, value] of Object.entries(values)) cpu.writeRegister(name, value);
    port.contextSwitch(executing, heir);
    expect(executing).toEqual({ arch: 'i386', eflags: 0x2 | EFLAGS_ZF, esp: 0x7000, ebp: 0x7004, ebx: 11, esi: 12, edi: 13 });
    expect(['esp', 'ebp', 'ebx', 'esi', 'edi', 'eax'].map((name) => cpu.readRegister(name))).toEqual([0x8000, 0x8010, 1, 2, 3, 99]);
    // The heir's status flags came along; IF stays as the dispatcher left it (cpukit restores the level).
    expect(cpu.eflags).toBe(0x2 | EFLAGS_CF | EFLAGS_DF);
    expect(cpu.interruptsEnabled).toBe(false);
    cpu.start();
    queue.runUntil(1_000_000);
    expect(cpu.stats.overheadCycles).toBe(I386_DEFAULT_COSTS.privilegedInstruction + I386_DEFAULT_COSTS.threadContextSwitch);
  });

  it('refuses a context of another architecture (a model bug)', () => {
    const { port } = setup();
    const sparc = { arch: 'sparc' } as unknown as I386Context;
    expect(() => port.contextSwitch(port.contextInitialize(0), sparc)).toThrow(RangeError);
  });
});

describe('RTEMS interrupt levels on the i386', () => {
  it('maps level 0 to IF = 1 and every other level to IF = 0', () => {
    expect([0, 1, 2, 255].map(interruptFlagForIsrLevel)).toEqual([true, false, false, false]);
    expect([isrLevelOfEflags(0x202), isrLevelOfEflags(0x2), isrLevelOfEflags(CPU_EFLAGS_INTERRUPTS_ON), isrLevelOfEflags(~EFLAGS_IF)]).toEqual([0, 1, 0, 1]);
  });
});
