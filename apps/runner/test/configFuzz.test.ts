/**
 * Property-based fuzzing of the config readers (seeded, fixed run counts, a few seconds):
 * random and mutated configurations in every format go through loadConfig and, when they
 * read, planKernel and the schedule analysis. Neither may throw; every error must be a
 * non-empty one-line path and message (`error: <path>: <message>` is one line), and an
 * error is never an "internal error" (the catch-all of loadConfig hides a reader bug).
 *
 * Mutations start from the files in examples/: keys dropped, duplicated, renamed (to
 * __proto__, constructor, ...), values retyped (huge, negative, fractional, NaN/Infinity,
 * unicode, control characters, deep nesting, aliases), lists duplicated; text-level edits
 * (cut, splice, control characters, entity references, DOCTYPEs, deep nesting) for YAML, POK
 * YAML and ARINC 653 XML alike; and plain random text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configRecord, type ConfigValue } from '@paravirt/machine';
import { parseYamlData } from '@paravirt/pok-kernel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig, type Overrides, analyseSchedules, planKernel } from '@paravirt/compose';
import { repo } from './helpers.js';

/** CONFIG_FUZZ_SEED and CONFIG_FUZZ_SCALE (run counts and time limits times N) make longer campaigns. */
const SEED = Number(process.env['CONFIG_FUZZ_SEED'] ?? 20_260_427);
const SCALE = Number(process.env['CONFIG_FUZZ_SCALE'] ?? 1);
/** Each property stops after this much wall time even if its runs are not done (a slow machine must not fail CI). */
const TIME_LIMIT_MS = 2_500 * SCALE;

const exampleFiles = (folder: string): string[] =>
  readdirSync(resolve(repo, folder), { withFileTypes: true })
    // Sweep files (*.sweep.yaml) are not module configs: test/sweep.test.ts reads them.
    .filter((entry) => entry.isFile() && /\.(ya?ml|xml)$/.test(entry.name) && !entry.name.endsWith('.sweep.yaml'))
    .map((entry) => readFileSync(resolve(repo, folder, entry.name), 'utf8'));
const EXAMPLES = [...exampleFiles('examples'), ...exampleFiles('examples/pok')];
const YAML_EXAMPLES = EXAMPLES.filter((text) => !text.trimStart().startsWith('<'));
const XML_EXAMPLES = EXAMPLES.filter((text) => text.trimStart().startsWith('<'));

const ONE_LINE = /^[^\n\r\u2028\u2029]+$/;

/** loadConfig, then planKernel and analyseSchedules on what reads: no exception, well-formed errors. */
const outcomes = { read: 0, planned: 0, refused: 0 };

function checkConfig(text: string, overrides: Overrides = {}): void {
  const loaded = loadConfig(text, overrides);
  expectWellFormed(loaded.errors);
  if (loaded.errors.length > 0) {
    outcomes.refused++;
    expect(loaded.spec).toBeUndefined();
    return;
  }
  outcomes.read++;
  expect(loaded.spec).toBeDefined();
  const spec = loaded.spec!;
  const plan = planKernel(spec, loaded.airConfig);
  expectWellFormed(plan.errors);
  if (plan.errors.length === 0) outcomes.planned++;
  expect(typeof analyseSchedules(spec)).toBe('string');
}

function expectWellFormed(errors: ReadonlyArray<{ path: string; message: string }>): void {
  for (const error of errors) {
    expect(typeof error.path).toBe('string');
    expect(typeof error.message).toBe('string');
    expect(error.path.trim().length).toBeGreaterThan(0);
    expect(error.message.trim().length).toBeGreaterThan(0);
    expect(error.path).toMatch(ONE_LINE);
    expect(error.message).toMatch(ONE_LINE);
    expect(error.message).not.toMatch(/internal error/);
  }
}

// ---------------------------------------------------------------------------------------
// Values and edits

