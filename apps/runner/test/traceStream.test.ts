/**
 * The trace streamed as the run goes (`--trace FILE`, src/output/chromeTraceStream.ts):
 *  - byte for byte the file the whole records made at the end (toChromeTrace and
 *    JSON.stringify, how every earlier paravirt wrote it): on several modules, kernels,
 *    architectures and bare metal, with the stream's limits made tiny to go through its
 *    holes, through the CLI in-process, as a real process writing a file, and from the
 *    sandbox (a user module);
 *  - Trace Event Format JSON of the expected structure;
 *  - held in bounded memory, a slice open for minutes included;
 *  - `--trace-events`: every record kind has a category, each category keeps its own;
 *  - `--report` from what the run collected equals the report from all the records.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BufferTraceSink, Prng, type TraceRecord, TraceRecorder } from '@paravirt/machine';
import { describe, expect, inject, it } from 'vitest';
import { formatEta, ProgressBar } from '../src/cli/progress.js';
import { fileSpool } from '../src/cli/nodeOutputs.js';
import { loadConfig, type Overrides, type ChromeEvent, toChromeTrace, ChromeTraceStream, microsText, type TraceEnd, buildSummary, categoryOf, parseTraceEvents, TRACE_CATEGORIES, type TraceCategory, traceSelection, memorySpool, TraceFile, ReportCollector, htmlReport, reportHtml, architectures, BareMetalRun, Simulation } from '@paravirt/compose';
import { type GuestApplication, loadUserModule, planApplications } from '../src/run/applications.js';
import { cli, here, repo } from './helpers.js';

const example = (name: string): string => readFileSync(resolve(repo, 'examples', name), 'utf8');

interface Traced {
  readonly records: readonly TraceRecord[];
  /** The file toChromeTrace() and JSON.stringify make from all the records. */
  readonly reference: string;
  /** The file the stream made. */
  readonly streamed: string;
  readonly names: readonly string[];
  readonly stream: ChromeTraceStream;
  readonly end: TraceEnd;
  readonly virtualTimeNs: number;
}

/** Joins what a stream gave a TraceText into the file. */
function assemble(chunks: readonly Uint8Array[], holes: ReadonlyArray<readonly [number, number]>, end: TraceEnd): string {
  const body = Buffer.concat(chunks);
  const fills = new Map(end.fills);
  const parts: Buffer[] = [Buffer.from(end.head)];
  let at = 0;
  for (const [id, offset] of holes) {
    parts.push(body.subarray(at, offset), Buffer.from(fills.get(id) ?? ''));
    at = offset;
  }
  parts.push(body.subarray(at), Buffer.from(end.tail));
  return Buffer.concat(parts).toString('utf8');
}

/** Runs a module in-process with the records kept and streamed at once. */
function traced(
  text: string,
  overrides: Overrides,
  options: { limits?: { flushAt: number; holeAt: number }; categories?: readonly TraceCategory[]; applications?: ReadonlyMap<string, GuestApplication>; whileRunning?: (stream: ChromeTraceStream) => void } = {},
): Traced {
  const loaded = loadConfig(text, overrides);
  expect(loaded.errors).toEqual([]);
  const spec = loaded.spec!;
  const applications = options.applications ?? planApplications(spec, { cwd: here, config: undefined, fromCli: new Set() }).builtins;
  const names = spec.kernel === 'none' ? [applications.get(spec.partitions[0]!.app)!.name] : spec.partitions.map((partition) => partition.name);
  const buffer = new BufferTraceSink();
  const chunks: Uint8Array[] = [];
  const holes: Array<[number, number]> = [];
  let size = 0;
  const stream = new ChromeTraceStream(
    {
      body: (bytes) => {
        chunks.push(bytes.slice());
        size += bytes.length;
      },
      hole: (id) => holes.push([id, size]),
    },
    names,
    spec.kernel,
    traceSelection(options.categories, architectures.get(spec.arch)!.architecture.kernelTimer.trapName),
    options.limits,
  );
  const trace = new TraceRecorder(buffer, stream);
  const run = spec.kernel === 'none' ? new BareMetalRun(spec, applications.get(spec.partitions[0]!.app)!, { trace }) : new Simulation({ spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), applications, trace });
  run.start();
  while (!run.advance(spec.duration)) options.whileRunning?.(stream);
  const virtualTimeNs = run.result().virtualTimeNs;
  const end = stream.finish(virtualTimeNs);
  // The default leaves the kernel tick's traps out (category `ticks`): so does its reference.
  const tick = architectures.get(spec.arch)!.architecture.kernelTimer.trapName;
  const kept = options.categories === undefined ? buffer.records.filter((record) => categoryOf(record, tick) !== 'ticks') : buffer.records;
  return { records: buffer.records, reference: JSON.stringify(toChromeTrace(kept, names, spec.kernel, virtualTimeNs)), streamed: assemble(chunks, holes, end), names, stream, end, virtualTimeNs };
}

