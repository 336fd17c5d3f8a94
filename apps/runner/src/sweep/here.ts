/**
 * One run of built-in applications, measured: the same session code `paravirt run` drives
 * in its own process (src/run/session.ts), hosted by a sweep's worker thread (worker.ts) or,
 * without one, by the CLI's own thread. User modules never come here: they run in the
 * sandbox (src/sandbox/host.ts).
 */
import { describeThrown } from '@paravirt/machine';
import { samples } from '@paravirt/samples';
import { CliFailure, EXIT, openSession, type RunRequest } from '@paravirt/compose';
import type { GuestApplication } from '../run/applications.js';
import { measureFailure, measureOutcome, type RunMeasure } from './lines.js';

/** What a worker thread is asked and answers (plain data: it crosses a structured clone). */
export interface WorkerJob {
  readonly id: number;
  readonly request: RunRequest;
}

export interface WorkerAnswer {
  readonly id: number;
  readonly measure: RunMeasure;
}

/** The measure of an error no layer turned into a CliFailure: a bug in paravirt (exit 70), as `paravirt run` reports it. */
export function internalFailure(error: unknown): RunMeasure {
  return measureFailure(EXIT.internal, 'internal', `${describeThrown(error)} (a bug in paravirt: please report it)`);
}

/**
 * Runs `request` (built-in applications only) to its end and measures it. `afterSlice`
 * runs between slices; when it answers true the run is abandoned (undefined).
 */
export async function measureHere(request: RunRequest, afterSlice: () => boolean | Promise<boolean> = () => false): Promise<RunMeasure | undefined> {
  try {
    const applications = new Map<string, GuestApplication>();
    for (const partition of request.spec.partitions) {
      if (Object.hasOwn(samples, partition.app)) applications.set(partition.app, samples[partition.app]!);
    }
    const session = openSession(request, applications);
    for (const _now of session.slices()) {
      if (await afterSlice()) return undefined;
    }
    return measureOutcome(request.spec, session.outcome(false));
  } catch (error) {
    if (error instanceof CliFailure) return measureFailure(error.code, error.where, error.what);
    return internalFailure(error);
  }
}
