/**
 * The XML layer under airXml.ts: what of XML's DTD machinery a configuration may use, and
 * the bounds that keep any input a clear error rather than a stack trace or an exhausted heap.
 *
 * AIR's configurator reads its XML with Python's ElementTree over expat
 * (air/tools/configurator/utils/xml_parser.py, xmlOpen: cElementTree.parse with
 * XMLCustomParser). That parser expands internal entities, nested ones included, and never
 * loads anything from outside the file: a reference to an external entity fails with
 * "undefined entity" (ElementTree XMLParser._default). We take the same position and
 * say so up front:
 *
 *  - a DOCTYPE may hold internal general entities (`<!ENTITY name "text">`), comments,
 *    processing instructions, and ELEMENT / NOTATION declarations (validation only, ignored);
 *  - refused, each with its own message: an external DTD (`<!DOCTYPE x SYSTEM "...">`),
 *    external entities (SYSTEM / PUBLIC), parameter entities, ATTLIST declarations (their
 *    defaults would add attributes we would not see), entities holding markup, an entity
 *    declared twice, more than CONFIG_LIMITS.xmlEntities entities;
 *  - entity references are expanded fully (nested, any depth without cycles) wherever a value
 *    is read, at most CONFIG_LIMITS.xmlEntityExpansion characters in all; a reference to an
 *    undeclared entity, a recursive entity, an invalid character reference or a bare `&` is an
 *    error with its line, so no `&name;` text ever reaches a name;
 *  - elements nest at most CONFIG_LIMITS.nesting deep, and elements and attributes together
 *    number at most CONFIG_LIMITS.values (the parser spends about a microsecond per character).
 *
 * prepareXml checks all of that in one pass over the text and returns the text with the
 * DOCTYPE blanked out (line numbers kept) for the XML parser, which then runs without any
 * entity processing of its own; EntityTable.decode turns an attribute value or text into
 * its characters.
 */
import { CONFIG_LIMITS, type ConfigError, quote } from '@paravirt/machine';

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML 1.0 NameStartChar and NameChar (BMP part). */
const NAME_START = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME_CHAR = `${NAME_START}0-9.\\-\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// eslint-disable-next-line no-misleading-character-class -- XML's NameChar includes the combining marks U+0300-U+036F as a range
const NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`);
/** A reference at the start of the text: &name; or &#123; or &#x1F;. */
// eslint-disable-next-line no-misleading-character-class -- as NAME
const REFERENCE = new RegExp(`^&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([${NAME_START}][${NAME_CHAR}]*));`);

class XmlProblem extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** XML 1.0 Char: what a character reference may produce. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function charReference(decimal: string | undefined, hex: string | undefined): string | undefined {
  const digits = decimal ?? hex ?? '';
  if (digits.length > 8) return undefined;
  const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
  return isXmlChar(code) ? String.fromCodePoint(code) : undefined;
}

/** The internal entities of a document, expanded on demand within one budget for the whole document. */
export class EntityTable {
  /** Replacement text as declared (character references already replaced, as XML does at declaration). */
  private readonly declared = new Map<string, string>();
  private readonly expanded = new Map<string, string>();
  private used = 0;

  get size(): number {
    return this.declared.size;
  }

  resetBudget(): void {
    this.used = 0;
  }

  declare(name: string, replacement: string, offset: number): void {
    if (name in PREDEFINED) throw new XmlProblem(offset, `the DOCTYPE redeclares the predefined entity &${name};`);
    if (this.declared.has(name)) throw new XmlProblem(offset, `entity &${name}; is declared twice`);
    if (this.declared.size >= CONFIG_LIMITS.xmlEntities) throw new XmlProblem(offset, `more than ${CONFIG_LIMITS.xmlEntities} entity declarations`);
    if (replacement.includes('<')) throw new XmlProblem(offset, `entity &${name}; holds markup (<); only text entities are supported`);
    this.declared.set(name, replacement);
  }

  has(name: string): boolean {
    return name in PREDEFINED || this.declared.has(name);
  }