const RUNS: ReadonlyArray<readonly [string, string, Overrides]> = [
  ['default demo, pok/i386', 'demo.yaml', { duration: 3e9 }],
  ['default demo, air/sparc', 'demo.yaml', { kernel: 'air', arch: 'sparc', duration: 3e9 }],
  ['bare metal ticker, sparc', 'demo.yaml', { kernel: 'none', arch: 'sparc', apps: [{ partition: '', app: 'ticker' }], duration: 3e9 }],
  ['hostile partition (HM events, restarts), i386', 'hostile.yaml', { duration: 2e9 }],
  ['two AIR schedules, a switch, i386', 'modeswitch.yaml', { duration: 2.5e9 }],
  ['deadlines, sparc', 'deadlines.yaml', { arch: 'sparc', duration: 2e9 }],
  ['ports (port hypercalls), i386', 'ports.yaml', { duration: 2e9 }],
];

describe('the streamed trace is the file toChromeTrace() made from all the records, byte for byte', () => {
  it.each(RUNS)('%s', (_, file, overrides) => {
    const run = traced(example(file), overrides, { categories: TRACE_CATEGORIES });
    expect(run.records.length).toBeGreaterThan(300);
    expect(run.streamed === run.reference).toBe(true);
  }, 60_000);

  it.each(RUNS)('%s, the default: every record but the kernel tick\'s traps', (_, file, overrides) => {
    const run = traced(example(file), overrides);
    const tick = architectures.get(loadConfig(example(file), overrides).spec!.arch)!.architecture.kernelTimer.trapName;
    expect(run.records.some((record) => categoryOf(record, tick) === 'ticks')).toBe(true);
    expect(run.streamed === run.reference).toBe(true);
    expect(run.streamed).not.toContain(`"name":"${String(tick)}"`);
  }, 60_000);

  it.each(RUNS)('%s, with holes: slices held over a few events are written last', (_, file, overrides) => {
    const run = traced(example(file), overrides, { categories: TRACE_CATEGORIES, limits: { flushAt: 8, holeAt: 24 } });
    expect(run.end.fills.length).toBeGreaterThan(0);
    expect(run.streamed === run.reference).toBe(true);
  }, 60_000);

  it('instants whose payloads recur, alternate, change keys, pid or plainness (the stream reuses the bytes of the last two of a kind): the reference bytes', () => {
    const names = ['alpha', 'beta'];
    const prng = new Prng(16);
    const pick = <T,>(items: readonly T[]): T => items[prng.int(0, items.length - 1)]!;
    const payloads: Array<TraceRecord['payload']> = [
      { partition: 'alpha', number: 48, name: 'IDLE', status: 'OK' },
      { partition: 'alpha', number: 18, name: 'VIRQ_RETURN', status: 'OK' },
      { partition: 'beta', number: 48, name: 'IDLE', status: 'OK' },
      { partition: 'alpha', line: 0, lineName: 'timer' },
      { partition: 'alpha', lineName: 'timer', line: 0 },
      { partition: 'beta', line: 0, lineName: 'timer', latencyNs: 2919 },
      { partition: 'alpha', line: 1, lineName: 'timer', skipped: undefined } as unknown as TraceRecord['payload'],
      { partition: 'alpha', nested: { deep: 1 } } as unknown as TraceRecord['payload'],
      { partition: 'alpha', value: Number.NaN },
      { partition: 'alpha', long: 'x'.repeat(5000) },
      { number: 42, name: 'INT 0x2a', instruction: 'int 0x2a', fromMode: 'user' },
      { number: 42, name: 'INT 0x2a', instruction: 'int 0x2a', fromMode: 'supervisor' },
      {},
    ];
    const records: TraceRecord[] = [];
    let time = 1000;
    for (let i = 0; i < 6000; i++) {
      if (prng.int(0, 3) === 0) time += prng.int(1, 5000);
      const payload = prng.int(0, 4) === 0 ? { ...pick(payloads), latencyNs: prng.int(0, 9) } : pick(payloads);
      const kind = pick(['hypercall', 'virq.raise', 'virq.deliver', 'trap', 'hm']);
      records.push({ time, source: pick(['pok', 'cpu0', 'alpha', 'beta', 'gamma']), kind, payload: kind === 'trap' ? { ...payload, name: pick(['INT 0x2a', 'IRQ 1', '#GP']) } : payload });
    }
    const chunks: Uint8Array[] = [];
    const stream = new ChromeTraceStream({ body: (bytes) => chunks.push(bytes.slice()), hole: () => {} }, names, 'pok', traceSelection(TRACE_CATEGORIES, 'IRQ 0'));
    for (const record of records) stream.write(record);
    const end = stream.finish(time + 1);
    expect(assemble(chunks, [], end) === JSON.stringify(toChromeTrace(records, names, 'pok', time + 1))).toBe(true);
  });

  it('ts and dur: the decimal of ns / 1000 as JSON writes it, near powers of ten and up to 4e15 ns', () => {
    const values = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1010, 1100, 999_999, 1_000_000, 2 ** 32 * 1000 - 1, 2 ** 32 * 1000 + 1, 4e15, 4e15 - 1, 4e15 + 1, 2 ** 53, 0.5, -1, 1e21];
    for (let power = 0; power < 16; power++) values.push(10 ** power - 1, 10 ** power, 10 ** power + 1, 7 * 10 ** power + 3);
    const prng = new Prng(15);
    for (let i = 0; i < 20_000; i++) values.push(Math.floor(prng.nextFloat() * 4e15), prng.int(0, 1e9));
    for (const ns of values) expect(microsText(ns), String(ns)).toBe(JSON.stringify(ns / 1000));
  });
});

