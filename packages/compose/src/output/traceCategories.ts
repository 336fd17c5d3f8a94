/**
 * What `--trace-events` selects: every trace record kind belongs to one category
 * (docs/architecture.md section 6 lists the mapping), so a long run can leave out what it
 * does not need - the kernel's 1 ms tick alone is three quarters of a typical trace.
 *
 *   windows     window.start/end (the window tracks), schedule.request, schedule.switch
 *   threads     thread.switch (the thread tracks), thread.create, thread.exit,
 *               deadline.miss, cbs.overrun, thread.fp, shutdown, fatal
 *   virq        virq.raise, virq.deliver, virq.coalesce, virq.discard
 *   hypercalls  hypercall, but the port services'
 *   ports       hypercall of a port service (the API's `ports` group: PORT_CREATE, ...)
 *   hm          hm, partition.mode, module.reset
 *   ticks       trap of the kernel timer's interrupt (the architecture's kernelTimer.trapName)
 *   traps       every other trap, interrupt, cpu.stop, cpu.endOfTime, partition.fpu
 *
 * A kind not listed here is recorded with `all` only.
 */
import type { TraceRecord } from '@paravirt/machine';
import { hypercallSpec } from '@paravirt/paravirt-api';

export const TRACE_CATEGORIES = ['windows', 'threads', 'virq', 'hypercalls', 'ports', 'hm', 'ticks', 'traps'] as const;
export type TraceCategory = (typeof TRACE_CATEGORIES)[number];

const BY_KIND: Readonly<Record<string, TraceCategory>> = {
  'window.start': 'windows',
  'window.end': 'windows',
  'schedule.request': 'windows',
  'schedule.switch': 'windows',
  'thread.switch': 'threads',
  'thread.create': 'threads',
  'thread.exit': 'threads',
  'deadline.miss': 'threads',
  'cbs.overrun': 'threads',
  'thread.fp': 'threads',
  shutdown: 'threads',
  fatal: 'threads',
  'virq.raise': 'virq',
  'virq.deliver': 'virq',
  'virq.coalesce': 'virq',
  'virq.discard': 'virq',
  hypercall: 'hypercalls',
  hm: 'hm',
  'partition.mode': 'hm',
  'module.reset': 'hm',
  trap: 'traps',
  interrupt: 'traps',
  'cpu.stop': 'traps',
  'cpu.endOfTime': 'traps',
  'partition.fpu': 'traps',
};

/** The category of a record (undefined: a kind only `all` records), on an architecture whose tick trap is named `tickTrap`. */
export function categoryOf(record: TraceRecord, tickTrap: string | undefined): TraceCategory | undefined {
  const category = Object.hasOwn(BY_KIND, record.kind) ? BY_KIND[record.kind] : undefined;
  if (category === 'traps' && record.kind === 'trap' && tickTrap !== undefined && record.payload['name'] === tickTrap) return 'ticks';
  if (category === 'hypercalls' && hypercallSpec(Number(record.payload['number']))?.group === 'ports') return 'ports';
  return category;
}

/**
 * What a trace shows, for the categories asked (undefined: the default, every category but
 * `ticks`, and the kinds no category lists). The slices are drawn
 * from window.* and thread.switch records whatever is asked (a thread's slice ends with
 * its window); without `windows` there are no window slices, without `threads` no thread
 * slices.
 */
export interface TraceSelection {
  readonly windows: boolean;
  readonly threads: boolean;
  /** Whether the kernel tick's trap records (category `ticks`) are kept. */
  readonly ticks: boolean;
  /** Whether a record that is not a slice's becomes an instant; undefined: every one. */
  readonly instant?: (record: TraceRecord) => boolean;
}

export function traceSelection(categories: readonly TraceCategory[] | undefined, tickTrap: string | undefined): TraceSelection {
  // The default: everything but the kernel tick's traps (most of a trace, and recording
  // them keeps the kernel from fast-forwarding over idle ticks); `all` adds them.
  if (categories === undefined) return { windows: true, threads: true, ticks: false, instant: (record) => categoryOf(record, tickTrap) !== 'ticks' };
  if (TRACE_CATEGORIES.every((category) => categories.includes(category))) return { windows: true, threads: true, ticks: true };
  const wanted = new Set<string>(categories);
  return {
    windows: wanted.has('windows'),
    threads: wanted.has('threads'),
    ticks: wanted.has('ticks'),
    instant: (record) => {
      const category = categoryOf(record, tickTrap);
      return category !== undefined && wanted.has(category);
    },
  };
}

/**
 * `--trace-events windows,threads` as categories: a comma list of TRACE_CATEGORIES or
 * `all`; the error text names the unknown one and the known ones.
 */
export function parseTraceEvents(value: string): { categories?: readonly TraceCategory[]; error?: string } {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) return { error: `must be categories separated by commas, e.g. windows,threads, got "${value}"` };
  const categories = new Set<TraceCategory>();
  for (const name of names) {
    if (name === 'all') TRACE_CATEGORIES.forEach((category) => categories.add(category));
    else if ((TRACE_CATEGORIES as readonly string[]).includes(name)) categories.add(name as TraceCategory);
    else return { error: `unknown category "${name}" (${TRACE_CATEGORIES.join(', ')} or all)` };
  }
  return { categories: TRACE_CATEGORIES.filter((category) => categories.has(category)) };
}
