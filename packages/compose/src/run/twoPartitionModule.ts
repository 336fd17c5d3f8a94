/**
 * For tests where a kernel meets the LEON3 board: two partitions in one frame, booted on the
 * POK-style or the AIR-style kernel from the same description (what the kernel tests of the
 * SPARC FPU and of rtems_interrupt_catch share).
 */
import { AirKernel, type AirConfig, defaultHealthMonitor } from '@paravirt/air-kernel';
import type { Leon3Board } from '@paravirt/cpu-sparc';
import type { PartitionGuestFactory } from '@paravirt/paravirt-api';
import { PokKernel, type PokConfig } from '@paravirt/pok-kernel';

export interface TwoPartitionModule {
  /** The two partitions' names and window lengths (ns), in frame order: the frame is their sum. */
  readonly windows: readonly [readonly [name: string, duration: number], readonly [name: string, duration: number]];
  readonly guests: Readonly<Record<string, PartitionGuestFactory>>;
  readonly kernelTick: number;
  /** Board line -> partition. */
  readonly routes?: ReadonlyArray<{ readonly line: number; readonly partition: string }>;
  /** The partitions with FPU_CONTROL on the AIR-style kernel (default: both); the POK-style one has no such permission. */
  readonly fpuControl?: readonly string[];
}

export function bootTwoPartitions(kernelName: 'pok' | 'air', board: Leon3Board, module: TwoPartitionModule): PokKernel | AirKernel {
  const [[first, firstDuration], [second, secondDuration]] = module.windows;
  const names = [first, second];
  const frame = firstDuration + secondDuration;
  const routes = [...(module.routes ?? [])];
  const guests = { ...module.guests };
  if (kernelName === 'pok') {
    const config: PokConfig = {
      kernelTick: module.kernelTick,
      majorFrame: frame,
      slots: [
        { partition: first, duration: firstDuration },
        { partition: second, duration: secondDuration },
      ],
      partitions: names.map((name) => ({ name, memorySize: 1 << 20, system: false, ports: [], errorActions: {}, ipiTargets: [] })),
      channels: [],
      routes,
      flush: 'major-frame',
    };
    const kernel = new PokKernel({ platform: board, config, guests });
    kernel.boot();
    return kernel;
  }
  const fpuControl = module.fpuControl ?? names;
  const partitions = names.map((name, index) => ({ id: index + 1, name, memorySize: 1 << 20, system: false, permissions: fpuControl.includes(name) ? ['FPU_CONTROL' as const] : [], ports: [], ipiTargets: [] }));
  const window = (partition: string, id: number, start: number, duration: number) => ({ partition, period: frame, periodDuration: duration, setModuleSchedule: false, changeAction: 'IGNORE' as const, windows: [{ id, start, duration, periodStart: true }] });
  const config: AirConfig = {
    kernelTick: module.kernelTick,
    partitions,
    schedules: [{ id: 1, name: 'main', initial: true, majorFrame: frame, partitions: [window(first, 0, 0, firstDuration), window(second, 1, firstDuration, secondDuration)] }],
    channels: [],
    routes,
    healthMonitor: defaultHealthMonitor(names),
  };
  const kernel = new AirKernel({ platform: board, config, guests });
  kernel.boot();
  return kernel;
}
