import { FatalSource } from '@paravirt/cpukit';

/**
 * The RTEMS fatal source number behind a name BspHooks.fatal receives ('INTERNAL_ERROR_CORE'
 * -> 0; cpukit names sources it has no name for 'RTEMS_FATAL_SOURCE_<n>'), for the
 * registers _CPU_Fatal_halt leaves it in. An unknown name is 0xFFFFFFFF.
 */
export function fatalSourceNumber(name: string): number {
  const known: unknown = (FatalSource as unknown as Record<string, unknown>)[name];
  if (typeof known === 'number') return known;
  const match = /^RTEMS_FATAL_SOURCE_(\d+)$/.exec(name);
  return match ? Number(match[1]) >>> 0 : 0xffff_ffff;
}
