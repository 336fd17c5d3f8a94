/**
 * Collects what the report draws (ReportData) from a run's trace records as the run goes:
 * a trace sink in bounded memory, whatever the length of the run.
 *
 *  - Aggregates over the whole run, never truncated: a latency histogram per vIRQ line of
 *    every partition, the CPU use of every window of the schedules, the schedule switches.
 *  - Detail for the timeline (windows, thread slices, vIRQ deliveries, marks, hypercalls),
 *    in columns of numbers, at most `maxItems` items in all. When the budget is spent, the
 *    lowest-priority kind (DETAIL_KINDS: hypercalls, vIRQs, threads, windows, marks) that
 *    ranks below the newcomer and holds more than a tenth of the budget loses its last
 *    eighth and takes no more: its detail ends there, and the page says so. Marks (HM
 *    events, schedule switches) and windows are kept longest; every kind keeps at least
 *    its first tenth of the budget.
 */
import type { TraceRecord, TraceSink } from '@paravirt/machine';
import { partitionOf, ScheduleTracker } from '../output/scheduleSlices.js';
import {
  DETAIL_KINDS,
  type DetailKind,
  HISTOGRAM_BUCKETS,
  HISTOGRAM_MIN_NS,
  HISTOGRAM_PER_DECADE,
  histogramBucket,
  MARK_KINDS,
  REPORT_MAX_ITEMS,
  REPORT_MAX_STRINGS,
  type ReportData,
  type ReportWindowUse,
} from './model.js';

/** The schedules as the collector needs them (ModuleSpec's ScheduleSpec is one). */
export interface ReportSchedule {
  readonly name: string;
  readonly majorFrame: number;
  readonly initial?: boolean;
  readonly windows: ReadonlyArray<{ readonly partition: string; readonly start: number; readonly duration: number }>;
}

/** ARINC 653 OPERATING_MODE_TYPE, by value. */
const MODES = ['IDLE', 'COLD_START', 'WARM_START', 'NORMAL'];
const MAX_THREADS = 4_000;
const MAX_SWITCHES = 10_000;
const MARK_INDEX: ReadonlyMap<string, number> = new Map(MARK_KINDS.map((kind, index) => [kind, index]));
const RANK: Readonly<Record<DetailKind, number>> = Object.fromEntries(DETAIL_KINDS.map((kind, index) => [kind, index])) as Record<DetailKind, number>;

interface Line {
  readonly partition: number;
  readonly line: string;
  deliveries: number;
  maxNs: number;
  sumNs: number;
  readonly counts: number[];
}

interface Use extends ReportWindowUse {
  runs: number;
  openNs: number;
  busyNs: number;
}

export class ReportCollector implements TraceSink {
  /** The report draws no tick traps: the kernel may fast-forward over quiet ticks while this records. */
  readonly wantsTickTraps = false;
  private readonly partitionIndex: Map<string, number>;
  private readonly strings: string[] = ['...'];
  private readonly stringIndex = new Map<string, number>([['...', 0]]);
  private readonly threads: Array<{ partition: number; name: string }> = [];
  private readonly threadIndex: Array<Map<string, number>>;
  private readonly lines: Line[] = [];
  private readonly lineIndex: Array<Map<string, number>>;
  private readonly switches: Array<{ timeNs: number; from: string; to: string }> = [];

  // Detail columns.
  private readonly windows = { start: [] as number[], end: [] as number[], partition: [] as number[] };
  private readonly threadSlices = { start: [] as number[], end: [] as number[], thread: [] as number[] };
  private readonly virq = { deliver: [] as number[], latency: [] as number[], line: [] as number[] };
  private readonly marks = { time: [] as number[], kind: [] as number[], partition: [] as number[], label: [] as number[] };
  private readonly hypercalls = { time: [] as number[], partition: [] as number[], name: [] as number[] };
  private readonly counts: Record<DetailKind, number> = { hypercalls: 0, virq: 0, threads: 0, windows: 0, marks: 0 };
  private readonly truncated: Partial<Record<DetailKind, number>> = {};
  private total = 0;

