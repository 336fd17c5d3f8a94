/**
 * The trace (`--trace FILE`) written as the run goes: a trace sink that turns records into
 * the Chrome / Perfetto JSON of chromeTrace.ts - the same bytes toChromeTrace() and
 * JSON.stringify make from all the records at the end - in memory bounded by what is in
 * flight, not by the run's length.
 *
 * toChromeTrace() sorts its events by (ts, pid, tid), stably, from the order metadata,
 * window slices, thread slices (both as they end), instants (as recorded), thread names.
 * Records come in time order, so every event is known in sorted position as soon as the
 * slices still open cannot start before it: events wait in `pending` until their time is
 * below the start of every open slice and the current time, then go out sorted, as body
 * text. Two exceptions:
 *  - events at time 0 (the metadata, and the thread names, which are known only at the
 *    end) are the head of the file, written last by whoever assembles it (TraceEnd);
 *  - a slice open so long that too many events wait behind it (a window of minutes) is
 *    written as a hole - a place in the body, its text given at the end (TraceEnd.fills) -
 *    and the events behind it go on.
 * The text goes to a TraceText (traceFile.ts puts it in a spool; the sandbox's worker
 * posts it to the CLI, which does the same).
 *
 * A trace is mostly instants (the kernel tick alone is three quarters of a typical one),
 * as many as the simulation makes records: they are written as UTF-8 straight into a byte
 * buffer (Utf8Buffer: cached bytes for names, keys and strings, digits for numbers), what
 * JSON.stringify would write, without building strings to encode later.
 */
import type { Nanoseconds, TraceRecord, TraceSink } from '@paravirt/machine';
import { partitionOf } from './scheduleSlices.js';
import type { TraceSelection } from './traceCategories.js';

/** Where the stream's text goes, in order. */
export interface TraceText {
  /** More of the body, UTF-8: events with ts > 0, each as `,{...}`. The bytes are valid during the call only. */
  body(bytes: Uint8Array): void;
  /** A place in the body whose text comes at the end (TraceEnd.fills). */
  hole(id: number): void;
}

/** What completes a streamed trace: the file is `head`, the body (holes filled), `tail`. */
export interface TraceEnd {
  /** `{"traceEvents":[` and the events at time 0. */
  readonly head: string;
  /** The text of each hole, by id (empty: nothing there). */
  readonly fills: ReadonlyArray<readonly [id: number, text: string]>;
  readonly tail: string;
  /** Events in the file. */
  readonly events: number;
}

const MODULE_PID = 1;
const PROCESSOR_PID = 99;
const EVENTS_TID = 1;
/** Orders of equal (ts, pid, tid), as toChromeTrace() pushes them. */
const META = 0;
const WINDOW = 1;
const THREAD = 2;
const INSTANT = 3;
const THREAD_META = 4;
/** ARINC 653 OPERATING_MODE_TYPE NORMAL (paravirt-api PartitionMode). */
const MODE_NORMAL = 3;

/** Events waiting before a flush is tried, and waiting behind open slices before they become holes. */
const FLUSH_AT = 4096;
const HOLE_AT = 65_536;
/** Slices waiting before a flush is tried (see slicesFlushAt). */
const SLICES_FLUSH_AT = 256;
/** Body bytes gathered before they go to the TraceText. */
const BODY_BYTES = 1 << 20;
/** Longest string whose JSON bytes are cached, and most cached. */
const CACHED_LENGTH = 64;
const CACHE_SIZE = 10_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const COMMA = 0x2c;
/** The pieces of a slice's JSON: `{"name":N,"ph":"X","ts":T,"dur":D,"pid":P,"tid":T}`. */
const SLICE_NAME = encoder.encode('{"name":');
const SLICE_TS = encoder.encode(',"ph":"X","ts":');
const SLICE_DUR = encoder.encode(',"dur":');
const SLICE_PID = encoder.encode(',"pid":');
const SLICE_TID = encoder.encode(',"tid":');

/** A growing byte buffer JSON is written into as UTF-8. */
class Utf8Buffer {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Room for `extra` more bytes. */
  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const bytes = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    bytes.set(this.bytes.subarray(0, this.length));
    this.bytes = bytes;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  put(source: Uint8Array, n = source.length): void {
    this.reserve(n);
    const bytes = this.bytes;
    const at = this.length;
    // Short copies by hand: cheaper than set() for the few dozen bytes of most pieces.
    if (n < 48) for (let i = 0; i < n; i++) bytes[at + i] = source[i]!;
    else bytes.set(n === source.length ? source : source.subarray(0, n), at);
    this.length = at + n;
  }