/** What a trace file must be: Trace Event Format JSON as chromeTrace.ts documents it. */
function checkStructure(text: string): ChromeEvent[] {
  const trace = JSON.parse(text) as { traceEvents: ChromeEvent[]; displayTimeUnit: string };
  expect(Object.keys(trace)).toEqual(['traceEvents', 'displayTimeUnit']);
  expect(trace.displayTimeUnit).toBe('ns');
  let previous: ChromeEvent | undefined;
  for (const event of trace.traceEvents) {
    expect(['M', 'X', 'i']).toContain(event.ph);
    expect(typeof event.name).toBe('string');
    expect(Number.isInteger(event.pid) && Number.isInteger(event.tid)).toBe(true);
    expect(event.ts).toBeGreaterThanOrEqual(0);
    if (event.ph === 'M') expect(event).toEqual({ name: event.name, ph: 'M', ts: 0, pid: event.pid, tid: event.tid, args: { name: expect.any(String) } });
    if (event.ph === 'X') expect(event.dur).toBeGreaterThan(0);
    if (event.ph === 'i') expect(event).toMatchObject({ s: 't', cat: expect.any(String), args: expect.any(Object) });
    // Sorted by (ts, pid, tid).
    if (previous) expect(previous.ts < event.ts || (previous.ts === event.ts && (previous.pid < event.pid || (previous.pid === event.pid && previous.tid <= event.tid)))).toBe(true);
    previous = event;
  }
  return trace.traceEvents;
}

