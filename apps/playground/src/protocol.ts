/** The messages between the page (main.ts) and the simulator's worker (worker.ts): plain data only. */
import type { ReportData, Summary } from '@paravirt/compose';
import type { UserModule } from './modules.js';

/**
 * Wall-clock milliseconds the worker may go without a message while it runs, or while it loads
 * a check's user modules, before the page declares it hung, terminates it and starts another.
 */
export const WATCHDOG_MS = 4000;

/** What the page chose beside the config's text: empty strings keep the config's own value. */
export interface Choices {
  readonly kernel: string;
  readonly arch: string;
  readonly duration: string;
  readonly seed: string;
  /** `--app` values, separated by spaces or commas: PARTITION=APP, or a bare APP for kernel none. */
  readonly apps: string;
}

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** The Modules area, and the modules (hungKey) that hung a worker while loading: not loaded again. */
export interface ModuleChoices {
  readonly modules: readonly UserModule[];
  readonly hung: readonly string[];
}

export type ToWorker =
  | ({ readonly type: 'check'; readonly id: number; readonly text: string; readonly choices: Choices } & ModuleChoices)
  | ({ readonly type: 'run'; readonly text: string; readonly choices: Choices; readonly trace: boolean } & ModuleChoices)
  /** Where the worker's executive writes who runs (machine's Activity words), for the page to read when the worker hangs. */
  | { readonly type: 'activity'; readonly buffer: SharedArrayBuffer }
  | { readonly type: 'stop' };

export type FromWorker =
  /** First message: what the kernel and architecture choices offer (compose's registries). */
  | { readonly type: 'ready'; readonly kernels: readonly string[]; readonly arches: readonly string[] }
  | {
      readonly type: 'checked';
      readonly id: number;
      readonly errors: readonly Problem[];
      readonly warnings: readonly Problem[];
      /** What `paravirt check` prints for a valid config (first line and the schedule analysis). */
      readonly valid?: string;
      readonly hint?: string;
    }
  /** A user module is being imported (a check's or a run's): if the worker hangs now, this one did. */
  | { readonly type: 'loading'; readonly app: string; readonly where: string; readonly key: string; readonly run: boolean }
  | {
      readonly type: 'started';
      readonly partitions: readonly string[];
      /** `where` of each partition (by its pane's name) that runs a user module. */
      readonly modules: Readonly<Record<string, string>>;
      readonly durationNs: number;
      readonly kernel: string;
      readonly arch: string;
      readonly seed: number;
    }
  /** Console bytes since the last message, by partition, in the order written. */
  | { readonly type: 'console'; readonly chunks: ReadonlyArray<readonly [partition: string, bytes: Uint8Array]> }
  | { readonly type: 'progress'; readonly nowNs: number }
  | {
      readonly type: 'done';
      readonly summary: Summary;
      /** The JSON summary exactly as `paravirt run --json` writes it. */
      readonly summaryJson: string;
      /** The table `paravirt run` prints after a run. */
      readonly table: string;
      readonly report: ReportData;
      readonly trace?: string;
      /** Lines the CLI prints on stderr at the end (interrupted, module stopped). */
      readonly notes: readonly string[];
    }
  | { readonly type: 'failed'; readonly where: string; readonly what: string };
