/**
 * What the simulated hardware and the guest software can run, checked on the module
 * specification before anything is built. planKernel (run/kernels.ts) adds these errors to
 * the kernel's own, and both `paravirt check` and `paravirt run` go through it, so a
 * module `check` accepts is one `run` can build, and one `run` refuses, `check` refuses
 * with the same first line. The limits themselves live with the parts that have them:
 *
 *  - the kernel tick: the i386 PIT (cpu-i386 i386TickProblem: at least 1258 ns; longer
 *    than one count is split into several interrupts) and the LEON3 GPTIMER (cpu-sparc
 *    leon3TickProblem: at most 2^32 timer ticks);
 *  - a guest's tick (clockTick, or the application's microsecondsPerTick): cpukit's
 *    configuration (1 us .. 1 s) and, on bare metal, the native BSP's clock (bsp-native
 *    nativeClockProblem: pc386 needs at least 2 us);
 *  - memory: the board's RAM (cpu-i386 I386_MAX_MEMORY, cpu-sparc LEON3_MAX_MEMORY) must
 *    hold the kernel's first MiB and every partition;
 *  - ports: an RTEMS partition moves messages through the paravirtual BSP's scratch
 *    buffer (bsp-virtualpok virtualPokPortProblem: at most 8176 bytes); port buffers and
 *    names are the kernels' shared checks (paravirt-api validatePartitionResources);
 *  - devices: a partitioned module routes a device's line to a partition, which only the
 *    board's routable lines can be (cpu-i386 I386_ROUTABLE_LINES, cpu-sparc
 *    LEON3_ROUTABLE_LINES).
 */
import { I386_MAX_MEMORY, I386_ROUTABLE_LINES, i386TickProblem } from '@paravirt/cpu-i386';
import { LEON3_DEFAULT_FREQUENCY_HZ, LEON3_MAX_MEMORY, LEON3_ROUTABLE_LINES, leon3TickProblem } from '@paravirt/cpu-sparc';
import { type Configuration, resolveConfiguration } from '@paravirt/cpukit';
import { nativeClockProblem } from '@paravirt/bsp-native';
import { virtualPokPortProblem } from '@paravirt/bsp-virtualpok';
import { type ConfigError, formatDuration } from '@paravirt/machine';
import { type MemoryLayout, partitionMemoryLayout } from '@paravirt/paravirt-api';
import { isRawApplication, samples } from '@paravirt/samples';
import type { ArchName, ModuleSpec, PartitionSpec } from './moduleSpec.js';

const MIB = 1 << 20;

/** The board's RAM: its size limit and what sets it. */
const BOARD_RAM: Readonly<Record<ArchName, { readonly max: number; readonly what: string }>> = {
  i386: { max: I386_MAX_MEMORY, what: `the PC's RAM (0x${I386_MAX_MEMORY.toString(16)}: 4 GiB less the BIOS ROM at the top of the 32-bit address space)` },
  sparc: { max: LEON3_MAX_MEMORY, what: `the LEON3 board's RAM (0x${LEON3_MAX_MEMORY.toString(16)}: 1 GiB, below the partitions' virtual window at 0x40000000)` },
};

/** Why a line cannot be routed to a partition on each board. */
const UNROUTABLE: Readonly<Record<ArchName, Readonly<Record<number, string>>>> = {
  i386: { 0: 'IRQ 0 is the PIT, the kernel tick', 2: 'IRQ 2 is the master PIC\'s cascade input (an AT device on IRQ 2 appears as IRQ 9)' },
  sparc: { 8: 'interrupt level 8 is GPTIMER timer 1, the kernel tick' },
};

const ROUTABLE: Readonly<Record<ArchName, readonly number[]>> = { i386: I386_ROUTABLE_LINES, sparc: LEON3_ROUTABLE_LINES };

/**
 * Physical memory of the board for a partitioned module whose kernel and partitions end at
 * `needed`: rounded up to a MiB with a MiB to spare, at most the board's RAM (planKernel
 * has checked that `needed` fits).
 */
export function partitionedBoardMemory(arch: ArchName, needed: number): number {
  return Math.min(Math.ceil((needed + MIB) / MIB) * MIB, BOARD_RAM[arch].max);
}

/** Physical memory of the bare-metal board for an application given `size` bytes: at least 4 MiB, a MiB to spare, at most the board's RAM. */
export function bareMetalBoardMemory(arch: ArchName, size: number): number {
  return Math.min(Math.max(4 * MIB, size + MIB), BOARD_RAM[arch].max);
}

/** The configuration a built-in RTEMS sample brings, if the partition runs one (user modules are only known at run time). */
function builtinConfiguration(app: string): Partial<Configuration> | undefined {
  const sample = Object.hasOwn(samples, app) ? samples[app] : undefined;
  return sample && !isRawApplication(sample) ? sample.configuration : undefined;
}

/** True if the partition runs a raw program (no RTEMS, no BSP): only built-in ones are known before run time. */
function runsRawProgram(partition: PartitionSpec): boolean {
  const sample = Object.hasOwn(samples, partition.app) ? samples[partition.app] : undefined;
  return sample !== undefined && isRawApplication(sample);
}

/** The guest's resolved configuration, or why cpukit refuses it (`application` gives the application's own, when it is known). */
function resolveGuest(partition: PartitionSpec, application: () => Partial<Configuration> | undefined): { configuration?: Configuration; problem?: string } {
  const override = partition.clockTick !== undefined ? { microsecondsPerTick: partition.clockTick / 1000 } : undefined;
  try {
    return { configuration: resolveConfiguration(application(), override) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : 'the configuration cannot be read' };
  }
}

