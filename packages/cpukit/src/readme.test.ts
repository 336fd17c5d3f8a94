/**
 * The README's "Classic API coverage (RTEMS 6)" tables against the code: every JS name
 * a row gives exists (a member of Rtems.prototype, or an export of the package for rows
 * marked "(export)"), every member of Rtems.prototype has a row, and the totals line
 * counts the rows. A directive added to (or removed from) `Rtems` without its row fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as cpukit from './index.js';
import { Rtems } from './rtems.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const HEADING = '### Classic API coverage (RTEMS 6)';

/** Members of Rtems.prototype that are not part of the API: the constructor and private helpers. */
const NOT_API = new Set(['constructor', 'write', 'bindTimerRoutine', 'interruptTable', 'interruptServers', 'affinity']);

type Status = 'complete' | 'differs' | 'not applicable' | 'missing' | 'own';

interface Row {
  readonly line: number;
  /** The C names of the first column (none for this executive's own helpers). */
  readonly directives: readonly string[];
  /** The JS names of the second column, with whether each is a package export. */
  readonly js: readonly { readonly name: string; readonly isExport: boolean }[];
  readonly status: Status;
  readonly statusText: string;
}

/** The coverage section: from its heading to the next `##` or `###` heading. */
function coverageSection(): { readonly text: string; readonly firstLine: number } {
  const lines = README.split('\n');
  const start = lines.indexOf(HEADING);
  if (start < 0) throw new Error(`README.md has no "${HEADING}" heading`);
  let end = lines.findIndex((line, index) => index > start && /^#{2,3} /.test(line));
  if (end < 0) end = lines.length;
  return { text: lines.slice(start, end).join('\n'), firstLine: start + 1 };
}

function parseStatus(text: string): Status | undefined {
  if (text === 'complete') return 'complete';
  if (text === 'missing' || /^missing: \S/.test(text)) return 'missing';
  if (/^differs: \S/.test(text)) return 'differs';
  if (/^not applicable: \S/.test(text)) return 'not applicable';
  if (/^own: \S/.test(text)) return 'own';
  return undefined;
}

function parseRows(): Row[] {
  const { text, firstLine } = coverageSection();
  const rows: Row[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = firstLine + index;
    if (!raw.startsWith('|') || /^\|[-| ]+\|$/.test(raw) || /^\| RTEMS 6 (directive|interface) \|/.test(raw)) return;
    const cells = raw.slice(1, raw.endsWith('|') ? -1 : undefined).split(' | ').map((cell) => cell.trim());
    if (cells.length !== 3) throw new Error(`README.md line ${line}: expected 3 cells, got ${cells.length}: ${raw}`);
    const [directiveCell, jsCell, statusText] = cells as [string, string, string];
    const status = parseStatus(statusText);
    if (status === undefined) throw new Error(`README.md line ${line}: unknown status "${statusText}"`);
    const directives = directiveCell === '-' ? [] : [...directiveCell.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1] as string);
    const js = jsCell === '-' ? [] : [...jsCell.matchAll(/`([A-Za-z_$][A-Za-z0-9_$]*)`(?:\\\*)?( \(export\))?/g)].map((m) => ({ name: m[1] as string, isExport: m[2] !== undefined }));
    if (directiveCell !== '-' && directives.length === 0) throw new Error(`README.md line ${line}: no directive name in "${directiveCell}"`);
    if (jsCell !== '-' && js.length === 0) throw new Error(`README.md line ${line}: no JS name in "${jsCell}"`);
    rows.push({ line, directives, js, status, statusText });
  });
  return rows;
}

const rows = parseRows();

/** The API members of Rtems.prototype: methods, and getters such as interruptMask. */
function rtemsMembers(): string[] {
  return Object.getOwnPropertyNames(Rtems.prototype).filter((name) => {
    if (NOT_API.has(name)) return false;
    const descriptor = Object.getOwnPropertyDescriptor(Rtems.prototype, name);
    return typeof descriptor?.value === 'function' || typeof descriptor?.get === 'function';
  });
}

function isRtemsMember(name: string): boolean {
  if (NOT_API.has(name)) return false;
  // A descriptor, not Rtems.prototype[name]: reading a getter on the bare prototype would run it.
  const descriptor = Object.getOwnPropertyDescriptor(Rtems.prototype, name);
  return typeof descriptor?.value === 'function' || typeof descriptor?.get === 'function';
}

function totals(): Record<Status, number> {
  const count: Record<Status, number> = { complete: 0, differs: 0, 'not applicable': 0, missing: 0, own: 0 };
  for (const row of rows) count[row.status] += row.status === 'own' ? row.js.length : row.directives.length;
  return count;
}

describe('README.md "Classic API coverage (RTEMS 6)"', () => {
  it('has rows, each with a status the legend defines', () => {
    expect(rows.length).toBeGreaterThan(100);
  });

  it('names each RTEMS directive once', () => {
    const seen = new Map<string, number>();
    const duplicates: string[] = [];
    for (const row of rows) {
      for (const directive of row.directives) {
        const earlier = seen.get(directive);
        if (earlier !== undefined) duplicates.push(`${directive} (lines ${earlier} and ${row.line})`);
        seen.set(directive, row.line);
      }
    }
    expect(duplicates).toEqual([]);
  });

  it('gives one JS name for each complete or differing directive, and none for the others', () => {
    const wrong: string[] = [];
    for (const row of rows) {
      const implemented = row.status === 'complete' || row.status === 'differs';
      if (implemented && (row.directives.length !== 1 || row.js.length !== 1)) wrong.push(`line ${row.line}: ${row.status} needs one directive and one JS name`);
      if ((row.status === 'missing' || row.status === 'not applicable') && row.js.length > 0) wrong.push(`line ${row.line}: ${row.status} but names ${row.js.map((j) => j.name).join(', ')}`);
      if (row.status === 'own' && (row.directives.length > 0 || row.js.length !== 1)) wrong.push(`line ${row.line}: own needs no directive and one JS name`);
    }
    expect(wrong).toEqual([]);
  });

  it('names only JS members that exist: Rtems.prototype, or package exports marked (export)', () => {
    const exports = cpukit as Record<string, unknown>;
    const absent = rows.flatMap((row) =>
      row.js.filter((js) => (js.isExport ? typeof exports[js.name] !== 'function' : !isRtemsMember(js.name))).map((js) => `line ${row.line}: ${js.name}${js.isExport ? ' (export)' : ''}`),
    );
    expect(absent).toEqual([]);
  });

  it('lists every member of Rtems.prototype', () => {
    const listed = new Set(rows.flatMap((row) => row.js.filter((js) => !js.isExport).map((js) => js.name)));
    expect(rtemsMembers().filter((name) => !listed.has(name))).toEqual([]);
  });

  it('states the totals of its rows', () => {
    const count = totals();
    const line = `**Totals** (one count per directive name): ${count.complete} complete, ${count.differs} differs, ${count['not applicable']} not applicable, ${count.missing} missing; ${count.own} of this executive's own helpers.`;
    expect(README.split('\n').find((l) => l.startsWith('**Totals**'))).toBe(line);
  });
});