  /**
   * The characters of an attribute value or a text: references replaced, entities expanded
   * fully. Returns a message (not an exception) for a reference that cannot be expanded.
   */
  decode(raw: string, attribute: boolean): { value: string } | { error: string } {
    try {
      return { value: this.decodeText(attribute ? raw.replace(/[\t\n\r]/g, ' ') : raw, attribute, new Set(), true) };
    } catch (error) {
      if (error instanceof XmlProblem) return { error: error.problem };
      throw error;
    }
  }

  private decodeText(text: string, attribute: boolean, active: Set<string>, count: boolean): string {
    if (!text.includes('&')) return text;
    let out = '';
    let from = 0;
    for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', from)) {
      out += text.slice(from, at);
      const match = REFERENCE.exec(text.slice(at, at + 300));
      if (!match) throw new XmlProblem(at, `"&" must start an entity or character reference (write &amp; for a literal &)`);
      from = at + match[0].length;
      if (match[3] === undefined) {
        const char = charReference(match[1], match[2]);
        if (char === undefined) throw new XmlProblem(at, `${match[0]} is not a character XML allows`);
        out += char;
        continue;
      }
      const name = match[3];
      const predefined = PREDEFINED[name];
      if (predefined !== undefined) {
        out += predefined;
        continue;
      }
      const replacement = this.expand(name, attribute, active);
      if (count) {
        this.used += replacement.length;
        if (this.used > CONFIG_LIMITS.xmlEntityExpansion) throw new XmlProblem(at, `entity references expand to more than ${CONFIG_LIMITS.xmlEntityExpansion} characters`);
      }
      out += replacement;
      if (out.length > CONFIG_LIMITS.xmlEntityExpansion) throw new XmlProblem(at, `entity references expand to more than ${CONFIG_LIMITS.xmlEntityExpansion} characters`);
    }
    return out + text.slice(from);
  }

  private expand(name: string, attribute: boolean, active: Set<string>): string {
    const memo = this.expanded.get(name);
    if (memo !== undefined) return attribute ? memo.replace(/[\t\n\r]/g, ' ') : memo;
    const declared = this.declared.get(name);
    if (declared === undefined) throw new XmlProblem(0, `undefined entity &${name};`);
    if (active.has(name)) throw new XmlProblem(0, `entity &${name}; refers to itself`);
    active.add(name);
    const value = this.decodeText(declared, false, active, false);
    active.delete(name);
    this.expanded.set(name, value);
    return attribute ? value.replace(/[\t\n\r]/g, ' ') : value;
  }
}

export interface PreparedXml {
  /** The document for the XML parser: DOCTYPE blanked out (newlines kept), everything else as written. */
  readonly text: string;
  readonly entities: EntityTable;
}

/** Checks the document's DTD use, references and nesting; the text for the parser, or one error with its line. */
export function prepareXml(source: string): { xml: PreparedXml } | { error: ConfigError } {
  const text = source.replace(/^\uFEFF/, '');
  const line = (offset: number): string => {
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) count++;
    return `line ${count}`;
  };
  const entities = new EntityTable();
  try {
    const prolog = readProlog(text, entities);
    checkBody(text, prolog.bodyStart, entities);
    // checkBody expanded every reference once against the budget; reading expands a subset of them again.
    entities.resetBudget();
    const blanked = prolog.doctype ? text.slice(0, prolog.doctype.start) + text.slice(prolog.doctype.start, prolog.doctype.end).replace(/[^\n]/g, ' ') + text.slice(prolog.doctype.end) : text;
    return { xml: { text: blanked, entities } };
  } catch (error) {
    if (error instanceof XmlProblem) return { error: { path: line(error.offset), message: error.problem } };
    throw error;
  }
}