const controlText = fc.string({ unit: fc.constantFrom('\n', '\r', '\u2028', '\u0000', '\u001b', '\u0085', '\t', 'a', '.', '&', '<', '"', "'", ':', '#', ' ', '*', '[', '{') });
const oddNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 1e300, 1e-300, 0.5, 65536, 65537, 4294967296, NaN, Infinity, -Infinity),
  fc.integer(),
  fc.double(),
);
const oddDuration = fc.constantFrom('0', '0s', '1ns', '10us', '1us', '-5ms', '1.5ns', '9007199254740992ns', '99999999999999999999h', '240h', '241h', '1e3ms', '20 parsecs', ' 3 ms ', '0.0000000001s', '2min');
const oddSize = fc.constantFrom('0', '64KiB', '63KiB', '8GiB', '4096MiB', '1.5MiB', '-3MiB', '99999999999999999999', '9999999999GiB', '2G', 'lots');
const oddKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '1', 'name', 'kernel', 'windows', 'a\nb', 'ünïcödé', '<<');

/** Deeply nested lists or mappings (deeper than any reader allows, sometimes). */
const deepValue = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.boolean()).map(([depth, asMap]) => {
  let value: ConfigValue = 'leaf';
  for (let i = 0; i < depth; i++) value = asMap ? configRecord([['k', value]]) : [value];
  return value;
});

const oddValue: fc.Arbitrary<ConfigValue> = fc.oneof(
  oddNumber,
  oddDuration,
  oddSize,
  controlText,
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom<ConfigValue>(null, true, false, [], {}, 'pok', 'air', 'none', 'i386', 'sparc', 'hello', 'idle', 'p.q', 'a.b', '&lol9;'),
  deepValue,
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<ConfigValue>,
);

/** Values a real config might hold: edits with these often still read, so planKernel sees them. */
const plausibleValue: fc.Arbitrary<ConfigValue> = fc.oneof(
  fc.constantFrom<ConfigValue>('1ms', '10ms', '20ms', '50ms', '100ms', '200ms', '1s', 0, 1_000_000, '64KiB', '1MiB', '8GiB', '4096MiB', 'air', 'pok', 'i386', 'sparc'),
  fc.constantFrom<ConfigValue>(true, false, 'hello', 'ticker', 'idle', 'IDLE', 'IGNORE', 'WARM_START', 'COLD_START', 'sampling', 'queuing', 'source', 'destination', 'fifo'),
  fc.integer({ min: 0, max: 20 }),
);

type Edit = { kind: 'drop' | 'retype' | 'rename' | 'duplicate' | 'grow'; at: number; value: ConfigValue; key: string; times: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('drop', 'retype', 'rename', 'duplicate', 'grow'),
  at: fc.nat(),
  value: oddValue,
  key: oddKey,
  times: fc.integer({ min: 2, max: 40 }),
});

