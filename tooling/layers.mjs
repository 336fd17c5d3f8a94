// The dependency rule of docs/architecture.md section 2, as data. The ESLint config and
// tooling/dependencyRule.test.ts both read it, so the rule has one source.
//
//   guest side:  samples -> cpukit <- bsp-* -> libcpu-* -> cpu-* ; libcpu-virtual -> paravirt-api
//   host side:   pok-kernel, air-kernel -> paravirt-api, machine (cpu-* only through machine's Processor)
//   everything:  -> machine
//   runner:      the only package that imports both sides
//
// A workspace package missing from this table is itself a violation: adding a package
// means deciding where it sits.

/** @type {Record<string, { side: 'board' | 'guest' | 'host' | 'contract' | 'app', allowed: string[] }>} */
export const layers = {
  machine: { side: 'board', allowed: [] },
  'cpu-i386': { side: 'guest', allowed: ['machine'] },
  'cpu-sparc': { side: 'guest', allowed: ['machine'] },
  'paravirt-api': { side: 'contract', allowed: ['machine'] },
  'libcpu-native': { side: 'guest', allowed: ['machine', 'cpu-i386', 'cpu-sparc'] },
  'libcpu-virtual': { side: 'guest', allowed: ['machine', 'cpu-i386', 'cpu-sparc', 'paravirt-api'] },
  cpukit: { side: 'guest', allowed: ['machine'] },
  'bsp-native': { side: 'guest', allowed: ['machine', 'cpukit', 'libcpu-native', 'cpu-i386', 'cpu-sparc'] },
  'bsp-virtualpok': {
    side: 'guest',
    allowed: ['machine', 'cpukit', 'libcpu-virtual', 'paravirt-api', 'cpu-i386', 'cpu-sparc'],
  },
  samples: { side: 'guest', allowed: ['machine', 'cpukit'] },
  'pok-kernel': { side: 'host', allowed: ['machine', 'paravirt-api'] },
  'air-kernel': { side: 'host', allowed: ['machine', 'paravirt-api'] },
  runner: { side: 'app', allowed: ['*'] },
};

export const scope = '@paravirt/';

/** Short name of a workspace package from its npm name, or undefined if not ours. */
export function shortName(npmName) {
  return npmName.startsWith(scope) ? npmName.slice(scope.length) : undefined;
}

/**
 * Checks one package's workspace dependencies against the table.
 * @param {string} pkg short name of the package (folder name)
 * @param {string[]} deps npm names it depends on or imports
 * @returns {string[]} one message per violation
 */
export function violations(pkg, deps) {
  const entry = layers[pkg];
  if (!entry) return [`${pkg}: not in tooling/layers.mjs; decide its layer before adding it`];
  const out = [];
  for (const dep of deps) {
    const name = shortName(dep);
    if (name === undefined || name === pkg) continue;
    if (entry.allowed.includes('*')) continue;
    if (!entry.allowed.includes(name)) {
      out.push(`${pkg} must not depend on ${dep} (allowed: ${entry.allowed.join(', ') || 'nothing'})`);
    }
  }
  return out;
}
