/**
 * What the interactive report draws (ReportData), as plain data: it crosses the sandbox's
 * worker messages and is embedded as JSON in the page. Browser-safe (no Node module), so
 * a browser playground can build and show the same data.
 *
 * Detailed items are kept in columns (parallel arrays of numbers) rather than one object
 * per item: a run of an hour keeps up to REPORT_MAX_ITEMS of them in a few arrays of
 * doubles. Times are integer nanoseconds of virtual time.
 */

/** The detail categories, lowest priority first: when the item budget is spent, the first of these that ranks below the newcomer's kind and holds more than a tenth of it loses its last eighth and takes no more. */
export const DETAIL_KINDS = ['hypercalls', 'virq', 'threads', 'windows', 'marks'] as const;
export type DetailKind = (typeof DETAIL_KINDS)[number];

/** Most detailed items (all kinds together) a report keeps. */
export const REPORT_MAX_ITEMS = 300_000;

/** Most distinct strings (thread names, mark labels, hypercall names) a report keeps; past it, labels read "...". */
export const REPORT_MAX_STRINGS = 20_000;

/** Mark kinds (ReportMarks.kind): the timeline draws each with its own shape and colour. */
export const MARK_KINDS = ['hm', 'schedule.switch', 'schedule.request', 'partition.mode', 'module.reset', 'deadline.miss', 'shutdown', 'fatal'] as const;

/**
 * Latency histogram buckets: HISTOGRAM_PER_DECADE log-spaced buckets per decade from
 * HISTOGRAM_MIN_NS; bucket 0 also holds everything below, the last everything above.
 */
export const HISTOGRAM_MIN_NS = 10;
export const HISTOGRAM_PER_DECADE = 20;
export const HISTOGRAM_BUCKETS = 9 * HISTOGRAM_PER_DECADE;

/** Partition windows: [start, end) of partition `partition` (an index into ReportData.partitions). */
export interface ReportWindows {
  readonly start: number[];
  readonly end: number[];
  readonly partition: number[];
}

/** Guest thread slices: thread `thread` (an index into ReportData.threads) held the processor in [start, end). */
export interface ReportThreads {
  readonly start: number[];
  readonly end: number[];
  readonly thread: number[];
}

/** vIRQ deliveries: raised at `deliver - latency`, its handler entered at `deliver`, on line `line` (an index into ReportData.lines). */
export interface ReportVirq {
  readonly deliver: number[];
  readonly latency: number[];
  readonly line: number[];
}

/** Instants: kind (index into MARK_KINDS), partition (-1: the module), label (index into ReportData.strings). */
export interface ReportMarks {
  readonly time: number[];
  readonly kind: number[];
  readonly partition: number[];
  readonly label: number[];
}

/** Hypercalls: made at `time` by `partition`, service named strings[name]. */
export interface ReportHypercalls {
  readonly time: number[];
  readonly partition: number[];
  readonly name: number[];
}

/** Per vIRQ line of a partition, over the whole run (never truncated). */
export interface ReportLine {
  readonly partition: number;
  readonly line: string;
  readonly deliveries: number;
  readonly maxNs: number;
  readonly sumNs: number;
  /** HISTOGRAM_BUCKETS counts. */
  readonly counts: number[];
}

/** A window of a schedule, and what its partition did in it over the whole run. */
export interface ReportWindowUse {
  readonly schedule: string;
  readonly partition: number;
  /** Offset in the major frame and nominal length (the configuration's). */
  readonly offsetNs: number;
  readonly durationNs: number;
  /** Times it opened, and its total open time and busy time (the partition was not idle: not waiting after its IDLE hypercall for a vIRQ, nor stopped). */
  readonly runs: number;
  readonly openNs: number;
  readonly busyNs: number;
}

export interface ReportData {
  readonly version: 1;
  /** Virtual time the run reached: the timeline spans [0, endNs]. */
  readonly endNs: number;
  readonly partitions: readonly string[];
  /** Thread rows: a guest thread of a partition. */
  readonly threads: ReadonlyArray<{ readonly partition: number; readonly name: string }>;
  /** vIRQ lines that were delivered, per partition. */
  readonly lines: readonly ReportLine[];
  /** The histograms' buckets (HISTOGRAM_MIN_NS, HISTOGRAM_PER_DECADE). */
  readonly histogram: { readonly minNs: number; readonly perDecade: number };
  readonly strings: readonly string[];
  readonly windows: ReportWindows;
  readonly threadSlices: ReportThreads;
  readonly virq: ReportVirq;
  readonly marks: ReportMarks;
  readonly hypercalls: ReportHypercalls;
  /** Per detail kind that lost items to the budget: the time its detail ends (nothing of that kind is drawn after). */
  readonly truncated: Partial<Record<DetailKind, number>>;
  readonly maxItems: number;
  readonly windowUse: readonly ReportWindowUse[];
  /** Schedule switches over the whole run (never truncated). */
  readonly switches: ReadonlyArray<{ readonly timeNs: number; readonly from: string; readonly to: string }>;
}

/** The histogram bucket of a latency. */
export function histogramBucket(ns: number): number {
  if (!(ns > HISTOGRAM_MIN_NS)) return 0;
  const bucket = Math.floor(Math.log10(ns / HISTOGRAM_MIN_NS) * HISTOGRAM_PER_DECADE);
  return bucket >= HISTOGRAM_BUCKETS ? HISTOGRAM_BUCKETS - 1 : bucket;
}