/** Every (container, key) slot of a data tree, in document order. */
function slots(root: ConfigValue): Array<{ container: ConfigValue[] | Record<string, ConfigValue>; key: string | number }> {
  const out: Array<{ container: ConfigValue[] | Record<string, ConfigValue>; key: string | number }> = [];
  const walk = (value: ConfigValue, depth: number): void => {
    if (depth > 40 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        out.push({ container: value, key: index });
        walk(item, depth + 1);
      });
      return;
    }
    for (const key of Object.keys(value)) {
      out.push({ container: value, key });
      walk(value[key]!, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** Applies data-level edits in place (copying lists and mappings without prototypes, so odd keys stay keys). */
function applyEdits(root: ConfigValue, edits: readonly Edit[]): ConfigValue {
  for (const change of edits) {
    const all = slots(root);
    if (all.length === 0) return root;
    const { container, key } = all[change.at % all.length]!;
    if (Array.isArray(container)) {
      const index = key as number;
      if (change.kind === 'drop') container.splice(index, 1);
      else if (change.kind === 'duplicate' || change.kind === 'grow') container.splice(index, 0, ...Array.from({ length: change.kind === 'grow' ? change.times * 10 : 1 }, () => structuredClone(container[index]!)));
      else container[index] = change.value;
    } else {
      const record = container;
      const name = key as string;
      const current = record[name]!;
      if (change.kind === 'drop') delete record[name];
      else if (change.kind === 'rename') {
        delete record[name];
        Object.defineProperty(record, change.key, { value: current, enumerable: true, writable: true, configurable: true });
      } else if (change.kind === 'duplicate' || change.kind === 'grow') {
        Object.defineProperty(record, `${name}${change.kind === 'grow' ? change.times : ''}`, { value: structuredClone(current), enumerable: true, writable: true, configurable: true });
      } else record[name] = change.value;
    }
  }
  return root;
}

type TextEdit = { kind: 'cut' | 'insert' | 'duplicateLine' | 'swapLines'; at: number; length: number; text: string };
const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  kind: fc.constantFrom('cut', 'insert', 'duplicateLine', 'swapLines'),
  at: fc.nat(),
  length: fc.integer({ min: 0, max: 80 }),
  text: fc.oneof(
    controlText,
    fc.constantFrom('&a', '*a', '&x [*x]', '---\n', '...\n', '%YAML 1.1\n', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', '{a: ', '? [a]\n: 1\n', '<<: *a', '!!binary aGk=', '2001-12-14', '.inf', '.nan', '0x1F', '1e999'),
    fc.constantFrom('&lol9;', '&amp;', '&#0;', '&#x110000;', '&', '<constructor/>', '<__proto__/>', '<toString/>', ']]>', '<![CDATA[x]]>', '<!-- c -->', '<!DOCTYPE a [<!ENTITY e "v">]>', '<!ENTITY x SYSTEM "file:///etc/passwd">', '<a>'.repeat(40), '"', "'", '<', '>', '/>', '</Partition>'),
    fc.string({ unit: 'binary', maxLength: 12 }),
  ),
});

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const change of edits) {
    const at = out.length === 0 ? 0 : change.at % (out.length + 1);
    if (change.kind === 'cut') out = out.slice(0, at) + out.slice(at + change.length);
    else if (change.kind === 'insert') out = out.slice(0, at) + change.text + out.slice(at);
    else {
      const lines = out.split('\n');
      const index = change.at % lines.length;
      if (change.kind === 'duplicateLine') lines.splice(index, 0, ...Array.from({ length: 1 + (change.length % 5) }, () => lines[index]!));
      else {
        const other = (index + change.length) % lines.length;
        [lines[index], lines[other]] = [lines[other]!, lines[index]!];
      }
      out = lines.join('\n');
    }
  }
  return out;
}

const overrides: fc.Arbitrary<Overrides> = fc.record(
  { kernel: fc.constantFrom('pok', 'air', 'none'), arch: fc.constantFrom('i386', 'sparc') },
  { requiredKeys: [] },
);

/** An example's data (for data-level edits), parsed fresh each time so edits never leak between runs. */
const exampleData = (index: number): ConfigValue => parseYamlData(YAML_EXAMPLES[index % YAML_EXAMPLES.length]!).value ?? null;

const serialize = (value: ConfigValue, asJson: boolean): string => {
  if (!asJson) return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
};

/** fc.assert, and with CONFIG_FUZZ_VERBOSE how many runs fitted in the time limit. */
function assertProperty<T extends unknown[]>(property: fc.IProperty<T>, numRuns: number): void {
  const details = fc.check(property, parameters(numRuns));
  if (process.env['CONFIG_FUZZ_VERBOSE']) console.log(`${details.numRuns} runs${details.interrupted ? ' (time limit)' : ''}; so far ${JSON.stringify(outcomes)}`);
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
}

const plausibleEdit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('drop', 'retype', 'retype', 'retype', 'duplicate'),
  at: fc.nat(),
  value: plausibleValue,
  key: fc.constant('name'),
  times: fc.constant(2),
});

const parameters = (numRuns: number) => ({ seed: SEED, numRuns: numRuns * SCALE, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: true });

