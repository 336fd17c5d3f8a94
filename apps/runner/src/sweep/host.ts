/**
 * What a sweep needs of the process it runs in, besides the CLI's I/O (CliIo.sweep): worker
 * threads for runs of built-in applications, and an output file written line by line as
 * runs complete. nodeHost.ts is the real one; without one (in-process tests, embedders) a
 * sweep runs built-in applications in the CLI's own thread and writes --out at the end.
 */
import type { RunRequest } from '@paravirt/compose';
import type { RunMeasure } from './lines.js';

/** A worker thread that runs one module at a time. */
export interface SweepWorker {
  /** Runs the module and measures it; rejects if the thread died (a bug in paravirt). */
  run(request: RunRequest): Promise<RunMeasure>;
  /** Ends the thread, whatever it is doing. */
  terminate(): void;
}

/** A file written line by line (`--out`); write throws an errno error when the file cannot take more. */
export interface LineOutput {
  write(text: string): void;
  close(): void;
}

export interface SweepHost {
  /** Jobs by default (--jobs): os.availableParallelism(). */
  readonly parallelism: number;
  readonly startWorker?: () => SweepWorker;
  /** Creates (or truncates) `path` for the lines. */
  readonly openOutput?: (path: string) => LineOutput;
}
