/**
 * Packaging metadata, checked without a build: every workspace package is publishable to
 * the public registry with the repository, homepage, bug tracker and README links derived
 * from the ONE canonical repository URL (root package.json `repository`), changesets
 * versions them together, and the pack hook strips the monorepo-only export condition.
 * What a packed tarball really contains is checked by packed.test.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalRepository,
  expectedMetadata,
  metadataProblems,
  portableReadme,
  portableTarget,
  root,
  workspacePackages,
} from './packageMetadata.mjs';

const packages = workspacePackages();
const require = createRequire(import.meta.url);

interface ChangesetsConfig {
  access: string;
  fixed: string[][];
  linked: string[][];
  ignore: string[];
  baseBranch: string;
}

describe('package metadata', () => {
  it('finds every workspace package', () => {
    expect(packages.length).toBeGreaterThanOrEqual(13);
    expect(packages.map((pkg) => pkg.manifest.name)).toContain('@paravirt/cpu-sparc');
  });

  it('takes the repository URL from one place: the root package.json', () => {
    const repository = canonicalRepository();
    expect(repository.web).toMatch(/^https:\/\/[^/]+\/[^/]+\/[^/]+$/);
    expect(repository.git).toBe(`git+${repository.web}.git`);
  });

  it.each(packages.map((pkg) => [pkg.dir, pkg] as const))('%s: repository, homepage, bugs, keywords, access, files, README links', (_dir, pkg) => {
    expect(metadataProblems(pkg)).toEqual([]);
    expect(pkg.manifest.private).not.toBe(true);
    expect(pkg.manifest.license).toBe('BSD-2-Clause');
    expect(pkg.manifest.name).toBe(`@paravirt/${pkg.name}`);
  });

  it.each(packages.map((pkg) => [pkg.dir, pkg] as const))('%s: every export has the source condition first and types before import', (_dir, pkg) => {
    const exports = pkg.manifest.exports as Record<string, string | Record<string, string>>;
    for (const [subpath, target] of Object.entries(exports)) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target), subpath).toEqual(['@paravirt/source', 'types', 'import']);
      expect(target['@paravirt/source'], subpath).toMatch(/^\.\/src\/.+\.ts$/);
    }
  });

  it('derives everything from the canonical URL: another URL gives other fields and links', () => {
    const other = { web: 'https://example.org/someone/paravirt', git: 'git+https://example.org/someone/paravirt.git', branch: 'trunk' };
    expect(expectedMetadata('packages/machine', 'machine', other)).toMatchObject({
      repository: { type: 'git', url: other.git, directory: 'packages/machine' },
      homepage: 'https://example.org/someone/paravirt/tree/trunk/packages/machine#readme',
      bugs: { url: 'https://example.org/someone/paravirt/issues' },
    });
    const machine = packages.find((pkg) => pkg.name === 'machine')!;
    expect(metadataProblems(machine, other).length).toBeGreaterThan(0);
    // A link written for the old URL is rewritten for the new one; other sites are left alone.
    const current = canonicalRepository();
    const text = `[a](${current.web}/blob/${current.branch}/docs/architecture.md#2) [b](https://www.rtems.org/) [c](#public-api)`;
    expect(portableReadme('packages/machine', text, { files: ['dist'] }, other)).toBe(
      '[a](https://example.org/someone/paravirt/blob/trunk/docs/architecture.md#2) [b](https://www.rtems.org/) [c](#public-api)',
    );
  });

  it('README links: ../ and unshipped files become repository URLs; shipped files and anchors stay', () => {
    const repository = canonicalRepository();
    const shipped = (path: string) => path === 'CHANGELOG.md' || path.startsWith('dist/');
    expect(portableTarget('packages/machine', '../../docs/execution-model.md', shipped)).toBe(`${repository.web}/blob/${repository.branch}/docs/execution-model.md`);
    expect(portableTarget('apps/runner', '../../docs', shipped)).toBe(`${repository.web}/tree/${repository.branch}/docs`);
    expect(portableTarget('packages/machine', 'src/eventQueue.ts#L1', shipped)).toBe(`${repository.web}/blob/${repository.branch}/packages/machine/src/eventQueue.ts#L1`);
    expect(portableTarget('packages/machine', 'CHANGELOG.md', shipped)).toBeUndefined();
    expect(portableTarget('packages/machine', '#public-api', shipped)).toBeUndefined();
  });
});

describe('changesets', () => {
  const config = JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8')) as ChangesetsConfig;

  it('publishes to the public registry and versions every package together (one fixed group)', () => {
    expect(config.access).toBe('public');
    expect(config.fixed).toEqual([['@paravirt/*']]);
    expect(config.ignore).toEqual([]);
    expect(packages.every((pkg) => pkg.manifest.name.startsWith('@paravirt/'))).toBe(true);
    // Fixed: every package has the same version.
    expect(new Set(packages.map((pkg) => pkg.manifest.version)).size).toBe(1);
  });
});

describe('the pack hook (.pnpmfile.cjs)', () => {
  const { hooks } = require(join(root, '.pnpmfile.cjs')) as { hooks: { beforePacking: (pkg: Record<string, unknown>) => Record<string, unknown> } };

  it('strips the source condition at every depth and the monorepo-only scripts', () => {
    const packed = hooks.beforePacking({
      name: '@paravirt/x',
      exports: {
        '.': { '@paravirt/source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js' },
        './test': { '@paravirt/source': './src/test.ts', node: { '@paravirt/source': './src/n.ts', import: './dist/n.js' } },
        './package.json': './package.json',
      },
      scripts: { test: 'vitest run --root ../..' },
    });
    expect(packed).toEqual({
      name: '@paravirt/x',
      exports: {
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        './test': { node: { import: './dist/n.js' } },
        './package.json': './package.json',
      },
    });
  });
});
