/**
 * The one tsup config factory every package uses: ESM only, type declarations,
 * source maps, Node 20 target. A package's tsup.config.ts is a call to this.
 */
import { defineConfig, type Options } from 'tsup';

/** The options every package builds with, `overrides` on top. */
export function packageOptions(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    ...overrides,
  };
}

export function packageBuild(overrides: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig(packageOptions(overrides));
}