describe('config fuzzing: loadConfig and planKernel never throw, errors are one line each', () => {
  it('the examples themselves read', () => {
    expect(YAML_EXAMPLES.length).toBeGreaterThan(5);
    expect(XML_EXAMPLES.length).toBeGreaterThan(0);
    for (const text of EXAMPLES) expect(loadConfig(text).errors).toEqual([]);
  });

  it('examples (ours and POK config.yaml) with data-level edits, as YAML or JSON, on any kernel', () => {
    assertProperty(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 6 }), fc.boolean(), overrides, (example, edits, asJson, options) => {
        checkConfig(serialize(applyEdits(exampleData(example), edits), asJson), options);
      }),
      150,
    );
  }, 20_000 * SCALE);

  it('examples with plausible edits (often still valid, so the kernels\' checks run too)', () => {
    assertProperty(
      fc.property(fc.nat(), fc.array(plausibleEdit, { minLength: 1, maxLength: 3 }), overrides, (example, edits, options) => {
        checkConfig(serialize(applyEdits(exampleData(example), edits), false), options);
      }),
      150,
    );
  }, 20_000 * SCALE);

  it('examples with text-level edits (YAML and XML)', () => {
    assertProperty(
      fc.property(fc.nat(), fc.array(textEdit, { minLength: 1, maxLength: 5 }), overrides, (example, edits, options) => {
        checkConfig(applyTextEdits(EXAMPLES[example % EXAMPLES.length]!, edits), options);
      }),
      200,
    );
  }, 20_000 * SCALE);

  it('ARINC 653 XML with attribute values replaced and DOCTYPEs added', () => {
    const xml = XML_EXAMPLES[0]!;
    const attributes = [...xml.matchAll(/(\w+)="([^"]*)"/g)];
    const doctype = fc.constantFrom(
      '',
      '<!DOCTYPE ARINC_653_Module [<!ENTITY e "1">]>',
      '<!DOCTYPE ARINC_653_Module [<!ENTITY e "&f;"><!ENTITY f "0.05">]>',
      '<!DOCTYPE ARINC_653_Module [<!ENTITY e "&e;">]>',
      '<!DOCTYPE ARINC_653_Module SYSTEM "x.dtd">',
      '<!DOCTYPE ARINC_653_Module [<!ENTITY % p "x">]>',
      '<!DOCTYPE ARINC_653_Module [<!ATTLIST Partition Criticality CDATA "LEVEL_A">]>',
    );
    const value = fc.oneof(oddDuration, oddSize, controlText, fc.constantFrom('&e;', '&f;', '&lol;', '0x10', '-1', '1e3', '', 'true', 'SOURCE', 'IDLE', '0.1', '99999999999999999999'));
    assertProperty(
      fc.property(doctype, fc.array(fc.tuple(fc.nat(), value), { minLength: 1, maxLength: 6 }), overrides, (declaration, replacements, options) => {
        let text = xml.replace(/(<\?xml[^>]*\?>)/, `$1\n${declaration}`);
        for (const [at, replacement] of replacements) {
          const [whole, name = ''] = attributes[at % attributes.length]!;
          text = text.replace(whole, `${name}="${replacement.replace(/"/g, '&quot;')}"`);
        }
        checkConfig(text, options);
      }),
      250,
    );
  }, 20_000 * SCALE);

  it('random text and random data', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: fc.constantFrom('<', '>', '/', '!', '[', ']', '{', '}', '&', ';', '"', "'", ':', '-', ' ', '\n', 'a', 'A', '=', '#', '*', '?', '%'), maxLength: 400 }),
      fc.jsonValue({ maxDepth: 6 }).map((value) => stringify(value)),
      fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }).map((value) => {
        try {
          return stringify(value) ?? String(value);
        } catch {
          return String(value);
        }
      }),
    );
    assertProperty(
      fc.property(text, overrides, (input, options) => checkConfig(input, options)),
      400,
    );
  }, 20_000 * SCALE);
});
