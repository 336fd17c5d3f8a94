/**
 * The runner composes modules from its registries alone (src/run/architectures.ts,
 * src/run/kernels.ts): a third architecture and a third kernel, registered here without
 * touching any package, run modules through the whole CLI - config reader, --arch and
 * --kernel, planning and limits, composition, consoles, summary.
 *
 *  - `simple`: an architecture built from machine's test platform (SimplePlatform, no
 *    cpu-* package) and cpukit's test context port; it has no libcpu-native and no
 *    bare-metal BSP, which the limits refuse by name.
 *  - `sparc-copy`: cpu-sparc's descriptor under another name: the runner keys nothing on
 *    'sparc', so the same module gives the same summary.
 *  - `cyclic`: a kernel built on kernel-core (PartitionKernel, PartitionBinding) that runs
 *    the module's initial schedule as a cyclic executive, with no ports and a health
 *    monitor that stops the partition.
 */
import { SimplePlatform, SimpleProcessor, SIMPLE_HYPERCALL_ABI, SIMPLE_TICK_LINE } from '@paravirt/machine/test';
import type { Architecture, ConfigError, Nanoseconds, TrapInfo } from '@paravirt/machine';
import { TestCpuPort } from '@paravirt/cpukit/test';
import { sparcArchitecture } from '@paravirt/cpu-sparc';
import { i386Architecture } from '@paravirt/cpu-i386';
import { PartitionBinding, partitionMemoryLayout, PartitionKernel, PartitionRuntime, type PortService, type ScheduledWindow } from '@paravirt/kernel-core';
import {
  ERROR_CODE_NAMES,
  type ErrorCode,
  type HmLogEntry,
  type HmStatus,
  type HypervisorBinding,
  type Reply,
  type ScheduleStatus,
  StartCondition,
  Status,
} from '@paravirt/paravirt-api';
import { compareScreens } from '@paravirt/samples';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../src/cli/args.js';
import { initialSchedule, type ModuleSpec, type Summary, architectureEntry, architectures, type KernelComposition, kernelEntry, kernelNames, kernels } from '@paravirt/compose';
import { cli, consoleOf, reference, simulate } from './helpers.js';

// --- a third architecture: machine's test platform --------------------------------------

const SIMPLE_LINES = Object.freeze(Array.from({ length: 15 }, (_, index) => index + 1));

const simpleArchitecture: Architecture<SimplePlatform> = {
  name: 'simple',
  board: {
    maxMemory: 64 << 20,
    memoryDescription: "the test platform's RAM (64 MiB)",
    create: (options) =>
      new SimplePlatform({
        memorySize: options.memorySize,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.trace !== undefined ? { trace: options.trace } : {}),
        ...(options.costs !== undefined ? { costs: options.costs } : {}),
      }),
  },
  hypercalls: {
    traps: [SIMPLE_HYPERCALL_ABI.trapNumber],
    abi: (trap) => {
      if (trap !== undefined && trap !== SIMPLE_HYPERCALL_ABI.trapNumber) throw new RangeError(`the test platform traps on ${SIMPLE_HYPERCALL_ABI.trapNumber} only`);
      return SIMPLE_HYPERCALL_ABI;
    },
  },
  kernelTimer: { line: SIMPLE_TICK_LINE, tickProblem: (periodNs) => (Number.isSafeInteger(periodNs) && periodNs > 0 ? undefined : 'the tick must be a positive whole number of ns') },
  interrupts: { count: 16, deviceLines: SIMPLE_LINES, routableLines: SIMPLE_LINES, unroutableReason: (line) => (line === SIMPLE_TICK_LINE ? 'line 0 is the tick timer' : undefined) },
  interruptLevels: { max: 1, accepts: (level) => level === 0 },
  contextPort: (processor) => {
    if (!(processor instanceof SimpleProcessor)) throw new RangeError(`not a simple processor: ${processor.arch}`);
    return new TestCpuPort(processor);
  },
};

// --- a third kernel: a cyclic executive on kernel-core ----------------------------------

interface CyclicConfig {
  readonly kernelTick: Nanoseconds;
  readonly majorFrame: Nanoseconds;
  readonly partitions: ReadonlyArray<{ readonly name: string; readonly memorySize: number; readonly physicalBase?: number }>;
  /** The major frame as consecutive slots; owner -1 is idle time. */
  readonly slots: ReadonlyArray<{ readonly owner: number; readonly length: Nanoseconds }>;
  readonly ports: number;
}

