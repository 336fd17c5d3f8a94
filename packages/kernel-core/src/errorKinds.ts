/**
 * Why a kernel declares an error of a partition to its health monitor
 * (PartitionKernel.raiseError): the error kinds, in one place. Each kernel maps every kind
 * to its own vocabulary with a `Record<ErrorKind, ...>` (pok-kernel: POK's error kinds,
 * air-kernel: AIR's error identifiers), so a new kind - here, or a new trap class in
 * machine, or a new reported rejection in paravirt-api - does not compile until every
 * kernel has decided what it is.
 */
import type { TrapClass } from '@paravirt/machine';
import type { BadHypercallKind } from '@paravirt/paravirt-api';

/**
 * A processor fault in the partition's code: every trap class of machine's TrapClass but
 * the two that are not faults ('interrupt', 'hypercall'). 'privileged' (CLI/STI/HLT at
 * CPL 3, SPARC privileged_instruction), 'software' (a software trap that is not the
 * hypercall, e.g. SPARC `ta 9`), 'memory', 'illegal' (#UD, illegal_instruction),
 * 'arithmetic' (division by zero), 'protection' (i386 #GP on INT n through a DPL-0 gate).
 */
export type FaultKind = Exclude<TrapClass, 'interrupt' | 'hypercall'>;

/**
 * A hypercall the dispatcher rejected and reported (paravirt-api's BadHypercallKind):
 * 'unknown-hypercall', 'bad-address'. A bad argument value ('invalid-param') only gets its
 * status (PartitionBinding.badHypercall), never an HM event.
 */
export type HypercallErrorKind = Exclude<BadHypercallKind, 'invalid-param'>;

/**
 * What PartitionKernel detects itself: 'exception' (the partition's code threw, in a step,
 * its boot or an upcall), 'time' (a step would run past the end of virtual time),
 * 'upcall' (the registered upcall entry has no code), 'stall' (a trap-and-emulate guest
 * kept virtual interrupts disabled with one pending for STALL_WINDOWS windows), 'fpu' (a
 * floating-point instruction of a partition the kernel does not give the FPU: SPARC
 * fp_disabled from an AIR-style partition without FPU_CONTROL).
 */
export type KernelErrorKind = 'exception' | 'time' | 'upcall' | 'stall' | 'fpu';

/** Every kind PartitionKernel.raiseError receives. */
export type ErrorKind = FaultKind | HypercallErrorKind | KernelErrorKind;
