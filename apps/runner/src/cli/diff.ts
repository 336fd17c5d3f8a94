/**
 * `paravirt diff A.json B.json [--json]`: what changed between two JSON summaries written by
 * `paravirt run --json FILE` (docs/architecture.md section 6). Exit 0: identical in every
 * compared field; 1: they differ; 2: bad usage, or an input that cannot be read or is not
 * a paravirt summary (one `error:` line).
 *
 * Compared: every field of the summary but `wallTimeMs` (the only one that differs between
 * two runs of the same config and seed) - the module's (kernel, arch, seed, virtual time,
 * events, schedule, ...) and each partition's, partitions matched by name. The comparison
 * walks the JSON rather than a fixed list, so fields added to schema 1 are compared too:
 * objects field by field, lists whose entries carry a `line` or `name` (vIRQ lines, hardware
 * lines) entry by entry, other lists (HM events, schedule switches) and consoles as a whole,
 * with the first difference shown.
 */
import { describeThrown } from '@paravirt/machine';
import { printable, CliFailure, EXIT, type ExitCode } from '@paravirt/compose';
import type { DiffCommand } from './args.js';
import { type ReadLimits, readProblem } from './configFile.js';
import type { CliIo } from './main.js';

/**
 * A summary holds each partition's console (at most 1 MiB kept, docs/architecture.md), so
 * it may be far larger than a config. It may come from a pipe that a run fills only at its
 * end (`paravirt diff base.json <(paravirt run --json -)`): no time limit; Ctrl-C ends it.
 */
export const SUMMARY_READ: ReadLimits = { maxBytes: 256 * 2 ** 20, timeoutMs: Number.POSITIVE_INFINITY, what: 'a JSON summary' };

/** Exit code of two summaries that differ (as diff(1) says it). */
const DIFFERENT: ExitCode = 1;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

/** One difference. `a`/`b` absent: the field is missing on that side. */
export type Change = ValueChange | CountChange | EntryChange;

interface ChangeBase {
  /** Path in the summary: `cpuTimeNs`, `virq.latencyNs.p99`, `virq.lines[timer].raised`. */
  readonly field: string;
}

/** A value that differs: a and b are the values (one absent: the field is missing on that side). */
interface ValueChange extends ChangeBase {
  readonly kind: 'value';
  readonly a?: Json;
  readonly b?: Json;
}

/**
 * `list`: a and b are the lists' lengths, `firstDifference` the index of the first entry that
 * differs; `text` (a console): a and b are line counts, `firstDifference` the first differing
 * line (from 1). `detail` holds the entries or lines that differ first.
 */
interface CountChange extends ChangeBase {
  readonly kind: 'list' | 'text';
  readonly a: number;
  readonly b: number;
  readonly firstDifference: number;
  readonly detail: { readonly a?: Json; readonly b?: Json };
}

/** An entry of a keyed list (a vIRQ line, a hardware line) that one side does not have: a or b is `true`. */
interface EntryChange extends ChangeBase {
  readonly kind: 'entry';
  readonly a?: true;
  readonly b?: true;
}

export interface PartitionDiff {
  readonly name: string;
  /** Which summaries have the partition. */
  readonly in: 'both' | 'a' | 'b';
  readonly changes: readonly Change[];
}

export interface SummaryDiff {
  readonly identical: boolean;
  readonly a: string;
  readonly b: string;
  readonly module: readonly Change[];
  readonly partitions: readonly PartitionDiff[];
}

/** Module fields not compared: the partitions (compared apart), the schema (checked on reading) and the wall time. */
const MODULE_SKIPPED = new Set(['partitions', 'schemaVersion', 'wallTimeMs']);
/** Lists whose entries carry one of these keys are compared entry by entry. */
const ENTRY_KEYS = ['line', 'name'] as const;
/** Nesting compared field by field; deeper, values are compared whole. */
const MAX_DEPTH = 24;

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export async function diff(command: DiffCommand, io: CliIo): Promise<number> {
  const a = await readSummary(command.a, io);
  const b = await readSummary(command.b, io);
  const result = compareSummaries(a, b, command.a, command.b);
  io.stdout(command.json ? `${JSON.stringify(result, null, 2)}\n` : formatDiff(result));
  return result.identical ? EXIT.ok : DIFFERENT;
}