  /** Bytes start..end of `source` (not this buffer's own). */
  putRange(source: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    const bytes = this.bytes;
    const at = this.length;
    if (n < 48) for (let i = 0; i < n; i++) bytes[at + i] = source[start + i]!;
    else bytes.set(source.subarray(start, end), at);
    this.length = at + n;
  }

  /** Text as UTF-8 (JSON.stringify's output: well-formed). */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.length += encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  /** A safe integer, as String() writes it. */
  integer(value: number): void {
    this.reserve(17);
    const bytes = this.bytes;
    if (value < 0) {
      bytes[this.length++] = 0x2d;
      value = -value;
    }
    let digits = 1;
    while (digits < 16 && value >= POWERS_OF_TEN[digits]!) digits++;
    let at = this.length + digits;
    this.length = at;
    while (value >= 2 ** 32) {
      const quotient = Math.floor(value / 10);
      bytes[--at] = 0x30 + (value - quotient * 10);
      value = quotient;
    }
    // Below 2^32: uint32 arithmetic.
    let small = value >>> 0;
    while (small >= 10) {
      const quotient = (small / 10) >>> 0;
      bytes[--at] = 0x30 + (small - quotient * 10);
      small = quotient;
    }
    bytes[--at] = 0x30 + small;
  }

  /** ns / 1000 as JSON.stringify writes it (microsText()). */
  micros(ns: number): void {
    if (!(ns >= 0 && ns <= MICROS_EXACT && Number.isInteger(ns))) return this.text(String(ns / 1000));
    const whole = Math.floor(ns / 1000);
    const rest = ns - whole * 1000;
    this.integer(whole);
    if (rest === 0) return;
    this.reserve(4);
    const bytes = this.bytes;
    bytes[this.length++] = 0x2e;
    bytes[this.length++] = 0x30 + Math.floor(rest / 100);
    const tens = rest % 100;
    if (tens === 0) return;
    bytes[this.length++] = 0x30 + Math.floor(tens / 10);
    if (tens % 10 !== 0) bytes[this.length++] = 0x30 + (tens % 10);
  }
}

/** Below this many ns, ns / 1000 prints as ns's digits with a decimal point (see microsText). */
const MICROS_EXACT = 4e15;
const POWERS_OF_TEN = Array.from({ length: 17 }, (_, power) => 10 ** power);

/**
 * What an instant of one name (a record kind, or a trap's name) starts with, and the last
 * two payloads written for it, whose bytes are written again when the next one has the
 * same pid, keys and values (a tick's payload rarely changes; hypercall records alternate
 * between two, IDLE and VIRQ_RETURN).
 */
interface InstantKind {
  /** `,{"name":"<name>","ph":"i","s":"t","ts":` */
  readonly prefix: Uint8Array;
  /** Per pid: `,"pid":P,"tid":T,"cat":"<cat>","args":` (a trap's: index 0). */
  readonly middle: Uint8Array[];
  /** The last payload written (`recent`) and the one before: swapped, refilled in place, never allocated again. */
  recent: PayloadTail;
  older: PayloadTail;
}

/** A payload written, and its bytes after the ts: middle, args, `}`. */
interface PayloadTail {
  /** The pid it was written for; -1: nothing to reuse (none yet, or not a plain payload). */
  pid: number;
  /** Its keys and values (reused arrays), if it was a plain one. */
  plain: boolean;
  readonly keys: string[];
  readonly values: unknown[];
  /** bytes[0, length): grown when a longer one comes, copied into by hand (no subarray to allocate). */
  bytes: Uint8Array;
  length: number;
}

/** Longest tail kept for reuse. */
const TAIL_BYTES = 4096;

const emptyTail = (): PayloadTail => ({ pid: -1, plain: false, keys: [], values: [], bytes: new Uint8Array(64), length: 0 });