function toCyclic(spec: ModuleSpec): { config?: CyclicConfig; errors: ConfigError[] } {
  const schedule = initialSchedule(spec);
  if (!schedule) return { errors: [{ path: 'schedules', message: 'the cyclic kernel runs one schedule' }] };
  const slots: Array<{ owner: number; length: number }> = [];
  let cursor = 0;
  for (const window of [...schedule.windows].sort((a, b) => a.start - b.start)) {
    if (window.start > cursor) slots.push({ owner: -1, length: window.start - cursor });
    slots.push({ owner: spec.partitions.findIndex((partition) => partition.name === window.partition), length: window.duration });
    cursor = window.start + window.duration;
  }
  if (cursor < schedule.majorFrame) slots.push({ owner: -1, length: schedule.majorFrame - cursor });
  const partitions = spec.partitions.map((partition) => ({ name: partition.name, memorySize: partition.memory.size, ...(partition.memory.base !== undefined ? { physicalBase: partition.memory.base } : {}) }));
  const ports = spec.partitions.reduce((sum, partition) => sum + partition.ports.length, 0);
  return { config: { kernelTick: spec.kernelTick, majorFrame: schedule.majorFrame, partitions, slots, ports }, errors: [] };
}

function validateCyclic(config: CyclicConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  if (config.ports > 0) errors.push({ path: 'partitions', message: 'the cyclic kernel has no ports' });
  config.slots.forEach((slot, index) => {
    if (slot.length % config.kernelTick !== 0) errors.push({ path: 'schedules[0].windows', message: `slot ${index} is not a whole number of kernel ticks` });
  });
  return errors;
}

const layoutOf = (config: CyclicConfig) => partitionMemoryLayout(config.partitions.map((partition) => ({ ...partition, ports: [] })));

/** A port service of a kernel without ports: nothing exists. */
const NO_PORTS: PortService = {
  create: () => ({ status: Status.INVALID_CONFIG }),
  idOf: () => ({ status: Status.INVALID_CONFIG }),
  samplingWrite: () => ({ status: Status.INVALID_PARAM }),
  samplingRead: () => ({ status: Status.INVALID_PARAM }),
  queuingSend: () => ({ status: Status.INVALID_PARAM }),
  queuingReceive: () => ({ status: Status.INVALID_PARAM }),
  status: () => ({ status: Status.INVALID_PARAM }),
};

class CyclicKernel extends PartitionKernel<PartitionRuntime> {
  private slot = 0;

  constructor(
    readonly config: CyclicConfig,
    { platform, guests, onConsole }: KernelComposition,
  ) {
    const layout = layoutOf(config);
    const partitions = config.partitions.map((partition, id) => {
      const place = layout.partitions[id]!;
      return new PartitionRuntime({ platform, id, name: partition.name, physicalBase: place.physicalBase, size: place.size, guest: guests[partition.name]! });
    });
    super({ platform, partitions, kernelTick: config.kernelTick, routes: new Map(), name: 'cyclic', onConsole });
  }

  boot(): void {
    this.start((partition) => partition.start('cold', StartCondition.NORMAL_START));
  }

  protected firstWindow(now: Nanoseconds): ScheduledWindow {
    this.slot = 0;
    return this.slotWindow(now);
  }

  protected nextWindow(previous: ScheduledWindow): ScheduledWindow {
    this.slot = (this.slot + 1) % this.config.slots.length;
    return this.slotWindow(previous.end);
  }

  private slotWindow(start: Nanoseconds): ScheduledWindow {
    const slot = this.config.slots[this.slot]!;
    return { owner: slot.owner, start, end: start + slot.length };
  }

  /** The health monitor: record, and stop the partition. */
  raiseError(partition: PartitionRuntime, _trap: TrapInfo | undefined, kind: string, detail: string): boolean {
    partition.hmEvents.push({ timeNs: this.platform.board.queue.now, error: kind, level: 'partition', action: 'IDLE', detail });
    this.stopPartition(partition);
    return true;
  }

  protected createBinding(): HypervisorBinding<PartitionRuntime> {
    return new CyclicBinding(this);
  }
}

class CyclicBinding extends PartitionBinding<PartitionRuntime> implements HypervisorBinding<PartitionRuntime> {
  readonly hypervisorName = 'cyclic';
  readonly hypervisorVersion = '1';
  readonly features = ['vcpu', 'virq', 'timer', 'console'];
  protected readonly ports = NO_PORTS;

  constructor(private readonly cyclic: CyclicKernel) {
    super(cyclic);
  }

  protected mayInterrupt(caller: PartitionRuntime, target: PartitionRuntime): boolean {
    return caller === target;
  }

  protected timing(caller: PartitionRuntime): { periodNs: number; durationNs: number } {
    const durationNs = this.cyclic.config.slots.filter((slot) => slot.owner === caller.id).reduce((sum, slot) => sum + slot.length, 0);
    return { periodNs: this.cyclic.config.majorFrame, durationNs };
  }

