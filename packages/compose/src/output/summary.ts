/**
 * The JSON summary (`--json`), schemaVersion 1 (docs/architecture.md section 6). Key order is
 * fixed so the same run gives the same bytes; wallTimeMs is the only field that differs
 * between runs.
 */
import type { Nanoseconds } from '@paravirt/machine';
import type { KernelReport, LatencySummary } from '@paravirt/kernel-core';
import type { ModuleSpec } from '../config/moduleSpec.js';

export interface LatencySummaryJson {
  readonly min: number;
  readonly mean: number;
  readonly p99: number;
  readonly max: number;
}

export interface PartitionSummary {
  readonly name: string;
  readonly app: string;
  readonly libcpu: string;
  readonly mode: string;
  readonly restarts: number;
  readonly console: string;
  readonly cpuTimeNs: Nanoseconds;
  readonly idleTimeNs: Nanoseconds;
  readonly windows: number;
  readonly hypercalls: number;
  readonly privilegedFaults: number;
  /** libcpu native-emulated: interrupt-flag instructions trapped and emulated, and the cycles that cost. */
  readonly emulatedOperations: number;
  readonly emulationCycles: number;
  /**
   * Virtual interrupts: `raised` is counted where each source raises (timer, routed hardware
   * line, port transfer, window start, health monitor, IPI), the rest where the partition's
   * virtual interrupt controller decides: raised = delivered + coalesced + pending + discarded
   * + lost, and `lost` is 0 for a correct kernel.
   */
  readonly virq: VirqCountsJson & {
    readonly latencyNs: LatencySummaryJson;
    /** Per virtual line that was raised: the same counts and latency, by line name. */
    readonly lines: ReadonlyArray<{ readonly line: string } & VirqCountsJson & { readonly latencyNs: LatencySummaryJson }>;
  };
  readonly deadlineMisses: number;
  /** The first and the last events (at most 500 each); hmEventCount counts every one. */
  readonly hmEvents: ReadonlyArray<{ readonly timeNs: Nanoseconds; readonly error: string; readonly level: string; readonly action: string; readonly detail: string }>;
  readonly hmEventCount: number;
}

export interface VirqCountsJson {
  readonly raised: number;
  readonly delivered: number;
  /** Raises that found the line already pending (the guest reads them as overruns). */
  readonly coalesced: number;
  /** Latched at the end of the run, not yet delivered (0 or 1 per line). */
  readonly pending: number;
  /** Counted and dropped: the partition was stopped (or stopped with it pending), or restarted with it pending. */
  readonly discarded: number;
  readonly discardedBy: { readonly stopped: number; readonly restarted: number };
  readonly lost: number;
}

/**
 * A hardware interrupt line that a device raises, that is routed to a partition or that the
 * kernel took: the device's raises, the interrupt controller's counts, the interrupts the
 * kernel took and those it discarded because no partition is routed to the line. A device's
 * raises = controller coalesced + controller pending + taken; taken = notRouted + the raises
 * of the partition's virtual line `hw-<line>`.
 */
export interface HardwareLineSummary {
  readonly line: number;
  readonly partition: string | null;
  /** Raises counted by the configured devices on this line (0 if none is configured). */
  readonly deviceRaised: number;
  readonly controller: { readonly raised: number; readonly coalesced: number; readonly pending: number } | null;
  readonly taken: number;
  readonly notRouted: number;
}

export interface Summary {
  readonly schemaVersion: 1;
  readonly kernel: string;
  readonly arch: string;
  readonly seed: number;
  readonly virtualTimeNs: Nanoseconds;
  readonly events: number;
  readonly schedule: { readonly windowsRun: number; readonly switches: ReadonlyArray<{ readonly timeNs: Nanoseconds; readonly from: string; readonly to: string }> };
  readonly partitions: readonly PartitionSummary[];
  readonly hardwareLines: readonly HardwareLineSummary[];
  /** True when the run was stopped before its end (SIGINT, SIGTERM, stdout closed): the rest covers what ran. */
  readonly interrupted: boolean;
  readonly wallTimeMs: number;
}