interface Entry {
  readonly ts: number;
  /** pid * TRACK + tid: (pid, tid) in one number, ordered as the pair. */
  readonly track: number;
  readonly order: number;
  readonly seq: number;
  /** The event's JSON; undefined: a hole (id), an empty slice, or JSON in `slices` (bytes). */
  text: string | undefined;
  hole: number | undefined;
  /** Where a slice's JSON is in the stream's `slices` buffer (bytes < 0: not there). */
  bytes: number;
  bytesEnd: number;
}

interface OpenSlice {
  readonly start: Nanoseconds;
  readonly tid: number;
  /** Written as a hole: its entry (waiting until flushed) and id. */
  placed?: { readonly entry: Entry; readonly id: number; flushed: boolean };
}

/** Tracks of one process: tid < TRACK. */
const TRACK = 2 ** 21;
const compare = (a: Entry, b: Entry): number => a.ts - b.ts || a.track - b.track || a.order - b.order || a.seq - b.seq;

/**
 * `ts` and `dur` as JSON.stringify writes ns / 1000: integer arithmetic for whole ns (the
 * shortest decimal of ns / 1000 is ns's digits with the point three from the right, below
 * 2^52 ns), String() otherwise.
 */
export function microsText(ns: number): string {
  if (!(ns >= 0 && ns <= MICROS_EXACT && Number.isInteger(ns))) return String(ns / 1000);
  const whole = Math.floor(ns / 1000);
  const rest = ns - whole * 1000;
  if (rest === 0) return String(whole);
  if (rest % 100 === 0) return `${whole}.${rest / 100}`;
  if (rest % 10 === 0) return `${whole}.${rest < 100 ? '0' : ''}${rest / 10}`;
  return `${whole}.${rest < 10 ? '00' : rest < 100 ? '0' : ''}${rest}`;
}

export class ChromeTraceStream implements TraceSink {
  private readonly pidOf: Map<string, number>;
  private readonly windowTid: Map<string, number>;
  private readonly threadTids = new Map<string, Map<string, number>>();
  private readonly head: Entry[] = [];
  // Instants waiting, in file order (ts, track, then as they came), from `first` on: their
  // time and track, and where their bytes (`,{...}`) are in `pending`.
  private instantTs: number[] = [];
  private instantTrack: number[] = [];
  private instantStart: number[] = [];
  private instantEnd: number[] = [];
  private first = 0;
  private readonly pending = new Utf8Buffer(1 << 20);
  private readonly body = new Utf8Buffer(BODY_BYTES + (1 << 16));
  /** The JSON of the slices waiting, as bytes (no strings to build and encode for each window). */
  private readonly slices = new Utf8Buffer(1 << 16);
  /** Slices that ended, and holes, waiting: few, kept in file order. */
  private waiting: Entry[] = [];
  /** Instants waiting at which to try the next flush (past what the last one had to keep). */
  private flushAt: number;
  /**
   * Slices waiting at which to try the next flush. Slices wait as strings: written soon, they
   * die young; kept until thousands of instants came (a trace of mostly windows), they
   * outlive the young generation and the collector copies them again and again.
   */
  private slicesFlushAt = SLICES_FLUSH_AT;
  private seq = 0;
  private now: Nanoseconds = 0;
  private events = 0;
  private nextHole = 0;
  private readonly fills: Array<readonly [number, string]> = [];
  private readonly quoted = new Map<string, string>();
  /** JSON of strings and of `"key":`, as UTF-8. */
  private readonly quotedBytes = new Map<string, Uint8Array>();
  private readonly keyBytes = new Map<string, Uint8Array>();
  /** Per record kind, and per trap name (kind `trap`). */
  private readonly kinds = new Map<string, InstantKind>();
  private readonly traps = new Map<string, InstantKind>();
  private trapNames: Array<string | undefined> = [undefined, undefined];
  private trapKinds: Array<InstantKind | undefined> = [undefined, undefined];
  /** The last instant's time, and its ts as written. */
  private lastNs = -1;
  private readonly lastTs = new Uint8Array(32);
  private lastTsLength = 0;
  // As scheduleSlices(): each partition's open window, and the thread it runs (open: since its slice began).
  // A closed window is `undefined`, not deleted: deleting and adding a key at every window
  // makes the Map rebuild its table every few windows.
  private readonly windows = new Map<string, OpenSlice | undefined>();
  private readonly running = new Map<string, { thread: string; slice: OpenSlice | undefined }>();