  // Schedule and window use.
  private readonly tracker: ScheduleTracker;
  private readonly use: Use[] = [];
  /** Per schedule, per partition: the slots (indices into `use`) of its windows. */
  private readonly slots: Array<Array<number[]>>;
  private schedule: number;
  private frameOrigin = 0;
  private readonly currentSlot: number[];
  /** Per partition: its window is open; it waits (IDLE hypercall, or stopped) since waitSince; idle time in the open window. */
  private readonly open: boolean[];
  private readonly waiting: boolean[];
  private readonly waitSince: number[];
  private readonly idle: number[];
  private readonly closedWindow: number[];
  private finished = false;

  constructor(
    partitions: readonly string[],
    private readonly schedules: readonly ReportSchedule[] = [],
    private readonly maxItems = REPORT_MAX_ITEMS,
  ) {
    this.partitionIndex = new Map(partitions.map((name, index) => [name, index]));
    this.threadIndex = partitions.map(() => new Map<string, number>());
    this.lineIndex = partitions.map(() => new Map<string, number>());
    this.currentSlot = partitions.map(() => -1);
    this.open = partitions.map(() => false);
    this.waiting = partitions.map(() => false);
    this.waitSince = partitions.map(() => 0);
    this.idle = partitions.map(() => 0);
    this.closedWindow = partitions.map(() => -1);
    this.slots = schedules.map((schedule) =>
      partitions.map((partition) =>
        schedule.windows.flatMap((window) => {
          if (window.partition !== partition) return [];
          this.use.push({ schedule: schedule.name, partition: this.partitionIndex.get(partition)!, offsetNs: window.start, durationNs: window.duration, runs: 0, openNs: 0, busyNs: 0 });
          return [this.use.length - 1];
        }),
      ),
    );
    this.schedule = Math.max(0, schedules.findIndex((schedule) => schedule.initial === true));
    this.tracker = new ScheduleTracker({
      window: (partition, start, end) => {
        const index = this.partitionIndex.get(partition)!;
        this.closedWindow[index] = end - start;
        if (this.room('windows', start)) {
          this.windows.start.push(start);
          this.windows.end.push(end);
          this.windows.partition.push(index);
        }
      },
      thread: (partition, name, start, end) => {
        const index = this.partitionIndex.get(partition)!;
        const thread = this.threadOf(index, name);
        if (thread < 0) return;
        if (this.room('threads', start)) {
          this.threadSlices.start.push(start);
          this.threadSlices.end.push(end);
          this.threadSlices.thread.push(thread);
        }
      },
    });
  }

  private string(text: string): number {
    const known = this.stringIndex.get(text);
    if (known !== undefined) return known;
    if (this.strings.length >= REPORT_MAX_STRINGS) return 0;
    this.strings.push(text);
    this.stringIndex.set(text, this.strings.length - 1);
    return this.strings.length - 1;
  }

  private threadOf(partition: number, name: string): number {
    const known = this.threadIndex[partition]!.get(name);
    if (known !== undefined) return known;
    if (this.threads.length >= MAX_THREADS) return -1;
    this.threads.push({ partition, name });
    this.threadIndex[partition]!.set(name, this.threads.length - 1);
    return this.threads.length - 1;
  }

  /**
   * Whether one more item of `kind` (at `time`) may be kept. When the budget is spent, the
   * lowest kind that ranks below `kind` and holds more than its floor (a tenth of the
   * budget, so every kind keeps some detail) loses its last eighth; if there is none,
   * `kind` takes no more.
   */
  private room(kind: DetailKind, time: number): boolean {
    if (this.truncated[kind] !== undefined) return false;
    if (this.total >= this.maxItems) {
      const floor = Math.floor(this.maxItems / 10);
      const lowest = DETAIL_KINDS.find((candidate) => RANK[candidate] < RANK[kind] && this.counts[candidate] > floor);
      if (lowest === undefined) {
        this.truncated[kind] = time;
        return false;
      }
      this.trim(lowest, floor);
    }
    this.counts[kind]++;
    this.total++;
    return true;
  }

