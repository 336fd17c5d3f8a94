/**
 * YAML (and JSON, which is YAML) text -> plain configuration data, for POK's config.yaml
 * and the runner's module config alike. Whatever the text, the result is data or errors:
 * never an exception, never a value the readers cannot trust.
 *
 *  - one document; mappings and lists at most CONFIG_LIMITS.nesting deep (checked on the
 *    parser's token tree before the document is built, so deep input cannot exhaust the stack);
 *  - aliases are expanded as plain copies, each use counting against CONFIG_LIMITS.values
 *    (an alias bomb is one error, not an exhausted heap; a cycle is a nesting error);
 *  - keys are strings (numbers and booleans spelled as keys are read as their text), without
 *    control characters, kept in prototype-less mappings: `__proto__` or `constructor` is a
 *    key like any other, reported or read by the readers, never dropped;
 *  - numbers are finite and, when whole, exact (within 2^53): `.inf`, `.nan` and
 *    99999999999999999999 are errors naming their path and their text;
 *  - timestamps, binary data and other non-JSON scalars (YAML 1.1 tags) are errors.
 */
import { CONFIG_LIMITS, type ConfigError, type ConfigObject, type ConfigValue, controlCharacter, fileTooLong, joinPath, oneLine, quote } from '@paravirt/machine';
import { Composer, CST, type Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser, visit } from 'yaml';

export interface YamlDataResult {
  readonly value?: ConfigValue;
  readonly errors: readonly ConfigError[];
}

/** A CST token, as far as the nesting check needs it. */
interface Token {
  readonly type: string;
  readonly offset: number;
  readonly value?: Token;
  readonly items?: ReadonlyArray<{ readonly key?: Token | null; readonly value?: Token | null }>;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

class Stop extends Error {
  constructor(readonly error: ConfigError) {
    super(error.message);
  }
}

/** Parses YAML or JSON text into plain data; syntax errors carry their line. */
export function parseYamlData(text: string): YamlDataResult {
  const tooLong = fileTooLong(text);
  if (tooLong) return { errors: [tooLong] };
  const lines = new LineCounter();
  const line = (offset: number): string => `line ${lines.linePos(Math.max(0, Math.min(offset, text.length))).line}`;
  try {
    const lexemes = scan(text);
    if (!Array.isArray(lexemes)) return { errors: [lexemes] };
    const parser = new Parser(lines.addNewLine);
    lines.addNewLine(0);
    const tokens: Token[] = [];
    for (const lexeme of lexemes) for (const token of parser.next(lexeme)) tokens.push(token);
    for (const token of parser.end()) tokens.push(token);
    const documents = tokens.filter((token) => token.type === 'document');
    if (documents.length > 1) return { errors: [{ path: line(documents[1]!.offset), message: 'a second YAML document: a configuration file holds exactly one' }] };
    const deep = tooDeep(tokens);
    if (deep) return { errors: [{ path: line(deep.offset), message: `mappings and lists nested more than ${CONFIG_LIMITS.nesting} deep` }] };

    // uniqueKeys is checked by the converter: yaml's own check compares every key with every other (124,000 keys: 156 s).
    const composer = new Composer({ intAsBigInt: true, stringKeys: true, uniqueKeys: false, prettyErrors: false });
    const docs = [...composer.compose(tokens as never, true, text.length)];
    const document = docs[0];
    if (!document) return { value: null, errors: [] };
    if (document.errors.length > 0) {
      return { errors: document.errors.map((error) => ({ path: line(error.pos[0]), message: oneLine(error.message.split('\n')[0]!) })) };
    }
    const converter = new Converter(document, line);
    // Counting first (each anchored node once) refuses an alias bomb without building it.
    if (converter.size(document.contents, 0) > CONFIG_LIMITS.values) throw converter.overBudget();
    return { value: converter.convert(document.contents, '', 0), errors: [] };
  } catch (error) {
    if (error instanceof Stop) return { errors: [error.error] };
    // The yaml library's own limits (and anything unforeseen) end as one line, never a stack trace.
    return { errors: [{ path: '(file)', message: `cannot read the YAML: ${oneLine(error instanceof Error ? error.message.split('\n')[0]! : String(error))}` }] };
  }
}

const SCALAR_TYPES = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar-header']);
const FLOW_START = new Set(['flow-map-start', 'flow-seq-start']);
const FLOW_END = new Set(['flow-map-end', 'flow-seq-end']);

/**
 * The lexer's tokens, if the text stays within the limits the lexer can see: at most
 * CONFIG_LIMITS.yamlTokens tokens, flow collections nested at most CONFIG_LIMITS.nesting
 * deep, at most CONFIG_LIMITS.values scalars and flow collections. The lexer is linear and
 * stops at the first excess; the parser after it costs far more per token (2 MiB of "[" took
 * it 17 s, 4 MiB of comment lines 7 s).
 */
function scan(text: string): string[] | ConfigError {
  const lexemes: string[] = [];
  let depth = 0;
  let values = 0;
  let line = 1;
  const tooMany = { path: '', message: `more than ${CONFIG_LIMITS.values} values (aliases count each time they are used)` };
  for (const lexeme of new Lexer().lex(text)) {
    if (lexemes.length >= CONFIG_LIMITS.yamlTokens) return { path: `line ${line}`, message: `more than ${CONFIG_LIMITS.yamlTokens} YAML tokens (10,000 windows are about 300,000)` };
    const type = CST.tokenType(lexeme);
    if (type !== null && FLOW_START.has(type)) {
      if (++depth > CONFIG_LIMITS.nesting) return { path: `line ${line}`, message: `mappings and lists nested more than ${CONFIG_LIMITS.nesting} deep` };
      if (++values > CONFIG_LIMITS.values) return { ...tooMany, path: `line ${line}` };
    } else if (type !== null && FLOW_END.has(type)) depth = Math.max(0, depth - 1);
    else if (type !== null && SCALAR_TYPES.has(type) && ++values > CONFIG_LIMITS.values) return { ...tooMany, path: `line ${line}` };
    for (let at = lexeme.indexOf('\n'); at >= 0; at = lexeme.indexOf('\n', at + 1)) line++;
    lexemes.push(lexeme);
  }
  return lexemes;
}

/** The first collection token nested deeper than the limit, walking the token tree without recursion. */
function tooDeep(tokens: readonly Token[]): Token | undefined {
  const stack: Array<{ token: Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    const level = COLLECTIONS.has(token.type) ? depth + 1 : depth;
    if (level > CONFIG_LIMITS.nesting) return token;
    if (token.value && typeof token.value === 'object') stack.push({ token: token.value, depth: level });
    for (const item of token.items ?? []) {
      if (item.key && typeof item.key === 'object') stack.push({ token: item.key, depth: level });
      if (item.value && typeof item.value === 'object') stack.push({ token: item.value, depth: level });
    }
  }
  return undefined;
}

class Converter {
  private count = 0;
  private readonly sizes = new Map<unknown, number>();
  /** Each alias's node: the last node before it with that anchor (YAML's rule), found in one walk. */
  private readonly targets = new Map<unknown, unknown>();