function tickPath(index: number, partition: PartitionSpec): string {
  return partition.clockTick !== undefined ? `partitions[${index}].clockTick` : `partitions[${index}].app`;
}

/**
 * The problem, if any, of the guest tick of partition `index` running an application with
 * the configuration `application` returns: cpukit's configuration (a clockTick longer
 * than 1 s) and, on bare metal, the native BSP's clock.
 */
function guestTickProblem(spec: ModuleSpec, index: number, application: () => Partial<Configuration> | undefined): ConfigError | undefined {
  const partition = spec.partitions[index]!;
  const path = tickPath(index, partition);
  const guest = resolveGuest(partition, application);
  if (guest.problem !== undefined) {
    if (!guest.problem.includes('microsecondsPerTick')) return { path: `partitions[${index}].app`, message: guest.problem };
    const what = partition.clockTick !== undefined ? `${formatDuration(partition.clockTick)} cannot be the guest's tick: ` : '';
    return { path, message: `${what}${guest.problem} (RTEMS needs at least one tick per second: confdefs' ticks per second is 1000000 / microseconds per tick)` };
  }
  return spec.kernel === 'none' ? bareMetalClock(spec, path, guest.configuration!) : undefined;
}

function bareMetalClock(spec: ModuleSpec, path: string, configuration: Configuration): ConfigError | undefined {
  const problem = nativeClockProblem(spec.arch, configuration.microsecondsPerTick);
  return problem === undefined ? undefined : { path, message: problem };
}

/**
 * Bare metal, once a user module is loaded: whether the native BSP's clock can run the tick
 * its configuration asks for (cpukit's own checks of the configuration report the rest,
 * when the executive is built).
 */
export function bareMetalClockProblem(spec: ModuleSpec, application: () => Partial<Configuration> | undefined): ConfigError | undefined {
  const partition = spec.partitions[0]!;
  const guest = resolveGuest(partition, application);
  return guest.configuration === undefined ? undefined : bareMetalClock(spec, tickPath(0, partition), guest.configuration);
}

/** Where each partition lands in physical memory, by the kernels' shared placement. */
function layoutOf(spec: ModuleSpec): MemoryLayout {
  return partitionMemoryLayout(
    spec.partitions.map((partition) => ({ name: partition.name, memorySize: partition.memory.size, ...(partition.memory.base !== undefined ? { physicalBase: partition.memory.base } : {}), ports: [] })),
  );
}

function memoryErrors(spec: ModuleSpec): ConfigError[] {
  const ram = BOARD_RAM[spec.arch];
  if (spec.kernel === 'none') {
    const partition = spec.partitions[0];
    if (!partition || partition.memory.size <= ram.max) return [];
    return [{ path: 'partitions[0].memory', message: `${partition.memory.size} bytes do not fit ${ram.what}: ${partition.memory.size - ram.max} bytes too many` }];
  }
  const layout = layoutOf(spec);
  const errors: ConfigError[] = [];
  layout.partitions.forEach((place, index) => {
    const end = place.physicalBase + place.size;
    if (end <= ram.max) return;
    const placed = spec.partitions[index]!.memory.base !== undefined ? '' : ' (placed after the kernel\'s first MiB and the partitions before it)';
    errors.push({
      path: `partitions[${index}].memory`,
      message: `partition ${place.name}: ${place.size} bytes at 0x${place.physicalBase.toString(16)}${placed} end at 0x${end.toString(16)}, ${end - ram.max} bytes past the end of ${ram.what}`,
    });
  });
  return errors;
}

function tickErrors(spec: ModuleSpec): ConfigError[] {
  if (spec.kernel === 'none') return [];
  const problem = spec.arch === 'i386' ? i386TickProblem(spec.kernelTick) : leon3TickProblem(spec.kernelTick, spec.frequencyHz ?? LEON3_DEFAULT_FREQUENCY_HZ);
  return problem === undefined ? [] : [{ path: 'kernelTick', message: problem }];
}

function guestErrors(spec: ModuleSpec): ConfigError[] {
  const errors: ConfigError[] = [];
  spec.partitions.forEach((partition, index) => {
    if (runsRawProgram(partition)) return;
    const tick = guestTickProblem(spec, index, () => builtinConfiguration(partition.app));
    if (tick) errors.push(tick);
    if (spec.kernel === 'none') return;
    partition.ports.forEach((port, portIndex) => {
      const problem = virtualPokPortProblem(port.maxMessageSize);
      if (problem !== undefined) errors.push({ path: `partitions[${index}].ports[${portIndex}].maxMessageSize`, message: problem });
    });
  });
  return errors;
}

function deviceErrors(spec: ModuleSpec): ConfigError[] {
  if (spec.kernel === 'none') return [];
  const routable = ROUTABLE[spec.arch];
  return spec.devices.flatMap((device, index) => {
    if (device.partition === undefined || routable.includes(device.line)) return [];
    const why = UNROUTABLE[spec.arch][device.line] ?? 'the board uses it itself';
    return [{ path: `devices[${index}].line`, message: `line ${device.line} cannot be routed to a partition on the ${spec.arch}: ${why} (routable: ${routable.join(', ')})` }];
  });
}

/** Every limit the module exceeds, with the path of the value. */
export function limitErrors(spec: ModuleSpec): ConfigError[] {
  return [...tickErrors(spec), ...guestErrors(spec), ...memoryErrors(spec), ...deviceErrors(spec)];
}
