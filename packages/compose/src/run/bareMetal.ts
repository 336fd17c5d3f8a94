/**
 * `--kernel none`: one application on the bare board with the native BSP and
 * libcpu-native (the baseline every paravirtualization overhead is measured against).
 * Its summary has one partition entry, named after the application.
 */
import { createNativeSystem, type NativeSystemOf } from '@paravirt/bsp-native';
import { isRawApplication } from '@paravirt/samples';
import { type Activity, type Nanoseconds, PeriodicIrqSource, type TraceRecorder } from '@paravirt/machine';
import type { KernelReport, PartitionReport } from '@paravirt/kernel-core';
import { bareMetalBoardMemory, bareMetalClockProblem } from '../config/limits.js';
import type { ModuleSpec } from '../config/moduleSpec.js';
import type { GuestApplication } from './application.js';
import { architectures } from './architectures.js';
import { CompositionError, DEFAULT_SLICE, deviceRaises, type RunResult } from './simulation.js';

export class BareMetalRun {
  readonly system: NativeSystemOf;
  private readonly devices: PeriodicIrqSource[] = [];
  private readonly name: string;

  constructor(
    private readonly spec: ModuleSpec,
    application: GuestApplication,
    options: { trace?: TraceRecorder; activity?: Activity; onConsole?: (name: string, bytes: Uint8Array, timeNs: Nanoseconds) => void; locateThrown?: (stack: string) => string | undefined },
  ) {
    const partition = spec.partitions[0]!;
    if (isRawApplication(application)) {
      throw new CompositionError('--app', `${application.name} is a raw partition program: it runs only inside a partition (kernel pok or air)`);
    }
    // A user module's tick is only known now (a built-in's was checked with the module): the pc386 clock needs 2 us.
    const clock = bareMetalClockProblem(spec, () => application.configuration);
    if (clock) throw new CompositionError(clock.path, clock.message);
    // docs/architecture.md section 6: the one entry is named after the application (a user
    // module's own name, not the path it was loaded from).
    this.name = application.name;
    // The architecture's bare-metal BSP (planKernel refused an architecture without one).
    const { architecture, bareMetal } = architectures.require(spec.arch);
    if (bareMetal === undefined) throw new CompositionError('kernel', `bare metal needs a bsp-native BSP for the ${architecture.name}, and it has none`);
    this.system = createNativeSystem({
      arch: bareMetal,
      application,
      name: partition.name,
      memorySize: bareMetalBoardMemory(architecture, partition.memory.size),
      seed: spec.seed,
      costs: spec.costs,
      ...(spec.frequencyHz ? { frequencyHz: spec.frequencyHz } : {}),
      ...(partition.clockTick !== undefined ? { configuration: { microsecondsPerTick: partition.clockTick / 1000 } } : {}),
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.activity ? { activity: options.activity } : {}),
      ...(options.locateThrown ? { locateThrown: options.locateThrown } : {}),
    });
    const board = this.system.board;
    const uart = this.system.bsp.uart;
    if (options.onConsole) {
      const onConsole = options.onConsole;
      uart.onTransmit((byte, time) => onConsole(this.name, Uint8Array.of(byte), time));
    }
    for (const device of spec.devices) {
      const prng = board.board.prng.fork(`device-${device.line}`);
      this.devices.push(
        new PeriodicIrqSource(board.board.queue, board.deviceLine(device.line), {
          period: device.period,
          ...(device.jitter > 0 ? { jitter: device.jitter, prng } : {}),
          ...(device.start !== undefined ? { start: device.start } : {}),
          name: `device-${device.line}`,
        }),
      );
    }
  }

  run(until: Nanoseconds, progress?: (now: Nanoseconds) => void, slice: Nanoseconds = DEFAULT_SLICE): void {
    this.start();
    while (!this.advance(until, slice)) progress?.(this.system.board.board.queue.now);
    progress?.(this.system.board.board.queue.now);
  }

  start(): void {
    for (const device of this.devices) device.start();
  }

  /** One slice of [now, until), as a partitioned run: an event at exactly `until` belongs to the next run. */
  advance(until: Nanoseconds, slice: Nanoseconds = DEFAULT_SLICE): boolean {
    const queue = this.system.board.board.queue;
    queue.runBefore(Math.min(until, queue.now + slice));
    this.system.board.processor.activity.advance();
    return queue.now >= until;
  }

  get now(): Nanoseconds {
    return this.system.board.board.queue.now;
  }

  result(): RunResult {
    const { board, bsp, executive } = this.system;
    const processor = board.processor;
    const stats = processor.stats;
    const now = board.board.queue.now;
    // Busy cycles, not "time not waiting": a processor that stopped (SPARC error mode after exit) does neither.
    const cpuTimeNs = Math.min(now, processor.clock.cyclesToNs(stats.computeCycles + stats.overheadCycles));
    const statistics = executive.statistics();
    const fatal = bsp.fatalError;
    // The executive's own codes (InternalError 0x100 and up: a guest exception, a directive
    // without yield*, ...) say what happened in their message, as in a partition.
    const termination = executive.termination;
    const own = fatal !== undefined && fatal.source === 'INTERNAL_ERROR_CORE' && fatal.code >= 0x100 && termination?.kind === 'fatal';
    const fatalText = fatal ? `${fatal.source} ${fatal.code}${own ? `: ${termination.message}` : ''}` : '';
    const report: KernelReport = {
      kernel: 'none',
      windowsRun: 0,
      switches: [],
      partitions: [
        {
          name: this.name,
          mode: bsp.exitStatus !== undefined || fatal ? 'IDLE' : 'NORMAL',
          restarts: 0,
          console: this.system.consoleText(),
          cpuTimeNs,
          idleTimeNs: now - cpuTimeNs,
          windows: 0,
          hypercalls: 0,
          privilegedFaults: 0,
          emulatedOperations: 0,
          emulationCycles: 0,
          virq: this.interrupts(),
          deadlineMisses: statistics.deadlineMisses,
          hmEvents: fatal ? [{ timeNs: fatal.timeNs, error: fatal.source, level: 'module', action: 'HALT', detail: `RTEMS fatal error ${fatalText}` }] : [],
          hmEventCount: fatal ? 1 : 0,
        },
      ],
      hardware: this.hardwareReport(),
    };
    // An application's own exit halts the board as designed; only a fatal error stops the module.
    return {
      report,
      virtualTimeNs: now,
      events: board.board.queue.eventsRun,
      stopReason: fatal ? `fatal error ${fatalText}` : undefined,
      stoppedAt: fatal?.timeNs,
      devices: deviceRaises(this.spec, this.devices),
    };
  }

  /**
   * The hardware interrupts the application's ISRs took, in the shape of a partition's
   * virtual interrupts so bare and partitioned runs compare line for line: the clock
   * driver's line is `timer` (a partition's virtual timer drives its clock the same way),
   * another line `hw-<line>` (what a partition routed to that line calls it). Raised and
   * coalesced are the controller's counts, delivered the ISRs run, pending a request
   * latched at the end; latency runs from the raise that latched a request to its ISR.
   */
  private interrupts(): PartitionReport['virq'] {
    const { lines: taken, latencyNs } = this.system.bsp.interruptStats();
    const counts = this.system.board.interruptLineCounts?.bind(this.system.board);
    const none = { stopped: 0, restarted: 0 };
    const lines = taken.map((entry) => {
      const controller = counts?.(entry.line);
      const raised = controller?.raised ?? entry.isrs;
      const coalesced = controller?.coalesced ?? 0;
      const pending = controller?.pending ? 1 : 0;
      return {
        line: entry.line,
        name: entry.clock ? 'timer' : `hw-${entry.line}`,
        raised,
        delivered: entry.isrs,
        coalesced,
        pending,
        discarded: 0,
        discardedBy: none,
        lost: raised - entry.isrs - coalesced - pending,
        latencyNs: entry.latencyNs,
      };
    });
    const sum = (field: 'raised' | 'delivered' | 'coalesced' | 'pending' | 'lost'): number => lines.reduce((total, line) => total + line[field], 0);
    return { raised: sum('raised'), delivered: sum('delivered'), coalesced: sum('coalesced'), pending: sum('pending'), discarded: 0, discardedBy: none, lost: sum('lost'), latencyNs, lines };
  }

  /**
   * The device lines as the board's interrupt controller saw them. With no kernel between
   * the controller and the application's BSP, every request the controller forwarded was
   * taken by the processor and handed to the BSP's interrupt dispatch.
   */
  private hardwareReport(): KernelReport['hardware'] {
    const platform = this.system.board;
    return [...new Set(this.spec.devices.map((device) => device.line))]
      .sort((a, b) => a - b)
      .map((line) => {
        const counts = platform.interruptLineCounts?.(line);
        const controller = counts && { raised: counts.raised, coalesced: counts.coalesced, pending: counts.pending ? 1 : 0 };
        return { line, partition: this.name, controller, taken: controller ? controller.raised - controller.coalesced - controller.pending : 0, notRouted: 0 };
      });
  }
}
