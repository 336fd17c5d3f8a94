/**
 * `paravirt new app NAME [--dir DIR] [--lang js|ts]` (NEW_USAGE is the whole grammar;
 * docs/architecture.md section 6): writes a working two-task RTEMS application, a
 * two-partition config that runs it, a README and a node:test test, into an empty folder.
 *
 * Problems are UsageErrors (one `error:` line, exit 2), found before anything is written;
 * files are created exclusively, so nothing is ever overwritten.
 */
// fs.promises when used, not node:fs/promises: the CLI is one bundle, where a top-level import
// loads at every start (see nodeBuiltin.ts).
import { constants, promises as fsPromises } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { optionValue, UsageError } from './args.js';
import { errnoText } from './configFile.js';
import { EXIT } from '@paravirt/compose';
import type { CliIo } from './main.js';

export interface NewCommand {
  readonly command: 'new';
  readonly name: string;
  /** The folder as given (default ./NAME). */
  readonly dir: string;
  readonly lang: 'js' | 'ts';
}

export const NEW_USAGE = `usage:
  paravirt new app NAME [--dir DIR] [--lang js|ts]

Writes a working application to start from into DIR (default ./NAME), which must be
missing or empty (nothing is ever overwritten):
  NAME.mjs (--lang ts: NAME.ts)  an RTEMS application: Init starts two tasks that exchange
                                 messages through a message queue, print, and end
  NAME.yaml                      two POK partitions on the i386: NAME runs the application,
                                 hello the built-in sample
  NAME.test.mjs                  a node:test test of the consoles (node --test), to extend
  README.md                      how to run and test it

NAME: letters, digits, - and _, starting with a letter (at most 64 characters).

Exit codes: 0 written; 2 bad usage or name, DIR not empty or not writable (nothing written).`;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function parseNew(args: readonly string[]): NewCommand {
  const [what, ...rest] = args;
  if (what === undefined || what.startsWith('-')) throw new UsageError('new', 'needs what to make: paravirt new app NAME');
  if (what !== 'app') throw new UsageError(what, 'unknown thing to make (new makes: app)');
  let name: string | undefined;
  let dir: string | undefined;
  let lang: 'js' | 'ts' = 'js';
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!flag.startsWith('-')) {
      if (name !== undefined) throw new UsageError(arg, `only one NAME may be given (already have ${name})`);
      if (!NAME.test(arg)) throw new UsageError('new app', `"${arg}" is not a valid NAME (letters, digits, - and _, starting with a letter, at most 64 characters)`);
      name = arg;
      continue;
    }
    if (flag !== '--dir' && flag !== '--lang') throw new UsageError(flag, 'unknown option (new app takes --dir, --lang)');
    const value = optionValue(flag, inline ?? rest[++i], inline !== undefined, new Set(['--dir']));
    if (flag === '--dir') {
      if (value === '' || value === '-') throw new UsageError('--dir', `needs a folder, got "${value}"`);
      dir = value;
    } else if (value === 'js' || value === 'ts') lang = value;
    else throw new UsageError('--lang', `must be js or ts, got "${value}"`);
  }
  if (name === undefined) throw new UsageError('new app', 'needs a NAME: paravirt new app NAME');
  return { command: 'new', name, dir: dir ?? `./${name}`, lang };
}

/** The files of the application, by name. */
function scaffoldFiles(command: Pick<NewCommand, 'name' | 'dir' | 'lang'>): ReadonlyMap<string, string> {
  const { name, lang } = command;
  const module = `${name}.${lang === 'ts' ? 'ts' : 'mjs'}`;
  const neighbour = name === 'hello' ? 'neighbour' : 'hello';
  const folder = basename(resolve(command.dir));
  return new Map([
    [module, application(name, lang)],
    [`${name}.yaml`, config(name, module, neighbour)],
    [`${name}.test.mjs`, test(name, neighbour)],
    ['README.md', readme(name, module, neighbour, folder)],
  ]);
}

