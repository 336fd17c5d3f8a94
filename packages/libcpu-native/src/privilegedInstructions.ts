/**
 * Every privileged or sensitive instruction of each processor model as a table, for code
 * that wants to execute them the way arbitrary machine code would rather than the way
 * RTEMS does (fault injection: the `hostile` sample). Each entry is the real instruction
 * of the processor model, so what happens at user level is exactly what the hardware does:
 *
 * i386 (Intel SDM Vol. 2 per instruction; Vol. 3 6.12.1.1 for INT n):
 *   CLI, STI, IN, OUT             #GP(0) at CPL > IOPL
 *   HLT, LIDT, MOV CRn            #GP(0) at CPL != 0 (MOV CR1/CR4+: #UD first)
 *   PUSHF, POPF                   never fault; POPF silently keeps IF and IOPL at CPL > IOPL
 *   INT n                         #GP(n*8+2) through a gate with DPL < CPL
 *   DIV by zero, UD2              #DE, #UD
 *
 * SPARC V8 (appendix B per instruction):
 *   RD/WR %psr, %wim, %tbr, RETT  privileged_instruction (tt 0x03) with S = 0
 *   Ticc                          trap_instruction (tt 0x80 + n), including RTEMS's ta 9/10
 *   SAVE/RESTORE chains           window_overflow/underflow (tt 0x05/0x06) past the WIM
 *   UDIV by zero, UNIMP           division_by_zero (0x2A), illegal_instruction (0x02)
 *   wr %asr19                     LEON3 power-down, privileged
 */
import type { I386Processor } from '@paravirt/cpu-i386';
import type { SparcProcessor } from '@paravirt/cpu-sparc';
import type { PrivilegedInstruction } from '@paravirt/machine';

/** Deepest SAVE (or RESTORE) chain one entry runs: enough to pass every one of the 8 windows twice. */
const WINDOW_CHAIN = 16;

export function i386Instructions(cpu: I386Processor): PrivilegedInstruction[] {
  return [
    { mnemonic: 'cli', execute: () => cpu.cli() },
    { mnemonic: 'sti', execute: () => cpu.sti() },
    { mnemonic: 'hlt', execute: () => cpu.hlt() },
    { mnemonic: 'pushf', execute: () => void cpu.pushf() },
    { mnemonic: 'popf', execute: (value) => cpu.popf(value >>> 0) },
    { mnemonic: 'in al, dx', execute: (port) => void cpu.in8(port) },
    { mnemonic: 'in ax, dx', execute: (port) => void cpu.in16(port) },
    { mnemonic: 'out dx, al', execute: (port) => cpu.out8(port, port >>> 16) },
    { mnemonic: 'out dx, ax', execute: (port) => cpu.out16(port, port >>> 16) },
    // LIDT with a limit-0 table: the guest has no IDT object to hand over, only numbers.
    { mnemonic: 'lidt', execute: () => cpu.lidt(undefined) },
    { mnemonic: 'mov crN, r32', execute: (value) => cpu.movToCr(value & 7, value) },
    { mnemonic: 'mov r32, crN', execute: (value) => void cpu.movFromCr(value & 7) },
    { mnemonic: 'int n', execute: (vector) => cpu.int(vector & 0xff) },
    { mnemonic: 'div', execute: (divisor) => cpu.divide(divisor & 1 ? divisor : 0) },
    { mnemonic: 'ud2', execute: () => cpu.undefinedInstruction() },
  ];
}

export function sparcInstructions(cpu: SparcProcessor): PrivilegedInstruction[] {
  return [
    { mnemonic: 'rd %psr', execute: () => void cpu.rdpsr() },
    { mnemonic: 'wr %psr', execute: (value) => cpu.wrpsr(value) },
    { mnemonic: 'rd %wim', execute: () => void cpu.rdwim() },
    { mnemonic: 'wr %wim', execute: (value) => cpu.wrwim(value) },
    { mnemonic: 'rd %tbr', execute: () => void cpu.rdtbr() },
    { mnemonic: 'wr %tbr', execute: (value) => cpu.wrtbr(value) },
    { mnemonic: 'rett', execute: () => cpu.rett() },
    { mnemonic: 'wr %asr19', execute: () => cpu.powerDown() },
    { mnemonic: 'ta n', execute: (number) => cpu.ticc(number & 0x7f) },
    {
      mnemonic: 'save x N',
      execute: (depth) => {
        for (let i = (depth & (WINDOW_CHAIN - 1)) + 1; i > 0; i--) cpu.save();
      },
    },
    {
      mnemonic: 'restore x N',
      execute: (depth) => {
        for (let i = (depth & (WINDOW_CHAIN - 1)) + 1; i > 0; i--) cpu.restore();
      },
    },
    { mnemonic: 'udiv', execute: (divisor) => void cpu.udiv(divisor, divisor & 1 ? divisor : 0) },
    { mnemonic: 'unimp', execute: (value) => cpu.unimp(value) },
  ];
}
