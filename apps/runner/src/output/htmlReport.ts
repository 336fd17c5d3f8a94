/**
 * The report (`--report FILE`): one self-contained HTML file (no scripts, no external
 * resources) with a Gantt view of partition windows and guest threads over the first
 * major frames, the virtual interrupt latency histogram of every partition, and the
 * summary table.
 *
 * It needs few of the trace's records, collected as the run goes (ReportCollector, a
 * trace sink, in bounded memory): the schedule's records up to the end of the Gantt, and
 * the latency of every vIRQ delivery, counted in the histogram's buckets.
 */
import type { Nanoseconds, TraceRecord, TraceSink } from '@paravirt/machine';
import { scheduleSlices } from './scheduleSlices.js';
import type { Summary } from './summary.js';

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const escape = (text: string): string => text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

interface Bar {
  readonly row: string;
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly color: string;
}

/** What the report draws, collected during the run (plain data: it crosses the sandbox's messages). */
export interface ReportData {
  /** Per partition (the summary's names), vIRQ deliveries counted in the histogram's buckets. */
  readonly latency: ReadonlyArray<{ readonly partition: string; readonly deliveries: number; readonly counts: readonly number[] }>;
  /** The records the Gantt is drawn from (scheduleSlices' kinds), up to the collector's `untilNs`. */
  readonly records: readonly TraceRecord[];
  /** Time of the first schedule record left out because MAX_REPORT_RECORDS were kept: the Gantt ends there. */
  readonly truncatedAt?: Nanoseconds;
}

/** Most schedule records the report keeps (its Gantt covers the first major frames; a frame of hours with a thread switching every microsecond must not exhaust memory). */
const MAX_REPORT_RECORDS = 200_000;

/** The kinds scheduleSlices() reads. */
const SCHEDULE_KINDS: ReadonlySet<string> = new Set(['window.start', 'window.end', 'thread.switch', 'partition.mode', 'shutdown', 'fatal']);

// Log-scale buckets from 100 ns to 1 s: where delivery waited for a window shows up as a second mode.
const EDGES = Array.from({ length: 25 }, (_, index) => 100 * 10 ** (index / 3));

function bucketOf(value: number): number {
  const bucket = EDGES.findIndex((edge) => value < edge);
  return bucket < 0 ? EDGES.length - 1 : bucket;
}

/** Collects ReportData from the records of a run whose partitions (the summary's names) are `partitions`, its Gantt ending by `untilNs`. */
export class ReportCollector implements TraceSink {
  private readonly latency: Map<string, { deliveries: number; counts: number[] }>;
  private readonly records: TraceRecord[] = [];
  private truncatedAt: Nanoseconds | undefined;

  constructor(
    partitions: readonly string[],
    private readonly untilNs: Nanoseconds,
    private readonly maxRecords = MAX_REPORT_RECORDS,
  ) {
    this.latency = new Map(partitions.map((partition) => [partition, { deliveries: 0, counts: new Array<number>(EDGES.length).fill(0) }]));
  }

  write(record: TraceRecord): void {
    if (record.kind === 'virq.deliver') {
      const latency = this.latency.get(record.source);
      if (latency) {
        latency.deliveries++;
        latency.counts[bucketOf(Number(record.payload['latencyNs']))]!++;
      }
    } else if (SCHEDULE_KINDS.has(record.kind) && record.time <= this.untilNs && this.truncatedAt === undefined) {
      if (this.records.length < this.maxRecords) this.records.push(record);
      else this.truncatedAt = record.time;
    }
  }

  data(): ReportData {
    return {
      latency: [...this.latency].map(([partition, { deliveries, counts }]) => ({ partition, deliveries, counts })),
      records: this.records,
      ...(this.truncatedAt !== undefined ? { truncatedAt: this.truncatedAt } : {}),
    };
  }
}

