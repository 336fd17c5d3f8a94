import { defineConfig } from 'tsup';
import { packageOptions } from '../../tooling/tsup.js';

// The library and the CLI; the CLI's body (cli/app.cjs); then the sandbox (src/sandbox/): three self-contained files with
// every dependency inside (sucrase too, in hooks.js), because the sandbox process may read
// only its own folder.
// The two builds run side by side, so neither cleans dist/: the build script does.
export default defineConfig([
  packageOptions({ entry: ['src/index.ts', 'src/cli/main.ts', 'src/sweep/worker.ts'], clean: false }),
  // The executable (cli/bin.cjs) and the CLI's body as one file (cli/app.cjs), which bin.cjs
  // starts from V8's code cache (src/cli/bin.ts); both CommonJS: an ES module entry point
  // starts Node's ES module loader, ~5 ms of every start.
  packageOptions({
    entry: { 'cli/app': 'src/cli/app.ts', 'cli/bin': 'src/cli/bin.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    dts: false,
    clean: false,
    splitting: false,
    noExternal: [/.*/],
    // Read and hashed against its cache at every start: without whitespace it is a third smaller
    // (names are kept, for profiles and the source map).
    minifyWhitespace: true,
    minifySyntax: true,
  }),
  packageOptions({
    entry: { 'sandbox/child': 'src/sandbox/child.ts', 'sandbox/worker': 'src/sandbox/worker.ts', 'sandbox/hooks': 'src/sandbox/hooks.ts' },
    dts: false,
    clean: false,
    splitting: false,
    noExternal: [/.*/],
    // Bundled CommonJS dependencies call require(): give the ES module one.
    banner: { js: "import { createRequire as __paravirtRequire } from 'node:module'; const require = __paravirtRequire(import.meta.url);" },
  }),
]);
