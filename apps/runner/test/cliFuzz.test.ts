/**
 * Random and mutated configurations through the real CLI (seeded fast-check, a fixed number
 * of runs): what configFuzz.test.ts proves of the readers in-process, this proves of the
 * process - `check` and `run` of every generated file end with an allowed outcome (exit 0/1
 * with the summary written, or 2 with one error line), agree with each other, print no
 * stack trace and stay within their time limit.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { repo } from './helpers.js';

/** CLI_FUZZ_SEED and CLI_FUZZ_RUNS make longer campaigns. */
const SEED = Number(process.env['CLI_FUZZ_SEED'] ?? 20_261_203);
const RUNS = Number(process.env['CLI_FUZZ_RUNS'] ?? 24);
const TIME_LIMIT_MS = 30_000;

const work = mkdtempSync(join(tmpdir(), 'paravirt-cli-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const examples = ['examples', 'examples/pok'].flatMap((folder) =>
  readdirSync(resolve(repo, folder), { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|xml)$/.test(entry.name))
    .map((entry) => readFileSync(resolve(repo, folder, entry.name), 'utf8')),
);

type Data = null | boolean | number | string | Data[] | { [key: string]: Data };

/** Values a careless or hostile file puts where a value goes. */
const oddValue: fc.Arbitrary<Data> = fc.oneof(
  fc.constantFrom<Data>(0, -1, 1.5, 2 ** 53, 1e308, '', '0', '1ms', '-5ms', '1e400s', '4GiB', '99999999999TiB', 'NaN', '__proto__', 'hello', 'idle', 'hostile', null, true, [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);

interface Mutation {
  readonly kind: 'replace' | 'delete' | 'duplicate' | 'add';
  /** Picks the place: an index into the list of places of the document. */
  readonly at: number;
  readonly value: Data;
  readonly key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('replace', 'delete', 'duplicate', 'add'),
  at: fc.nat(),
  value: oddValue,
  key: fc.constantFrom('__proto__', 'constructor', 'colour', 'name', 'duration', 'windows', 'partitions', 'memory'),
});

/** Every container of `data` with its keys, so a mutation can pick one. */
function places(data: Data, out: Array<{ parent: Data[] | { [key: string]: Data }; key: string | number }> = []): typeof out {
  if (Array.isArray(data)) {
    data.forEach((item, index) => {
      out.push({ parent: data, key: index });
      places(item, out);
    });
  } else if (data !== null && typeof data === 'object') {
    for (const key of Object.keys(data)) {
      out.push({ parent: data, key });
      places(data[key]!, out);
    }
  }
  return out;
}

function mutate(data: Data, mutations: readonly Mutation[]): Data {
  for (const change of mutations) {
    const all = places(data);
    if (all.length === 0) return data;
    const { parent, key } = all[change.at % all.length]!;
    if (Array.isArray(parent)) {
      const index = key as number;
      if (change.kind === 'replace') parent[index] = change.value;
      else if (change.kind === 'delete') parent.splice(index, 1);
      else parent.splice(index, 0, structuredClone(parent[index]!));
    } else {
      const name = key as string;
      if (change.kind === 'replace') parent[name] = change.value;
      else if (change.kind === 'delete') delete parent[name];
      else Object.defineProperty(parent, change.kind === 'add' ? change.key : `${name}2`, { value: change.kind === 'add' ? change.value : structuredClone(parent[name]!), enumerable: true, configurable: true, writable: true });
    }
  }
  return data;
}

/** A config file: an example mutated as data (YAML or JSON out), or cut and spliced as text. */
const configFile: fc.Arbitrary<{ name: string; text: string }> = fc.oneof(
  fc.record({ example: fc.constantFrom(...examples.filter((text) => !text.trimStart().startsWith('<'))), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }), json: fc.boolean() }).map(({ example, mutations, json }) => {
    const data = mutate(parse(example) as Data, mutations);
    return { name: json ? 'fuzz.json' : 'fuzz.yaml', text: json ? JSON.stringify(data) : stringify(data) };
  }),
  fc.record({ example: fc.constantFrom(...examples), cut: fc.nat(), length: fc.nat({ max: 80 }), insert: fc.constantFrom('', '\u0000', '\u001b[2J', '&lol;', '<!DOCTYPE x [<!ENTITY lol "lol">]>', '*a', '&a [', '\n  - ', '>>>', '\uFEFF') }).map(({ example, cut, length, insert }) => {
    const at = cut % Math.max(1, example.length);
    return { name: 'fuzz.cfg', text: example.slice(0, at) + insert + example.slice(at + length) };
  }),
);

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], cwd: string): Promise<Outcome> {
  const child = spawn(process.execPath, [join(inject('runnerBundle'), 'cli/bin.cjs'), ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' } });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((done) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    }),
  );
}

const firstError = (stderr: string): string => (stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '').replace(/ \(and \d+ more problems?; see paravirt check\)$/, '');

it(`${RUNS} random configs through check and run: allowed outcomes only, and they agree (seed ${SEED})`, async () => {
  await fc.assert(
    fc.asyncProperty(configFile, async ({ name, text }) => {
      const folder = mkdtempSync(join(work, 'case-'));
      writeFileSync(join(folder, name), text);
      const checked = await cli(['check', name], folder);
      const ran = await cli(['run', name, '--duration', '300ms', '--quiet', '--json', 'summary.json'], folder);
      for (const outcome of [checked, ran]) {
        expect(outcome.signal).toBeNull();
        expect(outcome.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?$|node:internal/m);
      }
      expect([0, 2]).toContain(checked.code);
      expect([0, 1, 2]).toContain(ran.code);
      if (checked.code === 0) {
        expect(ran.code, ran.stderr).not.toBe(2);
        expect(JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'))).toMatchObject({ schemaVersion: 1 });
      } else {
        expect(ran.code).toBe(2);
        expect(ran.stderr).toMatch(/^error: [^\n]+: [^\n]+\n$/);
        expect(firstError(ran.stderr)).toBe(firstError(checked.stderr));
      }
      rmSync(folder, { recursive: true, force: true });
    }),
    { seed: SEED, numRuns: RUNS },
  );
}, 300_000);