function gantt(records: readonly TraceRecord[], summary: Summary, spanNs: number): string {
  const partitions = summary.partitions.map((partition) => partition.name);
  const color = new Map(partitions.map((name, index) => [name, COLORS[index % COLORS.length]!]));
  const rows = partitions.map((name) => `window ${name}`);
  const { windows, threads } = scheduleSlices(records, new Set(partitions), spanNs);
  const bars: Bar[] = windows.map((window) => ({ row: `window ${window.partition}`, label: window.name, start: window.start, end: window.end, color: color.get(window.partition)! }));
  for (const thread of threads) {
    const row = `${thread.partition} / ${thread.name}`;
    if (!rows.includes(row)) rows.push(row);
    if (thread.end > thread.start) bars.push({ row, label: thread.name, start: thread.start, end: thread.end, color: color.get(thread.partition)! });
  }
  const width = 1000;
  const label = 180;
  const rowHeight = 18;
  const scale = (ns: number): number => label + (ns / spanNs) * (width - label);
  const body = bars
    .map((bar) => {
      const y = rows.indexOf(bar.row) * rowHeight;
      const x = scale(bar.start);
      const w = Math.max(0.5, scale(bar.end) - x);
      return `<rect x="${x.toFixed(2)}" y="${y + 2}" width="${w.toFixed(2)}" height="${rowHeight - 4}" fill="${bar.color}"><title>${escape(bar.label)} ${(bar.start / 1e6).toFixed(3)}-${(bar.end / 1e6).toFixed(3)} ms</title></rect>`;
    })
    .join('');
  const labels = rows.map((row, index) => `<text x="4" y="${index * rowHeight + 13}" font-size="11">${escape(row)}</text>`).join('');
  const ticks = Array.from({ length: 11 }, (_, index) => {
    const x = label + (index / 10) * (width - label);
    return `<line x1="${x}" y1="0" x2="${x}" y2="${rows.length * rowHeight}" stroke="#ddd"/><text x="${x + 2}" y="${rows.length * rowHeight + 12}" font-size="10">${((spanNs * index) / 10 / 1e6).toFixed(1)} ms</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${rows.length * rowHeight + 18}">${ticks}${labels}${body}</svg>`;
}

function histogram(deliveries: number, counts: readonly number[], name: string): string {
  if (deliveries === 0) return `<p>${escape(name)}: no virtual interrupt delivered.</p>`;
  const edges = EDGES;
  const max = Math.max(...counts);
  const barWidth = 30;
  const height = 120;
  const bars = counts
    .map((count, index) => {
      const h = max === 0 ? 0 : (count / max) * height;
      return `<rect x="${index * barWidth + 2}" y="${height - h}" width="${barWidth - 4}" height="${h}" fill="#4e79a7"><title>&lt; ${formatNs(edges[index]!)}: ${count}</title></rect>`;
    })
    .join('');
  const axis = counts.map((_, index) => (index % 3 === 0 ? `<text x="${index * barWidth}" y="${height + 12}" font-size="10">${formatNs(edges[index]!)}</text>` : '')).join('');
  return `<h3>${escape(name)} (${deliveries} deliveries)</h3><svg xmlns="http://www.w3.org/2000/svg" width="${counts.length * barWidth}" height="${height + 16}">${bars}${axis}</svg>`;
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e7 ? 0 : 1)}ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(ns >= 1e4 ? 0 : 1)}us`;
  return `${Math.round(ns)}ns`;
}

/** The report from all the records of a run (what reportHtml() draws from ReportData, collected here at once). */
export function htmlReport(summary: Summary, records: readonly TraceRecord[], spanNs: number): string {
  const collector = new ReportCollector(
    summary.partitions.map((partition) => partition.name),
    spanNs,
    Number.POSITIVE_INFINITY,
  );
  for (const record of records) collector.write(record);
  return reportHtml(summary, collector.data(), spanNs);
}

/** The report from what a ReportCollector kept; the Gantt spans [0, spanNs]. */
export function reportHtml(summary: Summary, data: ReportData, spanNs: number): string {
  const latency = new Map(data.latency.map((entry) => [entry.partition, entry]));
  const rows = summary.partitions
    .map(
      (p) =>
        `<tr><td>${escape(p.name)}</td><td>${escape(p.app)}</td><td>${p.mode}</td><td>${p.windows}</td><td>${(p.cpuTimeNs / 1e6).toFixed(1)}</td><td>${p.hypercalls}</td><td>${p.virq.raised}</td><td>${p.virq.delivered}</td><td>${p.virq.coalesced}</td><td>${p.virq.lost}</td><td>${(p.virq.latencyNs.max / 1e3).toFixed(1)}</td><td>${p.hmEventCount}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>paravirt report: ${summary.kernel}/${summary.arch}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child,td:nth-child(2),td:nth-child(3){text-align:left}pre{background:#f6f6f6;padding:8px;max-height:300px;overflow:auto}</style>
</head><body>
<h1>paravirt run: ${summary.kernel}/${summary.arch}</h1>
<p>${(summary.virtualTimeNs / 1e9).toFixed(3)} s of virtual time, ${summary.schedule.windowsRun} windows, ${summary.events} events, seed ${summary.seed}.</p>
<h2>Windows and threads (first ${(spanNs / 1e6).toFixed(0)} ms)</h2>
${gantt(data.records, summary, spanNs)}
<h2>Virtual interrupt latency (raise to guest handler entry)</h2>
${summary.partitions.map((partition) => histogram(latency.get(partition.name)?.deliveries ?? 0, latency.get(partition.name)?.counts ?? [], partition.name)).join('\n')}
<h2>Summary</h2>
<table><tr><th>partition</th><th>app</th><th>mode</th><th>windows</th><th>cpu ms</th><th>hypercalls</th><th>vIRQ raised</th><th>delivered</th><th>coalesced</th><th>lost</th><th>max latency us</th><th>HM events</th></tr>${rows}</table>
<h2>Consoles</h2>
${summary.partitions.map((partition) => `<h3>${escape(partition.name)}</h3><pre>${escape(partition.console)}</pre>`).join('\n')}
</body></html>
`;
}
