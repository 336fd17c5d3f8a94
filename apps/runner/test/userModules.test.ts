/**
 * User modules from anywhere on disk (docs/architecture.md section 6, "Trust model"):
 * a module in a folder outside the repository imports the guest API (`@paravirt/cpukit`,
 * `@paravirt/samples`) - the runner's own copies, served by the sandbox's module hooks -
 * and may be TypeScript (`.ts`, `.mts`: types stripped, not checked), importing its own
 * TypeScript files the way TypeScript writes it (`./lib/label.js` for `./lib/label.ts`).
 * Errors in the user's TypeScript name its file, line and column; the sandbox's permission
 * model is unchanged (the module's own folder only).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '@paravirt/compose';
import { cli, consoleOf, here, reference } from './helpers.js';

let folder: string;
const at = (name: string): string => join(folder, name);

const FILES: Record<string, string> = {
  // A TypeScript application: types, an interface, an enum, a type-only import, and an
  // import of its own TypeScript file written as TypeScript writes it (.js).
  'app/blink.ts': `import { type Application, RTEMS_DEFAULT_ATTRIBUTES, RTEMS_DEFAULT_MODES, RTEMS_MINIMUM_STACK_SIZE, RTEMS_SELF } from '@paravirt/cpukit';
import type { Rtems } from '@paravirt/cpukit';
import { label, Kind } from './lib/label.js';

interface Options {
  readonly times: number;
}
const options: Options = { times: 3 };

function* blink(rtems: Rtems): Generator<number, void, unknown> {
  for (let i: number = 0; i < options.times; i++) {
    rtems.printf('%s %u\\n', label(Kind.Blink, i), i);
    yield rtems.compute(10_000);
    yield* rtems.taskWakeAfter(rtems.clockGetTicksPerSecond());
  }
  yield* rtems.taskDelete(RTEMS_SELF);
}

export const application: Application = {
  name: 'tsblink',
  description: 'blinks three times, in TypeScript',
  configuration: { maximumTasks: 2 },
  *init(rtems) {
    const { id } = rtems.taskCreate('BLNK', 10, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
    yield* rtems.taskStart(id, blink, 0);
    yield* rtems.taskDelete(RTEMS_SELF);
  },
};
`,
  'app/lib/label.ts': `export enum Kind {
  Blink = 'blink',
}
export const label = (kind: Kind, n: number): string => \`\${kind}-\${n as number}\`;
`,
  // A JavaScript module in the same foreign folder, reusing a sample through @paravirt/samples.
  'app/again.mjs': `import { hello } from '@paravirt/samples';
import { RTEMS_SELF } from '@paravirt/cpukit';
if (typeof RTEMS_SELF !== 'number') throw new Error('no RTEMS_SELF');
export default { ...hello, name: 'again' };
`,
  // .mts, importing a .mts file as .mjs.
  'app/greet.mts': `import { words } from './words.mjs';
export default { name: 'greet', description: 'greets', *init(rtems: { printf(format: string, ...args: unknown[]): void; exit(status: number): never }) { rtems.printf('%s\\n', words satisfies string); rtems.exit(0); } };
`,
  'app/words.mts': `export const words: string = 'hello from .mts';
`,
  'bad/syntax.ts': `import type { Application } from '@paravirt/cpukit';
const x: number = ;
export default {} as Application;
`,
  'bad/throws.ts': `interface Input {
  readonly n: number;
}
const check = (input: Input): number => {
  throw new RangeError(\`no \${input.n}\`);
};
check({ n: 7 });
export default {};
`,
  'bad/internal.ts': `import { Simulation } from '@paravirt/machine';
export default Simulation;
`,
  'bad/steal.ts': `import { secret } from '../secret/secret.mjs';
export default { name: secret };
`,
  'secret/secret.mjs': `export const secret = 'not yours';
`,
  // A task that throws (TypeScript: the location is the .ts file's own line and column).
  'debug/oops.ts': `import type { Application } from '@paravirt/cpukit';

const table: Record<string, unknown> = {};

export const application: Application = {
  name: 'oops',
  description: 'calls what is not a function',
  *init(rtems) {
    yield* rtems.taskWakeAfter(1);
    const x = table.x as () => void;
    x();
  },
};
`,
  // A blocking directive without yield*.
  'debug/forgot.mjs': `export default {
  name: 'forgot',
  description: 'forgets yield*',
  *init(rtems) {
    rtems.printf('waiting\\n');
    rtems.taskWakeAfter(10);
    yield rtems.compute(100);
  },
};
`,
};

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'paravirt-user-modules-'));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(at(name), text);
  }
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('a user module outside the repository', () => {
  it('TypeScript, importing @paravirt/cpukit and its own .ts files: runs in a partition', async () => {
    const { code, stdout, stderr, files } = await cli(['run', '--app', `hello=${at('app/blink.ts')}`, '--duration', '4s', '--json', 'summary.json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(consoleOf(stdout, 'hello')).toBe('blink-0 0\nblink-1 1\nblink-2 2\n');
    const summary = JSON.parse(files.get('summary.json')!) as Summary;
    expect(summary.partitions[0]).toMatchObject({ name: 'hello', app: at('app/blink.ts'), hmEventCount: 0 });
  }, 30_000);

  it('check loads it the same way', async () => {
    const { code, stdout, stderr } = await cli(['check', 'demo.yaml', '--app', `hello=${at('app/blink.ts')}`], { 'demo.yaml': 'partitions: [{ name: hello, app: idle }]\nschedules: [{ name: s, majorFrame: 10ms, windows: [{ partition: hello, start: 0ms, duration: 10ms }] }]\n' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^demo\.yaml: valid module configuration/);
  }, 30_000);

  it('JavaScript reusing a sample through @paravirt/samples, on bare metal', async () => {
    const { code, stdout, stderr } = await cli(['run', '--kernel', 'none', '--app', at('app/again.mjs'), '--duration', '1s']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.startsWith(reference('hello'))).toBe(true);
    expect(stdout).toContain('\nagain ');
  }, 30_000);

  it('.mts importing .mts', async () => {
    const { code, stdout, stderr } = await cli(['run', '--kernel', 'none', '--arch', 'sparc', '--app', at('app/greet.mts'), '--duration', '1s']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.startsWith('hello from .mts\n')).toBe(true);
  }, 30_000);
});

describe('errors in a user\'s TypeScript: one line naming its file, line and column; the sandbox unchanged', () => {
  it.each([
    ['a syntax error', 'bad/syntax.ts', (path: string) => `error: --app hello=${path}: cannot load ${path}: SyntaxError: Unexpected token (at ${path}:2:19)\n`],
    ['a throw at its top level', 'bad/throws.ts', (path: string) => `error: --app hello=${path}: cannot load ${path}: RangeError: no 7 (at ${path}:5:9)\n`],
    ['a runner package that is not the guest API', 'bad/internal.ts', (path: string) => `error: --app hello=${path}: cannot load ${path}: Error: @paravirt/machine is not available to user modules (they may import @paravirt/cpukit and @paravirt/samples)\n`],
    [
      'a file outside its folder',
      'bad/steal.ts',
      (path: string) => `error: --app hello=${path}: cannot load ${path}: Error: Access to this API has been restricted (the sandbox lets a module read only its own folder; see --allow-host)\n`,
    ],
  ])('%s: exit 3', async (_name, file, expected) => {
    const { code, stdout, stderr } = await cli(['run', '--app', `hello=${at(file)}`, '--duration', '1s']);
    expect(stdout).toBe('');
    expect(stderr).toBe(expected(at(file)));
    expect(code).toBe(3);
  }, 30_000);

  it('a relative path: the error names the file as the user did', async () => {
    const path = relative(here, at('bad/throws.ts'));
    const { code, stderr } = await cli(['run', '--app', `hello=${path}`, '--duration', '1s']);
    expect(code).toBe(3);
    expect(stderr).toBe(`error: --app hello=${path}: cannot load ${path}: RangeError: no 7 (at ${path}:5:9)\n`);
  }, 30_000);
});

describe('debugging a user module: what the fatal error says', () => {
  const OOPS = (path: string) => `INTERNAL_ERROR_CORE 256: TypeError: x is not a function (at ${path}:11:5)`;

  it('a JS error thrown in a task, on bare metal: the stop line and the HALT event name the error and its file:line:col', async () => {
    const path = relative(here, at('debug/oops.ts'));
    const { code, stdout, stderr } = await cli(['run', '--kernel', 'none', '--app', path, '--duration', '1s', '--json', '-']);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^module stopped at [0-9.]+(?:ns|us|ms|s): fatal error ${OOPS(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.partitions[0]!.hmEvents.map((event) => event.detail)).toEqual([`RTEMS fatal error ${OOPS(path)}`]);
  }, 30_000);

  it('the same in a partition: its HM event', async () => {
    const { code, stdout } = await cli(['run', '--app', `hello=${at('debug/oops.ts')}`, '--duration', '1s', '--json', '-']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    const hello = summary.partitions.find((partition) => partition.name === 'hello')!;
    expect(hello.hmEvents.map((event) => event.detail)).toEqual([`RTEMS fatal error: ${OOPS(at('debug/oops.ts'))}`]);
  }, 30_000);

  it('a blocking directive called without yield*: the fatal error names it and the task', async () => {
    const { code, stdout } = await cli(['run', '--app', `hello=${at('debug/forgot.mjs')}`, '--duration', '1s', '--json', '-']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    const hello = summary.partitions.find((partition) => partition.name === 'hello')!;
    expect(hello.console).toBe('waiting\n');
    expect(hello.hmEvents.map((event) => event.detail)).toEqual([
      'RTEMS fatal error: INTERNAL_ERROR_CORE 261: task UI1: taskWakeAfter called without yield* (a generator directive does nothing unless delegated to)',
    ]);
  }, 30_000);
});
