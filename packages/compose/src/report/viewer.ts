/// <reference lib="dom" />
/**
 * The report's browser side: the interactive timeline of a whole run and the vIRQ latency
 * histograms, drawn from ReportData. One component for the HTML report (page.ts embeds
 * these functions' source in the page) and a browser playground (which imports them).
 *
 * Every function exported here is self-contained: it uses nothing from its module but
 * types, because page.ts puts its source text (Function.prototype.toString) in the page.
 * No module-scope constant, helper or import may be referenced inside.
 *
 * The timeline draws on a canvas only what lies in the visible range: per row, a binary
 * search by time finds the first visible item, and items that fall on a pixel already
 * drawn are skipped by another search, so a row of 100k items costs one search per pixel.
 */
import type { ReportData } from './model.js';

/** What a mounted report offers (the page puts it on `window.paravirtReport` for tests). */
export interface ReportViewer {
  /** The visible time range, ns. */
  visibleRange(): { start: number; end: number };
  /** The whole run, ns (what "fit" shows). */
  runRange(): { start: number; end: number };
  /** Items drawn by the last paint, by kind (windows, threads, virq, hm, switches, marks, hypercalls). */
  drawnCounts(): Record<string, number>;
  /** Shows [start, end] ns (clamped to the run, at least a microsecond wide) and paints at once. */
  zoomTo(start: number, end: number): void;
  /** Time of the first kept item of a kind (windows, threads, virq, marks, hypercalls) at or after `after` ns; -1 if none. */
  find(kind: string, after: number): number;
}

/**
 * Undoes page.ts's encodeReport(): time columns are stored as differences from the
 * previous item and slice ends as lengths, which makes the embedded JSON about half as long.
 */
export function decodeReport(encoded: ReportData): ReportData {
  const sums = (column: readonly number[]): number[] => {
    const out = new Array<number>(column.length);
    let total = 0;
    for (let index = 0; index < column.length; index++) out[index] = total += column[index]!;
    return out;
  };
  const plus = (starts: readonly number[], lengths: readonly number[]): number[] => starts.map((start, index) => start + lengths[index]!);
  const windowStart = sums(encoded.windows.start);
  const threadStart = sums(encoded.threadSlices.start);
  return {
    ...encoded,
    windows: { ...encoded.windows, start: windowStart, end: plus(windowStart, encoded.windows.end) },
    threadSlices: { ...encoded.threadSlices, start: threadStart, end: plus(threadStart, encoded.threadSlices.end) },
    virq: { ...encoded.virq, deliver: sums(encoded.virq.deliver) },
    marks: { ...encoded.marks, time: sums(encoded.marks.time) },
    hypercalls: { ...encoded.hypercalls, time: sums(encoded.hypercalls.time) },
  };
}

/**
 * Mounts the timeline in `timeline` and, if given, the latency histograms (one per vIRQ
 * line of each partition) in `histograms`.
 */
