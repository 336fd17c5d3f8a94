/**
 * docs/guest-interfaces.md, "Porting an RTEMS C test program": every command line of the
 * section runs, exactly as written, from the repository root (the CLI in-process, user
 * modules in the real sandbox), exits 0 with nothing on stderr, and prints the output the
 * page shows; the page shows examples/modules/ported-test.mjs as it is on disk; every
 * `rtems.*` it names is a member of the Classic API object and every name it imports from
 * `@paravirt/cpukit` is exported there.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as cpukit from '@paravirt/cpukit';
import { Rtems } from '@paravirt/cpukit';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { sandboxLauncher } from '../src/sandbox/host.js';
import { repo, withoutHints } from './helpers.js';

const GUIDE = 'docs/guest-interfaces.md';
const MODULE = 'examples/modules/ported-test.mjs';

function section(): string {
  const text = readFileSync(resolve(repo, GUIDE), 'utf8');
  const start = text.indexOf('\n## Porting an RTEMS C test program\n');
  expect(start, 'the section is in the guide').toBeGreaterThan(0);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The fenced blocks of one language, their contents. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]!);
}

/** A documented command: `$ paravirt ARGS` and the output lines shown after it. */
interface Documented {
  readonly command: string;
  readonly output: string;
}

function documented(): Documented[] {
  return blocks(section(), 'console').map((block) => {
    const [first, ...rest] = block.split('\n');
    expect(first).toMatch(/^\$ paravirt /);
    return { command: first!.slice(2), output: rest.join('\n') };
  });
}

/** The CLI in-process as a user runs it from the repository root: paths relative to the root. */
async function paravirt(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = command.split(/\s+/).slice(1);
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTty: false,
    readFile: async (path) => readFileSync(resolve(repo, path), 'utf8'),
    prepareOutput: async () => {},
    writeFile: async () => {},
    clock: () => 0,
    cwd: repo,
    sandbox: sandboxLauncher(resolve(inject('runnerBundle'), 'sandbox/child.js')),
  });
  return { code, stdout, stderr };
}

describe(`${GUIDE}: Porting an RTEMS C test program`, () => {
  const commands = documented();

  it('documents two command lines, one on bare metal and one in a partition; the module names the first', () => {
    expect(commands.map(({ command }) => command.includes('--kernel none'))).toEqual([true, false]);
    expect(readFileSync(resolve(repo, MODULE), 'utf8')).toContain(`//   ${commands[0]!.command}\n`);
    // No other command line hides in the section's prose or other blocks.
    expect(section().match(/^\$ /gm)).toHaveLength(commands.length);
  });

  it.each(commands)('$command', async ({ command, output }) => {
    const { code, stdout, stderr } = await paravirt(command);
    expect(withoutHints(stderr)).toBe('');
    expect(code).toBe(0);
    // The console as shown (its lines end with a newline), a blank line, the summary table.
    expect(stdout.startsWith(`${output}\n`)).toBe(true);
    expect(stdout.slice(output.length + 1)).toMatch(/^(none|pok|air)\/(i386|sparc): 1\.000 s virtual time, /);
  }, 60_000);

  it(`shows ${MODULE} exactly as it is on disk`, () => {
    const shown = blocks(section(), 'js');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toBe(readFileSync(resolve(repo, MODULE), 'utf8'));
  });

  it('names only directives the Classic API object has, and only names @paravirt/cpukit exports', () => {
    const text = section();
    const directives = new Set([...text.matchAll(/\brtems\.([a-zA-Z]+)\(/g)].map((match) => match[1]!));
    expect(directives.size).toBeGreaterThan(15);
    for (const name of directives) expect(typeof (Rtems.prototype as unknown as Record<string, unknown>)[name], `rtems.${name}`).toBe('function');
    const imported = new Set([...text.matchAll(/^import \{([^}]*)\} from '@paravirt\/cpukit'/gm)].flatMap((match) => match[1]!.split(',').map((name) => name.trim()).filter(Boolean)));
    // The table's JavaScript column (its last cell; `\|` is a | inside a cell) and the port.
    const javascript = [
      ...text
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| C '))
        .map((line) => line.replaceAll('\\|', '').split(' | ').at(-1)!),
      ...blocks(text, 'js'),
    ].join('\n');
    const mentioned = new Set([...javascript.matchAll(/\b(RTEMS_[A-Z0-9_]+|RtemsStatus|rtemsStatusText)\b/g)].map((match) => match[1]!));
    expect(imported.size).toBeGreaterThan(5);
    expect(mentioned.size).toBeGreaterThan(10);
    for (const name of [...imported, ...mentioned]) expect(Object.hasOwn(cpukit, name), name).toBe(true);
  });
});