  constructor(
    private readonly out: TraceText,
    partitions: readonly string[],
    kernel: string,
    private readonly selection: TraceSelection = { windows: true, threads: true, ticks: true },
    /** FLUSH_AT and HOLE_AT (tests make them small to reach holes in short runs). */
    private readonly limits: { readonly flushAt: number; readonly holeAt: number } = { flushAt: FLUSH_AT, holeAt: HOLE_AT },
  ) {
    this.flushAt = limits.flushAt;
    this.pidOf = new Map(partitions.map((name, index) => [name, 2 + index]));
    this.windowTid = new Map(partitions.map((name, index) => [name, 1 + index]));
    this.meta(MODULE_PID, 0, `module (${kernel})`, 'process_name', META);
    this.meta(PROCESSOR_PID, 0, 'processor', 'process_name', META);
    for (const [name, pid] of this.pidOf) {
      this.meta(pid, 0, name, 'process_name', META);
      this.meta(pid, EVENTS_TID, 'events', 'thread_name', META);
      this.meta(MODULE_PID, this.windowTid.get(name)!, name, 'thread_name', META);
    }
  }

  /** Without the `ticks` category the kernel may fast-forward over quiet ticks while this records. */
  get wantsTickTraps(): boolean {
    return this.selection.ticks;
  }

  write(record: TraceRecord): void {
    this.now = record.time;
    switch (record.kind) {
      case 'window.start':
      case 'window.end':
      case 'thread.switch':
        this.schedule(record);
        break;
      case 'partition.mode':
      case 'shutdown':
      case 'fatal':
        this.schedule(record);
        this.instant(record);
        break;
      default:
        this.instant(record);
    }
    if (this.instantTs.length - this.first >= this.flushAt || this.waiting.length >= this.slicesFlushAt) this.flush(false);
  }

  /** Events and holes waiting to be written, and body bytes gathered: what the stream holds now (bounded, whatever the run's length). */
  get held(): { readonly events: number; readonly bytes: number; readonly fills: number } {
    return { events: this.instantTs.length - this.first + this.waiting.length, bytes: this.pending.length + this.body.length, fills: this.fills.length };
  }

  /** Ends what is open at `endNs` (the run's virtual time) and writes the rest of the body; then the file needs only `head`, `fills` and `tail`. */
  finish(endNs: Nanoseconds): TraceEnd {
    for (const partition of [...this.windows.keys()]) this.closeWindow(partition, endNs);
    for (const partition of this.running.keys()) this.closeThread(partition, endNs);
    this.flush(true);
    this.emitBody();
    for (const [partition, tids] of this.threadTids) for (const [thread, tid] of tids) this.meta(this.pidOf.get(partition)!, tid, thread, 'thread_name', THREAD_META);
    this.head.sort(compare);
    const head = this.head.map((entry) => entry.text!).join(',');
    return { head: `{"traceEvents":[${head}`, fills: this.fills, tail: '],"displayTimeUnit":"ns"}', events: this.events };
  }

  // ---------------------------------------------------------------- slices (scheduleSlices.ts)

  private schedule(record: TraceRecord): void {
    const partition = partitionOf(record);
    if (!this.pidOf.has(partition)) return;
    const time = record.time;
    switch (record.kind) {
      case 'window.start': {
        this.windows.set(partition, { start: time, tid: this.windowTid.get(partition)! });
        const current = this.running.get(partition);
        if (current) current.slice = this.openThread(partition, current.thread, time);
        break;
      }
      case 'window.end':
        this.closeWindow(partition, time);
        this.closeThread(partition, time);
        break;
      case 'thread.switch': {
        this.closeThread(partition, time);
        const thread = String(record.payload['to']);
        this.running.set(partition, { thread, slice: this.openThread(partition, thread, time) });
        break;
      }
      default:
        // partition.mode, shutdown, fatal: stopped, restarted or terminated, its threads are gone (NORMAL is the guest going on).
        if (record.kind === 'partition.mode' && record.payload['mode'] === MODE_NORMAL) break;
        this.closeThread(partition, time);
        this.running.delete(partition);
    }
  }

  /** A thread slice begins; its track's tid is known now (a partition's slices end in the order they begin). */
  private openThread(partition: string, thread: string, time: Nanoseconds): OpenSlice {
    if (!this.selection.threads) return { start: time, tid: 0 };
    let tids = this.threadTids.get(partition);
    if (!tids) this.threadTids.set(partition, (tids = new Map<string, number>()));
    let tid = tids.get(thread);
    if (tid === undefined) tids.set(thread, (tid = EVENTS_TID + 1 + tids.size));
    return { start: time, tid };
  }

