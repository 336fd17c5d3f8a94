/**
 * One vitest run over every package (the README's test command). Each workspace
 * folder is a project; tests import other packages through the `@paravirt/source`
 * export condition, i.e. straight from their src/, so a change never needs a rebuild.
 */
import { readdirSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';

const folders = ['packages', 'apps'].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(`${group}/${entry.name}/package.json`))
        .map((entry) => `${group}/${entry.name}`)
    : [],
);

const conditions = ['@paravirt/source', 'module', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@paravirt/source'] } },
  test: {
    projects: [
      ...folders.map((root) => ({
        extends: true as const,
        test: {
          name: basename(root),
          root,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // The runner's tests start the sandbox and the CLI as real processes: they need them bundled.
          ...(existsSync(`${root}/test/globalSetup.ts`) ? { globalSetup: ['test/globalSetup.ts'] } : {}),
        },
      })),
      { extends: true as const, test: { name: 'tooling', root: 'tooling', include: ['**/*.test.ts'] } },
    ],
  },
});
