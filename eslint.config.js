// ESLint flat config. Besides the usual TypeScript rules it enforces the structure:
// the dependency rule of docs/architecture.md section 2 (from tooling/layers.mjs), no deep
// imports into another package's src/, type-only imports marked as such, and exhaustive
// switches (every hypercall, trap type and HM action handled). TypeScript sources get
// typescript-eslint's type-checked rules (recommendedTypeCheckedOnly) too; the few left off
// or tuned say why below.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { folderOf, layers, nodeAllowedInPackages, scope, testFileGlob } from './tooling/layers.mjs';

const allPackages = Object.keys(layers);

/**
 * no-restricted-imports options for one package: every workspace package it may not use.
 * In its test files (`test`), the entry points of its `testOnly` list are let through
 * (gitignore-style negations); their packages' main entries stay forbidden.
 */
function restrictedFor(pkg, test = false) {
  // Browser-safe packages (all but the CLI): no Node built-in outside their test files.
  const noNode = !layers[pkg].node && !test;
  const nodeMessage = `${pkg} is browser-safe (a page bundles it through @paravirt/compose): Node built-ins only in the runner (apps/runner) and in test files.`;
  const { allowed, testOnly = [] } = layers[pkg];
  const forbidden = allowed.includes('*') ? [] : allPackages.filter((p) => p !== pkg && !allowed.includes(p));
  const testEntries = (p) => testOnly.filter((only) => only.split('/')[0] === p).map((only) => `${scope}${only}`);
  const rule = `see the dependency rule in docs/architecture.md section 2 (tooling/layers.mjs)`;
  const hint = (p) => {
    const entries = testEntries(p);
    return entries.length ? ` (${pkg}'s test files, *.test.ts, may import ${entries.join(', ')} only)` : '';
  };
  return {
    paths: [
      ...forbidden.map((p) => ({
        name: `${scope}${p}`,
        message: `${pkg} may not import ${scope}${p}${hint(p)}: ${rule}.`,
      })),
      ...(noNode ? builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: nodeMessage })) : []),
    ],
    patterns: [
      ...(noNode ? [{ group: ['node:*'], message: nodeMessage }] : []),
      ...forbidden.map((p) => ({
        group: [`${scope}${p}/*`, ...(test ? testEntries(p).map((entry) => `!${entry}`) : [])],
        message: `${pkg} may not import ${scope}${p}${hint(p)}: see the dependency rule (tooling/layers.mjs).`,
      })),
      { group: [`${scope}*/src/*`, `**/packages/*/src/**`, `**/apps/*/src/**`], message: 'Import the package entry, not its src/ files.' },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules for the TypeScript sources, which the project service sees (the .mts
  // tooling scripts are in no tsconfig and keep the syntactic rules).
  ...tseslint.configs.recommendedTypeCheckedOnly.map((config) => ({ ...config, files: ['**/*.ts'] })),
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
      // Numbers, booleans and regular expressions print as themselves; `undefined`, `null`,
      // `any` and objects in a message are bugs ("paravirt API undefined is not 1").
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowRegExp: true, allowNullish: false, allowAny: false, allowNever: false },
      ],
      // Deliberate non-Error throws that unwind a hot path without capturing a stack: the
      // dispatcher's Rejection (every refused hypercall of a fuzzing partition) and printf's
      // Overflow. Anything else thrown must be an Error.
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'file', name: 'Rejection' },
            { from: 'file', name: 'Overflow' },
          ],
        },
      ],
      // Off: the async functions without await implement promise-returning interfaces
      // (fake file systems, test helpers); `async` is what turns their throws into
      // rejections, so removing it as the rule asks would change behaviour.
      '@typescript-eslint/require-await': 'off',
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
  {
    // Test files: vitest's asymmetric matchers (expect.any(Number), expect.stringMatching(...))
    // are typed `any`, tests read the CLI's JSON output as loosely as a user's script would,
    // and containment tests hand out anything on purpose. The `any` checks stay on for sources.
    files: [testFileGlob, '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...allPackages.map((pkg) => ({
    files: [`${folderOf(pkg)}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', restrictedFor(pkg)] },
  })),
  // Test files (and the test-only harness) of the packages: Node's built-ins allowed, and the
  // entry points of a testOnly list (guest tests on kernel-core's TestHost).
  ...allPackages
    .filter((pkg) => !layers[pkg].node)
    .map((pkg) => ({
      files: nodeAllowedInPackages.map((glob) => (/^(packages|apps)\//.test(glob) ? glob : `${folderOf(pkg)}/${glob}`)).filter((glob) => glob.startsWith(`${folderOf(pkg)}/`)),
      rules: { 'no-restricted-imports': ['error', restrictedFor(pkg, true)] },
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
  {
    // CommonJS entry points (bin/paravirt.cjs: an ES module entry point costs start-up time).
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', require: 'readonly', __dirname: 'readonly', module: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