  private closeThread(partition: string, time: Nanoseconds): void {
    const current = this.running.get(partition);
    const slice = current?.slice;
    if (!current || !slice) return;
    current.slice = undefined;
    if (this.selection.threads) this.sliceEnds(slice, this.pidOf.get(partition)!, current.thread, THREAD, time);
  }

  private closeWindow(partition: string, time: Nanoseconds): void {
    const slice = this.windows.get(partition);
    if (slice === undefined) return;
    this.windows.set(partition, undefined);
    if (this.selection.windows) this.sliceEnds(slice, MODULE_PID, partition, WINDOW, time);
  }

  private sliceEnds(slice: OpenSlice, pid: number, name: string, order: number, end: Nanoseconds): void {
    const placed = slice.placed;
    const empty = !(end > slice.start);
    if (empty && !placed) return;
    // Its JSON, as bytes, at the end of `slices`.
    const out = this.slices;
    const at = out.length;
    if (!empty) {
      this.events++;
      out.put(SLICE_NAME);
      out.put(this.stringJson(name));
      out.put(SLICE_TS);
      out.micros(slice.start);
      out.put(SLICE_DUR);
      out.micros(end - slice.start);
      out.put(SLICE_PID);
      out.integer(pid);
      out.put(SLICE_TID);
      out.integer(slice.tid);
      out.byte(0x7d);
    }
    const track = pid * TRACK + slice.tid;
    if (!placed && slice.start !== 0) {
      // The common case: written from those bytes when its turn comes.
      this.wait({ ts: slice.start / 1000, track, order, seq: this.seq++, text: undefined, hole: undefined, bytes: at, bytesEnd: out.length });
      return;
    }
    // The head (time 0) and a hole's fill are text: those bytes decoded, and dropped from `slices`.
    const text = empty ? undefined : decoder.decode(out.bytes.subarray(at, out.length));
    out.length = at;
    if (!placed) {
      this.head.push({ ts: 0, track, order, seq: this.seq++, text, hole: undefined, bytes: -1, bytesEnd: -1 });
    } else if (!placed.flushed) {
      placed.entry.text = text;
      placed.entry.hole = undefined;
    } else if (text !== undefined) {
      this.fills.push([placed.id, `,${text}`]);
    }
  }

  /** A slice or hole waits, in file order (there are few). */
  private wait(entry: Entry): void {
    const waiting = this.waiting;
    let index = waiting.length;
    while (index > 0 && compare(waiting[index - 1]!, entry) > 0) index--;
    if (index === waiting.length) waiting.push(entry);
    else waiting.splice(index, 0, entry);
  }

  // ---------------------------------------------------------------- instants

