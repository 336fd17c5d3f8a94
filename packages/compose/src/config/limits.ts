/**
 * What the simulated hardware and the guest software can run, checked on the module
 * specification before anything is built. planKernel (run/kernels.ts) adds these errors to
 * the kernel's own, and both `paravirt check` and `paravirt run` go through it, so a
 * module `check` accepts is one `run` can build, and one `run` refuses, `check` refuses
 * with the same first line. The limits themselves live with the parts that have them:
 *
 *  - the kernel tick: the architecture's kernel timer (descriptor `kernelTimer.tickProblem`:
 *    the i386 PIT, cpu-i386 i386TickProblem: at least 1258 ns, longer than one count is
 *    split into several interrupts; the LEON3 GPTIMER, cpu-sparc leon3TickProblem: at
 *    most 2^32 timer ticks);
 *  - a guest's tick (clockTick, or the application's microsecondsPerTick): cpukit's
 *    configuration (1 us .. 1 s) and, on bare metal, the native BSP's clock (bsp-native
 *    entry's `clockProblem`: pc386 needs at least 2 us);
 *  - memory: the board's RAM (descriptor `board.maxMemory`: cpu-i386 I386_MAX_MEMORY,
 *    cpu-sparc LEON3_MAX_MEMORY) must hold the kernel's first MiB and every partition;
 *  - ports: an RTEMS partition moves messages through the paravirtual BSP's scratch
 *    buffer (bsp-virtualpok virtualPokPortProblem: at most 8176 bytes); port buffers and
 *    names are the kernels' shared checks (kernel-core validatePartitionResources);
 *  - devices: a partitioned module routes a device's line to a partition, which only the
 *    board's routable lines can be (descriptor `interrupts.routableLines`: cpu-i386
 *    I386_ROUTABLE_LINES, cpu-sparc LEON3_ROUTABLE_LINES);
 *  - what the architecture has: bare metal needs its bsp-native entry, libcpu native and
 *    raw partition programs its libcpu-native entry (run/architectures.ts).
 *
 * Every architecture-specific number comes from the architecture's descriptor, looked up
 * by name in the registry: nothing here knows an architecture.
 */
import { type Configuration, resolveConfiguration } from '@paravirt/cpukit';
import { virtualPokPortProblem } from '@paravirt/bsp-virtualpok';
import { type Architecture, type ConfigError, formatDuration } from '@paravirt/machine';
import { type MemoryLayout, partitionMemoryLayout } from '@paravirt/kernel-core';
import { isRawApplication, samples } from '@paravirt/samples';
import { architectures, type ArchitectureEntry } from '../run/architectures.js';
import type { ModuleSpec, PartitionSpec } from './moduleSpec.js';

const MIB = 1 << 20;

/** The registry entry of the module's architecture (the reader accepts registered names only). */
function architectureOf(spec: ModuleSpec): ArchitectureEntry {
  return architectures.require(spec.arch);
}

/**
 * Physical memory of the board for a partitioned module whose kernel and partitions end at
 * `needed`: rounded up to a MiB with a MiB to spare, at most the board's RAM (planKernel
 * has checked that `needed` fits).
 */
export function partitionedBoardMemory(architecture: Architecture, needed: number): number {
  return Math.min(Math.ceil((needed + MIB) / MIB) * MIB, architecture.board.maxMemory);
}

/** Physical memory of the bare-metal board for an application given `size` bytes: at least 4 MiB, a MiB to spare, at most the board's RAM. */
export function bareMetalBoardMemory(architecture: Architecture, size: number): number {
  return Math.min(Math.max(4 * MIB, size + MIB), architecture.board.maxMemory);
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
  // An architecture without a bare-metal BSP is refused by architectureErrors.
  const problem = architectureOf(spec).bareMetal?.clockProblem(configuration.microsecondsPerTick);
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
  const board = architectureOf(spec).architecture.board;
  const ram = { max: board.maxMemory, what: board.memoryDescription };
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
  const problem = architectureOf(spec).architecture.kernelTimer.tickProblem(spec.kernelTick, spec.frequencyHz);
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
  const lines = architectureOf(spec).architecture.interrupts;
  const routable = lines.routableLines;
  return spec.devices.flatMap((device, index) => {
    if (device.partition === undefined || routable.includes(device.line)) return [];
    const why = lines.unroutableReason(device.line) ?? 'the board uses it itself';
    return [{ path: `devices[${index}].line`, message: `line ${device.line} cannot be routed to a partition on the ${spec.arch}: ${why} (routable: ${routable.join(', ')})` }];
  });
}

/** What the module needs of its architecture that the architecture's registry entry does not have. */
function architectureErrors(spec: ModuleSpec): ConfigError[] {
  const { name, native, bareMetal } = architectureOf(spec);
  if (spec.kernel === 'none') {
    return bareMetal === undefined ? [{ path: 'kernel', message: `bare metal needs a bsp-native BSP for the ${name}, and it has none: run the module under a kernel` }] : [];
  }
  if (native !== undefined) return [];
  return spec.partitions.flatMap((partition, index) => {
    if (runsRawProgram(partition)) return [{ path: `partitions[${index}].app`, message: `${partition.app} is a raw partition program: it needs libcpu-native's instructions for the ${name}, which has none` }];
    if (partition.libcpu !== 'virtual') return [{ path: `partitions[${index}].libcpu`, message: `libcpu ${partition.libcpu} needs libcpu-native for the ${name}, which has none: use libcpu virtual` }];
    return [];
  });
}

/** Every limit the module exceeds, with the path of the value. */
export function limitErrors(spec: ModuleSpec): ConfigError[] {
  return [...architectureErrors(spec), ...tickErrors(spec), ...guestErrors(spec), ...memoryErrors(spec), ...deviceErrors(spec)];
}
