/**
 * Where in the config's text an error's path points: `schedules[0].windows[2].start`,
 * `partitions.ctrl.permissions` (a partition by name), `line 12`, or an ARINC 653 XML path
 * (`ARINC_653_Module.Partition[1].PartitionName`). The readers report paths, not lines, so
 * the editor walks the text: YAML by indentation (block mappings and sequences, flow
 * `{ ... }` and `[ ... ]` on one line), XML by element and attribute names in order. Best
 * effort: the deepest part of the path that is found gives the line; nothing found, line 1.
 */

type Segment = string | number;

/** `a.b[2].c` -> ['a', 'b', 2, 'c']. */
export function pathSegments(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** The 1-based line `path` points at in `text`. */
export function lineOfPath(text: string, path: string): number {
  const lines = text.split(/\r?\n/);
  const explicit = /^line (\d+)/.exec(path);
  if (explicit) return clamp(Number(explicit[1]), lines.length);
  if (text.replace(/^\uFEFF/, '').trimStart().startsWith('<')) return clamp(xmlLine(text, pathSegments(path)), lines.length);
  return clamp(yamlLine(lines, pathSegments(path)) + 1, lines.length);
}

const clamp = (line: number, count: number): number => Math.min(Math.max(1, line), Math.max(1, count));

// ---------------------------------------------------------------------------------- YAML

interface Line {
  readonly indent: number;
  /** The text after the indentation, without a trailing comment. */
  readonly content: string;
}

/** A node: lines [start, end); the first line may be a sequence item's, seen after its `- `. */
interface Node {
  readonly start: number;
  readonly end: number;
  /** Set for a sequence item: its first line, after the dash. */
  readonly first?: Line;
  /** A flow collection or scalar on one line: nothing deeper to walk. */
  readonly flow?: string;
}

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

function parseLines(raw: readonly string[]): Line[] {
  return raw.map((line) => {
    const content = stripComment(line);
    const indent = content.length - content.trimStart().length;
    return { indent, content: content.trimStart() };
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function keyPattern(key: string): RegExp {
  const k = escapeRegExp(key);
  return new RegExp(`^(?:"${k}"|'${k}'|${k})[ \\t]*:(?:[ \\t]|$)`);
}

/** The line of a node, seen as the node (the first line of an item after its dash). */
function lineAt(lines: readonly Line[], node: Node, index: number): Line {
  return index === node.start && node.first ? node.first : lines[index]!;
}

/** Lines of a node's children: those indented at the node's first content line. */
function childIndent(lines: readonly Line[], node: Node): number | undefined {
  for (let i = node.start; i < node.end; i++) {
    const line = lineAt(lines, node, i);
    if (line.content !== '') return line.indent;
  }
  return undefined;
}

/** The end of the block that starts after line `from` and is indented deeper than `indent` (or a sequence at `indent` under a key). */
function blockEnd(lines: readonly Line[], from: number, limit: number, indent: number, sequenceAtSameIndent: boolean): number {
  let i = from;
  for (; i < limit; i++) {
    const line = lines[i]!;
    if (line.content === '') continue;
    if (line.indent > indent) continue;
    if (sequenceAtSameIndent && line.indent === indent && (line.content === '-' || line.content.startsWith('- '))) continue;
    break;
  }
  return i;
}

function mappingEntry(lines: readonly Line[], node: Node, key: string): { line: number; child: Node } | undefined {
  const indent = childIndent(lines, node);
  if (indent === undefined) return undefined;
  const pattern = keyPattern(key);
  for (let i = node.start; i < node.end; i++) {
    const line = lineAt(lines, node, i);
    if (line.content === '' || line.indent !== indent) continue;
    const match = pattern.exec(line.content);
    if (!match) continue;
    const value = line.content.slice(match[0].length).trim();
    if (value !== '' && !value.startsWith('&') && !value.startsWith('|') && !value.startsWith('>')) return { line: i, child: { start: i, end: i + 1, flow: value } };
    // An empty value: the block below it (a sequence may sit at the key's own indentation).
    return { line: i, child: { start: i + 1, end: blockEnd(lines, i + 1, node.end, indent, true) } };
  }
  return undefined;
}

function sequenceItems(lines: readonly Line[], node: Node): Node[] {
  const indent = childIndent(lines, node);
  if (indent === undefined) return [];
  const items: Node[] = [];
  for (let i = node.start; i < node.end; i++) {
    const line = lineAt(lines, node, i);
    if (line.indent !== indent || !(line.content === '-' || line.content.startsWith('- '))) continue;
    const after = line.content.slice(1);
    const rest = after.trimStart();
    const first: Line = { indent: indent + 1 + (after.length - rest.length), content: rest };
    const end = blockEnd(lines, i + 1, node.end, indent, false);
    items.push(rest.startsWith('{') || rest.startsWith('[') ? { start: i, end: i + 1, first, flow: rest } : { start: i, end, first });
  }
  return items;
}

/** An item of a sequence found by its `name:` (`partitions.ctrl`). */
function namedItem(lines: readonly Line[], items: readonly Node[], name: string): Node | undefined {
  const value = new RegExp(`(?:^|[{,\\s])name[ \\t]*:[ \\t]*(?:"${escapeRegExp(name)}"|'${escapeRegExp(name)}'|${escapeRegExp(name)})[ \\t]*(?:[,}]|$)`);
  return items.find((item) => {
    for (let i = item.start; i < item.end; i++) if (value.test(lineAt(lines, item, i).content)) return true;
    return false;
  });
}

/** 0-based line of `segments` in YAML lines. */
function yamlLine(raw: readonly string[], segments: readonly Segment[]): number {
  const lines = parseLines(raw);
  let node: Node = { start: 0, end: lines.length };
  let found = 0;
  for (const segment of segments) {
    if (node.flow !== undefined) break;
    if (typeof segment === 'number') {
      const item = sequenceItems(lines, node)[segment];
      if (!item) break;
      node = item;
      found = item.start;
      continue;
    }
    const entry = mappingEntry(lines, node, segment);
    if (entry) {
      node = entry.child;
      found = entry.line;
      continue;
    }
    const item = namedItem(lines, sequenceItems(lines, node), segment);
    if (!item) break;
    node = item;
    found = item.start;
  }
  return found;
}

// ----------------------------------------------------------------------------------- XML

/** 1-based line of `segments` in XML text: each element by name (the n-th for `[n]`) after the last one found, a last name may be an attribute. */
function xmlLine(text: string, segments: readonly Segment[]): number {
  let position = 0;
  let found = -1;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (typeof segment === 'number') continue;
    const index = typeof segments[i + 1] === 'number' ? (segments[i + 1] as number) : 0;
    const element = new RegExp(`<${escapeRegExp(segment)}[\\s/>]`, 'g');
    element.lastIndex = position;
    let match: RegExpExecArray | null = null;
    for (let n = 0; n <= index; n++) {
      match = element.exec(text);
      if (!match) break;
    }
    if (match) {
      position = match.index + 1;
      found = match.index;
      continue;
    }
    const attribute = new RegExp(`\\s${escapeRegExp(segment)}\\s*=`, 'g');
    attribute.lastIndex = position;
    const attr = attribute.exec(text);
    if (attr) found = attr.index + 1;
    break;
  }
  return found < 0 ? 1 : text.slice(0, found).split('\n').length;
}
