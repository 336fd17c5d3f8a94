/**
 * What is published, checked as published: every workspace package is built (turbo: a
 * cache hit after `pnpm build`, about 2 minutes in a fresh clone) and packed with
 * `pnpm pack` exactly as `changeset publish` packs it; each tarball goes through publint and
 * @arethetypeswrong/cli (profile esm-only, from .attw.json: the packages are ES modules only)
 * and our own checks (LICENSE, no source condition, every export target inside the
 * tarball, exact internal versions). Then two tarballs are installed with npm, offline,
 * into an empty project outside the repository, and a program and a type check run
 * against them as a user's would.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privatePackages, root, workspacePackages } from './packageMetadata.mjs';

const run = promisify(execFile);
const packages = workspacePackages();
const pnpm = process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm';
const require = createRequire(import.meta.url);
const attwManifest = require.resolve('@arethetypeswrong/cli/package.json');
const attw = join(dirname(attwManifest), (JSON.parse(readFileSync(attwManifest, 'utf8')) as { bin: { attw: string } }).bin.attw);
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** The files of a .tgz: path (without the leading package/) -> contents. */
function readTarball(path: string): Map<string, Buffer> {
  const data = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const name = [text(345, 155), text(0, 100)].filter(Boolean).join('/');
    const size = Number.parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1);
    if (type === '0' || type === '') files.set(name.replace(/^package\//, ''), Buffer.from(data.subarray(offset + 512, offset + 512 + size)));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Every string an exports map can resolve to. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(exportTargets);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

/** Targets of `exports`, `bin`, `main` and `types` that are not files of the tarball. */
function missingTargets(manifest: Packed['manifest'], files: Map<string, Buffer>): string[] {
  const targets = [...exportTargets(manifest.exports), ...exportTargets(manifest.bin), manifest.main, manifest.types].filter((target): target is string => typeof target === 'string');
  return targets.filter((target) => !files.has(target.replace(/^\.\//, '')));
}

interface Packed {
  attw: Promise<{ code: number; output: string }>;
  name: string;
  version: string;
  filename: string;
  files: Map<string, Buffer>;
  manifest: Record<string, unknown> & { exports?: unknown; bin?: Record<string, string> };
}

/** Runs tasks with at most two at a time (the machine has two cores). */
const twoAtATime = (() => {
  let active = 0;
  const waiting: Array<() => void> = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < 2) start();
      else waiting.push(start);
    });
})();

/** @arethetypeswrong/cli on one tarball, with the root's .attw.json (profile esm-only). */
function runAttw(tarball: string): Promise<{ code: number; output: string }> {
  return run(process.execPath, [attw, tarball, '--format', 'ascii', '--no-color'], { cwd: root }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }),
  );
}

