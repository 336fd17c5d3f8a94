/**
 * POK's error kinds and the recovery actions of its partition-level error handling.
 *
 * POK (kernel/core/error.c) declares an error either to the partition's error-handler
 * process, if the partition created one, or to the partition's generated error handler,
 * whose action per error kind comes from the configuration; with no recovery configured,
 * POK's debug build reports the error and stops the partition (pok_fatal). Here:
 *  - HANDLER passes the error to the guest as the HM_EVENT virtual interrupt (the
 *    equivalent of POK's error-handler process);
 *  - IGNORE records it and lets the partition go on;
 *  - IDLE stops the partition; COLD_START / WARM_START restart it.
 */
import type { ErrorKind } from '@paravirt/kernel-core';

export const POK_ERROR_KINDS = [
  'DEADLINE_MISSED',
  'APPLICATION_ERROR',
  'NUMERIC_ERROR',
  'ILLEGAL_REQUEST',
  'STACK_OVERFLOW',
  'MEMORY_VIOLATION',
  'HARDWARE_FAULT',
  'POWER_FAIL',
  'PARTITION_CONFIGURATION',
  'PARTITION_INIT',
  'PARTITION_SCHEDULING',
  'PARTITION_HANDLER',
  'PARTITION_PROCESS',
] as const;

export type PokErrorKind = (typeof POK_ERROR_KINDS)[number];

export const POK_ACTIONS = ['IGNORE', 'HANDLER', 'IDLE', 'COLD_START', 'WARM_START'] as const;
export type PokAction = (typeof POK_ACTIONS)[number];

/**
 * Default actions when the configuration sets none. Faults the hardware raises stop the
 * partition (POK's pok_fatal with no recovery configured); errors the guest reports itself
 * (an application error, a deadline miss) are recorded and the partition goes on.
 */
export const DEFAULT_POK_ACTIONS: Readonly<Record<PokErrorKind, PokAction>> = {
  DEADLINE_MISSED: 'IGNORE',
  APPLICATION_ERROR: 'IGNORE',
  NUMERIC_ERROR: 'IDLE',
  ILLEGAL_REQUEST: 'IDLE',
  STACK_OVERFLOW: 'IDLE',
  MEMORY_VIOLATION: 'IDLE',
  HARDWARE_FAULT: 'IDLE',
  POWER_FAIL: 'IDLE',
  PARTITION_CONFIGURATION: 'IDLE',
  PARTITION_INIT: 'IDLE',
  PARTITION_SCHEDULING: 'IDLE',
  PARTITION_HANDLER: 'IDLE',
  PARTITION_PROCESS: 'IGNORE',
};

export function isPokErrorKind(value: string): value is PokErrorKind {
  return (POK_ERROR_KINDS as readonly string[]).includes(value);
}

export function isPokAction(value: string): value is PokAction {
  return (POK_ACTIONS as readonly string[]).includes(value);
}

/**
 * The POK error kind of each error PartitionKernel declares (its ErrorKind), as POK's own
 * sources classify the same event. A Record: a new ErrorKind does not compile until it is
 * mapped here.
 *  - Processor faults, as POK's x86 exception handlers (kernel/arch/x86/exceptions.c)
 *    declare them with pok_error_declare: #DE (exception_divide_error) NUMERIC_ERROR; #PF,
 *    #NP, #SS, #TS (exception_pagefault, exception_segment_not_present,
 *    exception_stackseg_fault, exception_invalid_tss) MEMORY_VIOLATION; #UD
 *    (exception_invalidopcode) and #GP (exception_general_protection: a privileged
 *    instruction at CPL 3, an INT n through a DPL-0 gate) ILLEGAL_REQUEST. A software trap
 *    that is not the system call has no handler in POK (kernel/arch/sparc/traps.c
 *    trap_handler: "Unhandled trap"); as an error of the partition it is ILLEGAL_REQUEST,
 *    as x86's unexpected INT3 (exception_breakpoint).
 *  - An unknown hypercall: the default case of pok_core_syscall (kernel/core/syscall.c)
 *    declares ILLEGAL_REQUEST. A bad pointer: pok_core_syscall's CHECK_PTR refuses the call
 *    (POK_ERRNO_EINVAL) before any access, so no memory fault happens; the model reports the
 *    refused request as ILLEGAL_REQUEST.
 *  - What POK has no counterpart for, because POK runs no host code of a partition (guest
 *    code that threw, a step past the end of virtual time, an upcall entry without code, a
 *    trap-and-emulate stall): ILLEGAL_REQUEST, the partition asked the kernel for something
 *    it cannot do.
 */
export const POK_ERROR_OF_KIND: Readonly<Record<ErrorKind, PokErrorKind>> = {
  privileged: 'ILLEGAL_REQUEST',
  software: 'ILLEGAL_REQUEST',
  memory: 'MEMORY_VIOLATION',
  illegal: 'ILLEGAL_REQUEST',
  arithmetic: 'NUMERIC_ERROR',
  protection: 'ILLEGAL_REQUEST',
  'unknown-hypercall': 'ILLEGAL_REQUEST',
  'bad-address': 'ILLEGAL_REQUEST',
  exception: 'ILLEGAL_REQUEST',
  time: 'ILLEGAL_REQUEST',
  upcall: 'ILLEGAL_REQUEST',
  stall: 'ILLEGAL_REQUEST',
  // Never raised: the POK-style kernel gives every partition the FPU. POK's own x86
  // #NM handler (kernel/arch/x86/exceptions.c, exception_nomath_coproc) declares it so.
  fpu: 'ILLEGAL_REQUEST',
};
