/**
 * Exception vectors and how they combine when one occurs while another is being
 * delivered (Intel SDM Vol. 3 section 6.15, "Exception and Interrupt Reference", and
 * Table 6-5 under "Interrupt 8 - Double Fault Exception").
 */

export const VECTOR_DE = 0;
export const VECTOR_DB = 1;
export const VECTOR_NMI = 2;
export const VECTOR_BP = 3;
export const VECTOR_OF = 4;
export const VECTOR_BR = 5;
export const VECTOR_UD = 6;
export const VECTOR_NM = 7;
export const VECTOR_DF = 8;
export const VECTOR_TS = 10;
export const VECTOR_NP = 11;
export const VECTOR_SS = 12;
export const VECTOR_GP = 13;
export const VECTOR_PF = 14;
export const VECTOR_MF = 16;

/** Architectural mnemonics of the exception vectors 0-16. */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  [VECTOR_DE]: '#DE',
  [VECTOR_DB]: '#DB',
  [VECTOR_NMI]: 'NMI',
  [VECTOR_BP]: '#BP',
  [VECTOR_OF]: '#OF',
  [VECTOR_BR]: '#BR',
  [VECTOR_UD]: '#UD',
  [VECTOR_NM]: '#NM',
  [VECTOR_DF]: '#DF',
  9: 'CSO',
  [VECTOR_TS]: '#TS',
  [VECTOR_NP]: '#NP',
  [VECTOR_SS]: '#SS',
  [VECTOR_GP]: '#GP',
  [VECTOR_PF]: '#PF',
  [VECTOR_MF]: '#MF',
};

/** Page-fault error code bits (SDM Vol. 3 section 6.15, Interrupt 14, Figure 6-9). */
export const PF_ERROR_PRESENT = 1 << 0;
export const PF_ERROR_WRITE = 1 << 1;
export const PF_ERROR_USER = 1 << 2;

/** Error-code bits of a selector-style error code (SDM Vol. 3 section 6.13, Figure 6-7). */
export const ERROR_CODE_EXT = 1 << 0;
export const ERROR_CODE_IDT = 1 << 1;

/** SDM Table 6-4: the class an exception belongs to for double-fault detection. */
export type ExceptionSeverity = 'benign' | 'contributory' | 'page-fault';

export function exceptionSeverity(vector: number): ExceptionSeverity {
  switch (vector) {
    case VECTOR_DE:
    case VECTOR_TS:
    case VECTOR_NP:
    case VECTOR_SS:
    case VECTOR_GP:
      return 'contributory';
    case VECTOR_PF:
      return 'page-fault';
    default:
      return 'benign';
  }
}

/**
 * SDM Table 6-5: a second exception raised while delivering the first becomes a double
 * fault when both are contributory, or the first is a page fault and the second is a
 * page fault or contributory. Every other pair is handled serially.
 */
export function isDoubleFault(first: ExceptionSeverity, second: ExceptionSeverity): boolean {
  if (first === 'contributory') return second === 'contributory';
  if (first === 'page-fault') return second !== 'benign';
  return false;
}

const VECTOR_HEX = Array.from({ length: 256 }, (_, vector) => `0x${vector.toString(16).padStart(2, '0')}`);

/** Formats a vector as the INT n mnemonic uses it: 0x2a (made once per vector: every hypercall names one). */
export function vectorHex(vector: number): string {
  return VECTOR_HEX[vector] ?? `0x${vector.toString(16).padStart(2, '0')}`;
}