async function readSummary(path: string, io: CliIo): Promise<JsonObject> {
  let text: string;
  try {
    text = await io.readFile(path, SUMMARY_READ);
  } catch (error) {
    throw readProblem(path, error);
  }
  if (text.trim() === '') throw new CliFailure(path, 'is empty, not a paravirt JSON summary');
  const notSummary = (why: string): CliFailure => new CliFailure(path, `not a paravirt JSON summary (${why}; paravirt run --json FILE writes one)`);
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (error) {
    throw notSummary(`not JSON: ${describeThrown(error, 120)}`);
  }
  if (!isObject(value)) throw notSummary(`a JSON ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value}, not an object`);
  const schemaVersion = value['schemaVersion'];
  if (schemaVersion === undefined) throw notSummary('no schemaVersion');
  if (schemaVersion !== 1) throw new CliFailure(path, `is a summary of schemaVersion ${short(schemaVersion, 20)}; this paravirt reads schemaVersion 1`);
  const partitions = value['partitions'];
  if (!Array.isArray(partitions) || !(partitions as readonly Json[]).every((entry) => isObject(entry) && typeof entry['name'] === 'string')) throw notSummary('partitions is not a list of partitions with a name');
  const names = new Set<string>();
  for (const entry of partitions as JsonObject[]) {
    const name = entry['name'] as string;
    if (names.has(name)) throw notSummary(`two partitions are named ${short(name, 40)}`);
    names.add(name);
  }
  return value;
}

export function compareSummaries(a: JsonObject, b: JsonObject, nameA: string, nameB: string): SummaryDiff {
  const module: Change[] = [];
  compareObjects('', a, b, module, 0, MODULE_SKIPPED);
  const listA = a['partitions'] as readonly JsonObject[];
  const listB = b['partitions'] as readonly JsonObject[];
  const byName = (list: readonly JsonObject[]) => new Map(list.map((entry) => [entry['name'] as string, entry]));
  const mapA = byName(listA);
  const mapB = byName(listB);
  const partitions: PartitionDiff[] = [];
  for (const name of union([...mapA.keys()], [...mapB.keys()])) {
    const left = mapA.get(name);
    const right = mapB.get(name);
    if (!left || !right) {
      partitions.push({ name, in: left ? 'a' : 'b', changes: [] });
      continue;
    }
    const changes: Change[] = [];
    compareObjects('', left, right, changes, 0, new Set(['name']));
    partitions.push({ name, in: 'both', changes });
  }
  const identical = module.length === 0 && partitions.every((partition) => partition.in === 'both' && partition.changes.length === 0);
  return { identical, a: nameA, b: nameB, module, partitions };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set(a);
  return [...a, ...b.filter((key) => !seen.has(key))];
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function compareObjects(path: string, a: JsonObject, b: JsonObject, out: Change[], depth: number, skipped: ReadonlySet<string> = new Set()): void {
  for (const key of union(Object.keys(a), Object.keys(b))) {
    if (skipped.has(key)) continue;
    compare(join(path, key), Object.hasOwn(a, key) ? a[key] : undefined, Object.hasOwn(b, key) ? b[key] : undefined, out, depth + 1);
  }
}

function compare(path: string, a: Json | undefined, b: Json | undefined, out: Change[], depth: number): void {
  if (a === undefined || b === undefined) {
    if (a !== undefined || b !== undefined) out.push({ field: path, kind: 'value', ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) });
    return;
  }
  if (depth < MAX_DEPTH && isObject(a) && isObject(b)) return compareObjects(path, a, b, out, depth);
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = depth < MAX_DEPTH ? entryKey(a as readonly Json[], b as readonly Json[]) : undefined;
    if (key) return compareEntries(path, a as readonly JsonObject[], b as readonly JsonObject[], key, out, depth);
    return compareLists(path, a as readonly Json[], b as readonly Json[], out);
  }
  if (typeof a === 'string' && typeof b === 'string' && (a.includes('\n') || b.includes('\n'))) return compareText(path, a, b, out);
  if (!sameJson(a, b)) out.push({ field: path, kind: 'value', a, b });
}

/** The key that names every entry of both lists, once each: `line` for vIRQ and hardware lines. */
function entryKey(a: readonly Json[], b: readonly Json[]): string | undefined {
  if (a.length + b.length === 0) return undefined;
  return ENTRY_KEYS.find((key) =>
    [a, b].every((list) => {
      const seen = new Set<string | number>();
      for (const entry of list) {
        const value = isObject(entry) ? entry[key] : undefined;
        if ((typeof value !== 'string' && typeof value !== 'number') || seen.has(value)) return false;
        seen.add(value);
      }
      return true;
    }),
  );
}

function compareEntries(path: string, a: readonly JsonObject[], b: readonly JsonObject[], key: string, out: Change[], depth: number): void {
  // entryKey() checked that every entry's key is a string or a number.
  const label = (entry: JsonObject): string => {
    const value = entry[key];
    return typeof value === 'number' ? String(value) : (value as string);
  };
  const mapA = new Map(a.map((entry) => [label(entry), entry]));
  const mapB = new Map(b.map((entry) => [label(entry), entry]));
  for (const name of union([...mapA.keys()], [...mapB.keys()])) {
    const left = mapA.get(name);
    const right = mapB.get(name);
    const field = `${path}[${name}]`;
    if (!left || !right) out.push({ field, kind: 'entry', ...(left ? { a: true } : { b: true }) });
    else compareObjects(field, left, right, out, depth, new Set([key]));
  }
}