/** The XML declaration, comments, processing instructions and the DOCTYPE before the root element. */
function readProlog(text: string, entities: EntityTable): { bodyStart: number; doctype?: { start: number; end: number } } {
  let i = 0;
  let doctype: { start: number; end: number } | undefined;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) i = skipPast(text, i, '?>');
    else if (text.startsWith('<!--', i)) i = skipPast(text, i, '-->');
    else if (text.startsWith('<!DOCTYPE', i)) {
      if (doctype) throw new XmlProblem(i, 'a second DOCTYPE');
      const start = i;
      i = readDoctype(text, i, entities);
      doctype = { start, end: i };
    } else return doctype ? { bodyStart: i, doctype } : { bodyStart: i };
  }
}

function skipPast(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at < 0 ? text.length : at + end.length;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function readName(text: string, i: number): { name: string; next: number } {
  let end = i;
  while (end < text.length && !/[\s>[\]"'%]/.test(text[end]!)) end++;
  return { name: text.slice(i, end), next: end };
}

function readQuoted(text: string, i: number, what: string): { value: string; next: number } {
  const quoteChar = text[i];
  if (quoteChar !== '"' && quoteChar !== "'") throw new XmlProblem(i, `${what}: expected a quoted value`);
  const end = text.indexOf(quoteChar, i + 1);
  if (end < 0) throw new XmlProblem(i, `${what}: the quoted value is never closed`);
  return { value: text.slice(i + 1, end), next: end + 1 };
}

/** Skips a declaration to its closing '>' (quotes respected). */
function skipDeclaration(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, j + 1);
      if (end < 0) break;
      j = end;
    } else if (c === '>') return j + 1;
  }
  throw new XmlProblem(i, 'a declaration in the DOCTYPE is never closed');
}

function readDoctype(text: string, start: number, entities: EntityTable): number {
  let i = skipSpace(text, start + '<!DOCTYPE'.length);
  const root = readName(text, i);
  i = skipSpace(text, root.next);
  if (text.startsWith('SYSTEM', i) || text.startsWith('PUBLIC', i)) {
    throw new XmlProblem(start, `the DOCTYPE names an external DTD (${text.startsWith('SYSTEM', i) ? 'SYSTEM' : 'PUBLIC'}); it is not read: a configuration is one self-contained file, so remove the external identifier`);
  }
  if (text[i] === '[') {
    i++;
    for (;;) {
      i = skipSpace(text, i);
      if (i >= text.length) throw new XmlProblem(start, 'the DOCTYPE is never closed');
      if (text[i] === ']') {
        i++;
        break;
      }
      if (text.startsWith('<!--', i)) i = skipPast(text, i, '-->');
      else if (text.startsWith('<?', i)) i = skipPast(text, i, '?>');
      else if (text.startsWith('<!ENTITY', i)) i = readEntity(text, i, entities);
      else if (text.startsWith('<!ELEMENT', i) || text.startsWith('<!NOTATION', i)) i = skipDeclaration(text, i);
      else if (text.startsWith('<!ATTLIST', i)) throw new XmlProblem(i, 'attribute-list declarations (<!ATTLIST>) are not supported: write the attributes on the elements');
      else if (text[i] === '%') throw new XmlProblem(i, 'parameter entity references (%name;) are not supported');
      else throw new XmlProblem(i, `unexpected text in the DOCTYPE: ${quote(text.slice(i, i + 20))}`);
    }
    i = skipSpace(text, i);
  }
  if (text[i] !== '>') throw new XmlProblem(start, 'the DOCTYPE is never closed');
  return i + 1;
}