  /** Drops the last eighth of a kind's items (keeping at least `floor`); its detail ends where the dropped items began. */
  private trim(kind: DetailKind, floor: number): void {
    const columns: Record<string, number[]> = kind === 'threads' ? this.threadSlices : this[kind];
    const keep = Math.max(floor, this.counts[kind] - Math.ceil(this.counts[kind] / 8));
    const times = kind === 'virq' ? this.virq.deliver : kind === 'windows' || kind === 'threads' ? columns['start']! : columns['time']!;
    this.truncated[kind] = times[keep]!;
    for (const column of Object.values(columns)) column.length = keep;
    this.total -= this.counts[kind] - keep;
    this.counts[kind] = keep;
  }

  private mark(kind: string, time: number, partition: number, label: string): void {
    if (!this.room('marks', time)) return;
    this.marks.time.push(time);
    this.marks.kind.push(MARK_INDEX.get(kind)!);
    this.marks.partition.push(partition);
    this.marks.label.push(this.string(label));
  }

  /** The window of the current schedule that a window of `partition` opening at `time` is (nearest nominal start in the frame). */
  private slotOf(partition: number, time: number): number {
    const schedule = this.schedules[this.schedule];
    const slots = this.slots[this.schedule]?.[partition];
    if (!schedule || !slots || slots.length === 0) return -1;
    const frame = schedule.majorFrame;
    const offset = (((time - this.frameOrigin) % frame) + frame) % frame;
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const slot of slots) {
      const raw = Math.abs(this.use[slot]!.offsetNs - offset);
      const distance = Math.min(raw, frame - raw);
      if (distance < bestDistance) {
        best = slot;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** The window of `partition` closes at `time`: accounts it (if the tracker closed a slice) to its slot. */
  private closeWindow(partition: number, time: number): void {
    if (this.waiting[partition] && this.open[partition]) this.idle[partition]! += time - this.waitSince[partition]!;
    this.open[partition] = false;
    const length = this.closedWindow[partition]!;
    if (length < 0) return;
    const slot = this.currentSlot[partition]!;
    if (slot >= 0) {
      const use = this.use[slot]!;
      use.runs++;
      use.openNs += length;
      use.busyNs += Math.max(0, length - this.idle[partition]!);
    }
    this.closedWindow[partition] = -1;
    this.idle[partition] = 0;
  }

  /** The partition waits from `time` (it declared itself idle, or it stopped). */
  private wait(partition: number, time: number): void {
    if (this.waiting[partition]) return;
    this.waiting[partition] = true;
    this.waitSince[partition] = time;
  }

  /** The partition runs again at `time` (a vIRQ woke it, or it restarted). */
  private wake(partition: number, time: number): void {
    if (!this.waiting[partition]) return;
    this.waiting[partition] = false;
    if (this.open[partition]) this.idle[partition]! += time - this.waitSince[partition]!;
  }

  write(record: TraceRecord): void {
    if (this.finished) return;
    const kind = record.kind;
    switch (kind) {
      case 'hypercall': {
        const partition = this.partitionIndex.get(partitionOf(record));
        if (partition === undefined) return;
        const name = String(record.payload['name']);
        if (name === 'IDLE' && this.open[partition]) this.wait(partition, record.time);
        if (this.room('hypercalls', record.time)) {
          this.hypercalls.time.push(record.time);
          this.hypercalls.partition.push(partition);
          this.hypercalls.name.push(this.string(name));
        }
        return;
      }
      case 'virq.deliver': {
        const partition = this.partitionIndex.get(partitionOf(record));
        if (partition === undefined) return;
        const name = String(record.payload['lineName'] ?? record.payload['line']);
        let index = this.lineIndex[partition]!.get(name);
        if (index === undefined) {
          this.lines.push({ partition, line: name, deliveries: 0, maxNs: 0, sumNs: 0, counts: new Array<number>(HISTOGRAM_BUCKETS).fill(0) });
          index = this.lines.length - 1;
          this.lineIndex[partition]!.set(name, index);
        }
        this.wake(partition, record.time);
        const latency = Number(record.payload['latencyNs']) || 0;
        const line = this.lines[index]!;
        line.deliveries++;
        line.sumNs += latency;
        if (latency > line.maxNs) line.maxNs = latency;
        line.counts[histogramBucket(latency)]!++;
        if (this.room('virq', record.time)) {
          this.virq.deliver.push(record.time);
          this.virq.latency.push(latency);
          this.virq.line.push(index);
        }
        return;
      }
      case 'window.start':
      case 'window.end':
      case 'thread.switch': {
        const name = partitionOf(record);
        const partition = this.partitionIndex.get(name);
        if (partition === undefined) return;
        if (kind === 'window.start') {
          this.currentSlot[partition] = this.slotOf(partition, record.time);
          this.open[partition] = true;
          this.idle[partition] = 0;
          if (this.waiting[partition]) this.waitSince[partition] = record.time;
        }
        this.tracker.write(record, name);
        if (kind === 'window.end') this.closeWindow(partition, record.time);
        return;
      }
      case 'partition.mode':
      case 'shutdown':
      case 'fatal': {
        const name = partitionOf(record);
        const partition = this.partitionIndex.get(name);
        if (partition === undefined) return;
        this.tracker.write(record, name);
        const payload = record.payload;
        // Stopped (mode IDLE, shutdown, fatal): the rest of its windows is idle; restarted or going on: it runs.
        if (kind !== 'partition.mode' || Number(payload['mode']) === 0) this.wait(partition, record.time);
        else this.wake(partition, record.time);
        const label =
          kind === 'partition.mode'
            ? `mode ${MODES[Number(payload['mode'])] ?? String(payload['mode'])}`
            : kind === 'shutdown'
              ? `shutdown ${String(payload['status'])}`
              : `fatal ${String(payload['source'])} ${String(payload['code'])} ${String(payload['message'] ?? '')}`;
        this.mark(kind, record.time, partition, label);
        return;
      }
      case 'hm': {
        const payload = record.payload;
        const level = payload['level'] === undefined ? '' : ` (${String(payload['level'])})`;
        this.mark(kind, record.time, this.partitionIndex.get(partitionOf(record)) ?? -1, `HM ${String(payload['error'])}${level} -> ${String(payload['action'])}`);
        return;
      }
      case 'deadline.miss':
        this.mark(kind, record.time, this.partitionIndex.get(partitionOf(record)) ?? -1, `deadline miss ${String(record.payload['name'])}`);
        return;
      case 'schedule.request':
        this.mark(kind, record.time, this.partitionIndex.get(partitionOf(record)) ?? -1, `asks for schedule ${String(record.payload['schedule'])}`);
        return;
      case 'module.reset':
        this.mark(kind, record.time, -1, `module reset ${String(record.payload['condition'])}`);
        return;
      case 'schedule.switch': {
        const from = String(record.payload['from']);
        const to = String(record.payload['to']);
        const next = this.schedules.findIndex((schedule) => schedule.name === to);
        if (next >= 0) {
          this.schedule = next;
          this.frameOrigin = record.time;
        }
        if (this.switches.length < MAX_SWITCHES) this.switches.push({ timeNs: record.time, from, to });
        this.mark(kind, record.time, -1, `schedule ${from} -> ${to}`);
        return;
      }
      default:
        return;
    }
  }

  /** What was collected, the run having reached `endNs` (what is still open ends there). Later records are ignored. */
  data(endNs: number): ReportData {
    if (!this.finished) {
      this.finished = true;
      this.tracker.finish(endNs);
      for (let partition = 0; partition < this.open.length; partition++) if (this.open[partition]) this.closeWindow(partition, endNs);
    }
    return {
      version: 1,
      endNs,
      partitions: [...this.partitionIndex.keys()],
      threads: this.threads.map((thread) => ({ ...thread })),
      lines: this.lines.map((line) => ({ ...line, counts: [...line.counts] })),
      histogram: { minNs: HISTOGRAM_MIN_NS, perDecade: HISTOGRAM_PER_DECADE },
      strings: [...this.strings],
      windows: this.windows,
      threadSlices: this.threadSlices,
      virq: this.virq,
      marks: this.marks,
      hypercalls: this.hypercalls,
      truncated: { ...this.truncated },
      maxItems: this.maxItems,
      windowUse: this.use.map((use) => ({ ...use })),
      switches: [...this.switches],
    };
  }
}