  private instant(record: TraceRecord): void {
    if (this.selection.instant && !this.selection.instant(record)) return;
    const payload = record.payload;
    const ns = record.time;
    let kind: InstantKind;
    let pid: number;
    let tid: number;
    if (record.kind === 'trap') {
      pid = PROCESSOR_PID;
      tid = 1;
      kind = this.trapKind(payload['name']);
    } else {
      const partitionPid = this.pidOf.get(partitionOf(record));
      pid = partitionPid ?? MODULE_PID;
      tid = partitionPid !== undefined ? EVENTS_TID : 0;
      kind = this.recordKind(record.kind);
    }
    const track = pid * TRACK + tid;
    this.events++;
    const out = this.pending;
    const start = out.length;
    out.put(kind.prefix);
    if (ns === this.lastNs) {
      out.put(this.lastTs, this.lastTsLength);
    } else {
      const at = out.length;
      out.micros(ns);
      const length = out.length - at;
      if (length <= this.lastTs.length) {
        this.lastNs = ns;
        this.lastTsLength = length;
        const bytes = out.bytes;
        for (let i = 0; i < length; i++) this.lastTs[i] = bytes[at + i]!;
      } else {
        this.lastNs = -1;
      }
    }
    let reused: PayloadTail | undefined;
    if (kind.recent.pid === pid && this.sameArgs(payload, kind.recent)) {
      reused = kind.recent;
    } else if (kind.older.pid === pid && this.sameArgs(payload, kind.older)) {
      reused = kind.older;
      kind.older = kind.recent;
      kind.recent = reused;
    }
    if (reused !== undefined) {
      out.put(reused.bytes, reused.length);
    } else {
      // Written, and kept in place of the older of the two.
      const tail = kind.older;
      kind.older = kind.recent;
      kind.recent = tail;
      const at = out.length;
      out.put(pid === PROCESSOR_PID && record.kind === 'trap' ? kind.middle[0]! : (kind.middle[pid] ?? this.middle(kind, record.kind, pid, tid)));
      this.args(payload, out, tail);
      out.byte(0x7d);
      const length = out.length - at;
      if (tail.plain && length <= TAIL_BYTES) {
        if (tail.bytes.length < length) tail.bytes = new Uint8Array(Math.max(length, tail.bytes.length * 2));
        const from = out.bytes;
        const to = tail.bytes;
        for (let i = 0; i < length; i++) to[i] = from[at + i]!;
        tail.length = length;
        tail.pid = pid;
      } else {
        tail.pid = -1;
      }
    }
    const ts = ns / 1000;
    if (ts === 0) {
      // The head is text: a few events.
      const text = decoder.decode(out.bytes.subarray(start + 1, out.length));
      out.length = start;
      this.head.push({ ts, track, order: INSTANT, seq: this.seq++, text, hole: undefined, bytes: -1, bytesEnd: -1 });
      return;
    }
    // In file order: after every waiting instant but those of the same time on a later track (records come in time order).
    const tsList = this.instantTs;
    const tracks = this.instantTrack;
    let index = tsList.length;
    while (index > this.first && tsList[index - 1] === ts && tracks[index - 1]! > track) index--;
    if (index === tsList.length) {
      tsList.push(ts);
      tracks.push(track);
      this.instantStart.push(start);
      this.instantEnd.push(out.length);
    } else {
      tsList.splice(index, 0, ts);
      tracks.splice(index, 0, track);
      this.instantStart.splice(index, 0, start);
      this.instantEnd.splice(index, 0, out.length);
    }
  }

  /** Whether the payload has the keys and values of `tail`'s (then its bytes are the same). */
  private sameArgs(payload: TraceRecord['payload'], tail: PayloadTail): boolean {
    if (!tail.plain) return false;
    const lastKeys = tail.keys;
    const lastValues = tail.values;
    let count = 0;
    for (const key in payload) {
      if (count >= lastKeys.length || lastKeys[count] !== key || lastValues[count] !== payload[key]) return false;
      count++;
    }
    return count === lastKeys.length;
  }

  /** The payload as JSON.stringify writes it (own keys in order, scalars), without its general machinery; remembered in `tail` when it is plain. */
  private args(payload: TraceRecord['payload'], out: Utf8Buffer, tail: PayloadTail): void {
    const start = out.length;
    const keys = tail.keys;
    const values = tail.values;
    let count = 0;
    let first = true;
    out.byte(0x7b);
    for (const key in payload) {
      const value = payload[key];
      if (!Object.hasOwn(payload, key) || (value !== null && typeof value === 'object') || typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
        // Not a plain record's payload: as JSON.stringify writes it, whatever it is.
        out.length = start;
        out.text(JSON.stringify(payload));
        tail.plain = false;
        return;
      }
      keys[count] = key;
      values[count++] = value;
      if (value === undefined) continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.put(this.keyJson(key));
      switch (typeof value) {
        case 'string':
          if (value.length <= CACHED_LENGTH) out.put(this.stringJson(value));
          else out.text(JSON.stringify(value));
          break;
        case 'number':
          if (Number.isSafeInteger(value)) out.integer(value);
          else out.text(Number.isFinite(value) ? String(value) : 'null');
          break;
        case 'boolean':
          out.text(value ? 'true' : 'false');
          break;
        default:
          out.text('null');
      }
    }
    out.byte(0x7d);
    // NaN is never the same as itself: such a payload is simply not reused.
    keys.length = count;
    values.length = count;
    tail.plain = true;
  }

  private stringJson(text: string): Uint8Array {
    let bytes = this.quotedBytes.get(text);
    if (bytes === undefined) {
      bytes = encoder.encode(JSON.stringify(text));
      if (this.quotedBytes.size < CACHE_SIZE) this.quotedBytes.set(text, bytes);
    }
    return bytes;
  }