describe('the file on disk', () => {
  it('through the CLI in-process: the reference bytes, Trace Event Format JSON, and one stderr line saying where it is', async () => {
    const result = await cli(['run', '--duration', '3s', '--json', 'summary.json', '--trace', 'trace.json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^trace: trace\.json: [0-9,]+ events, [0-9.]+ KB; open it in https:\/\/ui\.perfetto\.dev or chrome:\/\/tracing\n$/);
    const file = result.files.get('trace.json')!;
    expect(file === traced(example('demo.yaml'), { duration: 3e9 }).reference).toBe(true);
    const events = checkStructure(file);
    expect(result.stderr).toContain(`: ${events.length.toLocaleString('en-US')} events, ${(Buffer.byteLength(file) / 1000).toFixed(1)} KB;`);
    // --quiet: no line; to stdout: no line either (it is there).
    expect((await cli(['run', '--duration', '1s', '--quiet', '--trace', 'trace.json'])).stderr).toBe('');
    const toStdout = await cli(['run', '--duration', '1s', '--trace', '-']);
    expect(toStdout.stderr).toBe('');
    checkStructure(toStdout.stdout);
  }, 60_000);

  it('a real process: spooled next to the file (nothing left there), written at the end, the reference bytes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'paravirt-trace-'));
    try {
      const bin = join(inject('runnerBundle'), 'cli/bin.cjs');
      await promisify(execFile)(process.execPath, [bin, 'run', '--duration', '3s', '--kernel', 'air', '--arch', 'sparc', '--quiet', '--trace', join(folder, 'trace.json')]);
      expect(readdirSync(folder)).toEqual(['trace.json']);
      const file = readFileSync(join(folder, 'trace.json'), 'utf8');
      expect(file === traced(example('demo.yaml'), { kernel: 'air', arch: 'sparc', duration: 3e9 }).reference).toBe(true);
      checkStructure(file);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('from the sandbox (a user module): the bytes the same run makes in-process', async () => {
    const result = await cli(['run', '--app', 'hello=fixtures/blink.mjs', '--duration', '3s', '--quiet', '--trace', 'trace.json']);
    expect(result.code).toBe(0);
    const blink = await loadUserModule({ app: 'fixtures/blink.mjs', path: resolve(here, 'fixtures/blink.mjs'), where: '--app' });
    const loaded = loadConfig(example('demo.yaml'), { duration: 3e9, apps: [{ partition: 'hello', app: 'fixtures/blink.mjs' }] });
    const builtins = planApplications(loaded.spec!, { cwd: here, config: undefined, fromCli: new Set() }).builtins;
    const reference = traced(example('demo.yaml'), { duration: 3e9, apps: [{ partition: 'hello', app: 'fixtures/blink.mjs' }] }, { applications: new Map([...builtins, ['fixtures/blink.mjs', blink]]) }).reference;
    expect(result.files.get('trace.json') === reference).toBe(true);
  }, 60_000);

  it('a file spool: unlinked at once, gives back what it was given, writes in the background', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'paravirt-spool-'));
    try {
      const spool = fileSpool(join(folder, 'trace.json'));
      expect(readdirSync(folder)).toEqual([]);
      const text = 'é'.repeat(100_000);
      for (let i = 0; i < 20; i++) spool.append(Buffer.from(`${i}${text}`));
      await spool.drain();
      expect(spool.unwritten).toBe(0);
      expect(spool.error).toBeUndefined();
      const all = Buffer.from(spool.read(0, spool.size)).toString('utf8');
      expect(all).toBe(Array.from({ length: 20 }, (_, i) => `${i}${text}`).join(''));
      spool.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a TraceFile writes head, body with its holes filled, tail', async () => {
    const file = new TraceFile(memorySpool());
    file.body(Buffer.from(',{"a":1}'));
    file.hole(0);
    file.body(Buffer.from(',{"c":3}'));
    file.hole(1);
    let out = '';
    await file.writeTo({ head: '{"traceEvents":[{"m":0}', fills: [[0, ',{"b":2}']], tail: '],"displayTimeUnit":"ns"}', events: 4 }, {
      write: async (chunk) => {
        out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      },
      close: async () => {},
    });
    expect(out).toBe('{"traceEvents":[{"m":0},{"a":1},{"b":2},{"c":3}],"displayTimeUnit":"ns"}');
  });
});

describe('memory: what the stream holds is bounded, not the run', () => {
  it('a 60 s run: a few thousand events at most, whatever was written', () => {
    let most = { events: 0, bytes: 0 };
    const run = traced(example('demo.yaml'), { duration: 60e9 }, {
      categories: TRACE_CATEGORIES,
      whileRunning: (stream) => {
        const held = stream.held;
        most = { events: Math.max(most.events, held.events), bytes: Math.max(most.bytes, held.bytes) };
      },
    });
    expect(run.streamed.length).toBeGreaterThan(10_000_000);
    expect(most.events).toBeLessThan(20_000);
    expect(most.bytes).toBeLessThan(4 << 20);
  }, 60_000);

  it('slices waiting behind an open one are written in order when it ends, their bytes kept across a partial write', () => {
    const records: TraceRecord[] = [];
    const chunks: Uint8Array[] = [];
    const stream = new ChromeTraceStream({ body: (bytes) => chunks.push(bytes.slice()), hole: () => {} }, ['p', 'q'], 'pok');
    const record = (time: number, kind: string, payload: TraceRecord['payload']): void => {
      const entry = { time, source: 'kernel', kind, payload };
      records.push(entry);
      stream.write(entry);
    };
    record(1000, 'window.start', { partition: 'p' });
    let time = 2000;
    const switches = (count: number): void => {
      for (let i = 0; i < count; i++) record((time += 1234), 'thread.switch', { partition: 'p', from: `T${i % 7}`, to: `T${(i + 1) % 7}` });
    };
    switches(1500);
    // q's window opens in the middle (a record stream the writer does not police): p's slices after it wait for it.
    record((time += 1000), 'window.start', { partition: 'q' });
    switches(500);
    record((time += 1000), 'window.end', { partition: 'p' });
    switches(300);
    expect(stream.held.events).toBeGreaterThan(400);
    expect(stream.held.events).toBeLessThan(1000);
    record((time += 1000), 'window.end', { partition: 'q' });
    const end = stream.finish(time + 1000);
    expect(assemble(chunks, [], end) === JSON.stringify(toChromeTrace(records, ['p', 'q'], 'pok', time + 1000))).toBe(true);
  });

  it('one window of 20 minutes: the events behind it go out, the window is a hole filled at the end', () => {
    const stream = new ChromeTraceStream({ body: () => {}, hole: () => {} }, ['p'], 'pok');
    const record = (time: number, kind: string, payload: TraceRecord['payload']): void => stream.write({ time, source: 'kernel', kind, payload });
    record(1000, 'window.start', { partition: 'p' });
    let most = 0;
    for (let i = 1; i <= 1_200_000; i++) {
      record(1000 + i * 1_000_000, 'trap', { number: 32, name: 'IRQ 0', fromMode: 'user' });
      most = Math.max(most, stream.held.events);
    }
    expect(most).toBeLessThanOrEqual(65_536 + 4096);
    const end = stream.finish(1_200_001_000_000);
    expect(end.fills).toEqual([[0, ',{"name":"p","ph":"X","ts":1,"dur":1200000999,"pid":1,"tid":1}']]);
  }, 60_000);
});

describe('--trace-events: categories', () => {
  it('every record kind the examples make has a category; `all` and unknown names are parsed as documented', () => {
    const kinds = new Map<string, TraceCategory | undefined>();
    for (const [, file, overrides] of RUNS) {
      const loaded = loadConfig(example(file), overrides);
      const tick = architectures.get(loaded.spec!.arch)!.architecture.kernelTimer.trapName;
      for (const record of traced(example(file), { ...overrides, duration: 1e9 }).records) kinds.set(record.kind === 'trap' ? `trap ${String(record.payload['name'])}` : record.kind, categoryOf(record, tick));
    }
    for (const [kind, category] of kinds) expect(category, kind).toBeDefined();
    expect(kinds.get('trap IRQ 0')).toBe('ticks');
    expect(kinds.get('trap interrupt_level_8')).toBe('ticks');
    expect(kinds.get('trap INT 0x2a')).toBe('traps');
    expect(parseTraceEvents('all')).toEqual({ categories: TRACE_CATEGORIES });
    expect(parseTraceEvents('ticks, windows')).toEqual({ categories: ['windows', 'ticks'] });
    expect(parseTraceEvents('window').error).toBe('unknown category "window" (windows, threads, virq, hypercalls, ports, hm, ticks, traps or all)');
  }, 60_000);

  it('each category keeps its own events (and the metadata); the slices are those of the whole trace', () => {
    const full = JSON.parse(traced(example('ports.yaml'), { duration: 1e9 }, { categories: TRACE_CATEGORIES }).reference) as { traceEvents: ChromeEvent[] };
    const only = (categories: readonly TraceCategory[]): ChromeEvent[] => {
      const run = traced(example('ports.yaml'), { duration: 1e9 }, { categories, limits: { flushAt: 16, holeAt: 64 } });
      return checkStructure(run.streamed).filter((event) => event.ph !== 'M');
    };
    const sliceKey = (event: ChromeEvent): string => `${event.pid}/${event.tid}/${event.ts}/${event.dur ?? 0}/${event.name}`;
    const threadSlices = full.traceEvents.filter((event) => event.ph === 'X' && event.pid !== 1);
    const windowSlices = full.traceEvents.filter((event) => event.ph === 'X' && event.pid === 1);

    expect(only(['windows']).map(sliceKey)).toEqual(windowSlices.map(sliceKey));
    const threads = only(['threads']);
    expect(threads.filter((event) => event.ph === 'X').map(sliceKey)).toEqual(threadSlices.map(sliceKey));
    expect(new Set(threads.filter((event) => event.ph === 'i').map((event) => event.name))).toEqual(new Set(['thread.create', 'thread.exit']));
    const ticks = only(['ticks']);
    expect(new Set(ticks.map((event) => event.name))).toEqual(new Set(['IRQ 0']));
    expect(ticks.length).toBe(full.traceEvents.filter((event) => event.name === 'IRQ 0').length);
    const ports = only(['ports']);
    expect(ports.length).toBeGreaterThan(20);
    expect(ports.every((event) => event.name === 'hypercall' && /^(PORT_|SAMPLING_|QUEUING_)/.test(String(event.args!['name'])))).toBe(true);
    const hypercalls = only(['hypercalls']);
    expect(hypercalls.some((event) => /^(PORT_|SAMPLING_|QUEUING_)/.test(String(event.args!['name'])))).toBe(false);
    expect(hypercalls.length + ports.length).toBe(full.traceEvents.filter((event) => event.name === 'hypercall').length);
    expect(new Set(only(['virq']).map((event) => event.name.split('.')[0]))).toEqual(new Set(['virq']));
  }, 60_000);

  it('through the CLI: only what was asked, a much smaller file', async () => {
    const all = await cli(['run', '--duration', '2s', '--quiet', '--trace', 'all.json', '--trace-events', 'all']);
    const some = await cli(['run', '--duration', '2s', '--quiet', '--trace', 'some.json', '--trace-events', 'windows,threads,hm']);
    const events = checkStructure(some.files.get('some.json')!);
    expect(new Set(events.map((event) => event.ph))).toEqual(new Set(['M', 'X', 'i']));
    expect(new Set(events.filter((event) => event.ph === 'i').map((event) => event.name))).toEqual(new Set(['thread.create', 'thread.exit', 'shutdown', 'partition.mode']));
    expect(some.files.get('some.json')!.length * 10).toBeLessThan(all.files.get('all.json')!.length);
  }, 60_000);
});

describe('--report from what the run collected', () => {
  it('is the report all the records make, over the whole run; past its budget the detail of the lowest kinds ends first', async () => {
    const run = traced(example('latency.yaml'), { duration: 2e9 });
    const loaded = loadConfig(example('latency.yaml'), { duration: 2e9 });
    const spec = loaded.spec!;
    const applications = planApplications(spec, { cwd: here, config: undefined, fromCli: new Set() }).builtins;
    const simulation = new Simulation({ spec, ...(loaded.airConfig ? { airConfig: loaded.airConfig } : {}), applications });
    simulation.run(spec.duration);
    const result = simulation.result();
    const summary = buildSummary(spec, result.report, { virtualTimeNs: result.virtualTimeNs, events: result.events, wallTimeMs: 0, interrupted: false, devices: result.devices });
    const collector = new ReportCollector(run.names, spec.schedules);
    for (const record of run.records) collector.write(record);
    const data = collector.data(run.virtualTimeNs);
    expect(data.endNs).toBe(run.virtualTimeNs);
    expect(data.truncated).toEqual({});
    expect(data.windows.end.at(-1)).toBeGreaterThan(run.virtualTimeNs * 0.9);
    expect(data.lines.reduce((sum, line) => sum + line.deliveries, 0)).toBe(run.records.filter((record) => record.kind === 'virq.deliver').length);
    expect(data.hypercalls.time).toHaveLength(run.records.filter((record) => record.kind === 'hypercall').length);
    expect(reportHtml(summary, data)).toBe(htmlReport(summary, run.records, spec.schedules));
    // Past its budget, hypercalls go first: windows are all kept.
    const small = new ReportCollector(run.names, spec.schedules, data.windows.start.length + 100);
    for (const record of run.records) small.write(record);
    const kept = small.data(run.virtualTimeNs);
    expect(kept.windows.start).toEqual(data.windows.start);
    expect(kept.truncated.hypercalls).toBeGreaterThan(0);
    expect(kept.truncated.windows).toBeUndefined();
    expect(kept.lines).toEqual(data.lines);
  }, 60_000);
});

describe('the progress bar', () => {
  it('shows the time left once it can tell, and comes off its line before a console line', () => {
    let now = 0;
    let written = '';
    const bar = new ProgressBar((text) => (written += text), 100e9, () => now);
    bar.update(0);
    expect(written).toBe(`\r[${'-'.repeat(30)}] 0.0/100.0 s virtual\x1b[K`);
    written = '';
    now = 2000;
    bar.update(25e9);
    expect(written).toBe(`\r[${'#'.repeat(8)}${'-'.repeat(22)}] 25.0/100.0 s virtual, 6 s left\x1b[K`);
    written = '';
    bar.clear();
    expect(written).toBe('\r\x1b[K');
    written = '';
    bar.clear();
    expect(written).toBe('');
    now = 2050;
    bar.update(26e9);
    expect(written).toBe('');
    expect([formatEta(400), formatEta(59_400), formatEta(61_000), formatEta(3_725_000)]).toEqual(['1 s', '59 s', '1 min 01 s', '1 h 02 min']);
  });

  it('through the CLI on a terminal: consoles never follow the bar on its line', async () => {
    let out = '';
    const { main } = await import('../src/cli/main.js');
    let clock = 0;
    const code = await main(['run', '--duration', '12s'], {
      stdout: (text) => (out += text),
      stderr: (text) => (out += text),
      stderrIsTty: true,
      readFile: async () => '',
      prepareOutput: async () => {},
      writeFile: async () => {},
      clock: () => (clock += 50),
      cwd: here,
    });
    expect(code).toBe(0);
    expect(out).toContain('s virtual');
    // The ticker prints at 5 s and 10 s, long after the bar came.
    expect(out.indexOf('[ticker] TA1  - rtems_clock_get_tod - 09:00:05')).toBeGreaterThan(out.indexOf('s virtual'));
    // Every console line starts a line of its own: after a newline, or after the bar was cleared.
    for (const match of out.matchAll(/\[(hello|ticker|base_sp)\] /g)) {
      const before = out.slice(Math.max(0, match.index - 4), match.index);
      expect(match.index === 0 || before.endsWith('\n') || before.endsWith('\r\x1b[K'), JSON.stringify(out.slice(match.index - 80, match.index + 20))).toBe(true);
    }
  }, 60_000);
});
