/**
 * The dependency rule of docs/architecture.md section 2, checked over the real workspace:
 * package.json dependencies and the import statements in every package's sources and tests.
 * The negative cases prove the checks (and the ESLint rule) fail on a violation, among them
 * a guest source importing the host machinery (kernel-core), which guest TESTS may use
 * through its test double entry only.
 */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { isTestFile, layers, violations } from './layers.mjs';

const root = resolve(import.meta.dirname, '..');

interface Workspace {
  folder: string;
  name: string;
  dir: string;
}

function workspaces(): Workspace[] {
  return ['packages', 'apps'].flatMap((group) => {
    const base = join(root, group);
    if (!existsSync(base)) return [];
    return readdirSync(base)
      .filter((folder) => existsSync(join(base, folder, 'package.json')))
      .map((folder) => ({ folder, name: folder, dir: join(base, folder) }));
  });
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' || entry === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry) ? [path] : [];
  });
}

/** Workspace specifiers a source text imports, with their subpath (static, dynamic and re-exports). */
export function importedSpecifiers(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](@paravirt\/[a-z0-9-]+(?:\/[a-z0-9./-]+)?)['"]/g)) found.add(match[1]!);
  return [...found];
}

type Manifest = Record<string, Record<string, string> | undefined>;

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/**
 * ESLint with the repo's config, minus type-aware rules: the snippets below are not files
 * on disk, so the TypeScript project service cannot see them; the structure rules under
 * test are syntactic.
 */
function lintSnippets(): ESLint {
  return new ESLint({ cwd: root, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });
}