  private keyJson(key: string): Uint8Array {
    let bytes = this.keyBytes.get(key);
    if (bytes === undefined) {
      bytes = encoder.encode(`${JSON.stringify(key)}:`);
      if (this.keyBytes.size < CACHE_SIZE) this.keyBytes.set(key, bytes);
    }
    return bytes;
  }

  private trapKind(name: TraceRecord['payload'][string] | undefined): InstantKind {
    // Traps of two names alternate (a tick, a hypercall's trap): those without a map lookup.
    if (typeof name === 'string') {
      if (name === this.trapNames[0]) return this.trapKinds[0]!;
      if (name === this.trapNames[1]) return this.trapKinds[1]!;
    }
    const key = String(name ?? 'trap');
    let kind = this.traps.get(key);
    if (kind === undefined) {
      kind = this.instantKind(key, [encoder.encode(`,"pid":${PROCESSOR_PID},"tid":1,"cat":"trap","args":`)]);
      if (this.traps.size < CACHE_SIZE) this.traps.set(key, kind);
    }
    if (typeof name === 'string') {
      this.trapNames = [name, this.trapNames[0]];
      this.trapKinds = [kind, this.trapKinds[0]];
    }
    return kind;
  }

  private recordKind(name: string): InstantKind {
    let kind = this.kinds.get(name);
    if (kind === undefined) {
      kind = this.instantKind(name, []);
      if (this.kinds.size < CACHE_SIZE) this.kinds.set(name, kind);
    }
    return kind;
  }

  private instantKind(name: string, middle: Uint8Array[]): InstantKind {
    return { prefix: encoder.encode(`,{"name":${JSON.stringify(name)},"ph":"i","s":"t","ts":`), middle, recent: emptyTail(), older: emptyTail() };
  }

  private middle(kind: InstantKind, name: string, pid: number, tid: number): Uint8Array {
    const middle = encoder.encode(`,"pid":${pid},"tid":${tid},"cat":${JSON.stringify(name.split('.')[0]!)},"args":`);
    kind.middle[pid] = middle;
    return middle;
  }

  // ---------------------------------------------------------------- output

  private meta(pid: number, tid: number, name: string, kind: 'process_name' | 'thread_name', order: number): void {
    this.events++;
    this.head.push({ ts: 0, track: pid * TRACK + tid, order, seq: this.seq++, text: `{"name":"${kind}","ph":"M","ts":0,"pid":${pid},"tid":${tid},"args":{"name":${this.quote(name)}}}`, hole: undefined, bytes: -1, bytesEnd: -1 });
  }

  /**
   * Writes the waiting events that nothing can come before any more: below the current
   * time and the start of every open slice (all, at the end). Too many left waiting: the
   * open slices that hold them become holes.
   */
  private flush(all: boolean): void {
    const now = this.now / 1000;
    this.writeBefore(all ? Number.POSITIVE_INFINITY : this.openBefore(now));
    if (!all && this.instantTs.length - this.first >= this.limits.holeAt) {
      for (const { slice, start, pid, order } of this.openSlices()) {
        if (slice.placed || start === 0 || start / 1000 >= now) continue;
        const entry: Entry = { ts: start / 1000, track: pid * TRACK + slice.tid, order, seq: this.seq++, text: undefined, hole: this.nextHole, bytes: -1, bytesEnd: -1 };
        slice.placed = { entry, id: this.nextHole++, flushed: false };
        this.wait(entry);
      }
      this.writeBefore(this.openBefore(now));
    }
    this.flushAt = this.instantTs.length - this.first + this.limits.flushAt;
    this.slicesFlushAt = this.waiting.length + SLICES_FLUSH_AT;
  }

