/**
 * The dependency rule of docs/architecture.md section 2, checked over the real workspace:
 * package.json dependencies and the import statements in every package's sources. The
 * negative cases prove the checks (and the ESLint rule) fail on a violation.
 */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layers, violations } from './layers.mjs';

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

/** Workspace packages a source text imports (static, dynamic and re-exports). */
export function importedPackages(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](@paravirt\/[a-z0-9-]+)/g)) found.add(match[1]!);
  return [...found];
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
    const pkg = JSON.parse(readFileSync(join(workspace.dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const deps = Object.keys({ ...pkg['dependencies'], ...pkg['peerDependencies'], ...pkg['devDependencies'] });
    expect(violations(workspace.folder, deps)).toEqual([]);
  });

  it.each(all.map((w) => [w.folder, w] as const))('%s: imports follow the rule', (_folder, workspace) => {
    const problems = sourceFiles(workspace.dir).flatMap((file) =>
      violations(workspace.folder, importedPackages(readFileSync(file, 'utf8'))).map((message) => `${file}: ${message}`),
    );
    expect(problems).toEqual([]);
  });

  it('catches a guest package depending on a kernel and a kernel depending on a guest package', () => {
    expect(violations('cpukit', ['@paravirt/pok-kernel'])).toEqual([
      'cpukit must not depend on @paravirt/pok-kernel (allowed: machine)',
    ]);
    expect(violations('pok-kernel', ['@paravirt/cpukit', '@paravirt/paravirt-api'])).toHaveLength(1);
    expect(violations('paravirt-api', ['@paravirt/cpu-i386'])).toHaveLength(1);
    expect(violations('cpukit', ['@paravirt/cpu-sparc'])).toHaveLength(1);
    expect(violations('runner', ['@paravirt/pok-kernel', '@paravirt/cpukit'])).toEqual([]);
    expect(violations('mystery', [])).toEqual(['mystery: not in tooling/layers.mjs; decide its layer before adding it']);
  });

  it('finds imports in every syntactic form', () => {
    const text = [
      "import { a } from '@paravirt/machine';",
      "import type { B } from '@paravirt/cpukit';",
      "export * from '@paravirt/samples';",
      "const c = await import('@paravirt/pok-kernel');",
      "import '@paravirt/air-kernel/side-effect';",
    ].join('\n');
    expect(importedPackages(text).sort()).toEqual(
      ['@paravirt/air-kernel', '@paravirt/cpukit', '@paravirt/machine', '@paravirt/pok-kernel', '@paravirt/samples'].sort(),
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

  it('makes ESLint fail on a deep import into another package', async () => {
    const eslint = lintSnippets();
    const [result] = await eslint.lintText("import { x } from '@paravirt/machine/src/eventQueue.js';\nexport const y = x;\n", {
      filePath: join(root, 'packages/machine/src/violation.ts'),
    });
    expect(result!.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  }, 60_000);
});
