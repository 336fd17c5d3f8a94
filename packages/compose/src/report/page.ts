/**
 * The report (`--report FILE`): one self-contained HTML file, nothing loaded from anywhere.
 * The collected ReportData is embedded as JSON in a <script type="application/json">; the
 * viewer (viewer.ts, the same component a browser playground uses) is embedded as the
 * source text of its functions and draws the interactive timeline of the whole run and a
 * latency histogram per vIRQ line. The HM event table, the CPU use of every window, the
 * summary table and the consoles are plain HTML.
 */
import type { TraceRecord } from '@paravirt/machine';
import type { Summary } from '../output/summary.js';
import { ReportCollector, type ReportSchedule } from './collector.js';
import type { ReportData } from './model.js';
import { decodeReport, mountReport } from './viewer.js';

const escape = (text: string): string => text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

/** Differences instead of times (decodeReport() undoes it): about half the JSON. */
function encodeReport(data: ReportData): ReportData {
  const differences = (column: readonly number[]): number[] => column.map((value, index) => (index === 0 ? value : value - column[index - 1]!));
  const lengths = (starts: readonly number[], ends: readonly number[]): number[] => ends.map((end, index) => end - starts[index]!);
  return {
    ...data,
    windows: { ...data.windows, start: differences(data.windows.start), end: lengths(data.windows.start, data.windows.end) },
    threadSlices: { ...data.threadSlices, start: differences(data.threadSlices.start), end: lengths(data.threadSlices.start, data.threadSlices.end) },
    virq: { ...data.virq, deliver: differences(data.virq.deliver) },
    marks: { ...data.marks, time: differences(data.marks.time) },
    hypercalls: { ...data.hypercalls, time: differences(data.hypercalls.time) },
  };
}

/** JSON that can sit in a <script> element: no `<` at all (so no `</script` or `<!--`). */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** JavaScript source that can sit in a <script> element. */
const scriptCode = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

const seconds = (ns: number): string => `${(ns / 1e9).toFixed(6)}`;
const ms = (ns: number): string => (ns / 1e6).toFixed(3);

const DETAIL_NAMES: Readonly<Record<string, string>> = { hypercalls: 'hypercalls', virq: 'vIRQ deliveries', threads: 'thread slices', marks: 'events', windows: 'windows' };

/** Where the timeline's detail ends, for the kinds the collector's budget cut. */
function truncationNote(data: ReportData): string {
  const cut = Object.entries(data.truncated).sort(([, a], [, b]) => (b ?? 0) - (a ?? 0));
  if (cut.length === 0) return '';
  return `<p class="truncated"><strong>Timeline detail truncated</strong>: the report keeps at most ${data.maxItems} timeline items, so ${cut
    .map(([kind, time]) => `${DETAIL_NAMES[kind] ?? kind} end at ${seconds(time ?? 0)} s`)
    .join(', ')} (shaded on the timeline). The histograms, tables and summary cover the whole run.</p>`;
}