  /** Writes the waiting instants and slices before `before` (µs), merged in file order. */
  private writeBefore(before: number): void {
    const tsList = this.instantTs;
    const tracks = this.instantTrack;
    const starts = this.instantStart;
    const ends = this.instantEnd;
    const pending = this.pending;
    const body = this.body;
    const waiting = this.waiting;
    let next = this.first;
    let slices = 0;
    // A run of instants whose bytes follow each other in `pending`, copied at once.
    let runStart = 0;
    let runEnd = 0;
    const copyRun = (): void => {
      if (runEnd > runStart) body.put(pending.bytes.subarray(runStart, runEnd));
      runStart = runEnd = 0;
      if (body.length >= BODY_BYTES) this.emitBody();
    };
    for (;;) {
      const slice = slices < waiting.length && waiting[slices]!.ts < before ? waiting[slices]! : undefined;
      const instant = next < tsList.length && tsList[next]! < before;
      if (instant && (!slice || tsList[next]! < slice.ts || (tsList[next] === slice.ts && tracks[next]! < slice.track))) {
        if (starts[next] !== runEnd) {
          copyRun();
          runStart = starts[next]!;
        }
        runEnd = ends[next]!;
        if (runEnd - runStart >= BODY_BYTES) copyRun();
        next++;
      } else if (slice) {
        copyRun();
        slices++;
        if (slice.hole !== undefined) {
          this.emitBody();
          this.out.hole(slice.hole);
          this.markFlushed(slice);
        } else if (slice.bytes >= 0) {
          body.byte(COMMA);
          body.putRange(this.slices.bytes, slice.bytes, slice.bytesEnd);
        } else if (slice.text !== undefined) {
          body.byte(COMMA);
          body.text(slice.text);
        }
      } else {
        break;
      }
    }
    copyRun();
    if (slices > 0) {
      this.waiting = waiting.slice(slices);
      this.compactSlices();
    }
    this.first = next;
    if (next === tsList.length) {
      this.instantTs = [];
      this.instantTrack = [];
      this.instantStart = [];
      this.instantEnd = [];
      this.first = 0;
      pending.length = 0;
    } else if (next > 4096 && next * 2 > tsList.length) {
      // Keep what waits, and its bytes, at the start.
      const from = Math.min(...starts.slice(next));
      pending.bytes.copyWithin(0, from, pending.length);
      pending.length -= from;
      this.instantTs = tsList.slice(next);
      this.instantTrack = tracks.slice(next);
      this.instantStart = starts.slice(next).map((start) => start - from);
      this.instantEnd = ends.slice(next).map((end) => end - from);
      this.first = 0;
    }
  }

  /** Drops the bytes of slices written: all of them when none waits, else those before the first waiting once they are most of the buffer. */
  private compactSlices(): void {
    const waiting = this.waiting;
    const slices = this.slices;
    let from = slices.length;
    for (const entry of waiting) if (entry.bytes >= 0 && entry.bytes < from) from = entry.bytes;
    if (from === slices.length) {
      slices.length = 0;
      return;
    }
    if (from < 1 << 15 || from * 2 < slices.length) return;
    slices.bytes.copyWithin(0, from, slices.length);
    slices.length -= from;
    for (const entry of waiting) {
      if (entry.bytes < 0) continue;
      entry.bytes -= from;
      entry.bytesEnd -= from;
    }
  }

  /** Hands the gathered body bytes on. */
  private emitBody(): void {
    if (this.body.length === 0) return;
    this.out.body(this.body.bytes.subarray(0, this.body.length));
    this.body.length = 0;
  }

  private markFlushed(entry: Entry): void {
    for (const { slice } of this.openSlices()) if (slice.placed?.entry === entry) slice.placed.flushed = true;
  }

  /** The open slices that will be events, with their track's pid and their order. */
  private *openSlices(): Generator<{ slice: OpenSlice; start: Nanoseconds; pid: number; order: number }> {
    if (this.selection.windows) for (const slice of this.windows.values()) if (slice !== undefined) yield { slice, start: slice.start, pid: MODULE_PID, order: WINDOW };
    if (this.selection.threads) {
      for (const [partition, current] of this.running) if (current.slice) yield { slice: current.slice, start: current.slice.start, pid: this.pidOf.get(partition)!, order: THREAD };
    }
  }

  /** The earliest time (µs) an event still to come may have: now, or an open slice's start (those at 0 go to the head, holes are placed). */
  private openBefore(now: number): number {
    let before = now;
    for (const { slice, start } of this.openSlices()) {
      if (slice.placed || start === 0) continue;
      const ts = start / 1000;
      if (ts < before) before = ts;
    }
    return before;
  }

  private quote(text: string): string {
    let quoted = this.quoted.get(text);
    if (quoted === undefined) {
      quoted = JSON.stringify(text);
      if (this.quoted.size < 10_000) this.quoted.set(text, quoted);
    }
    return quoted;
  }
}
