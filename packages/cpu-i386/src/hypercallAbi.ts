/**
 * The i386 hypercall ABI: POK's system-call vector, `int 42` (0x2a), through a DPL-3
 * interrupt gate, with the paravirt API's register convention - the call number in EAX, up to
 * five arguments in EBX, ECX, EDX, ESI, EDI, the status in EAX and a second result word in
 * EDX. POK's own convention on the same vector differs: EAX = number and EBX = a pointer to
 * an argument structure (libpok/arch/x86/syscall.c, pok_do_syscall).
 */
import type { HypercallAbi } from '@paravirt/machine';
import { vectorHex } from './exceptions.js';

/** POK's system-call vector. */
export const POK_HYPERCALL_VECTOR = 0x2a;

/**
 * The vectors a kernel may take hypercalls on, the board's default (POK's 0x2a) first.
 * The second, 0x80, is for a kernel that wants a vector of its own (the AIR-style kernel
 * takes it): clear of the exceptions (0-31, Intel SDM Vol. 3 section 6.3) and of the 8259
 * PIC vectors the board programs (0x20-0x2F), and distinct from 0x2a so a guest built for
 * one kernel cannot reach the other by accident.
 */
export const I386_HYPERCALL_VECTORS: readonly number[] = Object.freeze([POK_HYPERCALL_VECTOR, 0x80]);

export function i386HypercallAbi(vector = POK_HYPERCALL_VECTOR): HypercallAbi {
  // Vectors 0-31 are reserved for exceptions (SDM Vol. 3 section 6.3).
  if (!Number.isInteger(vector) || vector < 32 || vector > 255) throw new RangeError(`hypercall vector must be 32..255, got ${vector}`);
  return Object.freeze({
    arch: 'i386',
    trapNumber: vector,
    trapInstruction: `int ${vectorHex(vector)}`,
    numberRegister: 'eax',
    argumentRegisters: Object.freeze(['ebx', 'ecx', 'edx', 'esi', 'edi']),
    resultRegister: 'eax',
    extraResultRegisters: Object.freeze(['edx']),
  });
}
