// The dependency rule of docs/architecture.md section 2, as data. The ESLint config and
// tooling/dependencyRule.test.ts both read it, so the rule has one source.
//
//   guest side:  samples -> cpukit <- bsp-* -> libcpu-* -> cpu-* ; libcpu-virtual -> paravirt-api
//   host side:   pok-kernel, air-kernel -> kernel-core -> paravirt-api, machine
//                (cpu-* only through machine's Processor)
//   contract:    paravirt-api -> machine; the only package both sides import
//   everything:  -> machine
//   compose:     a config -> a running module and its outputs: the only package besides the
//                runner that imports both sides, and browser-safe (no Node built-in, here or in
//                any package it imports; `browserSafe` below, checked by ESLint and a test)
//   runner:      the CLI: compose plus Node I/O, processes and the sandbox
//   playground:  the web page: compose in a Web Worker (browser-safe; its tests and Vite config use Node)
//   guest tests: libcpu-virtual and bsp-virtualpok test files (*.test.ts) may import the test
//                double @paravirt/kernel-core/test (a devDependency); their sources never
//                import kernel-core, and nothing imports kernel-core from a guest source
//
// Vocabulary both sides share goes down to machine, the one layer everyone may import: the
// ARINC 653 enumerations are defined once there (machine/src/arinc653.ts) and re-exported by
// cpukit (APEX) and paravirt-api (the contract). cpukit stays on machine alone: it runs on bare
// metal too and must not depend on the hypervisor contract.
//
// A workspace package missing from this table is itself a violation: adding a package
// means deciding where it sits.

/**
 * @typedef {object} Layer
 * @property {'board' | 'guest' | 'host' | 'contract' | 'app'} side
 * @property {string[]} allowed workspace packages (folder names) its sources, tests and
 *   dependencies may use; '*' for all
 * @property {boolean} [node] its sources may import Node's built-in modules (only the CLI);
 *   every other package is browser-safe: a page bundles compose and all it imports
 * @property {string[]} [testOnly] entry points ('kernel-core/test') its test files
 *   (*.test.ts) may import besides `allowed`, whose packages may be devDependencies only
 */

/** @type {Record<string, Layer>} */
export const layers = {
  machine: { side: 'board', allowed: [] },
  'cpu-i386': { side: 'guest', allowed: ['machine'] },
  'cpu-sparc': { side: 'guest', allowed: ['machine'] },
  'paravirt-api': { side: 'contract', allowed: ['machine'] },
  'kernel-core': { side: 'host', allowed: ['machine', 'paravirt-api'] },
  'libcpu-native': { side: 'guest', allowed: ['machine', 'cpu-i386', 'cpu-sparc'] },
  'libcpu-virtual': {
    side: 'guest',
    allowed: ['machine', 'cpu-i386', 'cpu-sparc', 'paravirt-api'],
    testOnly: ['kernel-core/test'],
  },
  cpukit: { side: 'guest', allowed: ['machine'] },
  'bsp-native': { side: 'guest', allowed: ['machine', 'cpukit', 'libcpu-native', 'cpu-i386', 'cpu-sparc'] },
  'bsp-virtualpok': {
    side: 'guest',
    allowed: ['machine', 'cpukit', 'libcpu-virtual', 'paravirt-api', 'cpu-i386', 'cpu-sparc'],
    testOnly: ['kernel-core/test'],
  },
  samples: { side: 'guest', allowed: ['machine', 'cpukit'] },
  'pok-kernel': { side: 'host', allowed: ['machine', 'paravirt-api', 'kernel-core'] },
  'air-kernel': { side: 'host', allowed: ['machine', 'paravirt-api', 'kernel-core'] },
  compose: {
    side: 'app',
    allowed: ['machine', 'cpu-i386', 'cpu-sparc', 'paravirt-api', 'kernel-core', 'libcpu-native', 'libcpu-virtual', 'cpukit', 'bsp-native', 'bsp-virtualpok', 'samples', 'pok-kernel', 'air-kernel'],
  },
  runner: { side: 'app', allowed: ['*'], node: true },
  // The web page: compose in a Web Worker, the samples it offers. Browser-safe like the packages.
  playground: { side: 'app', allowed: ['compose', 'samples', 'machine', 'cpukit'] },
};

export const scope = '@paravirt/';

/** Test files, where a package's `testOnly` entry points may be imported. */
export const testFileGlob = '**/*.test.ts';

/** True for a test file (`*.test.ts`). */
export function isTestFile(path) {
  return /\.test\.ts$/.test(path);
}

/** Short name of a workspace package from its npm name, or undefined if not ours. */
export function shortName(npmName) {
  return npmName.startsWith(scope) ? npmName.slice(scope.length) : undefined;
}

/** `@paravirt/kernel-core/test` -> { name: 'kernel-core', entry: 'kernel-core/test' }; undefined if not ours. */
export function workspaceSpecifier(specifier) {
  const rest = shortName(specifier);
  if (rest === undefined) return undefined;
  const slash = rest.indexOf('/');
  return { name: slash < 0 ? rest : rest.slice(0, slash), entry: rest };
}

/**
 * Checks one package's workspace dependencies against the table.
 * @param {string} pkg short name of the package (folder name)
 * @param {string[]} deps npm names it depends on, or import specifiers (with their subpath)
 * @param {'source' | 'test' | 'devDependencies'} [where] where they come from: a source file
 *   or dependencies/peerDependencies (the default), a test file (*.test.ts), devDependencies
 * @returns {string[]} one message per violation
 */
export function violations(pkg, deps, where = 'source') {
  const entry = layers[pkg];
  if (!entry) return [`${pkg}: not in tooling/layers.mjs; decide its layer before adding it`];
  const testOnly = entry.testOnly ?? [];
  const out = [];
  for (const dep of deps) {
    const spec = workspaceSpecifier(dep);
    if (spec === undefined || spec.name === pkg) continue;
    if (entry.allowed.includes('*') || entry.allowed.includes(spec.name)) continue;
    if (where === 'test' && testOnly.includes(spec.entry)) continue;
    if (where === 'devDependencies' && testOnly.some((only) => only.split('/')[0] === spec.name)) continue;
    const also = testOnly.length ? `; in test files also ${testOnly.map((only) => scope + only).join(', ')}` : '';
    out.push(`${pkg} must not depend on ${dep} (allowed: ${entry.allowed.join(', ') || 'nothing'}${also})`);
  }
  return out;
}

/**
 * Files of a browser-safe package that may still use Node: its tests and the test-only
 * harness they share (never exported).
 */
export const nodeAllowedInPackages = [testFileGlob, '**/test/**/*.ts', 'packages/air-kernel/src/internal/harness.ts', 'apps/playground/vite.config.ts'];

/** True for a file of a browser-safe package that may use Node anyway (nodeAllowedInPackages). */
export function isNodeAllowedFile(path) {
  return isTestFile(path) || /(^|\/)test\//.test(path) || path.endsWith('packages/air-kernel/src/internal/harness.ts') || path.endsWith('apps/playground/vite.config.ts');
}

/** The folder of a workspace package (relative to the root): the apps are under apps/. */
export function folderOf(pkg) {
  return pkg === 'runner' || pkg === 'playground' ? `apps/${pkg}` : `packages/${pkg}`;
}