let scratch: string;
const packed = new Map<string, Packed>();

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'paravirt-packed-'));
  // A cache hit when CI (or you) built already; otherwise builds what changed.
  // (A failing build throws with turbo's error output in the message.)
  execFileSync(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  const tarballs = join(scratch, 'tarballs');
  mkdirSync(tarballs);
  // Private packages (the playground) are never packed.
  const skip = privatePackages().map((name) => `--filter=!${name}`);
  const { stdout } = await run(pnpm, ['-r', ...skip, 'pack', '--pack-destination', tarballs, '--json'], { cwd: root, maxBuffer: 64 << 20 });
  for (const entry of JSON.parse(stdout) as Array<{ name: string; version: string; filename: string }>) {
    const files = readTarball(entry.filename);
    const manifest = JSON.parse(files.get('package.json')!.toString('utf8')) as Packed['manifest'];
    // attw is a process per tarball (about 1.5 s each, mostly loading TypeScript): two at a
    // time, started now, awaited by each package's test.
    packed.set(entry.name, { ...entry, files, manifest, attw: twoAtATime(() => runAttw(entry.filename)) });
  }
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('packed tarballs', () => {
  it('one tarball per workspace package', () => {
    expect([...packed.keys()].sort()).toEqual(packages.map((pkg) => pkg.manifest.name).sort());
  });

  describe.each(packages.map((pkg) => [pkg.manifest.name] as const))('%s', (name) => {
    const get = (): Packed => packed.get(name)!;

    it('contains the root LICENSE (BSD-2-Clause), the README and the build; no sources or tests', () => {
      const { files } = get();
      expect(files.get('LICENSE')?.toString('utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
      expect(files.has('README.md')).toBe(true);
      const outside = [...files.keys()].filter((file) => !/^(dist\/|bin\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(file));
      expect(outside).toEqual([]);
      expect([...files.keys()].filter((file) => /\.test\.|(^|\/)src\//.test(file))).toEqual([]);
      const own = packages.find((pkg) => pkg.manifest.name === name)!;
      let hasChangelog = false;
      try {
        readFileSync(join(root, own.dir, 'CHANGELOG.md'));
        hasChangelog = true;
      } catch {
        // no changelog before the first `changeset version`
      }
      expect(files.has('CHANGELOG.md')).toBe(hasChangelog);
    });

    it('published exports have no source condition and point only at files in the tarball', () => {
      const { files, manifest } = get();
      const text = files.get('package.json')!.toString('utf8');
      expect(text).not.toContain('@paravirt/source');
      expect(manifest.scripts).toBeUndefined();
      expect(exportTargets(manifest.exports).length).toBeGreaterThan(0);
      expect(missingTargets(manifest, files)).toEqual([]);
    });

    it('depends on its workspace packages at their exact (shared) version', () => {
      const { manifest, version } = get();
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dependency, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
          expect(range, `${field} ${dependency}`).not.toMatch(/^workspace:/);
          if (dependency.startsWith('@paravirt/')) expect(range, `${field} ${dependency}`).toBe(version);
        }
      }
    });

    it('publint (strict, suggestions included) finds nothing', async () => {
      const { filename } = get();
      const data = readFileSync(filename);
      const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
      expect(messages.map((message) => `${message.type} ${message.code}: ${formatMessage(message, pkg) ?? ''}`)).toEqual([]);
    });

    it('are the types wrong? (attw, esm-only) no', async () => {
      const result = await get().attw;
      expect(result.output).toContain("ignoring resolutions: 'node10', 'node16-cjs'");
      expect(result.code, result.output).toBe(0);
    }, 120_000);
  });
});

describe('the pack hook matters', () => {
  it('without .pnpmfile.cjs the published exports would point at src/ files the tarball lacks', async () => {
    const destination = join(scratch, 'without-hook');
    mkdirSync(destination);
    await run(pnpm, ['--filter', '@paravirt/machine', 'pack', '--config.ignore-pnpmfile=true', '--pack-destination', destination], { cwd: root });
    const [tarball] = readdirSync(destination);
    const files = readTarball(join(destination, tarball!));
    const manifest = JSON.parse(files.get('package.json')!.toString('utf8')) as Packed['manifest'];
    expect(missingTargets(manifest, files)).toContain('./src/index.ts');
  }, 120_000); // a pnpm pack: seconds on a loaded machine
});

describe('a user installs @paravirt/machine and @paravirt/cpu-sparc from their tarballs', () => {
  let project: string;

  beforeAll(async () => {
    project = join(scratch, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
    // Offline: both have no dependency outside the two tarballs (machine none, cpu-sparc only machine).
    const tarballs = ['@paravirt/machine', '@paravirt/cpu-sparc'].map((name) => packed.get(name)!.filename);
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(scratch, 'npm-cache'), ...tarballs], { cwd: project });
  }, 120_000);

  it('runs a LEON3 board whose GPTIMER interrupts the supervisor every millisecond', async () => {
    writeFileSync(
      join(project, 'main.mjs'),
      `import { WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import { Leon3Board } from '@paravirt/cpu-sparc';

const board = new Leon3Board({ memorySize: 1 << 20 });
const traps = [];
board.installSupervisor((trap) => {
  traps.push(trap);
  return 'return';
});
board.enterSupervisor();
const line = board.startTickTimer(1_000_000);
board.processor.setWorkload({ next: () => WAIT_FOR_INTERRUPT, preempted() {} });
board.processor.start();
board.board.runUntil(10_000_001);
console.log(JSON.stringify({ line, interrupts: traps.length, first: traps[0]?.name, acknowledged: board.irqmp.acknowledged[8], now: board.board.now }));
`,
    );
    const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ line: 8, interrupts: 10, first: 'interrupt_level_8', acknowledged: 10, now: 10_000_001 });
  }, 60_000); // a node process

  it('type-checks a TypeScript program against the published declarations (NodeNext, no skipLibCheck)', async () => {
    writeFileSync(
      join(project, 'consumer.mts'),
      `import { WAIT_FOR_INTERRUPT, type Workload } from '@paravirt/machine';
import { Leon3Board } from '@paravirt/cpu-sparc';

const board: Leon3Board = new Leon3Board({ memorySize: 1 << 20 });
const idle: Workload = { next: () => WAIT_FOR_INTERRUPT, preempted() {} };
board.processor.setWorkload(idle);
export const line: number = board.startTickTimer(1_000_000);
// @ts-expect-error the period is a number of nanoseconds
board.startTickTimer('1ms');
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ['consumer.mts'],
      }),
    );
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('');
  }, 120_000); // tsc over the installed declarations: seconds on a loaded machine
});
