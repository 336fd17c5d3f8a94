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
  readonly virq: {
    readonly raised: number;
    readonly delivered: number;
    readonly coalesced: number;
    readonly lost: number;
    readonly latencyNs: LatencySummaryJson;
    /** Per virtual line that was raised: the same counts and latency, by line name. */
    readonly lines: ReadonlyArray<{ readonly line: string; readonly raised: number; readonly delivered: number; readonly coalesced: number; readonly latencyNs: LatencySummaryJson }>;
  };
  readonly deadlineMisses: number;
  /** The first and the last events (at most 500 each); hmEventCount counts every one. */
  readonly hmEvents: ReadonlyArray<{ readonly timeNs: Nanoseconds; readonly error: string; readonly level: string; readonly action: string; readonly detail: string }>;
  readonly hmEventCount: number;
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
  /** True when the run was stopped before its end (SIGINT, SIGTERM, stdout closed): the rest covers what ran. */
  readonly interrupted: boolean;
  readonly wallTimeMs: number;
}

const latencyJson = (latency: LatencySummary): LatencySummaryJson => ({ min: latency.min, mean: latency.mean, p99: latency.p99, max: latency.max });

export function buildSummary(spec: ModuleSpec, report: KernelReport, run: { virtualTimeNs: Nanoseconds; events: number; wallTimeMs: number; interrupted?: boolean }): Summary {
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
          raised: partition.virq.raised,
          delivered: partition.virq.delivered,
          coalesced: partition.virq.coalesced,
          lost: partition.virq.lost,
          latencyNs: latencyJson(latency),
          lines: partition.virq.lines.map((line) => ({ line: line.name, raised: line.raised, delivered: line.delivered, coalesced: line.coalesced, latencyNs: latencyJson(line.latencyNs) })),
        },
        deadlineMisses: partition.deadlineMisses,
        hmEvents: partition.hmEvents.map((event) => ({ timeNs: event.timeNs, error: event.error, level: event.level, action: event.action, detail: event.detail })),
        hmEventCount: partition.hmEventCount,
      };
    }),
    interrupted: run.interrupted ?? false,
    wallTimeMs: run.wallTimeMs,
  };
}
