/**
 * The trace recorder: typed records (time, source, kind, payload) into a sink.
 *
 * Hot paths test `trace.enabled` before building a payload, so a disabled recorder costs
 * one property read and a predictable branch:
 *
 *   if (trace.enabled) trace.record(now, 'cpu0', 'trap', { number: 13, name: '#GP' });
 *
 * Kinds and payload fields are chosen by the layer that records them (see each package's
 * README); payload values are JSON scalars so a trace can be written as JSON lines and
 * turned into Chrome/Perfetto format by the runner.
 */
import type { Nanoseconds } from './time.js';

export type TraceValue = string | number | boolean | null;
export type TracePayload = Readonly<Record<string, TraceValue>>;

export interface TraceRecord<Kind extends string = string, Payload extends TracePayload = TracePayload> {
  readonly time: Nanoseconds;
  readonly source: string;
  readonly kind: Kind;
  readonly payload: Payload;
}

export interface TraceSink {
  write(record: TraceRecord): void;
  /**
   * False when the sink ignores the trap records of the kernel's tick timer (a trace without
   * the `ticks` category, the HTML report): a kernel may then fast-forward over quiet ticks
   * while recording, their only records being those traps. Undefined: it wants them.
   */
  readonly wantsTickTraps?: boolean;
}

/**
 * Keeps records in memory, in order: all of them, or the first `maxRecords` (a long run of
 * a partition that traps a million times must not exhaust the host). Records past the
 * bound are counted in `dropped`, never silently lost.
 */
export class BufferTraceSink implements TraceSink {
  readonly records: TraceRecord[] = [];
  /** Records refused because the buffer was full. */
  dropped = 0;
  /** Time of the first refused record, if any. */
  truncatedAt: Nanoseconds | undefined;

  constructor(readonly maxRecords = Number.POSITIVE_INFINITY) {}

  write(record: TraceRecord): void {
    if (this.records.length < this.maxRecords) {
      this.records.push(record);
      return;
    }
    if (this.dropped++ === 0) this.truncatedAt = record.time;
  }
}

/** Hands every record to a callback as it happens (stream to a file, filter, count). */
export class StreamTraceSink implements TraceSink {
  constructor(private readonly onRecord: (record: TraceRecord) => void) {}
  write(record: TraceRecord): void {
    this.onRecord(record);
  }
}

const EMPTY: TracePayload = Object.freeze({});

export class TraceRecorder {
  /** False when there is no sink: callers skip building payloads. */
  enabled: boolean;
  private sinks: TraceSink[];

  /** Whether any sink wants the tick timer's trap records (TraceSink.wantsTickTraps). */
  tickTrapsWanted: boolean;

  /**
   * The tick timer's trap name while no sink wants its records (see setTickTrap): processors
   * do not build those records at all, which the sinks would only drop. Undefined otherwise.
   */
  unwantedTrap: string | undefined = undefined;

  constructor(...sinks: TraceSink[]) {
    this.sinks = sinks;
    this.enabled = sinks.length > 0;
    this.tickTrapsWanted = sinks.some((sink) => sink.wantsTickTraps !== false);
  }

  /** A recorder that records nothing. */
  static disabled(): TraceRecorder {
    return new TraceRecorder();
  }

  addSink(sink: TraceSink): void {
    this.sinks.push(sink);
    this.enabled = true;
    if (sink.wantsTickTraps !== false) {
      this.tickTrapsWanted = true;
      this.unwantedTrap = undefined;
    }
  }

  /** Names the kernel tick timer's trap (the architecture's kernelTimer.trapName): unless a sink wants tick traps, its records are not built. */
  setTickTrap(name: string | undefined): void {
    this.unwantedTrap = this.tickTrapsWanted ? undefined : name;
  }

  record(time: Nanoseconds, source: string, kind: string, payload: TracePayload = EMPTY): void {
    if (!this.enabled) return;
    const record: TraceRecord = { time, source, kind, payload };
    // Indexed, not for-of: every record of a traced run comes here, much of it before the
    // JIT has optimized this (a for-of's iterator is slow in the interpreter).
    const sinks = this.sinks;
    for (let index = 0; index < sinks.length; index++) sinks[index]!.write(record);
  }
}