export function mountReport(timeline: HTMLElement, histograms: HTMLElement | null, data: ReportData): ReportViewer {
  const doc = timeline.ownerDocument;
  const view = doc.defaultView!;
  const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const MARK_COLORS: Record<string, string> = {
    hm: '#d62728',
    'schedule.switch': '#6a3d9a',
    'schedule.request': '#9467bd',
    'partition.mode': '#555555',
    'module.reset': '#000000',
    'deadline.miss': '#ff7f0e',
    shutdown: '#7f7f7f',
    fatal: '#8c0000',
  };
  const MARK_KINDS = ['hm', 'schedule.switch', 'schedule.request', 'partition.mode', 'module.reset', 'deadline.miss', 'shutdown', 'fatal'];
  const LABEL_WIDTH = 190;
  const ROW = 16;
  const AXIS = 26;
  const MIN_SPAN = 1000;
  const endNs = Math.max(1, data.endNs);

  // ------------------------------------------------------------------ formatting
  const units: Array<[number, string]> = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'us'],
    [1, 'ns'],
  ];
  const unitFor = (ns: number): [number, string] => units.find(([size]) => Math.abs(ns) >= size) ?? [1, 'ns'];
  /** A duration, 4 significant digits at most: 12.35 ms. */
  const duration = (ns: number): string => {
    const [size, name] = unitFor(ns);
    const value = ns / size;
    return `${Number(value.toPrecision(4))} ${name}`;
  };
  /** An instant, in seconds, to the precision `precision` ns needs. */
  const instant = (ns: number, precision: number): string => {
    const decimals = Math.max(0, Math.min(9, Math.ceil(Math.log10(1e9 / Math.max(1, precision)))));
    return `${(ns / 1e9).toFixed(decimals)} s`;
  };
  const escape = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

  // ------------------------------------------------------------------ rows
  interface Row {
    readonly label: string;
    readonly kind: 'windows' | 'threads' | 'virq' | 'marks' | 'hypercalls';
    readonly color: string;
    /** Slices: start, end; virq: deliver, latency; marks and hypercalls: time and a label (index into data.strings) / mark kind. */
    readonly a: Float64Array;
    readonly b: Float64Array;
    readonly c: Int32Array;
    /** virq: the longest latency (how far before the visible range a raise may lie). */
    readonly reach: number;
    readonly idle?: boolean;
    readonly title: string;
  }
  /** The indices 0..count-1 grouped by key (0..groups-1; others left out), in order. */
  const group = (count: number, groups: number, keyOf: (index: number) => number): number[][] => {
    const out = Array.from({ length: groups }, (): number[] => []);
    for (let index = 0; index < count; index++) out[keyOf(index)]?.push(index);
    return out;
  };
  const byPartition = (column: readonly number[]): number[][] => group(column.length, data.partitions.length, (index) => column[index]!);
  const windowsOf = byPartition(data.windows.partition);
  const callsOf = byPartition(data.hypercalls.partition);
  // Marks of the module (partition -1) go in groups 0 and 1, partition k's in 2k + 2 and 2k + 3: HM events (kind 0) in the first, the others in the second.
  const marksOf = group(data.marks.time.length, 2 * data.partitions.length + 2, (index) => 2 * (data.marks.partition[index]! + 1) + (data.marks.kind[index] === 0 ? 0 : 1));
  const slicesOf = group(data.threadSlices.thread.length, data.threads.length, (index) => data.threadSlices.thread[index]!);
  const deliveriesOf = group(data.virq.line.length, data.lines.length, (index) => data.virq.line[index]!);
  const rows: Row[] = [];
  const addRow = (row: Omit<Row, 'reach'> & { reach?: number }): void => {
    rows.push({ reach: 0, ...row });
  };
  const colorOf = (partition: number): string => (partition < 0 ? '#444444' : COLORS[partition % COLORS.length]!);
  const markRow = (partition: number, hm: boolean, label: string): void => {
    const picked = marksOf[2 * (partition + 1) + (hm ? 0 : 1)]!;
    if (picked.length === 0 && (partition >= 0 || hm)) return;
    addRow({
      label,
      title: hm ? 'health monitor events' : partition < 0 ? 'module events: schedule switches, module resets' : 'mode changes, deadline misses, shutdown, fatal errors',
      kind: 'marks',
      color: colorOf(partition),
      a: Float64Array.from(picked, (index) => data.marks.time[index]!),
      b: Float64Array.from(picked, (index) => data.marks.kind[index]!),
      c: Int32Array.from(picked, (index) => data.marks.label[index]!),
    });
  };
  markRow(-1, true, 'module: HM events');
  markRow(-1, false, 'module');
  data.partitions.forEach((name, partition) => {
    const windows = windowsOf[partition]!;
    addRow({
      label: `${name}: windows`,
      title: `windows of ${name}`,
      kind: 'windows',
      color: colorOf(partition),
      a: Float64Array.from(windows, (index) => data.windows.start[index]!),
      b: Float64Array.from(windows, (index) => data.windows.end[index]!),
      c: new Int32Array(windows.length).fill(partition),
    });
    markRow(partition, true, `${name}: HM events`);
    markRow(partition, false, `${name}: events`);
    data.threads.forEach((thread, threadIndex) => {
      if (thread.partition !== partition) return;
      const slices = slicesOf[threadIndex]!;
      addRow({
        label: `  ${name} / ${thread.name}`,
        title: `thread ${thread.name} of ${name}`,
        kind: 'threads',
        color: colorOf(partition),
        idle: thread.name.trim() === 'IDLE',
        a: Float64Array.from(slices, (index) => data.threadSlices.start[index]!),
        b: Float64Array.from(slices, (index) => data.threadSlices.end[index]!),
        c: new Int32Array(slices.length).fill(threadIndex),
      });
    });
    data.lines.forEach((line, lineIndex) => {
      if (line.partition !== partition) return;
      const deliveries = deliveriesOf[lineIndex]!;
      addRow({
        label: `  ${name} vIRQ ${line.line}`,
        title: `vIRQ line ${line.line} of ${name}: raise to delivery`,
        kind: 'virq',
        color: colorOf(partition),
        a: Float64Array.from(deliveries, (index) => data.virq.deliver[index]!),
        b: Float64Array.from(deliveries, (index) => data.virq.latency[index]!),
        c: new Int32Array(deliveries.length).fill(lineIndex),
        reach: line.maxNs,
      });
    });
    const calls = callsOf[partition]!;
    if (calls.length > 0)
      addRow({
        label: `  ${name}: hypercalls`,
        title: `hypercalls of ${name}`,
        kind: 'hypercalls',
        color: colorOf(partition),
        a: Float64Array.from(calls, (index) => data.hypercalls.time[index]!),
        b: new Float64Array(calls.length),
        c: Int32Array.from(calls, (index) => data.hypercalls.name[index]!),
      });
  });

  /** First index whose value is >= `value` in a sorted column. */
  const lowerBound = (column: Float64Array, value: number): number => {
    let low = 0;
    let high = column.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (column[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  // ------------------------------------------------------------------ DOM
  timeline.classList.add('pv-timeline');
  const toolbar = doc.createElement('div');
  toolbar.className = 'pv-toolbar';
  const button = (text: string, title: string, action: () => void): HTMLButtonElement => {
    const element = doc.createElement('button');
    element.type = 'button';
    element.textContent = text;
    element.title = title;
    element.dataset['action'] = title;
    element.addEventListener('click', action);
    toolbar.append(element);
    return element;
  };
  const rangeText = doc.createElement('span');
  rangeText.className = 'pv-range';
  const frame = doc.createElement('div');
  frame.className = 'pv-frame';
  frame.tabIndex = 0;
  frame.style.cssText = 'position:relative;outline:none;border:1px solid #ccc;cursor:grab;user-select:none;touch-action:none';
  const canvas = doc.createElement('canvas');
  canvas.style.display = 'block';
  frame.append(canvas);
  const info = doc.createElement('div');
  info.className = 'pv-info';
  info.style.cssText = 'font:12px monospace;min-height:1.4em;white-space:pre';
  timeline.append(toolbar, frame, info);

  // ------------------------------------------------------------------ view and paint
  let start = 0;
  let end = endNs;
  let counts: Record<string, number> = {};
  let pending = false;
  const width = (): number => Math.max(200, frame.clientWidth || timeline.clientWidth || 800);
  const plot = (): number => width() - LABEL_WIDTH;
  const toX = (ns: number): number => LABEL_WIDTH + ((ns - start) / (end - start)) * plot();
  const toTime = (x: number): number => start + ((x - LABEL_WIDTH) / plot()) * (end - start);

  const paint = (): void => {
    pending = false;
    const cssWidth = width();
    const cssHeight = AXIS + rows.length * ROW + 4;
    const ratio = view.devicePixelRatio || 1;
    if (canvas.width !== Math.round(cssWidth * ratio) || canvas.height !== Math.round(cssHeight * ratio)) {
      canvas.width = Math.round(cssWidth * ratio);
      canvas.height = Math.round(cssHeight * ratio);
      canvas.style.width = `${cssWidth}px`;
      canvas.style.height = `${cssHeight}px`;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    counts = { windows: 0, threads: 0, virq: 0, hm: 0, switches: 0, marks: 0, hypercalls: 0 };
    const span = end - start;
    const pixel = span / plot();
    const left = LABEL_WIDTH;
    const right = cssWidth;

    // Axis: steps of 1, 2 or 5 times a power of ten, about 110 px apart.
    const raw = (span / plot()) * 110;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? 10 * power;
    const [labelUnit, labelName] = unitFor(Math.max(Math.abs(end), step));
    const decimals = Math.max(0, Math.ceil(Math.log10(labelUnit / step) - 1e-9));
    const relative = decimals > 3;
    const base = Math.floor(start / step) * step;
    const [stepUnit, stepName] = unitFor(step);
    ctx.fillStyle = '#f4f4f4';
    ctx.fillRect(0, 0, cssWidth, AXIS);
    ctx.fillStyle = '#222';
    if (relative) ctx.fillText(`from ${instant(base, step)}`, 4, AXIS / 2);
    else ctx.fillText('time', 4, AXIS / 2);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, right - left, cssHeight);
    ctx.clip();
    for (let tick = base; tick <= end; tick += step) {
      const x = Math.round(toX(tick)) + 0.5;
      if (x < left) continue;
      ctx.strokeStyle = '#e2e2e2';
      ctx.beginPath();
      ctx.moveTo(x, AXIS - 6);
      ctx.lineTo(x, cssHeight);
      ctx.stroke();
      ctx.fillStyle = '#222';
      const text = relative ? `+${Number(((tick - base) / stepUnit).toFixed(0))} ${stepName}` : `${(tick / labelUnit).toFixed(decimals)} ${labelName}`;
      ctx.fillText(text, x + 3, AXIS / 2);
    }
    ctx.restore();

    // Rows.
    rows.forEach((row, index) => {
      const top = AXIS + index * ROW;
      ctx.fillStyle = index % 2 === 0 ? '#ffffff' : '#fafafa';
      ctx.fillRect(0, top, cssWidth, ROW);
      ctx.fillStyle = '#222';
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, top, left - 4, ROW);
      ctx.clip();
      ctx.fillText(row.label, 4, top + ROW / 2);
      ctx.restore();
    });
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, AXIS, right - left, cssHeight - AXIS);
    ctx.clip();
    rows.forEach((row, index) => {
      const top = AXIS + index * ROW;
      const a = row.a;
      const b = row.b;
      if (row.kind === 'windows' || row.kind === 'threads') {
        ctx.fillStyle = row.idle ? '#c8c8c8' : row.color;
        ctx.globalAlpha = row.kind === 'threads' ? 0.75 : 1;
        // Slices of a row do not overlap: ends are sorted as starts are.
        let at = lowerBound(b, start);
        while (at < a.length && a[at]! <= end) {
          const x0 = Math.max(left - 1, toX(a[at]!));
          const x1 = Math.min(right + 1, toX(b[at]!));
          ctx.fillRect(x0, top + 2, Math.max(1, x1 - x0), ROW - 4);
          counts[row.kind]!++;
          if (x1 - x0 > 50 && row.kind === 'threads') {
            const name = data.threads[row.c[at]!]?.name ?? '';
            ctx.save();
            ctx.fillStyle = '#fff';
            ctx.globalAlpha = 1;
            ctx.fillText(name, Math.max(x0, left) + 3, top + ROW / 2);
            ctx.restore();
          }
          const next = start + (Math.floor(x1 - left) + 1) * pixel;
          at = at + 1 < a.length && b[at + 1]! < next ? lowerBound(b, next) : at + 1;
        }
        ctx.globalAlpha = 1;
      } else if (row.kind === 'virq') {
        ctx.strokeStyle = row.color;
        ctx.fillStyle = row.color;
        let at = lowerBound(a, start);
        const mid = top + ROW / 2;
        while (at < a.length && a[at]! - row.reach <= end) {
          const deliver = a[at]!;
          const raise = deliver - b[at]!;
          if (raise <= end) {
            const x0 = toX(raise);
            const x1 = toX(deliver);
            ctx.fillRect(Math.round(x0), top + 3, 1, ROW - 6);
            ctx.beginPath();
            ctx.moveTo(x0, mid);
            ctx.lineTo(Math.max(x1, x0 + 1), mid);
            ctx.stroke();
            ctx.beginPath();
            ctx.arc(x1, mid, 2.5, 0, 2 * Math.PI);
            ctx.fill();
            counts['virq']!++;
          }
          const next = start + (Math.floor(toX(deliver) - left) + 1) * pixel;
          at = at + 1 < a.length && a[at + 1]! < next ? lowerBound(a, next) : at + 1;
        }
      } else if (row.kind === 'hypercalls') {
        ctx.fillStyle = row.color;
        let at = lowerBound(a, start);
        while (at < a.length && a[at]! <= end) {
          const x = toX(a[at]!);
          ctx.fillRect(Math.round(x), top + 2, 1, ROW - 4);
          counts['hypercalls']!++;
          if (pixel < 20) {
            ctx.fillStyle = '#222';
            ctx.fillText(data.strings[row.c[at]!] ?? '', Math.round(x) + 3, top + ROW / 2);
            ctx.fillStyle = row.color;
          }
          const next = start + (Math.floor(x - left) + 1) * pixel;
          at = at + 1 < a.length && a[at + 1]! < next ? lowerBound(a, next) : at + 1;
        }
      } else {
        let at = lowerBound(a, start);
        while (at < a.length && a[at]! <= end) {
          const x = toX(a[at]!);
          const kind = MARK_KINDS[b[at]!] ?? 'hm';
          ctx.fillStyle = MARK_COLORS[kind] ?? '#000';
          if (kind === 'schedule.switch') {
            ctx.save();
            ctx.strokeStyle = MARK_COLORS[kind]!;
            ctx.setLineDash([4, 3]);
            ctx.beginPath();
            ctx.moveTo(Math.round(x) + 0.5, AXIS);
            ctx.lineTo(Math.round(x) + 0.5, cssHeight);
            ctx.stroke();
            ctx.restore();
            ctx.fillText(data.strings[row.c[at]!] ?? '', x + 6, top + ROW / 2);
          }
          ctx.beginPath();
          if (kind === 'hm' || kind === 'fatal') {
            ctx.moveTo(x, top + 2);
            ctx.lineTo(x + 5, top + ROW / 2);
            ctx.lineTo(x, top + ROW - 2);
            ctx.lineTo(x - 5, top + ROW / 2);
          } else {
            ctx.moveTo(x - 5, top + 2);
            ctx.lineTo(x + 5, top + 2);
            ctx.lineTo(x, top + ROW - 2);
          }
          ctx.closePath();
          ctx.fill();
          if (kind === 'hm') counts['hm']!++;
          else if (kind === 'schedule.switch') counts['switches']!++;
          else counts['marks']!++;
          const next = start + (Math.floor(x - left) + 1) * pixel;
          at = at + 1 < a.length && a[at + 1]! < next ? lowerBound(a, next) : at + 1;
        }
      }
      // Past the end of a truncated kind's detail: hatched.
      const kept = data.truncated[row.kind];
      if (kept !== undefined && kept < end) {
        const x0 = Math.max(left, toX(kept));
        ctx.fillStyle = 'rgba(120,120,120,0.18)';
        ctx.fillRect(x0, top, right - x0, ROW);
      }
    });
    ctx.restore();
    ctx.strokeStyle = '#bbb';
    ctx.beginPath();
    ctx.moveTo(left - 0.5, 0);
    ctx.lineTo(left - 0.5, cssHeight);
    ctx.stroke();
    rangeText.textContent = ` ${instant(start, pixel)} to ${instant(end, pixel)} (${duration(span)} shown of ${duration(endNs)})`;
  };
  const schedulePaint = (): void => {
    if (pending) return;
    pending = true;
    view.requestAnimationFrame(paint);
  };
  const show = (from: number, to: number, now = false): void => {
    let span = Math.min(endNs, Math.max(MIN_SPAN, to - from));
    if (!(span > 0)) span = endNs;
    let first = Number.isFinite(from) ? from : 0;
    if (to - from < MIN_SPAN) first = (from + to) / 2 - span / 2;
    first = Math.min(Math.max(0, first), endNs - span);
    start = Math.max(0, first);
    end = start + span;
    if (now) paint();
    else schedulePaint();
  };
  const zoom = (factor: number, at = (start + end) / 2): void => {
    show(at - (at - start) * factor, at + (end - at) * factor);
  };
  const pan = (fraction: number): void => {
    const shift = (end - start) * fraction;
    show(start + shift, end + shift);
  };

  button('Fit whole run', 'fit', () => show(0, endNs));
  button('+', 'zoom in', () => zoom(0.5));
  button('\u2212', 'zoom out', () => zoom(2));
  button('\u2190', 'pan left', () => pan(-0.25));
  button('\u2192', 'pan right', () => pan(0.25));
  toolbar.append(rangeText);
  const help = doc.createElement('div');
  help.className = 'pv-help';
  help.textContent = 'Wheel or +/- to zoom, drag or arrow keys to pan, 0 to fit the whole run; hover for detail, double-click to zoom in.';
  toolbar.after(help);

  // ------------------------------------------------------------------ interaction
  const local = (event: MouseEvent): { x: number; y: number } => {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };
  frame.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const scale = event.deltaMode === 1 ? 30 : event.deltaMode === 2 ? 300 : 1;
      const { x } = local(event);
      if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) pan(((event.deltaX || event.deltaY) * scale) / plot());
      else zoom(Math.exp(event.deltaY * scale * 0.002), x > LABEL_WIDTH ? toTime(x) : (start + end) / 2);
    },
    { passive: false },
  );
  let drag: { x: number; start: number; end: number } | undefined;
  frame.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, start, end };
    frame.setPointerCapture(event.pointerId);
    frame.style.cursor = 'grabbing';
    frame.focus();
  });
  frame.addEventListener('pointerup', (event) => {
    drag = undefined;
    frame.releasePointerCapture(event.pointerId);
    frame.style.cursor = 'grab';
  });
  frame.addEventListener('pointermove', (event) => {
    if (drag) {
      const shift = ((drag.x - event.clientX) / plot()) * (drag.end - drag.start);
      show(drag.start + shift, drag.end + shift);
      return;
    }
    const { x, y } = local(event);
    info.textContent = describe(x, y);
  });
  frame.addEventListener('dblclick', (event) => {
    const { x } = local(event);
    if (x > LABEL_WIDTH) zoom(0.25, toTime(x));
  });
  frame.addEventListener('keydown', (event) => {
    const actions: Record<string, () => void> = {
      '+': () => zoom(0.5),
      '=': () => zoom(0.5),
      '-': () => zoom(2),
      _: () => zoom(2),
      ArrowLeft: () => pan(-0.25),
      ArrowRight: () => pan(0.25),
      '0': () => show(0, endNs),
      Home: () => show(0, endNs),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  view.addEventListener('resize', schedulePaint);

  /** What is under the pointer, as a line of text. */
  const describe = (x: number, y: number): string => {
    const row = rows[Math.floor((y - AXIS) / ROW)];
    if (!row || x < LABEL_WIDTH) return row ? row.title : '';
    const time = toTime(x);
    const slack = ((end - start) / plot()) * 4;
    const a = row.a;
    const b = row.b;
    if (row.kind === 'windows' || row.kind === 'threads') {
      const at = lowerBound(b, time - slack);
      if (at < a.length && a[at]! <= time + slack) return `${row.title}: ${instant(a[at]!, 1)} to ${instant(b[at]!, 1)} (${duration(b[at]! - a[at]!)})`;
    } else if (row.kind === 'virq') {
      const at = lowerBound(a, time - slack);
      if (at < a.length && a[at]! <= time + slack) return `${row.title}: raised ${instant(a[at]! - b[at]!, 1)}, delivered ${instant(a[at]!, 1)} (latency ${duration(b[at]!)})`;
    } else {
      const at = lowerBound(a, time - slack);
      if (at < a.length && a[at]! <= time + slack) {
        const what = row.kind === 'hypercalls' ? `hypercall ${data.strings[row.c[at]!] ?? ''}` : (data.strings[row.c[at]!] ?? '');
        return `${instant(a[at]!, 1)}  ${what}`;
      }
    }
    return `${row.title}  (${instant(time, (end - start) / plot())})`;
  };

  // ------------------------------------------------------------------ histograms
  if (histograms) {
    const { minNs, perDecade } = data.histogram;
    const edge = (bucket: number): number => minNs * 10 ** (bucket / perDecade);
    const percentile = (counts: readonly number[], total: number, q: number): number => {
      const rank = q * total;
      let seen = 0;
      for (let bucket = 0; bucket < counts.length; bucket++) {
        const count = counts[bucket]!;
        if (count > 0 && seen + count >= rank) return edge(bucket + (rank - seen) / count);
        seen += count;
      }
      return edge(counts.length);
    };
    const parts: string[] = [];
    data.partitions.forEach((name, partition) => {
      const lines = data.lines.filter((line) => line.partition === partition);
      if (lines.length === 0) parts.push(`<p class="pv-none">${escape(name)}: no virtual interrupt delivered.</p>`);
      for (const line of lines) {
        const counts = line.counts;
        let first = counts.findIndex((count) => count > 0);
        let last = counts.length - 1 - [...counts].reverse().findIndex((count) => count > 0);
        if (first < 0) continue;
        // At least a decade wide, and on decade edges so the x axis reads 10 ns, 100 ns, 1 us...
        first = Math.floor(first / perDecade) * perDecade;
        last = Math.max(first + perDecade, Math.ceil((last + 1) / perDecade) * perDecade) - 1;
        const shown = counts.slice(first, last + 1);
        const top = Math.max(...shown);
        const yPower = 10 ** Math.floor(Math.log10(top));
        const yStep = [1, 2, 5, 10].map((factor) => factor * yPower).find((candidate) => top / candidate <= 5) ?? yPower * 10;
        const yMax = Math.ceil(top / yStep) * yStep;
        const W = 460;
        const H = 170;
        const L = 56;
        const B = 36;
        const plotW = W - L - 26;
        const plotH = H - B - 10;
        const bar = plotW / shown.length;
        const xOf = (ns: number): number => L + ((Math.log10(ns / minNs) * perDecade - first) / shown.length) * plotW;
        const yOf = (count: number): number => 10 + plotH - (count / yMax) * plotH;
        const svg: string[] = [];
        shown.forEach((count, index) => {
          if (count === 0) return;
          svg.push(
            `<rect class="pv-bar" x="${(L + index * bar + 0.5).toFixed(1)}" y="${yOf(count).toFixed(1)}" width="${Math.max(1, bar - 1).toFixed(1)}" height="${(yOf(0) - yOf(count)).toFixed(1)}" fill="${colorOf(partition)}"><title>${escape(duration(edge(first + index)))} to ${escape(duration(edge(first + index + 1)))}: ${count}</title></rect>`,
          );
        });
        for (let value = 0; value <= yMax; value += yStep) {
          const y = yOf(value).toFixed(1);
          svg.push(`<line x1="${L - 4}" y1="${y}" x2="${L + plotW}" y2="${y}" stroke="#e5e5e5"/><text x="${L - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${value}</text>`);
        }
        for (let bucket = first; bucket <= last + 1; bucket += perDecade) {
          const x = xOf(edge(bucket)).toFixed(1);
          svg.push(`<line x1="${x}" y1="${10 + plotH}" x2="${x}" y2="${14 + plotH}" stroke="#333"/><text x="${x}" y="${26 + plotH}" text-anchor="middle">${escape(duration(edge(bucket)))}</text>`);
        }
        // Interpolated in a bucket, never past the exact maximum.
        const p50 = Math.min(line.maxNs, percentile(counts, line.deliveries, 0.5));
        const p90 = Math.min(line.maxNs, percentile(counts, line.deliveries, 0.9));
        const p99 = Math.min(line.maxNs, percentile(counts, line.deliveries, 0.99));
        for (const [label, value, color] of [
          ['p50', p50, '#2ca02c'],
          ['p90', p90, '#ff7f0e'],
          ['p99', p99, '#d62728'],
          ['max', line.maxNs, '#000'],
        ] as const) {
          const x = Math.min(L + plotW, Math.max(L, xOf(Math.max(minNs, value)))).toFixed(1);
          svg.push(`<line x1="${x}" y1="10" x2="${x}" y2="${10 + plotH}" stroke="${color}" stroke-dasharray="3 2"><title>${label} ${escape(duration(value))}</title></line>`);
        }
        svg.push(
          `<line x1="${L}" y1="${10 + plotH}" x2="${L + plotW}" y2="${10 + plotH}" stroke="#333"/><line x1="${L}" y1="10" x2="${L}" y2="${10 + plotH}" stroke="#333"/>`,
          `<text x="${L + plotW / 2}" y="${H - 2}" text-anchor="middle">latency, raise to handler entry (log scale)</text>`,
          `<text transform="translate(12 ${10 + plotH / 2}) rotate(-90)" text-anchor="middle">deliveries</text>`,
        );
        const mean = line.sumNs / line.deliveries;
        parts.push(
          `<figure class="pv-histogram" data-partition="${escape(name)}" data-line="${escape(line.line)}"><figcaption><strong>${escape(name)} / ${escape(line.line)}</strong>: ${line.deliveries} deliveries; p50 ${escape(duration(p50))}, p90 ${escape(duration(p90))}, p99 ${escape(duration(p99))}, max ${escape(duration(line.maxNs))}, mean ${escape(duration(mean))}</figcaption><svg width="${W}" height="${H}" font-size="10" font-family="system-ui, sans-serif">${svg.join('')}</svg></figure>`,
        );
      }
    });
    histograms.innerHTML = `${parts.join('\n')}<p class="pv-help">Percentiles are read from the histogram's buckets (${perDecade} per decade, so within ${Math.round((10 ** (1 / perDecade) - 1) * 100)}%); max and mean are exact.</p>`;
  }

  show(0, endNs, true);
  return {
    visibleRange: () => ({ start, end }),
    runRange: () => ({ start: 0, end: endNs }),
    drawnCounts: () => ({ ...counts }),
    zoomTo: (from, to) => show(from, to, true),
    find: (kind, after) => {
      const column =
        kind === 'windows' ? data.windows.start : kind === 'threads' ? data.threadSlices.start : kind === 'virq' ? data.virq.deliver : kind === 'marks' ? data.marks.time : kind === 'hypercalls' ? data.hypercalls.time : [];
      let best = -1;
      for (const time of column) if (time >= after && (best < 0 || time < best)) best = time;
      return best;
    },
  };
}