function hmTable(summary: Summary): string {
  const events = summary.partitions
    .flatMap((partition) => partition.hmEvents.map((event) => ({ partition: partition.name, ...event })))
    .sort((a, b) => a.timeNs - b.timeNs);
  const total = summary.partitions.reduce((sum, partition) => sum + partition.hmEventCount, 0);
  if (total === 0) return '<p>No health monitor event.</p>';
  const note =
    total > events.length
      ? `<p>${total} events; the table lists the first and the last 500 of each partition (${events.length}). The timeline marks the others.</p>`
      : `<p>${total} event${total === 1 ? '' : 's'}. Click a row to show it on the timeline.</p>`;
  const rows = events
    .map(
      (event) =>
        `<tr class="hm" data-time="${event.timeNs}"><td>${seconds(event.timeNs)}</td><td>${escape(event.partition)}</td><td>${escape(event.error)}</td><td>${escape(event.level)}</td><td>${escape(event.action)}</td><td class="detail">${escape(event.detail)}</td></tr>`,
    )
    .join('\n');
  return `${note}<table id="hm-events"><thead><tr><th>time s</th><th>partition</th><th>event</th><th>level</th><th>action</th><th>detail</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function cpuTable(data: ReportData): string {
  const used = data.windowUse.filter((use) => use.runs > 0);
  if (used.length === 0) return '<p>No window of a schedule ran (bare metal, or the run ended first).</p>';
  const rows = used
    .map((use) => {
      const share = use.openNs > 0 ? use.busyNs / use.openNs : 0;
      return `<tr class="cpu"><td>${escape(use.schedule)}</td><td>${escape(data.partitions[use.partition] ?? '')}</td><td>${ms(use.offsetNs)} + ${ms(use.durationNs)}</td><td>${use.runs}</td><td>${ms(use.openNs / use.runs)}</td><td>${ms(use.busyNs / use.runs)}</td><td><span class="bar"><span style="width:${(share * 100).toFixed(1)}%"></span></span> ${(share * 100).toFixed(1)}%</td></tr>`;
    })
    .join('\n');
  return `<table id="cpu-use"><thead><tr><th>schedule</th><th>partition</th><th>window ms (offset + length)</th><th>runs</th><th>mean open ms</th><th>mean busy ms</th><th>busy / open</th></tr></thead><tbody>\n${rows}\n</tbody></table>
<p>Busy: the window's time but what the partition spent idle (from its IDLE hypercall to the next virtual interrupt delivered) or stopped; the summary's cpu ms counts the same. Averaged over every run of the window.</p>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child,td:nth-child(2),td:nth-child(3){text-align:left}
#hm-events td:nth-child(-n+6){text-align:left}#hm-events tbody tr{cursor:pointer}#hm-events tbody tr:hover{background:#eef}
#hm-events td:first-child{text-align:right}.detail{max-width:40em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.scroll{max-height:320px;overflow:auto;display:inline-block}
.bar{display:inline-block;width:80px;height:8px;background:#eee;vertical-align:middle}.bar span{display:block;height:100%;background:#4e79a7}
pre{background:#f6f6f6;padding:8px;max-height:300px;overflow:auto}
.pv-toolbar button{margin-right:4px;min-width:2em}.pv-help{color:#666;font-size:12px;margin:4px 0}
.truncated{background:#fff4d6;border:1px solid #e0c060;padding:4px 8px}
.pv-histogram{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}.pv-histogram figcaption{font-size:13px;max-width:460px}`;

/** The page, from the summary and what a ReportCollector collected. */
export function reportHtml(summary: Summary, data: ReportData): string {
  const rows = summary.partitions
    .map(
      (p) =>
        `<tr><td>${escape(p.name)}</td><td>${escape(p.app)}</td><td>${p.mode}</td><td>${p.windows}</td><td>${(p.cpuTimeNs / 1e6).toFixed(1)}</td><td>${p.hypercalls}</td><td>${p.virq.raised}</td><td>${p.virq.delivered}</td><td>${p.virq.coalesced}</td><td>${p.virq.lost}</td><td>${(p.virq.latencyNs.max / 1e3).toFixed(1)}</td><td>${p.hmEventCount}</td></tr>`,
    )
    .join('');
  const switches = summary.schedule.switches.length === 0 ? '' : `<p>Schedule switches: ${summary.schedule.switches.map((change) => `${escape(change.from)} to ${escape(change.to)} at ${seconds(change.timeNs)} s`).join('; ')}.</p>`;
  // __name: esbuild with keepNames (tsx, the dev CLI) wraps local functions in a call to this module-scope helper.
  const viewer = scriptCode(`"use strict";
(function () {
  var __name = function (target) { return target; };
  var decodeReport = ${decodeReport.toString()};
  var mountReport = ${mountReport.toString()};
  var timeline = document.getElementById('timeline');
  try {
    var data = decodeReport(JSON.parse(document.getElementById('paravirt-report-data').textContent));
    var report = mountReport(timeline, document.getElementById('histograms'), data);
    window.paravirtReport = report;
    document.querySelectorAll('#hm-events tr[data-time]').forEach(function (row) {
      row.addEventListener('click', function () {
        var time = Number(row.getAttribute('data-time'));
        report.zoomTo(time - 500000, time + 500000);
        timeline.scrollIntoView();
      });
    });
  } catch (error) {
    timeline.textContent = 'The timeline could not be drawn: ' + error;
    throw error;
  }
})();
`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>paravirt report: ${escape(summary.kernel)}/${escape(summary.arch)}</title>
<style>${STYLE}</style>
</head><body>
<h1>paravirt run: ${escape(summary.kernel)}/${escape(summary.arch)}</h1>
<p>${(summary.virtualTimeNs / 1e9).toFixed(3)} s of virtual time, ${summary.schedule.windowsRun} windows, ${summary.events} events, seed ${summary.seed}${summary.interrupted ? ', interrupted' : ''}.</p>
${switches}
<h2>Timeline of the whole run</h2>
<p>Partition windows, guest threads, vIRQ raise to delivery (a tick at the raise, a dot at the handler entry), hypercalls, HM events (diamonds) and schedule switches (dashed).</p>
${truncationNote(data)}
<div id="timeline"><noscript>The timeline needs JavaScript.</noscript></div>
<h2>Health monitor events</h2>
<div class="scroll">${hmTable(summary)}</div>
<h2>${summary.kernel === 'none' ? 'Interrupt latency (the controller latching the request to the ISR&#39;s entry), per line' : 'Virtual interrupt latency (raise to guest handler entry), per line'}</h2>
<div id="histograms"></div>
<h2>CPU use per window</h2>
${cpuTable(data)}
<h2>Summary</h2>
<table><tr><th>partition</th><th>app</th><th>mode</th><th>windows</th><th>cpu ms</th><th>hypercalls</th><th>vIRQ raised</th><th>delivered</th><th>coalesced</th><th>lost</th><th>max latency us</th><th>HM events</th></tr>${rows}</table>
<h2>Consoles</h2>
${summary.partitions.map((partition) => `<h3>${escape(partition.name)}</h3><pre>${escape(partition.console)}</pre>`).join('\n')}
<script type="application/json" id="paravirt-report-data">${scriptJson(encodeReport(data))}</script>
<script>${viewer}</script>
</body></html>
`;
}

/** The report from all the records of a run at once (what a ReportCollector would collect from them as the run goes). */
export function htmlReport(summary: Summary, records: readonly TraceRecord[], schedules: readonly ReportSchedule[] = []): string {
  const collector = new ReportCollector(
    summary.partitions.map((partition) => partition.name),
    schedules,
  );
  for (const record of records) collector.write(record);
  return reportHtml(summary, collector.data(summary.virtualTimeNs));
}