describe('dependency rule', () => {
  const all = workspaces();

  it('knows every workspace package', () => {
    for (const { folder } of all) expect(Object.keys(layers), `add ${folder} to tooling/layers.mjs`).toContain(folder);
  });

  it.each(all.map((w) => [w.folder, w] as const))('%s: package.json dependencies follow the rule', (_folder, workspace) => {
    const pkg = manifest(workspace.dir);
    const shipped = Object.keys({ ...pkg['dependencies'], ...pkg['peerDependencies'] });
    expect(violations(workspace.folder, shipped)).toEqual([]);
    expect(violations(workspace.folder, Object.keys({ ...pkg['devDependencies'] }), 'devDependencies')).toEqual([]);
  });

  it.each(all.map((w) => [w.folder, w] as const))('%s: imports follow the rule', (_folder, workspace) => {
    const problems = sourceFiles(workspace.dir).flatMap((file) =>
      violations(workspace.folder, importedSpecifiers(readFileSync(file, 'utf8')), isTestFile(file) ? 'test' : 'source').map(
        (message) => `${file}: ${message}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('keeps the host machinery off the guest side: no guest package is allowed a host package', () => {
    const host = Object.keys(layers).filter((name) => layers[name]!.side === 'host');
    expect(host.sort()).toEqual(['air-kernel', 'kernel-core', 'pok-kernel']);
    for (const [name, layer] of Object.entries(layers)) {
      if (layer.side !== 'guest') continue;
      expect(layer.allowed.filter((dep) => host.includes(dep)), name).toEqual([]);
    }
    expect(layers['paravirt-api']!.allowed).toEqual(['machine']);
  });

  it('lets guest tests use only test entry points that exist, are used, and are devDependencies', () => {
    const byFolder = new Map(all.map((w) => [w.folder, w]));
    for (const [name, layer] of Object.entries(layers)) {
      for (const only of layer.testOnly ?? []) {
        const [target = '', ...rest] = only.split('/');
        expect(rest, `${name}: ${only} names an entry point, not a whole package`).toEqual(['test']);
        const provider = byFolder.get(target)!;
        expect(Object.keys(manifest(provider.dir)['exports'] ?? {}), `${target} exports ./test`).toContain('./test');
        const owner = byFolder.get(name)!;
        const pkg = manifest(owner.dir);
        expect(Object.keys({ ...pkg['devDependencies'] }), `${name} lists @paravirt/${target} as a devDependency`).toContain(`@paravirt/${target}`);
        expect(Object.keys({ ...pkg['dependencies'], ...pkg['peerDependencies'] }), `${name} does not ship @paravirt/${target}`).not.toContain(`@paravirt/${target}`);
        const users = sourceFiles(owner.dir).filter((file) => isTestFile(file) && importedSpecifiers(readFileSync(file, 'utf8')).includes(`@paravirt/${only}`));
        expect(users.length, `${name}: some test imports @paravirt/${only} (else drop it from testOnly)`).toBeGreaterThan(0);
      }
    }
  });

  it('catches a guest package depending on a kernel and a kernel depending on a guest package', () => {
    expect(violations('cpukit', ['@paravirt/pok-kernel'])).toEqual([
      'cpukit must not depend on @paravirt/pok-kernel (allowed: machine)',
    ]);
    expect(violations('pok-kernel', ['@paravirt/cpukit', '@paravirt/paravirt-api'])).toHaveLength(1);
    // The executive runs on bare metal too: not even the ARINC 653 enumerations it shares with the
    // contract bring it paravirt-api (they are machine's, which both re-export).
    expect(violations('cpukit', ['@paravirt/paravirt-api'])).toEqual(['cpukit must not depend on @paravirt/paravirt-api (allowed: machine)']);
    expect(violations('paravirt-api', ['@paravirt/cpu-i386'])).toHaveLength(1);
    expect(violations('cpukit', ['@paravirt/cpu-sparc'])).toHaveLength(1);
    expect(violations('runner', ['@paravirt/pok-kernel', '@paravirt/cpukit'])).toEqual([]);
    expect(violations('mystery', [])).toEqual(['mystery: not in tooling/layers.mjs; decide its layer before adding it']);
  });

  it('catches the contract depending on the machinery, and the machinery on a kernel or a guest package', () => {
    expect(violations('paravirt-api', ['@paravirt/kernel-core'])).toEqual([
      'paravirt-api must not depend on @paravirt/kernel-core (allowed: machine)',
    ]);
    expect(violations('kernel-core', ['@paravirt/machine', '@paravirt/paravirt-api'])).toEqual([]);
    expect(violations('kernel-core', ['@paravirt/pok-kernel', '@paravirt/cpukit', '@paravirt/cpu-i386'])).toHaveLength(3);
    expect(violations('pok-kernel', ['@paravirt/kernel-core', '@paravirt/kernel-core/test'])).toEqual([]);
    expect(violations('air-kernel', ['@paravirt/kernel-core'])).toEqual([]);
  });

  it('catches a guest source importing kernel-core; a guest test may import @paravirt/kernel-core/test only', () => {
    const also = 'in test files also @paravirt/kernel-core/test';
    // sources and shipped dependencies: never kernel-core, not even its test double
    expect(violations('libcpu-virtual', ['@paravirt/kernel-core'])).toEqual([
      `libcpu-virtual must not depend on @paravirt/kernel-core (allowed: machine, cpu-i386, cpu-sparc, paravirt-api; ${also})`,
    ]);
    expect(violations('bsp-virtualpok', ['@paravirt/kernel-core/test'], 'source')).toHaveLength(1);
    // test files: the test double's entry, not the machinery
    expect(violations('bsp-virtualpok', ['@paravirt/kernel-core/test'], 'test')).toEqual([]);
    expect(violations('bsp-virtualpok', ['@paravirt/kernel-core'], 'test')).toHaveLength(1);
    expect(violations('libcpu-virtual', ['@paravirt/pok-kernel/test'], 'test')).toHaveLength(1);
    // a guest package without the permission gets none
    expect(violations('cpukit', ['@paravirt/kernel-core/test'], 'test')).toEqual(['cpukit must not depend on @paravirt/kernel-core/test (allowed: machine)']);
    // devDependencies may name the package whose test entry the tests import, dependencies may not
    expect(violations('libcpu-virtual', ['@paravirt/kernel-core'], 'devDependencies')).toEqual([]);
    expect(violations('libcpu-virtual', ['@paravirt/pok-kernel'], 'devDependencies')).toHaveLength(1);
    expect(violations('samples', ['@paravirt/kernel-core'], 'devDependencies')).toHaveLength(1);
    // which files count as tests
    expect(isTestFile('packages/libcpu-virtual/src/virtualCpu.test.ts')).toBe(true);
    expect(isTestFile('packages/libcpu-virtual/src/virtualCpu.ts')).toBe(false);
    expect(isTestFile('packages/libcpu-virtual/src/testSupport.ts')).toBe(false);
  });

  it('finds imports in every syntactic form', () => {
    const text = [
      "import { a } from '@paravirt/machine';",
      "import type { B } from '@paravirt/cpukit';",
      "export * from '@paravirt/samples';",
      "const c = await import('@paravirt/pok-kernel');",
      "import '@paravirt/air-kernel/side-effect';",
      'import { TestHost } from "@paravirt/kernel-core/test";',
    ].join('\n');
    expect(importedSpecifiers(text).sort()).toEqual(
      ['@paravirt/air-kernel/side-effect', '@paravirt/cpukit', '@paravirt/kernel-core/test', '@paravirt/machine', '@paravirt/pok-kernel', '@paravirt/samples'].sort(),
    );
  });

  it('makes ESLint fail on a forbidden import', async () => {
    const eslint = lintSnippets();
    const [result] = await eslint.lintText("import { x } from '@paravirt/pok-kernel';\nexport const y = x;\n", {
      filePath: join(root, 'packages/machine/src/violation.ts'),
    });
    const messages = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    expect(messages).toEqual([
      "'@paravirt/pok-kernel' import is restricted from being used. machine may not import @paravirt/pok-kernel: see the dependency rule in docs/architecture.md section 2 (tooling/layers.mjs).",
    ]);
  }, 60_000);

  it('makes ESLint fail on a Node built-in in a browser-safe package, but not in its tests or in the runner', async () => {
    const eslint = lintSnippets();
    const restricted = async (specifier: string, file: string) => {
      const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath: join(root, file) });
      return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    };
    const message = 'compose is browser-safe (a page bundles it through @paravirt/compose): Node built-ins only in the runner (apps/runner) and in test files.';
    expect(await restricted('node:fs', 'packages/compose/src/violation.ts')).toEqual([`'node:fs' import is restricted from being used by a pattern. ${message}`]);
    expect(await restricted('path', 'packages/compose/src/violation.ts')).toEqual([`'path' import is restricted from being used. ${message}`]);
    expect(await restricted('node:worker_threads', 'packages/machine/src/violation.ts')).toHaveLength(1);
    expect(await restricted('node:fs', 'packages/compose/src/allowed.test.ts')).toEqual([]);
    expect(await restricted('node:fs', 'packages/air-kernel/src/internal/harness.ts')).toEqual([]);
    expect(await restricted('node:fs', 'apps/runner/src/cli/allowed.ts')).toEqual([]);
  }, 60_000);

  it('bundles @paravirt/compose, and so every package it imports, for the browser: no Node built-in reached', async () => {
    const result = await build({
      entryPoints: [join(root, 'packages/compose/src/index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      conditions: ['@paravirt/source'],
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text.length).toBeGreaterThan(100_000);
  }, 60_000);

  it('makes ESLint fail on a guest source importing kernel-core, and pass the test double in a guest test only', async () => {
    const eslint = lintSnippets();
    const restricted = async (specifier: string, file: string) => {
      const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath: join(root, file) });
      return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    };
    const hint = "(libcpu-virtual's test files, *.test.ts, may import @paravirt/kernel-core/test only)";
    expect(await restricted('@paravirt/kernel-core', 'packages/libcpu-virtual/src/violation.ts')).toEqual([
      `'@paravirt/kernel-core' import is restricted from being used. libcpu-virtual may not import @paravirt/kernel-core ${hint}: see the dependency rule in docs/architecture.md section 2 (tooling/layers.mjs).`,
    ]);
    expect(await restricted('@paravirt/kernel-core/test', 'packages/libcpu-virtual/src/violation.ts')).toHaveLength(1);
    expect(await restricted('@paravirt/kernel-core/test', 'packages/bsp-virtualpok/src/violation.ts')).toHaveLength(1);
    expect(await restricted('@paravirt/kernel-core/test', 'packages/libcpu-virtual/src/allowed.test.ts')).toEqual([]);
    expect(await restricted('@paravirt/kernel-core/test', 'packages/bsp-virtualpok/src/allowed.test.ts')).toEqual([]);
    expect(await restricted('@paravirt/kernel-core', 'packages/libcpu-virtual/src/violation.test.ts')).toHaveLength(1);
    expect(await restricted('@paravirt/pok-kernel', 'packages/libcpu-virtual/src/violation.test.ts')).toHaveLength(1);
    expect(await restricted('@paravirt/kernel-core/test', 'packages/cpukit/src/violation.test.ts')).toHaveLength(1);
    expect(await restricted('@paravirt/kernel-core', 'packages/paravirt-api/src/violation.ts')).toHaveLength(1);
    expect(await restricted('@paravirt/kernel-core', 'packages/pok-kernel/src/allowed.ts')).toEqual([]);
  }, 60_000);

  it('makes ESLint fail on a deep import into another package', async () => {
    const eslint = lintSnippets();
    const [result] = await eslint.lintText("import { x } from '@paravirt/machine/src/eventQueue.js';\nexport const y = x;\n", {
      filePath: join(root, 'packages/machine/src/violation.ts'),
    });
    expect(result!.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  }, 60_000);
});