function readEntity(text: string, start: number, entities: EntityTable): number {
  let i = skipSpace(text, start + '<!ENTITY'.length);
  if (text[i] === '%') throw new XmlProblem(start, 'parameter entities (<!ENTITY % ...>) are not supported');
  const { name, next } = readName(text, i);
  if (!NAME.test(name)) throw new XmlProblem(start, `${quote(name)} is not an entity name`);
  i = skipSpace(text, next);
  if (text.startsWith('SYSTEM', i) || text.startsWith('PUBLIC', i)) {
    throw new XmlProblem(start, `external entity &${name}; (${text.startsWith('SYSTEM', i) ? 'SYSTEM' : 'PUBLIC'}) is not read: a configuration is one self-contained file`);
  }
  const { value, next: after } = readQuoted(text, i, `entity &${name};`);
  if (value.includes('%')) throw new XmlProblem(start, `entity &${name};: parameter entity references (%) are not supported`);
  for (let at = value.indexOf('&'); at >= 0; at = value.indexOf('&', at + 1)) {
    if (!REFERENCE.test(value.slice(at, at + 300))) throw new XmlProblem(start, `entity &${name};: "&" must start an entity or character reference (write &amp; for a literal &)`);
  }
  // Character references are replaced at declaration; entity references stay and expand when used.
  const replacement = value.replace(/&#([0-9]+);|&#x([0-9a-fA-F]+);/g, (reference, decimal: string | undefined, hex: string | undefined) => {
    const char = charReference(decimal, hex);
    if (char === undefined) throw new XmlProblem(start, `${reference} is not a character XML allows`);
    return char;
  });
  entities.declare(name, replacement, start);
  i = skipSpace(text, after);
  if (text[i] !== '>') throw new XmlProblem(start, `entity &${name};: expected > after the value`);
  return i + 1;
}

/**
 * One pass over the document after the prolog: every reference must be declared or
 * predefined (expanding each as it would be read, so a bomb fails here), no second DOCTYPE,
 * elements at most CONFIG_LIMITS.nesting deep.
 */
function checkBody(text: string, from: number, entities: EntityTable): void {
  const checkReferences = (segment: string, offset: number, attribute: boolean): void => {
    if (!segment.includes('&')) return;
    const decoded = entities.decode(segment, attribute);
    if ('error' in decoded) {
      const at = firstBadReference(segment, entities);
      throw new XmlProblem(offset + at, decoded.error);
    }
  };
  let depth = 0;
  let values = 0;
  const count = (offset: number): void => {
    if (++values > CONFIG_LIMITS.values) throw new XmlProblem(offset, `more than ${CONFIG_LIMITS.values} values (elements and attributes)`);
  };
  let i = from;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? text.length : lt;
    checkReferences(text.slice(i, end), i, false);
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) i = skipPast(text, i, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipPast(text, i, ']]>');
    else if (text.startsWith('<?', i)) i = skipPast(text, i, '?>');
    else if (text.startsWith('<!DOCTYPE', i)) throw new XmlProblem(i, 'a DOCTYPE is only allowed before the root element');
    else if (text.startsWith('<!', i)) i += 2;
    else if (text.startsWith('</', i)) {
      depth = Math.max(0, depth - 1);
      i = skipPast(text, i, '>');
    } else {
      // A start tag: attribute values are checked for references; '/>' closes it at once.
      count(i);
      let j = i + 1;
      let selfClosing = false;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === '"' || c === "'") {
          const close = text.indexOf(c, j + 1);
          const valueEnd = close < 0 ? text.length : close;
          count(j);
          checkReferences(text.slice(j + 1, valueEnd), j + 1, true);
          j = valueEnd;
        } else if (c === '>') {
          selfClosing = text[j - 1] === '/';
          break;
        } else if (c === '<') {
          j--;
          break;
        }
      }
      if (!selfClosing) {
        depth++;
        if (depth > CONFIG_LIMITS.nesting) throw new XmlProblem(i, `elements nested more than ${CONFIG_LIMITS.nesting} deep`);
      }
      i = j + 1;
    }
  }
}

/** Offset of the first reference in `segment` that does not decode (for the error's line). */
function firstBadReference(segment: string, entities: EntityTable): number {
  for (let at = segment.indexOf('&'); at >= 0; at = segment.indexOf('&', at + 1)) {
    const match = REFERENCE.exec(segment.slice(at, at + 300));
    if (!match) return at;
    if (match[3] !== undefined && !entities.has(match[3])) return at;
    if (match[3] === undefined && charReference(match[1], match[2]) === undefined) return at;
  }
  return 0;
}