  protected isSystem(): boolean {
    return false;
  }

  scheduleStatus(): Reply<ScheduleStatus> {
    return { status: Status.OK, value: { currentSchedule: 0, nextSchedule: 0, lastSwitchNs: 0, majorFrameNs: this.cyclic.config.majorFrame } };
  }

  hmRaise(caller: PartitionRuntime, error: ErrorCode, message: string): Reply {
    caller.hmEvents.push({ timeNs: this.now, error: ERROR_CODE_NAMES[error] ?? `error ${error}`, level: 'partition', action: 'IGNORE', detail: message });
    return { status: Status.OK };
  }

  hmStatus(caller: PartitionRuntime): Reply<HmStatus> {
    return { status: Status.OK, value: { events: caller.hmEvents.total, lastError: 0xffffffff, lastAction: 0, lastEventNs: 0 } };
  }

  hmLogRead(): Reply<HmLogEntry> {
    return { status: Status.NOT_AVAILABLE };
  }

  setModuleSchedule(): Reply {
    return { status: Status.INVALID_CONFIG };
  }

  moduleControl(): Reply {
    return { status: Status.PERMISSION };
  }
}

const cyclicKernel = kernelEntry<CyclicConfig>({
  name: 'cyclic',
  convert: (spec) => toCyclic(spec),
  validate: validateCyclic,
  memoryNeeded: (config) => layoutOf(config).totalSize,
  // Its own trap where the architecture has several: the last one.
  hypercallTrap: (architecture) => architecture.hypercalls.traps.at(-1),
  create: (config, composition) => new CyclicKernel(config, composition),
});

// --- the runs ----------------------------------------------------------------------------

const SAMPLES = ['hello', 'ticker', 'base_sp'] as const;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: Summary;
}

async function run(args: readonly string[]): Promise<Run> {
  const result = await cli(['run', ...args, '--json', 'summary.json']);
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, summary: JSON.parse(result.files.get('summary.json') ?? 'null') as Summary };
}

/** The default demo's partitions printed their reference screens, nothing lost, each ended by its own exit. */
function expectDemo(result: Run, kernel: string, arch: string): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.summary).toMatchObject({ kernel, arch, virtualTimeNs: 40_000_000_000 });
  for (const sample of SAMPLES) {
    const printed = consoleOf(result.stdout, sample);
    expect(compareScreens(printed, reference(sample)), sample).toBeUndefined();
    const partition = result.summary.partitions.find((candidate) => candidate.name === sample)!;
    expect([partition.console, partition.mode, partition.virq.lost, partition.hmEventCount], sample).toEqual([printed, 'IDLE', 0, 0]);
  }
  // 400 frames of 3 windows in 40 s; on i386 the kernel keeps time in its ticks (PIT ticks of
  // 999,847 ns for 1 ms) and tick 40,000 - kernel time 40 s, the next frame - comes at 39.994 s,
  // inside the run: one more window (1200 before issue 13, when edges followed real time).
  expect(result.summary.schedule.windowsRun).toBe(arch === 'i386' ? 1201 : 1200);
}

