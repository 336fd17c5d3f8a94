/**
 * nativeCpu() picks the operations by processor, and the same native code inside a
 * partition whose kernel traps and emulates the interrupt-flag operations (the boards'
 * emulateInterruptFlagOperation): on SPARC every disable and enable traps, so the
 * virtual level follows the guest; on the i386 the enable is a POPF that never traps, so
 * the virtual flag stays cleared after the first critical section.
 */
import { i386Architecture, I386Board } from '@paravirt/cpu-i386';
import { Leon3Board, sparcArchitecture } from '@paravirt/cpu-sparc';
import { EventQueue, InterruptController, type Platform, type VirtualInterruptState } from '@paravirt/machine';
import { SimpleProcessor } from '@paravirt/machine/test';
import { describe, expect, it } from 'vitest';
import { I386NativeCpu } from './i386NativeCpu.js';
import { i386NativeLibcpu, nativeCpu, privilegedInstructions, sparcNativeLibcpu } from './nativeCpu.js';
import { SparcNativeCpu } from './sparcNativeCpu.js';

/** A partition under a kernel that emulates interrupt-flag operations and counts what it could not. */
function emulatingKernel(platform: Platform) {
  const state: VirtualInterruptState = { enabled: true };
  const emulated: string[] = [];
  platform.installSupervisor((trap) => {
    if (platform.emulateInterruptFlagOperation(trap, state)) emulated.push(trap.instruction ?? trap.name);
    return 'return';
  });
  platform.enterUser(platform.createUserContext({ name: 'p0', physicalBase: 0x8_0000, size: 0x1_0000 }));
  return { state, emulated };
}

describe('nativeCpu', () => {
  it('gives the i386 and SPARC operations for their processors and refuses any other', () => {
    expect(nativeCpu(new I386Board({ memorySize: 0x1000 }).processor)).toBeInstanceOf(I386NativeCpu);
    expect(nativeCpu(new Leon3Board({ memorySize: 0x1000 }).processor)).toBeInstanceOf(SparcNativeCpu);
    expect(() => nativeCpu(new SimpleProcessor(new EventQueue(), new InterruptController(1)))).toThrow(/no operations for a simple processor/);
  });
});

describe('libcpu-native entries (one per architecture, registered with its descriptor)', () => {
  it('give the same operations and instruction tables as nativeCpu / privilegedInstructions, on their own processors only', () => {
    expect([i386NativeLibcpu.architecture, sparcNativeLibcpu.architecture]).toEqual([i386Architecture, sparcArchitecture]);
    const i386 = new I386Board({ memorySize: 0x1000 }).processor;
    const sparc = new Leon3Board({ memorySize: 0x1000 }).processor;
    expect(i386NativeLibcpu.nativeCpu(i386)).toBeInstanceOf(I386NativeCpu);
    expect(sparcNativeLibcpu.nativeCpu(sparc)).toBeInstanceOf(SparcNativeCpu);
    expect(i386NativeLibcpu.privilegedInstructions(i386).map((i) => i.mnemonic)).toEqual(privilegedInstructions(i386).map((i) => i.mnemonic));
    expect(sparcNativeLibcpu.privilegedInstructions(sparc).map((i) => i.mnemonic)).toEqual(privilegedInstructions(sparc).map((i) => i.mnemonic));
    expect(() => i386NativeLibcpu.nativeCpu(sparc)).toThrow(/i386 operations are for i386 processors, not for this sparc one/);
    expect(() => sparcNativeLibcpu.privilegedInstructions(i386)).toThrow(/sparc operations are for sparc processors, not for this i386 one/);
  });
});

describe('interrupt masks (CPU_MODES_INTERRUPT_MASK)', () => {
  it("are RTEMS's per architecture and cover the levels the architecture descriptor has: i386 0x1 (IF), SPARC 0xF (PIL)", () => {
    const i386 = nativeCpu(new I386Board({ memorySize: 0x1000 }).processor);
    const sparc = nativeCpu(new Leon3Board({ memorySize: 0x1000 }).processor);
    expect([i386.interruptMask, sparc.interruptMask]).toEqual([0x1, 0xf]);
    expect([i386Architecture.interruptLevels.max, sparcArchitecture.interruptLevels.max]).toEqual([i386.interruptMask, sparc.interruptMask]);
  });

  it('a level within the mask reads back as set on SPARC (PIL); any level but 0 reads back as 1 on the i386', () => {
    const i386 = nativeCpu(new I386Board({ memorySize: 0x1000 }).processor);
    const sparc = nativeCpu(new Leon3Board({ memorySize: 0x1000 }).processor);
    const readBack = (cpu: typeof i386, level: number): number => {
      cpu.isrSetLevel(level & cpu.interruptMask);
      return cpu.isrGetLevel();
    };
    expect([1, 2, 3, 15].map((level) => readBack(sparc, level))).toEqual([1, 2, 3, 15]);
    // What cpukit passes for RTEMS_INTERRUPT_LEVEL(n): n & 0x1, so level 2 enables.
    expect([1, 2, 3].map((level) => readBack(i386, level))).toEqual([1, 0, 1]);
  });
});

describe('native code under a trap-and-emulate kernel', () => {
  it('SPARC: ta 9 / ta 10 / RDPSR / WRPSR all trap, so the virtual level tracks every change', () => {
    const board = new Leon3Board({ memorySize: 1 << 20 });
    const { state, emulated } = emulatingKernel(board);
    const cpu = nativeCpu(board.processor);
    const cookie = cpu.isrDisable();
    expect([state.enabled, cpu.isrGetLevel()]).toEqual([false, 15]);
    cpu.isrEnable(cookie);
    expect([state.enabled, cpu.isrGetLevel()]).toEqual([true, 0]);
    cpu.isrSetLevel(15);
    expect(state.enabled).toBe(false);
    cpu.isrSetLevel(0);
    expect(state.enabled).toBe(true);
    expect(emulated).toEqual(['ta 0x9', 'rd %psr', 'ta 0xa', 'rd %psr', 'rd %psr', 'wr %psr', 'rd %psr', 'wr %psr']);
    expect(board.processor.pil).toBe(0);
  });

  it('i386: CLI traps and is emulated, the POPF that ends the section does not: virtual interrupts stay off', () => {
    const board = new I386Board({ memorySize: 0x10_0000 });
    const { state, emulated } = emulatingKernel(board);
    const cpu = nativeCpu(board.processor);
    const cookie = cpu.isrDisable();
    expect(state.enabled).toBe(false);
    cpu.isrEnable(cookie);
    expect(emulated).toEqual(['cli']);
    // The guest believes it re-enabled (PUSHF shows the real IF = 1); the kernel still holds them off.
    expect([state.enabled, cpu.isrGetLevel(), cookie]).toEqual([false, 0, 0x202]);
  });
});
