/**
 * The report's data and page without a browser (report.browser.test.ts draws it in Chromium):
 *  - the collector keeps memory bounded: at most its item budget, the lowest-priority kinds
 *    (hypercalls first) losing their later detail first, windows and HM events kept longest;
 *  - the page says where truncated detail ends, embeds its data as JSON that cannot end its
 *    <script> element, and loads nothing from anywhere.
 */
import type { TraceRecord } from '@paravirt/machine';
import { describe, expect, it } from 'vitest';
import { type Summary, ReportCollector, REPORT_MAX_ITEMS, type ReportData, reportHtml, scriptJson, decodeReport } from '@paravirt/compose';

const record = (time: number, source: string, kind: string, payload: Record<string, unknown> = {}): TraceRecord => ({ time, source, kind, payload: payload as TraceRecord['payload'] });

const SCHEDULE = [{ name: 'main', majorFrame: 1_000_000, initial: true, windows: [{ partition: 'p1', start: 0, duration: 500_000 }, { partition: 'p2', start: 500_000, duration: 500_000 }] }];

/** `frames` major frames of 1 ms: p1 then p2, each making `calls` hypercalls per window and taking one timer vIRQ; an HM event every 100 frames. */
function* run(frames: number, calls: number): Generator<TraceRecord> {
  for (let frame = 0; frame < frames; frame++) {
    for (const [index, partition] of ['p1', 'p2'].entries()) {
      const start = frame * 1_000_000 + index * 500_000;
      yield record(start, 'kernel', 'window.start', { partition });
      yield record(start + 1_000, partition, 'thread.switch', { from: null, to: 'TA1 ' });
      yield record(start + 2_000, partition, 'virq.deliver', { line: 0, lineName: 'timer', latencyNs: 1_500 });
      for (let call = 0; call < calls; call++) yield record(start + 3_000 + call * 100, partition, 'hypercall', { number: 1, name: 'CONSOLE_WRITE', status: 'OK' });
      yield record(start + 200_000, partition, 'hypercall', { number: 0x30, name: 'IDLE', status: 'OK' });
      if (frame % 100 === 99 && index === 0) yield record(start + 300_000, 'kernel', 'hm', { partition, error: 'DEADLINE_MISSED', level: 'PARTITION', action: 'IGNORE', detail: 'late' });
      yield record(start + 500_000, 'kernel', 'window.end', { partition });
    }
  }
}

const kept = (data: ReportData): number => data.windows.start.length + data.threadSlices.start.length + data.virq.deliver.length + data.marks.time.length + data.hypercalls.time.length;

function summaryOf(data: ReportData, console = ''): Summary {
  const partition = (name: string) => ({
    name,
    app: 'app',
    libcpu: 'virtual',
    mode: 'NORMAL',
    restarts: 0,
    console,
    cpuTimeNs: 0,
    idleTimeNs: 0,
    windows: 0,
    hypercalls: 0,
    privilegedFaults: 0,
    emulatedOperations: 0,
    emulationCycles: 0,
    virq: { raised: 0, delivered: 0, coalesced: 0, pending: 0, discarded: 0, discardedBy: { stopped: 0, restarted: 0 }, lost: 0, latencyNs: { min: 0, mean: 0, p99: 0, max: 0 }, lines: [] },
    deadlineMisses: 0,
    hmEvents: [{ timeNs: 1_300_000, error: 'DEADLINE_MISSED', level: 'PARTITION', action: 'IGNORE', detail: console }],
    hmEventCount: 1,
  });
  return { schemaVersion: 1, kernel: 'pok', arch: 'i386', seed: 1, virtualTimeNs: data.endNs, events: 0, schedule: { windowsRun: 0, switches: [] }, partitions: data.partitions.map(partition), hardwareLines: [], interrupted: false, wallTimeMs: 0 };
}

