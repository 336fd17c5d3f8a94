// ESLint flat config. Besides the usual TypeScript rules it enforces the structure:
// the dependency rule of docs/architecture.md section 2 (from tooling/layers.mjs), no deep
// imports into another package's src/, type-only imports marked as such, and exhaustive
// switches (every hypercall, trap type and HM action handled).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layers, scope } from './tooling/layers.mjs';

const allPackages = Object.keys(layers);

/** no-restricted-imports options for one package: every workspace package it may not use. */
function restrictedFor(pkg) {
  const allowed = layers[pkg].allowed;
  const forbidden = allowed.includes('*') ? [] : allPackages.filter((p) => p !== pkg && !allowed.includes(p));
  return {
    paths: forbidden.map((p) => ({
      name: `${scope}${p}`,
      message: `${pkg} may not import ${scope}${p}: see the dependency rule in docs/architecture.md section 2 (tooling/layers.mjs).`,
    })),
    patterns: [
      ...forbidden.map((p) => ({
        group: [`${scope}${p}/*`],
        message: `${pkg} may not import ${scope}${p}: see the dependency rule (tooling/layers.mjs).`,
      })),
      { group: [`${scope}*/src/*`, `**/packages/*/src/**`, `**/apps/*/src/**`], message: 'Import the package entry, not its src/ files.' },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      // Guest threads are generators by contract (docs/execution-model.md); one that never
      // blocks or computes (hello's Init) legitimately has no yield.
      'require-yield': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'Determinism: use the seeded Prng from @paravirt/machine, never Math.random().',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Determinism: the model runs on virtual time; wall clock only in the runner via performance.now().',
        },
      ],
    },
  },
  ...allPackages.map((pkg) => ({
    files: [pkg === 'runner' ? 'apps/runner/**/*.ts' : `packages/${pkg}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', restrictedFor(pkg)] },
  })),
  {
    // Benchmarks and the runner measure wall-clock time on purpose.
    files: ['**/bench/**/*.ts', 'apps/runner/src/cli/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain JS entry points and tooling run on Node.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', performance: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
