/**
 * Every file in examples/ but the sweep files is a working module: `paravirt check`
 * accepts it, it runs on its own kernel and on both architectures without losing a virtual
 * interrupt or stopping the processor, and the README's examples table documents it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repo, withoutHints } from './helpers.js';

const root = resolve(repo, 'examples');

function examples(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return examples(path);
    // Sweep files (*.sweep.yaml) are not modules: test/sweep.test.ts runs them.
    return /\.(ya?ml|json|xml)$/.test(entry.name) && !entry.name.endsWith('.sweep.yaml') ? [relative(root, path)] : [];
  });
}

const FILES = examples(root).sort();

describe.each(FILES)('examples/%s', (file) => {
  const path = resolve(root, file);

  it('passes paravirt check', async () => {
    const { code, stdout, stderr } = await cli(['check', path]);
    expect(withoutHints(stderr)).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/: valid (module configuration|POK config.yaml|ARINC 653 XML) for /);
  });

  it.each(['i386', 'sparc'])('runs 300 ms on %s with nothing lost', async (arch) => {
    const { code, stdout, stderr } = await cli(['run', path, '--arch', arch, '--duration', '300ms', '--json', '-']);
    expect(withoutHints(stderr)).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.arch).toBe(arch);
    for (const partition of summary.partitions) expect(partition.virq.lost, partition.name).toBe(0);
  }, 30_000);
});

it('the README documents every example', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(10);
  const readme = readFileSync(resolve(repo, 'README.md'), 'utf8');
  for (const file of FILES) expect(readme, file).toContain(`\`${file}\``);
});
