/**
 * ARINC 653 RETURN_CODE_TYPE, with the values of ARINC 653 Part 1 (APEX "Return code"
 * definitions, apex_types.h). The partition services (`rtems.apex`) answer with these,
 * whatever hypervisor the BSP talks to; a BSP maps its hypervisor's own codes onto them.
 * Defined once, in @paravirt/machine (arinc653.ts, `ReturnCode`: the hypervisor contract
 * speaks the same codes, and machine is the only layer cpukit may import); this is that
 * enum under the executive's name.
 */
import { enumName, ReturnCode } from '@paravirt/machine';

export { ReturnCode as ApexReturnCode } from '@paravirt/machine';

/** The return code's ARINC name, e.g. 'TIMED_OUT'. */
export function apexReturnCodeText(code: number): string {
  return enumName(ReturnCode, code) ?? `RETURN_CODE_${code}`;
}