describe('the report collector', () => {
  it('keeps everything of a short run, and what each window of the schedule used', () => {
    const collector = new ReportCollector(['p1', 'p2'], SCHEDULE);
    for (const item of run(10, 5)) collector.write(item);
    const data = collector.data(10_000_000);
    expect(data.truncated).toEqual({});
    expect(data.windows.start).toHaveLength(20);
    expect(data.hypercalls.time).toHaveLength(20 * 6);
    expect(data.threads).toEqual([{ partition: 0, name: 'TA1 ' }, { partition: 1, name: 'TA1 ' }]);
    expect(data.lines.map((line) => [line.partition, line.line, line.deliveries, line.maxNs])).toEqual([
      [0, 'timer', 10, 1_500],
      [1, 'timer', 10, 1_500],
    ]);
    // Busy from the window's start to its IDLE hypercall, 200 us of 500; from the second
    // window on, the partition still waits when its window opens, until its timer vIRQ 2 us in.
    expect(data.windowUse.map((use) => [data.partitions[use.partition], use.runs, use.openNs / use.runs, use.busyNs / use.runs])).toEqual([
      ['p1', 10, 500_000, 200_000 - (9 * 2_000) / 10],
      ['p2', 10, 500_000, 200_000 - (9 * 2_000) / 10],
    ]);
  });

  it('stays within its item budget, hypercalls losing their later detail first; windows and HM events stay whole', () => {
    const collector = new ReportCollector(['p1', 'p2'], SCHEDULE, 5_000);
    for (const item of run(1_000, 20)) collector.write(item);
    const data = collector.data(1_000_000_000);
    expect(kept(data)).toBeLessThanOrEqual(5_000);
    expect(data.windows.start).toHaveLength(2_000);
    expect(data.marks.time).toHaveLength(10);
    expect(data.truncated.hypercalls).toBeGreaterThan(0);
    expect(data.truncated.windows).toBeUndefined();
    expect(data.truncated.marks).toBeUndefined();
    expect(Math.max(...data.hypercalls.time)).toBeLessThan(data.truncated.hypercalls!);
    // The aggregates cover the whole run whatever was cut.
    expect(data.lines.map((line) => line.deliveries)).toEqual([1_000, 1_000]);
    expect(data.windowUse.map((use) => use.runs)).toEqual([1_000, 1_000]);
  });

  it('keeps at most REPORT_MAX_ITEMS by default, however long the run', () => {
    const collector = new ReportCollector(['p1', 'p2'], SCHEDULE);
    for (const item of run(10_000, 40)) collector.write(item);
    const data = collector.data(10_000_000_000);
    expect(kept(data)).toBeLessThanOrEqual(REPORT_MAX_ITEMS);
    expect(kept(data)).toBeGreaterThan(REPORT_MAX_ITEMS / 2);
    expect(data.windows.start).toHaveLength(20_000);
    expect(data.truncated.hypercalls).toBeLessThan(10_000_000_000);
  });
});

describe('the report page', () => {
  it('says where truncated detail ends', () => {
    const collector = new ReportCollector(['p1', 'p2'], SCHEDULE, 5_000);
    for (const item of run(1_000, 20)) collector.write(item);
    const data = collector.data(1_000_000_000);
    const page = reportHtml(summaryOf(data), data);
    expect(page).toContain('<strong>Timeline detail truncated</strong>: the report keeps at most 5000 timeline items, so ');
    expect(page).toContain(`hypercalls end at ${(data.truncated.hypercalls! / 1e9).toFixed(6)} s`);
    expect(page).not.toContain('windows end at');
    const whole = new ReportCollector(['p1', 'p2'], SCHEDULE);
    for (const item of run(10, 1)) whole.write(item);
    expect(reportHtml(summaryOf(whole.data(10_000_000)), whole.data(10_000_000))).not.toContain('Timeline detail truncated');
  });

  it('embeds its data as JSON no text can end the script element with; decoding gives the data back', () => {
    const collector = new ReportCollector(['p1', 'p2'], SCHEDULE);
    for (const item of run(3, 2)) collector.write(item);
    collector.write(record(3_000_000, 'p1', 'thread.switch', { from: null, to: '</script><script>alert(1)</script>' }));
    collector.write(record(3_100_000, 'kernel', 'hm', { partition: 'p1', error: '<!--', level: 'x', action: '</SCRIPT >', detail: '' }));
    const data = collector.data(4_000_000);
    const page = reportHtml(summaryOf(data, '</script><b>console</b>'), data);
    expect(page.match(/<script\b/gi)).toHaveLength(2);
    expect(page.match(/<\/script/gi)).toHaveLength(2);
    expect(page).not.toContain('<!--');
    const json = /<script type="application\/json" id="paravirt-report-data">(.*?)<\/script>/s.exec(page)![1]!;
    const decoded = decodeReport(JSON.parse(json) as ReportData);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(JSON.parse(JSON.stringify(data)));
    expect(decoded.threads.map((thread) => thread.name)).toContain('</script><script>alert(1)</script>');
    expect(JSON.parse(scriptJson({ text: '</script>' }))).toEqual({ text: '</script>' });
  });

  it('loads nothing: no URL, no external script, stylesheet or frame', () => {
    const collector = new ReportCollector(['p1', 'p2'], SCHEDULE);
    for (const item of run(20, 3)) collector.write(item);
    const data = collector.data(20_000_000);
    const page = reportHtml(summaryOf(data), data);
    expect(page).not.toMatch(/\b(?:https?|wss?|ftp):/i);
    expect(page).not.toMatch(/\s(?:src|href|srcset|action|formaction)\s*=\s*["']/i);
    expect(page).not.toMatch(/<link\b|<iframe\b|<img\b|@import|url\(|fetch\(|XMLHttpRequest|import\(/i);
  });
});