const latencyJson = (latency: LatencySummary): LatencySummaryJson => ({ min: latency.min, mean: latency.mean, p99: latency.p99, max: latency.max });


/** The counts of a kernel report's vIRQ stats (which have the same fields and more), in the summary's key order. */
const virqCountsJson = (counts: VirqCountsJson): VirqCountsJson => ({
  raised: counts.raised,
  delivered: counts.delivered,
  coalesced: counts.coalesced,
  pending: counts.pending,
  discarded: counts.discarded,
  discardedBy: { stopped: counts.discardedBy.stopped, restarted: counts.discardedBy.restarted },
  lost: counts.lost,
});

function hardwareLines(report: KernelReport, devices: ReadonlyArray<{ readonly line: number; readonly raised: number }>): HardwareLineSummary[] {
  const raisedByLine = new Map<number, number>();
  for (const device of devices) raisedByLine.set(device.line, (raisedByLine.get(device.line) ?? 0) + device.raised);
  const lines = new Map(report.hardware.map((entry) => [entry.line, entry] as const));
  return [...new Set([...lines.keys(), ...raisedByLine.keys()])]
    .sort((a, b) => a - b)
    .map((line) => {
      const entry = lines.get(line);
      const controller = entry?.controller;
      return {
        line,
        partition: entry?.partition ?? null,
        deviceRaised: raisedByLine.get(line) ?? 0,
        controller: controller ? { raised: controller.raised, coalesced: controller.coalesced, pending: controller.pending } : null,
        taken: entry?.taken ?? 0,
        notRouted: entry?.notRouted ?? 0,
      };
    });
}

export function buildSummary(
  spec: ModuleSpec,
  report: KernelReport,
  run: { virtualTimeNs: Nanoseconds; events: number; wallTimeMs: number; interrupted?: boolean; devices?: ReadonlyArray<{ readonly line: number; readonly raised: number }> },
): Summary {
  return {
    schemaVersion: 1,
    kernel: spec.kernel,
    arch: spec.arch,
    seed: spec.seed,
    virtualTimeNs: run.virtualTimeNs,
    events: run.events,
    schedule: {
      windowsRun: report.windowsRun,
      switches: report.switches.map((change) => ({ timeNs: change.timeNs, from: change.from, to: change.to })),
    },
    partitions: report.partitions.map((partition) => {
      // Bare metal: one partition, named after its application rather than the config's entry.
      const spec_ = spec.kernel === 'none' ? spec.partitions[0] : spec.partitions.find((candidate) => candidate.name === partition.name);
      const latency = partition.virq.latencyNs;
      return {
        name: partition.name,
        app: spec_?.app ?? '',
        libcpu: spec_?.libcpu ?? 'virtual',
        mode: partition.mode,
        restarts: partition.restarts,
        console: partition.console,
        cpuTimeNs: partition.cpuTimeNs,
        idleTimeNs: partition.idleTimeNs,
        windows: partition.windows,
        hypercalls: partition.hypercalls,
        privilegedFaults: partition.privilegedFaults,
        emulatedOperations: partition.emulatedOperations,
        emulationCycles: partition.emulationCycles,
        virq: {
          ...virqCountsJson(partition.virq),
          latencyNs: latencyJson(latency),
          lines: partition.virq.lines.map((line) => ({ line: line.name, ...virqCountsJson(line), latencyNs: latencyJson(line.latencyNs) })),
        },
        deadlineMisses: partition.deadlineMisses,
        hmEvents: partition.hmEvents.map((event) => ({ timeNs: event.timeNs, error: event.error, level: event.level, action: event.action, detail: event.detail })),
        hmEventCount: partition.hmEventCount,
      };
    }),
    hardwareLines: hardwareLines(report, run.devices ?? []),
    interrupted: run.interrupted ?? false,
    wallTimeMs: run.wallTimeMs,
  };
}
