// pnpm hooks. pnpm records this file's checksum in pnpm-lock.yaml: after editing it, run
// `pnpm install` so the lockfile follows (CI's `pnpm install --frozen-lockfile` refuses a
// mismatch).
'use strict';

/** The export condition the monorepo resolves to src/ (tests, typecheck, dev script). */
const SOURCE_CONDITION = '@paravirt/source';

/** A copy of an exports value without the source condition, at any depth. */
function withoutSourceCondition(value) {
  if (Array.isArray(value)) return value.map(withoutSourceCondition);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== SOURCE_CONDITION) out[key] = withoutSourceCondition(inner);
  }
  return out;
}

module.exports = {
  hooks: {
    /**
     * Called by `pnpm pack` and `pnpm publish` (so by `changeset publish`) on the manifest
     * that goes into the tarball; the package.json on disk is unchanged. The published
     * `exports` lose the `@paravirt/source` condition, whose src/ files are not shipped,
     * and `scripts`, which only work inside the monorepo (`vitest run --root ../..`).
     * tooling/packaging.test.ts checks the packed result.
     */
    beforePacking(pkg) {
      if (pkg.exports !== undefined) pkg.exports = withoutSourceCondition(pkg.exports);
      delete pkg.scripts;
      return pkg;
    },
  },
};