describe('registries: a third architecture and a third kernel, registered without touching a package', () => {
  const unregister: Array<() => void> = [];
  beforeAll(() => {
    unregister.push(architectures.register(architectureEntry(simpleArchitecture)));
    unregister.push(architectures.register(architectureEntry({ ...sparcArchitecture, name: 'sparc-copy' })));
    unregister.push(kernels.register(cyclicKernel));
  });
  afterAll(() => {
    for (const remove of unregister.reverse()) remove();
    expect([architectures.names, kernelNames()]).toEqual([['i386', 'sparc'], ['pok', 'air', 'none']]);
  });

  it('the config reader and the CLI accept the registered names; the usage shows the built-in ones', async () => {
    expect(architectures.names).toEqual(['i386', 'sparc', 'simple', 'sparc-copy']);
    expect(kernelNames()).toEqual(['pok', 'air', 'cyclic', 'none']);
    expect(USAGE).toContain('[--kernel pok|air|none] [--arch i386|sparc]');
    const bad = await cli(['check', 'm.yaml'], { 'm.yaml': 'kernel: cyclic\narch: m68k\npartitions: [{ name: a, app: hello }]\nschedules: [{ name: s, majorFrame: 10ms, windows: [{ partition: a, start: 0ms, duration: 10ms }] }]\n' });
    expect(bad.stderr).toBe('error: arch: must be one of i386, sparc, simple, sparc-copy, got "m68k"\n');
    const flag = await cli(['run', '--arch', 'm68k']);
    expect(flag.stderr).toContain('error: --arch: must be i386 or sparc or simple or sparc-copy, got "m68k"');
    expect(() => architectures.register(architectureEntry(simpleArchitecture))).toThrow(/already registered/);
  });

  it('the default demo on pok and air on the test platform: the kernels run unchanged on a new architecture', async () => {
    for (const kernel of ['pok', 'air']) expectDemo(await run(['--kernel', kernel, '--arch', 'simple']), kernel, 'simple');
  }, 120_000);

  it('the default demo on the cyclic kernel, on the test platform and on both processors: a new kernel is one entry', async () => {
    for (const arch of ['simple', 'i386', 'sparc']) expectDemo(await run(['--kernel', 'cyclic', '--arch', arch]), 'cyclic', arch);
  }, 120_000);

  it('a renamed copy of the SPARC descriptor composes the same module: nothing is keyed on the name', async () => {
    const original = await run(['--kernel', 'air', '--arch', 'sparc', '--duration', '5s']);
    const copy = await run(['--kernel', 'air', '--arch', 'sparc-copy', '--duration', '5s']);
    expect(copy.code).toBe(0);
    const strip = (summary: Summary) => ({ ...summary, arch: '-', wallTimeMs: 0 });
    expect(strip(copy.summary)).toEqual(strip(original.summary));
    expect(copy.stdout.replace('air/sparc-copy:', 'air/sparc:')).toBe(original.stdout);
  }, 60_000);

  it('each kernel takes its hypercall trap by position in the descriptor: pok the default, air the second, cyclic the last', async () => {
    const trapOf = async (kernel: string, arch: string) => (await simulate('kernel: pok\nduration: 1ms\npartitions: [{ name: a, app: idle }]\nschedules: [{ name: s, majorFrame: 10ms, windows: [{ partition: a, start: 0ms, duration: 10ms }] }]\n', { kernel, arch })).simulation.platform.hypercallAbi.trapInstruction;
    expect(await trapOf('pok', 'i386')).toBe('int 0x2a');
    expect(await trapOf('air', 'i386')).toBe('int 0x80');
    expect(await trapOf('pok', 'sparc')).toBe('ta 0x70');
    expect(await trapOf('air', 'sparc')).toBe('ta 0x71');
    expect(await trapOf('cyclic', 'sparc')).toBe('ta 0x71');
    expect(await trapOf('air', 'simple')).toBe(SIMPLE_HYPERCALL_ABI.trapInstruction);
    expect([i386Architecture.hypercalls.traps, sparcArchitecture.hypercalls.traps]).toEqual([[0x2a, 0x80], [0x70, 0x71]]);
  });

  it('what the new architecture does not have is refused by check and run alike, naming it', async () => {
    const bare = await cli(['check', 'bare.yaml', '--arch', 'simple'], { 'bare.yaml': 'kernel: none\npartitions: [{ name: hello, app: hello }]\n' });
    expect([bare.code, bare.stderr]).toEqual([2, 'error: kernel: bare metal needs a bsp-native BSP for the simple, and it has none: run the module under a kernel\n']);
    const module = 'partitions: [{ name: a, app: hello, libcpu: native }, { name: h, app: hostile }]\nschedules: [{ name: s, majorFrame: 10ms, windows: [{ partition: a, start: 0ms, duration: 5ms }, { partition: h, start: 5ms, duration: 5ms }] }]\n';
    const libcpu = 'error: partitions[0].libcpu: libcpu native needs libcpu-native for the simple, which has none: use libcpu virtual';
    const checked = await cli(['check', 'm.yaml', '--arch', 'simple'], { 'm.yaml': module });
    expect([checked.code, checked.stderr]).toEqual([2, `${libcpu}\nerror: partitions[1].app: hostile is a raw partition program: it needs libcpu-native's instructions for the simple, which has none\n`]);
    const refused = await cli(['run', 'm.yaml', '--arch', 'simple'], { 'm.yaml': module });
    expect([refused.code, refused.stderr]).toEqual([2, `${libcpu} (and 1 more problem; see paravirt check)\n`]);
    const ports = await cli(['check', 'm.yaml', '--kernel', 'cyclic'], {
      'm.yaml': 'partitions: [{ name: a, app: hello, ports: [{ name: out, kind: sampling, direction: source, maxMessageSize: 8, refreshPeriod: 10ms }] }]\nschedules: [{ name: s, majorFrame: 10ms, windows: [{ partition: a, start: 0ms, duration: 10ms }] }]\n',
    });
    expect([ports.code, ports.stderr]).toEqual([2, 'error: partitions: the cyclic kernel has no ports\n']);
  });
});