  constructor(
    document: Document,
    private readonly line: (offset: number) => string,
  ) {
    // yaml's Alias.resolve(doc) walks the whole document for every alias: quadratic.
    const anchors = new Map<string, unknown>();
    visit(document, {
      Node: (_key, node) => {
        if (isAlias(node)) this.targets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  private resolve(node: unknown): unknown {
    return this.targets.get(node);
  }

  overBudget(): Stop {
    return new Stop({ path: '(file)', message: `more than ${CONFIG_LIMITS.values} values (aliases count each time they are used)` });
  }

  /**
   * How many values `node` expands to (capped just above the budget), each collection counted
   * once however many aliases use it. Below the nesting limit only: convert() reports deeper
   * nesting, and its own count stays the guarantee.
   */
  size(node: unknown, depth: number): number {
    if (isAlias(node)) {
      const target = this.resolve(node);
      return target ? this.size(target, depth) : 1;
    }
    if (!isMap(node) && !isSeq(node)) return 1;
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    if (depth >= CONFIG_LIMITS.nesting) return 1;
    let total = 1;
    for (const item of node.items as unknown[]) {
      total += isPair(item) ? 1 + this.size(item.value, depth + 1) : this.size(item, depth + 1);
      if (total > CONFIG_LIMITS.values) break;
    }
    this.sizes.set(node, total);
    return total;
  }

  convert(node: unknown, path: string, depth: number): ConfigValue {
    if (++this.count > CONFIG_LIMITS.values) throw this.overBudget();
    const where = path === '' ? '(top level)' : path;
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = this.resolve(node);
      if (!target) throw new Stop({ path: where, message: `alias *${node.source} names no anchor before it` });
      return this.convert(target, path, depth);
    }
    if (isScalar(node)) return this.scalar(node.value, node.source, where);
    if (isMap(node) || isSeq(node)) {
      if (depth >= CONFIG_LIMITS.nesting) throw new Stop({ path: where, message: `mappings and lists nested more than ${CONFIG_LIMITS.nesting} deep (through aliases)` });
      if (isSeq(node)) {
        return node.items.map((item, index) => (isPair(item) ? this.pairs([item], joinPath(path, index), depth + 1) : this.convert(item, joinPath(path, index), depth + 1)));
      }
      return this.pairs(node.items, path, depth + 1);
    }
    throw new Stop({ path: where, message: 'a YAML value that is not a mapping, list, string, number, boolean or null' });
  }

  /** Key-value pairs as a mapping without a prototype. */
  private pairs(items: readonly unknown[], path: string, depth: number): ConfigObject {
    const out = Object.create(null) as ConfigObject;
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = isAlias(pair.key) ? this.resolve(pair.key) : pair.key;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      const where = path === '' ? '(top level)' : path;
      if (typeof key !== 'string') throw new Stop({ path: where, message: 'a key that is not a plain string (merge keys << are not supported)' });
      if (key.length === 0) throw new Stop({ path: where, message: 'an empty key' });
      const control = controlCharacter(key);
      if (control) throw new Stop({ path: where, message: `the key ${quote(key)} contains a control character or line break (${control})` });
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        const at = isScalar(keyNode) && keyNode.range ? ` (again at ${this.line(keyNode.range[0])})` : '';
        throw new Stop({ path: joinPath(path, key), message: `duplicate key${at}` });
      }
      this.count++;
      out[key] = this.convert(pair.value, joinPath(path, key), depth);
    }
    return out;
  }

  private scalar(value: unknown, source: string | undefined, path: string): ConfigValue {
    const text = source ?? String(value);
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'bigint') {
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new Stop({ path, message: `${text} is too large: whole numbers must be within ±${Number.MAX_SAFE_INTEGER} (2^53 - 1)` });
      }
      return Number(value);
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Stop({ path, message: `${text} is not a finite number` });
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw new Stop({ path, message: `${text} is too large: whole numbers must be within ±${Number.MAX_SAFE_INTEGER} (2^53 - 1)` });
      }
      return value;
    }
    const kind = value instanceof Date ? 'a timestamp' : value instanceof Uint8Array ? 'binary data' : 'a value of an unsupported YAML type';
    throw new Stop({ path, message: `${kind} (${quote(text)}): write it as a quoted string` });
  }
}