export async function scaffold(command: NewCommand, io: CliIo): Promise<number> {
  const where = command.dir;
  const dir = isAbsolute(command.dir) ? command.dir : resolve(io.cwd, command.dir);
  const existing = await fsPromises.stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(where, 'exists and is not a folder');
  if (existing) {
    const entries = await fsPromises.readdir(dir).catch((error: unknown) => {
      throw new UsageError(where, `cannot read (${errnoText(error)})`);
    });
    if (entries.length > 0) throw new UsageError(where, 'exists and is not empty (paravirt new never overwrites files; choose another --dir)');
  }
  try {
    await fsPromises.mkdir(dir, { recursive: true });
    await fsPromises.access(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(where, `cannot write (${errnoText(error)})`);
  }
  const files = scaffoldFiles(command);
  for (const [file, text] of files) {
    try {
      // wx: never over a file that appeared meanwhile.
      await fsPromises.writeFile(join(dir, file), text, { flag: 'wx' });
    } catch (error) {
      throw new UsageError(join(where, file), `cannot write (${errnoText(error)})`);
    }
  }
  io.stdout(`wrote ${[...files.keys()].map((file) => join(where, file)).join(', ')}\n`);
  io.stdout(`next: cd ${where} && paravirt run ${command.name}.yaml   (README.md says more)\n`);
  return EXIT.ok;
}

function application(name: string, lang: 'js' | 'ts'): string {
  const ts = lang === 'ts';
  const t = (text: string): string => (ts ? text : '');
  const banner = name.toUpperCase();
  return `// ${name}: an RTEMS application of two tasks that talk through a message queue.
// Init creates the queue and the tasks PROD and CONS, starts both and exits; PROD sends
// the numbers 1..3, one every 100 ms of the partition's clock; CONS receives and
// adds them, and ends the application when it has them all. Every run prints the same.
//   paravirt run ${name}.yaml                                   (in this folder)
//   paravirt run --kernel none --app ./${name}.${ts ? 'ts' : 'mjs'} --duration 2s   (bare metal)
import {
${t('  type Application,\n')}  RTEMS_DEFAULT_ATTRIBUTES,
  RTEMS_DEFAULT_MODES,
  RTEMS_MINIMUM_STACK_SIZE,
  RTEMS_NO_TIMEOUT,
  RTEMS_WAIT,
${t('  type Rtems,\n')}  RtemsStatus,
  rtemsStatusText,
${t('  type TaskEntry,\n')}} from '@paravirt/cpukit';

const MESSAGES = 3;
/** A message is one uint32_t. */
const MESSAGE_SIZE = 4;

/** A directive that failed ends the application with status 1, saying which. */
function check(rtems${t(': Rtems')}, status${t(': number')}, what${t(': string')})${t(': void')} {
  if (status !== RtemsStatus.SUCCESSFUL) {
    rtems.printf('%s: %s\\n', what, rtemsStatusText(status));
    rtems.exit(1);
  }
}

const toBytes = (value${t(': number')})${t(': Uint8Array')} => {
  const bytes = new Uint8Array(MESSAGE_SIZE);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
};
const fromBytes = (bytes${t(': Uint8Array')})${t(': number')} => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);

// The queue's id is handed to the task bodies, not kept in a module variable: every
// partition running this module shares its variables.
function producer(queue${t(': number')})${t(': TaskEntry')} {
  return function* (rtems, count) {
    const ticks = Math.max(1, Math.floor(rtems.clockGetTicksPerSecond() / 10));
    for (let value = 1; value <= count; value++) {
      rtems.printf('PROD: sends %u\\n', value);
      check(rtems, yield* rtems.messageQueueSend(queue, toBytes(value)), 'send');
      check(rtems, yield* rtems.taskWakeAfter(ticks), 'wake after');
    }
    rtems.printf('PROD: done\\n');
    yield* rtems.taskExit();
  };
}

function consumer(queue${t(': number')})${t(': TaskEntry')} {
  return function* (rtems, count) {
    let sum = 0;
    for (let received = 0; received < count; received++) {
      const { status, message } = yield* rtems.messageQueueReceive(queue, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      check(rtems, status, 'receive');
      const value = fromBytes(message${t('!')}); // received (check passed): there is a message
      sum += value;
      rtems.printf('CONS: received %u, sum %u\\n', value, sum);
    }
    rtems.printf('*** END OF ${banner} ***\\n');
    rtems.exit(0);
  };
}

${ts ? 'const application: Application = {' : 'export default {'}
  name: '${name}',
  description: 'two tasks exchange messages through a message queue',
  // The CONFIGURE_* defines: Init and the two tasks, one queue.
  configuration: { maximumTasks: 3, maximumMessageQueues: 1 },
  *init(rtems) {
    rtems.printf('*** BEGIN OF ${banner} ***\\n');
    const queue = rtems.messageQueueCreate('QUE1', MESSAGES, MESSAGE_SIZE, RTEMS_DEFAULT_ATTRIBUTES);
    check(rtems, queue.status, 'queue create');
    // CONS (priority 1) waits on the queue before PROD (priority 2) sends.
    const cons = rtems.taskCreate('CONS', 1, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
    check(rtems, cons.status, 'create CONS');
    const prod = rtems.taskCreate('PROD', 2, RTEMS_MINIMUM_STACK_SIZE, RTEMS_DEFAULT_MODES, RTEMS_DEFAULT_ATTRIBUTES);
    check(rtems, prod.status, 'create PROD');
    check(rtems, yield* rtems.taskStart(cons.id, consumer(queue.id), MESSAGES), 'start CONS');
    check(rtems, yield* rtems.taskStart(prod.id, producer(queue.id), MESSAGES), 'start PROD');
    yield* rtems.taskExit();
  },
};
${ts ? '\nexport default application;\n' : ''}`;
}

function config(name: string, module: string, neighbour: string): string {
  return `# ${name}: the application ${module} in partition ${name}, the built-in sample hello in
# partition ${neighbour}, on the POK-style kernel on the i386 (also: --kernel air, --arch sparc).
# A user module's path here is relative to this file's folder (an --app path: to the
# folder paravirt runs in). README.md has more:
#   paravirt run ${name}.yaml            (in this folder)
#   paravirt check ${name}.yaml
name: "${name}"
kernel: pok
arch: i386
duration: 2s
seed: 1
kernelTick: 1ms
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: "${name}", start: 0ms,  duration: 50ms }
      - { partition: ${neighbour}, start: 50ms, duration: 50ms }
partitions:
  - { name: "${name}", app: ./${module}, memory: 1MiB }
  - { name: ${neighbour}, app: hello, memory: 1MiB }
`;
}

function test(name: string, neighbour: string): string {
  const banner = name.toUpperCase();
  return `// Runs ${name}.yaml through paravirt and checks the consoles: node --test (Node 20+).
// Needs the paravirt CLI: on PATH, or PARAVIRT=/path/to/paravirt (an executable, or the
// bin/paravirt.cjs of @paravirt/runner, run with this node). Extend it as ${name} grows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** paravirt ARGS in this folder (where ${name}.yaml finds its module). */
function paravirt(...args) {
  const cli = process.env.PARAVIRT || 'paravirt';
  const [command, first] = /\\.[cm]?js$/.test(cli) ? [process.execPath, [cli]] : [cli, []];
  const result = spawnSync(command, [...first, ...args], { cwd: here, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(\`cannot run \${cli} (\${result.error.message}): put paravirt on PATH or set PARAVIRT\`);
  return result;
}

/** The JSON summary of a run of ${name}.yaml. */
function run() {
  const { status, stdout, stderr } = paravirt('run', '${name}.yaml', '--json', '-');
  assert.equal(status, 0, stderr);
  return JSON.parse(stdout);
}

const consoleOf = (summary, partition) => summary.partitions.find((entry) => entry.name === partition).console;

test('${name}: the two tasks exchange the three messages and the application ends', () => {
  assert.equal(
    consoleOf(run(), '${name}'),
    [
      '*** BEGIN OF ${banner} ***',
      'PROD: sends 1',
      'CONS: received 1, sum 1',
      'PROD: sends 2',
      'CONS: received 2, sum 3',
      'PROD: sends 3',
      'CONS: received 3, sum 6',
      '*** END OF ${banner} ***',
      '',
    ].join('\\n'),
  );
});

test('${neighbour}: the partition beside it runs hello', () => {
  assert.match(consoleOf(run(), '${neighbour}'), /Hello World/);
});
`;
}

function readme(name: string, module: string, neighbour: string, folder: string): string {
  return `# ${name}

An RTEMS application for [paravirt](https://github.com/paravirt/paravirt), made by
\`paravirt new app ${name}\`: Init creates a message queue and two tasks; PROD sends the
numbers 1 to 3, CONS receives and adds them, then ends the application.

| file | what |
|---|---|
| \`${module}\` | the application (\`@paravirt/cpukit\`'s Application shape) |
| \`${name}.yaml\` | two POK partitions on the i386: \`${name}\` runs \`./${module}\`, \`${neighbour}\` the built-in \`hello\` |
| \`${name}.test.mjs\` | a node:test test of the consoles |

## Run it

In this folder:

\`\`\`sh
paravirt run ${name}.yaml                     # both partitions' consoles, then the summary table
paravirt check ${name}.yaml                   # validates the config and loads the module
paravirt run ${name}.yaml --kernel air --arch sparc
paravirt run --kernel none --app ./${module} --duration 2s   # bare metal, no partitions
\`\`\`

From any other folder, name the config's path: the module's path in it is relative to the
config's folder (a path given with \`--app\` is relative to the folder you are in):

\`\`\`sh
paravirt run ${folder}/${name}.yaml
paravirt run ${folder}/${name}.yaml --app ${name}=./${folder}/${module}
\`\`\`

The partition \`${name}\` prints:

\`\`\`
*** BEGIN OF ${name.toUpperCase()} ***
PROD: sends 1
CONS: received 1, sum 1
PROD: sends 2
CONS: received 2, sum 3
PROD: sends 3
CONS: received 3, sum 6
*** END OF ${name.toUpperCase()} ***
\`\`\`

## Test it

\`\`\`sh
node --test                                   # runs ${name}.test.mjs
PARAVIRT=/path/to/bin/paravirt.cjs node --test # when paravirt is not on PATH
\`\`\`

The test runs \`paravirt run ${name}.yaml --json -\` and compares the partitions' consoles;
it needs the \`paravirt\` CLI on PATH, or the environment variable \`PARAVIRT\` naming it.
`;
}