function compareLists(path: string, a: readonly Json[], b: readonly Json[], out: Change[]): void {
  if (sameJson(a, b)) return;
  let index = 0;
  while (index < a.length && index < b.length && sameJson(a[index]!, b[index]!)) index++;
  out.push({
    field: path,
    kind: 'list',
    a: a.length,
    b: b.length,
    firstDifference: index,
    detail: { ...(index < a.length ? { a: a[index]! } : {}), ...(index < b.length ? { b: b[index]! } : {}) },
  });
}

function compareText(path: string, a: string, b: string, out: Change[]): void {
  if (a === b) return;
  // Lines without the break that ends the last one: "a\nb\n" is two lines, "" none.
  const lines = (text: string): string[] => (text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n'));
  const linesA = lines(a);
  const linesB = lines(b);
  let index = 0;
  while (index < linesA.length && index < linesB.length && linesA[index] === linesB[index]) index++;
  out.push({
    field: path,
    kind: 'text',
    a: linesA.length,
    b: linesB.length,
    firstDifference: index + 1,
    detail: { ...(index < linesA.length ? { a: linesA[index]! } : {}), ...(index < linesB.length ? { b: linesB[index]! } : {}) },
  });
}

/** Deep equality of two JSON values, without recursion (a hostile file may nest deeply). */
function sameJson(a: Json, b: Json): boolean {
  const stack: Array<[Json, Json]> = [[a, b]];
  while (stack.length > 0) {
    const [left, right] = stack.pop()!;
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
    if (Array.isArray(left) !== Array.isArray(right)) return false;
    if (Array.isArray(left)) {
      const other = right as readonly Json[];
      if (left.length !== other.length) return false;
      for (let i = 0; i < left.length; i++) stack.push([left[i] as Json, other[i]!]);
      continue;
    }
    const objectA = left as JsonObject;
    const objectB = right as JsonObject;
    const keys = Object.keys(objectA);
    if (keys.length !== Object.keys(objectB).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(objectB, key)) return false;
      stack.push([objectA[key]!, objectB[key]!]);
    }
  }
  return true;
}

/** A value on one line, at most `max` characters, control characters shown as \xNN. */
function short(value: Json | undefined, max = 60): string {
  if (value === undefined) return '(absent)';
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = Array.isArray(value) ? '[...]' : '{...}';
  }
  return printable(text.length > max ? `${text.slice(0, max)}...` : text, max + 3);
}

function delta(a: number, b: number): string {
  const difference = b - a;
  const sign = difference > 0 ? '+' : '';
  const percent = a !== 0 && Number.isFinite(difference / a) ? `, ${sign}${((difference / Math.abs(a)) * 100).toFixed(1)}%` : '';
  return `  (${sign}${difference}${percent})`;
}

function describeChange(change: Change, nameA: string, nameB: string): string {
  switch (change.kind) {
    case 'entry':
      return `only in ${change.a === undefined ? nameB : nameA}`;
    case 'list':
      return `${change.a} -> ${change.b} entries, first difference at #${change.firstDifference}: ${short(change.detail.a, 100)} -> ${short(change.detail.b, 100)}`;
    case 'text':
      return `${change.a} -> ${change.b} lines, first difference at line ${change.firstDifference}: ${short(change.detail.a, 100)} -> ${short(change.detail.b, 100)}`;
    case 'value':
      return `${short(change.a)} -> ${short(change.b)}${typeof change.a === 'number' && typeof change.b === 'number' ? delta(change.a, change.b) : ''}`;
  }
}

function block(title: string, changes: readonly Change[], nameA: string, nameB: string): string {
  const width = Math.min(40, Math.max(...changes.map((change) => change.field.length)));
  return `${title}\n${changes.map((change) => `  ${printable(change.field, 200).padEnd(width)}  ${describeChange(change, nameA, nameB)}\n`).join('')}`;
}

export function formatDiff(result: SummaryDiff): string {
  const nameA = printable(result.a, 200);
  const nameB = printable(result.b, 200);
  const count = result.partitions.length;
  if (result.identical) return `identical: ${nameA} and ${nameB} agree in every compared field (${count} partition${count === 1 ? '' : 's'}; wallTimeMs is not compared)\n`;
  let out = `--- ${nameA}\n+++ ${nameB}\n`;
  if (result.module.length > 0) out += block('module:', result.module, nameA, nameB);
  for (const partition of result.partitions) {
    const name = printable(partition.name, 200);
    if (partition.in !== 'both') out += `partition ${name}: only in ${partition.in === 'a' ? nameA : nameB}\n`;
    else if (partition.changes.length > 0) out += block(`partition ${name}:`, partition.changes, nameA, nameB);
  }
  const differing = result.partitions.filter((partition) => partition.in !== 'both' || partition.changes.length > 0).length;
  const fields = result.module.length;
  out += `differ: ${fields} module field${fields === 1 ? '' : 's'}, ${differing} of ${count} partition${count === 1 ? '' : 's'}\n`;
  return out;
}
