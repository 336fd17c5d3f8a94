/**
 * POK's x86 system-call convention, used as the hypercall ABI: `int 42` (0x2a) through a
 * DPL-3 interrupt gate, the call number in EAX, up to five arguments in EBX, ECX, EDX, ESI,
 * EDI, the status in EAX and a second result word in EDX.
 */
import type { HypercallAbi } from '@paravirt/machine';
import { vectorHex } from './exceptions.js';

/** POK's system-call vector. */
export const POK_HYPERCALL_VECTOR = 0x2a;

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
